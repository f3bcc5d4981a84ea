"""Settings driven by environment variables.

The defaults give a safe local demo (SQLite, DEBUG on, loopback only). With DJANGO_DEBUG=false the
app refuses to start unless SECRET_KEY and ALLOWED_HOSTS come from the environment.
"""

from decimal import Decimal
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()  # settings come from the process environment only (no .env file)

DEBUG = env.bool("DJANGO_DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env.str(
        "SECRET_KEY", default="finsam-local-demo-key-not-for-production-use-0123456789"
    )
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
else:
    try:
        SECRET_KEY = env.str("SECRET_KEY")
        ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
    except ImproperlyConfigured as exc:
        raise ImproperlyConfigured(
            "With DJANGO_DEBUG=false, SECRET_KEY and ALLOWED_HOSTS must be set in the environment."
        ) from exc
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must not be empty when DJANGO_DEBUG=false.")

# Participant register (finsam.participants): the HMAC secret that pseudonymises identity numbers
# and the Fernet keys (newest first) that encrypt names and contact details. The demo values are
# public: with DJANGO_DEBUG=false both must come from the environment, like SECRET_KEY.
if DEBUG:
    PARTICIPANT_HASH_SECRET = env.str(
        "PARTICIPANT_HASH_SECRET", default="finsam-demo-participant-hash-secret-not-for-production"
    )
    PARTICIPANT_ENCRYPTION_KEYS = env.list(
        "PARTICIPANT_ENCRYPTION_KEYS", default=["Zmluc2FtLWRlbW8ta2V5LW5vdC1mb3ItcHJvZHVjdGk="]
    )
else:
    try:
        PARTICIPANT_HASH_SECRET = env.str("PARTICIPANT_HASH_SECRET")
        PARTICIPANT_ENCRYPTION_KEYS = env.list("PARTICIPANT_ENCRYPTION_KEYS")
    except ImproperlyConfigured as exc:
        raise ImproperlyConfigured(
            "With DJANGO_DEBUG=false, PARTICIPANT_HASH_SECRET and PARTICIPANT_ENCRYPTION_KEYS must "
            "be set in the environment."
        ) from exc
    if len(PARTICIPANT_HASH_SECRET.encode()) < 32 or not PARTICIPANT_ENCRYPTION_KEYS:
        raise ImproperlyConfigured(
            "PARTICIPANT_HASH_SECRET must be at least 32 bytes and PARTICIPANT_ENCRYPTION_KEYS "
            "must hold at least one key."
        )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "finsam.core",
    "finsam.accounts",
    "finsam.organisation",
    "finsam.economy",
    "finsam.funding",
    "finsam.participants",
    "finsam.reporting",
    "finsam.goals",
    "finsam.indicators",
    "finsam.documents",
    "finsam.publishing",
    "finsam.insights",
    "finsam.oversight",
    "finsam.dashboard",
    "finsam.demo",
    # After Finsam's apps, so that finsam/accounts/templates overrides allauth's templates.
    "allauth",
    "allauth.account",
    "allauth.mfa",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "finsam.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "finsam.core.uploads.UploadSizeLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A user whose roles require a second factor and who has none is sent to set one up first.
    "finsam.organisation.second_factor.SecondFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
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
                "finsam.organisation.context_processors.tenancy",
            ],
            "builtins": ["finsam.core.templatetags.sek"],
        },
    }
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'finsam.sqlite3'}")
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # A web process keeps its connection between requests instead of opening one per request
    # (a new PostgreSQL backend costs the server a process start); a dropped one is noticed
    # before it is used.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # The register's statistics read an association's enrolments through their indexes; with
    # PostgreSQL's default random_page_cost (4, tuned for spinning disks) the planner instead
    # scans every exit survey of the installation. 1.1 is the usual value for SSD or a database
    # that fits in memory; set DATABASE_RANDOM_PAGE_COST=4 for spinning disks.
    # Read as a Decimal, so that nothing but a number reaches the connection's options string.
    random_page_cost = Decimal(env.str("DATABASE_RANDOM_PAGE_COST", default="1.1"))
    if not random_page_cost.is_finite() or random_page_cost <= 0:
        raise ImproperlyConfigured("DATABASE_RANDOM_PAGE_COST must be a positive number")
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c random_page_cost={random_page_cost}"
    )
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets pages read while a background import writes; a writer waits its turn (timeout)
    # instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "organisation:pick"
LOGOUT_REDIRECT_URL = "accounts:login"
# Username and password through Django's own backend: an inactive account gets the same answer
# as a wrong password (allauth's backend would confirm the password and say "inactive").
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]

# Login with django-allauth and its MFA (docs/authentication.md). Nobody signs up: people are
# invited by the office or the installation administrator.
ACCOUNT_ADAPTER = "finsam.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"login": "finsam.accounts.forms.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
# Failed logins: at most 5 per account and 20 per address in 15 minutes, then a lockout until
# the window has passed (allauth's rate limits live in the cache: CACHES below).
ACCOUNT_RATE_LIMITS = {
    "login_failed": env.str("FINSAM_LOGIN_FAILED_LIMIT", default="20/15m/ip,5/15m/key")
}
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = "Finsam"
MFA_PASSKEY_LOGIN_ENABLED = False
# Browsers allow WebAuthn on plain http only for the local demo.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# How long an invitation link stays valid.
FINSAM_INVITATION_DAYS = env.int("FINSAM_INVITATION_DAYS", default=7)
# Login rate limits live in the cache. With several server processes set a shared one, e.g.
# CACHE_URL=dbcache://finsam_cache after `manage.py createcachetable` (docs/authentication.md).
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Typed dates are read ISO or day first, never in US order (config/formats/).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = BASE_DIR / "var" / "media"
# The largest request body accepted at all (an SIE file of a large association is the largest
# upload); each kind of file has its own, smaller cap (finsam.core.uploads).
FINSAM_MAX_REQUEST_BYTES = env.int("FINSAM_MAX_REQUEST_BYTES", default=250 * 1024 * 1024)

# Long imports (SIE) are tasks in the database, run by `manage.py db_worker` (django-tasks).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A running import whose worker has not written progress for this long is failed (it was killed).
FINSAM_JOB_HEARTBEAT_SECONDS = env.int("FINSAM_JOB_HEARTBEAT_SECONDS", default=60)

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="finsam@localhost")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
# The address in links that leave the site (e-mailed reminders).
FINSAM_BASE_URL = env.str("FINSAM_BASE_URL", default="http://127.0.0.1:8000")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): scripts only from Finsam's own static files — no inline
# script, no eval (htmx is told so in base.html; small behaviours live in static/js/finsam.js).
# Inline style attributes stay allowed: they carry layout only, never behaviour.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
