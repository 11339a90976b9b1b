"""gnosis plugin: multiple-choice questions (MMLU-Pro, GPQA).

The extractor returns the raw final answer text; the grader maps it to exactly one of the
letters the question offers, so a boxed option value or option text counts as its letter.
"""
from __future__ import annotations

from gnosis_core import hookimpl
from gnosis_core.errors import Unverifiable

from gnosis_mcq.extraction import extract
from gnosis_mcq.letters import _gold_from_text, _options, _valid_letters, gold_letter, to_letter

__all__ = ["extract", "grade", "gold_letter", "to_letter", "_options"]


def grade(prediction: str, gold, row=None) -> bool:
    """Whether the prediction chooses the gold letter; raises Unverifiable (with the reason)
    when the gold is no letter the question offers."""
    letters, options = _valid_letters(row)  # row may be a pandas Series: no `or`
    letter = gold_letter(gold, letters) or _gold_from_text(gold, options)
    if letter is None:
        shown = repr(gold) if len(repr(gold)) <= 40 else repr(gold)[:40] + "..."
        raise Unverifiable(f"gold {shown} is not one of the offered letters {letters[0]}-{letters[-1]}")
    gold = letter
    if not isinstance(prediction, str):
        return False
    return to_letter(prediction, letters, options) == gold


@hookimpl
def register_extractors(register):
    register("mcq-letter", extract)


@hookimpl
def register_graders(register):
    register("mcq-letter", grade)
