"""Extraction and math-verify grading for the math plugin (imports math-verify and sympy)."""
from __future__ import annotations

import cmath
import logging
import math
import numbers
import re
import threading
import time
from functools import lru_cache
from itertools import product

from math_verify import ExprExtractionConfig, LatexExtractionConfig, parse, verify
from math_verify.errors import TimeoutException
from math_verify.utils import timeout

from gnosis_core.answers import final_answer_region, has_box, last_boxed
from gnosis_core.errors import RowTimeout
from gnosis_core.limits import cpu_budget_armed, row_timeout_s

# Only anchored statements ("the final answer is X", "answer: X"): without a box, a bare
# number somewhere in the reply is not an answer.
_STATEMENT_CONFIG = (
    LatexExtractionConfig(try_extract_without_anchor=False, boxed_match_priority=-1),
    ExprExtractionConfig(try_extract_without_anchor=False),
)
_UNESCAPED_DOLLAR = re.compile(r"(?<!\\)\$")
# "40 dollars": plain unit words after a number, which math-verify only drops for the
# units it knows; \text{...} units it already handles.
_TRAILING_WORDS = re.compile(r"^(.*\d\}?)\s+([A-Za-z]{3,}(?:\s+[A-Za-z]+)*)\s*\.?$", re.DOTALL)


class _QuietOwnTimeout(logging.Filter):
    """math-verify warns when its timeout is off; inside a grading worker that is on purpose
    (the row's CPU-time budget interrupts instead)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Timeout is disabled")


for _name in ("math_verify.parser", "math_verify.grader"):
    logging.getLogger(_name).addFilter(_QuietOwnTimeout())


class _Deadline:
    """One row's time budget, spent across math-verify's parse and verify calls."""

    def __init__(self):
        # signal.alarm works only in the main thread; elsewhere run without math-verify's
        # timeout and rely on the label stage's watchdog. Inside a grading worker the row's
        # CPU-time budget interrupts instead: a wall-clock alarm would tie labels to load.
        self.enabled = threading.current_thread() is threading.main_thread() and not cpu_budget_armed()
        self.end = time.monotonic() + row_timeout_s()

    def seconds(self) -> int | None:
        if not self.enabled:
            return None
        left = self.end - time.monotonic()
        if left <= 0:
            raise RowTimeout(f"row ran past {row_timeout_s():g}s")
        return max(1, math.ceil(left))  # signal.alarm takes whole seconds


def _as_latex(text: str) -> str:
    """Text as math-verify input: bare LaTeX is wrapped in ``$...$`` so it parses as math."""
    text = text.strip()
    if _UNESCAPED_DOLLAR.search(text):
        return text
    match = _TRAILING_WORDS.match(text)
    if match:
        text = f"{match.group(1)}\\text{{ {match.group(2)}}}"
    return f"${text}$"


def _parse(text: str, deadline: _Deadline, **options) -> list:
    seconds = deadline.seconds()  # out of the try: running out of time is no parse failure
    try:
        return parse(text, parsing_timeout=seconds, raise_on_error=True, **options)
    except TimeoutException as exc:
        raise RowTimeout(f"math-verify parsing ran past {row_timeout_s():g}s") from exc
    except Exception:
        return []


def extract_boxed(completion: str, row=None) -> str | None:
    """The last ``\\boxed{}`` after thinking, else a "the (final) answer is X" statement."""
    region = final_answer_region(completion)
    if not region or not region.strip():
        return None
    if has_box(region):
        return last_boxed(region) or None
    # first_match: the value and its source text come from the same (rightmost) statement.
    found = _parse(region, _Deadline(), extraction_config=_STATEMENT_CONFIG,
                   fallback_mode="first_match", extraction_mode="first_match")
    if len(found) != 2:  # nothing parsed: [] or just the raw fallback string
        return None
    return found[1].strip() or None


def _gold_text(gold) -> str | None:
    if isinstance(gold, str):
        text = gold.strip()
    elif isinstance(gold, numbers.Number) and not isinstance(gold, bool) and gold == gold:
        text = str(gold)  # NaN fails gold == gold
    else:
        return None
    if has_box(text):
        return last_boxed(text)  # a worked solution: its boxed answer
    return text or None


@lru_cache(maxsize=4096)
def _parsed_gold(text: str) -> tuple | None:
    """Each distinct gold is parsed once per process; None when nothing parses."""
    try:
        found = _parse(_as_latex(text), _Deadline())
    except RowTimeout:
        return None  # a gold that cannot be parsed in time is unusable, not the row's fault
    # math-verify also returns the raw string when parsing failed; that alone is no gold.
    return tuple(found) if any(not isinstance(f, str) for f in found) else None


def grade(prediction: str, gold, row=None) -> bool | None:
    """Whether ``prediction`` equals ``gold`` by value; None when the gold is unusable."""
    text = _gold_text(gold)
    gold_parsed = _parsed_gold(text) if text else None
    if gold_parsed is None:
        return None
    if not isinstance(prediction, str) or not prediction.strip():
        return False
    if _squeezed(prediction) == _squeezed(text):
        return True  # the same text parses to the same value: no need to ask sympy
    return _matches(text, prediction.strip(), gold_parsed)


def _squeezed(text: str) -> str:
    return "".join(text.split()).strip("$")


@lru_cache(maxsize=16384)
def _matches(gold_text: str, prediction: str, gold_parsed: tuple) -> bool:
    """Cached per (gold, prediction): sampled completions of one question repeat answers."""
    deadline = _Deadline()
    pred_parsed = _parse(_as_latex(prediction), deadline)
    # Pair by pair, so that one failing comparison does not hide the others, and a
    # timeout (math-verify's TimeoutException) is told apart from an ordinary error.
    percent = "%" in gold_text or "%" in prediction  # math-verify counts 9% as 9
    for g, p in product(gold_parsed, pred_parsed):
        try:
            if not percent and _far_apart(g, p, deadline):
                continue
            if verify(g, p, timeout_seconds=deadline.seconds(), raise_on_error=True):
                return True
        except (TimeoutException, RowTimeout) as exc:
            raise RowTimeout(f"math-verify comparison ran past {row_timeout_s():g}s") from exc
        except Exception:
            continue  # e.g. \frac{5}{0}: undefined is wrong, not a crash
    return False


def _far_apart(gold, pred, deadline: _Deadline) -> bool:
    """Two constants whose values differ far beyond any rounding math-verify forgives
    cannot be equal, so skip its symbolic simplification (the slow part of grading a
    wrong answer such as 36 against 5*sqrt(7))."""
    from sympy import Expr

    if not (isinstance(gold, Expr) and isinstance(pred, Expr) and gold.is_number and pred.is_number):
        return False
    try:
        a, b = timeout(deadline.seconds())(lambda: (complex(gold.evalf(15)), complex(pred.evalf(15))))()
    except TimeoutException as exc:
        raise RowTimeout(f"evaluating the answers ran past {row_timeout_s():g}s") from exc
    except Exception:  # not a finite number (zoo, nan, ...): let math-verify decide
        return False
    if not (cmath.isfinite(a) and cmath.isfinite(b)):
        return False
    return abs(a - b) > 1e-4 * max(1.0, abs(a), abs(b))
