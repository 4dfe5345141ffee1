# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""Django settings for the dualuse service.

Configured from the environment (12-factor), hardened by default:
- DUALUSE_SECRET_KEY: required; only the demo (`dualuse serve --demo`, DUALUSE_DEMO=1) falls back to
  a random key kept in the data directory.
- DUALUSE_DEBUG=1: development only; off by default.
- DUALUSE_DATABASE_URL: `postgresql://...` or `sqlite:///path`; default SQLite (WAL) in data dir.
- DUALUSE_DATA_DIR: where the SQLite database, uploads and the demo key live
  (default `$XDG_DATA_HOME/dualuse` or `~/.local/share/dualuse`).
- DUALUSE_LISTS_DIR: the list store `dualuse lists update` writes and screening reads
  (default data dir/lists).
- DUALUSE_ALLOWED_HOSTS: comma-separated (default loopback names).
- DUALUSE_HTTPS=1: behind TLS; secure cookies, HSTS, redirect.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from dualuse.service.database import database_from_url, sqlite_config

SERVICE_DIR = Path(__file__).resolve().parent


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def _data_dir() -> Path:
    explicit = os.environ.get("DUALUSE_DATA_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_DATA_HOME")
    return (Path(xdg) if xdg else Path.home() / ".local" / "share") / "dualuse"


DATA_DIR = _data_dir()
DEMO = _flag("DUALUSE_DEMO")
DEBUG = _flag("DUALUSE_DEBUG")
HTTPS = _flag("DUALUSE_HTTPS")


def _secret_key() -> str:
    key = os.environ.get("DUALUSE_SECRET_KEY", "")
    if key:
        if len(key) < 32:
            raise ImproperlyConfigured("DUALUSE_SECRET_KEY must be at least 32 characters")
        return key
    if not (DEMO or DEBUG):
        raise ImproperlyConfigured(
            "DUALUSE_SECRET_KEY is not set; only the local demo (dualuse serve --demo) runs without"
        )
    # Demo/development only: a random key kept beside the demo database, never a constant.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / "demo-secret-key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("DUALUSE_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # its own Swagger UI files, so /api/docs loads nothing from a CDN
    "dualuse.service.organisations",
    "dualuse.service.audit",
    "dualuse.service.catalogue",
    "dualuse.service.checks",
    "dualuse.service.cases",
    "dualuse.service.licences",
    "dualuse.service.denials",
    "dualuse.service.lists",
    "dualuse.service.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "dualuse.service.web.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "dualuse.service.lists.middleware.ListChangeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "dualuse.service.urls"
WSGI_APPLICATION = "dualuse.service.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SERVICE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dualuse.service.web.context.actor",
            ],
        },
    }
]

_url = os.environ.get("DUALUSE_DATABASE_URL", "")
if _url:
    DATABASES = {"default": database_from_url(_url)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)  # the embedded database lives in the data dir
    DATABASES = {"default": sqlite_config(DATA_DIR / "dualuse.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [SERVICE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [SERVICE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "uploads"

# The one list store party screening reads: the snapshots `dualuse lists update` writes there
# (found the same way: DUALUSE_LISTS_DIR, else <data dir>/lists). Without lists screening cannot
# run, and cases stay blocked until it does.
if os.environ.get("DUALUSE_SCREENING_LISTS"):
    raise ImproperlyConfigured(
        "DUALUSE_SCREENING_LISTS is no longer read: the service screens with the list store of "
        "`dualuse lists update`; set DUALUSE_LISTS_DIR (for both) instead"
    )
SCREENING_LISTS_DIR = Path(os.environ.get("DUALUSE_LISTS_DIR", "") or DATA_DIR / "lists")

# Uploads (end-use statements, ICP evidence): size is checked by the form as well.
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
