"""The performance pages, one module per task, all on the ``performances`` blueprint
(``app.performances.bp``): agenda (the list and a performance's page), performances (add,
edit, after-show report), photos, programmes, troupes, bookings, statistics. Shared helpers
are in ``_common``."""

from app.performances.views import (  # noqa: F401
    _common,
    agenda,
    bookings,
    performances,
    photos,
    programmes,
    statistics,
    troupes,
)
