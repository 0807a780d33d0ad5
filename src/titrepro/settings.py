"""Django settings for titrepro, read from the environment.

Only development has defaults (STYLE.md, habit 8): in production a missing
secret or host list raises ImproperlyConfigured at start-up.

Environment variables:
- TITREPRO_ENV: "development" (default), "test" or "production".
- TITREPRO_SECRET_KEY: required in production.
- TITREPRO_ALLOWED_HOSTS: comma-separated; required in production.
- DATABASE_URL: defaults to the SQLite file TITREPRO_DATA_DIR/titrepro.sqlite3.
- TITREPRO_DATA_DIR: where the SQLite file lives (default: the current directory).
- TITREPRO_DB_STATEMENT_TIMEOUT_MS: PostgreSQL statement timeout (default 30000).
- TITREPRO_EMAIL_HOST, TITREPRO_EMAIL_HOST_USER, TITREPRO_EMAIL_HOST_PASSWORD: required in production
  (TITREPRO_EMAIL_PORT 587, TITREPRO_EMAIL_USE_TLS 1, TITREPRO_FROM_EMAIL optional).
- TITREPRO_CONTACT_EMAIL, TITREPRO_PUBLISHER, TITREPRO_HOST_NAME, TITREPRO_HOST_ADDRESS: the contact address
  of the public pages, the publisher and the host named by the legal notice; required in production.
- TITREPRO_AUDIT_KEY: the audit log's HMAC key, required in production (at least 32 characters, not the
  secret key); development derives one from the secret key.
- TITREPRO_PUBLIC_URL: the site's public address, printed on the documents (required in production).
- TITREPRO_KEYS_DIR, TITREPRO_KEYS_PASSWORD: the authorities' signing keys (titrepro.credentials.keys).
- TITREPRO_AUDIT_CHECKPOINT_FILE: the append-only checkpoint file (default TITREPRO_DATA_DIR/audit-checkpoints.jsonl).
- TITREPRO_IMPORT_MAX_ROWS: rows an import of candidates may hold (default 20000);
  TITREPRO_IMPORT_MAX_PART_BYTES: each part of an imported XLSX once uncompressed (default 20 MB).
- TITREPRO_IMPORT_JOB_SECONDS (3600), TITREPRO_IMPORT_BACKGROUND_BYTES (512 KB),
  TITREPRO_IMPORT_TIME_LIMIT_SECONDS (600): pending imports and the background worker.
- TITREPRO_MAX_BODY_BYTES (default 3 MB), TITREPRO_MAX_UPLOAD_BODY_BYTES (default 60 MB, the upload views):
  the largest request body, refused with 413 before it is read (core.middleware).
- TITREPRO_AUDIT_CHECKPOINT_EVERY: a checkpoint after every N-th audit entry's commit (default 1; 0: only
  `titrepro audit checkpoint` and `titrepro settle` write them).
"""

import hashlib
import hmac
import os
from pathlib import Path

import dj_database_url
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent

ENV = os.environ.get("TITREPRO_ENV", "development")
if ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(f"TITREPRO_ENV must be development, test or production, not {ENV!r}")
DEVELOPMENT = ENV in {"development", "test"}


def required(name: str, development_default: str) -> str:
    """Return an environment variable; only development may fall back to a default."""
    value = os.environ.get(name, "")
    if value:
        return value
    if DEVELOPMENT:
        return development_default
    raise ImproperlyConfigured(f"{name} must be set when TITREPRO_ENV={ENV}")


SECRET_KEY = required("TITREPRO_SECRET_KEY", "development-only-secret-key-never-used-in-production")
DEBUG = os.environ.get("TITREPRO_DEBUG", "1" if ENV == "development" else "0") == "1"
ALLOWED_HOSTS = [
    h.strip() for h in required("TITREPRO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h.strip()
]

DATA_DIR = Path(os.environ.get("TITREPRO_DATA_DIR", Path.cwd()))
DATABASES = {
    "default": dj_database_url.parse(
        required("DATABASE_URL", f"sqlite:///{DATA_DIR / 'titrepro.sqlite3'}"),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    timeout_ms = int(os.environ.get("TITREPRO_DB_STATEMENT_TIMEOUT_MS", "30000"))
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = f"-c statement_timeout={timeout_ms}"
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Every write transaction takes SQLite's write lock at BEGIN (a service reads, then writes:
    # taken late, two of them at once fail with "database is locked" whatever the timeout), and
    # waits up to 20 s for it; after that the API answers 409 write_conflict (core.api).
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The audit log's anchor (docs/decisions/0022-anchored-audit-checkpoints.md): every entry's hash and every
# line of the checkpoint file are MACed with this key, which the database never holds. Its own secret in
# production; development derives one from the secret key.
TITREPRO_AUDIT_KEY = required(
    "TITREPRO_AUDIT_KEY", hmac.new(SECRET_KEY.encode(), b"titrepro-audit-key", hashlib.sha256).hexdigest()
)
if not DEVELOPMENT and len(TITREPRO_AUDIT_KEY) < 32:
    raise ImproperlyConfigured("TITREPRO_AUDIT_KEY must be at least 32 characters")
if not DEVELOPMENT and TITREPRO_AUDIT_KEY == SECRET_KEY:
    raise ImproperlyConfigured("TITREPRO_AUDIT_KEY must differ from TITREPRO_SECRET_KEY")
# Outside the database, append-only; copy it to another host (docs/threat-model.md).
TITREPRO_AUDIT_CHECKPOINT_FILE = Path(
    os.environ.get("TITREPRO_AUDIT_CHECKPOINT_FILE", DATA_DIR / "audit-checkpoints.jsonl")
)
TITREPRO_AUDIT_CHECKPOINT_EVERY = int(os.environ.get("TITREPRO_AUDIT_CHECKPOINT_EVERY", "1"))
if TITREPRO_AUDIT_CHECKPOINT_EVERY < 0:
    raise ImproperlyConfigured("TITREPRO_AUDIT_CHECKPOINT_EVERY must be 0 (off) or a positive number")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "dsfr",
    "ninja",  # serves Swagger UI from our static files (no CDN) for /api/v1/docs
    # The task queue's table (docs/decisions/0021); before our apps, so candidates/admin.py can unregister it.
    "django_tasks_db",
    "titrepro.audit",
    "titrepro.core",  # lifecycles, refusals, the API error shape, forms, authority decisions (no tables)
    "titrepro.accounts",
    "titrepro.catalogue",
    "titrepro.directory",
    "titrepro.candidates",
    "titrepro.sessions",  # label exam_sessions (Django's own app is "sessions")
    "titrepro.deliberation",
    "titrepro.credentials",  # the documents issued from validated minutes, their register, the signing keys
    "titrepro.reports",  # statistics, charts, exports (reads only)
    "titrepro.demo",
]

# Background work (large imports) goes through Django's tasks framework, queued in the database:
# no broker; `titrepro db_worker` runs the tasks (`make run` starts one beside the web server).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A body over its view's cap is refused (413) before anything reads it (core; README, "Request bodies").
    "titrepro.core.middleware.RequestBodyCapMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Staff sessions end after 30 minutes idle or 12 hours in all (accounts).
    "titrepro.accounts.middleware.StaffSessionMiddleware",
    # Staff pass the second factor before /espace/, /admin/, /compte/ and session API (accounts).
    "titrepro.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# Imports of candidates (docs/candidates-import.md): at most this many rows in a file, and each part of
# an XLSX (a sheet, the shared strings) at most this many bytes once uncompressed, checked before parsing.
TITREPRO_IMPORT_MAX_ROWS = int(os.environ.get("TITREPRO_IMPORT_MAX_ROWS", "20000"))
TITREPRO_IMPORT_MAX_PART_BYTES = int(os.environ.get("TITREPRO_IMPORT_MAX_PART_BYTES", 20 * 1024 * 1024))
# A pending import (ImportJob) lives one hour; a file over TITREPRO_IMPORT_BACKGROUND_BYTES is checked
# and written by the task worker, stopped after TITREPRO_IMPORT_TIME_LIMIT_SECONDS.
TITREPRO_IMPORT_JOB_SECONDS = int(os.environ.get("TITREPRO_IMPORT_JOB_SECONDS", "3600"))
TITREPRO_IMPORT_BACKGROUND_BYTES = int(os.environ.get("TITREPRO_IMPORT_BACKGROUND_BYTES", 512 * 1024))
TITREPRO_IMPORT_TIME_LIMIT_SECONDS = int(os.environ.get("TITREPRO_IMPORT_TIME_LIMIT_SECONDS", "600"))

# Request bodies (core.middleware): uploads only to the views named here, every other body is small.
# The reverse proxy's cap (nginx client_max_body_size) must equal TITREPRO_MAX_UPLOAD_BODY_BYTES.
TITREPRO_MAX_BODY_BYTES = int(os.environ.get("TITREPRO_MAX_BODY_BYTES", 3 * 1024 * 1024))
TITREPRO_MAX_UPLOAD_BODY_BYTES = int(os.environ.get("TITREPRO_MAX_UPLOAD_BODY_BYTES", 60 * 1024 * 1024))
TITREPRO_UPLOAD_VIEWS = frozenset({"api:candidates_import", "spaces:centre_import", "spaces:candidate_portfolio"})

TITREPRO_STAFF_IDLE_SECONDS = int(os.environ.get("TITREPRO_STAFF_IDLE_SECONDS", 30 * 60))
TITREPRO_STAFF_SESSION_MAX_SECONDS = int(os.environ.get("TITREPRO_STAFF_SESSION_MAX_SECONDS", 12 * 3600))

# The reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated):
# the login throttle limits the client's address, not the proxy's (accounts/throttle.py).
TITREPRO_TRUSTED_PROXIES = [p.strip() for p in os.environ.get("TITREPRO_TRUSTED_PROXIES", "").split(",") if p.strip()]

ROOT_URLCONF = "titrepro.urls"
# Django's CSRF refusal page is in English: ours is French (JSON under /api/).
CSRF_FAILURE_VIEW = "titrepro.core.api.csrf_failure"
WSGI_APPLICATION = "titrepro.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "titrepro.accounts.spaces.workspace",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Argon2 first (docs/decisions/0013-argon2-password-hashing.md); the others only read old hashes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# The legal notice (LCEN, art. 6 III) and the contact address of the public pages: the deployment's own.
TITREPRO_CONTACT_EMAIL = required("TITREPRO_CONTACT_EMAIL", "contact@titrepro.localhost")
TITREPRO_PUBLISHER = required("TITREPRO_PUBLISHER", "Éditeur de développement (TITREPRO_PUBLISHER)")
TITREPRO_HOST_NAME = required("TITREPRO_HOST_NAME", "Hébergeur de développement (TITREPRO_HOST_NAME)")
TITREPRO_HOST_ADDRESS = required("TITREPRO_HOST_ADDRESS", "Poste local du développeur (TITREPRO_HOST_ADDRESS)")

# E-mail (invitations): printed on the console in development, SMTP from the environment in production.
DEFAULT_FROM_EMAIL = os.environ.get("TITREPRO_FROM_EMAIL", "titrepro <ne-pas-repondre@titrepro.localhost>")
# Django 6.1's MAILERS (EMAIL_BACKEND and EMAIL_HOST... are deprecated).
MAILERS: dict[str, dict[str, object]]
if DEVELOPMENT:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": required("TITREPRO_EMAIL_HOST", ""),
                "port": int(os.environ.get("TITREPRO_EMAIL_PORT", "587")),
                "username": required("TITREPRO_EMAIL_HOST_USER", ""),
                "password": required("TITREPRO_EMAIL_HOST_PASSWORD", ""),
                "use_tls": os.environ.get("TITREPRO_EMAIL_USE_TLS", "1") == "1",
            },
        }
    }

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# The cache holds the login throttling counters (accounts/throttle.py). Several
# workers must share them, so production uses the database (no broker needed;
# create the table once with `titrepro createcachetable`; `titrepro check --deploy
# --database default` fails with titrepro.E001 while it is missing: cache_table_check below).
CACHE_TABLE = "titrepro_cache"
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
        if DEVELOPMENT
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CACHE_TABLE}
    )
}


@checks.register(checks.Tags.caches, checks.Tags.database, deploy=True)
def cache_table_check(
    app_configs: object = None, databases: object = None, **kwargs: object
) -> list[checks.CheckMessage]:
    """titrepro.E001: a database cache whose table is missing (the login page would answer 500).

    A deployment check that reads the database: it runs with ``titrepro check --deploy --database default``.
    """
    from django.conf import settings as live
    from django.db import DatabaseError, connections

    if not databases:
        return []
    errors: list[checks.CheckMessage] = []
    for alias, cache in live.CACHES.items():
        if cache.get("BACKEND") != "django.core.cache.backends.db.DatabaseCache":
            continue
        table = cache["LOCATION"]
        for database in databases:  # type: ignore[attr-defined]  # an iterable of aliases
            try:
                with connections[database].cursor() as cursor:
                    exists = table in connections[database].introspection.table_names(cursor)
            except DatabaseError as error:
                errors.append(checks.Error(f"Cannot look for the cache table {table!r}: {error}", id="titrepro.E001"))
                continue
            if not exists:
                errors.append(
                    checks.Error(
                        f"The cache {alias!r} keeps its entries in the table {table!r} of the database "
                        f"{database!r}, which does not exist: logging in would fail.",
                        hint="Run `titrepro createcachetable` once, after `titrepro migrate`.",
                        id="titrepro.E001",
                    )
                )
    return errors


LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workspace:dashboard"
LOGOUT_REDIRECT_URL = "catalogue:title_list"

# Uploaded files (professional portfolios) are personal data: kept outside any
# publicly served folder and only ever sent through a view that checks the scope.
MEDIA_ROOT = Path(os.environ.get("TITREPRO_MEDIA_DIR", DATA_DIR / "private-media"))
MEDIA_URL = "/private-media/"  # never routed: no URL serves MEDIA_ROOT directly

# The authorities' signing keys and the certificates of the documents (titrepro.credentials.keys): outside the
# repository, never committed. `titrepro keys init` makes a development CA and one key per authority there.
TITREPRO_KEYS_DIR = Path(os.environ.get("TITREPRO_KEYS_DIR", DATA_DIR / "keys"))
# The public address of the site: the verification URL that each document prints, and carries in its QR code.
TITREPRO_PUBLIC_URL = required("TITREPRO_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
# The public verification's rate limits per client address (django-ratelimit: "count/period", period s, m, h).
TITREPRO_VERIFY_RATE = os.environ.get("TITREPRO_VERIFY_RATE", "30/m")
TITREPRO_VERIFY_FILE_RATE = os.environ.get("TITREPRO_VERIFY_FILE_RATE", "10/m")
# The password of the authorities' PKCS#12 files (authority-<département>.p12), when they are given that way.
TITREPRO_KEYS_PASSWORD = os.environ.get("TITREPRO_KEYS_PASSWORD", "")

STATIC_URL = "static/"
# Project-wide assets served by us (no CDN): vendored htmx (docs/decisions/0016).
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "staticfiles"

# Content Security Policy with nonces (Django's own CSP support); every asset is served by us.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
if not DEVELOPMENT:
    SECURE_SSL_REDIRECT = os.environ.get("TITREPRO_SSL_REDIRECT", "1") == "1"
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("TITREPRO_LOG_LEVEL", "INFO")},
}
