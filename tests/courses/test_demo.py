"""The demo courses ``seed_demo`` loads: the catalogue and three courses in their languages, each
course one identity across them, the demo election event assigning the precinct courses, the
enrolments that follow, and a second run that changes nothing."""

from io import StringIO

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from wagtail.models import Locale, Page, Revision

import pytest

from accounts.models import User
from commissions.models import ElectionEvent, Membership, Position
from courses.demo import ASSIGNED_COURSES, CATALOGUE_SLUG, COURSES, EVENT
from courses.demo.counting import COUNTING
from courses.demo.first_vote import FIRST_VOTE
from courses.demo.opening import OPENING
from courses.models import (
    Assignment,
    CourseIndexPage,
    CoursePage,
    Enrollment,
    LessonPage,
    ModulePage,
)

KAZAKH_LETTERS = set("әғқңөұүһі")


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, seeded once for this module; each test runs in a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed()
        yield
        transaction.set_rollback(True)


def course_page(slug: str, language: str = "kk") -> CoursePage:
    return CoursePage.objects.get(slug=slug, locale__language_code=language)


def lessons_of(page: Page) -> list[LessonPage]:
    return list(LessonPage.objects.descendant_of(page).order_by("path"))


def lesson_text(lesson: LessonPage) -> str:
    return lesson.title + " " + str(lesson.body.raw_data)


def row_counts() -> dict[str, int]:
    models = (Page, Revision, ElectionEvent, Assignment, Enrollment, User, Membership)
    return {model.__name__: model.objects.count() for model in models}


def test_catalogue_sits_under_the_home_page_in_kazakh_russian_and_english(db, demo):
    kazakh = CourseIndexPage.objects.get(slug=CATALOGUE_SLUG, locale__language_code="kk")
    assert kazakh.get_parent().specific.locale.language_code == "kk"
    assert kazakh.get_parent().is_root() is False
    translations = CourseIndexPage.objects.filter(translation_key=kazakh.translation_key)
    assert sorted(translations.values_list("locale__language_code", flat=True)) == [
        "en",
        "kk",
        "ru",
    ]
    assert {page.title for page in translations} == {"Курстар", "Курсы", "Courses"}
    assert all(page.live for page in translations)


@pytest.mark.parametrize("course", COURSES, ids=lambda course: course.slug)
def test_every_page_of_a_course_exists_in_each_of_its_languages_under_one_translation_key(
    db, demo, course
):
    source = course_page(course.slug)
    kazakh_pages = [source, *ModulePage.objects.child_of(source), *lessons_of(source)]
    for language in course.languages:
        locale = Locale.objects.get(language_code=language)
        for page in kazakh_pages:
            translation = page.get_translation(locale)
            assert translation.live, f"{translation} ({language}) is not published"
            assert translation.slug == page.slug
            assert type(translation.specific) is type(page.specific)
    assert (
        not Page.objects.filter(translation_key__in=[page.translation_key for page in kazakh_pages])
        .exclude(locale__language_code__in=course.languages)
        .exists()
    )


def test_precinct_courses_are_in_kazakh_and_russian_and_the_youth_course_also_in_english(db, demo):
    for course in (OPENING, COUNTING):
        key = course_page(course.slug).translation_key
        languages = CoursePage.objects.filter(translation_key=key).values_list(
            "locale__language_code", flat=True
        )
        assert sorted(languages) == ["kk", "ru"]
    youth = CoursePage.objects.filter(translation_key=course_page(FIRST_VOTE.slug).translation_key)
    assert sorted(youth.values_list("locale__language_code", flat=True)) == ["en", "kk", "ru"]
    assert {page.title for page in youth} == {
        "Сенің алғашқы дауысың",
        "Твой первый голос",
        "Your first vote",
    }


def test_translations_carry_their_own_language_not_a_copy_of_the_kazakh(db, demo):
    for course in COURSES:
        source = course_page(course.slug)
        for lesson in lessons_of(source):
            assert KAZAKH_LETTERS & set(lesson_text(lesson).lower()), lesson.title
            for language in course.languages:
                if language == "kk":
                    continue
                translation = lesson.get_translation(Locale.objects.get(language_code=language))
                text = lesson_text(translation).lower()
                assert translation.title != lesson.title
                assert not KAZAKH_LETTERS & set(text), f"{translation.title}: Kazakh letters"


def test_only_the_youth_course_is_public(db, demo):
    assert course_page(FIRST_VOTE.slug).is_public
    assert course_page(FIRST_VOTE.slug, "en").is_public
    for course in (OPENING, COUNTING):
        page = course_page(course.slug)
        assert not page.is_public
        assert page.audience_levels == ["precinct"]
        assert set(page.audience_positions) == set(Position.values)


@pytest.mark.parametrize("course", [OPENING, COUNTING], ids=lambda course: course.slug)
def test_precinct_courses_have_two_or_three_modules_of_two_or_three_lessons(db, demo, course):
    for language in course.languages:
        page = course_page(course.slug, language)
        modules = ModulePage.objects.child_of(page)
        assert 2 <= modules.count() <= 3
        for module in modules:
            lessons = LessonPage.objects.child_of(module)
            assert 2 <= lessons.count() <= 3
            for lesson in lessons:
                paragraphs = lesson_text(lesson).count("<p>")
                assert paragraphs >= 4, f"{lesson.title} has {paragraphs} paragraphs"


def block_types(page: CoursePage) -> list[tuple[str, str]]:
    """(block type, checklist phase or "") of every block in every lesson of the course."""
    found = []
    for lesson in lessons_of(page):
        for block in lesson.body:
            phase = block.value["phase"] if block.block_type == "checklist" else ""
            found.append((block.block_type, phase))
    return found


def test_opening_course_has_an_opening_checklist_a_scenario_law_excerpts_and_callouts(db, demo):
    for language in OPENING.languages:
        blocks = block_types(course_page(OPENING.slug, language))
        assert ("checklist", "opening") in blocks
        assert {"scenario", "law_excerpt", "callout"} <= {kind for kind, _ in blocks}


def test_counting_course_has_counting_and_protocol_checklists_a_scenario_and_the_law(db, demo):
    for language in COUNTING.languages:
        blocks = block_types(course_page(COUNTING.slug, language))
        assert {("checklist", "counting"), ("checklist", "protocol")} <= set(blocks)
        assert {"scenario", "law_excerpt", "callout"} <= {kind for kind, _ in blocks}


def test_law_excerpts_cite_the_constitutional_law_on_elections(db, demo):
    citations = {"kk": "Конституциялық заңы", "ru": "Конституционный закон", "en": "Constitutional"}
    for course in COURSES:
        for language in course.languages:
            for lesson in lessons_of(course_page(course.slug, language)):
                for block in lesson.body:
                    if block.block_type == "law_excerpt":
                        assert citations[language] in block.value["citation"]
                        assert "сайлау туралы" in block.value["citation"] or (
                            "О выборах" in block.value["citation"]
                            or "On Elections" in block.value["citation"]
                        )


def test_demo_lessons_pass_the_checks_a_trainers_edit_would(db, demo):
    for lesson in LessonPage.objects.all():
        lesson.body.stream_block.clean(lesson.body)
        lesson.full_clean()


def test_demo_event_is_open_for_training_and_closes_two_days_before_the_vote(db, demo):
    event = ElectionEvent.objects.get(kind=EVENT["kind"], name_kk=EVENT["name_kk"])
    assert event.status == ElectionEvent.Status.TRAINING
    assert event.name_ru and event.name_en
    assert (event.vote_date - timezone.localdate()).days == 21
    assert (event.vote_date - event.training_deadline).days == 2


def test_both_precinct_courses_are_required_of_every_precinct_seat_for_the_event(db, demo):
    event = ElectionEvent.objects.get(name_kk=EVENT["name_kk"])
    assignments = Assignment.objects.filter(event=event).select_related("course")
    assert sorted(a.course.slug for a in assignments) == sorted(c.slug for c in ASSIGNED_COURSES)
    for assignment in assignments:
        assert assignment.course.locale.language_code == "kk"
        assert set(assignment.positions) == {
            "chair",
            "deputy_chair",
            "secretary",
            "member",
            "reserve",
        }
        assert assignment.levels == ["precinct"]


def test_member_is_enrolled_in_both_precinct_courses_for_the_demo_event(db, demo):
    member = User.objects.get(username="member")
    event = ElectionEvent.objects.get(name_kk=EVENT["name_kk"])
    enrolled = Enrollment.objects.filter(user=member, event=event)
    assert set(enrolled.values_list("course_key", flat=True)) == {
        course_page(OPENING.slug).translation_key,
        course_page(COUNTING.slug).translation_key,
    }
    assert all(e.source == Enrollment.Source.ASSIGNMENT for e in enrolled)
    assert not Enrollment.objects.filter(
        user=member, course_key=course_page(FIRST_VOTE.slug).translation_key
    ).exists()


def test_every_precinct_seat_holder_is_enrolled_and_territorial_staff_are_not(db, demo):
    precinct_people = set(
        Membership.objects.filter(commission__level="precinct").values_list("user_id", flat=True)
    )
    for course in ASSIGNED_COURSES:
        enrolled = set(
            Enrollment.objects.for_course(course_page(course.slug)).values_list(
                "user_id", flat=True
            )
        )
        assert enrolled == precinct_people
    assert not Enrollment.objects.filter(user__username="manager-district").exists()


def test_running_seed_demo_twice_changes_nothing(db, demo):
    before = row_counts()
    output = seed()
    assert row_counts() == before
    assert "Courses: catalogue and courses already there." in output
    assert "Election event already there" in output
    assert "0 assignments and 0 enrolments added" in output


def test_seeding_again_keeps_what_a_trainer_edited_and_adds_back_a_deleted_translation(db, demo):
    lesson = LessonPage.objects.get(
        slug="checking-and-sealing-ballot-boxes", locale__language_code="kk"
    )
    lesson.title = "Жәшіктерді мөрлеу (жаңартылған)"
    lesson.save_revision().publish()
    russian = lesson.get_translation(Locale.objects.get(language_code="ru"))
    russian.delete()

    seed()

    lesson.refresh_from_db()
    assert lesson.title == "Жәшіктерді мөрлеу (жаңартылған)"
    assert LessonPage.objects.filter(slug=lesson.slug, locale__language_code="kk").count() == 1
    restored = lesson.get_translation(Locale.objects.get(language_code="ru"))
    assert restored.title == "Проверка и опечатывание урн"
    assert restored.live
