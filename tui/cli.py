"""Command line: `unblock` opens the app, `unblock inspect` prints an analysis.

Argument parsing only; the app (and textual) is imported only when the app is
wanted, so `unblock inspect` starts fast and works without a terminal UI.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import sys
from pathlib import Path
from typing import Iterable, Iterator

from tui import __version__


def _country(value: str) -> str:
    code = value.strip().upper()
    if len(code) != 2 or not code.isalpha():
        raise argparse.ArgumentTypeError(f"{value!r} is not a two-letter country code (for example FR)")
    return code


def _address(value: str) -> str:
    address = value.strip().lower()
    local, _, domain = address.rpartition("@")
    if not local or "." not in domain or " " in address:
        raise argparse.ArgumentTypeError(f"{value!r} is not an e-mail address")
    return address


def _ip(value: str) -> str:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not an IP address") from None


def inspect_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="unblock inspect",
        description="Read mail headers (pasted block, .eml, ticket text, mbox, Maildir) and report "
        "where each message came from and what is suspicious.",
    )
    parser.add_argument("files", nargs="*", metavar="FILE", help="files or Maildirs to read; - for stdin (default)")
    parser.add_argument("--json", action="store_true", help="print one JSON document (see README) instead of a report")
    parser.add_argument(
        "--expect-country", action="append", default=[], type=_country, metavar="CC",
        help="a country you normally send from (repeatable), e.g. FR",
    )
    parser.add_argument("--expect-ip", action="append", default=[], type=_ip, metavar="IP",
                        help="an IP address you normally send from (repeatable)")
    parser.add_argument("--account", type=_address, metavar="ADDRESS",
                        help="the blocked address (default: the one named in the ticket)")
    return parser


def app_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="unblock",
        description="Get an e-mail account unblocked after it was locked for spam. "
        "Run `unblock inspect --help` for the scriptable analysis.",
    )
    parser.add_argument("ticket", nargs="?", metavar="TICKET_FILE",
                        help="open a new case from this ticket file (- for stdin)")
    parser.add_argument("--demo", action="store_true", help="open a demo case with a realistic ticket")
    parser.add_argument("--data-dir", metavar="DIR", help="where cases are kept (default: UNBLOCK_DATA_DIR or the user data dir)")
    parser.add_argument("--version", action="version", version=f"unblock {__version__}")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "inspect":
        return run_inspect(inspect_parser().parse_args(argv[1:]))
    args = app_parser().parse_args(argv)
    return run_app(args)


def run_app(args: argparse.Namespace) -> int:
    from tui.app import run

    return run(ticket=args.ticket, demo=args.demo, data_dir=args.data_dir)


def _stdin_bytes():
    return sys.stdin.buffer if sys.stdin is not None else None


def _analysed(files: list[str], expectations, errors: list[dict]) -> Iterator:
    """Analyse every message of every input, in input order; errors are appended to ``errors``."""
    from tui.core.analysis import analyse
    from tui.core.sources import InputError, read_inputs

    for item in read_inputs(files, stdin=_stdin_bytes()):
        if isinstance(item, InputError):
            errors.append({"source": item.source, "index": item.index, "message": item.message})
            continue
        try:
            message = analyse(item, expectations)
        except Exception as exc:  # one bad message must not cost the others their report
            errors.append({"source": item.source, "index": item.index,
                           "message": f"could not be analysed: {type(exc).__name__}: {exc}"})
            continue
        for problem in message.problems:
            errors.append({"source": message.source, "index": message.index, "message": problem})
        yield message


def _ticket_account(files: list[str]) -> str | None:
    from tui.core.sources import read_ticket_file

    for path in files:
        if path == "-" or not os.path.isfile(path):
            continue
        ticket = read_ticket_file(path)
        if ticket is not None and ticket.address:
            return ticket.address
    return None


def run_inspect(args: argparse.Namespace) -> int:
    from tui.core.model import Expectations

    files = args.files or ["-"]
    if files.count("-") > 1:
        print("unblock inspect: stdin (-) can be read only once", file=sys.stderr)
        return 2
    account = args.account or _ticket_account(files)
    expectations = Expectations(account=account, countries=args.expect_country, ips=args.expect_ip)
    errors: list[dict] = []
    messages = _analysed(files, expectations, errors)
    try:
        if args.json:
            count = _write_json(messages, errors, sys.stdout)
        else:
            from tui.report import print_report

            count = print_report(messages, errors, account=account)
    except BrokenPipeError:
        # The reader (head, less) went away: nothing more to say.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return 0 if count else 1


def _write_json(messages: Iterable, errors: list[dict], out) -> int:
    """Stream the document: one message at a time, so an mbox of any size fits in memory."""
    from tui.core.jsonreport import VERSION, message_to_dict

    count = 0
    out.write('{"version": %d, "messages": [' % VERSION)
    for message in messages:
        out.write(",\n" if count else "\n")
        out.write(json.dumps(message_to_dict(message), ensure_ascii=True))
        count += 1
    out.write('\n], "errors": ')
    out.write(json.dumps(errors, ensure_ascii=True))
    out.write("}\n")
    out.flush()
    return count


if __name__ == "__main__":
    raise SystemExit(main())
