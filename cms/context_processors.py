from django.conf import settings
from django.urls import translate_url
from django.utils import translation


def languages(request):
    """Links to the current page in every language, for the switch in the page header."""
    current = translation.get_language()
    path = request.get_full_path()
    return {
        "language_links": [
            {
                "code": code,
                "name": name,
                "url": translate_url(path, code),
                "current": code == current,
            }
            for code, name in settings.LANGUAGES
        ]
    }
