"""Answer normalisation for maj@k: which extracted answers count as the same vote."""
from __future__ import annotations

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


def normaliser_for(task: str):
    """The answer normaliser for a task, chosen by its grader; plain text folding otherwise."""
    from gnosis_core import registry

    try:
        grader = registry.get_task(task).grader
    except GnosisError:
        return _text_key
    return NORMALISERS.get(grader, _text_key)


def _answer_classes(answers, task_codes: np.ndarray, tasks: list) -> np.ndarray:
    """One integer per row: equal for answers equal after their task's normalisation; -1 for none."""
    answers = answers.combine_chunks() if isinstance(answers, pa.ChunkedArray) else answers
    if not tasks:  # no rows at all (an empty shard): nothing to compare
        return np.full(len(answers), -1, np.int64)
    if len(tasks) == 1:
        keys = normaliser_for(str(tasks[0]))(answers)
    else:  # each task's rule on its own rows, and one task's "4" is not another's
        keys = pc.coalesce(*(pc.if_else(pa.array(task_codes == code), normaliser_for(str(task))(answers), None)
                             for code, task in enumerate(tasks)))
        keys = pc.binary_join_element_wise(pa.array(task_codes.astype(str)), keys, "\x1f")
    keys = pc.if_else(pc.equal(pc.utf8_length(pc.fill_null(answers, "")), 0), None, keys)
    return _codes(keys)[0]



def _codes(column) -> tuple[np.ndarray, list]:
    """Integer codes (nulls get -1) and the distinct values."""
    encoded = pc.dictionary_encode(column)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    return codes, encoded.dictionary.to_pylist()

