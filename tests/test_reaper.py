"""The reaper: what a run started dies with it when it is killed (Ray's agents would not)."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gnosis_core import reaper

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the reaper reads /proc")

# a stand-in for a run: it starts the reaper on itself, then a helper in a session of its own
# (as Ray's agents are: no parent-death signal, no process group to be killed with)
DRIVER = """
import subprocess, sys, time
reaper = subprocess.Popen([sys.executable, "-m", "gnosis_core.reaper", str(__import__("os").getpid())],
                          start_new_session=True)
helper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"], start_new_session=True)
print(helper.pid, flush=True)
time.sleep(1.5)  # the reaper notes the helper
if sys.argv[1] == "normal":
    reaper.terminate(); reaper.wait()
    print("done", flush=True)
time.sleep(300)
"""


def alive(pid: int) -> bool:
    return pid in reaper._processes()


def start_driver(ending: str):
    driver = subprocess.Popen([sys.executable, "-c", DRIVER, ending], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    return driver, int(driver.stdout.readline())


def test_a_killed_runs_helpers_are_killed_by_the_reaper():
    driver, helper = start_driver("killed")
    time.sleep(2)
    assert alive(helper)
    driver.kill()
    driver.wait()
    end = time.monotonic() + 10
    while alive(helper) and time.monotonic() < end:
        time.sleep(0.1)
    assert not alive(helper)


def test_a_run_that_ends_normally_stops_the_reaper_and_it_kills_nothing():
    driver, helper = start_driver("normal")
    try:
        assert driver.stdout.readline().strip() == "done"
        driver.kill()
        driver.wait()
        time.sleep(2)
        assert alive(helper)
    finally:
        os.kill(helper, signal.SIGKILL)


def test_descendants_are_found_through_every_generation():
    table = {10: (1, "a"), 11: (10, "b"), 12: (11, "c"), 13: (1, "d"), 14: (12, "e")}
    assert reaper.descendants(10, table) == {11: "b", 12: "c", 14: "e"}
