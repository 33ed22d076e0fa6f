"""The "Account locked for spam" support ticket: pulling it, and posting the reply.

Routes and fields from the OVHcloud API schema for /support (ovh/ovhcloud-cli's
api-schemas/support.json):

- GET /support/tickets?ticketNumber=N -> ticket ids (``archived=true`` searches the
  archived ones);
- GET /support/tickets/{ticketId} -> support.Ticket (``ticketId``, ``ticketNumber``,
  ``subject``, ``state`` open/closed, ``serviceName``, ``product``, ``creationDate``...);
- GET /support/tickets/{ticketId}/messages -> support.Message[] (``messageId``,
  ``body``, ``from`` customer/support, ``creationDate``);
- POST /support/tickets/{ticketId}/reply with ``{"body": text}``.

The ticket's text is its first message, the one OVHcloud sent, with the header
samples below it: kept exactly as the API gives it, as a customer would paste it.
The schema does not say in which order messages come, so they are sorted here.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone

from tui.ovh.client import Connection, route
from tui.ovh.errors import OvhError


@dataclass(frozen=True)
class TicketMessage:
    """One message of a ticket; ``sender`` is "support" or "customer"."""

    message_id: int | None
    sender: str
    body: str
    created: str | None


@dataclass(frozen=True)
class SupportTicket:
    """A support ticket: ``text`` is its first message, ``messages`` every later one, newest last."""

    ticket_id: int
    ticket_number: int | None
    subject: str
    state: str | None
    service_name: str | None
    product: str | None
    created: str | None
    updated: str | None
    text: str
    messages: tuple[TicketMessage, ...]


@dataclass(frozen=True)
class PostedReply:
    """What was posted, to be kept in the case: when, on which ticket, the exact text and its SHA-256."""

    posted_at: str
    ticket_id: int
    ticket_number: int | None
    sha256: str
    text: str


def text_sha256(text: str) -> str:
    """The SHA-256 of ``text`` (UTF-8), as hexadecimal."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _message(payload: dict) -> TicketMessage:
    message_id = payload.get("messageId")
    return TicketMessage(message_id if isinstance(message_id, int) else None, str(payload.get("from") or ""),
                         str(payload.get("body") or ""), payload.get("creationDate"))


def _order(message: TicketMessage) -> tuple:
    # ISO dates with offsets do not sort as text across offsets: compare them as times.
    try:
        when = datetime.fromisoformat(message.created or "").timestamp()
    except ValueError:
        when = float("inf")
    return (when, message.message_id if message.message_id is not None else 0)


def find_ticket_id(connection: Connection, ticket_number: int | str) -> int:
    """The ticket id behind a ticket number (open tickets first, then archived ones)."""
    number = str(ticket_number).strip()
    for archived in (False, True):
        query = {"ticketNumber": number, "archived": True} if archived else {"ticketNumber": number}
        ids = connection.get("/support/tickets", f"support ticket {number}", **query) or []
        if ids:
            return int(ids[0])
    raise OvhError("not-found", f"There is no support ticket number {number} in this OVHcloud account. Check the "
                   "number in the ticket's e-mail, and that you connected the account that owns the mailbox.",
                   method="GET", path="/support/tickets")


def pull_ticket(connection: Connection, ticket_number: int | str) -> SupportTicket:
    """The ticket with this number, its text and its later messages (three or four GETs)."""
    ticket_id = find_ticket_id(connection, ticket_number)
    ticket = connection.get(route("/support/tickets/{}", ticket_id), f"support ticket {ticket_number}") or {}
    raw = connection.get(route("/support/tickets/{}/messages", ticket_id),
                         f"messages of support ticket {ticket_number}") or []
    messages = sorted((_message(item) for item in raw if isinstance(item, dict)), key=_order)
    number = ticket.get("ticketNumber")
    return SupportTicket(
        ticket_id=ticket_id,
        ticket_number=number if isinstance(number, int) else int(str(ticket_number)),
        subject=str(ticket.get("subject") or ""),
        state=ticket.get("state"),
        service_name=ticket.get("serviceName"),
        product=ticket.get("product"),
        created=ticket.get("creationDate"),
        updated=ticket.get("updateDate"),
        text=messages[0].body if messages else "",
        messages=tuple(messages[1:]),
    )


def post_reply(connection: Connection, ticket_id: int, text: str, ticket_number: int | None = None) -> PostedReply:
    """POST the exact ``text`` as the reply to ticket ``ticket_id``, once, and say what was posted.

    Confirming with the user and refusing a second post are the caller's job; this
    refuses an empty text (ValueError) and never retries. An ``OvhError`` of kind
    "timeout" or "network" means the reply may or may not have landed: look with
    ``reply_landed`` before posting again.
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError("The reply is empty: nothing was posted.")
    connection.post(route("/support/tickets/{}/reply", ticket_id), f"support ticket {ticket_number or ticket_id}",
                    body=text)
    return PostedReply(datetime.now(timezone.utc).isoformat(timespec="seconds"), ticket_id, ticket_number,
                       text_sha256(text), text)


def reply_landed(connection: Connection, ticket_id: int, text: str) -> bool:
    """Whether the ticket already holds a customer message with exactly ``text`` (one GET)."""
    raw = connection.get(route("/support/tickets/{}/messages", ticket_id), f"messages of support ticket {ticket_id}")
    return any(isinstance(item, dict) and item.get("from") == "customer" and item.get("body") == text
               for item in raw or [])
