"""The homes pages, one module per task, all on the ``homes`` blueprint (``app.homes.bp``):
homes (list, page, form, staff dashboard, own schedule), members, activities (series),
sessions (one occurrence: cancel, move, restore), roll_call, statistics. Shared loading and
template filters are in ``_common``."""

from app.homes.views import (  # noqa: F401
    _common,
    activities,
    homes,
    members,
    roll_call,
    sessions,
    statistics,
)
