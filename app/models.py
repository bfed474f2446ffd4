"""Imports every model module so the metadata is complete (for create_app, Alembic and tests).
Add a line here when a domain gains a models module."""

from app.accounts import models as accounts_models  # noqa: F401
from app.athletes import models as athletes_models  # noqa: F401
from app.calendars import models as calendars_models  # noqa: F401
from app.competitions import models as competitions_models  # noqa: F401
from app.core import audit, reference, versions  # noqa: F401
from app.homes import models as homes_models  # noqa: F401
from app.notices import models as notices_models  # noqa: F401
from app.people import models as people_models  # noqa: F401
from app.performances import models as performances_models  # noqa: F401
from app.replies import models as replies_models  # noqa: F401
from app.sync import models as sync_models  # noqa: F401
from app.venues import models as venues_models  # noqa: F401
