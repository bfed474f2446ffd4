"""WeChat Official Account subscription messages (订阅通知) for participants.

The documented HTTP API, called with requests (no client library: wechatpy, the best known
Python one, has had no release since 2020 and predates both the stable token and the
Official Account's subscription messages; the two calls below are all we need):

- ``POST {WECHAT_API_BASE}/cgi-bin/stable_token`` with ``{"grant_type": "client_credential",
  "appid", "secret"}`` answers ``{"access_token", "expires_in"}`` (at most 7200 s). In its
  normal mode (no ``force_refresh``) every caller gets the token WeChat holds now, so several
  workers never invalidate each other's. The token is kept in the app's cache (Redis when
  ``CACHE_REDIS_URL`` is set, so all workers and machines share it; in-process otherwise) until
  TOKEN_MARGIN seconds before it expires.
- ``POST {WECHAT_API_BASE}/cgi-bin/message/subscribe/bizsend?access_token=…`` with
  ``{"touser": openid, "template_id", "page": url, "data": {"thing1": {"value": …}, …}}``:
  the Official Account's subscription message. (``/cgi-bin/message/subscribe/send`` is the
  Mini Program's API, not the Official Account's.) ``page`` is the web page the card opens:
  the person's reply link, else the event page.

Answers: errcode 0 is sent (its ``msgid`` kept); 40001/40014/42001 (token invalid or expired)
drop the cached token, fetch it again and retry once; 43101 (the person has not subscribed,
or has used up or refused their subscription) fails the notice at once with that reason
(``Refused``: a retry cannot succeed until they subscribe again); anything else, an HTTP
error or no answer raises ChannelError and the worker retries with backoff.

Template fields (``WECHAT_TEMPLATE_FIELDS``, "key=fact" pairs): the keys are the chosen
template's (``thing1``, ``time2``…), the facts ``title``, ``change``, ``time``, ``place``,
``contact``. Each value is fitted to its key's documented type: ``thing`` at most 20
characters, ``phrase`` at most 5 Chinese characters, ``time`` and ``date`` as
"2026年12月4日 09:00~11:00", ``character_string`` 32 letters, digits or symbols,
``phone_number`` 17 digits or symbols, ``name`` 10 characters; a longer value is cut with "…".

WeChat has no idempotency key: a worker killed after WeChat accepted a message and before the
mark committed sends it again (docs/features/notices.md)."""

from __future__ import annotations

import logging
import re
from datetime import datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.core import clock
from app.notices.channels import ChannelError, Refused
from app.notices.enums import Change

log = logging.getLogger(__name__)

TOKEN_PATH = "/cgi-bin/stable_token"  # noqa: S105 (a path, not a password)
SEND_PATH = "/cgi-bin/message/subscribe/bizsend"
# Seconds before its expiry that a cached token is no longer used (WeChat renews a stable
# token five minutes before it expires and keeps the old one valid meanwhile).
TOKEN_MARGIN = 60
EXPIRED_TOKEN = {40001, 40014, 42001}
REFUSED = {43101}
FACTS = ("title", "change", "time", "place", "contact")
DEFAULT_FIELDS = "thing1=title,thing2=change,time3=time,thing4=place"

# Short words for the change in a ``thing`` field, in the recipient's language.
CHANGE_WORDS = {
    Change.MOVED: _l("Changed"),
    Change.CANCELLED: _l("Cancelled"),
    Change.RESTORED: _l("Back on"),
    Change.BOOKED: _l("New booking"),
}
# A ``phrase`` field takes only Chinese characters, at most five, whatever the reader's
# language: fixed words, not the catalogue's.
CHANGE_PHRASES = {
    Change.MOVED: "有变更",
    Change.CANCELLED: "已取消",
    Change.RESTORED: "已恢复",
    Change.BOOKED: "新安排",
}


def configured() -> bool:
    c = current_app.config
    return all(c.get(k) for k in ("WECHAT_APP_ID", "WECHAT_APP_SECRET", "WECHAT_TEMPLATE_ID"))


def _base() -> str:
    return (current_app.config.get("WECHAT_API_BASE") or "https://api.weixin.qq.com").rstrip("/")


# --- what a notice says ---------------------------------------------------------------------


def facts_for(subject, change: Change, language: str, link: str | None) -> dict:
    """The values a WeChat notice is built from, kept in Notice.facts["wechat"] when queued
    (and re-made when a change is coalesced): plain values, the words in the recipient's
    language."""
    locale = "en" if language == "en" else "zh_Hans"
    with force_locale(locale):
        change_word = str(CHANGE_WORDS[change])
    return {
        "title": subject.title,
        "change": change_word,
        "change_phrase": CHANGE_PHRASES[change],
        "starts_at": subject.starts_at.isoformat() if subject.starts_at else "",
        "ends_at": subject.ends_at.isoformat() if subject.ends_at else "",
        "place": subject.venue or subject.address or "",
        "contact": subject.contact or "",
        "page": link or subject.url,
    }


def shorten(value: str, limit: int) -> str:
    """``value`` in at most ``limit`` characters, cut with "…"."""
    value = " ".join((value or "").split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def time_value(starts_at: str, ends_at: str) -> str:
    """Beijing time as WeChat's ``time``/``date`` fields take it: "2026年12月4日 09:00~11:00"
    (the end's date is repeated only when it is another day; an ASCII "~" joins the two)."""
    if not starts_at:
        return ""
    start = clock.to_local(datetime.fromisoformat(starts_at))

    def day(d):
        return f"{d.year}年{d.month}月{d.day}日"

    text = f"{day(start)} {start:%H:%M}"
    if ends_at:
        end = clock.to_local(datetime.fromisoformat(ends_at))
        text += "~" + (f"{end:%H:%M}" if end.date() == start.date() else f"{day(end)} {end:%H:%M}")
    return text


def _fact(fact: str, facts: dict) -> str:
    if fact == "time":
        return time_value(facts.get("starts_at", ""), facts.get("ends_at", ""))
    return facts.get(fact, "") or ""


def field_value(key: str, fact: str, facts: dict) -> str:
    """The value of template field ``key``, fitted to its type (the letters before the
    number). A ``time`` or ``date`` field always carries the subject's time."""
    kind = re.sub(r"\d+$", "", key)
    if kind in ("time", "date"):
        return _fact("time", facts)
    if kind == "phrase":
        value = facts.get("change_phrase", "") if fact == "change" else _fact(fact, facts)
        return "".join(ch for ch in value if "\u4e00" <= ch <= "\u9fff")[:5]
    value = _fact(fact, facts)
    if kind == "character_string":
        return shorten(re.sub(r"[^\x21-\x7e]", "", value), 32)
    if kind == "phone_number":
        return re.sub(r"[^0-9+\-]", "", value)[:17]
    if kind == "name":
        return shorten(value, 10)
    return shorten(value, 20)  # thing, and any other type: the documented 20 characters


def template_fields() -> list[tuple[str, str]]:
    """(template key, fact) pairs from WECHAT_TEMPLATE_FIELDS ("thing1=title,time3=time")."""
    spec = current_app.config.get("WECHAT_TEMPLATE_FIELDS") or DEFAULT_FIELDS
    pairs = []
    for part in spec.split(","):
        key, _, fact = part.strip().partition("=")
        if not re.fullmatch(r"[a-z_]+\d+", key.strip()) or fact.strip() not in FACTS:
            raise ValueError(f"WECHAT_TEMPLATE_FIELDS: {part.strip()!r}")
        pairs.append((key.strip(), fact.strip()))
    return pairs


def message(notice) -> dict:
    """The bizsend request body for ``notice``. WeChat refuses an empty value (47003), so an
    empty text field says "-"; an empty time (an event without one) cannot be sent at all."""
    facts = (notice.facts or {}).get("wechat") or {}
    data = {}
    for key, fact in template_fields():
        value = field_value(key, fact, facts)
        if not value:
            if re.sub(r"\d+$", "", key) in ("time", "date"):
                raise Refused(f"WeChat: the template's {key} needs a time and this has none")
            value = "-"
        data[key] = {"value": value}
    body = {
        "touser": notice.address,
        "template_id": current_app.config["WECHAT_TEMPLATE_ID"],
        "data": data,
    }
    if facts.get("page"):
        body["page"] = facts["page"]
    return body


# --- the access token -----------------------------------------------------------------------


def _cache_key() -> str:
    return f"notices:wechat:token:{current_app.config['WECHAT_APP_ID']}"


def _cached_token() -> str | None:
    from app.extensions import cache

    try:
        entry = cache.get(_cache_key())
    except Exception:  # the cache down (Redis unreachable): fetch a token, as without one
        log.warning("WeChat token cache unreachable", exc_info=True)
        return None
    if not entry or entry.get("expires_at", 0) - TOKEN_MARGIN <= clock.now().timestamp():
        return None
    return entry.get("token")


def _keep_token(token: str, expires_in: int) -> None:
    from app.extensions import cache

    entry = {"token": token, "expires_at": clock.now().timestamp() + expires_in}
    try:
        cache.set(_cache_key(), entry, timeout=max(expires_in, 1))
    except Exception:
        log.warning("WeChat token cache unreachable", exc_info=True)


def forget_token() -> None:
    from app.extensions import cache

    try:
        cache.delete(_cache_key())
    except Exception:
        log.warning("WeChat token cache unreachable", exc_info=True)


def _post(path: str, payload: dict, token: str | None = None) -> dict:
    """POST JSON to WeChat; its JSON answer, or ChannelError (never naming the token or the
    secret: a requests error repeats the URL, which carries the token)."""
    import requests

    params = {"access_token": token} if token else None
    try:
        response = requests.post(_base() + path, params=params, json=payload, timeout=10)
    except requests.RequestException as error:
        text = str(error).replace(token, "***") if token else str(error)
        raise ChannelError(f"WeChat: {type(error).__name__}: {text}"[:480]) from error
    if response.status_code != 200:
        raise ChannelError(f"WeChat: HTTP {response.status_code}")
    try:
        data = response.json()
    except ValueError as error:
        raise ChannelError("WeChat: the answer was not JSON") from error
    if not isinstance(data, dict):
        raise ChannelError("WeChat: the answer was not a JSON object")
    return data


def access_token() -> str:
    """The Official Account's access token: the cached one while it has more than
    TOKEN_MARGIN seconds left, else a new one from the stable_token API (then cached)."""
    token = _cached_token()
    if token:
        return token
    c = current_app.config
    data = _post(
        TOKEN_PATH,
        {
            "grant_type": "client_credential",
            "appid": c["WECHAT_APP_ID"],
            "secret": c["WECHAT_APP_SECRET"],
        },
    )
    token = data.get("access_token")
    if not token:
        raise ChannelError(
            f"WeChat token: {data.get('errcode', '')} {data.get('errmsg', '')}".strip()[:480]
        )
    _keep_token(token, int(data.get("expires_in") or 7200))
    return token


# --- sending --------------------------------------------------------------------------------


def send(notice) -> str:
    """Send ``notice``; WeChat's msgid. Raises Refused (43101) or ChannelError."""
    try:
        body = message(notice)
    except ValueError as error:  # WECHAT_TEMPLATE_FIELDS misconfigured: retried once fixed
        raise ChannelError(f"WeChat: {error}"[:480]) from error
    if not notice.address:
        raise Refused("WeChat: the notice has no openid")
    token = access_token()
    data = _post(SEND_PATH, body, token)
    if data.get("errcode") in EXPIRED_TOKEN:
        forget_token()
        token = access_token()
        data = _post(SEND_PATH, body, token)
    code = data.get("errcode", 0)
    if code == 0:
        return str(data.get("msgid", ""))
    if code in REFUSED:
        raise Refused(
            "WeChat 43101: the person has not subscribed to these messages, has used up "
            "their subscription or refused it; not retried. They can subscribe again in the "
            "Official Account."
        )
    raise ChannelError(f"WeChat: {code} {data.get('errmsg', '')}"[:480])
