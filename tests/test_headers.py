"""The header section of one message: fields, unfolding, strays, limits."""

from email.parser import BytesHeaderParser
from email.policy import compat32

from conftest import shared_path
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.headers import MAX_FIELDS, MAX_VALUE, _read_fields, _section, parse_headers
from tui.core.model import Headers
from tui.core.text import decode_bytes

SAMPLE = (
    "Return-Path: <contact@boulangerie-martin.fr>\n"
    "Received: from player728.ha.ovh.net (unknown [10.108.54.12])\n"
    "\tby mo1234.mail-out.ovh.net (Postfix) with ESMTP id 2C5D81E09A\n"
    "        for <info@shop-example.com>; Tue, 14 May 2024 06:40:02 +0200 (CEST)\n"
    "Subject: Facture\n"
    "X-VR-SPAMCAUSE: \n"
    "\n"
    "Body-Looks-Like: a field but is body\n"
)


def pairs(headers):
    return [(h.name, h.value) for h in headers]


def test_fields_in_order_with_folded_lines_joined_by_one_space():
    headers = parse_headers(SAMPLE, "sample.eml", 2)
    assert pairs(headers) == [
        ("Return-Path", "<contact@boulangerie-martin.fr>"),
        (
            "Received",
            "from player728.ha.ovh.net (unknown [10.108.54.12]) by mo1234.mail-out.ovh.net (Postfix) "
            "with ESMTP id 2C5D81E09A for <info@shop-example.com>; Tue, 14 May 2024 06:40:02 +0200 (CEST)",
        ),
        ("Subject", "Facture"),
        ("X-VR-SPAMCAUSE", ""),
    ]
    assert (headers.source, headers.index, headers.problems) == ("sample.eml", 2, [])


def test_crlf_gives_the_same_fields():
    assert pairs(parse_headers(SAMPLE.replace("\n", "\r\n"))) == pairs(parse_headers(SAMPLE))


def test_mbox_from_line_is_not_a_field():
    headers = parse_headers("From contact@example.com Tue May 14 03:12:44 2024\nSubject: hi\n")
    assert pairs(headers) == [("Subject", "hi")]
    assert headers.problems == []


def test_leading_blank_lines_are_skipped():
    assert pairs(parse_headers("\r\n\nSubject: hi\n\nbody")) == [("Subject", "hi")]


def test_header_names_are_any_printable_ascii_but_colon_and_space():
    headers = parse_headers("X-Spam_score: 5\nX.Odd!#$%&'*+^`{|}~: yes\nSubject : spaced\n")
    assert pairs(headers) == [("X-Spam_score", "5"), ("X.Odd!#$%&'*+^`{|}~", "yes"), ("Subject", "spaced")]


def test_stray_lines_are_skipped_and_reported_once():
    headers = parse_headers("Subject: a\nthis is not a header\n  and its continuation\nRéponse: x\nTo: b\n")
    assert pairs(headers) == [("Subject", "a"), ("To", "b")]
    assert headers.problems == ["3 lines that are not header fields were skipped (line 2: 'this is not a header')"]


def test_stray_line_number_counts_the_mbox_line():
    headers = parse_headers("From a@b Tue May 14 03:12:44 2024\nSubject: a\n???\n")
    assert headers.problems == ["a line that is not a header field was skipped (line 3: '???')"]


def test_a_leading_continuation_has_no_field_to_continue():
    headers = parse_headers("   orphan\nSubject: a\n")
    assert pairs(headers) == [("Subject", "a")]
    assert len(headers.problems) == 1


def test_get_and_get_all_are_case_insensitive():
    headers = parse_headers("Received: one\nreceived: two\nSUBJECT: s\n")
    assert headers.get_all("RECEIVED") == ["one", "two"]
    assert headers.get("subject") == "s"


def test_huge_value_is_cut_with_a_note():
    headers = parse_headers("X-Big: " + "a" * (5 * MAX_VALUE) + "\nSubject: after\n")
    assert len(headers.get("X-Big")) == MAX_VALUE
    assert headers.get("Subject") == "after"
    assert headers.problems == ["1 value longer than 64 KB cut short (first: X-Big)"]


def test_huge_folded_value_is_unfolded_then_cut():
    headers = parse_headers("X-Big: start\n" + " word\n" * 100_000)
    value = headers.get("X-Big")
    assert len(value) == MAX_VALUE
    assert value.startswith("start word word")
    assert "\n" not in value


def test_fifty_megabyte_header():
    headers = parse_headers("X-Flood: " + "x" * 50_000_000 + "\n\nbody")
    assert len(headers.get("X-Flood")) == MAX_VALUE


def test_hundred_thousand_received_lines():
    text = "".join(
        f"Received: from h{i}.example.net ([192.0.2.{i % 250}])\n\tby mx.example.org; Tue, 14 May 2024 06:40:02 +0200\n"
        for i in range(100_000)
    )
    headers = parse_headers(text + "Subject: last\n")
    # 9 MB of header, over the 8 MB a section may take: the top and the bottom are kept, the middle said gone.
    received = headers.get_all("Received")
    assert 80_000 < len(received) < 100_000
    assert received[0].startswith("from h0.") and received[-1].startswith("from h99999.")
    assert headers.get("Subject") == "last"
    assert headers.problems == ["the header section is longer than 8 MB: its middle was left out"]


def test_field_count_is_bounded():
    headers = parse_headers("A: b\n" * (MAX_FIELDS + 10))
    assert len(headers) == MAX_FIELDS
    assert headers.problems == [f"the header section is too long: only its first {MAX_FIELDS:,} fields were read"]


def test_crafted_lines_do_not_backtrack():
    crafted = "X" * 100_000 + ":" * 100_000 + "\n" + " " * 100_000 + "a:" + "\t" * 100_000
    headers = parse_headers(crafted)
    assert headers.get("X" * 100_000) is not None


@given(st.text())
def test_any_text_gives_well_formed_fields(text):
    headers = parse_headers(text)
    for header in headers:
        assert header.name and header.name.isascii() and ":" not in header.name and " " not in header.name
        assert "\n" not in header.value


def test_blanks_ending_a_folded_line_are_trimmed():
    headers = parse_headers("Received: by relay.example.net \n\tid 4F2A; Tue, 14 May 2024\nSubject: hi\n")
    assert pairs(headers) == [("Received", "by relay.example.net id 4F2A; Tue, 14 May 2024"), ("Subject", "hi")]
    assert pairs(parse_headers("Subject: \t\n  hi \nTo: b\n")) == [("Subject", "hi"), ("To", "b")]


def test_blank_before_the_colon_and_stray_carriage_returns():
    headers = parse_headers("Subject : spaced\r\nX-Note: a\rb\r\n\tc\r\n\r\nbody")
    assert pairs(headers) == [("Subject", "spaced"), ("X-Note", "a\rb c")]
    assert headers.problems == []


def test_mixed_line_ends():
    headers = parse_headers("Subject: a\r\nTo: b\nX-Id: c\r\n\td\n e\r\n\r\nbody")
    assert pairs(headers) == [("Subject", "a"), ("To", "b"), ("X-Id", "c d e")]
    assert headers.problems == []


def test_a_stray_line_joined_with_its_continuation_is_not_a_field():
    headers = parse_headers("Subject: a\nstray\n : joined\nTo: b\n")
    assert pairs(headers) == [("Subject", "a"), ("To", "b")]
    assert headers.problems == ["2 lines that are not header fields were skipped (line 2: 'stray')"]


def test_a_long_body_after_a_short_section_is_not_read():
    headers = parse_headers("Subject: hi\r\nTo: b\r\n\r\n" + "Body: not a field\r\n" * 10_000)
    assert pairs(headers) == [("Subject", "hi"), ("To", "b")]
    assert headers.problems == []


def test_a_lone_blank_is_a_stray_line():
    assert parse_headers(" ").problems == ["a line that is not a header field was skipped (line 1: '')"]


def _general_path(text):
    headers = Headers()
    stripped = text.lstrip("\r\n")
    _read_fields(_section(stripped), text.count("\n", 0, len(text) - len(stripped)), headers)
    return headers


_HEADER_PIECES = st.sampled_from(
    ["\n", "\r\n", "\r", " ", "\t", ":", "a", "X-Id", "From ", "b: c", "\n ", "\n\t", " \n", "\n\n", "é", "Subject: hi"]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_HEADER_PIECES, max_size=25).map("".join))
def test_usual_and_general_paths_agree(text):
    ours, general = parse_headers(text), _general_path(text)
    assert (pairs(ours), ours.problems) == (pairs(general), general.problems)


def test_same_fields_as_the_standard_library_on_real_samples():
    corpus = shared_path("corpus")
    files = sorted((corpus / "real").glob("*.eml")) + sorted((corpus / "ovh").glob("*.txt"))
    assert files
    for path in files:
        data = path.read_bytes()
        stdlib = BytesHeaderParser(policy=compat32).parsebytes(data)
        ours = parse_headers(decode_bytes(data)[0], str(path))
        # compat32 keeps 8-bit bytes as surrogates; we read them as UTF-8.
        expected = [
            (name, " ".join(value.encode("utf-8", "surrogateescape").decode("utf-8", "replace").split()))
            for name, value in stdlib.raw_items()
        ]
        assert [(h.name, " ".join(h.value.split())) for h in ours] == expected, path.name
        assert ours.problems == [], path.name


def test_lookups_follow_changes_to_the_fields():
    from tui.core.model import Header, Headers

    headers = Headers(fields=[Header("Subject", "one")])
    assert headers.get("subject") == "one"
    headers.fields.append(Header("X-Mailer", "PHPMailer"))
    assert headers.get("x-mailer") == "PHPMailer"
    headers.fields[0] = Header("Subject", "two")
    assert headers.get_all("SUBJECT") == ["two"]
    del headers.fields[1]
    assert headers.get("X-Mailer") is None
    headers.fields = [Header("From", "a@b.example")]
    assert headers.get("subject") is None and headers.get("from") == "a@b.example"
