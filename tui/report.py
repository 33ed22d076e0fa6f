"""The human-readable report of `unblock inspect`: one section per message.

What a section says is decided once, here, as a list of blocks (a rule, lines,
indented lines, two-column grids), each made of (text, style) pieces. Rich
draws the blocks for a terminal, with colours; for a file or a pipe, where Rich
would write no colours anyway, ``report_text`` lays out the same blocks as
plain text, byte for byte what Rich prints, many times faster.

Every value that comes from a header goes through ``terminal_safe`` and is
kept as text (never markup), so escape sequences and "[bold]" in headers are
shown as written, not obeyed.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console, Group

from tui.core.results import Message
from tui.core.sanitise import terminal_safe
from tui.report_text import PlainWriter, render_blocks, rich_renderable, rich_text

SEVERITY_STYLE = {
    "critical": "bold red",
    "warning": "yellow",
    "notice": "cyan",
    "info": "dim",
}
SEVERITY_MARK = {"critical": "!!", "warning": "! ", "notice": "- ", "info": "  "}
# Under the mark and the severity word, where a finding's title starts.
_DETAIL_INDENT = 11

# A piece of a line: its text and its Rich style ("" for none).
Piece = tuple[str, str]
Pieces = list[Piece]
# The blocks of a section: ("rule", pieces), ("line", pieces), ("indented", indent, pieces),
# ("grid", gap, first column, rows of (pieces, pieces), indent). The first column
# of a grid is "label" (bold, left) or "number" (right-aligned); it never wraps.
Block = tuple


def safe(value: object) -> Pieces:
    """A header value as inert text."""
    if value is None:
        return [("-", "dim")]
    return [(terminal_safe(str(value)), "")]


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


def _format_delay(seconds: float) -> str:
    if seconds < 0:
        return f"{seconds:.0f}s (clock skew)"
    if seconds < 120:
        return f"{seconds:.0f}s"
    if seconds < 7200:
        return f"{seconds / 60:.0f}min"
    return f"{seconds / 3600:.1f}h"


def _summary(message: Message) -> Block:
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
    return ("grid", 2, "label", [([(label, "")], safe(value)) for label, value in rows], 0)


def _hops(message: Message) -> list[Block]:
    """The chain as one short paragraph per hop, wrapped under its number: readable at 80 columns."""
    flagged = {f.hop_index: f for f in message.findings if f.hop_index is not None}
    rows = []
    for hop in message.hops:
        number = [(f"{hop.index}.", "")]
        if not hop.relay:
            rows.append((number, [("(not a relay) ", "dim"), *safe(hop.raw[:160])]))
            continue
        line: Pieces = [("from ", ""), *safe(hop.from_helo or hop.from_rdns or "?")]
        if hop.from_helo and hop.from_rdns and hop.from_rdns != hop.from_helo:
            line += [(" (", ""), *safe(hop.from_rdns), (")", "")]
        if hop.from_ip:
            line += [(" [", ""), (terminal_safe(hop.from_ip), "bold")]
            if hop.country:
                line.append((f" {terminal_safe(hop.country)}", ""))
            line.append(("]", ""))
        line += [(" by ", ""), *safe(hop.by or "?")]
        if hop.with_:
            line += [(" with ", ""), *safe(hop.with_)]
        if hop.auth:
            line += [(" auth ", "bold"), *safe(hop.auth)]
        if hop.delay_s is not None:
            delay = hop.delay_s
            line.append((f" +{_format_delay(delay)}" if delay >= 0 else f" {_format_delay(delay)}",
                         "red" if delay < 0 else "dim"))
        if hop.date_utc_assumed:
            line.append((" (date without a time zone, read as UTC)", "dim"))
        finding = flagged.get(hop.index)
        if finding is not None:
            line.append((f"  <- {finding.title}", SEVERITY_STYLE.get(finding.severity, "")))
        rows.append((number, line))
    return [("line", [("Received chain, oldest first", "bold")]), ("grid", 1, "number", rows, 1)]


def _auth(message: Message) -> list[Block]:
    if not message.auth:
        return []
    blocks: list[Block] = [("line", [("Authentication results", "bold")])]
    for result in message.auth:
        failed = result.result in ("fail", "softfail", "permerror", "temperror")
        line: Pieces = [("  ", ""), *safe(result.authserv_id or result.header), (": ", ""), *safe(result.method),
                        ("=", ""), (terminal_safe(result.result), "bold red" if failed else "bold")]
        details = " ".join(f"{k}={v}" for k, v in result.properties.items())
        if details:
            line += [(" ", ""), *safe(details[:300])]
        blocks.append(("line", line))
    return [("line", []), *blocks]


def _ovh(message: Message) -> list[Block]:
    if not (message.spamcause or message.spamstate or message.spamscore or message.tracer_id):
        return []
    rows = [
        ("X-VR-SPAMSTATE", safe(message.spamstate)),
        ("X-VR-SPAMSCORE", safe(message.spamscore)),
        ("X-Ovh-Tracer-Id", safe(message.tracer_id)),
    ]
    cause = message.spamcause
    if cause is not None:
        if cause.decoded:
            rows.append(("SPAMCAUSE", safe(cause.decoded)))
            if cause.rules:
                rows.append(("Rules hit", safe(", ".join(
                    f"{name} ({score})" if score is not None else name for name, score in cause.rules))))
        else:
            rows.append(("SPAMCAUSE", [(cause.problem or "could not be decoded", "dim")]))
    return [("line", []), ("grid", 2, "label", [([(label, "")], value) for label, value in rows], 0)]


def _findings(message: Message) -> list[Block]:
    if not message.findings:
        return [("line", [("No findings: nothing in these headers looks suspicious.", "green")])]
    blocks: list[Block] = []
    for finding in message.findings:
        style = SEVERITY_STYLE.get(finding.severity, "")
        line: Pieces = [(SEVERITY_MARK.get(finding.severity, "  "), style),
                        (f"{finding.severity.upper():8} ", style), *safe(finding.title)]
        if finding.question:
            line.append((f"  [question {finding.question}]", "dim"))
        blocks.append(("line", line))
        # Explanation and evidence hang under the title, wrapped lines included.
        blocks.append(("indented", _DETAIL_INDENT, safe(finding.detail)))
        for evidence in finding.evidence[:3]:
            blocks.append(("indented", _DETAIL_INDENT,
                           [(f"{evidence.header}: ", "dim"), *safe(evidence.value[:200])]))
    return blocks


def _title(source: str, index: int, number: int) -> Block:
    return ("rule", [(f"Message {number}: ", ""), *safe(_where(source, index))])


def section(message: Message, number: int) -> list[Block]:
    """What one message's section says, block by block."""
    return [
        _title(message.source, message.index, number),
        _summary(message), ("line", []), *_hops(message), *_auth(message), *_ovh(message),
        ("line", []), ("line", [("Findings", "bold")]), *_findings(message), ("line", []),
    ]


def render_message(message: Message, number: int) -> Group:
    """One message's section, for Rich."""
    return Group(*map(rich_renderable, section(message, number)))


class PlainSection:
    """A message's section laid out as plain text but for its title (which holds its number):
    what a worker process hands back for a report written to a file or a pipe."""

    __slots__ = ("source", "index", "body")

    def __init__(self, source: str, index: int, body: str) -> None:
        self.source, self.index, self.body = source, index, body

    def __reduce__(self):
        return PlainSection, (self.source, self.index, self.body)


def plain_section(message: Message, width: int) -> PlainSection:
    """``message``'s section as the plain text Rich prints at ``width`` columns, title aside."""
    blocks = section(message, 0)[1:]
    body = render_blocks(blocks, width)
    return PlainSection(message.source, message.index, body if body is not None else rich_text(blocks, width))


def problem_line(error: dict) -> Pieces:
    """A problem as one line of the report."""
    return [("problem: ", "yellow"), *safe(_where(error["source"], error.get("index"))), (": ", ""),
            *safe(error["message"])]


def print_report(messages: Iterable[Message | PlainSection], errors: list[dict], account: str | None = None,
                 console: Console | None = None) -> int:
    """Print every message as it is analysed; return how many there were.

    A PlainSection (laid out by a worker) goes only to a console that writes plain text.
    """
    console = console or ReportConsole(highlight=False, emoji=False)
    # Rich writes no colours to a file or a pipe: the plain layout is the same text, faster.
    plain = PlainWriter.for_console(console)
    emit = plain.write_blocks if plain is not None else (lambda blocks: console.print(Group(*map(rich_renderable, blocks))))
    if account:
        emit([("line", [("Blocked address: ", "bold"), *safe(account)])])
    count = 0
    for count, message in enumerate(messages, start=1):
        if type(message) is PlainSection:
            plain.write_blocks([_title(message.source, message.index, count)])
            plain.write_text(message.body)
        else:
            emit(section(message, count))
    for error in errors:
        emit([("line", problem_line(error))])
    if not count:
        emit([("line", [("Nothing could be analysed.", "bold red")])])
    if plain is not None:
        plain.flush()
    return count
