"""Bytes to text, RFC 2047 words, and making header text safe to print."""

import base64
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core.analysis import analyse
from tui.core.headers import parse_headers
from tui.core.sanitise import terminal_safe
from tui.core.text import decode_bytes, decode_words

FIXTURES = Path(__file__).parent / "fixtures" / "inputs"


# --- decode_bytes ------------------------------------------------------------


def test_clean_utf8_has_no_problems():
    assert decode_bytes("Subject: Café\n".encode()) == ("Subject: Café\n", [])


def test_latin1_line_is_read_as_8bit_and_its_line_named():
    text, problems = decode_bytes(b"Received: x\nSubject: caf\xe9 cr\xe8me\n")
    assert text == "Received: x\nSubject: café crème\n"
    assert problems == ["invalid UTF-8 at line 2, read as Windows-1252"]


def test_windows_1252_punctuation_and_undefined_bytes():
    text, problems = decode_bytes(b"A: \x80 \x93quoted\x94\nB: \x81\n")
    assert text.splitlines()[0] == "A: € “quoted”"
    assert text.splitlines()[1] == "B: \x81"  # undefined in Windows-1252: Latin-1 keeps the byte
    assert problems == ["invalid UTF-8 on 2 lines (first at line 1), read as 8-bit Latin-1/Windows-1252"]


def test_utf8_lines_stay_utf8_when_another_line_is_latin1():
    text, _ = decode_bytes((FIXTURES / "latin1.eml").read_bytes())
    assert "From: Jérôme Lefèvre <jerome@example.fr>" in text
    assert "To: Françoise <compta@menuiserie-lefort.fr>" in text


def test_nul_bytes_are_removed_and_counted():
    text, problems = decode_bytes(b"Subject: Scan\x00ned\x00\n")
    assert text == "Subject: Scanned\n"
    assert problems == ["2 NUL bytes removed"]


def test_boms():
    assert decode_bytes(b"\xef\xbb\xbfSubject: x") == ("Subject: x", [])
    text, problems = decode_bytes("Subject: é".encode("utf-16"))
    assert text == "Subject: é"
    assert problems and "UTF-16" in problems[0]


@given(st.binary())
def test_decode_bytes_takes_any_bytes(data):
    text, problems = decode_bytes(data)
    assert "\0" not in text
    assert all(isinstance(p, str) for p in problems)


# --- decode_words ------------------------------------------------------------


def test_plain_text_is_returned_as_is():
    assert decode_words("Hello =? not a word ?= world") == "Hello =? not a word ?= world"


def test_q_and_b_words_in_any_case():
    assert decode_words("=?utf-8?q?Caf=C3=A9_cr=C3=A8me?=") == "Café crème"
    assert decode_words("=?UTF-8?B?Q2Fmw6kgZGVzIEFydHM=?=") == "Café des Arts"
    assert decode_words("=?iso-8859-1?Q?n=B0_2024?=") == "n° 2024"


def test_adjacent_words_join_without_the_whitespace_between():
    assert decode_words("=?utf-8?q?Bon?=  \t =?utf-8?q?jour?=") == "Bonjour"


def test_text_around_words_keeps_its_spaces():
    assert decode_words("Re: =?utf-8?q?caf=C3=A9?= ok") == "Re: café ok"
    assert decode_words("=?utf-8?q?a?= b =?utf-8?q?c?=") == "a b c"


def test_a_character_split_across_two_words_comes_out_whole():
    assert decode_words("=?utf-8?q?Caf=C3?= =?utf-8?q?=A9?=") == "Café"


def test_words_in_different_charsets_next_to_each_other():
    assert decode_words("=?iso-8859-1?q?d=E9j=E0?= =?utf-8?q?_vu?=") == "déjà vu"


def test_missing_base64_padding_is_tolerated():
    assert decode_words("=?utf-8?b?w6k?=") == "é"


def test_rfc2231_language_suffix():
    assert decode_words("=?utf-8*fr?q?h=C3=A9?=") == "hé"


def test_broken_words_are_left_as_written():
    assert decode_words("a =?utf-8?b?not*base64!?= b") == "a =?utf-8?b?not*base64!?= b"
    assert decode_words("=?x-unknown?q?Hello?= =?utf-8?q?ok?=") == "=?x-unknown?q?Hello?= ok"
    assert decode_words("=?hex?q?41?=") == "=?hex?q?41?="  # a codec, but not a text encoding
    assert decode_words("=?utf-8?q?=FF=FE?=") == "=?utf-8?q?=FF=FE?="  # not UTF-8
    assert decode_words("=?utf-8?q?unterminated") == "=?utf-8?q?unterminated"
    assert decode_words("=?utf-8?b?QUJDRA?=") == "ABCD"
    assert decode_words("=?utf-8?b?QUJDR?=") == "=?utf-8?b?QUJDR?="  # 5 base64 characters cannot be bytes


def test_broken_fixture_headers():
    headers = parse_headers((FIXTURES / "rfc2047-broken.eml").read_text())
    assert decode_words(headers.get("From")) == "Café des Arts <cafe@example.net>"
    assert decode_words(headers.get("Subject")) == (
        "=?utf-8?b?not*base64!?= =?x-unknown-charset?q?Hello?= Café crèmeé"
    )
    assert decode_words(headers.get("Reply-To")) == "René <rene@example.net>"
    assert decode_words(headers.get("X-Truncated")) == "=?utf-8?q?unterminated"


@given(st.text())
def test_decode_words_never_raises(value):
    assert isinstance(decode_words(value), str)


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["utf-8", "iso-8859-1", "bogus", "utf-16", "rot13", "UTF-8"]),
            st.sampled_from("bqBQ"),
            st.text(alphabet="AZaz09+/=_-.", max_size=12),
        ),
        max_size=4,
    )
)
def test_decode_words_on_encoded_word_soup(words):
    assert isinstance(decode_words(" ".join(f"=?{c}?{e}?{t}?=" for c, e, t in words)), str)


# --- terminal_safe -----------------------------------------------------------


def test_escape_sequences_cannot_reach_the_terminal():
    assert terminal_safe("evil\x1b[2J\x1b]0;title\x07") == "evil␛[2J␛]0;title␇"


def test_c1_controls_and_bidi_overrides_are_escaped():
    assert terminal_safe("a\x9bb\x85c") == "a\\x9bb\\x85c"
    assert terminal_safe("paypal\u202emoc.evil") == "paypal\\u202emoc.evil"


def test_tab_becomes_space_newline_is_shown():
    assert terminal_safe("a\tb\nc\rd\x7f") == "a b␊c␍d␡"
    assert terminal_safe("a\tb\nc", multiline=True) == "a b\nc"


def test_ordinary_text_is_untouched():
    value = "Réunion à l'hôtel — 会議 <a@b.c>"
    assert terminal_safe(value) == value


@given(st.text())
def test_nothing_unsafe_survives(value):
    safe = terminal_safe(value)
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F or 0x202A <= ord(c) <= 0x202E for c in safe)
    assert not any(0x2066 <= ord(c) <= 0x2069 for c in safe)


# --- charsets read as their supersets, as mail clients do ---------------------------------------


def _b(charset: str, codec: str, text: str) -> str:
    return f"=?{charset}?B?{base64.b64encode(text.encode(codec)).decode()}?="


@pytest.mark.parametrize(
    ("charset", "codec", "text"),
    [
        ("gb2312", "gbk", "订单确认：王喆"),  # 喆 is GBK, not GB2312
        ("GB2312", "gb18030", "会议"),
        ("ks_c_5601-1987", "cp949", "똠방 무역"),  # 똠 is only in Windows' code page 949
        ("euc-kr", "cp949", "똠방"),
        ("iso-8859-8-i", "iso-8859-8", "שלום"),
        ("iso-8859-1", "cp1252", "– “réf.”"),
        ("us-ascii", "cp1252", "café"),
        ("big5", "big5hkscs", "粵語"),
        ("shift_jis", "cp932", "会議 ①"),
        ("tis-620", "cp874", "สวัสดี"),
    ],
)
def test_charsets_are_decoded_as_their_supersets(charset, codec, text):
    assert decode_words(_b(charset, codec, text)) == text


def test_charset_fixture_decodes_every_name():
    path = Path(__file__).parent / "fixtures" / "inputs" / "charset-supersets.eml"
    message = analyse(parse_headers(path.read_text(encoding="utf-8")))
    assert message.subject == "订单确认：王喆– réf. 2024"
    assert message.from_ == "똠방 무역 <sales@maoyi-exemple.cn>"
    assert message.to == ["רכש <achats@importateur-exemple.fr>"]
    assert not message.problems
