"""Answer normalisation for maj@k: which extracted answers count as the same vote."""
from __future__ import annotations

import functools

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from gnosis_core.errors import GnosisError

# Answers count as the same vote when equal after their task's normalisation. These are cheap
# vectorised string rewrites (Arrow regexes), not the graders: they merge the spellings that
# commonly differ ("\dfrac{1}{2}" / "\frac12" do not merge; "x = 4" / "4" do).
_MATH_REWRITES = (
    (r"\\(?:text|textbf|mathrm|mathbf|mbox)\{([^{}]*)\}", r"\1"),
    (r"\\left|\\right|\\[,;:! ]|\$|\s+", ""),
    (r"\\[dt]frac", r"\\frac"),
    (r"\^\{?\\circ\}?|\\%|%", ""),
    (r"^[A-Za-z]=", ""),
    (r"(\d),(\d\d\d)", r"\1\2"),
    (r"^(-?\d+)\.0*$", r"\1"),
    (r"\.$", ""),
)
_TEXT_REWRITES = ((r"[^\w\s]", " "), (r"\b(?:a|an|the)\b", " "), (r"\s+", " "))
_LETTER = r"^[\s(\[{*]*([A-J])(?:[\s)\]}.:*].*|)$"


def _math_key(answers):
    for pattern, replacement in _MATH_REWRITES:
        answers = pc.replace_substring_regex(answers, pattern, replacement)
    return answers


def _text_key(answers):
    answers = pc.replace_substring_regex(answers, r"\\(?:text|textbf|mathrm)\{([^{}]*)\}", r"\1")
    # "São Paulo" and "Sao Paulo" are one vote: decompose, then drop the accents
    answers = pc.replace_substring_regex(pc.utf8_normalize(answers, "NFKD"), r"\p{Mn}", "")
    answers = pc.utf8_lower(answers)
    for pattern, replacement in _TEXT_REWRITES:
        answers = pc.replace_substring_regex(answers, pattern, replacement)
    return pc.utf8_trim_whitespace(answers)


def _letter_key(answers):
    unwrapped = pc.replace_substring_regex(answers, r"\\text(?:bf)?\{([^{}]*)\}", r"\1")
    letter = pc.replace_substring_regex(unwrapped, _LETTER, r"\1")
    return pc.if_else(pc.match_substring_regex(unwrapped, _LETTER), letter, _text_key(unwrapped))


NORMALISERS = {"math-verify": _math_key, "dapo-math": _math_key, "mcq-letter": _letter_key,
               "trivia-aliases": _text_key}


@functools.lru_cache(maxsize=None)
def normaliser_for(task: str):
    """The answer normaliser for a task, chosen by its grader; plain text folding otherwise."""
    from gnosis_core import registry

    try:
        grader = registry.get_task(task).grader
    except GnosisError:
        return _text_key
    return NORMALISERS.get(grader, _text_key)


def answer_keys(answers, task_codes: np.ndarray, tasks: list) -> pa.Array:
    """Each row's answer after its task's normalisation (``task_codes`` index ``tasks``); null
    where there is no answer. Votes are counted within a question, so one task's "4" never
    meets another's."""
    answers = answers.combine_chunks() if isinstance(answers, pa.ChunkedArray) else answers
    present = np.unique(task_codes)
    if not len(present):  # no rows at all (an empty shard): nothing to compare
        return pa.nulls(len(answers), pa.string())
    if len(present) == 1:
        keys = normaliser_for(str(tasks[int(present[0])]))(answers)
    else:  # each task's rule on its own rows
        keys = pc.coalesce(*(pc.if_else(pa.array(task_codes == code), normaliser_for(str(tasks[code]))(answers), None)
                             for code in present))
    return pc.if_else(pc.equal(pc.utf8_length(pc.fill_null(answers, "")), 0), None, keys)


def _answer_classes(answers, task_codes: np.ndarray, tasks: list) -> np.ndarray:
    """One integer per row: equal for answers equal after their task's normalisation; -1 for none."""
    return Coder()(answer_keys(answers, task_codes, tasks))


class Coder:
    """Integer codes for the values of a string column read in batches: one dictionary over all
    batches, values in order of first appearance, -1 for null. Only the distinct values are kept."""

    def __init__(self):
        self.index: dict = {}

    @property
    def values(self) -> list:
        return list(self.index)

    def __call__(self, column) -> np.ndarray:
        encoded = pc.dictionary_encode(column)
        if isinstance(encoded, pa.ChunkedArray):
            encoded = encoded.combine_chunks()
        index = self.index
        mapping = np.array([index.setdefault(v, len(index)) for v in encoded.dictionary.to_pylist()] + [-1], np.int64)
        return mapping[encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)]
