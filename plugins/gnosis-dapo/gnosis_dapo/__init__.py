"""gnosis plugin for DAPO-Math-17k: the answer sits on a final ``Answer: X`` line.

Registers the extractor ``dapo-answer-line`` and the grader ``dapo-math``, which is the
math plugin's math-verify grader (DAPO golds are integers or short LaTeX).
"""
from __future__ import annotations

import re

from gnosis_core import hookimpl
from gnosis_core.answers import final_answer_region, final_boxed, has_box
from gnosis_math import grade as grade_math

# "Answer: 91", "**Answer:** 91", "**Answer**: 91", "Final answer: $91$" at the start of a line.
# the closing bold of "**Answer: 42**" or "Answer: **odd**" is markup (one * may be math: z^*)
_ANSWER_LINE = re.compile(r"^[ \t>#*_]*(?:final\s+)?answer[*_]*\s*:[ \t*_]*(.*?)(?:[ \t]*(?:\*\*|__))?[ \t]*$",
                          re.IGNORECASE | re.MULTILINE)
# one piece of math, not "$2$ and $3$"
_DELIMITED = re.compile(r"^(?:\$+([^$]*)\$+|\\\(((?:(?!\\[()]).)*)\\\)|\\\[((?:(?!\\[\[\]]).)*)\\\])$", re.DOTALL)
_MATH_MARKUP = re.compile(r"\$|\\[(\[]")


def _clean(value: str) -> str | None:
    from gnosis_math import grading  # here: it imports math-verify, which `gnosis tasks` never needs

    value = value.strip().rstrip(".").strip()
    if has_box(value):
        return final_boxed(value)
    if grading.opens_with_prose(value):  # "Answer: There are 5 ways.": the value the sentence gives
        return grading.answer_statement(f"Answer: {value}")
    # "Answer: 6 (since 2+3=5)", "Answer: $6$ since $2+3=5$": the prose after the value is no answer
    value = grading.statement_answer(value)
    match = _DELIMITED.match(value)
    if match:
        value = next(g for g in match.groups() if g is not None).strip()
    elif _MATH_MARKUP.search(value):  # "$x = 6$ or $x = 2$", "$6$ ways (vs. 5)": read as the math task reads it
        value = grading.answer_statement(f"Answer: {value}") or value
    return value or None


def extract_answer_line(completion: str, row=None) -> str | None:
    """The last ``Answer: X`` line after thinking (the answer below it where the line ends
    at the colon), else the answer the math task reads as stated (a box, "the final answer
    is X"; not a mere final sentence); read up to a next question the reply goes on to write."""
    from gnosis_math import grading

    region = final_answer_region(completion)
    if not region:
        return None
    return grading.before_next_question(region, row, _answer, _answer)


def _answer(region: str) -> str | None:
    from gnosis_math import grading

    lines = list(_ANSWER_LINE.finditer(region))
    if lines and not lines[-1].group(1).strip() and region[lines[-1].end():].strip():
        # "**Answer:**" with the answer on the lines below it ("$$5$$", "\\[\n5\n\\]", a box)
        below = region[lines[-1].end():]
        return final_boxed(below) if has_box(below) else grading.answer_statement(region[lines[-1].start():])
    lines = [m.group(1) for m in lines if m.group(1).strip()]
    if lines:
        return _clean(lines[-1])
    return grading.stated_answer(region)


def grade(prediction: str, gold, row=None, *, rel_tol: float | None = None, abs_tol: float | None = None) -> bool:
    return grade_math(prediction, gold, row, rel_tol=rel_tol, abs_tol=abs_tol)


grade.describe = grade_math.describe
grade.rule = grade_math.rule


@hookimpl
def register_extractors(register):
    register("dapo-answer-line", extract_answer_line)


@hookimpl
def register_graders(register):
    register("dapo-math", grade)
