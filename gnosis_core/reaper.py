"""The processes a run started die with it, even when it is killed with SIGKILL.

``python -m gnosis_core.reaper PID`` watches process PID (a gnosis run that started a Ray
instance of its own): every half second it notes PID's descendants (Ray's GCS, raylet,
dashboard and runtime-env agents, its workers). If PID dies while the reaper is still running,
the reaper kills every noted process that is still the same process (same start time), then
exits: Ray's agents would otherwise outlive the run indefinitely. A run that ends normally shuts
Ray down itself and stops the reaper first (SIGTERM), which then kills nothing. Linux only
(/proc); elsewhere it exits at once.
"""
from __future__ import annotations

import os
import signal
import sys
import time

SNAPSHOT_S = 0.5


def _processes() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, start time) of every live process (zombies are dead)."""
    found = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    fields = handle.read().rsplit(b")", 1)[1].split()
            except OSError:
                continue
            if fields[0] not in (b"Z", b"X"):
                found[int(entry)] = (int(fields[1]), fields[19].decode())
    return found


def descendants(root: int, table: dict[int, tuple[int, str]]) -> dict[int, str]:
    """pid -> start time of every descendant of ``root`` in ``table``."""
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in table.items():
        children.setdefault(parent, []).append(pid)
    found, todo = {}, [root]
    while todo:
        for child in children.get(todo.pop(), ()):
            found[child] = table[child][1]
            todo.append(child)
    return found


def watch(driver: int) -> None:
    me = os.getpid()
    noted: dict[int, str] = {}
    while True:
        table = _processes()
        if driver not in table:
            break
        noted.update(descendants(driver, table))
        noted.pop(me, None)
        time.sleep(SNAPSHOT_S)
    table = _processes()
    for pid, started in noted.items():
        if pid in table and table[pid][1] == started:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))  # the run ended normally: kill nothing
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the run's to handle
    if not os.path.isdir("/proc") or len(sys.argv) != 2:
        return
    watch(int(sys.argv[1]))


if __name__ == "__main__":
    main()
