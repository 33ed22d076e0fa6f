"""Addresses as headers write them: normalised, judged public or not, placed in a country offline."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.ipaddr import country_of, is_public, normalise_ip


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1.2.3.4", "1.2.3.4"),
        (" 1.2.3.4 ", "1.2.3.4"),
        ("[1.2.3.4]", "1.2.3.4"),
        ("[1.2.3.4]:45968", "1.2.3.4"),
        ("1.2.3.4:25", "1.2.3.4"),
        # Old Exim and others write the port as a fifth number.
        ("[1.2.3.4.5678]", "1.2.3.4"),
        ("10.0.8.6.13219", "10.0.8.6"),
        ("[IPv6:2001:db8::1]", "2001:db8::1"),
        ("IPv6:2001:DB8:0:0::1", "2001:db8::1"),
        ("[ipv6:2620:137:e000::1:20]", "2620:137:e000::1:20"),
        ("::ffff:1.2.3.4", "1.2.3.4"),
        ("[::ffff:1.2.3.4]", "1.2.3.4"),
        ("fe80::1%eth0", "fe80::1"),
        ("[fe80::671b:97b4:b1b8:7475%5]", "fe80::671b:97b4:b1b8:7475"),
        ("2603:10A6:20B:45E:0:0:0:9", "2603:10a6:20b:45e::9"),
        ("::1", "::1"),
        ("0.0.0.0", "0.0.0.0"),
    ],
)
def test_normalise_ip(text, expected):
    assert normalise_ip(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "15.1.2507.16",
        "15.20.6134.026",
        "000.11.222.33",
        "01.2.3.4",
        "256.1.1.1",
        "1.2.3",
        "1.2.3.4.5.6",
        "1.2.3.4.123456",
        "1234",
        "dead.beef",
        "mail.example.org",
        "S234554AbiLFLtM",
        "1BB8DDFAEF",
        "unknown",
        "",
        "[",
        "[1.2.3.4",
        "[1.2.3.4]x",
        "[1.2.3.4]:port",
        "2001:db8::1::2",
        "IPv6:",
    ],
)
def test_not_an_ip(text):
    assert normalise_ip(text) is None


@pytest.mark.parametrize(
    "ip, public",
    [
        ("8.8.8.8", True),
        ("37.59.142.107", True),
        ("2001:41d0::1", True),
        ("[::ffff:8.8.8.8]", True),
        ("10.1.2.3", False),
        ("172.16.2.32", False),
        ("192.168.1.10", False),
        ("127.0.0.1", False),
        ("169.254.10.1", False),
        ("100.64.0.1", False),
        ("192.0.2.1", False),
        ("198.51.100.7", False),
        ("203.0.113.9", False),
        ("224.0.0.1", False),
        ("240.0.0.1", False),
        ("255.255.255.255", False),
        ("0.0.0.0", False),
        ("::1", False),
        ("::", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("2001:db8::1", False),
        ("ff02::1", False),
        ("not an ip", False),
    ],
)
def test_is_public(ip, public):
    assert is_public(ip) is public


@pytest.mark.parametrize(
    "ip, country",
    [
        ("8.8.8.8", "US"),
        ("37.59.142.107", "FR"),
        ("[37.59.142.107]", "FR"),
        ("::ffff:37.59.142.107", "FR"),
        ("2001:41d0::1", "FR"),
        ("10.0.0.1", None),
        ("198.51.100.7", None),
        ("15.1.2507.16", None),
    ],
)
def test_country_of(ip, country):
    assert country_of(ip) == country


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(), st.ip_addresses().map(str), st.ip_addresses().map(lambda ip: f"[{ip}]")))
def test_never_raises_and_is_idempotent(text):
    ip = normalise_ip(text)
    assert ip is None or normalise_ip(ip) == ip
    assert isinstance(is_public(text), bool)
    assert country_of(text) is None or len(country_of(text)) == 2
