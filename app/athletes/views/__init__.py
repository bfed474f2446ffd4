"""The athlete pages, one module per task, all on the ``athletes`` blueprint
(``app.athletes.bp``): lists (list, pipeline, downloads, dashboard), profile (page, add,
edit, stage), screening (classes and assessments), reference (sports and templates, admins),
screening_import. Shared loading and the personal-page mark are in ``_common``.

Every page shows personal data (mark_personal). An athlete the user may not see answers 404
(rules.can_view); one they may see but not change answers 403 on the forms."""

from app.athletes.views import (  # noqa: F401
    _common,
    lists,
    profile,
    reference,
    screening,
    screening_import,
)
