"""The human-readable report of `unblock inspect`: one section per message, printed with Rich.

Every value that comes from a header goes through ``terminal_safe`` and into a
Rich ``Text`` (never markup), so escape sequences and "[bold]" in headers are
shown as written, not obeyed.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from tui.core.model import Message
from tui.core.text import terminal_safe

SEVERITY_STYLE = {
    "critical": "bold red",
    "warning": "yellow",
    "notice": "cyan",
    "info": "dim",
}
SEVERITY_MARK = {"critical": "!!", "warning": "! ", "notice": "- ", "info": "  "}


def safe(value: object) -> Text:
    """A header value as inert text."""
    if value is None:
        return Text("-", style="dim")
    return Text(terminal_safe(str(value)))


def _where(source: str, index: int | None) -> str:
    """Which input (and which message in it) a section or a problem is about, counting from 1.

    The first message of a file goes by the file's name alone: most files hold
    only one.
    """
    return source if not index else f"{source} (message {index + 1})"


class ReportConsole(Console):
    """A Console that leaves a closed pipe (``| head``) to the command, as the JSON output does."""

    def on_broken_pipe(self) -> None:
        # Rich's own handler exits with status 1 here, before the command can answer.
        self.quiet = True
        raise BrokenPipeError


def _format_delay(seconds: float | None) -> str:
    if seconds is None:
        return ""
    if seconds < 0:
        return f"{seconds:.0f}s (clock skew)"
    if seconds < 120:
        return f"{seconds:.0f}s"
    if seconds < 7200:
        return f"{seconds / 60:.0f}min"
    return f"{seconds / 3600:.1f}h"


def _summary(message: Message) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    origin = message.origin
    where = origin.ip
    if where and origin.country:
        where = f"{where} ({origin.country})"
    rows = [
        ("From", message.from_),
        # Only when there is one: a reply address unlike the sender's is a classic spam sign.
        *([("Reply-To", message.reply_to)] if message.reply_to else []),
        ("To", ", ".join(message.to[:5]) + (f" and {len(message.to) - 5} more" if len(message.to) > 5 else "")
         if message.to else None),
        ("Subject", message.subject),
        ("Date", message.date.isoformat() if message.date else None),
        ("Message-ID", message.message_id),
        ("Origin", f"{where} (from {origin.source_header})" if where else None),
        ("Authenticated as", origin.authenticated_as),
        ("Client", origin.client),
    ]
    for label, value in rows:
        table.add_row(label, safe(value))
    return table


def _hops(message: Message) -> Table:
    table = Table(title="Received chain, oldest first", title_justify="left", expand=True, show_lines=False)
    for name, kwargs in (
        ("#", {"justify": "right", "no_wrap": True}),
        ("From (HELO / rDNS)", {"ratio": 3}),
        ("IP", {"no_wrap": True}),
        ("CC", {"no_wrap": True}),
        ("By", {"ratio": 3}),
        ("With", {}),
        ("Auth", {}),
        ("Delay", {"no_wrap": True}),
    ):
        table.add_column(name, **kwargs)
    flagged = {f.hop_index: f for f in message.findings if f.hop_index is not None}
    for hop in message.hops:
        if not hop.relay:
            name = Text("(not a relay) ", style="dim") + safe(hop.raw[:80])
        else:
            name = safe(" / ".join(x for x in (hop.from_helo, hop.from_rdns) if x) or None)
        style = ""
        finding = flagged.get(hop.index)
        if finding is not None:
            style = SEVERITY_STYLE.get(finding.severity, "")
            name.append(f"  <- {finding.title}", style=style)
        table.add_row(
            str(hop.index), name, safe(hop.from_ip), safe(hop.country), safe(hop.by), safe(hop.with_),
            safe(hop.auth), Text(_format_delay(hop.delay_s), style="red" if (hop.delay_s or 0) < 0 else ""),
        )
    return table


def _auth(message: Message) -> Table | None:
    if not message.auth:
        return None
    table = Table(title="Authentication results", title_justify="left", expand=True)
    table.add_column("By")
    table.add_column("Method")
    table.add_column("Result")
    table.add_column("Details", ratio=3)
    for result in message.auth:
        details = " ".join(f"{k}={v}" for k, v in result.properties.items())
        style = "red" if result.result in ("fail", "softfail", "permerror", "temperror") else ""
        table.add_row(safe(result.authserv_id or result.header), safe(result.method),
                      Text(terminal_safe(result.result), style=style), safe(details or None))
    return table


def _ovh(message: Message) -> Table | None:
    if not (message.spamcause or message.spamstate or message.spamscore or message.tracer_id):
        return None
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    table.add_row("X-VR-SPAMSTATE", safe(message.spamstate))
    table.add_row("X-VR-SPAMSCORE", safe(message.spamscore))
    table.add_row("X-Ovh-Tracer-Id", safe(message.tracer_id))
    cause = message.spamcause
    if cause is not None:
        if cause.decoded:
            table.add_row("SPAMCAUSE", safe(cause.decoded))
            if cause.rules:
                table.add_row("Rules hit", safe(", ".join(
                    f"{name} ({score})" if score is not None else name for name, score in cause.rules)))
        else:
            table.add_row("SPAMCAUSE", Text(cause.problem or "could not be decoded", style="dim"))
    return table


def _findings(message: Message) -> Group:
    if not message.findings:
        return Group(Text("No findings: nothing in these headers looks suspicious.", style="green"))
    parts = []
    for finding in message.findings:
        style = SEVERITY_STYLE.get(finding.severity, "")
        line = Text(SEVERITY_MARK.get(finding.severity, "  "), style=style)
        line.append(f"{finding.severity.upper():8} ", style=style)
        line.append_text(safe(finding.title))
        if finding.question:
            line.append(f"  [question {finding.question}]", style="dim")
        parts.append(line)
        parts.append(Text("            ") + safe(finding.detail))
        for evidence in finding.evidence[:3]:
            parts.append(Text("            ", style="dim") + Text(f"{evidence.header}: ", style="dim")
                         + safe(evidence.value[:200]))
    return Group(*parts)


def render_message(message: Message, number: int) -> Panel:
    """One message's section."""
    parts = [_summary(message), Text(""), _hops(message)]
    for extra in (_auth(message), _ovh(message)):
        if extra is not None:
            parts += [Text(""), extra]
    parts += [Text(""), Text("Findings", style="bold"), _findings(message)]
    title = Text(f"Message {number}: ") + safe(_where(message.source, message.index))
    return Panel(Group(*parts), title=title, title_align="left")


def print_report(messages: Iterable[Message], errors: list[dict], account: str | None = None,
                 console: Console | None = None) -> int:
    """Print every message as it is analysed; return how many there were."""
    console = console or ReportConsole(highlight=False, emoji=False)
    if account:
        console.print(Text("Blocked address: ", style="bold") + safe(account))
    count = 0
    for count, message in enumerate(messages, start=1):
        console.print(render_message(message, count))
    for error in errors:
        console.print(Text("problem: ", style="yellow") + safe(_where(error["source"], error.get("index")))
                      + Text(": ") + safe(error["message"]))
    if not count:
        console.print(Text("Nothing could be analysed.", style="bold red"))
    return count
