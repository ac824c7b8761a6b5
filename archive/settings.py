"""Kiroku settings: one module, driven by environment variables.

Every value a deployment changes comes from the environment, with defaults that are safe: DEBUG
is off unless asked for, and a production start without ``SECRET_KEY`` refuses to run. With no
``DATABASE_URL`` the site uses an SQLite file under ``var/`` tuned for concurrent writers (WAL,
a busy timeout and ``BEGIN IMMEDIATE`` transactions, so writers queue instead of failing with
"database is locked").
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KIROKU_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    """Read a boolean from the environment ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated list from the environment."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (or set DEBUG=1 for local work)."
        )
    SECRET_KEY = "kiroku-insecure-development-key"  # only ever used with DEBUG on  # nosec B105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "archive",
    "documents",
    "people",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "archive.urls"
WSGI_APPLICATION = "archive.wsgi.application"

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


def database_config() -> dict:
    """The default database: ``DATABASE_URL`` if given, else the embedded SQLite file."""
    url = os.environ.get("DATABASE_URL")
    if url:
        config = dj_database_url.parse(url, conn_max_age=int(os.environ.get("CONN_MAX_AGE", 60)))
        config.setdefault("TEST", {})
        if config["ENGINE"] == "django.db.backends.postgresql":
            # Unless the URL's ``?options=`` says otherwise: no JIT compilation, and parallel
            # workers only for queries that take long. Kiroku's queries take milliseconds to a
            # second; compiling them cost 4 to 64 ms each, and once a session had compiled one,
            # every parallel worker it started loaded the LLVM library first, which doubled
            # the facet queries of a search (10 → 20 ms). Starting a worker costs a few
            # milliseconds, more than the default ``parallel_setup_cost`` (1000) assumes: a
            # search's facets over 1,000 matches took 14 ms with a worker, 9 without.
            config.setdefault("OPTIONS", {}).setdefault(
                "options", "-c jit=off -c parallel_setup_cost=10000"
            )
        return config
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "kiroku.sqlite3",
        "OPTIONS": {
            # WAL lets readers run beside one writer; a busy timeout makes a second writer wait
            # instead of failing; IMMEDIATE takes the write lock at BEGIN, so two transactions
            # never both read and then deadlock on upgrading to a write lock. (SQLite's own page
            # cache of 2 MiB is kept: with 16 or 64 MiB an import into a million documents took
            # 10 % less, but a facet scanning the table took 10–40 % more, filling the cache.)
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


DATABASES = {"default": database_config()}

# Whole-catalogue results (facet counts of the public records) are cached per process until the
# catalogue changes (archive.catalogue_cache), and at most this many seconds.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "catalogue": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "kiroku-catalogue",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}
CATALOGUE_CACHE = "catalogue"
CATALOGUE_CACHE_SECONDS = int(os.environ.get("KIROKU_CATALOGUE_CACHE_SECONDS", "600"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ja", "日本語")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Public base URL, used for absolute links in API, harvesting and citation output.
KIROKU_BASE_URL = os.environ.get("KIROKU_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
KIROKU_SITE_NAME = os.environ.get("KIROKU_SITE_NAME", "Kiroku")
# Harvesting (OAI-PMH): the contact harvesters see in Identify, records per list response, and
# how long a resumption token stays valid (seconds).
KIROKU_ADMIN_EMAIL = os.environ.get("KIROKU_ADMIN_EMAIL", "archive@example.org")
KIROKU_OAI_PAGE_SIZE = int(os.environ.get("KIROKU_OAI_PAGE_SIZE", "100"))
KIROKU_OAI_TOKEN_LIFETIME = int(os.environ.get("KIROKU_OAI_TOKEN_LIFETIME", str(24 * 3600)))
# Where `load_founding_collection` finds the demo collection (numbered YAML fixture files).
KIROKU_FIXTURE_DIR = Path(os.environ.get("KIROKU_FIXTURE_DIR", BASE_DIR / "fixtures"))

# The partner API (read-only, /api/v1/): public records for everyone, staff see drafts through
# their admin session. Lists page by keyset cursor, or by number with ?page=; the OpenAPI
# description is at /api/schema/ and its Swagger UI (served from our own static files, no CDN)
# at /api/docs/.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "archive.api.pagination.KirokuPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{KIROKU_SITE_NAME} partner API",
    "DESCRIPTION": (
        "Access to the archive's published records: documents, agents and their "
        "relations, collections, repositories, publications, subjects and places. Lists "
        "accept the same filters as the site's browse pages, `facets=` for counts, and page "
        "by cursor (default) or by number (`page=`). Unknown parameters are refused (400)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Security and trust (README "Security and trust") -------------------------------------------
# HTTPS is assumed in production (DEBUG off): redirects to https, secure cookies and HSTS.
# HTTPS=0 serves plain HTTP (a local load test, the test suite). Behind reverse proxies that
# terminate TLS, KIROKU_NUM_PROXIES says how many: their X-Forwarded-Proto and X-Forwarded-For
# are then trusted, and only theirs (see archive.security; the API's rate limits use the same).
HTTPS = env_bool("HTTPS", not DEBUG)
KIROKU_PROXY_COUNT = int(os.environ.get("KIROKU_NUM_PROXIES", "0"))
if KIROKU_PROXY_COUNT > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", HTTPS)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31_536_000 if HTTPS else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (Django's own): our origin only, inline scripts and styles only with
# the per-request nonce (the admin and the Swagger UI carry it), no plugins, no framing.
from django.utils.csp import CSP  # noqa: E402

MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
)
TEMPLATES[0]["OPTIONS"]["context_processors"].append("django.template.context_processors.csp")
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins from one address, or
# for one user name, logins are refused for AXES_COOLOFF_MINUTES. The address is the socket's
# (or the proxies' own entry, archive.security.client_ip): a forged X-Forwarded-For changes
# nothing.
# Renamed records redirect, withdrawn ones leave a tombstone (archive.tombstones).
MIDDLEWARE.append("archive.tombstones.TombstoneMiddleware")
INSTALLED_APPS.append("axes")
MIDDLEWARE.append("axes.middleware.AxesMiddleware")  # last, as django-axes asks
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_CLIENT_IP_CALLABLE = "archive.security.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# --- Partner API operations: caching headers, CORS, keys and tokens, rate limits, writes -----
# Cross-origin reads of /api/ from any site (GET, HEAD, OPTIONS; no cookies). Writes are not
# allowed cross-origin unless KIROKU_API_CORS_WRITES is on (token-authenticated curator tools
# served from another origin); the rest of the site sends no CORS headers at all.
INSTALLED_APPS += ["corsheaders", "rest_framework.authtoken"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.common.CommonMiddleware"),
    "corsheaders.middleware.CorsMiddleware",
)
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"] + (
    ["POST", "PUT", "PATCH", "DELETE"] if env_bool("KIROKU_API_CORS_WRITES") else []
)
CORS_ALLOW_HEADERS = [
    "accept",
    "authorization",
    "content-type",
    "if-match",
    "if-modified-since",
    "if-none-match",
    "x-api-key",
]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After", "Location"]
# Who is calling: a curator's token (Authorization: Token ...), a partner's API key
# (Authorization: Api-Key ... or X-Api-Key), or an admin session. Rates per caller ("N/second",
# "N/minute", "N/hour", "N/day"): anonymous callers by IP address, partners per key, curators
# per user. KIROKU_NUM_PROXIES is the number of trusted proxies in front of the site (their
# X-Forwarded-For entries are used for the address); with 0 the header is ignored, so it
# cannot be forged to escape the limit.
REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] = [
    "rest_framework.authentication.TokenAuthentication",
    "archive.api.auth.PartnerKeyAuthentication",
    "rest_framework.authentication.SessionAuthentication",
]
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = [
    "archive.api.auth.AnonymousThrottle",
    "archive.api.auth.PartnerKeyThrottle",
    "archive.api.auth.CuratorThrottle",
]
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    "anonymous": os.environ.get("KIROKU_API_RATE_ANONYMOUS", "60/minute"),
    "partner": os.environ.get("KIROKU_API_RATE_PARTNER", "1200/minute"),
    "curator": os.environ.get("KIROKU_API_RATE_CURATOR", "600/minute"),
}
REST_FRAMEWORK["NUM_PROXIES"] = int(os.environ.get("KIROKU_NUM_PROXIES", "0"))
SPECTACULAR_SETTINGS["DESCRIPTION"] += (
    " Partners may send an API key (`X-Api-Key`) for a higher rate limit; curators write "
    "with a token (`Authorization: Token ...`), sending the record's `ETag` as `If-Match`."
)
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] = {"AgentKindEnum": "people.models.AgentKind"}
# a text's kind appears in texts and in genealogy steps: one enum, under the name it had
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["TextKindEnum"] = "documents.models.TextKind"
