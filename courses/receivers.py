"""What the courses app does when something it does not own changes. Each receiver only queues a
task once the change is committed, or starts a new generation of the page cache (page_cache.py);
the work itself is a service a reader can call directly."""

from functools import cache, partial

from django.db import transaction
from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from commissions.signals import seats_changed

from . import page_cache
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


@cache
def _content_models() -> tuple[type, ...]:
    """What the cached pages are made of: pages, the sites and locales that route them, their
    view restrictions, and the images and documents their bodies show."""
    return (Page, Site, Locale, PageViewRestriction, get_image_model(), get_document_model())


@receiver(post_save)
@receiver(post_delete)
def start_page_cache_generation(sender, instance=None, **kwargs) -> None:
    """Content changed: the cached routes, structures and lesson bodies are read afresh."""
    if isinstance(instance, _content_models()):
        page_cache.generation_start()


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
@receiver(page_slug_changed)
def start_page_cache_generation_for_page(sender, **kwargs) -> None:
    page_cache.generation_start()


@receiver(post_migrate)
def start_page_cache_generation_after_migrate(sender, **kwargs) -> None:
    """A deployment migrates: entries pickled by the previous code are not read again."""
    page_cache.generation_start()
