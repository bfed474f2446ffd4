"""Ronghe (融合): the application factory. Nothing here does work at import time."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask

from config import CONFIGS, ProductionConfig


def create_app(config: str | type | dict | None = None) -> Flask:
    """Build the app. ``config`` is a name from config.CONFIGS, a config class, or a dict of
    overrides applied on top of TestingConfig (the Flask tutorial's ``test_config``)."""
    app = Flask(__name__, instance_relative_config=True)
    if isinstance(config, dict):
        app.config.from_object(CONFIGS["testing"])
        app.config.update(config)
        config_cls = CONFIGS["testing"]
    else:
        config_cls = CONFIGS[config or "development"] if not isinstance(config, type) else config
        app.config.from_object(config_cls)

    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        db_path = Path(app.instance_path) / "ronghe.sqlite3"
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{db_path}"
    if issubclass(config_cls, ProductionConfig):
        config_cls.check(app.config)
    else:
        _development_secrets(app)

    register_proxy(app)
    register_extensions(app)
    register_url_converters(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_commands(app)
    register_request_hooks(app)
    return app


def _development_secrets(app: Flask) -> None:
    """Outside production a newcomer sets no variable: keep random keys in instance/."""
    from app.core.crypto import generate_key

    for key, filename, make in (
        ("SECRET_KEY", "secret_key", lambda: secrets.token_urlsafe(48)),
        ("PERSONAL_DATA_KEY", "personal_data_key", lambda: secrets.token_urlsafe(48)),
        ("PERSONAL_DATA_ENCRYPTION_KEYS", "personal_data_encryption_key", generate_key),
    ):
        if app.config.get(key):
            continue
        path = Path(app.instance_path) / filename
        if not path.exists():
            # Written aside and linked into place: of two processes starting at once (`make
            # run` beside `make test`, CI's two databases) the first wins and neither reads a
            # half-written key.
            aside = path.with_name(f".{filename}.{os.getpid()}")
            aside.write_text(make())
            os.chmod(aside, 0o600)
            try:
                os.link(aside, path)
            except FileExistsError:
                pass
            finally:
                aside.unlink()
        app.config[key] = path.read_text().strip()


def register_proxy(app: Flask) -> None:
    """Behind RONGHE_PROXY_HOPS reverse proxies, take the client's address, scheme and host
    from their X-Forwarded-* headers (only as many hops as are trusted)."""
    hops = app.config.get("RONGHE_PROXY_HOPS") or 0
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)


def register_extensions(app: Flask) -> None:
    from app import models  # noqa: F401  (complete metadata before anything maps)
    from app.core import commit_hooks, i18n, postgres, sqlite
    from app.extensions import babel, cache, csrf, db, limiter, login_manager, mail, migrate

    # PostgreSQL: the pool pings only connections left idle.
    postgres.configure(app)
    db.init_app(app)
    sqlite.register(app)
    # Read-only requests end with COMMIT, which keeps psycopg's prepared statements.
    postgres.register(app)
    # The domains' work at the outer commit (calendar sync, notices, attendance counts, data
    # versions) runs through this one listener, once per transaction, never per savepoint.
    commit_hooks.install()
    migrate.init_app(
        app,
        db,
        directory=str(Path(__file__).parent.parent / "migrations"),
        render_as_batch=True,
        compare_type=True,
        compare_server_default=True,
    )
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    limiter.init_app(app)
    login_manager.init_app(app)
    mail.init_app(app)
    cache.init_app(app)


def register_url_converters(app: Flask) -> None:
    from app.core.params import IdConverter

    app.url_map.converters["int"] = IdConverter


def register_blueprints(app: Flask) -> None:
    from app.accounts import bp as accounts_bp
    from app.api import bp as api_bp
    from app.athletes import bp as athletes_bp
    from app.calendars import bp as calendars_bp
    from app.competitions import bp as competitions_bp
    from app.core.routes import bp as core_bp
    from app.dashboards import routes as _home  # noqa: F401  (core.home, on core_bp)
    from app.homes import bp as homes_bp
    from app.notices import bp as notices_bp
    from app.notices import init_app as notices_init
    from app.people import bp as people_bp
    from app.performances import bp as performances_bp
    from app.privacy import bp as privacy_bp
    from app.replies import bp as replies_bp
    from app.reports import bp as reports_bp
    from app.sync import bp as sync_bp
    from app.venues import bp as venues_bp

    app.register_blueprint(core_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(people_bp, url_prefix="/people")
    app.register_blueprint(privacy_bp, url_prefix="/people")
    app.register_blueprint(venues_bp, url_prefix="/venues")
    app.register_blueprint(athletes_bp, url_prefix="/athletes")
    app.register_blueprint(competitions_bp, url_prefix="/competitions")
    app.register_blueprint(performances_bp, url_prefix="/performances")
    app.register_blueprint(homes_bp, url_prefix="/homes")
    app.register_blueprint(calendars_bp, url_prefix="/calendar")
    app.register_blueprint(reports_bp, url_prefix="/reports")
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(sync_bp)
    app.register_blueprint(notices_bp, url_prefix="/admin/notices")
    notices_init(app)
    app.register_blueprint(replies_bp, url_prefix="/reply")


def register_error_handlers(app: Flask) -> None:
    from app.core.errors import register

    register(app)


def register_commands(app: Flask) -> None:
    from app.accounts.cli import users_cli
    from app.backup import backup_cli
    from app.demo.cli import demo_cli
    from app.homes.cli import stats_cli
    from app.notices.cli import notices_cli
    from app.people.cli import people_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(people_cli)
    app.cli.add_command(backup_cli)
    app.cli.add_command(notices_cli)
    app.cli.add_command(stats_cli)


def register_request_hooks(app: Flask) -> None:
    from app.accounts import auth_hooks
    from app.core import security, templating

    security.register(app)
    templating.register(app)
    auth_hooks.register(app)
    # Last: the page cache's after-request hook runs after the others (its before-request
    # hook puts itself first) and the data versions' listeners are installed.
    from app import caching

    caching.register(app)
