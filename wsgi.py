"""WSGI entry point: ``gunicorn wsgi:app``. The configuration comes from RONGHE_CONFIG
(production when unset). A production setting that is missing or unsafe stops the start with
one line saying which, not a traceback (issue 12 item 20)."""

import os

from app import create_app
from config import CONFIGS, ConfigError

_config = os.environ.get("RONGHE_CONFIG")
if _config and _config not in CONFIGS:
    raise SystemExit(
        f"Ronghe: RONGHE_CONFIG={_config} is not one of {', '.join(CONFIGS)}; "
        "`make run` sets up development."
    )

try:
    app = create_app(_config or "production")
except ConfigError as error:
    if _config:
        raise SystemExit(f"Ronghe cannot start with RONGHE_CONFIG={_config}: {error}") from None
    raise SystemExit(
        "Ronghe: RONGHE_CONFIG is not set, so the production settings apply, and they are "
        f"incomplete: {error} To try Ronghe on this computer, `make run` sets up development "
        "(RONGHE_CONFIG=development, keys generated into instance/)."
    ) from None
