from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class YouthConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "youth"
    verbose_name = _("Young voters")
