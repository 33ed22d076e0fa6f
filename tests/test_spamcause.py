"""X-VR-SPAMCAUSE: the legacy decoding, the parts it holds, and the forms that cannot be read."""

from __future__ import annotations

import email
import re
from email import policy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import shared_path
from tui.core.spamcause import ENCRYPTED, decode_spamcause


def encode(text: str) -> str:
    """The inverse of the legacy decoding, writing lower-case letters only as Vade does.

    Each character becomes a pair (a, b) with 17*ord(a) + ord(b) - 1768 == ord(char);
    even-numbered pairs are written swapped. Covers code points 0 to 428.
    """
    pairs = []
    for index, char in enumerate(text):
        code = ord(char) + 1768
        high = next(a for a in range(ord("a"), ord("z") + 1) if ord("a") <= code - 17 * a <= ord("z"))
        pair = chr(high) + chr(code - 17 * high)
        pairs.append(pair[::-1] if index % 2 == 0 else pair)
    return "".join(pairs)


def fold(value: str, width: int = 76) -> str:
    """Wrap like a mail header: CRLF plus a tab every ``width`` characters."""
    return "\r\n\t".join(value[i:i + width] for i in range(0, len(value), width))


OUTBOUND = (
    "Vade Retro 01.431.22#11 AS+AV+AP+RT Profile: OVH,CHECKCE; Bailout: 500; @!Recipients (-100); "
    "Hdr=FGHKUVcEi@t5?0?01; From=Élodie Marchand <elodie@fleurs-marchand.example>; "
    "VRPattern=0123456789ABCDEF0123456789ABCDEF; Domain=fleurs-marchand.example; "
    "Ip=127.0.0.1,192.0.2.145; ClusterSize=0; "
    "Param=inet=127.0.0.1,mailfrom=<elodie@fleurs-marchand.example>,nb_rcptto=3,"
    "rcptto=achats@grossiste.example,compta@grossiste.example,paul@client.example,"
    "MTAHost=mo987,mode=smtpout"
)
INBOUND_SPAM = (
    "Vade Retro 01.428.40#7 AS+AV+AP+RT Profile: OVH,CHECKCE; Bailout: 500; ^Phishing-SortHdr (300);"
    "^SpamIp (300); Hdr=DEFSTc@h700007; From=Service Client <no-reply@colis-suivi.example>; "
    "Ip=0.0.0.0,203.0.113.66; SpamIpNetwork=203.0.113.66; ClusterSize=2; "
    "Param=mode=smtp,helo=in12.mail.ovh.net,inet=0.0.0.0,mailfrom=,rcptto=boutique@exemple.example"
)


def test_known_prefix_decodes_without_the_test_encoder():
    # The first ten characters every legacy value starts with, worked by hand.
    assert decode_spamcause("gggruggvucftvghtrhho").decoded == "Vade Retro"


def test_outbound_fixture_round_trip_and_parts():
    cause = decode_spamcause(fold(encode(OUTBOUND)))
    assert cause.decoded == OUTBOUND
    assert cause.problem is None and not cause.encrypted
    assert cause.rules == [("@!Recipients", -100)]
    assert cause.fields["Version"] == "01.431.22#11"
    assert cause.fields["Profile"] == "OVH,CHECKCE"
    assert cause.fields["Bailout"] == "500"
    assert cause.fields["From"] == "Élodie Marchand <elodie@fleurs-marchand.example>"
    assert cause.fields["Ip"] == "127.0.0.1,192.0.2.145"
    assert cause.fields["ClusterSize"] == "0"
    assert cause.fields["Param"].startswith("inet=127.0.0.1,")
    assert cause.params == {
        "inet": "127.0.0.1",
        "mailfrom": "<elodie@fleurs-marchand.example>",
        "nb_rcptto": "3",
        "rcptto": "achats@grossiste.example,compta@grossiste.example,paul@client.example",
        "MTAHost": "mo987",
        "mode": "smtpout",
    }


def test_inbound_spam_rules_and_empty_mailfrom():
    cause = decode_spamcause(encode(INBOUND_SPAM))
    assert cause.rules == [("^Phishing-SortHdr", 300), ("^SpamIp", 300)]
    assert cause.fields["SpamIpNetwork"] == "203.0.113.66"
    assert cause.params == {
        "mode": "smtp",
        "helo": "in12.mail.ovh.net",
        "inet": "0.0.0.0",
        "mailfrom": "",
        "rcptto": "boutique@exemple.example",
    }


def test_short_value_has_prefix_only():
    text = "Vade Retro 01.398.85#41 AS+AV+AP+RT Profile: OVH,CHECKCE; Bailout: 300; ^SpamIp (300)"
    cause = decode_spamcause(encode(text))
    assert cause.fields == {
        "Version": "01.398.85#41", "Modules": "AS+AV+AP+RT", "Profile": "OVH,CHECKCE", "Bailout": "300",
    }
    assert cause.rules == [("^SpamIp", 300)]
    assert cause.params == {}


def test_odd_trailing_character_is_dropped():
    assert decode_spamcause(encode("Vade Retro") + "q").decoded == "Vade Retro"


def test_semicolon_in_display_name_is_rejoined():
    cause = decode_spamcause(encode('Vade Retro 01.1 Profile: OVH; From="Dupont; Jean" <j@d.example>; Ip=0.0.0.0'))
    assert cause.fields["From"] == '"Dupont; Jean" <j@d.example>'
    assert cause.fields["Ip"] == "0.0.0.0"


def test_unknown_param_words_and_srs_addresses():
    cause = decode_spamcause(encode(
        "Param=mode=smtp,rcptto=a@x.example,SRS0=hX=tt=y.example=b@z.example,smtpauth=c@x.example,queue=7"
    ))
    assert cause.params == {
        "mode": "smtp",
        "rcptto": "a@x.example,SRS0=hX=tt=y.example=b@z.example,smtpauth=c@x.example",
        "queue": "7",
    }


def test_encrypted_form():
    cause = decode_spamcause("dmFkZTFqR2hvc3QtdGV4dC1ub3QtcmVhbA==")
    assert cause.encrypted and cause.decoded is None
    assert cause.problem == ENCRYPTED == "encrypted (newer Vade form), cannot be decoded"
    assert decode_spamcause("dmFkZTF\r\n\tqR2hvc3Q[TOO LONG, REMOVED]").encrypted


@pytest.mark.parametrize("value", ["", "   ", "\r\n\t"])
def test_empty(value):
    cause = decode_spamcause(value)
    assert cause.decoded is None and not cause.encrypted
    assert "empty" in cause.problem


def test_removed_by_the_copier():
    cause = decode_spamcause("[TOO LONG, REMOVED]")
    assert cause.decoded is None and "removed" in cause.problem
    partial = decode_spamcause(encode("Vade Retro 01.2 Profile: OVH; Bailout: 500") + "[TOO LONG, REMOVED]")
    assert partial.decoded == "Vade Retro 01.2 Profile: OVH; Bailout: 500"
    assert partial.fields["Bailout"] == "500"
    assert "cut short" in partial.problem


def test_a_few_control_codes_are_tolerated_beyond_latin_1_too():
    for letter in ("é", "Ő"):
        readable = "Vade Retro " + letter * 8 + "\x07"
        assert decode_spamcause(encode(readable)).decoded == readable
        noisy = "Vade " + letter + "\x07" * 4
        assert decode_spamcause(encode(noisy)).decoded is None


@pytest.mark.parametrize("value", ["SGVsbG8sIHdvcmxkIQ==", "ABCDEFGHIJ", "0123456789", "!!!!!!!!", "ééééé"])
def test_not_the_legacy_form(value):
    cause = decode_spamcause(value)
    assert cause.decoded is None and not cause.encrypted
    assert "readable" in cause.problem


PRINTABLE = st.characters(min_codepoint=32, max_codepoint=428).filter(str.isprintable)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=PRINTABLE, min_size=1, max_size=400))
def test_any_printable_text_round_trips(text):
    cause = decode_spamcause(encode(text))
    assert cause.decoded == text
    assert cause.problem is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_never_raises(value):
    cause = decode_spamcause(value)
    assert cause.raw == value
    assert (cause.decoded is None) == (cause.problem is not None) or "cut short" in cause.problem


@pytest.mark.parametrize(
    "decoded",
    [";" * 50_000, "a " * 25_000, "^a (1) " * 7_000, "Param=" + "a," * 25_000, "From=x; " * 6_000],
    ids=range(5),
)
def test_hostile_lengths_decode(decoded):
    cause = decode_spamcause(encode(decoded))
    assert cause.decoded == decoded


def _expected_decodings() -> dict[str, list[str | None]]:
    sources = shared_path("corpus", "ovh", "SOURCES.md").read_text(encoding="utf-8")
    expected: dict[str, list[str | None]] = {}
    for section in re.split(r"^## ", sources, flags=re.M)[1:]:
        name = section.split("\n", 1)[0].strip()
        if not name.endswith(".txt"):
            continue
        values = re.findall(r"^- decoded SPAMCAUSE: (?:`(.*)`|\(none.*\))$", section, flags=re.M)
        expected[name] = [value or None for value in values]
    return expected


def test_corpus_decodings_match_sources():
    expected = _expected_decodings()
    assert expected
    corpus = shared_path("corpus", "ovh")
    for name, decodings in expected.items():
        message = email.message_from_bytes((corpus / name).read_bytes(), policy=policy.compat32)
        values = [str(v) for v in message.get_all("X-VR-SPAMCAUSE") or []]
        assert len(values) == len(decodings), name
        for value, decoded in zip(values, decodings):
            cause = decode_spamcause(value)
            assert cause.decoded == decoded, name
            if decoded is None:
                assert cause.problem, name
            else:
                assert cause.problem is None, name
                assert cause.fields["Version"] in decoded, name
