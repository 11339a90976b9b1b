"""Trivia labelling speed: rows graded per CPU-second, in process and through `gnosis run
--stage label`, on rows drawn from tests/forms_trivia.py (every rule's path: right answers,
near misses, restated topics) with TriviaQA-sized golds (a dozen aliases each).

    python bench/trivia_label_speed.py [--rows 20000] [--label_rows 20000]

Runs whatever gnosis PYTHONPATH points at, so the same script times two checkouts.
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

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import forms_trivia  # noqa: E402

REASONING = "<think>\n" + "I recall the question's facts and compare a few candidates. " * 30 + "\n</think>\n\n"
REDIRECTS = ["{x} (disambiguation)", "The {x}", "{x}, the", "List of {x}", "{x} (film)", "{x} family",
             "History of {x}", "{x} museum", "{x}s", "Saint {x}"]


def _with_redirects(gold, rng: random.Random):
    """A TriviaQA-sized gold: the dict with a dozen more (lower-cased too) redirects."""
    if not isinstance(gold, dict):
        return gold
    extra = [r.format(x=gold["value"]) for r in rng.sample(REDIRECTS, 6)]
    aliases = gold["aliases"] + extra
    return {**gold, "aliases": aliases, "normalized_aliases": [a.lower() for a in aliases]}


def synthetic_rows(n_rows: int, seed: int = 0) -> list[dict]:
    rng = random.Random(seed)
    draws = list(forms_trivia.classes().values())
    rows = []
    while len(rows) < n_rows:
        for case in rng.choice(draws)(rng):
            completion = case["completion"]
            if "</think>" not in completion:
                completion = REASONING + completion
            rows.append({"question": case["question"], "completion": completion,
                         "answer": _with_redirects(case["gold"], rng)})
    return rows[:n_rows]


def in_process(rows: list[dict]) -> float:
    """Rows per CPU-second of grade_row, the label stage's per-row call, in this process."""
    from gnosis_core import registry
    from gnosis_core.grading_pool import Rules, grade_row

    task = registry.get_task("trivia")
    extract = registry.resolve("extractors", task.extractor)
    grade = registry.resolve("graders", task.grader)
    rules = Rules(task.extractor, task.grader, task.gold_column, 10.0)
    start = time.process_time()
    for row in rows:
        grade_row(row, extract, grade, rules)
    return len(rows) / (time.process_time() - start)


def label_stage(rows: list[dict]) -> tuple[float, float]:
    """(rows/s, rows per CPU-second of the label run and its workers), --workers 1."""
    with tempfile.TemporaryDirectory() as tmp:
        # The gold column as generate writes it: strings stay strings, dicts and lists JSON.
        table = [{**r, "answer": r["answer"] if isinstance(r["answer"], str) else
                  __import__("json").dumps(r["answer"])} for r in rows]
        pq.write_table(pa.Table.from_pylist(table), Path(tmp) / "shard-000001.parquet")
        before, start = os.times(), time.perf_counter()
        subprocess.run([sys.executable, "-m", "gnosis_core.cli", "run", "--task", "trivia",
                        "--stage", "label", "--save_dir", tmp, "--workers", "1",
                        "--progress", "false"], check=True, stdout=subprocess.DEVNULL)
        wall, after = time.perf_counter() - start, os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return len(rows) / wall, len(rows) / cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000, help="rows graded in process")
    parser.add_argument("--label_rows", type=int, default=20_000,
                        help="rows labelled by `gnosis run --stage label` (0: skip)")
    args = parser.parse_args()
    rows = synthetic_rows(max(args.rows, args.label_rows))
    print(f"grade_row in process: {in_process(rows[:args.rows]):9.0f} rows per CPU-second "
          f"({args.rows} rows)")
    if args.label_rows:
        rate, per_cpu = label_stage(rows[:args.label_rows])
        print(f"gnosis label --workers 1: {rate:9.0f} rows/s, {per_cpu:9.0f} rows per CPU-second "
              f"({args.label_rows} rows incl. start-up)")


if __name__ == "__main__":
    main()
