"""Authentication-Results, ARC-Authentication-Results and Received-SPF as real servers write them."""

from __future__ import annotations

import email
from email import policy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import shared_path
from tui.core.authresults import (
    _END,
    _items,
    _segment_items,
    _segments,
    authenticated_mailbox,
    parse_authentication_results,
    parse_received_spf,
)
from tui.core.results import AuthResult

MICROSOFT = (
    "spf=pass (sender IP is 198.51.100.23)\r\n smtp.mailfrom=shop.example; dkim=none (message not signed)\r\n"
    " header.d=none;dmarc=fail action=none header.from=bank.example;compauth=fail\r\n reason=001"
)
GMAIL = (
    "mx.google.com;\r\n       dkim=pass header.i=@news.example header.s=s2024 header.b=Zx9+ab/Q;\r\n"
    "       arc=pass (i=1 spf=pass spfdomain=relay.example dkim=pass dkdomain=news.example);\r\n"
    "       spf=pass (google.com: domain of bounce@relay.example designates 203.0.113.9 as permitted"
    " sender) smtp.mailfrom=bounce@relay.example;\r\n"
    "       dmarc=pass (p=NONE sp=NONE dis=NONE) header.from=news.example"
)
OVH = (
    "garm.ovh; auth=pass (GARM-104R0052c0ffee11-aaaa-4bbb-8ccc-0123456789ab,\r\n"
    "                    0A1B2C3D4E5F60718293A4B5C6D7E8F901234567) smtp.auth=jeanne@boulangerie.example"
)


def by_method(results: list[AuthResult]) -> dict[str, AuthResult]:
    return {r.method: r for r in results}


def test_microsoft_without_authserv_id():
    results = parse_authentication_results(MICROSOFT)
    assert [(r.method, r.result) for r in results] == [
        ("spf", "pass"), ("dkim", "none"), ("dmarc", "fail"), ("compauth", "fail"),
    ]
    found = by_method(results)
    assert all(r.authserv_id is None for r in results)
    assert found["spf"].properties == {"smtp.mailfrom": "shop.example"}
    assert found["dkim"].properties == {"header.d": "none"}
    assert found["dmarc"].properties == {"action": "none", "header.from": "bank.example"}
    assert found["compauth"].reason == "001"
    assert all(r.header == "Authentication-Results" for r in results)


def test_gmail_comments_do_not_become_results():
    results = parse_authentication_results(GMAIL)
    assert [(r.method, r.result) for r in results] == [
        ("dkim", "pass"), ("arc", "pass"), ("spf", "pass"), ("dmarc", "pass"),
    ]
    found = by_method(results)
    assert {r.authserv_id for r in results} == {"mx.google.com"}
    assert found["dkim"].properties == {
        "header.i": "@news.example", "header.s": "s2024", "header.b": "Zx9+ab/Q",
    }
    assert found["arc"].properties == {}
    assert found["spf"].properties == {"smtp.mailfrom": "bounce@relay.example"}
    assert found["dmarc"].properties == {"header.from": "news.example"}


def test_ovh_submission_records_the_mailbox():
    results = parse_authentication_results(OVH)
    assert results == [
        AuthResult("auth", "pass", "garm.ovh", {"smtp.auth": "jeanne@boulangerie.example"}),
    ]
    assert authenticated_mailbox(results) == "jeanne@boulangerie.example"


def test_arc_instance_is_skipped():
    value = (
        "i=2; mx.microsoft.com 1; spf=pass (sender ip is 192.0.2.44)\r\n smtp.rcpttodomain=dest.example"
        " smtp.mailfrom=out.example;\r\n dmarc=pass (p=none sp=quarantine pct=100) action=none\r\n"
        " header.from=out.example; dkim=fail (signature did not verify) header.d=out.example; arc=fail (47)"
    )
    results = parse_authentication_results(value, "ARC-Authentication-Results")
    assert [(r.method, r.result) for r in results] == [
        ("spf", "pass"), ("dmarc", "pass"), ("dkim", "fail"), ("arc", "fail"),
    ]
    assert {r.authserv_id for r in results} == {"mx.microsoft.com"}
    assert {r.header for r in results} == {"ARC-Authentication-Results"}
    assert results[0].properties == {
        "smtp.rcpttodomain": "dest.example", "smtp.mailfrom": "out.example",
    }


def test_none_and_version():
    assert parse_authentication_results("mail.example.org 1; none") == []
    assert parse_authentication_results("mail.example.org; none (nothing checked)") == []
    results = parse_authentication_results("mail.example.org 1; spf=pass smtp.mailfrom=a.example")
    assert results == [AuthResult("spf", "pass", "mail.example.org", {"smtp.mailfrom": "a.example"})]


def test_comments_anywhere_rfc8601_b7():
    value = (
        "foo.example.net (foobar) 1 (baz);\r\n    dkim (Because I like it) / 1 (One yay) = (wait for it)"
        " fail\r\n      policy (A dot can go here) . (like that) expired\r\n"
        "      (this surprised me) = (as I wasn't expecting it) 1362471462"
    )
    assert parse_authentication_results(value) == [
        AuthResult("dkim", "fail", "foo.example.net", {"policy.expired": "1362471462"}),
    ]


def test_quoted_values_reason_and_nested_comments():
    value = (
        'mx.example.net; dkim=fail reason="signature verification failed (bad; key)"'
        " (1024-bit key (old)) header.d=list.example header.b=\"a;b\\\"c\"; spf=neutral"
    )
    results = parse_authentication_results(value)
    assert [(r.method, r.result) for r in results] == [("dkim", "fail"), ("spf", "neutral")]
    assert results[0].reason == "signature verification failed (bad; key)"
    assert results[0].properties == {"header.d": "list.example", "header.b": 'a;b"c'}


def test_missing_semicolon_between_results():
    results = parse_authentication_results(
        "mx.example.net; spf=pass smtp.mailfrom=a.example dkim=pass header.d=a.example"
    )
    assert [(r.method, r.properties) for r in results] == [
        ("spf", {"smtp.mailfrom": "a.example"}), ("dkim", {"header.d": "a.example"}),
    ]


def test_result_and_method_are_lower_case_properties_keep_case():
    results = parse_authentication_results("MX.Example.NET; SPF=Pass Smtp.MailFrom=User@Example.NET")
    assert results == [AuthResult("spf", "pass", "MX.Example.NET", {"smtp.mailfrom": "User@Example.NET"})]


def test_quoted_or_odd_authserv_id_is_kept_whole():
    assert [r.authserv_id for r in parse_authentication_results('"mx;1" (x); spf=pass')] == ["mx;1"]
    assert [r.authserv_id for r in parse_authentication_results("=odd; spf=pass")] == ["=odd"]


def test_blanks_other_than_spaces():
    results = parse_authentication_results("mx.example.net;\tspf\t=\tpass\tsmtp.mailfrom=a.example;\xa0dkim=fail")
    assert [(r.method, r.result, r.properties) for r in results] == [
        ("spf", "pass", {"smtp.mailfrom": "a.example"}), ("dkim", "fail", {}),
    ]


def _items_the_general_way(value):
    first, *others = _segments(value)
    items = _segment_items(first)
    for segment in others:
        items += [_END, *_segment_items(segment)]
    return items


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["spf", "=", "pass", " ", ";", "(", ")", ".", "/", "\t", "i", "a.b", "\xa0"]), max_size=25))
def test_word_split_reads_like_the_general_grammar(pieces):
    value = "".join(pieces)
    # A bare word may be split differently ("=" + rest, or whole): only its text counts.
    read = lambda items: [(key, value) if key and equals else "".join((key, equals, value)) for key, equals, value in items]  # noqa: E731
    assert read(_items(value)) == read(_items_the_general_way(value))


@pytest.mark.parametrize(
    "value",
    ["", "   ", "garbage text with no verdict", ";;;;", "(((((", ")))", '"""', "====", "none"],
)
def test_garbage_gives_nothing(value):
    assert parse_authentication_results(value) == []


def test_received_spf_ovh_style():
    value = (
        "Pass (mailfrom) identity=mailfrom; client-ip=192.0.2.71; helo=smtp.atelier.example;"
        " envelope-from=paul@atelier.example; receiver=marie@client.example"
    )
    assert parse_received_spf(value) == AuthResult(
        "spf",
        "pass",
        properties={
            "identity": "mailfrom",
            "client-ip": "192.0.2.71",
            "helo": "smtp.atelier.example",
            "envelope-from": "paul@atelier.example",
            "receiver": "marie@client.example",
        },
        header="Received-SPF",
    )


def test_received_spf_gmail_and_softfail():
    spf = parse_received_spf(
        "pass (google.com: domain of x@relay.example designates 203.0.113.9 as permitted sender)"
        " client-ip=203.0.113.9;"
    )
    assert spf is not None
    assert (spf.method, spf.result, spf.properties) == ("spf", "pass", {"client-ip": "203.0.113.9"})
    soft = parse_received_spf(
        "SoftFail (mx.example.net: domain of transitioning a.example does not designate\r\n"
        " 198.51.100.7 as permitted sender) receiver=mx.example.net; client-ip=198.51.100.7;"
        ' envelope-from="x@a.example";'
    )
    assert soft is not None
    assert soft.result == "softfail"
    assert soft.properties == {
        "receiver": "mx.example.net", "client-ip": "198.51.100.7", "envelope-from": "x@a.example",
    }


@pytest.mark.parametrize("value", ["", "hello there", "client-ip=1.2.3.4", "(pass)", ";"])
def test_received_spf_garbage(value):
    assert parse_received_spf(value) is None


def test_authenticated_mailbox_needs_a_pass():
    failed = parse_authentication_results("garm.ovh; auth=fail smtp.auth=intruder@example.org")
    assert authenticated_mailbox(failed) is None
    assert authenticated_mailbox([]) is None
    assert authenticated_mailbox(parse_authentication_results(MICROSOFT)) is None


def test_authenticated_mailbox_prefers_auth_method():
    results = parse_authentication_results(
        "mx.example.net; spf=pass smtp.auth=other@example.org"
    ) + parse_authentication_results(OVH)
    assert authenticated_mailbox(results) == "jeanne@boulangerie.example"
    assert authenticated_mailbox(results[:1]) == "other@example.org"


@pytest.mark.parametrize("login", ["@atelier.example", "198.51.100.40@relay.example", "2001:db8::7@relay.example"])
def test_authenticated_mailbox_skips_relay_logins(login):
    # Outgoing filters (SpamExperts and the like) write the domain alone or
    # the relay server's address where the mailbox would be.
    results = parse_authentication_results(f"filter.example; auth=pass (login) smtp.auth={login}")
    assert results[0].properties["smtp.auth"] == login
    assert authenticated_mailbox(results) is None


def test_authenticated_mailbox_keeps_bare_user_names():
    results = parse_authentication_results("mx.example.net; auth=pass smtp.auth=jeanne")
    assert authenticated_mailbox(results) == "jeanne"


def test_header_name_pasted_with_value():
    results = parse_authentication_results("Authentication-Results: " + OVH)
    assert [r.authserv_id for r in results] == ["garm.ovh"]


HOSTILE = [
    "(" * 100_000,
    ")" * 100_000,
    ";" * 100_000,
    '"' * 100_000,
    "\\" * 100_000,
    "a" + " " * 100_000 + "b",
    "a" + " " * 100_000 + "=",
    "a ." * 33_000,
    "a=" * 50_000,
    '="' * 50_000,
    "x" * 100_000,
    "(" * 50_000 + ")" * 50_000,
    "spf=pass " + "smtp.a=b " * 11_000,
]


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_values_do_not_stall(value):
    results = parse_authentication_results(value)
    assert all(isinstance(r, AuthResult) and r.method for r in results)
    spf = parse_received_spf(value)
    assert spf is None or spf.method == "spf"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('ab=;.()"\\ /\t\r\n@-')) | st.characters(), max_size=300))
def test_never_raises(value):
    results = parse_authentication_results(value)
    assert all(r.method and r.result for r in results)
    parse_received_spf(value)
    authenticated_mailbox(results)


def test_real_corpus_garm_mailboxes():
    corpus = shared_path("corpus")
    found = []
    for path in sorted((corpus / "ovh").glob("*.txt")) + sorted((corpus / "real").glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.compat32)
        results = []
        for name in ("Authentication-Results", "ARC-Authentication-Results"):
            for value in message.get_all(name) or []:
                results += parse_authentication_results(str(value), name)
        for result in results:
            assert result.method and result.result
            assert all(key == key.lower() for key in result.properties)
        if any(r.authserv_id == "garm.ovh" for r in results):
            found.append(authenticated_mailbox(results))
        for value in message.get_all("Received-SPF") or []:
            spf = parse_received_spf(str(value))
            assert spf is not None and spf.result in {"pass", "fail", "softfail", "none", "neutral"}
    assert found and all(found)
