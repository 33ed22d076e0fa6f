"""What the analysis reads: header blocks, the ticket, what the user expects.

Plain dataclasses. What the analysis finds (hops, origins, findings, the
analysed message) is in tui.core.results, imported only once something is
analysed: the first screen is drawn without it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator


@dataclass(slots=True)
class Header:
    """One header field as it appeared: name as written, value unfolded."""

    name: str
    value: str


@dataclass(slots=True)
class Headers:
    """The header section of one message, in the order it was written.

    ``source`` is the path as given (or ``-``), ``index`` the position of the
    message inside that source (0 for a single file). ``problems`` collects
    what went wrong while reading it, in words for the user.
    """

    fields: list[Header] = field(default_factory=list)
    source: str = "-"
    index: int = 0
    problems: list[str] = field(default_factory=list)
    # The fields by lower-cased name, and a copy of ``fields`` as it was when
    # they were grouped: every look-up is a dict access instead of a scan that
    # lower-cases every name, and comparing the copy (identity first, so a few
    # nanoseconds a field) notices a field added, removed or replaced since.
    # The groups hold the Header objects, so a value changed in place shows.
    _grouped: dict[str, list[Header]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _grouped_from: list[Header] | None = field(default=None, init=False, repr=False, compare=False)

    def by_name(self) -> dict[str, list[Header]]:
        """The fields grouped by lower-cased name, each group top to bottom.

        Shared with every other caller and rebuilt whenever ``fields`` has
        changed: read it, do not modify it.
        """
        fields = self.fields
        if self._grouped_from is None or fields != self._grouped_from:
            grouped: dict[str, list[Header]] = {}
            for header in fields:
                name = header.name.lower()
                if name in grouped:
                    grouped[name].append(header)
                else:
                    grouped[name] = [header]
            self._grouped = grouped
            self._grouped_from = list(fields)
        return self._grouped

    def get(self, name: str) -> str | None:
        """The first value of header ``name`` (case-insensitive), or None."""
        found = self.by_name().get(name.lower())
        return found[0].value if found else None

    def get_all(self, name: str) -> list[str]:
        """Every value of header ``name`` (case-insensitive), top to bottom."""
        found = self.by_name().get(name.lower())
        return [h.value for h in found] if found else []

    def __iter__(self) -> Iterator[Header]:
        return iter(self.fields)

    def __len__(self) -> int:
        return len(self.fields)


@dataclass(slots=True)
class Ticket:
    """What the provider's "Account locked for spam" message told us."""

    text: str = ""
    address: str | None = None
    service: str | None = None
    suspicious_count: int | None = None
    language: str | None = None
    questions: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Expectations:
    """What the user told us about how they normally send mail.

    ``account`` is the blocked address; ``countries`` ISO codes (upper case)
    they send from; ``ips`` and ``clients`` their own addresses and mail
    programs. Findings compare the evidence against these.
    """

    account: str | None = None
    countries: list[str] = field(default_factory=list)
    ips: list[str] = field(default_factory=list)
    clients: list[str] = field(default_factory=list)
