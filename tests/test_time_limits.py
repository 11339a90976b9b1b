"""The per-row time budget: CPU time of the row, so labels never depend on machine load."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import busy_task
from conftest import write_shard
from gnosis_core import limits, shards

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent


def labels(save_dir: Path) -> list[int]:
    return [r["correctness_label"] for r in shards.read_jsonl(save_dir / "verified" / "shard-000001.verified.jsonl")]


def summary(save_dir: Path) -> dict:
    return json.loads((save_dir / "verified" / "summary.json").read_text())["total"]


@pytest.mark.parametrize("value", [0, -1, "nan", "inf", "1e10", "soon"])
def test_timeout_outside_its_range_is_one_line(tmp_path, gnosis, value):
    write_shard(tmp_path / "shard-000001.jsonl", [{"question": "q", "completion": "x", "answer": "x"}])
    code, _, err = gnosis("run", "--task", "trivia", "--stage", "label", "--save_dir", tmp_path, "--timeout", value)
    assert code == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "--timeout expects a number > 0 and <= 3600" in err
    assert not (tmp_path / "verified").exists()


def test_running_out_of_time_is_timed_out_never_a_wrong_answer(tmp_path, gnosis):
    """A grader that swallows the interruption and answers, and a regular expression stuck in C
    code (killed by the kernel's CPU limit), are both timed out; the rows around them are graded."""
    busy_task.install()
    works = ["10 1", "swallow 1", "10 1", "re 1", "10 1"]
    write_shard(tmp_path / "shard-000001.jsonl", busy_task.rows(works))
    code, out, err = gnosis("run", "--task", "busy", "--stage", "label", "--save_dir", tmp_path,
                            "--timeout", 0.2, "--workers", 1)
    assert code == 0, err
    assert labels(tmp_path) == [1, 0, 1, 0, 1]
    total = summary(tmp_path)
    assert total["timed_out"] == 2 and total["errors"] == 0 and total["correct"] == 3


def test_a_blocked_worker_is_killed_by_wall_time_but_a_computing_one_is_not(tmp_path, gnosis, monkeypatch):
    """The wall-clock kill is for workers that wait without computing; a row that computes
    (within its CPU budget) is never killed by it, however long it takes on a busy machine."""
    busy_task.install()
    monkeypatch.setattr(limits, "hard_wall_limit_s", lambda row_timeout: 2.0)
    write_shard(tmp_path / "shard-000001.jsonl", busy_task.rows(["blocked 1", "1500 1", "10 1"]))
    code, _, err = gnosis("run", "--task", "busy", "--stage", "label", "--save_dir", tmp_path,
                          "--timeout", 5, "--workers", 1)
    assert code == 0, err
    assert labels(tmp_path) == [0, 1, 1]
    assert summary(tmp_path)["timed_out"] == 1


def test_math_that_runs_out_of_time_is_timed_out(tmp_path, gnosis):
    """With almost no budget, math-verify is interrupted: no right answer may come back as
    wrong without being counted as timed out (it used to be labeled 0 with timed_out=0)."""
    rows = [{"question": "q", "completion": f"\\boxed{{\\frac{{{2 * a}}}{{{2 * a + 2}}}}}",
             "solution": f"\\frac{{{a}}}{{{a + 1}}}"} for a in range(1, 25)]
    write_shard(tmp_path / "quiet" / "shard-000001.jsonl", rows)
    write_shard(tmp_path / "rushed" / "shard-000001.jsonl", rows)
    assert gnosis("run", "--task", "math", "--stage", "label", "--save_dir", tmp_path / "quiet")[0] == 0
    code, _, err = gnosis("run", "--task", "math", "--stage", "label", "--save_dir", tmp_path / "rushed",
                          "--timeout", 0.001)
    assert code == 0, err
    quiet, rushed = labels(tmp_path / "quiet"), labels(tmp_path / "rushed")
    assert quiet == [1] * len(rows)
    flipped = sum(q != r for q, r in zip(quiet, rushed))
    assert flipped and summary(tmp_path / "rushed")["timed_out"] == flipped
    assert summary(tmp_path / "rushed")["unverifiable"] == 0


# Rows that need 0.25 s of CPU time against a 0.5 s budget, and rows that need far more. With
# two busy processes per core beside it, a wall-clock budget would time the short rows out too.
LOAD_WORKS = ["250 1", "250 0", "3000 1", "250 1", "250 1", "3000 0", "250 0", "250 1"]
LOAD_ARGS = ("--task", "busy", "--stage", "label", "--timeout", 0.5, "--workers", 2)


def _busy_processes(count: int) -> list[subprocess.Popen]:
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]


def test_labels_are_the_same_on_a_loaded_machine(tmp_path, gnosis):
    busy_task.install()
    for name in ("quiet", "loaded"):
        write_shard(tmp_path / name / "shard-000001.jsonl", busy_task.rows(LOAD_WORKS))
    assert gnosis("run", *LOAD_ARGS, "--save_dir", tmp_path / "quiet")[0] == 0
    hogs = _busy_processes(2 * (os.cpu_count() or 1))
    try:
        code, _, err = gnosis("run", *LOAD_ARGS, "--save_dir", tmp_path / "loaded")
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()
    assert code == 0, err
    assert labels(tmp_path / "loaded") == labels(tmp_path / "quiet") == [1, 0, 0, 1, 1, 0, 0, 1]
    assert summary(tmp_path / "loaded") == summary(tmp_path / "quiet")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="watches the run through /proc")
def test_labels_are_the_same_after_a_pause(tmp_path, gnosis):
    """The whole run stopped (Ctrl-Z, a suspended VM) for longer than the budget, then resumed."""
    busy_task.install()
    works = ["400 1"] * 4 + ["3000 1"]
    for name in ("quiet", "paused"):
        write_shard(tmp_path / name / "shard-000001.jsonl", busy_task.rows(works))
    args = ("--task", "busy", "--stage", "label", "--timeout", 1, "--workers", 2, "--progress", "false")
    assert gnosis("run", *args, "--save_dir", tmp_path / "quiet")[0] == 0
    run = subprocess.Popen([sys.executable, str(TESTS / "busy_task.py"), "run", *map(str, args),
                            "--save_dir", str(tmp_path / "paused")], cwd=ROOT, start_new_session=True,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not _grading(run.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(run.pid, signal.SIGSTOP)
    time.sleep(5)
    os.killpg(run.pid, signal.SIGCONT)
    out, err = run.communicate(timeout=120)
    assert run.returncode == 0, err
    assert labels(tmp_path / "paused") == labels(tmp_path / "quiet") == [1] * 4 + [0]


def _grading(pid: int) -> bool:
    """Whether the run has started its grading workers."""
    try:
        return bool(Path(f"/proc/{pid}/task/{pid}/children").read_text().split())
    except OSError:
        return False
