"""Every UI string exists in Kazakh and Russian, and the compiled catalogues match the sources."""

import re
from pathlib import Path

from django.conf import settings

import polib
import pytest

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


def _catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_string_is_translated(language):
    catalogue = _catalogue(language)
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not missing, f"{len(missing)} untranslated in {language}: {missing[:10]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {language}: {fuzzy[:10]}"


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_translations_keep_their_placeholders(language):
    for entry in _catalogue(language).translated_entries():
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            assert sorted(PLACEHOLDER.findall(text)) == expected or not expected, entry.msgid


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_compiled_catalogue_matches_its_source(language):
    """`make messages` compiles the .mo files that are committed; a stale one shows old text."""
    source = {
        (entry.msgctxt, entry.msgid): entry.msgstr or dict(entry.msgstr_plural)
        for entry in _catalogue(language).translated_entries()
    }
    compiled = polib.mofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.mo"))
    built = {
        (entry.msgctxt, entry.msgid): entry.msgstr or dict(entry.msgstr_plural)
        for entry in compiled
        if entry.msgid
    }
    assert {key: str(value) for key, value in source.items()} == {
        key: str(value) for key, value in built.items()
    }


def test_kazakh_letters_appear_in_the_kazakh_catalogue():
    text = " ".join(entry.msgstr for entry in _catalogue("kk").translated_entries())
    for letter in "әғқңөұүі":
        assert letter in text
