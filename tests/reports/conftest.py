"""Reports tests assert the English source messages (force_locale for code run outside a
request; the test app's default language is English)."""

import pytest


@pytest.fixture(autouse=True)
def _english(request):
    if "app" not in request.fixturenames:
        yield
        return
    from flask_babel import force_locale

    with force_locale("en"):
        yield
