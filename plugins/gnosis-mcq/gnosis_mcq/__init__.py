"""gnosis plugin: multiple-choice questions (MMLU-Pro, GPQA).

The extractor returns the raw final answer text; the grader maps it to exactly one of the
letters the question offers, so a boxed option value or option text counts as its letter.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache
from numbers import Integral

from gnosis_core import hookimpl
from gnosis_core.answers import final_answer_region, has_box, last_boxed

ALL_LETTERS = "ABCDEFGHIJ"

# "Answer: X", "Final answer: X", "the answer is (X)", "**Answer:** X"; the last one wins.
_STATEMENT = re.compile(r"(?i)\banswer[\s*]*(?:is\b|:)[\s*:]*([^\n]+)")


def extract(completion: str, row=None) -> str | None:
    region = final_answer_region(completion)
    if region is None:
        return None
    if has_box(region):
        # An unclosed last box is a truncated answer: do not fall back to earlier text.
        answer = last_boxed(region)
    else:
        statements = _STATEMENT.findall(region)
        # Sentence punctuation and markdown emphasis are not part of the answer.
        answer = statements[-1].strip().rstrip(".").strip("*") if statements else None
    answer = answer.strip() if answer else None
    return answer or None


# Option lines: "A. text", "A) text", "(A) text", "A: text".
_OPTION = re.compile(r"^[ \t]*(?:\(([A-J])\)|([A-J])[.):])[ \t]*(.*?)[ \t]*$", re.M)


@lru_cache(maxsize=4096)
def _options(question: str) -> dict[str, str]:
    """Letter -> normalised option text of the last A, B, C... run in the question."""
    blocks: list[dict[str, str]] = []
    for m in _OPTION.finditer(question):
        letter, text = m.group(1) or m.group(2), m.group(3)
        if letter == "A":
            blocks.append({})
        elif not blocks or letter != ALL_LETTERS[len(blocks[-1])]:
            continue  # a stray "C." inside the question text is not an option
        blocks[-1][letter] = _norm(text)
    blocks = [b for b in blocks if len(b) >= 2]
    return blocks[-1] if blocks else {}


def _valid_letters(row) -> tuple[str, dict[str, str]]:
    question = row.get("question") if hasattr(row, "get") else None
    options = _options(question) if isinstance(question, str) else {}
    # No options in the question (e.g. they were stripped): allow the MMLU-Pro range.
    return ("".join(options) or ALL_LETTERS), options


_LATEX_WRAP = re.compile(r"\\(?:text|textbf|textit|mathbf|mathrm|mathit|mbox|emph|boldsymbol)\s*\{([^{}]*)\}")


def _unwrap(text: str) -> str:
    while True:
        unwrapped = _LATEX_WRAP.sub(r"\1", text)
        if unwrapped == text:
            break
        text = unwrapped
    text = text.replace("**", "").replace("$", "").strip()
    return text.rstrip(".").strip()


def _norm(text: str) -> str:
    """Comparable form of an option text or value: no case, spacing or LaTeX styling."""
    text = _unwrap(text).lower()
    text = re.sub(r"\\(?:left|right|displaystyle)|\\[,;:! ]|~", "", text)
    text = re.sub(r"\\[dt]frac", r"\\frac", text)
    return re.sub(r"\s+", "", text).rstrip(".")


_PREFIX = re.compile(r"^(?i:option|choice)\s+(?=[(\[]?[A-J]\b)")
_BARE = re.compile(r"^[(\[{]?\s*([A-Ja-j])\s*[)\]}]?$")
# A letter then the option text or an explanation: "C. text", "B) text", "F (since ...)",
# "D because ...". A letter followed by any other word ("A decrease ...") is prose.
_LEADING = re.compile(r"^[(\[]?([A-J])(?:[.):\]]|(?=\s*[(\[,;\u2014\u2013-])|\s*$"
                      r"|(?=\s+(?:because|since|as|due|given)\b))")
_HEDGE = re.compile(r"(?i)^[(\[]?[A-J][)\]]?(?:\s*(?:,|/|&|;|\band\b|\bor\b|\s)\s*[(\[]?[A-J][)\]]?)+$")


def _as_number(text: str) -> float | None:
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def to_letter(prediction: str, letters: str, options: dict[str, str]) -> str | None:
    """The one letter a prediction chooses, or None (no letter, several, or not offered)."""
    text = _unwrap(prediction)
    choice = _PREFIX.sub("", text)  # "Option C"
    bare = _BARE.match(choice)
    if bare:
        letter = bare.group(1).upper()
        return letter if letter in letters else None
    # Option text before the leading-letter rule: an option may start with "A ...".
    norm = _norm(text)
    matches = [letter for letter, t in options.items() if t and t == norm]
    if not matches and _as_number(norm) is not None:
        matches = [letter for letter, t in options.items() if _as_number(t) == _as_number(norm)]
    if len(matches) == 1:
        return matches[0]
    if _HEDGE.match(choice):
        return None
    leading = _LEADING.match(choice)
    if leading:
        letter = leading.group(1)
        return letter if letter in letters else None
    return None


def gold_letter(gold, letters: str) -> str | None:
    """Gold as a letter: "B", " (b) " or an MMLU-Pro answer_index 0-9; None if unusable."""
    if isinstance(gold, bool) or gold is None:
        return None
    if isinstance(gold, float) and gold.is_integer():  # an index column read with nulls
        gold = int(gold)
    if isinstance(gold, Integral):
        letter = ALL_LETTERS[int(gold)] if 0 <= int(gold) < len(ALL_LETTERS) else None
    elif isinstance(gold, str):
        text = gold.strip().strip("()[]").strip()
        if text.isdigit() and len(text) == 1:
            letter = ALL_LETTERS[int(text)]
        elif len(text) == 1 and text.upper() in ALL_LETTERS:
            letter = text.upper()
        else:
            letter = None
    else:
        letter = None
    return letter if letter and letter in letters else None


def grade(prediction: str, gold, row=None) -> bool | None:
    letters, options = _valid_letters(row)  # row may be a pandas Series: no `or`
    gold = gold_letter(gold, letters)
    if gold is None:
        return None
    if not isinstance(prediction, str):
        return False
    return to_letter(prediction, letters, options) == gold


@hookimpl
def register_extractors(register):
    register("mcq-letter", extract)


@hookimpl
def register_graders(register):
    register("mcq-letter", grade)
