"""The two staff groups: central administrators and trainers, with what each may do."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CENTRAL_ADMINISTRATORS = "Central administrators"
TRAINERS = "Trainers"

PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
MEDIA_PERMISSIONS = {
    "wagtailimages": ("add_image", "change_image", "choose_image"),
    "wagtaildocs": ("add_document", "change_document", "choose_document"),
}
ADMINISTRATOR_MODEL_PERMISSIONS = {
    "commissions": ("commission", "membership", "managerrole", "memberimport"),
    "accounts": ("user",),
}


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    Page = apps.get_model("wagtailcore.Page")
    Collection = apps.get_model("wagtailcore.Collection")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")

    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    root_page = Page.objects.get(depth=1)
    root_collection = Collection.objects.get(depth=1)

    administrators, _ = Group.objects.get_or_create(name=CENTRAL_ADMINISTRATORS)
    trainers, _ = Group.objects.get_or_create(name=TRAINERS)
    for group in (administrators, trainers):
        group.permissions.add(access_admin)
        for codename in PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=root_page,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
        for app_label, codenames in MEDIA_PERMISSIONS.items():
            for codename in codenames:
                GroupCollectionPermission.objects.get_or_create(
                    group=group,
                    collection=root_collection,
                    permission=Permission.objects.get(
                        content_type__app_label=app_label, codename=codename
                    ),
                )
    for app_label, models in ADMINISTRATOR_MODEL_PERMISSIONS.items():
        for model in models:
            administrators.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label, content_type__model=model
                )
            )


def remove_groups(apps, schema_editor):
    apps.get_model("auth.Group").objects.filter(name__in=[CENTRAL_ADMINISTRATORS, TRAINERS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("commissions", "0001_initial"),
        ("accounts", "0001_initial"),
        ("cms", "0002_create_homepage"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
