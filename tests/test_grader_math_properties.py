"""Generated equivalence tests for the math grader: every class of tests/forms_math.py (and
of tests/forms_dapo.py, the same forms on DAPO's answer lines), a few seeded draws each, graded through the label stage's own ``grade_row`` with the task's
registered extractor and grader. A correct answer in any surface form is labeled 1, a
near-miss 0. bench/grading_properties.py runs the same generators at scale."""
from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import forms_dapo
import forms_math
from gnosis_core import limits, registry
from gnosis_core.grading_pool import GOLD_FALLBACK, OK, Rules, grade_row

CLASSES = forms_math.classes()
GENERATED = [(module.TASK, name, make) for module in (forms_math, forms_dapo) for name, make in module.classes().items()]


def label(task_name: str, case: dict) -> tuple[int, str]:
    """The label and status label would write for the case's completion and gold."""
    task = registry.get_task(task_name)
    extract = registry.resolve("extractors", task.extractor)
    grader = registry.resolve("graders", task.grader)
    rules = Rules(task.extractor, task.grader, task.gold_column, limits.row_timeout_s(),
                  GOLD_FALLBACK.get(task.gold_column))
    row = {"question": case.get("question") or "Q", "completion": case["completion"], task.gold_column: case["gold"]}
    graded = grade_row(row, extract, grader, rules)
    return graded.label, graded.status


def test_every_issue_class_comes_out_of_the_generator():
    rng = random.Random(0)
    forms = " ".join(case["form"] for make in CLASSES.values() for _ in range(20) for case in make(rng))
    for surface in ("a/b against gold a", "'w a/b'", "'m x 10^e'", "e-notation", "mantissa only", "Unicode m×10ᵉ",
                    "U+2212", "Unicode 'a√b'", "Unicode 'π/a'", "Unicode ≤", "'unit^n'", "'$unit^n$'",
                    "i^k", "bi+a", "'[a, b, c]'", "'(a, b)'", "one element missing", "on the line after",
                    "'e^a'", "whole part only", "numerator only", "one digit off"):
        assert surface in forms, surface


@pytest.mark.parametrize("task, name, make", GENERATED, ids=[f"{t}-{n}" for t, n, _ in GENERATED])
@settings(max_examples=3, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rng=st.randoms(use_true_random=False))
def test_correct_forms_pass_and_near_misses_fail(task, name, make, rng):
    cases = make(rng)
    assert any(c["expected"] == 1 for c in cases) and any(c["expected"] == 0 for c in cases)
    wrong = []
    for case in cases:
        got, status = label(task, case)
        if got != case["expected"]:
            wrong.append(f"{'FP' if got else 'FN'} ({status}) {case['form']}: gold {case['gold']!r}, "
                         f"completion {case['completion'][-80:]!r}")
    assert not wrong, "\n".join(wrong)
