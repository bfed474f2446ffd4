"""core.templating.fmt_span: a stretch of time written once per day, in Beijing time."""

from datetime import UTC, datetime

from flask_babel import force_locale

from app.core.templating import fmt_span


def test_a_span_within_a_day_names_the_day_once_and_across_days_both(app):
    start = datetime(2026, 12, 12, 7, 0, tzinfo=UTC)  # 15:00 in Beijing
    with app.test_request_context():
        assert fmt_span(start, datetime(2026, 12, 12, 9, 0, tzinfo=UTC)) == (
            "Sat 2026-12-12 15:00–17:00"
        )
        # 17:00Z is 01:00 the next day in Beijing: both ends whole.
        assert fmt_span(start, datetime(2026, 12, 12, 17, 0, tzinfo=UTC)) == (
            "Sat 2026-12-12 15:00–Sun 2026-12-13 01:00"
        )
        assert fmt_span(start, None) == "Sat 2026-12-12 15:00"
        with force_locale("zh_Hans"):
            assert fmt_span(start, datetime(2026, 12, 12, 9, 0, tzinfo=UTC)) == (
                "周六 2026-12-12 15:00–17:00"
            )
