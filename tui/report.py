"""The human-readable report of `unblock inspect`: one section per message, printed with Rich.

Every value that comes from a header goes through ``terminal_safe`` and into a
Rich ``Text`` (never markup), so escape sequences and "[bold]" in headers are
shown as written, not obeyed.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console, Group
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from tui.core.model import Message
from tui.core.sanitise import terminal_safe

SEVERITY_STYLE = {
    "critical": "bold red",
    "warning": "yellow",
    "notice": "cyan",
    "info": "dim",
}
SEVERITY_MARK = {"critical": "!!", "warning": "! ", "notice": "- ", "info": "  "}
# Under the mark and the severity word, where a finding's title starts.
_DETAIL_INDENT = 11


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


def _hops(message: Message) -> Group:
    """The chain as one short paragraph per hop, wrapped under its number: readable at 80 columns."""
    rows = Table.grid(padding=(0, 1))
    rows.add_column(justify="right", no_wrap=True)
    rows.add_column()
    flagged = {f.hop_index: f for f in message.findings if f.hop_index is not None}
    for hop in message.hops:
        line = Text()
        if not hop.relay:
            line.append("(not a relay) ", style="dim")
            line.append_text(safe(hop.raw[:160]))
            rows.add_row(f"{hop.index}.", line)
            continue
        line.append("from ")
        line.append_text(safe(hop.from_helo or hop.from_rdns or "?"))
        if hop.from_helo and hop.from_rdns and hop.from_rdns != hop.from_helo:
            line.append(" (")
            line.append_text(safe(hop.from_rdns))
            line.append(")")
        if hop.from_ip:
            line.append(" [")
            line.append(terminal_safe(hop.from_ip), style="bold")
            if hop.country:
                line.append(f" {terminal_safe(hop.country)}")
            line.append("]")
        line.append(" by ")
        line.append_text(safe(hop.by or "?"))
        if hop.with_:
            line.append(" with ")
            line.append_text(safe(hop.with_))
        if hop.auth:
            line.append(" auth ", style="bold")
            line.append_text(safe(hop.auth))
        if hop.delay_s is not None:
            line.append(f" +{_format_delay(hop.delay_s)}" if hop.delay_s >= 0 else f" {_format_delay(hop.delay_s)}",
                        style="red" if hop.delay_s < 0 else "dim")
        if hop.date_utc_assumed:
            line.append(" (date without a time zone, read as UTC)", style="dim")
        finding = flagged.get(hop.index)
        if finding is not None:
            line.append(f"  <- {finding.title}", style=SEVERITY_STYLE.get(finding.severity, ""))
        rows.add_row(f"{hop.index}.", line)
    return Group(Text("Received chain, oldest first", style="bold"), Padding(rows, (0, 0, 0, 1)))


def _auth(message: Message) -> Group | None:
    if not message.auth:
        return None
    lines = [Text("Authentication results", style="bold")]
    for result in message.auth:
        line = Text("  ")
        line.append_text(safe(result.authserv_id or result.header))
        line.append(": ")
        line.append_text(safe(result.method))
        line.append("=")
        failed = result.result in ("fail", "softfail", "permerror", "temperror")
        line.append(terminal_safe(result.result), style="bold red" if failed else "bold")
        details = " ".join(f"{k}={v}" for k, v in result.properties.items())
        if details:
            line.append(" ")
            line.append_text(safe(details[:300]))
        lines.append(line)
    return Group(*lines)


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
        # Explanation and evidence hang under the title, wrapped lines included.
        parts.append(Padding(safe(finding.detail), (0, 0, 0, _DETAIL_INDENT)))
        for evidence in finding.evidence[:3]:
            parts.append(Padding(Text(f"{evidence.header}: ", style="dim") + safe(evidence.value[:200]),
                                 (0, 0, 0, _DETAIL_INDENT)))
    return Group(*parts)


def render_message(message: Message, number: int) -> Group:
    """One message's section."""
    parts = [_summary(message), Text(""), _hops(message)]
    for extra in (_auth(message), _ovh(message)):
        if extra is not None:
            parts += [Text(""), extra]
    parts += [Text(""), Text("Findings", style="bold"), _findings(message)]
    title = Text(f"Message {number}: ") + safe(_where(message.source, message.index))
    # A rule, not a Panel, heads each message: a Panel renders its whole content
    # several times over, which made the report of a big mbox crawl.
    return Group(Rule(title, align="left"), *parts, Text(""))


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
