"""Second-round rules (math and dapo): a parenthesis after the value that is part of the answer,
corrections and conditions after a box, inequalities against intervals, the empty set, number
words, a choice letter and its value in one \\text{}, and answers given as sentences."""
from __future__ import annotations

import pytest

from form_tally import after_thinking as answer, extract, grade


def label(completion: str, gold: str, task: str = "math") -> bool:
    found = extract(completion, task)
    return found is not None and grade(found, gold, task)


@pytest.mark.parametrize("task", ["math", "dapo"])
@pytest.mark.parametrize("line", [
    "Answer: 3 (or 4)", "Answer: 3 (and -3)", "Answer: 3 (arctan 2)", "Answer: 3 (thousand)",
    "Answer: 3 (squared)", "Answer: 3 (times 10^3)", "Answer: 3 (ab)", "Answer: 3 -- or 5 if the order matters",
    "Answer: $3$ (or $4$)", "Answer: $3$ $(\\sqrt{2})$", "Answer: $3$ (thousand)",
])
def test_a_parenthesis_that_is_part_of_the_answer_is_not_cut_off(task, line):
    assert label(answer(line), "3", task) is False


@pytest.mark.parametrize("task", ["math", "dapo"])
@pytest.mark.parametrize("line, gold", [
    ("Answer: 3 (mod 7)", "3"), ("Answer: x = 3 (double root)", "3"), ("Answer: 3 (cm)", "3"),
    ("Answer: 3/4 (or 0.75)", "3/4"), ("Answer: 3 (and -3)", "3, -3"),
])
def test_a_remark_or_a_restated_value_keeps_the_answer(task, line, gold):
    assert label(answer(line), gold, task) is True


@pytest.mark.parametrize("after, expected", [
    ("Wait, that would double count, so the answer is 6.", "6"),   # a correction with its reason
    ("The naive count was wrong, therefore the answer is 6.", "6"),
    ("The answer is 6 if we include the empty set.", "5"),          # a condition after the value
    ("Suppose repetition were allowed; then the answer is 6.", "5"),
])
def test_corrections_and_conditions_after_a_box(after, expected):
    assert extract(answer(f"So $\\boxed{{5}}$.\n\n{after}")) == expected


@pytest.mark.parametrize("prediction, gold, expected", [
    ("x > 3", "(3, \\infty)", True), ("x \\ge 3", "(3, \\infty)", False), ("x < 3", "(3, \\infty)", False),
    ("2 \\le x < 5", "[2, 5)", True), ("5 > x \\ge 2", "[2, 5)", True), ("2 \\le x \\le 5", "[2, 5)", False),
    ("x < 2 \\text{ or } x \\ge 3", "(-\\infty, 2) \\cup [3, \\infty)", True),
    ("x < 2 \\text{ or } x > 3", "(-\\infty, 2) \\cup [3, \\infty)", False),
    ("(-\\infty, 2) \\cup (3, \\infty)", "x < 2 \\text{ or } x > 3", True),
    ("x \\ne 1", "(-\\infty, 1) \\cup (1, \\infty)", True),
    ("y > 3", "x > 3", False),  # another variable: left to math-verify
])
def test_inequalities_against_intervals(prediction, gold, expected):
    assert grade(prediction, gold) is expected


def test_an_inequality_statement_with_or_is_read_whole():
    assert label(answer("The answer is $x < 2$ or $x > 3$."), "(-\\infty, 2) \\cup (3, \\infty)") is True
    assert label(answer("The answer is $x < 2$ or $x > 3$."), "(-\\infty, 2)") is False


@pytest.mark.parametrize("prediction, gold, expected", [
    ("\\emptyset", "\\varnothing", True), ("\\varnothing", "\\emptyset", True), ("∅", "\\emptyset", True),
    ("\\varnothing", "\\{0\\}", False),
    ("four", "4", True), ("\\text{Twenty-one}", "21", True), ("4", "\\text{four}", True),
    ("\\text{fourteen}", "4", False), ("\\text{five}", "4", False),
    ("\\text{(B) 7}", "7", True), ("\\text{(B) 7}", "8", False), ("\\text{(B) 7}", "\\textbf{(B) }7", True),
    ("\\text{(B) 7}", "\\textbf{(C) }7", False),
])
def test_sets_words_and_choices(prediction, gold, expected):
    assert grade(prediction, gold) is expected


@pytest.mark.parametrize("task", ["math", "dapo"])
@pytest.mark.parametrize("text", [
    "**Answer:** There are 5 ways.", "Answer: The number of ways is 5.", "**Answer:**\n\nThe minimum value is $5$.",
])
def test_an_answer_given_as_a_sentence(task, text):
    assert label(answer(text), "5", task) is True
    assert label(answer(text), "6", task) is False


def test_a_final_sentence_without_the_word_answer():
    assert label("We count the cases.\n\nTherefore, there are 5 ways.", "5") is True
    assert label("We count the cases.\n\nTherefore, there are 5 ways.", "6") is False


@pytest.mark.parametrize("task", ["math", "dapo"])
def test_other_prose_below_an_answer_line_is_no_answer(task):
    assert extract(answer("**Answer:**\nLet me verify: 2 + 3 = 5, which checks out."), task) is None
    assert extract(answer("Answer: The maximum is achieved at x = 3, giving 10."), task) is None
