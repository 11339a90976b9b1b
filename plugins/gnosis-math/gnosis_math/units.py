"""The unit an answer ends in ("51.8\\text{ km}", "90 minutes", "37°F", "\\$50", "129 rad").

math-verify drops units before comparing, so 51.8 m equals a gold of 51.8 km. ``split``
finds the unit, named the same way however it is written (s, sec, seconds), so that a
prediction whose unit differs from the gold's can be told apart. Only the units listed here
count: an unknown word, a compound unit (m/s, cm^2) or a power is no unit to compare, and
no conversion is ever tried (60 seconds against 1 minute stays with math-verify).
"""
from __future__ import annotations

import re

# every spelling of a unit -> its one name
_NAMES = {}
for _name, _spellings in {
    "mm": "mm millimeter millimeters millimetre millimetres",
    "cm": "cm centimeter centimeters centimetre centimetres",
    "m": "m meter meters metre metres",
    "km": "km kilometer kilometers kilometre kilometres",
    "in": "in inch inches", "ft": "ft foot feet", "yd": "yd yard yards", "mi": "mi mile miles",
    "mg": "mg milligram milligrams", "g": "g gram grams", "kg": "kg kilogram kilograms",
    "lb": "lb lbs pound pounds", "oz": "oz ounce ounces",
    "ml": "ml mL milliliter milliliters millilitre millilitres",
    "l": "L liter liters litre litres",
    "s": "s sec secs second seconds", "min": "min mins minute minutes",
    "h": "h hr hrs hour hours", "day": "day days", "week": "week weeks", "year": "year years",
    "cent": "cent cents", "dollar": "dollar dollars",
    "deg": "deg degree degrees", "rad": "rad rads radian radians",
}.items():
    _NAMES.update((spelling, _name) for spelling in _spellings.split())

_DEGREE_SIGN = r"(?:\^\s*\{?\s*\\circ\s*\}?|\\degree(?![A-Za-z])|°)"
_WORDS = r"[A-Za-z]+(?:\s+[A-Za-z]+)?"
# a value (ending in a digit or a brace), then its unit: a degree sign and/or a word, which
# may sit in \text{} or \mathrm{}; a single letter only apart from the value ("12 m", not "12m",
# which is 12 times m)
_WITH_UNIT = re.compile(
    rf"(?P<value>.*?[\d}}])(?P<gap>(?:\s|\\[,;: !]|~)*)(?P<degree>{_DEGREE_SIGN})?\s*"
    rf"(?:\\(?:text|mathrm|textrm|rm)\s*\{{\s*(?P<braced>{_WORDS})\s*\}}|(?P<word>{_WORDS}))?\s*\.?",
    re.DOTALL)
_MAX_CHARS = 200  # a number with its unit is short; longer text is never scanned
# "\$50", "$50": a dollar sign before the amount
_DOLLARS = re.compile(r"\\?\$\s*(?P<value>\d.*?)\s*\.?")


def split(text: str) -> tuple[str, str] | None:
    """(the value, the unit's name) of an answer that ends in a known unit; else None."""
    if len(text) > _MAX_CHARS:
        return None
    text = text.strip().strip("$").strip() if text.count("$") != 1 else text.strip()
    dollars = _DOLLARS.fullmatch(text)
    if dollars and not split(dollars.group("value")):
        return dollars.group("value"), "dollar"
    match = _WITH_UNIT.fullmatch(text)
    if not match:
        return None
    word = match.group("braced") or match.group("word")
    if match.group("degree"):
        if word in (None, "C", "F", "K"):  # 37°C, 37^\circ\text{F}: a temperature scale
            return match.group("value"), "deg" + (word or "")
        return None
    if not word or (len(word) == 1 and not (match.group("gap") or match.group("braced"))):
        return None
    name = _NAMES.get(word) or _NAMES.get(word.lower())
    return (match.group("value"), name) if name else None
