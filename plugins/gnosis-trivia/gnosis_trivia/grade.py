"""The ``trivia-aliases`` grader: does a predicted answer name the gold entity?

A prediction is right when, normalised, it equals one of the gold aliases. Beyond that only
narrow allowances, each chosen so that it cannot turn a *different* entity into a hit, and
each named by ``explain`` (which ``gnosis grade`` shows):

- a person: "Surname, Given" either way round, the surname alone or after an office
  (Admiral Nelson) or initials (I. Newton); not where the question names the family
  ("Which Bronte sister ...?", where the given name alone answers) or asks for a place;
- the alias with a descriptor of the kind the question asks for (Lake Titicaca, HMS
  Victory, the Battle of Hastings), or without one (Victoria for Lake Victoria, where the
  question asks for a lake); a number with what the question counts (4 wickets) or AD;
- the other grammatical number of a common noun (Wolves, Wolf), never of a name;
- a date in the gold's year (July 20, 1969 for 1969); initials for a name of several words
  (the UN for United Nations); a ruler's title where the question is about rulers (Queen
  Victoria); the noun the question asks for before the name (the planet Jupiter); the
  alias, a comma and a place the question names (Lima, Peru for "the capital of Peru");
- spelling variants of long answers;
- the answer after a restatement of the question ("Largest hot desert: the Sahara") or
  after "It is"; the one name a sentence gives besides the question's words ("The Hobbit
  was written by J. R. R. Tolkien."), never where it names two or negates or doubts (a
  possessor, a place after a preposition and a date the question does not ask for say
  where, when or whose, and are not counted).

There is deliberately no substring or token-subset rule: Orleans is not New Orleans,
Hampshire is not New Hampshire, Isaac is not Isaac Newton, Victory Park is not Victory.
tests/forms_trivia.py generates both sides of every rule.
"""
from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz import fuzz, process

from gnosis_trivia.normalize import (ARTICLES, CURRENCIES, HEDGE_WORDS, HONORIFICS, IRREGULAR_PLURALS, MONTHS,
                                     NOT_ASKED, answer_prepositions, asked_words, asks_for_number, clean,
                                     fold, is_number, key, question_words, singulars, split_topic, tokens)

# Spelling variants (Dostoyevsky / Dostoevsky, Tchaikovsky / Tchaikowsky) are tolerated only
# when both answers are at least 8 characters long (normalised, without spaces): in shorter
# strings one edit usually lands on another real word (Peru / Per, Sweden / Swede,
# Paris / Parma). 90 is rapidfuzz's Indel similarity, i.e. at most about one substituted
# letter per 10 or one inserted/dropped letter per 5 -- a transliteration difference, not a
# different name.
FUZZY_MIN_LEN = 8
FUZZY_MIN_RATIO = 90.0
FUZZY_MIN_WORD = 5

# Alternatives or open uncertainty in the answer itself (HEDGE_WORDS): wrong even when one
# part matches (unless the gold itself says it: "War or Peace", "AC/DC").
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
# Last words of places' names; after a comma they say "Berlin, Germany" is no person.
_PLACE_NAMES = frozenset("""
    africa america americas asia europe arabia guinea ireland korea zealand wales england
    britain germany indies carolina dakota virginia sudan timor samoa
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
""".split()) | _PLACE_NAMES
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
# A question about a person: people's names have no plural (William, Williams). Any person
# word counts, wherever it stands ("What was the name of the first Bruce king?").
_PERSON_QUESTION = re.compile(
    r"^\W*(?:who|whom|whose)\b|\b(?:by|to|of|for|with)\s+whom\b|\b(?:person|people|man|woman|men|women|"
    r"king|queen|prince|princess|emperor|empress|pope|saint|president|leader|actor|actress|"
    r"author|writer|novelist|poet|painter|artist|composer|singer|musician|scientist|explorer|"
    r"inventor|philosopher|general|admiral|player|footballer|cricketer|sister|brother|son|"
    r"daughter|wife|husband|earl|duke|lord|lady|director|producer|editor|founder|character|designer"
    r"|presenter)s?\b",
    re.IGNORECASE)
# A question that asks for a work, a publication or a product ("Which Dickens novel ...?",
# "Which car maker ...?"), and not for a person ("Which film director ...?"): the answer is a
# title, named whole and in its own grammatical number. Oliver Twist is not Twist, Land Rover
# not Rover, The Times not Time.
_TITLE_QUESTION = re.compile(
    r"\b(?:which|what|name\s+the)\s+(?:[\w'-]+\s+){0,3}?(?:novel|book|film|movie|play|opera|operetta|musical"
    r"|ballet|poem|painting|sculpture|song|album|single|hymn|newspaper|magazine|comic|series|show|sitcom"
    r"|programme|program|brand|marque|car|manufacturer|maker|airline|retailer|racehorse|horse)s?\b",
    re.IGNORECASE)
# A question about a team or band: its name is a plural that is no animal (Wolves, Eagles).
_GROUP_WORDS = frozenset("team teams club clubs band bands group groups franchise".split())
# Forms of address that may stand before a surname alone: Dr Johnson, Lord Nelson.
_ADDRESSES = frozenset("mr mrs ms miss doctor dr prof professor lord lady madame sir dame".split())
# Offices and ranks say more: President Johnson is not Samuel Johnson. One counts before a
# surname only where the question or the gold names it (Which admiral ...? Admiral Nelson).
_OFFICES = frozenset("""
    president general admiral captain commander colonel major lieutenant sergeant senator
    governor chancellor judge justice baron baroness count countess duke duchess earl prime
    minister reverend rev king queen emperor empress pope saint
""".split())


class Kind(NamedTuple):
    before: frozenset[str]  # descriptors before the name (tokens joined: H.M.S. is hms)
    after: frozenset[str]  # descriptors after it
    asking: frozenset[str]  # question words that ask for this kind
    droppable: bool  # whether the name alone, without its descriptor, still names it


def _kind(before: str, after: str, asking: str, droppable: bool = True) -> Kind:
    return Kind(frozenset(before.split()), frozenset(after.split()), frozenset(asking.split()),
                droppable)


# Words that name the kind of a thing around its name and do not change what it names. A
# descriptor counts only where the question asks for its kind first (or the gold itself
# carries one of that kind): Lake Victoria answers "which lake", not "which queen"; a word of
# any other kind (Victory Park) names something else. Where the question asks for the kind,
# the name alone answers too (Victoria for Lake Victoria), unless names of that kind are
# mostly ordinary words: Red is not the Red Sea, Easter not Easter Island.
DESCRIPTORS = {
    "lake": _kind("lake loch lough", "lake loch", "lake lakes loch lough"),
    "river": _kind("river", "river", "river rivers"),
    "mountain": _kind("mount mont monte", "mountain mountains",
                      "mountain mountains mount peak volcano summit"),
    "battle": _kind("battleof siegeof", "", "battle battles siege fought"),
    "ship": _kind("hms uss rms ss hmas hmcs hmnzs hmhs mv sms", "",
                  "ship ships vessel flagship boat liner yacht warship battleship frigate "
                  "submarine cruiser destroyer schooner galleon steamer steamship"),
    "team": _kind("fc afc cf", "fc afc cf footballclub", "club clubs team teams football soccer"),
    "desert": _kind("", "desert", "desert deserts"),
    "sea": _kind("seaof", "sea", "sea seas", droppable=False),
    "ocean": _kind("", "ocean", "ocean oceans", droppable=False),
    "island": _kind("isleof islandof", "island isle", "island islands isle", droppable=False),
    "falls": _kind("", "falls", "falls waterfall waterfalls", droppable=False),
    "gulf/bay/strait": _kind("gulfof bayof straitof straitsof", "gulf bay strait straits",
                             "gulf bay strait straits", droppable=False),
}
_KIND_BEFORE = {word: kind for kind, spec in DESCRIPTORS.items() for word in spec.before}
_KIND_AFTER = {word: kind for kind, spec in DESCRIPTORS.items() for word in spec.after}
# "4 thousand" is not 4 of anything the question counts.
_SCALE_WORDS = frozenset({"hundred", "thousand", "million", "billion", "trillion", "dozen",
                          "percent", "hundreds", "thousands", "millions", "billions"})
_COUNT_QUESTION = re.compile(r"\b(?:how\s+many|number\s+of)\s+(?P<counted>(?:[^\W\d_]+\s+){0,2}[^\W\d_]+)",
                             re.IGNORECASE)
# A stress on the answer ("It's actually Canberra", "The capital is in fact Canberra") says no
# more than "It's Canberra".
_STRESSED = re.compile(r"\b(is|was|are|were|'s)\s+(?:actually|in\s+fact|indeed|really)\s+", re.IGNORECASE)
_LEAD_IN = re.compile(r"(?:it|this|that|he|she|they)\s*(?:is|was|'s|are|were)\s+(?=\S)",
                      re.IGNORECASE)
_COMMON_ERA = frozenset({"ad", "ce"})  # 1066 AD is 1066; 1066 BC is not
_WORDS = re.compile(r"[^\W_]+")
_NUMBER = re.compile(r"-?\d+(?:[.,/:]\d+)*")

# A date names its year: July 20, 1969 answers "In which year ...?" (gold 1969); the decade
# (the 1960s) or a day without the year does not.
_MONTHS = frozenset(MONTHS)
_DAY = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?")
_YEAR = re.compile(r"\d{3,4}")
_DATE_FILLERS = frozenset({"in", "on", "of", "the", "year"})  # in the year 1066
# A ruler's or saint's title before the name (Queen Victoria for Victoria) where the question
# is about rulers (or saints, popes); elsewhere the title may name someone else (Beckham's wife),
# and a title of another office names another person (Saint Canute is not the Canute of the tide).
_TITLE_CONTEXTS = {
    frozenset("king queen emperor empress pharaoh tsar czar tsarina sultan".split()): frozenset("""
        king queen emperor empress pharaoh tsar czar tsarina sultan monarch monarchs ruler rulers
        ruled reign reigned throne crowned coronation dynasty royal kingdom empire""".split()),
    frozenset({"saint"}): frozenset({"saint", "saints", "patron", "canonised", "canonized", "martyr"}),
    frozenset({"pope"}): frozenset({"pope", "popes", "papacy", "papal", "pontiff", "vatican"}),
}
# A sentence that names one thing besides what the question names ("Oliver Twist was written
# by Charles Dickens.") answers with that name, where it stands as the sentence's subject or
# after "by", "is", "was": "A colleague of Fleming ...", "the god Jupiter", "a tributary of the
# Thames" name something else. Names are runs of capitalised words (with the particles inside
# them: Leonardo da Vinci, Isle of Man), dates and numbers; a number or date answers only at
# the end ("... in 1969", "... on 14 October 1066", not "58 medals"). A sentence that
# negates, doubts or contrasts names nothing.
_MONTH_NAME = "|".join(sorted((m.capitalize() for m in MONTHS), key=len, reverse=True))
_NAME_RUN = re.compile(rf"(?P<date>\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?)?(?:{_MONTH_NAME})\.?,?"
                       r"\s+(?:\d{1,2}(?:st|nd|rd|th)?,?\s+)?\d{3,4}\b|\b\d{4}-\d\d-\d\d\b)|"  # 14 October 1066
                       r"(?:\b(?:van|von|de|da|du|der|di|del|della|le|la)\s+)?\b[A-Z][\w'\-.]*(?:(?<!'s)(?<!s')\s+(?:(?:of|the|da|de|del|della|di|du|la|le|van|von|der)\s+)*[A-Z][\w'\-.]*)*"
                       r"(?:,\s[A-Z][a-z]+\b(?=\s*(?:[,.;]|$)))?"  # a place and its region: Dallas, Texas
                       r"|(?<![\w.])\d[\d,.]*\b")
_SENTENCE_STARTS = frozenset("""
    the a an it its this that these those he she they his her their there here in on at by
    i we you yes so thus m d ll ve re s
""".split())  # m, d, ll ...: of I'm, I'd, I'll
# Articles and lower-case descriptors that may stand between "is" and the name: "it is the
# battle of Agincourt" (while "a tributary of the Thames" still has "tributary" before them).
_BEFORE_A_NAME = ARTICLES | frozenset("of lake loch lough river mount mt battle siege isle island hms uss rms ss".split())
_ANSWER_LEADS = frozenset("by is was are were be been as believe think guess it's named called".split())
# "may" in lower case only: 5 May 1821 is a date. A name called wrong or set aside ("Lima is a
# common misconception", "Lima was ruled out") is no answer either.
_NEGATION = re.compile(r"\b(?:not|never|no|neither|nor|might|could|(?-i:may)|but|however|although|though|yet"
                       r"|whereas|really|actually|credited|wrong|incorrect|mistaken|misconception|myth"
                       r"|rejected|ruled\s+out|eliminated|unlikely)\b|n't\b", re.IGNORECASE)
# Initials stand for the words of a name, less these: NATO, OPEC (of the), NASA (and).
_UNINITIALLED = frozenset("of and the for in on at to".split())
_CAPITALS = re.compile(r"(?:[A-Z]\.?\s?){2,6}")


@dataclass(frozen=True)
class _Name:
    key: str
    markers: tuple[str, ...]  # numbers and roman numerals: never fuzzy
    words: tuple[str, ...]


@dataclass(frozen=True)
class Gold:
    keys: frozenset[str]
    long_names: tuple[_Name, ...]
    surnames: frozenset[str]  # what a person named by the gold may be called alone
    hedges: frozenset[str]  # hedge markers the gold itself contains
    given_names: frozenset[tuple[str, str]]  # (given name, family word) of each person named
    families: frozenset[str]  # the last word of each person's surname
    initialled: frozenset[str]  # each person's surname after initials of the given names
    numbers: frozenset[str]  # aliases that are one number
    singular_keys: frozenset[str]  # aliases with their last word made singular
    irregular_singular_keys: frozenset[str]  # the same, for irregular plurals (children)
    descriptor_cores: frozenset[tuple[str, str]]  # (kind, name) of aliases like "Lake Titicaca"
    is_person: bool
    words: frozenset[str]  # every word of every alias
    initials: frozenset[str] = frozenset()  # of each alias of two or more words: un, nasa
    amounts: frozenset[str] = frozenset()  # the numbers of aliases that are amounts of money


def _hedges(text: str) -> set[str]:
    found = {" ".join(m.lower().split()) for m in HEDGE_WORDS.findall(text)}
    if _SLASH.search(text):
        found.add("/")
    if "?" in text:
        found.add("?")
    return found


def _name(words: tuple[str, ...]) -> _Name:
    markers = tuple(w for k, w in enumerate(words) if is_number(w)
                    or (k > 0 and _ROMAN.fullmatch(w) and (len(w) > 1 or w in "ivx")))
    return _Name(key(words), markers, words)


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
        # A list has no canonical entry: any alias may say that the answer is a person.
        names = _texts(gold)
        primary = _person_names(tuple(n for n in names if n))
        numerical = False
    else:
        names = primary = [_text(gold)]
        numerical = False
    names = tuple(dict.fromkeys(n for n in names if n))
    if not names:
        return None
    return names, tuple(dict.fromkeys(p for p in primary if p)), numerical


@dataclass(frozen=True)
class _Person:
    surnames: frozenset[str]  # keys of what the person may be called alone: Newton, van Gogh
    given: str  # key of the first given name
    family: str  # the last word of the surname, lower case: what a question names them by
    initialled: frozenset[str]  # keys of the surname after the given names' initials: inewton
    explicit: bool = False  # written "Surname, Given": its surname is exactly that


def _natural_order(name: str) -> str:
    """ "Newton, Isaac" as "Isaac Newton"; "Martin Luther King, Jr." stays."""
    parts = [p.strip() for p in name.split(",")]
    if len(parts) == 2 and all(parts) and parts[1].strip(".").lower() not in _SUFFIXES:
        return f"{parts[1]} {parts[0]}"
    return name


THING = "thing"


def _person(name: str) -> _Person | str | None:
    """The person ``name`` names, when it looks like a person's name: two to four capitalised
    words ("Surname, Given" too), no numbers, no place word before the last, no place or
    thing word last. ``THING`` when it has that length and case but is not a person's name
    (Manchester United, New Orleans); None when its shape tells nothing (one word, lower
    case, an article first)."""
    ordered = _natural_order(name)
    words = _words(ordered)
    # "Lloyd George, David" says where the surname starts; "David Lloyd George" does not.
    surname_length = len(_words(name.split(",")[0])) if ordered != name else 0
    if len(words) > 2 and words[0].lower() in _TITLES:
        words = words[1:]
    if len(words) > 2 and (words[-1].lower() in _SUFFIXES or _ROMAN.fullmatch(words[-1].lower())):
        words = words[:-1]  # Martin Luther King Jr. is King
    if not 2 <= len(words) <= 4:
        return None
    lower = [w.lower() for w in words]
    if lower[0] in ARTICLES or lower[0] in _PARTICLES:
        return None
    if not all(w[0].isupper() or (0 < k < len(words) - 1 and lower[k] in _PARTICLES)
               for k, w in enumerate(words)):
        return None
    # A thing's name: a number (Fab Four), a thing word last (Manchester United), one letter
    # last (Model T), a place word (New Orleans), a descriptor (HMS Victory), a place after
    # the comma (Berlin, Germany).
    words_read = tokens(" ".join(words))
    if any(map(is_number, words_read)) or lower[-1] in _THING_ENDINGS \
            or len(lower[-1]) == 1 or any(w in _PLACE_WORDS for w in lower[:-1]) \
            or any(_descriptors(words_read)) \
            or (surname_length and not _PLACE_NAMES.isdisjoint(lower)):
        return THING
    particles = [k for k in range(1, len(words) - 1) if lower[k] in _PARTICLES]
    if surname_length:
        first = len(words) - surname_length
        if first < 1:
            return None
        starts = [first] + [k + 1 for k in particles if k >= first]
    else:  # the last word, with its particle (Gogh, van Gogh); and two (Lloyd George)
        first = min([len(words) - 1, *particles])
        starts = [len(words) - 1, len(words) - 2, *particles] if len(words) > 2 else [1]
    surnames = frozenset(key(tokens(" ".join(words[k:]))) for k in starts)
    initials = "".join(w[0] for w in lower[:first])  # J. R. R. Tolkien, J. Tolkien
    return _Person(surnames, key(tokens(words[0])), key(tokens(words[-1])),
                   frozenset(initials[:k] + s for k in range(1, len(initials) + 1) for s in surnames),
                   explicit=bool(surname_length))


def _words(name: str) -> list[str]:
    words = (w.strip(".,'\"") for w in _ASIDE.sub(" ", clean(name)).split())
    return [w for w in words if w]


def _people(names: tuple[str, ...]) -> list[_Person]:
    """The people the gold's own names say it is; none when any of them is a thing's name
    (Red Devils is Manchester United's nickname, not a person)."""
    shapes = [_person(name) for name in names]
    if THING in shapes:
        return []
    people = [shape for shape in shapes if isinstance(shape, _Person)]
    # Where an alias says where the surname starts, the others' last words do not count:
    # with "Lloyd George, David", George alone is not David Lloyd George.
    explicit = [p for p in people if p.explicit]
    return explicit or people


def _person_names(names: tuple[str, ...]) -> list[str]:
    """The aliases that may name a person, in any order: not one that only qualifies another
    alias ("Paris France" next to "Paris", "Berlin, Germany" next to "Berlin")."""
    words = [tokens(n) for n in names]
    return [name for name, own in zip(names, words)
            if not any(0 < len(other) < len(own) and own[:len(other)] == other for other in words)]


def _descriptors(words: tuple[str, ...]):
    """(kind, descriptor, the rest) for each way ``words`` reads as a name with a word of its
    kind around it: Lake Titicaca, Thames River, H.M.S. Victory, the Battle of Hastings."""
    for i in range(1, min(3, len(words) - 1) + 1):
        kind = _KIND_BEFORE.get("".join(words[:i]))
        if kind:
            yield kind, " ".join(words[:i]), words[i:]
        kind = _KIND_AFTER.get("".join(words[-i:]))
        if kind:
            yield kind, " ".join(words[-i:]), words[:-i]


def _singular_keys(words: tuple[str, ...], irregular_only: bool = False) -> set[str]:
    """Keys of ``words`` with its last word made singular (Grey Wolves: Grey Wolf)."""
    if not words or not words[-1].isalpha() or (irregular_only and words[-1] not in IRREGULAR_PLURALS):
        return set()
    return {key((*words[:-1], s)) for s in singulars(words[-1])}


@lru_cache(maxsize=16384)
def _prepare(names: tuple[str, ...], primary: tuple[str, ...], numerical: bool) -> Gold | None:
    variants = set()
    for name in names:
        for form in dict.fromkeys([name, _natural_order(name)]):
            variants.add(tokens(form))
            aside_free = _ASIDE.sub(" ", form)  # "Mercury (planet)" also answers as "Mercury"
            if aside_free != form:
                variants.add(tokens(aside_free))
    variants.discard(())
    if not variants:
        return None
    people = [] if numerical else _people(primary)
    long_names = {_name(v) for v in variants if len(key(v)) >= FUZZY_MIN_LEN}
    hedges = frozenset(set().union(*(_hedges(clean(n)) for n in names)))
    return Gold(
        keys=frozenset(key(v) for v in variants), long_names=tuple(long_names),
        surnames=frozenset().union(*(p.surnames for p in people)), hedges=hedges,
        given_names=frozenset((p.given, p.family) for p in people),
        families=frozenset(p.family for p in people),
        initialled=frozenset().union(*(p.initialled for p in people)),
        numbers=frozenset(v[0] for v in variants if len(v) == 1 and _NUMBER.fullmatch(v[0])),
        singular_keys=frozenset(set().union(*map(_singular_keys, variants))),
        irregular_singular_keys=frozenset(
            set().union(*(_singular_keys(v, irregular_only=True) for v in variants))),
        descriptor_cores=frozenset((kind, key(core)) for v in variants
                                   for kind, _, core in _descriptors(v)),
        is_person=bool(people), words=frozenset().union(*variants),
        initials=frozenset(filter(None, map(_initials, variants))),
        amounts=frozenset(filter(None, map(_amount, variants))))


def _initials(words: tuple[str, ...]) -> str | None:
    """The initials of a name of two or more words (NATO), or None."""
    content = [w for w in words if w not in _UNINITIALLED]
    return "".join(w[0] for w in content) if len(content) >= 2 and all(w.isalpha() for w in content) else None


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


def _amount(words: tuple[str, ...]) -> str | None:
    """The number of an amount of money ($5, 5 dollars: 5), or None."""
    return words[0] if len(words) == 2 and is_number(words[0]) and words[1] in CURRENCIES else None


def _close(a: _Name, b: _Name) -> bool:
    """Spelling variants of one long answer (see FUZZY_MIN_LEN / FUZZY_MIN_RATIO)."""
    if min(len(a.key), len(b.key)) < FUZZY_MIN_LEN or a.markers != b.markers:
        return False
    # Word for word, a short word is never respelled: Anne Austen is not Jane Austen.
    if len(a.words) == len(b.words) and any(
            x != y and min(len(x), len(y)) < FUZZY_MIN_WORD for x, y in zip(a.words, b.words)):
        return False
    # Other middle initials are another person: George H. W. Bush is not George W. Bush
    # (George Bush, with none, is left to the spelling).
    initials_a, initials_b = {w for w in a.words if len(w) == 1}, {w for w in b.words if len(w) == 1}
    if initials_a and initials_b and initials_a != initials_b:
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


@lru_cache(maxsize=16384)
def _asks_for_person(question: str) -> bool:
    return bool(_PERSON_QUESTION.search(question))


@lru_cache(maxsize=16384)
def _asks_for_title(question: str) -> bool:
    return bool(_TITLE_QUESTION.search(question)) and not _asks_for_person(question)


def _asks_for_no_person(question: str) -> bool:
    return _asks_for_place(question) or _asks_for_title(question)


@lru_cache(maxsize=16384)
def _counted(question: str) -> frozenset[str]:
    """What the question counts ("How many Test wickets ...": test, wickets, wicket)."""
    words = {w for match in _COUNT_QUESTION.finditer(question)
             for w in question_words(match.group("counted"))}
    return frozenset(words.union(*map(singulars, words)))


def _counts(question: str, word: str) -> bool:
    counted = _counted(question)
    return word in counted or not counted.isdisjoint(singulars(word))


def _spelling_variant(readings, prepared: Gold, surnames) -> str | None:
    targets = prepared.long_names + tuple(_name((s,)) for s in surnames)
    choices = [t.key for t in targets]
    for reading in readings:
        name = _name(reading)
        if len(name.key) < FUZZY_MIN_LEN:
            continue
        # rapidfuzz scans every alias in C; only its few hits get the Python checks.
        hits = process.extract(name.key, choices, scorer=fuzz.ratio, limit=None,
                               score_cutoff=FUZZY_MIN_RATIO)
        for _, _, index in hits:
            if _close(name, targets[index]):
                return targets[index].key
    return None


def _person_rule(readings, prepared: Gold, question: str) -> str | None:
    """Initials and surname (I. Newton) name the person; so does the surname alone (or after
    a form of address or a named office: Lord Nelson), unless the question asks for a place or itself names the
    family ("Which Bronte sister ...?"), where the given name alone does."""
    if _asks_for_no_person(question):
        return None
    for reading in readings:
        if len(reading[0]) == 1 and key(reading) in prepared.initialled:
            return f"initials + surname '{key(reading)}'"
    names_family = not prepared.families.isdisjoint(question_words(question))
    if names_family:
        for reading in readings:
            if any((key(reading), f) in prepared.given_names for f in prepared.families):
                return f"given name '{key(reading)}' (the question names the family)"
        return None
    for reading in readings:
        for start in range(0, min(3, len(reading))):
            if start and not _titles(reading[:start], prepared, question):
                continue
            if key(reading[start:]) in prepared.surnames:
                office = f"'{' '.join(reading[:start])}' + " if start else ""
                return f"surname rule: {office}surname '{key(reading[start:])}'"
    return None


def _middle_initial(readings, prepared: Gold) -> str | None:
    """The person's name with a given name written out for its initial, or the other way:
    John Fitzgerald Kennedy for John F. Kennedy, George W. Bush for George Walker Bush."""
    for reading in readings:
        for name in prepared.long_names:
            pairs = list(zip(reading[:-1], name.words[:-1]))
            if len(reading) == len(name.words) > 2 and reading[-1] == name.words[-1] \
                    and any(x != y for x, y in pairs) and any(x == y and len(x) > 1 for x, y in pairs) \
                    and all(x == y or min(len(x), len(y)) == 1 and x[0] == y[0] for x, y in pairs):
                return f"'{' '.join(reading)}' with the initials of '{' '.join(name.words)}'"
    return None


def _titles(words: tuple[str, ...], prepared: Gold, question: str) -> bool:
    """Whether ``words`` may stand before the person's surname: a form of address, or
    offices the question or the gold names."""
    if len(words) == 1 and words[0] in _ADDRESSES:
        return True
    named = question_words(question) | prepared.words
    return all(w in _OFFICES and w in named for w in words)


def _decide(text: str, prepared: Gold, question: str) -> tuple[bool, str]:
    """Whether ``text`` (clean) names the gold, and the rule that decided."""
    hedged = _hedges(text) - prepared.hedges
    if hedged:
        return False, f"hedged answer ({', '.join(sorted(hedged))})"
    readings = _variants(text)
    for reading in readings:
        if key(reading) in prepared.keys:
            return True, f"alias '{' '.join(reading)}'"
    if prepared.is_person:
        rule = _person_rule(readings, prepared, question) or _middle_initial(readings, prepared)
        if rule:
            return True, rule
    surnames = prepared.surnames if not _asks_for_no_person(question) else frozenset()
    variant = _spelling_variant(readings, prepared, surnames)
    if variant:
        return True, f"spelling variant of '{variant}'"
    for reading in readings:
        rule = _around_alias(reading, prepared, question)
        if rule:
            return True, rule
    rule = _initialism(text, prepared) or _place_qualified(text, prepared, question)
    if rule:
        return True, rule
    return False, "no alias matched"


def _initialism(text: str, prepared: Gold) -> str | None:
    """Initials in capitals for a gold name of several words (the UN, U.N. for United Nations,
    JFK). Not the other way: a gold in capitals does not say what its letters stand for (ICC
    is a cricket council and a criminal court)."""
    bare = re.sub(r"^(?i:the)\s+", "", text.strip())
    if _CAPITALS.fullmatch(bare) and key(tokens(bare)) in prepared.initials:
        return f"initials '{bare}' of the gold's name"
    return None


def _place_qualified(text: str, prepared: Gold, question: str) -> str | None:
    """The alias, a comma, and a place the question names: Lima, Peru for "the capital of
    Peru" (Lima, Ecuador names no place the question does)."""
    name, comma, place = text.partition(",")
    qualifier = tokens(place)
    if comma and qualifier and set(qualifier) <= question_words(question) \
            and key(tokens(name)) in prepared.keys:
        return f"alias '{name.strip()}' + the question's '{place.strip()}'"
    return None


def _around_alias(reading: tuple[str, ...], prepared: Gold, question: str) -> str | None:
    """The gold alias with a word that does not change what it names: its other grammatical
    number, a descriptor of the kind the question asks for (added, or dropped where the
    question says the kind), a count's counter, a year's AD."""
    if key(reading) in prepared.singular_keys or not prepared.keys.isdisjoint(
            _singular_keys(reading)):
        # Names have no grammatical number: where the question asks for a person, a team or a
        # title, Williams is not William, Wolf is not Wolves and Time is not The Times. An irregular plural (children) is
        # never a name.
        irregular = reading[-1] in IRREGULAR_PLURALS or key(reading) in prepared.irregular_singular_keys
        if irregular or not (prepared.is_person or _asks_for_person(question) or _asks_for_title(question)
                             or not question_words(question).isdisjoint(_GROUP_WORDS)):
            return f"singular/plural of '{' '.join(reading)}'"
    # A currency is compared only where both sides name one ($5 is 5, as it was before the
    # sign was read; $5 is not 5 pounds).
    if _amount(reading) in prepared.numbers or reading[0] in prepared.amounts and len(reading) == 1:
        return f"amount '{key(reading)}' without its currency"
    for kind, descriptor, core in _descriptors(reading):
        core_key = key(core)
        if (kind, core_key) in prepared.descriptor_cores or (
                core_key in prepared.keys and _asked_kind(question) == kind):
            return f"alias '{' '.join(core)}' + {kind} descriptor '{descriptor}'"
    asked = _asked_kind(question)
    if asked and DESCRIPTORS[asked].droppable and (asked, key(reading)) in prepared.descriptor_cores:
        return f"alias without its {asked} descriptor (the question asks for a {asked})"
    if len(reading) > 1 and reading[-1] in prepared.numbers and "".join(reading[:-1]) == "ad" \
            or reading[0] in prepared.numbers and "".join(reading[1:]) in _COMMON_ERA:
        return f"year '{key(reading)}' in the common era"
    if len(reading) > 1 and reading[0] in prepared.numbers:
        counter = reading[1:]
        if len(counter) <= 3 and not _SCALE_WORDS.intersection(counter) \
                and all(_counts(question, w) for w in counter):
            return f"number '{reading[0]}' + the question's counter '{' '.join(counter)}'"
    if len(reading) > 1 and key(reading[1:]) in prepared.keys and any(
            reading[0] in titles and not question_words(question).isdisjoint(context)
            for titles, context in _TITLE_CONTEXTS.items()):
        return f"alias '{' '.join(reading[1:])}' after the title '{reading[0]}' (the question is about rulers)"
    return _date_in_year(reading, prepared) or _after_asked_noun(reading, prepared, question)


def _date_in_year(reading: tuple[str, ...], prepared: Gold) -> str | None:
    """A date (July 20, 1969; 20 July 1969; in 1969; 1969-07-20, which tokens() writes as
    20 july 1969) in the gold's year."""
    years = [w for w in reading if w in prepared.numbers and _YEAR.fullmatch(w)]
    if len(years) != 1 or len(reading) == 1:
        return None
    rest = [w for w in reading if w != years[0]]
    months = [w for w in rest if w in _MONTHS]
    days = [w for w in rest if _DAY.fullmatch(w) and 1 <= int(_DAY.fullmatch(w).group(1)) <= 31]
    others = [w for w in rest if w not in _MONTHS and w not in days and w not in _DATE_FILLERS]
    if others or len(months) > 1 or len(days) > 1 or (days and not months):
        return None
    return f"a date in the year '{years[0]}'"


def _after_asked_noun(reading: tuple[str, ...], prepared: Gold, question: str) -> str | None:
    """The alias after the noun the question asks for: the planet Jupiter, the city of Lima."""
    asked = asked_words(question)
    for i in range(1, min(3, len(reading) - 1) + 1):
        rest = reading[i + 1:] if reading[i] == "of" else reading[i:]
        if rest and asked.issuperset(reading[:i]) and key(rest) in prepared.keys:
            return f"alias '{' '.join(rest)}' after the question's '{' '.join(reading[:i])}'"
    return None


@lru_cache(maxsize=16384)
def _asked_kind(question: str) -> str | None:
    """The kind of thing the question asks for: the first kind it names ("Which lake is fed
    by the Chari river?" asks for a lake)."""
    for word in _WORDS.findall(fold(question).casefold()):
        for kind, spec in DESCRIPTORS.items():
            if word in spec.asking:
                return kind
    return None


def explain(prediction, gold, row=None) -> tuple[bool | None, str]:
    """The grade and the rule that decided it, in words."""
    prepared = prepare_gold(gold)
    if prepared is None:
        return None, "gold not usable"
    if not isinstance(prediction, str):
        return False, "no prediction"
    question = row.get("question") if isinstance(row, Mapping) else None
    question = question if isinstance(question, str) else ""
    text = clean(prediction).replace("*", "")  # markdown emphasis: "**Lima** is the capital"
    text = _STRESSED.sub(r"\1 ", text)
    verdict, rule = _decide(text, prepared, question)
    if not verdict:
        # "Largest hot desert: the Sahara": the reply restates the question's subject first.
        topic = split_topic(text, question)
        if topic:
            verdict, rule = _decide(topic[1], prepared, question)
            rule = f"{rule}, after the question's topic '{topic[0]}'"
    lead_in = None if verdict else _LEAD_IN.match(text)
    if lead_in:  # "It is the Sahara."
        verdict, rule = _decide(text[lead_in.end():], prepared, question)
        rule = f"{rule}, after '{lead_in.group().strip()}'"
    leads = answer_prepositions(question)
    first = text.split(maxsplit=1)
    if not verdict and len(first) == 2 and first[0].lower() in leads:  # "In Hamlet." for "In which play ...?"
        verdict, rule = _decide(first[1], prepared, question)
        rule = f"{rule}, after the question's '{first[0]}'"
    if not verdict and not rule.startswith("hedged"):
        named = _the_one_name(text, question)
        if named:
            verdict, rule = _decide(named, prepared, question)
            rule = f"{rule}, the one name in the sentence besides the question's"
    if not verdict and not rule.startswith("hedged"):
        count = _the_count(text, question)
        if count:
            verdict, rule = _decide(count, prepared, question)
            rule = f"{rule}, the one count in the sentence of what the question counts"
    return verdict, rule


# Words that bound a count rather than give it: at least, more than, over, under, fewer than,
# up to, nearly, almost, at most.
_BOUNDS = frozenset("least most than over under nearly almost".split())
_YEAR_LIKE = re.compile(r"1\d{3}|20\d\d")


def _the_count(text: str, question: str) -> str | None:
    """The one number a sentence gives of what the question counts ("Henry VIII had six
    wives." for "How many wives ...?"), or None."""
    if not _counted(question) or _NEGATION.search(text):
        return None
    words = tokens(_ASIDE.sub(" ", text))
    counts, others = set(), set()
    for k, number in enumerate(words):
        if not is_number(number) or _YEAR_LIKE.fullmatch(number):
            continue
        counted = words[k + 1] if k + 1 < len(words) else None
        if counted is not None and counted not in NOT_ASKED and _counts(question, counted):
            counts.add(number)
            if k and (words[k - 1] in _BOUNDS or is_number(words[k - 1]) or k > 1 and words[k - 1]
                      in ("to", "and") and (is_number(words[k - 2]) or words[k - 2] == "up")):
                return None  # "at least 6 wives", "5-6 wives", "between 5 and 6 wives"
        elif counted is None or counted in NOT_ASKED or counted == "of":
            others.add(number)  # "The team scored 4 goals; he scored 2."
    return counts.pop() if len(counts) == 1 and not others - counts else None


_VERBS = frozenset("""is was are were appear appears appeared feature features featured occur occurs
    occurred live lives lived stand stands stood set takes took happen happens happened found located
    situated born died fought held played plays won""".split())


def _has_verb(words: list[str], question: str) -> bool:
    """Whether ``words`` end in something that happens ("Yorick appears"), not in a thing
    ("A town", "It is a town"): a common verb or the question's own ("In which play does
    Yorick appear?"), with no article after it."""
    asked = question_words(question)
    verbs = [k for k, w in enumerate(words) if k and (
        w in _VERBS or len(w) > 3 and (w in asked or w.rstrip("sd") in asked or w[:-2] in asked))]
    return bool(verbs) and ARTICLES.isdisjoint(words[verbs[-1]:])


def _the_one_name(text: str, question: str) -> str | None:
    """The one name a sentence gives besides the question's own words, where it stands as
    the answer (see _NAME_RUN), or None."""
    text = " ".join(_ASIDE.sub(" ", text).split())  # "George Eliot (Mary Ann Evans) wrote it"
    if len(text.split()) < 3 or _NEGATION.search(text):
        return None
    asked = question_words(question)
    names = [m for m in _NAME_RUN.finditer(text)
             if question_words(m.group()) - asked - _SENTENCE_STARTS  # as written: Second, not 2nd
             and not _circumstance(text, m, question)]
    if len(names) != 1:
        return None
    name = names[0]
    before = _before(text[:name.start()])
    lead = before[-1] if before else None
    # a number, in figures or words ("Two of his six wives ..."), answers only at the end
    if _is_number_name(name):
        answers = name.end() == len(text.rstrip()) and lead in _ANSWER_LEADS | _DATE_FILLERS
    else:
        after = text[name.end():].split()
        # a subject goes on with its verb: "Lima is ...", not "Elgar, the street"
        answers = lead in _ANSWER_LEADS or lead in answer_prepositions(question) and _has_verb(before[:-1], question) \
            or (lead is None and bool(after) and after[0][:1].isalpha() and after[0][:1].islower()) \
            or (before == [lead] and lead in ARTICLES and bool(after) and after[0] in _VERBS)  # "the Nile is ..."
    return name.group() if answers else None


# Prepositions before a name that says where, when or whose ("France won the World Cup in
# Russia", "the capital of France"), unless the question asks with one ("In which city ...?").
_CIRCUMSTANCES = frozenset("in at on from during of near with into within throughout across for".split())


def _circumstance(text: str, name: re.Match, question: str) -> bool:
    """Whether a name says no more than where, when or whose: a possessor ("Enid Blyton's dog
    is Timmy"), a date or number where the question asks for none ("... died in 1485"), a
    name after a preposition of place ("... won the World Cup in Russia")."""
    if _is_number_name(name):
        return not asks_for_number(question)
    return name.group().endswith(("'s", "'")) \
        or (_before(text[max(0, name.start() - 100):name.start()]) or [None])[-1] \
        in _CIRCUMSTANCES - answer_prepositions(question)


def _before(text: str) -> list[str]:
    """The words of ``text`` (what stands before a name), less the articles and descriptors
    at its end ("it is the Mojave", "... is mount Elbrus")."""
    before = text.lower().split()
    while len(before) > 1 and before[-1] in _BEFORE_A_NAME:
        before.pop()
    return before


def _is_number_name(name: re.Match) -> bool:
    """Whether a name run is a date or a number, in figures or words."""
    return name.group()[0].isdigit() or bool(name.group("date")) or all(map(is_number, tokens(name.group())))


def grade(prediction, gold, row=None) -> bool | None:
    """``trivia-aliases``: True when ``prediction`` names the gold answer; None when the
    gold is missing or unusable."""
    return explain(prediction, gold, row)[0]


DESCRIBED_ALIASES = 12


def describe(prediction, gold, row=None) -> dict[str, str]:
    """What ``gnosis grade`` shows: the aliases compared and the rule that decided."""
    prepared = prepare_gold(gold)
    verdict, rule = explain(prediction, gold, row)
    keys = sorted(prepared.keys) if prepared else []
    aliases = ", ".join(keys[:DESCRIBED_ALIASES]) or "(none)"
    if len(keys) > DESCRIBED_ALIASES:
        aliases += f" ... ({len(keys) - DESCRIBED_ALIASES} more)"
    return {"gold aliases (normalised)": aliases, "prediction": str(prediction), "rule": rule}


grade.describe = describe
