from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from newsfold.dates import mentioned_dates, parse_date_line, parse_datetime, to_utc_iso


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-05-21", datetime(2021, 5, 21, tzinfo=UTC)),
        ("2021-05-21T10:30:00Z", datetime(2021, 5, 21, 10, 30, tzinfo=UTC)),
        (
            "2026-03-04T09:30:00+01:00",
            datetime(2026, 3, 4, 9, 30, tzinfo=timezone(timedelta(hours=1))),
        ),
        (
            "Tue, 07 Apr 2026 09:30:00 +0200",
            datetime(2026, 4, 7, 9, 30, tzinfo=timezone(timedelta(hours=2))),
        ),
        ("November 30, 2023", datetime(2023, 11, 30, tzinfo=UTC)),
        ("2026-04-02 14:00", datetime(2026, 4, 2, 14, 0, tzinfo=UTC)),
        (1_700_000_000, datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)),
        (date(2020, 1, 2), datetime(2020, 1, 2, tzinfo=UTC)),
    ],
)
def test_parse_datetime(value: object, expected: datetime) -> None:
    parsed = parse_datetime(value)
    assert parsed == expected
    assert parsed is not None and parsed.tzinfo is not None


@pytest.mark.parametrize("value", ["", "soon", "not a date at all", None, [], True])
def test_unreadable_values(value: object) -> None:
    assert parse_datetime(value) is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("November 30, 2023", datetime(2023, 11, 30, tzinfo=UTC)),
        ("Updated: 4 March 2026 09:30 GMT", datetime(2026, 3, 4, 9, 30, tzinfo=UTC)),
        ("Monday, May 24, 2021", datetime(2021, 5, 24, tzinfo=UTC)),
        ("3 mars 2026", datetime(2026, 3, 3, tzinfo=UTC)),
    ],
)
def test_date_lines(line: str, expected: datetime) -> None:
    assert parse_date_line(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "WASHINGTON, May 21 (NNN-AGENCIES) —",
        "The vote was held on March 3, 2026",
        "In 2021 the toll rose",
        "May 21",
    ],
)
def test_not_date_lines(line: str) -> None:
    assert parse_date_line(line) is None


def test_utc_iso() -> None:
    when = datetime(2026, 3, 4, 9, 30, tzinfo=timezone(timedelta(hours=1)))
    assert to_utc_iso(when) == "2026-03-04T08:30:00+00:00"


def test_mentioned_dates_reads_full_dates_in_running_text() -> None:
    text = (
        "The quake struck on March 3, 2026 at dawn; aftershocks followed on 5th March 2026 and "
        "a report came out 2026-03-09. Le 3 mars 2026. Not dates: 31 February 2026, May 2026, "
        "Thursday, 12 March."
    )
    assert [d.day for d in mentioned_dates(text)] == [3, 5, 9, 3]
    assert all(d.tzinfo is UTC and d.month == 3 for d in mentioned_dates(text))
    assert len(mentioned_dates(text, limit=2)) == 2
    assert mentioned_dates("No date here, only 2026 and March.") == []
