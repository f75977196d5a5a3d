"""Settings shared by every environment.

Everything that differs between a laptop and the city's servers is read from the
environment (see `.env.example`); the defaults need no services at all.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# Absolute address of the portal, used in e-mails and feeds where no request is at hand.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "geraportal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "csp",
    "geraportal.core",
    "geraportal.districts",
    "geraportal.accounts",
    "geraportal.pages",
    "geraportal.notifications",
    "geraportal.newsletter",
    "geraportal.strategy",
    "geraportal.backoffice",
    "workgroups",
    "ideas",
    "pilots",
    "plenary",
]

MIDDLEWARE = [
    "geraportal.core.observability.RequestIdMiddleware",
    "geraportal.core.requestscope.RequestScopeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "geraportal.core.observability.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "geraportal.core.pagecache.AnonymousPageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "geraportal.accounts.middleware.UserLanguageMiddleware",
    "geraportal.accounts.middleware.StaffMFARequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "geraportal.core.access.LoginRequiredRedirectMiddleware",
]

ROOT_URLCONF = "geraportal.urls"
WSGI_APPLICATION = "geraportal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "geraportal.core.context_processors.portal",
                "geraportal.notifications.context_processors.bell",
                "geraportal.accounts.context_processors.staff_link",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# SQLite in `var/` unless DATABASE_URL names a real server (postgres://...).
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'geraportal.sqlite3'}"),
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=0))
# A kept connection is checked (a cheap round trip) before a request reuses it, so a database
# restart costs one error-free reconnect instead of failed requests.
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", env.bool("DATABASE_CONN_HEALTH_CHECKS", default=True))
# PostgreSQL: parameters bound on the server, and a statement run twice on a connection is
# prepared, so a kept connection plans each of the pages' queries once instead of on every
# request (the idea list's query: 8.3 ms -> 3.6 ms, most of it PostgreSQL's planner on a
# five-table join). DATABASE_PREPARE_THRESHOLD=0 switches preparing off (e.g. behind
# PgBouncer in transaction mode, which cannot keep a prepared statement).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _prepare_threshold = env.int("DATABASE_PREPARE_THRESHOLD", default=2)
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=_prepare_threshold or None
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, Celery --------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
# How the portal talks to Redis as its cache (also used by the tests that stop Redis).
REDIS_CACHE = {
    "BACKEND": "geraportal.core.cache.ResilientRedisCache",
    "LOCATION": REDIS_URL,
    "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="geraportal"),
}
if REDIS_URL:
    CACHES = {"default": dict(REDIS_CACHE)}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions: read from the shared cache, written through to the database (which keeps them if
# the cache loses them), so a logged-in page reads no session row. Only with Redis: a
# process-local cache would keep a session alive in the other processes after logout.
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# A person's roles and unread count kept between requests (geraportal/accounts/personcache.py),
# at most this long; only with a cache all processes share.
PERSON_CACHE_SECONDS = env.int("PERSON_CACHE_SECONDS", default=600 if REDIS_URL else 0)
# The page chrome (head links, navigation, footer, scripts) rendered once per process and
# language: it changes only with a deploy, which starts new processes (templates/base.html).
CACHES["chrome"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "chrome",
    "OPTIONS": {"MAX_ENTRIES": 1000},
}

# Whole pages for anonymous visitors (geraportal/core/pagecache.py): how long a page may live
# at most (every content change makes all of them out of date at once), which addresses, and
# which models' writes change nothing a visitor sees. PAGE_CACHE_SHARED_SECONDS > 0 lets a
# reverse proxy keep a page that long too (s-maxage); a proxy cannot be told of a change.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)
PAGE_CACHE_SHARED_SECONDS = env.int("PAGE_CACHE_SHARED_SECONDS", default=0)
# Rendered fragments (idea cards, comments) under keys made of what they show
# (geraportal/core/fragments.py): how long an unused one stays; 0 switches them off.
FRAGMENT_CACHE_SECONDS = env.int("FRAGMENT_CACHE_SECONDS", default=86400)
PAGE_CACHE_PATHS = [
    "/", "/ideas/", "/workgroups/", "/pilots/", "/plenary/", "/news/", "/events/", "/participation/",
]  # fmt: skip
# Answers that never read the session (the API): cached whoever asks, with their own headers.
PAGE_CACHE_SESSIONLESS_PATHS = ["/api/v1/"]
PAGE_CACHE_APPS = ["ideas", "workgroups", "pilots", "plenary", "pages", "strategy", "districts", "accounts"]
PAGE_CACHE_IGNORED_MODELS = [
    "pages.accessibilityfeedback",  # messages to the team: on no public page
    "workgroups.threadread",  # reading positions: written on every member's visit
    "plenary.ballot",  # ballots change no public page until the result is published
    "plenary.ballotchoice",
    "plenary.sealedballot",
    "plenary.voterroll",
    "plenary.eligiblevoter",
]

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
# Without a broker the tasks run in-process, so a newcomer needs no worker.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Europe/Berlin"
# If the broker is unreachable, give up quickly: the outbox sweep delivers later, and a web
# request must never wait for e-mail.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
# visibility_timeout: a task taken by a worker that died (acks_late) goes back to the queue
# after this long; the sweeps above usually find the work first. Every task is idempotent.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 3,
    "socket_timeout": 5,
    "visibility_timeout": 600,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
# Outbox: first retry after about this many seconds (doubling each time), and how long a
# send may take before it counts as cut off (worker killed) and is tried again.
OUTBOX_RETRY_BASE_SECONDS = env.int("OUTBOX_RETRY_BASE_SECONDS", default=60)
# Kept short so a send cut off by a killed worker is retried soon; it must exceed EMAIL_TIMEOUT
# (a system check insists), or a slow send would be taken for a dead one and repeated.
OUTBOX_STUCK_AFTER_SECONDS = env.int("OUTBOX_STUCK_AFTER_SECONDS", default=120)
# The beat schedule lives in code (no database scheduler).
CELERY_BEAT_SCHEDULE: dict = {
    # Events whose fan-out task was lost (broker down at commit, worker killed).
    "notifications-event-sweep": {
        "task": "geraportal.notifications.tasks.sweep_events",
        "schedule": 60,
    },
    # E-mails whose task was lost, or that wait for their retry: sent within a minute of a
    # worker or Redis coming back.
    "notifications-outbox-sweep": {
        "task": "geraportal.notifications.tasks.sweep_outbox",
        "schedule": 60,
    },
    "notifications-daily-digest": {
        "task": "geraportal.notifications.tasks.send_digests",
        "schedule": crontab(hour=7, minute=0),
        "args": ["daily"],
    },
    # Deletes that Redis missed while it was down (a logout, a role change): applied within a
    # minute of its return, so an old session or role does not come back with it.
    "core-drop-lost-cache-writes": {
        "task": "geraportal.core.tasks.drop_lost_cache_writes",
        "schedule": 60,
    },
    "plenary-open-and-close-due-polls": {
        "task": "plenary.tasks.open_and_close_due_polls",
        "schedule": 60,
    },
    "strategy-reminders": {
        "task": "geraportal.strategy.tasks.send_strategy_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
    "notifications-weekly-digest": {
        "task": "geraportal.notifications.tasks.send_digests",
        "schedule": crontab(hour=7, minute=0, day_of_week="mon"),
        "args": ["weekly"],
    },
}

# --- Accounts -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:profile"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
# Who has an account is nobody else's business: sign-up with a known address answers like
# any other sign-up and the e-mail tells the owner how to log in instead.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS_ENABLED = True
ACCOUNT_SIGNUP_FORM_CLASS = "geraportal.accounts.forms.SignupExtraForm"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[SMARTCity Gera] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "SMARTCity Gera"

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
FORMAT_MODULE_PATH = ["geraportal.formats"]  # English dates the British way, see formats/en
# Our own catalogue first; then our formal ("Sie") German for allauth, whose own German
# addresses people informally, which a city does not.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_overrides"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# --- Static and media files -----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Front-end packages come from npm (package-lock.json) and are served by us, never a CDN.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules" / "bootstrap-icons" / "font"),
]
# Uploads are private: no web server serves MEDIA_ROOT, the default storage has no `url()`, and
# every file goes out through a view of its app that checks its object
# (`geraportal.core.files.serve_file`). Behind nginx, PROTECTED_MEDIA_ACCEL_PREFIX names an
# `internal` location aliased to MEDIA_ROOT, and nginx sends the bytes (X-Accel-Redirect).
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
PROTECTED_MEDIA_ACCEL_PREFIX = env("PROTECTED_MEDIA_ACCEL_PREFIX", default="")
STORAGES = {
    "default": {"BACKEND": "geraportal.core.storage.PrivateMediaStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Several machines: an S3-compatible bucket (private; files go out as short-lived signed
# redirects from the same views).
if env("AWS_STORAGE_BUCKET_NAME", default=""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env("AWS_SECRET_ACCESS_KEY", default="") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 60,
            "file_overwrite": False,
            "location": env("AWS_LOCATION", default=""),
        },
    }

# --- E-mail ---------------------------------------------------------------------------
# Default: every e-mail is written as a file to var/mail/ where a developer can read it.
# EMAIL_URL (e.g. smtp+tls://user:password@mail.example.org:587) sends real mail.
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env.path("EMAIL_FILE_PATH", default=VAR_DIR / "mail")
# Seconds an SMTP conversation may stall before the send fails and is retried. It must be
# shorter than OUTBOX_STUCK_AFTER_SECONDS, or a slow send is taken for a dead one and repeated
# (a system check insists); without it a dead connection would block a worker for good.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="SMARTCity Gera <smartcity@gera.de>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Forms ----------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security -------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "geraportal.pages.views.csrf_failure"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# No inline scripts, nothing from other hosts. Map tiles (a later issue) add the city's
# configured tile server to img-src.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "media-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Logs go to stderr, each line with the request id (also in the Celery tasks a request
# queued). LOG_FORMAT=json writes one JSON object per line for a log collector (the
# production default); "text" is for people reading a terminal.
LOG_FORMAT = env("LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "geraportal.core.observability.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": LOG_FORMAT}
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
# Browser features no page of the portal uses are switched off for every page and embed.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(self), gyroscope=(), "
    "magnetometer=(), microphone=(), payment=(), usb=()"
)

# --- Strategy updates (geraportal.strategy) ---------------------------------------------
# Updates are due every year 2022–2026, then every two years, each by this day ("MM-DD").
STRATEGY_DUE_MONTH_DAY = tuple(int(part) for part in env("STRATEGY_DUE_DAY", default="12-31").split("-"))
# Reminders to the SMARTCity team and group moderators, in days before the due date.
STRATEGY_REMINDER_DAYS = [int(d) for d in env.list("STRATEGY_REMINDER_DAYS", default=["90", "30", "7"])]

# Contact data of the city's office, shown in the footer and on the contact page.
PORTAL_OFFICE = {
    "name": _("Office for Central Control"),
    "street": "Kornmarkt 12",
    "city": "07545 Gera",
    "phone": "0365 838-1200",
    "phone_href": "+493658381200",
    "email": env("PORTAL_CONTACT_EMAIL", default="smartcity@gera.de"),
}

# --- Working groups (workgroups) ------------------------------------------------------
# Uploaded group documents lie here, outside MEDIA_ROOT, and are only served through a view
# that checks membership. Several machines: set STORAGES["workgroups_documents"] instead.
WORKGROUPS_DOCUMENTS_ROOT = env.path("WORKGROUPS_DOCUMENTS_ROOT", default=VAR_DIR / "private" / "workgroups")
WORKGROUPS_DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
WORKGROUPS_INVITATION_DAYS = 14

# --- ideas ----------------------------------------------------------------------------
# Leaflet and its clustering plug-in from npm, served by us like Bootstrap.
STATICFILES_DIRS += [
    ("vendor/leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
    ("vendor/leaflet.markercluster", BASE_DIR / "node_modules" / "leaflet.markercluster" / "dist"),
    # The dashboard's charts (Chart.js draws on a canvas from our own script: no CSP change).
    ("vendor/chart.js", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
# Map tiles come from a tile server the city configures (its geoportal or a self-hosted one);
# nothing is hard-coded. Unset: the maps draw their markers on a neutral background with the
# districts named at their places (static/js/map-base.js; README, "Maps and tile servers").
MAP_TILE_URL = env("MAP_TILE_URL", default="")
MAP_TILE_ATTRIBUTION = env("MAP_TILE_ATTRIBUTION", default="")
if MAP_TILE_URL:
    from urllib.parse import urlsplit as _urlsplit

    _tiles = _urlsplit(MAP_TILE_URL)
    # "{s}.tile.example.org" (Leaflet's subdomains) becomes the CSP wildcard "*.tile.example.org".
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(
        f"{_tiles.scheme}://{_tiles.netloc.replace('{s}', '*')}"
    )
# (limit, window in seconds) per person: new ideas, comments.
IDEAS_RATE_LIMITS = {
    "idea": (env.int("IDEAS_RATE_LIMIT_IDEAS", default=5), 3600),
    "comment": (env.int("IDEAS_RATE_LIMIT_COMMENTS", default=10), 300),
}

# --- Newsletter --------------------------------------------------------------------
# Recipients per Celery task; each task sends its batch over one SMTP connection.
NEWSLETTER_BATCH_SIZE = env.int("NEWSLETTER_BATCH_SIZE", default=500)
# How long a confirmation link (double opt-in) stays valid.
NEWSLETTER_CONFIRM_DAYS = env.int("NEWSLETTER_CONFIRM_DAYS", default=7)
# (limit, window in seconds) for sign-ups: per IP address, and for everyone together (each
# sign-up sends a confirmation e-mail, so this stops the form being used to flood inboxes).
# The accessibility statement's feedback form sends the SMARTCity team an e-mail per message.
ACCESSIBILITY_FEEDBACK_RATE_LIMITS = {
    "ip": (env.int("ACCESSIBILITY_FEEDBACK_LIMIT_PER_IP", default=5), 3600),
    "all": (env.int("ACCESSIBILITY_FEEDBACK_LIMIT_TOTAL", default=100), 3600),
}
NEWSLETTER_SUBSCRIBE_RATE_LIMITS = {
    "ip": (env.int("NEWSLETTER_SUBSCRIBE_LIMIT_PER_IP", default=10), 3600),
    "all": (env.int("NEWSLETTER_SUBSCRIBE_LIMIT_TOTAL", default=300), 3600),
}
# A sending batch shows it is alive every 50 e-mails; one silent this long lost its task.
NEWSLETTER_RESUME_AFTER_SECONDS = env.int("NEWSLETTER_RESUME_AFTER_SECONDS", default=120)
CELERY_BEAT_SCHEDULE["newsletter-resume"] = {
    "task": "geraportal.newsletter.tasks.newsletter_resume",
    "schedule": 60,
}

# --- Pilot projects (pilots) ------------------------------------------------------------
# How many pilot projects the strategy group may propose to the city council at a time
# (14 were selected in December 2020).
PILOTS_MAX_SELECTED = env.int("PILOTS_MAX_SELECTED", default=14)

# --- Open data: the public API and the downloads (api) --------------------------------
# Read-only, anonymous, JSON only: the API shows exactly what the website shows a visitor,
# so it authenticates nobody (a logged-in member's cookie changes nothing there).
INSTALLED_APPS += ["rest_framework", "drf_spectacular", "drf_spectacular_sidecar", "api", "dashboard"]
# Before everything that may answer a request under /api/, so CORS headers, JSON errors
# and conditional requests apply to every answer there (also Django's own 404 and 500).
MIDDLEWARE.insert(
    MIDDLEWARE.index("geraportal.core.observability.SecurityHeadersMiddleware") + 1,
    "api.middleware.ApiMiddleware",
)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AnonymousThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "URL_FORMAT_OVERRIDE": None,
}
# Requests per client address (DRF's throttle, counted in the cache: Redis in production).
API_THROTTLE_RATE = env("API_THROTTLE_RATE", default="300/min")
API_PAGE_SIZE = 20
API_MAX_PAGE_SIZE = 100
SPECTACULAR_SETTINGS = {
    "TITLE": "SMARTCity Gera – Open Data API",
    "DESCRIPTION": (
        "Read-only public data of the participation portal: ideas, working groups and their "
        "public meetings, pilot projects, plenary meetings and published poll results, ideas "
        "competitions, news, events and strategy editions. Only what the website shows a visitor."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "tryItOutEnabled": True},
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "IdeaStatusEnum": "ideas.models.Idea.Status",
        "PilotStatusEnum": "pilots.models.Pilot.Status",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_error_responses",
    ],
}
# The open-data downloads: rewritten by a periodic task into this storage (STORAGES["opendata"]
# if set, e.g. S3 on several machines; otherwise the default storage under "opendata/").
OPEN_DATA_LICENCE = {
    "name": env("OPEN_DATA_LICENCE_NAME", default="Datenlizenz Deutschland – Namensnennung 2.0"),
    "url": env("OPEN_DATA_LICENCE_URL", default="https://www.govdata.de/dl-de/by-2-0"),
}
CELERY_BEAT_SCHEDULE["api-open-data-dumps"] = {
    "task": "api.tasks.generate_open_data",
    "schedule": crontab(hour=3, minute=30),
}

# --- Webhooks for the city's other systems (api.webhooks) ------------------------------
INSTALLED_APPS += ["api.webhooks"]
# Seconds to connect and to wait for each answer of a receiver; a slower one counts as failed.
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=5.0)
# First retry after about this many seconds, doubling (at most an hour), given up after
# WEBHOOK_MAX_ATTEMPTS attempts.
WEBHOOK_RETRY_BASE_SECONDS = env.int("WEBHOOK_RETRY_BASE_SECONDS", default=60)
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=12)
# An endpoint that has not succeeded for this many days since it began failing is disabled
# and the SMARTCity team told.
WEBHOOK_DISABLE_AFTER_DAYS = env.int("WEBHOOK_DISABLE_AFTER_DAYS", default=3)
# Hosts exempt from the check against private, loopback and link-local addresses (the
# city's own internal systems); plain HTTP is allowed only to these, and only if
# WEBHOOK_ALLOW_HTTP is set. Everyone else must use HTTPS to a public address.
WEBHOOK_ALLOWED_HOSTS = env.list("WEBHOOK_ALLOWED_HOSTS", default=[])
WEBHOOK_ALLOW_HTTP = env.bool("WEBHOOK_ALLOW_HTTP", default=False)
CELERY_BEAT_SCHEDULE["webhooks-sweep"] = {
    "task": "api.webhooks.tasks.sweep_webhooks",
    "schedule": 60,
}
# The back-office lists ideas nobody has taken up (still "published") after this many days.
IDEAS_REPLY_DAYS = env.int("IDEAS_REPLY_DAYS", default=14)
# Images uploaded for an idea's preview and never published: deleted once the preview token
# (24 hours) has expired.
# The participation dashboard's roll-up of the days before today (dashboard.rollup).
CELERY_BEAT_SCHEDULE["dashboard-rollup"] = {
    "task": "dashboard.tasks.rebuild_rollup",
    "schedule": crontab(hour=2, minute=10),
}
CELERY_BEAT_SCHEDULE["ideas-delete-abandoned-previews"] = {
    "task": "ideas.tasks.delete_abandoned_previews",
    "schedule": crontab(minute=17),
}
