"""A confirmation step for destructive actions that works without JavaScript.

A destructive button posts to its action as usual. The view asks first:

    page = confirm.ask(
        _("Remove %(name)s from the troupe?", name=...),
        consequence=_("They are no longer offered for performances. …"),
        confirm_label=_("Yes, remove"),
        cancel_url=url_for(...),
    )
    if page is not None:
        return page
    ... do it ...

The first POST (without ``confirmed``) changes nothing: it answers a page with the question,
what will happen, a warning button that posts the same fields again with ``confirmed=yes``
(and a fresh CSRF token), and a way back. So a slip of the finger or a crawler never deletes
anything, and a screen-reader or keyboard user meets an ordinary page, not a dialog.
"""

from __future__ import annotations

from flask import render_template, request

CONFIRMED = "confirmed"


def confirmed() -> bool:
    return request.method == "POST" and request.form.get(CONFIRMED) == "yes"


def ask(question, *, consequence=None, confirm_label, cancel_url: str):
    """None when the user confirmed this POST; otherwise the confirmation page (200)."""
    if confirmed():
        return None
    carried = [
        (name, value)
        for name, value in request.form.items(multi=True)
        if name not in ("csrf_token", CONFIRMED)
    ]
    page = render_template(
        "core/confirm.html",
        question=question,
        consequence=consequence,
        confirm_label=confirm_label,
        cancel_url=cancel_url,
        carried=carried,
    )
    return page, 200
