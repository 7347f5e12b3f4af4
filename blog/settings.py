"""
Settings for the blog, read from the environment (django-environ).

Local defaults are safe for development only when DEBUG is turned on
explicitly (``make run`` does so, and writes it into a git-ignored .env);
with DEBUG off a SECRET_KEY and ALLOWED_HOSTS must be given (except for
``manage.py check``, ``makemigrations``, ``showmigrations`` and ``sqlmigrate``,
which only read the code) and the HTTPS settings switch on.
"""

import sys
from pathlib import Path

import environ
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env (git-ignored; `make run` writes DEBUG=1 into it) fills in what
# the real environment leaves unset, so manage.py works by hand after make run.
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
_INSPECTIONS = [["check"], ["makemigrations"], ["showmigrations"], ["sqlmigrate"]]

if DEBUG:
    # Only for a local run: never used when DEBUG is off.
    SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-local-development-only")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
elif Path(sys.argv[0]).name == "manage.py" and sys.argv[1:2] in _INSPECTIONS:
    # Commands that only read the code (system checks, migration files) sign
    # nothing and serve nothing, so they run without the production secrets;
    # `check --deploy` then warns about the placeholder key, as it should.
    SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-no-key-given-for-inspection")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
else:
    SECRET_KEY = env.str("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

INSTALLED_APPS = [
    # django.contrib.admin with the dashboard as its home (blog/dashboard).
    "blog.dashboard.apps.BlogAdminConfig",
    # Users and roles, not "Authentication and authorization" (blog/dashboard/apps.py).
    "blog.dashboard.apps.AuthConfig",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Search's PostgreSQL fields; harmless on SQLite (blog/search/backends.py).
    "django.contrib.postgres",
    # django-taggit, named "Tags" in the admin (blog/dashboard/apps.py).
    "blog.dashboard.apps.TagsConfig",
    # Throttled logins and post passwords (README: Security).
    "axes",
    # Two-factor authentication for staff: authenticator apps and recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "blog.accounts",
    "blog.sitesettings",
    "blog.categories",
    "blog.media",
    "blog.posts",
    "blog.pages",
    "blog.comments",
    "blog.search",
    "blog.wordpress",
    "blog.pagecache",
    # The background worker's queue (`manage.py db_worker`): imports from WordPress.
    "django_tasks_db",
    # manage.py dbbackup / mediabackup / dbrestore / mediarestore (blog/backups).
    "dbbackup",
    "blog.backups",
]

MIDDLEWARE = [
    # The full-page cache for anonymous readers (blog/pagecache) comes first: a hit
    # runs no other middleware and answers with the headers the others set when the
    # page was kept. It loads the session itself to see who is logged in or has a
    # pending comment, and leaves other query strings (WordPress's /?p=123) alone.
    "blog.pagecache.middleware.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Permissions-Policy on every response, refusals and cached pages included.
    "blog.security.PermissionsPolicyMiddleware",
    # NUL and control characters in a path or query: 400 before any view or
    # query sees them (blog/security.py).
    "blog.security.InvalidCharactersMiddleware",
    # WordPress's old addresses (/?p=123...): answered before any view (the page cache
    # above passes their query strings through).
    "blog.wordpress.middleware.OldAddressMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Two-factor state for the admin's requests only (blog/accounts/middleware.py).
    "blog.accounts.middleware.AdminTwoFactorMiddleware",
    "blog.sitesettings.middleware.SiteSettingsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: a locked-out login or post password answers 429.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "blog.urls"
WSGI_APPLICATION = "blog.wsgi.application"
ASGI_APPLICATION = "blog.asgi.application"

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
                "blog.context_processors.site",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# Production keeps each worker's database connection for a minute (checked before reuse)
# instead of opening one per request; development opens one per request.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0 if DEBUG else 60))
DATABASES["default"].setdefault(
    "CONN_HEALTH_CHECKS", env.bool("CONN_HEALTH_CHECKS", default=not DEBUG)
)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A write transaction takes SQLite's lock when it begins, not at its first write:
    # two requests that read then write (the duplicate comment check, a slug) are one
    # after the other instead of one failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("transaction_mode", "IMMEDIATE")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A PostgreSQL that is down or unreachable fails a request in seconds (the
    # reader gets the 503 page, blog/unavailable.py) instead of hanging the worker;
    # a statement that runs longer than gunicorn would wait for it is cancelled
    # (DATABASE_STATEMENT_TIMEOUT=0 turns that off for a long manual job).
    _pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    _pg_options.setdefault("connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5))
    _statement_timeout = env.int("DATABASE_STATEMENT_TIMEOUT", default=30)
    if _statement_timeout:
        _pg_options.setdefault("options", f"-c statement_timeout={_statement_timeout * 1000}")

# The cache is local memory in development and Redis in production
# (CACHE_URL, or REDIS_URL since most hosts export that name).
CACHES = {
    "default": env.cache_url(
        "CACHE_URL",
        default=env.str(
            "REDIS_URL", default="locmemcache://blog" if DEBUG else "redis://127.0.0.1:6379/0"
        ),
    )
}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Redis down or hanging must not take the site down (blog/cache.py): pages are
    # served uncached meanwhile, and a silent Redis costs one short timeout per
    # REDIS_RETRY_AFTER seconds, not the client's default 5 s on every call.
    CACHES["default"]["BACKEND"] = "blog.cache.ResilientRedisCache"
    _redis_options = CACHES["default"].setdefault("OPTIONS", {})
    _redis_options.setdefault("socket_connect_timeout", env.float("REDIS_TIMEOUT", default=0.25))
    _redis_options.setdefault("socket_timeout", env.float("REDIS_TIMEOUT", default=0.25))
    _redis_options.setdefault("RETRY_AFTER", env.float("REDIS_RETRY_AFTER", default=5))

AUTH_USER_MODEL = "accounts.User"
# django-axes first: a locked-out login is refused before its password is hashed.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Logins and post passwords (README: Security): after BLOG_LOGIN_FAILURE_LIMIT failures
# from one IP address, or for one username (or one post), tries are refused for
# BLOG_LOGIN_COOLOFF_MINUTES after the last failure, then allowed again by themselves.
# Failures are rows in the database (shared by every app server, whatever Redis does).
BLOG_LOGIN_FAILURE_LIMIT = env.int("BLOG_LOGIN_FAILURE_LIMIT", default=5)
BLOG_LOGIN_COOLOFF_MINUTES = env.int("BLOG_LOGIN_COOLOFF_MINUTES", default=15)
AXES_FAILURE_LIMIT = "blog.accounts.throttle.failure_limit"
AXES_COOLOFF_TIME = "blog.accounts.throttle.cool_off"
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
# Tries during a lockout do not extend it, so it always ends by itself; a success does
# not wipe the address's failures (one account's login would reset guesses at others).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = False
AXES_CLIENT_IP_CALLABLE = "blog.comments.spam.client_ip"
AXES_LOCKOUT_CALLABLE = "blog.accounts.throttle.lockout_response"
# Two-factor authentication (blog/accounts/two_factor.py): optional for staff; with
# this on, an Administrator can use the admin only once it is set up and verified.
BLOG_REQUIRE_2FA_FOR_ADMINISTRATORS = env.bool("BLOG_REQUIRE_2FA_FOR_ADMINISTRATORS", default=False)
# The issuer authenticator apps show beside the account name.
OTP_TOTP_ISSUER = env.str("BLOG_TITLE", default="Online Marketing Journal")
# Everyone who logs in writes, edits or moderates, so the admin is where a login
# lands (also when ?next= is missing or points off the site).
LOGIN_REDIRECT_URL = "admin:index"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
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
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Where `manage.py dbbackup` and `mediabackup` write and the restores read
# (blog/backups): a folder outside MEDIA_ROOT, or any Django storage put here.
STORAGES["dbbackup"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": env.path("BACKUP_DIR", default=BASE_DIR / "backups")},
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Messages live in a signed cookie so that showing "awaiting moderation"
# never costs a session query on the article page.
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"

# Every page, public or admin, loads styles and scripts from this origin only.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# Uploads (images and their renditions, audio, video, documents) are files under
# MEDIA_ROOT unless AWS_STORAGE_BUCKET_NAME names an S3-compatible bucket (AWS S3,
# MinIO, Ceph, Spaces...; django-storages): then every app server stores and reads them
# there and pages link to the bucket's public addresses. The credentials are read from
# AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or the machine's AWS role) by boto3.
MEDIA_BUCKET = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if MEDIA_BUCKET:
    from blog.media.storage import public_origins

    _bucket = {
        "bucket_name": MEDIA_BUCKET,
        # Another provider's server (https://s3.example.com); AWS itself when unset.
        "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
        "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
        # "path" or "virtual" (bucket.host); botocore picks when unset.
        "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="") or None,
        # A CDN or domain in front of the bucket: the host pages link to.
        "custom_domain": env.str("AWS_S3_CUSTOM_DOMAIN", default="") or None,
        "url_protocol": env.str("AWS_S3_URL_PROTOCOL", default="https:"),
        # A folder inside the bucket.
        "location": env.str("AWS_LOCATION", default=""),
        # "public-read" where the bucket itself has no public-read policy.
        "default_acl": env.str("AWS_DEFAULT_ACL", default="") or None,
        # Plain public addresses: post bodies and cached pages keep them, and signed
        # ones would expire.
        "querystring_auth": False,
        # An upload whose name is taken gets a new name, as on disk, where
        # django-storages would overwrite the other file.
        "file_overwrite": False,
    }
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _bucket}
    # Pages show images, audio and video from the bucket.
    SECURE_CSP["img-src"] += public_origins(_bucket)
    SECURE_CSP["media-src"] = [CSP.SELF, *public_origins(_bucket)]

# HTTPS hardening is on whenever DEBUG is off; each switch can be turned off
# from the environment behind a proxy that terminates TLS itself.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Joining the browsers' HSTS preload list is a commitment for the whole domain
# that cannot be undone quickly, so it is the site owner's explicit choice
# (SECURE_HSTS_PRELOAD=1), and the check that nags about it is silenced.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Permissions-Policy (blog/security.py): the blog uses no camera, microphone,
# location, payment or sensor, so no page or embedded frame may ask for them;
# fullscreen and picture-in-picture stay for the site's own videos.
_NO_ONE = [
    "accelerometer", "autoplay", "bluetooth", "browsing-topics", "camera", "display-capture",
    "geolocation", "gyroscope", "hid", "magnetometer", "microphone", "midi", "payment",
    "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
]  # fmt: skip
BLOG_PERMISSIONS_POLICY = dict.fromkeys(_NO_ONE, ()) | {
    "fullscreen": ("self",),
    "picture-in-picture": ("self",),
}

# EMAIL_URL (smtp://user:pass@host:587/?tls=True) becomes Django 6.1's MAILERS.
# Without it, mail is printed on the console in development and handed to the
# local mail server in production.
_email = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
_smtp_options = {
    "host": _email.get("EMAIL_HOST"),
    "port": _email.get("EMAIL_PORT"),
    "username": _email.get("EMAIL_HOST_USER"),
    "password": _email.get("EMAIL_HOST_PASSWORD"),
    "use_tls": _email.get("EMAIL_USE_TLS"),
    "use_ssl": _email.get("EMAIL_USE_SSL"),
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": {k: v for k, v in _smtp_options.items() if v}
        if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
        else {},
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="blog@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The site's own address, for links in emails sent outside a request (a reply
# approved in the admin tells its parent's commenter with a link to it).
BLOG_SITE_URL = env.str("BLOG_SITE_URL", default="http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    # Django's default config gives "django" a console handler of its own (for
    # DEBUG) and lets it propagate to the root one too: under `make run` every
    # line ("Not Found: ...", tracebacks, the autoreloader's) was printed twice.
    # One handler, the root's, prints each line once; ADMINS is unset, so the
    # default mail_admins handler dropped here sent nothing. Configuring
    # "django" resets its children, so runserver's request lines get their
    # default handler and timestamp back here, and do not propagate.
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "loggers": {
        "django": {"handlers": [], "level": "INFO"},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}

# The starting values of the site settings an Administrator edits in the admin.
BLOG_TITLE = env.str("BLOG_TITLE", default="Online Marketing Journal")
BLOG_TAGLINE = env.str("BLOG_TAGLINE", default="Notes on the web, apps and the people who use them")
# How often the post editor autosaves an open post.
BLOG_AUTOSAVE_SECONDS = env.int("BLOG_AUTOSAVE_SECONDS", default=30)
# Comment anti-spam: the fewest seconds between showing the form and posting
# it, the oldest a form may be, and how many comments one IP may post a minute.
BLOG_COMMENT_MIN_SECONDS = env.int("BLOG_COMMENT_MIN_SECONDS", default=3)
BLOG_COMMENT_MAX_AGE_SECONDS = env.int("BLOG_COMMENT_MAX_AGE_SECONDS", default=2 * 60 * 60)
BLOG_COMMENT_RATE_PER_MINUTE = env.int("BLOG_COMMENT_RATE_PER_MINUTE", default=5)
# Behind a proxy that sets X-Forwarded-For, how many proxies to trust; 0 means
# the client IP is REMOTE_ADDR.
BLOG_TRUSTED_PROXIES = env.int("BLOG_TRUSTED_PROXIES", default=0)

# Uploaded images (blog.media): the largest file and the most pixels accepted
# (anything larger is refused before it is decoded), and the widths of the
# renditions made for srcset. Only widths below an image's own are made; its
# own width is always offered.
BLOG_IMAGE_MAX_BYTES = env.int("BLOG_IMAGE_MAX_BYTES", default=10 * 1024 * 1024)
BLOG_IMAGE_MAX_PIXELS = env.int("BLOG_IMAGE_MAX_PIXELS", default=40_000_000)
# Animations (GIF, APNG, animated WebP): the most frames, and the most pixels of
# all frames together (each frame is decoded, resized and encoded several times).
BLOG_IMAGE_MAX_FRAMES = env.int("BLOG_IMAGE_MAX_FRAMES", default=300)
BLOG_IMAGE_MAX_ANIMATION_PIXELS = env.int("BLOG_IMAGE_MAX_ANIMATION_PIXELS", default=8_000_000)
BLOG_IMAGE_WIDTHS = env.list("BLOG_IMAGE_WIDTHS", cast=int, default=[480, 800, 1200, 1600])
# Audio, video and PDF files in the media library: the largest file accepted
# of each kind (the web server's request body limit must allow the largest).
BLOG_AUDIO_MAX_BYTES = env.int("BLOG_AUDIO_MAX_BYTES", default=50 * 1024 * 1024)
BLOG_VIDEO_MAX_BYTES = env.int("BLOG_VIDEO_MAX_BYTES", default=200 * 1024 * 1024)
BLOG_DOCUMENT_MAX_BYTES = env.int("BLOG_DOCUMENT_MAX_BYTES", default=20 * 1024 * 1024)

# Background tasks (Django's django.tasks) are rows in the database, run by
# `manage.py db_worker` beside the web server: imports from WordPress started
# in the admin run there, never inside a request. Tests run the worker in-process.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Import from WordPress in the admin: the largest upload (WXR file and uploads
# zip together; bigger sites use `manage.py import_wxr`, and nginx must allow
# this size on /admin/wordpress/), and what an uploads zip may unpack to.
BLOG_IMPORT_MAX_BYTES = env.int("BLOG_IMPORT_MAX_BYTES", default=200 * 1024 * 1024)
BLOG_IMPORT_ZIP_MAX_FILES = env.int("BLOG_IMPORT_ZIP_MAX_FILES", default=100_000)
BLOG_IMPORT_ZIP_MAX_BYTES = env.int("BLOG_IMPORT_ZIP_MAX_BYTES", default=4 * 1024 * 1024 * 1024)

# The full-page cache for anonymous readers (blog/pagecache): on unless
# BLOG_PAGE_CACHE=0; a page is kept at most this many seconds (never past the
# next scheduled post), and X-Cache: hit|miss is sent when debugging it.
BLOG_PAGE_CACHE = env.bool("BLOG_PAGE_CACHE", default=True)
BLOG_PAGE_CACHE_SECONDS = env.int("BLOG_PAGE_CACHE_SECONDS", default=300)
BLOG_PAGE_CACHE_DEBUG = env.bool("BLOG_PAGE_CACHE_DEBUG", default=DEBUG)
# Kept pages each process also holds in memory (checked against the cache on every hit).
BLOG_PAGE_CACHE_COPIES = env.int("BLOG_PAGE_CACHE_COPIES", default=200)
# The purge addresses of the nginx fronts (deploy/nginx.conf's purge server), told to
# drop the pages a change reaches: "http://127.0.0.1:8081"; empty, nginx keeps a page
# until its X-Accel-Expires runs out.
BLOG_FRONT_PURGE = env.list("BLOG_FRONT_PURGE", default=[])
