"""End-to-end tests of `unblock inspect`: the JSON contract, input order, the ticket's address and the
user's countries, exit codes, and bad input that must give a clear message and never a traceback.

Most runs call ``tui.cli.main`` in-process; a few go through ``python -m tui`` for what only a real
process shows (exit status, standard input, a closed pipe, the terminal's encoding).
"""

import io
import ipaddress
import json
import os
import random
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from conftest import shared_path
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tui.core.analysis
from tui.cli import main

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "cli"
TICKET = FIXTURES / "ticket-en-other-mailbox.txt"
MBOX = FIXTURES / "sent-three.mbox"
HOPS = FIXTURES / "hop-shapes.eml"

ACCOUNT = "contact@atelier-lemoine.example"
MBOX_SUBJECTS = ["Devis n°2025-014", "Relance : facture 2025-009", "Undelivered Mail Returned to Sender"]
TICKET_SUBJECTS = ["Facture en attente de paiement", "Re: Devis pour la cuisine"]
HOPS_SUBJECT = "Sortie du dimanche – parcours de 80 km"

RECEIVED = (
    "Received: from smtp.cabinet-roux.example (smtp.cabinet-roux.example [198.51.100.23])\n"
    "\tby mx2.mail.example.net (Postfix) with ESMTPS id 4F9A21C0B3\n"
    "\tfor <l.girard@mail.example.net>; Tue, 11 Mar 2025 14:02:17 +0100 (CET)\n"
)


# --- running the command -----------------------------------------------------


@dataclass
class Run:
    code: int
    out: str
    err: str

    def document(self) -> dict:
        """The JSON document on stdout, checked against the contract."""
        document = json.loads(self.out)
        check_contract(document)
        return document


@pytest.fixture
def inspect(capsys, monkeypatch):
    """Run `unblock inspect ARGS` in-process; ``stdin`` bytes stand in for standard input."""

    def run(*args: object, stdin: bytes | None = None) -> Run:
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        try:
            code = main(["inspect", *map(str, args)])
        except SystemExit as exit:  # argparse refuses bad arguments this way
            code = exit.code
        out, err = capsys.readouterr()
        assert "Traceback" not in err
        return Run(code, out, err)

    return run


# What makes Rich write colours to a pipe: the tests that want them set them.
COLOUR_VARIABLES = ("FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")


@pytest.fixture
def wide(monkeypatch):
    """A plain console wide enough that no header value is wrapped mid-sequence."""
    monkeypatch.setenv("COLUMNS", "200")
    for name in COLOUR_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def run_module(*args: object, stdin: bytes = b"", env: dict | None = None) -> subprocess.CompletedProcess:
    """`python -m tui inspect ARGS` as a real process, with the test's (isolated) environment."""
    environment = {name: value for name, value in os.environ.items() if name not in COLOUR_VARIABLES}
    result = subprocess.run(
        [sys.executable, "-m", "tui", "inspect", *map(str, args)],
        check=False, input=stdin, capture_output=True, cwd=ROOT, env={**environment, **(env or {})}, timeout=120,
    )
    assert b"Traceback" not in result.stderr, result.stderr.decode(errors="replace")
    return result


def entries(document: dict) -> list[tuple[str, int, str | None]]:
    return [(m["source"], m["index"], m["subject"]) for m in document["messages"]]


def finding_ids(message: dict) -> list[str]:
    return [f["id"] for f in message["findings"]]


def mentions(message: dict, text: str) -> bool:
    return any(text in f["title"] or text in f["detail"] for f in message["findings"])


def error_texts(document: dict) -> str:
    return "\n".join(e["message"] for e in document["errors"])


# --- the JSON contract -------------------------------------------------------

OPTIONAL_TEXT = (str, type(None))
SEVERITIES = {"info", "notice", "warning", "critical"}
HOP_TEXT_KEYS = {
    "raw", "from_helo", "from_rdns", "from_ip", "ident", "by", "via", "with", "id", "for",
    "envelope_from", "tls", "auth", "mta",
}  # fmt: skip
HOP_KEYS = HOP_TEXT_KEYS | {"index", "relay", "date", "date_utc_assumed", "delay_s"}
MESSAGE_KEYS = {
    "source", "index", "subject", "from", "to", "reply_to", "date", "message_id",
    "hops", "origin", "auth", "spamcause", "findings",
}  # fmt: skip
ISO_WITH_OFFSET = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?[+-]\d\d:\d\d")


def check_contract(document: dict) -> None:
    """Every key and type of the version 1 contract, and nothing else."""
    assert set(document) == {"version", "messages", "errors"}
    assert document["version"] == 1
    assert isinstance(document["messages"], list) and isinstance(document["errors"], list)
    for message in document["messages"]:
        check_message(message)
    for error in document["errors"]:
        assert set(error) == {"source", "index", "message"}
        assert isinstance(error["source"], str)
        assert error["index"] is None or type(error["index"]) is int and error["index"] >= 0
        assert isinstance(error["message"], str) and error["message"].strip()


def check_date(value: object) -> None:
    if value is not None:
        assert isinstance(value, str) and ISO_WITH_OFFSET.fullmatch(value), value
        assert datetime.fromisoformat(value).utcoffset() is not None


def check_ip(value: object) -> None:
    if value is not None:
        assert isinstance(value, str) and not re.search(r"[\[\]%]", value), value
        assert not value.lower().startswith("::ffff:"), value
        assert str(ipaddress.ip_address(value)) == value  # no port, no zone, the usual spelling


def check_message(message: dict) -> None:
    assert set(message) == MESSAGE_KEYS
    assert isinstance(message["source"], str)
    assert type(message["index"]) is int and message["index"] >= 0
    for key in ("subject", "from", "reply_to", "message_id"):
        assert isinstance(message[key], OPTIONAL_TEXT), key
    assert isinstance(message["to"], list) and all(isinstance(x, str) for x in message["to"])
    check_date(message["date"])

    assert [hop["index"] for hop in message["hops"]] == list(range(1, len(message["hops"]) + 1))
    for hop in message["hops"]:
        assert set(hop) == HOP_KEYS
        assert isinstance(hop["raw"], str) and type(hop["relay"]) is bool
        assert type(hop["date_utc_assumed"]) is bool
        if hop["date_utc_assumed"]:
            assert hop["date"].endswith("+00:00") and hop["delay_s"] is None
        for key in HOP_TEXT_KEYS - {"raw"}:
            assert isinstance(hop[key], OPTIONAL_TEXT), key
        for key in ("for", "envelope_from"):
            assert not re.search(r"[<>]", hop[key] or ""), hop[key]
        check_ip(hop["from_ip"])
        check_date(hop["date"])
        assert hop["delay_s"] is None or type(hop["delay_s"]) in (int, float)

    origin = message["origin"]
    assert set(origin) == {"ip", "country", "authenticated_as", "client", "source_header"}
    assert all(isinstance(value, OPTIONAL_TEXT) for value in origin.values())
    check_ip(origin["ip"])
    assert origin["country"] is None or re.fullmatch(r"[A-Z]{2}", origin["country"])

    for result in message["auth"]:
        assert set(result) == {"authserv_id", "method", "result", "properties"}
        assert isinstance(result["authserv_id"], OPTIONAL_TEXT)
        assert isinstance(result["method"], str) and isinstance(result["result"], str)
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in result["properties"].items())

    spamcause = message["spamcause"]
    if spamcause is not None:
        assert set(spamcause) == {"decoded", "fields", "encrypted"}
        assert isinstance(spamcause["decoded"], OPTIONAL_TEXT) and type(spamcause["encrypted"]) is bool
        for name, value in spamcause["fields"].items():
            assert isinstance(name, str)
            # "Param" holds the parts of Param= by name.
            assert isinstance(value, str) or isinstance(value, dict) and all(
                isinstance(x, str) for x in (*value, *value.values())
            )

    for finding in message["findings"]:
        assert set(finding) == {"id", "severity", "title", "detail", "evidence"}
        assert finding["severity"] in SEVERITIES
        assert all(isinstance(finding[key], str) and finding[key] for key in ("id", "title", "detail"))
        for evidence in finding["evidence"]:
            assert set(evidence) == {"header", "value"}
            assert isinstance(evidence["header"], str) and isinstance(evidence["value"], str)


# --- JSON output: order, mbox, Maildir, hops ----------------------------------


def test_one_document_for_many_files_in_input_order(inspect):
    run = inspect(MBOX, HOPS, TICKET, "--json")
    assert run.code == 0 and run.err == ""
    document = run.document()
    assert entries(document) == [
        *((str(MBOX), i, subject) for i, subject in enumerate(MBOX_SUBJECTS)),
        (str(HOPS), 0, HOPS_SUBJECT),
        *((str(TICKET), i, subject) for i, subject in enumerate(TICKET_SUBJECTS)),
    ]
    assert document["errors"] == []


def test_the_same_files_in_another_order_give_the_other_order(inspect):
    document = inspect(TICKET, MBOX, "--json").document()
    assert [(m["source"], m["index"]) for m in document["messages"]] == [
        (str(TICKET), 0), (str(TICKET), 1), (str(MBOX), 0), (str(MBOX), 1), (str(MBOX), 2),
    ]


def test_mbox_gives_one_entry_per_message_in_order(inspect):
    document = inspect(MBOX, "--json").document()
    # The body's ">From" and "From the desk..." lines start no message.
    assert entries(document) == [(str(MBOX), i, subject) for i, subject in enumerate(MBOX_SUBJECTS)]
    assert [m["date"] for m in document["messages"]] == [
        "2025-02-03T09:14:58+01:00", "2025-02-04T17:40:30+01:00", "2025-02-06T02:45:09+00:00",
    ]


def write_maildir(root: Path) -> Path:
    """A Maildir holding, by file name, the hop-shapes message, an empty file and two messages of the mbox."""
    mbox = MBOX.read_text()
    first, second = (part.partition("\n")[2] for part in mbox.split("\n\nFrom ")[:2])
    maildir = root / "Mail" / "Sent"
    for folder in ("cur", "new", "tmp"):
        (maildir / folder).mkdir(parents=True)
    (maildir / "cur" / "1738570498.M1P4100.laptop:2,S").write_text(HOPS.read_text())
    (maildir / "new" / "1738570499.M2P4100.laptop").write_bytes(b"")
    (maildir / "cur" / "1738570500.M3P4100.laptop:2,S").write_text(first)
    (maildir / "new" / "1738657230.M4P4100.laptop").write_text(second)
    # Still being delivered: not mail yet.
    (maildir / "tmp" / "1738657231.M5P4100.laptop").write_text(HOPS.read_text())
    return maildir


def test_maildir_gives_one_entry_per_message_by_file_name(inspect, tmp_path):
    maildir = str(write_maildir(tmp_path))
    run = inspect(maildir, "--json")
    assert run.code == 0
    document = run.document()
    assert entries(document) == [
        (maildir, 0, HOPS_SUBJECT), (maildir, 2, MBOX_SUBJECTS[0]), (maildir, 3, MBOX_SUBJECTS[1]),
    ]
    [error] = document["errors"]
    assert error["source"] == maildir and error["index"] == 1 and "is empty" in error["message"]


def test_hops_oldest_first_with_addresses_normalised(inspect):
    [message] = inspect(HOPS, "--json").document()["messages"]
    hops = message["hops"]
    assert [hop["by"] for hop in hops] == ["relay.velo-club.example", "relay.velo-club.example", "mx3.mail.example.net"]
    webmail, exim, mx = hops
    # "unknown [IPv6:::ffff:90.12.34.56]:48712": no reverse name, the IPv4 address alone.
    assert (webmail["from_helo"], webmail["from_rdns"], webmail["from_ip"]) == (
        "webmail.velo-club.example", None, "90.12.34.56",
    )
    assert webmail["for"] == "claire.morel@mail.example.net"
    assert webmail["auth"] == "secretariat@velo-club.example"
    # Exim "from [192.0.2.10] (port=51544 helo=[192.0.2.10])": the HELO literal keeps its brackets.
    assert (exim["from_helo"], exim["from_rdns"], exim["from_ip"]) == ("[192.0.2.10]", None, "192.0.2.10")
    assert exim["envelope_from"] == "bounce+7781@newsletter.velo-club.example"
    assert (exim["date"], exim["delay_s"]) == ("2025-03-15T09:14:05+01:00", 3)
    assert mx["from_ip"] == "2001:db8:40::25"
    assert message["origin"]["ip"] == "90.12.34.56" and message["origin"]["country"] == "FR"
    # The comma inside "Dupont, Marc" does not split that recipient in two.
    [claire, marc] = message["to"]
    assert claire == "Claire Morel <claire.morel@mail.example.net>"
    assert "Dupont" in marc and marc.endswith("<marc.dupont@mail.example.net>")
    assert message["from"] == "Vélo Club du Val <secretariat@velo-club.example>"


@pytest.mark.parametrize(
    ("client", "ip"),
    [
        ("laptop.home.example ([fe80::1c2a:3bff:fe4d:5e6f%en0])", "fe80::1c2a:3bff:fe4d:5e6f"),
        ("pc.cabinet-roux.example (unknown [IPv6:::FFFF:203.0.113.9]:4455)", "203.0.113.9"),
        ("pc.cabinet-roux.example (pc.cabinet-roux.example [198.51.100.23]:587)", "198.51.100.23"),
        ("[IPv6:2001:db8::7] (port=4455 helo=[IPv6:2001:db8::7])", "2001:db8::7"),
    ],
)
def test_from_ip_has_no_brackets_mapping_port_or_zone(inspect, tmp_path, client, ip):
    path = tmp_path / "hop.eml"
    path.write_text(
        f"Received: from {client}\n\tby relay.cabinet-roux.example (Postfix) with ESMTPSA id 7D1C40A2;\n"
        "\tTue, 11 Mar 2025 14:02:15 +0100 (CET)\nSubject: Compte rendu\n\n"
    )
    [message] = inspect(path, "--json").document()["messages"]
    assert message["hops"][0]["from_ip"] == ip


# --- the blocked address and the user's countries ---------------------------


def samples_alone(tmp_path: Path) -> Path:
    """The ticket's header samples without the ticket text around them."""
    path = tmp_path / "samples.txt"
    path.write_text(TICKET.read_text().partition("Header sample:\n")[2])
    return path


def test_ticket_names_the_blocked_address(inspect, tmp_path):
    with_ticket = inspect(TICKET, "--json").document()["messages"]
    without = inspect(samples_alone(tmp_path), "--json").document()["messages"]
    assert [m["subject"] for m in without] == TICKET_SUBJECTS
    # The sample was sent by logging in to compta@, not to the address the ticket is about.
    assert "auth-other-mailbox" in finding_ids(with_ticket[0])
    assert mentions(with_ticket[0], ACCOUNT)
    assert not mentions(without[0], ACCOUNT) and "auth-other-mailbox" not in finding_ids(without[0])


def test_ticket_among_other_files_names_the_address_for_all(inspect, tmp_path, wide):
    document = inspect(samples_alone(tmp_path), TICKET, "--json").document()
    assert mentions(document["messages"][0], ACCOUNT)  # analysed before the ticket was read
    human = inspect(samples_alone(tmp_path), TICKET)
    assert human.out.startswith(f"Blocked address: {ACCOUNT}\n")


def test_account_option_overrides_the_ticket(inspect):
    [own, _] = inspect(TICKET, "--json", "--account", " <Compta@Atelier-Lemoine.example> ").document()["messages"]
    assert "auth-other-mailbox" not in finding_ids(own) and not mentions(own, ACCOUNT)
    [other, _] = inspect(TICKET, "--json", "--account", "gerant@menuiserie-blanc.example").document()["messages"]
    assert "auth-not-account" in finding_ids(other) and mentions(other, "gerant@menuiserie-blanc.example")


def test_expect_country_changes_the_findings(inspect):
    def countries(*flags: str) -> list[list[str]]:
        document = inspect(TICKET, "--json", *flags).document()
        return [[i for i in finding_ids(m) if i.startswith("origin-country")] for m in document["messages"]]

    # The first sample came from Nigeria, the second from France.
    assert countries() == [[], []]
    assert countries("--expect-country", "fr") == [["origin-country-unexpected"], ["origin-country-expected"]]
    assert countries("--expect-country", "FR", "--expect-country", "ng") == [
        ["origin-country-expected"], ["origin-country-expected"],
    ]


# --- standard input ----------------------------------------------------------


def test_stdin_is_read_by_default_and_as_dash(inspect):
    for args in ((), ("-",)):
        document = inspect(*args, "--json", stdin=HOPS.read_bytes()).document()
        assert entries(document) == [("-", 0, HOPS_SUBJECT)]


def test_dash_keeps_its_place_among_files(inspect):
    document = inspect(HOPS, "-", TICKET, "--json", stdin=MBOX.read_bytes()).document()
    assert [m["source"] for m in document["messages"]] == [str(HOPS), "-", "-", "-", str(TICKET), str(TICKET)]
    assert [m["subject"] for m in document["messages"]][1:4] == MBOX_SUBJECTS


def test_ticket_on_stdin_names_the_blocked_address(inspect, wide):
    document = inspect("--json", stdin=TICKET.read_bytes()).document()
    assert [m["subject"] for m in document["messages"]] == TICKET_SUBJECTS
    assert mentions(document["messages"][0], ACCOUNT)
    assert inspect(stdin=TICKET.read_bytes()).out.startswith(f"Blocked address: {ACCOUNT}\n")


def test_stdin_through_a_real_process():
    result = run_module("--json", stdin=TICKET.read_bytes())
    assert result.returncode == 0
    document = json.loads(result.stdout)
    check_contract(document)
    assert [m["subject"] for m in document["messages"]] == TICKET_SUBJECTS
    assert mentions(document["messages"][0], ACCOUNT)

    result = run_module("-", "--json", stdin=MBOX.read_bytes())
    assert result.returncode == 0
    assert [m["subject"] for m in json.loads(result.stdout)["messages"]] == MBOX_SUBJECTS

    result = run_module("--json", stdin=b"")
    assert result.returncode == 1
    assert json.loads(result.stdout)["errors"] == [{"source": "-", "index": None, "message": "is empty"}]


# --- bad input -----------------------------------------------------------------


def header(*lines: bytes) -> bytes:
    return RECEIVED.encode() + b"".join(line + b"\n" for line in lines) + b"\n"


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (random.Random(7).randbytes(8192), "is not text"),
        (b"", "is empty"),
        (b"\n \r\n\t\n", "is empty"),
        (b"Bonjour, je ne comprends pas pourquoi mon compte est bloque.\n", "holds no mail header"),
    ],
    ids=["binary-junk", "empty", "blank", "prose"],
)
def test_input_with_nothing_to_analyse_gets_a_clear_message(inspect, tmp_path, wide, data, problem):
    path = tmp_path / "upload.eml"
    path.write_bytes(data)
    for args in ((path,), ("-",)):
        run = inspect(*args, "--json", stdin=data)
        assert run.code == 1
        document = run.document()
        assert document["messages"] == []
        [error] = document["errors"]
        assert error["source"] == str(args[0]) and problem in error["message"]
    human = inspect(path)
    assert human.code == 1 and problem in human.out and "Nothing could be analysed." in human.out


@pytest.mark.parametrize(
    ("data", "subject", "problem"),
    [
        (header(b"Subject: Rendez-\x00vous de\x00main", b"From: l.girard@mail.example.net"),
         "Rendez-vous demain", "2 NUL bytes removed"),
        (header(b"Subject: R\xe9union du comit\xe9", b"From: Ren\xe9 Blanc <rene@cabinet-roux.example>"),
         "Réunion du comité", "invalid UTF-8"),
        (header(b"Subject: \xff\xfe\xc3(\xa0\xa1 caf\xc3\xa9", b"From: x@cabinet-roux.example"),
         None, "invalid UTF-8"),
    ],
    ids=["nul-bytes", "latin-1-headers", "invalid-utf-8"],
)
def test_damaged_text_gets_a_best_effort_parse_and_an_error_entry(inspect, tmp_path, data, subject, problem):
    path = tmp_path / "damaged.eml"
    path.write_bytes(data)
    run = inspect(path, "--json")
    assert run.code == 0
    document = run.document()
    [message] = document["messages"]
    assert message["hops"][0]["from_ip"] == "198.51.100.23"
    if subject is not None:
        assert message["subject"] == subject
    assert "\x00" not in json.dumps(message, ensure_ascii=False)
    assert problem in error_texts(document)


BROKEN_WORDS = header(
    b"Subject: =?utf-8?Q?caf=C3?= =?koi8-x?B?0J/RgNC40LLQtdGC?= =?utf-8?B?4pyTIG9r?= =?utf-8?Q?unterminated",
    b"From: =?utf-8?B?!!!?= <x@cabinet-roux.example>",
)


def test_broken_encoded_words_are_kept_as_written(inspect, tmp_path):
    path = tmp_path / "words.eml"
    path.write_bytes(BROKEN_WORDS)
    run = inspect(path, "--json")
    assert run.code == 0
    [message] = run.document()["messages"]
    # The words that cannot be decoded stay as written; the good one in between is decoded.
    assert message["subject"] == (
        "=?utf-8?Q?caf=C3?= =?koi8-x?B?0J/RgNC40LLQtdGC?= ✓ ok =?utf-8?Q?unterminated"
    )
    assert message["from"] == "=?utf-8?B?!!!?= <x@cabinet-roux.example>"


def test_broken_encoded_words_get_an_error_entry(inspect, tmp_path):
    path = tmp_path / "words.eml"
    path.write_bytes(BROKEN_WORDS)
    document = inspect(path, "--json").document()
    assert {e["index"] for e in document["errors"]} == {0}


def test_deeply_nested_comments_in_to_get_a_best_effort_parse(inspect, tmp_path):
    path = tmp_path / "to.eml"
    path.write_bytes(header(b"To: " + b"(" * 2000 + b"x@cabinet-roux.example", b"Subject: Listes"))
    run = inspect(path, "--json")
    assert run.code == 0 and run.document()["messages"][0]["subject"] == "Listes"


def test_a_message_the_analysis_fails_on_costs_only_itself(inspect, monkeypatch):
    analyse = tui.core.analysis.analyse

    def failing_on_the_second(headers, expectations=None):
        if headers.source == str(MBOX) and headers.index == 1:
            raise RecursionError("maximum recursion depth exceeded")
        return analyse(headers, expectations)

    monkeypatch.setattr(tui.core.analysis, "analyse", failing_on_the_second)
    run = inspect(MBOX, HOPS, "--json")
    assert run.code == 0
    document = run.document()
    assert [(m["source"], m["index"]) for m in document["messages"]] == [
        (str(MBOX), 0), (str(MBOX), 2), (str(HOPS), 0),
    ]
    [error] = document["errors"]
    assert (error["source"], error["index"]) == (str(MBOX), 1)
    assert error["message"] == "could not be analysed: RecursionError: maximum recursion depth exceeded"


def write_big_value_header(path: Path) -> None:
    with path.open("wb") as file:
        file.write(RECEIVED.encode() + b"X-Campaign-Data: ")
        chunk = b"Zm9vYmFyYmF6cXV4" * 65536  # 1 MB
        for _ in range(50):
            file.write(chunk)
        file.write(b"\nSubject: Offre exceptionnelle\nFrom: promo@soldes-flash.example\n\n")


def write_many_fields_header(path: Path) -> None:
    line = b"X-Tracking-Token: " + b"a1b2c3d4e5" * 8 + b"\n"
    with path.open("wb") as file:
        file.write(RECEIVED.encode() + b"Subject: Offre exceptionnelle\n")
        for _ in range(50):
            file.write(line * (1024 * 1024 // len(line)))
        file.write(b"\n")


def test_a_50_mb_value_is_cut_and_the_rest_of_the_header_still_read(inspect, tmp_path):
    path = tmp_path / "big.eml"
    write_big_value_header(path)
    run = inspect(path, "--json")
    assert run.code == 0
    document = run.document()
    [message] = document["messages"]
    assert message["subject"] == "Offre exceptionnelle" and message["from"] == "promo@soldes-flash.example"
    assert message["hops"][0]["from_ip"] == "198.51.100.23"
    # 50 MB of one value: the section's middle, most of that value, is left out, and said.
    assert "its middle was left out" in error_texts(document)


def test_a_50_mb_header_of_ordinary_lines_is_cut_with_an_error_entry(inspect, tmp_path):
    path = tmp_path / "many.eml"
    write_many_fields_header(path)
    run = inspect(path, "--json")
    assert run.code == 0
    document = run.document()
    [message] = document["messages"]
    assert message["subject"] == "Offre exceptionnelle"
    assert message["hops"][0]["from_ip"] == "198.51.100.23"
    assert "its middle was left out" in error_texts(document)


def test_100000_received_lines_keep_the_oldest_hops(inspect, tmp_path):
    path = tmp_path / "loop.eml"
    with path.open("wb") as file:
        for n in range(100_000, 0, -1):  # newest on top, as servers write them
            file.write(b"Received: from relay%d.boucle.example (relay%d.boucle.example [192.0.2.%d]) "
                       b"by relay%d.boucle.example with ESMTP id %d; Tue, 11 Mar 2025 14:02:17 +0100\n"
                       % (n, n, n % 250 + 1, n + 1, n))
        file.write(b"Subject: Boucle de messagerie\n\n")
    run = inspect(path, "--json")
    assert run.code == 0
    document = run.document()
    [message] = document["messages"]
    assert len(message["hops"]) == 500
    assert message["hops"][0]["from_helo"] == "relay1.boucle.example"
    assert message["hops"][-1]["from_helo"] == "relay500.boucle.example"
    assert re.search(r"more than \d+ Received headers: only the 500 oldest were analysed", error_texts(document))
    assert "its middle was left out" in error_texts(document)


# Shapes that make a careless regex backtrack: runs of openers that never close, nesting,
# keywords repeated without the value they announce.
CRAFTED = {
    "open-parens": "(",
    "nested-parens": "((((a))))",
    "unclosed-comments": "(a ",
    "brackets": "[",
    "bracketed-digits": "[1.1.1.1",
    "authenticated": "(Authenticated sender: ",
    "auth-words": "(authenticated ",
    "envelope": "(envelope-from <",
    "tls": "(using TLSv1.3 with cipher ",
    "exim-tls": "(TLSv1.2:",
    "helo": "helo=",
    "keywords": "from by with id for via ",
    "addresses": "a@",
    "ipv4-ish": "1.2.3.4.",
    "ipv6-ish": "f:",
    "spaces": " ",
    "semicolons": "; ",
    "date-ish": "Tue, 11 Mar ",
}


@pytest.mark.parametrize("unit", CRAFTED.values(), ids=CRAFTED.keys())
def test_a_crafted_100_kb_received_value_is_parsed_with_an_error_entry(inspect, tmp_path, unit):
    path = tmp_path / "crafted.eml"
    value = "from relay.piege.example " + unit * (100_000 // len(unit)) + "; Tue, 11 Mar 2025 14:02:17 +0100"
    path.write_text(f"Received: {value}\nSubject: Piège\n\n")
    run = inspect(path, "--json")
    assert run.code == 0
    document = run.document()
    [message] = document["messages"]
    [hop] = message["hops"]
    assert hop["raw"].startswith("from relay.piege.example") and value.startswith(hop["raw"])
    assert message["subject"] == "Piège"
    assert "Received" in error_texts(document)  # the value was cut, and says so


def test_a_long_first_line_is_not_taken_for_an_mbox_forever(inspect, tmp_path):
    path = tmp_path / "from.txt"
    path.write_text("From " + "x" * 100_000 + "\n" + RECEIVED + "Subject: Suite\n\n")
    for args in ((path,), ("-",)):
        run = inspect(*args, "--json", stdin=path.read_bytes())
        assert run.code == 0
        assert [m["subject"] for m in run.document()["messages"]] == ["Suite"]


# Pieces of headers, mboxes and tickets, and bytes that go wrong in them.
PIECES = [
    RECEIVED.encode(), b"Received: ", b"from ", b"by ", b"(", b")", b"[", b"]", b"<", b">", b"@", b";",
    b":", b" ", b"\t", b"\n", b"\r\n", b"\n\n", b"> ", b"Subject: ", b"From: ", b"To: ", b"Date: ",
    b"From contact@atelier-lemoine.example Mon Feb  3 09:15:02 2025\n", b"=?utf-8?B?", b"=?utf-8?Q?", b"?=",
    b"\x1b[31m", b"\x00", b"\xff", b"\xe9", b"-----\n", b"hosted on our systems under the ",
    b"Authentication-Results: ", b"spf=pass ", b"X-VR-SPAMCAUSE: gggruggvucftvghtrhho", b"[IPv6:::ffff:",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(PIECES) | st.binary(max_size=20), max_size=40).map(b"".join))
def test_any_input_gives_a_valid_document_or_a_clear_error(inspect, data):
    run = inspect("--json", stdin=data)
    document = run.document()
    assert run.code == (0 if document["messages"] else 1)
    assert document["messages"] or document["errors"]
    report = inspect(stdin=data)
    assert report.code == run.code and "\x1b" not in report.out


# --- exit codes and arguments --------------------------------------------------


def test_missing_file_is_an_error_entry_not_a_bad_argument(inspect, tmp_path):
    missing = tmp_path / "nowhere.eml"
    run = inspect(missing, "--json")
    assert run.code == 1
    assert run.document()["errors"] == [{"source": str(missing), "index": None, "message": "does not exist"}]

    run = inspect(missing, HOPS, "--json")
    assert run.code == 0
    document = run.document()
    assert entries(document) == [(str(HOPS), 0, HOPS_SUBJECT)]
    assert document["errors"] == [{"source": str(missing), "index": None, "message": "does not exist"}]


def test_a_folder_that_is_not_a_maildir(inspect, tmp_path):
    run = inspect(tmp_path, "--json")
    assert run.code == 1 and "not a Maildir" in error_texts(run.document())


@pytest.mark.parametrize(
    "args",
    [
        ("--expect-country", "France"),
        ("--expect-country", "F"),
        ("--expect-country", "F1"),
        ("--expect-country", "ÉÉ"),
        ("--account", "contact"),
        ("--account", "contact@localhost"),
        ("--account", "@atelier-lemoine.example"),
        ("--account", "contact@atelier-lemoine."),
        ("--account", "con tact@atelier-lemoine.example"),
        ("--expect-ip", "192.0.2.300"),
        ("--no-such-option",),
    ],
)
def test_bad_arguments_exit_2_with_a_message(inspect, args):
    run = inspect(HOPS, "--json", *args)
    assert run.code == 2 and run.out == ""
    assert run.err.splitlines()[-1].startswith("unblock inspect: error: ")


def test_stdin_can_be_read_only_once(inspect):
    run = inspect("-", HOPS, "-", stdin=b"")
    assert run.code == 2 and "only once" in run.err


def test_exit_codes_through_a_real_process(tmp_path):
    assert run_module(HOPS, "--json").returncode == 0
    missing = run_module(tmp_path / "nowhere.eml", "--json")
    assert missing.returncode == 1 and b'"does not exist"' in missing.stdout
    bad = run_module(HOPS, "--expect-country", "France")
    assert bad.returncode == 2 and b"two-letter country code" in bad.stderr


# --- the human report ----------------------------------------------------------


def test_report_has_one_section_per_message(inspect, tmp_path, wide):
    missing = tmp_path / "nowhere.eml"
    run = inspect(MBOX, HOPS, missing)
    assert run.code == 0
    titles = re.findall(r"Message (\d+): (\S+(?: \(message \d+\))?)", run.out)
    assert titles == [
        ("1", str(MBOX)), ("2", f"{MBOX} (message 2)"), ("3", f"{MBOX} (message 3)"), ("4", str(HOPS)),
    ]
    for subject in (*MBOX_SUBJECTS, HOPS_SUBJECT):
        assert subject in run.out
    assert f"problem: {missing}: does not exist" in run.out


def test_report_wraps_hops_and_findings_under_their_own_text(inspect, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    for name in COLOUR_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    run = inspect(HOPS)
    lines = run.out.splitlines()
    chain = lines.index("Received chain, oldest first")
    hop_lines = lines[chain + 1 : lines.index("", chain)]
    # A hop too long for 80 columns goes on under its text, not under its number.
    assert any(not re.match(r" +\d+\. ", line) for line in hop_lines)
    assert all(re.match(r" +\d+\. | {4}\S", line) for line in hop_lines)
    findings = lines[lines.index("Findings") + 1 :]
    titles = [i for i, line in enumerate(findings) if re.match(r"(?:!!|! |- |  )[A-Z]+ +\S", line)]
    assert titles
    # Every line of an explanation or of its evidence starts under the title's first letter.
    for line in findings[titles[0] + 1 : titles[1] if len(titles) > 1 else findings.index("")]:
        assert line.startswith(" " * 11) and line[11] != " ", line


def test_report_names_a_hop_without_helo_once():
    from rich.console import Console

    from tui.core.model import Headers
    from tui.core.results import Hop, Message
    from tui.report import render_message

    message = Message("x.eml", 0, Headers())
    message.hops = [Hop(index=1, from_rdns="mx10.envoi-exemple.net", from_ip="198.51.100.10", by="relais.exemple.org")]
    console = Console(width=120, file=io.StringIO(), record=True)
    console.print(render_message(message, 1))
    shown = console.export_text()
    assert "from mx10.envoi-exemple.net [198.51.100.10] by relais.exemple.org" in shown
    assert shown.count("mx10.envoi-exemple.net") == 1


TRICKS = (
    RECEIVED.encode()
    + b"Subject: [bold]x[/bold] \x1b[31mALERTE ROUGE\x1b[0m\n"
    + b"From: \"Service \x1b]0;pwned\x07Client\" <support@banque-piege.example>\n"
    + b"Reply-To: \x1b[2Jreset@banque-piege.example\n"
    + b"Date: Tue, 11 Mar 2025 14:02:15 +0100\n\n"
)
HEADER_ESCAPES = (b"\x1b[31mALERTE", b"ROUGE\x1b[0m", b"\x1b]0;", b"\x07", b"\x1b[2J")


def tricks_file(tmp_path: Path) -> Path:
    path = tmp_path / "tricks\x1b[2J.eml"  # the file name is shown too
    path.write_bytes(TRICKS)
    return path


def test_header_markup_and_escapes_are_printed_literally(inspect, tmp_path, wide):
    run = inspect(tricks_file(tmp_path), tmp_path / "gone\x1b[2J.eml")
    assert run.code == 0
    out = run.out.encode()
    assert b"\x1b" not in out and b"\x07" not in out
    assert "[bold]x[/bold] ␛[31mALERTE ROUGE␛[0m" in run.out
    assert "Service ␛]0;pwned␇Client" in run.out and "␛[2Jreset@banque-piege.example" in run.out
    assert "tricks␛[2J.eml" in run.out and "gone␛[2J.eml: does not exist" in run.out


def test_header_escapes_stay_inert_when_rich_writes_colours(inspect, tmp_path, wide, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm-256color")
    run = inspect(tricks_file(tmp_path))
    out = run.out.encode()
    assert b"\x1b[1m" in out  # Rich's own styles are there...
    for sequence in HEADER_ESCAPES:  # ...but none of the header's
        assert sequence not in out
    assert "[bold]x[/bold] ␛[31mALERTE ROUGE␛[0m" in run.out


def test_json_escapes_control_characters(inspect, tmp_path):
    run = inspect(tricks_file(tmp_path), "--json")
    assert b"\x1b" not in run.out.encode() and b"\x07" not in run.out.encode()
    [message] = run.document()["messages"]
    assert message["subject"] == "[bold]x[/bold] \x1b[31mALERTE ROUGE\x1b[0m"
    assert message["source"].endswith("tricks\x1b[2J.eml")


def test_report_on_a_terminal_that_cannot_show_every_character(tmp_path):
    result = run_module(tricks_file(tmp_path), env={"PYTHONIOENCODING": "ascii", "COLUMNS": "200"})
    assert result.returncode == 0
    out = result.stdout.decode("ascii")
    assert "\x1b" not in out and "[bold]x[/bold] \\u241b[31mALERTE ROUGE" in out


def test_reader_closing_the_pipe_ends_the_report_quietly(tmp_path):
    mbox = tmp_path / "big.mbox"
    one = MBOX.read_bytes()
    mbox.write_bytes(one * 150)  # far more report than a pipe holds
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "inspect", str(mbox)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env={**os.environ, "COLUMNS": "100"},
    )
    assert process.stdout.readline()
    process.stdout.close()
    stderr = process.stderr.read()
    assert process.wait(timeout=120) == 0
    assert stderr == b""


# --- real samples --------------------------------------------------------------

# Problems the samples really have, by file: anything else in ``errors`` is a bug.
GENUINE_PROBLEMS = {
    "real/019.eml": "The Date header could not be read",  # "Pn, 29 paX 2007": a spammer's broken Date
}


def test_every_real_sample_is_analysed(inspect):
    corpus = shared_path("corpus")
    paths = sorted(corpus.glob("real/*.eml")) + sorted(corpus.glob("ovh/*.txt"))
    run = inspect(*paths, "--json")
    assert run.code == 0
    document = run.document()
    assert [m["source"] for m in document["messages"]] == [str(p) for p in paths]
    for error in document["errors"]:
        name = Path(error["source"]).relative_to(corpus).as_posix()
        assert GENUINE_PROBLEMS.get(name, "\0") in error["message"], error
