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
from gnosis_core.answers import boxes, final_answer_region, final_boxes, joined
from gnosis_core.errors import Unverifiable

ALL_LETTERS = "ABCDEFGHIJ"

# A statement names the answer on its own line: "Answer: X", "Answer - X", "the correct
# answer is for sure (X)", "the answer would be X", "**Final Answer:** X". One that ends its
# line ("... answer is:", a "### Final Answer" heading) puts the answer on the next line.
# Nothing crosses a line break.
_STATEMENT = re.compile(
    r"(?i)(?:\banswer(?:\s+(?:to|for)\s+(?:this|the)\s+(?:question|problem))?"
    r"|\b(?:correct|right|best|final|only)\s+(?:option|choice))\b[ \t*_]*"
    r"(?:(?:is|should\s+be|must\s+be|would\s+be)\b|:|[ \t]-[ \t]|[\u2014\u2013=\u2192])[ \t*_:]*([^\n]*)"
    r"|\u7b54\u6848\s*(?:\u662f|\u4e3a|:|\uff1a)[ \t*_:\uff1a]*([^\n]*)")  # 答案是 / 答案为 / 答案：
# Structured output: {"answer": "C"}.
_JSON_ANSWER = re.compile(r"""(?i)["'](?:final_?)?answer["']\s*:\s*["']([^"'\n]+)["']""")
# A sentence that picks a letter first and then says so: "C is the correct answer", "Thus,
# option (B) is correct", "Option B (Photon) is correct, since ...", "I choose D". The letter
# (or "option X") starts its sentence, after at most "so", "thus", "hence" or "therefore":
# "statement I is correct" (a roman numeral), "If the gas were ideal, option C is correct" and
# "many think that C is the answer" choose nothing; "is not" and "is incorrect" are not "is
# correct"; the sentence ends there or gives its reason ("because ..."), so that "A is the
# correct formula only for ideal gases" in a remark on the options chooses nothing.
_CHOSEN = re.compile(
    r"(?:^|[.!?]\s+)[ \t*_]*(?:(?P<so>(?i:so|thus|hence|therefore))[,:]?\s+)?[*_]*(?:(?i:option|choice)\s+)?"
    r"[*_]*(?P<letter>\([A-J]\)|[A-J])[*_]*(?P<is>(?:\s*\([^()\n]{1,80}\))?\s+is\s+(?:the\s+)?"
    r"(?:(?:correct|right|best)(?:\s+(?:answer|option|choice|one))?|answer)"
    r"(?:,?\s+(?:because|since)\b[^\n]*?)?)?[ \t*_]*[.!]?[ \t*_]*$", re.M)
# "I choose D" starts its sentence too: "If I pick C, the units fail" chooses nothing.
_PICK = re.compile(r"(?:^|[.!?]\s+)[ \t*_]*(?:(?i:so|thus|hence|therefore),?\s+)?"
                   r"I(?:\s+will|'ll)?\s+(?:choose|pick|select|go\s+with)\s+(?:option\s+|choice\s+)?([^\n]*)",
                   re.M)
# "I think it's B." closes a reply on its last line (earlier, it is a passing thought).
_LAST_THOUGHT = re.compile(r"(?:^|[.!?]\s+)[ \t*_]*(?:(?i:so|thus|hence|therefore|overall|in\s+the\s+end),?\s+)?"
                           r"I\s+(?:think|believe)\s+(?:that\s+)?it(?:['\u2019]s|\s+is|\s+must\s+be|\s+should\s+be)"
                           r"\s+([^\n]*)$")
_HEADING = re.compile(r"(?im)^[ \t#>*_]*(?:the\s+)?(?:(?:final|correct|best)\s+)?answer[ \t*_:]*$")
# The reply's last line in bold, such as "**B. 42 g**", is its final statement.
_BOLD_LINE = re.compile(r"^[ \t]*\*\*([^*\n]+)\*\*[ \t.]*$")
_NEXT_LINE = re.compile(r"\n\s*(\S[^\n]*)")  # blank lines skipped

# "The answer is C" in someone else's words, as a mistake or under a counterfactual ("Many
# students think the answer is C", "a common mistake is to say the answer is C", "If the force
# were strong, the answer is A", "the wrong answer is C") is not the reply's own: it counts
# only where the reply states nothing itself. Read in the statement's clause, before it; the
# reply's own words around such a word ("Since students pay fees, the answer is B",
# "Correcting my mistake, the answer is B", "If I had to choose, ...") stay its own.
_CLAUSE_START = re.compile(r"(?i)[.!?;:\n]|\b(?:but|however|so|thus|hence|therefore)\b")
# a mistake framing the statement itself, in its phrase (after the clause's last comma)
_MISTAKE = re.compile(r"(?i)\b(?:mistake\w*|misconception\w*|tempt\w*|trap|naive\w*|wrongly|mistakenly)\b"
                      r"|\b(?:wrong|incorrect)\s*$"
                      r"|\b(?:students?|people|others|someone|their)(?:['\u2019]s?)?\s+(?:\w+\s+){0,2}$")  # "the students' answer is"
# a counterfactual: "if ... were/had", not "even if" nor "if I had to choose"
_COUNTERFACTUAL = re.compile(r"(?i)(?<!even )\bif\b(?!\s+(?:i|we)\s+(?:were|had)\s+to\b).*\b(?:were|had)\b")
# a reporting verb whose object is the statement: "many think (that) the answer is C"
_REPORTED_BY = re.compile(r"(?i)\b(?:think|thinks|believe|believes|say|says|argue|argues|claim|claims"
                          r"|assume|assumes)\s+(?:that\s*)?(?:,[^,]*,\s*)?(?:the\s+)?(?:\w+\s+)?$")
_CLAUSE_WINDOW = 300  # characters looked back; a clause is shorter


def _reported(region: str, pos: int) -> bool:
    """Whether the statement at ``pos`` gives another's answer, a mistake or a counterfactual."""
    start = max(0, pos - _CLAUSE_WINDOW)
    for m in _CLAUSE_START.finditer(region, start, pos):
        start = m.end()
    clause = region[start:pos]
    if _MISTAKE.search(clause.rsplit(",", 1)[-1]) or _COUNTERFACTUAL.search(clause):
        return True
    # "many think the answer is C", but "I think the answer is C", "we can say", "I'd say",
    # "it is fair to say" (the reply's own voice)
    verb = _REPORTED_BY.search(clause)
    return bool(verb) and not {w.lower().split("'")[0] for w in clause[:verb.start()].split()[-2:]} & {
        "i", "we", "to"}


# A model that continues a few-shot prompt writes the next exam question after its answer
# ("The answer is (B).\n\nQuestion: ..."): what it answers there is not this question's answer.
_NEXT_QUESTION = re.compile(r"(?im)^[ \t#*]*(?:question|q)[ \t]*\d*[ \t]*[:.]")


_RESTATED_CHARS = 40  # enough of a question's opening to tell it from another question


def _restates(after: str, question) -> bool:
    """Whether the text after "Question:" opens with this row's own question."""
    head = _norm(after.lstrip(" \t*_").split("\n", 1)[0])[:_RESTATED_CHARS]
    return bool(head) and isinstance(question, str) and head in _norm(question)


def extract(completion: str, row=None) -> str | None:
    """The answer of the last well-formed statement after thinking: the text of the last
    box or statement that names one offered letter (the reply's own before one it reports);
    failing that, a reply that is its choice alone; failing that, the last statement. An
    unclosed box at the end is a truncated answer: None. A reply that goes on to a next
    question is read up to it."""
    region = final_answer_region(completion)
    if region is None:
        return None
    letters, options = _valid_letters(row)
    question = row.get("question") if hasattr(row, "get") else None
    for next_question in _NEXT_QUESTION.finditer(region):
        if _restates(region[next_question.end():], question):
            continue  # "Question: <this question>" in the reasoning: the reply goes on with it
        answer = _answer(region[:next_question.start()], letters, options)
        if answer is not None and to_letter(answer, letters, options) is not None:
            return answer
    return _answer(region, letters, options)


def _answer(region: str, letters: str, options: dict[str, str]) -> str | None:
    candidates = _candidates(region, options)
    if candidates and candidates[-1][1] is None:
        return None
    reported = None
    for pos, text, statement in reversed(candidates):
        if text is not None and to_letter(text, letters, options) is not None:
            if not (statement and _reported(region, pos)):
                return text
            reported = reported or text
    bare = _bare_reply(region, letters, options)  # the reply's own, before one it reports
    if bare is not None or reported is not None or not candidates:
        return bare or reported
    return candidates[-1][1]


def _candidates(region: str, options: dict[str, str]) -> list[tuple[int, str | None, bool]]:
    """(position, answer text, whether an "answer is" statement) of every box and statement,
    in order; None for an unclosed box."""
    found = []
    # statements may share a line: "Many think the answer is A. However, the answer is B."
    m = _STATEMENT.search(region)
    while m:
        found.append((m.start(), _clean(m.group(1) if m.group(1) is not None else m.group(2)), True))
        m = _STATEMENT.search(region, m.start(1) if m.group(1) is not None else m.start(2))
    # a bare letter chooses only as a conclusion: "Hence, option B.", "Therefore, (C)."
    found += [(m.start(), m.group("letter"), False) for m in _CHOSEN.finditer(region)
              if m.group("is") or m.group("so")]
    for pattern in (_PICK, _JSON_ANSWER):
        found += [(m.start(), _clean(m.group(1)), False) for m in pattern.finditer(region)]
    for m in _HEADING.finditer(region):
        found.append((m.start(), None, False))
    found = [_followed(region, pos, text) + (statement,) for pos, text, statement in found]
    group = final_boxes(region)
    grouped = {b.start for b in group}
    found += [(b.start, b.content or None, False) for b in boxes(region)
              if b.start not in grouped and b.content]
    if group:
        found.append((group[0].start, joined(group), False))
    last_line = region.rstrip().rsplit("\n", 1)[-1]
    last_start = len(region.rstrip()) - len(last_line)
    thought = _LAST_THOUGHT.search(last_line)
    if thought:
        found.append((last_start + thought.start(), _clean(thought.group(1)), False))
    bold = _BOLD_LINE.match(last_line)
    if bold and not _mid_thought(region, options):
        found.append((last_start, _clean(bold.group(1)), False))
    found.sort(key=lambda c: c[0])
    return [c for c in found if c[1] is not None or c is found[-1]]


def _followed(region: str, pos: int, text: str | None) -> tuple[int, str | None]:
    """A statement with nothing after it on its line takes the next line with text."""
    if text:
        return pos, text
    end = region.find("\n", pos)
    nxt = _NEXT_LINE.match(region, end) if end >= 0 else None
    if nxt is None:
        return pos, None
    return nxt.start(1), _clean(nxt.group(1))


def _clean(text: str) -> str | None:
    # Sentence punctuation and markdown emphasis are not part of the answer.
    text = text.strip().rstrip(".\u3002").strip("*_ ").rstrip(".").strip()
    return text or None


# A line that starts with an option's label: "B. text", "**(C)** text", "- D: text".
_LABELLED = re.compile(r"^[ \t>*_-]*(?:\(([A-J])\)|([A-J])[.):])[*_]*[ \t]*")
# An item of a walk through the options: a label as above or "Option B:", "**Option B** -".
_ITEM = re.compile(r"^[ \t>*_-]*(?:(?i:option|choice)\s+)?[*_]*(?:\(([A-J])\)|([A-J])(?:[.):]|[*_]*[ \t]*[:\u2014\u2013-]))")
# ... or headed by the option's text: "**Gluon**: ...", "Gluon - ..."
_TEXT_HEAD = re.compile(r"^[ \t>#*_]*(?:[-+][ \t]+)?[*_]*([^:\n]{1,80}?)[*_]*[ \t]*(?::|[ \t][\u2014\u2013-][ \t])")
# a reply that announces it goes on weighing: "Let me check option B.", "Now let's look at
# each option:" (while "Let me pick one:" is answered by the next line)
_ANNOUNCES = re.compile(r"(?i)(?:^|[.!?]\s+)[ \t*_]*(?:(?:now|next|first|then),?\s+)?let(?:'s|\s+me|\s+us)\s+"
                        r"(?:(?:now|also|first|quickly)\s+)?(?:check|look|consider|examine|analy[sz]e|evaluate"
                        r"|go\s+through|verify|review|re-?check|double-check|test)\b[^.!?:]*[.:]?[ \t*_]*$")
_LIST_MARK = re.compile(r"^[ \t>#*_]*(?:[-+][ \t]+)?[*_]*")
_LIST_WINDOW = 12  # lines looked back for the item the last line would follow


def _item_letter(line: str, options: dict[str, str], alone: bool) -> str | None:
    """The letter of the option a line heads an item for ("B. ...", "Option B:", "Gluon: ..."),
    or, ``alone``, names alone ("B", "**B", "Photon")."""
    label = _ITEM.match(line)
    if label:
        return label.group(1) or label.group(2)
    head = _TEXT_HEAD.match(line)
    heads = [head.group(1)] if head else []
    if alone:
        text = _LIST_MARK.sub("", line).rstrip(" \t*_.:")  # "- B", but "-3" is a number
        bare = _BARE.match(_FILLER.sub("", text))
        if bare:
            return bare.group(1).upper()
        heads.append(text)
    return next((letter for h in heads for letter, t in options.items() if t and _norm(t) == _norm(h)), None)


def _mid_thought(region: str, options: dict[str, str]) -> bool:
    """Whether the last line goes on with the reasoning rather than choosing: the next item
    of a walk through the options (C. ..., D. ...; "Gluon: ...", then "Photon"), cut off
    inside bold ("**B"), or after a line that announces more work ("Let me check B.")."""
    lines = [line for line in region.rstrip().rsplit("\n", _LIST_WINDOW)[-_LIST_WINDOW:] if line.strip()]
    if len(lines) < 2:
        return False
    if lines[-1].count("**") % 2 or _ANNOUNCES.search(lines[-2]):
        return True
    last = _item_letter(lines[-1], options, alone=True)
    before = next(filter(None, (_item_letter(line, options, alone=False) for line in reversed(lines[:-1]))), None)
    return bool(last and before) and ALL_LETTERS.find(last) == ALL_LETTERS.find(before) + 1


def _bare_reply(region: str, letters: str, options: dict[str, str]) -> str | None:
    """A reply without any statement that answers with its choice alone: a reply of one
    line ("B", "(B) Photon", "Photon", "B, since A fails"), or a last line that is the letter,
    its option or both ("B", "**B**", "B) Photon"), unless that line ends a list of options."""
    lines = [line.strip() for line in region.strip().split("\n") if line.strip()]
    if not lines or (len(lines) > 1 and (_mid_thought(region, options) or not _only_a_choice(lines[-1], options))):
        return None
    return _clean(lines[-1]) if to_letter(lines[-1], letters, options) is not None else None


def _only_a_choice(line: str, options: dict[str, str]) -> bool:
    """Whether a line is a letter alone, an option's text alone, or a label and an option's text."""
    text = _unwrap(line).strip("*_ ")
    if _BARE.match(text):
        return True
    label = _LABELLED.match(text)
    rest = _norm(text[label.end():] if label else text)
    return any(_norm(option) == rest for option in options.values())


# Option lines: "A. text", "A) text", "(A) text", "A: text".
_OPTION = re.compile(r"^[ \t]*(?:\(([A-J])\)|([A-J])[.):])[ \t]*(.*?)[ \t]*$", re.M)


@lru_cache(maxsize=4096)
def _options(question: str) -> dict[str, str]:
    """Letter -> option text of the last A, B, C... run in the question."""
    blocks: list[dict[str, str]] = []
    for m in _OPTION.finditer(question):
        letter, text = m.group(1) or m.group(2), m.group(3)
        if letter == "A":
            blocks.append({})
        elif not blocks or letter != ALL_LETTERS[len(blocks[-1])]:
            continue  # a stray "C." inside the question text is not an option
        blocks[-1][letter] = text
    blocks = [b for b in blocks if len(b) >= 2]
    return blocks[-1] if blocks else _inline_options(question)


# Options written on one line: "Which is prime? (A) 4 (B) 6 (C) 7 (D) 9".
_INLINE_LABEL = re.compile(r"(?<![^\s(])\(([A-J])\)[ \t]+")


_INLINE_SEPARATOR = re.compile(r"\s*[,;]\s*(?:or\s*)?$")
_INLINE_MIN = 3  # "compare (A) and (B)" in a stem is no run of options


def _inline_options(question: str) -> dict[str, str]:
    """Letter -> option text of a last line that writes (A) ..., (B) ..., (C) ... in a row
    (a stem that names reactions (A), (B), (C) and asks on is not read as options)."""
    line = question.rstrip().rsplit("\n", 1)[-1]
    labels = list(_INLINE_LABEL.finditer(line))
    if len(labels) < _INLINE_MIN or [m.group(1) for m in labels] != list(ALL_LETTERS[:len(labels)]):
        return {}
    ends = [m.start() for m in labels[1:]] + [len(line)]
    options = {m.group(1): _INLINE_SEPARATOR.sub("", line[m.end():end].strip()) for m, end in zip(labels, ends)}
    return options if all(options.values()) else {}


def _valid_letters(row) -> tuple[str, dict[str, str]]:
    question = row.get("question") if hasattr(row, "get") else None
    options = _options(question) if isinstance(question, str) else {}
    # No options in the question (e.g. they were stripped): allow the MMLU-Pro range.
    return ("".join(options) or ALL_LETTERS), options


_QUOTES = "\"'`\u201c\u201d\u2018\u2019"
_LATEX_WRAP = re.compile(r"\\(?:text|textbf|textit|mathbf|mathrm|mathit|mbox|emph|boldsymbol)\s*\{([^{}]*)\}")


_MARKUP = re.compile(r"\*\*|\$|\\[()\[\]]")  # bold and math delimiters: $, \( \), \[ \]


def _unwrap(text: str) -> str:
    while True:
        unwrapped = _LATEX_WRAP.sub(r"\1", text)
        if unwrapped == text:
            break
        text = unwrapped
    text = _MARKUP.sub("", text).strip()
    return text.rstrip(".").strip().strip(_QUOTES).strip()


@lru_cache(maxsize=16384)
def _norm(text: str, keep_case: bool = False) -> str:
    """Comparable form of an option text or value: no case (unless kept: a unit's prefix is
    its case, meV and MeV), spacing or LaTeX styling."""
    text = _unwrap(text) if keep_case else _unwrap(text).lower()
    text = re.sub(r"\\(?:left|right|displaystyle)|\\[,;:! ]|~", "", text)
    text = re.sub(r"\\[dt]frac", r"\\frac", text)
    return re.sub(r"\s+", "", text).rstrip(".")


# Words between "the answer is" and the letter: "for sure D", "clearly option (C)", "I think it's B".
_FILLER = re.compile(
    r"^(?i:(?:for\s+sure|surely|definitely|clearly|certainly|indeed|obviously|undoubtedly"
    r"|most\s+likely|likely|probably|therefore|thus|hence|so|then|just|simply|option|choice"
    r"|letter|the|correct|right|best|final|one|i\s+think|i\s+believe|it\s+is|it['\u2019]s)[\s,:]+)+"
    r"(?=[(\[]?[A-Ja-j]\b)")
_BARE = re.compile(r"^[(\[{]?\s*([A-Ja-j])\s*[)\]}]?$")
# A letter then the option text or an explanation: "C. text", "B) text", "F (since ...)",
# "D because ...". A letter followed by any other word ("A decrease ...") is prose.
# A lower-case letter leads only in parentheses: "(c) 42 g", while "a decrease" is prose.
_LEADING = re.compile(r"^(?:\(([a-j])\)|[(\[]?([A-J])(?:[.):\]]|(?=\s*[(\[,;=\u2192\u2014\u2013-])|\s*$"
                      r"|(?=\s+(?:because|since|as|due|given|which|with|and\s+not)\b)))")
# A letter named only to be corrected: "not B, but C", "not B; it is C".
_NOT_THIS_BUT = re.compile(r"^(?i:not)\s+(?i:option\s+)?[(\[]?[A-J][)\]]?\s*[,;]?\s*"
                           r"(?i:but|rather|instead|it\s+is|it's)[\s,:]+")
_HEDGE = re.compile(r"(?i)^[(\[]?[A-J][)\]]?(?:\s*(?:,|/|&|;|\band\b|\bor\b|\s)\s*[(\[]?[A-J][)\]]?)+$")


# A value and its unit as options and answers write them: 42 g, 0.0025 m/s, 2.5e-3 m/s,
# $2.5 \times 10^{-3}$ m/s, 10^{-4} eV (text already normalised, case kept: no spaces or $).
_VALUE = re.compile(r"^(?P<number>[-+]?(?:\d+(?:\.\d*)?|\.\d+))?"
                    r"(?:(?:(?<=\d)(?:x|\\times|\\cdot|×|\*))?10\^\{?(?P<power>[-+]?\d+)\}?"
                    r"|[eE](?P<e>[-+]?\d+))?(?P<unit>(?![\d^.]).*)$")  # a unit starts with no digit


def _value(norm: str) -> tuple[float, str] | None:
    """(value, unit) of a normalised option or answer that starts with a number."""
    match = _VALUE.match(norm.replace(",", "").replace("\u2212", "-"))
    if not match or not (match.group("number") or match.group("power")):
        return None
    exponent = match.group("power") or match.group("e") or 0
    try:
        value = float(match.group("number") or 1) * 10.0 ** int(exponent)
    except (ValueError, OverflowError):
        return None
    unit = re.sub(r"\\(?:text|mathrm|mbox)\{([^{}]*)\}", r"\1", match.group("unit")).strip("{}~")
    return (value, unit) if math.isfinite(value) else None


def _same_value(answer: tuple[float, str], option: tuple[float, str]) -> bool:
    """The option's value, with its unit or none (a unit that differs names another option,
    also in case alone: 2 MeV is not 2 meV)."""
    return math.isclose(answer[0], option[0], rel_tol=1e-9, abs_tol=0.0) and answer[1] in ("", option[1])


_ARTICLE = re.compile(r"(?i)^(?:the|an?)\s+")
_TEXT_THEN_LETTER = re.compile(r"^(.*\S)\s*\((?:(?i:option|choice)\s+)?([A-J])\)$")


@lru_cache(maxsize=16384)
def _without_article(text: str) -> str:
    return _norm(_ARTICLE.sub("", _unwrap(text)))


def to_letter(prediction: str, letters: str, options: dict[str, str]) -> str | None:
    """The one letter a prediction chooses, or None (no letter, several, or not offered)."""
    text = _unwrap(prediction)
    corrected = _NOT_THIS_BUT.match(text)
    if corrected:
        return to_letter(text[corrected.end():], letters, options)
    choice = _FILLER.sub("", text)  # "Option C", "for sure C"
    bare = _BARE.match(choice)
    if bare:
        letter = bare.group(1).upper()
        return letter if letter in letters else None
    # Option text before the leading-letter rule: an option may start with "A ...".
    matches = _named(text, options)
    if len(matches) == 1:
        return matches[0]
    labelled_after = _TEXT_THEN_LETTER.match(text)  # "Photon (B)": that option's text, then its letter
    if labelled_after and _norm(options.get(labelled_after.group(2), "")) == _norm(labelled_after.group(1)):
        return labelled_after.group(2) if labelled_after.group(2) in letters else None
    if _HEDGE.match(choice):
        return None
    leading = _LEADING.match(choice)
    if leading:
        letter = (leading.group(1) or leading.group(2)).upper()
        rest = choice[leading.end():]
        named = _named(rest.lstrip(" \t=:\u2014\u2013\u2192-"), options)
        if named and letter not in named:  # "(A) Photon" where Photon is B: no choice
            return None
        return _second_thoughts(letter, rest, letters, options)
    return None


def _named(text: str, options: dict[str, str]) -> list[str]:
    """The letters of the options ``text`` restates: a value by value (0.0025 m/s or 2.5e-3
    for "$2.5 \\times 10^{-3}$ m/s"), the rest by text, failing that with an article or in
    the plural ("the photon", "Photons" for "Photon")."""
    norm, answer = _norm(text), _value(_norm(text, keep_case=True))
    if not norm:
        return []

    def names(option: str) -> bool:
        value = _value(_norm(option, keep_case=True)) if answer else None
        return _same_value(answer, value) if value else _norm(option) == norm
    matches = [letter for letter, t in options.items() if t and names(t)]
    if not matches and not answer:
        bare_noun = _without_article(text)
        matches = [letter for letter, t in options.items() if t and _same_noun(_without_article(t), bare_noun)]
    return matches


def _same_noun(option: str, answer: str) -> bool:
    """The same words, or one the plural of the other (not "gas" for "Ga", nor a number)."""
    if option == answer:
        return True
    short, long = sorted((option, answer), key=len)
    return (len(short) >= 4 and not any(c.isdigit() for c in short)
            and long in (short + "s", short + "es"))


# After the letter: another letter taken back for ("C... wait, D", "C - no, D") or set aside
# ("C, not D", "C; D is ruled out"); any other mention of another letter hedges ("C, or
# maybe D", "C (D if the other convention is used)").
_TAKEN_BACK = re.compile(r"(?i)\b(?:wait|actually|no|sorry|i\s+mean|correction|rather)\b")
_SET_ASIDE = re.compile(r"(?i)\b(?:not|rather\s+than|instead\s+of|ruled\s+out|rules\s+out|fails?|wrong"
                        r"|incorrect|eliminated|excluded|cannot)\b")
_LONE_LETTER = re.compile(r"(?<![A-Za-z'])\(?([A-J])\)?(?![A-Za-z'])")


def _second_thoughts(letter: str, rest: str, letters: str, options: dict[str, str]) -> str | None:
    """The letter a statement that starts with ``letter`` settles on, given what follows it."""
    own_text = options.get(letter, "")  # "D. Both A and B": the option's own letters
    own = {m.group(1) for m in _LONE_LETTER.finditer(own_text)} if _norm(own_text) in _norm(rest) else set()
    others = [m for m in _LONE_LETTER.finditer(rest) if m.group(1) in letters
              and m.group(1) != letter and m.group(1) not in own]
    if not others:
        return letter if letter in letters else None
    last = others[-1]
    if _TAKEN_BACK.search(rest[:last.start()]):
        return last.group(1)
    set_aside = all(_sets_aside(_sentence_around(rest, m.start())) for m in others)
    return letter if letter in letters and set_aside else None


# "D cannot be ruled out", "I'm not sure; it could also be D": a negation that keeps D open.
_STILL_OPEN = re.compile(r"(?i)\b(?:not|n't|cannot)\s+(?:be\s+)?(?:ruled\s+out|rule\s+out|excluded|exclude"
                         r"|eliminated|dismissed|sure|certain)\b")
_SENTENCE_BREAK = re.compile(r"(?i)[.;!?]|\bbut\b")


def _sentence_around(text: str, pos: int) -> str:
    """The sentence of ``text`` that holds ``pos`` (a "but" starts one too)."""
    start = max((m.end() for m in _SENTENCE_BREAK.finditer(text, 0, pos)), default=0)
    end = _SENTENCE_BREAK.search(text, pos)
    return text[start:end.start() if end else len(text)]


def _sets_aside(sentence: str) -> bool:
    return bool(_SET_ASIDE.search(sentence)) and not _STILL_OPEN.search(sentence)


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


def _gold_from_text(gold, options: dict[str, str]) -> str | None:
    """The letter of a gold that is an option's own text (GPQA's "Correct Answer", an
    MMLU-Pro answer column holding the text), alone or after that option's label."""
    if not isinstance(gold, str) or not options:
        return None
    label = _LABELLED.match(gold)
    if label:
        letter = label.group(1) or label.group(2)
        return letter if _norm(gold[label.end():]) == _norm(options.get(letter, "\0")) else None
    named = [letter for letter, text in options.items() if _norm(text) == _norm(gold)]
    return named[0] if len(named) == 1 else None


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
