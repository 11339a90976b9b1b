"""Letters and options: the options a question offers, and the one letter an answer text
chooses among them (a letter however wrapped, an option's text or value) or a gold names."""
from __future__ import annotations

import math
import re
from bisect import bisect_right
from functools import lru_cache
from numbers import Integral

ALL_LETTERS = "ABCDEFGHIJ"

# A line that starts with an option's label: "B. text", "**(C)** text", "- D: text".
_LABELLED = re.compile(r"^[ \t>*_-]*(?:\(([A-J])\)|([A-J])[.):])[*_]*[ \t]*")


# Option lines: "A. text", "A) text", "(A) text", "A: text". The text is stripped afterwards: a
# lazy text before "[ \t]*$" tries every end inside a run of spaces (seconds on a long one).
_OPTION = re.compile(r"^[ \t]*(?:\(([A-J])\)|([A-J])[.):])(.*)$", re.M)


@lru_cache(maxsize=4096)
def _options(question: str) -> dict[str, str]:
    """Letter -> option text of the last A, B, C... run in the question."""
    blocks: list[dict[str, str]] = []
    for m in _OPTION.finditer(question):
        letter, text = m.group(1) or m.group(2), m.group(3).strip()
        if letter == "A":
            blocks.append({})
        elif not blocks or letter != ALL_LETTERS[len(blocks[-1])]:
            continue  # a stray "C." inside the question text is not an option
        blocks[-1][letter] = text
    blocks = [b for b in blocks if len(b) >= 2]
    return blocks[-1] if blocks else _inline_options(question)


# Options written on one line: "Which is prime? (A) 4 (B) 6 (C) 7 (D) 9".
_INLINE_LABEL = re.compile(r"(?<![^\s(])\(([A-J])\)[ \t]+")


# a separator ending an inline option: "(A) 4, (B) 6; or (C) 7". It starts at its "," or ";"
# (one that starts with "\s*" is tried from every space of a run: quadratic on a long one).
_INLINE_SEPARATOR = re.compile(r"[,;]\s*(?:or)?$")
_INLINE_MIN = 3  # "compare (A) and (B)" in a stem is no run of options


def _inline_options(question: str) -> dict[str, str]:
    """Letter -> option text of a last line that writes (A) ..., (B) ..., (C) ... in a row
    (a stem that names reactions (A), (B), (C) and asks on is not read as options)."""
    line = question.rstrip().rsplit("\n", 1)[-1]
    labels = list(_INLINE_LABEL.finditer(line))
    if len(labels) < _INLINE_MIN or [m.group(1) for m in labels] != list(ALL_LETTERS[:len(labels)]):
        return {}
    ends = [m.start() for m in labels[1:]] + [len(line)]
    options = {m.group(1): _without_separator(line[m.end():end].strip()) for m, end in zip(labels, ends)}
    return options if all(options.values()) else {}


def _without_separator(text: str) -> str:
    separator = _INLINE_SEPARATOR.search(text)
    return text[:separator.start()].rstrip() if separator else text


def _valid_letters(row) -> tuple[str, dict[str, str]]:
    question = row.get("question") if hasattr(row, "get") else None
    options = _options(question) if isinstance(question, str) else {}
    # No options in the question (e.g. they were stripped): allow the MMLU-Pro range.
    return ("".join(options) or ALL_LETTERS), options


_QUOTES = "\"'`\u201c\u201d\u2018\u2019"
_LATEX_WRAP = re.compile(r"\\(?:text|textbf|textit|mathbf|mathrm|mathit|mbox|emph|boldsymbol)\s*\{([^{}]*)\}")


_MARKUP = re.compile(r"\*\*|\$|\\[()\[\]]")  # bold and math delimiters: $, \( \), \[ \]
_ESCAPED = re.compile(r"\\([$%&#])")  # LaTeX's \$18.00 and 12\% are the option's $18.00 and 12%


def _unwrap(text: str) -> str:
    while True:
        unwrapped = _LATEX_WRAP.sub(r"\1", text)
        if unwrapped == text:
            break
        text = unwrapped
    text = _MARKUP.sub("", _ESCAPED.sub(r"\1", text)).strip()
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
# "D because ...", "C? Let me verify", "C<|im_end|>". "A" and "I" are words too: followed
# by any other word ("A decrease ...") they are prose, while another letter followed by a
# word is that letter ("C in this case", "C for the reasons above") unless the word joins
# another ("C and D") or is a verb that makes the letter a subject ("C is wrong").
# A lower-case letter leads only in parentheses: "(c) 42 g", while "a decrease" is prose.
_LEADING = re.compile(r"^(?:\(([a-j])\)|[(\[]?([A-J])(?:[.):\]]|(?=\s*[(\[,;=?!<\u2192\u2014\u2013-])|\s*$"
                      r"|(?=\s+(?:because|since|as|due|given|which|with|and\s+not)\b)"
                      r"|(?<=[B-HJ])(?=\s+(?!(?:and|or|nor|plus|is|are|was|were|would|could|can|cannot|might|may"
                      r"|must|should|seems?|does|do|has|had)\b)[a-z])))")
# A letter named only to be corrected: "not B, but C", "not B; it is C".
_NOT_THIS_BUT = re.compile(r"^(?i:not)\s+(?i:option\s+)?[(\[]?[A-J][)\]]?\s*[,;]?\s*"
                           r"(?i:but|rather|instead|it\s+is|it's)[\s,:]+")
# Letters joined: "B, C", "B or C", "(B) (C)", "(B)(C)". Each run of spaces is read by one
# quantifier ("\\s*(?:,|\\s)\\s*" tries every split of a long run).
_HEDGE = re.compile(r"(?i)^[(\[]?[A-J][)\]]?(?:(?:\s*[,/&;]\s*|\s+(?:and|or)\s+|\s+|(?<=[)\]]))[(\[]?[A-J][)\]]?)+$")


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
    assigned = _assigned(_SO.sub("", text))
    if assigned and _assigning_options(options):
        # "A = phenol and B = benzoic acid" names the question's unknowns A and B, not option A
        matches = _assigned_by(assigned, options)
        return matches[0] if len(matches) == 1 and matches[0] in letters else None
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
        if _COMPOUND.match(rest) and named != [letter]:  # "B-cells", "C-14", but "B-Gluon"
            return None
        return _second_thoughts(letter, rest, letters, options)
    return None


# A letter joined to a word by a hyphen is part of that word: B-cells, D-glucose, C-14.
_COMPOUND = re.compile(r"-[^\W_]")
_SO = re.compile(r"(?i)^(?:so|thus|hence|therefore)[\s,:]+")

# Options that name the question's unknowns ("A = phenol, B = benzoic acid", GPQA's reagents
# and products): an answer is compared with them unknown by unknown, whatever joins the pairs
# ("," or "and") or writes them ("=" or ":").
_ASSIGNMENT = re.compile(r"(?<![\w-])([A-J])[ \t]*[=:]")
_PAIR_JOINER = re.compile(r"(?i)\band$")  # "A = phenol and B = ..."


@lru_cache(maxsize=16384)
def _assigned(text: str) -> tuple[tuple[str, str], ...] | None:
    """(unknown, value) of each "A = value" of a text that opens with one, in order; None
    for any other text (also "D: A = ...", an option's label before its text)."""
    marks = list(_ASSIGNMENT.finditer(text))
    if not marks or marks[0].start() != 0:
        return None
    ends = [m.start() for m in marks[1:]] + [len(text)]
    pairs = tuple((m.group(1), _norm(_value_of_pair(text[m.end():end]))) for m, end in zip(marks, ends))
    return pairs if all(value for _, value in pairs) else None


def _value_of_pair(text: str) -> str:
    """The value of one "A = value" without what joins it to the next pair (", and", ";")."""
    return _PAIR_JOINER.sub("", text.rstrip(" \t\n,;.")).rstrip(" \t\n,;.")


def _assigning_options(options: dict[str, str]) -> bool:
    return bool(options) and all(_assigned(t) for t in options.values() if t)


def _assigned_by(assigned: tuple[tuple[str, str], ...], options: dict[str, str]) -> list[str]:
    """The letters of the options that assign the same values to the same unknowns (all of them:
    "A = phenol" alone answers half of "A = phenol, B = benzoic acid")."""
    return [letter for letter, t in options.items() if t and _assigned(t) and dict(_assigned(t)) == dict(assigned)]


def _named(text: str, options: dict[str, str]) -> list[str]:
    """The letters of the options ``text`` restates: a value by value (0.0025 m/s or 2.5e-3
    for "$2.5 \\times 10^{-3}$ m/s"), the rest by text, failing that with an article or in
    the plural ("the photon", "Photons" for "Photon"), or unknown by unknown
    ("A = phenol and B = benzoic acid" for "A = phenol, B = benzoic acid")."""
    norm, answer = _norm(text), _value(_norm(text, keep_case=True))
    if not norm:
        return []
    assigned = _assigned(_unwrap(text))
    if assigned and _assigning_options(options):
        return _assigned_by(assigned, options)

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
# ("C, not D", "C; D is ruled out"); another letter in a sentence that leaves it open or
# calls it right hedges ("C, or maybe D", "C (D if the other convention is used)", "C. D is
# also correct"); any other mention only explains the choice ("C because 7 is prime, unlike
# B", "C. Options A, B and D are composite").
_TAKEN_BACK = re.compile(r"(?i)\b(?:wait|actually|no(?=\s*[,;:.!\u2014\u2013-])|sorry|i\s+mean|correction"
                         r"|rather(?!\s+than))\b")
_SET_ASIDE = re.compile(r"(?i)\b(?:not|rather\s+than|instead\s+of|ruled\s+out|rules\s+out|fails?|wrong"
                        r"|incorrect|eliminated|excluded|cannot)\b")
_HEDGED = re.compile(r"(?i)\b(?:or|maybe|perhaps|possib\w*|probab\w*|likel\w*|plausib\w*|could|might|may"
                     r"|also|too|either|alternatively|if|unless|otherwise|depending|as\s+well|close\s+second"
                     r"|correct|right|answer|true|valid|best)\b")
# what joins another letter to the chosen one, nothing else between them
_JOINED = re.compile(r"(?i)^[\s,;(\[]*(?:and|plus|along\s+with|together\s+with|in\s+addition\s+to|as\s+well\s+as"
                     r"|vs\.?|versus|&|\+)[\s(\[]*(?:(?:option|choice)\s+)?[(\[]?$")
_LONE_LETTER = re.compile(r"(?<![A-Za-z'])\(?([A-J])\)?(?![A-Za-z'])")


def _second_thoughts(letter: str, rest: str, letters: str, options: dict[str, str]) -> str | None:
    """The letter a statement that starts with ``letter`` settles on, given what follows it."""
    own_text = options.get(letter, "")  # "D. Both A and B": the option's own letters
    own = {m.group(1) for m in _LONE_LETTER.finditer(own_text)} if _norm(own_text) in _norm(rest) else set()
    others = [m for m in _LONE_LETTER.finditer(rest) if m.group(1) in letters
              and m.group(1) != letter and m.group(1) not in own]
    if not others:
        return letter if letter in letters else None
    if _JOINED.match(rest[:others[0].start()]):  # "B (and D)", "B along with D": both chosen
        return None
    last = others[-1]
    if _TAKEN_BACK.search(rest[:last.start()]):
        return last.group(1)
    hedged = any(_keeps_open(sentence) for sentence in _sentences_naming(rest, others))
    return letter if letter in letters and not hedged else None


# "D cannot be ruled out", "I'm not sure; it could also be D": a negation that keeps D open.
_STILL_OPEN = re.compile(r"(?i)\b(?:not|n't|cannot)\s+(?:be\s+)?(?:ruled\s+out|rule\s+out|excluded|exclude"
                         r"|eliminated|dismissed|sure|certain)\b")
_SENTENCE_BREAK = re.compile(r"(?i)[.;!?]|\bbut\b")


def _sentences_naming(text: str, mentions: list[re.Match]) -> list[str]:
    """Each sentence of ``text`` (a "but" starts one too) that holds a mention, once: one
    pass over the text, however many letters it names."""
    breaks = list(_SENTENCE_BREAK.finditer(text))
    starts = [0] + [b.end() for b in breaks]
    ends = [b.start() for b in breaks] + [len(text)]
    held = sorted({bisect_right(starts, m.start()) - 1 for m in mentions})
    return [text[starts[i]:ends[i]] for i in held]


# "If the force were weak, C would be right", "(D would fit had we ignored friction)": a
# letter right only under a condition contrary to fact is a remark on it, not left open
# (while "C if the other convention is used" is).
_CONTRARY_TO_FACT = re.compile(r"(?i)(?:(?<!even )\bif\b(?!\s+(?:i|we)\s+(?:were|had)\s+to\b)[^.;!?]*?\b(?:were|had)\b"
                               r"|^\W*had\b|\bhad\s+(?:we|i|the|it|they|this)\b)")
_MODAL = re.compile(r"(?i)\b(?:would|could|might)\b|['\u2019]d\b")


def _keeps_open(sentence: str) -> bool:
    if _STILL_OPEN.search(sentence):
        return True
    if _CONTRARY_TO_FACT.search(sentence) and _MODAL.search(sentence):
        return False
    return not _SET_ASIDE.search(sentence) and bool(_HEDGED.search(sentence))


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
