"""Every spreadsheet download of the app answers with exactly one Content-Type, one charset
(CSV) and a Content-Disposition naming the file in ASCII and in UTF-8 (issue 19 item 18:
CSV responses sent ``charset=utf-8`` twice)."""

import re

import pytest

PERIOD = "from=2019-01-01&to=2021-12-31"
# Every download URL of the app, each in both formats; the test below checks that the list
# covers every route that ends in .csv/.xlsx, so a new download cannot be left out.
DOWNLOADS = {
    "athletes.export": "/athletes/export.{fmt}",
    "athletes.pipeline_export": "/athletes/pipeline.{fmt}",
    "performances.statistics_export": f"/performances/statistics.{{fmt}}?{PERIOD}",
    "reports.export": f"/reports/medals.{{fmt}}?{PERIOD}",
    "homes.statistics": f"/homes/statistics?{PERIOD}&format={{fmt}}",
}
TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def test_the_list_covers_every_download_route(app):
    found = {
        rule.endpoint for rule in app.url_map.iter_rules() if "any(csv, xlsx)" in str(rule._trace)
    }
    found |= {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if re.search(r"\.<(any|fmt)", rule.rule) or rule.rule.endswith((".csv", ".xlsx"))
    }
    assert found <= set(DOWNLOADS), found - set(DOWNLOADS)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("endpoint", sorted(DOWNLOADS))
def test_each_download_has_exactly_one_content_type_and_charset(client, login_as, endpoint, fmt):
    login_as("admin")
    response = client.get(DOWNLOADS[endpoint].format(fmt=fmt))
    assert response.status_code == 200
    assert response.headers.getlist("Content-Type") == [TYPES[fmt]]
    assert response.headers["Content-Type"].count("charset") == (1 if fmt == "csv" else 0)
    disposition = response.headers["Content-Disposition"]
    assert re.fullmatch(
        rf'attachment; filename="[\w.-]+\.{fmt}"; filename\*=UTF-8\'\'[\w.%-]+\.{fmt}',
        disposition,
    ), disposition
