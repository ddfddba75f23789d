"""The site's own addresses plus ``/bench/bare/``: a view that does nothing but answer, to measure
what the server, Django and the middleware cost before any page does its own work."""

from django.http import HttpResponse
from django.urls import path

from cms.urls import urlpatterns as site_urlpatterns


def bare(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), *site_urlpatterns]
