"""`unblock connect`, `unblock disconnect` and `unblock accounts`: the OVHcloud connection from a terminal.

Argument parsing and printing only; the work is in the other ``tui.ovh`` modules.
The application secret is never an argument (argv shows in ``ps``): it comes from
``UNBLOCK_OVH_APPLICATION_SECRET``, from a hidden prompt, or from standard input's
first line when that is not a terminal. Nothing secret is printed. Exit status: 0
done, 1 failed (the reason on stderr), 2 bad arguments, 130 interrupted.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
import textwrap
from typing import TextIO

from tui.core.products import get_product
from tui.core.sanitise import terminal_safe
from tui.ovh.accounts import AccountList, list_accounts
from tui.ovh.client import CREATE_APP_PAGES, ENDPOINT_LABELS, KNOWN_ENDPOINTS, open_connection
from tui.ovh.connect import RIGHTS, Connected, KeyRequest, connect
from tui.ovh.credentials import credentials_file, find_credentials, remove_credentials, save_credentials
from tui.ovh.errors import OvhError

SECRET_ENV = "UNBLOCK_OVH_APPLICATION_SECRET"
JSON_VERSION = 1


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds") from None
    if not 0 < seconds <= 3600:
        raise argparse.ArgumentTypeError("give between 0 and 3600 seconds")
    return seconds


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="unblock", description="Connect unblock to your OVHcloud account.")
    commands = top.add_subparsers(dest="command", required=True)
    connect_cmd = commands.add_parser(
        "connect", help="get and store OVHcloud API credentials",
        description="Ask OVHcloud for a consumer key with only the rights unblock needs, wait until you "
        f"authorise it, and store it in {credentials_file()} (0600). The application secret is read from "
        f"{SECRET_ENV}, a hidden prompt, or standard input.")
    connect_cmd.add_argument("--endpoint", choices=KNOWN_ENDPOINTS, help="the API your account is on")
    connect_cmd.add_argument("--application-key", metavar="KEY", help="the application key (createApp page)")
    connect_cmd.add_argument("--wait", type=_seconds, default=600.0, metavar="SECONDS",
                             help="how long to wait for the authorisation (default 600)")
    connect_cmd.add_argument("--timeout", type=_seconds, default=20.0, metavar="SECONDS",
                             help="how long one API call may take (default 20)")
    connect_cmd.add_argument("--sandbox", action="store_true",
                             help="connect to a local double of the API with demo accounts instead; nothing is stored")
    commands.add_parser("disconnect", help="remove the stored credentials",
                        description=f"Remove {credentials_file()} and say whether other credentials remain.")
    accounts_cmd = commands.add_parser("accounts", help="list the accounts blocked for spam",
                                       description="List the accounts blocked for spam on every product.")
    accounts_cmd.add_argument("--json", action="store_true", help="print one JSON document (see the README)")
    accounts_cmd.add_argument("--all", action="store_true", help="list every account, blocked or not")
    accounts_cmd.add_argument("--sandbox", action="store_true",
                              help="use the local double's demo accounts; stored credentials are not touched")
    accounts_cmd.add_argument("--timeout", type=_seconds, default=20.0, metavar="SECONDS",
                              help="how long one API call may take (default 20)")
    return top


def main(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    run = {"connect": run_connect, "disconnect": run_disconnect, "accounts": run_accounts}[args.command]
    try:
        return run(args, sys.stdin, sys.stdout)
    except OvhError as error:
        print(f"unblock {args.command}: {terminal_safe(error.message)}", file=sys.stderr)
        return 1
    except ValueError as error:
        print(f"unblock {args.command}: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader (head, less) went away: nothing more to say.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (KeyboardInterrupt, EOFError):
        print(f"\nunblock {args.command}: stopped; nothing was stored.", file=sys.stderr)
        return 130


# connect ---------------------------------------------------------------------------------------

def _ask_endpoint(out: TextIO) -> str:
    print("Which OVHcloud API is your account on?", file=out)
    for name in KNOWN_ENDPOINTS:
        print(f"  {name}  {ENDPOINT_LABELS[name]}", file=out)
    while True:
        answer = input(f"Endpoint [{KNOWN_ENDPOINTS[0]}]: ").strip() or KNOWN_ENDPOINTS[0]
        if answer in KNOWN_ENDPOINTS:
            return answer
        print(f"Please type one of {', '.join(KNOWN_ENDPOINTS)}.", file=out)


def _where_to_create(endpoint: str, out: TextIO) -> None:
    print(f"\nunblock needs an application key and secret for {ENDPOINT_LABELS[endpoint]}.\n"
          f"To create them (once), open {CREATE_APP_PAGES[endpoint]}\n"
          "log in with your OVHcloud account and give the application a name and a\n"
          "description (for example \"unblock\"): the page then shows its Application Key\n"
          "and its Application Secret.\n", file=out)


def _secret(stdin: TextIO) -> str:
    secret = os.environ.get(SECRET_ENV)
    if secret:
        return secret
    if stdin.isatty():
        return getpass.getpass("Application secret (not shown): ")
    line = stdin.readline()
    if not line.strip():
        raise ValueError(f"No application secret: set {SECRET_ENV}, or give it on standard input.")
    return line


def print_rights(out: TextIO) -> None:
    """The rights asked for, under what each group is for."""
    purposes: dict[str, list[str]] = {}
    for right in RIGHTS:
        purposes.setdefault(right.reason, []).append(f"    {right.method:<5} {right.path}")
    for purpose, lines in purposes.items():
        print(f"  To {purpose}:", file=out)
        print("\n".join(lines), file=out)


def _show_request(request: KeyRequest, out: TextIO) -> None:
    print("Asking OVHcloud for a consumer key with these rights only:", file=out)
    print_rights(out)
    print("\nOpen this address, log in, choose how long the key lasts, and authorise it:", file=out)
    print(f"  {request.validation_url}", file=out)
    print("Waiting for the authorisation (ctrl+c to give up)...", file=out, flush=True)


def print_connected(connected: Connected, out: TextIO) -> None:
    endpoint = connected.credentials.endpoint
    label = ENDPOINT_LABELS.get(endpoint, "the local OVHcloud API double")
    who = terminal_safe(connected.nichandle + (f" ({connected.name})" if connected.name else ""))
    expiry = connected.key.expiration or "never"
    print(f"\nConnected to {label} ({endpoint})\nas {who}.", file=out)
    print(f"The consumer key is {connected.key.status}; it expires: {expiry}. Its rights:", file=out)
    for method, path in connected.key.rules:
        print(terminal_safe(f"  {method:<5} {path}"), file=out)


def run_connect(args: argparse.Namespace, stdin: TextIO, out: TextIO) -> int:
    if args.sandbox:
        return _connect_sandbox(args, out)
    endpoint = args.endpoint or _ask_endpoint(out)
    if not args.application_key:
        _where_to_create(endpoint, out)
    key = args.application_key or input("Application key: ")
    secret = _secret(stdin)
    connected = connect(endpoint, key, secret, show_request=lambda request: _show_request(request, out),
                        timeout=(min(5.0, args.timeout), args.timeout), wait=args.wait)
    print_connected(connected, out)
    path = save_credentials(connected.credentials)
    print(f"Saved to {path} (only you can read it).\n"
          "python-ovh tools can use it too; `unblock disconnect` removes it.", file=out)
    return 0


def _connect_sandbox(args: argparse.Namespace, out: TextIO) -> int:
    from tui.ovh.sandbox import Sandbox, connect_sandbox

    with Sandbox() as sandbox:
        print(f"Started the local OVHcloud API double at {sandbox.url}\n"
              f"(endpoint name {sandbox.endpoint_name}); nothing here reaches OVHcloud.", file=out)
        connected = connect_sandbox(sandbox, timeout=(min(5.0, args.timeout), args.timeout))
        print_connected(connected, out)
        listing = list_accounts(open_connection(connected.credentials, timeout=(min(5.0, args.timeout),
                                                                                 args.timeout)))
        print("\nBlocked accounts on the double:", file=out)
        print_accounts(listing, out, everything=False)
    print("\nNothing was stored, and the double has stopped.", file=out)
    return 0


# disconnect ------------------------------------------------------------------------------------

def run_disconnect(args: argparse.Namespace, stdin: TextIO, out: TextIO) -> int:
    removed = remove_credentials()
    print(f"Removed {removed}." if removed else f"There were no stored credentials ({credentials_file()}).",
          file=out)
    remaining = find_credentials()
    if remaining is not None:
        print(f"python-ovh still finds credentials for {remaining.endpoint} in: {remaining.source}. Remove them "
              "too to disconnect unblock completely.", file=out)
    else:
        print("unblock is not connected to OVHcloud any more.", file=out)
    print("The consumer key itself stays valid at OVHcloud until it expires; revoke it in the API console "
          "(DELETE /me/api/credential/{credentialId}) if it may have leaked.", file=out)
    return 0


# accounts --------------------------------------------------------------------------------------

def print_accounts(listing: AccountList, out: TextIO, *, everything: bool) -> None:
    shown = listing.accounts if everything else listing.blocked()
    if not shown:
        print("  (none)", file=out)
    for account in shown:
        status = {True: "blocked", False: "not blocked", None: "blocked or not: the API does not say"}[account.blocked]
        ticket = f", ticket {account.ticket_number}" if account.ticket_number else ""
        print(terminal_safe(f"  {account.email}: {status}{ticket}"), file=out)
        print(terminal_safe(f"    {get_product(account.product).label}, service {account.service}"), file=out)
        for note in account.notes:
            print(textwrap.fill(terminal_safe(note), 80, initial_indent="    ", subsequent_indent="    "), file=out)
    for problem in listing.problems:
        where = " ".join(part for part in (get_product(problem.product).label, problem.service) if part)
        print(textwrap.fill(terminal_safe(f"could not read {where}: {problem.message}"), 80, initial_indent="  ",
                            subsequent_indent="    "), file=out)


def accounts_document(listing: AccountList, endpoint: str, *, everything: bool) -> dict:
    shown = listing.accounts if everything else listing.blocked()
    return {"version": JSON_VERSION, "endpoint": endpoint, "accounts": [account.to_json() for account in shown],
            "errors": [problem.to_json() for problem in listing.problems]}


def run_accounts(args: argparse.Namespace, stdin: TextIO, out: TextIO) -> int:
    timeout = (min(5.0, args.timeout), args.timeout)
    if args.sandbox:
        from tui.ovh.sandbox import start_sandbox

        sandbox, credentials = start_sandbox(timeout=timeout)
        try:
            listing = list_accounts(open_connection(credentials, timeout=timeout))
        finally:
            sandbox.stop()
    else:
        credentials = find_credentials()
        if credentials is None:
            print("unblock accounts: not connected to OVHcloud. Run `unblock connect` first (or try "
                  "`unblock accounts --sandbox` on demo accounts).", file=sys.stderr)
            return 1
        listing = list_accounts(open_connection(credentials, timeout=timeout))
    if args.json:
        json.dump(accounts_document(listing, credentials.endpoint, everything=args.all), out, ensure_ascii=True)
        out.write("\n")
        return 0
    which = "Accounts" if args.all else "Accounts blocked for spam"
    print(f"{which} ({credentials.endpoint}):", file=out)
    print_accounts(listing, out, everything=args.all)
    print(textwrap.fill(f"Credentials from {credentials.source}.", 80), file=out)
    return 0
