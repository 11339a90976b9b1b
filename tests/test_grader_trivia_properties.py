"""Generated trivia cases (tests/forms_trivia.py) through the label stage's own grading path:
every answer a person accepts is labelled 1, every near miss 0. A few seeded draws per class
here; bench/grading_properties.py runs many and prints FP/FN per class."""
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import forms_trivia
from form_tally import labeller, tally

CLASSES = forms_trivia.classes()


@pytest.fixture(scope="module")
def label():
    return labeller(forms_trivia.TASK)


@pytest.mark.parametrize("name", sorted(CLASSES))
@settings(max_examples=40, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rng=st.randoms(use_true_random=False))
def test_generated_forms_are_graded_as_a_person_would(label, name, rng):
    counts = tally(label, CLASSES[name](rng))
    wrong = [f"{'FP' if c in counts.false_positives else 'FN'} {c['form']} | gold {c['gold']!r}"
             f" | question {c['question']!r}" for c in counts.false_positives + counts.false_negatives]
    assert not wrong, "\n".join(wrong)


def test_the_generator_renders_answers_and_near_misses():
    import random

    expected = set()
    for name, draw in CLASSES.items():
        cases = draw(random.Random(0))
        assert cases, name
        assert all(set(case) == {"gold", "completion", "expected", "form", "question"}
                   for case in cases), name
        expected |= {case["expected"] for case in cases}
    assert expected == {0, 1}
