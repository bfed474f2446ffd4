"""Who may do what with competitions, and how athletes are named to each reader."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l


def can_manage(user, competition) -> bool:
    """Admins, and the coach who manages the competition: edit it, add events and entries,
    record every result in it."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_admin:
        return True
    return user.has_role("coach") and competition.manager_id == user.id


def can_record(user, entry, competition) -> bool:
    """Record the entry's result: those who manage the competition, and a coach who coaches
    any athlete of the entry."""
    if can_manage(user, competition):
        return True
    if user is None or not user.is_authenticated or not user.has_role("coach"):
        return False
    return any(user.id in athlete.coach_ids() for athlete in entry.athletes)


def sees_all_names(user) -> bool:
    """Staff who work with athletes see every name; the public only consenting athletes'."""
    return bool(user and user.is_authenticated and user.has_any_role("coach"))


def hidden_name(competition=None) -> str:
    """How an athlete without publication consent is shown to the public: "athlete of
    <delegation>" when the competition names its delegation, "an athlete" otherwise. The one
    rule of the competition pages, the live results and the API."""
    if competition is not None and competition.delegation:
        return str(_l("athlete of %(delegation)s", delegation=competition.delegation))
    return str(_l("an athlete"))


def athlete_name(athlete, user, competition=None) -> str:
    """The athlete's name, or ``hidden_name(competition)`` for a public reader when the
    athlete has not consented to publication. Counts are never reduced."""
    if sees_all_names(user) or athlete.person.has_publication_consent:
        return athlete.person.name
    return hidden_name(competition)


def namer(user, competition):
    """``name_of(athlete)`` for the templates of one competition's pages."""
    return lambda athlete: athlete_name(athlete, user, competition)


def _compact(code: str) -> str:
    return (code or "").replace(" ", "").upper()


def fits_event(event, athlete, class_code: str | None) -> bool:
    """Whether an athlete fits an event, for the entry form's first list (issue 12 item 5):
    a women's event takes women and a men's event men (mixed and open events anyone), and an
    event with a sport class takes the athletes with that class in the event's sport
    (``class_code``: the athlete's class in that sport, None without one). The form can show
    every athlete; the services do not refuse the others."""
    from app.competitions.enums import EventGender

    gender = athlete.person.gender.value
    if event.gender is EventGender.WOMEN and gender != "female":
        return False
    if event.gender is EventGender.MEN and gender != "male":
        return False
    if event.sport_class:
        return class_code is not None and _compact(class_code) == _compact(event.sport_class)
    return True
