"""The form of an entry's protest note (issue 17, app/competitions/official.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import Length

from app.competitions.official import MAX_NOTE
from app.core.forms import BaseForm, VersionField


class ProtestForm(BaseForm):
    """A protest note on an entry while the event's results are provisional: empty withdraws
    it. Carries the entry's version."""

    protest_note = TextAreaField(
        _l("Protest"),
        validators=[
            Length(max=MAX_NOTE, message=_l("Write the protest in at most %(max)d characters."))
        ],
    )
    version = VersionField()

    @staticmethod
    def data_from(entry) -> dict:
        return {"protest_note": entry.protest_note, "version": entry.version}
