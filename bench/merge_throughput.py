"""Merge throughput on synthetic verified shards: rows/s and peak memory, beside a plain scan.

    python bench/merge_throughput.py [--rows 1000000] [--completion_chars 8000 24000] [--shard_rows N]
                                     [--format jsonl] [--keep DIR] [--merge_args '--mixed_strategy upsample']

Run time on 2 busy cores: about 1 minute with the defaults, most of it writing the synthetic
shards (`--rows 100000`: 12 s).

Writes ROWS verified rows as Parquet (or JSONL) shards for three tasks (trivia with TriviaQA-style
answer dicts, math with worked solutions, science with letters), 4 to 8 completions per
question of LO to HI characters (default 200 to 800), then runs `gnosis run --stage merge` on
them in a child process and prints the input bytes, rows/s, seconds and the child's peak RSS,
and the same for a pyarrow scan of the same files (reading them once: the floor). Both start
with the inputs out of the page cache; the scan's time from the cache is printed too.
"""
import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from measure import gib, run_child, scan

TASKS = ("trivia", "math", "science")
ALPHABET = np.frombuffer(b"abcdefghijklmnopqrstuvwxyz      ,.0123456789", np.uint8)


def random_text(rng: np.random.Generator, lengths: np.ndarray) -> pa.Array:
    """Strings of the given lengths, built as one Arrow buffer (no Python loop per row)."""
    data = ALPHABET[rng.integers(0, len(ALPHABET), int(lengths.sum()), np.uint8)]
    offsets = np.r_[0, np.cumsum(lengths)].astype(np.int32)
    return pa.StringArray.from_buffers(len(lengths), pa.py_buffer(offsets), pa.py_buffer(data))


def shard(rng: np.random.Generator, task: str, rows: int, first_question: int,
          chars: tuple[int, int] = (200, 800)) -> tuple[pa.Table, int]:
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
        "completion": random_text(rng, rng.integers(chars[0], chars[1], rows)),
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


def write_inputs(root: Path, rows: int, shard_rows: int, fmt: str, chars: tuple[int, int] = (200, 800),
                 seed: int = 0) -> list[str]:
    rng = np.random.default_rng(seed)
    inputs = []
    for t, task in enumerate(TASKS):
        task_rows = rows // len(TASKS) + (t < rows % len(TASKS))
        verified = root / task / "verified"
        verified.mkdir(parents=True, exist_ok=True)
        first_question = 0
        for index, start in enumerate(range(0, task_rows, shard_rows), 1):
            table, questions = shard(rng, task, min(shard_rows, task_rows - start), first_question, chars)
            first_question += questions
            path = verified / f"shard-{index:06d}.verified.{fmt}"
            if fmt == "parquet":
                pq.write_table(table, path)
            else:
                table.to_pandas().to_json(path, orient="records", lines=True, force_ascii=False)
            os.link(path, root / task / f"shard-{index:06d}.{fmt}")  # the seed's merge needs the source shard
        inputs.append(f"{task}={root / task}")
    return inputs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--completion_chars", type=int, nargs=2, default=(200, 800), metavar=("LO", "HI"))
    parser.add_argument("--shard_rows", type=int, help="rows per shard (default: 50,000, fewer for long rows)")
    parser.add_argument("--format", choices=("parquet", "jsonl"), default="parquet")
    parser.add_argument("--keep", help="write the shards and the output here instead of a temporary folder")
    parser.add_argument("--reuse", action="store_true",
                        help="merge the shards an earlier run left in --keep (same --rows and --completion_chars)")
    parser.add_argument("--merge_args", default="", help="extra flags for the merge, e.g. '--mixed_strategy upsample'")
    args = parser.parse_args()
    chars = tuple(args.completion_chars)
    # a shard of about 256 MB of completions (an int32 offset holds under 2 GiB of text)
    shard_rows = args.shard_rows or int(np.clip((256 << 20) // sum(chars) * 2, 1_000, 50_000))

    with tempfile.TemporaryDirectory(prefix="gnosis-merge-bench-") as tmp:
        root = Path(args.keep or tmp)
        start = time.perf_counter()
        if args.reuse:
            inputs = [f"{task}={root / task}" for task in TASKS]
        else:
            inputs = write_inputs(root, args.rows, shard_rows, args.format, chars)
        files = sorted(root.glob(f"*/verified/*.{args.format}"))
        size = sum(p.stat().st_size for p in files)
        print(f"{'reused' if args.reuse else 'wrote'} {args.rows:,} verified rows, completions of {chars[0]:,} to {chars[1]:,} characters, in "
              f"{len(files)} shards: {size:,} bytes ({size / 2**30:.2f} GiB) of {args.format}, "
              f"in {time.perf_counter() - start:.1f} s")
        # both timed runs start with the inputs on disk, not in the page cache, as a merge of
        # files written hours before does (and as 15 GB on a 24 GB machine is); a warm scan beside
        scan(files)
        warm = scan(files)
        out_of_cache(files)
        base = scan(files)
        print(f"scan:  {args.rows:,} rows in {base.seconds:.1f} s ({args.rows / base.seconds:,.0f} rows/s, "
              f"{size / base.seconds / 2**20:,.0f} MiB/s), CPU {base.cpu:.1f} s, peak RSS {gib(base.peak)}; "
              f"from the page cache: {warm.seconds:.1f} s")
        shutil.rmtree(root / "out", ignore_errors=True)
        out_of_cache(files)
        merge = run_child([sys.executable, "-m", "gnosis_core.cli", "run", "--stage", "merge",
                                   "--inputs", ",".join(inputs), "--out_dir", str(root / "out"),
                                   *args.merge_args.split()])
        output = root / "out" / "merged_balanced.parquet"
        print(f"merge: {args.rows:,} rows -> {pq.read_metadata(output).num_rows:,} rows "
              f"({output.stat().st_size / 2**30:.2f} GiB) in {merge.seconds:.1f} s ({args.rows / merge.seconds:,.0f} "
              f"rows/s), CPU {merge.cpu:.1f} s, peak RSS {gib(merge.peak)}; {merge.seconds / base.seconds:.2f}x the "
              f"scan's time ({merge.seconds / warm.seconds:.2f}x the cached scan's), {merge.cpu / base.cpu:.2f}x its CPU")


def out_of_cache(paths: list[Path]) -> None:
    """Drop the files' pages from the page cache (no root needed: they are clean)."""
    for path in paths:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


if __name__ == "__main__":
    main()
