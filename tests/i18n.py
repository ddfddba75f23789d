"""What a page in Kazakh (the default language) says for an English UI string."""

from django.utils.html import escape
from django.utils.translation import gettext, override


def kazakh(message: str) -> str:
    with override("kk"):
        return gettext(message)


def kazakh_html(message: str) -> str:
    """``kazakh(message)`` as a template writes it into HTML."""
    return escape(kazakh(message))
