"""Notices: telling the people affected when something they are expected at changes, by
e-mail, SMS and the staff's WeCom group, through an outbox written with the change."""

from flask import Blueprint

bp = Blueprint("notices", __name__)


def init_app(app) -> None:
    """Let the domains' edit forms ask how many people a change would tell
    (core.notify.affected_count)."""
    from app.core import notify
    from app.extensions import db
    from app.notices.recipients import count_told

    notify.register_counter(lambda kind, subject_id: count_told(db.session, kind, subject_id))


from app.notices import cli, hooks, routes  # noqa: E402, F401
