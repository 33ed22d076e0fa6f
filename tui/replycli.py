"""`unblock reply`: the reply that taking every suggestion would give, without the app.

For support staff, scripts and tests. The inputs are read and analysed as
`unblock inspect` reads them (tickets, pasted blocks, .eml, mbox, Maildir,
stdin), the suggestions come from ``answers.suggest_answers`` and the reply
from ``reply.write_reply``: the same code as the app. Problems with the
inputs are told on stderr in inspect's words; the exit status is 0 when
something was analysed, 1 when nothing could be, 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from typing import TYPE_CHECKING, BinaryIO

from tui.cliargs import country_code

if TYPE_CHECKING:
    from tui.core.answers import Suggestion
    from tui.core.model import Expectations, Ticket
    from tui.core.results import Message

# A quoted header in the JSON evidence: enough to recognise it, never a whole hostile value.
_EVIDENCE_LIMIT = 1000


def reply_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="unblock reply",
        description="Draft the reply to an OVHcloud \"Account locked for spam\" ticket, taking every suggested "
        "answer: the reply the app would draft.",
    )
    parser.add_argument("tickets", nargs="*", metavar="TICKET",
                        help="the ticket with its header sample (or any header file); - for stdin (default)")
    parser.add_argument("--lang", choices=("en", "fr"), help="the reply's language (default: the ticket's)")
    parser.add_argument("--evidence", nargs="+", action="extend", default=[], metavar="FILE",
                        help="more messages to analyse: .eml, mbox, Maildir (your Sent folder, for example)")
    parser.add_argument(
        "--expect-country", action="append", default=[], type=country_code, metavar="CC",
        help="a country you normally send from (repeatable), e.g. FR",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON document instead of the reply")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = reply_parser().parse_args(sys.argv[1:] if argv is None else argv)
    return run_reply(args)


def run_reply(args: argparse.Namespace) -> int:
    from tui.core.answers import suggest_answers
    from tui.core.model import Expectations
    from tui.core.reply import ReplyOptions, write_reply
    from tui.core.sources import InputError

    tickets = args.tickets or ["-"]
    inputs = tickets + args.evidence
    if inputs.count("-") > 1:
        print("unblock reply: stdin (-) can be read only once", file=sys.stderr)
        return 2
    stdin = _stdin() if "-" in inputs else None
    ticket = _first_ticket(tickets, stdin)
    account = ticket.address if ticket is not None else None
    language = args.lang or (ticket.language if ticket is not None else None) or "en"
    errors: list[InputError] = []
    messages = _analysed(inputs, Expectations(account=account, countries=args.expect_country), errors, stdin)
    for error in errors:
        print(f"unblock reply: problem: {_safe(str(error))}", file=sys.stderr)
    if not messages:
        print("unblock reply: nothing could be analysed, so there is no reply to draft.", file=sys.stderr)
        return 1
    suggestions = suggest_answers(messages, account, language)
    answers = {s.question: (s.answer, "") for s in suggestions}
    reply = write_reply(account, messages, answers, ReplyOptions(language))
    try:
        if args.json:
            document = {"lang": language, "account": account,
                        "questions": [_question(s) for s in suggestions], "reply": reply}
            sys.stdout.write(json.dumps(document, ensure_ascii=True) + "\n")
        else:
            if isinstance(sys.stdout, io.TextIOWrapper):
                sys.stdout.reconfigure(errors="backslashreplace")
            sys.stdout.write(reply)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader (head, less) went away: nothing more to say.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _stdin() -> io.BytesIO | None:
    """Standard input, read once (the reply needs every message at once anyway)."""
    from tui.core.sources import READ_LIMIT

    stream: BinaryIO | None = getattr(sys.stdin, "buffer", None)
    return io.BytesIO(stream.read(READ_LIMIT + 1)) if stream is not None else None


def _first_ticket(paths: list[str], stdin: io.BytesIO | None) -> Ticket | None:
    """The first ticket among ``paths``, in order ("-" is standard input)."""
    from tui.core.sources import MBOX_FROM_BYTES, READ_LIMIT, read_text, read_ticket_file
    from tui.core.text import decode_bytes

    for path in paths:
        if path == "-":
            data = stdin.getvalue()[:READ_LIMIT] if stdin is not None else b""
            # An mbox is a stream of messages, and NUL bytes mean binary junk: neither holds a ticket.
            is_text = data.strip() and not MBOX_FROM_BYTES.match(data) and b"\0" not in data[:65536]
            ticket = read_text(decode_bytes(data)[0], "-")[0] if is_text else None
        else:
            ticket = read_ticket_file(path) if os.path.isfile(path) else None
        if ticket is not None:
            return ticket
    return None


def _analysed(paths: list[str], expectations: Expectations, errors: list, stdin: BinaryIO | None) -> list[Message]:
    """Every message of every input analysed, in input order; what could not be is added to ``errors``."""
    from tui.core.analysis import analyse
    from tui.core.sources import InputError, read_inputs

    messages = []
    for item in read_inputs(paths, stdin=stdin):
        if isinstance(item, InputError):
            errors.append(item)
            continue
        try:
            message = analyse(item, expectations)
        except Exception as exc:  # one bad message must not cost the others their analysis
            errors.append(InputError(item.source, item.index, f"could not be analysed: {type(exc).__name__}: {exc}"))
            continue
        errors.extend(InputError(message.source, message.index, problem) for problem in message.problems)
        messages.append(message)
    return messages


def _question(suggestion: Suggestion) -> dict:
    from tui.core.phrases import plain

    return {
        "number": suggestion.question,
        "suggestion": suggestion.answer.replace(" ", "_"),
        "confidence": suggestion.confidence,
        "reason": suggestion.reason,
        "evidence": [plain(f"{e.header}: {e.value}", _EVIDENCE_LIMIT) for e in suggestion.evidence],
    }


def _safe(text: str) -> str:
    from tui.core.sanitise import terminal_safe

    return terminal_safe(text)
