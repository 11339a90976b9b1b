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
    wrong = counts.errors("question")
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


@pytest.mark.parametrize("name, rule", [
    ("alias_plus_descriptor", "descriptor"),
    ("number_with_counter", "counter"),
    ("year_with_era", "common era"),
    ("topic_answer", "topic"),
    ("date_in_the_year", "a date in the year"),
    ("title_of_a_ruler", "after the title"),
    ("the_asked_kind_named", "after the question's"),
    ("place_named_by_the_question", "+ the question's"),
    ("answer_in_a_sentence", "the one name in the sentence|topic"),
])
def test_the_grader_names_the_rule_that_decided(name, rule):
    """What `gnosis grade` shows under "grader's view": the rule behind a label."""
    import random

    from gnosis_core import plugins, registry

    task = registry.get_task(forms_trivia.TASK)
    extract = plugins.components().get("extractors", task.extractor)
    grader = plugins.components().get("graders", task.grader)
    rng = random.Random(3)
    accepted = [c for _ in range(10) for c in CLASSES[name](rng) if c["expected"] == 1]
    for case in accepted:
        row = {"question": case["question"], task.gold_column: case["gold"]}
        shown = grader.describe(extract(case["completion"], row), case["gold"], row)
        exact = shown["rule"].startswith("alias '") and "+" not in shown["rule"]
        named = any(one in shown["rule"] for one in rule.split("|"))
        assert named or exact and "moved" in case["form"], (case["form"], shown)
