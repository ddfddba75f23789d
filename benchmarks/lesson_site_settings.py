"""Settings for the lesson-page benchmark: the production settings as they are, with a urlconf
that adds one bare view beside the site's own addresses (``benchmarks/lesson_site_urls.py``).

The environment supplies what production asks for (SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL,
STATIC_ROOT) and SECURE_SSL_REDIRECT=0, since the benchmark talks plain HTTP to 127.0.0.1.
"""

from cms.settings.production import *  # noqa: F403

ROOT_URLCONF = "benchmarks.lesson_site_urls"
