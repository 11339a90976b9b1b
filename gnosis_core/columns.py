"""From a source's rows to question rows: which column holds what, and multiple-choice options."""
from __future__ import annotations

import ast
import json
import math
import re
from typing import Any, Iterable, Mapping

from gnosis_core.errors import GnosisError

# Tried in order (case-insensitively); the seed pipeline's candidates.
CANDIDATES = {
    "question": ("prompt", "question", "query", "input", "instruction"),
    "answer": ("answer", "final_answer", "target", "label", "answers"),
    "solution": ("solution", "rationale", "steps", "explanation", "cot"),
    "original_source": ("original_source", "source"),
}
DICT_FIELDS = ("text", "answer", "label")
LETTERS = "ABCDEFGHIJ"
MCQ_MODES = ("auto", "inline", "newlines", "none")
_OPTION_COLUMN = re.compile(r"^option[ _]?([a-j])$", re.IGNORECASE)
# An option line such as "A. text", "A) text", "(A) text", or an inline "(A)".
_LISTED = [re.compile(rf"(?m)^[ \t]*\(?{letter}[.):]|\({letter}\)") for letter in "AB"]


def resolve(names: Iterable[str], where: str, **overrides: str | None) -> dict[str, str | None]:
    """The source column feeding question, answer, solution and original_source (None where the
    source lacks one); ``question=``, ``answer=``, ``solution=`` name a column explicitly."""
    names = list(names)
    by_lower: dict[str, str] = {}
    for name in names:
        by_lower.setdefault(str(name).lower(), name)
    found = {}
    for role, candidates in CANDIDATES.items():
        override = overrides.get(role)
        if override:
            if override not in names:
                raise GnosisError(f"{where}: --{role}_col {override!r} is not a column; columns found: {', '.join(names)}")
            found[role] = override
        else:
            found[role] = next((by_lower[c] for c in candidates if c in by_lower), None)
    if found["question"] is None:
        raise GnosisError(f"{where}: no question column (looked for {', '.join(CANDIDATES['question'])}; "
                          f"pass --question_col); columns found: {', '.join(map(str, names))}")
    return found


def cell_text(value: Any):
    """A cell as the seed read it: a list gives its first element, a dict its text/answer/label
    field, whole floats lose their '.0' (CSV readers turn 42 into 42.0). A TriviaQA answer dict
    stays whole: its aliases are what the trivia grader compares against."""
    while isinstance(value, (list, tuple, dict)):
        if isinstance(value, dict):
            if "aliases" in value:
                return value
            key = next((k for k in DICT_FIELDS if k in value), None)
            if key is None:
                return json.dumps(value, ensure_ascii=False, default=str)
            value = value[key]
        else:
            value = value[0] if len(value) else None
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def options_of(row: Mapping) -> list[tuple[str, str]]:
    """(letter, text) of a row's options: ``option_a`` .. ``option_j`` columns, else an
    ``options`` list (a CSV holds it as JSON or Python text)."""
    by_letter = {}
    for name, value in row.items():
        match = _OPTION_COLUMN.match(str(name))
        if match:
            by_letter.setdefault(match.group(1).upper(), value)
    if by_letter:
        pairs = [(letter, cell_text(by_letter[letter])) for letter in sorted(by_letter)]
    else:
        listed = next((v for k, v in row.items() if str(k).lower() == "options"), None)
        pairs = list(zip(LETTERS, _as_list(listed)))
    # one line per option: the multiple-choice grader finds options by their line starts
    return [(letter, " ".join(str(text).split())) for letter, text in pairs if text is not None and str(text).strip()]


def _as_list(value) -> list:
    if isinstance(value, str):
        try:
            value = ast.literal_eval(value.strip())
        except (ValueError, SyntaxError):
            return []
    if not isinstance(value, (list, tuple)):
        return []
    return [cell_text(v) for v in value[:len(LETTERS)]]


def lists_options(question: str) -> bool:
    return all(pattern.search(question) for pattern in _LISTED)


def with_options(question: str, options: list[tuple[str, str]], mode: str) -> str:
    """The question with its options on new lines ("A. text"), inline ("(A) text (B) ..."),
    not at all (none), or on new lines unless the question already lists them (auto)."""
    if not options or mode == "none" or (mode == "auto" and lists_options(question)):
        return question
    if mode == "inline":
        return f"{question} " + " ".join(f"({letter}) {text}" for letter, text in options)
    return f"{question}\n\n" + "\n".join(f"{letter}. {text}" for letter, text in options)
