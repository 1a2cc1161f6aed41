"""Django settings: every value comes from a SEMIPARK_* environment variable with a local default.

The table of variables lives in docs/configuration.md; keep the two in step.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(f"SEMIPARK_{name}", default)


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


TESTING = bool(os.environ.get("PYTEST_VERSION"))  # set by pytest itself
DEBUG = env_bool("DEBUG", False)
DEMO = env_bool("DEMO", False)
DATA_DIR = Path(env("DATA_DIR", str(Path.home() / ".local" / "share" / "semipark"))).expanduser()

_INSECURE_LOCAL_KEY = "semipark-local-development-key-never-use-in-production-0123456789"
SECRET_KEY = env("SECRET_KEY") or _INSECURE_LOCAL_KEY
if SECRET_KEY == _INSECURE_LOCAL_KEY and not (DEBUG or DEMO or TESTING):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Set SEMIPARK_SECRET_KEY (or SEMIPARK_DEBUG=1 / SEMIPARK_DEMO=1 for local use).")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "semipark.core",
    "semipark.park",
    "semipark.supervision",
    "semipark.ingest",
    "semipark.market",
    "semipark.trace",
    "semipark.web",
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
    "semipark.core.middleware.RequestIdMiddleware",
]

ROOT_URLCONF = "semipark.urls"
ASGI_APPLICATION = "semipark.asgi.application"
WSGI_APPLICATION = "semipark.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "semipark.web.context.site",
            ],
        },
    },
]

# --- database ---------------------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'semipark.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=int(env("DB_CONN_MAX_AGE", "60")))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the ingest worker write while pages read; IMMEDIATE avoids lock upgrades mid-transaction.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME") or None}
else:
    DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME") or "test_semipark"}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if env("CACHE_URL"):
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("CACHE_URL")}

# --- auth and security -------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_MAX_FAILURES = int(env("LOGIN_MAX_FAILURES", "5"))
LOGIN_LOCKOUT_SECONDS = int(env("LOGIN_LOCKOUT_SECONDS", "900"))
API_TOKEN_DAYS = int(env("API_TOKEN_DAYS", "365"))

SECURE = env_bool("SECURE", not (DEBUG or DEMO or TESTING))
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and env_bool("SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", True) else None
SECURE_HSTS_SECONDS = int(env("HSTS_SECONDS", "31536000" if SECURE else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(env("SESSION_SECONDS", str(8 * 3600)))
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# --- language and time -------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env("TIME_ZONE", "Asia/Shanghai")

# --- static files (vendored: parks run on closed networks) ------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(DATA_DIR / "static")))
if DEBUG or DEMO or TESTING:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every start when it is missing
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG or DEMO or TESTING:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WHITENOISE_USE_FINDERS = DEBUG or DEMO
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "media/"

# --- platform ----------------------------------------------------------------------------------------
PARK_CODE = env("PARK_CODE", "kazuo")
MQTT_URL = env("MQTT_URL")  # e.g. mqtt://127.0.0.1:1883; empty: devices use the HTTP ingest API
MQTT_TOPIC_PREFIX = env("MQTT_TOPIC_PREFIX", "semipark")
MQTT_SHARED_GROUP = env("MQTT_SHARED_GROUP")  # MQTT v5 shared subscription group for several workers
MOLAR_VOLUME_L = float(env("MOLAR_VOLUME_L", "24.04"))  # 20 C, 101.3 kPa: Chinese workplace sampling
WASTEWATER_ARSENIC_LIMIT_MG_L = float(env("WASTEWATER_ARSENIC_LIMIT_MG_L", "0.5"))
READING_RETENTION_DAYS = int(env("READING_RETENTION_DAYS", "90"))
ALARM_ESCALATE_MINUTES = int(env("ALARM_ESCALATE_MINUTES", "10"))
IDENTIFIER_PREFIX = env("IDENTIFIER_PREFIX", "88.888.8")
WEBHOOK_TIMEOUT_SECONDS = float(env("WEBHOOK_TIMEOUT_SECONDS", "5"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # Per-request client logs would bury the worker's own messages (the simulator posts several times a second).
    "loggers": {"django.db.backends": {"level": "WARNING"}, "httpx": {"level": "WARNING"}},
}

NINJA_PAGINATION_PER_PAGE = 50
