"""Dates as mail headers write them, read tolerantly into timezone-aware datetimes.

Mail software writes RFC 5322 dates with every licence the obsolete syntax
allows and some it does not: no day name, two-digit years, zone names instead
of offsets, no seconds, fractional seconds, odd spacing, ISO 8601 from API
relays, ctime from old Unix tools, the month first ("Apr 21 2018"), US numeric
dates ("4/20/2018") and 12-hour clocks ("11:01:08 PM"). One precompiled regex
finds the date inside the text (a Received header's tail often carries comments
around it); a date without a zone, or with an unknown one, is taken as UTC and
says so (``zone_assumed``). Anything unreadable gives None, never an error.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from functools import lru_cache

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip

# RFC 5322 section 4.3 obsolete zones, plus the European names French and
# German servers still write; military letters other than Z are meaningless
# per RFC 5322 and read as UTC with the unknown ones.
_ZONE_HOURS = {
    "UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "WET": 0,
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
    "CET": 1, "MET": 1, "WEST": 1, "BST": 1, "CEST": 2, "MEST": 2, "EET": 2, "EEST": 3,
}  # fmt: skip

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*+\.?"
_TIME = (
    r"(?P<{p}h>\d{{1,2}}):(?P<{p}m>\d{{2}})(?::(?P<{p}s>\d{{2}})(?:[.,](?P<{p}f>\d{{1,9}})\d*+)?)?"
    # A 12-hour clock: "11:01:08 PM".
    r"(?:\s*+(?P<{p}p>[ap])\.?m\.?(?![a-z]))?"
)
_ZONE = r"(?:\s*+(?P<{p}z>[+-]\d{{2}}(?::?\d{{2}})?|[a-z]{{1,5}}\b))?"

# Six shapes, each bounded, with possessive runs so a crafted string cannot
# make the search backtrack: "6 Dec 2022 12:49:12 +0100", "2022-12-06T12:49:12Z",
# ctime "Dec  6 12:49:12 [zone] 2022", month first "Apr 21 2018 03:01:04 +0000",
# US numeric "4/20/2018 11:01:06 PM -0400". The optional day name in front lets
# the usual header value match at its first character instead of its sixth.
_DATE = re.compile(
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*+,?\s*+)?"
    r"(?:\b(?P<rd>\d{1,2})[\s-]++(?P<rmon>" + _MONTH + r")[\s,-]++(?P<ry>\d{2,4})\s++"
    + _TIME.format(p="r") + _ZONE.format(p="r")
    + r"|\b(?P<iy>\d{4})-(?P<imon>\d{1,2})-(?P<id>\d{1,2})(?:t|\s++)"
    + _TIME.format(p="i") + _ZONE.format(p="i")
    + r"|\b(?P<cmon>" + _MONTH + r")\s++(?P<cd>\d{1,2})\s++"
    + _TIME.format(p="c") + r"(?:\s++(?P<cz>[a-z]{1,5}|[+-]\d{4}))?\s++(?P<cy>\d{4})\b"
    + r"|\b(?P<mmon>" + _MONTH + r")\s++(?P<md>\d{1,2}),?\s++(?P<my>\d{4})\s++"
    + _TIME.format(p="m") + _ZONE.format(p="m")
    + r"|\b(?P<umon>\d{1,2})/(?P<ud>\d{1,2})/(?P<uy>\d{4})\s++"
    + _TIME.format(p="u") + _ZONE.format(p="u") + ")",
    re.IGNORECASE,
)
# Which prefix each shape's groups carry, in the order _DATE tries them.
_SHAPES = ("r", "i", "c", "m", "u")

# Dates sit near the start of what callers pass; a long tail is comments.
_MAX_SCAN = 300

# The form nearly every server writes, "Tue, 6 Dec 2022 12:49:12 +0100" (or "GMT"), at the
# start of the text. Whatever it matches, _DATE would match at the same place
# with the same parts (the text before it is blank, and no date starts on a
# blank), and it is several times cheaper than the case-blind search. "PM" and "A.M." after
# the time are a 12-hour clock, not a zone: _DATE reads them.
_COMMON = re.compile(
    r"\s*+(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?([0-9]{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"([0-9]{4}) ([0-9]{2}):([0-9]{2}):([0-9]{2}) ([+-][0-9]{4}|(?![AaPp]\.?[Mm]\b)[A-Za-z]{1,5}\b)"
)
_MONTH_NUMBERS = {name.capitalize(): number for name, number in _MONTHS.items()}
# "0" to "99", with and without a leading zero: a dict look-up costs far less than int().
_NUMBERS = {text: number for number in range(100) for text in (str(number), f"{number:02d}")}


# A date written without a zone, or with one nobody knows, is read as UTC with this
# zone: equal to timezone.utc in every comparison and printed the same, but ``is``
# tells that the zone was assumed (see zone_assumed).
ASSUMED_UTC = timezone(timedelta(0), "UTC")


def zone_assumed(date: datetime | None) -> bool:
    """Whether ``date`` (from parse_date) had no zone, or an unknown one, and was read as UTC."""
    return date is not None and date.tzinfo is ASSUMED_UTC


@lru_cache(maxsize=1024)
def _timezone(zone: str | None) -> timezone | None:
    """The timezone a zone token stands for; assumed UTC when absent or unknown, None when impossible."""
    if not zone:
        return ASSUMED_UTC
    if zone[0] in "+-":
        digits = zone[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:] or 0)
        if hours > 23 or minutes > 59:
            return None
        offset = timedelta(hours=hours, minutes=minutes)
        return timezone(-offset if zone[0] == "-" else offset)
    hours = _ZONE_HOURS.get(zone.upper())
    return ASSUMED_UTC if hours is None else timezone(timedelta(hours=hours))


# Every date has a clock ("12:49"), and no date reaches further than this from its clock's
# first digit: the general search looks only around clocks, and not at all without one.
_CLOCK = re.compile(r"\d:\d\d")
_BEFORE_CLOCK = 60
_AFTER_CLOCK = 60


def _search(text: str) -> re.Match | None:
    """The first date in ``text``, looked for around each clock in turn."""
    for clock in _CLOCK.finditer(text):
        at = clock.start()
        found = _DATE.search(text, max(0, at - _BEFORE_CLOCK), at + _AFTER_CLOCK)
        if found is not None:
            return found
    return None


def parse_date(text: str) -> datetime | None:
    """The first date written in ``text`` as an aware datetime, or None if there is none."""
    common = _COMMON.match(text, 0, _MAX_SCAN)
    if common is not None:
        day, month_name, year, hour, minute, second, zone = common.groups()
        tz = _timezone(zone)
        if tz is None:
            return None
        try:
            return datetime(
                int(year), _MONTH_NUMBERS[month_name], _NUMBERS[day], _NUMBERS[hour], _NUMBERS[minute],
                min(_NUMBERS[second], 59), 0, tz,
            )
        except ValueError:
            return None
    match = _search(text[:_MAX_SCAN])
    if match is None:
        return None
    found = match.groupdict()
    for p in _SHAPES:
        year_text = found[p + "y"]
        if year_text is not None:
            break
    month_name = found[p + "mon"]
    year = int(year_text)
    if len(year_text) < 4:
        # RFC 5322 4.3: two-digit years below 50 are 20xx, others 19xx; three digits add 1900.
        year += 2000 if year < 50 and len(year_text) == 2 else 1900
    month = int(month_name) if month_name.isdigit() else _MONTHS[month_name[:3].lower()]
    hour = int(found[p + "h"])
    half = found[p + "p"]
    if half is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half in "pP" else 0)
    second, fraction = found[p + "s"], found[p + "f"]
    tz = _timezone(found[p + "z"])
    if tz is None:
        return None
    try:
        return datetime(
            year, month, int(found[p + "d"]), hour, int(found[p + "m"]),
            min(int(second), 59) if second else 0,  # a leap second ":60" is real; datetime cannot hold it
            int(fraction.ljust(6, "0")[:6]) if fraction else 0,
            tzinfo=tz,
        )  # fmt: skip
    except ValueError:
        return None
