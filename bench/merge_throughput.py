"""Merge throughput on synthetic verified shards: rows/s and peak memory.

    python bench/merge_throughput.py [--rows 1000000] [--shard_rows 50000] [--format jsonl] [--keep DIR]

Run time on 2 busy cores: about 1 minute with the defaults, most of it writing the synthetic
shards (`--rows 100000`: 12 s).

Writes ROWS verified rows as Parquet (or JSONL) shards for three tasks (trivia with TriviaQA-style
answer dicts, math with worked solutions, science with letters), 4 to 8 completions per
question of 200 to 800 characters, then runs `gnosis run --stage merge` on them in a child
process and prints input rows/s, seconds and the child's peak RSS.
"""
import argparse
import os
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

TASKS = ("trivia", "math", "science")
ALPHABET = np.frombuffer(b"abcdefghijklmnopqrstuvwxyz      ,.0123456789", np.uint8)


def random_text(rng: np.random.Generator, lengths: np.ndarray) -> pa.Array:
    """Strings of the given lengths, built as one Arrow buffer (no Python loop per row)."""
    data = ALPHABET[rng.integers(0, len(ALPHABET), int(lengths.sum()))]
    offsets = np.r_[0, np.cumsum(lengths)].astype(np.int32)
    return pa.StringArray.from_buffers(len(lengths), pa.py_buffer(offsets), pa.py_buffer(data))


def shard(rng: np.random.Generator, task: str, rows: int, first_question: int) -> tuple[pa.Table, int]:
    per_question = rng.integers(4, 9, rows // 4 + 1)
    question_of_row = np.repeat(np.arange(len(per_question)), per_question)[:rows]
    questions = len(np.unique(question_of_row))
    q_text = pc.binary_join_element_wise(
        pa.array([f"{task}-{first_question + i}: " for i in range(questions)]),
        random_text(rng, rng.integers(150, 400, questions)), "")
    take = pa.array(question_of_row)
    skill = rng.random(questions)  # each question's chance of a correct completion
    label = (rng.random(rows) < skill[question_of_row]).astype(np.int8)
    parsed = rng.random(rows) > 0.05
    gold = [str(int(v)) for v in rng.integers(0, 1000, questions)]
    columns = {  # the columns generate and label write
        "question": q_text.take(take),
        "original_source": pa.array([task] * rows),
        "completion": random_text(rng, rng.integers(200, 800, rows)),
        "finish_reason": pa.array(["stop"] * rows),
        "num_output_tokens": pa.array(rng.integers(50, 4000, rows)),
        "two_step_applied": pa.array(rng.random(rows) < 0.1),
        "correctness_label": pa.array(label * parsed, pa.int8()),
        "pred_parsed": pa.array(parsed),
        "extracted_answer": pc.if_else(pa.array(parsed), pa.array(gold).take(take), None),
    }
    if task == "trivia":
        answers = [{"value": g, "aliases": [g, f"{g}s"], "normalized_value": g} for g in gold]
        columns["answer"] = pa.array(answers).take(take)
        columns["solution"] = pa.nulls(rows, pa.string())
    elif task == "math":
        columns["answer"] = pa.nulls(rows, pa.string())
        columns["solution"] = pa.array([f"Worked solution ... so the answer is \\boxed{{{g}}}." for g in gold]).take(take)
    else:
        columns["answer"] = pa.array([chr(65 + int(g) % 4) for g in gold]).take(take)
        columns["solution"] = pa.nulls(rows, pa.string())
    return pa.table(columns), questions


def write_inputs(root: Path, rows: int, shard_rows: int, fmt: str, seed: int = 0) -> list[str]:
    rng = np.random.default_rng(seed)
    inputs = []
    for t, task in enumerate(TASKS):
        task_rows = rows // len(TASKS) + (t < rows % len(TASKS))
        verified = root / task / "verified"
        verified.mkdir(parents=True, exist_ok=True)
        first_question = 0
        for index, start in enumerate(range(0, task_rows, shard_rows), 1):
            table, questions = shard(rng, task, min(shard_rows, task_rows - start), first_question)
            first_question += questions
            path = verified / f"shard-{index:06d}.verified.{fmt}"
            if fmt == "parquet":
                pq.write_table(table, path)
            else:
                table.to_pandas().to_json(path, orient="records", lines=True, force_ascii=False)
            os.link(path, root / task / f"shard-{index:06d}.{fmt}")  # merge reads labels of shards still there
        inputs.append(f"{task}={root / task}")
    return inputs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--shard_rows", type=int, default=50_000)
    parser.add_argument("--format", choices=("parquet", "jsonl"), default="parquet")
    parser.add_argument("--keep", help="write the shards and the output here instead of a temporary folder")
    parser.add_argument("--merge_args", default="", help="extra flags for the merge, e.g. '--mixed_strategy upsample'")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="gnosis-merge-bench-") as tmp:
        root = Path(args.keep or tmp)
        start = time.perf_counter()
        inputs = write_inputs(root, args.rows, args.shard_rows, args.format)
        size = sum(p.stat().st_size for p in root.glob(f"*/verified/*.{args.format}"))
        print(f"wrote {args.rows:,} verified rows ({size / 2**20:,.0f} MiB of {args.format}) "
              f"in {time.perf_counter() - start:.1f} s")
        command = [sys.executable, "-m", "gnosis_core.cli", "run", "--stage", "merge",
                   "--inputs", ",".join(inputs), "--out_dir", str(root / "out"), *args.merge_args.split()]
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # kilobytes on Linux
        out_rows = pq.read_metadata(root / "out" / "merged_balanced.parquet").num_rows
        print(f"merge: {args.rows:,} rows -> {out_rows:,} rows in {seconds:.1f} s "
              f"({args.rows / seconds:,.0f} rows/s), peak RSS {peak / 2**30:.2f} GiB")


if __name__ == "__main__":
    main()
