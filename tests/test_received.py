"""Received headers into Hops: every server family's format, OVH's own hops, ordering and hostile input."""

from __future__ import annotations

import email
from datetime import datetime, timedelta, timezone
from email import policy
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.ipaddr import normalise_ip
from tui.core.results import Hop
from tui.core.received import MAX_PARSED, order_hops, parse_received

FIXTURES = Path(__file__).parent / "fixtures" / "received"
SHARED = Path(__file__).resolve().parents[2] / "shared"

FIELDS = (
    "relay", "from_helo", "from_rdns", "from_ip", "ident", "by", "via", "with_", "id",
    "for_", "envelope_from", "tls", "auth", "mta", "may_be_forged",
)  # fmt: skip
DEFAULTS = {name: None for name in FIELDS} | {"relay": True, "may_be_forged": False}


def fields(hop: Hop) -> dict:
    return {name: getattr(hop, name) for name in FIELDS}


def expect(**given) -> dict:
    unknown = set(given) - set(FIELDS)
    assert not unknown, unknown
    return DEFAULTS | given


def tz(hours: float) -> timezone:
    return timezone(timedelta(hours=hours))


def received_values(path: Path) -> list[str]:
    """The Received values of a header fixture, unfolded, top to bottom."""
    message = email.message_from_bytes(path.read_bytes(), policy=policy.compat32)
    return [" ".join(str(value).split()) for value in message.get_all("Received") or []]


CASES = [
    pytest.param(
        "from atelier-exemple.fr (abo-82-64-11-23.fbx.example.net [82.64.11.23])"
        " (Authenticated sender: lea@atelier-exemple.fr) by player712.ha.ovh.net (Postfix)"
        " with ESMTPSA id 77A2B14970011; Mon, 27 Jul 2020 09:38:33 +0000 (UTC)",
        expect(
            from_helo="atelier-exemple.fr", from_rdns="abo-82-64-11-23.fbx.example.net", from_ip="82.64.11.23",
            by="player712.ha.ovh.net", with_="ESMTPSA", id="77A2B14970011", tls="TLS (ESMTPSA)",
            auth="lea@atelier-exemple.fr", mta="postfix",
        ),
        datetime(2020, 7, 27, 9, 38, 33, tzinfo=timezone.utc),
        id="postfix-authenticated-sender",
    ),
    pytest.param(
        "from vps-guest (unknown [198.51.100.205]) (Authenticated sender: comptoir)"
        " by auth2.hebergeur-exemple.com.br (Postfix) with ESMTPSA id 665951815B3"
        " for <victime@exemple.org>; Tue, 19 Nov 2024 18:17:17 -0300 (-03)",
        expect(
            from_helo="vps-guest", from_ip="198.51.100.205", by="auth2.hebergeur-exemple.com.br",
            with_="ESMTPSA", id="665951815B3", for_="victime@exemple.org", tls="TLS (ESMTPSA)",
            auth="comptoir", mta="postfix",
        ),
        datetime(2024, 11, 19, 18, 17, 17, tzinfo=tz(-3)),
        id="postfix-unknown-rdns-login-name",
    ),
    pytest.param(
        "from mx.expediteur-exemple.com (mx-out4.expediteur-exemple.com [198.51.100.8])"
        " (using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519"
        " server-signature RSA-PSS (4096 bits) server-digest SHA256) (No client certificate requested)"
        " by mailin022.boite-exemple.ch (Postfix) with ESMTPS id 4SPn3560xYz7QQ5V"
        " for <abc@boite-exemple.ch>; Tue, 7 Nov 2023 12:05:05 +0000 (UTC)",
        expect(
            from_helo="mx.expediteur-exemple.com", from_rdns="mx-out4.expediteur-exemple.com",
            from_ip="198.51.100.8", by="mailin022.boite-exemple.ch", with_="ESMTPS", id="4SPn3560xYz7QQ5V",
            for_="abc@boite-exemple.ch", tls="TLSv1.3 TLS_AES_256_GCM_SHA384", mta="postfix",
        ),
        datetime(2023, 11, 7, 12, 5, 5, tzinfo=timezone.utc),
        id="postfix-tls-comment",
    ),
    pytest.param(
        "by www.boutique-exemple.fr (Postfix, from userid 33) id 4F1A2B3C4D;"
        " Tue,  6 Dec 2022 12:49:12 +0100 (CET)",
        expect(relay=False, by="www.boutique-exemple.fr", id="4F1A2B3C4D", mta="postfix"),
        datetime(2022, 12, 6, 12, 49, 12, tzinfo=tz(1)),
        id="postfix-local-pickup",
    ),
    pytest.param(
        "from localhost (localhost [127.0.0.1]) by mail.cabinet-exemple.fr (Postfix) with ESMTP"
        " id 92E44214638 for <x@exemple.org>; Fri, 6 Oct 2023 17:39:13 -0300 (BRT)",
        expect(
            relay=False, from_helo="localhost", from_rdns="localhost", from_ip="127.0.0.1",
            by="mail.cabinet-exemple.fr", with_="ESMTP", id="92E44214638", for_="x@exemple.org", mta="postfix",
        ),
        datetime(2023, 10, 6, 17, 39, 13, tzinfo=tz(-3)),
        id="postfix-localhost",
    ),
    pytest.param(
        "from relay.liste-exemple.org (relay.liste-exemple.org [IPv6:2001:db8:e000::1:20])"
        " by mail.archive-exemple.de (Postfix) with ESMTP id B2B3E64426A"
        " for <lists+dev@archive-exemple.de>; Tue, 6 Dec 2022 12:49:12 +0100 (CET)",
        expect(
            from_helo="relay.liste-exemple.org", from_rdns="relay.liste-exemple.org", from_ip="2001:db8:e000::1:20",
            by="mail.archive-exemple.de", with_="ESMTP", id="B2B3E64426A", for_="lists+dev@archive-exemple.de",
            mta="postfix",
        ),
        datetime(2022, 12, 6, 12, 49, 12, tzinfo=tz(1)),
        id="postfix-ipv6-tag",
    ),
    pytest.param(
        "from poste.exemple.net ([::ffff:203.0.113.7]) by mx.exemple.org (Postfix) with ESMTP id 1A2B3C;"
        " Tue, 6 Dec 2022 12:49:12 +0100",
        expect(
            from_helo="poste.exemple.net", from_ip="203.0.113.7", by="mx.exemple.org", with_="ESMTP",
            id="1A2B3C", mta="postfix",
        ),
        datetime(2022, 12, 6, 12, 49, 12, tzinfo=tz(1)),
        id="ipv4-mapped",
    ),
    pytest.param(
        "from mxplan6.mail.ovh.net (unknown [10.109.156.171]) by mo548.mail-out.ovh.net (Postfix)"
        " with ESMTPS id 7FCA82ED3C; Tue, 6 Dec 2022 11:43:52 +0000 (UTC)",
        expect(
            from_helo="mxplan6.mail.ovh.net", from_ip="10.109.156.171", by="mo548.mail-out.ovh.net",
            with_="ESMTPS", id="7FCA82ED3C", tls="TLS (ESMTPS)", mta="postfix",
        ),
        datetime(2022, 12, 6, 11, 43, 52, tzinfo=timezone.utc),
        id="ovh-mxplan-to-mail-out",
    ),
    pytest.param(
        "from ghost-submission-5b5ff79f4f-q2xkz (unknown [10.109.156.44]) by director3.ghost.mail-out.ovh.net"
        " (Postfix) with ESMTPS id 1F2E3D4C5B for <client@relais-exemple.com>;"
        " Wed, 30 Aug 2023 07:02:56 +0000 (UTC)",
        expect(
            from_helo="ghost-submission-5b5ff79f4f-q2xkz", from_ip="10.109.156.44",
            by="director3.ghost.mail-out.ovh.net", with_="ESMTPS", id="1F2E3D4C5B",
            for_="client@relais-exemple.com", tls="TLS (ESMTPS)", mta="postfix",
        ),
        datetime(2023, 8, 30, 7, 2, 56, tzinfo=timezone.utc),
        id="ovh-ghost-submission-to-director",
    ),
    pytest.param(
        "from boutique-exemple.fr ([37.59.142.99]) by ghost-submission-5b5ff79f4f-q2xkz with ESMTPSA"
        " id 7Q9mB2Hk8mQBDgAAx1y2zw (envelope-from <promo@marque-lointaine.example>)"
        " for <client@relais-exemple.com>; Wed, 30 Aug 2023 07:02:56 +0000",
        expect(
            from_helo="boutique-exemple.fr", from_ip="37.59.142.99", by="ghost-submission-5b5ff79f4f-q2xkz",
            with_="ESMTPSA", id="7Q9mB2Hk8mQBDgAAx1y2zw", for_="client@relais-exemple.com",
            envelope_from="promo@marque-lointaine.example", tls="TLS (ESMTPSA)", auth="ESMTPSA", mta="dovecot",
        ),
        datetime(2023, 8, 30, 7, 2, 56, tzinfo=timezone.utc),
        id="ovh-ghost-submission-dovecot",
    ),
    pytest.param(
        "from cabinet-exemple.fr (37.59.142.103) by DAG3EX1.mxp6.local (172.16.2.21) with Microsoft SMTP"
        " Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256) id 15.1.2507.16;"
        " Tue, 6 Dec 2022 12:43:51 +0100",
        expect(
            from_helo="cabinet-exemple.fr", from_ip="37.59.142.103", by="DAG3EX1.mxp6.local",
            with_="Microsoft SMTP Server", id="15.1.2507.16", tls="TLSv1.2 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            mta="exchange",
        ),
        datetime(2022, 12, 6, 12, 43, 51, tzinfo=tz(1)),
        id="ovh-mxplan-exchange-version-is-not-ip",
    ),
    pytest.param(
        "from DAG4EX2.mxp5.local (172.16.2.32) by DAG4EX2.mxp5.local (172.16.2.32) with Microsoft SMTP Server"
        " (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.1.2507.16 via Frontend"
        " Transport; Tue, 6 Dec 2022 12:43:51 +0100",
        expect(
            from_helo="DAG4EX2.mxp5.local", from_ip="172.16.2.32", by="DAG4EX2.mxp5.local",
            via="Frontend Transport", with_="Microsoft SMTP Server", id="15.1.2507.16",
            tls="TLSv1.2 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", mta="exchange",
        ),
        datetime(2022, 12, 6, 12, 43, 51, tzinfo=tz(1)),
        id="exchange-frontend-transport",
    ),
    pytest.param(
        "from AM6PR02MB1234.eurprd02.prod.outlook.com (2603:10a6:20b:45e::9) by PAXPR02MB5678.eurprd02.prod"
        ".outlook.com with HTTPS; Fri, 18 Aug 2023 11:43:02 +0000",
        expect(
            from_helo="AM6PR02MB1234.eurprd02.prod.outlook.com", from_ip="2603:10a6:20b:45e::9",
            by="PAXPR02MB5678.eurprd02.prod.outlook.com", with_="HTTPS", tls="TLS (HTTPS)", mta="exchange",
        ),
        datetime(2023, 8, 18, 11, 43, 2, tzinfo=timezone.utc),
        id="exchange-online-https",
    ),
    pytest.param(
        "from AM0PR02MB9999.eurprd02.prod.outlook.com ([fe80::671b:97b4:b1b8:7475]) by"
        " AM0PR02MB9999.eurprd02.prod.outlook.com ([fe80::671b:97b4:b1b8:7475%5]) with mapi"
        " id 15.20.6134.026; Sun, 26 Feb 2023 07:03:06 +0000",
        expect(
            from_helo="AM0PR02MB9999.eurprd02.prod.outlook.com", from_ip="fe80::671b:97b4:b1b8:7475",
            by="AM0PR02MB9999.eurprd02.prod.outlook.com", with_="mapi", id="15.20.6134.026", mta="exchange",
        ),
        datetime(2023, 2, 26, 7, 3, 6, tzinfo=timezone.utc),
        id="exchange-mapi-link-local",
    ),
    pytest.param(
        "from [203.0.113.7] (port=51234 helo=portable.maison-exemple.net) by mail.exemple.org with esmtpsa"
        " (TLS1.3) tls TLS_AES_256_GCM_SHA384 (Exim 4.96) (envelope-from <anna@exemple.org>)"
        " id 1rSuVa-000ABC-Qr for bob@exemple.com; Mon, 04 Mar 2024 10:15:31 +0100",
        expect(
            from_helo="portable.maison-exemple.net", from_ip="203.0.113.7", by="mail.exemple.org",
            with_="esmtpsa", id="1rSuVa-000ABC-Qr", for_="bob@exemple.com", envelope_from="anna@exemple.org",
            tls="TLSv1.3 TLS_AES_256_GCM_SHA384", auth="ESMTPSA", mta="exim",
        ),
        datetime(2024, 3, 4, 10, 15, 31, tzinfo=tz(1)),
        id="exim-ip-port-helo",
    ),
    pytest.param(
        "from cpe-5-6-7-8.fai-exemple.net ([198.51.100.23]:40112 helo=[192.168.1.20]) by serveur.exemple.org"
        " with esmtpa (Exim 4.95) (envelope-from <paul@exemple.org>) id 1rSuVb-000DEF-Ab;"
        " Mon, 04 Mar 2024 10:15:31 +0100",
        expect(
            from_helo="[192.168.1.20]", from_rdns="cpe-5-6-7-8.fai-exemple.net", from_ip="198.51.100.23",
            by="serveur.exemple.org", with_="esmtpa", id="1rSuVb-000DEF-Ab", envelope_from="paul@exemple.org",
            auth="ESMTPA", mta="exim",
        ),
        datetime(2024, 3, 4, 10, 15, 31, tzinfo=tz(1)),
        id="exim-rdns-port-helo-literal",
    ),
    pytest.param(
        "from smtp2.expediteur-exemple.com ([198.51.100.213]:59716) by mx4.destinataire-exemple.it with esmtp"
        " (envelope-from <noreply@expediteur-exemple.com>) id 1dWJDl-00035d-BU for m@destinataire-exemple.it;"
        " Sat, 15 Jul 2017 12:18:41 +0300",
        expect(
            from_helo="smtp2.expediteur-exemple.com", from_rdns="smtp2.expediteur-exemple.com",
            from_ip="198.51.100.213", by="mx4.destinataire-exemple.it", with_="esmtp", id="1dWJDl-00035d-BU",
            for_="m@destinataire-exemple.it", envelope_from="noreply@expediteur-exemple.com", mta="exim",
        ),
        datetime(2017, 7, 15, 12, 18, 41, tzinfo=tz(3)),
        id="exim-hidden-version-known-by-id",
    ),
    pytest.param(
        "from marc by poste.exemple.net with local (Exim 4.96) id 192LJf-0005O7-00 for <ami@exemple.com>;"
        " Sun, 06 Apr 2003 21:20:55 -0400",
        expect(
            relay=False, ident="marc", by="poste.exemple.net", with_="local", id="192LJf-0005O7-00",
            for_="ami@exemple.com", mta="exim",
        ),
        datetime(2003, 4, 6, 21, 20, 55, tzinfo=tz(-4)),
        id="exim-local-submission",
    ),
    pytest.param(
        "from pc.exemple.net (client.fai-exemple.net [198.51.100.1] (may be forged)) by mx.exemple.org"
        " (8.15.2/8.15.2) with ESMTP id 4BQ3x1Ab012345; Tue, 6 Dec 2022 12:49:12 +0100",
        expect(
            from_helo="pc.exemple.net", from_rdns="client.fai-exemple.net", from_ip="198.51.100.1",
            by="mx.exemple.org", with_="ESMTP", id="4BQ3x1Ab012345", mta="sendmail", may_be_forged=True,
        ),
        datetime(2022, 12, 6, 12, 49, 12, tzinfo=tz(1)),
        id="sendmail-may-be-forged",
    ),
    pytest.param(
        "from helo.exemple.net (alice@hote.fai-exemple.net [198.51.100.2]) by mx.exemple.org (8.14.7/8.14.7)"
        " with ESMTP id x2B6Bn1; Tue, 6 Dec 2022 12:49:12 +0100",
        expect(
            from_helo="helo.exemple.net", from_rdns="hote.fai-exemple.net", from_ip="198.51.100.2", ident="alice",
            by="mx.exemple.org", with_="ESMTP", id="x2B6Bn1", mta="sendmail",
        ),
        datetime(2022, 12, 6, 12, 49, 12, tzinfo=tz(1)),
        id="sendmail-ident",
    ),
    pytest.param(
        "from poste.exemple.net (poste.exemple.net [198.51.100.11]) (authenticated bits=0) by mx.exemple.org"
        " (8.15.2/8.15.2) with ESMTPSA id 2B6Bn1 (version=TLSv1.2 cipher=ECDHE-RSA-AES256-GCM-SHA384"
        " bits=256 verify=NOT); Tue, 6 Dec 2022 12:49:12 +0100",
        expect(
            from_helo="poste.exemple.net", from_rdns="poste.exemple.net", from_ip="198.51.100.11",
            by="mx.exemple.org", with_="ESMTPSA", id="2B6Bn1", tls="TLSv1.2 ECDHE-RSA-AES256-GCM-SHA384",
            auth="ESMTPSA", mta="sendmail",
        ),
        datetime(2022, 12, 6, 12, 49, 12, tzinfo=tz(1)),
        id="sendmail-authenticated",
    ),
    pytest.param(
        "from localhost (localhost) by antivirus.exemple.ca (8.13.6/8.12.1) id k9JMDbg4005560;"
        " Fri, 20 Oct 2006 04:28:33 -0400 (EDT)",
        expect(
            from_helo="localhost", from_rdns="localhost", by="antivirus.exemple.ca", id="k9JMDbg4005560",
            mta="sendmail",
        ),
        datetime(2006, 10, 20, 4, 28, 33, tzinfo=tz(-4)),
        id="sendmail-no-address",
    ),
    pytest.param(
        "from unknown (HELO mail.expediteur-exemple.com) (198.51.100.3) by mx.exemple.org with SMTP;"
        " 6 Dec 2022 11:49:12 -0000",
        expect(
            from_helo="mail.expediteur-exemple.com", from_ip="198.51.100.3", by="mx.exemple.org", with_="SMTP",
            mta="qmail",
        ),
        datetime(2022, 12, 6, 11, 49, 12, tzinfo=timezone.utc),
        id="qmail-unknown-helo",
    ),
    pytest.param(
        "from relais0207.hebergeur-exemple.com (HELO relais.hebergeur-exemple.com) (198.51.100.207)"
        " by smtp.exemple.net with SMTP; 22 Aug 2016 14:23:01 -0000",
        expect(
            from_helo="relais.hebergeur-exemple.com", from_rdns="relais0207.hebergeur-exemple.com",
            from_ip="198.51.100.207", by="smtp.exemple.net", with_="SMTP", mta="qmail",
        ),
        datetime(2016, 8, 22, 14, 23, 1, tzinfo=timezone.utc),
        id="qmail-rdns-helo",
    ),
    pytest.param(
        "(qmail 1234 invoked by uid 89); 6 Dec 2022 11:49:12 -0000",
        expect(relay=False, mta="qmail"),
        datetime(2022, 12, 6, 11, 49, 12, tzinfo=timezone.utc),
        id="qmail-invoked-by-uid",
    ),
    pytest.param(
        "(qmail 11769 invoked from network); 22 Aug 2016 14:23:01 -0000",
        expect(mta="qmail"),
        datetime(2016, 8, 22, 14, 23, 1, tzinfo=timezone.utc),
        id="qmail-invoked-from-network",
    ),
    pytest.param(
        "from mail-sor-f41.google.com (mail-sor-f41.google.com. [209.85.220.41]) by mx.google.com with SMTPS"
        " id a640c23a62f3a-a44e6c1e4b0sor1234567a91.23.2024.03.04.01.15.31 for <x@exemple.org>"
        " (Google Transport Security); Mon, 04 Mar 2024 01:15:31 -0800 (PST)",
        expect(
            from_helo="mail-sor-f41.google.com", from_rdns="mail-sor-f41.google.com", from_ip="209.85.220.41",
            by="mx.google.com", with_="SMTPS", id="a640c23a62f3a-a44e6c1e4b0sor1234567a91.23.2024.03.04.01.15.31",
            for_="x@exemple.org", tls="TLS (SMTPS)", mta="gmail",
        ),
        datetime(2024, 3, 4, 1, 15, 31, tzinfo=tz(-8)),
        id="gmail-mx",
    ),
    pytest.param(
        "by 2002:a05:6a20:9f4e:b0:1a0:7e12:3456 with SMTP id ll14csp1234567pzb;"
        " Mon, 4 Mar 2024 01:15:32 -0800 (PST)",
        expect(
            relay=False, by="2002:a05:6a20:9f4e:b0:1a0:7e12:3456", with_="SMTP", id="ll14csp1234567pzb", mta="gmail"
        ),
        datetime(2024, 3, 4, 1, 15, 32, tzinfo=tz(-8)),
        id="gmail-internal",
    ),
    pytest.param(
        "from [192.168.1.10] ([198.51.100.6]) by smtp.gmail.com with ESMTPSA id"
        " a1-20020a05600c000100b0040000sm1234567wmq.1.2024.03.04.01.15.31 for <x@exemple.org>"
        " (version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256); Mon, 04 Mar 2024 01:15:31 -0800 (PST)",
        expect(
            from_helo="[192.168.1.10]", from_ip="198.51.100.6", by="smtp.gmail.com", with_="ESMTPSA",
            id="a1-20020a05600c000100b0040000sm1234567wmq.1.2024.03.04.01.15.31", for_="x@exemple.org",
            tls="TLSv1.3 TLS_AES_256_GCM_SHA384", auth="ESMTPSA", mta="gmail",
        ),
        datetime(2024, 3, 4, 1, 15, 31, tzinfo=tz(-8)),
        id="gmail-submission-literal-helo",
    ),
    pytest.param(
        "from mail.exemple.org ([198.51.100.5]) by domino.exemple.org (Lotus Domino Release 8.5.3FP6)"
        " with ESMTP id 2022120612491234-5678 ; Tue, 6 Dec 2022 12:49:12 +0100",
        expect(
            from_helo="mail.exemple.org", from_ip="198.51.100.5", by="domino.exemple.org", with_="ESMTP",
            id="2022120612491234-5678", mta="domino",
        ),
        datetime(2022, 12, 6, 12, 49, 12, tzinfo=tz(1)),
        id="domino",
    ),
    pytest.param(
        "from [198.51.100.4] (HELO poste-compta) by mail.exemple.org (CommuniGate Pro SMTP 6.3.2)"
        " with ESMTPA id 123456 for a@exemple.org; Tue, 06 Dec 2022 12:49:12 +0100",
        expect(
            from_helo="poste-compta", from_ip="198.51.100.4", by="mail.exemple.org", with_="ESMTPA", id="123456",
            for_="a@exemple.org", auth="ESMTPA", mta="communigate",
        ),
        datetime(2022, 12, 6, 12, 49, 12, tzinfo=tz(1)),
        id="communigate",
    ),
    pytest.param(
        "(majordomo@liste-exemple.org) by liste-exemple.org via listexpand id S234554AbiLFLtM"
        " (ORCPT <rfc822;lists+dev@archive-exemple.de>); Tue, 6 Dec 2022 06:49:12 -0500",
        expect(relay=False, by="liste-exemple.org", via="listexpand", id="S234554AbiLFLtM", mta="zmailer"),
        datetime(2022, 12, 6, 6, 49, 12, tzinfo=tz(-5)),
        id="list-expansion",
    ),
    pytest.param(
        'from gw.liste-exemple.org ([23.128.96.19]:45968 "EHLO gw.liste-exemple.org"'
        " rhost-flags-OK-OK-OK-OK) by liste-exemple.org with ESMTP id S234407AbiLFLtL"
        " (ORCPT <rfc822;dev@liste-exemple.org>); Tue, 6 Dec 2022 06:49:11 -0500",
        expect(
            from_helo="gw.liste-exemple.org", from_rdns="gw.liste-exemple.org", from_ip="23.128.96.19",
            by="liste-exemple.org", with_="ESMTP", id="S234407AbiLFLtL", mta="zmailer",
        ),
        datetime(2022, 12, 6, 6, 49, 11, tzinfo=tz(-5)),
        id="zmailer-ehlo-port",
    ),
    pytest.param(
        "from poste (poste [198.51.100.9]) (AUTH: LOGIN paul@exemple.org, TLS: TLSv1/SSLv3,256bits,AES256-SHA)"
        " by mail.exemple.org with ESMTPA; Tue, 6 Dec 2022 12:49:12 +0100",
        expect(
            from_helo="poste", from_rdns="poste", from_ip="198.51.100.9", by="mail.exemple.org", with_="ESMTPA",
            tls="TLSv1/SSLv3 AES256-SHA", auth="paul@exemple.org",
        ),
        datetime(2022, 12, 6, 12, 49, 12, tzinfo=tz(1)),
        id="courier-auth-and-tls",
    ),
    pytest.param(
        "from portable (unknown [198.51.100.10]) by mail.exemple.org (OpenSMTPD) with ESMTPSA id 3f8b4c2a"
        " (TLSv1.3:AEAD-AES256-GCM-SHA384:256:NO) auth=yes user=paul for <x@exemple.com>;"
        " Tue, 6 Dec 2022 12:49:12 +0100",
        expect(
            from_helo="portable", from_ip="198.51.100.10", by="mail.exemple.org", with_="ESMTPSA", id="3f8b4c2a",
            for_="x@exemple.com", tls="TLSv1.3 AEAD-AES256-GCM-SHA384", auth="paul", mta="opensmtpd",
        ),
        datetime(2022, 12, 6, 12, 49, 12, tzinfo=tz(1)),
        id="opensmtpd-auth-user",
    ),
    pytest.param(
        "from 198.51.100.9 (SquirrelMail authenticated user compta@exemple.fr) by webmail.exemple.fr"
        " with HTTP; Tue, 6 Dec 2022 12:49:12 +0100",
        expect(
            from_ip="198.51.100.9", by="webmail.exemple.fr", with_="HTTP",
            auth="compta@exemple.fr",
        ),
        datetime(2022, 12, 6, 12, 49, 12, tzinfo=tz(1)),
        id="webmail-authenticated-user",
    ),
    pytest.param(
        "from poste (poste.exemple.fr [198.51.100.9]) (authenticated as compta@exemple.fr)"
        " by mail.exemple.fr with ESMTPA; Tue, 6 Dec 2022 12:49:12 +0100",
        expect(
            from_helo="poste", from_rdns="poste.exemple.fr", from_ip="198.51.100.9", by="mail.exemple.fr",
            with_="ESMTPA", auth="compta@exemple.fr",
        ),
        datetime(2022, 12, 6, 12, 49, 12, tzinfo=tz(1)),
        id="authenticated-as",
    ),
    pytest.param(
        "from [192.168.1.10] ([198.51.100.30]) (authenticated user compta@exemple.fr) by mail.exemple.fr"
        " (Kerio Connect 9.2.1) for client@exemple.com; Tue, 6 Dec 2022 12:49:12 +0100",
        expect(
            from_helo="[192.168.1.10]", from_ip="198.51.100.30", by="mail.exemple.fr", for_="client@exemple.com",
            auth="compta@exemple.fr", mta="kerio",
        ),
        datetime(2022, 12, 6, 12, 49, 12, tzinfo=tz(1)),
        id="kerio-authenticated-user",
    ),
    pytest.param(
        "from [192.168.1.5] by mail.exemple.fr (MDaemon PRO v11.0.3) with ESMTP id md50001234567.msg"
        " for <x@exemple.fr>; Tue, 06 Dec 2022 12:49:12 +0100",
        expect(
            from_helo="[192.168.1.5]", from_ip="192.168.1.5", by="mail.exemple.fr", with_="ESMTP",
            id="md50001234567.msg", for_="x@exemple.fr", mta="mdaemon",
        ),
        datetime(2022, 12, 6, 12, 49, 12, tzinfo=tz(1)),
        id="mdaemon-literal-only",
    ),
    pytest.param(
        "from [198.51.100.9] by web12.mail.exemple.com via HTTP; Tue, 6 Dec 2022 12:49:12 +0100",
        expect(from_ip="198.51.100.9", by="web12.mail.exemple.com", via="HTTP", auth="HTTP"),
        datetime(2022, 12, 6, 12, 49, 12, tzinfo=tz(1)),
        id="webmail-via-http",
    ),
    pytest.param(
        "from relais.exemple.com (10.32.64.74) by smtp4.exemple.com id h7jvra2oqm4p for <x@exemple.org>;"
        " Tue, 19 Nov 2024 18:14:23 -0300 (envelope-from <bounce-1a2b@envoi-exemple.com>)",
        expect(
            from_helo="relais.exemple.com", from_rdns="relais.exemple.com", from_ip="10.32.64.74",
            by="smtp4.exemple.com", id="h7jvra2oqm4p",
            for_="x@exemple.org", envelope_from="bounce-1a2b@envoi-exemple.com",
        ),
        datetime(2024, 11, 19, 18, 14, 23, tzinfo=tz(-3)),
        id="envelope-from-after-date",
    ),
    pytest.param(
        "from pop.fai-exemple.com [198.51.100.101] by localhost with POP3 (fetchmail-6.2.1)"
        " for moi@localhost (single-drop); Sun, 06 Apr 2003 21:21:25 -0400 (EDT)",
        expect(
            relay=False, from_helo="pop.fai-exemple.com", from_ip="198.51.100.101", by="localhost", with_="POP3",
            for_="moi@localhost", mta="fetchmail",
        ),
        datetime(2003, 4, 6, 21, 21, 25, tzinfo=tz(-4)),
        id="fetchmail-bare-bracket",
    ),
    pytest.param(
        "by recvd-6ffc777996-pbtp7 with SMTP id recvd-6ffc777996-pbtp7-1-6874780D-35"
        " 2025-07-14 03:22:53.758267078 +0000 UTC m=+3408746.871580580",
        expect(relay=False, by="recvd-6ffc777996-pbtp7", with_="SMTP", id="recvd-6ffc777996-pbtp7-1-6874780D-35"),
        datetime(2025, 7, 14, 3, 22, 53, 758267, tzinfo=timezone.utc),
        id="no-semicolon-iso-date",
    ),
    pytest.param(
        "from  poste \t (hote.exemple\n [198.51.100.12])  by mx.exemple ;  Tue, 6 Dec\n 2022 12:49:12 +0100",
        expect(from_helo="poste", from_rdns="hote.exemple", from_ip="198.51.100.12", by="mx.exemple"),
        datetime(2022, 12, 6, 12, 49, 12, tzinfo=tz(1)),
        id="not-unfolded",
    ),
    pytest.param(
        "from mail pickup service by mail.exemple.com with Microsoft SMTPSVC; Tue, 16 Mar 2004 18:12:31 -0800",
        expect(relay=False, by="mail.exemple.com", with_="Microsoft SMTPSVC", mta="exchange"),
        datetime(2004, 3, 16, 18, 12, 31, tzinfo=tz(-8)),
        id="exchange-pickup-directory",
    ),
    pytest.param(
        "from PORTABLE ( 198.51.100.162) by mail.exemple.com (Scalix SMTP Relay 10.0.1.3) via ESMTP;"
        " Fri, 23 Jun 2006 16:39:47 -0500 (CDT)",
        expect(from_helo="PORTABLE", from_ip="198.51.100.162", by="mail.exemple.com", via="ESMTP", mta="scalix"),
        datetime(2006, 6, 23, 16, 39, 47, tzinfo=tz(-5)),
        id="scalix-blank-before-address",
    ),
    pytest.param(
        "from [192.168.1.137] ([198.51.100.170]) by mail.hebergeur.example (12.3.0 build 2 x64) with ASMTP (SSL)"
        " id 01202306051057438085; Mon, 05 Jun 2023 10:57:43 +0200",
        expect(
            from_helo="[192.168.1.137]", from_ip="198.51.100.170", by="mail.hebergeur.example", with_="ASMTP",
            id="01202306051057438085", auth="ASMTP",
        ),
        datetime(2023, 6, 5, 10, 57, 43, tzinfo=tz(2)),
        id="icewarp-asmtp",
    ),
    pytest.param(
        "from portable.interne.exemple.net (HELO portable.interne.exemple.net) (10.0.0.7)"
        " (smtp-auth username camille, mechanism cram-md5) by exemple.net (qpsmtpd/0.32) with ESMTP;"
        " Sun, 15 Jun 2008 16:48:42 -0400",
        expect(
            from_helo="portable.interne.exemple.net", from_rdns="portable.interne.exemple.net", from_ip="10.0.0.7",
            by="exemple.net", with_="ESMTP", auth="camille", mta="qmail",
        ),
        datetime(2008, 6, 15, 16, 48, 42, tzinfo=tz(-4)),
        id="qpsmtpd-smtp-auth",
    ),
    pytest.param(
        "from unknown (HELO poste.exemple.net) (client@exemple.net@198.51.100.67) by mail.hebergeur.example"
        " with (DHE-RSA-AES256-SHA encrypted) ESMTPSA; 28 Jan 2013 21:50:51 +0100",
        expect(
            from_helo="poste.exemple.net", from_ip="198.51.100.67", ident="client@exemple.net",
            by="mail.hebergeur.example", with_="ESMTPSA", tls="DHE-RSA-AES256-SHA", auth="ESMTPSA", mta="qmail",
        ),
        datetime(2013, 1, 28, 21, 50, 51, tzinfo=tz(1)),
        id="qmail-tls-patch-comment-first",
    ),
    pytest.param(
        "from poste.interne.exemple.net (HELO poste.interne.exemple.net) (10.0.0.2) by exemple.net"
        " (qpsmtpd/0.94) with (TLS_AES_256_GCM_SHA384 encrypted) ESMTPS; Wed, 30 Sep 2026 18:39:08 -0400",
        expect(
            from_helo="poste.interne.exemple.net", from_rdns="poste.interne.exemple.net", from_ip="10.0.0.2",
            by="exemple.net", with_="ESMTPS", tls="TLS_AES_256_GCM_SHA384", mta="qmail",
        ),
        datetime(2026, 9, 30, 18, 39, 8, tzinfo=tz(-4)),
        id="qpsmtpd-encrypted",
    ),
    pytest.param(
        "from Debian-exim by relais.exemple.org with spam-scanned (Exim 4.71) (envelope-from <a@exemple.net>)"
        " id 1iD1Xx-0005iK-MV for liste@exemple.org; Wed, 25 Sep 2019 03:17:11 -0400",
        expect(
            relay=False, ident="Debian-exim", by="relais.exemple.org", with_="spam-scanned", id="1iD1Xx-0005iK-MV",
            for_="liste@exemple.org", envelope_from="a@exemple.net", mta="exim",
        ),
        datetime(2019, 9, 25, 3, 17, 11, tzinfo=tz(-4)),
        id="exim-login-reinjection",
    ),
    pytest.param(
        "from drhqmail201.exemple.com (10.126.190.180) by mail.exemple.com (10.127.129.6) with Microsoft SMTP"
        " Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.2.1544.4;"
        " Thu, 19 Jun 2025 04:56:00 -0700",
        expect(
            from_helo="drhqmail201.exemple.com", from_ip="10.126.190.180", by="mail.exemple.com",
            with_="Microsoft SMTP Server", id="15.2.1544.4", tls="TLSv1.2 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            mta="exchange",
        ),
        datetime(2025, 6, 19, 4, 56, tzinfo=tz(-7)),
        id="exchange-host-named-qmail",
    ),
    pytest.param(
        "from localhost (<unknown> [192.168.5.2]) by poste (OpenSMTPD) with ESMTPSA id e858df75"
        " (TLSv1.3:TLS_AES_256_GCM_SHA384:256:NO); Mon, 12 Feb 2024 10:09:06 +0100 (CET)",
        expect(
            from_helo="localhost", from_ip="192.168.5.2", by="poste", with_="ESMTPSA", id="e858df75",
            tls="TLSv1.3 TLS_AES_256_GCM_SHA384", auth="ESMTPSA", mta="opensmtpd",
        ),
        datetime(2024, 2, 12, 10, 9, 6, tzinfo=tz(1)),
        id="opensmtpd-unknown-name",
    ),
    pytest.param(
        "from passerelle.exemple.co.uk (unverified [203.0.113.77]) by filtre.exemple.co.uk"
        " (Clearswift SMTPRS 5.1.7) with ESMTP id <T7892@filtre.exemple.co.uk> for <x@exemple.org>;"
        " Tue, 30 May 2006 15:56:15 +0100",
        expect(
            from_helo="passerelle.exemple.co.uk", from_ip="203.0.113.77", by="filtre.exemple.co.uk", with_="ESMTP",
            id="T7892@filtre.exemple.co.uk", for_="x@exemple.org",
        ),
        datetime(2006, 5, 30, 15, 56, 15, tzinfo=tz(1)),
        id="clearswift-unverified",
    ),
    pytest.param(
        "from [10.10.10.3] (198.51.100.236 [198.51.100.236]) by mx.zoho.example with SMTPS"
        " id 1675512766438793.461234528659; Sat, 4 Feb 2023 04:12:46 -0800 (PST)",
        expect(
            from_helo="[10.10.10.3]", from_ip="198.51.100.236", by="mx.zoho.example", with_="SMTPS",
            id="1675512766438793.461234528659", tls="TLS (SMTPS)",
        ),
        datetime(2023, 2, 4, 4, 12, 46, tzinfo=tz(-8)),
        id="address-in-the-name-slot",
    ),
    pytest.param(
        "from [198.51.100.47] (account camille@exemple.org HELO portable.maison.lan) by exemple.org"
        " (CommuniGate Pro SMTP 6.1.11) with ESMTPSA id 138841006; Mon, 06 May 2019 06:48:53 +0200",
        expect(
            from_helo="portable.maison.lan", from_ip="198.51.100.47", by="exemple.org", with_="ESMTPSA",
            id="138841006", tls="TLS (ESMTPSA)", auth="camille@exemple.org", mta="communigate",
        ),
        datetime(2019, 5, 6, 6, 48, 53, tzinfo=tz(2)),
        id="communigate-account-helo",
    ),
    pytest.param(
        "from poste1.interne.exemple.org (account marc@exemple.org [10.20.30.59] verified) by exemple.org"
        " (CommuniGate Pro SMTP 6.2.1 _community_) with ESMTPSA id 7764487; Thu, 09 May 2019 10:55:45 +0000",
        expect(
            from_helo="poste1.interne.exemple.org", from_rdns="poste1.interne.exemple.org", from_ip="10.20.30.59",
            by="exemple.org", with_="ESMTPSA", id="7764487", tls="TLS (ESMTPSA)", auth="marc@exemple.org",
            mta="communigate",
        ),
        datetime(2019, 5, 9, 10, 55, 45, tzinfo=timezone.utc),
        id="communigate-account-address-verified",
    ),
    pytest.param(
        "from [203.0.113.223] (account lea@exemple.edu) by webmail.exemple.edu (CommuniGate Pro WebUser 4.3.7)"
        " with HTTP id 109780632 for ami@exemple.edu; Tue, 05 Dec 2006 11:17:51 -0800",
        expect(
            from_ip="203.0.113.223", by="webmail.exemple.edu", with_="HTTP",
            id="109780632", for_="ami@exemple.edu", auth="lea@exemple.edu", mta="communigate",
        ),
        datetime(2006, 12, 5, 11, 17, 51, tzinfo=tz(-8)),
        id="communigate-webmail-account",
    ),
    pytest.param(
        "from relais.fai-exemple.ru ([198.51.100.1] verified) by mx.exemple.ru (CommuniGate Pro SMTP 5.1.13)"
        " with ESMTPS id 9837783 for hostmaster@exemple.ru; Tue, 08 Apr 2008 13:14:35 +0700",
        expect(
            from_helo="relais.fai-exemple.ru", from_rdns="relais.fai-exemple.ru", from_ip="198.51.100.1",
            by="mx.exemple.ru", with_="ESMTPS", id="9837783", for_="hostmaster@exemple.ru", tls="TLS (ESMTPS)",
            mta="communigate",
        ),
        datetime(2008, 4, 8, 13, 14, 35, tzinfo=tz(7)),
        id="communigate-verified-name",
    ),
    pytest.param(
        "from unknown (HELO [198.51.100.45]) ([198.51.100.45]) (envelope-sender <a@exemple.org>)"
        " by 203.0.113.120 (qmail-ldap-1.03) with SMTP for <b@exemple.net>; 28 Nov 2003 20:44:45 -0000",
        expect(
            from_helo="[198.51.100.45]", from_ip="198.51.100.45", by="203.0.113.120", with_="SMTP",
            for_="b@exemple.net", envelope_from="a@exemple.org", mta="qmail",
        ),
        datetime(2003, 11, 28, 20, 44, 45, tzinfo=timezone.utc),
        id="qmail-helo-literal-is-not-a-name",
    ),
    pytest.param(
        "from dyn-5f70aa01.pool.fai-exemple.net (EHLO pc-salon) [198.51.100.163] by mail.gmx.example (mp041)"
        " with SMTP; 23 Nov 2012 19:06:20 +0100",
        expect(
            from_helo="pc-salon", from_rdns="dyn-5f70aa01.pool.fai-exemple.net", from_ip="198.51.100.163",
            by="mail.gmx.example", with_="SMTP",
        ),
        datetime(2012, 11, 23, 19, 6, 20, tzinfo=tz(1)),
        id="gmx-ehlo-comment",
    ),
    pytest.param(
        'from mailout12.exemple.net ([203.0.113.208]:35134 "EHLO relais.exemple.net" rhost-flags-OK-OK-OK-FAIL)'
        " by listes.exemple.org with ESMTP id S1727489AbfGMMEA (ORCPT <rfc822;liste@listes.exemple.org>);"
        " Sat, 13 Jul 2019 08:04:00 -0400",
        expect(
            from_helo="relais.exemple.net", from_rdns="mailout12.exemple.net", from_ip="203.0.113.208",
            by="listes.exemple.org", with_="ESMTP", id="S1727489AbfGMMEA", mta="zmailer",
        ),
        datetime(2019, 7, 13, 8, 4, tzinfo=tz(-4)),
        id="zmailer-quoted-ehlo-differs",
    ),
    pytest.param(
        "from mx10.envoi-exemple.net (HELO ) (198.51.100.10) by relais.exemple.org with SMTP;"
        " 3 Mar 2004 20:34:38 -0000",
        expect(
            from_rdns="mx10.envoi-exemple.net", from_ip="198.51.100.10", by="relais.exemple.org", with_="SMTP",
            mta="qmail",
        ),
        datetime(2004, 3, 3, 20, 34, 38, tzinfo=timezone.utc),
        id="qmail-empty-helo",
    ),
    pytest.param(
        "from relais.exemple.org (relais.exemple.org [198.51.100.61]) by mx.exemple.net (Postfix)"
        " with ESMTP id 5C0D21E2A for <multiple recipients>; Tue, 6 Dec 2022 12:49:12 +0100",
        expect(
            from_helo="relais.exemple.org", from_rdns="relais.exemple.org", from_ip="198.51.100.61",
            by="mx.exemple.net", with_="ESMTP", id="5C0D21E2A", mta="postfix",
        ),
        datetime(2022, 12, 6, 12, 49, 12, tzinfo=tz(1)),
        id="for-multiple-recipients-is-no-address",
    ),
]


@pytest.mark.parametrize("value, expected, date", CASES)
def test_formats(value, expected, date):
    hop = parse_received(value)
    assert fields(hop) == expected
    assert hop.date == date
    assert hop.date.utcoffset() == date.utcoffset()


def test_raw_collapses_whitespace_and_order_fields_stay_unset():
    hop = parse_received("from a\t(b  [198.51.100.1])\n by c; Tue, 6 Dec 2022 12:49:12 +0100")
    assert hop.raw == "from a (b [198.51.100.1]) by c; Tue, 6 Dec 2022 12:49:12 +0100"
    assert (hop.index, hop.delay_s, hop.country) == (0, None, None)


@pytest.mark.parametrize(
    "value",
    [
        "from kaod.example (kaod.example [198.51.100.1]) by h with ESMTP id 15.1.2507.16; 6 Dec 2022 12:00 +0000",
        "from h (198.51.100.1) by x (10.0.0.1) with Microsoft SMTP Server id 14.3.123.4; 6 Dec 2022 12:00 +0000",
        "from h (unknown [000.11.222.33]) by x with ESMTP id 1.2.3.4; Tue, 6 Dec 2022 12:00:00 +0000",
    ],
)
def test_queue_ids_and_versions_are_never_the_address(value):
    hop = parse_received(value)
    assert hop.from_ip in ("198.51.100.1", None)
    assert hop.id is not None and hop.from_ip != hop.id


def test_no_date_and_no_tls_evidence():
    hop = parse_received("from a (b [198.51.100.1]) by c with ESMTP id X")
    assert hop.date is None
    assert hop.tls is None
    assert hop.auth is None


def chain(name: str) -> list[Hop]:
    return order_hops(received_values(FIXTURES / name))


def test_order_hops_legacy_submission():
    hops = chain("ovh_legacy_submission.txt")
    assert [h.index for h in hops] == [1, 2, 3]
    assert [h.by for h in hops] == ["player712.ha.ovh.net", "mo7.mail-out.ovh.net", "mx3.destinataire-exemple.net"]
    first = hops[0]
    assert (first.from_ip, first.country, first.auth) == ("82.64.11.23", "FR", "lea@atelier-exemple.fr")
    assert first.delay_s is None
    # 09:38:33 UTC, then 11:38:40 +0200 (09:38:40 UTC), then 11:38:45 +0200.
    assert [h.delay_s for h in hops[1:]] == [7.0, 5.0]
    assert hops[1].country is None  # 10.110.171.20 is private
    assert hops[2].country is None  # 198.51.100.44 is documentation space


def test_order_hops_mxplan_exchange_and_list():
    hops = chain("ovh_mxplan_exchange.txt")
    assert [h.mta for h in hops] == ["exchange", "postfix", "postfix", "zmailer", "zmailer", "postfix"]
    assert [h.relay for h in hops] == [True, True, True, True, False, True]
    assert hops[0].from_ip == "37.59.142.103" and hops[0].country == "FR"
    assert hops[0].id == "15.1.2507.16"
    assert [h.delay_s for h in hops] == [None, 1.0, 317.0, 2.0, 1.0, 0.0]


def test_order_hops_ghost_submission():
    hops = chain("ovh_ghost_submission.txt")
    submission = hops[0]
    assert submission.mta == "dovecot"
    assert submission.envelope_from == "promo@marque-lointaine.example"
    assert submission.auth == "ESMTPSA"
    assert submission.country == "FR"
    assert hops[3].from_rdns == "5.mo581.mail-out.ovh.net"
    assert hops[3].tls == "TLSv1.3 TLS_AES_256_GCM_SHA384"
    assert hops[4].tls == "TLSv1.3 TLS_AES_256_GCM_SHA384"


def test_negative_delay_is_kept():
    hops = order_hops(
        [
            "from b (b [198.51.100.2]) by c; Tue, 6 Dec 2022 12:00:00 +0000",
            "from a (a [198.51.100.1]) by b; Tue, 6 Dec 2022 12:05:00 +0000",
        ]
    )
    assert [h.delay_s for h in hops] == [None, -300.0]


def test_delay_is_none_when_a_date_is_missing():
    hops = order_hops(["by c; Tue, 6 Dec 2022 12:00:00 +0000", "by b", "by a; Tue, 6 Dec 2022 11:00:00 +0000"])
    assert [h.delay_s for h in hops] == [None, None, None]


def test_many_values_are_ordered_linearly():
    values = [f"from h{i} (h{i} [198.51.100.{i % 250}]) by x; 6 Dec 2022 12:{i % 60:02d} +0000" for i in range(100_000)]
    hops = order_hops(values)
    assert len(hops) == 100_000
    assert hops[0].index == 1 and hops[-1].index == 100_000
    assert hops[0].from_helo == "h99999" and hops[-1].from_helo == "h0"


@pytest.mark.parametrize(
    "value",
    [
        "from " + "a(" * 50_000,
        "(" * 100_000,
        "[1.1.1.1 " * 11_200,
        "from x (" + "[1.1.1.1] " * 10_000 + ") by y; Tue, 6 Dec 2022 12:00:00 +0000",
        "from " + "(a " * 30_000,
        ";" * 100_000,
        "from x (" * 20_000 + ")" * 20_000,
        'from x ("' + "EHLO " * 20_000,
        "from " + "a" * 100_000 + " by y",
    ],
    ids=["a-paren", "parens", "brackets", "many-ips", "open-comments", "semicolons", "deep", "quotes", "long-word"],
)
def test_crafted_values_return_a_hop(value):
    hop = parse_received(value)
    assert isinstance(hop, Hop)
    assert hop.raw == " ".join(value.split())


def test_only_the_first_kilobytes_are_parsed():
    value = "from x (x [198.51.100.1]) " + "(" + "a " * MAX_PARSED + ") by y; Tue, 6 Dec 2022 12:00:00 +0000"
    hop = parse_received(value)
    assert hop.from_ip == "198.51.100.1"
    assert hop.by is None  # beyond the cap
    assert hop.date == datetime(2022, 12, 6, 12, tzinfo=timezone.utc)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_gives_a_hop(value):
    assert isinstance(parse_received(value), Hop)


RECEIVED_WORDS = [
    "from", "by", "with", "id", "for", "via", "(", ")", "[", "]", ";", "<", ">", "@", "=", '"',
    "HELO", "helo=", "[1.2.3.4]", "[IPv6:2001:db8::1]", "unknown", "ESMTPSA", "(Postfix)", "Tue, 6 Dec 2022",
    "12:00:00 +0100", "(Authenticated sender:", "using TLSv1.3 with cipher", "version=TLS1_2,", "x",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(RECEIVED_WORDS)).map(" ".join))
def test_any_arrangement_of_received_words_gives_a_hop(value):
    hop = parse_received(value)
    assert hop.from_ip is None or normalise_ip(hop.from_ip) == hop.from_ip


def test_shared_corpus_hops_are_sane():
    corpus = SHARED / "corpus"
    if not corpus.exists():
        pytest.skip(f"shared corpus not available: {corpus}")
    paths = sorted((corpus / "real").glob("*.eml")) + sorted((corpus / "ovh").glob("*.txt"))
    seen = 0
    for path in paths:
        for hop in order_hops(received_values(path)):
            seen += 1
            assert hop.date is not None, hop.raw
            if hop.from_ip is not None:
                assert normalise_ip(hop.from_ip) == hop.from_ip
                assert hop.from_ip not in (hop.id or "")
            if "Microsoft SMTP Server" in hop.raw:
                assert hop.mta == "exchange"
            if "(Postfix" in hop.raw:
                assert hop.mta == "postfix"
            if "Authenticated sender:" in hop.raw:
                assert hop.auth and hop.auth in hop.raw
    assert seen > 100


# The usual-order reader is a faster way to the same clauses: wherever it accepts
# a value, it must agree with the general reader item for item.
USUAL_SHAPES = [
    "from mail.example.net (mail.example.net [198.51.100.7]) (using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384"
    " (256/256 bits)) (Authenticated sender: anne@example.net) by relay.example.org (Postfix) with ESMTPSA"
    " id 4ABC123 for <bob@example.org>",
    "from host.example (198.51.100.8) by MX1.example.local (192.0.2.1) with Microsoft SMTP Server"
    " (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.1.2507.16 via Frontend Transport",
    "(majordomo@list.example) by list.example via listexpand id S123AbcD (ORCPT <rfc822;x@example.org>)",
    "from [198.51.100.9] (helo=pc) by mx.example with esmtpsa (TLS1.3) tls TLS_AES_128_GCM_SHA256"
    " (Exim 4.96) (envelope-from <a@example.net>) id 1abcDE-000123-Xy for b@example.org",
    "by mail.example.org (Postfix, from userid 33) id 1234ABCD",
]


def _clause_readers():
    from tui.core.received import _clauses, _split_date, _usual_clauses

    def head(value: str) -> str:
        return _split_date(" ".join(value.split()))[0][:MAX_PARSED]

    return head, _clauses, _usual_clauses


@pytest.mark.parametrize("value", USUAL_SHAPES)
def test_usual_order_values_take_the_fast_reader_and_agree(value):
    head, general, usual = _clause_readers()
    fast = usual(head(value))
    assert fast is not None
    assert fast == general(head(value))


WORDS = st.sampled_from([
    "host.example", "[198.51.100.1]", "198.51.100.2", "unknown", "ESMTPSA", "a@b", "<c@d.example>", "x;y",
    "From", "BY", "With", "ID", "invoked", "network", "Microsoft", "SMTP", "Server", "[IPv6:2001:db8::1]", "",
])
COMMENTS = st.sampled_from([
    "(a [198.51.100.3])", "(unknown [2001:db8::1])", "(HELO pc)", "(helo=pc)", "(x (y (z)))", "(ident=bob)",
    "(Authenticated sender: a@b.example)", "(envelope-from <a@b.example>)", "(Postfix, from userid 33)",
    "(using TLSv1.3 with cipher X (256/256 bits))", "(qmail 1 invoked from network)", "(", ")", "()", "(198.51.100.4)",
])
ITEMS = st.lists(st.one_of(WORDS, COMMENTS), max_size=4).map(" ".join)


@st.composite
def clause_values(draw) -> str:
    """Values mostly in the usual clause order, with odd words and comments in every slot."""
    parts = [draw(st.lists(COMMENTS, max_size=2).map(" ".join))]
    for keyword in ("from", "by", "via", "with", "id", "via", "for"):
        if keyword == "by" or draw(st.booleans()):
            parts += [draw(st.sampled_from([keyword, keyword, keyword.upper()])), draw(WORDS), draw(ITEMS)]
    return " ".join(parts)


@settings(max_examples=400, deadline=None)
@given(clause_values())
def test_usual_order_reader_agrees_with_the_general_one(value):
    head, general, usual = _clause_readers()
    fast = usual(head(value))
    if fast is not None:
        assert fast == general(head(value))
