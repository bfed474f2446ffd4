"""Locale and time-zone selection, and the language switch's rules.

zh_Hans is the default. A signed-in user's saved preference wins; an anonymous visitor's
choice lives in the session; otherwise Accept-Language decides."""

from __future__ import annotations

from functools import cached_property

import flask_babel
from flask import current_app, has_request_context, request, session
from flask_login import current_user

from app.core import clock


class RequestDomain(flask_babel.Domain):
    """Flask-Babel's message domain, with the request's translations looked up once: Flask-
    Babel finds them again for every string (the context, the domain, the locale, its name
    as a key), which was a tenth of a signed-in list page's time. The lookup is kept in the
    slot Flask-Babel itself reserves for it, ``babel_translations``, which ``refresh()``
    clears and ``force_locale()`` empties and restores, so a language switch mid-request and
    a notice rendered in its reader's language still get theirs."""

    def get_translations(self):
        context = flask_babel._get_current_context()
        if context is None:
            return super().get_translations()
        translations = getattr(context, "babel_translations", None)
        if translations is None:
            translations = super().get_translations()
            context.babel_translations = translations
        return translations


class Babel(flask_babel.Babel):
    """Flask-Babel with the ``RequestDomain``, which the templates' ``_()`` and
    ``ngettext()`` ask directly (Flask-Babel's own callables look the domain up first, for
    each string)."""

    @cached_property
    def domain_instance(self):
        return RequestDomain(domain=self.domain)

    def init_app(self, app, *args, **kwargs):
        super().init_app(app, *args, **kwargs)
        if not self._configure_jinja:
            return

        def translations():
            return self.domain_instance.get_translations()

        app.jinja_env.install_gettext_callables(
            gettext=lambda s: translations().ugettext(s),
            ngettext=lambda s, p, n: translations().ungettext(s, p, n),
            newstyle=True,
            pgettext=lambda c, s: translations().upgettext(c, s),
            npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        )


SESSION_KEY = "lang"
# Babel locale -> BCP 47 tag for <html lang> (accessibility.md asks for zh-CN).
HTML_LANG = {"zh_Hans": "zh-CN", "en": "en"}


def normalise_locale(value: str | None) -> str | None:
    """Map what browsers and people send (zh-CN, zh_hans, en-GB …) to a supported locale."""
    if not value:
        return None
    value = value.strip().replace("-", "_").lower()
    if value.startswith("zh"):
        return "zh_Hans"
    if value.startswith("en"):
        return "en"
    return None


def select_locale() -> str:
    if not has_request_context():
        # CLI commands and services run outside requests (a DomainError's message is read
        # when it is raised): use the default language.
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and getattr(current_user, "is_authenticated", False):
        preferred = normalise_locale(getattr(current_user, "language", None))
        if preferred:
            return preferred
    return anonymous_locale()


def anonymous_locale() -> str:
    """The language of a visitor who is not signed in: the session's choice, else
    Accept-Language, else the default. The page cache keys its pages by it before any user
    is loaded (app/core/page_cache.py)."""
    chosen = normalise_locale(session.get(SESSION_KEY))
    if chosen:
        return chosen
    if request:
        best = request.accept_languages.best_match(["zh-CN", "zh", "en"])
        found = normalise_locale(best)
        if found:
            return found
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return clock.zone_name()


def html_lang(locale: str) -> str:
    return HTML_LANG.get(str(locale), "zh-CN")
