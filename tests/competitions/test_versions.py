"""Issue 12 item 4: a missing version is a stale one for every competitions service that
changes a saved record (competition, event, entry status, result), through one helper
(core.editing.check_version); the current version saves."""

import pytest

from app.competitions import services
from app.core.errors import EditConflict
from app.extensions import db


@pytest.fixture
def saved(make_competition, make_event, make_athlete, enter):
    competition = make_competition()
    event = make_event(competition)
    entry = enter(event, make_athlete(), medal="gold")
    return competition, event, entry


def _event_data(event):
    return {
        "name": event.name,
        "sport_id": event.sport_id,
        "gender": str(event.gender),
        "sport_class": event.sport_class,
        "is_team": event.is_team,
    }


@pytest.mark.parametrize("version", [None, "", "x", "²", "9" * 20, True])
def test_a_missing_or_unreadable_version_is_stale_everywhere(saved, version):
    competition, event, entry = saved
    with pytest.raises(EditConflict):
        services.update_event(event, {**_event_data(event), "name": "改名"}, version=version)
    with pytest.raises(EditConflict):
        services.set_entry_status(entry, "withdrawn", version=version)
    with pytest.raises(EditConflict):
        services.save_result(entry, rank=2, medal="silver", version=version)
    with pytest.raises(EditConflict):
        services.update_competition(competition, {}, version=version)
    db.session.rollback()
    assert (event.name, str(entry.status), str(entry.result.medal)) == (
        "Women's individual compound open",
        "nominated",
        "gold",
    )


def test_the_current_version_saves(saved):
    _competition, event, entry = saved
    services.update_event(event, {**_event_data(event), "name": "改名"}, version=event.version)
    services.set_entry_status(entry, "withdrawn", version=entry.version)
    db.session.commit()
    assert (event.name, str(entry.status)) == ("改名", "withdrawn")
