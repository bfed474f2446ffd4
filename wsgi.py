"""WSGI entry point: ``gunicorn wsgi:app``. The configuration comes from RONGHE_CONFIG."""

import os

from app import create_app

app = create_app(os.environ.get("RONGHE_CONFIG", "production"))
