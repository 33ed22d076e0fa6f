"""Instructions to the first frame of `unblock --demo` and of a bare Textual app, counted by valgrind.

Run from the checkout (valgrind installed):

    uv run python bench/startup_instructions.py [--runs 2]

bench/startup.py's wall-clock ratio moves by several hundredths from one
invocation to the next on a shared machine; an instruction count does not, so
this is the figure to compare two versions of the start path with. Each app
runs under ``valgrind --tool=callgrind`` on its own 80x24 pseudo-terminal that
answers Textual's synchronized-output query as bench/startup.py's does, with
PYTHONHASHSEED fixed, bytecode cached and an empty data folder, and ends itself
right after Textual writes its first frame (the first ``App._display``). The
app is started as the `unblock` script starts it (``tui.cli.main``). Each
count is taken ``--runs`` times after one uncounted run that compiles what
changed; the counts of one version agree to a few parts in ten thousand.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from startup import ROWS, COLUMNS, SYNC_QUERY, SYNC_REPLY  # noqa: E402

REPO = Path(__file__).resolve().parents[1]

# Both children stop as soon as the first frame is written.
_STOP_AT_FIRST_FRAME = """\
import os
from textual.app import App
_display = App._display
def _first(self, *args, **kwargs):
    _display(self, *args, **kwargs)
    os._exit(0)
App._display = _first
"""
APP = _STOP_AT_FIRST_FRAME + """
from tui.cli import main
main(["--demo"])
"""
BARE = _STOP_AT_FIRST_FRAME + """
from textual.widgets import Footer, Header
class Bare(App):
    def compose(self):
        yield Header()
        yield Footer()
Bare().run()
"""

# The child on a pty: the same terminal as bench/startup.py's, which says yes to synchronized output.
_ON_A_PTY = """\
import fcntl, os, select, struct, sys, termios
master, slave = os.openpty()
fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", {rows}, {columns}, 0, 0))
pid = os.fork()
if pid == 0:
    os.close(master)
    os.login_tty(slave)
    os.execvp(sys.argv[1], sys.argv[1:])
os.close(slave)
seen, answered = b"", False
while select.select([master], [], [], 600)[0]:
    try:
        chunk = os.read(master, 65536)
    except OSError:
        break
    if not chunk:
        break
    seen = (seen + chunk)[-64:]
    if not answered and {query!r} in seen:
        os.write(master, {reply!r})
        answered = True
os.waitpid(pid, 0)
"""


def count(script: Path, folder: Path) -> int:
    """Instructions of one run of ``script`` to its first frame."""
    out = folder / "callgrind.out"
    data = Path(tempfile.mkdtemp(dir=folder))
    env = dict(os.environ, PYTHONHASHSEED="0", PYTHONPYCACHEPREFIX=str(folder / "pycache"), TERM="xterm-256color",
               UNBLOCK_DATA_DIR=str(data), PYTHONPATH=str(REPO))
    for name in ("PYTHONDONTWRITEBYTECODE", "TEXTUAL", "TEXTUAL_DRIVER"):
        env.pop(name, None)
    pty = _ON_A_PTY.format(rows=ROWS, columns=COLUMNS, query=SYNC_QUERY, reply=SYNC_REPLY)
    subprocess.run([sys.executable, "-c", pty, "valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                    sys.executable, str(script)], env=env, cwd=REPO, check=True)
    found = re.search(r"^summary: (\d+)", out.read_text(), re.MULTILINE)
    if found is None:
        sys.exit(f"valgrind wrote no count for {script.name}")
    return int(found.group(1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=2, metavar="N", help="counted runs of each (default 2)")
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed (Debian: apt install valgrind)")
    with tempfile.TemporaryDirectory(prefix="unblock-instructions-") as name:
        folder = Path(name)
        counts = {}
        for label, text in (("App(Header, Footer)", BARE), ("unblock --demo", APP)):
            script = folder / f"{label.split()[0].strip('(')}.py"
            script.write_text(text, encoding="utf-8")
            count(script, folder)  # compiles what changed; not counted
            counts[label] = min(count(script, folder) for _ in range(args.runs))
        bare = counts["App(Header, Footer)"]
        for label, value in counts.items():
            print(f"  {label:20}  {value / 1e6:9.1f}M instructions to the first frame  ({value / bare:.3f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
