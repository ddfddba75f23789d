"""Who may read a course, and the clear answers to bad requests: drafts, courses not assigned,
anonymous visitors, someone else's course or lesson, a GET where a POST belongs, and a language
the course is not translated into."""

from django.test import Client
from django.urls import reverse

from wagtail.models import Page

import pytest
from bs4 import BeautifulSoup

from courses.models import CoursePage, Enrollment, LessonPage, LessonProgress
from tests.factories import CourseTree, EnrollmentFactory, UserFactory, course_catalogue

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_interface")]


def complete_url(course, lesson) -> str:
    return f"/learning/courses/{course.pk}/lessons/{lesson.pk}/complete/"


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


# Reading ---------------------------------------------------------------------------------------


def test_an_enrolled_learner_reads_the_course_and_its_lessons(
    learner_client, enrollment, course, lessons
):
    for page in (course, lessons[0].get_parent(), lessons[0], lessons[-1]):
        assert learner_client.get(page.url).status_code == 200, page.url


def test_anonymous_visitors_are_sent_to_sign_in(client, course, lessons):
    for page in (course, lessons[0]):
        response = client.get(page.url)
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/sign-in/?next={page.url}"


def test_a_course_not_assigned_is_refused_with_the_reason(client, course, lessons):
    client.force_login(UserFactory())

    for page in (course, lessons[0]):
        response = client.get(page.url)
        assert response.status_code == 403
        assert "This course is not assigned to you" in response.content.decode()
    assert not LessonProgress.objects.exists()


def test_a_public_course_is_open_to_everyone_signed_in_without_recording_anything(client):
    open_course = CourseTree.build(modules=1, lessons=2, is_public=True)
    client.force_login(UserFactory())
    lesson = CourseTree.lessons(open_course)[0]

    course_page = soup(client.get(open_course.url))
    lesson_page = soup(client.get(lesson.url))

    assert course_page.select_one("form.join-form")["method"] == "post"
    assert lesson_page.select_one("form.join-form") is not None
    assert lesson_page.select_one(".complete-form") is None
    assert not Enrollment.objects.exists() and not LessonProgress.objects.exists()


def test_a_draft_lesson_is_never_served(learner_client, enrollment, lessons):
    module = lessons[0].get_parent()
    draft = module.add_child(instance=LessonPage(title="Жоба", slug="draft", body=[], live=False))

    assert learner_client.get(f"{module.url}draft/").status_code == 404
    outline = soup(learner_client.get(lessons[0].url)).select_one(".course-outline").get_text()
    assert draft.title not in outline


def test_lessons_of_an_unpublished_course_or_module_are_not_served(
    learner_client, enrollment, course, lessons
):
    """Wagtail routes through unpublished parents; a live lesson under one stays hidden."""
    url = lessons[0].url
    module = lessons[0].get_parent()
    Page.objects.filter(pk=module.pk).update(live=False)

    assert learner_client.get(url).status_code == 404

    Page.objects.filter(pk=module.pk).update(live=True)
    Page.objects.filter(pk=course.pk).update(live=False)
    assert learner_client.get(url).status_code == 404
    assert learner_client.get(course.url).status_code == 404


def test_unpublished_changes_are_not_shown_to_learners(learner_client, enrollment, lessons):
    lesson = lessons[0]
    lesson.save_revision().publish()
    lesson.title = "Жарияланбаған атау"
    lesson.save_revision()

    assert "Жарияланбаған атау" not in learner_client.get(lesson.url).content.decode()


def test_previews_are_only_for_editors(client, enrollment, lessons):
    lesson = lessons[0]
    lesson.title = "Жарияланбаған атау"
    lesson.save_revision()
    view_draft = reverse("wagtailadmin_pages:view_draft", args=[lesson.pk])

    client.force_login(enrollment.user)
    response = client.get(view_draft)
    assert response.status_code in (302, 403)
    assert "Жарияланбаған атау" not in response.content.decode()

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    preview = client.get(view_draft)
    assert preview.status_code == 200
    assert "Жарияланбаған атау" in preview.content.decode()
    assert "Preview" in preview.content.decode()
    assert not LessonProgress.objects.exists()


def test_an_editor_previews_a_course_never_published(client, course):
    draft = course.get_parent().add_child(
        instance=CoursePage(title="Жаңа курс", slug="new-course", summary="Жоба.", live=False)
    )
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    preview = client.get(reverse("wagtailadmin_pages:view_draft", args=[draft.pk]))

    assert preview.status_code == 200
    assert "This course has no published lessons yet." in preview.content.decode()
    assert Client().get("/courses/new-course/").status_code == 404


# Nobody sees another learner's progress ----------------------------------------------------------


def test_pages_show_only_the_signed_in_learners_own_progress(
    client, learner_client, enrollment, course, lessons
):
    learner_client.post(complete_url(course, lessons[0]))
    neighbour = EnrollmentFactory(course=course, event=enrollment.event)
    client.force_login(neighbour.user)

    lesson_page = soup(client.get(lessons[0].url))
    course_page = soup(client.get(course.url))

    assert lesson_page.select_one(".complete-form") is not None
    assert lesson_page.select_one(".lesson-done") is None
    assert course_page.select_one("progress")["value"] == "0"
    assert "Completed" not in course_page.select_one(".outline").get_text()


# Marking complete: bad requests -----------------------------------------------------------------


def test_marking_a_lesson_of_a_course_one_is_not_enrolled_in_is_refused(client, course, lessons):
    client.force_login(UserFactory())

    response = client.post(complete_url(course, lessons[0]))

    assert response.status_code == 403
    assert "You are not enrolled in this course" in response.content.decode()
    assert not LessonProgress.objects.exists()


def test_marking_complete_by_a_link_is_refused_with_405(
    learner_client, enrollment, course, lessons
):
    response = learner_client.get(complete_url(course, lessons[0]))

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert not LessonProgress.objects.filter(completed_at__isnull=False).exists()


def test_a_lesson_from_another_course_is_refused(learner_client, enrollment, course, member):
    other = CourseTree.build(modules=1, lessons=1)
    EnrollmentFactory(user=member, course=other)
    foreign_lesson = CourseTree.lessons(other)[0]

    response = learner_client.post(complete_url(course, foreign_lesson))

    assert response.status_code == 400
    assert "This lesson is not part of this course" in response.content.decode()
    assert not LessonProgress.objects.filter(completed_at__isnull=False).exists()


def test_unknown_course_or_lesson_is_not_found(learner_client, enrollment, course, lessons):
    assert learner_client.post(complete_url(course, course)).status_code == 404
    assert (
        learner_client.post(f"/learning/courses/0/lessons/{lessons[0].pk}/complete/").status_code
        == 404
    )


def test_marking_complete_needs_the_forms_csrf_token(enrollment, course, lessons):
    client = Client(enforce_csrf_checks=True)
    client.force_login(enrollment.user)

    assert client.post(complete_url(course, lessons[0])).status_code == 403
    assert not LessonProgress.objects.filter(completed_at__isnull=False).exists()


def test_marking_complete_without_signing_in_leads_to_sign_in(client, course, lessons):
    response = client.post(complete_url(course, lessons[0]))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


def test_lesson_pages_answer_only_reading(learner_client, enrollment, lessons):
    assert learner_client.post(lessons[0].url).status_code == 405


def test_a_learner_who_finished_only_in_the_past_can_still_tick_a_lesson(
    learner_client, member, course, lessons
):
    from django.utils import timezone

    finished = EnrollmentFactory(user=member, course=course, completed_at=timezone.now())

    response = learner_client.post(complete_url(course, lessons[0]))

    assert response.status_code == 302
    assert LessonProgress.objects.get().enrollment == finished


# Missing translations -------------------------------------------------------------------------


@pytest.fixture
def russian_catalogue(db):
    return course_catalogue("ru")


def test_a_course_not_translated_is_shown_in_kazakh_with_a_notice(
    learner_client, enrollment, course, lessons, russian_catalogue
):
    response = learner_client.get(f"/ru/courses/{course.slug}/")

    assert response.status_code == 200
    page = soup(response)
    assert page.html["lang"] == "ru"
    notice = page.select_one(".translation-notice").get_text(" ", strip=True)
    assert notice == "This course is not yet available in Русский; shown in Қазақша."
    assert page.select_one(".course-header")["lang"] == "kk"
    first_lesson = page.select_one(".outline__lesson a")
    assert first_lesson["href"] == f"/ru/courses/{course.slug}/module-1/lesson-1-1/"
    assert first_lesson["lang"] == "kk"


def test_a_lesson_not_yet_translated_in_a_translated_course_falls_back_with_a_notice(
    learner_client, enrollment, course, lessons
):
    russian = CourseTree.translate(course, "ru", subtree=False)  # course only, no modules
    url = f"/ru/courses/{russian.slug}/module-1/lesson-1-2/"

    response = learner_client.get(url)

    assert response.status_code == 200
    page = soup(response)
    assert "This lesson is not yet available in Русский; shown in Қазақша." in page.get_text(
        " ", strip=True
    )
    assert page.select_one(".outline__lesson--current a")["href"] == url
    # The visit counts for the same lesson, whichever language it was read in.
    assert LessonProgress.objects.get().lesson_key == lessons[1].translation_key


def test_the_catalogue_and_my_training_link_each_course_in_the_learners_language(
    learner_client, member, enrollment, course
):
    untranslated = CourseTree.build(modules=1, lessons=1, title="Санау")
    EnrollmentFactory(user=member, course=untranslated, event=enrollment.event)
    russian = CourseTree.translate(course, "ru")

    my_training = soup(learner_client.get("/ru/learning/"))
    catalogue = soup(learner_client.get("/ru/courses/"))

    for page in (my_training, catalogue):
        links = {a.get_text(strip=True): a for a in page.select(".course-card__title a")}
        assert links[russian.title]["href"] == russian.url
        assert "lang" not in links[russian.title].attrs
        assert links[untranslated.title]["href"] == f"/ru/courses/{untranslated.slug}/"
        assert links[untranslated.title]["lang"] == "kk"


def test_the_catalogue_lists_only_courses_the_learner_may_see(learner_client, enrollment, course):
    CourseTree.build(modules=1, lessons=1, title="Басқа курс")
    open_course = CourseTree.build(modules=1, lessons=1, is_public=True, title="Ашық курс")

    titles = [
        a.get_text(strip=True)
        for a in soup(learner_client.get("/courses/")).select(".course-card__title a")
    ]

    assert sorted(titles) == sorted([course.title, open_course.title])
