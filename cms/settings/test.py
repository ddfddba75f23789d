"""The test suite: SQLite in memory unless DATABASE_URL names a server; Celery eager unless a
test starts a real worker (the ``celery_worker`` marker)."""

import os
from pathlib import Path

# One file-system broker folder per test process, shared with the worker it starts (the worker
# inherits the environment), so parallel test runs never take each other's messages.
if not os.environ.get("CELERY_BROKER_URL"):
    os.environ.setdefault(
        "CELERY_FILESYSTEM_BROKER_DIR",
        str(Path(__file__).resolve().parents[2] / "var" / "test-broker" / str(os.getpid())),
    )

# Uploaded and private files (certificate PDFs, import files) in folders of this test process's
# own, shared with the worker it starts, never in the laptop's demo folders under var/.
_FILES = Path(__file__).resolve().parents[2] / "var" / "test-files" / str(os.getpid())
os.environ.setdefault("MEDIA_ROOT", str(_FILES / "media"))
os.environ.setdefault("PRIVATE_ROOT", str(_FILES / "private"))

from .base import *  # noqa: E402, F403

DEBUG = False
SECRET_KEY = "test-only-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = os.environ.get("CELERY_TASK_ALWAYS_EAGER", "1") == "1"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
WAGTAILADMIN_BASE_URL = "http://testserver"
ALLOWED_HOSTS = ["*"]

# A file, not memory, so that a real Celery worker process (tests marked ``celery_worker``) and
# the live server see the same data; one file per test process so parallel runs never collide.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(VAR_DIR / "test-databases" / f"test-{os.getpid()}.sqlite3")  # noqa: F405
    }
    (VAR_DIR / "test-databases").mkdir(parents=True, exist_ok=True)  # noqa: F405

# Static files come from the app folders through the finders; no collectstatic in tests.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405

# One process serves and edits the content, so its local-memory cache may keep the course pages'
# shared parts and the quizzes' pools, as Redis does in production.
CACHE_IS_SHARED = True
