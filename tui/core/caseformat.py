"""How a Case is written down: a JSON-safe dict and back, forgiving of any schema version.

Reading never fails: unknown keys are ignored and missing or unusable values
take their defaults, so a file written by an older or newer unblock still
opens.

The store keeps a case as one small "state" document for its single-valued
parts and one row per item of the parts that are lists (steps ticked,
answers, devices, programs), so that two windows changing different items
never overwrite each other: ``split_case``, ``row_value`` and ``join_case``.
"""

from __future__ import annotations

import uuid
from typing import Any

from tui.core import case as case_module
from tui.core.case import (
    COUNTRY_CODE,
    FIRST_SCREEN,
    LANGUAGES,
    QUESTION_NUMBERS,
    SCHEMA,
    SOFTWARE_KINDS,
    Answer,
    Case,
    Device,
    Sample,
    Software,
)
from tui.core.products import PRODUCT_IDS
from tui.core.questions import CHOICES


def case_to_dict(case: Case, include_samples: bool = True) -> dict[str, Any]:
    """A JSON-safe copy of ``case``. The store keeps samples in their own table, hence ``include_samples``."""
    d: dict[str, Any] = {
        "schema": SCHEMA,
        "id": case.id,
        "product": case.product,
        "product_confirmed": case.product_confirmed,
        "address": case.address,
        "service": case.service,
        "ticket_text": case.ticket_text,
        "ticket_language": case.ticket_language,
        "suspicious_count": case.suspicious_count,
        "expected_countries": list(case.expected_countries),
        "own_ips": list(case.own_ips),
        "own_clients": list(case.own_clients),
        "answers": {str(q): {"choice": a.choice, "comment": a.comment} for q, a in case.answers.items()},
        "reply_language": case.reply_language,
        "reply_text": case.reply_text,
        "reply_include_evidence": case.reply_include_evidence,
        "reply_include_remediation": case.reply_include_remediation,
        "steps_done": sorted(case.steps_done),
        "devices": [{"name": d.name, "scanned_at": d.scanned_at, "result": d.result} for d in case.devices],
        "software": [{"id": s.id, "name": s.name, "kind": s.kind, "updated_at": s.updated_at} for s in case.software],
        "password_changed_at": case.password_changed_at,
        "password_changed_early": case.password_changed_early,
        "ovh_account": case.ovh_account,
        "ticket_messages": list(case.ticket_messages),
        "redirection_check": case.redirection_check,
        "posted_replies": list(case.posted_replies),
        "status_reads": list(case.status_reads),
        "screen": case.screen,
        "created_at": case.created_at,
        "updated_at": case.updated_at,
    }
    if include_samples:
        d["samples"] = [{"id": s.id, "source": s.source, "index": s.index, "text": s.text} for s in case.samples]
    return d


# Single-valued parts: the keys of the state document that each Change part names.
STATE_KEYS: dict[str, tuple[str, ...]] = {
    "product": ("product", "product_confirmed"),
    "ticket": ("ticket_text", "address", "service", "suspicious_count", "ticket_language", "reply_language"),
    "expectations": ("expected_countries", "own_ips", "own_clients"),
    "reply": ("reply_text",),
    "reply_options": ("reply_language", "reply_include_evidence", "reply_include_remediation"),
    "password": ("password_changed_at", "password_changed_early"),
    "screen": ("screen",),
    "account": ("ovh_account",),
    "ticket_messages": ("ticket_messages",),
    "redirections": ("redirection_check",),
}
# Parts made of rows, and for the logs among them, the key each entry is known by.
ROW_PARTS = frozenset({"steps", "answers", "devices", "software", "posted", "status"})
_LOGS = {"posted": ("posted_replies", "posted_at"), "status": ("status_reads", "read_at")}


def split_case(case: Case) -> tuple[dict[str, Any], list[tuple[str, str, Any]]]:
    """The case's state document and its rows (part, key, value), samples aside."""
    d = case_to_dict(case, include_samples=False)
    rows: list[tuple[str, str, Any]] = [("steps", step, True) for step in d.pop("steps_done")]
    rows += [("answers", q, value) for q, value in d.pop("answers").items()]
    rows += [("devices", device["name"].casefold(), device) for device in d.pop("devices")]
    rows += [("software", item["id"], item) for item in d.pop("software")]
    for part, (name, key) in _LOGS.items():
        rows += [(part, entry[key], entry) for entry in d.pop(name)]
    return d, rows


def row_value(case: Case, part: str, key: object) -> Any | None:
    """The stored value of one row of ``case`` (None when the row is not there)."""
    if part == "steps":
        return True if key in case.steps_done else None
    if part == "answers":
        answer = case.answers.get(int(key))  # type: ignore[call-overload]
        return None if answer is None else {"choice": answer.choice, "comment": answer.comment}
    if part == "devices":
        device = next((d for d in case.devices if d.name.casefold() == key), None)
        return None if device is None else {"name": device.name, "scanned_at": device.scanned_at,
                                            "result": device.result}
    if part == "software":
        item = next((s for s in case.software if s.id == key), None)
        return None if item is None else {"id": item.id, "name": item.name, "kind": item.kind,
                                          "updated_at": item.updated_at}
    if part in _LOGS:
        name, field_name = _LOGS[part]
        return next((entry for entry in getattr(case, name) if entry.get(field_name) == key), None)
    raise ValueError(f"{part!r} is not a part made of rows")


def join_case(state: dict[str, Any], rows: list[tuple[str, str, Any]]) -> dict[str, Any]:
    """The dict form of a case from its state document and its rows, rows in their saved order."""
    d = dict(state) if isinstance(state, dict) else {}
    d["steps_done"] = [key for part, key, _value in rows if part == "steps"]
    d["answers"] = {key: value for part, key, value in rows if part == "answers"}
    d["devices"] = [value for part, _key, value in rows if part == "devices"]
    d["software"] = [value for part, _key, value in rows if part == "software"]
    for log, (name, _key) in _LOGS.items():
        d[name] = [value for part, _key, value in rows if part == log]
    return d


def case_from_dict(d: dict[str, Any]) -> Case:
    """Rebuild a case from ``to_dict`` output of any schema version.

    Unknown keys are ignored and missing or unusable values take their
    defaults, so a file written by an older or newer unblock still opens.
    """
    r = _Reader(d if isinstance(d, dict) else {})
    case = Case(id=r.text("id") or uuid.uuid4().hex, created_at=r.text("created_at") or case_module.now())
    case.product = r.choice("product", PRODUCT_IDS)
    case.product_confirmed = r.flag("product_confirmed", False) and case.product is not None
    case.address = r.text("address")
    case.service = r.text("service")
    case.ticket_text = r.text("ticket_text") or ""
    case.ticket_language = r.choice("ticket_language", LANGUAGES)
    case.suspicious_count = r.whole("suspicious_count")
    case.samples = [
        Sample(s.text("id") or uuid.uuid4().hex, s.text("source") or "pasted", s.whole("index") or 0, text)
        for s in r.records("samples")
        if (text := s.text("text"))
    ]
    case.expected_countries = [c for c in r.texts("expected_countries") if COUNTRY_CODE.fullmatch(c)]
    case.own_ips = r.texts("own_ips")
    case.own_clients = r.texts("own_clients")
    answers = r.value("answers")
    for q in QUESTION_NUMBERS:
        a = _Reader(answers.get(str(q)) if isinstance(answers, dict) else None)
        case.answers[q] = Answer(a.choice("choice", CHOICES), a.text("comment") or "")
    case.reply_language = r.choice("reply_language", LANGUAGES) or "en"
    case.reply_text = r.text("reply_text")
    case.reply_include_evidence = r.flag("reply_include_evidence", True)
    case.reply_include_remediation = r.flag("reply_include_remediation", True)
    case.steps_done = set(r.texts("steps_done"))
    case.devices = [
        Device(name, x.text("scanned_at"), x.text("result"))
        for x in r.records("devices")
        if (name := x.text("name"))
    ]
    case.software = [
        Software(name, x.choice("kind", SOFTWARE_KINDS) or "other", x.text("updated_at"),
                 x.text("id") or uuid.uuid4().hex)
        for x in r.records("software")
        if (name := x.text("name"))
    ]
    case.password_changed_at = r.text("password_changed_at")
    case.password_changed_early = r.flag("password_changed_early", False)
    account = r.value("ovh_account")
    case.ovh_account = account if isinstance(account, dict) else None
    check = r.value("redirection_check")
    case.redirection_check = check if isinstance(check, dict) else None
    case.ticket_messages = [dict(x.d) for x in r.records("ticket_messages")]
    case.posted_replies = [dict(x.d) for x in r.records("posted_replies")]
    case.status_reads = [dict(x.d) for x in r.records("status_reads")]
    case.screen = r.text("screen") or FIRST_SCREEN
    case.updated_at = r.text("updated_at") or case.created_at
    return case


class _Reader:
    """Typed, forgiving access to a dict read from JSON: a wrong type reads as missing."""

    __slots__ = ("d",)

    def __init__(self, d: object) -> None:
        self.d = d if isinstance(d, dict) else {}

    def value(self, key: str) -> object:
        return self.d.get(key)

    def text(self, key: str) -> str | None:
        v = self.d.get(key)
        return v if isinstance(v, str) else None

    def choice(self, key: str, allowed: tuple[str, ...]) -> str | None:
        v = self.d.get(key)
        return v if v in allowed else None

    def flag(self, key: str, default: bool) -> bool:
        v = self.d.get(key)
        return v if isinstance(v, bool) else default

    def whole(self, key: str) -> int | None:
        v = self.d.get(key)
        return v if isinstance(v, int) and not isinstance(v, bool) and v >= 0 else None

    def texts(self, key: str) -> list[str]:
        v = self.d.get(key)
        return [x for x in v if isinstance(x, str)] if isinstance(v, list) else []

    def records(self, key: str) -> list[_Reader]:
        v = self.d.get(key)
        return [_Reader(x) for x in v if isinstance(x, dict)] if isinstance(v, list) else []
