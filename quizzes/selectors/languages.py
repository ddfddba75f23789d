"""Texts in the learner's language: which translation of a row to show."""

from collections.abc import Iterable

from django.conf import settings
from django.utils.translation import get_language


def current_language() -> str:
    """The language of the request (its URL prefix), one of the site's languages."""
    codes = {code for code, _name in settings.LANGUAGES}
    language = get_language() or settings.LANGUAGE_CODE
    return language if language in codes else language.split("-")[0]


def preferred_rows(rows: Iterable[dict], *, language: str, key: str = "translation_key") -> dict:
    """Per translation key, the row in ``language``, else in the default language, else the
    oldest (rows must come ordered by id)."""
    rank = {language: 0, settings.LANGUAGE_CODE: 1}
    chosen: dict = {}
    for row in rows:
        kept = chosen.get(row[key])
        mine = rank.get(row["locale__language_code"], 2)
        if kept is None or mine < rank.get(kept["locale__language_code"], 2):
            chosen[row[key]] = row
    return chosen


def canonical_rows(rows: Iterable[dict], *, key: str = "translation_key") -> dict:
    """Per translation key, the canonical row: the default language's, else the oldest."""
    return preferred_rows(rows, language=settings.LANGUAGE_CODE, key=key)
