"""Finding header blocks in files, mboxes, Maildirs, stdin and pasted text."""

import io
import textwrap
from pathlib import Path

import pytest
from conftest import shared_path
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.core.headers import parse_headers
from tui.core.model import Headers
from tui.core.sources import (
    RUN_TOGETHER_NOTE,
    InputError,
    read_inputs,
    read_text,
    read_ticket_file,
    split_blocks,
)
from tui.core.text import decode_bytes

FIXTURES = Path(__file__).parent / "fixtures" / "inputs"
EN_TICKET = FIXTURES / "ticket-en-3-blocks.txt"
BLOCK_A = (FIXTURES / "blocks-a.txt").read_text()


def fixture(name: str) -> str:
    return str(FIXTURES / name)


def pairs(headers: Headers) -> list[tuple[str, str]]:
    return [(h.name, h.value) for h in headers]


def expected_blocks() -> list[list[tuple[str, str]]]:
    """The three samples of the English ticket, as written there unwrapped and unquoted."""
    return [pairs(h) for h in read_text(EN_TICKET.read_text())[1]]


# --- split_blocks ------------------------------------------------------------


def test_three_blocks_after_a_ticket():
    ticket, blocks, errors = read_text(EN_TICKET.read_text(), "ticket.txt")
    assert ticket.address == "contact@boulangerie-martin.fr"
    assert errors == []
    assert [(b.source, b.index) for b in blocks] == [("ticket.txt", 0), ("ticket.txt", 1), ("ticket.txt", 2)]
    first, second, third = blocks
    assert first.get("Subject") == "=?UTF-8?B?Vm90cmUgY29saXMgZXN0IGVuIGF0dGVudGUgZGUgbGl2cmFpc29u?="
    assert len(first.get_all("Received")) == 3
    # The "-----" line and the prose after it are not part of any block.
    assert second.get_all("Received")[0].startswith("from player728.ha.ovh.net")
    assert second.get("X-VR-SPAMSCORE") == "0"
    # The third block was pasted right under the second: its Return-Path goes with it.
    assert pairs(third)[0] == ("Return-Path", "<contact@boulangerie-martin.fr>")
    assert third.get("Subject") == "Re: commande du 13 mai"
    assert "Return-Path" not in [h.name for h in second]


def test_rewrapped_and_quoted_blocks_read_as_the_originals():
    _, blocks, errors = read_text((FIXTURES / "ticket-en-wrapped-72.txt").read_text())
    assert errors == []
    assert [pairs(b) for b in blocks] == expected_blocks()


def test_wrapped_lines_that_look_like_fields_stay_in_their_value():
    blocks = read_text((FIXTURES / "ticket-en-wrapped-72.txt").read_text())[1]
    # "(Authenticated\nsender: ..." and "CIP:...;CTRY:FR;" were split by the wrap.
    assert "(Authenticated sender: contact@boulangerie-martin.fr)" in blocks[1].get_all("Received")[1]
    assert blocks[2].get("X-Forefront-Antispam-Report").startswith("CIP:192.0.2.10;CTRY:FR;")


def test_signature_header_lists_are_not_fields():
    text = (
        "DKIM-Signature: v=1; a=rsa-sha256; d=example.net; s=mta; h=Content-Type:\n"
        "Content-Transfer-Encoding: Message-Id: Date:\n"
        "Subject: From: To; bh=abc=; b=def\n"
        "Subject: the real one\n"
    )
    (headers,) = split_blocks(text, "x")
    assert [h.name for h in headers] == ["DKIM-Signature", "Subject"]
    assert headers.get("Subject") == "the real one"


def test_wrapped_subject_words_are_not_fields():
    (headers,) = split_blocks("Subject: Re: [PATCH] KVM: PPC: Book3S\nHV: XIVE: fix the check\nTo: a@b\n", "x")
    assert headers.get("Subject") == "Re: [PATCH] KVM: PPC: Book3S HV: XIVE: fix the check"


def test_every_line_indented():
    indented = textwrap.indent(EN_TICKET.read_text(), "    ")
    assert [pairs(b) for b in read_text(indented)[1]] == expected_blocks()


def test_first_line_lost_its_indentation_on_paste():
    indented = textwrap.indent(BLOCK_A, "  ").lstrip()
    assert [pairs(b) for b in split_blocks(indented, "x")] == [pairs(parse_headers(BLOCK_A))]


def test_french_quoted_crlf():
    ticket, blocks, errors = read_text((FIXTURES / "ticket-fr-quoted-crlf.txt").read_bytes().decode())
    assert ticket.language == "fr" and errors == []
    assert len(blocks) == 2
    assert blocks[0].get("Reply-To") == "recouvrement@example-collect.com"
    assert blocks[1].get_all("Received")[0].endswith("Wed, 15 May 2024 22:44:19 +0000 (UTC)")


def test_exchange_puts_return_path_below_the_subject_without_starting_a_message():
    text = "Received: from a\nFrom: x@y\nSubject: s\nDate: d\nReturn-Path: <x@y>\nX-MS-Exchange-Organization-SCL: 1\n"
    assert len(split_blocks(text, "x")) == 1


def test_mime_part_headers_and_prose_are_not_messages():
    text = "Hello,\nNote: see below\n\nContent-Type: text/plain\nContent-Transfer-Encoding: 8bit\n\n" + BLOCK_A
    blocks = split_blocks(text, "x")
    assert [pairs(b) for b in blocks] == [pairs(parse_headers(BLOCK_A))]


def test_separators_and_mbox_lines_end_a_block():
    text = f"{BLOCK_A}=====\n{BLOCK_A}From a@b Tue May 14 03:12:44 2024\n{BLOCK_A}"
    assert len(split_blocks(text, "x")) == 3


def test_no_blocks():
    assert split_blocks("", "x") == []
    assert split_blocks("Just some words.\nAnd more: words\n", "x") == []


def test_concatenated_real_samples_are_split_back():
    corpus = shared_path("corpus", "ovh")
    samples = [decode_bytes(p.read_bytes())[0] for p in sorted(corpus.glob("*.txt"))]
    blocks = split_blocks("\n\n".join(samples), "ovh")
    assert [pairs(b) for b in blocks] == [pairs(parse_headers(s)) for s in samples]


def test_real_samples_survive_quoting_and_rewrapping():
    corpus = shared_path("corpus")
    for path in sorted((corpus / "real").glob("*.eml")) + sorted((corpus / "ovh").glob("*.txt")):
        text = decode_bytes(path.read_bytes())[0].replace("\r\n", "\n")
        original = parse_headers(text)
        lines = text.split("\n\n")[0].split("\n")
        wrapped = []
        for line in lines[1:] if lines[0].startswith("From ") else lines:
            indent = line[: len(line) - len(line.lstrip())]
            pieces = textwrap.wrap(line.strip(), 72, break_long_words=False, break_on_hyphens=False) or [""]
            wrapped += [indent + pieces[0], *pieces[1:]]
        (block,) = split_blocks("\n".join("> " + line for line in wrapped), "x")
        assert [(h.name, " ".join(h.value.split())) for h in block] == [
            (h.name, " ".join(h.value.split())) for h in original
        ], path.name


# --- read_inputs -------------------------------------------------------------


def test_ticket_file_gives_the_blocks_after_the_ticket():
    found = list(read_inputs([fixture("ticket-en-3-blocks.txt")]))
    assert [(h.source, h.index) for h in found] == [(fixture("ticket-en-3-blocks.txt"), i) for i in range(3)]
    assert [pairs(h) for h in found] == expected_blocks()


def test_mbox_messages_keep_only_their_headers():
    found = list(read_inputs([fixture("sent.mbox")]))
    assert all(isinstance(h, Headers) for h in found)
    assert [h.index for h in found] == [0, 1, 2]
    assert [h.get("Subject") for h in found] == [
        "=?UTF-8?B?Vm90cmUgY29saXMgZXN0IGVuIGF0dGVudGUgZGUgbGl2cmFpc29u?=",
        "Facture =?ISO-8859-1?Q?n=B0_2024-118?=",
        "Undelivered Mail Returned to Sender",
    ]
    # The body's ">From", "From now on" and "From the desk" lines did not start messages.
    assert found[1].get("From") == "Boulangerie Martin <contact@boulangerie-martin.fr>"
    assert all(h.problems == [] for h in found)


def test_mbox_header_over_the_limit_is_cut_with_a_note(monkeypatch):
    monkeypatch.setattr("tui.core.sources.MBOX_HEADER_LIMIT", 100)
    mbox = b"From a@b Tue May 14 03:12:44 2024\nSubject: x\n" + b"X-Pad: yyyyyyyyyy\n" * 20 + b"\nbody\n"
    (headers,) = read_inputs(["-"], io.BytesIO(mbox))
    assert headers.get("Subject") == "x" and len(headers) < 10
    assert headers.problems == ["the header is longer than 100 bytes; the rest was skipped"]


def test_mbox_on_stdin_is_streamed():
    class Messages(io.RawIOBase):
        """An endless-looking mbox that counts how much of it was read."""

        def __init__(self):
            message = b"From a@example.net Tue May 14 03:12:44 2024\nSubject: s\n\n" + b"body line\n" * 10_000 + b"\n"
            self.data = memoryview(message * 200)
            self.position = 0

        def readable(self):
            return True

        def readinto(self, buffer):
            size = min(len(buffer), len(self.data) - self.position)
            buffer[:size] = self.data[self.position : self.position + size]
            self.position += size
            return size

    stream = Messages()
    items = read_inputs(["-"], io.BufferedReader(stream))
    first = next(items)
    assert (first.source, first.index, first.get("Subject")) == ("-", 0, "s")
    assert stream.position < len(stream.data) // 10
    assert sum(1 for _ in items) == 199


def test_maildir(tmp_path):
    maildir = tmp_path / "Sent"
    for folder in ("cur", "new", "tmp"):
        (maildir / folder).mkdir(parents=True)
    (maildir / "cur" / "1715656364.M1P7.host:2,S").write_text(BLOCK_A + "\nbody\n")
    (maildir / "new" / "1715656400.M2P7.host").write_text("Subject: second\nFrom: a@b\n\n" + "x" * 100_000)
    (maildir / "cur" / "1715656500.M3P7.host:2,S").write_bytes(b"")
    (maildir / "tmp" / "1715656300.M0P7.host").write_text("Subject: still being delivered\n\n")
    (maildir / "cur" / ".DS_Store").write_bytes(b"\0\1\2")
    found = list(read_inputs([str(maildir)]))
    assert [type(h).__name__ for h in found] == ["Headers", "Headers", "InputError"]
    assert [h.index for h in found] == [0, 1, 2]
    assert all(h.source == str(maildir) for h in found)
    assert pairs(found[0]) == pairs(parse_headers(BLOCK_A))
    assert found[1].get("Subject") == "second"
    assert found[2].message == "1715656500.M3P7.host:2,S is empty"


def test_eml_with_a_body_is_one_message():
    (headers,) = read_inputs([fixture("message-with-body.eml")])
    assert headers.get("Subject") == "Fw: votre commande"
    assert headers.get_all("From") == ["Boulangerie Martin <contact@boulangerie-martin.fr>"]
    assert len(headers) == 9


def test_ticket_in_a_quoted_printable_notification():
    found = list(read_inputs([fixture("ticket-fr-notification.eml")]))
    assert len(found) == 2
    assert found[0].get("Reply-To") == "recouvrement@example-collect.com"
    assert all("OVHcloud" not in (h.get("From") or "") for h in found)
    ticket = read_ticket_file(fixture("ticket-fr-notification.eml"))
    assert (ticket.address, ticket.suspicious_count, ticket.language) == ("compta@menuiserie-lefort.fr", 12, "fr")


def test_latin1_headers_are_read_with_a_problem():
    (headers,) = read_inputs([fixture("latin1.eml")])
    assert headers.get("Subject") == "Réunion à l'hôtel - ordre du jour"
    assert headers.get("From") == "Jérôme Lefèvre <jerome@example.fr>"
    assert headers.get("To") == "Françoise <compta@menuiserie-lefort.fr>"
    assert headers.problems == ["invalid UTF-8 on 2 lines (first at line 4), read as 8-bit Windows-1252"]


def test_nul_bytes():
    (headers,) = read_inputs([fixture("nul.eml")])
    assert headers.get("Subject") == "Scanned document"
    assert headers.get("X-Mailer") == "ScanToMail 2.1"
    assert headers.problems == ["4 NUL bytes removed"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.eml", "is empty"),
        ("junk.bin", "is not text (mostly binary bytes): save the message as .eml or paste its headers"),
        ("missing.eml", "does not exist"),
    ],
)
def test_unusable_files(name, message):
    assert list(read_inputs([fixture(name)])) == [InputError(fixture(name), None, message)]


def test_folder_that_is_not_a_maildir_and_text_without_headers(tmp_path):
    prose = tmp_path / "notes.txt"
    prose.write_text("Dear support,\nmy account is blocked. Why?\n")
    found = list(read_inputs([str(tmp_path), str(prose)]))
    assert found[0] == InputError(str(tmp_path), None, "is a folder but not a Maildir (it has no cur/ and new/ inside)")
    assert found[1].source == str(prose) and "holds no mail header" in found[1].message
    assert str(found[1]).startswith(f"{prose}: holds no mail header")


def test_paths_are_read_in_order_and_stdin_is_dash():
    stdin = io.BytesIO(EN_TICKET.read_bytes())
    found = list(read_inputs([fixture("latin1.eml"), "-", fixture("missing.eml"), fixture("sent.mbox")], stdin))
    assert [(item.source, item.index) for item in found] == [
        (fixture("latin1.eml"), 0),
        ("-", 0),
        ("-", 1),
        ("-", 2),
        (fixture("missing.eml"), None),
        (fixture("sent.mbox"), 0),
        (fixture("sent.mbox"), 1),
        (fixture("sent.mbox"), 2),
    ]


def test_no_standard_input(monkeypatch):
    monkeypatch.setattr("sys.stdin", None)
    assert list(read_inputs(["-"])) == [InputError("-", None, "cannot be read: there is no standard input")]


def test_single_message_with_an_mbox_from_line(tmp_path):
    path = tmp_path / "one.eml"
    path.write_text("From a@example.net Tue May 14 03:12:44 2024\nSubject: x\n\nFrom the start, body.\n")
    (headers,) = read_inputs([str(path)])
    assert (headers.index, pairs(headers)) == (0, [("Subject", "x")])


def test_a_file_over_the_read_limit_is_cut_with_a_note(tmp_path, monkeypatch):
    monkeypatch.setattr("tui.core.sources.READ_LIMIT", 1000)
    path = tmp_path / "big.eml"
    path.write_text("Subject: big\nX-Filler: " + "y" * 5000 + "\n\nbody\n")
    (headers,) = read_inputs([str(path)])
    assert headers.get("Subject") == "big"
    assert headers.problems == ["only the first 1,000 bytes were read"]


def test_empty_stdin():
    assert list(read_inputs(["-"], io.BytesIO(b""))) == [InputError("-", None, "is empty")]


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2000))
def test_any_bytes_never_raise(tmp_path, data):
    path = tmp_path / "input"
    path.write_bytes(data)
    for items in (list(read_inputs([str(path)])), list(read_inputs(["-"], io.BytesIO(data)))):
        assert items
        assert all(isinstance(item, (Headers, InputError)) for item in items)


@settings(max_examples=150)
@given(
    st.lists(
        st.sampled_from(["From a@b Tue May 14 03:12:44 2024", "Subject: x", " cont", "", ">From", "\x00", "é:"]),
        max_size=30,
    )
)
def test_mbox_like_bytes_never_raise(lines):
    data = "\n".join(lines).encode()
    assert all(isinstance(i, (Headers, InputError)) for i in read_inputs(["-"], io.BytesIO(data)))


# --- read_text, read_ticket_file ------------------------------------------


def test_read_text_errors():
    assert read_text("  \n") == (None, [], [InputError("pasted", None, "is empty")])
    ticket, blocks, errors = read_text(EN_TICKET.read_text().split("<br>")[0])
    assert ticket.address == "contact@boulangerie-martin.fr" and blocks == []
    assert errors == [InputError("pasted", None, "holds the ticket but no header sample")]


def _ticket_and_sample() -> tuple[str, str]:
    """The English ticket's own text (down to its "<br>" lines) and its header sample."""
    text = EN_TICKET.read_text()
    ticket, _, rest = text.partition("<br>\n<br>\n")
    return ticket, rest


def test_a_sample_pasted_above_the_ticket_is_found():
    ticket_text, sample = _ticket_and_sample()
    ticket, blocks, errors = read_text(sample + "\n\n" + ticket_text)
    assert errors == []
    assert ticket.address == "contact@boulangerie-martin.fr" and ticket.suspicious_count == 37
    assert [pairs(b) for b in blocks] == expected_blocks()


def test_a_sample_pasted_inside_the_ticket_is_found():
    ticket_text, sample = _ticket_and_sample()
    # A reply that moved the sample up, between the count and the questions.
    head, cut, questions = ticket_text.partition("To help us re-enable")
    ticket, blocks, errors = read_text(head + sample + "\n\n" + cut + questions)
    assert errors == []
    assert ticket.address == "contact@boulangerie-martin.fr"
    assert [pairs(b) for b in blocks] == expected_blocks()


def test_read_text_of_a_pasted_mbox():
    ticket, blocks, errors = read_text((FIXTURES / "sent.mbox").read_text(), "sent.mbox")
    assert ticket is None and errors == []
    assert [b.index for b in blocks] == [0, 1, 2]


def test_read_ticket_file():
    assert read_ticket_file(fixture("ticket-en-3-blocks.txt")).suspicious_count == 37
    assert read_ticket_file(fixture("blocks-a.txt")) is None
    assert read_ticket_file(fixture("junk.bin")) is None
    assert read_ticket_file(fixture("missing.eml")) is None


def test_every_real_sample_is_one_message():
    corpus = shared_path("corpus")
    for path in sorted((corpus / "real").glob("*.eml")) + sorted((corpus / "ovh").glob("*.txt")):
        (headers,) = read_inputs([str(path)])
        assert pairs(headers) == pairs(parse_headers(decode_bytes(path.read_bytes())[0])), path.name


# --- headers run together on one line -----------------------------------------

RUN_TOGETHER = (
    "Received: from [198.51.100.23] (helo=PC-COMPTA) by pro2.mail.ovh.net with esmtpsa (TLS1.2) tls "
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 (Exim 4.96) (envelope-from <compta@atelier-dupont.fr>) "
    "id 1rTqWm-0007Xy-1C for client@example.org; Wed, 17 Apr 2024 02:41:09 +0200 "
    'From: "Chronopost" <suivi@chrono-colis-info.com> To: client@example.org '
    "Subject: Livraison en attente: frais de 2,99 EUR Date: Wed, 17 Apr 2024 00:41:07 +0000 "
    "Message-ID: <20240417004107.77@PC-COMPTA>"
)


def test_a_header_run_together_on_one_line_is_split_again_and_says_so():
    ticket, [block], errors = read_text(RUN_TOGETHER)
    assert ticket is None and errors == []
    assert [h.name for h in block] == ["Received", "From", "To", "Subject", "Date", "Message-ID"]
    assert block.get("Received").endswith("+0200")
    assert block.get("Subject") == "Livraison en attente: frais de 2,99 EUR"
    assert block.problems == [RUN_TOGETHER_NOTE]


def test_a_run_together_sample_after_a_ticket():
    ticket_text, _ = _ticket_and_sample()
    ticket, [block], errors = read_text(ticket_text + "\n" + RUN_TOGETHER.replace("Date:", "\nDate:"))
    assert ticket.address == "contact@boulangerie-martin.fr" and errors == []
    assert block.get("From") == '"Chronopost" <suivi@chrono-colis-info.com>'
    assert block.get("Message-ID") == "<20240417004107.77@PC-COMPTA>"


def test_field_names_inside_a_long_value_do_not_split_it():
    subject = "Subject: Re: Fwd: To: all staff, From: the board " + "x" * 200
    text = f"From: a@example.org\nDate: Wed, 17 Apr 2024 00:41:07 +0000\n{subject}\n"
    _, [block], _ = read_text(text)
    assert block.get("Subject") == subject.removeprefix("Subject: ")
    assert RUN_TOGETHER_NOTE not in block.problems


# --- one message whose gateway wrote Received lines among its fields ---------------------------

GATEWAY = FIXTURES / "gateway-reordered.eml"


def test_a_gateway_reordered_eml_is_one_message():
    (headers,) = read_inputs([str(GATEWAY)])
    assert len(headers.get_all("Received")) == 3
    assert headers.get("Subject") == "Mise a jour de vos coordonnees bancaires"


def test_a_gateway_reordered_header_pasted_in_a_ticket_is_one_sample():
    text = GATEWAY.read_text(encoding="utf-8").replace("\r\n", "\n")
    quoted = "Hello,\n\nhere is the header:\n\n" + "".join("> " + line + "\n" for line in text.splitlines())
    (block,) = split_blocks(quoted, "x")
    assert len(block.get_all("Received")) == 3


def test_a_stack_of_samples_pasted_without_a_gap_is_still_split():
    one = "Received: from a by b; Tue, 6 Dec 2022 12:00:00 +0000\nFrom: x@y.example\nSubject: first\n"
    two = "Received: from c by d; Tue, 6 Dec 2022 13:00:00 +0000\nFrom: x@y.example\nSubject: second\n"
    blocks = split_blocks(one + two, "x")
    assert [b.get("Subject") for b in blocks] == ["first", "second"]
    assert [h.get("Subject") for h in read_inputs_text(one + two)] == ["first", "second"]


def read_inputs_text(text: str) -> list[Headers]:
    return read_text(text, "x")[1]
