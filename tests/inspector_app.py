"""The header inspector alone, for its Pilot and snapshot tests: realistic analysed messages and a small app.

test_inspector and test_inspector_snapshots import these; the messages are written for unblock, as the
analysis would leave them (a webmail login abroad relayed by an OVH-like outbound).
"""

from __future__ import annotations

import asyncio
import functools
from datetime import datetime, timedelta, timezone
from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer

from tui.core.findings.ids import FindingId
from tui.core.model import Header, Headers
from tui.core.results import Evidence, Finding, Hop, Message, Origin, Spamcause
from tui.screens.dialogs import DetailScreen
from tui.widgets.inspector import HeaderInspector, VirtualTable

STYLES = Path(__file__).resolve().parents[1] / "styles" / "inspector.tcss"
PARIS = timezone(timedelta(hours=1))


def sample(
    number: int,
    *,
    ip: str = "203.0.113.45",
    country: str = "BR",
    client: str | None = "Microsoft Outlook 16.0",
    account: str | None = "contact@bakery-example.fr",
    subject: str = "Facture en attente",
    date: datetime | None = None,
    findings: list[Finding] | None = None,
    spamcause: Spamcause | None = None,
) -> Message:
    """A message as the analysis would leave it: webmail login abroad, relayed by an OVH-like outbound."""
    date = date or datetime(2024, 3, 4, 9, number % 60, 12, tzinfo=PARIS)
    received_origin = (
        f"from [{ip}] (helo=DESKTOP-4KQ2L1) by ssl0.mail.example.net (Postfix) with ESMTPSA id 4Tq9"
        f" for <claire@client-example.com>; {date:%a, %d %b %Y %H:%M:%S %z}"
    )
    received_out = (
        "from ssl0.mail.example.net (unknown [10.108.4.20]) by mo512.mail-out.example.net (Postfix)"
        f" with ESMTPS id 7F2C; {date:%a, %d %b %Y %H:%M:%S %z}"
    )
    headers = Headers(
        [
            Header("Received", received_out),
            Header("Received", received_origin),
            Header("From", f"Boulangerie <{account or 'contact@bakery-example.fr'}>"),
            Header("To", "claire@client-example.com"),
            Header("Subject", subject),
            Header("Date", f"{date:%a, %d %b %Y %H:%M:%S %z}"),
            Header("X-VR-SPAMSTATE", "SPAM"),
        ]
    )
    hops = [
        Hop(index=1, raw=received_origin, from_ip=ip, from_helo="DESKTOP-4KQ2L1", by="ssl0.mail.example.net",
            with_="ESMTPSA", auth=account, country=country, date=date),
        Hop(index=2, raw=received_out, from_ip="10.108.4.20", by="mo512.mail-out.example.net", with_="ESMTPS",
            date=date - timedelta(seconds=40), delay_s=-40.0),
    ]  # fmt: skip
    if findings is None:
        findings = [
            Finding("foreign-origin", "critical", f"foreign origin ({country})",
                    f"The message was sent from {country}, where the account owner does not send from.",
                    [Evidence("Received", received_origin)], question=1, hop_index=1),
            Finding("clock", "notice", "clocks disagree", "Hop 2 is dated before hop 1.", [], hop_index=2),
        ]  # fmt: skip
    return Message(
        source="ticket.txt",
        index=number,
        headers=headers,
        subject=subject,
        from_=f"Boulangerie <{account or 'contact@bakery-example.fr'}>",
        to=["claire@client-example.com"],
        date=date,
        hops=hops,
        origin=Origin(ip=ip, country=country, authenticated_as=account, client=client,
                      source_header="Received", hop_index=1),
        spamcause=spamcause,
        spamstate="SPAM",
        spamscore="300",
        tracer_id="7251823716352934521",
        findings=findings,
    )  # fmt: skip


def sample_messages() -> list[Message]:
    """Four messages: three from one Brazilian login, one clean from France."""
    decoded = Spamcause(
        raw="gggruggvucftvghtrhhoucdtuddrgeduhedr",
        decoded="Vade Retro ...",
        fields={"From": "Boulangerie <contact@bakery-example.fr>", "Ip": "203.0.113.45"},
        params={"mailfrom": "contact@bakery-example.fr", "nb_rcptto": "120", "mode": "smtpout"},
        rules=[("SPAM_BULK", 300), ("NO_RDNS", None)],
    )
    return [
        sample(0, spamcause=decoded),
        sample(1, date=datetime(2024, 3, 2, 22, 5, tzinfo=PARIS)),
        sample(2, date=datetime(2024, 3, 6, 7, 30, tzinfo=PARIS)),
        sample(3, ip="198.51.100.23", country="FR", client="Thunderbird 115.8", findings=[],
               spamcause=Spamcause(raw="v2:abcdef", encrypted=True)),
    ]  # fmt: skip


class InspectorApp(App):
    """The inspector alone, styled as the app styles it; escape on the app records that it arrived."""

    CSS_PATH = STYLES
    BINDINGS = [Binding("escape", "app_escape", "Back")]

    def __init__(self, messages: list[Message] | None = None) -> None:
        super().__init__()
        # Scrolling to the focused pane is animated: a snapshot must never catch it half-way.
        self.animation_level = "none"
        self.messages = messages if messages is not None else sample_messages()
        self.selected: list[Message | None] = []
        self.app_escapes = 0

    def compose(self) -> ComposeResult:
        yield HeaderInspector(self.messages)
        yield Footer()

    def on_header_inspector_message_selected(self, event: HeaderInspector.MessageSelected) -> None:
        self.selected.append(event.message)

    def on_header_inspector_detail_requested(self, event: HeaderInspector.DetailRequested) -> None:
        self.push_screen(DetailScreen(event.title, event.body))

    def action_app_escape(self) -> None:
        self.app_escapes += 1


def pilot_test(scenario):
    """Run an async Pilot scenario as a plain test (the project has no async pytest plugin)."""

    @functools.wraps(scenario)
    def test(*args, **kwargs):
        asyncio.run(scenario(*args, **kwargs))

    return test


def screen_text(app: App) -> str:
    """What the terminal shows, as text (the compositor's lines, before the driver writes them)."""
    return "\n".join("".join(segment.text for segment in strip) for strip in app.screen._compositor.render_strips())


def table_lines(table: VirtualTable) -> list[str]:
    """Every row of a virtual table as text, whatever is scrolled into view."""
    return ["  ".join(table.get_row_at(row)) for row in range(table.row_count)]


def messages_table(app: App) -> VirtualTable:
    return app.query_one("#inspector-messages", VirtualTable)


def relayed(findings: list[Finding] | None = None) -> Message:
    """Mail handed in by a French web server for a client in Russia, named by X-Ovh-ClientIp (as in the demo)."""
    message = sample(0, ip="37.59.142.104", country="FR", findings=findings or [])
    message.origin.ip, message.origin.country, message.origin.source_header = "176.59.41.17", "RU", "X-Ovh-ClientIp"
    return message


# A finding about the origin (in RU) and one about the hop it came in by (in FR), both pinned to that hop.
ORIGIN_FINDINGS = [
    Finding(FindingId.ORIGIN_COUNTRY_UNEXPECTED, "warning", "Sent from RU, not a country you send from",
            "The computer that handed this message in was in RU.", [], question=1, hop_index=1),
    Finding(FindingId.HOP_CLOCK_SKEW, "notice", "Hop 1 is dated late", "Clocks.", [], hop_index=1),
]  # fmt: skip
