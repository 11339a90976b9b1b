"""One run per folder: a stage locks the folder it writes before it writes anything.

The lock is ``fcntl.flock`` on ``FOLDER/.gnosis.lock``, so the kernel releases it when the
holder dies, however it dies. The file also says who holds it (PID, host, start time, the
command), for the message a second run gets. A lock file left by a dead holder is simply
taken over, with a note. Locks are per process and re-entrant (``--stage all`` runs generate
and label on one folder), and released by ``release_all`` when the command ends.
"""
from __future__ import annotations

import atexit
import datetime as dt
import errno
import json
import os
import socket
import sys
from pathlib import Path

from gnosis_core.errors import GnosisError

LOCK_NAME = ".gnosis.lock"

_held: dict[str, tuple[int, Path]] = {}  # folder's real path -> (open descriptor, lock file)
_shared: dict[str, int] = {}  # folders read under a shared lock: real path -> open descriptor
_made: list[Path] = []  # folders that take() created, deepest first: removed at release if still empty


def take(folder: str | Path, stage: str) -> None:
    """Lock ``folder`` (made if missing) for this process, or fail with one line naming the
    run that holds it."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no locking
        return
    folder = Path(folder)
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise GnosisError(f"cannot create {folder}: {exc.strerror}") from None
    _made[:0] = missing
    key = os.path.realpath(folder)
    if key in _held:
        return
    path = folder / LOCK_NAME
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise GnosisError(f"cannot lock {folder} ({path}: {exc.strerror})") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            holder = _read(fd)
            os.close(fd)
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise GnosisError(f"cannot lock {folder} ({path}: {exc.strerror})") from None
            raise GnosisError(f"{folder} is in use by another gnosis run ({_describe(holder)}); "
                              f"wait for it to end or stop it, or use another folder") from None
        if _same_file(fd, path):
            break
        os.close(fd)  # the holder removed the file as we opened it: lock the new one
    previous = _read(fd)
    if previous:  # only a holder that died leaves its details behind
        print(f"gnosis: note: taking over the lock on {folder} from a run that is gone "
              f"({_describe(previous)})", file=sys.stderr)
    info = {"pid": os.getpid(), "host": socket.gethostname(), "stage": stage,
            "started": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "command": " ".join(sys.argv)}
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, (json.dumps(info) + "\n").encode(), 0)
    except OSError:
        pass  # a full disk: the flock holds all the same, only the holder's details are missing
    _held[key] = (fd, path)


def share(folder: str | Path, stage: str) -> None:
    """Read ``folder`` under a shared lock, or fail in one line while a run writes it (label
    writing verified/, generate writing shards): a reader would see some shards and not others.
    Nothing is created: a folder without a lock file has no writer, and may be read-only."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no locking
        return
    folder = Path(folder)
    key = os.path.realpath(folder)
    if key in _held or key in _shared:  # this process writes it (--stage all), or reads it already
        return
    try:
        fd = os.open(folder / LOCK_NAME, os.O_RDONLY)
    except OSError:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        holder = _read(fd)
        os.close(fd)
        raise GnosisError(f"{folder} is being written by a gnosis run ({_describe(holder)}); {stage} would read "
                          "only part of it: wait for that run to end") from None
    _shared[key] = fd


def release_all() -> None:
    """Release every lock this process holds (the command is over), and remove the folders
    made only to be locked that a failed run left empty."""
    for key in list(_shared):
        os.close(_shared.pop(key))
    for key in list(_held):
        fd, path = _held.pop(key)
        try:
            os.unlink(path)  # while still locked, so nobody locks the file we remove
        except OSError:
            pass
        os.close(fd)
    for folder in _made:
        try:
            folder.rmdir()  # only an empty folder goes
        except OSError:
            pass
    _made.clear()


def _forget_in_child() -> None:
    """A forked child (a grading worker, an engine process) must not keep the lock alive
    after this process ends: close its copies of the descriptors."""
    for fd in [fd for fd, _ in _held.values()] + list(_shared.values()):
        try:
            os.close(fd)
        except OSError:
            pass
    _held.clear()
    _shared.clear()
    _made.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_in_child)
atexit.register(release_all)


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.fstat(fd).st_ino == os.stat(path).st_ino
    except FileNotFoundError:
        return False


def _read(fd: int) -> dict:
    try:
        text = os.pread(fd, 4096, 0).decode("utf-8", "replace").strip()
        return json.loads(text) if text else {}
    except (OSError, ValueError):
        return {"unreadable": True}


def _describe(holder: dict) -> str:
    if not holder.get("pid"):
        return "holder not known yet" if not holder else "holder details unreadable"
    stage = f"{holder['stage']}, " if holder.get("stage") else ""
    return f"{stage}pid {holder['pid']} on {holder.get('host', '?')}, started {holder.get('started', '?')}"
