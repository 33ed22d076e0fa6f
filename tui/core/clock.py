"""The clock of a case: when things happened, as stored (ISO 8601 with an offset) and as shown.

Stored times are UTC, so that they sort as text across DST changes and travel;
times the user gives are read as local time when they carry no offset.
"""

from __future__ import annotations

from datetime import datetime, timezone


def now() -> str:
    """The current time as ISO 8601 text in UTC."""
    return datetime.now(timezone.utc).isoformat()


def local_time(stamp: str | None) -> str:
    """A stored timestamp as the user's local "YYYY-MM-DD HH:MM" ("" for None, the text itself if unreadable)."""
    if not stamp:
        return ""
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp[:16]


def moment(stamp: str | None) -> datetime | None:
    """A stored timestamp as an aware datetime, or None."""
    try:
        moment = datetime.fromisoformat(stamp) if stamp else None
    except ValueError:
        return None
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def timestamp(when: datetime | str | None) -> str:
    """``when`` as ISO 8601 with an offset; naive times are taken as local time."""
    if when is None:
        return now()
    if isinstance(when, str):
        try:
            parsed = datetime.fromisoformat(when.strip())
        except ValueError:
            raise ValueError(f"{when!r} is not a date and time (expected ISO 8601).") from None
    elif isinstance(when, datetime):
        parsed = when
    else:
        raise ValueError(f"Expected a date and time, got {type(when).__name__}.")
    if parsed.tzinfo is None:
        parsed = parsed.astimezone()
    return parsed.isoformat()
