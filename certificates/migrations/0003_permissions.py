"""Trainers and central administrators edit certificate templates; central administrators see
the issued certificates (and, by their role, revoke, re-issue and render them again)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Central administrators": {
        "certificatetemplate": ("add", "change", "delete", "view"),
        "certificate": ("view",),
    },
    "Trainers": {"certificatetemplate": ("add", "change", "delete", "view")},
}


def _permissions(Permission, models):
    for model, actions in models.items():
        for action in actions:
            yield Permission.objects.get(
                content_type__app_label="certificates", codename=f"{action}_{model}"
            )


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    for name, models in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*_permissions(Permission, models))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    for group in Group.objects.filter(name__in=GRANTS):
        group.permissions.remove(*_permissions(Permission, GRANTS[group.name]))


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0002_regeneration_and_archives"),
        ("commissions", "0002_role_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
