"""Answer statements that go on after their value, answers below a bare ``Answer:`` line,
hypothetical answers after a box, and vectors written as tuples (math and dapo)."""
from __future__ import annotations

import pytest

from form_tally import after_thinking as answer, extract, grade

PMATRIX = r"\begin{pmatrix} 1 \\ -2 \\ 3 \end{pmatrix}"


@pytest.mark.parametrize("task", ["math", "dapo"])
@pytest.mark.parametrize("line", [
    "Answer: 6 (since 2+3=5)",                # a reason in parentheses
    "Answer: 6 (i.e. 5+1)",
    "Answer: 6 \u2014 the other root, 5, is extraneous",
    "Answer: 6, because 2+3 = 5",
    "Answer: $6$ since $2+3 = 5$",            # LaTeX, then a reason
    "Answer: $6$ (not $5$)",
])
def test_a_remark_after_the_answer_is_no_part_of_it(task, line):
    found = extract(answer(line), task)
    assert grade(found, "6", task) is True
    assert grade(found, "5", task) is False


@pytest.mark.parametrize("completion, expected", [
    (answer("Answer: 3 (mod 7)"), "3"),
    (answer("Answer: 2 (sqrt 3)"), "2 (sqrt 3)"),                 # a function's name opens math
    (answer("Answer: $\\frac{m}{n} = \\frac{2}{3}$, so $m+n = 5$"), "5"),  # "so" goes on to the answer
])
def test_what_counts_as_a_remark(completion, expected):
    assert extract(completion, "dapo") == expected


@pytest.mark.parametrize("completion", [
    answer("**Answer:**\n\n\\[\n5\n\\]"),
    answer("Answer:\n$$5$$"),
    answer("Answer:\n5"),
    answer("Answer: 7\n\nWait, I missed a case.\n\nAnswer:\n\\[\\boxed{5}\\]"),
])
def test_dapo_reads_the_answer_below_a_bare_answer_line(completion):
    assert grade(extract(completion, "dapo"), "5", "dapo") is True
    assert grade(extract(completion, "dapo"), "7", "dapo") is False


def test_dapo_reads_several_pieces_of_math_as_the_math_task_does():
    found = extract(answer("Answer: $x = 6$ or $x = 2$"), "dapo")
    assert grade(found, "2, 6", "dapo") is True
    assert grade(found, "6", "dapo") is False


@pytest.mark.parametrize("after", [
    "If we also counted the empty set, the answer is 6.",
    "One might think the answer is 6, but that double counts.",
    "A naive count gives the answer: 6.",
])
def test_a_hypothetical_answer_after_the_box_keeps_the_box(after):
    assert extract(answer(f"So $\\boxed{{5}}$.\n\n{after}")) == "5"


def test_a_correction_after_the_box_still_replaces_it():
    assert extract(answer("So $\\boxed{5}$.\n\nI made a mistake; the answer is 6.")) == "6"


@pytest.mark.parametrize("prediction, expected", [
    ("(1, -2, 3)", True), (r"\left(1, -2, 3\right)", True), (r"\langle 1, -2, 3 \rangle", True),
    (PMATRIX.replace("pmatrix", "bmatrix"), True),
    ("(-2, 1, 3)", False), ("(1, -2, 4)", False), ("(1, -2)", False), ("(1, -2, 3, 4)", False),
])
def test_a_vector_gold_against_its_components_as_a_tuple(prediction, expected):
    assert grade(prediction, PMATRIX) is expected


def test_a_matrix_of_several_rows_and_columns_is_no_vector():
    assert grade("(1, 2)", r"\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}") is False
    assert grade("(1, 2, 3, 4)", r"\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}") is False


@pytest.mark.parametrize("task", ["math", "dapo"])
@pytest.mark.parametrize("reply", [
    "**Answer:**\n\n- $x = 2$\n- $x = 7$",
    "### Final Answer\n\n1. $2$\n2. $7$",
    "The final answer is:\n- 2\n- 7",
])
def test_an_answer_listed_below_its_statement_is_every_item(task, reply):
    found = extract(answer(reply), task)
    assert grade(found, "7, 2", task) is True
    assert grade(found, "2", task) is False
    assert grade(found, "-2", task) is False  # a "-" bullet is no minus sign


@pytest.mark.parametrize("task", ["math", "dapo"])
@pytest.mark.parametrize("after, expected", [
    ("Many students think the answer is 7.", "5"),      # someone else's answer keeps the box
    ("It is tempting to say the answer is 7, but that misses a case.", "5"),
    ("Had repetition been allowed, the answer is 7.", "5"),
    ("Wait, I think the answer is actually 7.", "7"),   # the reply's own second thought replaces it
])
def test_an_answer_in_others_words_after_the_box_keeps_it(task, after, expected):
    found = extract(answer(f"So the count is $\\boxed{{5}}$.\n\n{after}"), task)
    assert grade(found, expected, task) is True
