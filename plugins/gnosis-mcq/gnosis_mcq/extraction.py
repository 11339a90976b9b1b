"""Where a multiple-choice reply states its answer: the raw text of its final statement
(a box, "the answer is ...", a sentence that picks a letter, a reply that is its choice alone)."""
from __future__ import annotations

import re

from gnosis_core.answers import boxes, final_answer_region, final_boxes, joined

from gnosis_mcq.letters import (_BARE, _FILLER, _LABELLED, ALL_LETTERS, _norm, _second_thoughts, _unwrap,
                                _valid_letters, to_letter)

# Where a sentence may start: a line's start or after ".", "!", "?", then markdown emphasis.
# Each run of spaces, "*" or "_" is read by one quantifier only: two that could share a run
# ("\\s+[ \\t*_]*") try every split of it, which on a run of a thousand spaces takes seconds.
_SENTENCE_START = r"(?:^[ \t]*|[.!?]\s+)(?:[*_]+[ \t]*)?"
_STATEMENT_CHARS = 1_000  # of the rest of the line kept as a statement's answer text
# A statement names the answer on its own line: "Answer: X", "Answer - X", "the correct
# answer is for sure (X)", "the answer would be X", "the correct one is X", "**Final
# Answer:** X". One that ends its line ("... answer is:", a "### Final Answer" heading) puts
# the answer on the next line.
# Nothing crosses a line break.
_STATEMENT = re.compile(
    r"(?i)(?:\banswer(?:\s+(?:to|for)\s+(?:this|the)\s+(?:question|problem))?"
    r"|\b(?:correct|right|best|final|only)\s+(?:option|choice|one))\b[ \t*_]*"
    r"(?:(?:is|should\s+be|must\s+be|(?P<would>would\s+be))\b|:|[ \t]-[ \t]|[\u2014\u2013=\u2192])[ \t*_:]*"
    r"(?P<text>[^\n]{0,%d})"
    r"|\u7b54\u6848\s*(?:\u662f|\u4e3a|:|\uff1a)[ \t*_:\uff1a]*(?P<zh>[^\n]{0,%d})" % (_STATEMENT_CHARS, _STATEMENT_CHARS))  # 答案是 / 答案为 / 答案：
# Structured output: {"answer": "C"}.
_JSON_ANSWER = re.compile(r"""(?i)["'](?:final_?)?answer["']\s*:\s*["']([^"'\n]+)["']""")
# A sentence that picks a letter first and then says so: "C is the correct answer", "Thus,
# option (B) is correct", "Option B (Photon) is correct, since ...", "I choose D". The letter
# (or "option X") starts its sentence, after at most "so", "thus", "hence" or "therefore":
# "statement I is correct" (a roman numeral), "If the gas were ideal, option C is correct" and
# "many think that C is the answer" choose nothing; "is not" and "is incorrect" are not "is
# correct"; the sentence ends there, gives its reason ("because ...") or sets another aside
# (", not D"), so that "A is the correct formula only for ideal gases" in a remark on the
# options chooses nothing.
_CHOSEN = re.compile(
    _SENTENCE_START + r"(?:(?P<so>(?i:so|thus|hence|therefore))[,:]?\s+[*_]*)?(?:(?i:option|choice)\s+[*_]*)?"
    r"(?P<letter>\([A-J]\)|[A-J])(?:[*_]*(?P<is>(?:\s*\([^()\n]{1,80}\))?\s+is\s+(?:the\s+)?"
    r"(?:(?:correct|right|best)(?:\s+(?:answer|option|choice|one))?|answer)"
    r"(?:,?\s+(?:because|since|unlike|not|rather\s+than)\b[^\n]*)?))?[ \t*_.!]*$", re.M)
# "I choose D" ("I'd go with D", "I would choose D", "I'm going with D") starts its sentence
# or follows a leading phrase ("After checking all four, I'd go with D") that sets no
# condition: "If I pick C, the units fail" and "If the gas were ideal, I'd choose C" choose nothing.
_PICK = re.compile(_SENTENCE_START + r"(?:(?i:so|thus|hence|therefore),?\s+)?"
                   r"(?:(?=[^.!?,\s])(?![^,\n]{0,80}\b(?i:if|unless|when|were)\b)[^.!?,\n]{1,80},\s+)?"
                   r"I(?:\s+will|\s+would|['\u2019](?:ll|d|m))?\s+(?:choose|pick|select|go(?:ing)?\s+with)\s+"
                   r"(?:option\s+|choice\s+)?([^\n]*)",
                   re.M)
# "I think it's B." closes a reply on its last line (earlier, it is a passing thought).
_LAST_THOUGHT = re.compile(_SENTENCE_START + r"(?:(?i:so|thus|hence|therefore|overall|in\s+the\s+end),?\s+)?"
                           r"I\s+(?:think|believe)\s+(?:that\s+)?it(?:['\u2019]s|\s+is|\s+must\s+be|\s+should\s+be)"
                           r"\s+([^\n]*)$")
_HEADING = re.compile(r"(?im)^[ \t#>*_]*(?:the\s+)?(?:(?:final|correct|best)\s+)?answer[ \t*_:]*$")
# The reply's last line in bold, such as "**B. 42 g**", is its final statement.
_BOLD_LINE = re.compile(r"^[ \t]*\*\*([^*\n]+)\*\*[ \t.]*$")
# A line that opens by taking back what came before and then names its choice.
_TAKE_BACK_LINE = re.compile(r"(?im)^[ \t*_]*(?:(?:hmm+|oh|oops|ah)[,.!]*\s+)?(?:wait|actually|sorry|correction|no(?=[,.!]))"
                             r"(?:[ \t]*[,.!:\u2014\u2013-][ \t]*|[ \t]+)(?:(?:actually|no)[ \t]*[,.!:\u2014\u2013-]?[ \t]*)?([^\n]+)$")
_NEXT_LINE = re.compile(r"\n\s*(\S[^\n]*)")  # blank lines skipped

# "The answer is C" in someone else's words, as a mistake or under a counterfactual ("Many
# students think the answer is C", "a common mistake is to say the answer is C", "If the force
# were strong, the answer is A", "the wrong answer is C") is not the reply's own: it counts
# only where the reply states nothing itself. Read in the statement's clause, before it; the
# reply's own words around such a word ("Since students pay fees, the answer is B",
# "Correcting my mistake, the answer is B", "If I had to choose, ...") stay its own. "The
# answer would be D" under "if", "unless" or "otherwise" is a counterfactual whatever the
# condition's verb ("If the question meant composites, the answer would be D").
_CLAUSE_START = re.compile(r"(?i)[.!?;:\n]|\b(?:but|however|so|thus|hence|therefore)\b")
# a mistake framing the statement itself, in its phrase (after the clause's last comma)
_MISTAKE = re.compile(r"(?i)\b(?:mistake\w*|misconception\w*|tempt\w*|trap|naive\w*|wrongly|mistakenly)\b"
                      r"|\b(?:wrong|incorrect)\s*$"
                      r"|\b(?:students?|people|others|someone|their)(?:['\u2019]s?)?\s+(?:\w+\s+){0,2}$")  # "the students' answer is"
# a counterfactual: "if ... were/had", not "even if" nor "if I had to choose"
_CONDITION = re.compile(r"(?i)(?<!even )\bif\b(?!\s+(?:i|we)\s+(?:were|had)\s+to\b)|\b(?:unless|otherwise)\b")
_SUBJUNCTIVE = re.compile(r"(?i)\b(?:were|had)\b")
# a reporting verb whose object is the statement: "many think (that) the answer is C"
_REPORTED_BY = re.compile(r"(?i)\b(?:think|thinks|believe|believes|say|says|argue|argues|claim|claims"
                          r"|assume|assumes)\s+(?:that\s*)?(?:,[^,]*,\s*)?(?:the\s+)?(?:\w+\s+)?$")
_CLAUSE_WINDOW = 300  # characters looked back; a clause is shorter


# the end of the sentence a statement's answer stands in
_SENTENCE_END = re.compile(r"[.!?;]\s")


def _counterfactual_after(text: str) -> bool:
    """Whether the answer is one under a condition its sentence goes on to set contrary to
    fact: "B if the gas were ideal", "B only if we had ignored friction" (not "B, even if
    ...", nor an open "B if the data are right")."""
    sentence = text[:m.start()] if (m := _SENTENCE_END.search(text)) else text
    condition = _CONDITION.search(sentence)
    return bool(condition) and bool(_SUBJUNCTIVE.search(sentence, condition.end()))


def _reported(region: str, pos: int, would: bool, text: str = "") -> bool:
    """Whether the statement at ``pos`` (``would``: "the answer would be"; ``text``: its
    answer) gives another's answer, a mistake or a counterfactual."""
    if _counterfactual_after(text):
        return True
    start = max(0, pos - _CLAUSE_WINDOW)
    for m in _CLAUSE_START.finditer(region, start, pos):
        start = m.end()
    clause = region[start:pos]
    if _MISTAKE.search(clause.rsplit(",", 1)[-1]):
        return True
    condition = _CONDITION.search(clause)
    if condition and (would or _SUBJUNCTIVE.search(clause, condition.end())):
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
    candidates = _candidates(region, letters, options)
    if candidates and candidates[-1][1] is None:
        return None
    reported = None
    for pos, text, statement in reversed(candidates):
        if text is not None and to_letter(text, letters, options) is not None:
            if not (statement and _reported(region, pos, statement == "would", text)):
                return text
            reported = reported or text
    bare = _bare_reply(region, letters, options)  # the reply's own, before one it reports
    if bare is not None or reported is not None or not candidates:
        return bare or reported
    return candidates[-1][1]


def _candidates(region: str, letters: str, options: dict[str, str]) -> list[tuple[int, str | None, str]]:
    """(position, answer text, "is" or "would" for an "answer is" / "answer would be"
    statement, else "") of every box and statement, in order; None for an unclosed box."""
    found = []
    # statements may share a line: "Many think the answer is A. However, the answer is B."
    m = _STATEMENT.search(region)
    while m:
        text = "text" if m.group("text") is not None else "zh"
        found.append((m.start(), _clean(m.group(text)), "would" if m.group("would") else "is"))
        m = _STATEMENT.search(region, m.start(text))
    # a bare letter chooses only as a conclusion: "Hence, option B.", "Therefore, (C)."
    found += [(m.start(), m.group("letter"), "") for m in _CHOSEN.finditer(region)
              if m.group("is") or m.group("so")]
    for pattern in (_PICK, _JSON_ANSWER):
        found += [(m.start(), _clean(m.group(1)), "") for m in pattern.finditer(region)]
    # a later line that takes the answer back for a letter ("Actually, C.", "Wait, it's C")
    found += [(m.start(), _clean(m.group(1)), "") for m in _TAKE_BACK_LINE.finditer(region)
              if to_letter(m.group(1), letters, options) is not None]
    for m in _HEADING.finditer(region):
        found.append((m.start(), None, ""))
    found = [_followed(region, pos, text) + (statement,) for pos, text, statement in found]
    group = final_boxes(region)
    grouped = {b.start for b in group}
    found += [(b.start, b.content or None, "") for b in boxes(region)
              if b.start not in grouped and b.content]
    if group:
        found.append((group[0].start, joined(group), ""))
    last_line = region.rstrip().rsplit("\n", 1)[-1]
    last_start = len(region.rstrip()) - len(last_line)
    thought = _LAST_THOUGHT.search(last_line)
    if thought:
        found.append((last_start + thought.start(), _clean(thought.group(1)), ""))
    bold = _BOLD_LINE.match(last_line)
    if bold and not _mid_thought(region, options):
        found.append((last_start, _clean(bold.group(1)), ""))
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


# An item of a walk through the options: a label as above or "Option B:", "**Option B** -".
_ITEM = re.compile(r"^[ \t>*_-]*(?:(?i:option|choice)\s+[*_]*)?(?:\(([A-J])\)|([A-J])(?:[.):]|[*_]*[ \t]*[:\u2014\u2013-]))")
# ... or headed by the option's text: "**Gluon**: ...", "Gluon - ..."
_TEXT_HEAD = re.compile(r"^[ \t>#*_]*(?:[-+][ \t]+[*_]*)?([^:\n \t>#*_][^:\n]{0,79}?)[*_]*[ \t]*(?::|[ \t][\u2014\u2013-][ \t])")
# a reply that announces it goes on weighing: "Let me check option B.", "Now let's look at
# each option:" (while "Let me pick one:" is answered by the next line)
_ANNOUNCES = re.compile(r"(?i)" + _SENTENCE_START + r"(?:(?:now|next|first|then),?\s+)?let(?:'s|\s+me|\s+us)\s+"
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
    its option or both ("B", "**B**", "B) Photon"), unless that line ends a list of options;
    failing that, a short reply that opens with its choice and explains it."""
    lines = [line.strip() for line in region.strip().split("\n") if line.strip()]
    if not lines:
        return None
    if len(lines) == 1 or (_only_a_choice(lines[-1], options) and not _mid_thought(region, options)):
        return _clean(lines[-1]) if to_letter(lines[-1], letters, options) is not None else None
    return _opening_choice(region, lines, letters, options)


# "**C. 7** — the only prime": a first line's bold opening
_BOLD_OPENING = re.compile(r"^\*\*([^*\n]+)\*\*")
_OPENING_REPLY_CHARS = 3000  # an explanation; longer, the text after a first line is reasoning


def _opening_choice(region: str, lines: list[str], letters: str, options: dict[str, str]) -> str | None:
    """The choice of a reply whose first line (or its bold opening) is its choice alone and
    whose other lines explain it ("**C. 7**\n\n4, 6 and 9 are composite"), read like the
    words after a statement's letter: a letter taken back is the one it is changed for, one
    left open hedges. A first line that heads a walk through the options (a later line is
    another choice alone: "C", then "D") chooses nothing."""
    bold = _BOLD_OPENING.match(lines[0])
    choice = bold.group(1) if bold else lines[0]
    if len(region) > _OPENING_REPLY_CHARS or not _only_a_choice(choice, options):
        return None
    letter = to_letter(choice, letters, options)
    if letter is None or any(_only_a_choice(line, options) and to_letter(line, letters, options) != letter
                             for line in lines[1:]):
        return None
    settled = _second_thoughts(letter, region.strip().split("\n", 1)[1], letters, options)
    return _clean(choice) if settled == letter else settled


def _only_a_choice(line: str, options: dict[str, str]) -> bool:
    """Whether a line is a letter alone, an option's text alone, or a label and an option's text."""
    text = _unwrap(line).strip("*_ ")
    if _BARE.match(text):
        return True
    label = _LABELLED.match(text)
    rest = _norm(text[label.end():] if label else text)
    return any(_norm(option) == rest for option in options.values())
