"""One run per folder: generate and label lock their save_dir, merge its out_dir."""
import json
import os
import socket
import subprocess
import sys

import pytest

import busy_task
import runs
from conftest import write_shard
from gnosis_core import locking

HOLD = ("import sys, time\nfrom gnosis_core import locking\nlocking.take(sys.argv[1], sys.argv[2])\n"
        "print('held', flush=True)\ntime.sleep(120)\n")


@pytest.fixture
def holder():
    """Lock a folder from another process: ``pid = holder(folder, stage)``."""
    started = []

    def hold(folder, stage):
        process = subprocess.Popen([sys.executable, "-c", HOLD, str(folder), stage], stdout=subprocess.PIPE, text=True)
        assert process.stdout.readline().strip() == "held"
        started.append(process)
        return process.pid
    yield hold
    for process in started:
        process.kill()
        process.wait()


def _refused(err, folder, pid, stage):
    assert err.startswith("gnosis: error: ") and len(err.strip().splitlines()) == 1
    assert f"{folder} is in use by another gnosis run ({stage}, pid {pid} on {socket.gethostname()}, started " in err


def test_second_label_run_is_refused_while_the_first_holds_the_lock(tmp_path, gnosis):
    write_shard(tmp_path / "shard-000001.jsonl", busy_task.rows(["400 1"] * 20))
    first = runs.start("run", "--task", "busy", "--stage", "label", "--save_dir", tmp_path, "--workers", 1, busy=True)
    try:
        lock = tmp_path / locking.LOCK_NAME
        assert runs.wait_until(lambda: lock.exists() and lock.read_text().strip()), "the first run never locked"
        code, _, err = gnosis("run", "--task", "trivia", "--stage", "label", "--save_dir", tmp_path)
        assert code == 2
        _refused(err, tmp_path, first.pid, "label")
        assert not (tmp_path / "verified" / "shard-000001.verified.jsonl").exists()
    finally:
        first.kill()
        first.wait()


def test_generate_and_merge_are_refused_on_a_locked_folder(tmp_path, gnosis, holder, tiny_model):
    data = tmp_path / "questions.jsonl"
    data.write_text('{"question": "q", "answer": "a"}\n')
    pid = holder(tmp_path / "gen", "label")
    code, _, err = gnosis("run", "--task", "trivia", "--stage", "generate", "--data_path", data,
                          "--model_id", tiny_model, "--backend", "transformers", "--save_dir", tmp_path / "gen")
    assert code == 2
    _refused(err, tmp_path / "gen", pid, "label")

    write_shard(tmp_path / "in" / "verified" / "shard-000001.verified.jsonl",
                [{"question": "q", "answer": "a", "completion": "c", "correctness_label": 1, "pred_parsed": True}])
    pid = holder(tmp_path / "out", "merge")
    code, _, err = gnosis("run", "--stage", "merge", "--inputs", f"trivia={tmp_path / 'in'}",
                          "--out_dir", tmp_path / "out")
    assert code == 2
    _refused(err, tmp_path / "out", pid, "merge")
    assert not (tmp_path / "out" / "merged_balanced.parquet").exists()


def test_stale_lock_of_a_dead_run_is_taken_over_with_a_note(tmp_path, gnosis):
    write_shard(tmp_path / "shard-000001.jsonl", [{"question": "q", "completion": "\\boxed{Paris}", "answer": "Paris"}])
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    (tmp_path / locking.LOCK_NAME).write_text(json.dumps(
        {"pid": int(dead.stdout), "host": "elsewhere", "stage": "label", "started": "2026-01-01T00:00:00+00:00"}))
    code, out, err = gnosis("run", "--task", "trivia", "--stage", "label", "--save_dir", tmp_path)
    assert code == 0, err
    assert (f"gnosis: note: taking over the lock on {tmp_path} from a run that is gone "
            f"(label, pid {dead.stdout.strip()} on elsewhere, started 2026-01-01T00:00:00+00:00)") in err
    assert "correct=1" in out
    assert not (tmp_path / locking.LOCK_NAME).exists()


ORPHAN = ("import os, sys, time\nfrom gnosis_core import locking\nlocking.take(sys.argv[1], 'label')\n"
          "child = os.fork()\nif child == 0:\n    os.close(1)\n    os.close(2)\n    time.sleep(30)\n    os._exit(0)\n"
          "print(child, flush=True)\nos._exit(0)\n")


def test_a_child_outliving_a_killed_run_does_not_keep_the_lock(tmp_path):
    """A run killed while a forked child of it (a worker, an engine process) still lives."""
    dead = subprocess.run([sys.executable, "-c", ORPHAN, str(tmp_path)], capture_output=True, text=True, timeout=60)
    child = int(dead.stdout)
    try:
        locking.take(tmp_path, "label")
        locking.release_all()
    finally:
        os.kill(child, 9)


def test_one_process_may_lock_a_folder_twice(tmp_path):
    locking.take(tmp_path, "generate")
    locking.take(tmp_path, "label")  # --stage all: generate, then label, one process
    locking.release_all()
    assert not (tmp_path / locking.LOCK_NAME).exists()
