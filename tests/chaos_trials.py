"""Chaos trials: start a stage, kill it at a random moment, run it again, and count what a user
relies on: duplicated and lost rows, temp files, processes left alive, and whether the result
equals that of a run nobody interrupted. tests/test_chaos.py runs a few trials of each stage;
bench/chaos.py runs hundreds and prints the numbers.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import random
import shutil
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pyarrow as pa
import pyarrow.parquet as pq

import runs
from conftest import write_shard
from gnosis_core import locking, shards
from gnosis_core.cli import main

# A kill -9 of the parent (its workers must go by themselves), and the signals a user or a
# scheduler sends to the whole group.
KILLS = ((signal.SIGKILL, False), (signal.SIGTERM, True), (signal.SIGINT, True))


@dataclass
class Stage:
    name: str
    argv: Callable[[Path], list]  # the command line for a run into this folder
    fresh: Callable[[Path], Path]  # a folder ready for a run (inputs in place, no outputs)
    outcome: Callable[[Path], dict]  # what the run produced, to compare with the reference
    rows: Callable[[Path], tuple[int, int]]  # (duplicated, lost) rows in what it produced
    reference: dict = field(default_factory=dict)
    seconds: float = 0.0  # how long an uninterrupted run takes, start-up included


@dataclass
class Trial:
    stage: str
    signal: str
    kill_at: float
    finished_first: bool = False  # the run ended before the signal came
    done_when_killed: bool = False  # its output was complete: the signal came during its exit
    exit_code: int | None = None
    traceback: bool = False
    before_main: bool = False  # the traceback came while Python was still importing gnosis
    lines: int = 0  # stderr lines of the killed run
    processes_left: int = 0  # processes of the killed run alive a second after it ended
    rerun_code: int | None = None
    duplicates: int = 0
    lost: int = 0
    temp_files: int = 0
    temp_files_killed: int = 0  # temp files the killed run left (the re-run must remove them)
    locks_left: int = 0
    differs: bool = False  # the re-run's result differs from an uninterrupted run's
    stderr: str = ""  # what the killed run printed, when more than one line


def prepare(stage: Stage, workdir: Path) -> Stage:
    """Run the stage once, uninterrupted, as a process: the reference result and its duration."""
    folder = stage.fresh(workdir / f"{stage.name}-reference")
    started = time.monotonic()
    run = runs.start(*stage.argv(folder))
    _, err = run.communicate(timeout=600)
    if run.returncode != 0:
        raise RuntimeError(f"the reference {stage.name} run failed: {err}")
    stage.seconds = time.monotonic() - started
    stage.reference = stage.outcome(folder)
    return stage


def trial(stage: Stage, workdir: Path, rng: random.Random, number: int, kills=KILLS) -> Trial:
    signum, to_group = rng.choice(kills)
    folder = stage.fresh(workdir / f"{stage.name}-{number}")
    result = Trial(stage.name, signal.Signals(signum).name, round(rng.uniform(0, stage.seconds), 3))
    run = runs.start(*stage.argv(folder))
    time.sleep(result.kill_at)
    result.finished_first = run.poll() is not None
    if not result.finished_first:
        (os.killpg if to_group else os.kill)(run.pid, signum)
    _, err = run.communicate(timeout=600)
    result.exit_code, result.traceback = run.returncode, "Traceback" in err
    result.before_main = result.traceback and ", in main\n" not in err
    result.lines = len(err.strip().splitlines())
    result.stderr = err[-1500:] if result.lines > 1 else ""
    result.processes_left = len(runs.gone_within(run.pid, 1.0))
    result.temp_files_killed = len(runs.temp_files(folder))
    result.done_when_killed = stage.outcome(folder) == stage.reference
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        result.rerun_code = main([str(a) for a in stage.argv(folder)])
    result.duplicates, result.lost = stage.rows(folder)
    result.temp_files = len(runs.temp_files(folder))
    result.locks_left = len(list(folder.rglob(locking.LOCK_NAME)))
    result.differs = stage.outcome(folder) != stage.reference
    shutil.rmtree(folder, ignore_errors=True)
    return result


def _noise(chars: int) -> str:
    """Text that does not compress, so that a file holding it takes a while to write."""
    return os.urandom(chars // 2).hex()


# ---------------------------------------------------------------- label


def label_stage(workdir: Path, shard_count: int = 3, rows: int = 40, filler: int = 0) -> Stage:
    """``filler`` characters of noise per completion make the writes long enough to be hit."""
    source = workdir / "label-inputs"
    rng = random.Random(0)
    for number in range(1, shard_count + 1):
        table = []
        for i in range(rows):
            a, b = rng.randint(1, 40), rng.randint(2, 40)
            answer = rng.choice([f"\\frac{{{2 * a}}}{{{2 * b}}}", f"{a / b:.4f}", f"\\frac{{{a + 1}}}{{{b}}}"])
            table.append({"question_index": number * 1000 + i, "question": f"q{i}",
                          "completion": f"<think>work {_noise(filler)}</think> \\boxed{{{answer}}}",
                          "solution": f"\\frac{{{a}}}{{{b}}}"})
        write_shard(source / f"shard-{number:06d}.parquet", table)

    def fresh(folder: Path) -> Path:
        shutil.copytree(source, folder)
        return folder

    def labels(folder: Path) -> dict:
        found = {}
        for path in sorted((folder / "verified").glob("shard-*.verified.parquet")):
            table = pq.read_table(path, columns=["question_index", "correctness_label"])
            found[path.name] = table.to_pydict()
        return found

    def counted(folder: Path) -> tuple[int, int]:
        duplicates = lost = 0
        for path in shards.find_shards(folder, ["shard-*.parquet"]):
            expected = set(pq.read_table(path, columns=["question_index"]).column(0).to_pylist())
            out = folder / "verified" / f"{path.stem}.verified.parquet"
            got = pq.read_table(out, columns=["question_index"]).column(0).to_pylist() if out.exists() else []
            duplicates += len(got) - len(set(got))
            lost += len(expected - set(got))
        return duplicates, lost

    return Stage("label", lambda folder: ["run", "--task", "math", "--stage", "label", "--save_dir", folder,
                                          "--workers", 2, "--progress", "false"],
                 fresh, labels, counted)


# ---------------------------------------------------------------- generate


def generate_stage(workdir: Path, model: Path, questions: int = 6, generations: int = 2) -> Stage:
    data = workdir / "generate-questions.jsonl"
    data.write_text("".join(json.dumps({"question": f"What is {i} plus {i}?", "answer": str(2 * i)}) + "\n"
                            for i in range(questions)))

    def fresh(folder: Path) -> Path:
        folder.mkdir(parents=True)
        return folder

    def pairs(folder: Path) -> list[tuple[int, int]]:
        found = []
        for path in shards.find_shards(folder, ["shard-*.parquet"]):
            table = pq.read_table(path, columns=["question_index", "sample_index"])
            found += list(zip(table.column(0).to_pylist(), table.column(1).to_pylist()))
        return found

    def counted(folder: Path) -> tuple[int, int]:
        found = pairs(folder)
        expected = {(q, s) for q in range(questions) for s in range(generations)}
        return len(found) - len(set(found)), len(expected - set(found))

    # completions depend on how the questions were batched, so compare what was asked and answered
    return Stage("generate", lambda folder: [
        "run", "--task", "trivia", "--stage", "generate", "--data_path", data, "--model_id", model,
        "--save_dir", folder, "--backend", "transformers", "--max_tokens", 12, "--stage2_tokens", 4,
        "--num_generations", generations, "--shard_size", 2, "--progress", "false"],
        fresh, lambda folder: {"pairs": sorted(set(pairs(folder)))}, counted)


# ---------------------------------------------------------------- merge


def merge_stage(workdir: Path, rows_per_shard: int = 400, filler: int = 0) -> Stage:
    rng = random.Random(1)
    inputs = {}
    for task in ("trivia", "math"):
        folder = workdir / f"merge-{task}"
        for number in (1, 2):
            rows = [{"question": f"{task} question {number}-{i // 4}", "answer": str(i // 4),
                     "completion": f"c{i} {_noise(filler)}", "correctness_label": rng.randint(0, 1),
                     "pred_parsed": rng.random() < 0.9}
                    for i in range(rows_per_shard)]
            write_shard(folder / "verified" / f"shard-{number:06d}.verified.parquet", rows)
            write_shard(folder / f"shard-{number:06d}.parquet", rows)  # merge reads labels of existing shards only
        inputs[task] = folder
    spec = ",".join(f"{task}={folder}" for task, folder in inputs.items())

    def outcome(folder: Path) -> dict:
        merged = folder / "merged_balanced.parquet"
        return {"rows": pq.read_table(merged).to_pylist() if merged.exists() else None,
                "stats": (folder / "stats.json").read_text() if (folder / "stats.json").exists() else None}

    def counted(folder: Path) -> tuple[int, int]:
        # the same inputs and seed give the same rows: count the difference both ways
        got = [json.dumps(r, sort_keys=True) for r in outcome(folder)["rows"] or []]
        want = [json.dumps(r, sort_keys=True) for r in reference_rows()]
        extra = sum(max(0, got.count(r) - want.count(r)) for r in set(got))
        return extra, sum(max(0, want.count(r) - got.count(r)) for r in set(want))

    stage = Stage("merge", lambda folder: ["run", "--stage", "merge", "--inputs", spec, "--out_dir", folder],
                  lambda folder: folder, outcome, counted)

    def reference_rows() -> list:
        return stage.reference.get("rows") or []
    return stage


def summarize(trials: list[Trial]) -> dict:
    """Totals per stage: what bench/chaos.py prints."""
    table = {}
    for stage in sorted({t.stage for t in trials}):
        mine = [t for t in trials if t.stage == stage]
        killed = [t for t in mine if not t.finished_first]
        table[stage] = {
            "trials": len(mine), "killed": len(killed),
            "by_signal": {s: sum(t.signal == s for t in killed) for s in sorted({t.signal for t in killed})},
            "duplicates": sum(t.duplicates for t in mine), "lost": sum(t.lost for t in mine),
            "temp_files": sum(t.temp_files for t in mine),
            "temp_files_left_by_kill_then_removed": sum(t.temp_files_killed for t in mine),
            "processes_left": sum(t.processes_left for t in mine),
            "locks_left": sum(t.locks_left for t in mine), "differs": sum(t.differs for t in mine),
            "rerun_failed": sum(t.rerun_code != 0 for t in mine),
            "tracebacks": sum(t.traceback and not t.before_main for t in mine),
            # Ctrl-C in the first instant, while Python imports gnosis, before it can handle signals
            "tracebacks_before_main": sum(t.before_main for t in mine),
            "more_than_one_line": sum(t.lines > 1 for t in killed if t.signal != "SIGKILL"),
            "exit_codes": {str(c): sum(t.exit_code == c for t in killed) for c in sorted({t.exit_code for t in killed})},
        }
    return table
