"""Tests of the people register assert the English source messages."""

import pytest


@pytest.fixture(autouse=True)
def _english(request):
    if "app" not in request.fixturenames:
        yield
        return
    from flask_babel import force_locale

    with force_locale("en"):
        yield
