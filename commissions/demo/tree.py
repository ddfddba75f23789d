"""The small demonstration tree: the CEC, two oblast-level commissions, two districts each and
five precincts each, a member in every seat, and the demo sign-ins listed in the README."""

import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import ConsentRecord, Language, User
from accounts.services import consent_give

from ..models import Commission, ManagerRole, Membership, Position
from ..roles import CENTRAL_ADMINISTRATORS, TRAINERS
from .people import DEMO_PASSWORD, TERM_STARTED_ON, person_make

CENTRAL = (
    "CEC",
    "Қазақстан Республикасының Орталық сайлау комиссиясы",
    "Центральная избирательная комиссия Республики Казахстан",
    "Central Election Commission of the Republic of Kazakhstan",
)
# (code, kk, ru, en, [(district code, kk, ru, en, first precinct number)])
DEMO_OBLASTS = (
    (
        "TEC-19",
        "Алматы облыстық аумақтық сайлау комиссиясы",
        "Алматинская областная территориальная избирательная комиссия",
        "Almaty Region Territorial Election Commission",
        (
            (
                "TEC-19-07",
                "Іле аудандық аумақтық сайлау комиссиясы",
                "Илийская районная территориальная избирательная комиссия",
                "Ili District Territorial Election Commission",
                214,
            ),
            (
                "TEC-19-09",
                "Қарасай аудандық аумақтық сайлау комиссиясы",
                "Карасайская районная территориальная избирательная комиссия",
                "Karasay District Territorial Election Commission",
                356,
            ),
        ),
    ),
    (
        "TEC-71",
        "Астана қалалық аумақтық сайлау комиссиясы",
        "Астанинская городская территориальная избирательная комиссия",
        "Astana City Territorial Election Commission",
        (
            (
                "TEC-71-02",
                "Астана қаласы Есіл аудандық аумақтық сайлау комиссиясы",
                "Есильская районная территориальная избирательная комиссия города Астаны",
                "Esil District Territorial Election Commission, Astana",
                123,
            ),
            (
                "TEC-71-04",
                "Астана қаласы Сарыарқа аудандық аумақтық сайлау комиссиясы",
                "Сарыаркинская районная территориальная избирательная комиссия города Астаны",
                "Saryarka District Territorial Election Commission, Astana",
                231,
            ),
        ),
    ),
)
PRECINCTS_PER_DISTRICT = 5

TERRITORIAL_STAFF = (Position.CHAIR, Position.DEPUTY_CHAIR, Position.SECRETARY, Position.MEMBER)
PRECINCT_SEATS = (
    Position.CHAIR,
    Position.DEPUTY_CHAIR,
    Position.SECRETARY,
    Position.MEMBER,
    Position.MEMBER,
    Position.MEMBER,
    Position.RESERVE,
)


def precinct_names(number: int) -> tuple[str, str, str]:
    return (
        f"№ {number} учаскелік сайлау комиссиясы",
        f"Участковая избирательная комиссия № {number}",
        f"Precinct Election Commission No. {number}",
    )


@dataclass(frozen=True)
class SignIn:
    """One of the demo accounts listed in the README, all with ``DEMO_PASSWORD``."""

    username: str
    full_name: str
    email: str
    phone: str = ""
    language: str = Language.KAZAKH
    group: str = ""
    superuser: bool = False
    manages: str = ""  # code of the commission whose branch they manage
    seat: tuple[str, str] | None = None  # (commission code, position)


FIRST_OBLAST = DEMO_OBLASTS[0][0]
FIRST_DISTRICT = DEMO_OBLASTS[0][4][0][0]
FIRST_PRECINCT = f"PEC-{DEMO_OBLASTS[0][4][0][4]:04d}"

SIGN_INS = (
    SignIn(
        "admin",
        "Сәуле Бақытқызы Ахметова",
        "s.akhmetova@example.kz",
        group=CENTRAL_ADMINISTRATORS,
        superuser=True,
    ),
    SignIn("trainer", "Гүлнар Серікқызы Жұмабекова", "g.zhumabekova@example.kz", group=TRAINERS),
    SignIn(
        "manager-oblast",
        "Ерлан Қайратұлы Оспанов",
        "e.ospanov@example.kz",
        phone="+77005550101",
        manages=FIRST_OBLAST,
        seat=(FIRST_OBLAST, Position.SECRETARY),
    ),
    SignIn(
        "manager-district",
        "Айгүл Нұрланқызы Смағұлова",
        "a.smagulova@example.kz",
        phone="+77005550102",
        manages=FIRST_DISTRICT,
        seat=(FIRST_DISTRICT, Position.SECRETARY),
    ),
    SignIn(
        "manager-precinct",
        "Виктор Сергеевич Ким",
        "v.kim@example.kz",
        phone="+77005550103",
        language=Language.RUSSIAN,
        manages=FIRST_PRECINCT,
        seat=(FIRST_PRECINCT, Position.SECRETARY),
    ),
    SignIn(
        "member",
        "Мөлдір Асқарқызы Төлеуова",
        "m.toleuova@example.kz",
        phone="+77005550104",
        seat=(FIRST_PRECINCT, Position.MEMBER),
    ),
    SignIn("youth", "Нұрсұлтан Ерланұлы Серікбай", "n.serikbai@example.kz", phone="+77005550105"),
)


@dataclass(frozen=True)
class DemoSummary:
    """What one run of ``demo_seed`` found and added."""

    commissions: int
    users_created: int
    seats_created: int

    def __str__(self) -> str:
        return (
            f"Demo commissions: {self.commissions} in the tree; "
            f"{self.users_created} people and {self.seats_created} seats added."
        )


def _demo_tree_rows() -> list[tuple[str | None, str, str, str, str, str]]:
    """The demo tree as (parent code, code, level, kk, ru, en), parents before children."""
    rows = [(None, CENTRAL[0], Commission.Level.CENTRAL, *CENTRAL[1:])]
    for code, kk, ru, en, districts in DEMO_OBLASTS:
        rows.append((CENTRAL[0], code, Commission.Level.OBLAST, kk, ru, en))
        for d_code, d_kk, d_ru, d_en, first_number in districts:
            rows.append((code, d_code, Commission.Level.DISTRICT, d_kk, d_ru, d_en))
            for number in range(first_number, first_number + PRECINCTS_PER_DISTRICT):
                names = precinct_names(number)
                rows.append((d_code, f"PEC-{number:04d}", Commission.Level.PRECINCT, *names))
    return rows


DEMO_TREE = _demo_tree_rows()


def _demo_tree() -> dict[str, Commission]:
    """Add whatever part of the demo tree is missing, through treebeard; return it by code."""
    nodes = {c.code: c for c in Commission.objects.filter(code__in=[r[1] for r in DEMO_TREE])}
    for parent_code, code, level, name_kk, name_ru, name_en in DEMO_TREE:
        if code in nodes:
            continue
        fields = {"code": code, "level": level, "name_kk": name_kk}
        fields |= {"name_ru": name_ru, "name_en": name_en}
        if parent_code is None:
            nodes[code] = Commission.add_root(**fields)
        else:
            parent = nodes[parent_code]
            parent.refresh_from_db()  # treebeard reads numchild from the stored parent
            nodes[code] = parent.add_child(**fields)
    return nodes


def _demo_seats(nodes: dict[str, Commission]) -> list[tuple[Commission, str, str]]:
    """Every seat of the demo tree as (commission, position, username), sign-ins included."""
    sign_in_seats = {s.seat: s.username for s in SIGN_INS if s.seat}
    seats = []
    for commission in sorted(nodes.values(), key=lambda c: c.path):
        positions = (
            PRECINCT_SEATS if commission.level == Commission.Level.PRECINCT else TERRITORIAL_STAFF
        )
        for index, position in enumerate(positions, start=1):
            username = sign_in_seats.pop((commission.code, position), None)
            seats.append((commission, position, username or f"{commission.code.lower()}-{index}"))
    return seats


def _demo_phone(serial: int) -> str:
    """A distinct mobile number per serial (7919 is prime, so no two serials share one)."""
    return f"+7701{(serial * 7919 + 2_345_678) % 10_000_000:07d}"


def _demo_people(usernames: list[str]) -> list[User]:
    """Made-up members for the seats not held by a sign-in: the same people on every run."""
    taken_emails: set[str] = set()
    people = []
    for serial, username in enumerate(usernames, start=1):
        person = person_make(random.Random(f"demo:{username}"))
        email = ""
        if person.has_email:
            local, n = person.email_name, 1
            while local in taken_emails:
                n += 1
                local = f"{person.email_name}{n}"
            taken_emails.add(local)
            email = f"{local}@example.kz"
        people.append(
            User(
                username=username,
                full_name=person.full_name,
                email=email,
                phone=_demo_phone(serial) if person.has_phone else "",
                preferred_language=person.language,
            )
        )
    return people


def _sign_in_users() -> list[User]:
    return [
        User(
            username=sign_in.username,
            full_name=sign_in.full_name,
            email=sign_in.email,
            phone=sign_in.phone,
            preferred_language=sign_in.language,
            is_staff=sign_in.superuser,
            is_superuser=sign_in.superuser,
        )
        for sign_in in SIGN_INS
    ]


def _sign_in_roles(*, users: dict[str, User], nodes: dict[str, Commission]) -> None:
    """Staff groups and manager roles; adding one that is already there changes nothing."""
    groups = {g.name: g for g in Group.objects.filter(name__in=[CENTRAL_ADMINISTRATORS, TRAINERS])}
    for sign_in in SIGN_INS:
        if sign_in.group:
            users[sign_in.username].groups.add(groups[sign_in.group])
        if sign_in.manages:
            ManagerRole.objects.get_or_create(
                user=users[sign_in.username], commission=nodes[sign_in.manages]
            )


@transaction.atomic
def demo_seed() -> DemoSummary:
    """The small tree, a member in every seat, the sign-ins with their roles, and consents."""
    nodes = _demo_tree()
    seats = _demo_seats(nodes)
    sign_ins = {sign_in.username for sign_in in SIGN_INS}
    usernames = sign_ins | {username for _c, _p, username in seats}

    existing = set(User.objects.filter(username__in=usernames).values_list("username", flat=True))
    people = _demo_people([username for _c, _p, username in seats if username not in sign_ins])
    new_users = [u for u in _sign_in_users() + people if u.username not in existing]
    password = make_password(DEMO_PASSWORD)  # hashed once, shared by every demo account
    for user in new_users:
        user.password = password
    User.objects.bulk_create(new_users)
    users = {user.username: user for user in User.objects.filter(username__in=usernames)}

    _sign_in_roles(users=users, nodes=nodes)

    open_seats = set(
        Membership.objects.filter(ended_on__isnull=True, user__in=users.values()).values_list(
            "user_id", "commission_id"
        )
    )
    new_seats = [
        Membership(
            user=users[username],
            commission=commission,
            position=position,
            started_on=TERM_STARTED_ON,
        )
        for commission, position, username in seats
        if (users[username].pk, commission.pk) not in open_seats
    ]
    Membership.objects.bulk_create(new_seats)

    consented = set(
        ConsentRecord.objects.active()
        .filter(purpose=ConsentRecord.Purpose.PERSONAL_DATA, user__in=users.values())
        .values_list("user_id", flat=True)
    )
    for user in users.values():
        if user.pk not in consented:
            consent_give(user=user, purpose=ConsentRecord.Purpose.PERSONAL_DATA)

    return DemoSummary(
        commissions=len(nodes), users_created=len(new_users), seats_created=len(new_seats)
    )
