"""Replace Wagtail's placeholder page with the Kazakh home page and the three content locales."""

import uuid

from django.db import migrations

LANGUAGES = ("kk", "ru", "en")


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Locale = apps.get_model("wagtailcore.Locale")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("cms.HomePage")

    for code in LANGUAGES:
        Locale.objects.get_or_create(language_code=code)
    kazakh = Locale.objects.get(language_code="kk")
    # The root page may have been created under another default language.
    Page.objects.filter(depth=1).update(locale=kazakh)

    page_type = ContentType.objects.get(model="page", app_label="wagtailcore")
    Page.objects.filter(content_type=page_type, slug="home", depth=2).delete()

    home_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="cms")
    home = HomePage.objects.create(
        title="Saylau Academy",
        draft_title="Saylau Academy",
        slug="home",
        content_type=home_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=kazakh,
        translation_key=uuid.uuid4(),
        intro="Сайлау комиссияларының мүшелерін оқыту платформасы.",
    )
    Page.objects.filter(depth=1).update(numchild=1)
    Site.objects.create(
        hostname="localhost", port=80, root_page_id=home.pk, is_default_site=True,
        site_name="Saylau Academy",
    )


def remove_homepage(apps, schema_editor):
    apps.get_model("cms.HomePage").objects.filter(depth=2).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_homepage, remove_homepage)]
