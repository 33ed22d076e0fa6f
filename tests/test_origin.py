"""Where a message came from and who logged in, on header blocks modelled on real submissions."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.analysis import analyse
from tui.core.headers import parse_headers
from tui.core.model import Header, Headers

# A Postfix submission relayed through an outgoing filter that records the
# relay's address as the login (modelled on a Dutch ISP's mail, other names).
FILTERED_RELAY = """\
Received: from filter02.isp.example (filter02.isp.example [91.184.12.204])
 by mx.list.example (Postfix) with ESMTPS id 8EC615DE1B;
 Tue, 14 May 2024 09:59:16 -0700 (PDT)
Received: from relay.isp.example ([91.184.12.198] helo=smtp.isp.example)
 by filter02.isp.example with esmtp (Exim 4.96)
 (envelope-from <pieter@werkplaats.example>)
 id 1sAx5g-0002F2-96; Tue, 14 May 2024 18:31:57 +0200
X-Sender-IP: 84.29.141.16
Received: from laptop.home.invalid (016-141-29-84.dynamic.cable.example [84.29.141.16])
 (Authenticated sender: pieter.devries@isp.example)
 by smtp.isp.example (Postfix) with ESMTPA;
 Tue, 14 May 2024 18:31:28 +0200 (CEST)
From: Pieter de Vries <pieter.devries@isp.example>
To: info@klant.example
Subject: Offerte
Date: Tue, 14 May 2024 18:31:27 +0200
Message-Id: <20240514163127.8344-1-pieter.devries@isp.example>
X-Originating-IP: 91.184.12.198
Authentication-Results: isp.example; auth=pass smtp.auth=91.184.12.198@relay.isp.example
"""

# Webmail behind an outgoing filter that writes only the domain as the login.
DOMAIN_ONLY_LOGIN = """\
Received: (qmail 16147 invoked from network); 9 Jun 2025 04:05:59 -0000
Date: Mon, 09 Jun 2025 06:05:45 +0200
From: Thandi Mokoena <thandi@ontwerp.example>
To: orders@supplier.example
Message-ID: <fbfd407edbca7699@ontwerp.example>
X-Sender: thandi@ontwerp.example
X-Authenticated-Sender: thandi@ontwerp.example
X-Originating-IP: 176.9.44.173
Authentication-Results: hosting.example; auth=pass (login) smtp.auth=@ontwerp.example
Subject: Order 4411
"""


def headers_of(text: str) -> Headers:
    fields: list[Header] = []
    for line in text.splitlines():
        if line[:1] in (" ", "\t") and fields:
            fields[-1].value += " " + line.strip()
        elif ":" in line:
            name, _, value = line.partition(":")
            fields.append(Header(name, value.strip()))
    return Headers(fields=fields)


def test_relay_login_gives_way_to_the_hop_that_recorded_the_mailbox():
    message = analyse(headers_of(FILTERED_RELAY))
    assert message.origin.authenticated_as == "pieter.devries@isp.example"
    assert message.origin.ip == "84.29.141.16"
    assert message.origin.source_header == "Received"
    assert "auth-as-account" in {f.id for f in message.findings}


def test_domain_only_login_gives_way_to_the_authenticated_sender_header():
    message = analyse(headers_of(DOMAIN_ONLY_LOGIN))
    assert message.origin.authenticated_as == "thandi@ontwerp.example"
    assert message.origin.ip == "176.9.44.173"
    assert message.origin.source_header == "X-Originating-IP"


# --- the login, wherever it is written ---------------------------------------------------------

FIXTURES = Path(__file__).parent / "fixtures" / "origin"


def fixture(name: str):
    path = FIXTURES / name
    return analyse(parse_headers(path.read_text(encoding="utf-8"), str(path)))


def test_hosting_headers_name_the_mailbox_over_the_hosting_account():
    message = fixture("hosting_login_headers.txt")
    # The relay's "Authenticated sender: hebergeur-exemple" and X-AuthUser "boulang1" are account ids;
    # X-Authed-Username (base64), X-MailChannels-SenderId and X-Sender-Id name the mailbox.
    assert message.origin.authenticated_as == "compta@boulangerie-exemple.fr"
    assert message.origin.ip == "102.89.45.12"
    finding = next(f for f in message.findings if f.id == "auth-as-account")
    assert [e.header for e in finding.evidence] == [
        "X-Authed-Username", "X-MailChannels-SenderId", "X-Sender-Id", "From",
    ]


LOGIN_ONLY_IN = [
    ("X-AuthUser: lea@atelier-exemple.fr", "lea@atelier-exemple.fr"),
    ("X-Authenticated-User: Lea@Atelier-Exemple.fr", "lea@atelier-exemple.fr"),
    ("X-Authenticated-User: lea", "lea"),
    ("X-Authed-Username: bGVhQGF0ZWxpZXItZXhlbXBsZS5mcg==", "lea@atelier-exemple.fr"),
    ("X-MailChannels-SenderId: hebergeur|x-authuser|lea@atelier-exemple.fr", "lea@atelier-exemple.fr"),
    ("X-Sender-Id: hebergeur|x-authsender|lea", "lea"),
    ("X-Sender-Id: hebergeur-account-4411", "hebergeur-account-4411"),
    ("X-Authed-Username: not base64 at all!", None),
]


@pytest.mark.parametrize(("header", "login"), LOGIN_ONLY_IN)
def test_login_headers(header, login):
    text = (
        "Received: from pc (unknown [82.64.11.23]) by smtp.hebergeur.example (Postfix) with ESMTPA id 1;"
        " Tue, 6 Dec 2022 12:49:12 +0100\n" + header + "\nFrom: lea@atelier-exemple.fr\n"
    )
    assert analyse(parse_headers(text)).origin.authenticated_as == login


def test_qmail_remote_info_on_the_submission_names_the_login():
    text = (
        "Received: from dsl-82-64-11-23.exemple.net (HELO portable) (lea@atelier-exemple.fr@82.64.11.23)\n"
        "  by mail.hebergeur.example with ESMTPA; 6 Dec 2022 11:49:12 -0000\n"
        "From: lea@atelier-exemple.fr\n"
    )
    message = analyse(parse_headers(text))
    assert message.origin.authenticated_as == "lea@atelier-exemple.fr"
    assert message.origin.ip == "82.64.11.23"
    assert "auth-as-account" in {f.id for f in message.findings}


# --- X-Originating-IP: the submission's, never a forwarder's ---------------------------------


def test_a_forwarders_originating_ip_does_not_replace_the_older_received_origin():
    message = fixture("forwarded_originating_ip.txt")
    assert message.origin.ip == "90.12.34.56"
    assert message.origin.source_header == "Received"


def test_the_submissions_originating_ip_is_the_origin():
    text = (
        "Received: from webmail.exemple.fr (webmail.exemple.fr [10.0.0.8]) by mx.exemple.org (Postfix)"
        " with ESMTP id 1; Tue, 6 Dec 2022 12:49:12 +0100\n"
        "From: lea@atelier-exemple.fr\nX-Originating-IP: [82.64.11.23]\n"
    )
    message = analyse(parse_headers(text))
    assert (message.origin.ip, message.origin.source_header) == ("82.64.11.23", "X-Originating-IP")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_login_headers_never_raise(value):
    text = "".join(f"{name}: {value}\n" for name in (
        "X-AuthUser", "X-Authed-Username", "X-MailChannels-SenderId", "X-Sender-Id", "X-Authenticated-User",
    )).replace("\r", " ")
    analyse(parse_headers(text))
