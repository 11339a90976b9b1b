"""The ``trivia-aliases`` grader: does a predicted answer name the gold entity?

A prediction is right when, normalised, it equals one of the gold aliases. Beyond that only
three narrow allowances, each chosen so that it cannot turn a *different* entity into a hit:
a "Surname, Given" order swap, a person's surname alone, and spelling variants of long
answers. There is deliberately no substring or token-subset rule: Orleans is not New
Orleans, Hampshire is not New Hampshire, Isaac is not Isaac Newton.
"""
from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from gnosis_trivia.normalize import ARTICLES, HONORIFICS, clean, key, tokens

# Spelling variants (Dostoyevsky / Dostoevsky, Tchaikovsky / Tchaikowsky) are tolerated only
# when both answers are at least 8 characters long (normalised, without spaces): in shorter
# strings one edit usually lands on another real word (Peru / Per, Sweden / Swede,
# Paris / Parma). 90 is rapidfuzz's Indel similarity, i.e. at most about one substituted
# letter per 10 or one inserted/dropped letter per 5 -- a transliteration difference, not a
# different name.
FUZZY_MIN_LEN = 8
FUZZY_MIN_RATIO = 90.0

# Alternatives or open uncertainty in the answer itself: wrong even when one part matches
# (unless the gold itself says it: "War or Peace", "AC/DC").
_HEDGE_WORDS = re.compile(
    r"\b(?:or|either|vs|versus|maybe|perhaps|probably|possibly|unsure|not sure)\b", re.IGNORECASE)
_SLASH = re.compile(r"[^\d\s]\s*/|/\s*[^\d\s]")  # Lima/Cusco, but not 1/2
_ASIDE = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_ROMAN = re.compile(r"m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})")

# Words that make a capitalised two/three-word name a place (or a thing) rather than a
# person, whose last word alone would name something else: New Orleans, South Carolina,
# Papua New Guinea, Saudi Arabia, Red Sea.
_PLACE_WORDS = frozenset("""
    new old north south east west northern southern eastern western northeast northwest
    southeast southwest upper lower inner outer middle central great greater little united
    saint sainte st san santa santo sao los las el la le port fort mount mt lake cape isle
    glen rio puerto porto costa sierra sri hong buenos saudi equatorial papua british french
    dutch american spanish german english irish scottish welsh italian russian royal holy
""".split())
_THING_ENDINGS = frozenset("""
    sea ocean river lake lakes island islands isles mountain mountains hill hills valley falls
    bay gulf strait straits channel canal desert forest park city town county state states
    canyon gorge glacier volcano dam kingdom republic empire province territory district
    peninsula coast beach reef palace castle
    cathedral abbey church tower bridge street square road avenue hall house station
    airport harbour harbor port stadium garden gardens museum theatre theater university
    college school club united rovers wanderers athletic party league cup war act treaty
    company airlines records orchestra festival prize award trophy day show times news
    africa america americas asia europe arabia guinea ireland korea zealand wales england
    britain germany indies carolina dakota virginia sudan timor samoa
""".split())
_TITLES = HONORIFICS | {"dr", "mr", "mrs", "ms", "prof", "rev"}
_SUFFIXES = frozenset({"jr", "sr", "junior", "senior"})
# Particles that belong to a surname: van Gogh, da Vinci, de Gaulle.
_PARTICLES = frozenset("van von de da di del della der den du le la dos das ibn bin al".split())
# A question that asks for a place, team or the like: its answer is never a person.
_PLACE_QUESTION = re.compile(
    r"^\s*where\b|^\s*(?:(?:in|on|at|to|from|into|of)\s+)?(?:which|what)\s+(?:\w+\s+){0,3}?"
    r"(?:country|countries|nation|state|city|capital|town|village|county|island|river|lake|"
    r"sea|ocean|mountain|continent|region|province|team|club|band|group|company|planet|ship)\b",
    re.IGNORECASE)


@dataclass(frozen=True)
class _Name:
    key: str
    markers: tuple[str, ...]  # numbers and roman numerals: never fuzzy


@dataclass(frozen=True)
class Gold:
    keys: frozenset[str]
    long_names: tuple[_Name, ...]
    surnames: frozenset[str]  # what a person named by the gold may be called alone
    hedges: frozenset[str]  # hedge markers the gold itself contains


def _hedges(text: str) -> set[str]:
    found = {" ".join(m.lower().split()) for m in _HEDGE_WORDS.findall(text)}
    if _SLASH.search(text):
        found.add("/")
    if "?" in text:
        found.add("?")
    return found


def _name(words: tuple[str, ...]) -> _Name:
    markers = tuple(w for k, w in enumerate(words) if w[0].isdigit()
                    or (k > 0 and _ROMAN.fullmatch(w) and (len(w) > 1 or w in "ivx")))
    return _Name(key(words), markers)


# --- gold -------------------------------------------------------------------------------

def _plain(value):
    """numpy arrays/scalars and pyarrow scalars (what a Parquet round trip hands back) as
    Python values."""
    if isinstance(value, (str, bytes)):
        return value
    if hasattr(value, "as_py"):
        return value.as_py()
    if hasattr(value, "tolist"):
        return value.tolist()
    return value


def _text(value) -> str:
    value = _plain(value)
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        return str(int(value)) if value.is_integer() else str(value)
    return value.strip() if isinstance(value, str) else ""


def _texts(value) -> list[str]:
    value = _plain(value)
    if isinstance(value, (list, tuple)):
        return [_text(v) for v in value]
    return [_text(value)]


def _unpack(gold) -> tuple[tuple[str, ...], tuple[str, ...], bool] | None:
    """(every alias, the canonical names, numerical?) from any stored form of the gold."""
    gold = _plain(gold)
    if isinstance(gold, str):
        text = gold.strip()
        if text[:1] in ("{", "["):
            try:
                return _unpack(json.loads(text))
            except ValueError:
                pass
        names = [text]
        primary = names
        numerical = False
    elif isinstance(gold, Mapping):
        # Only the entity's own name decides whether it is a person: TriviaQA's alias lists
        # hold every Wikipedia redirect ("Berlin Germany", "Land Berlin"), which would not.
        primary = [_text(gold.get("value")), _text(gold.get("matched_wiki_entity_name"))]
        names = [*primary, *_texts(gold.get("aliases")), *_texts(gold.get("normalized_aliases")),
                 _text(gold.get("normalized_value")),
                 _text(gold.get("normalized_matched_wiki_entity_name"))]
        numerical = _text(gold.get("type")).lower() == "numerical"
    elif isinstance(gold, (list, tuple)):
        names = _texts(gold)
        primary = names[:1]
        numerical = False
    else:
        names = primary = [_text(gold)]
        numerical = False
    names = tuple(dict.fromkeys(n for n in names if n))
    if not names:
        return None
    return names, tuple(dict.fromkeys(p for p in primary if p)), numerical


def _surnames(name: str) -> set[str]:
    """How a person called ``name`` may be named alone: the last word, with its particle
    (Newton; Gogh and van Gogh). Empty unless ``name`` looks like a person's name: two to
    four capitalised words, no digits, no place word before the last, no place or thing
    word last."""
    words = [w.strip(".,'\"") for w in _ASIDE.sub(" ", clean(name)).split()]
    words = [w for w in words if w]
    if len(words) > 2 and words[0].lower() in _TITLES:
        words = words[1:]
    if len(words) > 2 and (words[-1].lower() in _SUFFIXES or _ROMAN.fullmatch(words[-1].lower())):
        words = words[:-1]  # Martin Luther King Jr. is King
    if not 2 <= len(words) <= 4 or any(ch.isdigit() for w in words for ch in w):
        return set()
    lower = [w.lower() for w in words]
    if lower[0] in ARTICLES or lower[0] in _PARTICLES or lower[-1] in _THING_ENDINGS:
        return set()
    if any(w in _PLACE_WORDS for w in lower[:-1]):
        return set()
    if not all(w[0].isupper() or (0 < k < len(words) - 1 and lower[k] in _PARTICLES)
               for k, w in enumerate(words)):
        return set()
    starts = [len(words) - 1] + [k for k in range(1, len(words) - 1) if lower[k] in _PARTICLES]
    return {key(tokens(" ".join(words[k:]))) for k in starts}


@lru_cache(maxsize=16384)
def _prepare(names: tuple[str, ...], primary: tuple[str, ...], numerical: bool) -> Gold | None:
    variants = set()
    for name in names:
        variants.add(tokens(name))
        aside_free = _ASIDE.sub(" ", name)  # "Mercury (planet)" also answers as "Mercury"
        if aside_free != name:
            variants.add(tokens(aside_free))
    variants.discard(())
    if not variants:
        return None
    surnames = set() if numerical else set().union(*map(_surnames, primary))
    long_names = {_name(v) for v in variants if len(key(v)) >= FUZZY_MIN_LEN}
    hedges = frozenset(set().union(*(_hedges(clean(n)) for n in names)))
    return Gold(frozenset(key(v) for v in variants), tuple(long_names), frozenset(surnames), hedges)


def prepare_gold(gold) -> Gold | None:
    """The normalised gold, computed once per distinct gold: many completions share it."""
    unpacked = _unpack(gold)
    return None if unpacked is None else _prepare(*unpacked)


# --- prediction -------------------------------------------------------------------------

def _variants(text: str) -> list[tuple[str, ...]]:
    """Other readings of the same answer: without an aside in brackets, and
    "Newton, Isaac" as "Isaac Newton"."""
    out = []
    aside_free = " ".join(_ASIDE.sub(" ", text).split())
    for form in dict.fromkeys([text, aside_free]):
        out.append(tokens(form))
        parts = [p.strip() for p in form.split(",")]
        if len(parts) == 2 and all(parts):
            out.append(tokens(f"{parts[1]} {parts[0]}"))
    return [v for v in dict.fromkeys(out) if v]


def _close(a: _Name, b: _Name) -> bool:
    """Spelling variants of one long answer (see FUZZY_MIN_LEN / FUZZY_MIN_RATIO)."""
    if min(len(a.key), len(b.key)) < FUZZY_MIN_LEN or a.markers != b.markers:
        return False
    # One answer extending the other is another word, not a misspelling: Australia /
    # Australian, Henry VII / Henry VIII.
    if a.key.startswith(b.key) or b.key.startswith(a.key) \
            or a.key.endswith(b.key) or b.key.endswith(a.key):
        return False
    return fuzz.ratio(a.key, b.key, score_cutoff=FUZZY_MIN_RATIO) >= FUZZY_MIN_RATIO


@lru_cache(maxsize=16384)
def _asks_for_place(question: str) -> bool:
    return bool(_PLACE_QUESTION.search(question))


def grade(prediction, gold, row=None) -> bool | None:
    """``trivia-aliases``: True when ``prediction`` names the gold answer; None when the
    gold is missing or unusable."""
    prepared = prepare_gold(gold)
    if prepared is None:
        return None
    if not isinstance(prediction, str):
        return False
    text = clean(prediction)
    if _hedges(text) - prepared.hedges:
        return False
    readings = _variants(text)
    if any(key(r) in prepared.keys for r in readings):
        return True
    question = row.get("question") if isinstance(row, Mapping) else None
    surnames = prepared.surnames
    if surnames and isinstance(question, str) and _asks_for_place(question):
        surnames = frozenset()
    if any(key(r) in surnames for r in readings):
        return True
    targets = prepared.long_names + tuple(_name((s,)) for s in surnames)
    choices = [t.key for t in targets]
    for reading in readings:
        name = _name(reading)
        if len(name.key) < FUZZY_MIN_LEN:
            continue
        # rapidfuzz scans every alias in C; only its few hits get the Python checks.
        hits = process.extract(name.key, choices, scorer=fuzz.ratio, limit=None,
                               score_cutoff=FUZZY_MIN_RATIO)
        if any(_close(name, targets[index]) for _, _, index in hits):
            return True
    return False
