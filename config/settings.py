"""Uslugi settings: one module, every value read from the environment.

`.env.example` documents each variable. Defaults run the embedded mode: SQLite in WAL mode under
`var/`, no other server. `DATABASE_URL` switches to PostgreSQL.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("USLUGI_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)  # the embedded database and uploads live here


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no variable; "1", "true", "yes", "on" mean yes."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get(
    "DJANGO_SECRET_KEY", "insecure-development-key-set-DJANGO_SECRET_KEY-in-production"
)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "uslugi.core",
    "uslugi.accounts",
    "uslugi.rules",
    "uslugi.workdays",
    "uslugi.catalogue",
    "uslugi.constructor",
    "uslugi.applications",
    "uslugi.situations",
    "uslugi.support",
    "uslugi.feedback",
    "uslugi.quality",
    "uslugi.roadmap",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "uslugi.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "uslugi.core.middleware.SecurityHeadersMiddleware",
    "uslugi.core.middleware.UserFacingErrorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
            ],
        },
    },
]

# Database: SQLite (WAL) by default, PostgreSQL through DATABASE_URL.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if env_bool("USLUGI_PG_PREPARED", True):
        # Parameters bound by the server and statements prepared once a connection has run
        # them five times: PostgreSQL then skips parsing and planning the requests' repeated
        # lookups and inserts. Off (USLUGI_PG_PREPARED=0) behind a pooler in transaction mode,
        # which cannot keep a connection's prepared statements.
        DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 5}
else:
    DATABASES = {
        "default": {
            # Django's SQLite backend, with a process's threads queueing for the write lock.
            "ENGINE": "uslugi.core.sqlite",
            "NAME": str(VAR_DIR / "uslugi.sqlite3"),
            "CONN_MAX_AGE": 60,
            # Tests run in memory: spelled out, since pytest-xdist recognises only Django's own
            # SQLite engine and would otherwise give each worker a file named after `NAME`.
            "TEST": {"NAME": ":memory:"},
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Axes refuses a locked-out username and address first; ModelBackend (Django's, reading the
# logged-in user with a statement built once) then authenticates a local account,
# IdentityProviderBackend a person the OpenID Connect provider vouched for.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "uslugi.accounts.backends.ModelBackend",
    "uslugi.accounts.oidc.IdentityProviderBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "catalogue:home"  # staff land on their own start page (accounts.services)
LOGOUT_REDIRECT_URL = "catalogue:home"

# Login throttling (django-axes): lock an account and address pair after repeated failures.
AXES_FAILURE_LIMIT = int(os.environ.get("USLUGI_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "uslugi.accounts.views.locked_out"  # a 429 page in the visitor's language

# OpenID Connect login through a region's identity provider (ESIA-compatible); off by default.
# Endpoints are discovered from {OIDC_ISSUER}/.well-known/openid-configuration unless the
# authorization, token and JWKS endpoints are all given; a given endpoint wins over discovery.
OIDC_ENABLED = env_bool("OIDC_ENABLED", False)
OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "")
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "")
OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
OIDC_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_TOKEN_ENDPOINT = os.environ.get("OIDC_TOKEN_ENDPOINT", "")
OIDC_USERINFO_ENDPOINT = os.environ.get("OIDC_USERINFO_ENDPOINT", "")
OIDC_JWKS_URI = os.environ.get("OIDC_JWKS_URI", "")
OIDC_SCOPES = os.environ.get("OIDC_SCOPES", "openid profile email")
OIDC_TOKEN_ENDPOINT_AUTH_METHOD = os.environ.get(
    "OIDC_TOKEN_ENDPOINT_AUTH_METHOD", "client_secret_basic"
)
OIDC_SIGNING_ALGORITHMS = env_list("OIDC_SIGNING_ALGORITHMS", "RS256")
OIDC_TIMEOUT = float(os.environ.get("OIDC_TIMEOUT", "10"))  # seconds per request to the provider
# Claim names: ESIA-style person claims by default; an empty name ignores that claim.
OIDC_CLAIM_FAMILY_NAME = os.environ.get("OIDC_CLAIM_FAMILY_NAME", "family_name")
OIDC_CLAIM_GIVEN_NAME = os.environ.get("OIDC_CLAIM_GIVEN_NAME", "given_name")
OIDC_CLAIM_MIDDLE_NAME = os.environ.get("OIDC_CLAIM_MIDDLE_NAME", "middle_name")
OIDC_CLAIM_EMAIL = os.environ.get("OIDC_CLAIM_EMAIL", "email")
OIDC_CLAIM_SNILS = os.environ.get("OIDC_CLAIM_SNILS", "snils")

# Russian first, English complete.
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Moscow"
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every start while it is missing
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
# WhiteNoise serves static files straight from the app folders, so no collectstatic step is needed
# for `make run`; a production deployment may still run collectstatic into STATIC_ROOT.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# Public uploads (curator photos, under media/curators/) are served by Django in the embedded mode;
# behind a reverse proxy set USLUGI_SERVE_MEDIA=false and let the proxy serve that folder only.
# Applicants' files and result documents are never served as media: views check who asks.
SERVE_MEDIA = env_bool("USLUGI_SERVE_MEDIA", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Security headers; HTTPS-only settings follow DJANGO_SECURE_HTTPS.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Database sessions, read with a statement built once (uslugi.accounts.sessions).
SESSION_ENGINE = "uslugi.accounts.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_HTTPS = env_bool("DJANGO_SECURE_HTTPS", False)
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SECURE_SSL_REDIRECT = SECURE_HTTPS
SECURE_HSTS_SECONDS = 31536000 if SECURE_HTTPS else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE_HTTPS else None

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "uslugi@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

NINJA_PAGINATION_PER_PAGE = 50

# Background work (Django's Tasks API through the django-tasks backport): the database queue by
# default, served by `manage.py db_worker` (started by `make run`); tests run tasks immediately.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "USLUGI_TASKS_BACKEND", "uslugi.core.task_backend.DatabaseBackend"
        ),
    }
}
# SMS goes through a gateway behind an interface; the logging gateway writes messages to the log.
SMS_GATEWAY = os.environ.get("USLUGI_SMS_GATEWAY", "uslugi.applications.sms.LoggingGateway")
