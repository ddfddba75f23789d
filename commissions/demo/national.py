"""A national-scale commission tree for benchmarks: the CEC, 17 oblasts and 3 cities, ~210
districts, ~10,250 precincts and ~75,000 members, under a root of its own.

It lives beside the small demo tree, not inside it, so that the demo sign-ins' branches stay small
and ``--reset`` can drop it whole. The materialised paths are written here rather than by
treebeard, whose ``add_child`` costs several queries per node; rows go in with ``bulk_create`` in
batches, and one password hash serves every generated account. The district and precinct counts
per region are round estimates shaped on the 2023 figures, not official data.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from accounts.models import User

from ..models import Commission, ManagerRole, Membership, Position
from .people import DEMO_PASSWORD, TERM_STARTED_ON, person_make
from .tree import precinct_names

ROOT_CODE = "NAT-CEC"
USERNAME_PREFIX = "nat-"
BATCH_SIZE = 2000  # rows per INSERT; Django lowers it where SQLite allows fewer parameters
FLUSH_EVERY = 10_000  # people held in memory before they are written

# fmt: off
# (region in kk, in ru, in en, kind, its commission in ru, districts, precincts)
REGIONS = (
    ("Абай облысы", "область Абай", "Abai Region", "oblast",
     "Территориальная избирательная комиссия области Абай", 11, 520),
    ("Ақмола облысы", "Акмолинская область", "Akmola Region", "oblast",
     "Акмолинская областная территориальная избирательная комиссия", 17, 600),
    ("Ақтөбе облысы", "Актюбинская область", "Aktobe Region", "oblast",
     "Актюбинская областная территориальная избирательная комиссия", 12, 520),
    ("Алматы облысы", "Алматинская область", "Almaty Region", "oblast",
     "Алматинская областная территориальная избирательная комиссия", 11, 720),
    ("Атырау облысы", "Атырауская область", "Atyrau Region", "oblast",
     "Атырауская областная территориальная избирательная комиссия", 8, 330),
    ("Батыс Қазақстан облысы", "Западно-Казахстанская область", "West Kazakhstan Region",
     "oblast", "Западно-Казахстанская областная территориальная избирательная комиссия", 12, 480),
    ("Жамбыл облысы", "Жамбылская область", "Jambyl Region", "oblast",
     "Жамбылская областная территориальная избирательная комиссия", 11, 570),
    ("Жетісу облысы", "область Жетісу", "Jetisu Region", "oblast",
     "Территориальная избирательная комиссия области Жетісу", 10, 480),
    ("Қарағанды облысы", "Карагандинская область", "Karaganda Region", "oblast",
     "Карагандинская областная территориальная избирательная комиссия", 12, 640),
    ("Қостанай облысы", "Костанайская область", "Kostanay Region", "oblast",
     "Костанайская областная территориальная избирательная комиссия", 16, 650),
    ("Қызылорда облысы", "Кызылординская область", "Kyzylorda Region", "oblast",
     "Кызылординская областная территориальная избирательная комиссия", 8, 380),
    ("Маңғыстау облысы", "Мангистауская область", "Mangystau Region", "oblast",
     "Мангистауская областная территориальная избирательная комиссия", 7, 300),
    ("Павлодар облысы", "Павлодарская область", "Pavlodar Region", "oblast",
     "Павлодарская областная территориальная избирательная комиссия", 12, 560),
    ("Солтүстік Қазақстан облысы", "Северо-Казахстанская область", "North Kazakhstan Region",
     "oblast", "Северо-Казахстанская областная территориальная избирательная комиссия", 13, 560),
    ("Түркістан облысы", "Туркестанская область", "Turkistan Region", "oblast",
     "Туркестанская областная территориальная избирательная комиссия", 16, 850),
    ("Ұлытау облысы", "область Ұлытау", "Ulytau Region", "oblast",
     "Территориальная избирательная комиссия области Ұлытау", 5, 140),
    ("Шығыс Қазақстан облысы", "Восточно-Казахстанская область", "East Kazakhstan Region",
     "oblast", "Восточно-Казахстанская областная территориальная избирательная комиссия", 12, 600),
    ("Астана қаласы", "город Астана", "Astana", "city",
     "Астанинская городская территориальная избирательная комиссия", 5, 430),
    ("Алматы қаласы", "город Алматы", "Almaty", "city",
     "Алматинская городская территориальная избирательная комиссия", 8, 560),
    ("Шымкент қаласы", "город Шымкент", "Shymkent", "city",
     "Шымкентская городская территориальная избирательная комиссия", 5, 360),
)
# fmt: on

TERRITORIAL_SEATS = (
    Position.CHAIR,
    Position.DEPUTY_CHAIR,
    Position.SECRETARY,
    *[Position.MEMBER] * 4,
)
# Precincts have 2–5 ordinary members (more where there are more voters), so 6–9 seats, ~7.3.
PRECINCT_MEMBER_COUNTS = (2, 3, 3, 3, 3, 4, 5)


@dataclass(frozen=True)
class NationalSummary:
    """The national tree as found or built by one run of ``national_seed``."""

    commissions: int
    members: int
    managers: int
    built: bool

    def __str__(self) -> str:
        verb = "Built" if self.built else "Already there (use --reset to rebuild)"
        return (
            f"{verb}: national tree of {self.commissions:,} commissions, "
            f"{self.members:,} members, {self.managers:,} managers."
        )


def _step(number: int) -> str:
    """One step of a treebeard materialised path: ``number`` in the model's alphabet."""
    alphabet, digits = Commission.alphabet, ""
    while number:
        number, digit = divmod(number, len(alphabet))
        digits = alphabet[digit] + digits
    return digits.rjust(Commission.steplen, alphabet[0])


def _next_root_path() -> str:
    last = Commission.get_last_root_node()
    if last is None:
        return _step(1)
    alphabet = Commission.alphabet
    number = 0
    for char in last.path[: Commission.steplen]:
        number = number * len(alphabet) + alphabet.index(char)
    return _step(number + 1)


def _split(total: int, parts: int) -> list[int]:
    """``total`` shared as evenly as possible among ``parts``."""
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def _national_commissions(*, root_path: str, scale: float) -> list[Commission]:
    """Every commission of the national tree, parents first, with path, depth and numchild."""

    def node(path: str, numchild: int, code: str, level: str, *names: str) -> Commission:
        name_kk, name_ru, name_en = names
        return Commission(
            path=path,
            depth=len(path) // Commission.steplen,
            numchild=numchild,
            code=code,
            level=level,
            name_kk=name_kk,
            name_ru=name_ru,
            name_en=name_en,
        )

    commissions = [
        node(
            root_path,
            len(REGIONS),
            ROOT_CODE,
            Commission.Level.CENTRAL,
            "Орталық сайлау комиссиясы (ұлттық ауқымдағы сынақ деректері)",
            "Центральная избирательная комиссия (данные для замеров в масштабе страны)",
            "Central Election Commission (national-scale benchmark data)",
        )
    ]
    for r, (kk, ru, en, kind, ru_commission, districts, precincts) in enumerate(REGIONS, 1):
        district_count = max(1, round(districts * scale))
        precinct_counts = _split(max(district_count, round(precincts * scale)), district_count)
        oblast_path = root_path + _step(r)
        kk_adjective = "облыстық" if kind == "oblast" else "қалалық"
        commissions.append(
            node(
                oblast_path,
                district_count,
                f"NAT-{r:02d}",
                Commission.Level.OBLAST,
                f"{kk.rsplit(' ', 1)[0]} {kk_adjective} аумақтық сайлау комиссиясы",
                ru_commission,
                f"{en}{' City' if kind == 'city' else ''} Territorial Election Commission",
            )
        )
        number = 0  # precincts are numbered through the region, as on the ballot papers
        for d, precinct_count in enumerate(precinct_counts, 1):
            district_path = oblast_path + _step(d)
            commissions.append(
                node(
                    district_path,
                    precinct_count,
                    f"NAT-{r:02d}-{d:02d}",
                    Commission.Level.DISTRICT,
                    f"{kk}, № {d} аудандық аумақтық сайлау комиссиясы",
                    f"Районная территориальная избирательная комиссия № {d}, {ru}",
                    f"District Territorial Election Commission No. {d}, {en}",
                )
            )
            for p in range(1, precinct_count + 1):
                number += 1
                commissions.append(
                    node(
                        district_path + _step(p),
                        0,
                        f"NAT-{r:02d}-{number:04d}",
                        Commission.Level.PRECINCT,
                        *precinct_names(number),
                    )
                )
    return commissions


def _seats(commissions: list[Commission], rng: random.Random) -> Iterator[tuple[Commission, str]]:
    """Every seat of the national tree: seven in each territorial commission, 6–9 in a precinct."""
    for commission in commissions:
        if commission.level != Commission.Level.PRECINCT:
            yield from ((commission, position) for position in TERRITORIAL_SEATS)
            continue
        members = rng.choice(PRECINCT_MEMBER_COUNTS)
        yield from (
            (commission, position)
            for position in (
                Position.CHAIR,
                Position.DEPUTY_CHAIR,
                Position.SECRETARY,
                *[Position.MEMBER] * members,
                Position.RESERVE,
            )
        )


def _people_write(batch: list[tuple[User, Commission, str]]) -> None:
    """Insert one batch of people with their seats; each commission's chair manages it."""
    User.objects.bulk_create([user for user, _c, _p in batch], batch_size=BATCH_SIZE)
    Membership.objects.bulk_create(
        [
            Membership(
                user_id=user.pk,
                commission_id=commission.pk,
                position=position,
                started_on=TERM_STARTED_ON,
            )
            for user, commission, position in batch
        ],
        batch_size=BATCH_SIZE,
    )
    ManagerRole.objects.bulk_create(
        [
            ManagerRole(user_id=user.pk, commission_id=commission.pk)
            for user, commission, position in batch
            if position == Position.CHAIR
        ],
        batch_size=BATCH_SIZE,
    )


def _people_create(commissions: list[Commission]) -> None:
    rng = random.Random("national")
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing 75,000 times takes hours
    batch: list[tuple[User, Commission, str]] = []
    for serial, (commission, position) in enumerate(_seats(commissions, rng), 1):
        person = person_make(rng)
        user = User(
            username=f"{USERNAME_PREFIX}{serial:06d}",
            full_name=person.full_name,
            email=f"{person.email_name}.{serial}@example.kz" if person.has_email else "",
            # +7 775: another operator than the small demo's, so the two never share a number.
            phone=f"+7775{(serial * 7919 + 1_234_567) % 10_000_000:07d}"
            if person.has_phone
            else "",
            preferred_language=person.language,
            password=password,
        )
        batch.append((user, commission, position))
        if len(batch) >= FLUSH_EVERY:
            _people_write(batch)
            batch = []
    _people_write(batch)


def _national_drop(root: Commission) -> None:
    branch = Commission.objects.filter(path__startswith=root.path)
    ManagerRole.objects.filter(commission__in=branch).delete()
    Membership.objects.filter(commission__in=branch).delete()
    User.objects.filter(username__startswith=USERNAME_PREFIX).delete()
    root.delete()  # treebeard removes the whole branch in one statement


def _statistics_refresh() -> None:
    """Tell the query planner how big the tables have become, as after any bulk load.

    Without it PostgreSQL plans branch queries for a table of a few dozen rows until autovacuum
    comes round, and picks sequential scans. https://www.postgresql.org/docs/current/sql-analyze.html
    """
    tables = [model._meta.db_table for model in (Commission, Membership, ManagerRole, User)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))
        else:
            for table in tables:
                cursor.execute("ANALYZE " + connection.ops.quote_name(table))


def _summary(root: Commission, *, built: bool) -> NationalSummary:
    return NationalSummary(
        commissions=Commission.objects.branch_of(root).count(),
        members=Membership.objects.in_branch(root).count(),
        managers=ManagerRole.objects.filter(commission__path__startswith=root.path).count(),
        built=built,
    )


@transaction.atomic
def national_seed(*, scale: float = 1.0, reset: bool = False) -> NationalSummary:
    """Build the national tree unless it is there already (``reset`` drops it and rebuilds).

    ``scale`` shrinks or grows the number of districts and precincts in every region (at least
    one of each), so that a test can build a national-shaped tree in a second.
    """
    if scale <= 0:
        raise ValueError("scale must be positive")
    root = Commission.objects.filter(code=ROOT_CODE).first()
    if root is not None and not reset:
        return _summary(root, built=False)
    if root is not None:
        _national_drop(root)
    commissions = _national_commissions(root_path=_next_root_path(), scale=scale)
    Commission.objects.bulk_create(commissions, batch_size=BATCH_SIZE)
    _people_create(commissions)
    _statistics_refresh()
    return _summary(commissions[0], built=True)
