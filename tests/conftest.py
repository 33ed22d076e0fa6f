"""Shared test set-up: every test gets its own data dir, never the real home."""

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path, monkeypatch):
    """Point UNBLOCK_DATA_DIR (and HOME, for anything that looks there) at a temp dir."""
    data = tmp_path / "unblock-data"
    monkeypatch.setenv("UNBLOCK_DATA_DIR", str(data))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / ".local" / "share"))
    return data


def shared_path(*parts: str) -> Path:
    """A path under ../shared, skipping the test when the shared data is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared data not available: {path}")
    return path


# Every test: no connection past the loopback, no OVH_* variable, ovh.conf or config folder of the
# developer's (the API double on 127.0.0.1 is the only OVHcloud a test may talk to).
from ovh_fixtures import loopback_only, no_real_credentials  # noqa: E402,F401
