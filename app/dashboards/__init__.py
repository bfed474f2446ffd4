"""The home page's dashboards: ``boards.py`` (each role's widgets) and ``routes.py`` (the
home page, endpoint ``core.home``). A top-layer package: it reads every domain, and nothing
below imports it (tests/test_layers.py)."""
