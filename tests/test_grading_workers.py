"""Grading workers that die, graders that load lazily, and slow rows at the end of the work."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from busy_task import install_task
from conftest import write_shard
from gnosis_core import shards

ROOT = Path(__file__).resolve().parents[1]


def _deadly(prediction, gold, row):
    """Kills its own worker (as the kernel's out-of-memory killer would) on "die-once" the first
    time, on "die-while" as long as the file ``deadly`` exists; logs every row it grades."""
    folder = row.get("folder")
    if folder is None:  # the warm-up row
        return prediction == gold
    folder = Path(folder)
    with open(folder / "graded.log", "a") as log:
        log.write(f"{row['question']}\n")
    once = folder / f"died-on-{row['question']}"
    if (prediction == "die-once" and not once.exists()) or (prediction == "die-while" and (folder / "deadly").exists()):
        once.touch()
        os.kill(os.getpid(), signal.SIGKILL)
    if prediction.startswith("slow"):
        end = time.process_time() + 0.4
        while time.process_time() < end:
            pass
    with open(folder / "pids.log", "a") as log:
        log.write(f"{row['question']} {os.getpid()}\n")
    return prediction == gold


def install_deadly_task():
    install_task("deadly", _deadly)


def deadly_rows(folder: Path, answers: list[str]) -> list[dict]:
    return [{"question": f"q{i}", "completion": a, "answer": a, "folder": str(folder)} for i, a in enumerate(answers)]


def label(gnosis, save_dir, *extra):
    return gnosis("run", "--task", "deadly", "--stage", "label", "--save_dir", save_dir, "--progress", "false",
                  "--workers", 2, *extra)


def verified(save_dir: Path, fmt: str = "jsonl") -> list[dict]:
    return shards.read_table(save_dir / "verified" / f"shard-000001.verified.{fmt}").to_pylist()


def test_a_worker_killed_on_a_row_grades_that_row_again_in_a_fresh_worker(tmp_path, gnosis):
    install_deadly_task()
    answers = ["ok"] * 20
    answers[5] = "die-once"
    write_shard(tmp_path / "shard-000001.jsonl", deadly_rows(tmp_path, answers))
    code, out, err = label(gnosis, tmp_path)
    assert code == 0, err
    assert (tmp_path / "died-on-q5").exists()  # it did die
    got = verified(tmp_path)
    assert [r["correctness_label"] for r in got] == [1] * 20
    assert {r["grade_status"] for r in got} == {"ok"}
    assert "errors=0" in out and "crashed" not in out


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_a_row_that_kills_its_worker_twice_is_crashed_and_the_next_run_grades_just_it(tmp_path, gnosis, fmt):
    install_deadly_task()
    answers = ["ok"] * 12
    answers[3] = "die-while"
    write_shard(tmp_path / f"shard-000001.{fmt}", deadly_rows(tmp_path, answers))
    (tmp_path / "deadly").touch()
    code, out, err = label(gnosis, tmp_path)
    assert code == 0, err
    got = verified(tmp_path, fmt)
    assert [r["grade_status"] for r in got] == ["ok"] * 3 + ["crashed"] + ["ok"] * 8
    assert got[3]["correctness_label"] == 0 and "died twice" in got[3]["grade_detail"]
    assert "crashed=1" in out and "run the same command again to grade just those rows" in err
    assert json.loads((tmp_path / "verified" / "summary.json").read_text())["total"]["grade_status"]["crashed"] == 1
    assert (tmp_path / "graded.log").read_text().split().count("q3") == 2  # once, and once again

    (tmp_path / "deadly").unlink()  # the machine has memory again
    (tmp_path / "graded.log").unlink()
    code, out, err = label(gnosis, tmp_path, "--batch_size", 5)  # the earlier grades are read batch by batch too
    assert code == 0, err
    assert (tmp_path / "graded.log").read_text().split() == ["q3"]
    got = verified(tmp_path, fmt)
    assert [r["correctness_label"] for r in got] == [1] * 12 and {r["grade_status"] for r in got} == {"ok"}
    assert "crashed" not in out and "correct=12" in out

    (tmp_path / "graded.log").unlink()
    code, out, _ = label(gnosis, tmp_path)
    assert code == 0 and "skipped=1" in out and not (tmp_path / "graded.log").exists()


def test_slow_rows_at_the_end_are_spread_over_the_workers(tmp_path, gnosis):
    """Six slow rows among the last of 150: chunks shrink near the end, so they do not all
    wait on one worker (in chunks of 32 they would all go to the last chunk's worker)."""
    install_deadly_task()
    answers = ["ok"] * 144 + ["slow"] * 6
    write_shard(tmp_path / "shard-000001.jsonl", deadly_rows(tmp_path, answers))
    code, _, err = label(gnosis, tmp_path)
    assert code == 0, err
    pids = dict(line.split() for line in (tmp_path / "pids.log").read_text().splitlines())
    assert len({pids[f"q{i}"] for i in range(144, 150)}) == 2


MATH_ROWS = [{"question": "q", "completion": f"so \\boxed{{\\frac{{{i}}}{{2}}}}", "solution": f"{i}/2"} for i in range(1, 9)]


def test_a_small_timeout_does_not_interrupt_the_graders_first_import(tmp_path):
    """In a fresh process the math grader imports math-verify and sympy on first use: that
    happens before any row's clock starts, so every row is graded, the same on every run."""
    write_shard(tmp_path / "shard-000001.jsonl", MATH_ROWS)
    result = subprocess.run([sys.executable, "-m", "gnosis_core.cli", "run", "--task", "math", "--stage", "label",
                             "--save_dir", str(tmp_path), "--timeout", "0.2", "--workers", "1", "--progress", "false"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    got = shards.read_jsonl(tmp_path / "verified" / "shard-000001.verified.jsonl")
    assert [r["grade_status"] for r in got] == ["ok"] * 8, [r["grade_detail"] for r in got]
    assert [r["correctness_label"] for r in got] == [1] * 8
