"""Question 1, who sent it: the login against the blocked address and the From domain, and the
origin and mail program against where and how the user said they send.
"""

from __future__ import annotations

from tui.core.addresses import organisation_of, same_organisation, unwrap_srs, within
from tui.core.findings.facts import MAX_QUOTES, REDIRECTION_HEADERS, Facts, ip_listed, make_finding
from tui.core.findings.ids import FindingId
from tui.core.results import Evidence, Finding, Hop
from tui.core.origin import login_witnesses, mailbox_in

def _login_evidence(facts: Facts) -> list[Evidence | None]:
    """Every header that names the login (Authentication-Results, Received, X-AuthUser...), each once."""
    login = facts.login or ""
    message = facts.message
    quotes: list[Evidence | None] = []
    for named, header, needle in login_witnesses(facts.by_name, message.hops, message.auth):
        if named.lower() != login and mailbox_in(named) != login:
            continue
        quote = facts.quote(header, needle)
        if quote is not None and quote not in quotes:
            quotes.append(quote)
    if not quotes:
        origin = message.origin
        quotes.append(
            facts.quote("authentication-results", f"smtp.auth={login}")
            or facts.quote("received", login)
            or facts.quote(origin.source_header if origin is not None else None, login)
        )
    return quotes


def sender_identity(facts: Facts, found: list[Finding]) -> None:
    login, mailbox, account = facts.login, facts.mailbox, facts.account
    if not login or not mailbox:
        return
    login_evidence = _login_evidence(facts)
    if account and mailbox != account:
        if not same_organisation(mailbox, account):
            found.append(make_finding(
                FindingId.AUTH_NOT_ACCOUNT, "warning", f"Sent from another mailbox ({mailbox}), not {account}",
                f"Whoever sent this message logged in to {mailbox}, which is not your address "
                f"{account}. It did not go out through your mailbox, so it is not something you sent "
                "from it. Check that these are the headers quoted in your ticket: OVHcloud quotes a "
                "message that left your own address.",
                login_evidence, question=1,
            ))
            return
        found.append(make_finding(
            FindingId.AUTH_OTHER_MAILBOX, "notice", f"Sent by logging in to {mailbox}, not {account}",
            f"This message was sent with the password of {mailbox}, another mailbox of your domain, "
            f"not with that of {account}. Check that mailbox as well: if nobody uses it to send this "
            "kind of mail, its password is known to someone else and should be changed.",
            login_evidence, question=1,
        ))
    from_evidence = facts.quote("from")
    own = organisation_of(mailbox)
    foreign: dict[str, Hop | Evidence | None] = {}
    if facts.from_address and not within(facts.from_address, own):
        foreign[facts.from_address] = from_evidence
    for sender, source in facts.submitted_senders():
        original = unwrap_srs(sender) or sender
        if not within(original, own):
            foreign.setdefault(original, source)
            if len(foreign) >= MAX_QUOTES:
                break
    if foreign:
        shown = ", ".join(sorted({organisation_of(s) or s for s in foreign}))
        detail = (
            f"Whoever sent this message logged in as {mailbox}, with that mailbox's password, but "
            f"the message claims to come from {shown}, which is not your domain. Your own mail "
            "programs do not do that: someone else knows this password and is using your mailbox "
            "to send their mail. Check your computers and phones for viruses first, then change "
            f"the password of {mailbox}."
        )
        severity = "critical"
        if _forwarded(facts):
            severity = "warning"
            detail += (
                " This message also shows signs of automatic forwarding (see question 2): a "
                "redirection rule passing on mail you received would explain it too."
            )
        found.append(make_finding(
            FindingId.AUTH_OTHER_DOMAIN, severity,
            f"Sent with the password of {mailbox}, claiming to come from {shown}", detail,
            [*login_evidence, *map(facts.evidence, foreign.values())], question=1,
        ))
    elif facts.from_address == mailbox:
        found.append(make_finding(
            FindingId.AUTH_AS_ACCOUNT, "notice", f"Sent with the password of {mailbox}",
            f"This message was sent through your mailbox after logging in with the password of "
            f"{mailbox}, and it shows that same address as the sender. If you or a colleague wrote "
            "it, this is normal. If nobody did, someone else has the password: check your devices "
            "for viruses, then change it.",
            [*login_evidence, from_evidence], question=1,
        ))
    elif facts.from_address:
        found.append(make_finding(
            FindingId.FROM_OTHER_ADDRESS, "notice", f"Logged in as {mailbox} but sent as {facts.from_address}",
            f"The sender logged in with the password of {mailbox}, but the message shows "
            f"{facts.from_address} as the sender. That is normal if {facts.from_address} is an "
            "alias or shared address you send from that mailbox; if you do not know it, someone "
            f"may be misusing the password of {mailbox}.",
            [*login_evidence, from_evidence], question=1,
        ))


def _forwarded(facts: Facts) -> bool:
    """Whether the message carries the marks a redirection leaves, not just hints."""
    return bool(
        facts.has_any(REDIRECTION_HEADERS)
        or facts.srs_senders()
    )


def _origin_evidence(facts: Facts) -> Evidence | None:
    origin = facts.message.origin
    if origin is None or not origin.ip:
        return None
    if origin.source_header and origin.source_header.lower() != "received":
        found = facts.quote(origin.source_header, origin.ip)
        if found:
            return found
    return facts.quote_hop(facts.hop(origin.hop_index)) or facts.quote("received", origin.ip)


def origin_expectations(facts: Facts, found: list[Finding]) -> None:
    origin = facts.message.origin
    if origin is None or not origin.ip or not (facts.countries or facts.ips):
        return
    evidence = _origin_evidence(facts)
    countries = facts.countries
    country = (origin.country or "").strip().upper()
    if countries and country:
        if country in countries:
            found.append(make_finding(
                FindingId.ORIGIN_COUNTRY_EXPECTED, "info", f"Sent from {country}, a country you send from",
                f"The computer that handed this message to the mail server was in {country} "
                f"(IP address {origin.ip}), one of the countries you said you send mail from.",
                [evidence], question=1, hop_index=origin.hop_index,
            ))
        else:
            found.append(make_finding(
                FindingId.ORIGIN_COUNTRY_UNEXPECTED, "warning", f"Sent from {country}, not a country you send from",
                f"The computer that handed this message to the mail server was in {country} "
                f"(IP address {origin.ip}). You said you send mail from {', '.join(countries)}. "
                "Unless you or a colleague was travelling or using a VPN at the time, someone "
                f"else sent it{' with your password' if facts.login else ''}.",
                [evidence], question=1, hop_index=origin.hop_index,
            ))
    ips = facts.ips
    if ips:
        if ip_listed(origin.ip, ips):
            found.append(make_finding(
                FindingId.ORIGIN_IP_EXPECTED, "info", f"Sent from your own IP address {origin.ip}",
                f"The message came from {origin.ip}, one of the addresses you said are yours.",
                [evidence], question=1, hop_index=origin.hop_index,
            ))
        else:
            found.append(make_finding(
                FindingId.ORIGIN_IP_UNEXPECTED, "notice", f"Sent from {origin.ip}, an address you did not list",
                f"The message came from {origin.ip}, which is not among the IP addresses you gave "
                f"({', '.join(ips)}). Home and mobile connections change address now and then, so "
                "this alone proves little: compare it with the country it was sent from.",
                [evidence], question=1, hop_index=origin.hop_index,
            ))


def _client(facts: Facts) -> tuple[str, Evidence] | None:
    for name in ("x-mailer", "user-agent"):
        header = facts.by_name.get(name)
        if header and header[0].value.strip():
            return header[0].value.strip(), Evidence(header[0].name, header[0].value)
    origin = facts.message.origin
    # A HELO name ("DESKTOP-4KQ2") says which machine, not which program.
    if origin is not None and origin.client and origin.client != origin.helo:
        source = facts.quote(origin.source_header or "received", origin.client)
        return origin.client, source or Evidence(origin.source_header or "Received", origin.client)
    return None


def client_expectations(facts: Facts, found: list[Finding]) -> None:
    if not facts.expectations.clients:
        return
    clients = [c.strip() for c in facts.expectations.clients if c and c.strip()]
    client = _client(facts) if clients else None
    if client is None:
        return
    name, evidence = client
    lowered = name.lower()
    if any(c.lower() in lowered or lowered in c.lower() for c in clients):
        found.append(make_finding(
            FindingId.CLIENT_EXPECTED, "info", "Written with a mail program you use",
            f"The message says it was written with \"{name}\", which matches a program you said you use.",
            [evidence], question=1,
        ))
        return
    found.append(make_finding(
        FindingId.CLIENT_UNEXPECTED, "notice", "Written with a mail program you did not list",
        f"The message says it was written with \"{name}\". You said you use {', '.join(clients)}. "
        "If nobody in your company uses that program, someone else sent this message.",
        [evidence], question=1,
    ))
