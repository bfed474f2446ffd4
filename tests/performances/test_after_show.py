"""The after-show report has its own short form (issue 12 item 14): audience, of which people
with disabilities, beneficiaries, the short report and whether it took place; version-checked
(a stale form is a 409 listing the other's values); the dashboard's "enter the audience" link
opens it."""

from __future__ import annotations

import sqlalchemy as sa

from app.core.audit import AuditEvent
from app.extensions import db
from app.performances.enums import PerformanceStatus
from app.performances.models import Performance
from tests.performances.conftest import at
from tests.roundtrip import read_form, sign_in


def report_data(performance, **changes) -> dict:
    data = {
        "audience": "120",
        "audience_disabled": "35",
        "beneficiaries": "110",
        "report": "演出顺利，观众反响热烈。",
        "held": "y",
        "version": str(performance.version),
    }
    data.update(changes)
    return data


def test_the_after_show_form_records_the_figures(client, login_as, organiser, make_performance):
    show = make_performance(at(27, 14, month=11), at(27, 16, month=11), title="Village tour")
    login_as(user=organiser)
    url = f"/performances/{show.id}/report"
    page = client.get(url)
    assert page.status_code == 200
    controls = read_form(page.get_data(as_text=True), url)
    assert set(controls) - {"csrf_token"} == {
        "version",
        "audience",
        "audience_disabled",
        "beneficiaries",
        "report",
        "held",
    }
    response = client.post(url, data=report_data(show))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/performances/{show.id}")
    db.session.expire_all()
    stored = db.session.get(Performance, show.id)
    assert (stored.audience, stored.audience_disabled, stored.beneficiaries) == (120, 35, 110)
    assert stored.report == "演出顺利，观众反响热烈。"
    assert stored.status is PerformanceStatus.DONE
    assert stored.title == "Village tour"
    fields = db.session.scalars(
        sa.select(AuditEvent.fields).where(
            AuditEvent.entity == "performance", AuditEvent.action == "update"
        )
    ).all()
    assert fields == ["audience,audience_disabled,beneficiaries,report,status"]
    detail = client.get(f"/performances/{show.id}").get_data(as_text=True)
    assert "120" in detail and "演出顺利，观众反响热烈。" in detail


def test_the_after_show_form_refuses_bad_figures_and_stale_versions(
    app, client, login_as, organiser, make_performance
):
    show = make_performance(at(27, 14, month=11), at(27, 16, month=11))
    login_as(user=organiser)
    url = f"/performances/{show.id}/report"
    bad = client.post(url, data=report_data(show, audience="10", audience_disabled="20"))
    assert bad.status_code == 422
    assert "cannot be larger than the whole audience" in bad.get_data(as_text=True)
    # Too large (a whole number all the same): the message says the range.
    huge = client.post(url, data=report_data(show, beneficiaries="99999999999999999999"))
    assert huge.status_code == 422
    page = huge.get_data(as_text=True)
    assert "The beneficiaries must be a whole number from 0 to 1000000." in page
    assert 'value="99999999999999999999"' in page
    stale = report_data(show, audience="99")
    assert client.post(url, data=report_data(show, audience="120")).status_code == 303
    conflict = client.post(url, data=stale)
    assert conflict.status_code == 409
    text = conflict.get_data(as_text=True)
    table = text[text.index('<section class="conflict"') : text.index("</section>")]
    assert "Audience" in table and "99" in table and "120" in table
    db.session.expire_all()
    assert db.session.get(Performance, show.id).audience == 120
    # Not started yet: it cannot have taken place.
    coming = make_performance(at(3, 14), at(3, 16), venue=None, title="Coming")
    refused = client.post(f"/performances/{coming.id}/report", data=report_data(coming))
    assert refused.status_code == 422
    # Another organiser's show: 404.
    other = app.test_client()
    from app.accounts import services as accounts

    stranger = accounts.create_user(
        username="stranger", display_name="S", password="correct horse battery staple",
        roles=("organiser",),
    )  # fmt: skip
    db.session.commit()
    sign_in(other, stranger)
    assert other.get(url).status_code == 404


def test_the_dashboard_links_to_the_short_form(client, login_as, organiser, make_performance):
    show = make_performance(at(27, 14, month=11), at(27, 16, month=11))
    login_as(user=organiser)
    home = client.get("/").get_data(as_text=True)
    assert f'href="/performances/{show.id}/report"' in home
    assert f'href="/performances/{show.id}/edit"><' not in home
    detail = client.get(f"/performances/{show.id}").get_data(as_text=True)
    assert f'href="/performances/{show.id}/report"' in detail


def test_took_place_is_ticked_only_for_a_confirmed_show_that_has_started(
    client, login_as, organiser, make_performance
):
    over = make_performance(at(27, 14, month=11), at(27, 16, month=11))
    coming = make_performance(at(3, 14), at(3, 16))
    login_as(user=organiser)
    for show, ticked in ((over, ["y"]), (coming, [])):
        url = f"/performances/{show.id}/report"
        assert read_form(client.get(url).get_data(as_text=True), url)["held"].values == ticked
