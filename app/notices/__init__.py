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
    from app.notices.withhold import forget_person

    notify.register_counter(lambda kind, subject_id: count_told(db.session, kind, subject_id))
    notify.register_forgetter(forget_person)

    @app.context_processor
    def _person_notices():
        # The person page (people, a lower layer) lists the notices a person got through
        # this function instead of importing the notices package.
        from app.notices.queries import for_person

        return {"notices_for_person": for_person}

    @app.teardown_request
    def _forget_quiet(exc):
        # A quiet save that never reached commit or rollback (invalid input) must not make
        # a later save in the same session quiet.
        db.session.info.pop(notify.QUIET, None)


from app.notices import cli, hooks, routes  # noqa: E402, F401
