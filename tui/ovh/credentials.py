"""Where the OVHcloud credentials come from, and the file `unblock connect` keeps them in.

They are found the way python-ovh finds them: ``OVH_ENDPOINT``,
``OVH_APPLICATION_KEY``, ``OVH_APPLICATION_SECRET`` and ``OVH_CONSUMER_KEY`` first,
then the ovh.conf files python-ovh reads (/etc/ovh.conf, ~/.ovh.conf, ./ovh.conf),
with unblock's own file read last, so it wins over those files but not over the
environment, exactly as ``ovh.Client(config_file=...)`` would.

unblock's file is ``ovh.conf`` in the user config folder (platformdirs, or
``UNBLOCK_CONFIG_DIR``), in python-ovh's INI format so that ``ovh`` tools read it
too, private to the user: the folder 0700, the file created 0600 under a temporary
name and moved into place. The secrets are never printed: ``Credentials`` shows
them masked.
"""

from __future__ import annotations

import configparser
import io
import os
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import platformdirs
from ovh import config as ovh_config

from tui.ovh.client import KNOWN_ENDPOINTS
from tui.ovh.errors import OvhError

CONFIG_DIR_ENV = "UNBLOCK_CONFIG_DIR"
FILE_NAME = "ovh.conf"
_OPTIONS = ("application_key", "application_secret", "consumer_key")
# OVHcloud keys are letters and digits; "-" and "_" are allowed for the local double's keys.
_KEY = re.compile(r"[A-Za-z0-9_-]{1,128}")
_MASK = "********"


@dataclass(frozen=True, repr=False)
class Credentials:
    """What signs the calls: the endpoint, the application's key and secret, the consumer key.

    ``source`` says, in words, where they were found. The application key may be
    shared (python-ovh's README); the secret and the consumer key are masked in
    ``repr`` and ``str``.
    """

    endpoint: str
    application_key: str
    application_secret: str
    consumer_key: str | None = None
    source: str = ""

    def __repr__(self) -> str:
        consumer = _MASK if self.consumer_key else None
        return (f"Credentials(endpoint={self.endpoint!r}, application_key={self.application_key!r}, "
                f"application_secret={_MASK!r}, consumer_key={consumer!r}, source={self.source!r})")

    __str__ = __repr__


def config_dir() -> Path:
    """The folder of unblock's ovh.conf: ``UNBLOCK_CONFIG_DIR``, or the user config folder."""
    override = os.environ.get(CONFIG_DIR_ENV)
    return Path(override).expanduser() if override else platformdirs.user_config_path("unblock")


def credentials_file() -> Path:
    """unblock's own ovh.conf (it may not exist)."""
    return config_dir() / FILE_NAME


def check_key(value: str, what: str) -> str:
    """``value`` stripped, or ValueError saying what a key looks like (the value is not repeated)."""
    value = value.strip()
    if not _KEY.fullmatch(value):
        raise ValueError(f"The {what} should be letters and digits only, as OVHcloud shows it; "
                         "check it was pasted whole.")
    return value


def _parser(path: Path) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser()
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError) as exc:
        raise OvhError("config", f"{path} is not a valid ovh.conf ({type(exc).__name__}): fix or remove it.") \
            from None
    return parser


def _files() -> list[Path]:
    """The ovh.conf files in the order they are read (a later one wins), unblock's last."""
    return [Path(path) for path in ovh_config.CONFIG_PATH] + [credentials_file()]


def _where(section: str, name: str, parsers: list[tuple[Path, configparser.RawConfigParser]]) -> str | None:
    variable = "OVH_" + name.upper()
    if variable in os.environ:
        return variable
    for path, parser in reversed(parsers):
        if parser.has_option(section, name):
            return "unblock's " + str(path) if path == credentials_file() else str(path)
    return None


def find_credentials() -> Credentials | None:
    """The credentials python-ovh would use (see the module), or None when there are none to use.

    Raises ``OvhError`` (kind "config") when an ovh.conf cannot be read.
    """
    parsers = [(path, _parser(path)) for path in _files() if path.is_file()]
    manager = ovh_config.ConfigurationManager()
    our_file = credentials_file()
    if our_file.is_file():
        manager.read(str(our_file))
    endpoint = manager.get("default", "endpoint")
    if not endpoint:
        return None
    values = {name: manager.get(endpoint, name) for name in _OPTIONS}
    if not values["application_key"] or not values["application_secret"]:
        return None
    places = {"endpoint": _where("default", "endpoint", parsers)}
    places.update((name, _where(endpoint, name, parsers)) for name in _OPTIONS if values[name])
    return Credentials(endpoint, values["application_key"], values["application_secret"], values["consumer_key"],
                       source=_describe(places))


def _describe(places: dict[str, str | None]) -> str:
    """"OVH_* environment variables", "unblock's /path/ovh.conf", or each setting with its place."""
    distinct = {place for place in places.values() if place}
    if all(place and place.startswith("OVH_") for place in places.values()):
        return "OVH_* environment variables"
    if len(distinct) == 1:
        return distinct.pop()
    return "; ".join(f"{name.replace('_', ' ')} from {place}" for name, place in places.items() if place)


def save_credentials(credentials: Credentials) -> Path:
    """Write ``credentials`` to unblock's ovh.conf (0600, replaced atomically); returns its path."""
    if credentials.endpoint not in KNOWN_ENDPOINTS:
        raise ValueError(f"Only {', '.join(KNOWN_ENDPOINTS)} credentials are stored, not {credentials.endpoint!r}.")
    if not credentials.consumer_key:
        raise ValueError("There is no consumer key to store: run `unblock connect` to get one.")
    for name in _OPTIONS:
        check_key(getattr(credentials, name), name.replace("_", " "))
    folder = config_dir()
    if not folder.is_dir():
        folder.mkdir(mode=0o700, parents=True)
        os.chmod(folder, 0o700)  # mkdir's mode goes through the umask
    target = folder / FILE_NAME
    temporary = folder / f".{FILE_NAME}.{secrets.token_hex(8)}.tmp"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(_ini_text(credentials, target))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return target


def _ini_text(credentials: Credentials, target: Path) -> str:
    written = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    parser = configparser.RawConfigParser()
    parser["default"] = {"endpoint": credentials.endpoint}
    parser[credentials.endpoint] = {name: getattr(credentials, name) for name in _OPTIONS}
    lines = [
        f"; Written by `unblock connect` on {written}. Keep it private: it holds a secret.",
        f'; python-ovh reads it too: ovh.Client(config_file="{target}").',
        "; `unblock disconnect` removes it.",
        "",
    ]
    body = io.StringIO()
    parser.write(body, space_around_delimiters=False)
    return "\n".join(lines) + body.getvalue()


def remove_credentials() -> Path | None:
    """Delete unblock's ovh.conf; its path when there was one to delete, else None."""
    target = credentials_file()
    try:
        target.unlink()
    except FileNotFoundError:
        return None
    return target
