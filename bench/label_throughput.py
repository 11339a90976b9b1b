"""Label throughput on synthetic math rows: gnosis's label stage against a plain loop.

    python bench/label_throughput.py [--rows 10000] [--baseline_rows 1000]

Makes ROWS rows (four ~3k-character reasoning completions per question), then prints
rows/s for the plain loop (math-verify's parse and verify on every row in one process),
and for `gnosis run --stage label` with --workers 1 and with every core, each also per
CPU-second of the label process and its workers (steady under a busy machine).
"""
import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

FILLER = ("We consider the expression carefully and simplify each term, checking the arithmetic "
          "twice because an off-by-one error is easy to make here. ")


def synthetic_rows(n_rows: int, seed: int = 0) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for q in range(n_rows // 4):
        a, b = rng.randint(2, 99), rng.randint(2, 99)
        gold = rng.choice([f"{a * b}", f"\\frac{{{a}}}{{{b}}}", f"{a}\\sqrt{{{b}}}"])
        for s in range(4):
            pred = gold if s % 2 == 0 else f"{a * b + s}"
            reasoning = FILLER * 24
            rows.append({"question": f"Question {q}: compute it.", "solution": gold,
                         "completion": f"<think>\n{reasoning}\n</think>\n\nSo the result is $\\boxed{{{pred}}}$."})
    return rows


def plain_loop(rows: list[dict]) -> float:
    from math_verify import parse, verify

    start = time.perf_counter()
    for row in rows:
        verify(parse(f"${row['solution']}$"), parse(row["completion"]))
    return len(rows) / (time.perf_counter() - start)


def gnosis_label(save_dir: Path, workers: int, n_rows: int) -> tuple[float, float]:
    """rows/s of wall time, and rows per CPU-second of the label process and its workers
    (the number that does not depend on how busy the machine is)."""
    start, cpu_before = time.perf_counter(), os.times()
    subprocess.run([sys.executable, "-m", "gnosis_core.cli", "run", "--task", "math", "--stage", "label",
                    "--save_dir", str(save_dir), "--workers", str(workers), "--progress", "false",
                    "--overwrite", "true"], check=True, stdout=subprocess.DEVNULL)
    cpu_after = os.times()
    cpu = (cpu_after.children_user - cpu_before.children_user) + (cpu_after.children_system - cpu_before.children_system)
    return n_rows / (time.perf_counter() - start), n_rows / cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--baseline_rows", type=int, default=1_000,
                        help="rows timed for the plain loop (it is slow; rows/s is per row anyway)")
    args = parser.parse_args()
    rows = synthetic_rows(args.rows)
    with tempfile.TemporaryDirectory() as tmp:
        pq.write_table(pa.Table.from_pylist(rows), Path(tmp) / "shard-000001.parquet")
        baseline = plain_loop(rows[: args.baseline_rows])
        print(f"plain loop (parse+verify per row, 1 process): {baseline:8.1f} rows/s")
        cores = os.cpu_count() or 1
        for workers in sorted({1, cores}):
            rate, per_cpu = gnosis_label(Path(tmp), workers, len(rows))
            print(f"gnosis label --workers {workers}: {rate:8.1f} rows/s  ({rate / baseline:.1f}x the plain loop, "
                  f"{len(rows)} rows incl. start-up), {per_cpu:8.1f} rows per CPU-second")


if __name__ == "__main__":
    main()
