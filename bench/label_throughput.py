"""Label throughput on synthetic math rows: rows/s and peak memory, beside a plain loop and a scan.

    python bench/label_throughput.py [--rows 10000] [--completion_chars 3000 3400] [--workers 1 2]
                                     [--shard_rows N] [--baseline_rows 1000] [--keep DIR]

Run time on 2 busy cores: about 5 minutes with the defaults (the plain loop times 1,000 rows, then
label runs twice over 10,000 at 70-150 rows/s); `--rows 2000 --baseline_rows 200` takes about 1 minute.

Makes ROWS rows (four completions per question: LO to HI characters of reasoning, then a boxed
answer) in Parquet shards, then prints the input bytes and a pyarrow scan of the files (reading
them once), rows/s of the plain loop (math-verify's parse and verify on every row in one
process), and rows/s and peak RSS (the largest of the label process and its grading workers)
of `gnosis run --stage label` for each --workers count, also per CPU-second of the label process
and its workers (steady under a busy machine).
"""
import argparse
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


def shard(rng: np.random.Generator, rows: int, first_question: int, chars: tuple[int, int]) -> pa.Table:
    questions = rows // 4 + 1
    question = np.repeat(np.arange(questions), 4)[:rows]
    a, b = rng.integers(2, 99, questions), rng.integers(2, 99, questions)
    kind = rng.integers(0, 3, questions)
    gold = [(f"{x * y}", f"\\frac{{{x}}}{{{y}}}", f"{x}\\sqrt{{{y}}}")[k] for x, y, k in zip(a, b, kind)]
    sample = np.tile(np.arange(4), questions)[:rows]
    predicted = [gold[q] if s % 2 == 0 else f"{a[q] * b[q] + s}" for q, s in zip(question, sample)]
    ending = pa.array([f"\n</think>\n\nSo the result is $\\boxed{{{p}}}$." for p in predicted])
    return pa.table({
        "question": pa.array([f"Question {first_question + q}: compute it." for q in question]),
        "solution": pa.array(gold).take(pa.array(question)),
        "completion": pc.binary_join_element_wise(
            "<think>\n", random_text(rng, rng.integers(chars[0], chars[1], rows)), ending, ""),
    })


def write_shards(root: Path, rows: int, shard_rows: int, chars: tuple[int, int], seed: int = 0) -> list[Path]:
    rng = np.random.default_rng(seed)
    paths = []
    for index, start in enumerate(range(0, rows, shard_rows), 1):
        paths.append(root / f"shard-{index:06d}.parquet")
        pq.write_table(shard(rng, min(shard_rows, rows - start), start // 4, chars), paths[-1])
    return paths


def plain_loop(rows: list[dict]) -> float:
    from math_verify import parse, verify

    start = time.perf_counter()
    for row in rows:
        verify(parse(f"${row['solution']}$"), parse(row["completion"]))
    return len(rows) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--completion_chars", type=int, nargs=2, default=(3000, 3400), metavar=("LO", "HI"))
    parser.add_argument("--workers", type=int, nargs="+", help="grading processes per run (default: 1 and every core)")
    parser.add_argument("--shard_rows", type=int, help="rows per shard (default: 4,000, generate's 500 questions x 8)")
    parser.add_argument("--baseline_rows", type=int, default=1_000,
                        help="rows timed for the plain loop (it is slow; rows/s is per row anyway)")
    parser.add_argument("--keep", help="write the shards here instead of a temporary folder")
    args = parser.parse_args()
    chars = tuple(args.completion_chars)
    with tempfile.TemporaryDirectory(prefix="gnosis-label-bench-") as tmp:
        root = Path(args.keep or tmp)
        root.mkdir(parents=True, exist_ok=True)
        paths = write_shards(root, args.rows, args.shard_rows or 4_000, chars)
        size = sum(p.stat().st_size for p in paths)
        print(f"wrote {args.rows:,} rows, completions of {chars[0]:,} to {chars[1]:,} characters, in {len(paths)} "
              f"shards: {size:,} bytes ({size / 2**30:.2f} GiB) of parquet")
        base = scan(paths)
        print(f"scan: {args.rows / base.seconds:10,.1f} rows/s  {base.seconds:7.1f} s  CPU {base.cpu:7.1f} s  "
              f"peak RSS {gib(base.peak)}")
        baseline = None
        if args.baseline_rows:
            baseline = plain_loop(pq.read_table(paths[0]).slice(0, args.baseline_rows).to_pylist())
            print(f"plain loop (parse+verify per row, 1 process): {baseline:10,.1f} rows/s")
        for workers in args.workers or sorted({1, os.cpu_count() or 1}):
            label = run_child([sys.executable, "-m", "gnosis_core.cli", "run", "--task", "math", "--stage",
                                       "label", "--save_dir", str(root), "--workers", str(workers),
                                       "--progress", "false", "--overwrite"])
            rate = args.rows / label.seconds
            print(f"gnosis label --workers {workers}: {rate:10,.1f} rows/s  {label.seconds:7.1f} s  "
                  f"{args.rows / label.cpu:8,.1f} rows per CPU-second  peak RSS {gib(label.peak)}  "
                  f"({args.rows:,} rows incl. start-up" + (f", {rate / baseline:.1f}x the plain loop)" if baseline else ")"))


if __name__ == "__main__":
    main()
