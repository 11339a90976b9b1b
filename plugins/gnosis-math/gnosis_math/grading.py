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

from gnosis_core.answers import final_answer_region, final_boxed, final_boxes, has_box, joined
from gnosis_core.errors import RowTimeout, Unverifiable
from gnosis_core.limits import cpu_budget_armed, row_timeout_s
from gnosis_math import plain, units

# Only anchored statements ("the final answer is X", "answer: X"): without a box, a bare
# number somewhere in the reply is not an answer.
_STATEMENT_CONFIG = (
    LatexExtractionConfig(try_extract_without_anchor=False, boxed_match_priority=-1),
    ExprExtractionConfig(try_extract_without_anchor=False),
)
# Every statement math-verify anchors on names the answer; a text without the word has none.
_ANSWER_WORD = re.compile(r"(?i)answer")
# After a box only an explicit statement replaces it: "the (final) answer (to ...) is X",
# "Answer: X"; not "this answer checks all 3 conditions".
_EXPLICIT_STATEMENT = re.compile(r"(?i)\banswer\b(?:\s+to\b[^.\n]{0,60}?)?[\s*_]*(?:is\b|:)")
# A final statement sits at the end of the reply: only this much of it is searched.
_STATEMENT_TAIL_CHARS = 4000
_UNESCAPED_DOLLAR = re.compile(r"(?<!\\)\$")
# "40 dollars": plain unit words after a number, which math-verify only drops for the
# units it knows; \text{...} units it already handles.
# "5/12 of the total": a short first word only with more words after it ("3 ln" stays math).
_TRAILING_WORDS = re.compile(r"^(.*\d\}?)\s+([A-Za-z]{3,}(?:\s+[A-Za-z]+)*|[A-Za-z]{2}(?:\s+[A-Za-z]+)+)\s*\.?$",
                             re.DOTALL)
# A reply that is only an expression: "-5", "7,425,000", "$x \geq 5$", "28 percent".
_SHORT_REPLY_CHARS = 80
_MATH_DELIMITED = re.compile(r"^(?:\$+(.*?)\$+|\\\((.*?)\\\)|\\\[(.*?)\\\])$", re.DOTALL)
_LATEX_TEXT = re.compile(r"\\(?:begin|end)\s*\{[^{}]*\}|\\[A-Za-z]+|\\text\s*\{[^{}]*\}")  # not prose
_PROSE_WORD = re.compile(r"[A-Za-z]{2,}")

# Guards against answers that would take sympy far past the row's time limit. Real answers
# (matrices, long polynomials) stay well inside them; what exceeds them is rejected
# before any parsing or evaluation.
MAX_ANSWER_CHARS = 1000
MAX_NESTING = 20      # braces, parentheses and brackets inside one another
MAX_DIGITS = 10_000   # decimal digits of any number the answer would evaluate
_BRACKET = re.compile(r"\\[{}()\[\]]|[{(\[]|[})\]]")


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


_EMPTY_SET = re.compile(r"\\varnothing(?![A-Za-z])\s*")


def _as_latex(text: str) -> str:
    """Text as math-verify input: plain-text and Unicode math written as LaTeX
    (:mod:`gnosis_math.plain`), and bare LaTeX wrapped in ``$...$`` so it parses as math."""
    text = _EMPTY_SET.sub(r"\\emptyset ", plain.as_latex(text.strip()))  # math-verify reads \varnothing as a symbol
    if _UNESCAPED_DOLLAR.search(text):
        return text
    match = _TRAILING_WORDS.match(text)
    # a word that operates on the number ("12 squared" not rewritten) is no unit to drop
    if match and not plain.OPERATION_WORD.search(match.group(2)):
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


# ---------------------------------------------------------------- extraction

def extract_boxed(completion: str, row=None) -> str | None:
    """The final answer after thinking (see :func:`stated_answer`), else a final sentence
    that gives a value ("So the area is $12$."); read up to a next question the reply goes
    on to write."""
    region = final_answer_region(completion)
    if not region or not region.strip():
        return None
    return before_next_question(region, row, stated_answer, lambda text: stated_answer(text, final_sentence=True))


def stated_answer(region: str, final_sentence: bool = False) -> str | None:
    """The boxes of the last boxed statement, unless an answer statement ("the final answer
    is X") follows them; else such a statement; else a GSM8K-style ``#### X`` line; else a
    reply that is only a short expression; else, with ``final_sentence``, a last sentence
    that gives a value."""
    group = final_boxes(region)
    if group:
        # "... = \boxed{12} ... The final answer is $10{,}455$": the later statement wins.
        tail = region[group[-1].end:] if group[-1].content is not None else ""
        later = _statement(tail) if _EXPLICIT_STATEMENT.search(tail) and _restates(tail) else None
        return later or joined(group)
    return (_statement(region) or _marked_line(region) or _short_reply(region)
            or (_final_sentence(region) if final_sentence else None))


# A base model continuing a few-shot prompt writes the next exercise after its answer ("The
# final answer is $20$.\n\nProblem: ..."), or the next turn of a dialogue: what it answers
# there is not this question's answer.
# (lines found by their "\n": a multiline "^" is tried at every character of a long reply)
_NEXT_QUESTION = re.compile(r"(?i)\n[ \t#>*_]*(?:problem|question|q|human|user)[ \t*_]*:")
_RESTATED_CHARS = 40  # enough of a question's opening to tell it from another question
_NOT_WORD = re.compile(r"[\W_]+")
# The answer comes before the first next question, or the second where the reply opened by
# restating its own ("**Problem:** ..."); trying a few keeps the cost linear in the reply.
_NEXT_QUESTIONS_TRIED = 3


def before_next_question(region: str, row, read_prefix, read_whole) -> str | None:
    """The answer ``read_prefix`` finds before the first next question that has one before
    it; else ``read_whole``'s answer of the whole region. A "Question:" line that restates
    this row's own question is reasoning, not a next question."""
    question = row.get("question") if hasattr(row, "get") else None
    question = _NOT_WORD.sub(" ", question.lower()) if isinstance(question, str) else ""
    tried = 0
    for marker in _NEXT_QUESTION.finditer(region):
        if tried == _NEXT_QUESTIONS_TRIED:
            break
        if _restates_question(region[marker.end():marker.end() + 4 * _RESTATED_CHARS], question):
            continue
        tried += 1
        found = read_prefix(region[:marker.start()])
        if found is not None:
            return found
    return read_whole(region)


def _restates_question(after: str, question: str) -> bool:
    """Whether the line after a "Question:" marker opens with the (normalised) ``question``."""
    head = _NOT_WORD.sub(" ", after.lstrip().split("\n", 1)[0].lower()).strip()[:_RESTATED_CHARS]
    return bool(head) and head in question


# "#### 72": the final line of a GSM8K-style solution
_MARKED_LINE = re.compile(r"\n[ \t]*####[ \t]+(\S[^\n]*)")


def _marked_line(region: str) -> str | None:
    found = None
    for found in _MARKED_LINE.finditer("\n" + region):
        pass
    return _short_reply(found.group(1)) if found else None  # not a heading: "#### Step 2: ..."


# "The answer is in the box above", "this answer is the only one that works: 5 fails": a
# statement that points back to the box, or starts with prose, gives no new answer.
_POINTS_BACK = re.compile(r"(?i)\b(?:above|box|boxed)\b")
# ("the answer is actually 7" still corrects the box)
_STARTS_WITH_MATH = re.compile(r"(?:(?:[A-Za-z]+ly|instead|rather),?\s+)?(?:[\d$\\(\[{+\-.√π−∅]|[A-Za-z](?![A-Za-z]))")


# "If we also counted the empty set, the answer is 6", "One might think the answer is 7", "A
# naive count gives the answer: 7": an answer under a condition or someone else's is no
# correction of the box ("I made a mistake; the answer is 7" is one).
_HYPOTHETICAL = re.compile(r"(?i)\b(?:if|unless|suppose|supposing|assuming|might|would|could|may|naive(?:ly)?|tempting)\b"
                          # "many students think the answer is 7", not "I think the answer is 7" (the reply's own)
                          r"|(?<!\bI )(?<!\bwe )\b(?:thinks?|believes?|claims?|says?|said|expects?)\b"
                          r"|^\s*had\b")  # "Had repetition been allowed, the answer is 7"
_CLAUSE_START = re.compile(r"[.!?;:\n]")
# "that would double count, so the answer is 7": a consequence drawn is the reply's own answer
_CONSEQUENCE = re.compile(r"(?i)\b(?:so|therefore|thus|hence|which\s+means|meaning)\b")
# "Suppose repetition were allowed; then the answer is 7": the condition is the clause before
_THEN = re.compile(r"(?i)\s*then\b")
# "the answer is 7 if we include the empty set": the condition after the value, in its sentence
_CONDITION_AFTER = re.compile(r"(?i)[^.!?;\n]*?\b(?:if|unless|when|whenever|provided|assuming|supposing)\b")


def _restates(tail: str) -> bool:
    """Whether the last statement after a box states an answer of its own: its clause
    starts with math and does not point back to the box, and its sentence puts it under no
    condition nor in someone else's words."""
    tail = tail[-_STATEMENT_TAIL_CHARS:]
    line = _statement_line(tail)
    if line is None:
        return False
    anchor = None
    for anchor in _EXPLICIT_STATEMENT.finditer(tail):
        pass
    if anchor is not None:
        before = tail[:anchor.start()]
        starts = [0] + [m.end() for m in _CLAUSE_START.finditer(before)]
        clause = before[starts[-1]:]
        if len(starts) > 1 and _THEN.match(clause):
            clause = before[starts[-2]:]
        consequences = list(_CONSEQUENCE.finditer(clause))
        if _HYPOTHETICAL.search(clause[consequences[-1].end():] if consequences else clause):
            return False
        if _CONDITION_AFTER.match(tail, anchor.end()):
            return False
    clause = _clause_text(line)
    return bool(_STARTS_WITH_MATH.match(clause)) and not _POINTS_BACK.search(clause)


def _statement(text: str) -> str | None:
    text = text[-_STATEMENT_TAIL_CHARS:]
    if not _ANSWER_WORD.search(text):
        return None
    line = _statement_line(text)
    if line is not None and _LEADING_CONDITION.match(line):
        # "Answer: For $n = 12$, there are 233 tilings.": the value comes after the case it is for
        line = line[_LEADING_CONDITION.match(line).end():]
        text = f"Answer: {line}"
    if line is not None and opens_with_prose(line):
        # "Answer: There are 5 ways.", "**Answer:**" and "The minimum is 5." below it: the value
        # the sentence gives; a line of other prose below "Answer:" ("Let me verify: 2+3=5") gives none
        sentence = _FINAL_SENTENCE.match(line.strip())
        if sentence or not _LATEX_MARKUP.search(line):
            return _sentence_value(sentence.group(1)) if sentence else None
    written = _clause(line) if line is not None else None
    if written is not None:
        return written
    # math-verify's reading drops a unit ("$51.8\text{ m}$" gives 51.8) or a scale word
    # ("$12\text{ thousand}$" gives 12) and cannot read a repeating decimal's bar or a vector's
    # angle brackets: those are kept as written, as a box keeps them
    math = _leading_math(line) if line is not None else None
    unit = units.split(math) if math else None
    if math and (unit and unit[1] != "deg" or "\\overline" in math or "\\langle" in math  # a degree sign it keeps
                 or _ends_before_prose(line)  # "$6$ since $2+3=5$": the rest is no answer
                 or _number_word(math)  # "$seventy-eight$", which it reads as a difference
                 or plain.SCALE_WORD.search(math)):
        return math
    if math and _as_interval(math):  # "$x<2 \text{ or } x>3$", "$x<2$ or $x>3$": read as a list
        joined = _JOINED_MATH.match(line, _LEADING_MATH.match(line).end())
        return _clause_text(_UNESCAPED_DOLLAR.sub(" ", line)) if joined else math
    if math and _goes_on_in_parentheses(line):  # "$3$ (or $4$)", "$2$ $(\sqrt{3})$": all of it
        return _clause_text(_UNESCAPED_DOLLAR.sub(" ", line))
    # first_match: the value and its source text come from the same (rightmost) statement.
    # a ~ is LaTeX's unbreakable space, which math-verify's statement parser stops at; it
    # reads a degree sign only as ^\circ, not as gensymb's \degree
    readable = _DEGREE.sub(r"^\\circ", _TILDE.sub(" ", text))
    found = _parse(readable, _Deadline(), extraction_config=_STATEMENT_CONFIG,
                   fallback_mode="first_match", extraction_mode="first_match")
    if len(found) == 2 and found[1].strip():  # else nothing parsed: [] or just the raw fallback string
        return found[1].strip()
    # "the answer is odd": a word is the answer only where the statement holds no math
    return _word(line) if line is not None else None


def opens_with_prose(text: str) -> bool:
    """Whether an answer's text opens with words ("There are 5 ways", "The sum is 5", also
    after the case it is for: "For n = 12, there are 233 tilings")."""
    condition = _LEADING_CONDITION.match(text)
    return bool(_PROSE.match(_clause_text(text[condition.end():] if condition else text)))


def answer_statement(text: str) -> str | None:
    """The answer of the last answer statement in ``text`` ("the answer is X", "Answer:" and
    X on the lines below it), as the math task reads one without a box; None without one."""
    return _statement(text)


_TILDE = re.compile(r"(?<!\\)~")
_DEGREE = re.compile(r"\\degree(?![A-Za-z])")
# "### Final Answer" or "**Final Answer**" on a line of its own: the answer follows it
_ANSWER_HEADING = re.compile(r"(?im)^[ \t#*_>]*(?:final\s+)?answer[ \t*_]*$")
# The rest of a plain-text statement after its anchor: to the end of the sentence or line.
# "6 (since 2+3=5)", "6 (i.e. 5+1)", "6 — the number of ways": a remark in words after the value,
# whose numbers are no part of the answer.
# Not a remark but part of the answer: a word that opens math ("2 (sqrt 3)", "3 (arctan 2)") or
# scales or operates on the value ("5 (thousand)", "7 (squared)", "6 (times 10^3)"); another value
# ("3 (or 4)", "3 (and -3)": a hedge or a second solution); two letters that are variables ("2 (ab)")
_OPENS_MATH = (r"(?:a?(?:sqrt|sinh?|cosh?|tanh?|coth?|sech?|csch?)|arc[a-z]+|log|ln|exp|pi|times|plus|minus|over"
               r"|hundreds?|thousands?|millions?|billions?|trillions?|dozens?|squared|cubed|factorial|power|repeating"
               r"|recurring|or|and|both|also|either)\b")
_REMARK_WORD = r"(?:[A-Za-z]{3,}|in|to|as|at|by|is|of|on|we|it|cm|mm|km|kg|mg|ft|yd|mi|ml|hr)\b"
_REMARK = (r"(?:\s+\(|\s*[\u2014\u2013]|\s+--)\s*(?=i\.e\.|e\.g\.|(?!" + _OPENS_MATH + ")" + _REMARK_WORD + ")")
# "5, attained when x = 2", "$5$ at $x = 2$": where the value holds (its argument, the case counted)
_WHERE_IT_HOLDS = r"(?:achieved|attained|obtained|reached|occurring|when|where|at(?!\s+(?:most|least)\b))"
_SENTENCE_END = re.compile(r"\.(?=\s|$)|;\s|\s+(?:because|since|which|as|where|when|so|but|for)\b"
                           r"|,\s+(?:so|which|because|since|as)\b|(?<=[\d)}$]),?\s+" + _WHERE_IT_HOLDS
                           + r"\b|\s+(?:in\s+(?:total|all)|altogether)\b|" + _REMARK)
# "For $n = 12$, ...", "When x = 2, ...": the case an answer sentence opens with (an equation,
# so that "At least 5, maybe 6" is no case), whose value is no answer
_LEADING_CONDITION = re.compile(r"(?i)[ \t*_]*(?:for|when|with|if|at|given)\s"
                                r"[^,\n=]{0,40}=[^,\n]{1,40},\s*")
_FILLER = re.compile(r"(?i)^(?:(?:therefore|thus|then|hence|indeed|clearly|simply|exactly|just|now|finally|actually|equal\s+to)\b,?\s*)+")
_LATEX_MARKUP = re.compile(r"\$|\\[(\[]|\\(?:boxed|fbox)\b")
_DOLLAR_UNIT = re.compile(r"(?<=\d)\s*\$[A-Za-z][^$]{0,20}\$")  # "3.7 $m/s^2$": only the unit is math
_MATH_CONTENT = re.compile(r"[\d\\π√∞∅]|(?<![A-Za-z])[A-Za-z](?![A-Za-z])")
_WORD = re.compile(r"[A-Za-z]+(?:[-'][A-Za-z]+)*")  # "odd", "Monday", "x-intercept"
# "the answer is $871.00": a dollar sign before an amount, with no second $ to make it math
_CURRENCY = re.compile(r"(?<!\\)\$(?=\d)")


def _statement_line(text: str) -> str | None:
    """The line of the last explicit statement ("the answer is 5/12.", "Answer: 3 1/4",
    "the answer is:" and the answer on the next line) from its answer on. Read by
    ``_clause`` when it is written without LaTeX markup: its whole clause, which
    math-verify's own reading of plain text cuts short (``5/12`` read as 5, ``[4, 9]`` as 4)."""
    last = None
    for last in _EXPLICIT_STATEMENT.finditer(text):
        pass
    for heading in _ANSWER_HEADING.finditer(text, last.end() if last else 0):
        last = heading
    if last is None:
        return None
    rest = text[last.end():].lstrip(" \t*_:")  # "the answer is: 5", "the answer is **5**"
    if rest.startswith("\n"):  # "the answer is:" and the answer on the next line
        rest = rest.lstrip()
        return _listed(rest) or rest.split("\n", 1)[0]
    return rest.split("\n", 1)[0]


# "- $x = 2$", "2. $7$": an item of a markdown list (its marker no minus sign)
_LIST_ITEM = re.compile(r"[ \t]*(?:[-*+\u2022]|\d{1,2}[.)])[ \t]+(\S.*)")


def _listed(lines: str) -> str | None:
    """The values of a list of two or more items that each are only math ("**Answer:**" and
    "- $x = 2$", "- $x = 7$" below it), joined as one list ("x = 2, x = 7"); else None: the
    first item alone would answer for all of them."""
    values = []
    for line in lines.split("\n"):
        if not line.strip():
            continue
        item = _LIST_ITEM.fullmatch(line.rstrip())
        if item is None:
            break
        value = _short_reply(item.group(1).rstrip(",;"))
        if value is None:
            return None
        values.append(value)
    return ", ".join(values) if len(values) > 1 else None


_LEADING_MATH = re.compile(r"\s*(?:\$\$?((?:\\\$|[^$])+)\$\$?|\\\((.+?)\\\)|\\\[(.+?)\\\])", re.DOTALL)


# (not a sentence end or "so", after which a statement may go on to its answer: "$m/n = 2/3$, so $m+n = 5$")
_REASON_OR_REMARK = re.compile(r",?\s+(?:because|since|" + _WHERE_IT_HOLDS + r")\b|" + _REMARK)


def _ends_before_prose(line: str) -> bool:
    """Whether the LaTeX a line starts with ends its statement: a reason ("since ...") or a
    remark ("(the number of ways)") follows it, whose math is no part of the answer."""
    match = _LEADING_MATH.match(line)
    return bool(match) and _REASON_OR_REMARK.match(line, match.end()) is not None


_JOINED_MATH = re.compile(r"\s*,?\s*(?:or|and)\s+\$")
_PARENTHESIS = re.compile(r"\s*\$?\s*\(")


def _goes_on_in_parentheses(line: str) -> bool:
    """Whether the LaTeX a line starts with goes on in a parenthesis that is no remark: a
    second value ("$3$ (or $4$)") or more of the answer ("$2$ (\\sqrt{3})", "$5$ (thousand)")."""
    match = _LEADING_MATH.match(line)
    return bool(match) and _PARENTHESIS.match(line, match.end()) is not None and not _ends_before_prose(line)


def statement_answer(text: str) -> str:
    """The answer a statement's text gives ("6 (since 2+3=5)" gives 6, "$6$ since $2+3=5$"
    gives 6): plain text up to the end of its sentence or a remark in words; LaTeX up to a
    reason or a remark."""
    text = text.strip()
    if _ends_before_prose(text):
        return _leading_math(text)
    if _LATEX_MARKUP.search(text):
        return text
    return _SENTENCE_END.split(text, 1)[0].strip() or text


def _leading_math(line: str) -> str | None:
    """The LaTeX a statement's line starts with, as written: "$51.8\\text{ km}$, as required"."""
    match = _LEADING_MATH.match(line)
    return next(g for g in match.groups() if g is not None).strip() if match else None


def _clause(line: str) -> str | None:
    """The math a plain-text line starts with: up to the end of its sentence. None when
    the line is LaTeX (math-verify reads that) or its clause holds no math."""
    written = line
    if len(_UNESCAPED_DOLLAR.findall(line)) == 1:
        line = _CURRENCY.sub("", line)
    if _LATEX_MARKUP.search(_DOLLAR_UNIT.sub("", line)):
        return None
    value = _clause_text(line)
    if not value or len(value) > _SHORT_REPLY_CHARS or not _MATH_CONTENT.search(value):
        return None
    # "$81.90": the dollar sign dropped before the amount is its unit (81.90 cents is another amount)
    return f"\\${value}" if written != line and "$" + value in written else value


def _clause_text(line: str) -> str:
    return _FILLER.sub("", _SENTENCE_END.split(line, 1)[0].strip(" \t*_")).strip(" \t*_")


def _word(line: str) -> str | None:
    """A clause that is one word ("the answer is **odd**."), which MATH golds write as
    ``\\text{odd}``."""
    value = _clause_text(line)
    return value if _WORD.fullmatch(value) else None


# "Therefore, the roots are (2, -3).", "So there are 5 ways.": the last line names what it gives
# and gives it.
_FINAL_SENTENCE = re.compile(r"(?i)^[\W_]*(?:(?:so|thus|therefore|hence|in\s+total|altogether)\b,?\s*)?"
                             r"(?:the\s+[a-z][a-z ]{0,40}?\s+(?:is|are)|there\s+(?:is|are)(?:\s+exactly)?)\s+(.+)$")
# "Let me verify", "There are 5 ways": a clause that opens with two words is prose (a function's
# name opens math: "sqrt 2", "pi over 4")
_PROSE = re.compile(r"(?i)(?!(?:sqrt|pi|ln|log|sin|cos|tan|exp|arc[a-z]+|infinity|negative|minus)\b)"
                    r"[a-z]{2,}\s+[a-z]{2,}\b")
_WORDS_ONLY = re.compile(r"[\sA-Za-z,.!]*")


def _final_sentence(region: str) -> str | None:
    """The value of a final line such as "The roots are (2, -3)." or "So the area is
    $12$.": a finished statement of the result that does not use the word "answer"."""
    line = region.strip().rsplit("\n", 1)[-1].strip()
    # a finished sentence: a reply cut off by the token limit mid-reasoning states no result
    if len(line) > _STATEMENT_TAIL_CHARS or not line.endswith((".", "!", "$", "\\)", "\\]")):
        return None
    match = _FINAL_SENTENCE.match(line)
    return _sentence_value(match.group(1)) if match else None


def _sentence_value(value: str) -> str | None:
    """The value a sentence's predicate gives: "$12$.", "(2, -3).", "5 ways.", "$5$ ways.", "odd."."""
    value = value.strip()
    delimited = _MATH_DELIMITED.match(value.rstrip(".").strip())
    if delimited:
        return next(g for g in delimited.groups() if g is not None).strip() or None
    leading = _LEADING_MATH.match(value)
    if leading and _WORDS_ONLY.fullmatch(value, leading.end()):  # "$5$ ways."
        return _leading_math(value)
    if opens_with_prose(value):  # "The maximum is achieved at x = 3, giving 10.": no value named
        return None
    return _clause(value) or _word(value)


def _short_reply(region: str) -> str | None:
    """The whole reply when it is one short line of math and no prose."""
    text = region.strip()
    if len(text) > _SHORT_REPLY_CHARS or "\n" in text:
        return None
    text = text.rstrip(".").strip("*_ ").rstrip(".").strip()  # markdown emphasis, a full stop
    delimited = _MATH_DELIMITED.match(text)
    if delimited:
        text = next(g for g in delimited.groups() if g is not None).strip()
    if _WORD.fullmatch(text):  # a one-word reply: "odd", "Monday"
        return text
    words = _TRAILING_WORDS.match(text)  # "28 percent": a number and its unit
    rest = plain.as_latex(words.group(1) if words else text)  # "sqrt(2)/2", "4 and 9" are math
    if not text or _PROSE_WORD.search(_LATEX_TEXT.sub(" ", rest)):
        return None
    return text


# ---------------------------------------------------------------- grading

def _gold_text(gold) -> str:
    """The gold as answer text; raises Unverifiable saying why there is none."""
    if isinstance(gold, str):
        text = gold.strip()
    elif isinstance(gold, numbers.Number) and not isinstance(gold, bool):
        if gold != gold:  # NaN: a missing value read from a table
            raise Unverifiable("no gold answer")
        text = str(gold)
    elif gold is None:
        raise Unverifiable("no gold answer")
    else:
        raise Unverifiable(f"gold is a {type(gold).__name__}, not a number or LaTeX text")
    if has_box(text):  # a worked solution: its boxed answer
        try:
            text = final_boxed(text) or ""
        except RowTimeout as exc:
            raise Unverifiable(f"gold not gradable: {exc}") from exc
        if not text:
            raise Unverifiable("gold's last \\boxed{} is empty or not closed")
    if not text:
        raise Unverifiable("gold is empty")
    return text


def grade(prediction: str, gold, row=None, *, rel_tol: float | None = None,
          abs_tol: float | None = None) -> bool:
    """Whether ``prediction`` equals ``gold`` by value. Raises Unverifiable when the gold is
    unusable and RowTimeout when the prediction is too costly to grade. With ``rel_tol`` or
    ``abs_tol`` two numbers are also equal when ``math.isclose`` says so with them."""
    return decide(prediction, gold, rel_tol=rel_tol, abs_tol=abs_tol)[0]


def decide(prediction: str, gold, *, rel_tol: float | None = None, abs_tol: float | None = None) -> tuple[bool, str]:
    """The verdict and the rule that decided it (shown by ``gnosis grade``; the tolerance
    rule also goes into ``grade_detail``)."""
    text = _gold_text(gold)
    if isinstance(prediction, str):
        prediction = _EMPHASIS.sub("", prediction.strip())
    if not isinstance(prediction, str) or not prediction.strip():
        return False, "empty prediction"
    if _squeezed(prediction) == _squeezed(text):
        return True, "same text"  # the same answer, whether or not sympy can read it
    _check_size(prediction, "prediction")  # before the text rules below read it whole
    by_choice = _by_choice(prediction, text, rel_tol, abs_tol)
    if by_choice is not None:
        return by_choice
    prediction, text = _number_word(prediction) or prediction, _number_word(text) or text  # "\boxed{four}"
    words = _words(prediction), _words(text)
    if all(words) and any(map(_is_word, words)):
        same = words[0].casefold() == words[1].casefold()
        return same, SAME_WORD if same else OTHER_WORD
    problem = _parsed_gold(text)
    if isinstance(problem, str):
        raise Unverifiable(problem)
    gold_unit, unit = units.split(text), units.split(prediction)
    if gold_unit and unit and not _same_unit(gold_unit[1], unit[1]):
        return False, OTHER_UNIT
    prediction, text = _as_compared(prediction, text)
    verdict = _matches(text, prediction.strip(), rel_tol or None, abs_tol or None)
    if not verdict[0] and gold_unit and unit:
        # the gold's unit written another way ("37°F" against 37^\circ\text{F}): the value
        # alone, which is accepted against a gold with a unit as it always was
        return _matches(text, unit[0].strip(), rel_tol or None, abs_tol or None)
    return verdict


def _as_compared(prediction: str, text: str) -> tuple[str, str]:
    """The prediction and the gold as math-verify is given them: inequalities as intervals, a
    vector's components as that vector, a value without the case it holds for."""
    # "2 \\le x \\le 5" against [2, 5], "x<2 \\text{ or } x>3" against a union: math-verify compares
    # an inequality with an interval one way round only, so both are compared as intervals
    pred_set, gold_set = _as_interval(prediction), _as_interval(text)
    if not (pred_set and gold_set and pred_set[1] != gold_set[1]):  # (two variables: left to math-verify)
        prediction, text = pred_set[0] if pred_set else prediction, gold_set[0] if gold_set else text
    prediction = _as_vector(prediction, text) or prediction
    if "=" not in text:  # (a gold that is itself a value where it holds is compared whole)
        prediction = _before_condition(prediction) or prediction
    return prediction, text


_RELATION = re.compile(r"(\\le(?:q|qslant)?|\\ge(?:q|qslant)?|\\ne(?:q)?|\\lt|\\gt|<|>)(?![A-Za-z])")
_OR = re.compile(r"\\text\s*\{\s*or\s*\}|\\(?:lor|vee|cup)(?![A-Za-z])|\bor\b")
_VARIABLE = re.compile(r"[A-Za-z]")
_SIZING = re.compile(r"\\(?:left|right)(?![A-Za-z])")


def _as_interval(text: str) -> tuple[str, str] | None:
    """(the interval or union of intervals, its variable) of an inequality in one variable:
    "x > 3", "2 \\le x < 5", "x<2 \\text{ or } x \\ge 3", "x \\ne 1"; else None."""
    text = _SIZING.sub("", plain.as_latex(text.strip().strip("$").strip()))
    pieces, names = [], set()
    for piece in _OR.split(text):
        parts = [part.strip() for part in _RELATION.split(piece)]
        found = _piece_interval(parts)
        if found is None:
            return None
        pieces.append(found[0])
        names.add(found[1])
    return (r" \cup ".join(pieces), names.pop()) if len(names) == 1 else None


def _piece_interval(parts: list[str]) -> tuple[str, str] | None:
    """One inequality, split at its relations: ["x", "\\ge", "3"] is ("[3, \\infty)", "x")."""
    if len(parts) == 3:
        left, op, right = parts
        if _VARIABLE.fullmatch(left) and _is_bound(right, left):
            name, value, below = left, right, _less(op)
        elif _VARIABLE.fullmatch(right) and _is_bound(left, right) and _less(op) is not None:
            name, value, below = right, left, not _less(op)
        else:
            return None
        if below is None:
            return rf"(-\infty, {value}) \cup ({value}, \infty)", name
        return (rf"(-\infty, {value}{_closing(op)}" if below else rf"{_opening(op)}{value}, \infty)"), name
    if len(parts) == 5 and _VARIABLE.fullmatch(parts[2]):
        low, first, name, second, high = parts
        if _less(first) is None or _less(first) != _less(second) or not (_is_bound(low, name) and _is_bound(high, name)):
            return None
        if not _less(first):
            low, first, second, high = high, second, first, low
        return f"{_opening(first)}{low}, {high}{_closing(second)}", name
    return None


def _less(relation: str) -> bool | None:
    """Whether a relation reads "less than"; None for "not equal"."""
    return None if relation.startswith("\\ne") else relation in ("<", "\\lt") or relation.startswith("\\le")


def _opening(relation: str) -> str:
    return "[" if relation.startswith(("\\le", "\\ge")) else "("


def _closing(relation: str) -> str:
    return "]" if relation.startswith(("\\le", "\\ge")) else ")"


def _is_bound(term: str, name: str) -> bool:
    """Whether ``term`` can bound the variable ``name``: it is not empty and does not hold it."""
    return bool(term) and re.search(rf"(?<![\\A-Za-z]){name}(?![A-Za-z])", term) is None


# "5 \\quad (x = 2)", "233 (n = 12)", "5 \\text{ at } x = 2": a value, then where it holds (its
# argument, the case counted), from which math-verify would read the equation's right side
# (each run of spaces read by one quantifier, so that a long run costs one pass)
_CONDITION_OPENER = re.compile(r"\(|\\text\s*\{\s*(?:\(\s*)?(?:at|when|for|if|where|with)\s*\}")
_CONDITION = re.compile(r"\s*(?:\$\s*)?(?:\\text\s*\{\s*(?:at|when|for|if|where|with)\s*\}\s*)?"
                        r"[A-Za-z](?:_\{?\w{1,3}\}?)?\s*=[^=()]*(?:\)[\s$]*)?")
# what may stand between the value and its condition, read off the value's end
_SEPARATORS = ("\\qquad", "\\quad", "\\,", "\\;", "\\:", "\\!", "\\", "$", ",", "~")
_VALUE_END = re.compile(r"[\w})\]!%]")


def _before_condition(prediction: str) -> str | None:
    """The value of "5 (x = 2)", "5 \\text{ at } x = 2": what precedes the last opener of a
    condition outside braces, where the condition is one equation in one variable; else None."""
    opener = None
    for opener in _CONDITION_OPENER.finditer(prediction):
        pass
    if opener is None or not _CONDITION.fullmatch(prediction, opener.end()):
        return None
    value = prediction[:opener.start()]
    if value.count("{") != value.count("}") or value.count("(") != value.count(")"):
        return None  # inside a fraction or a parenthesis: part of the expression
    while True:
        shorter = value.rstrip()
        shorter = next((shorter[:-len(s)] for s in _SEPARATORS if shorter.endswith(s)), shorter)
        if shorter == value:
            break
        value = shorter
    return value if value and _VALUE_END.fullmatch(value[-1]) else None


# A vector gold, as MATH writes it: one column (or one row) of a pmatrix or bmatrix.
_VECTOR = re.compile(r"\s*\$?\s*\\begin\s*\{([pb]matrix)\}(.*?)\\end\s*\{\1\}\s*\$?\s*", re.DOTALL)
# "(1, -2, 3)", "\left(1, -2\right)", "\langle 1, -2 \rangle": a vector written as its components
_COMPONENTS = re.compile(r"\s*\$?\s*(?:\\left\s*)?(?:\(|\\langle)(.*?)(?:\\right\s*)?(?:\)|\\rangle)\s*\$?\s*", re.DOTALL)
_ROW_BREAK = re.compile(r"\\\\")


def _as_vector(prediction: str, gold_text: str) -> str | None:
    """A prediction that writes a vector gold's components in a tuple ("(1, -2)" for a
    column pmatrix), as that vector; else None. The count of components must agree."""
    vector, components = _VECTOR.fullmatch(gold_text), _COMPONENTS.fullmatch(prediction)
    if not (vector and components):
        return None
    rows = [row for row in _ROW_BREAK.split(vector.group(2)) if row.strip()]
    column = len(rows) > 1 and all("&" not in row for row in rows)
    size = len(rows) if column else (len(rows[0].split("&")) if len(rows) == 1 else 0)
    parts = [part.strip() for part in _top_level_split(components.group(1))]
    if size < 2 or len(parts) != size or not all(parts):
        return None
    return r"\begin{pmatrix} " + (r" \\ " if column else " & ").join(parts) + r" \end{pmatrix}"


def _top_level_split(text: str) -> list[str]:
    """``text`` split at the commas outside any brackets or braces."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    return parts + [text[start:]]


# A name or word ("Leon", "\text{odd}"): math-verify reads it as a product of letters, which
# makes Leon equal Noel; as text it is compared by its letters, in any case.
_PLAIN_WORD = re.compile(r"\\(?:text|textbf|mathrm)\s*\{\s*([A-Za-z]{2,})\s*\}|([A-Za-z]{2,})")
SAME_WORD, OTHER_WORD = "the same word", "another word"
OTHER_UNIT = "another unit than the gold's"


_ONES_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
                "sixteen seventeen eighteen nineteen").split()
_TENS_WORDS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_NUMBER_WORD = re.compile(r"(?i)\s*\$?\s*(?:\\(?:text|textbf|mathrm)\s*\{\s*([a-z -]+?)\s*\}|([a-z -]+?))\s*\$?\s*\.?\s*")


def _number_word(text: str) -> str | None:
    """The digits of an answer written as a number word below a hundred ("four", "twenty-one",
    "\\text{Seven}"); None for any other text."""
    match = _NUMBER_WORD.fullmatch(text)
    if not match:
        return None
    words = re.split(r"[\s-]+", (match.group(1) or match.group(2)).lower())
    if len(words) == 1 and words[0] in _ONES_WORDS:
        return str(_ONES_WORDS.index(words[0]))
    if words and words[0] in _TENS_WORDS and (len(words) == 1 or len(words) == 2 and words[1] in _ONES_WORDS[1:10]):
        return str(20 + 10 * _TENS_WORDS.index(words[0]) + (_ONES_WORDS.index(words[1]) if len(words) == 2 else 0))
    return None


def _is_word(letters: str) -> bool:
    """A word or name (odd, Monday, Amy), not a product of variables (xy, abc) or points (AB)."""
    return len(letters) >= 4 or letters[:1].isupper() and letters[1:].islower() and len(letters) > 1


def _words(text: str) -> str | None:
    match = _PLAIN_WORD.fullmatch(text.strip().strip("$").strip())
    return (match.group(1) or match.group(2)) if match else None


def _same_unit(gold: str, prediction: str) -> bool:
    """Whether two unit names agree; degrees without a scale agree with °C and °F."""
    return gold == prediction or "deg" in (gold, prediction) and gold[:3] == prediction[:3] == "deg"


# An answer choice before its value, as AMC solutions write it: "\textbf{(C)}\ 3", "(C) 3".
_TEXT_COMMAND = r"\\(?:textbf|text|mathrm|mathbf)\s*\{\s*"  # the wrapper of a letter: \textbf{...
# "\text{(B) 7}": the value inside the letter's \text{}
_CHOICE = re.compile(rf"\s*\$?\s*(?:{_TEXT_COMMAND}\(([A-E])\)\s*([^{{}}]*?)\s*\}}|\(([A-E])\))"
                     r"(?:\s|~|\\[ ,;:!]|\\q?quad)*(.*?)\s*\$?\s*", re.DOTALL)
_BARE_LETTER = re.compile(rf"\s*\$?\s*(?:{_TEXT_COMMAND}([A-E])\s*\}}|([A-E]))\s*\$?\s*")
SAME_CHOICE = "the same answer choice"
OTHER_CHOICE = "another answer choice"


def _choice(text: str) -> tuple[str | None, str]:
    """(the choice letter, the value after it) of "\\textbf{(C)}\\ 3"; (None, text) without one."""
    match = _CHOICE.fullmatch(text)
    if not match:
        return None, text
    return match.group(1) or match.group(3), " ".join(filter(None, (match.group(2), match.group(4).strip())))


def _by_choice(prediction: str, gold_text: str, rel_tol, abs_tol) -> tuple[bool, str] | None:
    """Where either side names an answer choice: the letters must agree where both name one,
    and the values where both give one; None where neither does, or nothing is left to compare."""
    gold_letter, gold_value = _choice(gold_text)
    letter, value = _choice(prediction)
    if gold_letter is None and letter is None:
        return None
    if gold_letter and letter is None and (bare := _BARE_LETTER.fullmatch(prediction)):
        letter, value = bare.group(1) or bare.group(2), ""  # "\\boxed{C}" names a choice where the gold does
    if gold_letter and letter:
        if letter != gold_letter:
            return False, OTHER_CHOICE
        if not (gold_value and value):
            return True, SAME_CHOICE
    elif not (gold_value and value):
        return None
    try:
        equal, rule = decide(value, gold_value, rel_tol=rel_tol, abs_tol=abs_tol)
    except Unverifiable:
        return None
    return equal, (f"{SAME_CHOICE}, {rule}" if gold_letter and letter else rule)


# Markdown bold around an answer passed as it is written (gnosis grade --completion "**odd**"):
# never math (a conjugate z^* has one star).
_EMPHASIS = re.compile(r"^(?:\*\*|__)+|(?:\*\*|__)+$")


def _squeezed(text: str) -> str:
    return "".join(text.split()).strip("$")


@lru_cache(maxsize=4096)
def _parsed_gold(text: str) -> tuple | str:
    """Each distinct gold is parsed once per process: its values, or why it has none."""
    try:
        _check_size(text, "gold")
        found = _parse(_as_latex(text), _Deadline())
        _check_magnitude(found, "gold")
    except RowTimeout as exc:  # a gold too costly to parse is unusable, not the row's fault
        reason = str(exc)
        return reason if reason.startswith("gold") else f"gold not parseable in time: {reason}"
    # math-verify also returns the raw string when parsing failed; that alone is no gold.
    values = tuple(f for f in found if not isinstance(f, str))
    return values or f"gold not parseable: {_clip(text)}"


# The rules that decide, as ``gnosis grade`` names them.
EQUAL, NOT_EQUAL = "math-verify: equal", "math-verify: not equal"
FAR_APART = "numbers differ by more than rounding"
ROUNDED_AWAY = "numbers below 0.01 differ past 4 significant digits"
IMAGINARY_UNIT = "math-verify: equal with i as the imaginary unit"
BINARY_ROUNDING = "equal but for the binary rounding of a decimal (2.3e5 against 230000)"
PERCENT_AS_UNIT = "math-verify: equal, the percent sign read as a unit"
_PERCENT_SIGN = re.compile(r"\\?%\s*\.?\s*$")  # a trailing "%" or "\%"
# Below this magnitude math-verify's 6 decimal places hold fewer than 4 significant digits
# (1.6e-19 and 1.7e-19 round to the same 0.000000): there floats must agree as closely,
# relatively, as they must at this magnitude.
_SMALL = 1e-2
_SMALL_REL_PRECISION = 1e-4


@lru_cache(maxsize=16384)
def _matches(gold_text: str, prediction: str, rel_tol: float | None = None,
             abs_tol: float | None = None) -> tuple[bool, str]:
    """Cached per (gold, prediction) text: sampled completions of one question repeat
    answers. Keyed on strings only: parsed values (a sympy matrix) need not be hashable."""
    gold_parsed = _parsed_gold(gold_text)
    deadline = _Deadline()
    _check_size(prediction, "prediction")
    pred_latex = _as_latex(prediction)
    pred_parsed = _parse(pred_latex, deadline)
    _check_magnitude(pred_parsed, "prediction")
    # Pair by pair, so that one failing comparison does not hide the others, and a
    # timeout (math-verify's TimeoutException) is told apart from an ordinary error.
    percent = "%" in gold_text or "%" in pred_latex  # math-verify counts 9% as 9
    rule = NOT_EQUAL
    for g, p in product(gold_parsed, pred_parsed):
        try:
            values = None if percent else _values(g, p, deadline)
            if values is not None and _far_apart(*values):
                rule = FAR_APART
            elif _verify(g, p, deadline):
                if values is None or not _rounded_away(*values):
                    return True, EQUAL
                rule = ROUNDED_AWAY
            elif values is not None and _binary_rounding(g, p, *values):
                return True, BINARY_ROUNDING
            else:
                other = _with_imaginary_unit(g, p)
                if other is not None and _verify(*other, deadline):
                    return True, IMAGINARY_UNIT
            # a convention the task chose, only where the strict comparison said no
            if values is not None and (rel_tol or abs_tol) and _within(*values, rel_tol, abs_tol):
                return True, _tolerance_rule(*values, rel_tol, abs_tol)
        except (TimeoutException, RowTimeout) as exc:
            raise RowTimeout(f"math-verify comparison ran past {row_timeout_s():g}s") from exc
        except Exception:
            continue  # e.g. \frac{5}{0}: undefined is wrong, not a crash
    bare = _PERCENT_SIGN.sub("", pred_latex.strip("$")).strip()
    if percent and "%" not in gold_text and bare != pred_latex.strip("$") and bare and _at_least_one(gold_parsed):
        # math-verify counts 9% as 9 (and 0.09); a decimal percentage is counted alike, where
        # the gold cannot be the fraction the percentage stands for (0.35 against 0.35%)
        if _matches(gold_text, bare, rel_tol, abs_tol)[0]:
            return True, PERCENT_AS_UNIT
    return False, rule


def _at_least_one(values) -> bool:
    """Whether a gold is a real number of magnitude 1 or more."""
    from sympy import Expr

    for value in values:
        try:
            if isinstance(value, Expr) and value.is_number and abs(complex(value.evalf(15))) >= 1:
                return True
        except Exception:
            continue
    return False


def _verify(gold, pred, deadline: _Deadline) -> bool:
    return verify(gold, pred, timeout_seconds=deadline.seconds(), raise_on_error=True)


def _values(gold, pred, deadline: _Deadline) -> tuple[complex, complex] | None:
    """The two sides as complex numbers when both are finite constants; else None (math-verify
    decides alone). Evaluated to 15 digits under the row's deadline."""
    from sympy import Expr

    if not (isinstance(gold, Expr) and isinstance(pred, Expr) and gold.is_number and pred.is_number):
        return None
    try:
        a, b = timeout(deadline.seconds())(lambda: (complex(gold.evalf(15)), complex(pred.evalf(15))))()
    except TimeoutException as exc:
        raise RowTimeout(f"evaluating the answers ran past {row_timeout_s():g}s") from exc
    except Exception:  # not a finite number (zoo, nan, ...): let math-verify decide
        return None
    if not (cmath.isfinite(a) and cmath.isfinite(b)):
        return None
    return a, b


def _far_apart(a: complex, b: complex) -> bool:
    """Two constants whose values differ far beyond any rounding math-verify forgives
    cannot be equal, so skip its symbolic simplification (the slow part of grading a
    wrong answer such as 36 against 5*sqrt(7))."""
    return abs(a - b) > 1e-4 * max(1.0, abs(a), abs(b))


def _rounded_away(a: complex, b: complex) -> bool:
    """math-verify rounds floats to 6 decimal places, which below 0.01 leaves fewer than 4
    significant digits and makes 1.6e-19 equal 1.7e-19: there the numbers must agree to
    the relative precision that rounding gives at 0.01."""
    largest = max(abs(a), abs(b))
    return 0 < largest < _SMALL and abs(a - b) > _SMALL_REL_PRECISION * largest


def _binary_rounding(gold, pred, a: complex, b: complex) -> bool:
    """A decimal times a power of ten (2.3 * 10^5) evaluates in binary floating point to
    229999.99999999997, which sympy holds unequal to 230000: where one side has a decimal,
    agreement to 12 significant digits (far below any written precision) is equality.
    Exact numbers (integers, fractions) stay exact."""
    from sympy import Float

    return (gold.has(Float) or pred.has(Float)) and abs(a - b) <= 1e-12 * max(abs(a), abs(b))


def _within(a: complex, b: complex, rel_tol: float | None, abs_tol: float | None) -> bool:
    return abs(a - b) <= max((rel_tol or 0.0) * max(abs(a), abs(b)), abs_tol or 0.0)


def _tolerance_rule(a: complex, b: complex, rel_tol: float | None, abs_tol: float | None) -> str:
    given = ", ".join(f"{name}={value:g}" for name, value in (("rel_tol", rel_tol), ("abs_tol", abs_tol)) if value)
    return f"within numeric tolerance ({given}): |gold - prediction| = {abs(a - b):.3g}"


def _with_imaginary_unit(gold, pred):
    """Both sides with the letter i as the imaginary unit, when i is the only letter of
    either and neither has another (``i^3`` against ``-i``); else None."""
    from sympy import Basic, I

    if not (isinstance(gold, Basic) and isinstance(pred, Basic)):
        return None
    names = [{s.name for s in side.free_symbols} for side in (gold, pred)]
    if not any(names) or any(n - {"i"} for n in names):
        return None
    return tuple(side.subs({s: I for s in side.free_symbols}) for side in (gold, pred))


# ---------------------------------------------------------------- cost guards

def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def _check_size(text: str, what: str) -> None:
    """Before parsing: an answer too long or too deeply nested for the LaTeX parser, or
    holding a power or factorial of integers too large to evaluate (the parser already
    evaluates some, such as binomials and sets of them)."""
    if len(text) > MAX_ANSWER_CHARS:
        raise RowTimeout(f"{what} too long to grade: {len(text):,} characters (limit {MAX_ANSWER_CHARS:,})")
    depth = deepest = 0
    for match in _BRACKET.finditer(text):
        token = match.group()
        if token[0] == "\\":
            continue  # \{ \} are set braces, \( \) math delimiters: not nesting
        depth = depth + 1 if token in "{([" else max(0, depth - 1)  # intervals leave "(" open
        deepest = max(deepest, depth)
    if deepest > MAX_NESTING:
        raise RowTimeout(f"{what} nested {deepest} deep (limit {MAX_NESTING})")
    digits = _integer_power_digits(text)
    if digits > MAX_DIGITS:
        raise RowTimeout(f"{what} holds a power or factorial of {_digit_count(digits)} digits (limit {MAX_DIGITS:,})")


# Integer powers and factorials, innermost first: "9^{9^{9}}", "((7!)!)!", "10^{2^{40}}".
# A reduced one becomes a placeholder #k# that holds log10 of its value.
_INTEGER = r"(?:\d+|#\d+#)"
_FACTORIAL = re.compile(rf"({_INTEGER})\s*(!+)")
_POWER = re.compile(rf"({_INTEGER})\s*\^\s*(?:\{{\s*({_INTEGER})\s*\}}|(\d|#\d+#))")
_GROUPED = re.compile(rf"[({{]\s*({_INTEGER})\s*[)}}]")


def _integer_power_digits(text: str) -> float:
    """The most decimal digits of any integer power or factorial written in ``text``."""
    if "^" not in text and "!" not in text:
        return 0.0
    logs: list[float] = []  # log10 of each reduced value

    def log_of(token: str) -> float:
        return logs[int(token[1:-1])] if token[0] == "#" else _log10(int(token))

    def keep(value: float) -> str:
        logs.append(value)
        return f"#{len(logs) - 1}#"

    def factorial(m: re.Match) -> str:
        value = log_of(m.group(1))
        for _ in m.group(2):  # math-verify reads "n!!" as (n!)!
            n = _value(value)
            value = math.inf if math.isinf(n) else math.lgamma(n + 1) / math.log(10)
        return keep(value)

    def power(m: re.Match) -> str:
        return keep(_times(log_of(m.group(1)), _value(log_of(m.group(2) or m.group(3)))))

    text = text.replace("\\left", "").replace("\\right", "")
    for _ in range(MAX_NESTING + 1):  # each round reduces one level of nesting
        reduced = _GROUPED.sub(r"\1", _POWER.sub(power, _FACTORIAL.sub(factorial, text)))
        if reduced == text or (logs and max(logs) > MAX_DIGITS):
            break
        text = reduced
    return max(logs, default=0.0)


def _digit_count(digits: float) -> str:
    return "too many" if math.isinf(digits) else f"about {digits:,.0f}"


def _check_magnitude(parsed: list, what: str) -> None:
    """After parsing (math-verify leaves powers and factorials unevaluated), before any
    comparison evaluates them: a number of more than MAX_DIGITS digits, such as a power
    tower or a factorial of a factorial, would take sympy past any time limit."""
    for value in parsed:
        if isinstance(value, str):
            continue
        try:
            digits = _digits(value)
        except RecursionError:
            digits = math.inf
        if digits > MAX_DIGITS:
            raise RowTimeout(f"{what} evaluates to a number of {_digit_count(digits)} digits (limit {MAX_DIGITS:,})")


def _digits(expr) -> float:
    """log10 of the largest number ``expr`` would evaluate (a tiny one counts by its
    reciprocal): about its count of decimal digits. Symbols count as 1; a sum of n terms
    adds log10(n). Cheap: nothing is evaluated."""
    from sympy import Float, MatrixBase, Mul, Pow, Rational, factorial, factorial2

    if isinstance(expr, MatrixBase):
        return max((_digits(e) for e in expr), default=0.0)
    if isinstance(expr, Rational):
        return max(_log10(expr.p), _log10(expr.q))
    if isinstance(expr, Float):
        _, mantissa, exponent, bits = expr._mpf_
        return 0.30103 * abs(exponent + bits) if mantissa else 0.0
    args = getattr(expr, "args", ())
    if not args:
        return 0.0
    if isinstance(expr, Pow):
        base, exponent = (_digits(a) for a in args)
        return _times(base, _value(exponent))
    if isinstance(expr, (factorial, factorial2)):
        n = _value(_digits(args[0]))
        return math.inf if math.isinf(n) else math.lgamma(n + 1) / math.log(10)
    parts = [_digits(a) for a in args]
    if isinstance(expr, Mul):
        return sum(parts)
    return max(parts) + math.log10(len(parts))  # sums, sets, tuples, equations, functions


def _log10(n: int) -> float:
    return math.log10(abs(n)) if n else 0.0


def _value(digits: float) -> float:
    return math.inf if digits > 300 else 10.0 ** digits


def _times(digits: float, factor: float) -> float:
    return 0.0 if digits == 0 or factor == 0 else digits * factor


def describe(prediction: str | None, gold, *, rel_tol: float | None = None,
             abs_tol: float | None = None) -> dict[str, str]:
    """The gold text graded, what math-verify parsed from each side and the rule that
    decided, for ``gnosis grade``."""
    try:
        text = _gold_text(gold)
        gold_parsed = _parsed_gold(text)
    except Unverifiable as exc:
        text, gold_parsed = "", str(exc)
    has_prediction = isinstance(prediction, str) and prediction.strip()
    compared = prediction
    if has_prediction and text and len(prediction) <= MAX_ANSWER_CHARS:
        compared = _as_compared(_number_word(prediction) or prediction, text)[0]
    pred_parsed = _shown(_parse(_as_latex(compared), _Deadline())) if has_prediction else "(none)"
    view = {"gold text": text or "(none)", "gold": _shown(gold_parsed), "prediction": pred_parsed}
    if has_prediction and compared.strip() != prediction.strip():
        view["prediction compared"] = compared.strip()  # "5 (x = 2)" is compared as 5
    if has_prediction and len(prediction) <= MAX_ANSWER_CHARS and plain.as_latex(prediction.strip()) != prediction.strip():
        view["prediction as LaTeX"] = plain.as_latex(prediction.strip())
    try:
        view["rule"] = decide(prediction, gold, rel_tol=rel_tol, abs_tol=abs_tol)[1] if text else "(no gold)"
    except (Unverifiable, RowTimeout) as exc:
        view["rule"] = str(exc)
    return view


def _shown(found) -> str:
    if isinstance(found, str):  # why the gold has no value
        return found
    values = [str(f) for f in found or () if not isinstance(f, str)]
    return " | ".join(values) if values else "(math-verify parsed nothing)"
