"""What one long completion costs each task's extractor and grader: ms per row by shape and size.

    python bench/grader_long_replies.py [--sizes 5000 10000 20000 40000] [--tasks math,dapo,trivia,mmlu_pro]

Run time on 2 busy cores: about a minute with the defaults.

Real completions are 20-30 KB, and a reply without reasoning markup (or a model that puts its
reasoning in the open) gives the extractor all of it. For each task this builds completions of
each size in several shapes: prose reasoning with tentative answers and a final one, the same on
one line, thousands of short lines, and runs that make a regular expression try every split of
them if two of its quantifiers can share a run (spaces after a full stop, a line of underscores
or asterisks, one answer statement repeated along a line). It grades each through the label
stage's own path (``grading_pool.grade_row``, with the per-row time limit) and prints the best of
three in ms (marked * where the row is graded timed_out), and the growth from the second size to the last: about that size ratio is linear,
far more is a row that will time out on longer text (the limit is 5 s of CPU by default).

The graders come from whatever is on PYTHONPATH, so the same shapes time other code too (see
bench/grading_properties.py).
"""
from __future__ import annotations

import argparse
import random
import time

from gnosis_core import limits, registry
from gnosis_core.grading_pool import Rules, grade_row

OPTIONS = "\n".join(f"{letter}. {text}" for letter, text in zip(
    "ABCDEFGHIJ", ["Photon", "Gluon", "W boson", "Z boson", "Graviton", "Higgs boson", "Electron", "Muon",
                   "Neutrino", "Pion"]))
TASKS = {  # question, gold, a tentative answer, the final answer
    "math": ("Compute 3/6 in lowest terms.", r"\frac{1}{2}", r"$\boxed{{{n}}}$", r"So the answer is $\boxed{\frac{1}{2}}$."),
    "dapo": ("How many integers n < 100 have ...?", "42", "Answer: {n} would follow if it held", "Answer: 42"),
    "trivia": ("Which city hosted the 1924 Summer Olympics?", "Paris", "maybe the answer is Antwerp {n}",
               "So the final answer is Paris."),
    "mmlu_pro": ("Which particle carries the strong force?\n" + OPTIONS, "B", "maybe the answer is (D)",
                 "The answer is (B)."),
}
SAME_GRADER = {"gpqa": "mmlu_pro"}  # tasks that share another's grader, timed on its replies
REASONING = ["Let me consider the case x = {n}, so that x^2 + {n}x is even.",
             "Wait, that does not look right, so let me double-check the previous step.",
             "Hmm, {tentative}, but I should verify this with a second approach.",
             "- **Step {n}:** multiply both sides by $(x - {n})$ and expand (carefully).",
             "Option {letter} says something else; it is incorrect because of the units.",
             "On 20 July {year}, Paavo Nurmi met Harold Abrahams in Amsterdam."]


def prose(task: str, size: int) -> str:
    rng, tentative = random.Random(0), TASKS[SAME_GRADER.get(task, task)][2]
    out: list[str] = []
    while sum(map(len, out)) < size:
        n = rng.randrange(2, 99)
        out.append(" ".join(rng.choice(REASONING).format(n=n, tentative=tentative.format(n=n),
                                                        letter=rng.choice("ACDEFGHIJ"), year=1890 + n)
                            for _ in range(rng.randrange(2, 6))))
    return "\n\n".join(out)


def shapes(task: str, size: int) -> dict[str, str]:
    final = TASKS[SAME_GRADER.get(task, task)][3]
    return {
        "prose": prose(task, size) + "\n\n" + final,
        "after </think>": "<think>\n" + prose(task, size) + "\n</think>\n\n" + prose(task, size // 4) + "\n\n" + final,
        "one line": prose(task, size).replace("\n", " ") + " " + final,
        "short lines": "\n".join(["x = 3", "ok", "-", "**", "A.", "(1)"] * (size // 20)) + "\n" + final,
        "spaces after a stop": prose(task, size // 2) + "." + " " * (size // 2) + final,
        "a line of underscores": prose(task, size // 2) + "\n\n" + "_" * (size // 50) + "\n\n" + final,
        "a line of asterisks": prose(task, size // 2) + "\n\n" + "*" * (size // 50) + "\n\n**" + final + "**",
        "statements on one line": (final.replace("\n", " ") + " ") * (size // (len(final) + 1)),
    }


def time_row(task: str, completion: str) -> str:
    spec = registry.get_task(task)
    extract, grade = registry.resolve("extractors", spec.extractor), registry.resolve("graders", spec.grader)
    rules = Rules(spec.extractor, spec.grader, spec.gold_column, limits.row_timeout_s())
    question, gold = TASKS[SAME_GRADER.get(task, task)][:2]
    row = {"question": question, "completion": completion, spec.gold_column: gold}
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        status = grade_row(row, extract, grade, rules).status
        best = min(best, time.perf_counter() - start)
    return f"{best * 1000:.1f}" + ("*" if status == "timed_out" else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[5_000, 10_000, 20_000, 40_000])
    parser.add_argument("--tasks", default=",".join(TASKS))
    args = parser.parse_args()
    base = 1 if len(args.sizes) > 2 else 0  # (the smallest size is the noisiest)
    print(f"ms per row (best of 3) at {', '.join(f'{s:,}' for s in args.sizes)} characters; "
          f"growth = last / {'second' if base else 'first'} (linear: {args.sizes[-1] / args.sizes[base]:.0f}x); "
          "* = graded timed_out (over the time limit, or an answer the cost guards reject)")
    for task in args.tasks.split(","):
        print(f"\n{task}")
        for shape in shapes(task, args.sizes[0]):
            times = [time_row(task, shapes(task, size)[shape]) for size in args.sizes]
            numbers = [float(t.rstrip("*")) for t in times]
            growth = f"{numbers[-1] / max(numbers[base], 0.01):.1f}x"
            print(f"  {shape:24}" + "".join(f"{t:>11}" for t in times) + f"{growth:>9}")


if __name__ == "__main__":
    main()
