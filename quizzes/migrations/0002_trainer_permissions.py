"""Trainers and central administrators keep the question bank (topics and questions), submit
questions for translation and read item analysis (``view_questionstat``)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ("Central administrators", "Trainers")
MODEL_PERMISSIONS = {
    ("quizzes", "topic"): ("add", "change", "delete", "view"),
    ("quizzes", "question"): ("add", "change", "delete", "view"),
    ("quizzes", "questionstat"): ("view",),
}
OTHER_PERMISSIONS = (("wagtail_localize", "submit_translation"),)


def _permissions(Permission):
    for (app_label, model), actions in MODEL_PERMISSIONS.items():
        for action in actions:
            yield Permission.objects.get(
                content_type__app_label=app_label, codename=f"{action}_{model}"
            )
    for app_label, codename in OTHER_PERMISSIONS:
        yield Permission.objects.get(content_type__app_label=app_label, codename=codename)


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    permissions = list(_permissions(Permission))
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    quiz_permissions = Permission.objects.filter(content_type__app_label="quizzes")
    for group in Group.objects.filter(name__in=GROUPS):
        # submit_translation stays: courses grant it too.
        group.permissions.remove(*quiz_permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0001_initial"),
        ("commissions", "0003_electionevent"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
