"""Stored progress: visits, lessons marked complete, the stored course percentage, and progress
that follows the learner across the course's translations."""

from datetime import timedelta

from django.utils import timezone

import pytest
from bs4 import BeautifulSoup

from courses.models import Enrollment, LessonPage, LessonProgress
from courses.services import course_progress_refresh, lesson_complete
from tests.factories import CourseTree, ElectionEventFactory, EnrollmentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_interface")]


def complete_url(course, lesson) -> str:
    return f"/learning/courses/{course.pk}/lessons/{lesson.pk}/complete/"


def progress_of(enrollment, lesson) -> LessonProgress | None:
    return LessonProgress.objects.filter(
        enrollment=enrollment, lesson_key=lesson.translation_key
    ).first()


# Visits ---------------------------------------------------------------------------------------


def test_opening_a_lesson_records_the_visit_and_where_the_learner_left_off(
    learner_client, enrollment, lessons
):
    before = timezone.now()

    assert learner_client.get(lessons[1].url).status_code == 200

    progress = progress_of(enrollment, lessons[1])
    assert progress.started_at >= before and progress.last_visited_at >= before
    assert progress.completed_at is None
    enrollment.refresh_from_db()
    assert enrollment.last_lesson_key == lessons[1].translation_key
    assert enrollment.last_activity_at >= before


def test_a_second_visit_keeps_the_first_start_and_moves_the_last_visit(
    learner_client, enrollment, lessons
):
    learner_client.get(lessons[0].url)
    an_hour_ago = timezone.now() - timedelta(hours=1)
    LessonProgress.objects.update(started_at=an_hour_ago, last_visited_at=an_hour_ago)
    Enrollment.objects.update(last_activity_at=an_hour_ago)

    learner_client.get(lessons[0].url)

    progress = progress_of(enrollment, lessons[0])
    assert progress.started_at == an_hour_ago
    assert progress.last_visited_at > an_hour_ago
    assert LessonProgress.objects.count() == 1


def test_reloading_a_lesson_within_a_minute_writes_nothing(learner_client, enrollment, lessons):
    learner_client.get(lessons[0].url)
    first_visit = progress_of(enrollment, lessons[0]).last_visited_at

    learner_client.get(lessons[0].url)

    assert progress_of(enrollment, lessons[0]).last_visited_at == first_visit


def test_a_visit_counts_in_every_enrolment_still_in_progress_but_not_in_a_completed_one(
    learner_client, member, course, lessons
):
    done = EnrollmentFactory(user=member, course=course, completed_at=timezone.now())
    current = EnrollmentFactory(user=member, course=course, event=ElectionEventFactory())
    joined = EnrollmentFactory(user=member, course=course, event=None, source="self")

    learner_client.get(lessons[0].url)

    assert progress_of(current, lessons[0]) is not None
    assert progress_of(joined, lessons[0]) is not None
    assert progress_of(done, lessons[0]) is None
    done.refresh_from_db()
    assert done.last_lesson_key is None


# Marking complete ------------------------------------------------------------------------------


def test_marking_a_lesson_complete_stores_it_and_the_course_percentage(
    learner_client, enrollment, course, lessons
):
    response = learner_client.post(complete_url(course, lessons[0]), follow=True)

    assert progress_of(enrollment, lessons[0]).completed_at is not None
    enrollment.refresh_from_db()
    assert enrollment.progress_percent == 25  # 1 of 4 required lessons
    assert "Lesson marked as complete." in response.content.decode()
    assert response.redirect_chain[-1][0] == lessons[0].url


def test_marking_a_lesson_complete_twice_changes_nothing(
    learner_client, enrollment, course, lessons
):
    learner_client.post(complete_url(course, lessons[0]))
    first = progress_of(enrollment, lessons[0]).completed_at

    response = learner_client.post(complete_url(course, lessons[0]), follow=True)

    assert progress_of(enrollment, lessons[0]).completed_at == first
    assert LessonProgress.objects.count() == 1
    enrollment.refresh_from_db()
    assert enrollment.progress_percent == 25
    assert "This lesson was already marked as complete." in response.content.decode()


def test_optional_lessons_do_not_count_towards_progress(member, client):
    course = CourseTree.build(modules=1, lessons=3, optional=[(1, 3)])
    enrollment = EnrollmentFactory(user=member, course=course)
    first, second, optional = CourseTree.lessons(course)

    lesson_complete(
        user=member, course_key=course.translation_key, lesson_key=optional.translation_key
    )
    enrollment.refresh_from_db()
    assert enrollment.progress_percent == 0

    lesson_complete(
        user=member, course_key=course.translation_key, lesson_key=first.translation_key
    )
    enrollment.refresh_from_db()
    assert enrollment.progress_percent == 50


def test_progress_rounds_down_so_that_only_a_finished_course_shows_100(member):
    course = CourseTree.build(modules=1, lessons=3)
    enrollment = EnrollmentFactory(user=member, course=course)
    for lesson in CourseTree.lessons(course)[:2]:
        lesson_complete(
            user=member, course_key=course.translation_key, lesson_key=lesson.translation_key
        )

    enrollment.refresh_from_db()
    assert enrollment.progress_percent == 66


def test_pages_show_the_stored_percentage_without_recounting(
    learner_client, enrollment, course, lessons
):
    Enrollment.objects.filter(pk=enrollment.pk).update(progress_percent=42)

    page = BeautifulSoup(learner_client.get(course.url).content, "html.parser")

    assert page.select_one("progress")["value"] == "42"
    assert "42% complete" in page.get_text()


# Progress across languages ---------------------------------------------------------------------


@pytest.fixture
def russian_course(course):
    return CourseTree.translate(course, "ru")


def test_a_lesson_completed_in_kazakh_shows_as_completed_in_russian(
    learner_client, enrollment, course, russian_course, lessons
):
    learner_client.post(complete_url(course, lessons[0]))
    russian_lesson = LessonPage.objects.get(
        translation_key=lessons[0].translation_key, locale__language_code="ru"
    )
    assert russian_lesson.url.startswith("/ru/")

    page = BeautifulSoup(learner_client.get(russian_lesson.url).content, "html.parser")

    assert page.select_one(".lesson-done") is not None, "the lesson shows its completed state"
    assert page.select_one(".complete-form") is None
    current = page.select_one(".outline__lesson--current")
    assert "Completed" in current.get_text()
    assert current.a.get_text() == russian_lesson.title


def test_completing_in_russian_counts_for_the_same_enrolment(
    learner_client, enrollment, russian_course
):
    russian_lessons = CourseTree.lessons(russian_course)

    for lesson in russian_lessons:
        learner_client.post(complete_url(russian_course, lesson))

    enrollment.refresh_from_db()
    assert enrollment.progress_percent == 100
    assert enrollment.completed_at is not None
    assert Enrollment.objects.count() == 1


def test_continue_where_you_left_off_links_the_lesson_in_the_current_language(
    learner_client, enrollment, russian_course, lessons
):
    learner_client.get(lessons[2].url)  # read in Kazakh

    page = BeautifulSoup(learner_client.get("/ru/learning/").content, "html.parser")

    resume = page.select_one(".resume a.button")
    russian_lesson = LessonPage.objects.get(
        translation_key=lessons[2].translation_key, locale__language_code="ru"
    )
    assert resume["href"] == russian_lesson.url


# Stored progress follows changes to the course ----------------------------------------------


def test_a_new_required_lesson_lowers_stored_progress_after_it_is_published(
    member, course, lessons, django_capture_on_commit_callbacks
):
    enrollment = EnrollmentFactory(user=member, course=course)
    for lesson in lessons[:2]:
        lesson_complete(
            user=member, course_key=course.translation_key, lesson_key=lesson.translation_key
        )
    enrollment.refresh_from_db()
    assert enrollment.progress_percent == 50

    module = lessons[0].get_parent()
    new_lesson = module.add_child(
        instance=LessonPage(title="Жаңа сабақ", slug="new", body=[], live=False)
    )
    with django_capture_on_commit_callbacks(execute=True):
        new_lesson.save_revision().publish()

    enrollment.refresh_from_db()
    assert enrollment.progress_percent == 40  # 2 of 5


def test_refreshing_progress_after_a_required_lesson_goes_completes_those_who_did_the_rest(
    member, course, lessons
):
    enrollment = EnrollmentFactory(user=member, course=course)
    for lesson in lessons[:3]:
        lesson_complete(
            user=member, course_key=course.translation_key, lesson_key=lesson.translation_key
        )
    lessons[3].unpublish()

    assert course_progress_refresh(course_key=course.translation_key) == 1

    enrollment.refresh_from_db()
    assert enrollment.progress_percent == 100
    assert enrollment.completed_at is not None
