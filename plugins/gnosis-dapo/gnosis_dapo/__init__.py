"""gnosis plugin for DAPO-Math-17k: the answer sits on a final ``Answer: X`` line.

Registers the extractor ``dapo-answer-line`` and the grader ``dapo-math``, which is the
math plugin's math-verify grader (DAPO golds are integers or short LaTeX).
"""
from __future__ import annotations

import re

from gnosis_core import hookimpl
from gnosis_core.answers import final_answer_region, final_boxed, has_box
from gnosis_math import grade as grade_math

# "Answer: 91", "**Answer:** 91", "Final answer: $91$" at the start of a line.
# the closing bold of "**Answer: 42**" or "Answer: **odd**" is markup (one * may be math: z^*)
_ANSWER_LINE = re.compile(r"^[ \t>#*_]*(?:final\s+)?answer\s*:[ \t*_]*(.*?)(?:[ \t]*(?:\*\*|__))?[ \t]*$",
                          re.IGNORECASE | re.MULTILINE)
_DELIMITED = re.compile(r"^(?:\$+(.*?)\$+|\\\((.*?)\\\)|\\\[(.*?)\\\])$", re.DOTALL)


def _clean(value: str) -> str | None:
    value = value.strip().rstrip(".").strip()
    if has_box(value):
        return final_boxed(value)
    match = _DELIMITED.match(value)
    if match:
        value = next(g for g in match.groups() if g is not None).strip()
    return value or None


def extract_answer_line(completion: str, row=None) -> str | None:
    """The last ``Answer: X`` line after thinking, else the final boxed statement."""
    region = final_answer_region(completion)
    if not region:
        return None
    lines = [m.group(1) for m in _ANSWER_LINE.finditer(region) if m.group(1).strip()]
    if lines:
        return _clean(lines[-1])
    return final_boxed(region)


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
