"""Digikunta settings: everything is read from the environment, with safe development defaults.

Production deployments use ``digikunta.settings.production``, which adds the HTTPS-only
settings on top of this module; tests use ``digikunta.settings.test``.
"""

import os
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# Django's generic classes (QuerySet, ModelAdmin, ModelChoiceField…) accept the type
# parameters that django-stubs gives them, as in `class F(ModelChoiceField[Theme])` (ADR 0017).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("DIGIKUNTA_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set SECRET_KEY in the environment (or DEBUG=1 for development)."
        )
    SECRET_KEY = "development-only-not-secret-" + "x" * 32
# Earlier keys, comma-separated, while a new SECRET_KEY is rolled out: signed links already
# sent (one-click unsubscribe in notification e-mail) keep working.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The public address, for links in e-mails sent outside a request (follow-ups, notifications).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "digikunta.core",
    "digikunta.accounts",
    "digikunta.audit",
    "digikunta.search",
    "digikunta.moderation",
    "digikunta.municipalities",
    "digikunta.organisations",
    "digikunta.notifications",
    "digikunta.experiments",
    "digikunta.casebank",
    "digikunta.funding",
    "digikunta.participation",
    "digikunta.budgeting",
    "digikunta.panels",
    "digikunta.surveys",
    "digikunta.api",
    "digikunta.mine",
    "digikunta.home",
    "digikunta.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "template_partials",
    "csp",
    "rules.apps.AutodiscoverRulesConfig",
    "ninja",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "digikunta.core.middleware.RequestLogMiddleware",
    "digikunta.core.links.RequestLinksMiddleware",  # absolute links from the request
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "digikunta.core.limits.RequestBodyLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "digikunta.accounts.backends.AuthenticationMiddleware",  # Django's, the person preloaded
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "digikunta.core.middleware.PrivatePagesMiddleware",
    "digikunta.accounts.middleware.StaffTwoFactorMiddleware",
    "digikunta.core.middleware.FormErrorStatusMiddleware",
    "digikunta.core.repeats.RepeatedRequestMiddleware",
]

ROOT_URLCONF = "digikunta.urls"
WSGI_APPLICATION = "digikunta.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "digikunta.core.context_processors.site",
            ],
            "builtins": [
                "django.templatetags.i18n",
                "template_partials.templatetags.partials",
                "digikunta.core.templatetags.submission",
            ],
        },
    },
    {
        # The hot pages and the site's shell, from <app>/jinja2/ (docs/decisions/0016).
        "NAME": "jinja2",
        "BACKEND": "digikunta.core.jinja.Jinja2",
        "DIRS": [BASE_DIR / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "digikunta.core.jinja.environment",
            "context_processors": [
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "digikunta.core.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite by default (under var/), PostgreSQL in production through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'digikunta.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        # Off by default, as in Django: a check is one more round trip on every request
        # (issue 9). A connection the server dropped fails one request, and is then replaced.
        conn_health_checks=os.environ.get("CONN_HEALTH_CHECKS", "0") == "1",
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Parameters bound by the server, and a statement run five times on a connection is
    # prepared: PostgreSQL then skips parsing and planning the few statements every request
    # makes (the session's: 0.57 ms → 0.21 ms). Not with PgBouncer in transaction mode:
    # DB_PREPARE_THRESHOLD= (empty) turns it off.
    _prepare = os.environ.get("DB_PREPARE_THRESHOLD", "5")
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": int(_prepare) if _prepare else None}
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL plus IMMEDIATE transactions keep concurrent htmx requests from "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
            " PRAGMA foreign_keys=ON; PRAGMA cache_size=-16000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    # Connections are kept (CONN_MAX_AGE, as on PostgreSQL): each keeps its 16 MB page cache
    # of hot index pages from one request to the next instead of reopening the file (issue 9).
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "digikunta_cache",
        # Rate-limit counters and one page-cache version per public object (ADR 0012): room for
        # every experiment of the country, so versions are seldom culled (culling is safe, only
        # costs renders).
        "OPTIONS": {"MAX_ENTRIES": 200_000},
    },
    # Whole pages for anonymous visitors, shared by the workers of one host
    # (core/pagecache.py, ADR 0009).
    "pages": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": VAR_DIR / "pages",
        "OPTIONS": {"MAX_ENTRIES": 3000},
    },
    # Parts of pages shared by many viewers, signed in too (core/fragments.py, ADR 0013): in
    # each worker's memory, least recently used first out, so a worker's RSS stays bounded.
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("FRAGMENT_CACHE_ENTRIES", "2000"))},
    },
    # The rows of listings (case-bank cards, API items; fragments.shared_rows): 0.5–2 kB each,
    # so ten times as many fit in less memory, and 300 filter combinations do not push out
    # one another's cards.
    "fragment-rows": {
        "BACKEND": "digikunta.core.cache.StringMemoryCache",  # strings kept as they are
        "LOCATION": "fragment-rows",
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("FRAGMENT_ROW_ENTRIES", "20000"))},
    },
}
# 0 turns the page cache off; writes invalidate it at once, this only bounds what signals miss.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))
# Case-bank search, facets and counts from a Tantivy index beside the database (ADR 0014):
# "tantivy", or "database" for SQL alone. One directory per database under SEARCH_INDEX_DIR.
SEARCH_ENGINE = os.environ.get("SEARCH_ENGINE", "tantivy")
SEARCH_INDEX_DIR: Path | None = Path(os.environ.get("SEARCH_INDEX_DIR", VAR_DIR / "search"))
# 0 turns the fragment cache off; registered writes make new keys, this bounds the rest.
FRAGMENT_CACHE_SECONDS = int(os.environ.get("FRAGMENT_CACHE_SECONDS", "300"))

# --- Background tasks (core/tasks.py, ADR 0011) ------------------------------------------------
# Rows in our own database, run by `digikunta db_worker`: no extra server, SQLite or PostgreSQL.
TASK_QUEUES = ["default", "embeddings"]
TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES},
}
# Finished task rows are deleted after this many days (failed ones too, so the status page
# shows a bounded list); they hold e-mail addresses and rendered messages until then.
TASK_RESULT_RETENTION_DAYS = int(os.environ.get("TASK_RESULT_RETENTION_DAYS", "14"))
# A task RUNNING longer than this lost its worker: release_stale_tasks (daily) ends it as
# FAILED and queues an idempotent one again. Keep it above the longest task.
TASK_RUNNING_TIMEOUT_SECONDS = int(os.environ.get("TASK_RUNNING_TIMEOUT_SECONDS", "3600"))
# Queued once a day by `digikunta enqueue_daily` (a systemd timer; docs/operations.md).
DAILY_TASKS = [
    "digikunta.experiments.tasks.send_follow_ups",
    "digikunta.notifications.tasks.send_digests",
    "digikunta.funding.tasks.send_report_reminders",
    "digikunta.organisations.tasks.purge_invitations",
    "digikunta.audit.tasks.purge_audit",
    "digikunta.core.tasks.clear_sessions",
    "digikunta.core.tasks.prune_task_results",
    "digikunta.core.tasks.release_stale_tasks",
]

# Items of notification digests are deleted this many days after their digest was sent.
NOTIFICATION_RETENTION_DAYS = int(os.environ.get("NOTIFICATION_RETENTION_DAYS", "30"))

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    # allauth's sign-in; each request's person read with their roles (a ModelBackend too)
    "digikunta.accounts.backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},  # ASVS 2.1.1
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Common words, names and passwords with digits or symbols around them (fi, sv; issue 8).
    {"NAME": "digikunta.accounts.passwords.CommonWordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "mine:dashboard"  # Oma Digikunta: what waits for the person

ACCOUNT_ADAPTER = "digikunta.accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Digikunta] "
# Tell the person when their password, e-mail addresses or second factor change (ASVS 2.2.3).
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG else "http"
# Login throttling: failed logins per IP and per account (allauth's rate limits, in the cache).
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Digikunta"
# One 30-second period either way: clocks on phones drift.
MFA_TOTP_TOLERANCE = 1
MFA_RECOVERY_CODE_COUNT = 10
MFA_ADAPTER = "allauth.mfa.adapter.DefaultMFAAdapter"

# Rate limits on our own form posts (django-ratelimit); answered with 429.
RATELIMIT_FORM_POSTS = os.environ.get("RATELIMIT_FORM_POSTS", "60/m")
# Behind N reverse proxies, the client's address is the Nth from the right in X-Forwarded-For.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
RATELIMIT_IP_META_KEY = "digikunta.core.ratelimit.client_ip"
# How much one person may post (moderation.services.check_may_post, docs/moderation.md): per
# kind of content, "<count>/<m|h|d>" for a minute, an hour or a day, counted from the database.
# The next post past a limit is answered 429 with a message that says when to try again.
MODERATION_POST_LIMITS = {
    "journal_entry": ("10/m", "100/d"),
    "comment": ("10/m", "100/d"),
    "idea": ("5/h",),
    "report": ("10/m", "50/d"),
}

# --- Languages and formats ------------------------------------------------------------------
LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [PROJECT_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Helsinki"
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["digikunta.formats"]  # Swedish dates as in Finland (1.3.2026)
LANGUAGE_COOKIE_NAME = "digikunta_language"

# --- Static and media files -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {
        "BACKEND": os.environ.get("MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage")
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# A whole multipart form: the largest upload (a 20 MB journal attachment) and its fields.
UPLOAD_MAX_REQUEST_SIZE = 25 * 1024 * 1024

# --- E-mail ---------------------------------------------------------------------------------
# In development every message is a file under var/mail/ (one per sending process and
# moment), never text on the terminal: `make run` prints only the logins.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = Path(os.environ.get("EMAIL_FILE_PATH", VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Digikunta <noreply@digikunta.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where vulnerabilities are reported (/.well-known/security.txt, RFC 9116; docs/security.md).
SECURITY_CONTACT = os.environ.get("SECURITY_CONTACT", "mailto:security@digikunta.invalid")
SECURITY_POLICY_URL = os.environ.get("SECURITY_POLICY_URL", "")

# --- Security -------------------------------------------------------------------------------
# The database's, the person's id in a column: a session, its person and roles in one SELECT
SESSION_ENGINE = "digikunta.accounts.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- API ------------------------------------------------------------------------------------
API_PAGE_SIZE = 50
API_MAX_PAGE_SIZE = 500
NINJA_PAGINATION_CLASS = "digikunta.api.pagination.PagePagination"

# --- Participation ------------------------------------------------------------------------
# An idea's place is an address; its latitude and longitude are asked only when a map can show
# them: the operator's own tile server (nothing is fetched from elsewhere at run time).
MAP_TILES_URL = os.environ.get("MAP_TILES_URL", "")

# --- Privacy --------------------------------------------------------------------------------
AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", "730"))

# --- Logging: one JSON object per line, never personal data ---------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",  # ISO 8601 in UTC
        }
    },
    "filters": {"no_personal_data": {"()": "digikunta.core.logging.PersonalDataFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["no_personal_data"],
        },
        # A logger with no handler at all falls back to Python's "last resort" on stderr.
        "none": {"class": "logging.NullHandler"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own messages once, as JSON lines like ours: not again as Django's plain
        # text in development. `make run` sets LOG_LEVEL=WARNING, so it shows only problems.
        "django": {
            "handlers": ["console"],
            "level": os.environ.get("LOG_LEVEL", "INFO"),
            "propagate": False,
        },
        # Our request log replaces these: theirs carry full URLs with query strings.
        "django.server": {"handlers": ["none"], "propagate": False},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

FORM_RENDERER = "digikunta.core.forms.FormRenderer"
FORMS_URLFIELD_ASSUME_HTTPS = True
