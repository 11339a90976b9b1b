"""Running gnosis as a real process (to signal or kill it) and checking what it left behind."""
import os
import re
import subprocess
import sys
import time
from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
TEMP_NAME = re.compile(r"^\..+\.tmp$")
ON_LINUX = sys.platform.startswith("linux")


def start(*argv, busy: bool = False) -> subprocess.Popen:
    """``gnosis ARGV`` in a session of its own (its id is the pid), output captured. With
    ``busy`` the test task of busy_task.py is registered."""
    command = [str(TESTS / "busy_task.py")] if busy else ["-m", "gnosis_core.cli"]
    return subprocess.Popen([sys.executable, *command, *map(str, argv)], cwd=ROOT, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def alive_in_session(session: int) -> list[int]:
    """Processes of a session that are still running (zombies are dead, only not yet reaped)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session and fields[0] not in "ZX":
            found.append(int(entry))
    return found


def children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def wait_until(condition, timeout: float = 60.0, step: float = 0.02) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(step)
    return condition()


def gone_within(session: int, seconds: float) -> list[int]:
    """The processes of ``session`` still running ``seconds`` after now (none, we hope)."""
    wait_until(lambda: not alive_in_session(session), timeout=seconds)
    return alive_in_session(session)


def temp_files(*folders: Path) -> list[Path]:
    return [p for folder in folders if folder.is_dir() for p in folder.rglob("*") if TEMP_NAME.match(p.name)]
