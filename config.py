"""Configuration classes, chosen by name in ``create_app`` or from ``RONGHE_CONFIG``.

Every value a deployment may change comes from an environment variable; README.md lists them.
"""

from __future__ import annotations

import os

WEAK_SECRETS = {"", "dev", "secret", "changeme", "change-me", "development"}
MIN_SECRET_LENGTH = 32


def _database_url() -> str | None:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return None
    # Accept the URLs hosting platforms hand out and use psycopg 3 for them.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class ConfigError(RuntimeError):
    """A setting production needs is missing or unsafe (the message names it, never its
    value)."""


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    # Key for the keyed hash of certificate numbers (duplicate detection). Kept apart from
    # SECRET_KEY so that rotating the session key does not lose duplicate detection.
    PERSONAL_DATA_KEY = os.environ.get("PERSONAL_DATA_KEY")
    # Fernet keys (comma-separated; the first encrypts, all decrypt) for values encrypted at
    # rest, the certificate number among them (app/core/crypto.py). Rotation: docs/deploy.md.
    PERSONAL_DATA_ENCRYPTION_KEYS = os.environ.get("PERSONAL_DATA_ENCRYPTION_KEYS")
    SQLALCHEMY_DATABASE_URI = _database_url()
    # hide_parameters: a database error must never write personal data (a certificate number,
    # a name) into the log with the failed statement.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}
    RONGHE_TIMEZONE = os.environ.get("RONGHE_TIMEZONE", "Asia/Shanghai")
    BABEL_DEFAULT_LOCALE = "zh_Hans"
    BABEL_DEFAULT_TIMEZONE = RONGHE_TIMEZONE
    LANGUAGES = ("zh_Hans", "en")
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = False
    # Redis unreachable: keep limiting in this process (Flask-Limiter logs a warning) instead
    # of failing every sign-in with a 500; back on Redis as soon as it answers again.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    # Failed sign-ins (and failed current-password checks) per client address ...
    RATELIMIT_LOGIN = os.environ.get("RATELIMIT_LOGIN", "5 per minute")
    # ... and per account, whatever the address (a distributed guess at one account); higher,
    # so that someone else's failures lock the owner out rarely and briefly.
    RATELIMIT_LOGIN_ACCOUNT = os.environ.get("RATELIMIT_LOGIN_ACCOUNT", "10 per minute;50 per day")
    # Photo uploads per signed-in user: decoding is the costly request an organiser can make.
    RATELIMIT_PHOTO_UPLOAD = os.environ.get("RATELIMIT_PHOTO_UPLOAD", "30 per hour")
    # Reply links opened or answered per client address (public pages, no sign-in).
    RATELIMIT_REPLY = os.environ.get("RATELIMIT_REPLY", "30 per minute")
    # Reverse proxies in front of the app that set X-Forwarded-For/-Proto/-Host (0: none).
    # Without it every user behind the proxy shares the proxy's address and one login limit.
    RONGHE_PROXY_HOPS = int(os.environ.get("RONGHE_PROXY_HOPS", "0") or 0)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # An expired CSRF token re-renders the form with the input kept (core/forms.py), so a
    # generous limit only saves people a second submit.
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024
    PAGE_SIZE = 25
    # The site's public address (https://…): calendar feeds carry absolute links to event
    # pages and are built outside any request. Required in production.
    RONGHE_BASE_URL = os.environ.get("RONGHE_BASE_URL", "")
    # The right-hand side of calendar UIDs; stored with each item, so changing it later
    # never changes an existing event's UID.
    CALENDAR_UID_DOMAIN = os.environ.get("CALENDAR_UID_DOMAIN", "calendar.ronghe.local")
    # Where performance photos are kept (default: instance/performance_photos).
    PERFORMANCE_PHOTO_FOLDER = os.environ.get("PERFORMANCE_PHOTO_FOLDER") or None
    # Notices (app/notices, docs/features/notices.md). Each channel is off until configured.
    # E-mail over SMTP (Flask-Mailman):
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25") or 25)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "").lower() in ("1", "true", "yes", "on")
    MAIL_USE_SSL = os.environ.get("MAIL_USE_SSL", "").lower() in ("1", "true", "yes", "on")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "ronghe@localhost")
    MAIL_TIMEOUT = 20
    # SMS through Alibaba Cloud SMS (an approved template and signature name):
    ALIYUN_SMS_ACCESS_KEY_ID = os.environ.get("ALIYUN_SMS_ACCESS_KEY_ID", "")
    ALIYUN_SMS_ACCESS_KEY_SECRET = os.environ.get("ALIYUN_SMS_ACCESS_KEY_SECRET", "")
    ALIYUN_SMS_SIGN_NAME = os.environ.get("ALIYUN_SMS_SIGN_NAME", "")
    ALIYUN_SMS_TEMPLATE_CODE = os.environ.get("ALIYUN_SMS_TEMPLATE_CODE", "")
    ALIYUN_SMS_ENDPOINT = os.environ.get("ALIYUN_SMS_ENDPOINT", "dysmsapi.aliyuncs.com")
    ALIYUN_SMS_PROTOCOL = os.environ.get("ALIYUN_SMS_PROTOCOL", "https")
    # The staff's WeCom group robot:
    WECOM_WEBHOOK_URL = os.environ.get("WECOM_WEBHOOK_URL", "")
    # Participants' WeChat: the Official Account's subscription messages (app/notices/wechat.py),
    # off until the three first are set. The template's field keys and what each carries.
    WECHAT_APP_ID = os.environ.get("WECHAT_APP_ID", "")
    WECHAT_APP_SECRET = os.environ.get("WECHAT_APP_SECRET", "")
    WECHAT_TEMPLATE_ID = os.environ.get("WECHAT_TEMPLATE_ID", "")
    WECHAT_TEMPLATE_FIELDS = os.environ.get(
        "WECHAT_TEMPLATE_FIELDS", "thing1=title,thing2=change,time3=time,thing4=place"
    )
    WECHAT_API_BASE = os.environ.get("WECHAT_API_BASE", "https://api.weixin.qq.com")
    # Minutes a new notice waits so that quick successive changes make one; tries before a
    # notice is marked failed; the first retry's delay (doubling each time); "whom to call".
    NOTICES_HOLD_MINUTES = int(os.environ.get("NOTICES_HOLD_MINUTES", "10") or 10)
    NOTICES_MAX_ATTEMPTS = int(os.environ.get("NOTICES_MAX_ATTEMPTS", "6") or 6)
    NOTICES_RETRY_SECONDS = int(os.environ.get("NOTICES_RETRY_SECONDS", "60") or 60)
    NOTICES_CONTACT = os.environ.get("NOTICES_CONTACT", "")
    NOTICES_REMIND_HOUR = int(os.environ.get("NOTICES_REMIND_HOUR", "18") or 18)
    HSTS = False
    DEMO_DATA_ALLOWED = False
    # The public page cache (app/core/page_cache.py; docs/deploy.md). With CACHE_REDIS_URL
    # every worker and machine shares one cache in Redis; without it each process keeps its
    # own (correct, only less shared).
    CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL") or None
    CACHE_TYPE = "RedisCache" if CACHE_REDIS_URL else "SimpleCache"
    CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "ronghe:")
    CACHE_DEFAULT_TIMEOUT = 600
    CACHE_THRESHOLD = 2000  # SimpleCache: entries kept per process
    PAGE_CACHE_ENABLED = os.environ.get("PAGE_CACHE_ENABLED", "1") != "0"
    # Seconds a data version mirrored in the cache lives (app/core/versions.py); unset: 30 on
    # Redis, 2 in-process (each worker its own mirror).
    VERSION_MIRROR_SECONDS = int(os.environ.get("VERSION_MIRROR_SECONDS", "0")) or None
    # A stored page lives this long even if nothing moves (a backstop; versions decide).
    PAGE_CACHE_TIMEOUT = int(os.environ.get("PAGE_CACHE_TIMEOUT", "600"))
    # The rebuild lock's lifetime, and how long the others wait for the builder when there
    # are no previous bytes to answer (seconds).
    PAGE_CACHE_LOCK_SECONDS = 10
    PAGE_CACHE_WAIT = 3.0


class DevelopmentConfig(Config):
    DEMO_DATA_ALLOWED = True


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key-that-is-long-enough-for-the-checks"  # noqa: S105 (tests only)
    PERSONAL_DATA_KEY = "test-personal-data-key"
    PERSONAL_DATA_ENCRYPTION_KEYS = "vbN3ZyYp1pC0Nfq9c1wDoZ0m0WcNw5pS0Qk5t6mM2Ks="  # noqa: S105
    SQLALCHEMY_DATABASE_URI = _database_url() or "sqlite://"
    RATELIMIT_STORAGE_URI = "memory://"
    DEMO_DATA_ALLOWED = True
    # The suite's tests count queries of public pages: the page cache is off for them and on
    # in the apps of tests/core/test_page_cache.py.
    CACHE_TYPE = "SimpleCache"
    CACHE_REDIS_URL = None
    PAGE_CACHE_ENABLED = False
    # Route tests post without tokens; tests/security turns CSRF back on and checks it.
    WTF_CSRF_ENABLED = False
    # The hashing cost is for attackers, not for the test suite.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105 (a method name, not a password)
    # No channel unless a test configures one (the machine's environment must not send).
    MAIL_SERVER = ""
    ALIYUN_SMS_ACCESS_KEY_ID = ""
    WECOM_WEBHOOK_URL = ""
    WECHAT_APP_ID = ""
    NOTICES_CONTACT = ""


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    HSTS = True

    @classmethod
    def check(cls, config: dict) -> None:
        """Refuse to start with a weak secret, debug mode, missing personal-data keys, an
        in-process rate-limit store or a base URL that is not https."""
        secret = config.get("SECRET_KEY") or ""
        if secret.lower() in WEAK_SECRETS or len(secret) < MIN_SECRET_LENGTH:
            raise ConfigError(
                "SECRET_KEY must be set to a random value of at least "
                f"{MIN_SECRET_LENGTH} characters in production "
                '(python -c "import secrets; print(secrets.token_urlsafe(48))").'
            )
        if config.get("DEBUG"):
            raise ConfigError("Debug mode must never be on in production.")
        if not config.get("PERSONAL_DATA_KEY"):
            raise ConfigError("PERSONAL_DATA_KEY must be set in production.")
        from app.core.crypto import check_keys

        try:
            check_keys(config.get("PERSONAL_DATA_ENCRYPTION_KEYS"))
        except ValueError:
            raise ConfigError(
                "PERSONAL_DATA_ENCRYPTION_KEYS must hold one or more Fernet keys in production "
                '(python -c "from cryptography.fernet import Fernet; '
                'print(Fernet.generate_key().decode())").'
            ) from None
        if (config.get("RATELIMIT_STORAGE_URI") or "memory://").startswith("memory://"):
            raise ConfigError(
                "RATELIMIT_STORAGE_URI must name a shared store in production (for example "
                "redis://127.0.0.1:6379/0): an in-process store counts sign-in failures in each "
                "worker on its own, so several workers multiply the limit."
            )
        if not (config.get("RONGHE_BASE_URL") or "").startswith("https://"):
            raise ConfigError(
                "RONGHE_BASE_URL must be set to the site's https:// address in production "
                "(calendar feeds link to event pages with it)."
            )


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
