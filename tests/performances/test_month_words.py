"""A month is written in the reader's order (issue 19 item 18): 2028年2月, not 二月 2028."""


def test_the_performances_month_view_writes_the_month_in_chinese_order(client):
    page = client.get(
        "/performances/?view=month&month=2028-02", headers={"Accept-Language": "zh"}
    ).get_data(as_text=True)
    assert "2028年2月" in page and "二月 2028" not in page
    english = client.get(
        "/performances/?view=month&month=2028-02", headers={"Accept-Language": "en"}
    ).get_data(as_text=True)
    assert "February 2028" in english
