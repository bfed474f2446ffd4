"""The competition pages, one module per task, all on the ``competitions`` blueprint
(``app.competitions.bp``): medals (the medal table, an athlete's career), competitions (a
competition's page, its form, its events), entries, results (the results screen and the
import). Shared loading is in ``_common``.

Every edit form carries the record's version: a stale one answers 409 with both values and
the input kept."""

from app.competitions.views import (  # noqa: F401
    _common,
    competitions,
    entries,
    medals,
    results,
)
