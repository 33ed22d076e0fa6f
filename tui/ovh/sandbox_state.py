"""What the local OVHcloud API double knows: accounts, tickets, redirections, tasks; and its demo data.

Objects are kept as the API shapes them (the schema's field names and types),
so the routes serve them as they are. Accounts are keyed by product, then by the
service's route parameters (``(organisation, service)`` for Exchange, ``(service,)``
otherwise, the domain for MX Plan legacy), then by the id the account is listed
under (the address; the account name for MX Plan legacy).

A password change starts a ``PasswordTask`` that finishes after ``task_polls``
reads of its route, with ``task_outcome``; when it is "done" the account is
unblocked. That is the double's shortcut: on the real API, Exchange, Email Pro and
the new MX Plan are unblocked by the support team once the ticket is answered.
No password is ever kept: only which account had its password changed.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone

from tui.core.demo import demo_ticket_text

DEMO_TICKET_NUMBER = 8452107
DEMO_EMAIL = "contact@boulangerie-martin.fr"

ServiceKey = tuple[str, ...]


@dataclass
class PasswordTask:
    """A changePassword in progress: ``polls_left`` reads of its route before it ends with ``outcome``."""

    id: int
    product: str
    service: ServiceKey
    account_id: str
    polls_left: int
    outcome: str
    todo_date: str
    status: str = "todo"
    finish_date: str | None = None

    def to_api(self) -> dict:
        if self.product == "mxplan_legacy":  # email.domain.TaskPop: no status
            return {"id": self.id, "action": "changePassword", "date": self.todo_date, "domain": self.service[0],
                    "name": self.account_id}
        return {"id": self.id, "function": "changePassword", "status": self.status, "todoDate": self.todo_date,
                "finishDate": self.finish_date}


@dataclass
class SandboxState:
    """Everything the double serves; change it freely in tests (under the sandbox's lock once it runs)."""

    me: dict
    accounts: dict[str, dict[ServiceKey, dict[str, dict]]]
    diagnostics: dict[tuple[str, ServiceKey, str], dict] = field(default_factory=dict)
    redirections: dict[str, dict[str, dict]] = field(default_factory=dict)
    tickets: dict[int, dict] = field(default_factory=dict)
    messages: dict[int, list[dict]] = field(default_factory=dict)
    tasks: dict[int, PasswordTask] = field(default_factory=dict)
    task_polls: int = 2
    task_outcome: str = "done"
    password_changes: list[tuple[str, ServiceKey, str]] = field(default_factory=list)
    next_id: int = 700001

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id

    def account(self, product: str, service: ServiceKey, account_id: str) -> dict | None:
        return self.accounts.get(product, {}).get(service, {}).get(account_id)

    def start_password_change(self, product: str, service: ServiceKey, account_id: str) -> PasswordTask:
        task = PasswordTask(self.new_id(), product, service, account_id, self.task_polls, self.task_outcome, now())
        self.tasks[task.id] = task
        self.password_changes.append((product, service, account_id))
        return task

    def poll_task(self, task_id: int) -> PasswordTask | None:
        """The task after one more read, or None once a legacy task has ended (it is no longer listed)."""
        task = self.tasks.get(task_id)
        if task is None:
            return None
        if task.finish_date is not None:
            return None if task.product == "mxplan_legacy" else task
        if task.polls_left > 0:
            task.polls_left -= 1
            task.status = "doing"
            return task
        task.status, task.finish_date = task.outcome, now()
        if task.outcome == "done":
            self._unblock(task)
        return None if task.product == "mxplan_legacy" else task

    def _unblock(self, task: PasswordTask) -> None:
        account = self.account(task.product, task.service, task.account_id)
        if account is None:
            return
        if task.product == "mxplan_legacy":
            account["isBlocked"] = False
            return
        account["spamDetected"] = False
        diagnosis = self.diagnostics.get((task.product, task.service, task.account_id))
        if diagnosis is not None:
            diagnosis.update(isSpammer=False, isLocked=False, canSendEmail=True, lastCheck=now())

    def add_reply(self, ticket_id: int, body: str) -> dict:
        when = now()
        message = {"messageId": self.new_id(), "ticketId": ticket_id, "from": "customer", "body": body,
                   "creationDate": when, "updateDate": when}
        self.messages.setdefault(ticket_id, []).append(message)
        self.tickets[ticket_id].update(updateDate=when, lastMessageFrom="customer")
        return message


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


_TICKET = """Dear Customer,

Our system has detected that the address {email} hosted on
our systems under the {service} service is a source of spam.
The sending of emails has been temporarily disabled.

We have currently detected {count} suspicious message(s).

To help us re-enable sending for the address: {email},
please reply to this email by answering the following questions:

- Are you the sender of the email in question (see the header below)?

- Do you have a redirection rule to another email address?

- Have you responded to spam?

These answers will help us re-enable your account quickly.

Return-Path: <{email}>
Received: from {relay} (unknown [10.110.176.42])
\tby {outbound} (Postfix) with ESMTPS id 4Xm8Rt2Lq5z2wQd
\tfor <{victim}>; {date} +0000 (UTC)
Received: from {client_name} ({client_ip}) by {relay} with Microsoft SMTP Server
 (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.1.2507.39;
 {date} +0000
X-OVh-ClientIp: {client_ip}
From: {display} <{email}>
To: {victim}
Subject: {subject}
Date: {date} +0000
Message-ID: <{message_id}@{domain}>
X-Mailer: {mailer}
X-VR-SPAMSTATE: SPAM
X-VR-SPAMSCORE: 500
"""


def _ticket_text(email: str, service: str, **details: str) -> str:
    return _TICKET.format(email=email, service=service, domain=email.partition("@")[2], **details)


def _account(email: str, blocked: bool, ticket: int | None = None, **extra) -> dict:
    return {"primaryEmailAddress": email, "domain": email.partition("@")[2], "login": email.partition("@")[0],
            "displayName": email.partition("@")[0].capitalize(), "spamDetected": blocked, "spamTicketNumber": ticket,
            "state": "ok", "configured": True, "currentUsage": 1843, "quota": 5000,
            "id": zlib.crc32(email.encode()) % 90000,
            "creationDate": "2021-03-02T10:12:44+01:00", "passwordLastUpdate": "2024-01-15T09:30:00+01:00",
            "lastLogonDate": "2026-11-26T08:59:10+01:00", "taskPendingId": 0, **extra}


def _diagnosis(spammer: bool) -> dict:
    return {"isSpammer": spammer, "isLocked": spammer, "isSuspended": False, "canSendEmail": not spammer,
            "canReceiveEmail": True, "connectiveWebmail": True, "isMxValid": True, "isSrvValid": True,
            "lastCheck": "2026-11-26T10:05:00+01:00"}


def _ticket(ticket_id: int, number: int, service: str, product: str, created: str) -> dict:
    return {"ticketId": ticket_id, "ticketNumber": number, "subject": "Account locked for spam", "state": "open",
            "serviceName": service, "product": product, "type": "genericRequest", "category": None,
            "accountId": "ab12345-ovh", "canBeClosed": True, "creationDate": created, "updateDate": created,
            "lastMessageFrom": "support", "score": ""}


def _message(ticket_id: int, message_id: int, body: str, created: str) -> dict:
    return {"messageId": message_id, "ticketId": ticket_id, "from": "support", "body": body, "creationDate": created,
            "updateDate": created}


def demo_state() -> SandboxState:
    """One account blocked for spam on each product, a few that are not, their tickets and some redirections.

    The new MX Plan account is the demo case's address and its ticket text is
    exactly ``tui.core.demo.demo_ticket_text()``.
    """
    exchange_service = ("hosted-ab12345-1", "hosted-ab12345-1")
    pro_service = ("emailpro-ab12345-1",)
    mxplan_service = ("boulangerie-martin.fr",)
    legacy_domain = ("fleurs-lambert.fr",)
    exchange_email, pro_email = "compta@atelier-dupont.fr", "accueil@cabinet-leroy.fr"
    accounts = {
        "exchange": {exchange_service: {
            exchange_email: _account(exchange_email, True, 8452231, accountLicense="standard"),
            "direction@atelier-dupont.fr": _account("direction@atelier-dupont.fr", False, accountLicense="standard"),
        }},
        "email_pro": {pro_service: {
            pro_email: _account(pro_email, True, 8452319),
            "secretariat@cabinet-leroy.fr": _account("secretariat@cabinet-leroy.fr", False),
        }},
        "mxplan_new": {mxplan_service: {
            DEMO_EMAIL: _account(DEMO_EMAIL, True, DEMO_TICKET_NUMBER),
            "commandes@boulangerie-martin.fr": _account("commandes@boulangerie-martin.fr", False),
        }},
        "mxplan_legacy": {legacy_domain: {
            name: {"accountName": name, "domain": legacy_domain[0], "email": f"{name}@{legacy_domain[0]}",
                   "isBlocked": blocked, "description": description, "size": 2_500_000_000}
            for name, blocked, description in (("boutique", True, "Boutique"), ("livraisons", False, "Livraisons"))
        }},
    }
    diagnostics = {
        ("exchange", exchange_service, exchange_email): _diagnosis(True),
        ("email_pro", pro_service, pro_email): _diagnosis(True),
        ("mxplan_new", mxplan_service, DEMO_EMAIL): _diagnosis(True),
    }
    redirections = {
        "boulangerie-martin.fr": {
            "7781": {"id": "7781", "from": "commandes@boulangerie-martin.fr", "to": DEMO_EMAIL},
        },
        "fleurs-lambert.fr": {
            "7790": {"id": "7790", "from": "boutique@fleurs-lambert.fr", "to": "fleurs.lambert@orange.fr"},
        },
    }
    state = SandboxState(
        me={"nichandle": "ab12345-ovh", "firstname": "Claire", "name": "Lambert", "email": "claire@atelier-web.fr",
            "organisation": "Atelier Web Lambert", "legalform": "corporation", "country": "FR",
            "language": "fr_FR", "ovhSubsidiary": "FR", "state": "complete", "currency": {"code": "EUR"}},
        accounts=accounts, diagnostics=diagnostics, redirections=redirections)
    tickets = (
        (5101, DEMO_TICKET_NUMBER, "boulangerie-martin.fr", "mail", "2026-11-26T10:02:11+01:00", demo_ticket_text()),
        (5102, 8452231, "hosted-ab12345-1", "exchange", "2026-11-27T07:41:02+01:00", _ticket_text(
            exchange_email, "hosted-ab12345-1", count="87", relay="ex5.mail.ovh.net", outbound="mo561.mail-out.ovh.net",
            victim="m.girard@free.fr", date="Fri, 27 Nov 2026 05:58:31", client_name="WIN-3KQ7A1",
            client_ip="45.95.147.231", display="Atelier Dupont", subject="Facture impayée n° 2026-1147",
            message_id="b7e1c9a0d4f34e2a", mailer="Microsoft Outlook 16.0")),
        (5103, 8452319, "emailpro-ab12345-1", "mail", "2026-11-27T11:15:40+01:00", _ticket_text(
            pro_email, "emailpro-ab12345-1", count="152", relay="pro1.mail.ovh.net",
            outbound="mo4211.mail-out.ovh.net", victim="j.petit@laposte.net", date="Fri, 27 Nov 2026 09:32:07",
            client_name="localhost", client_ip="185.220.101.47", display="Cabinet Leroy",
            subject="Document partagé : Contrat_2026.pdf", message_id="4c2e8f1b9a7d0e35",
            mailer="PHPMailer 6.8.1 (https://github.com/PHPMailer/PHPMailer)")),
    )
    for ticket_id, number, service, product, created, text in tickets:
        state.tickets[ticket_id] = _ticket(ticket_id, number, service, product, created)
        state.messages[ticket_id] = [_message(ticket_id, ticket_id * 10, text, created)]
    reminder = ("Dear Customer,\n\nWe have not yet received your answers to the three questions above. Sending "
                "stays disabled for contact@boulangerie-martin.fr until we do.\n\nKind regards,\nOVHcloud Support")
    state.messages[5101].append(_message(5101, 51011, reminder, "2026-11-28T09:00:00+01:00"))
    state.tickets[5101]["updateDate"] = "2026-11-28T09:00:00+01:00"
    return state
