"""gnosis plugin for competition math: boxed answers, graded with math-verify.

Registers the extractor ``math-boxed`` and the grader ``math-verify``. Answers are
compared by mathematical value (fractions vs decimals, radicals, intervals, tuples, sets,
matrices, symbolic forms), whether boxed, in ``$...$`` or in plain text and Unicode
(``5/12``, ``3 1/4``, ``6.02 x 10^23``, ``2√3``, ``x ≤ 3``: see :mod:`gnosis_math.plain`). The grader raises ``Unverifiable`` (with the reason) for an
unusable gold, and ``RowTimeout`` for math-verify's per-row timeouts and for answers too
large to grade (rejected before sympy sees them).
With ``rel_tol``/``abs_tol`` (a task's ``registry.toml`` fields or label's ``--rel_tol``) two
numbers within that tolerance are equal too; unset, the comparison is strict.
The implementation lives in :mod:`gnosis_math.grading`, imported on first use so that
listing tasks never pays for importing math-verify and sympy.
"""
from __future__ import annotations

from gnosis_core import hookimpl


def extract_boxed(completion: str, row=None) -> str | None:
    from gnosis_math import grading

    return grading.extract_boxed(completion, row)


def grade(prediction: str, gold, row=None, *, rel_tol: float | None = None, abs_tol: float | None = None) -> bool:
    from gnosis_math import grading

    return grading.grade(prediction, gold, row, rel_tol=rel_tol, abs_tol=abs_tol)


def describe(prediction: str | None, gold, row=None, **tolerance) -> dict[str, str]:
    """What math-verify made of the gold and the prediction, and the rule that decided
    (shown by ``gnosis grade``)."""
    from gnosis_math import grading

    return grading.describe(prediction, gold, **tolerance)


def rule(prediction: str, gold, row=None, **tolerance) -> str:
    """The rule that decided ``grade``'s verdict, e.g. "within numeric tolerance (rel_tol=0.04)"."""
    from gnosis_math import grading

    return grading.decide(prediction, gold, **tolerance)[1]


grade.describe = describe
grade.rule = rule


@hookimpl
def register_extractors(register):
    register("math-boxed", extract_boxed)


@hookimpl
def register_graders(register):
    register("math-verify", grade)
