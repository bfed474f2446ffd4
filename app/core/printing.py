"""Printed pages (A4, print CSS, no PDF library): the pieces of the page header and footer
that a stylesheet of its own carries, because the policy allows no inline style and CSS
margin boxes (``@page { @top-left { content: … } }``, which Chromium prints) take only
strings and counters. Used by the term report (app/reports) and the competition documents
(app/competitions/printing.py)."""

from __future__ import annotations

from flask_babel import gettext as _

PRINT_LANGUAGES = ("zh_Hans", "en")


def css_string(text: str) -> str:
    """``text`` as a CSS string literal: quotes and backslashes escaped, line breaks as
    spaces, so no translation can end the string or the rule."""
    text = str(text).replace("\\", "\\\\").replace('"', '\\"')
    return '"' + " ".join(text.splitlines()) + (" " if text.endswith("\n") else "") + '"'


def page_of() -> str:
    """ "Page N of M" in the current language as a margin box's content: strings and the
    ``page`` and ``pages`` counters ("第 " counter(page) " 页，共 " counter(pages) " 页")."""
    page = _("Page %(page)s of %(pages)s", page="\0page\0", pages="\0pages\0")
    pieces = []
    for piece in page.split("\0"):
        if piece in ("page", "pages"):
            pieces.append(f"counter({piece})")
        elif piece:
            pieces.append(css_string(piece))
    return " ".join(pieces)
