"""The core must work without textual: import every tui.core module with textual made unimportable."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = r"""
import importlib, pkgutil, sys

class NoTextual:
    def find_spec(self, name, path=None, target=None):
        if name == "textual" or name.startswith("textual."):
            raise ImportError("textual is not allowed in tui.core")
        return None

sys.meta_path.insert(0, NoTextual())
import tui.core
names = [m.name for m in pkgutil.walk_packages(tui.core.__path__, "tui.core.")]
for name in names:
    importlib.import_module(name)
assert not any(k == "textual" or k.startswith("textual.") for k in sys.modules)
print(len(names))
"""


def test_core_imports_without_textual():
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) >= 5
