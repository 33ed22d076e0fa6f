"""The shape of the house (ARCHITECTURE.md): no import loop, screens and widgets never import the App,
small files, and the workflow's steps and the products' special cases defined in the core, once."""

from __future__ import annotations

import ast
from pathlib import Path

from tui.core import workflow
from tui.core.products import PRODUCT_IDS
from tui.screens import step_screen

ROOT = Path(__file__).resolve().parents[1]
TUI = ROOT / "tui"
MAX_LINES = 600


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The tui modules ``path`` imports, at any depth of the code, except under ``if TYPE_CHECKING:``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {id(child) for node in ast.walk(tree) if isinstance(node, ast.If) and _is_type_checking(node)
               for child in ast.walk(node)}
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[: len(package) - node.level + 1]) if node.level else ""
            module = ".".join(filter(None, (base, node.module)))
            names = [module, *(f"{module}.{alias.name}" for alias in node.names)]
        else:
            continue
        found.update(name for name in names if name in modules)
    return found


def _graph() -> dict[str, set[str]]:
    paths = {_module_name(path): path for path in TUI.rglob("*.py")}
    modules = set(paths)
    return {name: _imports(path, modules) - {name} for name, path in paths.items()}


def _cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle_among_tui_modules():
    assert _cycles(_graph()) == []


def test_screens_and_widgets_never_import_the_app():
    offenders = [name for name, imported in _graph().items()
                 if name.startswith(("tui.screens", "tui.widgets")) and "tui.app" in imported]
    assert offenders == []


def test_the_core_never_imports_the_app_side():
    app_side = ("tui.app", "tui.cli", "tui.screens", "tui.widgets", "tui.messages", "tui.startup", "tui.report")
    offenders = [(name, sorted(imported)) for name, imported in _graph().items() if name.startswith("tui.core")
                 and any(i == side or i.startswith(side + ".") for i in imported for side in app_side)]
    assert offenders == []


def test_no_file_under_tui_is_over_600_lines():
    long = [(str(path.relative_to(ROOT)), n) for path in TUI.rglob("*.py")
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES]
    assert long == []


def _literals(path: Path) -> list[ast.AST]:
    return [node for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))]


def _app_side_files() -> list[Path]:
    return [TUI / "app.py", *sorted((TUI / "screens").rglob("*.py")), *sorted((TUI / "widgets").rglob("*.py"))]


def test_no_screen_widget_or_app_names_a_product():
    """Product special cases are the workflow's and the catalogue's, never a screen's."""
    named = [f"{path.relative_to(ROOT)}:{node.lineno}"
             for path in _app_side_files() for node in _literals(path)
             if isinstance(node, ast.Constant) and node.value in PRODUCT_IDS]
    assert named == []


def test_no_screen_widget_or_app_lists_the_steps():
    """The steps, their order and what is done or skipped are the workflow's (core/workflow.py)."""
    step_ids = set(workflow.STEP_IDS)
    listed = [f"{path.relative_to(ROOT)}:{node.lineno}"
              for path in _app_side_files()
              for node in _literals(path)
              if isinstance(node, (ast.Tuple, ast.List, ast.Set, ast.Dict))
              and len({e.value for e in (node.keys if isinstance(node, ast.Dict) else node.elts)
                       if isinstance(e, ast.Constant)} & step_ids) >= 2]
    assert listed == []


def test_every_step_has_its_screen():
    for step in workflow.STEP_IDS:
        assert step_screen(step).STEP == step
