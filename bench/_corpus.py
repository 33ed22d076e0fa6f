"""The real header samples both benchmarks are built from, read from the shared corpus at run time.

The samples are not ours to redistribute, so they are never copied into the
repository: the benchmarks read them from /work/shared (or UNBLOCK_CORPUS) and
stop with a clear message when they are not there.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
PATTERNS = (("real", "*.eml"), ("ovh", "*.txt"))


def corpus_dir() -> Path:
    """Where the samples are: UNBLOCK_CORPUS if set, else the shared corpus next to the checkout."""
    return Path(os.environ.get("UNBLOCK_CORPUS") or DEFAULT_CORPUS)


def load_samples() -> list[tuple[str, bytes]]:
    """Every sample as (name, bytes), in a stable order; exits with a message when there are none."""
    root = corpus_dir()
    samples = [
        (f"{folder}/{path.name}", path.read_bytes())
        for folder, pattern in PATTERNS
        for path in sorted((root / folder).glob(pattern))
    ]
    if not samples:
        sys.exit(
            f"No header samples found under {root} (expected real/*.eml and ovh/*.txt).\n"
            "The benchmarks read the shared corpus at run time; point UNBLOCK_CORPUS at a "
            "directory laid out the same way to use another one."
        )
    return samples


def replicate(samples: list[tuple[str, bytes]], count: int) -> list[bytes]:
    """``count`` messages cycling through the samples, each its own bytes object."""
    return [bytes(bytearray(samples[i % len(samples)][1])) for i in range(count)]


def header_section(data: bytes) -> bytes:
    """The sample's header lines with LF endings, without an mbox "From " line or trailing blank lines."""
    text = data.replace(b"\r\n", b"\n")
    if text.startswith(b"From "):
        text = text.partition(b"\n")[2]
    # The samples are header sections, but a stray blank line would end the headers early in an mbox.
    return text.split(b"\n\n", 1)[0].rstrip(b"\n")
