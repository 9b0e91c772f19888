"""Pandu settings: everything that differs between machines comes from the environment.

Variables: DATABASE_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS, CSRF_TRUSTED_ORIGINS, PANDU_SECURE
(HTTPS deployment), PANDU_LOG_LEVEL, PANDU_LOG_FORMAT, TIME_ZONE; operations (backups, /metrics):
docs/operations.md.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PANDU_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "staticfiles").mkdir(exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
_DEV_KEY = "pandu-development-key-not-for-production-use-0123456789abcdefghijklmnop"
#: The committed key: fine for development and tests, refused by `check --deploy` when DEBUG=0
#: (pandu.core.checks) and at start-up on a site declared secure (PANDU_SECURE=1).
PANDU_DEVELOPMENT_KEY = _DEV_KEY
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_KEY)
# Keys being rotated out (comma-separated): sessions and links signed with them stay valid
# until they expire (docs/operations.md). Printed letters do not depend on either.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our own static files
    "django_filters",
    "django_tables2",
    "django_htmx",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "pandu.core",
    "pandu.regions",
    "pandu.accounts",
    "pandu.notifications",
    "pandu.organisations",
    "pandu.registry",
    "pandu.proposals",
    "pandu.exchange",
    "pandu.dedup",
    "pandu.services",
    "pandu.targeting",
    "pandu.programs",
    "pandu.payments",
    "pandu.empowerment",
    "pandu.privacy",
    "pandu.insurance",
    "pandu.operations",
    "pandu.audit",
    "pandu.portal",
    "pandu.demo",
]

MIDDLEWARE = [
    "pandu.operations.metrics.RequestMetricsMiddleware",  # first: it times every request
    "django.middleware.security.SecurityMiddleware",
    "pandu.core.middleware.SecurityHeadersMiddleware",  # CSP, Permissions-Policy (decision 0010)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pandu.core.middleware.PanduLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "pandu.core.uploads.UploadLimitMiddleware",  # before the CSRF check reads the body
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): the second factor
    "pandu.core.errors.FriendlyErrorsMiddleware",
    "pandu.core.errors.UnreadableDataMiddleware",  # a missing data key: a 503 naming no key
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Idle and absolute session limits, then the account's gate (second factor, one-time
    # password, required enrolment): pandu/accounts/middleware.py, decision 0017.
    "pandu.accounts.middleware.SessionLimitsMiddleware",
    "pandu.accounts.middleware.AccountGateMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]
# Error pages (pandu/core/errors.py): handler400/403/404/500 are named in pandu/urls.py.
CSRF_FAILURE_VIEW = "pandu.core.errors.csrf_failure"

ROOT_URLCONF = "pandu.urls"
WSGI_APPLICATION = "pandu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "pandu" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "pandu.core.context_processors.pandu",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'pandu.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer works; IMMEDIATE avoids mid-transaction upgrades.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA cache_size=-64000; PRAGMA temp_store=MEMORY; PRAGMA mmap_size=268435456;"
        ),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# The password policy, for every way a password is set (pandu/accounts/passwords.py): 10
# characters, 12 for administrators, auditors and superusers; not like the username or name,
# not a common password, not digits only.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "pandu.accounts.passwords.RoleMinimumLengthValidator",
        "OPTIONS": {
            "min_length": int(os.environ.get("PANDU_PASSWORD_MIN_LENGTH", "10")),
            "privileged_min_length": int(
                os.environ.get("PANDU_PASSWORD_MIN_LENGTH_PRIVILEGED", "12")
            ),
        },
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login protection (decision 0017): five wrong passwords for one account from one address lock
# that account for that address for 30 minutes (others, and the account from elsewhere, still
# sign in); the address is the caller's as the trusted proxies saw it (PANDU_TRUSTED_PROXIES).
# Wrong passwords from one address over any accounts are counted too: past
# PANDU_LOGIN_FAILURES_PER_ADDRESS the address waits for the window to end.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "pandu.core.ratelimit.client_ip"
PANDU_LOGIN_FAILURES_PER_ADDRESS = os.environ.get("PANDU_LOGIN_FAILURES_PER_ADDRESS", "30/15m")

# Two-factor login (django-otp: an authenticator app and recovery codes). Roles that must use it
# (role values, and "superuser"); enrolment is asked at their next sign-in. Others may turn it on.
PANDU_2FA_REQUIRED_ROLES = env_list("PANDU_2FA_REQUIRED_ROLES", "admin,auditor,superuser")
PANDU_2FA_CODES_PER_USER = "10/15m"  # wrong codes before the account waits
OTP_TOTP_ISSUER = os.environ.get("PANDU_2FA_ISSUER", "Pandu")
# Sessions end after PANDU_SESSION_IDLE_MINUTES without activity and PANDU_SESSION_MAX_HOURS
# after signing in, whatever the activity.
PANDU_SESSION_IDLE_MINUTES = int(os.environ.get("PANDU_SESSION_IDLE_MINUTES", "30"))
PANDU_SESSION_MAX_HOURS = int(os.environ.get("PANDU_SESSION_MAX_HOURS", "12"))
# API tokens (accounts.ApiToken, kept hashed): days a new token is valid unless chosen.
PANDU_API_TOKEN_DAYS = int(os.environ.get("PANDU_API_TOKEN_DAYS", "90"))
# Password reset by e-mail: PANDU_PASSWORD_RESET_EMAIL=1/0; unset, it follows EMAIL_HOST (on
# unless it is the local default). Without it the administrator gives a one-time password.
PANDU_PASSWORD_RESET_EMAIL = (
    env_bool("PANDU_PASSWORD_RESET_EMAIL", False)
    if os.environ.get("PANDU_PASSWORD_RESET_EMAIL")
    else None
)

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "pandu" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Makassar")  # WITA: Maros, Sulawesi
DATE_INPUT_FORMATS = ["%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d"]
FORMAT_MODULE_PATH = ["pandu.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "pandu" / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules" / "bootstrap-icons" / "font"),
    ("vendor/chart.js", BASE_DIR / "node_modules" / "chart.js" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/tom-select", BASE_DIR / "node_modules" / "tom-select" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "pandu.accounts.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "pandu.core.api.KeysetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "pandu.core.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"nik_check": "120/minute"},  # counted by core.ratelimit
    # The browsable API only in development: its forms can list large tables.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Pandu API",
    "DESCRIPTION": (
        "Integrated social-welfare registry (households by KK, people by NIK, PPKS/PSKS). "
        "Every endpoint returns only records inside the caller's area and role."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "pandu.core.api.drop_database_integer_limits",
    ],
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "ENUM_NAME_OVERRIDES": {
        "HouseholdStatusEnum": "pandu.registry.choices.HouseholdStatus",
        "PersonStatusEnum": "pandu.registry.choices.PersonStatus",
        "ConditionEnum": "pandu.registry.choices.Condition",
        "WorkSectorEnum": "pandu.registry.choices.WorkSector",
        "SourceEnum": "pandu.registry.models.PPKSAssignment.Source",
        "FundingSourceEnum": "pandu.programs.choices.FundingSource",
        "IntegratedStatusEnum": "pandu.programs.choices.IntegratedStatus",
        "ActivityStatusEnum": "pandu.programs.choices.ActivityStatus",
        "ProgrammeStatusEnum": "pandu.programs.choices.ProgrammeStatus",
        "EnrolmentStatusEnum": "pandu.programs.models.enrolment.EnrolmentStatus",
        "GraduationPlanStatusEnum": "pandu.empowerment.choices.PlanStatus",
        "KubeGroupStatusEnum": "pandu.empowerment.choices.GroupStatus",
        "FollowUpConditionEnum": "pandu.empowerment.choices.Condition",
        # Payments name a "step" and a "channel" too: the earlier ones keep their names.
        "StepEnum": "pandu.programs.models.enrolment.ApprovalStep",
        "ChannelEnum": "pandu.services.choices.Channel",
        "CycleStatusEnum": "pandu.payments.choices.CycleStatus",
        "CycleApprovalStepEnum": "pandu.payments.choices.ApprovalStep",
        "EntitlementStatusEnum": "pandu.payments.choices.EntitlementStatus",
        "PaymentStatusEnum": "pandu.payments.choices.PaymentStatus",
        "PaymentChannelEnum": "pandu.payments.choices.Channel",
        "ReconciliationStatusEnum": "pandu.payments.choices.ImportStatus",
        "ConsentGivenByEnum": "pandu.privacy.choices.GivenBy",
        "AskesosMemberStatusEnum": "pandu.insurance.choices.MemberStatus",
        "AskesosClaimStatusEnum": "pandu.insurance.choices.ClaimStatus",
        "AskesosAccreditationStatusEnum": "pandu.insurance.choices.AccreditationStatus",
        "AskesosPaymentMethodEnum": "pandu.insurance.choices.PaymentMethod",
        "AskesosDocumentKindEnum": "pandu.insurance.choices.DocumentKind",
    },
}

DJANGO_TABLES2_TEMPLATE = "core/table.html"  # bootstrap 5 + page links in Indonesian, list notices


def caches_from_env(environ, var_dir: Path) -> dict:
    """The cache every worker process shares (rate limits, cached figures; decision 0010).

    CACHE_URL (or REDIS_URL): ``redis://host:6379/1`` for several machines, ``file:///path`` for
    a folder, ``locmem://`` for one process only. Unset: a file cache under var/cache, which
    the gunicorn workers and job workers of one machine share.
    """
    from django.core.exceptions import ImproperlyConfigured

    url = environ.get("CACHE_URL") or environ.get("REDIS_URL") or ""
    options = {"TIMEOUT": 300, "KEY_PREFIX": environ.get("PANDU_CACHE_PREFIX", "pandu")}
    if url.startswith(("redis://", "rediss://", "unix://")):
        backend = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    elif url.startswith("locmem://"):
        backend = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    elif not url or url.startswith("file://"):
        folder = url[len("file://") :] if url else str(var_dir / "cache")
        backend = {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": folder,
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    else:
        raise ImproperlyConfigured(
            f"CACHE_URL must start with redis://, rediss://, unix://, file:// or locmem:// "
            f"(got {url.split(':', 1)[0]}://...)"
        )
    return {"default": {**options, **backend}}


CACHES = caches_from_env(os.environ, VAR_DIR)
#: Reverse proxies in front of the site that append to X-Forwarded-For (0: none, the
#: connection's address is the caller's). See pandu.core.ratelimit.client_ip.
PANDU_TRUSTED_PROXIES = int(os.environ.get("PANDU_TRUSTED_PROXIES", "0"))

# Background jobs run on Celery (decision 0009). One machine: `make run` starts a worker with
# beat that reads its queue from files under var/celery, no server needed. Several machines:
# CELERY_BROKER_URL=redis://host:6379/0 (or amqp://...) and `celery -A pandu worker` on each.
# The core.Job row is what users see and the truth the workers go by (pandu/core/jobs.py).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://localhost/")
CELERY_DIR = Path(os.environ.get("PANDU_CELERY_DIR", VAR_DIR / "celery"))
if CELERY_BROKER_URL.startswith("filesystem"):
    for _folder in ("queue", "processed", "control"):
        (CELERY_DIR / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_DIR / "queue"),
        "data_folder_out": str(CELERY_DIR / "queue"),
        # Taken messages are moved here (an atomic rename on the same file system); the sweep
        # deletes them after a day.
        "store_processed": True,
        "processed_folder": str(CELERY_DIR / "processed"),
        "control_folder": str(CELERY_DIR / "control"),
        "polling_interval": 0.5,
    }
    # No broadcast over files: a dead worker's control queue would fill up for ever.
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("PANDU_CELERY_QUEUE", "pandu")
CELERY_TASK_ACKS_LATE = True  # a message is done when its job is, not when it is taken
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # a killed pool process's job goes back to the queue
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # a busy worker holds no other job's message
CELERY_WORKER_CONCURRENCY = int(os.environ.get("PANDU_WORKER_CONCURRENCY", "2"))
CELERY_TASK_IGNORE_RESULT = True  # outcomes are kept in core.Job
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE_FILENAME = str(CELERY_DIR / "beat-schedule")
CELERY_BEAT_SCHEDULE = {
    # Jobs whose worker died go back to the queue; lost messages are sent again.
    "sweep-jobs": {
        "task": "core.sweep_jobs",
        "schedule": float(os.environ.get("PANDU_JOB_SWEEP_SECONDS", "60")),
    },
    "overdue-digest": {
        "task": "services.send_overdue_digest",
        "schedule": crontab(hour=7, minute=0),
    },
    "check-service-tallies": {
        "task": "services.check_tallies",
        "schedule": crontab(hour=2, minute=30),
    },
    # Upload folders no import names (a request or worker died mid-upload).
    "remove-stale-uploads": {
        "task": "exchange.remove_stale_uploads",
        "schedule": crontab(hour=3, minute=15),
    },
    # Personal data (UU 27/2022): records past their retention period go to review, overdue
    # requests are told; a breach's 3×24-hour notice clock reminds every hour.
    "insurance-daily": {
        "task": "insurance.daily",
        "schedule": crontab(hour=1, minute=15),
    },
    "privacy-daily": {
        "task": "privacy.daily",
        "schedule": crontab(hour=6, minute=30),
    },
    "privacy-breach-clock": {
        "task": "privacy.breach_clock",
        "schedule": crontab(minute=5),
    },
}
#: Queued or running jobs one user may have at once (imports, exports, duplicate searches).
PANDU_JOBS_PER_USER = int(os.environ.get("PANDU_JOBS_PER_USER", "3"))
#: Runs of one job (a worker that died, a busy database) before it is given up as failed.
PANDU_JOB_MAX_ATTEMPTS = int(os.environ.get("PANDU_JOB_MAX_ATTEMPTS", "5"))
#: A running job whose worker has not been heard of for this long is taken to be dead.
PANDU_JOB_STALE_SECONDS = int(os.environ.get("PANDU_JOB_STALE_SECONDS", "120"))
#: Pages warn when no worker has been seen for this long.
PANDU_WORKER_MISSING_SECONDS = int(os.environ.get("PANDU_WORKER_MISSING_SECONDS", "180"))

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True

# Production hardening (PANDU_SECURE=1 behind HTTPS).
SECURE = env_bool("PANDU_SECURE", not DEBUG and SECRET_KEY != _DEV_KEY)
if SECURE and SECRET_KEY == _DEV_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "PANDU_SECURE=1 with the development SECRET_KEY from the repository: set SECRET_KEY "
        "to 50+ random characters of this site's own (see docs/deploy.md)."
    )
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and env_bool("PANDU_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = PANDU_SESSION_MAX_HOURS * 3600
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Uploads (pandu.core.uploads, decision 0010): a request body above PANDU_UPLOAD_MAX_BYTES is
# refused from its Content-Length before it is read, unless its view allows more (the import
# pages allow PANDU_IMPORT_MAX_BYTES). Files above FILE_UPLOAD_MAX_MEMORY_SIZE go to disk.
PANDU_UPLOAD_MAX_BYTES = int(os.environ.get("PANDU_UPLOAD_MAX_BYTES", 12 * 1024 * 1024))
PANDU_IMPORT_MAX_BYTES = int(os.environ.get("PANDU_IMPORT_MAX_BYTES", 500 * 1024 * 1024))
#: Address space a workbook's reader (a forked child of the job) may take beyond the worker's.
PANDU_IMPORT_PARSE_MEMORY = int(os.environ.get("PANDU_IMPORT_PARSE_MEMORY", 4 * 1024**3))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# E-mail (notifications, overdue digests): off unless EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "pandu@localhost")
# Notifications by e-mail (pandu.notifications, decision 0011): PANDU_NOTIFY_EMAIL=1/0 turns them
# on or off; unset, they follow EMAIL_HOST (on unless it is the local default). PANDU_SITE_URL
# (https://pandu.example.go.id) makes the links in the mails whole addresses.
PANDU_NOTIFY_EMAIL = (
    env_bool("PANDU_NOTIFY_EMAIL", False) if os.environ.get("PANDU_NOTIFY_EMAIL") else None
)
PANDU_SITE_URL = os.environ.get("PANDU_SITE_URL", "")

# Logs (pandu.operations.logs): JSON lines unless PANDU_LOG_FORMAT=plain (the default with
# DEBUG); every handler masks NIK/KK-like numbers (16 digits) in messages and tracebacks.
PANDU_LOG_FORMAT = os.environ.get("PANDU_LOG_FORMAT", "plain" if DEBUG else "json")
if PANDU_LOG_FORMAT not in ("plain", "json"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("PANDU_LOG_FORMAT must be plain or json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "pandu.operations.logs.JsonFormatter"},
    },
    "filters": {"mask_numbers": {"()": "pandu.operations.logs.MaskNumbersFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": PANDU_LOG_FORMAT,
            "filters": ["mask_numbers"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("PANDU_LOG_LEVEL", "WARNING")},
    "loggers": {"pandu.access": {"level": "INFO", "propagate": True}},
}

# Operations (docs/operations.md, decision 0018): `make backup` writes archives here.
PANDU_BACKUP_DIR = Path(os.environ.get("PANDU_BACKUP_DIR", VAR_DIR / "backups"))
# /metrics answers a bearer token (32+ random characters) or callers in these networks, their
# address as the trusted proxies saw it; neither set: nobody (/healthz is open to anyone).
PANDU_METRICS_TOKEN = os.environ.get("PANDU_METRICS_TOKEN", "")
PANDU_METRICS_ALLOWED_NETWORKS = env_list("PANDU_METRICS_ALLOWED_NETWORKS", "")
# Probes and scrapes on the machine itself speak plain HTTP to gunicorn.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
# Sensitive free text (case notes, assessments, counselling, referrals, PPKS notes) is encrypted
# in its columns with the data-key ring kept in this file, never in the database (pandu.core.crypto,
# decision 0019); `manage.py rotate_data_key` rotates it, `make backup` carries it.
PANDU_DATA_KEY_FILE = Path(
    os.environ.get("PANDU_DATA_KEY_FILE", VAR_DIR / "keys" / "data-keys.json")
)

# Regional data: the area list ships in the npm package idn-area-data (ODbL).
AREA_DATA_DIR = Path(
    os.environ.get("PANDU_AREA_DATA", BASE_DIR / "node_modules" / "idn-area-data" / "data")
)
PANDU_OFFICE_NAME = os.environ.get("PANDU_OFFICE_NAME", "Dinas Sosial")
