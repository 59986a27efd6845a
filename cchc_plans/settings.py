"""Settings of the CCHC plan manager, read from the environment."""

import datetime
import ipaddress
import os
import re
from pathlib import Path

import dj_database_url
import dj_email_url
import django_cache_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name, default):
    value = os.environ.get(name, default)
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (0 or 1), not {value!r}")


def envint(name, default):
    value = os.environ.get(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from None


def envlist(name, default):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "1")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production-0123456789abcdef"
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "import_export",
    "simple_history",
    "operations",  # before django_tasks_db: its db_worker command wraps theirs
    "django_tasks_db",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "agencies",
    "register",
    "plans",
    "tasks",
    "documents",
    "periodic",
    "reports",
    "reminders",
    "signatures",
    "demo",
    "imports",
    "importing",
    "notifications",
    "scale",
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
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cchc_plans.urls"
WSGI_APPLICATION = "cchc_plans.wsgi.application"

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

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", "60"),
        conn_health_checks=True,
    )
}
# A PostgreSQL replica (streaming replication) for the pages' reads: cchc_plans/routers.py.
# Tests point it at the test database itself (a mirror of "default").
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = {
        **dj_database_url.parse(
            os.environ["DATABASE_REPLICA_URL"],
            conn_max_age=envint("DB_CONN_MAX_AGE", "60"),
            conn_health_checks=True,
        ),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["cchc_plans.routers.ReplicaRouter"]
    MIDDLEWARE.insert(0, "cchc_plans.routers.PrimaryAfterWriteMiddleware")
# Seconds a browser reads from the primary after it wrote (longer than the replica's lag).
REPLICA_PIN_SECONDS = envint("REPLICA_PIN_SECONDS", "10")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "agencies.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Django's ModelBackend, loading the request's user with their unread notifications' count
    "notifications.backends.UserBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Repeated wrong passwords lock that username from that address for a while (django-axes).
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = datetime.timedelta(minutes=envint("LOGIN_COOLOFF_MINUTES", "15"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "plans:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["cchc_plans.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
# Served by WhiteNoise, from the finders while developing and from STATIC_ROOT in production.
WHITENOISE_USE_FINDERS = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Evidence files: at most 20 MB each.
EVIDENCE_MAX_BYTES = envint("EVIDENCE_MAX_BYTES", str(20 * 1024 * 1024))
# A docx or xlsx whose zip directory announces more parts, or more bytes unpacked, is refused.
EVIDENCE_MAX_ZIP_MEMBERS = envint("EVIDENCE_MAX_ZIP_MEMBERS", "2000")
EVIDENCE_MAX_UNPACKED_BYTES = envint("EVIDENCE_MAX_UNPACKED_BYTES", str(200 * 1024 * 1024))
# The fields of a form, files apart: enough for a long text sent in full, so that a text over
# TEXT_MAX_CHARS gets a form error with the text kept rather than a 400 page. Beyond it, the
# 400 page explains and the browser's Back button still has the text.
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", str(16 * 1024 * 1024))
# A text field of a form with no smaller bound takes at most this many characters (about 30
# pages); cchc_plans/text.py.
TEXT_MAX_CHARS = envint("TEXT_MAX_CHARS", "100000")

# Spreadsheet imports (cchc_plans/spreadsheets.py), checked before any row is read.
IMPORT_MAX_BYTES = envint("IMPORT_MAX_BYTES", str(10 * 1024 * 1024))
IMPORT_MAX_ROWS = envint("IMPORT_MAX_ROWS", "20000")
IMPORT_MAX_CELLS = envint("IMPORT_MAX_CELLS", "400000")
IMPORT_MAX_UNCOMPRESSED_BYTES = envint("IMPORT_MAX_UNCOMPRESSED_BYTES", str(50 * 1024 * 1024))
# A file up to this size is checked and imported within the request, a bigger one by the worker.
IMPORT_INLINE_MAX_BYTES = envint("IMPORT_INLINE_MAX_BYTES", str(100 * 1024))

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Spreadsheet cells starting with = + - @ are escaped so that exports carry no formulas.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# No script but the application's own files; styles may use attributes (progress bars, charts).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
CSRF_FAILURE_VIEW = "cchc_plans.errors.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "1")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "31536000")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "1")
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # An untrusted signature is a verdict, not a warning with a traceback; fontTools warns
    # about every font table it leaves out of the signature stamp's subset.
    "loggers": {
        "pyhanko.sign.validation.generic_cms": {"level": "ERROR"},
        "fontTools.subset": {"level": "ERROR"},
    },
}

# Periodic agency reports (plans/periods.py): the data cut-off of each reporting period,
# "calendar" quarters or "decree_09" (Decree 09/2019/NĐ-CP, 15th to 14th), and the day of the
# period's last month a report is due when the plan does not name one.
REPORTING_CUTOFF = os.environ.get("REPORTING_CUTOFF", "decree_09")
if REPORTING_CUTOFF not in ("calendar", "decree_09"):
    raise ImproperlyConfigured(
        f"REPORTING_CUTOFF must be 'calendar' or 'decree_09', not {REPORTING_CUTOFF!r}"
    )
REPORT_DUE_DAY = envint("REPORT_DUE_DAY", "15")
if not 1 <= REPORT_DUE_DAY <= 31:
    raise ImproperlyConfigured(f"REPORT_DUE_DAY must be 1..31, not {REPORT_DUE_DAY}")
# The agency issuing the leadership summary reports, by its code (``Agency.code``). Empty: the
# Sở Nội vụ of the plan's province, else the plan's issuer; a code no agency has is logged and
# treated as empty.
SUMMARY_REPORT_ISSUER = os.environ.get("SUMMARY_REPORT_ISSUER", "").strip()

# Reminders (reminders/): days before a due date an agency is reminded (assignments,
# checkpoints, its own plan; periodic reports), days after it that late work also goes to the
# agency's head, how far back late work is still chased, and the local hour of the daily run.
def envdays(name, default):
    try:
        days = tuple(sorted({int(item) for item in envlist(name, default)}, reverse=True))
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be whole numbers of days separated by commas"
        ) from None
    if any(day < 0 for day in days):
        raise ImproperlyConfigured(f"{name} must not hold a negative number of days")
    return days


REMINDER_DAYS_BEFORE = envdays("REMINDER_DAYS_BEFORE", "7,1")
REPORT_REMINDER_DAYS_BEFORE = envdays("REPORT_REMINDER_DAYS_BEFORE", "5,0")
REMINDER_ESCALATION_DAYS = tuple(sorted(envdays("REMINDER_ESCALATION_DAYS", "5,15")))
if not REMINDER_ESCALATION_DAYS or REMINDER_ESCALATION_DAYS[0] < 1:
    raise ImproperlyConfigured("REMINDER_ESCALATION_DAYS must be days after the due date (≥ 1)")
REMINDER_LOOKBACK_DAYS = envint("REMINDER_LOOKBACK_DAYS", "60")
if REMINDER_ESCALATION_DAYS[-1] > REMINDER_LOOKBACK_DAYS:
    raise ImproperlyConfigured("REMINDER_LOOKBACK_DAYS must cover the last escalation day")
REMINDERS_HOUR = envint("REMINDERS_HOUR", "7")
if not 0 <= REMINDERS_HOUR <= 23:
    raise ImproperlyConfigured(f"REMINDERS_HOUR must be 0..23, not {REMINDERS_HOUR}")
# Off (0): the workers do not queue the daily run (cron runs send_reminders instead).
REMINDERS_SCHEDULED = envbool("REMINDERS_SCHEDULED", "1")

# Digital signatures (signatures/). The issuing key is a PKCS#12 file or a PKCS#11 token named
# here, never stored in the database. SIGNING_KEYS maps an issuing agency's code to its key;
# "default" serves every agency without one of its own.
def signing_key_from_environment():
    pkcs12 = {
        "pkcs12_file": os.environ.get("SIGNING_PKCS12_FILE", ""),
        "pkcs12_password": os.environ.get("SIGNING_PKCS12_PASSWORD", ""),
    }
    pkcs11 = {
        "pkcs11_module": os.environ.get("SIGNING_PKCS11_MODULE", ""),
        "pkcs11_token": os.environ.get("SIGNING_PKCS11_TOKEN", ""),
        "pkcs11_key_label": os.environ.get("SIGNING_PKCS11_KEY_LABEL", ""),
        "pkcs11_pin": os.environ.get("SIGNING_PKCS11_PIN", ""),
    }
    images = {
        "signer_image": os.environ.get("SIGNING_SIGNER_IMAGE", ""),
        "seal_image": os.environ.get("SIGNING_SEAL_IMAGE", ""),
    }
    if pkcs12["pkcs12_file"] and pkcs11["pkcs11_module"]:
        raise ImproperlyConfigured(
            "Set SIGNING_PKCS12_FILE or SIGNING_PKCS11_MODULE, not both"
        )
    if pkcs12["pkcs12_file"]:
        return {**pkcs12, **images}
    if pkcs11["pkcs11_module"]:
        if not pkcs11["pkcs11_key_label"]:
            raise ImproperlyConfigured("SIGNING_PKCS11_KEY_LABEL must name the key on the token")
        return {**pkcs11, **images}
    for name in ("SIGNING_PKCS12_PASSWORD", "SIGNING_PKCS11_TOKEN", "SIGNING_PKCS11_KEY_LABEL",
                 "SIGNING_PKCS11_PIN"):
        if os.environ.get(name):
            raise ImproperlyConfigured(
                f"{name} is set but neither SIGNING_PKCS12_FILE nor SIGNING_PKCS11_MODULE is"
            )
    return None


SIGNING_KEYS = {}
if (default_signing_key := signing_key_from_environment()) is not None:
    SIGNING_KEYS["default"] = default_signing_key
# Trusted root certificates for checking signatures: PEM or DER files, or folders of them.
SIGNING_TRUST_ROOTS = envlist("SIGNING_TRUST_ROOTS", "")
# An RFC 3161 timestamp service: signatures are PAdES B-T with it, B-B without.
TIMESTAMP_URL = os.environ.get("TIMESTAMP_URL", "")
TIMESTAMP_TIMEOUT = envint("TIMESTAMP_TIMEOUT", "10")
# Uploaded PDFs up to this size are checked at once; larger ones by the worker.
SIGNATURE_CHECK_INLINE_BYTES = envint("SIGNATURE_CHECK_INLINE_BYTES", str(2 * 1024 * 1024))
# ---------------------------------------------------------------------------------------------
# Accounts: sessions, login throttling behind a proxy, password reset mail, cache

# Every response is private, no-store (static files are served before this middleware); a
# session ends after SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS after login.
MIDDLEWARE.insert(
    MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
    "cchc_plans.sessions.PrivateCacheMiddleware",
)
MIDDLEWARE.append("cchc_plans.sessions.SessionExpiryMiddleware")
INSTALLED_APPS.append("cchc_plans")  # records the login time (cchc_plans/apps.py)
TEMPLATES[0]["OPTIONS"]["context_processors"].append("cchc_plans.sessions.pending_form")
TEMPLATES[0]["OPTIONS"]["context_processors"].append(
    "notifications.context_processors.unread_notifications"
)
SESSION_IDLE_MINUTES = envint("SESSION_IDLE_MINUTES", "30")
SESSION_MAX_HOURS = envint("SESSION_MAX_HOURS", "12")
if SESSION_IDLE_MINUTES < 1 or SESSION_MAX_HOURS < 1:
    raise ImproperlyConfigured("SESSION_IDLE_MINUTES and SESSION_MAX_HOURS must be at least 1")
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600
# A browser-session cookie unless "remember me" is ticked at login (cchc_plans.accounts).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True


def envnetworks(name, default):
    try:
        return [ipaddress.ip_network(item, strict=False) for item in envlist(name, default)]
    except ValueError as error:
        raise ImproperlyConfigured(f"{name}: {error}") from None


# The client address of a request forwarded by a trusted proxy comes from this header
# (cchc_plans.throttle.client_ip); from any other address the header is ignored.
TRUSTED_PROXIES = envnetworks("TRUSTED_PROXIES", "")
TRUSTED_PROXY_HEADER = os.environ.get("TRUSTED_PROXY_HEADER", "X-Forwarded-For")
AXES_CLIENT_IP_CALLABLE = "cchc_plans.throttle.client_ip"
AXES_HANDLER = "cchc_plans.throttle.LoginThrottleHandler"
AXES_LOCKOUT_CALLABLE = "cchc_plans.throttle.lockout_response"
# Failures for one username from all addresses together within the cool-off that lock it.
LOGIN_ACCOUNT_FAILURE_LIMIT = envint("LOGIN_ACCOUNT_FAILURE_LIMIT", "20")

# Mail (password reset, and every other mail of the application: cchc_plans.mail): EMAIL_URL
# (smtp://user:password@host:587/?tls=True, submission://…, console://) or EMAIL_HOST and its
# companions; the console in development, the local mail server on port 25 otherwise.


def mailer_from_environment():
    smtp = "django.core.mail.backends.smtp.EmailBackend"
    timeout = envint("EMAIL_TIMEOUT", "30")
    if os.environ.get("EMAIL_URL"):
        parsed = dj_email_url.parse(os.environ["EMAIL_URL"])
        backend = parsed.get("EMAIL_BACKEND")
        if backend is None:
            raise ImproperlyConfigured("EMAIL_URL must start with smtp://, submission:// or "
                                       "console://")
        if backend != smtp:
            return {"BACKEND": backend}
        options = {
            "host": parsed["EMAIL_HOST"], "port": parsed["EMAIL_PORT"],
            "username": parsed["EMAIL_HOST_USER"] or "",
            "password": parsed["EMAIL_HOST_PASSWORD"] or "",
            "use_tls": parsed["EMAIL_USE_TLS"], "use_ssl": parsed["EMAIL_USE_SSL"],
            "timeout": parsed["EMAIL_TIMEOUT"] or timeout,
        }
    elif os.environ.get("EMAIL_HOST") or not DEBUG:
        use_tls, use_ssl = envbool("EMAIL_USE_TLS", "0"), envbool("EMAIL_USE_SSL", "0")
        if use_tls and use_ssl:
            raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL exclude each other")
        options = {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": envint("EMAIL_PORT", "465" if use_ssl else "587" if use_tls else "25"),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": use_tls, "use_ssl": use_ssl, "timeout": timeout,
        }
    else:
        return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    return {"BACKEND": smtp, "OPTIONS": options}


MAILERS = {"default": mailer_from_environment()}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "cchc@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Scheme and host of the links in mails (https://cchc.example.gov.vn); the request's own when
# empty.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
if SITE_URL and not re.fullmatch(r"https?://[^/?#\s]+", SITE_URL):
    raise ImproperlyConfigured(f"SITE_URL must be like https://host, not {SITE_URL!r}")
# Notifications (notifications/): what every user gets by e-mail until they choose (the admin's
# "defaults" row, when saved, takes precedence), and how a failed e-mail is tried again.
NOTIFICATION_DEFAULT_NO_EMAIL_KINDS = envlist("NOTIFICATION_DEFAULT_NO_EMAIL_KINDS", "")
NOTIFICATION_DEFAULT_DAILY_DIGEST = envbool("NOTIFICATION_DEFAULT_DAILY_DIGEST", "0")
NOTIFICATION_MAIL_MAX_ATTEMPTS = envint("NOTIFICATION_MAIL_MAX_ATTEMPTS", "5")
NOTIFICATION_MAIL_RETRY_SECONDS = envint("NOTIFICATION_MAIL_RETRY_SECONDS", "300")
PASSWORD_RESET_PER_ADDRESS = envint("PASSWORD_RESET_PER_ADDRESS", "3")  # per hour
PASSWORD_RESET_PER_CLIENT = envint("PASSWORD_RESET_PER_CLIENT", "10")  # per hour
PASSWORD_RESET_TIMEOUT = envint("PASSWORD_RESET_TIMEOUT_HOURS", "24") * 3600

# The cache holds the password reset counters, shared by every process: the database by
# default (`manage.py createcachetable`), or CACHE_URL / REDIS_URL (redis://127.0.0.1:6379/0).
CACHES = {
    "default": django_cache_url.parse(
        os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL") or "db://django_cache"
    )
}
# ---------------------------------------------------------------------------------------------
# Running in production (operations/, scripts/serve): the database under concurrent load, the
# background worker, static files.

# SQLite: readers run beside the one writer (WAL) and a transaction takes the write lock when it
# begins (IMMEDIATE), so concurrent writers queue for up to SQLITE_BUSY_TIMEOUT seconds instead
# of failing with "database is locked". PostgreSQL: persistent connections, checked before each
# request so that one dropped by a database restart is replaced (CONN_HEALTH_CHECKS above).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": envint("SQLITE_BUSY_TIMEOUT", "20"),
    }
# PostgreSQL: no JIT compilation. The pages' statements are short; at a national size the
# planner's cost estimates pass jit_above_cost and compiling took 3 s of a 3.1 s statement
# (a province's year dashboard at a million tasks). POSTGRES_JIT=1 leaves the server's setting.
# And random reads priced as what they are on a server whose data is in memory or on SSD
# (random_page_cost 1.1, PostgreSQL's default 4 is for spinning disks): otherwise the planner
# reads a whole table rather than probe an index for a few thousand rows (a province's year of
# figures: a scan of every figure of the country). POSTGRES_RANDOM_PAGE_COST="" leaves the
# server's setting.
_RANDOM_PAGE_COST = os.environ.get("POSTGRES_RANDOM_PAGE_COST", "1.1").strip()
if _RANDOM_PAGE_COST:
    try:
        _RANDOM_PAGE_COST = float(_RANDOM_PAGE_COST)
        if not 0 < _RANDOM_PAGE_COST < 1e6:  # nan and inf too
            raise ValueError
    except ValueError:
        raise ImproperlyConfigured(
            "POSTGRES_RANDOM_PAGE_COST must be a positive number, not "
            f"{os.environ['POSTGRES_RANDOM_PAGE_COST']!r}"
        ) from None
for _alias in DATABASES:
    if DATABASES[_alias]["ENGINE"] != "django.db.backends.postgresql":
        continue
    _settings = [] if envbool("POSTGRES_JIT", "0") else ["-c jit=off"]
    if _RANDOM_PAGE_COST:
        _settings.append(f"-c random_page_cost={_RANDOM_PAGE_COST}")
    if _settings:
        _options = DATABASES[_alias].setdefault("OPTIONS", {})
        _options["options"] = " ".join([_options.get("options", ""), *_settings]).strip()
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", STATIC_ROOT))

# Logins of a whole office at once: see cchc_plans/hashers.py. The others verify old hashes.
PASSWORD_HASHERS = [
    "cchc_plans.hashers.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# The worker (manage.py db_worker) records a heartbeat every WORKER_HEARTBEAT_SECONDS; a task
# whose worker has been silent for WORKER_LEASE_SECONDS is taken as abandoned (the process died)
# and a report generation is tried again, at most GENERATION_MAX_ATTEMPTS times in all.
WORKER_HEARTBEAT_SECONDS = envint("WORKER_HEARTBEAT_SECONDS", "10")
WORKER_LEASE_SECONDS = envint("WORKER_LEASE_SECONDS", "60")
if WORKER_LEASE_SECONDS <= WORKER_HEARTBEAT_SECONDS:
    raise ImproperlyConfigured("WORKER_LEASE_SECONDS must be longer than WORKER_HEARTBEAT_SECONDS")
GENERATION_MAX_ATTEMPTS = envint("GENERATION_MAX_ATTEMPTS", "3")
