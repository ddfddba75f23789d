"""Course completion: every required lesson completed; recorded once; and a completion stands when
the course changes afterwards."""

import pytest
from bs4 import BeautifulSoup

from courses.models import Enrollment, LessonPage
from courses.selectors import course_structure
from courses.services import course_completion_record, course_requirements_met, lesson_complete
from tests.factories import CourseTree, EnrollmentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_interface")]

CHANGED = "The course has changed since; your completion stands."


def complete(user, course, lesson):
    return lesson_complete(
        user=user, course_key=course.translation_key, lesson_key=lesson.translation_key
    )


def test_completing_every_required_lesson_completes_the_course(member):
    course = CourseTree.build(modules=2, lessons=2, optional=[(2, 2)])
    enrollment = EnrollmentFactory(user=member, course=course)
    *required, optional = CourseTree.lessons(course)

    results = [complete(member, course, lesson) for lesson in required]

    assert [r.course_completed for r in results] == [False, False, True]
    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None
    assert enrollment.progress_percent == 100
    assert optional.translation_key not in {
        p.lesson_key for p in enrollment.lesson_progress.all()
    }, "the optional lesson was never needed"


def test_an_optional_lesson_alone_does_not_complete_the_course(member):
    course = CourseTree.build(modules=1, lessons=2, optional=[(1, 2)])
    enrollment = EnrollmentFactory(user=member, course=course)

    complete(member, course, CourseTree.lessons(course)[1])

    enrollment.refresh_from_db()
    assert enrollment.completed_at is None


def test_requirements_count_only_published_lessons(member, course, lessons):
    enrollment = EnrollmentFactory(user=member, course=course)
    module = lessons[0].get_parent()
    module.add_child(instance=LessonPage(title="Жоба", slug="draft", body=[], live=False))

    for lesson in lessons:
        complete(member, course, lesson)

    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None


def test_requirements_met_only_when_every_required_lesson_is_completed(member, course, lessons):
    enrollment = EnrollmentFactory(user=member, course=course)
    structure = course_structure(course_key=course.translation_key)
    for lesson in lessons[:3]:
        complete(member, course, lesson)

    assert not course_requirements_met(enrollment=enrollment, structure=structure)

    complete(member, course, lessons[3])
    assert course_requirements_met(enrollment=enrollment, structure=structure)


def test_a_completion_is_recorded_once_even_when_recorded_twice(member, course):
    enrollment = EnrollmentFactory(user=member, course=course)

    assert course_completion_record(enrollment=enrollment) is True
    first = Enrollment.objects.get(pk=enrollment.pk).completed_at

    assert course_completion_record(enrollment=enrollment) is False
    assert Enrollment.objects.get(pk=enrollment.pk).completed_at == first


def test_a_second_request_holding_a_stale_enrolment_cannot_record_it_again(member, course):
    """Two requests read the enrolment before either records: only the first one writes."""
    first_request = EnrollmentFactory(user=member, course=course)
    second_request = Enrollment.objects.get(pk=first_request.pk)
    assert second_request.completed_at is None

    assert course_completion_record(enrollment=first_request) is True
    recorded_at = first_request.completed_at
    assert course_completion_record(enrollment=second_request) is False

    assert second_request.completed_at == recorded_at
    assert Enrollment.objects.get(pk=first_request.pk).completed_at == recorded_at


def test_marking_the_last_lesson_again_does_not_record_the_completion_again(
    member, course, lessons
):
    enrollment = EnrollmentFactory(user=member, course=course)
    for lesson in lessons:
        complete(member, course, lesson)
    enrollment.refresh_from_db()
    completed_at = enrollment.completed_at

    again = complete(member, course, lessons[-1])

    assert again.course_completed is False and again.newly_completed is False
    enrollment.refresh_from_db()
    assert enrollment.completed_at == completed_at


def test_completing_the_course_says_so(learner_client, enrollment, course, lessons):
    for lesson in lessons[:-1]:
        learner_client.post(f"/learning/courses/{course.pk}/lessons/{lesson.pk}/complete/")

    response = learner_client.post(
        f"/learning/courses/{course.pk}/lessons/{lessons[-1].pk}/complete/", follow=True
    )

    assert "You have completed the course" in response.content.decode()


# A course that changes after learners completed it ------------------------------------------


@pytest.fixture
def completed(member, course, lessons):
    enrollment = EnrollmentFactory(user=member, course=course)
    for lesson in lessons:
        complete(member, course, lesson)
    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None
    return enrollment


def test_deleting_a_completed_lesson_leaves_the_completion_and_explains_it(
    learner_client, completed, course, lessons, django_capture_on_commit_callbacks
):
    completed_at = completed.completed_at

    with django_capture_on_commit_callbacks(execute=True):
        lessons[1].delete()

    completed.refresh_from_db()
    assert completed.completed_at == completed_at
    course_page = learner_client.get(course.url).content.decode()
    assert CHANGED in course_page
    assert "Completed on" in course_page
    my_training = BeautifulSoup(learner_client.get("/learning/").content, "html.parser")
    completed_section = my_training.find(id="completed-heading").parent
    assert course.title in completed_section.get_text()
    assert CHANGED in completed_section.get_text()


def test_a_required_lesson_added_after_completion_leaves_it_standing(
    learner_client, completed, course, lessons, django_capture_on_commit_callbacks
):
    module = lessons[0].get_parent()
    new_lesson = module.add_child(
        instance=LessonPage(title="Жаңа сабақ", slug="new", body=[], live=False)
    )
    with django_capture_on_commit_callbacks(execute=True):
        new_lesson.save_revision().publish()

    completed.refresh_from_db()
    assert completed.completed_at is not None
    assert CHANGED in learner_client.get(course.url).content.decode()
    # The new lesson can still be ticked; the completion does not move.
    completed_at = completed.completed_at
    learner_client.post(f"/learning/courses/{course.pk}/lessons/{new_lesson.pk}/complete/")
    completed.refresh_from_db()
    assert completed.completed_at == completed_at


def test_an_unchanged_course_does_not_say_it_changed(learner_client, completed, course):
    assert CHANGED not in learner_client.get(course.url).content.decode()
    assert CHANGED not in learner_client.get("/learning/").content.decode()


def test_a_refresher_enrolment_for_a_new_event_starts_from_nothing(
    member, completed, course, lessons
):
    refresher = EnrollmentFactory(user=member, course=course)

    complete(member, course, lessons[0])

    refresher.refresh_from_db()
    assert refresher.progress_percent == 25
    completed.refresh_from_db()
    assert completed.progress_percent == 100
