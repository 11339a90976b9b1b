"""`gnosis report` on a large synthetic labeled run: seconds and peak memory.

    python bench/report_throughput.py [--rows 1000000] [--samples 8] [--shard_rows 50000] [--format jsonl]
        [--completion_chars 8000 24000] [--keep DIR] [--report_args "--by original_source --samples 50"]

Run time on 2 busy cores: about 1.5 minutes with the defaults, half of it writing the synthetic
run (`--rows 100000`: 23 s).

Writes ROWS verified rows of one math save_dir as the label stage does (every column generate
and label write, completions of LO to HI characters (default 200 to 800), five original sources, answers spelled
several ways so that maj@k has votes to merge, a few forced and truncated completions), then
runs `gnosis report DIR --by original_source` (tables, report.json and every plot) in a child
process and prints its wall time and peak RSS.
"""
import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from measure import gib, run_child, scan
from merge_throughput import random_text

SOURCES = ("AIME 2024", "AIME 2025", "HMMT Feb 2025", "AMC", "MATH-500")
SPELLINGS = ("{}", "x = {}", "{}.0", "\\text{{{}}}")  # the same answer as graders see it


def shard(rng: np.random.Generator, rows: int, samples: int, first_question: int,
          completion_chars=(200, 800)) -> pa.Table:
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
        "completion": random_text(rng, rng.integers(completion_chars[0], completion_chars[1] + 1, rows)),
        "finish_reason": pa.array(np.where(truncated, "length", "stop")),
        "num_output_tokens": pa.array(tokens),
        "two_step_applied": pa.array(forced),
        "correctness_label": pa.array(correct.astype(np.int8)),
        "pred_parsed": pa.array(parsed),
        "extracted_answer": pc.if_else(pa.array(parsed), pa.array(answers), None),
        "grade_status": pa.array(status.astype(str)),
        "grade_detail": pa.nulls(rows, pa.string()),
    })


def write_run(root: Path, rows: int, samples: int, shard_rows: int, fmt: str, completion_chars=(200, 800),
              seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    verified = root / "verified"
    verified.mkdir(parents=True, exist_ok=True)
    shard_rows -= shard_rows % samples
    for index, start in enumerate(range(0, rows, shard_rows), 1):
        table = shard(rng, min(shard_rows, rows - start), samples, start // samples, completion_chars)
        path = verified / f"shard-{index:06d}.verified.{fmt}"
        if fmt == "parquet":
            pq.write_table(table, path)
        else:
            table.to_pandas().to_json(path, orient="records", lines=True, force_ascii=False)
    (verified / "summary.json").write_text(json.dumps({"task": "math", "total": {}}))
    # the manifests generate and label write, so that the report's run metadata has its sources
    names = [f"shard-{i:06d}.{fmt}" for i in range(1, index + 1)]
    (root / "manifest.json").write_text(json.dumps({
        "config": {"model_id": "bench/model", "backend": "vllm", "temperature": 0.6, "top_p": 0.95,
                   "max_tokens": 8192, "num_generations": samples, "two_step": True, "stage2_tokens": 64, "seed": seed,
                   "dataset_id": "bench/data", "dataset_split": "test", "data_mode": "hf"},
        "dataset": {"rows": rows // samples, "fingerprint": "bench"}, "versions": {"gnosis": "bench"},
        "shards": [{"number": i, "file": name, "rows": shard_rows} for i, name in enumerate(names, 1)]}))
    provenance = {"task": "math", "extractor": {"name": "boxed", "plugin": "gnosis-math", "version": "bench"},
                  "grader": {"name": "math-verify", "plugin": "gnosis-math", "version": "bench"},
                  "gold_column": "solution", "timeout": 10.0, "gnosis": "bench"}
    (verified / "manifest.json").write_text(json.dumps({"shards": {name: {"provenance": provenance} for name in names}}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=8, help="completions per question")
    parser.add_argument("--shard_rows", type=int, default=50_000)
    parser.add_argument("--format", choices=("parquet", "jsonl"), default="parquet")
    parser.add_argument("--completion_chars", type=int, nargs=2, default=(200, 800), metavar=("LO", "HI"),
                        help="completion lengths in characters, uniform in [LO, HI]")
    parser.add_argument("--scan", action="store_true",
                        help="also time a pyarrow scan of every column of the same files (the baseline)")
    parser.add_argument("--keep", help="write the run and the report here instead of a temporary folder")
    parser.add_argument("--report_args", default="--by original_source", help="extra flags for gnosis report")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="gnosis-report-bench-") as tmp:
        root = Path(args.keep or tmp)
        start = time.perf_counter()
        write_run(root / "run", args.rows, args.samples, args.shard_rows, args.format, args.completion_chars)
        size = sum(p.stat().st_size for p in (root / "run" / "verified").glob(f"*.{args.format}"))
        print(f"wrote {args.rows:,} verified rows ({size / 2**20:,.0f} MiB of {args.format}, "
              f"{args.samples} per question, completions of {args.completion_chars[0]:,}-"
              f"{args.completion_chars[1]:,} characters) in {time.perf_counter() - start:.1f} s")
        report = run_child([sys.executable, "-m", "gnosis_core.cli", "report", str(root / "run"),
                            "--out", str(root / "report"), *args.report_args.split()])
        seconds, cpu, peak = report.seconds, report.cpu, report.peak
        plots = len(list((root / "report").glob("*.png")))
        samples_page = root / "report" / "samples.html"
        browser = f", samples.html {samples_page.stat().st_size / 2**20:.1f} MiB" if samples_page.exists() else ""
        print(f"report: {args.rows:,} rows ({size / 2**20:,.0f} MiB input) in {seconds:.1f} s "
              f"({args.rows / seconds:,.0f} rows/s; {cpu:.1f} s CPU), {plots} plots{browser}, peak RSS {gib(peak)} "
              f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
        if args.scan:
            base = scan(sorted((root / "run" / "verified").glob(f"*.{args.format}")))
            print(f"scan baseline: pyarrow read every column of {size / 2**20:,.0f} MiB in {base.seconds:.1f} s "
                  f"(CPU {base.cpu:.1f} s), peak RSS {gib(base.peak)}")


if __name__ == "__main__":
    main()
