"""Credentials: found where python-ovh finds them, stored private and in ovh.conf's format, never shown."""

from __future__ import annotations

import stat

import ovh
import pytest
from ovh_fixtures import TIMEOUT
from ovh_fixtures import *  # noqa: F403 (the shared fixtures; tests/conftest.py stays as it is)

from tui.ovh.client import open_connection, register_endpoint
from tui.ovh.credentials import (
    Credentials,
    credentials_file,
    find_credentials,
    remove_credentials,
    save_credentials,
)
from tui.ovh.errors import OvhError

STORED = Credentials("ovh-eu", "AppKey16Letters0", "SecretOf32LettersAndDigits012345",
                     "ConsumerKeyOf32Characters0123456")


def test_the_file_goes_where_unblock_config_dir_says(no_real_credentials):
    assert credentials_file() == no_real_credentials / "ovh.conf"


def test_stored_file_is_private_and_replaced_atomically(no_real_credentials):
    path = save_credentials(STORED)
    save_credentials(STORED)
    assert path == no_real_credentials / "ovh.conf"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert [child.name for child in path.parent.iterdir()] == ["ovh.conf"]  # no temporary file left


def test_stored_file_is_read_back_and_its_source_named():
    path = save_credentials(STORED)
    found = find_credentials()
    assert (found.endpoint, found.application_key, found.application_secret, found.consumer_key) == \
        ("ovh-eu", STORED.application_key, STORED.application_secret, STORED.consumer_key)
    assert found.source == f"unblock's {path}"


def test_stored_file_is_an_ovh_conf_that_python_ovh_uses(sandbox, credentials):
    register_endpoint("ovh-eu", sandbox.url)  # "ovh-eu" answered by the double for this test
    path = save_credentials(Credentials("ovh-eu", credentials.application_key, credentials.application_secret,
                                        credentials.consumer_key))
    client = ovh.Client(config_file=str(path), timeout=TIMEOUT)
    assert client.get("/me")["nichandle"] == "ab12345-ovh"


def test_environment_variables_win_over_the_stored_file(monkeypatch):
    save_credentials(STORED)
    monkeypatch.setenv("OVH_CONSUMER_KEY", "FromTheEnvironment")
    found = find_credentials()
    assert found.consumer_key == "FromTheEnvironment"
    assert "consumer key from OVH_CONSUMER_KEY" in found.source


def test_all_from_the_environment(monkeypatch):
    for name, value in (("ENDPOINT", "ovh-ca"), ("APPLICATION_KEY", "a"), ("APPLICATION_SECRET", "b"),
                        ("CONSUMER_KEY", "c")):
        monkeypatch.setenv("OVH_" + name, value)
    found = find_credentials()
    assert found.endpoint == "ovh-ca" and found.source == "OVH_* environment variables"


def test_the_stored_file_wins_over_an_ovh_conf(tmp_path):
    home_conf = tmp_path / "home-ovh.conf"  # one of python-ovh's places, as the fixture set them
    home_conf.write_text("[default]\nendpoint=ovh-eu\n[ovh-eu]\napplication_key=Old\napplication_secret=Old\n"
                         "consumer_key=Old\n")
    assert find_credentials().source == str(home_conf)
    save_credentials(STORED)
    assert find_credentials().consumer_key == STORED.consumer_key


def test_no_credentials_anywhere_is_none():
    assert find_credentials() is None


def test_an_unreadable_ovh_conf_is_a_config_error(tmp_path):
    (tmp_path / "cwd-ovh.conf").write_text("this is not an ini file\n")
    with pytest.raises(OvhError) as caught:
        find_credentials()
    assert caught.value.kind == "config" and "cwd-ovh.conf" in caught.value.message


def test_a_broken_ovh_conf_met_when_connecting_is_a_config_error(tmp_path):
    (tmp_path / "home-ovh.conf").write_text("no section header\n")
    with pytest.raises(OvhError) as caught:
        open_connection(STORED)
    assert caught.value.kind == "config" and "ovh.conf" in caught.value.message


def test_remove_says_whether_there_was_a_file():
    assert remove_credentials() is None
    path = save_credentials(STORED)
    assert remove_credentials() == path and not path.exists()


def test_only_real_endpoints_and_whole_keys_are_stored():
    with pytest.raises(ValueError):
        save_credentials(Credentials("unblock-sandbox", "a", "b", "c"))
    with pytest.raises(ValueError):
        save_credentials(Credentials("ovh-eu", "a", "b", None))
    with pytest.raises(ValueError, match="letters and digits") as caught:
        save_credentials(Credentials("ovh-eu", "a", "b\n[evil]", "c"))
    assert "evil" not in str(caught.value)


def test_repr_and_str_mask_the_secrets():
    shown = repr(STORED) + str(STORED) + f"{STORED}"
    assert STORED.application_secret not in shown and STORED.consumer_key not in shown
    assert STORED.application_key in shown  # may be shared, says python-ovh's README
