from functools import cached_property

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.urls import translate_url
from django.utils import translation


def languages(request):
    """Links to the current page in every language, for the switch in the page header."""
    current = translation.get_language()
    path = request.get_full_path()
    return {
        "language_links": [
            {
                "code": code,
                "name": name,
                "url": translate_url(path, code),
                "current": code == current,
            }
            for code, name in settings.LANGUAGES
        ]
    }


class HeaderLinks:
    """What the page header offers a signed-in person beyond their own training: "My branch" to
    managers of a commission, the content admin (and Wagtail's user bar) to those who may open it.

    One query, and only when a page asks, instead of one for the manager roles and two for the
    person's permissions on every page (learners, who are nearly everyone, see neither link)."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def _flags(self) -> tuple[bool, bool]:
        from django.contrib.auth.models import Permission

        from commissions.models import ManagerRole

        user = self.user
        if user is None or not user.is_authenticated or not user.is_active:
            return False, False
        if user.is_superuser:
            return True, True
        access_admin = Permission.objects.filter(
            Q(user=OuterRef("pk")) | Q(group__user=OuterRef("pk")),
            content_type__app_label="wagtailadmin",
            codename="access_admin",
        )
        flags = (
            get_user_model()
            .objects.filter(pk=user.pk)
            .values_list(
                Exists(ManagerRole.objects.filter(user=OuterRef("pk"))), Exists(access_admin)
            )
            .first()
        )
        return (bool(flags[0]), user.is_staff or bool(flags[1])) if flags else (False, False)

    @property
    def branch(self) -> bool:
        return self._flags[0]

    @property
    def admin(self) -> bool:
        return self._flags[1]


def header_links(request):
    return {"header_links": HeaderLinks(getattr(request, "user", None))}
