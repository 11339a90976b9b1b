"""Fourth-round rules (math and dapo): a value with the case it holds for ("7 (x = 3)", "7 at
x = 3", "For n = 12, there are 233 tilings") is that value, never the case's; a scale word
("12 thousand", "3 dozen") multiplies the number before it."""
from __future__ import annotations

import pytest

from form_tally import after_thinking, extract, grade


def label(text: str, gold: str, task: str = "math") -> bool:
    found = extract(after_thinking(text), task)
    return found is not None and grade(found, gold, task)


@pytest.mark.parametrize("task", ["math", "dapo"])
@pytest.mark.parametrize("text", [
    "$\\boxed{7 \\quad (x = 3)}$", "$\\boxed{7 \\text{ at } x = 3}$", "$\\boxed{7 \\text{ (when } x = 3)}$",
    "Answer: 7 (n = 3)", "**Answer:** $7$ ($n = 3$)", "Answer: $7$, achieved when $x = 3$",
    "Answer: 7, attained at x = 3", "**Answer:** For $n = 3$, there are 7 tilings.",
    "Answer: When x = 3, the maximum value is 7.",
])
def test_a_value_with_its_condition_is_the_value(task, text):
    assert label(text, "7", task) is True
    assert label(text, "3", task) is False


@pytest.mark.parametrize("prediction, gold, expected", [
    ("f(3) = 7", "7", True),            # a function's value: the right side
    ("(x, y) = (1, 2)", "(1, 2)", True),
    ("5 \\text{ at } x = 2", "5 \\text{ at } x = 2", True),  # a gold that names the case too
    ("7 (ab)", "7", False),             # variables, not a case
    ("\\frac{7}{(x = 3)}", "7", False),  # inside the expression
])
def test_only_a_trailing_equation_in_one_variable_is_a_condition(prediction, gold, expected):
    assert grade(prediction, gold) is expected


@pytest.mark.parametrize("text, gold, number", [
    ("Answer: 12 thousand", "12000", "12"), ("$\\boxed{2.5\\text{ million}}$", "2500000", "2.5"),
    ("The answer is 3 dozen.", "36", "3"), ("The answer is $4\\text{ hundred}$.", "400", "4"),
    ("Answer: 5 hundredths", "0.05", "5"),
])
def test_a_scale_word_multiplies(text, gold, number):
    assert label(text, gold) is True
    assert label(text, number) is False

