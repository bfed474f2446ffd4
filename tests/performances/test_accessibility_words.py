"""Found doing the organiser's task in a browser: the accessibility sentences on a performance
page were joined with ASCII commas and closed with an English full stop in Chinese
("场地提供： 无障碍入口, 电梯."). Lists and sentences follow the reader's language."""

import re

from app.extensions import db
from tests.performances.conftest import at


def test_accessibility_sentences_read_as_chinese(client, login_as, make_performance, make_venue):
    venue = make_venue(features=["step_free_entrance", "lift"])
    performance = make_performance(
        at(3, 14), at(3, 16), venue=venue, needs=["sign_language", "hearing_loop"]
    )
    user = login_as("organiser")
    user.language = "zh_Hans"
    db.session.commit()
    page = client.get(f"/performances/{performance.id}").get_data(as_text=True)
    assert "场地提供：无障碍入口和电梯。" in page
    assert "本场演出承诺提供：手语翻译服务和助听环路。" in page
    user.language = "en"
    db.session.commit()
    english = client.get(f"/performances/{performance.id}").get_data(as_text=True)
    found = re.search(r"<p>The venue offers: [^<]*</p>", english)
    assert found and found.group(0) == "<p>The venue offers: Step-free entrance and Lift.</p>", (
        found
    )
