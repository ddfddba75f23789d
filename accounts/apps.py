from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = _("Accounts")


class UsersAdminConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with the platform's person fields (see accounts/admin_forms.py)."""

    default = False
    user_viewset = "accounts.viewsets.UserViewSet"
