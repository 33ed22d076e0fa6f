"""Entry point for ``python -m tui``.

Guarded: the analysis's worker processes import the main module again, and
must not start a second app (multiprocessing's "safe importing of main module").
"""

from tui.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
