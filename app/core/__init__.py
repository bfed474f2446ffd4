"""Shared infrastructure: database base, auth helpers, forms, errors, audit, i18n, templating.
The site-wide pages live in ``app.core.routes`` (blueprint ``core``)."""
