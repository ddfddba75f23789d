"""The words of a member file: its columns and the values people write in them, in English,
Russian and Kazakh, and how a phone number is written."""

import re

from django.utils import translation
from django.utils.translation import gettext_lazy

from accounts.models import Language

from ..models import Position

FULL_NAME = "full_name"
EMAIL = "email"
PHONE = "phone"
COMMISSION_CODE = "commission_code"
POSITION = "position"
LANGUAGE = "language"

COLUMN_LABELS = {
    FULL_NAME: gettext_lazy("full name"),
    EMAIL: gettext_lazy("email"),
    PHONE: gettext_lazy("phone"),
    COMMISSION_CODE: gettext_lazy("commission code"),
    POSITION: gettext_lazy("position"),
    LANGUAGE: gettext_lazy("language"),
}
REQUIRED_COLUMNS = (FULL_NAME, COMMISSION_CODE, POSITION)


def normalise(value: str) -> str:
    """Compare headers and labels the way a person reads them: case, dashes and spaces aside."""
    return " ".join(re.sub(r"[_\-.:/]+", " ", value).split()).casefold()


# Headers as people write them, in English, Russian and Kazakh.
HEADER_ALIASES = {
    FULL_NAME: (
        "full_name",
        "full name",
        "name",
        "фио",
        "ф.и.о.",
        "полное имя",
        "имя",
        "аты-жөні",
        "аты жөні",
        "толық аты-жөні",
        "тегі, аты, әкесінің аты",
    ),
    EMAIL: (
        "email",
        "e-mail",
        "email address",
        "электронная почта",
        "эл. почта",
        "почта",
        "электрондық пошта",
        "эл. пошта",
        "пошта",
    ),
    PHONE: (
        "phone",
        "phone number",
        "telephone",
        "mobile",
        "телефон",
        "номер телефона",
        "мобильный телефон",
        "телефон нөмірі",
        "ұялы телефон",
    ),
    COMMISSION_CODE: (
        "commission_code",
        "commission code",
        "commission",
        "код комиссии",
        "комиссия",
        "номер комиссии",
        "комиссия коды",
        "комиссияның коды",
        "комиссия нөмірі",
    ),
    POSITION: ("position", "role", "должность", "роль", "лауазымы", "лауазым", "қызметі"),
    LANGUAGE: (
        "language",
        "preferred language",
        "язык",
        "язык обучения",
        "тіл",
        "тілі",
        "оқыту тілі",
    ),
}
HEADER_LOOKUP = {
    normalise(alias): column for column, aliases in HEADER_ALIASES.items() for alias in aliases
}

POSITION_ALIASES = {
    Position.CHAIR: (
        "chair",
        "chairman",
        "chairperson",
        "председатель",
        "председатель комиссии",
        "төраға",
        "комиссия төрағасы",
    ),
    Position.DEPUTY_CHAIR: (
        "deputy_chair",
        "deputy chair",
        "deputy chairman",
        "vice chair",
        "заместитель председателя",
        "зам. председателя",
        "төрағаның орынбасары",
        "төраға орынбасары",
    ),
    Position.SECRETARY: ("secretary", "секретарь", "секретарь комиссии", "хатшы"),
    Position.MEMBER: (
        "member",
        "commission member",
        "член",
        "член комиссии",
        "мүше",
        "комиссия мүшесі",
    ),
    Position.RESERVE: ("reserve", "reserve member", "резерв", "член резерва", "резервтегі мүше"),
}
LANGUAGE_ALIASES = {
    Language.KAZAKH: ("kk", "kaz", "kazakh", "қазақша", "қазақ", "қазақ тілі", "казахский"),
    Language.RUSSIAN: ("ru", "rus", "russian", "русский", "орысша", "орыс тілі"),
    Language.ENGLISH: ("en", "eng", "english", "английский", "ағылшынша", "ағылшын тілі"),
}


def value_lookup(aliases: dict, choices) -> dict[str, str]:
    """Codes, the aliases above, and the choice labels in every site language."""
    lookup = {}
    for code, names in aliases.items():
        for name in (code, *names):
            lookup[normalise(name)] = code
    for language in ("kk", "ru", "en"):
        with translation.override(language):
            for code, label in choices:
                lookup.setdefault(normalise(str(label)), code)
    return lookup


_PHONE_SEPARATORS = re.compile(r"[\s\-()./]")


def normalise_phone(value: str) -> str | None:
    """+7XXXXXXXXXX from +7…, 8… or 7… (or the ten digits alone), with spaces, dashes or
    brackets; None for anything else."""
    digits = _PHONE_SEPARATORS.sub("", value)
    international = digits.startswith("+")
    if international:
        digits = digits[1:]
    if not digits.isdigit():
        return None
    if len(digits) == 11 and (digits[0] == "7" or (digits[0] == "8" and not international)):
        return "+7" + digits[1:]
    if len(digits) == 10 and digits[0] == "7" and not international:
        return "+7" + digits
    return None


def norm_name(name: str) -> str:
    return " ".join(name.split()).casefold().replace("ё", "е")
