"""Test settings: speed only. The database comes from DATABASE_URL (SQLite or PostgreSQL)."""

import os

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-" + "t" * 40)

from .base import *  # noqa: F403
from .base import DATABASES, TASK_QUEUES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
    },
    "fragment-rows": {
        "BACKEND": "digikunta.core.cache.StringMemoryCache",
        "LOCATION": "fragment-rows",
    },
}
# Tasks run at once, in the test's process; enqueued on commit like in production
# (core/tasks.py), so a test sees them after django_capture_on_commit_callbacks(execute=True).
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": TASK_QUEUES,
    },
}
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
# The search engine's indexes in memory, one per test (conftest.py resets them).
SEARCH_INDEX_DIR = None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_SQLITE_NAME", "")}
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
