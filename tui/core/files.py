"""Reading and writing the files the user names: tickets, evidence, saved replies and reports.

Every way it can fail ends in clear words for the user, never an exception.

Reading is bounded. Only regular files are opened: a device such as
/dev/zero never ends, opening a named pipe waits for a writer, and both
claim a size of 0. At most the cap plus one byte is read, whatever the size
says, so memory stays near the cap.

Writing is atomic and private. The text goes through the one sanitiser, then
into a new file in the target's folder, ".<name>.<random>.tmp", created
exclusively and never through a symbolic link, mode 0600 (a saved reply or
report holds header evidence), synced, and renamed onto the target. A target
that exists is replaced only when the caller says so; a target that is a
symbolic link is replaced, never written through.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from pathlib import Path
from secrets import token_hex
from typing import BinaryIO

from tui.core.sanitise import terminal_safe, terminal_safe_lines
from tui.core.text import decode_bytes

# A ticket or a header sample is a few KB; anything far bigger is not one.
MAX_TEXT_BYTES = 20 * 1024 * 1024
_MB = 1024 * 1024
_CHUNK = _MB

_BINARY = getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
# O_NONBLOCK: should a named pipe take the place of the file between the check
# and the open, the open returns at once instead of waiting for a writer.
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | _BINARY
_CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | _BINARY
_PRIVATE = 0o600
_NAME_ATTEMPTS = 8


def _shown(path: object) -> str:
    """A path as it may be shown: its control characters made visible (a file name can hold ESC)."""
    return terminal_safe(str(path))


def _expanded(path: str | os.PathLike[str]) -> Path:
    try:
        return Path(path).expanduser()
    except RuntimeError:  # "~someone" who does not exist: the name is taken as written
        return Path(path)


# --- reading -------------------------------------------------------------------


def check_readable_file(path: str) -> str | None:
    """None when ``path`` names a regular file unblock can read, else what is wrong with it, in words."""
    if not path.strip():
        return "Type a file name."
    fd, problem = _open_regular(_expanded(path))
    if fd is not None:
        os.close(fd)
    return problem


def check_evidence_path(path: str) -> str | None:
    """None when ``path`` is a readable regular file or a Maildir folder, else what is wrong, in words."""
    if not path.strip():
        return "Type a file or folder name."
    target = _expanded(path)
    if os.path.isdir(target):
        return _maildir_problem(target)
    return check_readable_file(path)


def read_text_file(path: str, limit: int = MAX_TEXT_BYTES) -> tuple[str, str | None]:
    """The text of ``path`` (invalid UTF-8 read as Windows-1252 or Latin-1), or "" and the problem in words.

    No more than ``limit`` + 1 bytes are ever read: one over tells that the
    file is too large to be a ticket.
    """
    if not path.strip():
        return "", "Type a file name."
    target = _expanded(path)
    fd, problem = _open_regular(target)
    if fd is None:
        return "", problem
    try:
        # A regular file's size can say 0 and hold more (/proc), never the reverse.
        if os.fstat(fd).st_size > limit:
            return "", _too_large(_shown(target), limit)
        data = _read_at_most(partial(os.read, fd), limit)
    except OSError as exc:
        return "", _cannot_read(target, exc)
    finally:
        os.close(fd)
    return _text_of(data, _shown(target), limit)


def read_text_stream(stream: BinaryIO, name: str = "standard input",
                     limit: int = MAX_TEXT_BYTES) -> tuple[str, str | None]:
    """The text of ``stream`` (standard input for `unblock -`) read up to ``limit``, or "" and the problem.

    ``name`` is how the problem names the stream.
    """
    try:
        data = _read_at_most(stream.read, limit)
    except (OSError, ValueError) as exc:  # ValueError: the stream was closed
        return "", f"Cannot read {name}: {getattr(exc, 'strerror', None) or exc}."
    return _text_of(data, name, limit)


def _read_at_most(read: Callable[[int], bytes | None], limit: int) -> bytes:
    """Up to ``limit`` + 1 bytes, read a chunk at a time, so a stream without end costs no more."""
    chunks: list[bytes] = []
    total = 0
    while total <= limit:
        chunk = read(min(_CHUNK, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _text_of(data: bytes, shown: str, limit: int) -> tuple[str, str | None]:
    if len(data) > limit:
        return "", _too_large(shown, limit)
    text = decode_bytes(data)[0]
    if not text.strip():
        return "", f"{shown} is empty."
    return text, None


def _too_large(shown: str, limit: int) -> str:
    size = f"{limit // _MB} MB" if limit >= _MB and limit % _MB == 0 else f"{limit:,} bytes"
    return (f"{shown} is larger than {size}: that is not a ticket; "
            "add it as evidence (a on the Ticket step) or read it with unblock inspect.")


def _open_regular(target: Path) -> tuple[int, None] | tuple[None, str]:
    """A descriptor open on ``target`` when it is a regular file that can be read, else the problem."""
    try:
        # Judged before opening: opening a device or a pipe can wait, or do something.
        problem = _not_regular(target, os.stat(target).st_mode)
        if problem:
            return None, problem
        fd = os.open(target, _READ_FLAGS)
    except (OSError, ValueError) as exc:
        return None, _cannot_read(target, exc)
    try:
        problem = _not_regular(target, os.fstat(fd).st_mode)  # what was opened, should it have changed
    except OSError as exc:
        problem = _cannot_read(target, exc)
    if problem:
        os.close(fd)
        return None, problem
    return fd, None


def _special_kind(mode: int) -> str | None:
    """What a file that is neither a regular file nor a folder is, in words."""
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def _not_regular(target: Path, mode: int) -> str | None:
    if stat.S_ISDIR(mode):
        return f"{_shown(target)} is a folder, not a file."
    kind = _special_kind(mode)
    return f"{_shown(target)} is {kind}: unblock reads regular files only." if kind else None


def _maildir_problem(target: Path) -> str | None:
    if not os.access(target, os.R_OK | os.X_OK):
        return f"You are not allowed to read {_shown(target)}."
    if any((target / sub).is_dir() for sub in ("cur", "new")):
        return None
    return f"{_shown(target)} is a folder but not a Maildir (it has no cur/ or new/)."


def _cannot_read(target: Path, exc: OSError | ValueError) -> str:
    shown = _shown(target)
    if isinstance(exc, ValueError):
        return f"{shown} is not a valid file name."
    code = exc.errno
    if code == errno.ELOOP:
        return f"{shown} is a symbolic link loop." if os.path.islink(target) else \
            f"{shown} goes through a symbolic link loop."
    if code == errno.ENOENT and os.path.islink(target):
        return f"{shown} is a symbolic link to {_shown(os.readlink(target))}, which does not exist."
    if code == errno.ENOENT:
        return f"There is no file at {shown}."
    if code == errno.ENOTDIR:
        return f"There is no file at {shown}: a part of that path is a file, not a folder."
    if code in (errno.EACCES, errno.EPERM):
        return f"You are not allowed to read {shown}."
    if code == errno.ENAMETOOLONG:
        return f"The name {shown} is too long."
    return f"Cannot read {shown}: {exc.strerror or exc}."


# --- writing -------------------------------------------------------------------


class SaveOutcome(StrEnum):
    """How a save ended: written; nothing written because the file is there already, or because its
    folder is missing (ask, then save again with ``replace`` or ``create_folder``); or it failed."""

    SAVED = "saved"
    EXISTS = "exists"
    NO_FOLDER = "no-folder"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Saved:
    """What ``save_text_file`` did: its outcome, the file's full path, and a message in words."""

    outcome: SaveOutcome
    path: Path
    message: str

    @property
    def ok(self) -> bool:
        return self.outcome is SaveOutcome.SAVED


def save_text_file(path: str | os.PathLike[str], text: str, *, replace: bool = False,
                   create_folder: bool = False) -> Saved:
    """Write ``text``, made terminal-safe, to ``path``: atomically, privately (0600), never through a link.

    When something is at ``path`` already and ``replace`` is false, nothing is
    written and the outcome is EXISTS: ask "Replace it?", then call again with
    ``replace=True``. Likewise a missing folder is NO_FOLDER unless
    ``create_folder`` (it is then made, private to the user).
    """
    if not str(path).strip():
        return Saved(SaveOutcome.FAILED, Path(), "Type a file name.")
    target = _expanded(path).absolute()
    problem = _target_problem(target)
    if problem:
        return Saved(SaveOutcome.FAILED, target, problem)
    if not replace and os.path.lexists(target):
        return Saved(SaveOutcome.EXISTS, target, f"{_shown(target)} already exists.")
    folder = target.parent
    if not create_folder and not os.path.lexists(folder):
        return Saved(SaveOutcome.NO_FOLDER, target, f"There is no folder {_shown(folder)}.")
    data = terminal_safe_lines(text).encode("utf-8")
    try:
        if create_folder:
            os.makedirs(folder, mode=0o700, exist_ok=True)
        temporary = _write_temporary(target, data)
    except (OSError, ValueError) as exc:
        return Saved(SaveOutcome.FAILED, target, _cannot_write(target, exc))
    try:
        if replace:
            os.replace(temporary, target)
        elif not _place_new(temporary, target):
            _remove(temporary)
            return Saved(SaveOutcome.EXISTS, target, f"{_shown(target)} already exists.")
    except OSError as exc:
        _remove(temporary)
        return Saved(SaveOutcome.FAILED, target, _cannot_write(target, exc))
    _sync_folder(target.parent)
    return Saved(SaveOutcome.SAVED, target, f"Saved to {_shown(target)}.")


def write_text_file(path: str, text: str) -> tuple[bool, str]:
    """``save_text_file`` with ``replace`` and ``create_folder``: whether it worked, and what happened in words.

    It replaces an existing file and makes a missing folder without asking:
    screens that ask first call ``save_text_file`` instead.
    """
    saved = save_text_file(path, text, replace=True, create_folder=True)
    return saved.ok, saved.message


def _target_problem(target: Path) -> str | None:
    """What makes ``target`` no place for a saved file (a folder, a device...), or None."""
    if os.path.isdir(target):
        return f"{_shown(target)} is a folder: give a file name."
    try:
        mode = os.lstat(target).st_mode
    except (OSError, ValueError):
        return None  # nothing there, or a problem the write itself will name
    kind = None if stat.S_ISLNK(mode) else _special_kind(mode)
    return f"{_shown(target)} is {kind}: unblock saves to regular files only." if kind else None


def _write_temporary(target: Path, data: bytes) -> Path:
    """``data`` in a new private file beside ``target``, on disk; its path.

    O_EXCL and O_NOFOLLOW: whatever is found under the name, a symbolic link
    planted there included, is neither followed nor reused; another random
    name is tried.
    """
    for _attempt in range(_NAME_ATTEMPTS):
        temporary = target.parent / f".{target.name[:100]}.{token_hex(8)}.tmp"
        try:
            fd = os.open(temporary, _CREATE_FLAGS, _PRIVATE)
        except FileExistsError:
            continue
        try:
            with os.fdopen(fd, "wb") as out:
                if hasattr(os, "fchmod"):
                    os.fchmod(out.fileno(), _PRIVATE)  # the umask may have taken some of it
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            _remove(temporary)
            raise
        return temporary
    raise FileExistsError(errno.EEXIST, "no free name for a temporary file", str(target.parent))


def _place_new(temporary: Path, target: Path) -> bool:
    """Give ``temporary`` the name ``target`` unless something took it meanwhile (then False)."""
    try:
        os.link(temporary, target)  # fails, atomically, when the name is taken
    except FileExistsError:
        return False
    except OSError:
        # A file system without hard links (FAT, some network shares): check, then rename.
        if os.path.lexists(target):
            return False
        os.replace(temporary, target)
        return True
    _remove(temporary)
    return True


def _remove(path: Path) -> None:
    with suppress(OSError):
        os.unlink(path)


def _sync_folder(folder: Path) -> None:
    """Put the folder's new entry on disk too, where the system allows it (not on Windows)."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    with suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _cannot_write(target: Path, exc: OSError | ValueError) -> str:
    shown, folder = _shown(target), _shown(target.parent)
    if isinstance(exc, ValueError):
        return f"{shown} is not a valid file name."
    code = exc.errno
    if code == errno.ENOENT:
        return f"There is no folder {folder}: create it first, or save somewhere else."
    if code == errno.ENOTDIR:
        return f"Cannot save to {shown}: a part of that path is a file, not a folder."
    if code in (errno.EACCES, errno.EPERM):
        return f"You are not allowed to write in {folder}: {shown} was not saved."
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return f"The disk is full: {shown} was not saved. Free some space, or save somewhere else."
    if code == errno.EROFS:
        return f"{folder} is on a read-only disk: {shown} was not saved."
    if code == errno.EISDIR:
        return f"{shown} is a folder: give a file name."
    if code == errno.ENAMETOOLONG:
        return f"The name {shown} is too long."
    return f"Could not save to {shown}: {exc.strerror or exc}."


# --- default names -------------------------------------------------------------


class FileKind(StrEnum):
    """The files the app offers to save, each with its default name."""

    REPLY = "reply"
    REPORT = "report"


_NAME_PARTS = {FileKind.REPLY: ("reply", ".txt"), FileKind.REPORT: ("unblock-report", ".md")}
# Letters and digits of any script, "_", "." and "+": a path separator, a control
# or bidi character, a space or any other sign splits the address into words.
_WORD = re.compile(r"[\w.+]+")
_MIDDLE_BYTES = 100


def default_file_name(kind: FileKind | str, address: str | None) -> str:
    """The name offered for a file of ``kind`` about ``address``: "reply-contact-at-example.fr.txt".

    Whatever the address holds, the name is one plain file name: no path
    separator, control character or dots-only part, no leading dot or dash,
    at most about 120 bytes.
    """
    prefix, suffix = _NAME_PARTS[FileKind(kind)]
    words = (re.sub(r"\.{2,}", ".", word).strip(".") for word in _WORD.findall((address or "").replace("@", " at ")))
    middle = "-".join(word for word in words if word)
    middle = middle.encode("utf-8")[:_MIDDLE_BYTES].decode("utf-8", "ignore").rstrip(".+-_")
    return f"{prefix}-{middle}{suffix}" if middle else f"{prefix}{suffix}"
