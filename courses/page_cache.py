"""What course, module and lesson pages show that is the same for every learner, kept in the
cache between requests: where a URL leads (the routed pages, quizzes too, whose own sub-paths
such as ``attempts/12/`` are resolved against the cached page), a course's structure, its
outline's titles and links in a language, and a lesson's rendered body. The learner's own parts
(their enrolment, check marks, progress, forms) are read and rendered on every request, never
cached.

Every entry belongs to one *generation* of the site's content. Any change an editor can make that
these entries depend on — a page saved, published, unpublished, moved or deleted; a site, locale,
view restriction, image or document changed — starts a new generation, and the entries of the old
one are never read again (they expire). So nothing has to know which entries a change touches, and
a republished lesson is seen by the next request. See docs/decisions/0006-page-cache-generations.md.

Only on when every process that serves or edits pages shares the cache (``CACHE_IS_SHARED``:
Redis in production; the tests' single process): a generation started in one process must be
seen by all.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import Http404

from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.url_routing import RouteResult

GENERATION_KEY = "courses:pages:generation"
TIMEOUT = 60 * 60 * 24  # entries of a past generation are left to expire
ROUTE = "route"


def is_enabled() -> bool:
    return getattr(settings, "CACHE_IS_SHARED", False)


def generation() -> str:
    """The current generation: a random token, so that an evicted counter can never bring back
    the entries of an earlier generation."""
    current = cache.get(GENERATION_KEY)
    if current is None:
        cache.add(GENERATION_KEY, uuid4().hex, None)
        current = cache.get(GENERATION_KEY)
    return current


def generation_start() -> None:
    """Start a new generation now, and again when the change's transaction commits: a request
    that read the old rows before the commit may have cached them under the first new one."""

    def start() -> None:
        cache.set(GENERATION_KEY, uuid4().hex, None)

    start()
    transaction.on_commit(start)


def _key(current: str, kind: str, parts: tuple) -> str:
    digest = hashlib.sha1("\x1f".join(map(str, parts)).encode()).hexdigest()
    return f"courses:pages:{current}:{kind}:{digest}"


def request_generation(request) -> str:
    """The generation a request reads, the same for all its entries (read once per request)."""
    if request is None:
        return generation()
    current = getattr(request, "_course_pages_generation", None)
    if current is None:
        current = request._course_pages_generation = generation()
    return current


def cached(request, kind: str, *parts, build: Callable[[], Any]) -> Any:
    """The entry ``kind`` + ``parts`` of the request's generation, built and stored if missing.
    ``build`` must read nothing of the learner's own."""
    if not is_enabled():
        return build()
    key = _key(request_generation(request), kind, parts)
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, TIMEOUT)
    return value


# Routing ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CachedRoute:
    """Where a URL on a site leads: the page (specific, as live at the time), the course and
    module it belongs to as Wagtail's routing found them, and the page's view restrictions."""

    site: Any
    page: Any
    course: Any
    module: Any
    view_restrictions: tuple

    def attach(self) -> None:
        """Give the pages back the parents routing gave them, so that ``get_parent`` costs no
        query (the entry is stored without them)."""
        if self.module is not None:
            self.module._cached_parent_obj = self.course
        if self.page is not self.module and self.page is not self.course:
            self.page._cached_parent_obj = self.module or self.course
        self.page._cached_view_restrictions = self.view_restrictions


def _route_parts(request, path: str) -> tuple:
    return (request._get_raw_host(), request.get_port(), path)


def _page_path(request) -> str | None:
    """The part of the request's path that leads to the page: all of it, less the sub-path a
    routable page (a quiz: ``attempts/12/``) answers itself, as ``CourseTreeRouting`` recorded
    it."""
    subpath = "".join(f"{part}/" for part in getattr(request, "_page_subpath", ()))
    if not request.path.endswith(subpath):
        return None
    return request.path[: len(request.path) - len(subpath)]


def _path_prefixes(path: str, most: int = 8) -> list[str]:
    """``/a/b/c/`` → ``/a/b/c/``, ``/a/b/``, ``/a/``: where a page may end, longest first."""
    parts = path.split("/")
    return ["/".join(parts[:end]) + "/" for end in range(len(parts) - 1, 1, -1)][:most]


def _detached(page):
    """A copy of a page without its routed parents (which would pull the whole tree above it
    into the entry)."""
    if page is None:
        return None
    copy = page.__class__.__new__(page.__class__)
    copy.__dict__ = {
        name: value
        for name, value in page.__dict__.items()
        if name not in ("_cached_parent_obj", "_cached_view_restrictions")
    }
    return copy


def route_store(request, *, page, course, module) -> None:
    """Remember where this request's URL led (called when a page was routed and served). A
    routable page is remembered under its own path, without the sub-path it answered."""
    if not is_enabled():
        return
    if getattr(request, "_course_route", None) is not None:
        return  # served from the cache already
    path = _page_path(request)
    if path is None:
        return
    from wagtail.models import Site

    restrictions = tuple(page.get_view_restrictions())
    copies = {id(obj): _detached(obj) for obj in (page, course, module) if obj is not None}
    route = CachedRoute(
        site=Site.find_for_request(request),
        page=copies[id(page)],
        course=copies[id(course)],
        module=copies[id(module)] if module is not None else None,
        view_restrictions=restrictions,
    )
    cache.set(_key(request_generation(request), ROUTE, _route_parts(request, path)), route, TIMEOUT)


def route_lookup(request) -> tuple[CachedRoute, RouteResult] | None:
    """The cached route of the page the request's path leads to, and Wagtail's route result:
    the page itself, or a routable page with the view its sub-path resolves to. One cache read
    for the path and its prefixes."""
    if not is_enabled():
        return None
    current = request_generation(request)
    keys = {
        _key(current, ROUTE, _route_parts(request, prefix)): prefix
        for prefix in _path_prefixes(request.path)
    }
    found = cache.get_many(list(keys))
    if not found:
        return None
    key = max(found, key=lambda key: len(keys[key]))
    route, subpath = found[key], request.path[len(keys[key]) :]
    if isinstance(route.page, RoutablePageMixin):
        try:
            match = route.page.resolve_subpage("/" + subpath)
        except Http404:
            return None  # Wagtail's own routing answers (a 404, or a page further down)
        request.routable_resolver_match = match
        result = RouteResult(route.page, args=tuple(match))
    elif not subpath:
        result = RouteResult(route.page)
    else:
        return None
    route.attach()
    return route, result


class RoutedFromCache:
    """For the pages the route cache serves (course, module and lesson pages, quizzes): a page
    routed from the cache brings its view restrictions along, so Wagtail's check on serving
    costs no query."""

    def get_view_restrictions(self):
        cached = getattr(self, "_cached_view_restrictions", None)
        if cached is not None:
            return cached
        return super().get_view_restrictions()


class CoursePageRoutes:
    """Middleware: a course, module or lesson URL served before is routed from the cache (no
    query), through Wagtail's own serving view, hooks and all; Wagtail reads the route and the
    site from the request (``Page.route_for_request``, ``Site.find_for_request``). Only requests
    resolved to Wagtail's serving view look in the cache; other views cost nothing."""

    def __init__(self, get_response):
        from wagtail import views

        self.get_response = get_response
        self.serve = views.serve

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is not self.serve:
            return None
        found = route_lookup(request)
        if found is not None:
            route, result = found
            request._course_route = route
            request._wagtail_site = route.site
            request._wagtail_route_for_request = result
        return None
