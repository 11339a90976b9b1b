"""Normalisation of trivia answers: two spellings of one answer become the same tokens.

``clean`` undoes presentation (diacritics, LaTeX) but keeps case, which the grader needs to
tell a person's name from a place; ``tokens`` is the canonical form that is compared.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters that NFKD does not split into a base letter and a combining mark.
_LETTERS = str.maketrans({
    "ß": "ss", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ø": "o", "Ø": "O", "ł": "l",
    "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "þ": "th", "Þ": "Th", "ı": "i",
    "’": "'", "‘": "'", "ʼ": "'", "“": '"', "”": '"', "–": "-", "—": "-", "−": "-",
})

_FRAC = re.compile(r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
_DEGREE = re.compile(r"\^\s*\{?\s*\\circ\s*\}?|°")
_ESCAPED = re.compile(r"\\([&%$#_{}])")
_SPACING = re.compile(r"\\[,;:! ]|~")
# A command followed by a brace only wraps its argument (\text{..}, \mathrm{..}, \textbf{..}).
_WRAPPER = re.compile(r"\\[a-zA-Z]+\*?\s*(?=\{)")
_LAYOUT = re.compile(r"\\(?:left|right|displaystyle|textstyle|quad|qquad)\b")
_COMMAND = re.compile(r"\\([a-zA-Z]+)")
# Sub/superscripts are flattened (CO_2 -> CO2, H_{2}O -> H2O) once the braces are gone.
_MARKUP = re.compile(r"[_^{}$]")


def fold(text: str) -> str:
    """Drop diacritics (São -> Sao) and unify quotes and dashes; case is kept."""
    text = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def strip_latex(text: str) -> str:
    text = _FRAC.sub(r"\1/\2", text)
    text = _DEGREE.sub(" ", text)
    text = _ESCAPED.sub(r"\1", text)
    text = _SPACING.sub(" ", text)
    text = _WRAPPER.sub("", text)
    text = _LAYOUT.sub(" ", text)
    text = _COMMAND.sub(r"\1", text)  # a bare symbol keeps its name: \pi -> pi
    return _MARKUP.sub("", text)


@lru_cache(maxsize=65536)  # every alias is cleaned for several rules, and recurs across golds
def clean(text: str) -> str:
    return " ".join(strip_latex(_CURRENCY.sub(_in_currency, fold(text))).split())


# Numbers stay one token with their separators (3.5, 1/2, 9:30) so that "1/2" never
# collapses into "12"; ordinals keep their suffix.
# A minus sign stays with its number (-40 is not 40), but not a hyphen (Catch-22, 1939-1945).
_TOKEN = re.compile(r"\d+(?:[.,/:]\d+)*(?:st|nd|rd|th)\b|(?:(?<![\w-])-)?\d+(?:[.,/:]\d+)*|[^\W\d_]+")
_INNER_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")

# Abbreviations that only stand for the long word when another word follows
# (St Louis = Saint Louis, but Baker St = Baker Street).
_BEFORE_NAME = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort", "dr": "doctor"}
_AT_END = {"st": "street", "ft": "feet", "jr": "junior", "sr": "senior"}
ARTICLES = frozenset({"the", "a", "an"})
HONORIFICS = frozenset({"sir", "dame", "lord", "lady", "doctor", "mr", "mrs", "ms", "miss",
                        "prof", "professor", "rev", "reverend"})

# Words that doubt an answer ("probably Lima", "Lima (most likely)", "Lima is my best
# guess") or offer alternatives ("Lima or Cusco", "Lima (though it could be Cusco)", "Lima
# (Cusco is also possible)"): an answer holding one commits to nothing. "Could be" offers an
# alternative only before a name ("..., which may be surprising" doubts nothing).
_DOUBTS = (r"maybe|perhaps|probably|possibly|likely|unsure|uncertain|guess|low\s+confidence"
           r"|alternatively|also\s+(?:possible|plausible)|another\s+possibility"
           r"|(?:could|might|may)\s+(?:also\s+|well\s+|even\s+)?be\s+(?:the\s+)?(?=(?-i:[A-Z\d]))"
           r"|not\s+(?:(?:100\s*%|entirely|completely|totally|quite|absolutely|fully)\s+)?(?:sure|certain|confident)"
           r"|(?:could|may|might)\s+be\s+(?:wrong|mistaken|incorrect)|don'?t\s+quote\s+me")
DOUBT_WORDS = re.compile(rf"\b(?:{_DOUBTS})\b", re.IGNORECASE)
HEDGE_WORDS = re.compile(rf"\b(?:or|either|vs|versus|{_DOUBTS})\b", re.IGNORECASE)

_FUNCTION_WORDS = frozenset({"of", "and", "the", "in", "on", "at", "to", "for"})

_SMALL = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate(
    "twenty thirty forty fifty sixty seventy eighty ninety".split(), start=2)}
_SCALES = {"thousand": 1000, "million": 10**6, "billion": 10**9}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fifth": 5, "eighth": 8, "ninth": 9,
             "twelfth": 12}
_ORDINALS.update({w + "th": n for w, n in _SMALL.items()
                  if 4 <= n <= 19 and n not in _ORDINALS.values()})
_ORDINALS.update({w[:-1] + "ieth": n for w, n in _TENS.items()})


def _suffix(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def _fits(current: int, value: int, started: bool) -> bool:
    """Whether a units/tens word may extend the number read so far (twenty one, but not
    nineteen eighty, which is two numbers)."""
    if not started:
        return True
    low = current % 100
    return low == 0 or (value < 10 and low >= 20 and low % 10 == 0)


def _read_number(words: list[str], i: int) -> tuple[str | None, int]:
    total = current = 0
    j, started = i, False
    while j < len(words):
        word = words[j]
        value = _SMALL.get(word, _TENS.get(word, _ORDINALS.get(word)))
        if value is not None:
            if not _fits(current, value, started):
                break
            current += value
            j, started = j + 1, True
            if word in _ORDINALS:
                n = total + current
                return f"{n}{_suffix(n)}", j
        elif word == "hundred" and started and 0 < current < 100:
            current *= 100
            j += 1
        elif word in _SCALES and started and current:
            total, current = total + current * _SCALES[word], 0
            j += 1
        elif word == "and" and started and current % 100 == 0 and j + 1 < len(words) \
                and (words[j + 1] in _SMALL or words[j + 1] in _TENS):
            j += 1  # one hundred and five
        else:
            break
    return (str(total + current), j) if started else (None, i)


def _number_token(token: str) -> str:
    sign, digits = ("-", token[1:]) if token.startswith("-") else ("", token)
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", digits):
        return sign + digits.replace(",", "")
    if re.fullmatch(r"\d+\.\d+", digits):
        return sign + digits.rstrip("0").rstrip(".")
    return token


def is_number(word: str) -> bool:
    return word[:1].isdigit() or (word[:1] == "-" and word[1:2].isdigit())


def _unit_names(*groups: str) -> dict[str, str]:
    """{"m": "metres", "meter": "metres", ...} from "metres m metre meter meters" lines."""
    return {form: names.split()[0] for names in groups for form in names.split()}


# A unit after a number, however written, is one word (100m, 100 meters, 100 metres).
_UNITS = _unit_names(
    "metres m metre meter meters", "kilometres km kms kilometre kilometer kilometers",
    "centimetres cm centimetre centimeter centimeters", "millimetres mm millimetre millimeter millimeters",
    "kilograms kg kgs kilogram kilo kilos", "grams g gram gramme grammes", "feet ft foot",
    "inches inch", "miles mi mile", "yards yd yds yard", "litres l litre liter liters",
    "millilitres ml millilitre milliliter milliliters", "tonnes tonne", "tons ton",
    "hours h hr hrs hour", "minutes min mins minute", "seconds sec secs second",
    "years yr yrs year", "degrees deg degree", "mph", "dollars dollar usd", "pounds pound gbp",
    "euros euro eur", "cents cent", "yen")
# A currency sign before an amount is its unit after it ($5 is 5 dollars, £2m is 2 million
# pounds), unless a closing $ makes it LaTeX math ($5$).
_CURRENCY = re.compile(r"(?:\bUS\s?)?(?P<sign>[$£€¥])\s?(?P<amount>\d[\d,]*(?:\.\d+)?)"
                       r"(?:\s?(?P<scale>thousand|million|billion|bn|m)\b)?(?![\d.,]*\$)")
_CURRENCY_NAMES = {"$": "dollars", "£": "pounds", "€": "euros", "¥": "yen"}
CURRENCIES = frozenset(_CURRENCY_NAMES.values())
_SCALE_ABBREVIATIONS = {"m": "million", "bn": "billion"}
# A temperature's scale, with or without "degrees" (100 °C, 100 degrees Celsius, 100 C).
_TEMPERATURE_SCALES = {"c": "celsius", "celsius": "celsius", "centigrade": "celsius",
                       "f": "fahrenheit", "fahrenheit": "fahrenheit", "k": "kelvin", "kelvin": "kelvin"}


def _in_currency(match: re.Match) -> str:
    scale = match.group("scale")
    scale = f" {_SCALE_ABBREVIATIONS.get(scale, scale)}" if scale else ""
    return f"{match.group('amount')}{scale} {_CURRENCY_NAMES[match.group('sign')]}"


def _temperatures(words: list[str]) -> list[str]:
    out = []
    for k, word in enumerate(words):
        scale = _TEMPERATURE_SCALES.get(word)
        # a letter is a scale only after "degrees" or at the end: 1303 C.E. is a year
        if scale and k and (is_number(words[k - 1]) and (len(word) > 1 or k == len(words) - 1)
                            or words[k - 1] == "degrees" and k > 1 and is_number(words[k - 2])):
            if out[-1] == "degrees":
                out.pop()
            out.append(scale)
        else:
            out.append(word)
    return out


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        count, n = divmod(n, value)
        out += letters * count
    return out


def _regnal(words: list[str]) -> list[str]:
    """"Henry the Eighth" (now henry the 8th) is Henry VIII: a name, "the", an ordinal."""
    for i in range(1, len(words) - 1):
        if words[i] == "the" and words[i - 1].isalpha() and _REGNAL.fullmatch(words[i + 1]):
            n = int(words[i + 1][:-2])
            if 0 < n < 40:
                return words[:i] + [_roman(n)] + words[i + 2:]
    return words


_MONTH_SPELLINGS = ("january jan", "february feb", "march mar", "april apr", "may", "june jun",
                    "july jul", "august aug", "september sep sept", "october oct", "november nov",
                    "december dec")
MONTHS = {name: spellings.split()[0] for spellings in _MONTH_SPELLINGS for name in spellings.split()}
_MONTH_NUMBERS = {f"{k:02d}": spellings.split()[0] for k, spellings in enumerate(_MONTH_SPELLINGS, 1)}
_DAY = re.compile(r"0?([1-9]|[12]\d|3[01])(?:st|nd|rd|th)?")
_YEAR = re.compile(r"\d{3,4}")


def _date_at(w: list[str]) -> tuple[list[str], int] | None:
    """The full date ``w`` starts with, as [day, month, year], and how many words it takes."""
    def day(i): return len(w) > i and _DAY.fullmatch(w[i])
    def month(i): return len(w) > i and w[i] in MONTHS
    def year(i): return len(w) > i and _YEAR.fullmatch(w[i])
    if month(0) and day(1) and year(2):  # July 20, 1969
        return [day(1).group(1), MONTHS[w[0]], w[2]], 3
    if day(0) and month(1) and year(2):  # 20 July 1969
        return [day(0).group(1), MONTHS[w[1]], w[2]], 3
    if day(0) and len(w) > 1 and w[1] == "of" and month(2) and year(3):  # the 20th of July, 1969
        return [day(0).group(1), MONTHS[w[2]], w[3]], 4
    if len(w) > 2 and len(w[0]) == 4 and year(0) and w[1] in _MONTH_NUMBERS and len(w[2]) == 2 and day(2):
        return [day(2).group(1), _MONTH_NUMBERS[w[1]], w[0]], 3  # 1969-07-20
    return None


def _full_dates(words: list[str]) -> list[str]:
    """Every full date in ``words`` in one order (July 20, 1969; 20th of July 1969; 1969-07-20
    all read 20 july 1969)."""
    out, i = [], 0
    while i < len(words):
        date = _date_at(words[i:i + 4])
        if date is None:
            out.append(words[i])
            i += 1
        else:
            out += date[0]
            i += date[1]
    return out


_MONARCHS = frozenset("king queen emperor empress pope tsar czar tsarina pharaoh sultan".split())
_ROMAN_NUMERAL = re.compile(r"[ivx]{1,6}")
_REGNAL = re.compile(r"\d{1,2}(?:st|nd|rd|th)")


@lru_cache(maxsize=65536)  # one alias recurs in many golds (and lower-cased in the same one)
def tokens(text: str) -> tuple[str, ...]:
    """The canonical word sequence of an answer: lower case, no punctuation or LaTeX,
    abbreviations expanded, number words as digits, regnal ordinals as Roman numerals, units
    after a number in one spelling, no leading article or honorific."""
    text = clean(text).casefold().replace("&", " and ").replace("%", " percent ")
    words = _TOKEN.findall(_INNER_APOSTROPHE.sub("", text))
    words = [(_BEFORE_NAME if k + 1 < len(words) else _AT_END).get(w, w)
             for k, w in enumerate(words)]
    out, i = [], 0
    while i < len(words):
        number, j = _read_number(words, i)
        if number is None:
            out.append(_number_token(words[i]))
            i += 1
        else:
            out.append(number)
            i = j
    out = _regnal(_full_dates(out))
    out = _temperatures([_UNITS.get(w, w) if k and is_number(out[k - 1]) else w for k, w in enumerate(out)])
    if len(out) > 1 and out[0] in ARTICLES:
        out = out[1:]
    # "Sir Isaac Newton" is "Isaac Newton"; "Doctor Who" and "Lord of the Flies" keep theirs.
    if len(out) > 2 and out[0] in HONORIFICS and out[1] not in _FUNCTION_WORDS:
        out = out[1:]
    # A monarch's title before a regnal name: Queen Elizabeth II is Elizabeth II (but Queen
    # Victoria stays: Victoria alone may name a lake).
    if len(out) > 2 and out[0] in _MONARCHS and _ROMAN_NUMERAL.fullmatch(out[-1]):
        out = out[1:]
    return tuple(out)


def key(words: tuple[str, ...]) -> str:
    """Words joined without spaces (J. K. Rowling = JK Rowling, H 2 O = H2O), except between
    two numbers, which must stay two numbers."""
    out = ""
    for word in words:
        if out and out[-1].isdigit() and word[0].isdigit():
            out += " "
        out += word
    return out


# --- the question: what it asks for ------------------------------------------------------

_WORD = re.compile(r"[^\W_]+")
# Words that say nothing of a question's subject: "What is the ...", "Name the ...".
QUESTION_WORDS = frozenset("""
    the a an of in on at to for by from with and is are was were be what whats which who whom
    whose where when how name s it its this that these those do does did
""".split())


@lru_cache(maxsize=16384)
def question_words(question: str) -> frozenset[str]:
    """The words of a question, folded and lower case."""
    return frozenset(_WORD.findall(fold(question).casefold()))


def restates(topic: str, question, min_words: int = 1) -> bool:
    """Whether ``topic`` ("Largest hot desert") only repeats words of ``question`` ("Which is
    the largest hot desert?"), in either grammatical number, at least ``min_words`` of them."""
    # A long text restates nothing: it is not folded whole (a 40 KB line costs no more than 20 words).
    if not isinstance(question, str) or len(topic.split(None, 20)) > 20:
        return False
    words = _WORD.findall(fold(strip_latex(topic)).casefold())
    content = [w for w in words if w not in QUESTION_WORDS]
    asked = question_words(question)
    return 0 < len(words) <= 10 and len(content) >= min_words and all(
        w in asked or not asked.isdisjoint(singulars(w)) or w + "s" in asked for w in content)


# The noun a question asks for ("Which English composer ...": english, composer), which may
# stand before the name in the answer: the composer Elgar, the city of Lima.
_ASKED = re.compile(r"\b(?:which|what|name\s+the|name\s+of\s+the)\s+((?:[^\W\d_]+\s+){0,2}[^\W\d_]+)")
NOT_ASKED = frozenset("is was are were did does do has have had the a an of in on at to for".split())


@lru_cache(maxsize=16384)
def asked_words(question: str) -> frozenset[str]:
    words = set()
    for match in _ASKED.finditer(fold(question).casefold()):
        for word in match.group(1).split():
            if word in NOT_ASKED:
                break
            words.add(word)
    return frozenset(words)


# "In which play does Yorick appear?", "the ship on which Darwin sailed" and "Which novel
# features Heathcliff?" are answered by what follows the question's preposition, or "in" for
# a work: "Yorick appears in Hamlet.", "Darwin sailed on HMS Beagle."
_ASKED_PREPOSITION = re.compile(r"\b(in|on|at|from|into|for)\s+(?:which|what)\b", re.IGNORECASE)
_WORKS = frozenset("""play plays novel novels book books film films movie movies opera operas poem poems
    story stories series show shows musical musicals ballet sitcom""".split())


@lru_cache(maxsize=16384)
def answer_prepositions(question: str) -> frozenset[str]:
    leads = {m.group(1).lower() for m in _ASKED_PREPOSITION.finditer(question)}
    if re.match(r"\W*where\b", question, re.IGNORECASE):  # "Where was JFK shot?": "in Dallas"
        leads |= {"in", "at", "on", "near"}
    return frozenset(leads | ({"in"} if asked_words(question) & _WORKS else set()))


# A question that asks for a time or a quantity; elsewhere a date or number in a sentence
# ("Richard III was killed at Bosworth in 1485.") says when or how much, not what is asked.
_ASKS_FOR_NUMBER = re.compile(r"\b(?:when|how\s+(?:many|much|long|old|far|tall|high|big|deep|fast|often)"
                              r"|years?|dates?|decade|century|month|day|age|number|percent(?:age)?|score"
                              r"|population|height|length|distance|weight|temperature|speed|cost|price)\b",
                              re.IGNORECASE)


def asks_for_number(question: str) -> bool:
    return bool(_ASKS_FOR_NUMBER.search(question))


# Where a reply's restated topic ends and its answer starts: "Largest hot desert: the
# Sahara", "The largest hot desert is the Sahara".
_TOPIC_END = re.compile(r"\s*:\s+|\s+(?:is|was|are|were)\s+(?=\S)", re.IGNORECASE)


def split_topic(text: str, question) -> tuple[str, str] | None:
    """(topic, answer) of a reply that restates the question's subject before its answer,
    or after it: "Canberra is the capital of Australia"."""
    if not isinstance(question, str) or not question:
        return None
    for match in _TOPIC_END.finditer(text, 0, 200):
        before, after = text[:match.start()], text[match.end():]
        if restates(before, question):
            return before, after
        # Answer first, the subject after: only a subject of two words or more ("It is hot"
        # restates nothing).
        if ":" not in match.group() and restates(after.rstrip(" .!"), question, min_words=2):
            return after.rstrip(" .!"), before
    return None


# --- grammatical number ------------------------------------------------------------------

IRREGULAR_PLURALS = {"men": "man", "women": "woman", "children": "child", "mice": "mouse",
                      "lice": "louse", "geese": "goose", "feet": "foot", "teeth": "tooth",
                      "oxen": "ox", "people": "person", "dice": "die"}


def singulars(word: str) -> frozenset[str]:
    """What a lower-case English plural ``word`` is the plural of, by the regular rules
    (wolves: wolf, wolfe; boxes: box; daisies: daisy; mice: mouse); empty when it does not
    look like a plural. Words in -ss, -us and -is (glass, Paris, Venus) are not plurals."""
    if word in IRREGULAR_PLURALS:
        return frozenset({IRREGULAR_PLURALS[word]})
    if len(word) < 4 or not word.isalpha() or not word.endswith("s") \
            or word.endswith(("ss", "us", "is")):
        return frozenset()
    if word.endswith("ies"):
        return frozenset({word[:-3] + "y"})
    if word.endswith("ves"):
        return frozenset({word[:-3] + "f", word[:-3] + "fe"})
    if word.endswith(("xes", "zes", "ches", "shes", "sses")):
        return frozenset({word[:-2]})
    if word.endswith(("oes", "ses")):
        return frozenset({word[:-2], word[:-1]})  # potatoes, horses
    return frozenset({word[:-1]})
