"""People's data rights (PIPL arts. 44–47): an admin exports everything held about a person
and anonymises a person on request. It reads and writes every domain's tables, so it sits at
the top layer with calendars and reports; people.services only calls the erasers it
registers here (an athlete's classes and notes go with the last collection consent)."""

from flask import Blueprint

bp = Blueprint("privacy", __name__)

from app.people.services import register_eraser  # noqa: E402
from app.privacy import routes  # noqa: E402,F401
from app.privacy.anonymise import erase_athlete_sensitive  # noqa: E402

register_eraser(erase_athlete_sensitive)
