"""The demo case: a realistic "Account locked for spam" ticket for a compromised mailbox.

Written for unblock (no real customer): a bakery's mailbox whose password was
used from abroad to send parcel scams through a PHP mailer, plus one genuine
message from the owner, so every screen has something real to show.
"""

from pathlib import Path

DEMO_TICKET = Path(__file__).resolve().parent / "data" / "demo-ticket.txt"


def demo_ticket_text() -> str:
    """The demo ticket, as a customer would paste it."""
    return DEMO_TICKET.read_text(encoding="utf-8")
