"""One blocked mailbox's case: everything the user has told us and done so far.

Every screen of the app reads the same ``Case`` and changes it only through
its methods, which validate the input, stamp ``updated_at`` and tell the
listeners (the store's autosave, the screens that show it). Plain
dataclasses: no textual, no sqlite. The password itself is never kept here,
only the moment it was changed.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, Callable, Iterable, NamedTuple

from tui.core.checks import (
    deduplicated,
    identifier,
    index_in,
    name_value,
    normalise_address,
    text_items,
    text_value,
)
from tui.core.clock import moment, now, timestamp
from tui.core.model import Expectations
from tui.core.products import PRODUCT_IDS
from tui.core.questions import CHOICES

SCHEMA = 1
LANGUAGES = ("en", "fr")
SOFTWARE_KINDS = ("fax/scanner", "business software", "mail client", "phone", "other")
QUESTION_NUMBERS = (1, 2, 3)
FIRST_SCREEN = "product"

COUNTRY_CODE = re.compile(r"[A-Z]{2}")

class Change(str):
    """What changed in a case: compares and prints as the part's name ("devices"), and says which row.

    ``key`` names the row of a part made of rows (a step id, a question
    number, a device's name, a program's or a sample's id; a tuple of ids for
    samples added together), ``removed`` says the row is gone. The store
    writes just that; screens mostly read the part's name.
    """

    key: object
    removed: bool

    def __new__(cls, part: str, key: object = None, removed: bool = False) -> Change:
        change = super().__new__(cls, part)
        change.key = key
        change.removed = removed
        return change


Listener = Callable[["Case", Change], None]
# The parts of a case that the analysis reads (see ``evidence_revision``).
EVIDENCE_PARTS = frozenset({"ticket", "samples", "expectations", "reloaded"})


@dataclass(slots=True)
class Sample:
    """One header block the user gave us, as they gave it.

    ``source`` says where it came from ("ticket", "sent.mbox", "pasted"),
    ``index`` which message of that source it is, counting from 0.
    """

    id: str
    source: str
    index: int
    text: str


@dataclass(slots=True)
class Answer:
    """The user's answer to one of the ticket's three questions."""

    choice: str | None = None
    comment: str = ""


@dataclass(slots=True)
class Device:
    """A computer or phone that uses the mailbox and must be scanned for malware."""

    name: str
    scanned_at: str | None = None
    result: str | None = None


@dataclass(slots=True)
class Software:
    """A program that sends mail with the account's password and must be updated."""

    name: str
    kind: str
    updated_at: str | None = None
    # Which entry this is, for saving; two entries alike in everything else compare equal.
    id: str = field(default_factory=lambda: uuid.uuid4().hex, compare=False)


class Progress(NamedTuple):
    """Where securing the account stands: devices scanned, programs updated, when the password changed."""

    devices_scanned: int
    devices: int
    software_updated: int
    software: int
    password_changed_at: str | None
    # Programs marked after the password change: they have the new password.
    software_with_new_password: int = 0


@dataclass(eq=False)
class Case:
    """Everything about one blocked mailbox, from product choice to password change.

    Read the fields freely; change them only through the methods, so that
    every change is validated, timestamped and saved.
    """

    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    product: str | None = None
    product_confirmed: bool = False
    address: str | None = None
    service: str | None = None
    ticket_text: str = ""
    ticket_language: str | None = None
    suspicious_count: int | None = None
    samples: list[Sample] = field(default_factory=list)
    expected_countries: list[str] = field(default_factory=list)
    own_ips: list[str] = field(default_factory=list)
    own_clients: list[str] = field(default_factory=list)
    answers: dict[int, Answer] = field(default_factory=lambda: {q: Answer() for q in QUESTION_NUMBERS})
    reply_language: str = "en"
    reply_text: str | None = None
    reply_include_evidence: bool = True
    reply_include_remediation: bool = True
    steps_done: set[str] = field(default_factory=set)
    devices: list[Device] = field(default_factory=list)
    software: list[Software] = field(default_factory=list)
    password_changed_at: str | None = None
    password_changed_early: bool = False
    # The account at OVHcloud, when the case was opened from a connection (see ``link_account``).
    ovh_account: dict[str, Any] | None = None
    ticket_messages: list[dict[str, Any]] = field(default_factory=list)
    redirection_check: dict[str, Any] | None = None
    posted_replies: list[dict[str, Any]] = field(default_factory=list)
    status_reads: list[dict[str, Any]] = field(default_factory=list)
    screen: str = FIRST_SCREEN
    created_at: str = field(default_factory=now)
    updated_at: str = ""
    _listeners: list[Listener] = field(default_factory=list, init=False, repr=False)
    # Counts the changes to what the analysis reads (samples, the address, where the user sends
    # from): analysis results made at one revision belong to the case as it was then.
    evidence_revision: int = field(default=0, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.updated_at:
            self.updated_at = self.created_at

    # -- listeners -----------------------------------------------------------

    def subscribe(self, callback: Listener) -> Callable[[], None]:
        """Call ``callback(case, what)`` after every change; returns the unsubscribe function.

        ``what`` is a Change naming the part that changed: "product", "steps",
        "ticket", "samples", "expectations", "answers", "reply",
        "reply_options", "devices", "software", "password" or "screen"; or
        "reloaded" when another window's changes were read in (``replace_with``).
        A listener's exception reaches the caller of the method (the change
        itself is already made).
        """
        self._listeners.append(callback)

        def unsubscribe() -> None:
            if callback in self._listeners:
                self._listeners.remove(callback)

        return unsubscribe

    def _changed(self, part: str, key: object = None, removed: bool = False) -> None:
        if part in EVIDENCE_PARTS:
            self.evidence_revision += 1
        self.updated_at = now()
        self._tell(Change(part, key, removed))

    def _tell(self, change: Change) -> None:
        # A copy, because a listener may unsubscribe while being told.
        for callback in list(self._listeners):
            callback(self, change)

    def replace_with(self, other: Case) -> None:
        """Take every saved field of ``other`` (the same case as another window left it), then say "reloaded".

        Where the other window only moved to another step, nothing this window
        shows has changed: the fields are taken without a word.
        """
        changed = any(getattr(self, name) != getattr(other, name) for name in _SAVED_FIELDS if name not in _QUIET)
        for name in _SAVED_FIELDS:
            setattr(self, name, getattr(other, name))
        if changed:
            self.evidence_revision += 1
            self._tell(Change("reloaded"))

    # -- product and checklist -----------------------------------------------

    def set_product(self, product: str | None) -> None:
        """Choose the product (one of PRODUCT_IDS), or None when unknown."""
        if product is not None and product not in PRODUCT_IDS:
            raise ValueError(f"Unknown product {product!r}; expected one of {', '.join(PRODUCT_IDS)}.")
        if product != self.product:
            # The user confirmed the other product, not this one.
            self.product_confirmed = False
        self.product = product
        self._changed("product")

    def confirm_product(self) -> None:
        """The user checked in the Control Panel that the product is right."""
        if self.product is None:
            raise ValueError("Choose a product before confirming it.")
        self.product_confirmed = True
        self._changed("product")

    def toggle_step(self, step_id: str) -> bool:
        """Tick or untick a checklist step; returns True when it is now ticked."""
        step = identifier(step_id, "The step id")
        removed = step in self.steps_done
        if removed:
            self.steps_done.remove(step)
        else:
            self.steps_done.add(step)
        self._changed("steps", step, removed)
        return step in self.steps_done

    # -- ticket and header samples -------------------------------------------

    def set_ticket(
        self,
        text: str,
        address: str | None = None,
        service: str | None = None,
        count: int | None = None,
        language: str | None = None,
    ) -> None:
        """Record the support ticket and what was read from it."""
        text = text_value(text, "The ticket text")
        if address is not None:
            address = normalise_address(address)
        if service is not None:
            service = name_value(service, "The service name")
        if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 0):
            raise ValueError(f"The number of suspicious emails must be a whole number of 0 or more, not {count!r}.")
        if language is not None and language not in LANGUAGES:
            raise ValueError(f"Unknown ticket language {language!r}; expected 'en' or 'fr'.")
        self.ticket_text = text
        self.address = address
        self.service = service
        self.suspicious_count = count
        self.ticket_language = language
        if language is not None and self.reply_text is None:
            # Until a reply is drafted, answer in the language the ticket was written in.
            self.reply_language = language
        self._changed("ticket")

    def add_samples(self, source: str, texts: Iterable[str]) -> list[Sample]:
        """Add header blocks from ``source``; returns the new samples.

        Each new sample's index continues from the samples already taken from
        the same source, so a second paste becomes "pasted" #1, not another #0.
        """
        source = name_value(source, "The sample source")
        if isinstance(texts, (str, bytes)) or not isinstance(texts, Iterable):
            raise ValueError("The header blocks must be given as a list of texts.")
        blocks = list(texts)
        if not blocks:
            raise ValueError(f"No header blocks were found in {source}.")
        for n, block in enumerate(blocks):
            if not text_value(block, "A header block").strip():
                raise ValueError(f"Header block {n} from {source} is empty.")
        start = 1 + max((s.index for s in self.samples if s.source == source), default=-1)
        new = [Sample(uuid.uuid4().hex, source, start + n, block) for n, block in enumerate(blocks)]
        self.samples.extend(new)
        self._changed("samples", tuple(sample.id for sample in new))
        return new

    def remove_sample(self, sample_id: str) -> None:
        """Forget one header block."""
        for n, sample in enumerate(self.samples):
            if sample.id == sample_id:
                del self.samples[n]
                self._changed("samples", sample_id, removed=True)
                return
        raise ValueError(f"There is no header sample with id {sample_id!r}.")

    # -- what the user expects -----------------------------------------------

    def set_expectations(
        self,
        countries: Iterable[str] | None = None,
        ips: Iterable[str] | None = None,
        clients: Iterable[str] | None = None,
    ) -> None:
        """Set where and how the user normally sends mail; None leaves a list unchanged.

        Countries are two-letter ISO codes (any case), IPs are written the
        standard way, duplicates and blank entries are dropped. Nothing is
        changed unless every list is valid.
        """
        import ipaddress  # here, not at start-up: only where the user says which IPs are theirs

        new_countries = self.expected_countries
        new_ips = self.own_ips
        new_clients = self.own_clients
        if countries is not None:
            codes = [c.upper() for c in text_items(countries, "Countries")]
            bad = [c for c in codes if not COUNTRY_CODE.fullmatch(c)]
            if bad:
                raise ValueError(
                    f"Not a two-letter country code: {', '.join(bad)} (use ISO codes such as FR, BE, CA)."
                )
            new_countries = deduplicated(codes)
        if ips is not None:
            parsed = []
            for item in text_items(ips, "IP addresses"):
                try:
                    parsed.append(str(ipaddress.ip_address(item)))
                except ValueError:
                    raise ValueError(f"{item!r} is not an IP address (like 203.0.113.7 or 2001:db8::1).") from None
            new_ips = deduplicated(parsed)
        if clients is not None:
            new_clients = deduplicated(text_items(clients, "Mail programs"), key=str.casefold)
        self.expected_countries = new_countries
        self.own_ips = new_ips
        self.own_clients = new_clients
        self._changed("expectations")

    def expectations(self) -> Expectations:
        """What the findings compare the headers against."""
        return Expectations(
            account=self.address,
            countries=list(self.expected_countries),
            ips=list(self.own_ips),
            clients=list(self.own_clients),
        )

    # -- the three questions and the reply -----------------------------------

    def set_answer(self, q: int, choice: str | None, comment: str | None = None) -> None:
        """Answer question ``q`` (1 to 3); a None comment keeps the current one."""
        if isinstance(q, bool) or q not in QUESTION_NUMBERS:
            raise ValueError(f"There is no question {q!r}; the ticket asks questions 1, 2 and 3.")
        if choice is not None and choice not in CHOICES:
            raise ValueError(f"Unknown answer {choice!r}; expected 'yes', 'no' or 'not sure'.")
        answer = self.answers[q]
        if comment is not None:
            answer.comment = text_value(comment, "The comment").strip()
        answer.choice = choice
        self._changed("answers", q)

    def missing_answers(self) -> list[int]:
        """The questions (1 to 3) that have no choice yet; OVHcloud needs all three answered."""
        return [q for q in QUESTION_NUMBERS if self.answers[q].choice is None]

    def all_answered(self) -> bool:
        """True once each of the three questions has a choice."""
        return not self.missing_answers()

    def set_reply(self, text: str | None) -> None:
        """Keep the user's edited reply; None throws the draft away."""
        self.reply_text = None if text is None else text_value(text, "The reply")
        self._changed("reply")

    def set_reply_options(
        self,
        language: str | None = None,
        include_evidence: bool | None = None,
        include_remediation: bool | None = None,
    ) -> None:
        """Choose the reply's language and sections; None leaves an option unchanged."""
        if language is not None and language not in LANGUAGES:
            raise ValueError(f"Unknown reply language {language!r}; expected 'en' or 'fr'.")
        for name, value in (("include_evidence", include_evidence), ("include_remediation", include_remediation)):
            if value is not None and not isinstance(value, bool):
                raise ValueError(f"{name} must be True or False, not {value!r}.")
        if language is not None:
            self.reply_language = language
        if include_evidence is not None:
            self.reply_include_evidence = include_evidence
        if include_remediation is not None:
            self.reply_include_remediation = include_remediation
        self._changed("reply_options")

    # -- devices, software, password -----------------------------------------

    def add_device(self, name: str) -> Device:
        """Add a computer or phone to scan; names must be unique so results are not mixed up."""
        name = name_value(name, "The device name")
        if any(d.name.casefold() == name.casefold() for d in self.devices):
            raise ValueError(f"There is already a device called {name!r}; give each one its own name.")
        device = Device(name)
        self.devices.append(device)
        self._changed("devices", name.casefold())
        return device

    def remove_device(self, i: int) -> None:
        """Forget device ``i`` (counting from 0)."""
        device = self.devices.pop(index_in(self.devices, i, "Device"))
        self._changed("devices", device.name.casefold(), removed=True)

    def record_scan(self, i: int, result: str, when: datetime | str | None = None) -> None:
        """Device ``i`` was scanned with ``result`` ("clean", "threats removed"...) at ``when`` (default now)."""
        device = self.devices[index_in(self.devices, i, "Device")]
        result = name_value(result, "The scan result")
        device.scanned_at = timestamp(when)
        device.result = result
        self._changed("devices", device.name.casefold())

    def progress(self) -> Progress:
        """How far securing the account has gone: scans, programs, password."""
        changed = moment(self.password_changed_at)
        return Progress(
            sum(1 for d in self.devices if d.scanned_at), len(self.devices),
            sum(1 for s in self.software if s.updated_at), len(self.software),
            self.password_changed_at,
            sum(1 for s in self.software if changed and (when := moment(s.updated_at)) and when >= changed),
        )

    def scans_complete(self) -> bool:
        """True when at least one device is listed and every device has been scanned."""
        return bool(self.devices) and all(d.scanned_at is not None for d in self.devices)

    def add_software(self, name: str, kind: str) -> Software:
        """Add a program that sends mail with the account's password (kind: one of SOFTWARE_KINDS)."""
        name = name_value(name, "The software name")
        if kind not in SOFTWARE_KINDS:
            raise ValueError(f"Unknown kind of software {kind!r}; expected one of {', '.join(SOFTWARE_KINDS)}.")
        software = Software(name, kind)
        self.software.append(software)
        self._changed("software", software.id)
        return software

    def remove_software(self, i: int) -> None:
        """Forget program ``i`` (counting from 0)."""
        software = self.software.pop(index_in(self.software, i, "Software"))
        self._changed("software", software.id, removed=True)

    def mark_software_updated(self, i: int, when: datetime | str | None = None) -> None:
        """Program ``i`` was updated (or reconfigured with the new password) at ``when`` (default now)."""
        software = self.software[index_in(self.software, i, "Software")]
        software.updated_at = timestamp(when)
        self._changed("software", software.id)

    def can_change_password(self) -> tuple[bool, str]:
        """Whether it is time to change the password, and why (in words for the user)."""
        if not self.devices:
            return (
                False,
                "First list and scan every computer and phone that uses this mailbox: "
                "if one of them is infected, a new password would be stolen again.",
            )
        waiting = [d.name for d in self.devices if d.scanned_at is None]
        if waiting:
            return (
                False,
                f"Scan {', '.join(waiting)} first: "
                "a new password typed on an infected device would be stolen again.",
            )
        count = len(self.devices)
        scanned = "The device is scanned" if count == 1 else f"All {count} devices are scanned"
        return True, f"{scanned}: you can change the password now."

    def mark_password_changed(self, when: datetime | str | None = None) -> bool:
        """Record that the password was changed; returns True when done before every scan was complete.

        Allowed early because the user may have had no choice (legacy MX Plan
        asks for it to unblock); ``password_changed_early`` keeps that fact
        so the app can warn to change it again once the scans are done.
        """
        self.password_changed_at = timestamp(when)
        self.password_changed_early = not self.scans_complete()
        self._changed("password")
        return self.password_changed_early

    # -- the account at OVHcloud ---------------------------------------------

    def link_account(self, account: dict[str, Any]) -> None:
        """Remember the OVHcloud account this case is about (product, service, email, ticket number...)."""
        self.ovh_account = _record(account, "The account", ("product", "service", "email"))
        self._changed("account")

    def set_ticket_messages(self, messages: list[dict[str, Any]]) -> None:
        """The support's messages after the ticket, oldest first (sender, created, body)."""
        self.ticket_messages = [_record(m, "A ticket message", ("sender", "body")) for m in messages]
        self._changed("ticket_messages")

    def set_redirection_check(self, check: dict[str, Any] | None) -> None:
        """What the OVHcloud API showed of the address's redirections (found, checked, not_visible, read_at)."""
        self.redirection_check = None if check is None else _record(check, "The redirection check", ("read_at",))
        self._changed("redirections")

    def record_posted_reply(self, posted: dict[str, Any]) -> None:
        """A reply was posted to the ticket: when, where, its exact text and its SHA-256."""
        record = _record(posted, "The posted reply", ("posted_at", "text", "sha256"))
        self.posted_replies.append(record)
        self._changed("posted", record["posted_at"])

    def record_status(self, status: dict[str, Any]) -> None:
        """The account's status as read at OVHcloud, and when (read_at, blocked, state)."""
        record = _record(status, "The status read", ("read_at",))
        self.status_reads.append(record)
        self._changed("status", record["read_at"])

    # -- navigation and naming -----------------------------------------------

    def go_to(self, screen: str) -> None:
        """Remember the screen the user is on; returning to the current one changes nothing."""
        screen = identifier(screen, "The screen name")
        if screen != self.screen:
            self.screen = screen
            self._changed("screen")

    def title(self) -> str:
        """What the case is called in lists: its address, or "New case"."""
        return self.address or "New case"


# What a case is made of, as saved: everything but its listeners and revision counters.
_SAVED_FIELDS = tuple(f.name for f in fields(Case) if f.init)
# Fields that say where a window is and when, not what the case is.
_QUIET = frozenset({"screen", "updated_at"})


def _record(value: object, what: str, needed: tuple[str, ...]) -> dict[str, Any]:
    """A JSON-ready copy of ``value``, a dict with text keys that has every key in ``needed``."""
    if not isinstance(value, dict) or not all(isinstance(key, str) for key in value):
        raise ValueError(f"{what} must be a record of named values.")
    missing = [key for key in needed if value.get(key) in (None, "")]
    if missing:
        raise ValueError(f"{what} lacks {', '.join(missing)}.")
    return dict(value)
