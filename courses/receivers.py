"""What the courses app does when something it does not own changes. Each receiver only queues a
task once the change is committed; the work itself is a service a reader can call directly."""

from functools import partial

from django.db import transaction
from django.dispatch import receiver

from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from commissions.signals import seats_changed

from .models import CoursePage, LessonPage, ModulePage
from .tasks import refresh_course_progress, sync_enrolments


@receiver(seats_changed)
def enrol_people_with_new_seats(sender, user_ids, **kwargs) -> None:
    """People who took seats after a course was assigned to them get enrolled too."""
    user_ids = sorted(set(user_ids))
    if user_ids:
        transaction.on_commit(partial(sync_enrolments.delay, user_ids))


def _course_key_above(page: Page):
    """The translation key of the course a module or lesson belongs to (one query)."""
    levels_up = 1 if isinstance(page, ModulePage) else 2
    course_path = page.path[: -levels_up * Page.steplen]
    return (
        CoursePage.objects.filter(path=course_path)
        .values_list("translation_key", flat=True)
        .first()
    )


@receiver(page_published, sender=LessonPage)
@receiver(page_published, sender=ModulePage)
@receiver(page_unpublished, sender=LessonPage)
@receiver(page_unpublished, sender=ModulePage)
def refresh_progress_after_course_change(sender, instance, **kwargs) -> None:
    """A lesson or module published, unpublished or deleted (Wagtail unpublishes a page before
    deleting it) may change what a course requires: learners' stored progress follows."""
    course_key = _course_key_above(instance)
    if course_key is not None:
        transaction.on_commit(partial(refresh_course_progress.delay, str(course_key)))
