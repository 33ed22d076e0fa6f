"""SPF, DKIM and DMARC verdicts: failures, and the user's own domain without protection."""

from __future__ import annotations

from tui.core.addresses import domain_of, organisation_domain, organisation_of
from tui.core.findings.facts import MAX_QUOTES, Facts, make_finding
from tui.core.findings.ids import FindingId
from tui.core.results import AuthResult, Evidence, Finding

_SEVERE_AUTH_RESULTS = frozenset({"fail", "softfail", "hardfail", "permfail", "permerror", "temperror"})


# Where each method names the domain it checked, most telling first.
_DOMAIN_KEYS = {
    "spf": ("smtp.mailfrom", "envelope-from", "smtp.helo", "helo", "header.from"),
    "dkim": ("header.d", "header.i", "header.from"),
    "dmarc": ("header.from", "header.d", "smtp.mailfrom"),
}


def _auth_domain(method: str, properties: dict[str, str]) -> str | None:
    for key in _DOMAIN_KEYS[method]:
        value = properties.get(key)
        if value and value.strip().strip("<>").lower() != "none":
            return domain_of(value.strip().strip("<>"))
    return None


def _method_text(method: str, domain: str, result: str) -> str:
    """What the failure of an SPF, DKIM or DMARC check means, in words.

    f-strings rather than templates: str.format reads its template character by
    character on every call, which costs more than the rest of the rule.
    """
    if method == "spf":
        return (
            "SPF lets a domain list the servers allowed to send its mail. The receiving server found "
            f"that the server that sent this message is not on the list of {domain} ({result})."
        )
    if method == "dkim":
        return (
            f"DKIM is a digital signature a domain adds to its messages. The signature for {domain} "
            f"did not check out ({result}): the message was changed on the way, or the signature was forged."
        )
    return (
        "DMARC is the rule a domain's owner publishes for mail whose SPF and DKIM checks do not "
        f"match the sender's address. This message broke the rule of {domain} ({result})."
    )


def spf_dkim_dmarc(facts: Facts, found: list[Finding]) -> None:
    auth = facts.message.auth
    own = organisation_of(facts.account) if facts.account else None
    # Most verdicts pass: unless one failed, or is "none" with an account to
    # compare its domain against, no method can make a finding.
    for result in auth:
        verdict = result.result
        if verdict == "pass":
            continue
        verdict = (verdict or "").lower()
        if verdict in _SEVERE_AUTH_RESULTS or (verdict == "none" and own is not None):
            break
    else:
        return
    # Each method's failed and "none" verdicts, methods in the order they first appear.
    by_method: dict[str, tuple[list[AuthResult], list[AuthResult]]] = {}
    for result in auth:
        method = result.method
        if method not in _DOMAIN_KEYS:  # parsers mostly give them lower-cased already
            method = (method or "").lower()
            if method not in _DOMAIN_KEYS:
                continue
        verdicts = by_method.get(method)
        if verdicts is None:
            verdicts = by_method[method] = ([], [])
        verdict = result.result
        if verdict == "pass":
            continue
        verdict = (verdict or "").lower()
        if verdict in _SEVERE_AUTH_RESULTS:
            verdicts[0].append(result)
        elif verdict == "none":
            verdicts[1].append(result)
    for method, (bad, none) in by_method.items():
        chosen = bad or none
        if not chosen or (not bad and own is None):
            continue
        result = (chosen[0].result or "").lower()
        for r in chosen:
            if domain := _auth_domain(method, r.properties):
                break
        if not bad and (own is None or domain is None or organisation_domain(domain) != own):
            continue
        theirs = domain is not None and own is not None and organisation_domain(domain) != own
        # Verdicts often share a header: each header and verdict is looked
        # for once, and each header quoted once.
        evidence: list[Evidence] = []
        asked: set[tuple[str, str | None]] = set()
        quoted_texts: set[tuple[str, str]] = set()
        for r in chosen[:MAX_QUOTES]:
            if (r.header, r.result) in asked:
                continue
            asked.add((r.header, r.result))
            quoted = facts.quote(r.header, f"{method}={r.result}") or facts.quote(r.header, r.result)
            if quoted and (quoted.header, quoted.value) not in quoted_texts:
                quoted_texts.add((quoted.header, quoted.value))
                evidence.append(quoted)
        named = domain or "the sender's domain"
        if not bad:
            name = method.upper()
            found.append(make_finding(
                FindingId(f"{method}-none"), "info", f"No {name} protection for your domain {domain}",
                f"The receiving server could not check {name} for {domain}: your domain does not "
                f"use it, or this message was not signed. SPF, DKIM and DMARC make it harder for "
                "others to send mail in your domain's name; whoever manages your domain's DNS can "
                "set them up (OVHcloud's guides explain how).",
                evidence,
            ))
            continue
        detail = _method_text(method, named, result)
        if result == "temperror":
            detail += (
                " A temporary error means the check could not be completed, so it proves little "
                "on its own."
            )
        elif theirs:
            detail += (
                f" The message claims to come from {named}, which did not authorise it: it was "
                "probably forged."
            )
        elif domain is not None and own is not None:
            detail += (
                " This is your own domain: if you did send this message, ask whoever manages your "
                "domain's DNS to fix the record (for OVHcloud mail, SPF should include mx.ovh.com)."
            )
        found.append(make_finding(
            FindingId(f"{method}-fail"), "warning", f"{method.upper()} check failed for {named} ({result})",
            detail, evidence, question=1 if theirs else None,
        ))
