"""Shared set-up for the tests of tui.ovh: loopback only, no real credentials, a fresh API double.

Every test_ovh_* module imports these fixtures (``from ovh_fixtures import *``: pytest finds
fixtures in the test module's namespace); the two autouse ones make sure
that no test reaches past 127.0.0.1 (a connection elsewhere, or a DNS look-up,
fails at once) and that none reads the developer's OVH_* variables, ovh.conf
files or config folder.
"""

from __future__ import annotations

import ipaddress
import os
import socket

import pytest
from ovh import client as ovh_client
from ovh import config as ovh_config

from tui.ovh.client import open_connection
from tui.ovh.sandbox import Sandbox, connect_sandbox
from tui.ovh.sandbox_state import demo_state

__all__ = ["loopback_only", "no_real_credentials", "sandbox", "credentials", "sleeps", "connection"]

# Short enough to keep the suite fast, long enough for a loaded CI machine to answer a loopback call.
TIMEOUT = (1.0, 2.0)
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}


def _loopback(address: object) -> bool:
    host = address[0] if isinstance(address, tuple) else address
    if not isinstance(host, str):
        return False
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """Connections and name look-ups for anything but the loopback fail at once."""
    real_connect, real_connect_ex, real_getaddrinfo = socket.socket.connect, socket.socket.connect_ex, \
        socket.getaddrinfo

    def check(sock: socket.socket, address: object) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not _loopback(address):
            raise OSError(f"test guard: no connection to {address!r}, loopback only")

    def connect(self, address):
        check(self, address)
        return real_connect(self, address)

    def connect_ex(self, address):
        check(self, address)
        return real_connect_ex(self, address)

    def getaddrinfo(host, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else host
        if name is not None and not _loopback((name,)):
            raise socket.gaierror(f"test guard: no look-up of {name!r}, loopback only")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture(autouse=True)
def no_real_credentials(tmp_path, monkeypatch):
    """No OVH_* variable, no ovh.conf of the developer's, unblock's config in a temp folder."""
    for name in list(os.environ):
        if name.startswith("OVH_") or name == "UNBLOCK_OVH_APPLICATION_SECRET":
            monkeypatch.delenv(name)
    monkeypatch.setenv("UNBLOCK_CONFIG_DIR", str(tmp_path / "config" / "unblock"))
    monkeypatch.setattr(ovh_config, "CONFIG_PATH", [str(tmp_path / name) for name in
                                                    ("etc-ovh.conf", "home-ovh.conf", "cwd-ovh.conf")])
    # Registrations (the double's endpoint, or "ovh-eu" pointed at it) end with the test.
    monkeypatch.setattr(ovh_client, "ENDPOINTS", dict(ovh_client.ENDPOINTS))
    return tmp_path / "config" / "unblock"


@pytest.fixture
def sandbox():
    with Sandbox(demo_state()) as double:
        yield double


@pytest.fixture
def credentials(sandbox):
    return connect_sandbox(sandbox, timeout=TIMEOUT).credentials


class Sleeps(list):
    """A stand-in for time.sleep that records the waits instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps():
    return Sleeps()


@pytest.fixture
def connection(credentials, sleeps):
    return open_connection(credentials, timeout=TIMEOUT, sleep=sleeps)
