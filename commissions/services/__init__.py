"""The commission workflows: the tree (tree.py) and member files (member_imports.py)."""

from .member_imports import (
    member_import_apply,
    member_import_check,
    member_import_queue,
    members_apply,
)
from .tree import commission_create, commission_move

__all__ = [
    "commission_create",
    "commission_move",
    "member_import_apply",
    "member_import_check",
    "member_import_queue",
    "members_apply",
]
