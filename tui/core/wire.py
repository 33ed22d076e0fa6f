"""Messages and headers as plain tuples, to cross from a worker process to the one that shows them.

Pickle rebuilds a slotted dataclass through a Python ``__setstate__`` call per
object: about 160 µs a message, more than half of what analysing it costs, and
paid by the one process that collects every worker's results. Tuples of
strings and numbers pickle and unpickle in C; rebuilding the dataclasses from
them costs a tenth of that. Every field of every model class is carried (a test
checks that the round trip gives equal objects and that no field is missed).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from functools import lru_cache

from tui.core.dates import ASSUMED_UTC
from tui.core.findings.ids import FindingId
from tui.core.model import Header, Headers
from tui.core.results import AuthResult, Evidence, Finding, Hop, Message, Origin, Spamcause

_IDS = {str(member): member for member in FindingId}


@lru_cache(maxsize=256)
def _zone(offset: int | None) -> timezone:
    return ASSUMED_UTC if offset is None else timezone(timedelta(seconds=offset))


def _date_out(date: datetime | None) -> tuple | None:
    if date is None:
        return None
    zone = date.tzinfo
    # None stands for the assumed UTC of a date written without a zone, "" for a naive datetime.
    offset = None if zone is ASSUMED_UTC else (int(zone.utcoffset(date).total_seconds()) if zone else "")
    return (date.year, date.month, date.day, date.hour, date.minute, date.second, date.microsecond, offset)


def _date_in(value: tuple | None) -> datetime | None:
    if value is None:
        return None
    *parts, offset = value
    return datetime(*parts, tzinfo=None if offset == "" else _zone(offset))


def headers_out(headers: Headers) -> tuple:
    """``headers`` as a tuple: the fields' names and values, flat, then source, index and problems."""
    flat: list[str] = []
    for header in headers.fields:
        flat += (header.name, header.value)
    return tuple(flat), headers.source, headers.index, tuple(headers.problems)


def headers_in(value: tuple) -> Headers:
    flat, source, index, problems = value
    return _WiredHeaders(flat, source, index, list(problems))


class _WiredHeaders(Headers):
    """Headers whose Header objects are made on first use: the app shows a message's raw header
    only when it is opened, so most of them are never needed after the analysis."""

    __slots__ = ("_flat",)

    def __init__(self, flat: tuple, source: str, index: int, problems: list[str]) -> None:
        self._flat = flat
        super().__init__(None, source, index, problems)

    @property  # type: ignore[override]
    def fields(self) -> list[Header]:
        fields = _FIELDS.__get__(self)
        if fields is None:
            flat = self._flat
            fields = list(map(Header, flat[::2], flat[1::2]))
            _FIELDS.__set__(self, fields)
        return fields

    @fields.setter
    def fields(self, value: list[Header] | None) -> None:
        _FIELDS.__set__(self, value)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Headers):
            return NotImplemented
        return (self.fields, self.source, self.index, self.problems) == (
            other.fields, other.source, other.index, other.problems
        )

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self):
        return _WiredHeaders, (self._flat, self.source, self.index, self.problems)


# The slot that holds Headers.fields, under the property above.
_FIELDS = Headers.__dict__["fields"]


def _hop_out(hop: Hop) -> tuple:
    return (
        hop.index, hop.raw, hop.relay, hop.from_helo, hop.from_rdns, hop.from_ip, hop.ident, hop.by, hop.via,
        hop.with_, hop.id, hop.for_, hop.envelope_from, hop.tls, hop.auth, _date_out(hop.date), hop.delay_s,
        hop.mta, hop.country, hop.may_be_forged, hop.date_utc_assumed,
    )


def _hop_in(value: tuple) -> Hop:
    hop = Hop(*value)
    hop.date = _date_in(hop.date)
    return hop


def _finding_out(finding: Finding) -> tuple:
    return (
        str(finding.id), finding.severity, finding.title, finding.detail,
        tuple((evidence.header, evidence.value) for evidence in finding.evidence), finding.question,
        finding.hop_index,
    )


def _finding_in(value: tuple) -> Finding:
    id_, severity, title, detail, evidence, question, hop_index = value
    return Finding(_IDS.get(id_, id_), severity, title, detail, [Evidence(*pair) for pair in evidence], question,
                   hop_index)


def _auth_out(result: AuthResult) -> tuple:
    return (result.method, result.result, result.authserv_id, tuple(result.properties.items()), result.header,
            result.reason)


def _auth_in(value: tuple) -> AuthResult:
    method, result, authserv_id, properties, header, reason = value
    return AuthResult(method, result, authserv_id, dict(properties), header, reason)


def _origin_out(origin: Origin) -> tuple:
    return (origin.ip, origin.country, origin.authenticated_as, origin.client, origin.source_header,
            origin.hop_index, origin.rdns, origin.helo)


def _spamcause_out(cause: Spamcause | None) -> tuple | None:
    if cause is None:
        return None
    return (cause.raw, cause.decoded, tuple(cause.fields.items()), tuple(cause.params.items()), tuple(cause.rules),
            cause.encrypted, cause.problem)


def _spamcause_in(value: tuple | None) -> Spamcause | None:
    if value is None:
        return None
    raw, decoded, fields, params, rules, encrypted, problem = value
    return Spamcause(raw, decoded, dict(fields), dict(params), list(rules), encrypted, problem)


def message_out(message: Message) -> tuple:
    """``message`` as nested tuples of strings, numbers, booleans and None."""
    return (
        message.source, message.index, headers_out(message.headers), message.subject, message.from_,
        tuple(message.to), tuple(message.cc), message.reply_to, _date_out(message.date), message.message_id,
        tuple(map(_hop_out, message.hops)), _origin_out(message.origin), tuple(map(_auth_out, message.auth)),
        _spamcause_out(message.spamcause), message.spamstate, message.spamscore, message.tracer_id,
        tuple(map(_finding_out, message.findings)), tuple(message.problems),
    )


def message_in(value: tuple) -> Message:
    """The Message that ``message_out`` gave ``value`` for."""
    (
        source, index, headers, subject, from_, to, cc, reply_to, date, message_id, hops, origin, auth,
        spamcause, spamstate, spamscore, tracer_id, findings, problems,
    ) = value  # fmt: skip
    return Message(
        source, index, headers_in(headers), subject, from_, list(to), list(cc), reply_to, _date_in(date), message_id,
        list(map(_hop_in, hops)), Origin(*origin), list(map(_auth_in, auth)), _spamcause_in(spamcause), spamstate,
        spamscore, tracer_id, list(map(_finding_in, findings)), list(problems),
    )
