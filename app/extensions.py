"""Flask extensions, created unbound and initialised in ``create_app``."""

from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mailman import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from app.core.db import Base
from app.core.i18n import Babel

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# E-mail for notices (app/notices/channels.py); off while MAIL_SERVER is empty.
mail = Mail()
# No default limits: only the endpoints that need one (login) are limited.
limiter = Limiter(key_func=get_remote_address)
# The public page cache (app/core/page_cache.py): RedisCache in production, shared by every
# worker; SimpleCache (in-process) in development and tests.
cache = Cache()
