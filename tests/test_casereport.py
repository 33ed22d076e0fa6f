"""The Markdown case report (F9): in the report's language, and inert whatever the headers hold.

A header full of terminal escapes (OSC 52 writes the clipboard, OSC 0 retitles
the window, CSI clears the screen, 0x9b is the one-byte CSI), bidi controls,
Markdown links, images, headings and HTML must come out as text: `cat` of the
report leaves the terminal alone and a Markdown viewer shows no link of its own.
"""

from __future__ import annotations

import re

import pytest
from markdown_it import MarkdownIt

from tui.core.analysis import analyse_samples
from tui.core.case import Case
from tui.core.casereport import case_report, evidence_lines, remediation_lines
from tui.core.demo import demo_ticket_text
from tui.core.headers import block_text
from tui.core.reply import case_reply
from tui.core.sources import read_text

RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
NASTY = (
    "\x1b]52;c;cm0gLXJmIH4K\x07 \x1b]0;owned\x07 \x1b[2J\x1b[H \x9b1;31m \u202eexe.pdf\u202c \u2066x\u2069 "
    "[click](http://phish.example/) ![pixel](http://phish.example/p.png) <img src=x onerror=alert(1)> "
    "<http://auto.example/> *bold* `code` | a | b |"
)
HOSTILE_SAMPLE = f"""\
Received: from evil.example ([203.0.113.66])
\tby ghost-submission-7d8b9c6f4-x2k9q with ESMTPSA id z1; Tue, 24 Nov 2026 03:12:08 +0000
Authentication-Results: garm.ovh; auth=pass smtp.auth=contact@boulangerie-martin.fr
X-OVh-ClientIp: 203.0.113.66
From: {NASTY} <noreply@phish.example>
Reply-To: claims@other.example
To: undisclosed-recipients:;
Subject: # Heading {NASTY}
Date: Tue, 24 Nov 2026 04:12:06 +0100
Message-ID: <x1@phish.example>
X-Mailer: {NASTY}
X-VR-SPAMSTATE: SPAM
X-VR-SPAMSCORE: 500
"""


def hostile_case(language: str) -> tuple[Case, list]:
    text = demo_ticket_text()
    ticket, blocks, _ = read_text(text, "demo ticket")
    case = Case()
    case.set_ticket(text, ticket.address, ticket.service, ticket.suspicious_count, ticket.language)
    case.add_samples("demo ticket", [block_text(b) for b in blocks])
    case.add_samples("pasted\x1b]0;x\x07", [HOSTILE_SAMPLE])
    case.set_product("email_pro")
    case.add_device("Laptop " + NASTY)
    case.record_scan(0, "clean " + NASTY)
    case.add_software("Fax " + NASTY, "fax/scanner")
    case.set_answer(1, "no", "comment " + NASTY)
    case.set_answer(2, "not sure")
    case.set_answer(3, "no")
    case.set_reply_options(language=language)
    messages = analyse_samples(case.samples, case.expectations())
    case.set_reply(case_reply(case, messages) + "\n```\n# not a heading\n" + NASTY)
    return case, messages


def live_markdown(report: str) -> list[str]:
    """Every link, image, piece of HTML and heading a CommonMark viewer would make of ``report``."""
    found = []
    for token in MarkdownIt("commonmark").parse(report):
        if token.type in ("html_block", "heading_open"):
            found.append(f"{token.type} {token.map}")
        for child in token.children or []:
            if child.type in ("link_open", "image", "html_inline"):
                found.append(f"{child.type} {child.attrs or child.content}")
    return found


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_hostile_header_stays_inert_in_the_report(language):
    case, messages = hostile_case(language)
    report = case_report(case, messages)
    assert not RAW_CONTROL.search(report.replace("\n", ""))
    assert "\x1b" not in report and "\x9b" not in report and "\u202e" not in report
    assert "␛]52;c;" in report
    expected = 1 + 5 + len(messages)  # the title, the five sections, one per message
    live = live_markdown(report)
    assert [item for item in live if not item.startswith("heading_open")] == []
    assert len(live) == expected


def test_the_hostile_markdown_is_live_without_escaping():
    # The check above would catch it: the same text unescaped makes links, images and HTML.
    kinds = {item.split()[0] for item in live_markdown(NASTY)}
    assert {"link_open", "image", "html_inline"} <= kinds


def test_the_report_is_in_the_reports_language():
    case, messages = hostile_case("fr")
    report = case_report(case, messages)
    for heading in ("## Chronologie", "## Éléments", "## Réponses", "## Réponse au ticket", "## Liste de contrôle"):
        assert heading in report
    assert "**non**" in report and "**je ne sais pas**" in report
    english = case_report(case, messages, "en")
    assert "## Timeline" in english and "**no**" in english and "**not sure**" in english
    assert english.startswith("# unblock case report: contact@boulangerie-martin.fr\n")


def test_reply_lines_for_the_screens_are_bounded():
    case, messages = hostile_case("en")
    assert sum(map(len, evidence_lines(messages * 400, case.address, "en"))) < 2000
    assert remediation_lines(case, "fr")[0].startswith("Nous avons analysé 1 appareil avec un antivirus")
