"""The roles of the platform and how a person gets them.

- central administrator: a Wagtail superuser or a member of the group below; sees everything;
- trainer: a member of the trainers' group; edits content in the Wagtail admin;
- commission manager: holds a ``ManagerRole`` for a commission and sees its whole branch.
"""

from django.utils.translation import gettext_lazy as _

CENTRAL_ADMINISTRATORS = "Central administrators"
TRAINERS = "Trainers"

GROUP_LABELS = {
    CENTRAL_ADMINISTRATORS: _("Central administrators"),
    TRAINERS: _("Trainers"),
}


def is_central_administrator(user) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_central_administrator", None)
    if cached is None:
        cached = user.groups.filter(name=CENTRAL_ADMINISTRATORS).exists()
        user._is_central_administrator = cached
    return cached
