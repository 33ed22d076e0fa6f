"""OVHcloud's own verdict: X-VR-SPAMSTATE and SPAMSCORE, and the rules its decoded X-VR-SPAMCAUSE
names.
"""

from __future__ import annotations

from tui.core.findings.facts import Facts, as_int, decoded_spamcause, make_finding
from tui.core.findings.ids import FindingId
from tui.core.results import Evidence, Finding

_SPAM_SCORE = 300
_HIGH_RULE_SCORE = 100


def ovh_verdict(facts: Facts, found: list[Finding]) -> None:
    message = facts.message
    # A message filtered twice (sent, then received) carries two X-VR blocks.
    states = facts.by_name.get("x-vr-spamstate", ())
    scores = facts.by_name.get("x-vr-spamscore", ())
    if not (states or scores or message.spamstate or message.spamscore or message.spamcause):
        return
    if len(states) == 1:  # the usual case, without building a list to join
        state = states[0].value.strip() or message.spamstate or ""
    else:
        state = ", ".join([h.value.strip() for h in states]) or message.spamstate or ""
    state = state.strip()
    if len(scores) == 1:
        raw_scores = scores[0].value or message.spamscore
    else:
        raw_scores = ",".join([h.value for h in scores]) or message.spamscore
    score = None
    if raw_scores is not None:
        for part in str(raw_scores).split(","):
            number = as_int(part)
            if number is not None and (score is None or number > score):
                score = number
    verdict = state.upper()
    flagged = "SPAM" in verdict or "PHISHING" in verdict or "VIRUS" in verdict or "SCAM" in verdict
    if flagged or (score is not None and score >= _SPAM_SCORE):
        found.append(make_finding(
            FindingId.OVH_SPAM_VERDICT, "warning", f"OVHcloud's filter rated this message {state or 'spam'}",
            f"OVHcloud's spam filter gave this message the verdict {state or 'unknown'} with a score "
            f"of {score if score is not None else 'unknown'} (300 or more counts as spam). Messages "
            "like this one leaving your address are why the account was locked.",
            [Evidence(h.name, h.value) for h in (*states[:2], *scores[:2])],
        ))
    spamcause = message.spamcause
    if spamcause is None:
        return
    if spamcause.encrypted:
        found.append(make_finding(
            FindingId.OVH_SPAMCAUSE_ENCRYPTED, "info", "OVHcloud's spam explanation is encrypted",
            "The X-VR-SPAMCAUSE header uses OVHcloud's newer, encrypted form, so the reasons for "
            "the filter's verdict cannot be read. The rest of the analysis does not depend on it.",
            [facts.quote("x-vr-spamcause")],
        ))
    high = [(name.lstrip("^@!~ "), s) for name, s in spamcause.rules
            if isinstance(s, int) and s >= _HIGH_RULE_SCORE and name]
    if high:
        scored = [f"{name} ({s})" for name, s in high]
        found.append(make_finding(
            FindingId.OVH_SPAM_RULES, "warning", f"Spam rules matched: {', '.join([name for name, _ in high])}",
            "OVHcloud's filter explained its verdict in the X-VR-SPAMCAUSE header, decoded here. "
            f"The rules that counted against the message were: {', '.join(scored)}. A total of 300 or "
            "more makes a message spam.",
            [decoded_spamcause("; ".join(scored))],
        ))
