"""Growing and reshaping the commission tree: every change goes through treebeard, which owns
the materialised paths, and keeps the order central → oblast → district → precinct."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from treebeard.exceptions import InvalidMoveToDescendant

from ..models import CLUB_PARENT_LEVELS, LEVEL_RANK, Commission


def _error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _check_level_below(*, level: str, parent: Commission | None) -> None:
    """A root is the central commission; any other commission ranks strictly below its parent; a
    young voters' club stands directly under a central, oblast or district commission and holds
    nothing below it."""
    if level not in LEVEL_RANK:
        raise _error(
            "level", _("Unknown commission level “%(level)s”.") % {"level": level}, "invalid_level"
        )
    if parent is None:
        if level != Commission.Level.CENTRAL:
            raise _error(
                "parent",
                _("Only the central commission can stand at the top of the tree."),
                "root_not_central",
            )
        return
    if parent.level == Commission.Level.CLUB:
        raise _error(
            "parent",
            _("Nothing can be placed under a young voters' club (%(parent)s).")
            % {"parent": parent.code},
            "under_club",
        )
    if level == Commission.Level.CLUB and parent.level not in CLUB_PARENT_LEVELS:
        raise _error(
            "parent",
            _(
                "A young voters' club is formed by a territorial commission: place it under the "
                "central, an oblast or a district commission, not under %(parent)s."
            )
            % {"parent": parent.code},
            "club_parent",
        )
    if LEVEL_RANK[level] <= LEVEL_RANK[parent.level]:
        raise _error(
            "parent",
            _(
                "A commission of level “%(level)s” cannot be placed under %(parent)s "
                "(level “%(parent_level)s”): a commission must rank below its parent."
            )
            % {
                "level": Commission.Level(level).label,
                "parent": parent.code,
                "parent_level": Commission.Level(parent.level).label,
            },
            "level_order",
        )


@transaction.atomic
def commission_create(
    *,
    parent: Commission | None,
    code: str,
    level: str,
    name_kk: str,
    name_ru: str = "",
    name_en: str = "",
) -> Commission:
    """Add a commission under ``parent`` (or the central commission at the top of the tree)."""
    code = (code or "").strip()
    if not code:
        raise _error("code", _("Give the commission a code."), "required")
    if not (name_kk or "").strip():
        raise _error("name_kk", _("Give the commission its name in Kazakh."), "required")
    _check_level_below(level=level, parent=parent)
    if Commission.objects.filter(code=code).exists():
        raise _error(
            "code",
            _("Another commission already has the code “%(code)s”.") % {"code": code},
            "unique",
        )
    fields = {
        "code": code,
        "level": level,
        "name_kk": name_kk.strip(),
        "name_ru": (name_ru or "").strip(),
        "name_en": (name_en or "").strip(),
    }
    if parent is None:
        return Commission.add_root(**fields)
    # treebeard computes the new path from the parent's stored state, never a stale copy.
    parent = Commission.objects.select_for_update().get(pk=parent.pk)
    return parent.add_child(**fields)


@transaction.atomic
def commission_move(*, commission: Commission, new_parent: Commission | None) -> Commission:
    """Move ``commission`` with its whole branch under ``new_parent`` (``None``: to the top).

    Refused, with nothing changed, when the new parent is the commission itself or lies in its
    branch (the tree would get a cycle), or when the levels would be out of order.
    """
    commission = Commission.objects.select_for_update().get(pk=commission.pk)
    if new_parent is not None:
        new_parent = Commission.objects.select_for_update().get(pk=new_parent.pk)
        if new_parent.pk == commission.pk:
            raise _error("parent", _("A commission cannot be moved under itself."), "cycle")
        if commission.contains(new_parent):
            raise _error(
                "parent",
                _(
                    "%(target)s lies in the branch of %(commission)s: a commission cannot be "
                    "moved under one of the commissions below it."
                )
                % {"target": new_parent.code, "commission": commission.code},
                "cycle",
            )
    _check_level_below(level=commission.level, parent=new_parent)

    current_parent = commission.get_parent(update=True)
    if (current_parent and new_parent and current_parent.pk == new_parent.pk) or (
        current_parent is None and new_parent is None
    ):
        return commission
    try:
        if new_parent is None:
            last_root = Commission.get_last_root_node()
            commission.move(last_root, pos="last-sibling")
        else:
            commission.move(new_parent, pos="last-child")
    except InvalidMoveToDescendant as error:  # pragma: no cover - checked above
        raise _error("parent", str(error), "cycle") from error
    commission.refresh_from_db()
    return commission
