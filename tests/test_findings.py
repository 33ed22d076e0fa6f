"""Tests for the findings rules, on header fixtures in tests/fixtures/findings.

The fields a parser would fill (hops, origin, verdicts) are written out by hand
in the builders below, so these tests do not depend on the parsers; the answers
tests reuse the same builders.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.addresses import organisation_domain, unwrap_srs
from tui.core.findings import find_all
from tui.core.model import Expectations, Header, Headers
from tui.core.results import SEVERITIES, AuthResult, Evidence, Hop, Message, Origin, Spamcause

FIXTURES = Path(__file__).parent / "fixtures" / "findings"
SHARED = Path(__file__).resolve().parents[2] / "shared"
USER = "contact@atelier-lemoine.fr"


def headers_of(text: str, source: str = "-") -> Headers:
    fields: list[Header] = []
    for line in text.splitlines():
        if not line.strip():
            break
        if line[0] in " \t" and fields:
            fields[-1].value = f"{fields[-1].value} {line.strip()}".strip()
        elif ":" in line:
            name, _, value = line.partition(":")
            fields.append(Header(name, value.strip()))
    return Headers(fields=fields, source=source)


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def message_of(text: str, **fields) -> Message:
    """A Message with the simple fields copied from the headers as written."""
    headers = headers_of(text)
    to = [a.strip() for v in headers.get_all("To") for a in v.split(",") if a.strip()]
    cc = [a.strip() for v in headers.get_all("Cc") for a in v.split(",") if a.strip()]
    try:
        date = parsedate_to_datetime(headers.get("Date") or "")
    except (TypeError, ValueError):
        date = None
    base = dict(
        source="test", index=0, headers=headers, subject=headers.get("Subject"),
        from_=headers.get("From"), to=to, cc=cc, reply_to=headers.get("Reply-To"),
        date=date, message_id=headers.get("Message-ID"),
    )
    base.update(fields)
    return Message(**base)


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def received(text: str, position: int) -> str:
    """The Received value at ``position`` counting from the top, whitespace collapsed."""
    return collapse(headers_of(text).get_all("Received")[position])


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


def compromised() -> Message:
    text = fixture("compromised_ovh.txt")
    hops = [
        Hop(index=1, raw=received(text, 2), from_helo="atelier-lemoine.fr", from_ip="37.59.142.101",
            by="ghost-submission-5b5ff79f4f-q8x2m", with_="ESMTPSA", auth="ESMTPSA",
            envelope_from="billing-notice@amzn-account-review.com", date=utc(2024, 5, 14, 2, 11, 8)),
        Hop(index=2, raw=received(text, 1), from_helo="ghost-submission-5b5ff79f4f-q8x2m",
            from_ip="10.110.115.21", by="director3.ghost.mail-out.ovh.net", date=utc(2024, 5, 14, 2, 11, 9),
            delay_s=1.0),
        Hop(index=3, raw=received(text, 0), from_helo="director3.ghost.mail-out.ovh.net",
            from_ip="10.108.17.54", by="mo4210.mail-out.ovh.net", date=utc(2024, 5, 14, 2, 11, 9),
            delay_s=0.0),
    ]
    return message_of(
        text, hops=hops,
        origin=Origin(ip="91.240.118.23", country="RU", authenticated_as=USER,
                      source_header="X-OVh-ClientIp", hop_index=1, helo="atelier-lemoine.fr"),
        auth=[AuthResult("auth", "pass", authserv_id="garm.ovh", properties={"smtp.auth": USER})],
        spamcause=Spamcause(
            raw=headers_of(text).get("X-VR-SPAMCAUSE"),
            decoded="Vade Retro 01.423.12#4 AS+AV+AP+RT Profile: OVH,CHECKCE; Bailout: 500; "
                    "^SpamIp (300);^Phishing-SortHdr (300);@!Recipients (-100)",
            rules=[("^SpamIp", 300), ("^Phishing-SortHdr", 300), ("@!Recipients", -100)],
            params={"mailfrom": "billing-notice@amzn-account-review.com", "nb_rcptto": "57"},
        ),
        spamstate="SPAM", spamscore="500",
    )


def own_reply() -> Message:
    text = fixture("own_reply.txt")
    rdns = "lfbn-lyo-1-234-56.w86-200.abo.wanadoo.fr"
    hops = [
        Hop(index=1, raw=received(text, 1), from_helo="atelier-lemoine.fr", from_rdns=rdns,
            from_ip="86.200.57.12", by="player762.ha.ovh.net", with_="ESMTPSA", auth=USER,
            date=utc(2024, 3, 7, 9, 15, 30)),
        Hop(index=2, raw=received(text, 0), from_helo="player762.ha.ovh.net", from_ip="10.108.42.77",
            by="mo3012.mail-out.ovh.net", date=utc(2024, 3, 7, 9, 15, 31), delay_s=1.0),
    ]
    return message_of(
        text, hops=hops,
        origin=Origin(ip="86.200.57.12", country="FR", authenticated_as=USER, source_header="X-OVh-ClientIp",
                      hop_index=1, rdns=rdns, helo="atelier-lemoine.fr"),
        auth=[AuthResult("auth", "pass", authserv_id="garm.ovh", properties={"smtp.auth": USER})],
        spamstate="OK", spamscore="-100",
    )


def vps_bulk() -> Message:
    text = fixture("vps_bulk.txt")
    rdns = "vps-3f9a21c7.vps.ovh.net"
    hops = [
        Hop(index=1, raw=received(text, 1), from_helo="win-kq3u8v1lm", from_rdns=rdns, from_ip="51.178.92.14",
            by="player691.ha.ovh.net", with_="ESMTPSA", auth=USER, date=utc(2024, 1, 20, 2, 2, 10)),
        Hop(index=2, raw=received(text, 0), from_helo="player691.ha.ovh.net", from_ip="10.109.146.12",
            by="mo6.mail-out.ovh.net", date=utc(2024, 1, 20, 2, 2, 11), delay_s=1.0),
    ]
    return message_of(
        text, hops=hops,
        origin=Origin(ip="51.178.92.14", country="FR", authenticated_as=USER, source_header="X-OVh-ClientIp",
                      hop_index=1, rdns=rdns, helo="win-kq3u8v1lm"),
        spamstate="SPAM", spamscore="800",
    )


def redirected(**fields) -> Message:
    text = fixture("redirected.txt")
    hops = [
        Hop(index=1, raw=received(text, 1), from_helo="mail.loterie-gagnant.top", from_ip="203.0.113.77",
            by="mx4.mail.ovh.net", for_=USER, date=utc(2024, 4, 10, 16, 40, 2)),
        Hop(index=2, raw=received(text, 0), from_helo="mx4.mail.ovh.net", from_ip="10.108.1.93",
            by="mo5521.mail-out.ovh.net", for_="atelier.lemoine@example-mail.net",
            date=utc(2024, 4, 10, 16, 40, 3), delay_s=1.0),
    ]
    spf = "Authentication-Results"
    base = dict(
        hops=hops,
        origin=Origin(ip="203.0.113.77", source_header="Received", hop_index=1, helo="mail.loterie-gagnant.top"),
        auth=[
            AuthResult("spf", "softfail", authserv_id="mx4.mail.ovh.net",
                       properties={"smtp.mailfrom": "loterie-gagnant.top"}, header=spf),
            AuthResult("dkim", "none", authserv_id="mx4.mail.ovh.net", properties={"header.d": "none"}, header=spf),
            AuthResult("dmarc", "fail", authserv_id="mx4.mail.ovh.net",
                       properties={"header.from": "loterie-gagnant.top"}, header=spf),
        ],
    )
    base.update(fields)
    return message_of(text, **base)


def old_mailer() -> Message:
    text = fixture("old_mailer.txt")
    rdns = "dyn-86-71-12-4.pool.example-isp.net"
    hops = [Hop(index=1, raw=received(text, 0), from_helo="pc-bureau", from_rdns=rdns, from_ip="86.71.12.4",
                by="mail.import-discount.biz", date=utc(2024, 11, 4, 7, 12, 40))]
    return message_of(
        text, hops=hops,
        origin=Origin(ip="86.71.12.4", country="FR", source_header="Received", hop_index=1, rdns=rdns,
                      helo="pc-bureau"),
    )


def plain(**headers: str) -> str:
    """A small header block from keyword arguments (Reply_To -> Reply-To)."""
    return "\n".join(f"{name.replace('_', '-')}: {value}" for name, value in headers.items()) + "\n"


def shifted(moment: datetime, **delta: float) -> datetime:
    return moment + timedelta(**delta)


def ids(findings) -> list[str]:
    return [f.id for f in findings]


def only(findings, id_: str):
    matching = [f for f in findings if f.id == id_]
    assert len(matching) == 1, (id_, ids(findings))
    return matching[0]


def quoted_exactly(finding, message: Message) -> None:
    """Every piece of evidence is a header of the message, quoted as written."""
    written = {(h.name, h.value) for h in message.headers}
    for evidence in finding.evidence:
        if evidence.header.endswith("(decoded)"):
            continue
        assert (evidence.header, evidence.value) in written, evidence


# --- whole fixtures -------------------------------------------------------


def test_compromised_mailbox_is_critical_and_sorted_first():
    message = compromised()
    findings = find_all(message, Expectations(account=USER, countries=["FR"]))
    assert findings[0].id == "auth-other-domain"
    assert findings[0].severity == "critical"
    assert findings[0].question == 1
    ranks = [SEVERITIES.index(f.severity) for f in findings]
    assert ranks == sorted(ranks, reverse=True)
    for finding in findings:
        quoted_exactly(finding, message)
        assert finding.title and finding.detail.endswith((".", ")"))


def test_compromised_mailbox_names_the_login_and_the_foreign_domain():
    message = compromised()
    finding = only(find_all(message, Expectations(account=USER)), "auth-other-domain")
    assert "contact@atelier-lemoine.fr" in finding.title
    assert "amzn-account-review.com" in finding.title
    headers = [e.header for e in finding.evidence]
    assert headers[0] == "Authentication-Results"
    assert "From" in headers
    assert any("envelope-from <billing-notice@amzn-account-review.com>" in e.value for e in finding.evidence)
    assert "change the password" in finding.detail


def test_compromised_mailbox_other_findings():
    findings = find_all(compromised(), Expectations(account=USER, countries=["FR", "BE"]))
    country = only(findings, "origin-country-unexpected")
    assert (country.severity, country.question, country.hop_index) == ("warning", 1, 1)
    assert "RU" in country.title and "FR, BE" in country.detail
    assert country.evidence == [Evidence("X-OVh-ClientIp", "91.240.118.23")]
    script = only(findings, "mailer-script")
    assert script.title == "Sent by a website script (PHPMailer)"
    assert script.evidence[0].header == "X-Mailer"
    reply_to = only(findings, "reply-to-other-domain")
    assert "protonmail-secure.net" in reply_to.title
    disguise = only(findings, "display-name-deceptive")
    assert "Amazon.com" in disguise.title
    assert only(findings, "undisclosed-recipients").evidence[0] == Evidence("To", "undisclosed-recipients:;")
    envelope = only(findings, "many-recipients-envelope")
    assert envelope.severity == "warning" and "57" in envelope.title
    assert only(findings, "ovh-spam-verdict").severity == "warning"
    rules = only(findings, "ovh-spam-rules")
    assert rules.title == "Spam rules matched: SpamIp, Phishing-SortHdr"
    assert "Recipients" not in rules.detail
    assert "message-id-foreign" not in ids(findings)


def test_own_reply_from_home_shows_nothing_suspicious():
    message = own_reply()
    findings = find_all(message, Expectations(account=USER, countries=["FR"], clients=["Thunderbird"]))
    assert {f.severity for f in findings} <= {"info", "notice"}
    assert set(ids(findings)) == {
        "auth-as-account", "origin-country-expected", "client-expected", "origin-residential",
        "reply-headers", "reply-subject",
    }
    assert only(findings, "origin-residential").severity == "info"
    account = only(findings, "auth-as-account")
    assert account.severity == "notice" and account.question == 1
    assert account.evidence[0].value.endswith("smtp.auth=contact@atelier-lemoine.fr")
    reply = only(findings, "reply-headers")
    assert reply.question == 3 and [e.header for e in reply.evidence] == ["In-Reply-To", "References"]
    for finding in findings:
        quoted_exactly(finding, message)


def test_residential_origin_is_a_warning_without_expectations():
    finding = only(find_all(own_reply(), Expectations()), "origin-residential")
    assert (finding.severity, finding.hop_index) == ("warning", 1)
    assert finding.evidence[0].header == "Received"
    assert "lfbn-lyo-1-234-56.w86-200.abo.wanadoo.fr" in finding.evidence[0].value


def test_vps_bulk_mailing():
    message = vps_bulk()
    findings = find_all(message, Expectations(account=USER, countries=["FR"], ips=["86.200.57.0/24"]))
    hosting = only(findings, "origin-hosting")
    assert (hosting.severity, hosting.question, hosting.hop_index) == ("warning", 1, 1)
    assert "vps-3f9a21c7.vps.ovh.net" in hosting.detail
    assert only(findings, "mailer-bulk").title == "Sent with mass-mailing software (Atomic Mail Sender 9.62)"
    many = only(findings, "many-recipients")
    assert (many.severity, many.title) == ("notice", "Sent to 12 recipients at once")
    assert only(findings, "origin-ip-unexpected").severity == "notice"
    assert only(findings, "origin-country-expected").severity == "info"
    foreign_id = only(findings, "message-id-foreign")
    assert "win-kq3u8v1lm" in foreign_id.title
    future = only(findings, "date-in-future")
    assert future.severity == "warning" and "8 days" in future.title
    assert "auth-as-account" in ids(findings)
    for finding in findings:
        quoted_exactly(finding, message)


def test_redirected_spam_is_evidence_for_question_2():
    message = redirected()
    findings = find_all(message, Expectations(account=USER))
    for id_ in ("resent-headers", "forwarded-headers", "srs-envelope"):
        finding = only(findings, id_)
        assert (finding.severity, finding.question) == ("notice", 2)
        assert "Control Panel" in finding.detail
    assert "promo@loterie-gagnant.top" in only(findings, "srs-envelope").detail
    forward = only(findings, "subject-forward")
    assert (forward.severity, forward.question, forward.title) == ("info", 2, 'The subject starts with "TR:"')
    spf = only(findings, "spf-fail")
    assert (spf.severity, spf.question) == ("warning", 1)
    assert "loterie-gagnant.top" in spf.title and "softfail" in spf.title
    assert spf.evidence[0].header == "Authentication-Results"
    assert only(findings, "dmarc-fail").severity == "warning"
    assert "dkim-none" not in ids(findings) and "dkim-fail" not in ids(findings)
    assert "delivered-to-differs" not in ids(findings)
    for finding in findings:
        quoted_exactly(finding, message)


def test_password_use_for_another_domain_is_softened_when_forwarding_explains_it():
    message = redirected(origin=Origin(ip="203.0.113.77", authenticated_as=USER, hop_index=1))
    finding = only(find_all(message, Expectations(account=USER)), "auth-other-domain")
    assert finding.severity == "warning"
    assert "redirection rule" in finding.detail


def test_old_mailer_with_brand_name_and_hidden_recipients():
    message = old_mailer()
    findings = find_all(message, Expectations())
    assert only(findings, "mailer-old").severity == "warning"
    assert only(findings, "display-name-deceptive").title == "Sender name shows the name PayPal"
    hidden = only(findings, "undisclosed-recipients")
    assert [e.header for e in hidden.evidence] == ["To", "Bcc"]
    assert only(findings, "message-id-missing").severity == "notice"
    unreadable = only(findings, "date-unreadable")
    assert "Lun, 4 Nvr 2024 8h12" in unreadable.detail
    assert "date-missing" not in ids(findings)
    assert only(findings, "origin-residential").severity == "warning"
    for finding in findings:
        quoted_exactly(finding, message)


# --- sender identity ------------------------------------------------------


def simple(text: str, login: str | None = None, **fields) -> Message:
    origin = Origin(ip="86.200.57.12", country="FR", authenticated_as=login, hop_index=None)
    return message_of(text, origin=origin, **fields)


def test_login_to_another_domain_is_not_the_users_mailbox():
    message = simple(plain(From="x@elsewhere.example"), login="default42@shop-example.fr")
    finding = only(find_all(message, Expectations(account=USER)), "auth-not-account")
    assert finding.severity == "warning" and finding.question == 1
    assert "auth-other-domain" not in ids(find_all(message, Expectations(account=USER)))


def test_login_to_another_mailbox_of_the_same_domain():
    text = plain(From="compta@atelier-lemoine.fr", Authentication_Results="garm.ovh; auth=pass smtp.auth=compta@atelier-lemoine.fr")
    findings = find_all(simple(text, login="compta@atelier-lemoine.fr"), Expectations(account=USER))
    assert only(findings, "auth-other-mailbox").severity == "notice"
    assert "auth-as-account" in ids(findings)
    assert only(findings, "auth-other-mailbox").evidence[0].header == "Authentication-Results"


def test_alias_of_the_same_domain_is_a_notice_not_critical():
    findings = find_all(simple(plain(From="devis@atelier-lemoine.fr"), login=USER), Expectations(account=USER))
    assert only(findings, "from-other-address").severity == "notice"
    assert "auth-other-domain" not in ids(findings)


def test_subdomain_of_the_users_domain_is_the_same_organisation():
    findings = find_all(simple(plain(From="news@mail.atelier-lemoine.fr"), login=USER), Expectations())
    assert "auth-other-domain" not in ids(findings)


def test_bare_user_name_login_matching_the_account():
    findings = find_all(simple(plain(From=USER), login="contact"), Expectations(account=USER))
    assert "auth-as-account" in ids(findings)


def test_bare_user_name_login_without_account_proves_nothing():
    findings = find_all(simple(plain(From="x@other.example"), login="diarinho"), Expectations())
    assert not [f for f in findings if f.id.startswith("auth-")]


def test_login_taken_from_auth_results_when_origin_has_none():
    text = plain(From="x@spam.example", Authentication_Results=f"garm.ovh; auth=pass smtp.auth={USER}")
    message = message_of(text, auth=[AuthResult("auth", "pass", properties={"smtp.auth": USER})])
    assert only(find_all(message, Expectations()), "auth-other-domain").severity == "critical"


def test_envelope_sender_of_another_domain_alone_is_enough():
    text = plain(From=USER, Return_Path="<bounce@bulk-sender.example>")
    finding = only(find_all(simple(text, login=USER), Expectations(account=USER)), "auth-other-domain")
    assert finding.evidence[-1] == Evidence("Return-Path", "<bounce@bulk-sender.example>")


def test_return_path_of_a_mailing_list_is_not_the_senders_envelope():
    text = plain(From=USER, Return_Path="<kvm-owner@lists.example.org>", List_Id="<kvm.lists.example.org>")
    findings = find_all(simple(text, login=USER), Expectations(account=USER))
    assert "auth-other-domain" not in ids(findings)
    assert "auth-as-account" in ids(findings)


# An MX Plan (Exchange) submission: the hop does not record the login, the
# Authentication-Results header just above it does; a list then re-sends the
# message under its own envelope (modelled on list archives, other names).
LISTED_EXCHANGE = f"""\
Received: from localhost ([::1]:47066 helo=lists.example.org)
 by lists.example.org with esmtp (Exim 4.96)
 (envelope-from <devel-bounces+archive=mirror.example@lists.example.org>)
 id 1qL5Dg-0002T0-AU; Tue, 14 May 2024 12:03:08 -0400
Received: from mx.example.org ([2001:db8:42::10]:44672)
 by lists.example.org with esmtps (Exim 4.96)
 (envelope-from <{USER}>) id 1qL59I-0006sl-IJ; Tue, 14 May 2024 11:58:36 -0400
Received: from mxplan7.mail.ovh.net (unknown [10.109.138.179])
 by mo4210.mail-out.ovh.net (Postfix) with ESMTPS id E4F5120E63;
 Tue, 14 May 2024 15:58:29 +0000 (UTC)
Received: from atelier-lemoine.fr (37.59.142.109) by DAG3EX1.mxp7.local (172.16.2.31)
 with Microsoft SMTP Server id 15.1.2507.39; Tue, 14 May 2024 17:58:29 +0200
Authentication-Results: garm.ovh; auth=pass smtp.auth={USER}
X-OVh-ClientIp: 86.200.57.12
From: {USER}
To: devel@lists.example.org
Subject: Re: planning
Date: Tue, 14 May 2024 17:58:28 +0200
List-Id: <devel.lists.example.org>
"""


def listed_exchange(text: str) -> Message:
    senders = [None, f"<{USER}>", None, "<devel-bounces+archive=mirror.example@lists.example.org>"]
    hops = [
        Hop(index=i + 1, raw=received(text, 3 - i), envelope_from=sender)
        for i, sender in enumerate(senders)
    ]
    return simple(text, login=USER, hops=hops,
                  auth=[AuthResult("auth", "pass", authserv_id="garm.ovh", properties={"smtp.auth": USER})])


def test_envelopes_written_after_an_exchange_submission_are_not_the_senders():
    findings = find_all(listed_exchange(LISTED_EXCHANGE), Expectations(account=USER))
    assert "auth-other-domain" not in ids(findings)
    assert "auth-as-account" in ids(findings)


def test_envelope_of_the_submission_itself_still_counts_without_a_login_hop():
    text = LISTED_EXCHANGE.replace(
        "with Microsoft SMTP Server id", "(envelope-from <promo@deals.example>) with Microsoft SMTP Server id"
    )
    message = listed_exchange(text)
    message.hops[0].envelope_from = "<promo@deals.example>"
    finding = only(find_all(message, Expectations(account=USER)), "auth-other-domain")
    assert "deals.example" in finding.title
    assert "lists.example.org" not in finding.title


def test_spamcause_mailfrom_is_an_envelope_sender():
    spamcause = Spamcause(raw="x", params={"mailfrom": "<promo@deals.example>"})
    message = simple(plain(From=USER), login=USER, spamcause=spamcause)
    finding = only(find_all(message, Expectations()), "auth-other-domain")
    assert Evidence("X-VR-SPAMCAUSE (decoded)", "mailfrom=promo@deals.example") in finding.evidence


# --- expectations ---------------------------------------------------------


def test_no_expectations_no_comparison():
    findings = find_all(own_reply(), Expectations())
    assert not {"origin-country-unexpected", "origin-ip-unexpected", "client-unexpected"} & set(ids(findings))


def test_expected_ip_and_client_mismatch():
    findings = find_all(own_reply(), Expectations(ips=["86.200.57.12"], clients=["Outlook"]))
    assert only(findings, "origin-ip-expected").severity == "info"
    client = only(findings, "client-unexpected")
    assert client.severity == "notice" and "Mozilla Thunderbird" in client.detail
    assert client.evidence == [Evidence("User-Agent", "Mozilla Thunderbird")]


def test_client_falls_back_to_origin_client():
    message = simple(plain(From=USER), login=USER)
    message.origin.client = "Outlook 16.0"
    assert "client-expected" in ids(find_all(message, Expectations(clients=["outlook"])))


def test_country_in_lower_case_expectations():
    assert "origin-country-expected" in ids(find_all(own_reply(), Expectations(countries=[" fr "])))


# --- origin network -------------------------------------------------------


def network_findings(rdns: str | None, helo: str | None = None, ip: str = "86.71.12.4") -> list[str]:
    message = message_of(plain(From=USER), origin=Origin(ip=ip, rdns=rdns, helo=helo))
    return [f.id for f in find_all(message, Expectations()) if f.id.startswith("origin-")]


@pytest.mark.parametrize("rdns", [
    "bad36-1-78-202-132-1.fbx.example-isp.net",
    "lfbn-ncy-1-123-45.w86-71.abo.wanadoo.fr",
    "c-73-12-34-56.hsd1.ca.comcast.net",
    "cpe-1-2-3-4.nyc.res.rr.com",
    "p5647C04.dip0.t-ipconnect.de",
    "adsl-86-71-12-4.example.net",
    "dynamic-pool-12.example.net",
    "static-ip-86-71-12-4.example.net",
    "86.71.12.4.rev.example-isp.fr",
    "4.12.71.86.customer.example.net",
    "host-4.broadband.example.com",
    "086071012004.city.example-isp.pl",
    "ppp-12.example.net",
])
def test_residential_names(rdns):
    assert network_findings(rdns) == ["origin-residential"]


@pytest.mark.parametrize("rdns, helo", [
    ("vps-a8fe4954.vps.ovh.net", None),
    ("ns3012345.ip-51-38-1.eu", None),
    ("ip-51-38-1.eu", None),
    ("static.4.12.71.86.clients.your-server.de", None),
    ("ec2-86-71-12-4.eu-west-3.compute.amazonaws.com", None),
    ("vmi123456.contaboserver.net", None),
    ("li123-45.members.linode.com", None),
    ("srv420168611.host", None),
    (None, "consequunturaphic.vps-a8fe4954.vps.ovh.net"),
    ("mail.cloud-hosting.example", None),
])
def test_hosting_names(rdns, helo):
    assert network_findings(rdns, helo) == ["origin-hosting"]


@pytest.mark.parametrize("rdns", [
    "mail-sor-f41.google.com", "out1.vger.email", "mo552.mail-out.ovh.net", "smtp.atelier-lemoine.fr",
    "mailserver.domain.example", "icloud.com", "86.71.12.4", None,
])
def test_ordinary_names_are_not_flagged(rdns):
    assert network_findings(rdns, helo="DESKTOP-4KQ2") == []


def test_hosting_listed_as_own_ip_is_only_information():
    message = message_of(plain(From=USER), origin=Origin(ip="51.178.92.14", rdns="vps-1.vps.ovh.net"))
    assert only(find_all(message, Expectations(ips=["51.178.92.14"])), "origin-hosting").severity == "info"


# --- mail programs --------------------------------------------------------


@pytest.mark.parametrize("header, value, expected", [
    ("X-Mailer", "PHPMailer 6.9.1 (https://github.com/PHPMailer/PHPMailer)", "mailer-script"),
    ("X-PHP-Originating-Script", "1001:mailer.php", "mailer-script"),
    ("X-PHP-Script", "shop.example/contact.php for 86.71.12.4", "mailer-script"),
    ("X-Mailer", "PHP/7.4.33", "mailer-script"),
    ("X-Mailer", "Atomic Mail Sender 9.62", "mailer-bulk"),
    ("X-Mailer", "SendBlaster 4.4.2", "mailer-bulk"),
    ("X-Mailer", "GammaDyne Mailer", "mailer-bulk"),
    ("X-Mailer", "Turbo-Mailer 2.7.10", "mailer-bulk"),
    ("X-Mailer", "Mass Mailer Pro 3", "mailer-bulk"),
    ("X-Mailer", "Microsoft Outlook Express 6.00.2900.2180", "mailer-old"),
    ("X-Mailer", "Microsoft Outlook, Build 10.0.3416", "mailer-old"),
    ("X-Mailer", "Swift Mailer", "mailer-library"),
    ("X-Mailer", "MIME::Lite 3.031 (F2.85; T2.17; A2.21; B3.15; Q3.13)", "mailer-library"),
    ("X-Mailer", "", "mailer-odd"),
    ("X-Mailer", "20240115.1", "mailer-odd"),
    ("X-Mailer", "Xk9QpLm2Vb7Tz", "mailer-odd"),
])
def test_mail_programs(header, value, expected):
    findings = find_all(message_of(plain(From=USER) + f"{header}: {value}\n"), Expectations())
    mailer = [f for f in findings if f.id.startswith("mailer-")]
    assert [f.id for f in mailer] == [expected]
    assert mailer[0].question == 1
    assert mailer[0].evidence[0] == Evidence(header, value)


@pytest.mark.parametrize("value", [
    "Microsoft Outlook 16.0", "Apple Mail (2.3731.700.6)", "Zendesk Mailer", "iPhone Mail (21E236)",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:115.0) Gecko/20100101 Thunderbird/115.9.0",
    "Roundcube Webmail/1.6.6", "Open-Xchange Mailer v7.10.6-Rev62",
])
def test_ordinary_mail_programs_are_not_flagged(value):
    findings = find_all(message_of(plain(From=USER, X_Mailer=value)), Expectations())
    assert not [f for f in findings if f.id.startswith("mailer-")]


@pytest.mark.parametrize("program, script", [
    ("User-Agent: Roundcube Webmail/1.4.15", "0:main.inc"),
    ("User-Agent: Horde Application Framework 5", "33:index.php"),
    ("X-Mailer: Mailbox web client", "1000:rcube.php"),
])
def test_webmail_script_header_is_a_person_at_a_browser(program, script):
    text = plain(From=USER, X_PHP_Originating_Script=script) + program + "\n"
    assert "mailer-script" not in ids(find_all(message_of(text), Expectations()))


def test_php_mailer_next_to_a_webmail_name_is_still_a_script():
    text = plain(From=USER, X_PHP_Originating_Script="0:main.inc", X_Mailer="PHPMailer 6.8.0",
                 User_Agent="Roundcube Webmail/1.4.15")
    script = only(find_all(message_of(text), Expectations()), "mailer-script")
    assert "PHPMailer" in script.title


def test_two_different_x_mailers():
    text = plain(From=USER) + "X-Mailer: Microsoft Outlook 16.0\nX-Mailer: The Bat! (v3.5)\n"
    findings = find_all(message_of(text), Expectations())
    assert [f.id for f in findings if f.id.startswith("mailer-")] == ["mailer-odd"]


# --- addresses and names --------------------------------------------------


def test_reply_to_on_the_same_organisation_is_fine():
    text = plain(From=USER, Reply_To="Devis <devis@mail.atelier-lemoine.fr>")
    assert "reply-to-other-domain" not in ids(find_all(message_of(text), Expectations()))


def test_reply_to_elsewhere():
    text = plain(From=USER, Reply_To="helpdesk@other-domain.example")
    finding = only(find_all(message_of(text), Expectations()), "reply-to-other-domain")
    assert [e.header for e in finding.evidence] == ["Reply-To", "From"]


@pytest.mark.parametrize("list_header", [
    {"List_Post": "<mailto:users@lists.projet-libre.example>"},
    {"List_Id": "Users of Projet Libre <users.lists.projet-libre.example>"},
])
def test_reply_to_the_list_that_delivered_the_message_is_fine(list_header):
    text = plain(From="karim@bureau.example", Reply_To="users@lists.projet-libre.example", **list_header)
    assert "reply-to-other-domain" not in ids(find_all(message_of(text), Expectations()))


def test_reply_to_elsewhere_on_list_mail_is_still_told():
    text = plain(From="karim@bureau.example", Reply_To="claims@payout-desk.example",
                 List_Id="<users.lists.projet-libre.example>",
                 List_Post="<mailto:users@lists.projet-libre.example>")
    assert "reply-to-other-domain" in ids(find_all(message_of(text), Expectations()))


def test_reply_to_is_read_from_the_headers_when_the_message_has_none():
    text = plain(From=USER, Reply_To="helpdesk@other-domain.example")
    assert "reply-to-other-domain" in ids(find_all(message_of(text, reply_to=None), Expectations()))


@pytest.mark.parametrize("from_, tricked", [
    ('"support@bank.example.com" <x@random-domain.example>', True),
    ('"PayPal" <service@pp-secure-mail.example>', True),
    ('"Opensea.IO" <InsureSign@send.insuresign.example>', True),
    ('"PayPal" <service@paypal.com>', False),
    ('"OVHcloud" <noreply@ovh.com>', False),
    ('"Atelier Lemoine" <contact@atelier-lemoine.fr>', False),
    ('"P.Penguins" <x@example.org>', False),
    ('"contact@atelier-lemoine.fr" <contact@atelier-lemoine.fr>', False),
    ("contact@atelier-lemoine.fr", False),
])
def test_deceptive_display_names(from_, tricked):
    findings = find_all(message_of(plain(From=from_)), Expectations())
    assert ("display-name-deceptive" in ids(findings)) is tricked


# --- recipients -----------------------------------------------------------


def with_recipients(count: int) -> Message:
    to = ", ".join(f"client{i}@example-mail.net" for i in range(count))
    return message_of(plain(From=USER, To=to, Message_ID="<a@atelier-lemoine.fr>",
                            Date="Thu, 7 Mar 2024 10:15:27 +0100"))


@pytest.mark.parametrize("count, severity", [(9, None), (10, "notice"), (49, "notice"), (50, "warning")])
def test_many_recipients_thresholds(count, severity):
    found = [f for f in find_all(with_recipients(count), Expectations()) if f.id == "many-recipients"]
    assert [f.severity for f in found] == ([severity] if severity else [])


def test_recipients_counted_across_to_and_cc():
    to = ", ".join(f"a{i}@example.net" for i in range(6))
    cc = ", ".join(f"b{i}@example.net" for i in range(6))
    finding = only(find_all(message_of(plain(From=USER, To=to, Cc=cc)), Expectations()), "many-recipients")
    assert finding.title == "Sent to 12 recipients at once"
    assert [e.header for e in finding.evidence] == ["To", "Cc"]


def test_envelope_recipients_below_threshold_or_already_visible():
    few = Spamcause(raw="x", params={"nb_rcptto": "3"})
    assert "many-recipients-envelope" not in ids(find_all(message_of(plain(From=USER), spamcause=few), Expectations()))
    garbage = Spamcause(raw="x", params={"nb_rcptto": "lots"})
    assert "many-recipients-envelope" not in ids(find_all(message_of(plain(From=USER), spamcause=garbage), Expectations()))


def test_visible_recipients_are_not_undisclosed():
    assert "undisclosed-recipients" not in ids(find_all(with_recipients(2), Expectations()))


# --- authentication verdicts ----------------------------------------------


def auth_message(*results: AuthResult, account: str | None = USER) -> list:
    value = "; ".join(f"{r.method}={r.result}" for r in results)
    text = plain(From=USER, Authentication_Results=f"mx.example; {value}", Message_ID="<a@atelier-lemoine.fr>",
                 Date="Thu, 7 Mar 2024 10:15:27 +0100")
    return find_all(message_of(text, auth=list(results)), Expectations(account=account))


def test_spf_fail_on_own_domain_explains_the_fix():
    finding = only(auth_message(AuthResult("spf", "fail", properties={"smtp.mailfrom": USER})), "spf-fail")
    assert finding.question is None
    assert "your own domain" in finding.detail and "mx.ovh.com" in finding.detail
    assert finding.evidence == [Evidence("Authentication-Results", "mx.example; spf=fail")]


def test_dkim_temperror_is_said_to_prove_little():
    finding = only(auth_message(AuthResult("dkim", "temperror", properties={"header.d": "x.example"})), "dkim-fail")
    assert finding.severity == "warning" and "proves little" in finding.detail


def test_passing_checks_say_nothing():
    findings = auth_message(AuthResult("spf", "pass"), AuthResult("dkim", "pass"), AuthResult("dmarc", "pass"))
    assert findings == []


def test_none_is_information_only_for_the_users_domain():
    own = auth_message(AuthResult("dmarc", "none", properties={"header.from": "atelier-lemoine.fr"}))
    assert [(f.id, f.severity) for f in own] == [("dmarc-none", "info")]
    theirs = auth_message(AuthResult("dmarc", "none", properties={"header.from": "elsewhere.example"}))
    assert theirs == []


def test_verdicts_sharing_a_header_are_quoted_once_whatever_their_case():
    findings = auth_message(
        AuthResult("DKIM", "pass", properties={"header.d": "atelier-lemoine.fr"}),
        AuthResult("DKIM", "fail", properties={"header.d": "elsewhere.example"}),
        AuthResult("dkim", "FAIL", properties={"header.d": "elsewhere.example"}),
        AuthResult("ARC", "fail"),
    )
    assert ids(findings) == ["dkim-fail"]
    finding = findings[0]
    assert (finding.title, finding.question) == ("DKIM check failed for elsewhere.example (fail)", 1)
    assert finding.evidence == [
        Evidence("Authentication-Results", "mx.example; DKIM=pass; DKIM=fail; dkim=FAIL; ARC=fail")
    ]


def test_received_spf_evidence():
    message = message_of(
        plain(From=USER, Received_SPF="SoftFail (mailfrom) identity=mailfrom; client-ip=86.71.12.4"),
        auth=[AuthResult("spf", "softfail", header="Received-SPF", properties={"envelope-from": "a@b.example"})],
    )
    finding = only(find_all(message, Expectations()), "spf-fail")
    assert finding.evidence[0].header == "Received-SPF"


# --- identity headers -----------------------------------------------------


def test_missing_message_id_and_date():
    findings = find_all(message_of(plain(From=USER, Subject="Bonjour")), Expectations())
    assert only(findings, "message-id-missing").severity == "notice"
    assert only(findings, "date-missing").severity == "notice"


def test_partial_paste_is_not_a_message_missing_its_headers():
    findings = find_all(message_of(plain(X_VR_SPAMSTATE="OK", X_VR_SPAMSCORE="0")), Expectations())
    assert findings == []


@pytest.mark.parametrize("message_id, foreign", [
    ("<AM0PR02MB5123.eurprd02.prod.outlook.com@AM0PR02MB5123.eurprd02.prod.outlook.com>", False),
    ("<CAF8x2Zq1hG7mYpT4wQ@mail.gmail.com>", False),
    ("<9a8b7c6d.1234@mail.ovh.net>", False),
    ("<5f4e3d2c1b0a@DAG4EX2.mxp5.local>", False),
    ("<3a7e91c4@atelier-lemoine.fr>", False),
    ("<3a7e91c4@smtp.atelier-lemoine.fr>", False),
    ("<mL8xxpf8lMVf4RH5@srv420168611.host>", True),
    ("<000001c81a67$a4450700$0100007f@localhost>", True),
    ("<no-domain-here>", False),
    ("<3a7e91c4@>", False),
])
def test_message_id_domain(message_id, foreign):
    message = message_of(plain(From=USER, Message_ID=message_id, Date="Thu, 7 Mar 2024 10:15:27 +0100"))
    assert ("message-id-foreign" in ids(find_all(message, Expectations()))) is foreign


# --- clocks ---------------------------------------------------------------


def test_negative_hop_delay():
    message = own_reply()
    message.hops[1].delay_s = -754.0
    finding = only(find_all(message, Expectations()), "hop-clock-skew")
    assert (finding.severity, finding.hop_index) == ("notice", 2)
    assert "13 minutes" in finding.detail
    quoted_exactly(finding, message)


def test_clock_findings_are_capped_on_long_chains():
    hops = [Hop(index=i, raw=f"from a{i} by b{i}", delay_s=-5.0) for i in range(1, 10001)]
    message = message_of(plain(From=USER), hops=hops)
    assert ids(find_all(message, Expectations())).count("hop-clock-skew") == 5


def test_date_far_before_first_hop():
    message = own_reply()
    message.date = shifted(message.hops[0].date, hours=-3)
    finding = only(find_all(message, Expectations()), "date-before-first-hop")
    assert finding.title == "Dated 3 hours before it was sent"
    assert [e.header for e in finding.evidence] == ["Date", "Received"]


def test_small_date_differences_are_normal():
    message = own_reply()
    message.date = shifted(message.hops[0].date, minutes=-50)
    assert not [f for f in find_all(message, Expectations()) if f.id.startswith("date-")]
    message.date = shifted(message.hops[-1].date, minutes=4)
    assert not [f for f in find_all(message, Expectations()) if f.id.startswith("date-")]


def test_date_limits_are_an_hour_before_and_five_minutes_after():
    message = own_reply()
    message.date = shifted(message.hops[0].date, hours=-1)
    assert "date-before-first-hop" not in ids(find_all(message, Expectations()))
    message.date = shifted(message.hops[0].date, hours=-1, milliseconds=-1)
    assert only(find_all(message, Expectations()), "date-before-first-hop").title == "Dated 1 hour before it was sent"
    message.date = shifted(message.hops[-1].date, minutes=5)
    assert "date-in-future" not in ids(find_all(message, Expectations()))
    message.date = shifted(message.hops[-1].date, minutes=5, milliseconds=1)
    assert only(find_all(message, Expectations()), "date-in-future").title == "Dated 5 minutes in the future"


def test_date_slightly_in_the_future_is_a_notice():
    message = own_reply()
    message.date = shifted(message.hops[-1].date, minutes=20)
    assert only(find_all(message, Expectations()), "date-in-future").severity == "notice"


def test_naive_dates_do_not_break_the_comparison():
    message = own_reply()
    message.date = datetime(2024, 3, 7, 1, 0, 0)
    assert "date-before-first-hop" in ids(find_all(message, Expectations()))


# --- forwarding -----------------------------------------------------------


def test_x_forwarded_for_with_an_ip_is_a_web_proxy_note():
    text = plain(From=USER, To=USER, X_Forwarded_For="86.71.12.4")
    assert "forwarded-headers" not in ids(find_all(message_of(text), Expectations()))


def test_several_delivered_to():
    text = plain(From="a@b.example", To=USER) + f"Delivered-To: other@example.net\nDelivered-To: {USER}\n"
    finding = only(find_all(message_of(text), Expectations()), "delivered-to-several")
    assert finding.question == 2 and "2 Delivered-To" in finding.detail


def test_delivered_to_the_account_then_sent_on():
    text = plain(From="promo@deals.example", To="someone@else.example", Delivered_To=USER)
    finding = only(find_all(message_of(text), Expectations(account=USER)), "delivered-to-differs")
    assert finding.severity == "notice" and "your mailbox" in finding.detail


def test_delivered_to_someone_else_is_only_a_hint():
    text = plain(From="a@b.example", To="team@example.net", X_Original_To="boss@example.net")
    finding = only(find_all(message_of(text), Expectations(account=USER)), "original-to-differs")
    assert finding.severity == "info"


def test_mailing_lists_explain_delivered_to():
    text = plain(From="a@b.example", To="list@lists.example.org", Delivered_To=USER, List_Id="<l.example.org>")
    assert not [f for f in find_all(message_of(text), Expectations()) if f.question == 2]


@pytest.mark.parametrize("subject, forwarded", [
    ("Fwd: facture", True), ("FW: facture", True), ("TR: facture", True), ("WG: Rechnung", True),
    ("Tracking your parcel", False), ("Forward planning", False),
])
def test_forward_subjects(subject, forwarded):
    findings = find_all(message_of(plain(From=USER, Subject=subject)), Expectations())
    assert ("subject-forward" in ids(findings)) is forwarded


def test_srs_return_address_on_a_hop_or_in_the_spam_verdict():
    srs = "SRS0=xK4t=LQ=loterie-gagnant.top=promo@forwarder.example"
    hop = Hop(index=1, raw="from mx.forwarder.example by mx4.mail.ovh.net", envelope_from=f"<{srs}>")
    finding = only(find_all(message_of(plain(From=USER), hops=[hop]), Expectations()), "srs-envelope")
    assert finding.evidence == [Evidence("Received", hop.raw)]
    assert "The original sender was promo@loterie-gagnant.top" in finding.detail
    verdict = Spamcause(raw="scrambled", params={"mailfrom": srs})
    finding = only(find_all(message_of(plain(From=USER), spamcause=verdict), Expectations()), "srs-envelope")
    assert finding.evidence == [Evidence("X-VR-SPAMCAUSE (decoded)", f"mailfrom={srs.lower()}")]


def test_srs1_address():
    assert unwrap_srs("SRS1=HHH=forwarder.example==HHH=TT=orig.example=alice@second.example") == "alice@orig.example"
    assert unwrap_srs("SRS0=xK4t=LQ=loterie-gagnant.top=promo@atelier-lemoine.fr") == "promo@loterie-gagnant.top"
    assert unwrap_srs("srs0=broken@x.example") is None
    assert unwrap_srs("alice@example.com") is None


# --- replies --------------------------------------------------------------


@pytest.mark.parametrize("subject, reply", [
    ("Re: devis", True), ("RE : devis", True), ("AW: Angebot", True), ("Sv: tilbud", True),
    ("Réf. : votre commande", True), ("Rép: devis", True), ("Re[2]: devis", True),
    ("Reminder: invoice", False), ("Ref: invoice 123", False), ("Devis", False),
])
def test_reply_subjects(subject, reply):
    findings = find_all(message_of(plain(From=USER, Subject=subject)), Expectations())
    assert ("reply-subject" in ids(findings)) is reply
    assert "reply-headers" not in ids(findings)


def test_empty_in_reply_to_is_not_a_reply():
    assert "reply-headers" not in ids(find_all(message_of(plain(From=USER, In_Reply_To=" ")), Expectations()))


# --- OVHcloud verdict -----------------------------------------------------


def test_ovh_ok_verdict_says_nothing():
    message = message_of(plain(X_VR_SPAMSTATE="OK", X_VR_SPAMSCORE="-100"), spamstate="OK", spamscore="-100")
    assert find_all(message, Expectations()) == []


def test_ovh_score_alone_and_multiple_blocks():
    message = message_of(plain(X_VR_SPAMSCORE="20, 607"), spamstate="ACCOUNT, PHISHING", spamscore="20, 607")
    finding = only(find_all(message, Expectations()), "ovh-spam-verdict")
    assert "607" in finding.detail


def test_ovh_encrypted_spamcause():
    raw = "dmFkZTF7Zm9vfQ=="
    message = message_of(plain(X_VR_SPAMCAUSE=raw), spamcause=Spamcause(raw=raw, encrypted=True))
    finding = only(find_all(message, Expectations()), "ovh-spamcause-encrypted")
    assert finding.severity == "info" and finding.evidence == [Evidence("X-VR-SPAMCAUSE", raw)]


def test_low_scoring_rules_are_not_reported():
    spamcause = Spamcause(raw="x", rules=[("@!Recipients", -100), ("^Meta", 50), ("^Odd", None)])
    assert find_all(message_of(plain(X_VR_SPAMCAUSE="x"), spamcause=spamcause), Expectations()) == []


# --- helpers and robustness -----------------------------------------------


@pytest.mark.parametrize("domain, organisation", [
    ("mail.shop.example.co.uk", "example.co.uk"), ("vans-schuhe.com.de", "vans-schuhe.com.de"),
    ("mo552.mail-out.ovh.net", "ovh.net"), ("Example.COM.", "example.com"), ("localhost", "localhost"),
    ("", None),
])
def test_organisation_domain(domain, organisation):
    assert organisation_domain(domain) == organisation


def test_findings_keep_rule_order_within_a_severity():
    notices = [f.id for f in find_all(redirected(), Expectations(account=USER)) if f.severity == "notice"]
    assert notices == ["resent-headers", "forwarded-headers", "srs-envelope"]


def test_empty_message():
    assert find_all(Message(source="-", index=0, headers=Headers())) == []


def test_adversarial_values_are_processed():
    huge = "a(" * 50000
    text = plain(From=huge + "@" + "b" * 100000, To="x" * 100000, Reply_To="<" * 100000,
                 Subject="Re:" + "[" * 100000, X_Mailer="A" * 100000, Message_ID="@" * 100000)
    message = message_of(text, origin=Origin(ip="1.2.3.4", rdns="1-" * 50000, helo="vps" * 30000,
                                             authenticated_as=huge))
    assert isinstance(find_all(message, Expectations(account=USER, countries=["FR"])), list)


_text = st.text(max_size=60)
_moments = st.none() | st.datetimes(timezones=st.none() | st.just(timezone.utc))
_names = st.sampled_from([
    "From", "To", "Cc", "Reply-To", "Subject", "Date", "Message-ID", "X-Mailer", "User-Agent", "Return-Path",
    "Delivered-To", "X-Original-To", "Resent-From", "X-Forwarded-For", "In-Reply-To", "References",
    "X-VR-SPAMSTATE", "X-VR-SPAMSCORE", "Authentication-Results", "Received", "List-Id", "Bcc",
])


@settings(max_examples=200, deadline=None)
@given(
    fields=st.lists(st.tuples(_names, _text), max_size=12),
    login=st.none() | _text, ip=st.none() | _text, rdns=st.none() | _text, country=st.none() | _text,
    delay=st.none() | st.floats(allow_nan=True), envelope=st.none() | _text, score=st.none() | _text,
    account=st.none() | _text, countries=st.lists(_text, max_size=3), ips=st.lists(_text, max_size=3),
    result=_text, method=st.sampled_from(["spf", "dkim", "dmarc", "arc", ""]),
    written=_moments, received=_moments,
)
def test_any_input_gives_findings_without_error(fields, login, ip, rdns, country, delay, envelope, score,
                                                account, countries, ips, result, method, written, received):
    headers = Headers(fields=[Header(n, v) for n, v in fields])
    message = Message(
        source="-", index=0, headers=headers, from_=headers.get("From"), to=headers.get_all("To"),
        hops=[Hop(index=1, raw="x", envelope_from=envelope, auth=login, delay_s=delay, date=received)],
        origin=Origin(ip=ip, rdns=rdns, country=country, authenticated_as=login, hop_index=1, client=rdns),
        auth=[AuthResult(method, result, properties={"header.from": result, "smtp.auth": login or ""})],
        spamcause=Spamcause(raw=score or "", params={"nb_rcptto": score or "", "mailfrom": envelope or ""},
                            rules=[(result, 300)]),
        spamstate=score, spamscore=score, date=written,
    )
    found = find_all(message, Expectations(account=account, countries=countries, ips=ips, clients=countries))
    assert all(f.severity in SEVERITIES for f in found)
    assert all(isinstance(e, Evidence) for f in found for e in f.evidence)


# --- real headers from ../shared ------------------------------------------


@pytest.mark.parametrize("name, expected, absent", [
    ("real/003.eml", {"mailer-script", "display-name-deceptive", "message-id-foreign"}, {"reply-to-other-domain"}),
    ("real/005.eml", {"reply-to-other-domain"}, {"mailer-script"}),
    ("real/007.eml", {"undisclosed-recipients"}, {"message-id-missing", "message-id-foreign"}),
    ("real/010.eml", {"reply-to-other-domain", "forwarding-service"}, {"forwarded-headers"}),
    ("real/019.eml", {"mailer-old", "resent-headers"}, set()),
    ("ovh/001.txt", {"reply-headers", "reply-subject"}, {"message-id-foreign", "many-recipients"}),
    ("ovh/008.txt", {"ovh-spam-verdict"}, {"message-id-missing", "date-missing"}),
    ("ovh/010.txt", {"ovh-spam-verdict"}, set()),
])
def test_real_headers(name, expected, absent):
    path = SHARED / "corpus" / name
    if not path.exists():
        pytest.skip(f"shared corpus not available: {path}")
    message = message_of(path.read_bytes().decode("utf-8", "replace"))
    found = set(ids(find_all(message, Expectations())))
    assert expected <= found
    assert not absent & found


def test_a_machine_calling_itself_server_is_not_a_hosting_company():
    assert network_findings(None, helo="SERVER.cabinet-martin.local") == []
    assert network_findings("server12.example-hosting.net") == ["origin-hosting"]
