"""Helpers every extractor shares: where the final answer lives in a completion.

Everything here is linear in the length of the text, so that a pathological completion
(thousands of boxes, unbalanced braces, a box of megabytes) costs no more to scan than an
ordinary one of the same length.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from gnosis_core.errors import RowTimeout

THINK_OPEN, THINK_CLOSE = "<think>", "</think>"
MAX_ANSWER_BOXES = 100  # in one final statement; more is no answer anyone can grade
_BOX = re.compile(r"\\(?:boxed|fbox)\s*\{")
_BRACE = re.compile(r"\\.|[{}]", re.DOTALL)  # an escaped character is skipped as a whole
# What may stand between two boxes of one answer: "$\boxed{1}$ and $\boxed{-3}$",
# "x = \boxed{1} or x = \boxed{-3}", one box per line of a list. Anything else (a sentence
# end, "wait", a blank line) starts a new statement, so only the last box counts.
_DELIMITERS = re.compile(r"\$|\\[()\[\]]|\\q?quad\b|\\[,;: ]|\\\\|\\text\s*\{\s*(and|or)\s*\}|&")
_CONNECTOR = re.compile(
    r"[\s,;]*(?:(?:and|or)[\s,;]*)?"
    r"(?:(?:^|\n)[ \t]*(?:[-*\u2022]|\d{1,2}[.)])[ \t]*)?"        # a list bullet
    r"(?:(?:[A-Za-z](?:_\{?\w{1,3}\}?)?|\([A-Za-z, ]{1,20}\))\s*=\s*)?",  # a label "x =", "(a, b) ="
    re.MULTILINE)


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


@dataclass(frozen=True)
class Box:
    start: int  # where ``\boxed`` starts
    end: int    # just past its closing brace; -1 when it never closes
    content: str | None


def boxes(text: str | None) -> list[Box]:
    """Every ``\\boxed{...}`` (or ``\\fbox{...}``) in order of appearance, in one pass."""
    if not text or _BOX.search(text) is None:
        return []
    closing: dict[int, int] = {}  # index of "{" -> index of its "}"
    stack: list[int] = []
    for match in _BRACE.finditer(text):
        if match.group() == "{":
            stack.append(match.start())
        elif match.group() == "}" and stack:
            closing[stack.pop()] = match.start()
    found = []
    for match in _BOX.finditer(text):
        brace = match.end() - 1
        close = closing.get(brace)
        if close is None:
            found.append(Box(match.start(), -1, None))
        else:
            found.append(Box(match.start(), close + 1, text[brace + 1:close].strip()))
    return found


def _box_at(text: str, match: re.Match) -> Box:
    """The box whose ``\\boxed{`` ``match`` found, read up to its closing brace."""
    depth = 0
    for brace in _BRACE.finditer(text, match.end() - 1):
        if brace.group() == "{":
            depth += 1
        elif brace.group() == "}":
            depth -= 1
            if depth == 0:
                return Box(match.start(), brace.end(), text[match.end():brace.start()].strip())
    return Box(match.start(), -1, None)


def last_boxed(text: str | None) -> str | None:
    """Content of the last ``\\boxed{...}`` (or ``\\fbox{...}``); None if absent or unclosed."""
    starts = list(_BOX.finditer(text)) if text else []
    return _box_at(text, starts[-1]).content if starts else None


def final_boxes(text: str | None) -> list[Box]:
    """The boxes of the final answer statement: the last box, with the boxes just before it
    that are joined to it only by ``,``, ``;``, "and", "or", line breaks, list bullets, math
    delimiters or a ``x =`` label. Empty when there is no box; ``[Box(..., content=None)]``
    when the last box is unclosed (a truncated answer). Raises RowTimeout when the statement
    has more than MAX_ANSWER_BOXES boxes.

    Each box is read from its start to its closing brace, last first, and the walk stops at
    the first box that is not part of the statement, so the cost is linear in the text."""
    starts = list(_BOX.finditer(text)) if text else []
    if not starts:
        return []
    group = [_box_at(text, starts[-1])]  # from the last box backwards
    if group[0].content is None:
        return group
    for match in reversed(starts[:-1]):
        box = _box_at(text, match)
        if box.content is None or box.end > group[-1].start:  # unclosed, or encloses the group
            break
        if not _joins(text[box.end:group[-1].start]):
            break
        group.append(box)
        if len(group) > MAX_ANSWER_BOXES:
            raise RowTimeout(f"more than {MAX_ANSWER_BOXES} boxes in the final statement")
    return group[::-1]


def final_boxed(text: str | None) -> str | None:
    """The final statement's answer: its boxes' distinct contents joined by ``", "``
    (``1, -3`` for ``x = \\boxed{1} or x = \\boxed{-3}``); None without a box, or when the
    last box is unclosed or empty (a truncated answer: earlier boxes do not replace it)."""
    return joined(final_boxes(text))


def joined(group: list[Box]) -> str | None:
    """The answer of a group of boxes from :func:`final_boxes` (see :func:`final_boxed`)."""
    if not group or not group[-1].content:
        return None
    return ", ".join(dict.fromkeys(b.content for b in group if b.content))


_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_MAX_JOIN_GAP = 200  # characters; a longer gap is prose, and the check stays cheap


def _joins(gap: str) -> bool:
    if len(gap) > _MAX_JOIN_GAP or _BLANK_LINE.search(gap):
        return False
    return _CONNECTOR.fullmatch(_DELIMITERS.sub(" ", gap)) is not None


def has_box(text: str | None) -> bool:
    return bool(text) and _BOX.search(text) is not None
