"""Made-up people for demonstration data: Kazakh and Russian names, languages, contacts."""

import random
from dataclasses import dataclass
from datetime import date

from accounts.models import Language

DEMO_PASSWORD = "saylau-demo-2026"
# The start of the commissions' current term: every demo seat is open from then on.
TERM_STARTED_ON = date(2026, 1, 15)

KAZAKH_MEN = (
    "Ерлан", "Асқар", "Нұрлан", "Дәурен", "Бауыржан", "Ғалым", "Жандос", "Қайрат", "Мұрат",
    "Серік", "Төлеген", "Ұлан", "Әлібек", "Өмірзақ", "Нұрсұлтан", "Ербол", "Дидар", "Арман",
    "Еркебұлан", "Шаһмардан",
)  # fmt: skip
KAZAKH_WOMEN = (
    "Әлия", "Гүлнар", "Айгүл", "Жанар", "Мөлдір", "Сәуле", "Динара", "Ақмарал", "Нұргүл",
    "Айжан", "Гүлжан", "Ұлжан", "Меруерт", "Салтанат", "Әйгерім", "Аружан", "Қарлығаш",
    "Балжан", "Гауһар", "Томирис",
)  # fmt: skip
KAZAKH_SURNAMES = (  # the men's form; women's adds "а"
    "Сәрсенбаев", "Қасымов", "Әбдірахманов", "Оспанов", "Жұмабаев", "Ержанов", "Төлеуов",
    "Құдайбергенов", "Смағұлов", "Ахметов", "Бекмұхамбетов", "Ғабдуллин", "Шәкенов", "Мұхтаров",
    "Байұзақов", "Есенов", "Тоқтаров", "Иманбаев", "Сейітқалиев", "Нұрғалиев", "Түгелбаев",
    "Жеңісов", "Үсенов", "Іскаков",
)  # fmt: skip
KAZAKH_FATHERS = (
    "Қайрат", "Серік", "Мұрат", "Нұрлан", "Асқар", "Ерлан", "Бауыржан", "Талғат", "Әлімжан",
    "Болат", "Жеңіс", "Ғани", "Өркен", "Дүйсен",
)  # fmt: skip
RUSSIAN_MEN = (
    "Сергей", "Александр", "Дмитрий", "Андрей", "Алексей", "Виктор", "Игорь", "Владимир",
    "Николай", "Евгений",
)  # fmt: skip
RUSSIAN_WOMEN = (
    "Ольга", "Елена", "Татьяна", "Наталья", "Ирина", "Светлана", "Анна", "Мария", "Людмила",
    "Юлия",
)  # fmt: skip
RUSSIAN_SURNAMES = (  # those ending in -ов/-ев/-ин take "а" for women; the others do not change
    "Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Соколов", "Морозов", "Волков",
    "Новиков", "Фёдоров", "Лебедев", "Козлов", "Ким", "Шевченко", "Бондаренко", "Цой",
)  # fmt: skip
RUSSIAN_PATRONYMICS = (  # (his, hers)
    ("Сергеевич", "Сергеевна"), ("Александрович", "Александровна"), ("Викторович", "Викторовна"),
    ("Николаевич", "Николаевна"), ("Владимирович", "Владимировна"), ("Петрович", "Петровна"),
    ("Игоревич", "Игоревна"), ("Юрьевич", "Юрьевна"),
)  # fmt: skip

LATIN = str.maketrans(
    {
        "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e", "ё": "e",
        "ж": "zh", "з": "z", "и": "i", "й": "i", "к": "k", "қ": "q", "л": "l", "м": "m",
        "н": "n", "ң": "n", "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
        "ұ": "u", "ү": "u", "ф": "f", "х": "kh", "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh",
        "щ": "shch", "ъ": "", "ы": "y", "і": "i", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    }
)  # fmt: skip


def latin(text: str) -> str:
    """A Latin spelling of a Kazakh or Russian name, for the local part of an email address."""
    return text.lower().translate(LATIN)


@dataclass(frozen=True)
class Person:
    """A made-up commission member: name, language and contacts."""

    full_name: str
    language: str
    email_name: str  # "aliya.sarsenbaeva": the email's local part before any number
    has_email: bool
    has_phone: bool


def person_make(rng: random.Random) -> Person:
    """Four in five are Kazakh-named, most of them reading in Kazakh; the rest read Russian."""
    woman = rng.random() < 0.55
    if rng.random() < 0.8:
        given = rng.choice(KAZAKH_WOMEN if woman else KAZAKH_MEN)
        surname = rng.choice(KAZAKH_SURNAMES) + ("а" if woman else "")
        patronymic = rng.choice(KAZAKH_FATHERS) + ("қызы" if woman else "ұлы")
        language = Language.KAZAKH if rng.random() < 0.85 else Language.RUSSIAN
    else:
        given = rng.choice(RUSSIAN_WOMEN if woman else RUSSIAN_MEN)
        surname = rng.choice(RUSSIAN_SURNAMES)
        if woman and surname.endswith(("ов", "ев", "ин")):
            surname += "а"
        patronymic = rng.choice(RUSSIAN_PATRONYMICS)[1 if woman else 0]
        language = Language.RUSSIAN
    contact = rng.random()  # most give both; some only an email, some only a phone
    return Person(
        full_name=f"{given} {patronymic} {surname}",
        language=language,
        email_name=f"{latin(given)}.{latin(surname)}",
        has_email=contact < 0.85,
        has_phone=contact >= 0.25,
    )
