"""The ``trivia-answer`` extractor: the final answer a completion commits to."""
from __future__ import annotations

import re

from gnosis_core.answers import boxes, final_answer_region
from gnosis_trivia.normalize import (DOUBT_WORDS, QUESTION_WORDS, answer_prepositions, asks_for_number,
                                     question_words, split_topic)

# "So the answer is X.", "Final answer: X", "**Answer:** X", "The final answer is: **X**".
# The rest of the line (its first 1,000 characters, so that a long line of many statements
# costs no more than its length) sits in a lookahead so that a later statement on the same
# line is still found: the last one wins. A bare "Final Answer" (or "## Answer") heading puts
# it on the next line. A few-shot "A:" label at the start of a line and 答案是 are statements.
_STATEMENT = re.compile(
    r"(?:\b(?:final\s+)?answer\b\s*(?:\*\*|__)?\s*(?:is\b\s*:?|:|=)|^[#*_ \t]*(?-i:A)[*_]*:[*_]*|答案\s*[是为:：])"
    r"\s*(?=(?P<rest>[^\n]{0,1000}))"
    r"|^[#*_ \t]*(?:final\s+)?answer[*_: \t]*$",
    re.IGNORECASE | re.MULTILINE)
_MARKUP = " \t*_`\"'$“”‘’。"
# Where an explanation starts after the answer: a new sentence, ", the capital of ...", " -- ".
_SENTENCE_END = re.compile(r"(?P<word>\S*)[.!]\s+(?=[A-Z])")
_ASIDE_START = re.compile(r",\s+(?=[a-z])|\s+[-–—]+\s+")
_BOLD_LINE = re.compile(r"(\*\*|__)(?P<answer>[^*_\n]{1,100})\1[.!]?")
# A whole reply of one line and at most this many words is the answer itself (a short-answer
# system's output: "Lake Titicaca.", or a chat model's one sentence "The Hobbit was written by
# J. R. R. Tolkien."), unless it declines to answer; its first sentence is read.
BARE_REPLY_WORDS = 30
_REFUSAL = re.compile(r"unknown|not\s+sure|no\s+idea|n/a|sorry\s*,.*"
                      r"|i\s*(?:do\s*not|don'?t|am\s+not|'?m\s+not|cannot|can'?t)\s+"
                      r"(?:know|sure|say|answer|tell|recall|remember|be\s+sure)\b.*", re.IGNORECASE)
_LABELLED = re.compile(r"[*_ \t]*[^\W\d][\w \t]*[*_]*:[*_]*\s")
_ABBREVIATIONS = frozenset(
    "st ste mt ft dr mr mrs ms jr sr gen col lt capt sgt rev prof vs".split())


# An answer taken back for another: "Canberra - no, Sydney", "Canberra. Wait, no: Sydney",
# "Canberra, sorry, I mean Sydney" answer with what follows (a capitalised name or a number:
# "Canberra, no doubt" takes nothing back).
_TAKEN_BACK = re.compile(r"[\s.,;:!\u2014\u2013-]*(?:(?:no|wait|actually|sorry|i\s+mean|rather|correction"
                         r"|make\s+that|scratch\s+that)\b[\s.,;:!\u2014\u2013-]*)+(?=[A-Z0-9])", re.IGNORECASE)
# An aside that names another kind of thing than the question asks about: "Mercury, the Roman
# god" for "Which planet ...?" is no answer about a planet, so it is not cut off.
_KIND_ASIDE = re.compile(r",\s+(?:the|a|an)\s+(?P<words>[^,;]*)$", re.IGNORECASE)
_KIND_NOUNS = frozenset("""
    god goddess film movie opera musical ship boat street road avenue square planet moon star
    singer band song album novel book poem play painting painter poet composer author writer
    actor actress city town village country state province region county river lake sea ocean
    mountain volcano desert island team club company brand bar car horse dog cat element
    chemical drug disease hotel restaurant school university battle war ballet symphony
""".split())


# A word that links the answer to the reasoning before it ("Therefore, the capital is Lima.",
# "Yes, it's Lima."): its comma starts no aside.
_DISCOURSE = re.compile(r"(?:so|thus|therefore|hence|in\s+conclusion|in\s+summary|in\s+short|overall"
                        r"|ultimately|finally|well|yes|ok(?:ay)?|indeed|consequently)\s*,\s+", re.IGNORECASE)
# A clause that concedes something before the main one: "While Sydney is the largest city,
# Canberra is the capital."
_CONCESSION = re.compile(r"(?:while|although|though|whereas|even\s+though|despite|unlike)\b[^,]*,\s+",
                         re.IGNORECASE)
# A clause that sets another answer against what comes before it: "Lima is often cited, but
# the capital is Cusco" answers with that clause, not with Lima ("..., whereas Cusco ..." with
# neither); "The capital is Lima, but ..." and "Lima is the capital, though few know it"
# answer with Lima.
_CONTRAST = re.compile(r",\s+(?:but|although|though|while|whereas|yet|however)\b", re.IGNORECASE)
# A contrast in which the reply doubts its answer or offers another as possible ("Lima, but
# it could also be Cusco", "Lima, though I may be mistaken"): the answer is not cut off from
# it. What others say ("Lima, though many say Cusco") is no doubt of the reply's own.
_ALTERNATIVE = re.compile(r"\b(?:could|might|may|possible|alternatively)\b", re.IGNORECASE)
# "Not Bonn, but Berlin", "It's not Bonn, it's Berlin", "The capital is not Bonn but Berlin":
# what is set aside goes, the answer after it stays ("not only X but Y" names both).
_NOT_BUT = re.compile(r"(?P<lead>(?:.*?\s)?)not\s+(?!only\b|just\b|merely\b)(?P<other>(?:[^\s,;]+\s+){0,5}?[^\s,;]+)"
                      r"\s*,?\s+(?:but|it'?s|it\s+is|rather)\s+(?P<answer>\S.*)", re.IGNORECASE)


# A phrase that sets the scene before the main clause: "In Greek mythology, the messenger of
# the gods is Hermes.", "According to legend, ...", "In 1485, Richard III was killed ...".
# It is kept where it may be the answer: its preposition is the question's ("In which play
# ...?": "In Hamlet, ...") or it holds a number and the question asks for one.
_INTRODUCTION = re.compile(r"(?P<preposition>in|on|at|of|during|according\s+to|among|for|from|within|throughout"
                           r"|after|before|by)\s+(?P<phrase>[^,.;:\n]{1,80}),\s+(?=[^\d\s])", re.IGNORECASE)


def _sets_the_scene(intro: re.Match, question: str) -> bool:
    if re.search(r"\d", intro.group("phrase")):
        return not asks_for_number(question)
    return intro.group("preposition").lower() not in answer_prepositions(question)


# An answer under a condition with another for the other case ("Lima, if you mean the
# capital; otherwise Cusco", "Lima, if ... . If not, Cusco."): both are read, and commit to neither.
_ELSE_ANSWER = re.compile(r"[^.!?\n]*?\b(?:if|unless)\b[^.;!?\n]{0,200}?[,;.]\s*"
                          r"(?:otherwise|else|if\s+not|failing\s+that)\b[\s,:]*(?=(?-i:[A-Z\d]))", re.IGNORECASE)


def _first_sentence(text: str, question: str = "") -> str:
    """The answer a reply's first sentence gives, without the explanation after it."""
    if _ELSE_ANSWER.match(text):
        return text
    for lead in (_DISCOURSE, _CONCESSION):
        match = lead.match(text)
        if match:
            text = text[match.end():]
    intro = _INTRODUCTION.match(text)
    if intro:  # the scene is read past; a phrase that may answer is the answer ("In Hamlet, ...")
        return _first_sentence(text[intro.end():], question) if _sets_the_scene(intro, question) \
            else text[:intro.end()].rstrip(" ,")
    for match in _SENTENCE_END.finditer(text):
        word = match.group("word").strip(_MARKUP).lower()
        # "St. Louis" and "J. K. Rowling" go on; "Berlin. It is ..." ends.
        if word in _ABBREVIATIONS or len(word) == 1 or re.fullmatch(r"(?:\w\.)+\w", word):
            continue
        end = match.start() + len(match.group("word"))
        taken_back = _TAKEN_BACK.match(text, end)
        if taken_back:
            return _first_sentence(text[taken_back.end():], question)
        text = text[:end]
        break
    not_but = _NOT_BUT.fullmatch(text)
    # "I'm not sure, but I think it's Lima" sets nothing aside: it doubts.
    if not_but and not re.search(r"\bnot\b|n't\b", not_but.group("answer"), re.IGNORECASE) \
            and not DOUBT_WORDS.search(text):
        text = not_but.group("lead") + not_but.group("answer")
    aside = _ASIDE_START.search(text)
    if aside is None:
        return text
    kind = _KIND_ASIDE.match(text, aside.start())
    if kind and _names_another_kind(kind.group("words"), question):
        return text
    # "Lima, probably", "6 wives, or 7 by some counts": the doubt stays with the answer
    if DOUBT_WORDS.search(text) or re.match(r",\s+or\b", text[aside.start():]) \
            or _CONTRAST.match(text, aside.start()) and _ALTERNATIVE.search(text, aside.start()):
        return text
    kept = text[:aside.start()]
    contrast = _CONTRAST.match(text, aside.start())
    if contrast and len(kept.split()) > 2 and not split_topic(kept, question) \
            and _names_another(text[aside.start():], question):
        if not re.search(r"while|whereas", contrast.group(), re.IGNORECASE):  # "..., but the capital is Cusco"
            return _first_sentence(text[contrast.end():].lstrip(" ,"), question)
        return text
    return _unless_taken_back(text, aside.start(), question)


def _unless_taken_back(text: str, end: int, question: str) -> str:
    """``text`` up to ``end``, or what follows where the rest takes it back."""
    taken_back = _TAKEN_BACK.match(text, end)
    return _first_sentence(text[taken_back.end():], question) if taken_back else text[:end]


def _names_another(clause: str, question: str) -> bool:
    """Whether ``clause`` names something (a capitalised word, a number) the question does not."""
    named = {w.lower() for w in re.findall(r"\b(?:[A-Z][\w'-]*|\d+)", clause)}
    return bool(named - {"i", "i'm", "it", "it's"} - {w.lower() for w in re.findall(r"\w+", question or "")})


def _names_another_kind(words: str, question: str) -> bool:
    said = {w.lower() for w in re.findall(r"[A-Za-z]+", words)}
    asked = {w.lower() for w in re.findall(r"[A-Za-z]+", question or "")}
    return bool(said & _KIND_NOUNS) and not said & asked


# Emphasis inside a sentence ("**Lima** is the capital", "*Middlemarch* was written by ...")
# is presentation; so are a heading's hashes.
_EMPHASIS = re.compile(r"\*+|(?<!\w)_+|_+(?!\w)|^#+\s*", re.MULTILINE)


def _unmarked(text: str) -> str:
    return _EMPHASIS.sub("", text)


_AMOUNT = re.compile(r"[ \t*_`\"'“”‘’]*\$\s?\d")


def _strip(text: str) -> str:
    """``text`` without the markup around it; the dollar sign of an amount stays ($5, where
    $5$ is math)."""
    stripped = text.strip(_MARKUP)
    return "$" + stripped if text.count("$") == 1 and _AMOUNT.match(text) else stripped


def _bare(text: str) -> str:
    """``text`` without the markup around it and its closing punctuation."""
    return _strip(_strip(text).rstrip(".!;:,"))


# What a statement says the answer is not: "The answer is not Cusco" answers nothing, "The
# answer is not Cusco but Lima" answers Lima.
_NOT_STATEMENT = re.compile(r"[\W_]*not\b(?![^\n]{0,1000}?\bbut\s)", re.IGNORECASE)


# "The answer is Cusco" in someone else's words, as a mistake or as an alternative ("Many
# people think the answer is Cusco", "A common wrong answer is Cusco", "another possible
# answer is Cusco") is not the reply's own; one under a condition ("If you meant ..., the
# answer is Cusco") is its own only where it states nothing unconditionally. Read in the
# statement's clause, before it; "I think the answer is", "I'd say" and "the only possible
# answer" stay the reply's own.
_CLAUSE_START = re.compile(r"[.!?;:\n]|\b(?:but|however|so|thus|hence|therefore)\b", re.IGNORECASE)
_CLAUSE_WINDOW = 300  # characters looked back; a clause is shorter
_STATEMENTS_WEIGHED = 10
_NOT_OWN_ANSWER = re.compile(
    r"\b(?:wrong|incorrect|mistaken|common|popular|(?<!only\s)possible|alternative|alternate|other|another"
    r"|tempting|naive|their|his|her)\s+$"
    r"|\b(?:mistake\w*|misconception\w*|tempt\w*|trap|naive\w*|wrongly|mistakenly|thought|assumed)\b",
    re.IGNORECASE)
_REPORTED_BY = re.compile(r"\b(?:think|thinks|believe|believes|say|says|said|argue|argues|claim|claims|assume"
                          r"|assumes|suggest|suggests|state|states)\s+(?:that\s+)?(?:the\s+)?(?:\w+\s+)?$",
                          re.IGNORECASE)
_CONDITION = re.compile(r"(?<!even\s)\b(?:if|unless|otherwise)\b(?!\s+(?:i|we)\s+(?:were|had)\s+to\b)",
                        re.IGNORECASE)


def _voice(region: str, statement: re.Match) -> str:
    """Whose answer a statement gives: "own", "conditional" or "another's"."""
    start = max(0, statement.start() - _CLAUSE_WINDOW)
    for end in _CLAUSE_START.finditer(region, start, statement.start()):
        start = end.end()
    clause = region[start:statement.start()]
    if _NOT_OWN_ANSWER.search(clause):
        return "another's"
    verb = _REPORTED_BY.search(clause)
    if verb and not {w.lower().split("'")[0] for w in clause[:verb.start()].split()[-2:]} & {"i", "we", "to"}:
        return "another's"
    return "conditional" if _CONDITION.search(clause) else "own"


# Where an answer given in someone else's words ends and the reply's own may follow it:
# "Many think the answer is Cusco, but it's Lima.", "... is Cusco. However, it's Lima."
_ANOTHERS_END = re.compile(r"[.;!?]\s+|,\s+(?=(?:but|however|yet|though|although|actually|in\s+fact)\b)|\n")
_OWN_LEAD = re.compile(r"[*_ \t]*(?:(?:but|however|yet|though|although|actually|in\s+fact)\b[\s,]*)*",
                       re.IGNORECASE)


def _own_after(region: str, statement: re.Match, question: str) -> str | None:
    """What the reply says itself after a statement of another's answer, or None."""
    end = _ANOTHERS_END.search(region, statement.end())
    if end is None:
        return None
    own = region[end.end():].split("\n", 1)[0]
    own = own[_OWN_LEAD.match(own).end():]
    return _bare(_first_sentence(_strip(_unmarked(own)), question)) or None


def _final_statement(region: str, question: str = "") -> str | None:
    matches = [m for m in _STATEMENT.finditer(region) if not _NOT_STATEMENT.match(m.group("rest") or "")]
    if not matches:
        return None
    last = conditional = None
    # The last is mostly the reply's own: one clause read. A reply of nothing but others'
    # answers is read no further back than its last few (a line of thousands costs no more).
    for match in matches[:-_STATEMENTS_WEIGHED - 1:-1]:
        voice = _voice(region, match)
        if voice == "own":
            last = match
            break
        conditional = conditional or (match if voice == "conditional" else None)
    if last is None and conditional is not None:
        cut = region.rfind("\n", 0, conditional.start()) + 1
        stated = _stated_before(region[:cut], question)
        if stated and not _RETRACTION.search(region, cut):  # "Sydney\nWait, no. If ..., the answer is ..."
            return stated
    last = last or conditional
    if last is None:
        return _own_after(region, matches[-1], question)
    rest = _strip((last.group("rest") or ""))
    after = region.find("\n", last.end())
    if not rest:  # "**Final answer:**" with the answer on the next line
        following = region[last.end():].strip().splitlines()
        rest = following[0] if following else ""
        after = region.find("\n", region.find(rest, last.end()))
    answer = _bare(_first_sentence(_strip(_unmarked(rest)), question)) or None
    return _unless_retracted(answer, region[after:] if after >= 0 else "", question)


def _stated_before(lines: str, question: str) -> str | None:
    """An answer the lines before a statement under a condition give unconditionally ("The
    capital is **Sydney**.\n\nIf you meant ..., the answer is Canberra." answers Sydney): a
    last line that restates the question or is all bold, or one line and nothing else."""
    if not lines.strip():
        return None
    return (_topic_reply(lines, question) if question else None) or _bold_last_line(lines) \
        or _bare_reply(lines, question)


# A line after the final answer that takes it back: "Wait, actually it's Cusco.", "Hmm, no.
# The capital is Cusco.", "Oops, I was wrong: Cusco.", "Hmm, but maybe Cusco?". A "wait" that
# goes on to check ("Wait, let me verify ... Yes.") or an "Actually, Lima was founded ..."
# that goes on to explain takes nothing back. Doubt words stay with what is read after them.
_PAUSE = r"(?:wait|hmm+|oh|um+|hold\s+on)\b[\s,.!:;\u2014\u2013-]*"
_RETRACTION = re.compile(
    rf"^[^\w\n]*(?:(?:{_PAUSE})+(?:actually\b|(?=maybe\b|perhaps\b))|(?:{_PAUSE}|actually\b[\s,]*)*(?:"
    r"no\s*[,.!:;\u2014\u2013-]|no\s+wait\b|nope\b|oops\b|actually\s*,?\s*(?=it'?s\b|it\s+is\b|the\s+answer\b)"
    r"|i\s+was\s+wrong\b|i\s+made\s+an?\s+(?:mistake|error)\b|my\s+(?:mistake|bad)\b|correction\b"
    r"|scratch\s+that\b|on\s+second\s+thought\b|that'?s\s+(?:wrong|incorrect|not\s+right)\b|i\s+mean\b"
    r"|(?:let\s+me\s+|i\s+(?:need|have|must)\s+to\s+|i\s+should\s+)?correct\s+(?:myself|that|my\s+(?:answer|mistake|error))\b"
    r"|(?=(?:but|or)\s+(?:maybe|perhaps)\b)))",
    re.IGNORECASE | re.MULTILINE)


def _unless_retracted(answer: str | None, after: str, question: str) -> str | None:
    """``answer``, or where a later line takes it back, what that line answers (None when
    it answers nothing)."""
    retractions = list(_RETRACTION.finditer(after))
    if not retractions:
        return answer
    rest = after[retractions[-1].end():].lstrip(" \t\n.,;:!\u2014\u2013-")
    while (again := _RETRACTION.match(rest)) and again.end():  # "Oops, I made a mistake: Sydney"
        rest = rest[again.end():].lstrip(" \t\n.,;:!\u2014\u2013-")
    rest = _TAKEN_BACK.sub("", rest.split("\n")[0], count=1) if _TAKEN_BACK.match(rest) else rest.split("\n")[0]
    return _bare(_first_sentence(_strip(_unmarked(rest)), question)) or None


def _topic_reply(region: str, question) -> str | None:
    """A last line that restates the question around its answer (some chat models reply
    "Largest hot desert: the Sahara." or "The largest hot desert is the Sahara."), after a
    correction that opens it: its first sentence, which the grader reads."""
    lines = [line for line in region.splitlines() if line.strip()]
    if not lines:
        return None
    # "Actually, I need to correct myself: the capital of Australia is Canberra."
    retraction = _RETRACTION.match(lines[-1])
    line = lines[-1][retraction.end():].lstrip(" \t.,;:!\u2014\u2013-") if retraction else lines[-1]
    line = _first_sentence(_strip(_unmarked(line)), question)
    line = _bare(line)
    return line if split_topic(line, question) else None


def _bold_last_line(region: str) -> str | None:
    """A last line that is all bold ("**the Sahara**."): the answer a chat model stressed."""
    lines = [line.strip() for line in region.splitlines() if line.strip()]
    match = _BOLD_LINE.fullmatch(lines[-1]) if lines else None
    if match is None or _STATEMENT.search(lines[-1]):  # "**Final Answer**" and nothing after
        return None
    return _bare(match.group("answer")) or None


def _bare_reply(region: str, question: str = "") -> str | None:
    """A reply that is one line and nothing else ("Lake Titicaca.", "The capital of Peru is
    **Lima**, founded in 1535."): its first sentence, up to BARE_REPLY_WORDS words, is the
    answer, unless it declines ("No idea."), is a heading or statement with nothing after it
    ("Final answer:"), or is labelled ("**Note:** ...", which the topic rule reads where the
    label is the question's subject)."""
    text = region.strip()
    if not text or "\n" in text or _STATEMENT.search(text) or _LABELLED.match(text):
        return None
    answer = _bare(_first_sentence(_strip(_unmarked(text)), question))
    if not answer or len(answer.split()) > BARE_REPLY_WORDS or _REFUSAL.fullmatch(answer):
        return None
    return answer


_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_LIST_ITEM = re.compile(r"\s*(?:[-*+\u2022]|\d{1,2}[.)])\s")
_PLEASANTRY = re.compile(r"[*_ \t]*(?:sure|certainly|of\s+course|absolutely|great\s+question|good\s+question"
                         r"|ok(?:ay)?)?[!.,:]*\s*(?:here(?:'s|\s+is)\s+(?:the|my)\s+answer)?[!.:*_ \t]*",
                         re.IGNORECASE)
# A later line that takes the answer back or goes on deciding: the reply commits to nothing.
_RECONSIDERED = re.compile(r"^[\W_]*(?:wait|hold\s+on|hmm+|correction|on\s+second\s+thought"
                           r"|scratch\s+that|actually,?\s+no|no,?\s+wait|i\s+was\s+wrong"
                           r"|let\s+me\s+(?:re|double)[- ]?check)\b", re.IGNORECASE | re.MULTILINE)


def _lead_paragraph(region: str, question: str = "") -> str | None:
    """A reply that answers in a first paragraph of one line and explains in the paragraphs
    after it ("The capital of Peru is **Lima**.\n\nIt was founded in 1535 ..."): that line,
    read as a whole reply of one line (a greeting before it is skipped), unless it is a list
    item, introduces what follows ("Consider:") or a later line takes it back ("Wait, ...")."""
    paragraphs = [p for p in _PARAGRAPH_BREAK.split(region.strip()) if p.strip()]
    while paragraphs and _PLEASANTRY.fullmatch(paragraphs[0].strip()):
        paragraphs = paragraphs[1:]
    if len(paragraphs) < 2 or "\n" in paragraphs[0].strip() or _LIST_ITEM.match(paragraphs[0]) \
            or paragraphs[0].rstrip(" *_").endswith(":") or paragraphs[1].lstrip(" *_")[:1].islower() \
            or any(_RECONSIDERED.search(p) or _RETRACTION.search(p) for p in paragraphs[1:]):
        return None
    lead = paragraphs[0]
    answer = (_topic_reply(lead, question) if question else None) or _bold_last_line(lead) \
        or _bare_reply(lead, question)
    if answer and any(_answers_otherwise(p, answer, question) for p in paragraphs[1:]):
        return None
    return answer


# What starts a paragraph that sets the answer before it against another: "However, the
# capital is Canberra.", "In fact, ...".
_OTHERWISE = re.compile(r"[*_ \t]*(?:however|but|actually|in\s+fact|instead|rather|in\s+reality)\b[\s,]*",
                        re.IGNORECASE)


def _answers_otherwise(paragraph: str, answer: str, question: str) -> bool:
    """Whether ``paragraph`` opens by restating the question's subject with a name that
    ``answer`` does not hold ("Sydney is the largest city.\n\nHowever, the capital is
    Canberra.")."""
    text = _unmarked(paragraph.strip())
    text = text[_OTHERWISE.match(text).end():] if _OTHERWISE.match(text) else text
    topic = split_topic(_first_sentence(text, question), question)
    return topic is not None and _names_another(topic[1], f"{question} {answer}")


# A base model continuing a few-shot prompt writes the next question after its answer
# ("Richard III\n\nQuestion: Who founded ...?\nAnswer: Henry VII"): the reply ends there. A
# "Question:" line that restates this question (a chat model's layout) goes on with it.
_NEXT_QUESTION = re.compile(r"^[ \t#*_]*(?:question|q)[ \t]*\d*[ \t]*[*_]*[:.]", re.IGNORECASE | re.MULTILINE)


def _before_next_question(region: str, question: str) -> str:
    for next_question in _NEXT_QUESTION.finditer(region):
        line = region[next_question.end():next_question.end() + 300].split("\n", 1)[0]
        said = question_words(line) - QUESTION_WORDS
        if not said or 3 * len(said - question_words(question)) > len(said):  # a paraphrase may change a word
            return region[:next_question.start()]
    return region


def _question(row) -> str:
    question = row.get("question") if isinstance(row, dict) else None
    return question if isinstance(question, str) else ""


def extract(completion: str, row=None) -> str | None:
    """The last ``\\boxed{}`` after the reasoning, else an explicit final statement, else a
    last line that restates the question before its answer, else a last line all in bold,
    else a whole reply of one line, else a first paragraph of one line before the
    paragraphs that explain it, else None. A reply that goes on to a next question (a base
    model continuing a few-shot prompt) is read up to it."""
    region = final_answer_region(completion)
    if region is None:
        return None
    question = _question(row)
    region = _before_next_question(region, question)
    found = boxes(region)
    if found:
        if not found[-1].content:  # unclosed or empty box: no answer
            return None
        return _unless_retracted(found[-1].content, region[found[-1].end:], question)
    statement = _final_statement(region, question)
    if statement is None and question:
        statement = _topic_reply(region, question)
    if statement is not None:
        return statement
    return _bold_last_line(region) or _bare_reply(region, question) or _lead_paragraph(region, question)
