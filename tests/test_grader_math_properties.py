"""Generated equivalence tests for the math grader: every class of tests/forms_math.py (and
of tests/forms_dapo.py, the same forms on DAPO's answer lines), a few seeded draws each,
graded through the label stage's own ``grade_row`` with the task's registered extractor and
grader (tests/form_tally.py). A correct answer in any surface form is labeled 1, a near-miss
0. bench/grading_properties.py runs the same generators at scale."""
from __future__ import annotations

import random
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import forms_dapo
import forms_math
from form_tally import labeller

CLASSES = forms_math.classes()
GENERATED = [(module.TASK, name, make) for module in (forms_math, forms_dapo) for name, make in module.classes().items()]
labeller_of = cache(labeller)  # one per task: resolving the components is not free


def test_every_issue_class_comes_out_of_the_generator():
    rng = random.Random(0)
    forms = " ".join(case["form"] for make in CLASSES.values() for _ in range(20) for case in make(rng))
    for surface in ("a/b against gold a", "'w a/b'", "'m x 10^e'", "e-notation", "mantissa only", "Unicode m×10ᵉ",
                    "U+2212", "Unicode 'a√b'", "Unicode 'π/a'", "Unicode ≤", "'unit^n'", "'$unit^n$'",
                    "i^k", "bi+a", "'[a, b, c]'", "'(a, b)'", "one element missing", "on the line after",
                    "'e^a'", "whole part only", "numerator only", "one digit off",
                    "a reason in parentheses", "below, after an earlier answer line", "'if ..., the answer is w'",
                    "\\langle \\rangle", "components swapped", "'(or w)', a hedge", "'(arctan b)'",
                    "'the answer is w if ...'", "would double count", "the other left bracket", "Unicode '∅'",
                    "another number's word", "\\text{(L) v}", "'There are n ways.'", "a final sentence",
                    "other prose below the answer line"):
        assert surface in forms, surface


@pytest.mark.parametrize("task, name, make", GENERATED, ids=[f"{t}-{n}" for t, n, _ in GENERATED])
@settings(max_examples=3, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rng=st.randoms(use_true_random=False))
def test_correct_forms_pass_and_near_misses_fail(task, name, make, rng):
    cases = make(rng)
    assert any(c["expected"] == 1 for c in cases) and any(c["expected"] == 0 for c in cases)
    wrong = []
    for case in cases:
        got = labeller_of(task)(case)
        if got != case["expected"]:
            wrong.append(f"{'FP' if got else 'FN'} {case['form']}: gold {case['gold']!r}, "
                         f"completion {case['completion'][-80:]!r}")
    assert not wrong, "\n".join(wrong)
