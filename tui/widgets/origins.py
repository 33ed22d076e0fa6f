"""Messages grouped by where they came from: origin IP, country and client, with counts and dates.

The header inspector's origins view shows these groups, so the user sees at a
glance whether the suspicious mail came from one machine or from many.
Nothing here draws anything; the inspector turns the groups into rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterable

from tui.core.results import Message

OriginKey = tuple[str | None, str | None, str | None]


def origin_key(message: Message) -> OriginKey:
    """The group a message belongs to: its origin IP, country and client."""
    origin = message.origin
    return (origin.ip, origin.country, origin.client)


def _comparable(when: datetime) -> datetime:
    # Hand-built messages may carry naive dates; the parser treats a date
    # without a zone as UTC, and so do we, so that aware and naive compare.
    return when if when.tzinfo is not None else when.replace(tzinfo=timezone.utc)


@dataclass(slots=True)
class OriginGroup:
    """Messages sharing one origin, with when the first and last of them were dated."""

    ip: str | None
    country: str | None
    client: str | None
    count: int = 0
    first: datetime | None = None
    last: datetime | None = None

    @property
    def key(self) -> OriginKey:
        return (self.ip, self.country, self.client)

    def add(self, message: Message) -> None:
        self.count += 1
        if message.date is None:
            return
        when = _comparable(message.date)
        if self.first is None or when < self.first:
            self.first = when
        if self.last is None or when > self.last:
            self.last = when


class OriginTally:
    """Origin groups kept up to date as messages arrive, batch after batch."""

    def __init__(self) -> None:
        self._groups: dict[OriginKey, OriginGroup] = {}

    def add(self, messages: Iterable[Message]) -> None:
        groups = self._groups
        for message in messages:
            key = origin_key(message)
            group = groups.get(key)
            if group is None:
                group = groups[key] = OriginGroup(*key)
            group.add(message)

    def clear(self) -> None:
        self._groups.clear()

    def groups(self) -> list[OriginGroup]:
        """The groups, biggest first; equal counts by earliest first seen, undated last."""
        return sorted(
            self._groups.values(),
            key=lambda group: (
                -group.count,
                group.first is None,
                group.first or datetime.min.replace(tzinfo=timezone.utc),
                group.ip or "",
            ),
        )

    def __len__(self) -> int:
        return len(self._groups)
