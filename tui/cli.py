"""Command line: `unblock` opens the app, `unblock inspect` prints an analysis.

Argument parsing only; the app (and textual) is imported only when the app is
wanted, so `unblock inspect` starts fast and works without a terminal UI.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from tui import __version__
from tui.cliargs import country_code

if TYPE_CHECKING:
    from tui.core.model import Ticket


def _address(value: str) -> str:
    # "<contact@example.fr>" is how the address often appears when copied from a header.
    address = value.strip().removeprefix("<").removesuffix(">").lower()
    local, _, domain = address.rpartition("@")
    labels = domain.split(".")
    if not local or len(labels) < 2 or not all(labels) or any(c.isspace() for c in address):
        raise argparse.ArgumentTypeError(f"{value!r} is not an e-mail address")
    return address


def _ip(value: str) -> str:
    import ipaddress  # only when an IP is given: it is not worth its import at every start

    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not an IP address") from None


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of processes (1 or more)")
    return jobs


def inspect_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="unblock inspect",
        description="Read mail headers (pasted block, .eml, ticket text, mbox, Maildir) and report "
        "where each message came from and what is suspicious.",
    )
    parser.add_argument("files", nargs="*", metavar="FILE", help="files or Maildirs to read; - for stdin (default)")
    parser.add_argument("--json", action="store_true", help="print one JSON document (see README) instead of a report")
    parser.add_argument(
        "--expect-country", action="append", default=[], type=country_code, metavar="CC",
        help="a country you normally send from (repeatable), e.g. FR",
    )
    parser.add_argument("--expect-ip", action="append", default=[], type=_ip, metavar="IP",
                        help="an IP address you normally send from (repeatable)")
    parser.add_argument("--account", type=_address, metavar="ADDRESS",
                        help="the blocked address (default: the one named in the ticket)")
    parser.add_argument("--jobs", type=_jobs, metavar="N",
                        help="worker processes for an mbox or Maildir of many messages (default: one per CPU; "
                        "1 analyses everything in this process)")
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
    if argv[:1] == ["connect"] and "--sandbox" in argv and sys.stdin.isatty() and sys.stdout.isatty():
        return run_sandbox_app()
    if argv and argv[0] in ("connect", "disconnect", "accounts"):
        from tui.ovh.cli import main as ovh_main

        return ovh_main(argv)
    if argv and argv[0] == "reply":
        from tui.replycli import main as reply_main

        return reply_main(argv[1:])
    args = app_parser().parse_args(argv)
    return run_app(args)


def run_sandbox_app() -> int:
    """`unblock connect --sandbox` on a terminal: the app, connected to a local OVHcloud double with demo accounts.

    The double lives as long as the app; the cases are the user's own (the data
    folder as for `unblock`). Without a terminal, tui.ovh.cli prints the summary.
    """
    from tui.ovh.errors import OvhError
    from tui.ovh.sandbox import start_sandbox

    try:
        sandbox, credentials = start_sandbox()
    except OvhError as error:
        print(f"unblock: the local OVHcloud double did not start: {error.message}", file=sys.stderr)
        return 1
    try:
        return run_app(app_parser().parse_args([]), ovh_credentials=credentials)
    finally:
        sandbox.stop()


def run_app(args: argparse.Namespace, ovh_credentials=None) -> int:
    """Start the app (the `unblock` command): on a ticket file or stdin, on the demo, or on the case list.

    The exit status is the app's: 0, or 1 when it stopped on an error.
    """
    from tui.startup import paused_collector

    with paused_collector():
        text = None
        source = "ticket"
        if args.ticket is not None:
            text, source, problem = _read_ticket(args.ticket)
            if problem:
                print(f"unblock: {problem}", file=sys.stderr)
                return 2
        from tui.core.store import CaseStore, StoreUnavailable, default_data_dir

        try:
            store = CaseStore(Path(args.data_dir).expanduser() if args.data_dir else default_data_dir())
        except StoreUnavailable as exc:
            print(f"unblock: {exc}", file=sys.stderr)
            return 2
        except OSError as exc:  # an unusable data dir is the user's to fix: say where and why
            print(f"unblock: cannot open the case store: {exc.strerror or exc}", file=sys.stderr)
            return 2
        from tui.app import UnblockApp

        case_id = None if (args.demo or text is not None) else store.last_opened()
        app = UnblockApp(store, case_id=case_id, ticket_text=text, ticket_source=source, demo=args.demo,
                         gc_paused=True, ovh_credentials=ovh_credentials)
        try:
            app.run()
        finally:
            store.close()
    return app.return_code or 0


def _read_ticket(given: str) -> tuple[str, str, str | None]:
    """The ticket named on the command line (- for standard input): its text, its source, or the problem.

    Read as the app's loader reads it: regular files only, at most 20 MB, so
    `unblock /dev/zero` or a named pipe ends in a message, not in memory or a wait.
    """
    from tui.core.files import read_text_file, read_text_stream

    if given != "-":
        text, problem = read_text_file(given)
        return text, Path(given).name, problem
    stdin = _stdin_bytes()
    if stdin is None:
        return "", "stdin", "standard input is closed."
    text, problem = read_text_stream(stdin, "standard input")
    if problem is None:
        _reattach_terminal()
    return text, "stdin", problem


def _reattach_terminal() -> None:
    """After reading a ticket from a pipe, read keys from the terminal again."""
    try:
        fd = os.open("/dev/tty", os.O_RDONLY)
    except OSError:
        return
    os.dup2(fd, 0)
    os.close(fd)
    sys.stdin = open(0, closefd=False)


def _stdin_bytes() -> BinaryIO | None:
    return getattr(sys.stdin, "buffer", None)


class _PutBack(io.RawIOBase):
    """A byte stream with the bytes already read from it put back in front."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._head[: len(buffer)]
        self._head = self._head[len(data) :]
        if not data:
            data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _stdin_ticket(stdin: BinaryIO) -> tuple[BinaryIO, Ticket | None]:
    """Standard input, ready to be read from the start, and the ticket it holds (or None).

    Text is read whole anyway (the header blocks are searched for in all of
    it), so it is kept here and handed back; an mbox is streamed, whatever its
    size, so only its first line is read ahead and no ticket is looked for.
    """
    from tui.core.sources import MBOX_FROM_BYTES, READ_LIMIT, read_text
    from tui.core.text import decode_bytes

    first = stdin.readline(READ_LIMIT)
    if MBOX_FROM_BYTES.match(first):
        return io.BufferedReader(_PutBack(first, stdin)), None
    data = first + stdin.read(READ_LIMIT + 1 - len(first))
    ticket = None
    # A ticket is text: NUL bytes near the start mean binary junk, not worth searching.
    if b"\0" not in data[:65536]:
        ticket = read_text(decode_bytes(data[:READ_LIMIT])[0], "-")[0]
    return io.BytesIO(data), ticket


def _ticket_account(files: list[str], stdin_ticket: Ticket | None) -> str | None:
    """The address named by the first ticket among the inputs, in input order."""
    from tui.core.sources import read_ticket_file

    for path in files:
        if path == "-":
            ticket = stdin_ticket
        elif os.path.isfile(path):
            ticket = read_ticket_file(path)
        else:
            continue
        if ticket is not None and ticket.address:
            return ticket.address
    return None


def run_inspect(args: argparse.Namespace) -> int:
    from tui.core.model import Expectations

    files = args.files or ["-"]
    if files.count("-") > 1:
        print("unblock inspect: stdin (-) can be read only once", file=sys.stderr)
        return 2
    stdin = _stdin_bytes()
    account = args.account
    if account is None:
        stdin_ticket = None
        if "-" in files and stdin is not None:
            stdin, stdin_ticket = _stdin_ticket(stdin)
        account = _ticket_account(files, stdin_ticket)
    expectations = Expectations(account=account, countries=args.expect_country, ips=args.expect_ip)
    jobs = args.jobs
    if jobs is None:
        from tui.core.parallel import default_jobs

        jobs = default_jobs()
    errors: list[dict] = []
    try:
        if args.json:
            from tui.inspect_run import inspected

            count = _write_json(inspected(files, stdin, expectations, "json", 0, jobs, errors), errors, sys.stdout)
        else:
            count = _print_report(files, stdin, expectations, jobs, errors, account)
    except BrokenPipeError:
        # The reader (head, less) went away: nothing more to say.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        # Ctrl-C: the workers are stopped (see core/parallel); no traceback for the user.
        return 130
    return 0 if count else 1


def _print_report(files: list[str], stdin, expectations, jobs: int, errors: list[dict], account: str | None) -> int:
    from tui.inspect_run import inspected
    from tui.report import ReportConsole, print_report
    from tui.report_text import PlainWriter

    # A character the terminal's encoding lacks (the "␛" shown for an escape, a
    # Cyrillic subject on a Latin-1 terminal) is written as \uXXXX, not a traceback.
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(errors="backslashreplace")
    console = ReportConsole(highlight=False, emoji=False)
    # To a file or a pipe the workers lay the report out as text; for a terminal
    # in colour they hand back the messages and Rich draws them here.
    mode = "plain" if PlainWriter.for_console(console) is not None else "message"
    messages = inspected(files, stdin, expectations, mode, console.width, jobs, errors)
    return print_report(messages, errors, account=account, console=console)


def _write_json(entries: Iterable[str], errors: list[dict], out) -> int:
    """Stream the document: one message at a time, so an mbox of any size fits in memory."""
    from tui.core.jsonreport import VERSION
    from tui.inspect_run import json_path

    count = 0
    out.write('{"version": %d, "messages": [' % VERSION)
    for entry in entries:
        out.write(",\n" if count else "\n")
        out.write(entry)
        count += 1
    out.write('\n], "errors": ')
    out.write(json.dumps([{**e, "source": json_path(e["source"])} for e in errors], ensure_ascii=True))
    out.write("}\n")
    out.flush()
    return count


if __name__ == "__main__":
    raise SystemExit(main())
