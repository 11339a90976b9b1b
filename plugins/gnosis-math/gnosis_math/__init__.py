"""gnosis plugin for competition math: boxed answers, graded with math-verify.

Registers the extractor ``math-boxed`` and the grader ``math-verify``. Answers are
compared by mathematical value (fractions vs decimals, radicals, intervals, tuples, sets,
matrices, symbolic forms). The grader raises ``Unverifiable`` (with the reason) for an
unusable gold, and ``RowTimeout`` for math-verify's per-row timeouts and for answers too
large to grade (rejected before sympy sees them).
The implementation lives in :mod:`gnosis_math.grading`, imported on first use so that
listing tasks never pays for importing math-verify and sympy.
"""
from __future__ import annotations

from gnosis_core import hookimpl


def extract_boxed(completion: str, row=None) -> str | None:
    from gnosis_math import grading

    return grading.extract_boxed(completion, row)


def grade(prediction: str, gold, row=None) -> bool:
    from gnosis_math import grading

    return grading.grade(prediction, gold, row)


def describe(prediction: str | None, gold, row=None) -> dict[str, str]:
    """What math-verify made of the gold and the prediction (shown by ``gnosis grade``)."""
    from gnosis_math import grading

    return grading.describe(prediction, gold)


grade.describe = describe


@hookimpl
def register_extractors(register):
    register("math-boxed", extract_boxed)


@hookimpl
def register_graders(register):
    register("math-verify", grade)
