"""The rows of the inspector's tables: the cells of a message, an origin group, a hop and a finding.

Every cell is terminal-safe text; a row's severity decides its style, which the table resolves from
the theme (``style_of``, None for the origin's mark).
"""

from __future__ import annotations

from typing import Callable, Iterable

from rich.style import Style
from rich.text import Text

from tui.core.results import Finding, Hop, Message
from tui.widgets.inspector.content import (
    SEVERITY_WORDS,
    HopFlag,
    clip,
    flag_severity,
    format_delay,
    hop_name,
    note_text,
    safe,
    severity_of,
    utc_minute,
    worst_severity,
)
from tui.widgets.inspector.table import TableRow
from tui.widgets.origins import OriginGroup

StyleOf = Callable[[str | None], Style]


def message_row(position: int, message: Message) -> tuple[TableRow, str]:
    """A message's row, and the lower-cased text the filter searches."""
    origin = message.origin
    worst = worst_severity(message.findings)
    if origin.authenticated_as:
        sender = safe(origin.authenticated_as)
    elif message.from_:
        sender = f"From {safe(message.from_)}"
    else:
        sender = "-"
    cells = (
        str(position + 1),
        SEVERITY_WORDS[worst] if worst else "-",
        safe(origin.ip) or "?",
        safe(origin.country) or "--",
        sender,
    )
    return TableRow.of(cells, worst), "\n".join(cells).lower()


def origin_row(group: OriginGroup) -> TableRow:
    return TableRow.of((
        str(group.count),
        safe(group.ip) or "?",
        safe(group.country) or "--",
        utc_minute(group.first) or "-",
        utc_minute(group.last) or "-",
        safe(group.client) or "-",
    ))  # fmt: skip


def hop_row(hop: Hop, flags: list[HopFlag], style_of: StyleOf) -> tuple[Text, ...]:
    """A hop's row: its flags (clipped after a whole word) in the style of the most serious."""
    severity = flag_severity(flags)
    if severity is not None:
        style = style_of(severity)
    elif flags:
        style = style_of(None)
    else:
        style = Style()
    delay = format_delay(hop.delay_s)
    delay_style = style
    if hop.delay_s is not None and hop.delay_s < 0:
        delay += " !"
        delay_style = style + style_of("warning")
    ip = safe(hop.from_ip) or ("local" if not hop.relay else "?")
    return (
        Text(str(hop.index), style=style),
        Text(clip(note_text(flags), 32), style=style),
        Text(ip, style=style),
        Text(safe(hop.country) or "--", style=style),
        Text(clip(hop_name(hop), 32), style=style),
        Text(safe(hop.with_), style=style),
        Text(clip(safe(hop.auth), 24), style=style),
        Text(delay, style=delay_style),
    )


def finding_rows(findings: Iterable[Finding], style_of: StyleOf) -> list[tuple[Text, ...]]:
    """The findings' rows; their titles whole (the table clips them to its width)."""
    rows = []
    for finding in findings:
        severity = severity_of(finding.severity)
        hop = "" if finding.hop_index is None else str(finding.hop_index)
        rows.append((Text(SEVERITY_WORDS[severity], style=style_of(severity)), Text(safe(finding.title)), Text(hop)))
    return rows
