"""The public JSON document of `unblock inspect --json` (version 1).

The shape is a contract documented in the README: keys are never renamed or
removed; a change that breaks readers gets a new version number.

``message_to_dict`` is the document's definition; ``message_json`` writes the
same entry as text for `unblock inspect --json`, byte for byte what
``json.JSONEncoder(ensure_ascii=True)`` makes of that dict, for less: the hops,
most of an entry, are written straight to text without a dict each (see
``hop_json``), and the encoder writes the rest.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from json.encoder import c_make_encoder, encode_basestring_ascii as _escape
from operator import attrgetter
from typing import Any

from tui.core.results import Hop, Message

VERSION = 1


# "00" to "99", to write a date's two-digit parts without a format call each.
_TWO_DIGITS = [f"{number:02d}" for number in range(100)]
# The "+01:00" that isoformat writes for each fixed-offset zone met (a few dozen at most).
_OFFSETS: dict[timezone, str] = {}


def _iso(value: datetime | None) -> str | None:
    """``value.isoformat()``, written here for the dates the analysis makes.

    datetime.isoformat formats each part with sprintf and asks the zone for its
    offset at every call, several times the cost of this; a date with another
    kind of zone, a fraction of a second or a year before 1000 is left to it.
    """
    if value is None:
        return None
    zone = value.tzinfo
    if type(zone) is not timezone or value.microsecond or value.year < 1000:
        return value.isoformat()
    offset = _OFFSETS.get(zone)
    if offset is None:
        offset = _OFFSETS[zone] = value.isoformat()[19:]
    two = _TWO_DIGITS
    return (
        f"{value.year}-{two[value.month]}-{two[value.day]}"
        f"T{two[value.hour]}:{two[value.minute]}:{two[value.second]}{offset}"
    )


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
    entry = _without_hops(message)
    entry["hops"] = [hop_to_dict(h) for h in message.hops]
    return entry


def _without_hops(message: Message) -> dict[str, Any]:
    """message_to_dict's entry with an empty list of hops."""
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
        "hops": [],
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


# --- the entry as JSON text ----------------------------------------------------------------------

# json.dumps's own settings (", " and ": " separators), without the check for
# reference cycles: an entry has none.
_ENCODER = json.JSONEncoder(ensure_ascii=True, check_circular=False)
if c_make_encoder is None:
    ENCODE = _ENCODER.encode
else:
    # What JSONEncoder.encode sets up again at every call (see JSONEncoder.iterencode),
    # set up once: the same C encoder with the same settings, so the same text.
    _c_encode = c_make_encoder(None, _ENCODER.default, _escape, None, ": ", ", ", False, False, True)

    def ENCODE(value: Any) -> str:
        """``value`` as JSON text, as ``_ENCODER.encode`` writes it."""
        return "".join(_c_encode(value, 0))


_CONSTANTS = {None: "null", True: "true", False: "false"}


def _value(value: Any) -> str:
    """A value as the encoder writes it inside an entry.

    None, str, bool, int and finite floats are written here as the encoder's C
    code writes them; anything else goes to the encoder itself.
    """
    kind = type(value)
    if kind is str:
        return _escape(value)
    if value is None or kind is bool:
        return _CONSTANTS[value]
    if kind is int or kind is float and value - value == 0.0:  # NaN and infinities are the encoder's to spell
        return repr(value)
    return ENCODE(value)


# Every attribute hop_to_dict reads but the date, in its order, in one C call.
_hop_values = attrgetter(
    "index", "raw", "relay", "from_helo", "from_rdns", "from_ip", "ident", "by", "via", "with_", "id", "for_",
    "envelope_from", "tls", "auth", "date_utc_assumed", "delay_s", "mta",
)


def hop_json(hop: Hop) -> str:
    """``hop_to_dict(hop)`` as the encoder writes it, without building the dict (keep the two in step)."""
    # Most values are text or None: those are written inline, the rest by _value.
    (
        index, raw, relay, from_helo, from_rdns, from_ip, ident, by, via, with_, id_, for_,
        envelope_from, tls, auth, date_utc_assumed, delay_s, mta,
    ) = [
        _escape(value) if type(value) is str else "null" if value is None else _value(value)
        for value in _hop_values(hop)
    ]  # fmt: skip
    date = _value(_iso(hop.date))
    return (
        f'{{"index": {index}, "raw": {raw}, "relay": {relay}, "from_helo": {from_helo}, '
        f'"from_rdns": {from_rdns}, "from_ip": {from_ip}, "ident": {ident}, "by": {by}, "via": {via}, '
        f'"with": {with_}, "id": {id_}, "for": {for_}, "envelope_from": {envelope_from}, "tls": {tls}, '
        f'"auth": {auth}, "date": {date}, "date_utc_assumed": {date_utc_assumed}, "delay_s": {delay_s}, '
        f'"mta": {mta}}}'
    )


# How the encoder writes the empty list of hops that _without_hops leaves. Every
# quote inside an encoded string is escaped (as \"), so this text can only be
# the key itself: the first occurrence is it.
_NO_HOPS = '"hops": []'


def message_json(message: Message, source: str | None = None) -> str:
    """``message_to_dict(message)`` as the encoder writes it, ``source`` in place of message.source if given."""
    entry = _without_hops(message)
    if source is not None:
        entry["source"] = source
    text = ENCODE(entry)
    if not message.hops:
        return text
    return text.replace(_NO_HOPS, '"hops": [' + ", ".join(map(hop_json, message.hops)) + "]", 1)
