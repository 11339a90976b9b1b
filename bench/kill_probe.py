"""Kill probe: grading workers killed during label, and --ray drivers killed mid-run.

    python bench/kill_probe.py [--worker_trials 20] [--ray_trials 5] [--seed 0]

Run time on 2 busy cores: about 2-3 minutes with the defaults (estimated: `--worker_trials 3
--ray_trials 1` took 24 s).

Workers: label 3 math shards with 2 workers while, at random moments, one of its grading
workers gets SIGKILL (as the out-of-memory killer sends it), once or twice per run; the labels
are compared with an undisturbed run's. Prints the rows whose label or status differ
(wrong_labels), rows left `crashed` (a row whose worker died twice: the next run retries it),
failed runs, and processes of the run alive 10 s after it ended.

Ray: label with --ray (a local instance of gnosis's own) and SIGKILL the driver once its Ray
workers are up; counts the driver's descendants (Ray's processes and workers, grading
processes) still alive 10 s later. Needs ray.
"""
import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import runs  # noqa: E402
from conftest import write_shard  # noqa: E402
from gnosis_core import shards  # noqa: E402

EXAMPLES = ROOT / "examples" / "math"


def math_rows(copies: int) -> list[dict]:
    rows = shards.read_table(next(EXAMPLES.glob("shard-*.parquet"))).to_pylist()
    return [dict(row, copy=k) for k in range(copies) for row in rows]


def fresh(folder: Path, copies: int) -> Path:
    rows = math_rows(copies)
    for number in (1, 2, 3):
        write_shard(folder / f"shard-00000{number}.parquet", rows)
    return folder


def label_argv(folder: Path, *extra) -> list:
    return ["run", "--task", "math", "--stage", "label", "--save_dir", folder, "--progress", "false", *extra]


def outcome(folder: Path) -> list:
    return [(r["correctness_label"], r["grade_status"]) for p in sorted((folder / "verified").glob("*.parquet"))
            for r in shards.read_table(p).select(["correctness_label", "grade_status"]).to_pylist()]


def descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        for child in runs.children(todo.pop()):
            found.append(child)
            todo.append(child)
    return found


def alive(pids: list[int]) -> list[int]:
    left = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state not in "ZX":
            left.append(pid)
    return left


def worker_trials(workdir: Path, trials: int, rng: random.Random, copies: int) -> dict:
    reference_dir = fresh(workdir / "reference", copies)
    started = time.monotonic()
    run = runs.start(*label_argv(reference_dir, "--workers", 2))
    _, err = run.communicate(timeout=900)
    assert run.returncode == 0, err
    seconds = time.monotonic() - started
    reference = outcome(reference_dir)
    totals = {"trials": trials, "workers_killed": 0, "wrong_labels": 0, "crashed_rows": 0, "runs_failed": 0,
              "processes_left_after_10s": 0, "rows_per_run": len(reference)}
    for number in range(trials):
        folder = fresh(workdir / f"trial-{number}", copies)
        run = runs.start(*label_argv(folder, "--workers", 2))
        runs.wait_until(lambda: runs.children(run.pid) or run.poll() is not None, timeout=120)
        for _ in range(rng.choice((1, 2))):  # a moment while it grades (the workers start before the first shard)
            time.sleep(rng.uniform(0.1, 0.4) * seconds)
            workers = runs.children(run.pid)
            if workers and run.poll() is None:
                os.kill(rng.choice(workers), signal.SIGKILL)
                totals["workers_killed"] += 1
        _, err = run.communicate(timeout=900)
        totals["runs_failed"] += run.returncode != 0
        totals["processes_left_after_10s"] += len(runs.gone_within(run.pid, 10.0))
        got = outcome(folder) if run.returncode == 0 else []
        totals["crashed_rows"] += sum(status == "crashed" for _, status in got)
        totals["wrong_labels"] += sum(a != b for a, b in zip(got, reference) if a[1] != "crashed") + abs(
            len(got) - len(reference))
    return totals


def ray_trials(workdir: Path, trials: int, rng: random.Random) -> dict:
    totals = {"trials": trials, "drivers_killed": 0, "processes_left_after_10s": 0, "most_left": 0}
    for number in range(trials):
        folder = fresh(workdir / f"ray-{number}", 20)
        run = runs.start(*label_argv(folder, "--ray", "--replicas", 2))
        # wait for the grading actors (their processes are named ray::Grader)
        runs.wait_until(lambda: any(_is_grader(p) for p in descendants(run.pid)) or run.poll() is not None,
                        timeout=180, step=0.2)
        time.sleep(rng.uniform(0, 2))
        family = descendants(run.pid)
        if run.poll() is None:
            os.kill(run.pid, signal.SIGKILL)
            totals["drivers_killed"] += 1
        run.communicate(timeout=60)
        time.sleep(10)
        left = alive(family)
        totals["processes_left_after_10s"] += len(left)
        totals["most_left"] = max(totals["most_left"], len(left))
        for pid in left:  # do not let one trial's leftovers load the next
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
    return totals


def _is_grader(pid: int) -> bool:
    try:
        return b"Grader" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--worker_trials", type=int, default=20)
    parser.add_argument("--ray_trials", type=int, default=5)
    parser.add_argument("--copies", type=int, default=300, help="copies of the example math shard per shard")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="gnosis-kill-probe-") as tmp:
        if args.worker_trials:
            print("grading workers:", json.dumps(worker_trials(Path(tmp), args.worker_trials, rng, args.copies)))
        if args.ray_trials:
            print("ray drivers:", json.dumps(ray_trials(Path(tmp), args.ray_trials, rng)))


if __name__ == "__main__":
    main()
