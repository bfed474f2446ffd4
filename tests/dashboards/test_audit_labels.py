"""The admin dashboard's recent changes name actions and records in words, in both languages,
never as raw codes (calendar_feed_rotate, login, view_list, update, export, term_report,
person, user #1): issue 12 item 19, issue 19 item 18."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from flask_babel import force_locale

from app.core import audit
from app.extensions import db

APP = Path(__file__).resolve().parents[2] / "app"

# Codes built at run time (the scan below reads only literal arguments).
DYNAMIC_ACTIONS = {
    "calendar_feed_on",
    "calendar_feed_rotate",
    "calendar_feed_off",
    "deactivate",
    "reactivate",
    "register_lookup",
    "register_lookup_failed",
}


def recorded_codes() -> tuple[set[str], set[str]]:
    """Every literal action and entity passed to audit.record anywhere in app/."""
    actions, entities = set(), set()
    for path in APP.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call) or len(node.args) < 2:
                continue
            func = node.func
            if not (
                isinstance(func, ast.Attribute)
                and func.attr == "record"
                and isinstance(func.value, ast.Name)
                and func.value.id == "audit"
            ):
                continue
            for arg, found in ((node.args[0], actions), (node.args[1], entities)):
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.add(arg.value)
    return actions, entities


def test_the_scan_finds_the_codes_of_the_issue():
    actions, entities = recorded_codes()
    assert {"login", "view_list", "update", "export"} <= actions
    assert {"term_report", "person", "user"} <= entities


def test_every_recorded_action_and_record_type_has_a_label_in_both_languages(app):
    actions, entities = recorded_codes()
    assert actions | DYNAMIC_ACTIONS <= set(audit.ACTION_LABELS), (actions | DYNAMIC_ACTIONS) - set(
        audit.ACTION_LABELS
    )
    assert entities <= set(audit.ENTITY_LABELS), entities - set(audit.ENTITY_LABELS)
    for labels in (audit.ACTION_LABELS, audit.ENTITY_LABELS):
        for code, label in labels.items():
            with force_locale("en"):
                english = str(label)
            with force_locale("zh_Hans"):
                chinese = str(label)
            assert english and english != code, code
            assert re.search(r"[\u4e00-\u9fff]", chinese), (code, chinese)


def test_an_unknown_code_is_shown_as_it_is(app):
    event = audit.AuditEvent(action="something_new", entity="thing", entity_id=3)
    assert event.action_label == "something_new"
    assert event.record_label == "thing #3"


def _recent_changes(html: str) -> str:
    start = html.index('id="audit-heading"')
    return html[start : html.index("</table>", start)]


@pytest.mark.parametrize(
    ("language", "expected", "raw"),
    [
        (
            "en",
            ["Signed in", "Schedule feed address renewed", "List viewed", "Table exported",
             "Term report", "Record changed", "Person #"],
            ["calendar_feed_rotate", ">login<", "view_list", ">update<", ">export<",
             "term_report", "person #", "user #"],
        ),
        (
            "zh_Hans",
            ["登录", "更换日程订阅地址", "查看列表", "导出数据表", "任期工作报告", "修改记录", "人员 #"],
            ["calendar_feed_rotate", "login", "view_list", ">update<", ">export<",
             "term_report", "person", "user #"],
        ),
    ],
)  # fmt: skip
def test_recent_changes_read_as_words(client, login_as, make_person, language, expected, raw):
    admin = login_as("admin", language=language)
    person = make_person()
    audit.record("login", "user", admin.id, actor=admin)
    audit.record("calendar_feed_rotate", "user", admin.id, actor=admin)
    audit.record("view_list", "person", None, actor=admin)
    audit.record("update", "person", person.id, ["name"], actor=admin)
    audit.record("export", "term_report", None, actor=admin)
    db.session.commit()
    table = _recent_changes(client.get("/").get_data(as_text=True))
    for words in expected:
        assert words in table, words
    for code in raw:
        assert code not in table, code
    assert f"#{person.id}" in table and f"#{admin.id}" in table


from tests.dashboards.test_dashboards import staff_world  # noqa: E402, F401


def test_the_staff_roll_call_column_is_the_sunshine_home_not_the_home_page(
    client,
    login_as,
    make_user,
    staff_world,  # noqa: F811
):
    """Issue 12 item 19: the roll-call column headed "首页" (the home page) means the home."""
    staff = make_user("home_staff", language="zh_Hans")
    staff_world(staff, homes=1, members=2)
    login_as(user=staff)
    html = client.get("/").get_data(as_text=True)
    start = html.index('id="today-heading"')
    table = html[start : html.index("</table>", start)]
    assert '<th scope="col">阳光家园</th>' in table
    assert "首页" not in table
