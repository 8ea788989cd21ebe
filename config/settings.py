"""Clausewatch settings, read from environment variables (see README, "Configuration").

Without ``DATABASE_URL`` the quick start runs on SQLite under ``var/`` (WAL,
immediate transactions); tests and production set a PostgreSQL URL.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("CLAUSEWATCH_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", default=False)

# Outside debug, a secret that is set must be a real one (checked here, at start-up);
# one that is absent stays empty, so tooling that never signs or hashes anything
# (makemigrations, check) runs without secrets, while the processes that would use
# them refuse to start (config/secrets.py: WSGI, ASGI, Celery workers) and any use
# of an empty one raises (Django for SECRET_KEY, accounts/keys.py for the pepper).
_DEV_SECRET = "insecure-development-key-only-for-debug-mode-0123456789abcdef"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not DEBUG and SECRET_KEY == _DEV_SECRET:
    raise ImproperlyConfigured("SECRET_KEY must be set to a real secret when DJANGO_DEBUG is off.")

# API keys are stored as HMAC-SHA256 under this pepper, kept apart from SECRET_KEY so
# that one leaked secret (or a database dump) is not enough to forge or test keys.
_DEV_PEPPER = "insecure-development-pepper-only-for-debug-mode"
API_KEY_PEPPER = env_str("API_KEY_PEPPER", _DEV_PEPPER if DEBUG else "")
_PEPPER_SET = "API_KEY_PEPPER" in os.environ  # set, even to "": it must be a real one
if not DEBUG and _PEPPER_SET and (API_KEY_PEPPER == _DEV_PEPPER or len(API_KEY_PEPPER) < 32):
    raise ImproperlyConfigured(
        "API_KEY_PEPPER must be a real secret of at least 32 characters in production."
    )
if API_KEY_PEPPER and API_KEY_PEPPER == SECRET_KEY:
    raise ImproperlyConfigured("API_KEY_PEPPER must differ from SECRET_KEY.")
ACCOUNT_DELETION_GRACE_DAYS = env_int("ACCOUNT_DELETION_GRACE_DAYS", 30, minimum=0)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "django_prometheus",
    "accounts",
    "governance",
    "monitoring",
]

MIDDLEWARE = [
    # First and last: the Prometheus pair times and counts everything in between.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # Before the rest, so even an HTTPS redirect or a 400 carries X-Request-ID.
    "accounts.request_context.RequestIdMiddleware",
    # Outside Django's own middleware, so their error pages (a bad Host header ...)
    # are reshaped as problems under /api/ too.
    "accounts.http.middleware.ApiProblemMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _database_config() -> dict:
    url = env_str("DATABASE_URL", "")
    if url:
        try:
            config = dj_database_url.parse(url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
        except ValueError as exc:
            raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from None
        config["CONN_HEALTH_CHECKS"] = True
        return config
    # SQLite for the quick start: WAL lets readers run beside the one writer, and
    # IMMEDIATE transactions take the write lock up front instead of failing on upgrade.
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "clausewatch.sqlite3",
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


DATABASES = {"default": _database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"

# Raw snapshots go through Django's storage API: the filesystem here, any
# S3-compatible store in production by swapping the "snapshots" backend.
SNAPSHOT_ROOT = Path(env_str("SNAPSHOT_ROOT", str(VAR_DIR / "snapshots")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "snapshots": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": SNAPSHOT_ROOT},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The demo history (Open Terms Archive GenAI Contrib, ODC-BY 1.0), read in place.
CORPUS_DIR = Path(env_str("CORPUS_DIR", str(BASE_DIR.parent / "shared" / "corpus")))

REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
# Prefix of the rate-limit counters in Redis (tests give each test its own).
RATE_LIMIT_NAMESPACE = env_str("RATE_LIMIT_NAMESPACE", "clausewatch")

# Rendered API bodies that cannot change under their key (a version's detail, a page of
# a document's versions), in Redis; see governance/api/cache.py. A cache that fails is
# skipped, never an error. API_CACHE_SECONDS bounds how long a body made by an older
# deployment can outlive it (0 disables the cache); API_CACHE_NAMESPACE starts afresh.
API_CACHE_NAMESPACE = env_str("API_CACHE_NAMESPACE", "v1")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "api": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "clausewatch:api",
        "TIMEOUT": env_int("API_CACHE_SECONDS", 3600, minimum=0),
        # Short: an unreachable Redis must cost a request little before it is skipped.
        "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
    },
}

# Monitoring: fetching and scheduling (see monitoring/fetching.py and services.py).
FETCH_ALLOWED_ADDRESSES = env_list("FETCH_ALLOWED_ADDRESSES")  # host:port, tests/dev only
FETCH_MAX_BYTES = env_int("FETCH_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
FETCH_CONNECT_TIMEOUT = env_int("FETCH_CONNECT_TIMEOUT", 10, minimum=1)
FETCH_READ_TIMEOUT = env_int("FETCH_READ_TIMEOUT", 30, minimum=1)
FETCH_USER_AGENT = env_str(
    "FETCH_USER_AGENT", "Clausewatch/1.0 (governance monitor; +https://clausewatch.example/bot)"
)
HOST_MIN_DELAY_MS = env_int("HOST_MIN_DELAY_MS", 1000, minimum=0)
CHECK_LEASE_SECONDS = env_int("CHECK_LEASE_SECONDS", 900, minimum=30)
CHECK_BATCH_SIZE = env_int("CHECK_BATCH_SIZE", 500, minimum=1)
CHECK_RETENTION_DAYS = env_int("CHECK_RETENTION_DAYS", 90, minimum=1)
# A capture that looks broken (error page, most text gone) is rechecked this soon.
SUSPECT_RECHECK_MINUTES = env_int("SUSPECT_RECHECK_MINUTES", 15, minimum=1)
UNHEALTHY_AFTER_FAILURES = env_int("UNHEALTHY_AFTER_FAILURES", 3, minimum=1)
# The queue of document checks; the worker tests give their workers a queue of their own.
CHECK_QUEUE = env_str("CHECK_QUEUE", "fetch")
# First retry of a transient failure after about this long, then doubling (jittered).
CHECK_RETRY_BACKOFF_SECONDS = env_int("CHECK_RETRY_BACKOFF_SECONDS", 10, minimum=1)

CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 240, minimum=1)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300, minimum=1)
# A message not acknowledged within the visibility timeout is delivered again.
# It must outlast the hard time limit, or a long task still running would be
# handed to a second worker while the first is still on it.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=1),
}
if CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("CELERY_VISIBILITY_TIMEOUT must exceed CELERY_TASK_TIME_LIMIT.")
# Each entry expires before its next run, so a backlog never piles up duplicates.
CELERY_BEAT_SCHEDULE = {
    "beat-heartbeat": {
        "task": "monitoring.tasks.beat_heartbeat_task",
        "schedule": timedelta(seconds=60),
        "options": {"expires": 55},
    },
    "checks-dispatch": {
        "task": "monitoring.tasks.checks_dispatch_task",
        "schedule": timedelta(seconds=60),
        "options": {"expires": 55},
    },
    "checks-prune": {
        "task": "monitoring.tasks.checks_prune_task",
        "schedule": timedelta(hours=24),
        "options": {"expires": 3600},
    },
    # Closed accounts are erased once ACCOUNT_DELETION_GRACE_DAYS have passed.
    "organizations-erase": {
        "task": "accounts.tasks.organizations_erase_due_task",
        "schedule": timedelta(hours=1),
        "options": {"expires": 3000},
    },
    "idempotency-prune": {
        "task": "accounts.tasks.idempotency_records_prune_task",
        "schedule": timedelta(hours=1),
        "options": {"expires": 3000},
    },
}
CELERY_TASK_ROUTES = {
    "monitoring.tasks.document_check_task": {"queue": CHECK_QUEUE},
}
# /readyz calls beat "stale" when its heartbeat (written every 60 s) is older than this.
BEAT_STALE_AFTER_SECONDS = env_int("BEAT_STALE_AFTER_SECONDS", 180, minimum=1)

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "accounts.http.schema.ClausewatchAutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    # Authentication, permissions and throttles are set once, on accounts.http.viewsets.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "accounts.http.pagination.TimeCursorPagination",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "accounts.http.negotiation.StrictContentNegotiation",
    "EXCEPTION_HANDLER": "accounts.http.problems.problem_exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Clausewatch API",
    "DESCRIPTION": (
        "Evidence-grade archive of AI platforms' governance documents. Contains data "
        "from the Open Terms Archive GenAI Contrib collection "
        "(https://github.com/OpenTermsArchive/genai-contrib-versions), by Open Terms "
        "Archive contributors, licensed under ODC-BY 1.0."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "accounts.http.schema.add_problem_responses",
    ],
}

LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every line says which request, organisation and task it belongs to (None outside one).
    "filters": {"request_context": {"()": "accounts.request_context.RequestContextFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": (
                "%(asctime)s %(levelname)s %(name)s %(message)s "
                "%(request_id)s %(organization_id)s %(task_id)s"
            ),
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_context"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    # Probes and scrapes reach the process directly over plain HTTP (TLS ends at the
    # proxy): a redirect to https would fail them. Paths are regexes without the "/".
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
