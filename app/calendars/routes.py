"""Calendars: the feeds (public, per competition / programme / troupe / home / venue, the
personal feed behind a token, a single event, the admin export), the page that lists them
with one-tap, copy, Google and QR subscribe links, and the personal feed's on / rotate / off.

Every feed answers with ``text/calendar; charset=utf-8``, a ``.ics`` filename, ETag and
Last-Modified from the feed's marks, 304 to a matching If-None-Match or If-Modified-Since
before anything is built, gzip only when the client asks for it, and HEAD."""

from __future__ import annotations

import gzip
import hashlib

import sqlalchemy as sa
from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.calendars import bp, links, tokens
from app.calendars.feeds import Feed, build, validator
from app.calendars.ics import rebase_urls
from app.calendars.models import CalendarItem, CalendarItemFeed
from app.calendars.sources import BABEL_LOCALE, SOURCES
from app.core import audit, confirm
from app.core.auth import login_required, public, role_required
from app.core.i18n import normalise_locale
from app.core.params import whole_number
from app.core.security import mark_personal
from app.extensions import db

MAX_ALARM_MINUTES = 7 * 24 * 60


class BadFeedParameter(Exception):
    pass


def _lang() -> str:
    value = request.args.get("lang")
    if value is None or value == "":
        return "zh"
    found = normalise_locale(value)
    if found is None:
        raise BadFeedParameter(_("The lang parameter must be zh or en."))
    return "en" if found == "en" else "zh"


def _alarm() -> int | None:
    value = request.args.get("alarm")
    if value is None or value == "" or value == "0":
        return None
    minutes = whole_number(value, low=1, high=MAX_ALARM_MINUTES)
    if minutes is None:
        raise BadFeedParameter(
            _(
                "The alarm parameter must be a number of minutes from 1 to %(most)s.",
                most=MAX_ALARM_MINUTES,
            )
        )
    return minutes


@bp.errorhandler(BadFeedParameter)
def bad_parameter(error):
    return Response(str(error) + "\n", status=400, mimetype="text/plain")


def _accepts_gzip() -> bool:
    return request.accept_encodings["gzip"] > 0


def serve(feed: Feed, *, cache: str = "public, max-age=900") -> Response:
    """Answer a feed request: 304 from the marks alone, else the stored blocks joined."""
    lang, alarm = _lang(), _alarm()
    if feed.personal:
        mark_personal()
    session = db.session
    etag, last_modified = validator(session, feed, lang, alarm)
    zipped = _accepts_gzip()
    tag = etag + ("-gz" if zipped else "")
    headers = {
        "ETag": f'"{tag}"',
        "Last-Modified": _http_date(last_modified),
        "Cache-Control": "private, no-cache" if feed.personal else cache,
        "Vary": "Accept-Encoding",
    }
    inm = request.if_none_match
    if inm:
        if inm.star_tag or inm.contains_weak(etag) or inm.contains_weak(etag + "-gz"):
            return Response(status=304, headers=headers)
    elif request.if_modified_since is not None:
        if last_modified.replace(microsecond=0) <= request.if_modified_since:
            return Response(status=304, headers=headers)
    body = _with_our_host(build(session, feed, lang, alarm))
    if zipped:
        body = gzip.compress(body, compresslevel=6, mtime=0)
        headers["Content-Encoding"] = "gzip"
    response = Response(body, mimetype="text/calendar")
    # A compressed body is bytes, not text: pass it through untouched (the same feed's
    # uncompressed body is what tests and the leak guard read).
    response.direct_passthrough = zipped
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'inline; filename="{feed.filename}"'
    response.headers.update(headers)
    return response


def _with_our_host(body: bytes) -> bytes:
    """Without RONGHE_BASE_URL (never in production: ProductionConfig.check requires it) the
    stored event URLs name a guessed address; answer with the host that served the feed, so
    ``PORT=5001 make run`` gives links that work (issue 12 item 21)."""
    if current_app.config.get("RONGHE_BASE_URL"):
        return body
    return rebase_urls(body, request.host_url)


def _http_date(value) -> str:
    from werkzeug.http import http_date

    return http_date(value)


def _named(lang: str, build_name) -> str:
    with force_locale(BABEL_LOCALE[lang]):
        return build_name()


# --- feed definitions ---------------------------------------------------------------------


def _entity_name(kind: str, entity_id: int) -> str | None:
    from app.competitions.models import Competition
    from app.homes.models import Home
    from app.performances.models import Programme, Troupe
    from app.venues.models import Venue

    model, condition = {
        "competition": (Competition, None),
        "programme": (Programme, None),
        "troupe": (Troupe, None),
        "home": (Home, Home.is_archived.is_(False)),
        "venue": (Venue, Venue.is_archived.is_(False)),
    }[kind]
    table = model.__table__
    query = sa.select(table.c.name).where(table.c.id == entity_id)
    if condition is not None:
        query = query.where(condition)
    return db.session.scalar(query)


def public_feed(lang: str) -> Feed:
    return Feed(
        keys=["public"],
        name=_named(lang, lambda: _("Ronghe: all public events")),
        filename="ronghe-public.ics",
    )


def entity_feed(kind: str, entity_id: int, lang: str) -> Feed | None:
    name = _entity_name(kind, entity_id)
    if name is None:
        return None
    return Feed(
        keys=[f"{kind}:{entity_id}"],
        name=_named(lang, lambda: _("Ronghe: %(name)s", name=name)),
        filename=f"ronghe-{kind}-{entity_id}.ics",
    )


def personal_feed(token: str, lang: str) -> Feed | None:
    found = tokens.owner(token)
    if found is None:
        return None
    user_id, person_id = found
    keys = personal_keys(user_id, person_id)
    return Feed(
        keys=keys,
        name=_named(lang, lambda: _("Ronghe: my schedule")),
        filename="ronghe-my-schedule.ics",
        personal=True,
        extra=[tokens.digest(token)],
    )


def personal_keys(user_id: int, person_id: int | None) -> list[str]:
    """The feed keys of a user's schedule: as a coach or organiser (``user:``), as the staff
    of homes, as a person (athlete, support person, performer) and as the caregiver of each
    dependant (Person.guardian_person), and the homes they or their dependants belong to."""
    from app.people.models import Person

    keys = {f"user:{user_id}"}
    for source in SOURCES.values():
        keys |= source.user_keys(db.session, user_id)
    people: list[int] = []
    if person_id is not None:
        people = [person_id] + list(
            db.session.scalars(
                sa.select(Person.id).where(
                    Person.guardian_person_id == person_id, Person.is_archived.is_(False)
                )
            )
        )
        keys |= {f"person:{pid}" for pid in people}
        for source in SOURCES.values():
            keys |= source.personal_keys(db.session, people)
    return sorted(keys)


# --- feed routes --------------------------------------------------------------------------


@bp.route("/public.ics")
@public
def public_ics():
    return serve(public_feed(_lang()))


@bp.route("/<any(competition, programme, troupe, home, venue):kind>/<int:entity_id>.ics")
@public
def entity_ics(kind: str, entity_id: int):
    feed = entity_feed(kind, entity_id, _lang())
    if feed is None:
        abort(404)
    return serve(feed)


@bp.route("/u/<token>.ics")
@public
def personal_ics(token: str):
    feed = personal_feed(token, _lang())
    if feed is None:
        abort(404)
    return serve(feed)


@bp.route("/export.ics")
@role_required("admin")
def export_ics():
    """Every item, without window or size limit (admins)."""
    lang = _lang()
    feed = Feed(
        keys=None,
        name=_named(lang, lambda: _("Ronghe: everything")),
        filename="ronghe-export.ics",
        personal=True,
        windowed=False,
    )
    return serve(feed)


def _visible_item(kind: str, source_id: int) -> CalendarItem | None:
    item = db.session.scalar(
        sa.select(CalendarItem).where(
            CalendarItem.kind == kind, CalendarItem.source_id == source_id
        )
    )
    if item is None:
        return None
    keys = set(
        db.session.scalars(
            sa.select(CalendarItemFeed.feed_key).where(CalendarItemFeed.item_id == item.id)
        )
    )
    if "public" in keys:
        return item
    mark_personal()  # someone's own schedule: never cached on a shared device
    if current_user.is_authenticated and (
        current_user.is_admin or keys & set(personal_keys(current_user.id, current_user.person_id))
    ):
        return item
    return None


@bp.route("/event/<kind>/<int:source_id>.ics")
@public
def event_ics(kind: str, source_id: int):
    """One event (add to my calendar): public items for everyone, others for the people
    whose schedule holds them."""
    if kind not in SOURCES:
        abort(404)
    item = _visible_item(kind, source_id)
    if item is None:
        abort(404)
    lang = _lang()
    from app.calendars.feeds import assemble

    body = assemble(item.fields["text"][lang]["summary"], [item.ics(lang)], lang, _alarm())
    body = _with_our_host(body)
    etag = hashlib.sha256(body).hexdigest()[:32]
    headers = {"ETag": f'"{etag}"', "Last-Modified": _http_date(item.changed_at)}
    if request.if_none_match and request.if_none_match.contains_weak(etag):
        return Response(status=304, headers=headers)
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="ronghe-{kind.replace("_", "-")}-{source_id}.ics"'
    )
    response.headers.update(headers)
    return response


@bp.route("/go/<kind>/<int:source_id>")
@public
def go(kind: str, source_id: int):
    """The stable URL in every VEVENT: redirects to the event's current page."""
    source = SOURCES.get(kind)
    target = source.page_url(source_id) if source is not None else None
    if target is None:
        abort(404)
    return redirect(target)


# --- pages --------------------------------------------------------------------------------


@bp.route("/")
@public
def index():
    personal = None
    feed_on = False
    if current_user.is_authenticated:
        mark_personal()
        feed_on = tokens.is_on(current_user.id)
        token = tokens.take_revealed(current_user.id) if feed_on else None
        if token is not None:
            personal = links.subscribe_links(
                url_for("calendars.personal_ics", token=token, _external=True),
                _("Ronghe: my schedule"),
            )
    public_links = links.subscribe_links(
        url_for("calendars.public_ics", _external=True), _("Ronghe: all public events")
    )
    return render_template(
        "calendars/index.html",
        public=public_links,
        personal=personal,
        feed_on=feed_on,
        groups=links.feed_groups(),
        signed_in=current_user.is_authenticated,
    )


@bp.route("/subscribe/<any(competition, programme, troupe, home, venue):kind>/<int:entity_id>")
@public
def subscribe(kind: str, entity_id: int):
    name = _entity_name(kind, entity_id)
    if name is None:
        abort(404)
    feed = links.subscribe_links(
        url_for("calendars.entity_ics", kind=kind, entity_id=entity_id, _external=True),
        _("Ronghe: %(name)s", name=name),
    )
    return render_template("calendars/subscribe.html", feed=feed, name=name)


@bp.route("/personal/<any(on, rotate, off):action>", methods=["POST"])
@login_required
def personal(action: str):
    """Turn the personal feed on, give it a new address (the old one stops at once), or turn
    it off. Audited without the token."""
    if action != "on":
        page = confirm.ask(
            _("Turn your schedule feed off?")
            if action == "off"
            else _("Give your schedule feed a new address?"),
            consequence=_(
                "The address you have now stops working at once: every phone or calendar "
                "subscribed to it stops receiving your schedule until you subscribe again."
            ),
            confirm_label=_("Yes, turn it off")
            if action == "off"
            else _("Yes, make a new address"),
            cancel_url=url_for("calendars.index") + "#personal",
        )
        if page is not None:
            return page
    if action == "off":
        tokens.turn_off(current_user.id)
        message = _("Your schedule feed is off. Its address no longer works.")
    else:
        tokens.reveal(tokens.issue(current_user.id))
        message = (
            _("Your schedule feed has a new address. The old address no longer works.")
            if action == "rotate"
            else _("Your schedule feed is on.")
        )
    audit.record(f"calendar_feed_{action}", "user", current_user.id, actor=current_user)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("calendars.index") + "#personal")
