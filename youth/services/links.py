"""Absolute links for emails: from the request that caused them when there is one (the address
the person is using), else from ``WAGTAILADMIN_BASE_URL`` (``SITE_URL``)."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation


def absolute_url(viewname: str, *, args=(), language: str, request=None) -> str:
    with translation.override(language):
        path = reverse(viewname, args=args)
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
