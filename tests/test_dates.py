"""Tolerant reading of mail dates: every shape servers write, and None for anything else."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.dates import parse_date, zone_assumed


def tz(hours: float) -> timezone:
    return timezone(timedelta(hours=hours))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Tue,  6 Dec 2022 12:49:12 +0100 (CET)", datetime(2022, 12, 6, 12, 49, 12, tzinfo=tz(1))),
        ("6 Dec 2022 12:49:12 +0100", datetime(2022, 12, 6, 12, 49, 12, tzinfo=tz(1))),
        ("Tue, 6 Dec\n 2022 12:49:12 -0000", datetime(2022, 12, 6, 12, 49, 12, tzinfo=timezone.utc)),
        ("Tue, 24 Dec 91 08:14:38 EST", datetime(1991, 12, 24, 8, 14, 38, tzinfo=tz(-5))),
        ("Mon, 1 Jan 24 08:00:00 +0000", datetime(2024, 1, 1, 8, tzinfo=timezone.utc)),
        ("Sat, 1 Jan 100 00:00:00 +0000", datetime(2000, 1, 1, tzinfo=timezone.utc)),
        ("Fri, 02 May 2025 19:43:57 GMT", datetime(2025, 5, 2, 19, 43, 57, tzinfo=timezone.utc)),
        ("Fri, 02 May 2025 19:43:57 UT", datetime(2025, 5, 2, 19, 43, 57, tzinfo=timezone.utc)),
        ("Fri, 02 May 2025 19:43:57 Z", datetime(2025, 5, 2, 19, 43, 57, tzinfo=timezone.utc)),
        ("Fri, 02 May 2025 19:43:57 EDT", datetime(2025, 5, 2, 19, 43, 57, tzinfo=tz(-4))),
        ("Fri, 02 May 2025 19:43:57 CST", datetime(2025, 5, 2, 19, 43, 57, tzinfo=tz(-6))),
        ("Fri, 02 May 2025 19:43:57 CDT", datetime(2025, 5, 2, 19, 43, 57, tzinfo=tz(-5))),
        ("Fri, 02 May 2025 19:43:57 MST", datetime(2025, 5, 2, 19, 43, 57, tzinfo=tz(-7))),
        ("Fri, 02 May 2025 19:43:57 MDT", datetime(2025, 5, 2, 19, 43, 57, tzinfo=tz(-6))),
        ("Fri, 02 May 2025 19:43:57 PST", datetime(2025, 5, 2, 19, 43, 57, tzinfo=tz(-8))),
        ("Fri, 02 May 2025 19:43:57 PDT", datetime(2025, 5, 2, 19, 43, 57, tzinfo=tz(-7))),
        ("Fri, 02 May 2025 19:43:57 CEST", datetime(2025, 5, 2, 19, 43, 57, tzinfo=tz(2))),
        ("Fri, 02 May 2025 19:43:57 XYZ", datetime(2025, 5, 2, 19, 43, 57, tzinfo=timezone.utc)),
        ("Fri, 02 May 2025 19:43 +0200", datetime(2025, 5, 2, 19, 43, tzinfo=tz(2))),
        ("Fri, 02 May 2025 19:43:57", datetime(2025, 5, 2, 19, 43, 57, tzinfo=timezone.utc)),
        ("Fri, 02 May 2025 19:43:57 +05:30", datetime(2025, 5, 2, 19, 43, 57, tzinfo=tz(5.5))),
        ("Fri, 02 May 2025 19:43:57 -0330", datetime(2025, 5, 2, 19, 43, 57, tzinfo=tz(-3.5))),
        (
            "Mon, 04 Mar 2024 10:15:31.123 +0000 (UTC)",
            datetime(2024, 3, 4, 10, 15, 31, 123000, tzinfo=timezone.utc),
        ),
        ("Thursday, 6 December 2001 23:58:02 +0000", datetime(2001, 12, 6, 23, 58, 2, tzinfo=timezone.utc)),
        ("Tue,6 Dec 2022 12:49:12 +0100", datetime(2022, 12, 6, 12, 49, 12, tzinfo=tz(1))),
        ("06-Dec-2022 12:49:12 +0100", datetime(2022, 12, 6, 12, 49, 12, tzinfo=tz(1))),
        ("22 Aug 2016 14:23:01 -0000", datetime(2016, 8, 22, 14, 23, 1, tzinfo=timezone.utc)),
        ("Sun, 26 Feb 2023 04:03:25 -0300 (-03)", datetime(2023, 2, 26, 4, 3, 25, tzinfo=tz(-3))),
        ("Sat, 31 Dec 2016 23:59:60 +0000", datetime(2016, 12, 31, 23, 59, 59, tzinfo=timezone.utc)),
        ("2024-03-04T10:15:31Z", datetime(2024, 3, 4, 10, 15, 31, tzinfo=timezone.utc)),
        ("2024-03-04T10:15:31+01:00", datetime(2024, 3, 4, 10, 15, 31, tzinfo=tz(1))),
        ("2024-03-04 10:15:31", datetime(2024, 3, 4, 10, 15, 31, tzinfo=timezone.utc)),
        (
            "2025-07-14 03:22:53.758267078 +0000 UTC m=+3408746.871580580",
            datetime(2025, 7, 14, 3, 22, 53, 758267, tzinfo=timezone.utc),
        ),
        ("Tue Dec 24 08:14:27 1991", datetime(1991, 12, 24, 8, 14, 27, tzinfo=timezone.utc)),
        ("Mon Mar  4 10:15:31 PST 2024", datetime(2024, 3, 4, 10, 15, 31, tzinfo=tz(-8))),
        ("  (comment first) Tue, 6 Dec 2022 12:49:12 +0100", datetime(2022, 12, 6, 12, 49, 12, tzinfo=tz(1))),
    ],
)
def test_parse_date(text, expected):
    parsed = parse_date(text)
    assert parsed == expected
    assert parsed.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    "text",
    [
        "",
        "garbage",
        "Tuesday",
        "6 Dec 2022",
        "32 Dec 2022 12:00:00 +0000",
        "29 Feb 2023 12:00:00 +0000",
        "6 Dec 2022 25:00:00 +0000",
        "6 Dec 2022 12:61:00 +0000",
        "6 Dec 2022 12:00:00 +9999",
        "6 Foo 2022 12:00:00 +0000",
        "2024-13-01T00:00:00Z",
        "1 Jan 0 00:00",
    ],
)
def test_garbage_gives_none(text):
    assert parse_date(text) is None


def test_long_input_is_cheap_and_safe():
    assert parse_date("1 " * 50_000) is None
    assert parse_date("Dec 1 " * 20_000) is None
    assert parse_date("(" * 100_000) is None


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_any_text_gives_an_aware_datetime_or_none(text):
    parsed = parse_date(text)
    assert parsed is None or parsed.tzinfo is not None


@settings(max_examples=300, deadline=None)
@given(st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2099, 12, 31)), st.integers(-719, 719))
def test_round_trip_of_what_servers_write(moment, offset_minutes):
    zone = timezone(timedelta(minutes=offset_minutes))
    moment = moment.replace(microsecond=0, tzinfo=zone)
    sign = "-" if offset_minutes < 0 else "+"
    hours, minutes = divmod(abs(offset_minutes), 60)
    text = moment.strftime("%a, %d %b %Y %H:%M:%S ") + f"{sign}{hours:02d}{minutes:02d}"
    assert parse_date(text) == moment


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Apr 21 2018 03:01:04 +0000", datetime(2018, 4, 21, 3, 1, 4, tzinfo=timezone.utc)),
        ("Apr 21, 2018 03:01:04 PM -0400", datetime(2018, 4, 21, 15, 1, 4, tzinfo=tz(-4))),
        ("4/20/2018 23:01:06 -0400", datetime(2018, 4, 20, 23, 1, 6, tzinfo=tz(-4))),
        ("4/20/2018 11:01:06 PM -0400", datetime(2018, 4, 20, 23, 1, 6, tzinfo=tz(-4))),
        ("12/1/2019 12:05:00 AM +0100", datetime(2019, 12, 1, 0, 5, tzinfo=tz(1))),
        ("12/1/2019 12:05:00 p.m. +0100", datetime(2019, 12, 1, 12, 5, tzinfo=tz(1))),
        ("2018-4-20 11:01:08 PM", datetime(2018, 4, 20, 23, 1, 8, tzinfo=timezone.utc)),
        ("2018-04-20 11:01:08 am +0200", datetime(2018, 4, 20, 11, 1, 8, tzinfo=tz(2))),
        # The usual mail date with a 12-hour clock: "PM" is not a zone (it was read as one, as UTC).
        ("Tue, 6 Dec 2022 11:01:08 PM -0400", datetime(2022, 12, 6, 23, 1, 8, tzinfo=tz(-4))),
        ("6 Dec 2022 12:01:08 A.M. +0100", datetime(2022, 12, 6, 0, 1, 8, tzinfo=tz(1))),
    ],
)
def test_month_first_us_numeric_and_twelve_hour_dates(text, expected):
    found = parse_date(text)
    assert found == expected
    assert found.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    "text, assumed",
    [
        ("Fri, 02 May 2025 19:43:57", True),
        ("2018-4-20 11:01:08 PM", True),
        ("Fri, 02 May 2025 19:43:57 XYZ", True),
        ("Tue Dec 24 08:14:27 1991", True),
        ("Fri, 02 May 2025 19:43:57 +0000", False),
        ("Fri, 02 May 2025 19:43:57 -0000", False),
        ("Fri, 02 May 2025 19:43:57 GMT", False),
        ("Fri, 02 May 2025 19:43:57 CEST", False),
        ("4/20/2018 23:01:06 -0400", False),
    ],
)
def test_a_date_without_a_known_zone_says_so(text, assumed):
    assert zone_assumed(parse_date(text)) is assumed


@pytest.mark.parametrize("text", ["13:01:06 PM 4/20/2018", "4/20/2018 13:01:06 PM -0400", "4/31/2018 10:00:00"])
def test_impossible_twelve_hour_or_calendar_dates_are_none(text):
    assert parse_date(text) is None
