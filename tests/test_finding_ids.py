"""One registry of finding ids: every rule uses it, and no other module spells an id by hand."""

import ast
from pathlib import Path

from tui.core.analysis import analyse
from tui.core.findings import FindingId
from tui.core.sources import read_inputs

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"


def test_ids_are_unique_lower_case_words():
    values = [member.value for member in FindingId]
    assert len(values) == len(set(values))
    assert all(value == value.lower() and " " not in value for value in values)


def test_no_module_spells_a_finding_id_outside_the_registry():
    ids = {member.value for member in FindingId}
    spelled = []
    for path in sorted((ROOT / "tui").rglob("*.py")):
        if path.name == "ids.py" and path.parent.name == "findings":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in ids:
                spelled.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value}")
    assert not spelled, spelled


def test_every_rule_names_its_finding_through_the_registry():
    """The id given to make_finding is never text written in place (it would escape the registry)."""
    written = []
    for path in sorted((ROOT / "tui" / "core" / "findings").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "make_finding" and node.args:
                given = node.args[0]
                choices = [given.body, given.orelse] if isinstance(given, ast.IfExp) else [given]
                written += [f"{path.name}:{node.lineno}" for choice in choices
                            if isinstance(choice, (ast.Constant, ast.JoinedStr))]
    assert written == []


def test_every_finding_made_from_the_fixtures_carries_a_registered_id():
    paths = [str(p) for p in sorted(FIXTURES.rglob("*")) if p.is_file()]
    seen = set()
    for item in read_inputs(paths):
        if hasattr(item, "fields"):
            for finding in analyse(item).findings:
                assert isinstance(finding.id, FindingId), finding.id
                seen.add(finding.id)
    assert len(seen) >= 10
