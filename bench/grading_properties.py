"""Generated equivalence cases at scale: false positives and false negatives per class.

    python bench/grading_properties.py [--n 2000] [--seed 0] [--tasks math,trivia] [--forms 5]

Runs every ``tests/forms_*.py`` (each names its task in ``TASK`` and its classes in
``classes()``): draws golds from each class with ``random.Random(seed)`` until it has N cases
per class, grades each case through the task's registered extractor and grader as the label
stage does (``grading_pool.grade_row``, through tests/form_tally.py), and prints per class the cases, expected-correct and
expected-wrong counts, FP (expected 0, graded 1), FN (expected 1, graded 0), then totals and
rows/s. ``--forms K`` also lists the K surface forms with the most errors of each class.

The graders come from whatever is on PYTHONPATH, so the same cases grade other code too:

    PYTHONPATH=/path/to/other/checkout:/path/to/other/checkout/plugins/gnosis-math:... \\
        python bench/grading_properties.py --n 2000 --seed 0

Expected run time: about 2-5 minutes for --n 2000 on one core (math cases take 1-10 ms each;
the grader caches repeated (gold, answer) pairs); --n 200 takes well under a minute.
"""
from __future__ import annotations

import argparse
import importlib.util
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent / "tests"


def form_modules(tasks: list[str] | None = None) -> list:
    """Every tests/forms_*.py, imported (optionally only those of ``tasks``)."""
    modules = []
    if str(TESTS) not in sys.path:  # a forms module may import another (forms_dapo: forms_math)
        sys.path.insert(0, str(TESTS))
    for path in sorted(TESTS.glob("forms_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        if not tasks or module.TASK in tasks:
            modules.append(module)
    return modules


def draw_cases(make, rng: random.Random, n: int) -> list[dict]:
    cases: list[dict] = []
    while len(cases) < n:
        cases += make(rng)
    return cases[:n]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="cases per class")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--tasks", default="", help="comma-separated tasks (default: every forms_*.py)")
    parser.add_argument("--forms", type=int, default=0, help="list the K worst surface forms per class")
    args = parser.parse_args()
    tasks = [t for t in args.tasks.split(",") if t]
    print(f"{'task':8} {'class':30} {'cases':>6} {'exp1':>6} {'exp0':>6} {'FP':>6} {'FN':>6}")
    totals = Counter()
    worst: dict[tuple, Counter] = defaultdict(Counter)
    started = time.perf_counter()
    for module in form_modules(tasks):
        from form_tally import labeller  # tests/ is on sys.path now

        grade = labeller(module.TASK)
        for name, make in module.classes().items():
            rng = random.Random(f"{args.seed}-{module.TASK}-{name}")
            count = Counter()
            for case in draw_cases(make, rng, args.n):
                got = grade(case)
                count["cases"] += 1
                count[f"exp{case['expected']}"] += 1
                if got != case["expected"]:
                    kind = "FP" if got else "FN"
                    count[kind] += 1
                    worst[(module.TASK, name)][f"{kind} {case['form']}"] += 1
            totals.update(count)
            print(f"{module.TASK:8} {name:30} {count['cases']:6} {count['exp1']:6} {count['exp0']:6} "
                  f"{count['FP']:6} {count['FN']:6}", flush=True)
            for form, k in worst[(module.TASK, name)].most_common(args.forms):
                print(f"{'':10}{k:6}  {form}")
    seconds = time.perf_counter() - started
    print(f"{'total':39} {totals['cases']:6} {totals['exp1']:6} {totals['exp0']:6} {totals['FP']:6} {totals['FN']:6}")
    print(f"{totals['cases'] / seconds:.0f} rows/s ({seconds:.1f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
