"""A bakery's Sent folder of any size, written as an mbox, for the tests of the advice and the reply.

Four kinds of messages, mixed in a fixed order: the owner's own replies to a
mailing list (answering posts that are not in the folder), the owner's own
new messages, the spam runs someone sent with the stolen password (from
hosting and mobile addresses abroad, through PHPMailer and mass mailers), and
now and then a list post the owner received and later answered. With
``hostile`` the spam carries long header values full of terminal escapes,
bidi controls and Markdown link syntax.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

ACCOUNT = "contact@boulangerie-martin.fr"
# Addresses the offline country table places in several countries; the first is the owner's line.
HOME = "86.246.12.9"
ABROAD = ("176.59.41.17", "5.188.62.140", "91.240.118.23", "41.203.64.10", "45.155.205.{}", "103.75.201.{}",
          "185.220.101.{}", "194.26.29.{}", "200.98.137.{}", "31.184.198.{}")
MAILERS = ("PHPMailer 6.8.1 (https://github.com/PHPMailer/PHPMailer)", "Atomic Mail Sender 9.4",
           "PHPMailer 5.2.27", "SendBlaster 4.1.7")
HOSTILE = (
    "\x1b]52;c;cm0gLXJmIH4K\x07\x1b]0;pwned\x07\x1b[2J\x9b31m\u202eevil\u202c "
    "[click here](http://phish.example/login) ![x](http://phish.example/t.png) <script>alert(1)</script> "
)
_START = datetime(2026, 11, 1, 6, 0, tzinfo=timezone.utc)


def _list_post(n: int, when: datetime) -> str:
    return (
        f"Return-Path: <marc@moulin-dupre.example>\n"
        f"Received: from mx1.listes.metiers-de-bouche.example (mx1.listes.metiers-de-bouche.example "
        f"[198.51.100.17])\n\tby mx3.mail.ovh.net (Postfix) with ESMTPS id 9A{n:06X}\n"
        f"\tfor <{ACCOUNT}>; {format_datetime(when)}\n"
        f"From: Marc Dupré <marc@moulin-dupre.example>\n"
        f"To: boulangers-artisans@listes.metiers-de-bouche.example\n"
        f"Subject: [boulangers-artisans] Prix de la farine, semaine {n % 52 + 1}\n"
        f"Date: {format_datetime(when - timedelta(seconds=5))}\n"
        f"Message-ID: <post-{n}@moulin-dupre.example>\n"
        f"List-Id: Boulangers artisans <boulangers-artisans.listes.metiers-de-bouche.example>\n"
        f"X-VR-SPAMSTATE: OK\nX-VR-SPAMSCORE: 0\n"
    )


def _own(n: int, when: datetime, answering: str | None) -> str:
    if answering:
        subject = f"Re: [boulangers-artisans] Prix de la farine, semaine {n % 52 + 1}"
        to = "boulangers-artisans@listes.metiers-de-bouche.example"
        threading = f"In-Reply-To: <{answering}>\nReferences: <{answering}>\n"
    else:
        subject = f"Commande de la semaine {n % 52 + 1}"
        to = "Epicerie Durand <commandes@epicerie-durand.fr>"
        threading = ""
    return (
        f"Return-Path: <{ACCOUNT}>\n"
        f"Received: from boulangerie-martin.fr ([{HOME}])\n\tby ghost-submission-5b5ff79f4f-7kq2p with ESMTPSA\n"
        f"\tid own{n:08d}\n\t(envelope-from <{ACCOUNT}>); {format_datetime(when)}\n"
        f"Authentication-Results: garm.ovh; auth=pass smtp.auth={ACCOUNT}\n"
        f"X-OVh-ClientIp: {HOME}\n"
        f"From: Boulangerie Martin <{ACCOUNT}>\nTo: {to}\nSubject: {subject}\n"
        f"Date: {format_datetime(when - timedelta(seconds=3))}\n"
        f"Message-ID: <own-{n}@boulangerie-martin.fr>\n{threading}"
        f"User-Agent: Mozilla Thunderbird\nX-VR-SPAMSTATE: OK\nX-VR-SPAMSCORE: 0\n"
    )


def _spam(n: int, when: datetime, hostile: bool) -> str:
    ip = ABROAD[n % len(ABROAD)].format(n % 250 + 1)
    mailer = MAILERS[n % len(MAILERS)]
    sender = f"noreply@parcel-notice-{n % 7}.example"
    subject = f"Your parcel is on hold: customs fee {n}"
    name = "DHL Express"
    if hostile:
        subject = HOSTILE + subject + " " + "A" * 20000
        name = HOSTILE * 40 + name
        mailer = HOSTILE + mailer + "\x1b[0m" * 500
    return (
        f"Return-Path: <{sender}>\n"
        f"Received: from boulangerie-martin.fr ([{ip}])\n\tby ghost-submission-7d8b9c6f4-x2k9q with ESMTPSA\n"
        f"\tid spam{n:08d}\n\t(envelope-from <{sender}>); {format_datetime(when)}\n"
        f"Authentication-Results: garm.ovh; auth=pass smtp.auth={ACCOUNT}\n"
        f"X-OVh-ClientIp: {ip}\n"
        f"From: {name} <{sender}>\nReply-To: claims@refund-center-{n % 5}.example\n"
        f"To: undisclosed-recipients:;\nSubject: {subject}\n"
        f"Date: {format_datetime(when - timedelta(seconds=2))}\n"
        f"Message-ID: <{n:012x}@parcel-notice-{n % 7}.example>\n"
        f"X-Mailer: {mailer}\nX-VR-SPAMSTATE: SPAM\nX-VR-SPAMSCORE: 500\n"
    )


def sent_folder(count: int, hostile: bool = False) -> str:
    """``count`` messages as mbox text: two in five the owner's list replies, one in five the
    owner's own messages, two in five spam; every fiftieth reply answers a post in the folder."""
    parts = []
    for n in range(count):
        when = _START + timedelta(minutes=7 * n)
        kind = n % 5
        if kind in (0, 1):
            answering = f"post-{n}@moulin-dupre.example"
            if n % 50 == 0:
                parts.append(_list_post(n, when - timedelta(minutes=3)))
            message = _own(n, when, answering)
        elif kind == 2:
            message = _own(n, when, None)
        else:
            message = _spam(n, when, hostile)
        parts.append(message)
    return "".join(f"From MAILER-DAEMON Tue Nov  3 06:00:00 2026\n{m}\nbody\n\n" for m in parts[:count])


def write_sent_folder(path: Path, count: int, hostile: bool = False) -> Path:
    path.write_text(sent_folder(count, hostile), encoding="utf-8")
    return path
