"""Received formats found wrong in review (issue "Engine round 2"), one group per kind: what a hop
means (relay or not), qmail's reverse name first, odd shapes, web submissions and hop dates.

Each kind has a header fixture of its own under fixtures/received, read end to end, and a few
single lines written the way the servers named write them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.analysis import analyse
from tui.core.headers import parse_headers
from tui.core.results import Hop
from tui.core.received import parse_received

FIXTURES = Path(__file__).parent / "fixtures" / "received"


def hop(value: str) -> Hop:
    return parse_received(value)


def fixture(name: str):
    path = FIXTURES / name
    return analyse(parse_headers(path.read_text(encoding="utf-8"), str(path)))


# --- relay: a client machine connected over the network to another machine --------------------

NOT_RELAYS = [
    pytest.param(
        "from pop.fai-exemple.net [198.51.100.71] by poste-marc with POP3 (fetchmail-6.4.37)"
        " for <marc@poste-marc> (single-drop); Tue, 06 Dec 2022 13:05:01 +0100 (CET)",
        "198.51.100.71", id="fetchmail-pop3-with-ip",
    ),
    pytest.param(
        "from imap.exemple.org (imap.exemple.org [203.0.113.5]) by portable with IMAP4-SSL (getmail 5.16);"
        " Tue, 06 Dec 2022 12:49:12 +0100",
        "203.0.113.5", id="getmail-imap",
    ),
    pytest.param(
        "from mail.exemple.net by portable with IMAP (fetchmail-6.4.0) for <bob@localhost> (single-drop);"
        " Tue, 06 Dec 2022 12:49:12 +0100",
        None, id="fetchmail-imap-no-ip",
    ),
    pytest.param(
        "from 127.0.0.1 by mail.exemple.com (envelope-from <a@exemple.org>, uid 502) with qmail-scanner-2.01"
        " (clamdscan: 0.93. spamassassin: 3.2.4. Clear:RC:1(127.0.0.1):. Processed in 1.234 secs);"
        " 06 Dec 2022 11:49:12 -0000",
        "127.0.0.1", id="qmail-scanner",
    ),
    pytest.param(
        "from mx1.exemple.net ([127.0.0.1]) by localhost (mx1.exemple.net [127.0.0.1]) (amavisd-new, port 10024)"
        " with ESMTP id Xq3bT9kLmN2p for <marc@exemple.net>; Tue,  6 Dec 2022 12:49:28 +0100 (CET)",
        "127.0.0.1", id="amavis-loopback",
    ),
    pytest.param(
        "from localhost by mx1.exemple.net with SpamAssassin (version 3.4.6); Tue, 06 Dec 2022 12:49:30 +0100",
        None, id="spamassassin-stamp",
    ),
    pytest.param(
        "from LISTSERV.EXEMPLE.EDU by LISTSERV.EXEMPLE.EDU (LISTSERV-TCP/IP release 16.0) with spool id 12345"
        " for LISTE@LISTSERV.EXEMPLE.EDU; Tue, 6 Dec 2022 12:49:12 -0500",
        None, id="listserv-spool",
    ),
    pytest.param(
        "from localhost (localhost [IPv6:::1]) by mail.exemple.fr (Postfix) with ESMTP id 4F1A2B;"
        " Tue, 6 Dec 2022 12:49:12 +0100",
        "::1", id="loopback-ipv6",
    ),
    pytest.param(
        "from poste by mail.exemple.fr with local (Exim 4.96) id 1pQrSt-0001Ab-2C;"
        " Tue, 6 Dec 2022 12:49:12 +0100",
        None, id="with-local",
    ),
]


@pytest.mark.parametrize(("value", "ip"), NOT_RELAYS)
def test_lines_that_are_no_network_transfer_are_not_relays(value, ip):
    found = hop(value)
    assert found.relay is False
    assert found.from_ip == ip


@pytest.mark.parametrize(
    "value",
    [
        # A client host named without an address may stay a relay, with from_ip null.
        "from mail.exemple.com by mx.exemple.org with ESMTP id 12AB; Tue, 6 Dec 2022 12:49:12 +0100",
        "from poste.exemple.fr (poste.exemple.fr [192.168.1.20]) by mail.exemple.fr (Postfix) with ESMTP"
        " id 4F1A2B; Tue, 6 Dec 2022 12:49:12 +0100",
        "from relais.imap-exemple.com (relais.imap-exemple.com [198.51.100.9]) by mx.exemple.org (Postfix)"
        " with ESMTP id 4F1A2C; Tue, 6 Dec 2022 12:49:12 +0100",
    ],
    ids=["no-address", "private-address", "imap-in-a-host-name"],
)
def test_network_transfers_stay_relays(value):
    assert hop(value).relay is True


def test_fetched_and_scanned_message_keeps_its_sender_as_origin():
    message = fixture("fetched_and_scanned.txt")
    assert [h.relay for h in message.hops] == [True, True, False, False, False, False]
    assert message.origin.ip == "90.12.34.56"
    assert message.origin.authenticated_as == "camille@cabinet-exemple.fr"


# --- qmail and its kin write the reverse name first ------------------------------------------

QMAIL_NAMES = [
    pytest.param(
        "from mx2.relais-exemple.net (193.252.22.84) by mail.boutique-exemple.fr with SMTP;"
        " 14 Mar 2023 09:12:41 -0000",
        ("mx2.relais-exemple.net", "mx2.relais-exemple.net", "193.252.22.84", None), id="name-ip",
    ),
    pytest.param(
        "from lns-bzn-42-82-253-10-17.adsl.proxad.net (HELO bureau-pc) (compta@82.253.10.17)"
        " by mx2.relais-exemple.net with ESMTPA; 14 Mar 2023 09:12:39 -0000",
        ("bureau-pc", "lns-bzn-42-82-253-10-17.adsl.proxad.net", "82.253.10.17", "compta"), id="name-helo-ident-ip",
    ),
    pytest.param(
        "from poste12.exemple.net (benoit@198.51.100.70) by mail.exemple.org with SMTP;"
        " 5 Nov 2003 23:18:42 -0000",
        ("poste12.exemple.net", "poste12.exemple.net", "198.51.100.70", "benoit"), id="name-ident-ip",
    ),
    pytest.param(
        "from unknown (HELO [192.168.0.12]) (78.193.40.2) by mx2.relais-exemple.net with SMTP;"
        " 14 Mar 2023 09:12:37 -0000",
        ("[192.168.0.12]", None, "78.193.40.2", None), id="unknown-name",
    ),
    pytest.param(
        "from relais.exemple.com (10.32.64.74) by smtp4.exemple.com id h7jvra2oqm4p for <x@exemple.org>;"
        " Tue, 19 Nov 2024 18:14:23 -0300",
        ("relais.exemple.com", "relais.exemple.com", "10.32.64.74", None), id="unknown-family",
    ),
    pytest.param(
        "from EXCH01.corp.exemple.local (10.0.0.5) by EXCH02.corp.exemple.local (10.0.0.6) with Microsoft SMTP"
        " Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.1.2507.16;"
        " Tue, 6 Dec 2022 12:49:12 +0100",
        ("EXCH01.corp.exemple.local", None, "10.0.0.5", None), id="exchange-writes-its-helo",
    ),
]


@pytest.mark.parametrize(("value", "expected"), QMAIL_NAMES)
def test_name_before_the_address_is_the_reverse_name(value, expected):
    found = hop(value)
    assert (found.from_helo, found.from_rdns, found.from_ip, found.ident) == expected


def test_qmail_chain_fixture():
    message = fixture("qmail_name_first.txt")
    submission = message.hops[0]
    assert (submission.from_rdns, submission.from_helo) == ("lns-bzn-42-82-253-10-17.adsl.proxad.net", "bureau-pc")
    relay = message.hops[2]
    assert relay.from_rdns == relay.from_helo == "mx2.relais-exemple.net"
    assert message.origin.ip == "82.253.10.17"


# --- shapes that were read wrong -----------------------------------------------------------------

SHAPE_FIELDS = ("from_helo", "from_rdns", "from_ip", "id", "envelope_from")

SHAPES = [
    pytest.param(
        "from snake.exemple.com(198.51.100.229) by relais.exemple.org via smap (V1.3) id xma093673;"
        " Wed, 26 Mar 03 20:43:24 -0600",
        ("snake.exemple.com", "snake.exemple.com", "198.51.100.229", "xma093673", None), id="smap-no-space",
    ),
    pytest.param(
        "from smtp.exemple.com(198.51.100.51, HELO relais.exemple.net) by x.exemple.org via smap (V1.3)"
        " id xma002908; Fri, 27 Feb 04 14:16:56 -0800",
        ("relais.exemple.net", "smtp.exemple.com", "198.51.100.51", "xma002908", None), id="smap-helo-after-comma",
    ),
    pytest.param(
        'from pl027.nas934.exemple.ne.jp(198.51.100.27), claiming to be "foo.exemple.net" via SMTP'
        " by st.exemple.at, id smtpd1PBsZT; Sun Nov 13 15:38:52 2005",
        ("foo.exemple.net", "pl027.nas934.exemple.ne.jp", "198.51.100.27", "smtpd1PBsZT", None), id="tis-claiming",
    ),
    pytest.param(
        "from mx.exemple.org (LHLO mx.exemple.org) (192.0.2.10) by store.exemple.org with LMTP;"
        " 6 Dec 2022 11:49:12 -0000",
        ("mx.exemple.org", "mx.exemple.org", "192.0.2.10", None, None), id="lhlo",
    ),
    pytest.param(
        "from helene8.i.exemple.net (helene.exemple.ms) [10.0.8.6.13219] (mail) by lisbeth.i.exemple.net"
        " with esmtp (Exim 3.35 #1 (Debian)) id 1CO5y7-0001vC-00; Sun, 31 Oct 2004 04:01:23 +0100",
        ("helene.exemple.ms", "helene8.i.exemple.net", "10.0.8.6", "1CO5y7-0001vC-00", None),
        id="exim-port-as-fifth-number",
    ),
    pytest.param(
        "from poste.exemple.com ([198.51.100.2.41234]) by mx.exemple.org with ESMTP id 123;"
        " Tue, 6 Dec 2022 12:00:00 +0100",
        ("poste.exemple.com", None, "198.51.100.2", "123", None), id="bracketed-port-as-fifth-number",
    ),
    pytest.param(
        "from liste.exemple.com (198.51.100.86:23198) by mx1.exemple.net with [XMail 1.20 ESMTP Server]"
        " id <S72E> for <jean@exemple.org> from <bounce-1965@liste.exemple.com>; Sat, 18 Sep 2004 23:17:54 -0500",
        ("liste.exemple.com", "liste.exemple.com", "198.51.100.86", "S72E", "bounce-1965@liste.exemple.com"),
        id="xmail-port-and-late-sender",
    ),
    pytest.param(
        "from [192.168.1.10] ([unknown] [203.0.113.5]) by mail.exemple.com (Sun Java(tm) System Messaging Server"
        " 7.3-11.01 64bit (built Sep  1 2009)) with ESMTPA id <0KX100@mail.exemple.com> for bob@exemple.org;"
        " Tue, 06 Dec 2022 12:49:12 +0100 (CET)",
        ("[192.168.1.10]", None, "203.0.113.5", "0KX100@mail.exemple.com", None), id="sun-java-unknown",
    ),
    pytest.param(
        "from pc.exemple.com ([unknown] [203.0.113.5]) by mail.exemple.com (Sun Java(tm) System Messaging Server"
        " 6.3-8.04 (built Jul 29 2009; 32bit)) with ESMTP id <0KX101@mail.exemple.com>;"
        " Tue, 06 Dec 2022 12:49:12 +0100 (CET)",
        ("pc.exemple.com", None, "203.0.113.5", "0KX101@mail.exemple.com", None), id="sun-java-named-helo",
    ),
    pytest.param(
        "from [203.0.113.5] (helo=[192.168.1.10]) by mx.exemple.org with esmtpsa (Exim 4.96)"
        " (envelope-from <a@exemple.com>) id 1pabcD-000123-Xy for b@exemple.org; Tue, 06 Dec 2022 12:49:12 +0100",
        ("[192.168.1.10]", None, "203.0.113.5", "1pabcD-000123-Xy", "a@exemple.com"), id="exim-helo-literal",
    ),
    pytest.param(
        "(from relais.exemple.com [198.51.100.2]) by mx.exemple.org (8.14.4/8.14.4) id x1;"
        " Tue, 6 Dec 2022 12:49:12 +0100",
        ("relais.exemple.com", None, "198.51.100.2", "x1", None), id="from-in-parentheses",
    ),
    pytest.param(
        "from relais.exemple.com (relais.exemple.com [198.51.100.2]) by mx.exemple.org with ESMTP;"
        " Tue, 6 Dec 2022 12:49:12 +0100 id 4ABCD123",
        ("relais.exemple.com", "relais.exemple.com", "198.51.100.2", "4ABCD123", None), id="id-after-date",
    ),
]


@pytest.mark.parametrize(("value", "expected"), SHAPES)
def test_odd_shapes(value, expected):
    found = hop(value)
    assert tuple(getattr(found, name) for name in SHAPE_FIELDS) == expected


def test_local_submission_in_parentheses_stays_local():
    found = hop("(from root@localhost) by mx.exemple.org (8.14.4/8.14.4/Submit) id x2; Tue, 6 Dec 2022 12:49:12 +0100")
    assert found.relay is False and found.from_ip is None


def test_odd_shapes_fixture():
    message = fixture("odd_shapes.txt")
    assert [(h.from_helo, h.from_rdns, h.from_ip) for h in message.hops] == [
        ("[192.168.1.20]", None, "88.160.12.34"),
        ("relais.club-velo-exemple.org", "gw.club-velo-exemple.org", "212.27.48.9"),
        ("mx.club-velo-exemple.org", None, "212.27.48.4"),
    ]
    assert message.origin.ip == "88.160.12.34"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([
    "from", "(from", "x", "[1.2.3.4.5]", "(1.2.3.4,", "HELO", "LHLO", "claiming", "to", "be", '"h"', ")", "(",
    "[unknown]", "helo=[5.6.7.8]", "by", "id", "<a@b>", ";", "Tue, 6 Dec 2022 12:00:00 +0100", "with", "HTTP",
])).map(" ".join))
def test_any_arrangement_of_odd_shape_words_gives_a_hop(value):
    assert isinstance(hop(value), Hop)


# --- web submissions are logins ----------------------------------------------------------------

WEB = [
    pytest.param(
        "from 41.202.219.70 (SquirrelMail authenticated user contact@fleuriste-exemple.fr)"
        " by webmail.fleuriste-exemple.fr with HTTP; Wed, 15 Mar 2023 03:12:07 +0100",
        (None, None, "41.202.219.70", "contact@fleuriste-exemple.fr"), id="squirrelmail",
    ),
    pytest.param(
        "from 203.0.113.50 (NaSMail authenticated user bob) by webmail.exemple.com with HTTPS;"
        " Tue, 6 Dec 2022 12:49:12 +0100",
        (None, None, "203.0.113.50", "bob"), id="nasmail-https",
    ),
    pytest.param(
        "from [203.0.113.50] by webmail.exemple.com with HTTP; Tue, 6 Dec 2022 12:49:12 +0100",
        (None, None, "203.0.113.50", "HTTP"), id="literal-with-http",
    ),
    pytest.param(
        "from [203.0.113.4] by mail.exemple.com (CommuniGate Pro WebUser 6.1.7) with HTTPU id 123457;"
        " Tue, 06 Dec 2022 12:49:12 +0100",
        (None, None, "203.0.113.4", "HTTPU"), id="communigate-httpu",
    ),
    pytest.param(
        "from [203.0.113.4] (account bob@exemple.com) by mail.exemple.com (CommuniGate Pro WebUser 6.1.7)"
        " with HTTPSU id 123458; Tue, 06 Dec 2022 12:49:12 +0100",
        (None, None, "203.0.113.4", "bob@exemple.com"), id="communigate-webuser-account",
    ),
    pytest.param(
        "from host-203-0-113-7.exemple.net (host-203-0-113-7.exemple.net [203.0.113.7]) by webmail.exemple.com"
        " (Horde Framework) with HTTP; Tue, 6 Dec 2022 12:49:12 +0100",
        (None, "host-203-0-113-7.exemple.net", "203.0.113.7", "HTTP"), id="horde-name",
    ),
    pytest.param(
        "from [203.0.113.9] by web12.mail.exemple.com via HTTP; Tue, 6 Dec 2022 12:49:12 +0100",
        (None, None, "203.0.113.9", "HTTP"), id="via-http",
    ),
    pytest.param(
        "from 203.0.113.9 by mail.exemple.com (via HTTP); Tue, 6 Dec 2022 12:49:12 +0100",
        (None, None, "203.0.113.9", "HTTP"), id="via-http-comment",
    ),
    pytest.param(
        "from 192.0.2.158 ( [192.0.2.158]) as user jason@exemple.org by mail.exemple.net with HTTP;"
        " Mon, 8 Jul 2002 23:24:56 -0400",
        (None, None, "192.0.2.158", "jason@exemple.org"), id="as-user",
    ),
]


@pytest.mark.parametrize(("value", "expected"), WEB)
def test_web_submissions_are_authenticated(value, expected):
    found = hop(value)
    assert (found.from_helo, found.from_rdns, found.from_ip, found.auth) == expected
    assert found.relay is True


@pytest.mark.parametrize(
    "value",
    [
        "from AM6PR02MB1234.eurprd02.prod.outlook.com (2603:10a6:20b:45e::9) by PAXPR02MB5678.eurprd02.prod"
        ".outlook.com with HTTPS; Fri, 18 Aug 2023 11:43:02 +0000",
        "by be98a08f4b71 with HTTP id 681583040f752997ec68cff1; Fri, 02 May 2025 19:43:57 GMT",
    ],
    ids=["exchange-online-internal", "api-injection-no-client"],
)
def test_http_that_is_no_web_login(value):
    assert hop(value).auth is None


def test_webmail_fixture_origin_is_the_browser():
    message = fixture("webmail_login.txt")
    assert message.origin.ip == "41.202.219.70"
    assert message.origin.country == "CM"
    assert message.origin.authenticated_as == "contact@fleuriste-exemple.fr"


def test_a_web_login_without_a_name_gives_the_origin_but_no_mailbox():
    text = (
        "Received: from [82.64.11.23] by webmail.exemple.fr with HTTP; Tue, 6 Dec 2022 12:49:12 +0100\n"
        "From: lea@exemple.fr\nSubject: x\n"
    )
    message = analyse(parse_headers(text))
    assert message.origin.ip == "82.64.11.23"
    assert message.origin.authenticated_as is None


# --- hop dates ---------------------------------------------------------------------------------


def test_hop_dates_in_other_shapes_and_without_a_zone():
    message = fixture("hop_dates.txt")
    dates = [(h.date.isoformat(), h.date_utc_assumed, h.delay_s) for h in message.hops]
    assert dates == [
        ("2018-04-21T03:01:04+00:00", False, None),
        ("2018-04-20T23:01:06-04:00", False, 2.0),
        # No zone: read as UTC and said so; no delay (it would be a made-up four hours of skew).
        ("2018-04-20T23:01:08+00:00", True, None),
        ("2018-04-21T05:01:12+02:00", False, None),
    ]
    assert not [f for f in message.findings if f.id in ("hop-clock-skew", "date-in-future", "date-before-first-hop")]


def test_a_message_date_without_a_zone_gives_no_clock_finding():
    text = (
        "Received: from a (a [198.51.100.1]) by b with ESMTP id 1; Fri, 7 Dec 2001 11:07:40 +1100\n"
        "Date: Fri, 7 Dec 2001 07:01:03\nFrom: x@exemple.org\n"
    )
    assert not [f for f in analyse(parse_headers(text)).findings if f.id.startswith("date-")]
