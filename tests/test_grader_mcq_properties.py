"""Generated multiple-choice cases (tests/forms_mcq.py) through the label stage's own grading
path: the gold choice in any form a reply names it is labelled 1, every near miss 0. A few
seeded draws per class here; bench/grading_properties.py runs many and prints FP/FN per class."""
import random

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import forms_mcq
from form_tally import labeller, tally

CLASSES = forms_mcq.classes()


@pytest.fixture(scope="module")
def label():
    return labeller(forms_mcq.TASK)


@pytest.mark.parametrize("name", sorted(CLASSES))
@settings(max_examples=40, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rng=st.randoms(use_true_random=False))
def test_generated_choices_are_graded_as_a_person_would(label, name, rng):
    counts = tally(label, CLASSES[name](rng))
    wrong = counts.errors("completion")
    assert not wrong, "\n".join(wrong)


def test_every_class_renders_answers_and_near_misses():
    for name, draw in CLASSES.items():
        rng = random.Random(0)
        cases = [case for _ in range(20) for case in draw(rng)]
        assert {case["expected"] for case in cases} == {0, 1}, name
        assert all(set(case) == {"gold", "completion", "expected", "form", "question"} for case in cases), name
