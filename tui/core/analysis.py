"""Turn one message's Headers into an analysed Message: hops, origin, auth, SPAMCAUSE, findings.

This is the single entry point the CLI and the app use; the parsers it calls
each read one kind of header.
"""

from __future__ import annotations

from email.utils import getaddresses

from tui.core.authresults import parse_authentication_results, parse_received_spf
from tui.core.dates import parse_date
from tui.core.findings import find_all
from tui.core.model import AuthResult, Expectations, Headers, Message
from tui.core.origin import find_origin
from tui.core.received import order_hops
from tui.core.spamcause import decode_spamcause
from tui.core.text import decode_words

# Beyond this many Received lines a message is not a real chain; the rest are
# kept out of the analysis so one hostile input cannot stall the report.
MAX_HOPS = 500


def analyse(headers: Headers, expectations: Expectations | None = None) -> Message:
    """Analyse one header block against what the user expects."""
    expectations = expectations or Expectations()
    message = Message(source=headers.source, index=headers.index, headers=headers)
    message.problems.extend(headers.problems)

    message.subject = _decoded(headers.get("Subject"))
    message.from_ = _decoded(headers.get("From"))
    message.reply_to = _decoded(headers.get("Reply-To"))
    message.to = _recipients(headers.get_all("To"))
    message.cc = _recipients(headers.get_all("Cc"))
    date_value = headers.get("Date")
    if date_value is not None:
        message.date = parse_date(date_value)
        if message.date is None and date_value.strip():
            message.problems.append(f"The Date header could not be read: {date_value.strip()[:80]}")
    message_id = headers.get("Message-ID")
    message.message_id = message_id.strip() or None if message_id is not None else None

    received = headers.get_all("Received")
    if len(received) > MAX_HOPS:
        message.problems.append(
            f"{len(received)} Received headers: only the {MAX_HOPS} oldest were analysed."
        )
        received = received[-MAX_HOPS:]
    message.hops = order_hops(received)

    message.auth = _auth_results(headers)
    message.origin = find_origin(headers, message.hops, message.auth)

    spamcause = headers.get_all("X-VR-SPAMCAUSE")
    if spamcause:
        message.spamcause = decode_spamcause(spamcause[0])
    message.spamstate = _stripped(headers.get("X-VR-SPAMSTATE"))
    message.spamscore = _stripped(headers.get("X-VR-SPAMSCORE"))
    message.tracer_id = _stripped(headers.get("X-Ovh-Tracer-Id"))

    message.findings = find_all(message, expectations)
    return message


def analyse_all(blocks: list[Headers], expectations: Expectations | None = None) -> list[Message]:
    """Analyse several header blocks with the same expectations."""
    return [analyse(block, expectations) for block in blocks]


def _auth_results(headers: Headers) -> list[AuthResult]:
    results: list[AuthResult] = []
    for header in headers:
        name = header.name.lower()
        if name == "authentication-results":
            results.extend(parse_authentication_results(header.value))
        elif name == "arc-authentication-results":
            results.extend(parse_authentication_results(header.value, "ARC-Authentication-Results"))
        elif name == "received-spf":
            spf = parse_received_spf(header.value)
            if spf is not None:
                results.append(spf)
    return results


def _stripped(value: str | None) -> str | None:
    if value is None:
        return None
    return value.strip() or None


def _decoded(value: str | None) -> str | None:
    if value is None:
        return None
    return " ".join(decode_words(value).split()) or None


def _recipients(values: list[str]) -> list[str]:
    """Each recipient as "Name <address>" or "address", display names decoded.

    Most To/Cc values are simple lists; those go through a plain split, and
    only values with quotes or comments pay for the stdlib's full parser.
    """
    people: list[str] = []
    for value in values:
        value = value[:20000]
        if '"' in value or "(" in value or ";" in value:
            pairs = getaddresses([value])
        else:
            pairs = [_simple_address(part) for part in value.split(",")]
        for name, address in pairs:
            if "=?" in name:
                name = " ".join(decode_words(name).split())
            if address and name and name != address:
                people.append(f"{name} <{address}>")
            elif address:
                people.append(address)
            elif name:
                people.append(name)
    return people


def _simple_address(part: str) -> tuple[str, str]:
    part = part.strip()
    if part.endswith(">") and "<" in part:
        name, _, address = part[:-1].rpartition("<")
        return " ".join(name.split()), address.strip()
    return "", part
