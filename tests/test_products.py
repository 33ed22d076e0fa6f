"""The four products, their Control Panel steps in both languages, and guessing the product."""

import re

import pytest
from conftest import shared_path
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.products import (
    CATALOGUE,
    HOW_TO_TELL_MXPLAN,
    PRODUCT_IDS,
    PRODUCTS,
    get_product,
    products,
    suggest_product,
)


def test_products_in_order_with_the_guides_labels_statuses_and_actions():
    table = [(p.id, p.label, p.has_ticket, p.status_blocked, p.action) for p in PRODUCTS]
    assert table == [
        ("exchange", "Exchange", True, "Blocked", "Unblock"),
        ("email_pro", "Email Pro", True, "Spam", "Reply to the ticket"),
        ("mxplan_new", "MX Plan (new version)", True, "Spam", "Reply to the ticket"),
        ("mxplan_legacy", "MX Plan (legacy)", False, "Blocked for SPAM: Yes", "Change password"),
    ]
    assert PRODUCT_IDS == ("exchange", "email_pro", "mxplan_new", "mxplan_legacy")


def test_french_table_translates_labels_and_actions():
    fr = {p.id: p for p in products("fr")}
    assert fr["email_pro"].label == "E-mail Pro"
    assert fr["mxplan_legacy"].label == "MX Plan (version historique)"
    assert [fr[i].action for i in PRODUCT_IDS] == [
        "Débloquer",
        "Répondre au ticket",
        "Répondre au ticket",
        "Changer le mot de passe",
    ]
    assert fr["mxplan_legacy"].status_blocked == "Bloqué pour SPAM : Oui"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_product_has_steps_with_unique_stable_ids(language):
    seen = set()
    for product in products(language):
        assert product.steps, product.id
        ids = [step.id for step in product.steps]
        assert len(ids) == len(set(ids)), product.id
        assert all(i.startswith(product.id + ".") for i in ids)
        assert all(step.text.strip() for step in product.steps)
        seen.update(ids)
    assert len(seen) == sum(len(p.steps) for p in PRODUCTS)


def test_step_ids_and_order_are_the_same_in_both_languages():
    for en, fr in zip(CATALOGUE["en"], CATALOGUE["fr"], strict=True):
        assert [s.id for s in en.steps] == [s.id for s in fr.steps]
        assert [s.text for s in en.steps] != [s.text for s in fr.steps]
        assert len(en.notes) == len(fr.notes)


def test_exchange_follows_the_guides_control_panel_path():
    texts = [step.text for step in get_product("exchange").steps]
    assert texts[:5] == [
        "Log in to the OVHcloud Control Panel",
        "Select Web Cloud in the top navigation bar",
        "Click Microsoft, then Exchange, and select the Exchange service concerned",
        "Open the Email accounts section",
        'Check the Status column shows "Blocked"',
    ]
    assert texts[5].startswith("Click ... to the right of the account") and texts[5].endswith("Unblock")
    assert texts[-1] == 'Reply to the support ticket "Account locked for spam" by answering the 3 questions'
    assert get_product("exchange").steps[0].id == "exchange.login"


@pytest.mark.parametrize("product_id", ["email_pro", "mxplan_new"])
def test_spam_status_products_reply_to_the_ticket(product_id):
    product = get_product(product_id)
    ids = [s.id.split(".", 1)[1] for s in product.steps]
    assert ids == ["login", "web_cloud", "service", "accounts", "status", "spam", "ticket", "reply"]
    assert "Reply to the ticket" in product.steps[5].text
    assert '"Spam"' in product.steps[4].text


def test_legacy_mxplan_ends_with_change_password_and_has_no_ticket():
    legacy = get_product("mxplan_legacy")
    assert not legacy.has_ticket
    last = legacy.steps[-1]
    assert last.id == "mxplan_legacy.password"
    assert "Change password" in last.text and "no ticket" in last.text
    assert not any(s.id.endswith((".ticket", ".reply")) for s in legacy.steps)
    notes = " ".join(legacy.notes)
    assert "no support ticket" in notes
    assert '"No"' in notes and "rare cases" in notes
    french = " ".join(get_product("mxplan_legacy", "fr").notes)
    assert "« Non »" in french and "de rares cas" in french


def test_get_product_rejects_unknown_ids_and_falls_back_to_english():
    with pytest.raises(KeyError, match="exchange"):
        get_product("gmail")
    assert get_product("exchange", "de") == get_product("exchange")


def test_how_to_tell_the_mxplan_versions_apart():
    assert "Subscription" in HOW_TO_TELL_MXPLAN["en"]["mxplan_legacy"]
    assert "Server model" in HOW_TO_TELL_MXPLAN["en"]["mxplan_new"]
    assert "Summary" in HOW_TO_TELL_MXPLAN["en"]["mxplan_new"]
    assert "Abonnement" in HOW_TO_TELL_MXPLAN["fr"]["mxplan_legacy"]
    assert "Référence serveur" in HOW_TO_TELL_MXPLAN["fr"]["mxplan_new"]


@pytest.mark.parametrize(("language", "guide"), [("en", "guide-2024.en-gb.md"), ("fr", "guide-2024.fr-fr.md")])
def test_control_panel_names_are_the_guides_own(language, guide):
    text = shared_path("reference", guide).read_text(encoding="utf-8")
    buttons = set(re.findall(r"`([^`]+)`\{\.action\}", text))
    for product in products(language):
        assert product.action in buttons, product.action
    if language == "en":
        assert {"Web Cloud", "Microsoft", "Exchange", "Email Pro", "Emails", "Email accounts"} <= buttons
        assert "Email accounts" in get_product("email_pro").steps[3].text
    else:
        assert {"Comptes e-mail", "Voir le détail", "E-mail Pro"} <= buttons
        assert "Comptes e-mail" in get_product("email_pro", "fr").steps[3].text
        assert "Voir le détail" in get_product("exchange", "fr").steps[6].text


@pytest.mark.parametrize(
    ("service", "has_ticket", "expected"),
    [
        ("hosted-ab12345-1", True, "exchange"),
        (" Private-AB12345-1 ", True, "exchange"),
        ("provider-xy98765-2", True, "exchange"),
        ("emailpro-ab12345-1", True, "email_pro"),
        ('"emailpro-cd54321-3"', True, "email_pro"),
        ("example.com", True, "mxplan_new"),
        ("Example.COM.", True, "mxplan_new"),
        ("boulangerie-martin.fr", False, "mxplan_legacy"),
        ("café-crème.fr", True, "mxplan_new"),
        ("xn--caf-dma.fr", True, "mxplan_new"),
        ("hosted-ab12345-1.example.com", True, "mxplan_new"),
        ("notaservice", True, None),
        ("exchange", True, None),
        ("example", True, None),
        ("-bad-.com", True, None),
    ],
)
def test_suggest_product_from_the_service_name(service, has_ticket, expected):
    product, reason = suggest_product(service, "contact@example.com", has_ticket)
    assert product == expected
    assert reason


def test_a_ticket_rules_out_the_legacy_mxplan():
    product, reason = suggest_product("example.com", "anne@example.com", has_ticket=True)
    assert product == "mxplan_new"
    assert "legacy MX Plan has none" in reason
    assert "Server model" in reason


def test_no_ticket_for_a_domain_points_to_the_legacy_mxplan():
    product, reason = suggest_product("example.com", "anne@example.com", has_ticket=False)
    assert product == "mxplan_legacy"
    assert "Subscription" in reason


def test_exchange_without_a_ticket_says_where_the_ticket_is():
    product, reason = suggest_product("hosted-ab12345-1", None, has_ticket=False)
    assert product == "exchange"
    assert "My support tickets" in reason


def test_address_on_another_domain_is_pointed_out():
    _, reason = suggest_product("example.com", "anne@example.org", has_ticket=True)
    assert "example.org" in reason and "right service" in reason
    _, same = suggest_product("example.com", "anne@Example.com", has_ticket=True)
    assert "right service" not in same


def test_an_address_typed_as_service_is_read_as_its_domain():
    assert suggest_product("anne@example.com", None, True)[0] == "mxplan_new"


def test_unknown_service_says_what_to_check():
    product, reason = suggest_product("mailbox-42", None, True)
    assert product is None
    assert '"mailbox-42"' in reason and "Web Cloud" in reason


@pytest.mark.parametrize("service", [None, "", "  "])
def test_missing_service_says_what_to_check(service):
    product, reason = suggest_product(service, "anne@example.com", has_ticket=True)
    assert product is None
    assert "service" in reason and "example.com" in reason
    product, reason = suggest_product(service, None, has_ticket=False)
    assert product is None
    assert "Subscription" in reason and "Server model" in reason


def test_reasons_in_french():
    product, reason = suggest_product("example.com", "anne@example.com", True, language="fr")
    assert product == "mxplan_new"
    assert "nom de domaine" in reason and "Référence serveur" in reason
    assert suggest_product(None, None, False, language="fr")[1].startswith("Sans nom de service")


def test_a_huge_crafted_service_name_is_refused():
    assert suggest_product("a" * 100_000 + ".com", None, True)[0] is None
    assert suggest_product("a." * 50_000 + "!", None, True)[0] is None
    assert suggest_product("hosted-" + "a-" * 50_000, None, True)[0] is None
    assert suggest_product("é." * 50_000, "x@" + "é." * 50_000, True)[0] is None


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.none(), st.text(max_size=300)), st.one_of(st.none(), st.text(max_size=80)), st.booleans())
def test_any_input_gets_an_answer(service, address, has_ticket):
    product, reason = suggest_product(service, address, has_ticket)
    assert product is None or product in PRODUCT_IDS
    assert reason


def test_a_long_paste_is_only_glimpsed_in_the_reason():
    _, reason = suggest_product("x" * 5000, None, True)
    assert len(reason) < 400
    assert "xxx…" in reason
