"""The password meter's verdicts, the product rules, and generated passphrases."""

import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core import password as password_module
from tui.core.password import (
    NCSC_ADVICE,
    assess,
    generate_passphrase,
    passphrase_words,
    rule_problems,
    rules_for,
    user_inputs_for,
)
from tui.core.products import PRODUCT_IDS

ROOT = Path(__file__).resolve().parents[1]
ALL_PRODUCTS = [*PRODUCT_IDS, None]
ADDRESS = ["jean.dupont@boulangerie-dupont.fr", "Jean Dupont"]


def test_a_common_password_is_weak_whatever_the_product():
    result = assess("password", "exchange", ADDRESS)
    assert result.score == 0
    assert result.warning == "This is a top-10 common password."
    assert result.suggestions
    assert result.crack_time == "less than a second"
    assert not result.acceptable


def test_a_long_random_passphrase_is_acceptable():
    result = assess("tulip-harbour-pencil-quarry", "mxplan_legacy", ADDRESS)
    assert result.score == 4
    assert result.rule_problems == []
    assert result.warning == ""
    assert result.crack_time == "centuries"
    assert result.acceptable


def test_the_users_own_details_make_a_password_weaker():
    alone = assess("dupontboulangerie", "exchange", [])
    knowing = assess("dupontboulangerie", "exchange", ADDRESS)
    assert knowing.score < alone.score
    assert not knowing.acceptable


BAKERY = "contact@boulangerie-martin.fr"


@pytest.mark.parametrize(
    ("address", "words"),
    [
        (BAKERY, ["contact", "boulangerie", "martin"]),
        ("Jean.Dupont+devis@mail.atelier_lemoine.co.uk", ["jean", "dupont", "devis", "mail", "atelier", "lemoine"]),
        ("a-b@x.fr", []),
        ("not an address", []),
        (None, []),
    ],
)
def test_user_inputs_are_the_words_of_the_address(address, words):
    assert user_inputs_for(address) == words


def test_the_mailboxs_own_words_in_a_passphrase_are_not_very_strong():
    result = assess("tulip-harbour-pencil-contact-boulangerie-martin", "exchange", user_inputs_for(BAKERY))
    assert result.score <= 3
    assert "contact, boulangerie, martin" in result.warning
    french = assess("tulip-harbour-pencil-contact-boulangerie-martin", "exchange", user_inputs_for(BAKERY), "fr")
    assert "l'adresse elle-même (contact, boulangerie, martin)" in french.warning


def test_own_words_count_for_nothing_so_the_rest_is_what_is_scored():
    result = assess("harbour-Contact-MARTIN", "exchange", user_inputs_for(BAKERY))
    assert result.score <= assess("harbour--", "exchange", []).score
    assert not result.acceptable
    assert assess("boulangeriemartin", "exchange", [BAKERY]).score == 0


def test_a_random_passphrase_without_the_own_words_still_scores_high():
    result = assess("tulip-harbour-pencil-quarry", "exchange", user_inputs_for(BAKERY))
    assert result.score == 4
    assert result.warning == ""
    assert result.acceptable


def test_a_strong_password_that_breaks_a_rule_is_not_acceptable():
    result = assess(" Vx9#qLr2!mZt4&wP ", "exchange", [])
    assert result.score >= 3
    assert result.rule_problems == ["Exchange passwords cannot start or end with a space; this one does."]
    assert not result.acceptable


@pytest.mark.parametrize(("length", "broken"), [(7, True), (8, True), (9, False), (30, False), (31, True), (40, True)])
def test_legacy_mxplan_length_is_9_to_30(length, broken):
    candidate = "kq7vz3wh" * 5
    problems = rule_problems(candidate[:length], "mxplan_legacy")
    expected = f"MX Plan (legacy) passwords must be 9 to 30 characters long; this one has {length}."
    assert problems == ([expected] if broken else [])


@pytest.mark.parametrize("product_id", ["exchange", "email_pro", "mxplan_new", None])
def test_other_products_need_at_least_8_characters(product_id):
    assert rule_problems("kq7vz3wh", product_id) == []
    assert rule_problems("kq7vz3wh" * 10, product_id) == []
    (problem,) = rule_problems("kq7vz3w", product_id)
    assert "at least 8 characters" in problem and "this one has 7" in problem


def test_the_sentence_names_the_product():
    assert rule_problems("short", "email_pro") == [
        "Email Pro passwords must be at least 8 characters long; this one has 5."
    ]
    assert rule_problems("short", None)[0].startswith("Email passwords must be")


def test_legacy_mxplan_refuses_accented_letters_only():
    problems = rule_problems("Crème-brûlée-42", "mxplan_legacy")
    assert problems == ["MX Plan (legacy) passwords cannot contain accented letters; this one has è, û, é."]
    assert rule_problems("Crème-brûlée-42", "exchange") == []
    assert rule_problems("Ça-va-très-bien", "mxplan_legacy")[0].endswith("this one has Ç, è.")
    assert rule_problems("Ωmega-strong-9", "mxplan_legacy") != []
    assert rule_problems("price-10€-each", "mxplan_legacy") == []


def test_a_combining_accent_counts_as_an_accented_letter():
    problems = rule_problems("cafe\u0301-au-lait", "mxplan_legacy")
    assert problems == ["MX Plan (legacy) passwords cannot contain accented letters; this one has é."]


@pytest.mark.parametrize("candidate", [" leading-space-pass", "trailing-space-pass ", "tab-at-end-pass\t"])
@pytest.mark.parametrize("product_id", ALL_PRODUCTS)
def test_no_leading_or_trailing_space_for_any_product(candidate, product_id):
    problems = rule_problems(candidate, product_id)
    assert len(problems) == 1 and "start or end with a space" in problems[0]
    assert rule_problems(candidate.strip() + "x y", product_id) == []


def test_every_legacy_problem_is_listed_at_once():
    problems = rule_problems(" été", "mxplan_legacy")
    assert len(problems) == 3


def test_french_verdict():
    result = assess("qwerty", "mxplan_legacy", [], language="fr")
    assert result.warning == "C'est l'un des 10 mots de passe les plus courants."
    assert result.suggestions[0] == "Ajoutez un mot ou deux. Les mots peu courants sont préférables."
    assert result.crack_time == "moins d'une seconde"
    assert result.rule_problems == [
        ("Les mots de passe MX Plan (version historique) doivent compter de 9 à 30 caractères ; celui-ci en compte 6.")
    ]


@pytest.mark.parametrize(
    ("english", "french"),
    [
        ("less than a second", "moins d'une seconde"),
        ("1 second", "1 seconde"),
        ("40 minutes", "40 minutes"),
        ("1 hour", "1 heure"),
        ("3 days", "3 jours"),
        ("1 month", "1 mois"),
        ("11 months", "11 mois"),
        ("1 year", "1 an"),
        ("5 years", "5 ans"),
        ("centuries", "des siècles"),
    ],
)
def test_crack_times_in_french(english, french):
    assert password_module._crack_time_fr(english) == french


@pytest.mark.parametrize(
    "candidate",
    [
        "",
        "wertyuio",
        "ertgbnhy",
        "qwerty",
        "monkey12",
        "Password1",
        "aaaaaaaaaa",
        "abcabcabc",
        "ghijklmn",
        "asdfghjkl",
        "zxcvbn",
        "1987-03-14",
        "2019",
        "p@ssw0rd",
        "drowssap",
        "Jennifer",
        "SMITHJOHN",
        "river",
    ],
)
def test_zxcvbn_feedback_is_all_translated(candidate):
    english = assess(candidate, None, [])
    french = assess(candidate, None, [], language="fr")
    translated = set(password_module._FEEDBACK_FR.values())
    assert english.warning or english.suggestions
    for text in [french.warning, *french.suggestions]:
        assert text == "" or text in translated, text
    assert len(french.suggestions) == len(english.suggestions)


def test_an_empty_password_is_assessed_not_crashed():
    result = assess("", "exchange", ADDRESS, language="fr")
    assert result.score == 0
    assert result.crack_time == "moins d'une seconde"
    assert result.rule_problems == [
        "Les mots de passe Exchange doivent compter au moins 8 caractères ; celui-ci en compte 0."
    ]
    assert not result.acceptable


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=90), st.sampled_from(ALL_PRODUCTS), st.lists(st.text(max_size=20), max_size=3))
def test_any_text_gets_a_verdict(candidate, product_id, inputs):
    result = assess(candidate, product_id, inputs)
    assert 0 <= result.score <= 4
    assert result.acceptable == (result.score >= 3 and not result.rule_problems)


def test_a_password_longer_than_zxcvbn_accepts_is_still_assessed():
    result = assess("correct-horse-battery-staple-" * 5, "exchange", [])
    assert result.score == 4
    assert result.acceptable


def test_the_assessment_does_not_carry_the_password():
    secret = "Zq8-harbour-Vt2"
    result = assess(secret, "exchange", ADDRESS)
    assert secret not in repr(result)


def test_zxcvbn_is_loaded_only_when_a_password_is_assessed():
    probe = "import sys, tui.core.password; print('zxcvbn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_rules_for_each_product():
    assert rules_for("mxplan_legacy").max_length == 30
    assert not rules_for("mxplan_legacy").accented_letters
    assert rules_for("exchange").min_length == 8
    assert rules_for(None).max_length is None


@pytest.mark.parametrize("language", ["en", "fr"])
def test_word_lists_suit_every_product(language):
    words = passphrase_words(language)
    assert len(words) >= 2000
    assert len(set(words)) == len(words)
    assert all(re.fullmatch(r"[a-z]{3,8}", w) for w in words)


def test_english_and_french_lists_differ():
    assert len(set(passphrase_words("en")) & set(passphrase_words("fr"))) < 300
    assert "maison" in passphrase_words("fr") or "soleil" in passphrase_words("fr")


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("separator", ["-", "", ".", "_+_"])
@pytest.mark.parametrize("words", [1, 2, 3, 4, 6, 12])
def test_passphrases_satisfy_every_products_rules(language, separator, words):
    rng = random.Random(f"{language}{separator}{words}")
    vocabulary = set(passphrase_words(language))
    for _ in range(200):
        phrase = generate_passphrase(words, separator, rng=rng, language=language)
        assert 9 <= len(phrase) <= 30, phrase
        for product_id in ALL_PRODUCTS:
            assert rule_problems(phrase, product_id) == [], (phrase, product_id)
        if separator:
            parts = phrase.split(separator)
            assert set(parts) <= vocabulary
            if words <= 4 and separator == "-":
                assert len(parts) >= words


def test_four_words_stay_four_words():
    rng = random.Random(7)
    assert all(len(generate_passphrase(rng=rng).split("-")) == 4 for _ in range(500))


def test_too_many_words_are_cut_to_fit_30_characters():
    rng = random.Random(8)
    phrase = generate_passphrase(20, "-", rng=rng)
    assert len(phrase) <= 30
    assert len(phrase.split("-")) == 7


def test_one_word_grows_to_the_minimum_length():
    rng = random.Random(9)
    phrases = [generate_passphrase(1, "-", rng=rng) for _ in range(200)]
    assert all(len(p) >= 9 for p in phrases)
    assert any("-" in p for p in phrases)


def test_generated_passphrases_pass_the_meter():
    rng = random.Random(10)
    for language in ("en", "fr"):
        for _ in range(15):
            phrase = generate_passphrase(rng=rng, language=language)
            result = assess(phrase, "mxplan_legacy", ADDRESS)
            assert result.acceptable, (phrase, result)


def test_passphrases_come_from_secrets_by_default(monkeypatch):
    drawn = []

    def recording_choice(seq):
        drawn.append(seq[0])
        return seq[0]

    monkeypatch.setattr(password_module.secrets, "choice", recording_choice)
    phrase = generate_passphrase(3)
    assert len(drawn) == 3
    assert phrase == "-".join(drawn)


@pytest.mark.parametrize(("words", "separator"), [(0, "-"), (-1, "-"), (4, " "), (4, "é"), (4, "----"), (4, "\n")])
def test_passphrase_arguments_are_checked(words, separator):
    with pytest.raises(ValueError):
        generate_passphrase(words, separator)


def test_ncsc_advice_in_both_languages():
    assert "three random words" in NCSC_ADVICE["en"]
    assert "trois mots" in NCSC_ADVICE["fr"]
