"""What adversarial math completions cost the label stage.

    python bench/label_adversarial.py [--rows 1000] [--adversarial 100] [--repeat 2]

Run time on 2 busy cores: about 2 minutes with the defaults (`--rows 200 --adversarial 20
--repeat 1`: 25 s).

Labels ROWS ordinary math rows alone, then the same rows plus ADVERSARIAL ones (power
towers, factorial chains, a 200,000-character box, 5,000 unbalanced braces, 20,000 boxes,
200-deep nested fractions), each with `gnosis run --task math --stage label` on every core,
and prints both times (best of REPEAT) and their ratio; the goal is under 1.5x. Then it
grades every adversarial row in this process and prints the slowest, against the per-row
limit (`--timeout`, 5 s by default).
"""
import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from label_throughput import synthetic_rows


def adversarial_completion(i: int) -> str:
    """One of six kinds of pathological final answer, varied by ``i`` so that no two rows
    are the same text (a cache does not hide the cost)."""
    n = 5 + i % 5
    kinds = [
        lambda: f"$\\boxed{{{n}^{{{n}^{{{n}^{{{n}}}}}}}}}$",                 # power tower
        lambda: f"$\\boxed{{(({n}!)!)!}}$",                                 # factorial chain
        lambda: f"$\\boxed{{{str(n) * 200_000}}}$",                         # a 200,000-character box
        lambda: f"$\\boxed{{{n}" + "{" * 5_000 + "$",                      # 5,000 unbalanced braces
        lambda: " ".join(f"$\\boxed{{{n * k}}}$" for k in range(20_000)),    # 20,000 boxes
        lambda: "$\\boxed{" + "\\frac{1}{" * 200 + str(n) + "}" * 201 + "$",  # 200-deep fractions
    ]
    return f"<think>\nA long derivation.\n</think>\n\nSo the answer is {kinds[i % len(kinds)]()}"


def adversarial_rows(count: int) -> list[dict]:
    return [{"question": f"Adversarial {i}", "solution": str(7 + i),
             "completion": adversarial_completion(i)} for i in range(count)]


def label_seconds(save_dir: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "gnosis_core.cli", "run", "--task", "math", "--stage", "label",
                    "--save_dir", str(save_dir), "--progress", "false"],
                   check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def slowest_row(rows: list[dict]) -> tuple[float, str]:
    """The longest one row takes through the math extractor and grader here, after the
    first row (which pays for importing math-verify and sympy)."""
    from gnosis_core import plugins
    from gnosis_core.registry import get_task

    task = get_task("math")
    found = plugins.components()
    extract, grade = found.get("extractors", task.extractor), found.get("graders", task.grader)
    worst = (0.0, "")
    for number, row in enumerate(rows):
        start = time.perf_counter()
        try:
            prediction = extract(row["completion"], row)
            outcome = "no answer" if prediction is None else f"graded {grade(prediction, row['solution'], row)}"
        except Exception as exc:
            outcome = f"{type(exc).__name__}: {exc}"
        if number:
            worst = max(worst, (time.perf_counter() - start, f"{row['question']}: {outcome}"))
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000)
    parser.add_argument("--adversarial", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=2, help="runs of each; the best is kept")
    args = parser.parse_args()
    ordinary, adversarial = synthetic_rows(args.rows), adversarial_rows(args.adversarial)
    with tempfile.TemporaryDirectory() as tmp:
        alone, mixed = Path(tmp) / "ordinary", Path(tmp) / "mixed"
        for folder, rows in ((alone, ordinary), (mixed, ordinary + adversarial)):
            folder.mkdir()
            pq.write_table(pa.Table.from_pylist(rows), folder / "shard-000001.parquet")
        base = min(label_seconds(alone) for _ in range(args.repeat))
        with_bad = min(label_seconds(mixed) for _ in range(args.repeat))
    print(f"{len(ordinary)} ordinary rows:                   {base:6.2f} s")
    print(f"{len(ordinary)} ordinary + {len(adversarial)} adversarial rows:  {with_bad:6.2f} s")
    print(f"ratio: {with_bad / base:.2f}x (goal < 1.5x)")
    seconds, which = slowest_row(ordinary[:1] + adversarial)
    print(f"slowest adversarial row, in one process: {seconds:.3f} s ({which[:120]})")


if __name__ == "__main__":
    main()
