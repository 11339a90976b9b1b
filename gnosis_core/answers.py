"""Helpers every extractor shares: where the final answer lives in a completion."""
from __future__ import annotations

import re

THINK_OPEN, THINK_CLOSE = "<think>", "</think>"
_BOX = re.compile(r"\\(?:boxed|fbox)\s*\{")


def final_answer_region(completion: str | None) -> str | None:
    """The text that may hold the final answer: what follows the last ``</think>``.

    A completion that opened ``<think>`` and never closed it has no final answer (None);
    one without any reasoning markup is its own answer region.
    """
    if not isinstance(completion, str):
        return None
    close = completion.rfind(THINK_CLOSE)
    if close >= 0:
        return completion[close + len(THINK_CLOSE):]
    if THINK_OPEN in completion:
        return None
    return completion


def last_boxed(text: str | None) -> str | None:
    """Content of the last ``\\boxed{...}`` (or ``\\fbox{...}``); None if absent or unclosed."""
    if not text:
        return None
    starts = [m.end() for m in _BOX.finditer(text)]
    if not starts:
        return None
    start = starts[-1]
    depth = 1
    for i in range(start, len(text)):
        ch = text[i]
        if ch == "{" and text[i - 1] != "\\":
            depth += 1
        elif ch == "}" and text[i - 1] != "\\":
            depth -= 1
            if depth == 0:
                return text[start:i].strip()
    return None


def has_box(text: str | None) -> bool:
    return bool(text) and _BOX.search(text) is not None
