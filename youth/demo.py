"""The demo's young voters, loaded by ``manage.py seed_demo`` last, once the tree, the public
course "Your first vote" and its civic education certificate template are there.

A young voters' club under the Ili district commission (TEC-19-07) with its coordinator
(``coordinator``, a manager of the club); the ``youth`` sign-in gets a learner profile and a seat
in it; five more young learners who signed up on their own, each at another stage of the public
course, reached through the services a learner's clicks call (joining, lessons marked complete,
the final test when the course has one):

- ``youth-aruzhan`` completed it and holds the civic education certificate (rendered here, since
  no worker runs while seeding);
- ``youth-alina`` read one lesson and ``youth-daniyar`` two (he lives in Astana, outside the
  club);
- ``youth-minor`` is 16: reads the course but waits for the consent of her legal representative,
  whose link was emailed (``youth.services.consent.guardian_consent_request``; in development
  the email is printed by the console backend);
- ``youth-teen`` is 17 and her representative has consented: the request is recorded with a
  token made here and confirmed through ``guardian_consent_confirm``, as the emailed link would.

Everyone gets the demo password and a personal data consent. Safe to run again: the club, people,
profiles and seats are found and left as they are; a learner who has joined the course already
is not taken through it again, and a consent request is made only for a learner who has none.
"""

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.consent import CURRENT
from accounts.models import ConsentRecord, Language, User
from accounts.services import consent_give
from certificates.services import certificate_render
from commissions.demo import DEMO_PASSWORD
from commissions.models import Commission, ManagerRole, Membership, Position
from commissions.services.tree import commission_create
from courses.demo import FIRST_VOTE
from courses.models import CoursePage, Enrollment, LessonPage
from courses.services import course_join, lesson_complete
from courses.services.certificates import certificate_issue_for_completion
from quizzes.demo.answers import full_marks_answers
from quizzes.models import QuizPage
from quizzes.services import attempt_start, attempt_submit

from .models import GuardianConsentRequest, LearnerProfile, new_token, token_hash
from .regions import Region
from .services.consent import guardian_consent_confirm, guardian_consent_request

DISTRICT = "TEC-19-07"
CLUB = {
    "code": "CLUB-19-07-01",
    "name_kk": "Жас сайлаушылар клубы «Іле жастары»",
    "name_ru": "Клуб молодых избирателей «Молодёжь Или»",
    "name_en": "Young Voters' Club “Ili Youth”",
}
COORDINATOR = {
    "username": "coordinator",
    "full_name": "Салтанат Маратқызы Иманбаева",
    "email": "s.imanbayeva@example.kz",
    "phone": "+77005550106",
}
# Lessons completed by a learner who completes the whole course, final test included.
ALL = -1


@dataclass(frozen=True)
class YoungLearner:
    """A young learner of the demo who signed up on their own."""

    username: str
    full_name: str
    email: str
    language: str
    age: int  # in the year they signed up: a minor up to 18 (accounts/minors.py)
    region: str
    school: str = ""
    in_club: bool = True
    lessons: int | None = None  # lessons completed; ALL completes the course; None: not joined
    representative: tuple[str, str] | None = None  # (name, email) of a minor's representative
    consented: bool = False


LEARNERS = (
    YoungLearner(
        "youth-aruzhan",
        "Аружан Серікқызы Оспанова",
        "aruzhan.ospanova@example.kz",
        Language.KAZAKH,
        age=20,
        region=Region.ALMATY,
        school="Әл-Фараби атындағы Қазақ ұлттық университеті",
        lessons=ALL,
    ),
    YoungLearner(
        "youth-alina",
        "Алина Викторовна Ким",
        "alina.kim@example.kz",
        Language.RUSSIAN,
        age=21,
        region=Region.ALMATY,
        lessons=1,
    ),
    YoungLearner(
        "youth-daniyar",
        "Данияр Асқарұлы Жұмабаев",
        "daniyar.zhumabaev@example.kz",
        Language.KAZAKH,
        age=19,
        region=Region.ASTANA,
        school="Л. Н. Гумилев атындағы Еуразия ұлттық университеті",
        in_club=False,
        lessons=2,
    ),
    YoungLearner(
        "youth-minor",
        "Әйгерім Нұрланқызы Ахметова",
        "aigerim.akhmetova@example.kz",
        Language.KAZAKH,
        age=16,
        region=Region.ALMATY,
        school="Іле ауданындағы № 12 мектеп-гимназия",
        lessons=1,
        representative=("Нұрлан Серікұлы Ахметов", "n.akhmetov@example.kz"),
    ),
    YoungLearner(
        "youth-teen",
        "Томирис Ерланқызы Есенова",
        "tomiris.esenova@example.kz",
        Language.KAZAKH,
        age=17,
        region=Region.ALMATY,
        school="Іле ауданындағы № 5 жалпы білім беретін мектеп",
        lessons=3,
        representative=("Гүлнар Болатқызы Есенова", "g.esenova@example.kz"),
        consented=True,
    ),
)
# The existing ``youth`` sign-in, as a learner: an adult from the Almaty oblast, in the club.
YOUTH = {"username": "youth", "age": 19, "region": Region.ALMATY}


@dataclass(frozen=True)
class YouthSummary:
    """What one run of ``demo_seed`` added."""

    club_created: bool
    people_created: int
    profiles_created: int
    seats_created: int
    progressed: int
    consent_requests: int
    certificates: int

    def __str__(self) -> str:
        club = "added" if self.club_created else "already there"
        return (
            f"Youth: club {CLUB['code']} {club}; {self.people_created} people, "
            f"{self.profiles_created} learner profiles and {self.seats_created} club seats added; "
            f"{self.progressed} learners taken through the public course, "
            f"{self.consent_requests} representatives asked to consent, "
            f"{self.certificates} certificates issued."
        )


def _club() -> tuple[Commission, bool]:
    club = Commission.objects.filter(code=CLUB["code"]).first()
    if club is not None:
        return club, False
    district = Commission.objects.get(code=DISTRICT)
    return commission_create(parent=district, level=Commission.Level.CLUB, **CLUB), True


def _people() -> tuple[dict[str, User], int]:
    """The coordinator and the young learners, created if missing; ``youth`` as seeded before."""
    wanted = [COORDINATOR["username"], YOUTH["username"], *(p.username for p in LEARNERS)]
    existing = set(User.objects.filter(username__in=wanted).values_list("username", flat=True))
    password = make_password(DEMO_PASSWORD)
    this_year = timezone.localdate().year
    new = []
    if COORDINATOR["username"] not in existing:
        new.append(User(**COORDINATOR, password=password))
    for person in LEARNERS:
        if person.username in existing:
            continue
        new.append(
            User(
                username=person.username,
                full_name=person.full_name,
                email=person.email,
                preferred_language=person.language,
                year_of_birth=this_year - person.age,
                password=password,
            )
        )
    User.objects.bulk_create(new)
    people = {user.username: user for user in User.objects.filter(username__in=wanted)}
    youth = people[YOUTH["username"]]
    if youth.year_of_birth is None:
        youth.year_of_birth = this_year - YOUTH["age"]
        youth.save(update_fields=["year_of_birth"])
    for user in people.values():
        # The text a self-registered learner agrees to (they have a year of birth): ``youth``,
        # seeded before as a commission person, moves to it once; again, nothing changes.
        consent_give(user=user, purpose=ConsentRecord.Purpose.PERSONAL_DATA, given_by=user)
    return people, len(new)


def _profiles_and_seats(people: dict[str, User], club: Commission) -> tuple[int, int]:
    learners = [(YOUTH["username"], YOUTH["region"], "", True)]
    learners += [(p.username, p.region, p.school, p.in_club) for p in LEARNERS]
    profiles = seats = 0
    for username, region, school, in_club in learners:
        user = people[username]
        _profile, created = LearnerProfile.objects.get_or_create(
            user=user,
            defaults={
                "region": region,
                "school": school,
                "email_confirmed_at": timezone.now(),
            },
        )
        profiles += created
        if in_club:
            _seat, created = Membership.objects.get_or_create(
                user=user,
                commission=club,
                ended_on=None,
                defaults={"position": Position.CLUB_MEMBER, "started_on": timezone.localdate()},
            )
            seats += created
    ManagerRole.objects.get_or_create(user=people[COORDINATOR["username"]], commission=club)
    return profiles, seats


def _course_progress(user: User, course: CoursePage, lessons: int) -> Enrollment:
    """Join the public course and complete its first ``lessons`` lessons (ALL: every lesson,
    then the final test with full marks, if the course has one)."""
    enrollment, _created = course_join(user=user, course=course)
    pages = list(LessonPage.objects.live().descendant_of(course).order_by("path"))
    for lesson in pages if lessons == ALL else pages[:lessons]:
        lesson_complete(
            user=user, course_key=course.translation_key, lesson_key=lesson.translation_key
        )
    final = QuizPage.objects.child_of(course).live().filter(kind=QuizPage.Kind.FINAL).first()
    if lessons == ALL and final is not None:
        attempt = attempt_start(user=user, quiz=final)
        attempt_submit(attempt=attempt, answers=full_marks_answers(attempt), quiz=final)
    enrollment.refresh_from_db()
    return enrollment


def _representative_consent(user: User, person: YoungLearner) -> bool:
    """Ask a minor's representative to consent (the emailed link), or record a consent they
    gave: a request with a token made here, confirmed through the link's service."""
    if GuardianConsentRequest.objects.filter(learner=user).exists():
        return False
    name, email = person.representative
    if not person.consented:
        guardian_consent_request(learner=user, representative_name=name, representative_email=email)
        return True
    token = new_token()
    GuardianConsentRequest.objects.create(
        learner=user,
        representative_name=name,
        representative_email=email,
        token_hash=token_hash(token),
        text_version=CURRENT[ConsentRecord.Purpose.GUARDIAN].version,
    )
    outcome = guardian_consent_confirm(token=token)
    return outcome.state == "confirmed"


@transaction.atomic
def demo_seed() -> YouthSummary:
    """The club and its coordinator, the young learners with their profiles, seats, consents
    and progress in the public course, and the certificate of the one who completed it."""
    club, club_created = _club()
    people, people_created = _people()
    profiles, seats = _profiles_and_seats(people, club)
    course = CoursePage.objects.get(slug=FIRST_VOTE.slug, locale__language_code="kk")

    progressed = consent_requests = 0
    for person in LEARNERS:
        user = people[person.username]
        if person.representative:
            consent_requests += _representative_consent(user, person)
        joined = Enrollment.objects.filter(user=user, course_key=course.translation_key)
        if person.lessons is not None and not joined.exists():
            _course_progress(user, course, person.lessons)
            progressed += 1

    certificates = 0
    for enrollment in Enrollment.objects.filter(
        user__in=people.values(), course_key=course.translation_key, completed_at__isnull=False
    ).select_related("user", "event"):
        certificate = certificate_issue_for_completion(enrollment=enrollment)
        if certificate is not None and not certificate.pdf:
            certificates += 1
            certificate_render(certificate_id=certificate.pk)
    return YouthSummary(
        club_created, people_created, profiles, seats, progressed, consent_requests, certificates
    )
