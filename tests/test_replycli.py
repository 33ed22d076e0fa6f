"""`unblock reply`: the reply that taking every suggestion gives, its JSON document, and inspect's errors and exit statuses."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from mailbox_corpus import write_sent_folder
from tui.cli import main
from tui.core.demo import DEMO_TICKET

ROOT = Path(__file__).resolve().parents[1]
ADVICE = Path(__file__).parent / "fixtures" / "advice"
INPUTS = Path(__file__).parent / "fixtures" / "inputs"
LIST_REPLY = ADVICE / "list-reply-en.txt"
SUGGESTIONS = {"yes", "no", "not_sure"}


@pytest.fixture
def reply(capsys, monkeypatch):
    """Run `unblock reply ARGS` in-process; returns (exit status, stdout, stderr)."""

    def run(*args: object, stdin: bytes | None = None) -> tuple[int, str, str]:
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        try:
            code = main(["reply", *map(str, args)])
        except SystemExit as exit:
            code = exit.code
        out, err = capsys.readouterr()
        assert "Traceback" not in err
        return code, out, err

    return run


def check_document(document: dict) -> None:
    assert set(document) == {"lang", "account", "questions", "reply"}
    assert document["lang"] in ("en", "fr")
    assert document["account"] is None or isinstance(document["account"], str)
    assert [q["number"] for q in document["questions"]] == [1, 2, 3]
    for question in document["questions"]:
        assert set(question) == {"number", "suggestion", "confidence", "reason", "evidence"}
        assert question["suggestion"] in SUGGESTIONS
        assert question["confidence"] in ("high", "medium", "low")
        assert isinstance(question["reason"], str) and question["reason"]
        assert all(isinstance(e, str) for e in question["evidence"])
    assert isinstance(document["reply"], str)


def test_the_demo_reply_in_the_tickets_language(reply):
    code, out, err = reply(DEMO_TICKET)
    assert code == 0 and err == ""
    assert out.startswith("Hello,\n") and "contact@boulangerie-martin.fr" in out
    assert "No, we did not send this email." in out


def test_json_document(reply):
    code, out, _ = reply(DEMO_TICKET, "--json", "--lang", "fr", "--expect-country", "FR")
    assert code == 0
    document = json.loads(out)
    check_document(document)
    assert document["lang"] == "fr" and document["account"] == "contact@boulangerie-martin.fr"
    suggestions = [(q["suggestion"], q["confidence"]) for q in document["questions"]]
    assert suggestions == [("no", "high"), ("not_sure", "low"), ("not_sure", "low")]
    assert document["reply"].startswith("Bonjour,")
    assert "Authentication-Results: garm.ovh" in document["questions"][0]["evidence"][0]
    assert "un pays d'où nous n'envoyons pas" in document["reply"]


def test_the_text_is_the_json_documents_reply(reply):
    _, text, _ = reply(LIST_REPLY)
    _, out, _ = reply(LIST_REPLY, "--json")
    assert json.loads(out)["reply"] == text


def test_a_french_ticket_gets_a_french_reply_by_default(reply):
    code, out, _ = reply(INPUTS / "ticket-fr-notification.eml")
    assert code == 0 and out.startswith("Bonjour,")
    assert reply(INPUTS / "ticket-fr-notification.eml", "--lang", "en")[1].startswith("Hello,")


def test_the_list_reply_with_10000_messages_of_evidence(reply, tmp_path):
    sent = write_sent_folder(tmp_path / "sent.mbox", 10_000)
    code, out, err = reply(LIST_REPLY, "--evidence", sent, "--json")
    assert code == 0 and err == ""
    document = json.loads(out)
    check_document(document)
    third = document["questions"][2]
    assert (third["suggestion"], third["confidence"]) == ("not_sure", "low")
    assert "A reply proves that a message was answered, not that it was spam." in third["reason"]
    assert len(document["reply"]) < 4000
    assert "We are not sure yet whether anyone using this address has responded to spam" in document["reply"]


def test_the_ticket_on_stdin(reply):
    code, out, _ = reply("-", "--json", stdin=LIST_REPLY.read_bytes())
    assert code == 0 and json.loads(out)["account"] == "contact@boulangerie-martin.fr"
    assert reply("--json", stdin=LIST_REPLY.read_bytes())[1] == out


def test_evidence_on_stdin(reply):
    code, out, _ = reply(LIST_REPLY, "--json", "--evidence", "-", stdin=(INPUTS / "sent.mbox").read_bytes())
    assert code == 0
    document = json.loads(out)
    assert document["account"] == "contact@boulangerie-martin.fr"
    assert "of the 4 messages analysed" in document["reply"]


def test_headers_without_a_ticket_have_no_account(reply):
    code, out, _ = reply(INPUTS / "sent.mbox", "--json")
    assert code == 0
    document = json.loads(out)
    assert document["account"] is None and document["lang"] == "en"
    assert "about our address that was blocked for spam" in document["reply"]


def test_what_cannot_be_read_is_told_and_the_rest_still_drafted(reply, tmp_path):
    missing = tmp_path / "nowhere.eml"
    code, out, err = reply(LIST_REPLY, "--evidence", missing)
    assert code == 0 and out.startswith("Hello,")
    assert err == f"unblock reply: problem: {missing}: does not exist\n"


@pytest.mark.parametrize(
    ("data", "problem"),
    [(b"", "is empty"), (b"Bonjour, mon compte est bloque.\n", "holds no mail header")],
    ids=["empty", "prose"],
)
def test_nothing_to_analyse_exits_1_with_a_clear_message(reply, tmp_path, data, problem):
    path = tmp_path / "ticket.txt"
    path.write_bytes(data)
    code, out, err = reply(path, "--json")
    assert code == 1 and out == ""
    assert problem in err and "nothing could be analysed" in err


@pytest.mark.parametrize(
    "args",
    [("--lang", "de"), ("--expect-country", "France"), ("--no-such-option",), ("--evidence",)],
)
def test_bad_arguments_exit_2(reply, args):
    code, out, err = reply(LIST_REPLY, *args)
    assert code == 2 and out == ""
    assert err.splitlines()[-1].startswith("unblock reply: error: ")


def test_stdin_can_be_read_only_once(reply):
    code, _, err = reply("-", "--evidence", "-", stdin=b"")
    assert code == 2 and "only once" in err


def test_a_hostile_ticket_cannot_drive_the_terminal(reply, tmp_path):
    text = LIST_REPLY.read_text(encoding="utf-8").replace(
        "Subject: Re: [boulangers-artisans]", "Subject: Re: \x1b]0;owned\x07\x9b2J [boulangers-artisans]")
    text = text.replace("User-Agent: Mozilla Thunderbird", "User-Agent: \x1b]52;c;eA==\x07Mozilla Thunderbird")
    path = tmp_path / "ticket.txt"
    path.write_text(text, encoding="utf-8")
    for args in ((path,), (path, "--json")):
        code, out, _ = reply(*args)
        assert code == 0 and "\x1b" not in out and "\x9b" not in out and "\x07" not in out


def test_through_a_real_process():
    result = subprocess.run([sys.executable, "-m", "tui", "reply", str(LIST_REPLY), "--lang", "fr"], cwd=ROOT,
                            capture_output=True)
    assert result.returncode == 0 and result.stdout.decode("utf-8").startswith("Bonjour,")
    missing = subprocess.run([sys.executable, "-m", "tui", "reply", "/nowhere/x.eml"], cwd=ROOT, capture_output=True)
    assert missing.returncode == 1 and b"does not exist" in missing.stderr
