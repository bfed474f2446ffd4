"""Sessions beyond the first eight weeks are reachable from the activity page: a link to the
later sessions and a month to choose (issue 19 item 16)."""

from __future__ import annotations

from datetime import date

from app.core import clock
from tests.roundtrip import read_form

from .test_series_change import NOW


def test_a_series_starting_in_three_months_shows_its_sessions_by_month(
    client, make_home, make_activity, make_user
):
    home = make_home(staff=[make_user("home_staff")])
    activity = make_activity(home, first_day=date(2027, 2, 1), until_on=date(2027, 6, 28))
    url = f"/homes/activities/{activity.id}"
    with clock.freeze(NOW):
        page = client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
        assert "No more sessions are planned." not in page
        assert "The next session is on" in page and f"{url}?month=2027-02" in page
        months = read_form(page.replace('method="get"', 'method="post"'), url)["month"]
        assert months.options == ["2027-02", "2027-03", "2027-04", "2027-05", "2027-06"]
        feb = client.get(url + "?month=2027-02", headers={"Accept-Language": "en"})
        assert feb.status_code == 200
        text = feb.get_data(as_text=True)
        assert "Sessions in February 2027" in text
        assert text.count("/sessions/2027") == 4  # 1, 8, 15 and 22 February
        assert f"{url}?month=2027-03" in text  # the next month
        zh = client.get(url + "?month=2027-02", headers={"Accept-Language": "zh"})
        assert "2027年2月" in zh.get_data(as_text=True)
        for bad in ("2027-13", "x", "99999-01", "２０２７-02"):
            assert client.get(f"{url}?month={bad}").status_code == 200  # this month instead


def test_a_long_series_links_to_the_sessions_after_eight_weeks(
    client, make_home, make_activity, make_user
):
    home = make_home(staff=[make_user("home_staff")])
    activity = make_activity(home, first_day=date(2026, 11, 2), until_on=date(2027, 6, 28))
    url = f"/homes/activities/{activity.id}"
    with clock.freeze(NOW):
        page = client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
        assert "Coming sessions" in page
        assert f"{url}?month=2027-02" in page  # the first month past the eight weeks


def test_the_month_list_starts_on_this_month(client, make_home, make_activity, make_user):
    """Found doing the home staff's task in a browser: on a series running since March, the
    month list showed March (the series' first month), so "show the sessions" went back nine
    months. With no month chosen, this month is the one selected."""
    home = make_home(staff=[make_user("home_staff")])
    activity = make_activity(home, first_day=date(2026, 3, 2), until_on=date(2027, 6, 28))
    url = f"/homes/activities/{activity.id}"
    with clock.freeze(NOW):
        page = client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
        months = read_form(page.replace('method="get"', 'method="post"'), url)["month"]
        assert months.values == ["2026-11"]
        chosen = client.get(url + "?month=2027-02").get_data(as_text=True)
        months = read_form(chosen.replace('method="get"', 'method="post"'), url)["month"]
        assert months.values == ["2027-02"]
