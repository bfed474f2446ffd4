"""Found doing the coach's task on a 390 px phone: the entries table's action links read in
full ("编辑女子反曲弓个人（友谊赛）的第3个报名 · “女子反曲弓个人（友谊赛）”第 3 条报名退赛"), so
the athletes' names were squeezed to one character a line. The visible words are short; the
rest (which entry of which event) is for screen readers, so every link keeps a unique name."""

import re

from markupsafe import escape

from tests.competitions.test_entry_choices import scene  # noqa: F401 (fixture)


def test_entry_actions_are_short_words_with_the_entry_for_screen_readers(
    client,
    login_as,
    scene,  # noqa: F811
):
    from app.competitions import services
    from app.extensions import db

    services.create_entry(
        scene["event"], athlete_ids=[scene["fits"].id], status="confirmed", actor=scene["manager"]
    )
    db.session.commit()
    login_as(user=scene["manager"])
    event = scene["event"]
    name = escape(event.name)
    html = client.get(f"/competitions/{event.competition_id}").get_data(as_text=True)
    links = re.findall(r'<a href="/competitions/entries/\d+/(edit|withdraw)">(.*?)</a>', html)
    assert links == [
        ("edit", f'Edit<span class="visually-hidden"> entry 1 of {name}</span>'),
        ("withdraw", f'Withdraw<span class="visually-hidden"> entry 1 of {name}</span>'),
    ]
