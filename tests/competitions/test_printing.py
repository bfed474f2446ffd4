"""The printed competition documents (issue 17): start lists and the programme, certificates
and the medal ceremony sheet — who may see them, exactly what they say, their print
stylesheets, and a fixed number of queries whatever the number of events and entries. The
PDF itself is checked in Chromium by tests/journeys/test_competition_day.py."""

from __future__ import annotations

import html as htmllib
import re
from datetime import date

import pytest
import sqlalchemy as sa

from app.athletes import services as athlete_services
from app.competitions import services
from app.competitions.enums import EntryStatus
from app.extensions import db


@pytest.fixture(autouse=True)
def _english():
    """Not English throughout (tests/athletes/conftest.py): the users here read English, and
    the Chinese documents are checked in Chinese."""
    yield


def cells(html: str, table: int = 0) -> list[list[str]]:
    """The text of every body row of the ``table``-th table of a page."""
    body = re.findall(r"<tbody>(.*?)</tbody>", html, re.S)[table]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        found = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([text(c) for c in found])
    return rows


def text(fragment: str) -> str:
    return htmllib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).strip())


def classify(athlete, sports, code, status="confirmed", review_on=None):
    athlete_services.save_classification(
        athlete,
        sport_id=sports["swimming"].id,
        class_code=code,
        status=status,
        classified_on=date(2017, 1, 1),
        review_on=review_on,
    )


@pytest.fixture
def swim(make_user, make_competition, make_event, make_athlete, make_person, enter, sports):
    """A swimming competition managed by ``manager``: one event with five entries — two in
    heat 1 (lanes 5 and 4), two with neither (by pinyin: 陈刚 before 张伟), one withdrawn."""
    manager, coach = make_user("coach"), make_user("coach")
    competition = make_competition(
        name="Provincial Swimming Championships",
        manager_id=manager.id,
        sport_ids=[sports["swimming"].id],
        start_on=date(2018, 5, 1),
        end_on=date(2018, 5, 3),
        delegation="Fenghua",
    )
    event = make_event(
        competition, sport="swimming", name="Men's 50 m freestyle S8", gender="men", sport_class=""
    )
    people = {
        name: make_athlete(
            person=make_person(name=name, gender="male"), sport="swimming", coaches=[coach]
        )
        for name in ("王明", "李强", "张伟", "陈刚", "赵六")
    }
    classify(people["王明"], sports, "S8")
    classify(people["李强"], sports, "S8", status="review_by_date", review_on=date(2018, 5, 2))
    classify(people["陈刚"], sports, "S9", status="new")
    entries = {name: enter(event, athlete, result=False) for name, athlete in people.items()}
    for name, start in (
        ("王明", {"bib": "12", "heat": 1, "lane": "5"}),
        ("李强", {"bib": "3", "heat": 1, "lane": "4"}),
    ):
        entry = entries[name]
        services.set_start(entry, start, version=entry.version)
    services.set_entry_status(
        entries["赵六"], EntryStatus.WITHDRAWN, version=entries["赵六"].version
    )
    services.update_entry(
        entries["李强"],
        athlete_ids=[people["李强"].id],
        status="confirmed",
        support=[{"role": "guide", "name": "王向导"}],
        version=entries["李强"].version,
    )
    db.session.commit()
    return {
        "manager": manager,
        "coach": coach,
        "competition": competition,
        "event": event,
        "people": people,
        "entries": entries,
    }


START_ROWS = [
    ["1", "3", "1", "4", "李强", "S8", "Fenghua", "Guide: 王向导",
     "The classification is due for review by the competition (2018-05-02)."],
    ["2", "12", "1", "5", "王明", "S8", "Fenghua", "–", "Confirmed"],
    ["3", "–", "–", "–", "陈刚", "S9", "Fenghua", "–",
     "The classification in this sport is not confirmed."],
    ["4", "–", "–", "–", "张伟", "–", "Fenghua", "–", "Has no classification in this sport."],
]  # fmt: skip


def test_the_manager_s_start_list_in_the_order_of_competition(client, login_as, swim):
    login_as(user=swim["manager"])
    response = client.get(f"/competitions/events/{swim['event'].id}/start-list")
    assert response.status_code == 200
    assert response.headers["Cache-Control"].startswith("no-store")
    html = response.get_data(as_text=True)
    assert '<h1 id="start-list-' in html and "Start list: Men&#39;s 50 m freestyle S8</h1>" in html
    heads = re.findall(r'<th scope="col">(.*?)</th>', html)
    assert heads == [
        "Order", "Bib", "Heat", "Lane", "Athlete", "Sport class", "Delegation",
        "Support people", "Classification check",
    ]  # fmt: skip
    assert cells(html) == START_ROWS
    assert "赵六" not in html  # withdrawn
    assert "4 entries · 3 classifications to check" in html
    competition_id = swim["competition"].id
    assert (
        f'<link rel="stylesheet" media="print" href="/competitions/{competition_id}/print.css'
        '?lang=en">' in html
    )
    assert '<link rel="stylesheet" href="/static/css/print.css">' in html


def test_the_programme_has_every_event_and_a_fixed_number_of_queries(
    client, login_as, swim, make_event, make_athlete, make_person, enter, count_queries
):
    login_as(user=swim["manager"])
    url = f"/competitions/{swim['competition'].id}/programme"
    client.get(url)
    with count_queries() as small:
        response = client.get(url)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<h1>Programme: Provincial Swimming Championships</h1>" in html
    assert cells(html) == START_ROWS
    for n in range(3):
        event = make_event(
            swim["competition"], sport="swimming", name=f"Women's 100 m breaststroke {n}"
        )
        for _i in range(3):
            enter(event, make_athlete(sport="swimming"), result=False)
    with count_queries() as large:
        html = client.get(url).get_data(as_text=True)
    assert html.count('<section class="start-list"') == 4
    assert large.count == small.count, (small.count, large.count)


@pytest.mark.parametrize(
    "path",
    [
        "/competitions/{competition}/programme",
        "/competitions/events/{event}/start-list",
        "/competitions/events/{event}/certificates",
        "/competitions/entries/{entry}/certificate",
        "/competitions/events/{event}/ceremony",
    ],
)
def test_only_those_who_manage_the_competition_print_its_documents(
    client, login_as, make_user, swim, path
):
    url = path.format(
        competition=swim["competition"].id,
        event=swim["event"].id,
        entry=swim["entries"]["王明"].id,
    )
    response = client.get(url)
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]
    login_as(user=swim["coach"])  # coaches the athletes, does not manage the competition
    assert client.get(url).status_code == 403
    login_as("organiser")
    assert client.get(url).status_code == 403
    login_as("admin")
    assert client.get(url).status_code == 200
    login_as(user=swim["manager"])
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/competitions/999/programme",
        "/competitions/events/999/start-list",
        "/competitions/events/999/certificates",
        "/competitions/entries/999/certificate",
        "/competitions/events/999/ceremony",
        "/competitions/999/print.css?lang=en",
    ],
)
def test_documents_of_nothing_are_404(client, login_as, path):
    login_as("admin")
    assert client.get(path).status_code == 404


def record(entry, **values):
    services.save_result(entry, **values)


@pytest.fixture
def results(swim):
    e = swim["entries"]
    record(e["王明"], rank=1, medal="gold", mark="30.12")
    record(e["李强"], rank=1, medal="gold", mark="30.12")  # a shared gold
    record(e["陈刚"], rank=3, medal="bronze", mark="31.50")
    record(e["张伟"], status="DNS")
    db.session.commit()
    return swim


def certificate_texts(html: str) -> list[str]:
    found = re.findall(r'<article class="certificate".*?</article>', html, re.S)
    return [text(a) for a in found]


def test_every_participant_gets_a_certificate_in_medal_order(client, login_as, results):
    login_as(user=results["manager"])
    response = client.get(f"/competitions/events/{results['event'].id}/certificates")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    texts = certificate_texts(html)
    gold = (
        "At Provincial Swimming Championships, in the event Men's 50 m freestyle S8, you won "
        "the gold medal."
    )
    assert texts == [
        f"Certificate for 李强 Certificate of award 李强: {gold} Sport class: S8 This certificate "
        "is awarded in recognition. Seal District Disabled Persons' Federation May 3, 2018 Print "
        "this certificate alone (李强)",
        f"Certificate for 王明 Certificate of award 王明: {gold} Sport class: S8 This certificate "
        "is awarded in recognition. Seal District Disabled Persons' Federation May 3, 2018 Print "
        "this certificate alone (王明)",
        "Certificate for 陈刚 Certificate of award 陈刚: At Provincial Swimming Championships, in "
        "the event Men's 50 m freestyle S8, you won the bronze medal. Sport class: S9 This "
        "certificate is awarded in recognition. Seal District Disabled Persons' Federation "
        "May 3, 2018 Print this certificate alone (陈刚)",
    ]  # 张伟 did not start, 赵六 withdrew
    assert "3 certificates" in html
    provisional = "Some of these results are provisional: the event's results are not published"
    assert provisional in htmllib.unescape(html)


def test_a_placed_participant_and_the_medallists_only(client, login_as, results, frozen_clock):
    services.save_result(
        results["entries"]["陈刚"].result.entry, rank=4, medal="none", mark="31.50",
        version=results["entries"]["陈刚"].result.version,
    )  # fmt: skip
    db.session.commit()
    login_as(user=results["manager"])
    event_id = results["event"].id
    texts = certificate_texts(
        client.get(f"/competitions/events/{event_id}/certificates").get_data(as_text=True)
    )
    assert (
        "陈刚: At Provincial Swimming Championships, in the event Men's 50 m freestyle S8, you finished in place 4."
        in texts[2]
    )  # noqa: E501
    medallists = client.get(f"/competitions/events/{event_id}/certificates?medallists=1")
    assert [t.split(" ")[2] for t in certificate_texts(medallists.get_data(as_text=True))] == [
        "李强",
        "王明",
    ]


def test_a_certificate_alone_is_in_chinese_by_default(client, login_as, make_user, results):
    manager = results["manager"]
    manager.language = "zh_Hans"
    db.session.commit()
    login_as(user=manager)
    entry = results["entries"]["王明"]
    html = client.get(f"/competitions/entries/{entry.id}/certificate").get_data(as_text=True)
    (text,) = certificate_texts(html)
    assert "王明：" in text
    assert "在Provincial Swimming ChampionshipsMen's 50 m freestyle S8比赛中，荣获金牌。" in text
    assert "区残联 2018年5月3日" in text
    assert "特发此状，以资鼓励。" in text
    assert '<span aria-hidden="true">奖状</span>' in html
    # One entry's page is told apart from the event's by whose certificate it is.
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert title.startswith("奖状：") and "，王明" in title, title
    dns = results["entries"]["张伟"]
    html = client.get(f"/competitions/entries/{dns.id}/certificate").get_data(as_text=True)
    assert certificate_texts(html) == []


def test_the_ceremony_sheet_with_a_shared_gold(client, login_as, results):
    login_as(user=results["manager"])
    html = client.get(f"/competitions/events/{results['event'].id}/ceremony").get_data(as_text=True)
    assert cells(html) == [
        ["1", "Bronze", "The gold medallist's left (the audience's right)", "陈刚", "–", "Fenghua"],
        ["2", "Silver", "No silver medal: the gold is shared."],
        ["3", "Gold (shared by 2)", "Centre, the highest step", "李强", "3", "Fenghua"],
        ["王明", "12", "Fenghua"],
    ]
    assert '<th scope="col">Order of presentation</th>' in html
    # Provisional results say so on the printed sheet too, not only on the screen.
    assert (
        "<p>Provisional results: the event's results are not published yet.</p>"
        '<p class="no-print">Check them before printing.</p>'
    ) in html


def test_the_ceremony_sheet_with_two_bronzes(client, login_as, swim):
    e = swim["entries"]
    record(e["王明"], rank=1, medal="gold")
    record(e["李强"], rank=2, medal="silver")
    record(e["陈刚"], rank=3, medal="bronze")
    record(e["张伟"], rank=3, medal="bronze")
    db.session.commit()
    login_as(user=swim["manager"])
    html = client.get(f"/competitions/events/{swim['event'].id}/ceremony").get_data(as_text=True)
    assert cells(html) == [
        ["1", "Bronze (shared by 2)", "The gold medallist's left (the audience's right)",
         "陈刚", "–", "Fenghua"],
        ["张伟", "–", "Fenghua"],
        ["2", "Silver", "The gold medallist's right (the audience's left)", "李强", "3", "Fenghua"],
        ["3", "Gold", "Centre, the highest step", "王明", "12", "Fenghua"],
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("lang", "federation", "pages"),
    [
        ("en", "District Disabled Persons' Federation", '"Page " counter(page) " of " counter(pages)'),
        ("zh_Hans", "区残联", '"第 " counter(page) " 页，共 " counter(pages) " 页"'),
    ],
)  # fmt: skip
def test_the_print_stylesheet_has_the_page_header_and_footer(
    client, make_competition, lang, federation, pages
):
    competition = make_competition(name='The "Best" Games')
    response = client.get(f"/competitions/{competition.id}/print.css?lang={lang}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/css; charset=utf-8"
    boxes = dict(re.findall(r"@([a-z-]+)\s*\{\s*content:\s*([^;]+);", response.get_data(True)))
    assert boxes == {
        "top-left": f'"{federation}"',
        "top-right": '"The \\"Best\\" Games"',
        "bottom-right": pages,
    }
    assert client.get(f"/competitions/{competition.id}/print.css?lang=fr").status_code == 404


def test_the_competition_page_links_the_documents_for_its_manager_only(client, login_as, swim):
    competition_id, event_id = swim["competition"].id, swim["event"].id
    links = (
        f'href="/competitions/{competition_id}/programme"',
        f'href="/competitions/events/{event_id}/start-list"',
        f'href="/competitions/events/{event_id}/certificates"',
        f'href="/competitions/events/{event_id}/ceremony"',
    )
    login_as(user=swim["manager"])
    html = client.get(f"/competitions/{competition_id}").get_data(as_text=True)
    assert all(link in html for link in links)
    login_as(user=swim["coach"])
    html = client.get(f"/competitions/{competition_id}").get_data(as_text=True)
    assert not any(link in html for link in links)


def test_the_demo_swimming_championship_has_its_start_lists(client, demo, login_as):
    """The demo's upcoming swimming championship can be run from start lists (issue 17, done
    when): every entry has a bib, heat 1 and a lane, one bib per athlete."""
    from app.accounts.services import find_by_username
    from app.competitions.models import Competition

    competition = db.session.scalar(
        sa.select(Competition).where(Competition.name == "浙江省残疾人游泳锦标赛")
    )
    entries = [entry for event in competition.events for entry in event.entries]
    assert len(entries) == 4
    assert [(e.heat, e.lane) for e in entries] == [(1, "4"), (1, "5"), (1, "4"), (1, "5")]
    bibs = {}
    for entry in entries:
        assert bibs.setdefault(entry.athletes[0].id, entry.bib) == entry.bib
    assert sorted(set(bibs.values())) == [str(101 + n) for n in range(len(bibs))]
    login_as(user=find_by_username("coach"))
    html = client.get(f"/competitions/{competition.id}/programme").get_data(as_text=True)
    assert html.count('<section class="start-list"') == 2
    first = competition.events[0]
    rows = cells(html)
    assert [row[:4] for row in rows] == [
        [str(n), entry.bib, "1", entry.lane] for n, entry in enumerate(first.entries, 1)
    ]
