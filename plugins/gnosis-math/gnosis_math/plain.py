"""Answers written in plain text or Unicode, as the LaTeX math-verify reads.

Models that do not box their answer write ``5/12``, ``3 1/4``, ``6.02 x 10^23``, ``1.6e-19``,
``π/3``, ``2√3``, ``x ≤ 3``, ``−4`` (U+2212), ``12 cm^2``, ``4 and 9`` or ``1 000 000``. math-verify's LaTeX
parser reads none of these as meant (``1.6e-19`` is ``1.6·e − 19``; ``10^-31`` is
``10^{-}·31``; a unit's letters become variables). ``as_latex`` rewrites them into the LaTeX a
person would have typed, and leaves LaTeX as it is. Everything is one pass of a few regular
expressions, none of which backtracks more than quadratically (answers are at most 1,000
characters by then). An en dash is left alone: ``1–2`` is a range, not ``-1``.
"""
from __future__ import annotations

import re

_UNICODE = str.maketrans({
    "\u2212": "-", "\u00d7": r" \times ", "\u22c5": r" \cdot ", "\u00b7": r" \cdot ",
    "\u00f7": r" \div ", "\u2264": r" \le ", "\u2265": r" \ge ", "\u2260": r" \ne ", "\u221e": r"\infty ",
    "\u03c0": r"\pi ", "\u2044": "/", "\u00bd": r"\frac{1}{2}", "\u00bc": r"\frac{1}{4}",
    "\u00be": r"\frac{3}{4}", "\u2153": r"\frac{1}{3}", "\u2154": r"\frac{2}{3}", "\u00b0": r"^\circ ",
    "\u2205": r"\emptyset ",
})
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺"
_SUPERSCRIPT_RUN = re.compile(f"[{_SUPERSCRIPTS}]+")
_FROM_SUPERSCRIPT = str.maketrans(_SUPERSCRIPTS, "0123456789-+")
# √2, √(x+1), √{3}
_ROOT = re.compile(r"√\s*(\d+(?:\.\d+)?|[A-Za-z]|\([^()]*\)|\{[^{}]*\})")
_ASCII_SQRT = re.compile(r"(?<![\\A-Za-z])sqrt\s*\(([^()]*)\)")
_ASCII_PI = re.compile(r"(?<![\\A-Za-z])pi(?![A-Za-z])")
_ASCII_INFINITY = re.compile(r"(?<![\\A-Za-z])inf(?:inity)?(?![A-Za-z])")
_ASCII_RELATIONS = (("<=", r" \le "), (">=", r" \ge "), ("!=", r" \ne "))
_NUMBER = r"\d+(?:\.\d+)?"
# 6.02 x 10^23, 6.02*10^{23}, 6.02 \times 10^-19: the exponent braced whole
_TIMES_TEN = re.compile(rf"({_NUMBER})\s*(?:[xX*]|\\times|\\cdot)\s*10\s*\^\s*(?:\{{\s*([+-]?\d+)\s*\}}|([+-]?\d+))")
# 1.6e-19, 6.02E+23 (a number directly followed by e and an exponent)
_E_NOTATION = re.compile(rf"(?<![\w\\.])({_NUMBER})[eE]([+-]?\d+)(?![\w.])")
# x^12, 10^-3: an unbraced exponent of more than one character is braced whole
_LONG_EXPONENT = re.compile(r"\^\s*([+-]?\d{2,}|[+-]\d)(?![\d.])")
# 3 1/4: a whole number, a space, a proper fraction
_MIXED = re.compile(r"(?<![\w.\\/])(\d+)\s+(\d+)\s*/\s*(\d+)(?![\w./])")
# [[1, 2], [3, 4]]: a matrix as nested lists, rows of one length
_NESTED_LIST = re.compile(r"\[\s*\[[^\[\]]*\](?:\s*,\s*\[[^\[\]]*\])*\s*\]")
_ROW = re.compile(r"\[([^\[\]]*)\]")
# 1 000 000, 82\,295\,424, 10~000: digits grouped in threes by a space, as math-verify's own
# plain-number reading groups them ("1 234.5" is 1234.5); its LaTeX parser reads the groups
# apart (1 000 000 as 1*0*0 = 0). A mixed number's fraction (3 125/8) is no group.
_GROUP_GAP = r"(?:[ \t\u00a0\u2009\u202f~]|\\[,;: ])"
_DIGIT_GROUPS = re.compile(rf"(?<![\d.,])(\d{{1,3}})((?:{_GROUP_GAP}\d{{3}})+)(?!\d|\s*/)")
_GAP = re.compile(_GROUP_GAP)
# "35 percent", "35\text{ percent}": a percentage like "35%"
_PERCENT_WORD = re.compile(r"(?<=\d)\s*(?:\\text\s*\{\s*percent\s*\}|percent\b)")
# "3/4 (or 0.75)", "3 (and -3)": a second value in parentheses is one more element, as "3 or 4" is
_ALTERNATIVE = re.compile(r"\s*\(\s*(or|and)\s+([^()]*)\)")
# "4 and 9", "2, 5, and 7": the elements of a list
_AND = re.compile(r"(?<=[\w}])\s*,?\s+and\s+(?=[-\w\\])")
# Units a number may carry: a product or quotient of these, each with a power.
_UNITS = ("m cm mm km nm um μm s ms min h hr hrs g kg mg lb lbs oz N kN J kJ W kW Pa kPa MPa atm bar "
          "L mL ml V mV A mA Hz kHz MHz GHz K mol ft in yd mi mph kph Ω ohm ohms eV keV MeV cal kcal "
          "deg rad sr cd lm lx T Wb C F")
# one unit: a whole word (so that "mm" is never "m" "m": the match stays linear), with a power
_UNIT = (rf"(?:{'|'.join(sorted(map(re.escape, _UNITS.split()), key=len, reverse=True))})"
         r"(?![A-Za-z])(?:\^\{?-?\d\}?)?")
_UNIT_JOIN = r"(?:\s*[/*]\s*|\s*\\cdot\s*|\s+)"
# a number, then (after a space, "\,", or "$") units alone up to the end: "12 cm^2", "3.7 $m/s^2$"
_UNIT_TAIL = re.compile(rf"^(.*?\d\}}?)(?:\s*\\[, ]\s*|\s*\$\s*|\s+)\$?{_UNIT}(?:{_UNIT_JOIN}{_UNIT})*\$?\s*\.?$")

# Words that operate on the number before them, as a reply reads an answer aloud: "12 squared"
# is 144, not 12 with a unit. Rewritten as LaTeX; any left over keeps its letters (never a unit).
_ORDINALS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
             "ninth": 9, "tenth": 10}
_NUMBER_BEFORE = r"(?<![\w.])(\d+(?:\.\d+)?)\s+"
_SQUARED = re.compile(_NUMBER_BEFORE + r"(squared|cubed)\b")
_FACTORIAL_WORD = re.compile(_NUMBER_BEFORE + r"factorial\b")
_TO_THE_POWER = re.compile(_NUMBER_BEFORE + rf"(?:to\s+the\s+(\d+)(?:st|nd|rd|th)?|to\s+the\s+({'|'.join(_ORDINALS)}))"
                           r"(?:\s+power)?\b|" + _NUMBER_BEFORE + r"to\s+the\s+power\s+of\s+(\d+)\b")
# "12 thousand", "2.5\\text{ million}", "3 dozen": a scale word multiplies, never a unit to drop
_SCALES = {"hundred": r"10^{2}", "thousand": r"10^{3}", "million": r"10^{6}", "billion": r"10^{9}",
           "trillion": r"10^{12}", "dozen": "12"}
_SCALE_WORD = "|".join(_SCALES)
SCALE_WORD = re.compile(rf"\b(?:{_SCALE_WORD})\b")
_SCALED = re.compile(rf"(?<![\w.])(\d+(?:\.\d+)?)(?:\s*\\text\s*\{{\s*({_SCALE_WORD})\s*\}}|\s+({_SCALE_WORD})\b)")
_PARTS = {"halves": 2, "thirds": 3, "fourths": 4, "quarters": 4, "fifths": 5, "sixths": 6, "sevenths": 7,
          "eighths": 8, "ninths": 9, "tenths": 10, "hundredths": 100, "thousandths": 1000}
_PARTS_WORD = re.compile(r"(?<![\w.])(\d+)\s+(" + "|".join(_PARTS) + r")\b")
# "0.3 repeating": the digits after the point repeat ("0.142857 repeating" is 1/7)
_REPEATING_WORD = re.compile(r"(?<![\w.])(\d*)\.(\d+)\s*(?:\.\.\.\s*)?(?:repeating|recurring)\b")
# "0.1\overline{6}": a repeating decimal, which math-verify reads as 0.1 (times a symbol);
# written as the fraction it is
_OVERLINE = re.compile(r"(?<![\w.])(\d*)\.(\d*)\\overline\s*\{\s*(\d+)\s*\}")
OPERATION_WORD = re.compile(r"(?i)\b(?:squared|cubed|factorial|power|repeating|recurring|" + "|".join(_PARTS) + r")\b")


def _power(match: re.Match) -> str:
    base = match.group(1) or match.group(4)
    exponent = match.group(2) or match.group(5) or _ORDINALS.get(match.group(3))
    return f"{base}^{{{exponent}}}"


def _repeating(match: re.Match) -> str:
    whole, fixed, block = match.group(1) or "0", match.group(2), match.group(3)
    numerator = int(whole + fixed + block) - int(whole + fixed)
    return rf"\frac{{{numerator}}}{{{'9' * len(block)}{'0' * len(fixed)}}}"


def spoken(text: str) -> str:
    """``text`` with its spoken operations ("12 squared", "5 factorial", "7 to the fourth
    power", "4 halves", "0.3 repeating", "12 thousand") and repeating decimals written as LaTeX."""
    text = _SQUARED.sub(lambda m: f"{m.group(1)}^{{{2 if m.group(2) == 'squared' else 3}}}", text)
    text = _FACTORIAL_WORD.sub(r"\1!", text)
    text = _SCALED.sub(lambda m: rf"{m.group(1)} \times {_SCALES[m.group(2) or m.group(3)]}", text)
    text = _TO_THE_POWER.sub(_power, text)
    text = _PARTS_WORD.sub(lambda m: rf"\frac{{{m.group(1)}}}{{{_PARTS[m.group(2)]}}}", text)
    text = _REPEATING_WORD.sub(r"\1.\\overline{\2}", text)
    return _OVERLINE.sub(_repeating, text)


def as_latex(text: str) -> str:
    """``text`` with its plain-text and Unicode math written as LaTeX."""
    if text.isascii() and not _PLAIN_HINT.search(text):
        return text  # the common case: already LaTeX (or a bare number)
    text = spoken(text)
    text = _SUPERSCRIPT_RUN.sub(lambda m: "^{" + m.group().translate(_FROM_SUPERSCRIPT) + "}", text)
    text = _ROOT.sub(lambda m: r"\sqrt{" + m.group(1).strip("(){}") + "}", text)
    text = text.translate(_UNICODE)
    for plain, latex in _ASCII_RELATIONS:
        text = text.replace(plain, latex)
    text = _ASCII_SQRT.sub(r"\\sqrt{\1}", text)
    text = _ASCII_PI.sub(r"\\pi ", text)
    text = _ASCII_INFINITY.sub(r"\\infty ", text)
    text = _TIMES_TEN.sub(lambda m: rf"{m.group(1)} \times 10^{{{m.group(2) or m.group(3)}}}", text)
    text = _E_NOTATION.sub(lambda m: rf"{m.group(1)} \times 10^{{{int(m.group(2))}}}", text)
    text = _LONG_EXPONENT.sub(r"^{\1}", text)
    text = _MIXED.sub(r"\1\\frac{\2}{\3}", text)
    text = _DIGIT_GROUPS.sub(lambda m: m.group(1) + _GAP.sub("", m.group(2)), text)
    text = _NESTED_LIST.sub(_matrix, text)
    text = _PERCENT_WORD.sub(r"\\%", text)
    text = _ALTERNATIVE.sub(r" \1 \2", text)
    text = _AND.sub(", ", text)
    unit = _UNIT_TAIL.match(text)
    if unit:
        text = unit.group(1)
    return " ".join(text.split())


def _matrix(match: re.Match) -> str:
    rows = [[cell.strip() for cell in row.split(",")] for row in _ROW.findall(match.group())]
    if len({len(row) for row in rows}) != 1 or not all(all(row) for row in rows):
        return match.group()  # ragged or empty: no matrix
    return r"\begin{pmatrix} " + r" \\ ".join(" & ".join(row) for row in rows) + r" \end{pmatrix}"


# What plain-text math looks like; text without any of it is left alone.
_PLAIN_HINT = re.compile(r"overline|hundred|thousand|illion|dozen|"
                         r"[<>!]=|sqrt|pi|inf|\d[eE][+-]?\d|\d\s*[xX*]\s*10\s*\^|\^\s*[+-]?\d\d|\^-|"
                         r"\d\s+\d+\s*/|\band\b|\(\s*or\b|percent|\[\s*\[|\d[\s$]*[A-Za-z]|\d\s*\\[, ]|"
                         rf"\d{_GROUP_GAP}\d{{3}}")
