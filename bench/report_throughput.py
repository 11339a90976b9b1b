"""`gnosis report` on a large synthetic labeled run: seconds and peak memory.

    python bench/report_throughput.py [--rows 1000000] [--samples 8] [--shard_rows 50000] [--format jsonl] [--keep DIR]

Run time on 2 busy cores: about 1.5 minutes with the defaults, half of it writing the synthetic
run (`--rows 100000`: 23 s).

Writes ROWS verified rows of one math save_dir as the label stage does (every column generate
and label write, completions of 200 to 800 characters, five original sources, answers spelled
several ways so that maj@k has votes to merge, a few forced and truncated completions), then
runs `gnosis report DIR --by original_source` (tables, report.json and every plot) in a child
process and prints its wall time and peak RSS.
"""
import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from merge_throughput import random_text

SOURCES = ("AIME 2024", "AIME 2025", "HMMT Feb 2025", "AMC", "MATH-500")
SPELLINGS = ("{}", "x = {}", "{}.0", "\\text{{{}}}")  # the same answer as graders see it


def shard(rng: np.random.Generator, rows: int, samples: int, first_question: int) -> pa.Table:
    questions = rows // samples
    question = np.repeat(np.arange(questions), samples)
    skill = rng.beta(0.6, 0.6, questions)  # many easy and many hard questions, as real runs have
    tokens = rng.gamma(2.0, 900.0, rows).clip(20, 8192).astype(np.int64)
    truncated = tokens >= 8192
    forced = truncated | (rng.random(rows) < 0.05)
    parsed = (~truncated | forced & (rng.random(rows) < 0.7)) & (rng.random(rows) > 0.04)
    # longer completions are wrong more often: the signal the length plots show
    correct = parsed & (rng.random(rows) < skill[question] * (1.2 - tokens / 8192).clip(0.1, 1))
    gold = rng.integers(0, 1000, questions)
    value = np.where(correct, gold[question], rng.integers(0, 30, rows) + gold[question] + 1)
    spelling = rng.integers(0, len(SPELLINGS), rows)
    answers = [SPELLINGS[s].format(v) for s, v in zip(spelling, value)]
    status = np.where(parsed, "ok", "unparsed").astype(object)
    status[rng.random(rows) < 0.001] = "timed_out"
    return pa.table({
        "question_index": pa.array(question + first_question),
        "question": random_text(rng, rng.integers(150, 400, questions)).take(pa.array(question)),
        "answer": pa.nulls(rows, pa.string()),
        "solution": pa.array([f"\\boxed{{{g}}}" for g in gold]).take(pa.array(question)),
        "original_source": pa.array(SOURCES).take(pa.array(rng.integers(0, len(SOURCES), questions)[question])),
        "sample_index": pa.array(np.tile(np.arange(samples), questions)),
        "completion": random_text(rng, rng.integers(200, 800, rows)),
        "finish_reason": pa.array(np.where(truncated, "length", "stop")),
        "num_output_tokens": pa.array(tokens),
        "two_step_applied": pa.array(forced),
        "correctness_label": pa.array(correct.astype(np.int8)),
        "pred_parsed": pa.array(parsed),
        "extracted_answer": pc.if_else(pa.array(parsed), pa.array(answers), None),
        "grade_status": pa.array(status.astype(str)),
        "grade_detail": pa.nulls(rows, pa.string()),
    })


def write_run(root: Path, rows: int, samples: int, shard_rows: int, fmt: str, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    verified = root / "verified"
    verified.mkdir(parents=True, exist_ok=True)
    shard_rows -= shard_rows % samples
    for index, start in enumerate(range(0, rows, shard_rows), 1):
        table = shard(rng, min(shard_rows, rows - start), samples, start // samples)
        path = verified / f"shard-{index:06d}.verified.{fmt}"
        if fmt == "parquet":
            pq.write_table(table, path)
        else:
            table.to_pandas().to_json(path, orient="records", lines=True, force_ascii=False)
    (verified / "summary.json").write_text(json.dumps({"task": "math", "total": {}}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=8, help="completions per question")
    parser.add_argument("--shard_rows", type=int, default=50_000)
    parser.add_argument("--format", choices=("parquet", "jsonl"), default="parquet")
    parser.add_argument("--keep", help="write the run and the report here instead of a temporary folder")
    parser.add_argument("--report_args", default="--by original_source", help="extra flags for gnosis report")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="gnosis-report-bench-") as tmp:
        root = Path(args.keep or tmp)
        start = time.perf_counter()
        write_run(root / "run", args.rows, args.samples, args.shard_rows, args.format)
        size = sum(p.stat().st_size for p in (root / "run" / "verified").glob(f"*.{args.format}"))
        print(f"wrote {args.rows:,} verified rows ({size / 2**20:,.0f} MiB of {args.format}, "
              f"{args.samples} per question) in {time.perf_counter() - start:.1f} s")
        command = [sys.executable, "-m", "gnosis_core.cli", "report", str(root / "run"),
                   "--out", str(root / "report"), *args.report_args.split()]
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # kilobytes on Linux
        plots = len(list((root / "report").glob("*.png")))
        print(f"report: {args.rows:,} rows in {seconds:.1f} s ({args.rows / seconds:,.0f} rows/s), "
              f"{plots} plots, peak RSS {peak / 2**30:.2f} GiB")


if __name__ == "__main__":
    main()
