"""The public JSON document of `unblock inspect --json` (version 1).

The shape is a contract documented in the README: keys are never renamed or
removed; a change that breaks readers gets a new version number.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tui.core.results import Hop, Message

VERSION = 1


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def hop_to_dict(hop: Hop) -> dict[str, Any]:
    """One hop as the contract spells it (``with``, ``for``: Python names carry a trailing _)."""
    return {
        "index": hop.index,
        "raw": hop.raw,
        "relay": hop.relay,
        "from_helo": hop.from_helo,
        "from_rdns": hop.from_rdns,
        "from_ip": hop.from_ip,
        "ident": hop.ident,
        "by": hop.by,
        "via": hop.via,
        "with": hop.with_,
        "id": hop.id,
        "for": hop.for_,
        "envelope_from": hop.envelope_from,
        "tls": hop.tls,
        "auth": hop.auth,
        "date": _iso(hop.date),
        "date_utc_assumed": hop.date_utc_assumed,
        "delay_s": hop.delay_s,
        "mta": hop.mta,
    }


def message_to_dict(message: Message) -> dict[str, Any]:
    """One analysed message as a JSON-safe dict."""
    origin = message.origin
    spamcause = message.spamcause
    return {
        "source": message.source,
        "index": message.index,
        "subject": message.subject,
        "from": message.from_,
        "to": list(message.to),
        "reply_to": message.reply_to,
        "date": _iso(message.date),
        "message_id": message.message_id,
        "hops": [hop_to_dict(h) for h in message.hops],
        "origin": {
            "ip": origin.ip,
            "country": origin.country,
            "authenticated_as": origin.authenticated_as,
            "client": origin.client,
            "source_header": origin.source_header,
        },
        "auth": [
            {
                "authserv_id": r.authserv_id,
                "method": r.method,
                "result": r.result,
                "properties": dict(r.properties),
            }
            for r in message.auth
        ],
        "spamcause": None
        if spamcause is None
        else {
            "decoded": spamcause.decoded,
            "fields": {**spamcause.fields, **({"Param": spamcause.params} if spamcause.params else {})},
            "encrypted": spamcause.encrypted,
        },
        "findings": [
            {
                "id": f.id,
                "severity": f.severity,
                "title": f.title,
                "detail": f.detail,
                "evidence": [{"header": e.header, "value": e.value} for e in f.evidence],
            }
            for f in message.findings
        ],
    }
