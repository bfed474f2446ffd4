"""The results screen as a coach uses it (issue 12 items 1-4, issue 13 item 10): any change
to any box of a row is saved, every problem is reported at once in row order, a conflict
shows every field that differs and keeps what the other person saved, a missing version is a
stale one, and a save racing another never answers 500."""

from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from app.competitions import services
from app.competitions.models import Result
from app.core.audit import AuditEvent
from app.extensions import db


class _FormReader(HTMLParser):
    """What a browser would post from the page's form: every input's value and every
    select's selected option."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, str] = {}
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name"):
            self.data[attrs["name"]] = attrs.get("value") or ""
        elif tag == "select":
            self._select = attrs.get("name")
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def page_form(html: str) -> dict[str, str]:
    reader = _FormReader()
    reader.feed(html)
    return reader.data


@pytest.fixture
def screen(make_user, make_competition, make_event, make_athlete, enter):
    coach = make_user("coach")
    first, second, third = (make_athlete(coaches=[coach]) for _ in range(3))
    event = make_event(make_competition(name="Provincial Games", level="provincial"))
    scored = enter(event, first, medal="gold", mark="652", official=False)
    blank = enter(event, second, result=False)
    other = enter(event, third, result=False)
    return {
        "coach": coach,
        "event": event,
        "scored": scored,
        "blank": blank,
        "other": other,
        "url": f"/competitions/events/{event.id}/results",
    }


def result_of(entry):
    return db.session.scalar(
        sa.select(Result)
        .where(Result.entry_id == entry.id)
        .execution_options(populate_existing=True)
    )


def test_a_dns_row_with_rank_and_mark_blank_is_saved(client, screen, login_as):
    login_as(user=screen["coach"])
    form = page_form(client.get(screen["url"]).get_data(as_text=True))
    blank = screen["blank"]
    form[f"status-{blank.id}"] = "DNS"
    response = client.post(screen["url"], data=form)
    assert response.status_code == 303
    result = result_of(blank)
    assert (result.status, result.rank, result.mark, result.medal) == ("DNS", None, "", "none")
    # The rows nobody touched were not saved: no result for the third, no update of the first.
    assert result_of(screen["other"]) is None
    assert result_of(screen["scored"]).version == 1
    html = client.get(screen["url"]).get_data(as_text=True)
    assert "Results saved." in html
    assert page_form(html)[f"status-{blank.id}"] == "DNS"


def test_a_note_alone_is_saved_as_typed(client, screen, login_as):
    login_as(user=screen["coach"])
    form = page_form(client.get(screen["url"]).get_data(as_text=True))
    other = screen["other"]
    form[f"notes-{other.id}"] = "因伤退赛，队医已确认"
    assert client.post(screen["url"], data=form).status_code == 303
    assert result_of(other).notes == "因伤退赛，队医已确认"


def test_an_untouched_page_saves_nothing_and_says_so(client, screen, login_as):
    login_as(user=screen["coach"])
    form = page_form(client.get(screen["url"]).get_data(as_text=True))
    response = client.post(screen["url"], data=form, follow_redirects=True)
    assert "Nothing was changed, so nothing was saved." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Result.id))) == 1
    assert (
        db.session.scalar(
            sa.select(sa.func.count(AuditEvent.id)).where(
                AuditEvent.entity == "result", AuditEvent.action == "update"
            )
        )
        == 0
    )


def test_every_problem_of_every_row_at_once_in_row_order(client, screen, login_as):
    login_as(user=screen["coach"])
    form = page_form(client.get(screen["url"]).get_data(as_text=True))
    scored, blank, other = screen["scored"], screen["blank"], screen["other"]
    form.update(
        {
            f"status-{scored.id}": "DNS",  # keeps rank 1 and gold: two problems
            f"rank-{blank.id}": "first",
            f"mark_value-{blank.id}": "12,3 s",
            f"rank-{other.id}": "2",
            f"medal-{other.id}": "bronze",
        }
    )
    response = client.post(screen["url"], data=form)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    start = html.index('class="error-summary"')
    summary = html[start : html.index("</ul>", start)]
    expected = [
        (
            f"rank-{scored.id}",
            "Row 1: Only a result with status OK has a rank: leave the rank empty.",
        ),
        (f"medal-{scored.id}", "Row 1: Only a result with status OK can hold a medal."),
        (f"rank-{blank.id}", "Row 2: The rank must be a whole number."),
        (
            f"mark_value-{blank.id}",
            "Row 2: The number for sorting must be a number, like 652 or 12.31.",
        ),
        (
            f"medal-{other.id}",
            "Row 3: A bronze medal goes with rank 3 (tied athletes share the rank).",
        ),
    ]
    positions = []
    for target, message in expected:
        link = f'<a href="#{target}">{message}</a>'
        assert link in summary
        positions.append(summary.index(link))
    assert positions == sorted(positions)
    # Each box carries its own error, and the input is kept.
    assert f'id="medal-{scored.id}-error"' in html
    assert f'aria-describedby="rank-{blank.id}-error"' in html
    kept = page_form(html)
    assert (kept[f"rank-{blank.id}"], kept[f"status-{scored.id}"]) == ("first", "DNS")
    # Nothing was saved.
    assert result_of(scored).status == "OK"
    assert result_of(blank) is None and result_of(other) is None


def test_conflict_lists_every_field_and_keeps_the_other_note(client, screen, login_as):
    """Two coaches open the page; the first saves a mark and a note, the second (stale)
    changes the mark only: 409 listing mark and note; the note the second did not touch now
    holds the first's note; saving again keeps the second's mark and the first's note."""
    login_as(user=screen["coach"])
    scored = screen["scored"]
    opened = page_form(client.get(screen["url"]).get_data(as_text=True))
    first = dict(opened)
    first[f"mark-{scored.id}"] = "660"
    first[f"notes-{scored.id}"] = "第二局风大，裁判同意重射"
    assert client.post(screen["url"], data=first).status_code == 303
    second = dict(opened)
    second[f"mark-{scored.id}"] = "648"
    response = client.post(screen["url"], data=second)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    table = html[html.index(f'id="conflict-{scored.id}"') :]
    table = table[: table.index("</table>")]
    rows = [[cell.strip() for cell in part.split("</t")[0:4]] for part in table.split("<tr>")[2:]]
    assert len(rows) == 2
    assert "Mark as written" in rows[0][0] and "648" in rows[0][1] and "660" in rows[0][2]
    assert "Notes" in rows[1][0] and "(empty)" in rows[1][1]
    assert "第二局风大，裁判同意重射" in rows[1][2]
    assert f'<a href="#conflict-{scored.id}">Row 1: someone else saved this result' in html
    again = page_form(html)
    assert again[f"mark-{scored.id}"] == "648"
    assert again[f"notes-{scored.id}"] == "第二局风大，裁判同意重射"
    assert again[f"version-{scored.id}"] == "2"
    # Still the first coach's result in the database.
    assert (result_of(scored).mark, result_of(scored).version) == ("660", 2)
    assert client.post(screen["url"], data=again).status_code == 303
    saved = result_of(scored)
    assert (saved.mark, saved.notes, saved.version) == ("648", "第二局风大，裁判同意重射", 3)


def test_a_result_created_meanwhile_is_a_conflict(client, screen, login_as):
    login_as(user=screen["coach"])
    blank = screen["blank"]
    opened = page_form(client.get(screen["url"]).get_data(as_text=True))
    services.save_result(blank, status="DNF", notes="扭伤")
    db.session.commit()
    opened[f"rank-{blank.id}"] = "4"
    response = client.post(screen["url"], data=opened)
    assert response.status_code == 409
    kept = page_form(response.get_data(as_text=True))
    assert (kept[f"rank-{blank.id}"], kept[f"notes-{blank.id}"]) == ("4", "扭伤")
    # Untouched by this user, so the saved DNF is in the box; the rank is the user's.
    assert kept[f"status-{blank.id}"] == "DNF"
    assert result_of(blank).status == "DNF"


def test_a_missing_version_is_a_stale_one(client, screen, login_as):
    """Issue 12 item 4: no version posted for a saved result is a conflict, not an
    overwrite (services.check_result_version → core.editing.check_version)."""
    login_as(user=screen["coach"])
    scored = screen["scored"]
    form = page_form(client.get(screen["url"]).get_data(as_text=True))
    del form[f"version-{scored.id}"]
    form[f"mark-{scored.id}"] = "600"
    assert client.post(screen["url"], data=form).status_code == 409
    assert result_of(scored).mark == "652"


@pytest.mark.parametrize("error", ["stale", "integrity"])
def test_a_save_racing_another_is_a_409_with_the_input_kept(
    client, screen, login_as, monkeypatch, error
):
    """Issue 13 item 10: another process saving between the check and the write (the UPDATE
    finds no row of that version, or the INSERT meets the result just created) is a 409 with
    the user's input, never a 500."""
    from sqlalchemy.orm.exc import StaleDataError

    login_as(user=screen["coach"])
    blank = screen["blank"]
    form = page_form(client.get(screen["url"]).get_data(as_text=True))
    form[f"mark-{blank.id}"] = "631"
    real = services.save_result

    def racing(entry, **values):
        # The other coach's result lands first, then this write fails as the database would.
        other = real(entry, status="DNS", notes="对方先保存")
        db.session.commit()
        assert other.version == 1
        if error == "stale":
            raise StaleDataError("UPDATE statement on table 'results' expected to update 1 row")
        raise sa.exc.IntegrityError("INSERT INTO results", {}, Exception("unique"))

    monkeypatch.setattr(services, "save_result", racing)
    response = client.post(screen["url"], data=form)
    assert response.status_code == 409
    kept = page_form(response.get_data(as_text=True))
    assert kept[f"mark-{blank.id}"] == "631"
    assert kept[f"notes-{blank.id}"] == "对方先保存"
    assert kept[f"version-{blank.id}"] == "1"
    assert result_of(blank).notes == "对方先保存"


def test_an_update_overtaken_in_the_database_is_a_409(client, screen, login_as, monkeypatch):
    """The other save is committed on its own connection after this request read the result
    and checked its version: the UPDATE ... WHERE version = 1 finds no row (StaleDataError),
    and the answer is the 409 with both versions, never a 500."""
    login_as(user=screen["coach"])
    scored = screen["scored"]
    form = page_form(client.get(screen["url"]).get_data(as_text=True))
    form[f"mark-{scored.id}"] = "649"
    real = services.save_result

    def overtaken(entry, **values):
        entry.result  # loaded at version 1 by this request
        with db.engine.begin() as other:
            other.execute(
                sa.update(Result)
                .where(Result.entry_id == entry.id)
                .values(version=Result.version + 1, notes="对方先保存")
            )
        return real(entry, **values)

    monkeypatch.setattr(services, "save_result", overtaken)
    response = client.post(screen["url"], data=form)
    assert response.status_code == 409
    kept = page_form(response.get_data(as_text=True))
    assert (kept[f"mark-{scored.id}"], kept[f"notes-{scored.id}"]) == ("649", "对方先保存")
    assert kept[f"version-{scored.id}"] == "2"
    assert (result_of(scored).mark, result_of(scored).notes) == ("652", "对方先保存")
