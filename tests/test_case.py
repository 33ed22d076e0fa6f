"""The Case model: validation, change notification, JSON round trips."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tui.core.case import (
    SCHEMA,
    Answer,
    Case,
    Device,
    Sample,
    Software,
    normalise_address,
)
from tui.core.caseformat import case_from_dict, case_to_dict
from tui.core.model import Expectations
from tui.core.workflow import needs_remediation

ROOT = Path(__file__).resolve().parents[1]

TICKET = """Dear customer,

We have detected that spam emails are being sent from your address
marie.dupont@boulangerie-exemple.fr (service: boulangerie-exemple.fr).
Number of suspicious emails: 212
"""

HEADER_BLOCK = """Return-Path: <marie.dupont@boulangerie-exemple.fr>
Received: from DAG3EX1.mxp9.local (172.16.2.41) by DAG3EX2.mxp9.local
 (172.16.2.42) with Microsoft SMTP Server id 15.1.2507.39; Tue, 4 Mar 2025 09:12:44 +0100
Received: from [198.51.100.23] (unknown [198.51.100.23])
 by ssl0.ovh.net (Postfix) with ESMTPSA id 4Z6h1k2Xyzz1Rk
 for <victim@example.org>; Tue, 4 Mar 2025 09:12:43 +0100 (CET)
From: Marie Dupont <marie.dupont@boulangerie-exemple.fr>
Subject: Invoice overdue
"""


@pytest.fixture
def case() -> Case:
    return Case()


@pytest.fixture
def told(case):
    """The (case, what) pairs the case has told a listener about."""
    calls: list[tuple[Case, str]] = []
    case.subscribe(lambda c, what: calls.append((c, what)))
    return calls


def full_case() -> Case:
    """A case with every field set, as a user would leave it halfway through."""
    case = Case()
    case.set_product("email_pro")
    case.confirm_product()
    case.toggle_step("email_pro.login")
    case.toggle_step("email_pro.unblock")
    case.set_ticket(TICKET, "Marie.Dupont@Boulangerie-Exemple.fr", "emailpro-ab12345-1", 212, "fr")
    case.add_samples("ticket", [HEADER_BLOCK])
    case.add_samples("sent.mbox", [HEADER_BLOCK, HEADER_BLOCK.replace("Invoice", "Facture")])
    case.set_expectations(countries=["fr", "be"], ips=["203.0.113.9"], clients=["Thunderbird"])
    case.set_answer(1, "no", "Not me: I was asleep at 09:12.")
    case.set_answer(2, "not sure")
    case.set_answer(3, "yes", "Clicked a fake invoice link.")
    case.set_reply("Bonjour,\n\nVoici nos réponses…")
    case.set_reply_options(include_evidence=False)
    case.add_device("Laptop")
    case.record_scan(0, "threats removed", "2025-03-05T10:00:00+01:00")
    case.add_device("Phone")
    case.add_software("Brother MFC scanner", "fax/scanner")
    case.mark_software_updated(0, "2025-03-05T11:00:00+01:00")
    case.mark_password_changed("2025-03-05T12:00:00+01:00")
    case.go_to("remediation")
    return case


# -- a new case ----------------------------------------------------------------


def test_new_case_starts_empty_on_the_product_screen(case):
    assert len(case.id) == 32 and int(case.id, 16) >= 0
    assert case.title() == "New case"
    assert case.screen == "product"
    assert case.reply_text is None
    assert set(case.answers) == {1, 2, 3}
    assert not case.all_answered()
    assert not case.scans_complete()
    assert not needs_remediation(case)
    assert datetime.fromisoformat(case.created_at).tzinfo is not None
    assert case.updated_at == case.created_at


def test_two_new_cases_have_different_ids():
    assert Case().id != Case().id


def test_the_password_itself_is_never_a_field():
    keys = set(case_to_dict(full_case()))
    assert {k for k in keys if "password" in k} == {"password_changed_at", "password_changed_early"}


def test_case_module_imports_neither_textual_nor_sqlite():
    code = "import sys, tui.core.case; print(sorted({'textual', 'sqlite3'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# -- listeners -----------------------------------------------------------------


def test_each_change_is_told_after_it_is_made(case, told):
    before = case.updated_at
    seen = []
    case.subscribe(lambda c, what: seen.append((c.product, c.updated_at)))
    case.set_product("exchange")
    assert told == [(case, "product")]
    assert seen[0][0] == "exchange"
    assert seen[0][1] >= before


def test_every_method_names_what_changed():
    changes = [
        ("product", lambda c: c.set_product("exchange")),
        ("product", lambda c: c.confirm_product()),
        ("steps", lambda c: c.toggle_step("exchange.login")),
        ("ticket", lambda c: c.set_ticket(TICKET, None, None, None, None)),
        ("samples", lambda c: c.add_samples("pasted", [HEADER_BLOCK])),
        ("samples", lambda c: c.remove_sample(c.samples[0].id)),
        ("expectations", lambda c: c.set_expectations(countries=["FR"])),
        ("answers", lambda c: c.set_answer(1, "yes")),
        ("reply", lambda c: c.set_reply("Hello")),
        ("reply_options", lambda c: c.set_reply_options(language="fr")),
        ("devices", lambda c: c.add_device("Laptop")),
        ("devices", lambda c: c.record_scan(0, "clean")),
        ("devices", lambda c: c.remove_device(0)),
        ("software", lambda c: c.add_software("Sage", "business software")),
        ("software", lambda c: c.mark_software_updated(0)),
        ("software", lambda c: c.remove_software(0)),
        ("password", lambda c: c.mark_password_changed()),
        ("screen", lambda c: c.go_to("ticket")),
    ]
    case = Case()
    calls: list[str] = []
    case.subscribe(lambda c, what: calls.append(what))
    for _what, change in changes:
        change(case)
    assert calls == [what for what, _change in changes]


def test_a_refused_change_tells_nobody_and_changes_nothing(case, told):
    before = case_to_dict(case)
    with pytest.raises(ValueError):
        case.set_product("gmail")
    with pytest.raises(ValueError):
        case.set_expectations(countries=["FR"], ips=["not-an-ip"])
    assert told == []
    assert case_to_dict(case) == before


def test_unsubscribe_stops_the_calls(case):
    calls = []
    unsubscribe = case.subscribe(lambda c, what: calls.append(what))
    case.go_to("ticket")
    unsubscribe()
    unsubscribe()  # twice is harmless
    case.go_to("questions")
    assert calls == ["screen"]


def test_a_listener_may_unsubscribe_while_being_told(case):
    calls = []

    def once(c, what):
        calls.append(what)
        unsubscribe()

    unsubscribe = case.subscribe(once)
    other = []
    case.subscribe(lambda c, what: other.append(what))
    case.go_to("ticket")
    case.go_to("reply")
    assert calls == ["screen"]
    assert other == ["screen", "screen"]


def test_going_to_the_current_screen_is_not_a_change(case, told):
    case.go_to("product")
    assert told == []


def test_a_listener_error_reaches_the_caller_after_the_change(case):
    def broken(c, what):
        raise RuntimeError("disk full")

    case.subscribe(broken)
    with pytest.raises(RuntimeError):
        case.set_product("exchange")
    assert case.product == "exchange"


# -- product and checklist -----------------------------------------------------


def test_product_must_be_known(case):
    with pytest.raises(ValueError, match="Unknown product 'mxplan'"):
        case.set_product("mxplan")
    case.set_product(None)
    assert case.product is None


def test_confirming_needs_a_product_and_changing_it_unconfirms(case):
    with pytest.raises(ValueError, match="Choose a product"):
        case.confirm_product()
    case.set_product("mxplan_new")
    case.confirm_product()
    case.set_product("mxplan_new")
    assert case.product_confirmed
    case.set_product("mxplan_legacy")
    assert not case.product_confirmed


def test_toggle_step_ticks_then_unticks(case):
    assert case.toggle_step("exchange.login") is True
    assert case.steps_done == {"exchange.login"}
    assert case.toggle_step(" exchange.login ") is False
    assert case.steps_done == set()


@pytest.mark.parametrize("bad", ["", "   ", "two words", None, 3])
def test_step_ids_are_single_words(case, bad):
    with pytest.raises(ValueError):
        case.toggle_step(bad)


# -- ticket and samples --------------------------------------------------------


def test_set_ticket_records_what_was_read(case):
    case.set_ticket(TICKET, " Marie.Dupont@Boulangerie-Exemple.FR ", "boulangerie-exemple.fr", 212, "fr")
    assert case.address == "marie.dupont@boulangerie-exemple.fr"
    assert case.title() == "marie.dupont@boulangerie-exemple.fr"
    assert (case.service, case.suspicious_count, case.ticket_language) == ("boulangerie-exemple.fr", 212, "fr")
    assert case.ticket_text == TICKET


def test_the_reply_follows_the_ticket_language_until_drafted(case):
    case.set_ticket(TICKET, language="fr")
    assert case.reply_language == "fr"
    case.set_reply_options(language="en")
    case.set_reply("Hello")
    case.set_ticket(TICKET, language="fr")
    assert case.reply_language == "en"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"address": "marie.dupont"}, "not a mailbox address"),
        ({"address": "a@b@c.fr"}, "not a mailbox address"),
        ({"address": "marie dupont@example.fr"}, "not a mailbox address"),
        ({"address": "marie@localhost"}, "not a mailbox address"),
        ({"address": "marie@example..fr"}, "not a mailbox address"),
        ({"count": -1}, "suspicious emails"),
        ({"count": True}, "suspicious emails"),
        ({"count": "12"}, "suspicious emails"),
        ({"language": "de"}, "ticket language"),
        ({"service": "  "}, "service name is empty"),
    ],
)
def test_set_ticket_refuses_bad_values(case, kwargs, message):
    with pytest.raises(ValueError, match=message):
        case.set_ticket(TICKET, **kwargs)
    assert case.ticket_text == ""


def test_ticket_text_must_be_text(case):
    with pytest.raises(ValueError, match="must be text"):
        case.set_ticket(b"bytes")


def test_normalise_address():
    assert normalise_address("  Jean@Example.COM") == "jean@example.com"
    with pytest.raises(ValueError, match="empty"):
        normalise_address("")


def test_add_samples_numbers_each_source_separately(case):
    first = case.add_samples("sent.mbox", [HEADER_BLOCK, HEADER_BLOCK])
    pasted = case.add_samples("pasted", [HEADER_BLOCK])
    more = case.add_samples("pasted", [HEADER_BLOCK])
    assert [s.index for s in first] == [0, 1]
    assert [(s.source, s.index) for s in pasted + more] == [("pasted", 0), ("pasted", 1)]
    assert case.samples == first + pasted + more
    assert len({s.id for s in case.samples}) == 4
    assert case.samples[0].text == HEADER_BLOCK


@pytest.mark.parametrize(
    "source, texts, message",
    [
        ("pasted", HEADER_BLOCK, "list of texts"),
        ("pasted", [], "No header blocks"),
        ("pasted", [HEADER_BLOCK, "  \n"], "block 1 from pasted is empty"),
        ("pasted", [HEADER_BLOCK, None], "must be text"),
        ("", [HEADER_BLOCK], "source is empty"),
    ],
)
def test_add_samples_refuses_bad_input(case, source, texts, message):
    with pytest.raises(ValueError, match=message):
        case.add_samples(source, texts)
    assert case.samples == []


def test_remove_sample(case):
    a, b = case.add_samples("pasted", [HEADER_BLOCK, HEADER_BLOCK])
    case.remove_sample(a.id)
    assert case.samples == [b]
    with pytest.raises(ValueError, match="no header sample"):
        case.remove_sample(a.id)


# -- expectations --------------------------------------------------------------


def test_expectations_are_normalised(case):
    case.set_expectations(
        countries=[" fr", "be", "FR", ""],
        ips=[" 203.0.113.9", "2001:DB8:0:0::1", "203.0.113.9"],
        clients=["Thunderbird", "thunderbird ", "Outlook 16"],
    )
    assert case.expected_countries == ["FR", "BE"]
    assert case.own_ips == ["203.0.113.9", "2001:db8::1"]
    assert case.own_clients == ["Thunderbird", "Outlook 16"]


def test_expectations_left_out_stay_as_they_were(case):
    case.set_expectations(countries=["FR"], ips=["192.0.2.1"])
    case.set_expectations(clients=["Mail"])
    assert (case.expected_countries, case.own_ips, case.own_clients) == (["FR"], ["192.0.2.1"], ["Mail"])
    case.set_expectations(countries=[])
    assert case.expected_countries == []


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"countries": ["FRA"]}, "FRA"),
        ({"countries": ["F1"]}, "two-letter country code"),
        ({"countries": ["É1"]}, "two-letter"),
        ({"countries": "FR"}, "list of text"),
        ({"ips": ["300.1.1.1"]}, "not an IP address"),
        ({"ips": ["192.0.2.0/24"]}, "not an IP address"),
        ({"ips": [7]}, "must be text"),
        ({"clients": "Thunderbird"}, "list of text"),
    ],
)
def test_expectations_refuse_bad_values(case, kwargs, message):
    with pytest.raises(ValueError, match=message):
        case.set_expectations(**kwargs)


def test_expectations_for_the_findings(case):
    case.set_ticket(TICKET, "marie@example.fr")
    case.set_expectations(countries=["FR"], ips=["192.0.2.1"], clients=["Thunderbird"])
    assert case.expectations() == Expectations(
        account="marie@example.fr", countries=["FR"], ips=["192.0.2.1"], clients=["Thunderbird"]
    )


# -- answers and reply ---------------------------------------------------------


def test_answers(case):
    case.set_answer(1, "no", "  Not me.  ")
    case.set_answer(1, "not sure")
    assert case.answers[1] == Answer("not sure", "Not me.")
    case.set_answer(2, "no", "")
    assert not case.all_answered()
    case.set_answer(3, "yes")
    assert case.all_answered()
    case.set_answer(3, None)
    assert not case.all_answered()


@pytest.mark.parametrize(
    "q, choice, message",
    [(0, "yes", "no question 0"), (4, "yes", "no question 4"), (True, "yes", "no question"),
     ("1", "yes", "no question"), (1, "maybe", "Unknown answer 'maybe'"), (1, "Yes", "Unknown answer")],
)
def test_set_answer_refuses_bad_values(case, q, choice, message):
    with pytest.raises(ValueError, match=message):
        case.set_answer(q, choice)


def test_reply_draft_and_options(case):
    case.set_reply("Hello,\nplease unblock.")
    assert case.reply_text == "Hello,\nplease unblock."
    case.set_reply(None)
    assert case.reply_text is None
    case.set_reply_options(language="fr", include_evidence=False, include_remediation=False)
    case.set_reply_options(include_remediation=True)
    assert (case.reply_language, case.reply_include_evidence, case.reply_include_remediation) == ("fr", False, True)
    with pytest.raises(ValueError, match="reply language"):
        case.set_reply_options(language="es")
    with pytest.raises(ValueError, match="include_evidence"):
        case.set_reply_options(include_evidence="yes")
    with pytest.raises(ValueError, match="must be text"):
        case.set_reply(42)


@pytest.mark.parametrize(
    "product, first_answer, needed",
    [
        (None, None, False),
        ("exchange", "yes", False),
        ("exchange", "no", True),
        ("email_pro", "not sure", True),
        ("mxplan_legacy", "yes", True),
        ("mxplan_legacy", None, True),
    ],
)
def test_needs_remediation(case, product, first_answer, needed):
    case.set_product(product)
    case.set_answer(1, first_answer)
    assert needs_remediation(case) is needed


# -- devices, software, password -----------------------------------------------


def test_scans_and_the_password(case):
    allowed, reason = case.can_change_password()
    assert not allowed and "scan every computer and phone" in reason
    case.add_device("Laptop")
    case.add_device("Kitchen PC")
    allowed, reason = case.can_change_password()
    assert not allowed and "Laptop, Kitchen PC" in reason
    case.record_scan(0, "clean")
    assert not case.scans_complete()
    allowed, reason = case.can_change_password()
    assert not allowed and "Kitchen PC" in reason and "Laptop" not in reason
    case.record_scan(1, "threats removed", datetime(2025, 3, 5, 10, 0, tzinfo=timezone(timedelta(hours=1))))
    assert case.scans_complete()
    allowed, reason = case.can_change_password()
    assert allowed and "All 2 devices" in reason
    assert case.devices[1] == Device("Kitchen PC", "2025-03-05T10:00:00+01:00", "threats removed")
    assert case.mark_password_changed() is False
    assert not case.password_changed_early
    assert datetime.fromisoformat(case.password_changed_at).tzinfo is not None


def test_changing_the_password_early_is_allowed_but_flagged(case):
    case.add_device("Laptop")
    assert case.mark_password_changed("2025-03-05T12:00:00+01:00") is True
    assert case.password_changed_early
    assert case.password_changed_at == "2025-03-05T12:00:00+01:00"


def test_no_device_means_scans_are_not_complete(case):
    assert not case.scans_complete()
    assert case.mark_password_changed() is True


def test_naive_times_are_taken_as_local_time(case):
    case.add_device("Laptop")
    case.record_scan(0, "clean", "2025-03-05T10:00:00")
    assert datetime.fromisoformat(case.devices[0].scanned_at).utcoffset() is not None


@pytest.mark.parametrize("when", ["yesterday", "2025-13-01", 1741165200])
def test_bad_times_are_refused(case, when):
    case.add_device("Laptop")
    with pytest.raises(ValueError):
        case.record_scan(0, "clean", when)
    assert case.devices[0].scanned_at is None


def test_device_names_are_unique_and_indexes_checked(case):
    case.add_device("Laptop")
    with pytest.raises(ValueError, match="already a device called 'laptop'"):
        case.add_device("laptop")
    with pytest.raises(ValueError, match="empty"):
        case.add_device(" ")
    for bad in (1, -1, True, "0"):
        with pytest.raises(ValueError):
            case.record_scan(bad, "clean")
    with pytest.raises(ValueError, match="scan result is empty"):
        case.record_scan(0, "")
    case.remove_device(0)
    assert case.devices == []
    with pytest.raises(ValueError, match="no device number 0"):
        case.remove_device(0)


def test_software(case):
    case.add_software("Sage 100", "business software")
    case.add_software("Old Outlook", "mail client")
    case.mark_software_updated(1, "2025-03-05T11:00:00+01:00")
    assert case.software[1] == Software("Old Outlook", "mail client", "2025-03-05T11:00:00+01:00")
    case.remove_software(0)
    assert [s.name for s in case.software] == ["Old Outlook"]
    with pytest.raises(ValueError, match="Unknown kind of software 'printer'"):
        case.add_software("HP", "printer")
    with pytest.raises(ValueError, match="no software number 3"):
        case.mark_software_updated(3)


def test_screen_names(case):
    case.go_to("reply")
    assert case.screen == "reply"
    with pytest.raises(ValueError):
        case.go_to("")


# -- JSON ----------------------------------------------------------------------


def test_json_round_trip_keeps_everything():
    case = full_case()
    d = json.loads(json.dumps(case_to_dict(case)))
    assert d["schema"] == SCHEMA
    again = case_from_dict(d)
    assert case_to_dict(again) == case_to_dict(case)
    assert again.samples == case.samples
    assert again.answers == case.answers
    assert again.steps_done == {"email_pro.login", "email_pro.unblock"}
    assert isinstance(again.samples[0], Sample)


def test_to_dict_can_leave_the_samples_out():
    d = case_to_dict(full_case(), include_samples=False)
    assert "samples" not in d
    assert case_from_dict(d).samples == []


def test_from_dict_with_missing_keys_uses_defaults():
    case = case_from_dict({"schema": 1, "id": "abc", "address": "marie@example.fr"})
    assert case.id == "abc"
    assert case.title() == "marie@example.fr"
    assert case.screen == "product"
    assert case.answers == {1: Answer(), 2: Answer(), 3: Answer()}
    assert case.reply_include_evidence and case.reply_include_remediation
    assert case_from_dict({}).id


def test_from_dict_from_a_newer_version_ignores_what_it_does_not_know():
    d = case_to_dict(full_case())
    d.update(
        schema=7,
        product="mxplan_2031",
        colour_theme="dark",
        answers={"1": {"choice": "perhaps", "comment": "hm", "mood": 3}, "4": {"choice": "yes"}},
        samples=[{"id": "s1", "source": "pasted", "index": 0, "text": HEADER_BLOCK, "hash": "x"}, "junk"],
        devices=[{"name": "Laptop", "scanned_at": None, "result": None, "os": "Linux"}, {"name": 3}],
        software=[{"name": "Fax", "kind": "hologram"}],
        suspicious_count="many",
        expected_countries=["FR", "France", 3],
        steps_done="exchange.login",
    )
    case = case_from_dict(d)
    assert case.product is None and not case.product_confirmed
    assert case.answers[1] == Answer(None, "hm")
    assert set(case.answers) == {1, 2, 3}
    assert case.samples == [Sample("s1", "pasted", 0, HEADER_BLOCK)]
    assert case.devices == [Device("Laptop")]
    assert case.software == [Software("Fax", "other")]
    assert case.suspicious_count is None
    assert case.expected_countries == ["FR"]
    assert case.steps_done == set()


def test_from_dict_of_garbage_still_gives_a_case():
    assert case_from_dict(None).title() == "New case"
    assert case_from_dict({"answers": [1, 2], "samples": {"a": 1}}).samples == []
