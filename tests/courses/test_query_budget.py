"""Query budgets: the learner pages and marking a lesson complete cost a fixed number of queries,
whatever the size of the course or the number of the learner's enrolments."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import pytest

from certificates.models import CertificateTemplate
from courses.services import lesson_complete
from tests.factories import CourseTree, ElectionEventFactory, EnrollmentFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_interface")]

# Measured on SQLite and PostgreSQL alike, with the database session backend of the tests (the
# production settings read sessions from Redis: one query less). A lesson page served before since
# the content last changed is routed from the cache (courses/page_cache.py): the session and user,
# the header's one, the learner's enrolment and completed lessons, the quizzes' outline entries,
# and the visit's two writes at most once a minute. The first request for an address after a
# change is routed by Wagtail and fills the cache. Each budget is the measured figure plus a
# little room for the shared base template.
LESSON_PAGE_BUDGET = 10  # measured 8 on a first visit, 6 on a reload (Kazakh and Russian)
LESSON_PAGE_UNCACHED_BUDGET = 24  # measured 20 (Kazakh), 21 (Russian), the visit included
COURSE_PAGE_BUDGET = 8  # measured 6
MARK_COMPLETE_BUDGET = 18  # measured 16
MY_TRAINING_BUDGET = 16  # measured 15: 14, plus one for the certificates of every course listed


def count_queries(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = call()
    assert response.status_code in (200, 302), response.status_code
    return len(queries)


def lesson_page_queries(client, member, *, modules: int, lessons: int, language: str = "kk"):
    course = CourseTree.build(modules=modules, lessons=lessons)
    if language != "kk":
        course = CourseTree.translate(course, language)
    EnrollmentFactory(user=member, course=course)
    other = UserFactory()
    EnrollmentFactory(user=other, course=course)
    other_client = Client()
    other_client.force_login(other)
    some_lessons = CourseTree.lessons(course)
    middle = some_lessons[len(some_lessons) // 2]
    for lesson in some_lessons[:3]:
        lesson_complete(
            user=member, course_key=course.translation_key, lesson_key=lesson.translation_key
        )
    # the per-process caches (content types, site roots) and the course's cached outline
    client.get(some_lessons[0].url)
    uncached = count_queries(lambda: other_client.get(middle.url))  # routed by Wagtail
    first_visit = count_queries(lambda: client.get(middle.url))
    reload = count_queries(lambda: client.get(middle.url))
    return (uncached, first_visit, reload), CourseTree.lessons(course)


def test_a_lesson_page_costs_the_same_for_4_and_40_lessons(
    learner_client, member, django_assert_max_num_queries
):
    small, _lessons = lesson_page_queries(learner_client, member, modules=2, lessons=2)
    large, lessons = lesson_page_queries(learner_client, member, modules=10, lessons=4)

    print(f"lesson page queries (uncached, first visit, reload): 4 lessons {small}, 40 {large}")
    assert small == large
    uncached, first_visit, reload = large
    assert uncached <= LESSON_PAGE_UNCACHED_BUDGET
    assert reload <= first_visit <= LESSON_PAGE_BUDGET
    learner_client.get(lessons[-1].url)
    with django_assert_max_num_queries(LESSON_PAGE_BUDGET):
        assert learner_client.get(lessons[-1].url).status_code == 200


def test_a_translated_lesson_page_costs_the_same_for_4_and_40_lessons(learner_client, member):
    small, _lessons = lesson_page_queries(
        learner_client, member, modules=2, lessons=2, language="ru"
    )
    large, _lessons = lesson_page_queries(
        learner_client, member, modules=10, lessons=4, language="ru"
    )

    print(f"Russian lesson page queries: 4 lessons {small}, 40 lessons {large}")
    assert small == large
    uncached, first_visit, reload = large
    assert uncached <= LESSON_PAGE_UNCACHED_BUDGET
    assert reload <= first_visit <= LESSON_PAGE_BUDGET


def test_a_course_page_costs_the_same_for_4_and_40_lessons(learner_client, member):
    counts = []
    for modules, lessons in ((2, 2), (10, 4)):
        course = CourseTree.build(modules=modules, lessons=lessons)
        EnrollmentFactory(user=member, course=course)
        learner_client.get(course.url)
        counts.append(count_queries(lambda course=course: learner_client.get(course.url)))

    print(f"course page queries: {counts}")
    assert counts[0] == counts[1] <= COURSE_PAGE_BUDGET


def test_marking_complete_costs_the_same_for_4_and_40_lessons(learner_client, member):
    counts = []
    for modules, lessons in ((2, 2), (10, 4)):
        course = CourseTree.build(modules=modules, lessons=lessons)
        EnrollmentFactory(user=member, course=course)
        lesson = CourseTree.lessons(course)[1]
        url = f"/learning/courses/{course.pk}/lessons/{lesson.pk}/complete/"
        counts.append(count_queries(lambda url=url: learner_client.post(url)))

    print(f"mark-as-complete queries: {counts}")
    assert counts[0] == counts[1] <= MARK_COMPLETE_BUDGET


def test_my_training_costs_the_same_for_3_and_30_enrolments(learner_client, member):
    template = CertificateTemplate(name="Budget", title_kk="Сертификат", body_kk="{name}")
    template.save()
    counts = []
    for how_many in (3, 30):
        event = ElectionEventFactory()
        for number in range(how_many):
            course = CourseTree.build(modules=1, lessons=2)
            if number % 2:  # half of the completed courses give a certificate
                course.certificate_template = template
                course.save()
            enrollment = EnrollmentFactory(user=member, course=course, event=event)
            lesson = CourseTree.lessons(course)[0]
            if number % 3 == 0:  # some started, some completed, some untouched
                learner_client.get(lesson.url)
            if number % 3 == 1:
                for each in CourseTree.lessons(course):
                    lesson_complete(
                        user=member,
                        course_key=course.translation_key,
                        lesson_key=each.translation_key,
                    )
            assert enrollment.pk
        CourseTree.build(modules=1, lessons=1, is_public=True)
        learner_client.get("/learning/")
        counts.append(count_queries(lambda: learner_client.get("/learning/")))

    print(f"My training queries: {counts}")
    assert member.certificates.count() >= 5
    assert counts[0] == counts[1] <= MY_TRAINING_BUDGET
