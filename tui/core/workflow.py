"""The workflow: the steps of a case, their order, when each is done or skipped, and what each product changes.

The one home of "what happens next": screens show a step and ask this module
where the user may go from it; the App only routes. Product special cases
live here and nowhere else: a product without a ticket (legacy MX Plan) has
no ticket, no questions and no reply, and changing its password is what
unblocks it.

The order follows the 2024 guide, which puts "resolve the root cause before
unblocking" first: when someone else may have sent the mail (question 1
answered "no" or "not sure"), the way on from the questions goes through
securing the account (scans, programs) before the reply; the password change
may come after the reply.
"""

from __future__ import annotations

from typing import NamedTuple

from tui.core.case import Case
from tui.core.headers import block_text
from tui.core.products import get_product, suggest_product


class Step(NamedTuple):
    """One step of the workflow: its id (also the screen's name), its label and its F-key."""

    id: str
    label: str
    key: str
    tooltip: str


STEPS: tuple[Step, ...] = (
    Step("product", "Product", "f2", "Go to step 1: choose your product and follow the Control Panel steps"),
    Step("ticket", "Ticket", "f3", "Go to step 2: the ticket and the header inspector"),
    Step("questions", "Questions", "f4", "Go to step 3: answer the ticket's three questions"),
    Step("remediation", "Secure", "f5", "Go to step 4: scan devices, update software, change the password"),
    Step("reply", "Reply", "f6", "Go to step 5: the reply to the ticket"),
)
_LABELS = {step.id: step.label for step in STEPS}
STEP_IDS: tuple[str, ...] = tuple(step.id for step in STEPS)
FIRST_STEP = STEP_IDS[0]


def has_ticket(case: Case) -> bool:
    """Whether the case's product answers a support ticket (True while the product is not chosen)."""
    return case.product is None or get_product(case.product).has_ticket


def needs_remediation(case: Case) -> bool:
    """True when the mailbox may really be compromised, or the product needs a new password to unblock."""
    return case.answers[1].choice in ("no", "not sure") or not has_ticket(case)


def start_step(case: Case) -> str:
    """The step to show when the case is opened: where the user left it."""
    return case.screen if case.screen in STEP_IDS else FIRST_STEP


def secured(case: Case) -> bool:
    """Whether the root cause is dealt with: every device scanned and every program listed updated."""
    return case.scans_complete() and all(item.updated_at for item in case.software)


def done_steps(case: Case) -> set[str]:
    """The steps whose work is done, as the step bar ticks them."""
    done = set()
    if case.product_confirmed:
        done.add("product")
    if case.samples:
        done.add("ticket")
    if not case.missing_answers():
        done.add("questions")
    if case.reply_text:
        done.add("reply")
    # Not ticked while a scan is missing, even with a new password: it could be stolen again.
    if case.password_changed_at and case.scans_complete():
        done.add("remediation")
    return done


def skipped_steps(case: Case) -> set[str]:
    """The steps the case's product has no use for: no ticket means no ticket, no questions and no reply."""
    return set() if has_ticket(case) else {"ticket", "questions", "reply"}


def next_step(case: Case, current: str) -> str | None:
    """Where "next" leads from ``current``, or None at the end.

    Skipped steps are passed over. From the questions, the way goes through
    securing the account while someone else may have sent the mail and it is
    not secured yet, otherwise straight to the reply; after the reply, back to
    securing the account while the password is still to be changed.
    """
    if current == "reply":
        return "remediation" if needs_remediation(case) and not case.password_changed_at else None
    skipped = skipped_steps(case)
    if current == "questions" and (secured(case) or not needs_remediation(case)):
        skipped = skipped | {"remediation"}
    following = [step for step in STEP_IDS[STEP_IDS.index(current) + 1:] if step not in skipped]
    return following[0] if following else None


def previous_step(case: Case, current: str) -> str | None:
    """Where "back" leads from ``current``: the step before it that the case uses; None from the first."""
    skipped = skipped_steps(case)
    before = [step for step in STEP_IDS[: STEP_IDS.index(current)] if step not in skipped]
    return before[-1] if before else None


def next_label(case: Case, current: str) -> str | None:
    """The footer's words for "next" on ``current`` ("Next: secure"), None when there is no next step."""
    step = next_step(case, current)
    return None if step is None else f"Next: {_LABELS[step].lower()}"


def not_ready_to_leave(case: Case, current: str) -> str | None:
    """Why the user cannot go on from ``current`` yet, in words; None when they can."""
    if current == "product" and not case.product_confirmed:
        return "Confirm the product first (enter on the list)."
    if current == "questions" and has_ticket(case) and (missing := case.missing_answers()):
        return (f"Answer question {' and '.join(map(str, missing))} first: OVHcloud unblocks the address "
                "only when all three are answered.")
    return None


def load_ticket(case: Case, text: str, source: str, reading=None) -> str:
    """Read ticket text into ``case``: the ticket's facts and its header samples. Returns a summary.

    ``reading`` is what ``sources.read_text(text, source)`` gave, when the caller
    has it already. A product is suggested from the ticket's service name when
    none is chosen yet. The same ticket read twice adds no sample twice.
    """
    from tui.core.sources import read_text

    ticket, blocks, errors = reading if reading is not None else read_text(text, source)
    if ticket is not None:
        case.set_ticket(text, ticket.address, ticket.service, ticket.suspicious_count, ticket.language)
        if case.product is None:
            product, _reason = suggest_product(ticket.service, ticket.address, True)
            if product:
                case.set_product(product)
    known = {sample.text for sample in case.samples}
    texts = [t for t in (block_text(b) for b in blocks) if t.strip() and t not in known]
    if texts:
        case.add_samples(source, texts)
    parts = [f"{len(texts)} new header sample(s) read"]
    if len(blocks) > len(texts):
        parts.append(f"{len(blocks) - len(texts)} already in the case")
    if errors:
        parts.append(f"{len(errors)} problem(s): " + "; ".join(e.message for e in errors[:3]))
    return ", ".join(parts)
