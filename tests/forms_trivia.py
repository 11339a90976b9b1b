"""Generated trivia grading cases: each class draws a gold from vocabularies written here and
renders answers a person would accept (expected 1) and near misses a person would refuse
(expected 0), in the surface forms models write (boxed, bold, "The answer is ...", a restated
topic). Used by tests/test_grader_trivia_properties.py (a few seeded draws in CI) and by
bench/grading_properties.py (many draws, FP/FN per class).

A case is a plain dict: gold (as the trivia gold column holds it), completion, expected,
form (what was rendered), question.
"""
from __future__ import annotations

import random
import re
from typing import Callable

TASK = "trivia"

# --- vocabularies ---------------------------------------------------------------------------

# given names, surname, an office or rank that may stand before the surname alone, what they did
PEOPLE = [
    ("Isaac", "Newton", None, "formulated the three laws of motion"),
    ("Charles", "Darwin", None, "wrote On the Origin of Species"),
    ("Horatio", "Nelson", "Admiral", "commanded the fleet at Trafalgar"),
    ("Winston", "Churchill", "Prime Minister", "led Britain through most of the Second World War"),
    ("Abraham", "Lincoln", "President", "gave the Gettysburg Address"),
    ("Florence", "Nightingale", None, "was called the Lady with the Lamp"),
    ("Ludwig", "van Beethoven", None, "composed the Choral Symphony"),
    ("Vincent", "van Gogh", None, "painted The Starry Night"),
    ("Leonardo", "da Vinci", None, "painted the Mona Lisa"),
    ("John Ronald Reuel", "Tolkien", "Professor", "wrote The Hobbit"),
    ("Wolfgang Amadeus", "Mozart", None, "composed The Magic Flute"),
    ("Johann Sebastian", "Bach", None, "composed the Brandenburg Concertos"),
    ("Jane", "Austen", None, "wrote Pride and Prejudice"),
    ("Agatha", "Christie", None, "created Hercule Poirot"),
    ("Alexander", "Fleming", None, "discovered penicillin"),
    ("Francis", "Drake", None, "sailed the Golden Hind around the world"),
    ("Neil", "Armstrong", "Commander", "first walked on the Moon"),
    ("Pablo", "Picasso", None, "painted Guernica"),
    ("Amelia", "Earhart", None, "first flew solo across the Atlantic as a woman"),
    ("Ernest", "Hemingway", None, "wrote The Old Man and the Sea"),
    ("Nelson", "Mandela", "President", "was imprisoned on Robben Island"),
    ("Edmund", "Hillary", None, "first climbed Everest with Tenzing Norgay"),
    ("Isambard Kingdom", "Brunel", None, "built the Clifton Suspension Bridge"),
    ("Roald", "Amundsen", "Captain", "first reached the South Pole"),
    ("Margaret", "Thatcher", "Baroness", "was the first woman to be British Prime Minister"),
    ("Robert", "Peel", None, "founded the Metropolitan Police"),
    ("Harriet", "Tubman", None, "led slaves to freedom on the Underground Railroad"),
    ("Marie", "Curie", "Madame", "discovered polonium"),
    ("David", "Lloyd George", "Prime Minister", "led Britain at the end of the First World War"),
    ("Gabriel", "Garcia Marquez", None, "wrote One Hundred Years of Solitude"),
    ("Charles", "de Gaulle", "General", "led the Free French"),
    ("Wernher", "von Braun", None, "designed the Saturn V rocket"),
    ("Sinead", "O'Connor", None, "sang Nothing Compares 2 U"),
    ("Antonín", "Dvořák", None, "composed the New World Symphony"),
    ("Emily", "Brontë", None, "wrote Wuthering Heights"),
]
# Families: the question names the surname, so the surname alone does not answer it.
FAMILIES = [
    ("Bronte", "sister", [("Charlotte", "wrote Jane Eyre"), ("Emily", "wrote Wuthering Heights"),
                          ("Anne", "wrote The Tenant of Wildfell Hall")]),
    ("Wright", "brother", [("Orville", "piloted the first powered flight"),
                           ("Wilbur", "flew first at Kitty Hawk after a coin toss")]),
    ("Kennedy", "brother", [("John", "became President in 1961"),
                            ("Robert", "was Attorney General in 1962")]),
    ("Grimm", "brother", [("Jacob", "wrote the German grammar"),
                          ("Wilhelm", "edited the later editions of the tales")]),
    ("Williams", "sister", [("Serena", "won 23 Grand Slam singles titles"),
                            ("Venus", "won Wimbledon in 2000 first")]),
    ("Roosevelt", "president", [("Theodore", "took office in 1901"),
                                ("Franklin", "took office in 1933")]),
]
OTHER_GIVEN = ["Erasmus", "Thomas", "Mary", "George", "Henry", "Anne", "James", "Elizabeth"]
# Honorifics that stand before the full name only (Sir Isaac Newton, never "Sir Newton").
NAME_HONORIFICS = ["Sir", "Dame", "Dr.", "Lord"]
OFFICES = ["President", "General", "Admiral", "Captain", "Senator", "Governor", "Prime Minister"]

# Entities named with a descriptor of their kind; the question says the kind in words
# that need not be the descriptor itself ("flagship" for a ship).
KINDS = {
    "lake": {
        "names": ["Titicaca", "Baikal", "Tanganyika", "Malawi", "Geneva", "Como", "Garda",
                  "Ontario", "Erie", "Huron", "Ladoga", "Balaton", "Windermere", "Constance",
                  "Lucerne", "Tahoe", "Chad", "Nasser", "Maracaibo", "Victoria", "Superior"],
        "questions": ["Which lake {fact}?", "What is the name of the lake that {fact}?",
                      "Name the lake that {fact}.", "On which lake {fact2}?"],
        "forms": ["Lake {x}", "lake {x}", "{x} Lake", "the Lake {x}"],
    },
    "river": {
        "names": ["Thames", "Danube", "Nile", "Amazon", "Volga", "Rhine", "Seine", "Mekong",
                  "Zambezi", "Ganges", "Tiber", "Severn", "Shannon", "Hudson", "Yukon", "Loire"],
        "questions": ["Which river {fact}?", "What river {fact}?", "On which river {fact2}?"],
        "forms": ["River {x}", "the River {x}", "{x} River", "the {x} river"],
    },
    "mountain": {
        "names": ["Everest", "Kilimanjaro", "Etna", "Vesuvius", "Fuji", "Olympus", "Elbrus",
                  "Rainier", "Ararat", "Snowdon", "Sinai", "Kenya", "Kosciuszko", "Cook"],
        "questions": ["Which mountain {fact}?", "Which volcano {fact}?", "Which peak {fact}?",
                      "Name the mountain that {fact}."],
        "forms": ["Mount {x}", "Mt. {x}", "Mt {x}", "mount {x}"],
    },
    "battle": {
        "names": ["Hastings", "Waterloo", "Trafalgar", "Agincourt", "Gettysburg", "Stalingrad",
                  "Bannockburn", "Marathon", "Thermopylae", "Culloden", "Bosworth", "Austerlitz",
                  "Verdun", "Yorktown", "Midway", "Blenheim"],
        "questions": ["In which battle {fact}?", "At which battle {fact}?",
                      "Which battle {fact}?", "Where was the battle fought in which {fact3}?"],
        "forms": ["the Battle of {x}", "Battle of {x}", "battle of {x}", "The Battle Of {x}"],
    },
    "ship": {
        "names": [("Victory", "HMS"), ("Bounty", "HMS"), ("Beagle", "HMS"), ("Titanic", "RMS"),
                  ("Lusitania", "RMS"), ("Endeavour", "HMS"), ("Belfast", "HMS"), ("Hood", "HMS"),
                  ("Enterprise", "USS"), ("Constitution", "USS"), ("Arizona", "USS"),
                  ("Warrior", "HMS"), ("Ark Royal", "HMS"), ("Missouri", "USS")],
        "questions": ["Which ship {fact}?", "What was the name of the flagship that {fact}?",
                      "Which vessel {fact}?", "Name the warship that {fact}."],
        "forms": ["{p} {x}", "the {p} {x}", "{dotted} {x}"],
    },
    "team": {
        "names": ["Arsenal", "Barcelona", "Juventus", "Celtic", "Ajax", "Liverpool", "Chelsea",
                  "Everton", "Benfica", "Porto", "Fulham", "Watford"],
        "questions": ["Which football club {fact}?", "Which team {fact}?",
                      "For which club {fact2}?"],
        "forms": ["{x} FC", "{x} F.C.", "FC {x}", "{x} Football Club"],
    },
    "desert": {
        "names": ["Sahara", "Gobi", "Kalahari", "Atacama", "Namib", "Mojave", "Thar"],
        "questions": ["Which desert {fact}?", "Name the desert that {fact}."],
        "forms": ["{x} Desert", "the {x} Desert", "{x} desert"],
    },
}
# Kinds whose names are mostly ordinary words: the name alone (Red, Easter) is not the thing.
NAME_ALONE_IS_ANOTHER = {
    "sea": {"names": ["Red", "Black", "Dead", "North", "Yellow", "White", "Coral", "Irish"],
            "questions": ["Which sea {fact}?", "Name the sea that {fact}."],
            "forms": ["{x} Sea", "the {x} Sea"]},
    "ocean": {"names": ["Indian", "Southern", "Arctic", "Pacific", "Atlantic"],
              "questions": ["Which ocean {fact}?", "What ocean {fact}?"],
              "forms": ["{x} Ocean", "the {x} Ocean"]},
    "island": {"names": ["Easter", "Christmas", "Long", "Rhode", "Ellis", "Robben", "Staten"],
               "questions": ["Which island {fact}?", "On which island {fact2}?"],
               "forms": ["{x} Island"]},
    "falls": {"names": ["Angel", "Victoria", "Niagara", "Iguazu", "Horseshoe"],
              "questions": ["Which waterfall {fact}?", "Which falls {fact}?"],
              "forms": ["{x} Falls", "the {x} Falls"]},
}
FACTS = ["is mentioned first in the report", "is the subject of this quiz round",
         "appears on the old map", "was chosen by the committee", "is named in the poem"]
FACTS2 = ["did the expedition end", "was the famous photograph taken",
          "did the author spend the summer"]
FACTS3 = ["the king was killed", "the army was routed", "the treaty was broken"]
# What else a name with a word around it can be: a different entity that a person refuses.
OTHER_ENTITY_AFTER = ["Park", "Street", "Road", "Station", "Airport", "Hotel", "Square",
                      "Bridge", "Valley", "Bay", "College", "University", "House", "Tower",
                      "Theatre", "Museum", "Hall", "Avenue", "Gardens", "Lane", "Castle"]
OTHER_ENTITY_BEFORE = ["New", "North", "Port", "Fort", "Upper", "Lower", "West", "Little"]
# A descriptor of another kind: Mount Victoria for a lake, Lake Hood for a ship.
OTHER_KIND_FORMS = {"lake": "Lake {x}", "river": "River {x}", "mountain": "Mount {x}",
                    "battle": "Battle of {x}", "ship": "HMS {x}", "team": "{x} FC",
                    "desert": "{x} Desert", "island": "{x} Island", "sea": "{x} Sea"}

# (counter, its singular, a question with "how many {counter}")
COUNTERS = [
    ("wickets", "wicket", "How many wickets did the bowler take in the second innings?"),
    ("goals", "goal", "How many goals did the striker score in the final?"),
    ("runs", "run", "How many runs did the opener make before lunch?"),
    ("Oscars", "Oscar", "How many Oscars did the film win?"),
    ("times", "time", "How many times has the club won the cup?"),
    ("moons", "moon", "How many moons does the planet have?"),
    ("strings", "string", "How many strings does the instrument have?"),
    ("sides", "side", "How many sides does the shape have?"),
    ("players", "player", "How many players are there in a side?"),
    ("wives", "wife", "How many wives did the king have?"),
    ("symphonies", "symphony", "How many symphonies did the composer complete?"),
    ("gold medals", "gold medal", "How many gold medals did the swimmer win at the Games?"),
    ("Test centuries", "Test century", "How many Test centuries did the batsman score?"),
]
SCALES = ["hundred", "thousand", "million"]
# A unit in the spellings answers use, and a question that asks for that measure
UNITS = [
    (["metres", "meters", "m", "metre"], "How long is the pool?"),
    (["kilometres", "km", "kilometers"], "How far is the walk from the station to the summit?"),
    (["feet", "ft", "foot"], "How tall is the lighthouse?"),
    (["kilograms", "kg", "kilos"], "How heavy was the bell?"),
    (["miles", "mi", "mile"], "How long is the canal?"),
    (["minutes", "mins", "min"], "How long does the overture last?"),
    (["years", "yrs", "year"], "How long did the war last?"),
]

# (singular, plural, a question for the thing): a person accepts either number
NOUNS = [
    ("Wolf", "Wolves", "Which animal lives in a pack led by an alpha pair?"),
    ("Lion", "Lions", "Which big cat lives in prides?"),
    ("Bee", "Bees", "Which insect makes honey?"),
    ("Fox", "Foxes", "Which animal's young are called kits and whose den is an earth?"),
    ("Mouse", "Mice", "Which rodent is Mickey?"),
    ("Goose", "Geese", "Which bird's group on the ground is a gaggle?"),
    ("Daisy", "Daisies", "Which flower's name means day's eye?"),
    ("Cherry", "Cherries", "Which fruit is a maraschino?"),
    ("Potato", "Potatoes", "Which crop failed in the Irish famine?"),
    ("Leaf", "Leaves", "What does a deciduous tree shed in autumn?"),
    ("Knife", "Knives", "What did the fish knife set lack in the story?"),
    ("Church", "Churches", "What did Wren build after the Great Fire besides St Paul's?"),
    ("Box", "Boxes", "What is a Jack-in-the-box's container?"),
    ("Elephant", "Elephants", "Which animal has a trunk?"),
    ("Dolphin", "Dolphins", "Which sea mammal uses echolocation and is kept at aquaria?"),
    ("Swan", "Swans", "Which bird does the British monarch own on the Thames?"),
    ("Beetle", "Beetles", "Which insect is the scarab?"),
    ("Tomato", "Tomatoes", "Which fruit is the main ingredient of ketchup?"),
    ("Calf", "Calves", "What is a young whale called?"),
    ("Child", "Children", "Who were led away by the Pied Piper?"),
    ("Tooth", "Teeth", "What does a dentist fill?"),
    ("Berry", "Berries", "What does a holly bush bear in winter?"),
    ("Walrus", "Walruses", "Which animal has long tusks and lives on Arctic ice?"),
]
# A given name and the surname made from it: a different person, never a plural.
PATRONYMICS = [("William", "Williams"), ("Edward", "Edwards"), ("Richard", "Richards"),
               ("Robert", "Roberts"), ("Peter", "Peters"), ("Roger", "Rogers"),
               ("Hugh", "Hughes"), ("Evan", "Evans"), ("Harry", "Harris")]
ROYAL_QUESTIONS = ["Which prince married in 2011?", "Who was the king in the story?",
                   "What was the name of the first Bruce king?",
                   "Which saint is the country's patron?", "Who was the first earl?",
                   "Name the prince who founded the college.", "Whose statue stands in the square?"]

# Things whose aliases include a nickname shaped like a person's name (two capitalised words)
NICKNAMED = [
    (["Manchester United", "Man Utd", "Red Devils"], "Which football club plays at Old Trafford?"),
    (["The Beatles", "Beatles", "Fab Four"], "Which band recorded Abbey Road?"),
    (["Elizabeth Tower", "Big Ben"], "What is the clock tower at Westminster called?"),
    (["West Ham United", "Irons", "Claret Hammers"], "Which club plays at the London Stadium?"),
    (["New York City", "Big Apple", "Gotham"], "Which city has the borough of Queens?"),
    (["Royal Navy", "Senior Service", "Andrew Navy"], "Which service is called the Senior Service?"),
    (["Ford Model T", "Tin Lizzie"], "Which car was nicknamed for its cheap build?"),
    (["Golden Gate Bridge", "Golden Gate", "Gate Bridge"], "What spans the strait at San Francisco?"),
]
# A clause that names another kind of thing in a question about one kind.
OTHER_KIND_CLAUSES = {
    "lake": "near the lake of the same name", "river": "on the river of that name",
    "desert": "in the desert of that name", "island": "off the island of that name",
    "sea": "by the sea of that name", "mountain": "below the mountain of that name",
    "battle": "after the battle of that name", "ship": "aboard the ship of that name",
    "team": "home of the club of that name",
}

# (subject a question asks for, gold, a wrong answer of the same kind)
TOPICS = [
    ("largest hot desert", "Sahara", "Gobi"),
    ("longest river in Africa", "Nile", "Congo"),
    ("capital of Australia", "Canberra", "Sydney"),
    ("smallest planet in the solar system", "Mercury", "Mars"),
    ("highest mountain in Africa", "Kilimanjaro", "Mount Kenya"),
    ("largest ocean on Earth", "Pacific", "Atlantic"),
    ("chemical symbol for gold", "Au", "Ag"),
    ("largest moon of Saturn", "Titan", "Rhea"),
    ("currency of Japan", "Yen", "Won"),
    ("national animal of Scotland", "Unicorn", "Lion"),
    ("hardest natural substance", "Diamond", "Quartz"),
    ("author of Middlemarch", "George Eliot", "Charlotte Bronte"),
    ("lightest chemical element", "Hydrogen", "Helium"),
    ("fastest land animal", "Cheetah", "Pronghorn"),
]
TOPIC_QUESTIONS = ["What is the {s}?", "Which is the {s}?", "Name the {s}.", "What's the {s}?"]
MONARCHS = [("Henry", 8), ("Elizabeth", 2), ("Louis", 14), ("Charles", 1), ("Richard", 3),
            ("Edward", 7), ("George", 3), ("Pius", 12), ("Catherine", 2), ("Peter", 1),
            ("James", 6), ("William", 4), ("Ramesses", 2), ("Frederick", 2)]
ORDINAL_WORDS = ("first second third fourth fifth sixth seventh eighth ninth tenth eleventh "
                 "twelfth thirteenth fourteenth fifteenth sixteenth").split()
ROMAN = "I II III IV V VI VII VIII IX X XI XII XIII XIV XV XVI".split()
SMALL_NUMBERS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                 "fourteen fifteen sixteen seventeen eighteen nineteen").split()
TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()


# --- rendering --------------------------------------------------------------------------------

def trivia_gold(value: str, *aliases: str, type: str = "WikipediaEntity") -> dict:
    """A TriviaQA answer dict, as the dataset (and so the gold column) holds it."""
    names = list(dict.fromkeys([value, *aliases]))
    return {"value": value, "aliases": names, "normalized_aliases": [n.lower() for n in names],
            "normalized_value": value.lower(), "matched_wiki_entity_name": "",
            "normalized_matched_wiki_entity_name": "", "type": type}


def number_words(n: int) -> str:
    if n < 20:
        return SMALL_NUMBERS[n]
    tens, units = divmod(n, 10)
    return TENS[tens - 2] + (f"-{SMALL_NUMBERS[units]}" if units else "")


def _reasoning(rng: random.Random) -> str:
    return rng.choice(["", "<think>\nLet me recall the facts.\n</think>\n\n",
                       "<think>\nI think of a few candidates and settle on one.\n</think>\n"])


def completion(answer: str, rng: random.Random) -> tuple[str, str]:
    """``answer`` as a model writes its final answer; and a word for the wrapper used."""
    end = rng.choice(["", ".", "!"])
    wrappers = [
        ("boxed", f"\\boxed{{{answer}}}"),
        ("boxed text", f"$\\boxed{{\\text{{{answer}}}}}$"),
        ("the answer is", f"The answer is {answer}{end or '.'}"),
        ("bold answer", f"**Answer:** {answer}{end}"),
        ("final answer bold", f"Final answer: **{answer}**{end}"),
        ("final answer heading", f"**Final Answer**\n\n{answer}{end}"),
        ("bold line", f"Here is what I found.\n\n**{answer}**{end}"),
        ("bare reply", f"{answer}{end}"),  # a short-answer system's whole reply
    ]
    name, text = rng.choice(wrappers)
    return _reasoning(rng) + text, name


def _case(gold, answer: str, expected: int, form: str, question: str,
          rng: random.Random) -> dict:
    text, wrapper = completion(answer, rng)
    return {"gold": gold, "completion": text, "expected": expected,
            "form": f"{form} [{wrapper}]: {answer!r}", "question": question}


def _case_as(gold, text: str, expected: int, form: str, question: str) -> dict:
    return {"gold": gold, "completion": text, "expected": expected, "form": form,
            "question": question}


def _recase(text: str, rng: random.Random) -> str:
    return rng.choice([text, text, text.lower(), text.upper()])


# --- classes ----------------------------------------------------------------------------------

def _kind_question(kind: str, rng: random.Random) -> str:
    template = rng.choice(KINDS[kind]["questions"])
    return template.format(fact=rng.choice(FACTS), fact2=rng.choice(FACTS2),
                           fact3=rng.choice(FACTS3))


def _kind_entity(kind: str, rng: random.Random) -> tuple[str, str]:
    entry = rng.choice(KINDS[kind]["names"])
    return entry if isinstance(entry, tuple) else (entry, "")


def _descriptor_form(kind: str, name: str, prefix: str, rng: random.Random) -> str:
    form = rng.choice(KINDS[kind]["forms"])
    return form.format(x=name, p=prefix, dotted=".".join(prefix) + ".")


def alias_with_descriptor(rng: random.Random) -> list[dict]:
    """Gold ``X``; the answer names X with a word of its kind: Lake X, HMS X, the Battle of X;
    and the name alone for a gold with the descriptor, where the question says the kind and
    names of that kind are not ordinary words (Victoria for Lake Victoria, not Red for the
    Red Sea)."""
    kind = rng.choice(sorted(KINDS) + sorted(NAME_ALONE_IS_ANOTHER))
    if kind in NAME_ALONE_IS_ANOTHER:
        spec = NAME_ALONE_IS_ANOTHER[kind]
        name = rng.choice(spec["names"])
        question = rng.choice(spec["questions"]).format(fact=rng.choice(FACTS), fact2=rng.choice(FACTS2))
        answer = rng.choice(spec["forms"]).format(x=name)
        return [_case(rng.choice([trivia_gold(name), [name], name]), answer, 1,
                      f"{kind}: alias + descriptor", question, rng),
                _case(trivia_gold(rng.choice(spec["forms"]).format(x=name)), name, 0,
                      f"{kind}: the name alone is an ordinary word", question, rng)]
    name, prefix = _kind_entity(kind, rng)
    question = _kind_question(kind, rng)
    gold = rng.choice([trivia_gold(name), [name], name])
    answer = _descriptor_form(kind, name, prefix, rng)
    cases = [_case(gold, answer, 1, f"{kind}: alias + descriptor", question, rng)]
    # The gold itself carries the descriptor; the answer puts it elsewhere (Thames River).
    full = _descriptor_form(kind, name, prefix, rng)
    if full != answer:
        cases.append(_case(trivia_gold(full), answer, 1, f"{kind}: descriptor moved", question, rng))
    # The gold carries the descriptor, the question says the kind, the answer only the name.
    cases.append(_case(trivia_gold(full), _recase(name, rng), 1, f"{kind}: descriptor dropped",
                       question, rng))
    return cases


def different_entity_around_alias(rng: random.Random) -> list[dict]:
    """Gold ``X``; the answer names something else that contains X: X Park, New X, and a
    descriptor of another kind (Mount X for a lake)."""
    kind = rng.choice(sorted(KINDS))
    name, prefix = _kind_entity(kind, rng)
    question = _kind_question(kind, rng)
    gold = rng.choice([trivia_gold(name), [name], name])
    after = f"{name} {rng.choice(OTHER_ENTITY_AFTER)}"
    before = f"{rng.choice(OTHER_ENTITY_BEFORE)} {name}"
    other_kind = rng.choice([k for k in sorted(OTHER_KIND_FORMS) if k != kind])
    wrong_kind = OTHER_KIND_FORMS[other_kind].format(x=name)
    other, other_prefix = _kind_entity(kind, rng)
    # the question names that other kind too, after the kind it asks for
    named_too = f"{question.rstrip('?.')} {OTHER_KIND_CLAUSES[other_kind]}?"
    cases = [_case(gold, wrong_kind, 0, f"{kind}: a {other_kind} descriptor the question also names",
                   named_too, rng),_case(gold, after, 0, f"{kind}: another entity after the alias", question, rng),
             _case(gold, before, 0, f"{kind}: another entity before the alias", question, rng),
             _case(gold, wrong_kind, 0, f"{kind}: a {other_kind} descriptor", question, rng)]
    if other != name:
        cases.append(_case(gold, _descriptor_form(kind, other, other_prefix, rng), 0,
                           f"{kind}: descriptor around another {kind}", question, rng))
    return cases


def counted_number(rng: random.Random) -> list[dict]:
    """Gold a number; the answer counts it in the question's own counter: 4 wickets."""
    plural, singular, question = rng.choice(COUNTERS)
    n = rng.randint(1, 60)
    gold = rng.choice([trivia_gold(str(n), number_words(n), type="Numerical"), str(n), n])
    counter = singular if n == 1 else plural
    written = rng.choice([str(n), number_words(n), number_words(n).capitalize()])
    m = n + rng.choice([-3, -2, -1, 1, 2, 3, 10]) if n > 3 else n + rng.randint(1, 5)
    others = [p for p, _, _ in COUNTERS if p != plural and p.split()[-1] not in question]
    return [
        _case(gold, f"{written} {counter}", 1, "number + the question's counter", question, rng),
        _case(gold, f"{m} {plural}", 0, "another number + counter", question, rng),
        _case(gold, f"{n} {rng.choice(SCALES)}", 0, "number times a scale word", question, rng),
        _case(gold, f"{n} {rng.choice(others)}", 0, "number + a counter the question did not ask",
              question, rng),
    ]


def regnal_number(rng: random.Random) -> list[dict]:
    """Henry VIII is Henry the Eighth (and the 8th, and King Henry VIII); Henry the Seventh is
    someone else."""
    name, n = rng.choice(MONARCHS)
    question = rng.choice(["Which English king broke with Rome?", "Which monarch is meant?",
                           "Who reigned when the palace was built?"])
    title = {"Elizabeth": "Queen", "Catherine": "Empress", "Pius": "Pope",
             "Ramesses": "Pharaoh"}.get(name, "King")

    def written(k):
        return rng.choice([f"{name} {ROMAN[k - 1]}", f"{name} the {ORDINAL_WORDS[k - 1].capitalize()}",
                           f"{name} the {k}{'st' if k == 1 else 'nd' if k == 2 else 'rd' if k == 3 else 'th'}",
                           f"{title} {name} {ROMAN[k - 1]}"])
    gold = rng.choice([trivia_gold(f"{name} {ROMAN[n - 1]}"), [f"{name} {ROMAN[n - 1]}"],
                       f"{name} the {ORDINAL_WORDS[n - 1].capitalize()}"])
    other = n + 1 if n == 1 else n + rng.choice([-1, 1])
    return [_case(gold, written(n), 1, "regnal number written another way", question, rng),
            _case(gold, written(other), 0, "another regnal number", question, rng)]


def number_with_unit(rng: random.Random) -> list[dict]:
    """Gold a measure ("100 metres"); the same number and unit however spelled (100m, 100
    meters) is right, another unit or number is wrong."""
    spellings, question = rng.choice(UNITS)
    other_spellings, _ = rng.choice([u for u in UNITS if u[0] != spellings])
    n = rng.choice([rng.randint(2, 99), rng.randint(100, 5000)])
    gold = rng.choice([trivia_gold(f"{n} {spellings[0]}", type="Numerical"), f"{n} {spellings[0]}",
                       [f"{n} {spellings[0]}", f"{n}{spellings[1]}"]])
    unit = rng.choice(spellings)
    written = rng.choice([f"{n} {unit}", f"{n}{unit}", f"{number_words(n) if n < 100 else n} {unit}"])
    m = n + rng.choice([-10, -1, 1, 10])
    return [_case(gold, written, 1, "measure in another spelling", question, rng),
            _case(gold, f"{n} {rng.choice(other_spellings)}", 0, "another unit", question, rng),
            _case(gold, f"{m} {unit}", 0, "another number", question, rng),
            _case(gold, f"{rng.choice(['-', '−'])}{n} {unit}", 0, "the negative number", question, rng)]


def year_with_era(rng: random.Random) -> list[dict]:
    """Gold a year; "1066 AD", "AD 1066", "1066 CE" are that year, "1066 BC" is not."""
    year = rng.randint(410, 1999)
    question = rng.choice(["In which year was the abbey founded?", "When was the treaty signed?",
                           "In what year did the siege end?"])
    gold = rng.choice([trivia_gold(str(year), type="Numerical"), str(year), year])
    answer = rng.choice([f"{year} AD", f"AD {year}", f"{year} A.D.", f"{year} CE", f"{year} C.E."])
    return [_case(gold, answer, 1, "year + era", question, rng),
            _case(gold, rng.choice([f"{year} BC", f"{year} BCE", f"{year} B.C."]), 0,
                  "the year before Christ", question, rng),
            _case(gold, f"{year + rng.choice([-100, -10, -1, 1, 10, 100])} AD", 0,
                  "another year", question, rng)]


# Teams and bands named by a plural: the singular is an animal, not the team.
PLURAL_NAMED = [("Wolves", "Wolf", "Which football club plays at Molineux?"),
                ("Eagles", "Eagle", "Which band recorded Hotel California?"),
                ("Bears", "Bear", "Which team plays at Soldier Field?"),
                ("Lions", "Lion", "Which team did the rugby tourists form?"),
                ("Bulls", "Bull", "Which basketball team did Michael Jordan play for?")]


def plural_or_singular(rng: random.Random) -> list[dict]:
    """Gold a noun in one number; the answer in the other (Wolves for Wolf, Mouse for Mice).
    A given name is never the plural of the surname made from it (William / Williams), nor a
    team the plural of an animal (Wolves / Wolf)."""
    singular, plural, question = rng.choice(NOUNS)
    team, animal, team_question = rng.choice(PLURAL_NAMED)
    gold_word, answer = (singular, plural) if rng.random() < 0.5 else (plural, singular)
    gold = rng.choice([trivia_gold(gold_word), [gold_word], gold_word])
    other = rng.choice([n for n in NOUNS if n[0] != singular])
    given, surname = rng.choice(PATRONYMICS)
    return [
        _case(gold, _recase(answer, rng), 1, "other grammatical number", question, rng),
        _case(gold, rng.choice(other[:2]), 0, "another noun", question, rng),
        _case(trivia_gold(given), surname, 0, "given name vs the surname made from it",
              rng.choice(ROYAL_QUESTIONS), rng),
        _case(trivia_gold(surname), given, 0, "surname vs the given name it is made from",
              rng.choice(ROYAL_QUESTIONS), rng),
        _case(rng.choice([trivia_gold(team), team]), animal, 0, "a team's plural name", team_question, rng),
    ]


def _person(rng: random.Random):
    given, surname, office, deed = rng.choice(PEOPLE)
    full = f"{given} {surname}"
    question = rng.choice([f"Who {deed}?", f"Which person {deed}?", f"Name the person who {deed}."])
    return given, surname, office, full, question, deed


def _person_golds(given: str, surname: str, full: str, rng: random.Random) -> list:
    """The forms a gold for one person takes: a TriviaQA dict, a list of aliases in any order
    (one of them written "Surname, Given"), a "Surname, Given" string."""
    inverted = f"{surname}, {given}"
    extra = [inverted, f"{rng.choice(NAME_HONORIFICS)} {full}"]
    aliases = [full, *rng.sample(extra, rng.randint(1, 2))]
    shuffled = rng.sample(aliases, len(aliases))
    return [trivia_gold(full, *aliases[1:]), shuffled, inverted,
            trivia_gold(inverted, full), full]


def surname_rule(rng: random.Random) -> list[dict]:
    """A person's surname alone, after a form of address, or after an office the question
    names, names them, whatever alias the gold lists first and however it is written; the
    given name alone, another person of that surname, and an office nobody named do not."""
    given, surname, office, full, question, deed = _person(rng)
    cases = []
    for gold in _person_golds(given, surname, full, rng):
        answers = [(surname, "surname alone"), (full, "full name"),
                   (f"{surname}, {given}", "Surname, Given"),
                   (f"{rng.choice(NAME_HONORIFICS)} {full}", "honorific + full name")]
        initials = rng.choice([given[0] + ".", ". ".join(w[0] for w in given.split()) + "."])
        answers.append((f"{initials} {surname}", "initials + surname"))
        answers.append((f"{rng.choice(['Dr.', 'Dr', 'Lord', 'Professor'])} {surname}",
                        "form of address + surname"))
        answer, form = rng.choice(answers)
        cases.append(_case(gold, answer, 1, f"{form}; gold {type(gold).__name__}", question, rng))
    if office:  # an office before the surname, where the question names it: Which admiral ...?
        cases.append(_case(rng.choice(_person_golds(given, surname, full, rng)),
                           f"{office} {surname}", 1, "office the question names + surname",
                           f"Which {office.lower()} {deed}?", rng))
    # An office nobody named says it is someone else: President Johnson is not Samuel Johnson.
    other_office = rng.choice([o for o in OFFICES if o != office and o.lower() not in deed.lower()])
    cases.append(_case(rng.choice(_person_golds(given, surname, full, rng)),
                       f"{other_office} {surname}", 0, "another office + surname", question, rng))
    gold = rng.choice(_person_golds(given, surname, full, rng))
    other_given = rng.choice([g for g in OTHER_GIVEN if g != given])
    other_surname = rng.choice([p[1] for p in PEOPLE if p[1] != surname])
    cases += [
        _case(gold, given, 0, "given name alone", question, rng),
        _case(gold, f"{other_given} {surname}", 0, "another person with the surname", question, rng),
        _case(gold, other_surname, 0, "another person's surname", question, rng),
        _case(gold, f"{rng.choice([c for c in 'BCGHKMPT' if c != given[0]])}. {surname}", 0,
              "another initial + surname", question, rng),
    ]
    if " " in surname and surname.split()[0][0].isupper():
        # Only an alias written "Surname, Given" says that the surname has two words.
        inverted = [full, f"{surname}, {given}"]
        cases.append(_case(rng.sample(inverted, 2), surname.split()[-1], 0,
                           "last word of a two-word surname", question, rng))
    return cases


def alias_order(rng: random.Random) -> list[dict]:
    """The same list of aliases in two orders grades the same answer the same way."""
    given, surname, _, full, question, _ = _person(rng)
    aliases = [full, f"{surname}, {given}", f"{rng.choice(NAME_HONORIFICS)} {full}"]
    answer, expected, form = rng.choice([(surname, 1, "surname alone"),
                                         (given, 0, "given name alone")])
    first, second = rng.sample(aliases, len(aliases)), rng.sample(aliases, len(aliases))
    text, wrapper = completion(answer, rng)
    return [_case_as(first, text, expected, f"{form}, aliases {first} [{wrapper}]", question),
            _case_as(second, text, expected, f"{form}, aliases {second} [{wrapper}]", question)]


def family_surname(rng: random.Random) -> list[dict]:
    """"Which Bronte sister ...?": the surname is in the question, so it alone answers nothing."""
    surname, relation, members = rng.choice(FAMILIES)
    (given, deed), (other, _) = rng.sample(members, 2)
    question = f"Which {surname} {relation} {deed}?"
    gold = rng.choice([trivia_gold(f"{given} {surname}"), [f"{given} {surname}"],
                       f"{given} {surname}"])
    return [_case(gold, surname, 0, "family surname the question names", question, rng),
            _case(gold, f"{other} {surname}", 0, "sibling", question, rng),
            _case(gold, rng.choice([given, f"{given} {surname}"]), 1, "the member", question, rng)]


# "City, Country" golds, and a question that names the city
CITY_COUNTRY = [("Berlin", "Germany", "What did the Berlin Wall divide?"),
                ("Cardiff", "Wales", "What did the Cardiff Arms Park host?"),
                ("Dublin", "Ireland", "What does the Dublin Spire mark?"),
                ("Seoul", "Korea", "Where did the Seoul Olympics take place?")]


def nickname_is_no_person(rng: random.Random) -> list[dict]:
    """A list of aliases of a thing, one a nickname shaped like a person's name (Red Devils):
    its last word alone is no surname, whatever order the aliases come in. Nor is "Berlin,
    Germany" a "Surname, Given"."""
    aliases, question = rng.choice(NICKNAMED)
    gold = rng.sample(aliases, len(aliases))
    nickname = next(a for a in aliases[1:] if len(a.split()) == 2)
    city, country, city_question = rng.choice(CITY_COUNTRY)
    return [_case(gold, nickname.split()[-1], 0, "last word of a nickname", question, rng),
            _case(gold, rng.choice(aliases), 1, "an alias", question, rng),
            _case(f"{city}, {country}", country, 0, "the country of 'City, Country'",
                  city_question, rng)]


def topic_answer(rng: random.Random) -> list[dict]:
    """"Largest hot desert: the Sahara.", "The largest hot desert is the Sahara." A reply that
    restates the question's subject before its answer; a wrong answer after the same topic
    stays wrong."""
    subject, gold_name, wrong = rng.choice(TOPICS)
    question = rng.choice(TOPIC_QUESTIONS).format(s=subject)
    head = re.split(r" (?:in|of|on|for) ", subject)[0]  # "longest river" of "... in Africa"
    topic = rng.choice([subject, subject.capitalize(), f"The {subject}", head.capitalize()])
    gold = rng.choice([trivia_gold(gold_name), [gold_name], gold_name])
    cases = []
    for answer, expected in ((gold_name, 1), (wrong, 0)):
        article = rng.choice(["", "the "]) if expected or len(answer.split()) == 1 else ""
        reply = f"{topic}: {article}{answer}"
        style, text = rng.choice([
            ("line", f"{reply}."),
            ("bold answer", f"{topic}: **{article}{answer}**"),
            ("bold topic", f"**{topic}:** {article}{answer}."),
            ("boxed", f"\\boxed{{{reply}}}"),
            ("final answer", f"Final answer: {reply}"),
            ("sentence", f"The {subject} is {article}{answer}."),
            ("sentence and more", f"The {subject} is {article}{answer}. It is well known."),
            ("answer first", f"{article.capitalize()}{answer} is the {subject}."),
        ])
        cases.append(_case_as(gold, _reasoning(rng) + text, expected,
                              f"topic reply [{style}]: {text!r}", question))
    return cases


REFUSALS = ["No idea.", "I don't know.", "I do not know", "I'm not sure.", "Not sure", "Unknown.",
            "I cannot answer that.", "Sorry, I don't know that one."]


def plain_surface(rng: random.Random) -> list[dict]:
    """The alias itself in any case, with an article, trailing punctuation; another entity of
    the same kind is wrong."""
    kind = rng.choice(sorted(KINDS))
    name, _ = _kind_entity(kind, rng)
    other, _ = _kind_entity(kind, rng)
    question = _kind_question(kind, rng)
    gold = rng.choice([trivia_gold(name), [name], name])
    answer = rng.choice([name, f"the {name}", f"The {name}"])
    lead_in = rng.choice(["It is", "It's", "it was", "That is"])
    cases = [_case(gold, _recase(answer, rng), 1, "alias, case, article", question, rng),
             _case(gold, f"{lead_in} {answer}", 1, "a lead-in 'It is'", question, rng),
             _case(gold, f"{lead_in} not {answer}", 0, "'It is not' the alias", question, rng),
             _case_as(gold, _reasoning(rng) + rng.choice(REFUSALS), 0, "a refusal is no answer", question)]
    if other != name:
        cases.append(_case(gold, other, 0, "another entity of the kind", question, rng))
    return cases


# (event, year, month, day): "In which year did {event}?"
EVENTS = [("Apollo 11 land on the Moon", 1969, 7, 20), ("the Berlin Wall fall", 1989, 11, 9),
          ("the Titanic sink", 1912, 4, 15), ("the Battle of Hastings take place", 1066, 10, 14),
          ("the Wright brothers first fly", 1903, 12, 17), ("Columbus first reach the Americas", 1492, 10, 12),
          ("King John seal Magna Carta", 1215, 6, 15), ("the Great Fire of London start", 1666, 9, 2),
          ("Queen Victoria die", 1901, 1, 22), ("the Euro notes enter circulation", 2002, 1, 1)]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]


def date_in_the_year(rng: random.Random) -> list[dict]:
    """Gold a year; a date in that year (July 20, 1969; 20 July 1969; July 1969; in 1969;
    1969-07-20) answers it; the same date in another year, or the decade, does not."""
    event, year, month, day = rng.choice(EVENTS)
    question = rng.choice([f"In which year did {event}?", f"In what year did {event}?", f"When did {event}?"])
    gold = rng.choice([trivia_gold(str(year), type="Numerical"), str(year), year])
    name = MONTHS[month - 1]

    def dated(y: int) -> str:
        return rng.choice([f"{name} {day}, {y}", f"{day} {name} {y}", f"{name} {y}", f"in {y}",
                           f"on {name} {day}, {y}", f"{name[:3]} {day}, {y}", f"the {day}th of {name}, {y}",
                           f"{y}-{month:02d}-{day:02d}", f"in {name} {y}"])
    other = year + rng.choice([-10, -2, -1, 1, 2, 10])
    return [_case(gold, dated(year), 1, "a date in the gold year", question, rng),
            _case(gold, dated(other), 0, "the date in another year", question, rng),
            _case(gold, f"the {year // 10 * 10}s", 0, "the decade", question, rng),
            _case(gold, f"{name} {day}", 0, "the day without the year", question, rng)]


# (full name, acronym, a question)
ACRONYMS = [("United Nations", "UN", "Which organisation was founded in San Francisco in 1945?"),
            ("North Atlantic Treaty Organization", "NATO", "Which alliance was formed in 1949?"),
            ("British Broadcasting Corporation", "BBC", "Which broadcaster first aired Doctor Who?"),
            ("European Union", "EU", "Which bloc did the Maastricht Treaty create?"),
            ("World Health Organization", "WHO", "Which agency declared smallpox eradicated?"),
            ("Federal Bureau of Investigation", "FBI", "Which agency did J. Edgar Hoover lead?"),
            ("National Aeronautics and Space Administration", "NASA", "Which agency ran the Apollo programme?"),
            ("Royal Air Force", "RAF", "Which service fought the Battle of Britain?"),
            ("International Monetary Fund", "IMF", "Which fund was set up at Bretton Woods?"),
            ("Organization of the Petroleum Exporting Countries", "OPEC", "Which cartel imposed the 1973 oil embargo?"),
            ("Central Intelligence Agency", "CIA", "Which agency planned the Bay of Pigs invasion?"),
            ("Irish Republican Army", "IRA", "Which group fought the Easter Rising's successor campaigns?")]


# Initials two organisations share: (initials, the one the question asks for, the other, question)
SHARED_INITIALS = [
    ("ICC", "International Cricket Council", "International Criminal Court", "Which body governs world cricket?"),
    ("WWF", "World Wildlife Fund", "World Wrestling Federation", "Which charity has a giant panda as its logo?"),
    ("CIA", "Central Intelligence Agency", "Culinary Institute of America", "Which agency planned the Bay of Pigs invasion?"),
    ("AA", "Alcoholics Anonymous", "Automobile Association", "Which fellowship did Bill Wilson found in 1935?"),
    ("MCC", "Marylebone Cricket Club", "Melbourne Cricket Club", "Which club owns Lord's cricket ground?"),
    ("RSC", "Royal Shakespeare Company", "Royal Society of Chemistry", "Which theatre company is based at Stratford?"),
    ("RAC", "Royal Automobile Club", "Royal Armoured Corps", "Which motoring club has its clubhouse on Pall Mall?"),
    ("NRA", "National Rifle Association", "National Recovery Administration", "Which lobby defends American gun owners?"),
    ("IOC", "International Olympic Committee", "Intergovernmental Oceanographic Commission",
     "Which body chooses the host city of the Games?"),
    ("BA", "British Airways", "Bachelor of Arts", "Which airline flew Concorde from Heathrow?"),
]


def acronym(rng: random.Random) -> list[dict]:
    """An organisation by its initials or in full (UN for United Nations, and back), dotted or
    with "the"; another organisation, or a thing named after it, is wrong, and so is another
    organisation with the same initials where the gold has them (the International Criminal
    Court for ICC, the International Cricket Council)."""
    short2, right2, clash, question2 = rng.choice(SHARED_INITIALS)
    gold2 = rng.choice([trivia_gold(short2, right2), [short2, right2]])  # the gold says what ICC stands for
    shared = [_case(gold2, rng.choice([clash, f"the {clash}"]), 0,
                    "another organisation with the gold's initials", question2, rng),
              _case(gold2, rng.choice([right2, f"the {right2}", short2]), 1,
                    "the organisation the initials stand for", question2, rng)]
    return shared + _acronym(rng)


def _acronym(rng: random.Random) -> list[dict]:
    full, short, question = rng.choice(ACRONYMS)
    other_full, other_short, _ = rng.choice([a for a in ACRONYMS if a[0] != full])
    dotted = ".".join(short) + "."
    if rng.random() < 0.5:
        gold, answer = rng.choice([trivia_gold(full), full, [full]]), rng.choice([short, dotted, f"the {short}"])
        near = rng.choice([other_short, f"the {other_short}"])
    else:
        # a gold in capitals with its name among the aliases (initials alone do not say what
        # they stand for: see SHARED_INITIALS)
        gold = rng.choice([trivia_gold(short, full), [short, full]])
        answer = rng.choice([full, f"the {full}", f"The {full}"])
        near = rng.choice([other_full, f"the {other_full}"])
    return [_case(gold, answer, 1, "initials for the full name, or the name the gold lists", question, rng),
            _case(gold, near, 0, "another organisation", question, rng),
            _case(gold, f"the {full} {rng.choice(['Charter', 'Building', 'Day'])}", 0,
                  "another thing named after it", question, rng)]


# (name, title, a question that asks for a ruler or a saint without naming the title)
TITLED = [("Victoria", "Queen", "Which British monarch reigned from 1837 to 1901?"),
          ("Canute", "King", "Which ruler is said to have ordered the tide to turn back?"),
          ("Hirohito", "Emperor", "Who reigned over Japan during the Second World War?"),
          ("Tutankhamun", "Pharaoh", "Which ruler's tomb did Howard Carter open in 1922?"),
          ("Boudica", "Queen", "Which ruler of the Iceni led a revolt against Rome?"),
          ("Nero", "Emperor", "Which Roman ruler is said to have fiddled while Rome burned?"),
          ("Alfred", "King", "Which Saxon monarch is said to have burnt the cakes?"),
          ("Patrick", "Saint", "Who is the patron saint of Ireland?"),
          ("Cleopatra", "Queen", "Which ruler of Egypt was the last of the Ptolemies?"),
          ("Montezuma", "Emperor", "Who ruled the Aztecs when Cortes arrived?")]
NOT_A_RULER = [("Victoria", "Who is David Beckham's wife?"), ("Alfred", "Who is Batman's butler?"),
               ("Patrick", "What is the first name of the actor Stewart who played Captain Picard?")]


# Titles none of TITLED held (Saint Canute is Canute IV of Denmark, not the Canute of the tide)
# (Pope X, Saint X; a ruler's near-synonym such as Emperor Boudica is no near miss here)
WRONG_TITLES = {"Victoria": ["Pope", "Saint"], "Canute": ["Saint", "Pope"], "Hirohito": ["Pope", "Saint"],
                "Tutankhamun": ["Pope", "Saint"], "Boudica": ["Saint", "Pope"], "Nero": ["Pope", "Saint"],
                "Alfred": ["Pope", "Saint"], "Patrick": ["King", "Pope"], "Cleopatra": ["Saint", "Pope"],
                "Montezuma": ["Pope", "Saint"]}


def title_of_a_ruler(rng: random.Random) -> list[dict]:
    """A ruler or saint asked for by what they did is named with or without their title
    (Queen Victoria for Victoria); another person's name with the title is wrong, and so is
    the title of an office they never held (Pope Victoria, Saint Canute, King Patrick) and the
    title where the question is about someone else of that name (Beckham's wife)."""
    name, title, question = rng.choice(TITLED)
    other, other_title, _ = rng.choice([t for t in TITLED if t[0] != name])
    gold = rng.choice([trivia_gold(name), name, [name]])
    answer = rng.choice([f"{title} {name}", f"{title.lower()} {name}"])
    commoner, commoner_question = rng.choice(NOT_A_RULER)
    ruler_title = next(t for n, t, _ in TITLED if n == commoner)
    # a title of another office: Pope Victoria, Saint Canute (another Canute), King Patrick
    wrong_title = rng.choice(WRONG_TITLES[name])
    return [_case(gold, answer, 1, "the name after its title", question, rng),
            _case(gold, rng.choice([wrong_title, wrong_title.lower()]) + f" {name}", 0,
                  "the name after the title of another office", question, rng),
            _case(gold, f"{other_title} {other}", 0, "another ruler", question, rng),
            _case(rng.choice([trivia_gold(commoner), commoner]), f"{ruler_title} {commoner}", 0,
                  "a ruler's title on someone else of that name", commoner_question, rng)]


# (kind word, names, a question asking "which {kind}")
ASKED_KINDS = [("planet", ["Jupiter", "Saturn", "Mars", "Venus", "Neptune", "Mercury"], "Which planet {fact}?"),
               ("composer", ["Mozart", "Beethoven", "Elgar", "Handel", "Verdi", "Chopin"], "Which composer {fact}?"),
               ("element", ["iron", "gold", "neon", "helium", "carbon", "mercury"], "Which element {fact}?"),
               ("novel", ["Dracula", "Emma", "Middlemarch", "Ulysses", "Rebecca"], "Which novel {fact}?"),
               ("city", ["Lima", "Oslo", "Nairobi", "Hanoi", "Quito", "Perth"], "Which city {fact}?"),
               ("country", ["Peru", "Chad", "Nepal", "Ghana", "Laos", "Chile"], "Which country {fact}?"),
               ("painter", ["Turner", "Constable", "Monet", "Rembrandt", "Vermeer"], "Which painter {fact}?")]


# Other things that carry the names of ASKED_KINDS: the god Jupiter is no planet.
CONFUSED_KINDS = {"planet": ["god", "Roman god", "goddess", "chocolate bar"],
                  "composer": ["painter", "poet", "street"], "element": ["planet", "god", "singer"],
                  "novel": ["film", "opera", "ship"], "city": ["province", "river", "region", "volcano"],
                  "country": ["lake", "river", "desert", "city"], "painter": ["composer", "poet", "ship"]}


def the_asked_kind_named(rng: random.Random) -> list[dict]:
    """The answer names the kind the question asks for before the name: "the planet Jupiter"
    for "Which planet ...?", "the city of Lima"; the kind word before another name is wrong,
    and so is the name inside a longer name of something else, and the name as a thing of
    another kind ("the god Jupiter", "Mercury, the Roman god", "the film Rebecca" for a
    novel)."""
    kind, names, question = rng.choice(ASKED_KINDS)
    name, other = rng.sample(names, 2)
    question = question.format(fact=rng.choice(FACTS))
    gold = rng.choice([trivia_gold(name), name, [name]])
    kind_word = rng.choice([kind, kind.capitalize()])
    forms = [f"the {kind_word} {name}", f"The {kind_word} {name}", f"{kind_word} {name}"]
    if kind in ("city", "country"):
        forms.append(f"the {kind_word} of {name}")
    confused = rng.choice(CONFUSED_KINDS[kind])
    return [_case(gold, rng.choice(forms), 1, "the asked kind before the name", question, rng),
            _case(gold, rng.choice([f"the {confused} {name}", f"The {confused} {name}"]), 0,
                  "another kind before the name", question, rng),
            _case_as(gold, _reasoning(rng) + f"{name}, the {confused}.", 0,
                     f"the name, another kind: '{name}, the {confused}.'", question),
            _case(gold, f"the {kind_word} {other}", 0, "the asked kind before another name", question, rng),
            _case(gold, f"the {name} {rng.choice(OTHER_ENTITY_AFTER)}", 0, "the name inside another name",
                  question, rng)]


# (city, country): "What is the capital of {country}?"
CAPITALS = [("Lima", "Peru"), ("Oslo", "Norway"), ("Nairobi", "Kenya"), ("Hanoi", "Vietnam"),
            ("Quito", "Ecuador"), ("Canberra", "Australia"), ("Ottawa", "Canada"), ("Bern", "Switzerland"),
            ("Dublin", "Ireland"), ("Lisbon", "Portugal")]


def place_named_by_the_question(rng: random.Random) -> list[dict]:
    """A city followed by the country the question names (Lima, Peru for "the capital of
    Peru") is the city; another city of that country, or the city with another country, is
    not."""
    city, country = rng.choice(CAPITALS)
    other_city, other_country = rng.choice([c for c in CAPITALS if c[0] != city])
    question = rng.choice([f"What is the capital of {country}?", f"Which city is the capital of {country}?"])
    gold = rng.choice([trivia_gold(city), city, [city]])
    return [_case(gold, f"{city}, {country}", 1, "the city, the question's country", question, rng),
            _case(gold, f"{other_city}, {country}", 0, "another city, the question's country", question, rng),
            _case(gold, f"{city}, {other_country}", 0, "the city name with another country", question, rng)]



def answer_in_a_sentence(rng: random.Random) -> list[dict]:
    """A one-sentence reply that names the answer besides the question's own words ("The
    Hobbit was written by J. R. R. Tolkien.", "Lima is the capital of Peru.") answers with it;
    the same sentence naming someone else, naming two people, or denying it does not."""
    given, surname, _, deed = rng.choice(PEOPLE)
    other_given, other_surname, _, _ = rng.choice([p for p in PEOPLE if p[1] != surname])
    full, other = f"{given} {surname}", f"{other_given} {other_surname}"
    question = f"Who {deed}?"
    gold = rng.choice([trivia_gold(full), full, [full]])

    def said(name: str) -> str:
        return rng.choice([f"{name} {deed}.", f"It was {name} who {deed}.", f"The one who {deed} was {name}.",
                           f"I believe {name} {deed}."])
    city, country = rng.choice(CAPITALS)
    other_city, _ = rng.choice([c for c in CAPITALS if c[0] != city])
    capital_question = f"What is the capital of {country}?"
    city_gold = rng.choice([trivia_gold(city), city])
    return [
        _case_as(gold, said(full), 1, "a sentence naming the answer", question),
        _case_as(gold, said(other), 0, "the sentence naming someone else", question),
        _case_as(gold, f"{other} and {full} {deed} together.", 0, "a sentence naming two people", question),
        _case_as(gold, rng.choice([f"It was not {full} who {deed}.", f"{full} never {deed}."]), 0,
                 "a sentence denying it", question),
        _case_as(city_gold, f"{city} is the capital of {country}.", 1, "a sentence naming the city", capital_question),
        _case_as(city_gold, f"{other_city} is the capital of {country}.", 0, "the sentence naming another city",
                 capital_question),
    ]



# --- near misses that name the gold beside another answer ---------------------------------

# Who else a sentence may name through the answer's name: the son of Fleming is not Fleming.
RELATIONS = ["son", "wife", "daughter", "brother", "sister", "father", "widow", "pupil",
             "assistant", "colleague", "rival", "contemporary", "teacher", "biographer",
             "secretary", "friend"]


def relative_of_the_answer(rng: random.Random) -> list[dict]:
    """A reply that names the person only as the relative or associate of its answer ("the son
    of Fleming", "A colleague of Fleming discovered penicillin.", "the Fleming family") or as
    the one usually credited before it names another ("Fleming is usually credited, but
    Duchesne ...") answers with someone else; the person named in a sentence, or with an
    aside after the name, is right."""
    given, surname, _, full, question, deed = _person(rng)
    other_given, other_surname, _, _ = rng.choice([p for p in PEOPLE if p[1] != surname])
    gold = rng.choice([trivia_gold(full), full, [full]])
    rel = rng.choice(RELATIONS)
    name = rng.choice([surname, full])
    a = "an" if rel[0] in "aeiou" else "a"
    near = [
        ("the relative of the answer", f"The {rel} of {name}."),
        ("a relative did it", f"{a.capitalize()} {rel} of {name} {deed}."),
        ("it was a relative", f"It was {a} {rel} of {name} who {deed}."),
        ("the family", f"the {surname} family"),
        ("credited, but another", f"{name} is usually credited, but {other_given} {other_surname} {deed} first."),
        ("credited, but a relative",
         f"{name} is often credited, but it was really {'her' if surname in WOMEN else 'his'} {rel}."),
        ("possessive relative", f"{name}'s {rel} {deed}."),
    ]
    right = [("a sentence naming the answer", f"{full} {deed}."),
             ("the answer, who ...", f"{surname}, who {deed}."),
             ("it was the answer", f"It was {name} who {deed}.")]
    form, text = rng.choice(near)
    rform, rtext = rng.choice(right)
    return [_case_as(gold, _reasoning(rng) + text, 0, f"{form}: {text!r}", question),
            _case_as(gold, _reasoning(rng) + rtext, 1, f"{rform}: {rtext!r}", question)]


# The women of PEOPLE (for "his" or "her")
WOMEN = frozenset({"Nightingale", "Austen", "Christie", "Earhart", "Thatcher", "Tubman", "Curie",
                   "O'Connor", "Brontë"})


# What else there is of a thing of each kind, by the thing's name: a tributary of the Thames is
# another river.
PARTS_OF = {"lake": ["An island in", "A river flowing into", "A town on"],
            "river": ["A tributary of", "A canal off", "A bridge over"],
            "mountain": ["A glacier on", "A village below", "A neighbouring peak of"],
            "battle": ["A skirmish before", "The general who lost", "A monument to"],
            "ship": ["The sister ship of", "A replica of", "The escort of"],
            "team": ["The rivals of", "The reserve side of", "The stadium of"],
            "desert": ["An oasis in", "A town on the edge of", "A tribe of"]}


def something_of_the_alias(rng: random.Random) -> list[dict]:
    """A phrase or sentence that names the gold only as what its answer belongs to, lies in or
    is next to ("A tributary of the Thames.", "It was the sister ship of the Victory.", "An
    island in Lake Titicaca.", "It was the Titanic's twin.") answers with something else; "It
    was the Thames." is right."""
    kind = rng.choice(sorted(PARTS_OF))
    name, prefix = _kind_entity(kind, rng)
    question = _kind_question(kind, rng)
    gold = rng.choice([trivia_gold(name), [name], name])
    bare = [f"the {name}"] if kind in ("river", "ship", "desert") else []  # the Thames, not the Everest
    named = rng.choice(bare + [_descriptor_form(kind, name, prefix, rng)])
    part = rng.choice(PARTS_OF[kind])
    near = rng.choice([f"{part} {named}.", f"It was {part[0].lower()}{part[1:]} {named}.",
                       f"I think it is {part[0].lower()}{part[1:]} {named}.",
                       # the possessive is no plural: the Titanic's twin is not the Titanic
                       f"It was the {name}'s {rng.choice(['twin', 'rival', 'neighbour', 'namesake'])}."])
    right = rng.choice([f"It was {named}.", f"I think it is {named}.", f"{named[0].upper()}{named[1:]}."])
    return [_case_as(gold, _reasoning(rng) + near, 0, f"{kind}: something of the alias: {near!r}", question),
            _case_as(gold, _reasoning(rng) + right, 1, f"{kind}: the alias in a sentence: {right!r}", question)]


def corrected_reply(rng: random.Random) -> list[dict]:
    """A one-line reply that names an answer and takes it back for another ("Canberra - no,
    Sydney", "Canberra, no wait, Sydney", "Canberra. Wait, no: Sydney.") answers with the
    second; the answer with an aside that keeps it ("Canberra - the capital since 1913",
    "Canberra, not Sydney") is the first."""
    subject, gold_name, wrong = rng.choice(TOPICS)
    question = rng.choice(TOPIC_QUESTIONS).format(s=subject)
    gold = rng.choice([trivia_gold(gold_name), [gold_name], gold_name])
    takes_back = ["{a} - no, {b}.", "{a}, no wait, {b}.", "{a} \u2014 actually {b}.",
                  "{a}. Wait, no: {b}.", "{a}, sorry, I mean {b}.", "{a}... no, {b}."]
    keeps = ["{a} - the {s}.", "{a}, not {b}.", "{a} (not {b}).", "{a}, as every atlas shows."]
    t0, t1 = rng.choice(takes_back), rng.choice(keeps)
    return [_case_as(gold, _reasoning(rng) + t0.format(a=gold_name, b=wrong), 0,
                     f"the gold taken back for another: {t0!r}", question),
            _case_as(gold, _reasoning(rng) + t1.format(a=gold_name, b=wrong, s=subject), 1,
                     f"the gold with an aside that keeps it: {t1!r}", question)]


# --- replies that answer first and explain after ------------------------------------------

# Paragraphs a chat model writes after its answer; {a} is the answer given, {b} another one.
EXPLANATIONS = [
    "{b} is a common guess, but the records are clear.",
    "Many people assume {b}, which is a frequent mistake.",
    "**Why:** {a} has held this place for a long time.\n- It is well documented.\n- {b} is often confused with it.",
    "This is a classic quiz question.",
    "- **{a}**: the answer\n- **{b}**: a common confusion",
    "Let me know if you have another question!",
]
# Greetings some chat models put before the answer
GREETINGS = ["Sure!", "Great question!", "Certainly.", "Okay!"]
# A later paragraph that takes the first answer back for another
TAKEN_BACK_AFTER = ["Wait, actually it's {b}.", "Hmm, actually no: {b}.", "Correction: it is {b}.",
                    "On second thought, {b}.", "Wait, no. {b}."]


def answer_then_explanation(rng: random.Random) -> list[dict]:
    """A reply whose first paragraph, one line, gives the answer ("The largest hot desert is
    **the Sahara**.", "**Sahara**", "Sahara.") and whose later paragraphs explain it, naming
    other candidates, answers with that line; the same reply with another answer first is
    wrong, and so is one whose later paragraph takes the answer back ("Wait, actually it's
    the Gobi.")."""
    subject, gold_name, wrong = rng.choice(TOPICS)
    question = rng.choice(TOPIC_QUESTIONS).format(s=subject)
    gold = rng.choice([trivia_gold(gold_name), [gold_name], gold_name])

    def reply(a: str, b: str) -> tuple[str, str]:
        lead = rng.choice([f"The {subject} is **{a}**.", f"**{a}**", f"{a}.", f"**{a}** is the {subject}.",
                           f"The {subject} is {a}. It is a well-known fact.", f"### {a}",
                           f"The {subject} is *{a}*, as most atlases show."])
        if rng.random() < 0.3:
            lead = f"{rng.choice(GREETINGS)}\n\n{lead}"
        body = "\n\n".join(e.format(a=a, b=b) for e in rng.sample(EXPLANATIONS, rng.randint(1, 3)))
        return lead, f"{lead}\n\n{body}"

    lead, right = reply(gold_name, wrong)
    wrong_lead, near = reply(wrong, gold_name)
    _, kept = reply(gold_name, wrong)
    taken_back = f"{kept}\n\n{rng.choice(TAKEN_BACK_AFTER).format(b=wrong)}"
    return [_case_as(gold, _reasoning(rng) + right, 1, f"the answer first, then why: {lead!r}", question),
            _case_as(gold, _reasoning(rng) + near, 0, f"another answer first, then why: {wrong_lead!r}", question),
            _case_as(gold, _reasoning(rng) + taken_back, 0, "the answer first, taken back after", question)]


def markup_in_a_sentence(rng: random.Random) -> list[dict]:
    """A one-sentence reply with markdown inside ("**George Eliot** wrote *Middlemarch*.",
    "It was *Charles Darwin* who ...") or a bracketed aside inside it ("Charles Darwin (the
    naturalist) wrote ...") answers with its name; the same sentence naming someone else,
    or two people, does not."""
    given, surname, _, full, question, deed = _person(rng)
    other_given, other_surname, _, _ = rng.choice([p for p in PEOPLE if p[1] != surname])
    other = f"{other_given} {other_surname}"
    gold = rng.choice([trivia_gold(full), full, [full]])
    aside = rng.choice(["the famous one", "born in the north", "a household name", "of course"])

    def said(name: str) -> str:
        return rng.choice([f"**{name}** {deed}.", f"*{name}* {deed}.", f"It was **{name}** who {deed}.",
                           f"The one who {deed} was **{name}**.", f"{name} ({aside}) {deed}.",
                           f"**{name}** ({aside}) {deed}.", f"The person who {deed} was __{name}__."])
    two = rng.choice([f"**{other}** and **{full}** {deed} together.", f"{other} ({full}) {deed}.",
                      f"**{other}**, not **{full}**, {deed}."])
    return [_case_as(gold, _reasoning(rng) + said(full), 1, "a marked-up sentence naming the answer", question),
            _case_as(gold, _reasoning(rng) + said(other), 0, "the marked-up sentence naming someone else", question),
            _case_as(gold, _reasoning(rng) + two, 0, f"a sentence naming two people: {two!r}", question)]


# Words that tie the answer to the reasoning before it
DISCOURSE = ["Therefore", "So", "Thus", "Hence", "In conclusion", "In summary", "Overall", "Yes", "Well"]


def after_a_discourse_word(rng: random.Random) -> list[dict]:
    """"Therefore, the largest hot desert is the Sahara.", "So, the Sahara.", "Yes, it's the
    Sahara.": the comma after the linking word starts no aside; the same with another answer,
    or denying the answer ("So, it's not the Sahara."), is wrong."""
    subject, gold_name, wrong = rng.choice(TOPICS)
    question = rng.choice(TOPIC_QUESTIONS).format(s=subject)
    gold = rng.choice([trivia_gold(gold_name), [gold_name], gold_name])
    word = rng.choice(DISCOURSE)

    def said(a: str) -> str:
        return rng.choice([f"{word}, the {subject} is {a}.", f"{word}, {a}.", f"{word}, it's {a}.",
                           f"{word}, the {subject} is **{a}**."])
    return [_case_as(gold, _reasoning(rng) + said(gold_name), 1, "after a linking word", question),
            _case_as(gold, _reasoning(rng) + said(wrong), 0, "another answer after a linking word", question),
            _case_as(gold, _reasoning(rng) + f"{word}, it's not {gold_name}.", 0,
                     "denied after a linking word", question)]


# Doubt said about the answer, in the forms replies use; {a} is the answer.
DOUBTED = ["{a} (most likely)", "{a} (likely)", "{a}, probably.", "{a}, I guess.", "Likely {a}.",
           "{a} is my best guess.", "I'd guess {a}.", "{a} (uncertain)", "{a} (low confidence)",
           "Most likely {a}.", "{a}, but I'm not certain."]


def doubted_answer(rng: random.Random) -> list[dict]:
    """An answer said with doubt ("Lima (most likely)", "Lima, probably.", "Lima is my best
    guess.") commits to nothing, like "probably Lima"; said with confidence ("I'm fairly
    confident it's Lima.", "Lima (I'm certain).") it is the answer."""
    subject, gold_name, _ = rng.choice(TOPICS)
    question = rng.choice(TOPIC_QUESTIONS).format(s=subject)
    gold = rng.choice([trivia_gold(gold_name), [gold_name], gold_name])
    doubted = rng.choice(DOUBTED).format(a=gold_name)
    sure = rng.choice(["I'm fairly confident it's {a}.", "I'm certain it's {a}.", "{a} (I'm certain).",
                       "I'm sure it is {a}."]).format(a=gold_name)
    wrapped = rng.choice(["{x}", "Answer: {x}", "The answer is {x}"])
    return [_case_as(gold, _reasoning(rng) + wrapped.format(x=doubted), 0, f"doubted: {doubted!r}", question),
            _case_as(gold, _reasoning(rng) + sure, 1, f"said with confidence: {sure!r}", question)]


def statement_of_what_it_is_not(rng: random.Random) -> list[dict]:
    """"The answer is **Canberra**. Although Sydney is bigger, the answer is not Sydney.": a
    later statement of what the answer is not leaves the answer given; "## Answer" and
    "**Answer**" headings put the answer on the next line."""
    subject, gold_name, wrong = rng.choice(TOPICS)
    question = rng.choice(TOPIC_QUESTIONS).format(s=subject)
    gold = rng.choice([trivia_gold(gold_name), [gold_name], gold_name])

    def said(a: str, b: str) -> str:
        return rng.choice([f"The answer is **{a}**. Many would say {b}, but the answer is not {b}.",
                           f"**Answer:** {a}\n\nNote that the answer is not {b}.",
                           f"## Answer\n{a}", f"**Answer**\n\n{a}", f"### Answer\n\n**{a}**\n\nMore below."])
    return [_case_as(gold, _reasoning(rng) + said(gold_name, wrong), 1, "the answer, then what it is not", question),
            _case_as(gold, _reasoning(rng) + said(wrong, gold_name), 0, "another answer, then not the gold", question)]


def contrast_in_a_sentence(rng: random.Random) -> list[dict]:
    """A sentence that gives the answer and sets another against it ("The largest hot desert is
    the Sahara, though many say the Gobi.", "While the Gobi is often suggested, the largest hot
    desert is the Sahara.") answers with it; one that names the gold only as what is set aside
    ("The Sahara is often suggested, but the largest hot desert is the Gobi.", "The Sahara comes
    to mind, although it is the Gobi.") does not."""
    subject, gold_name, wrong = rng.choice(TOPICS)
    question = rng.choice(TOPIC_QUESTIONS).format(s=subject)
    gold = rng.choice([trivia_gold(gold_name), [gold_name], gold_name])
    right = rng.choice(["The {s} is {a}, though many say {b}.", "{a} is the {s}, but {b} is a close second.",
                        "While {b} is often suggested, the {s} is {a}.", "Although many think {b}, it's {a}.",
                        "Despite what many believe about {b}, the {s} is **{a}**.",
                        "{b} is often suggested, but the {s} is {a}.", "{b} comes to mind, although it is {a}."])
    near = rng.choice(["{a} is often suggested, but the {s} is {b}.", "{a} comes to mind, although it is {b}.",
                       "{a} is a common guess, but it's {b}.", "While {a} is often suggested, the {s} is {b}.",
                       "{a} was considered, whereas the {s} is {b}."])
    text, near_text = (right.format(s=subject, a=gold_name, b=wrong), near.format(s=subject, a=gold_name, b=wrong))
    return [_case_as(gold, _reasoning(rng) + text, 1, f"the answer, another set against it: {right!r}", question),
            _case_as(gold, _reasoning(rng) + near_text, 0, f"the gold set aside for another: {near!r}", question)]


def dates_and_counts_in_words(rng: random.Random) -> list[dict]:
    """A full date gold written in another order or format (20 July 1969, 1969-07-20, the 20th
    of July, 1969 for July 20, 1969) is that date, and a year gold is answered by a sentence
    that dates it ("It happened on 20 July 1969.", "In the year 1969."); another day, the
    month alone and another year are wrong. A count said in a sentence ("The bowler took four
    wickets.") answers "How many wickets ...?"; another count, or two, do not."""
    event, year, month, day = rng.choice(EVENTS)
    name = MONTHS[month - 1]
    suffix = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}.get(day, "th")

    def dated(d: int, y: int) -> str:
        return rng.choice([f"{name} {d}, {y}", f"{d} {name} {y}", f"{y}-{month:02d}-{d:02d}",
                           f"the {d}{suffix if d == day else 'th'} of {name}, {y}", f"{name[:3]} {d}, {y}",
                           f"{d}{suffix if d == day else 'th'} {name} {y}"])
    date_question = rng.choice([f"On what date did {event}?", f"When did {event}?"])
    date_gold = rng.choice([trivia_gold(f"{name} {day}, {year}"), f"{day} {name} {year}", [f"{name} {day}, {year}"]])
    other_day = day + 1 if day < 28 else day - 1
    year_question = f"In which year did {event}?"
    year_gold = rng.choice([trivia_gold(str(year), type="Numerical"), str(year), year])
    in_sentence = rng.choice(["It happened on {d}.", "That was on {d}.", "The date was {d}.", "In the year {d}."])
    other_year = year + rng.choice([-1, 1, 10])
    plural, singular, count_question = rng.choice(COUNTERS)
    n = rng.randint(2, 40)
    said = rng.choice(["The answer: it was {w} {c} in all.", "There were {w} {c}.", "It came to {w} {c} that time."])
    written = rng.choice([str(n), number_words(n)])
    count_gold = rng.choice([trivia_gold(str(n), type="Numerical"), str(n), n])
    cases = [
        _case(date_gold, dated(day, year), 1, "the date in another format", date_question, rng),
        _case(date_gold, dated(other_day, year), 0, "another day", date_question, rng),
        _case(date_gold, f"{name} {year}", 0, "the month alone", date_question, rng),
        _case(date_gold, dated(day, other_year), 0, "the day in another year", date_question, rng),
        _case_as(year_gold, _reasoning(rng) + in_sentence.format(d=rng.choice([dated(day, year), str(year)])), 1,
                 "a sentence that dates it", year_question),
        _case_as(year_gold, _reasoning(rng) + in_sentence.format(d=rng.choice([dated(day, other_year), str(other_year)])),
                 0, "a sentence with another year", year_question),
        _case_as(count_gold, _reasoning(rng) + said.format(w=written, c=plural), 1, "a count in a sentence", count_question),
        _case_as(count_gold, _reasoning(rng) + said.format(w=n + rng.choice([-1, 1, 2]), c=plural), 0,
                 "another count in a sentence", count_question),
        _case_as(count_gold, _reasoning(rng) + f"There were {n} {plural} in one match and {n + 1} {plural} in another.",
                 0, "two counts in a sentence", count_question),
    ]
    return cases


def taken_back_after_the_answer(rng: random.Random) -> list[dict]:
    """A statement or box followed by a line that takes it back ("Answer: Canberra\n\nWait,
    actually it's Sydney.") answers with what that line says, or nothing; a later line that
    checks or explains ("Wait, let me verify: ... Yes.", "Actually, Canberra was chosen in
    1908.") keeps it. A first paragraph of one line is taken back the same way, or by a later
    paragraph that restates the subject with another name ("Sydney is the largest city.\n\n
    However, the capital is Canberra.")."""
    subject, gold_name, wrong = rng.choice(TOPICS)
    question = rng.choice(TOPIC_QUESTIONS).format(s=subject)
    gold = rng.choice([trivia_gold(gold_name), [gold_name], gold_name])
    given = rng.choice(["Answer: {a}", "**Final answer:** {a}", "\\boxed{{{a}}}", "The answer is **{a}**.",
                        "## Answer\n{a}"])
    taken_back = rng.choice(["Wait, actually it's {b}.", "Hmm, no. The {s} is {b}.", "Actually, I was wrong: it's {b}.",
                             "Oops, I made a mistake: {b}.", "No wait, {b}.", "On second thought, {b}.",
                             "Hmm, but maybe {b}?", "Wait, no.", "Correction: {b}."])
    kept = rng.choice(["Wait, let me verify: {a} fits every clue. Yes.", "Actually, {a} was chosen long ago.",
                       "Note: {b} is often suggested.", "No other answer fits."])
    lead = rng.choice(["{b}.", "**{b}**", "{b} is the {s}."])
    against = rng.choice(["However, the {s} is {a}.", "No, the {s} is {a}.", "Actually, the {s} is {a}.",
                          "But the {s} is {a}.", "Oops, the {s} is {a}.", "That's incorrect. The {s} is {a}."])
    explained = rng.choice(["It is often confused with {b}.", "Many people guess {b} instead."])

    def text(*parts: str, a: str, b: str) -> str:
        return _reasoning(rng) + "\n\n".join(parts).format(s=subject, a=a, b=b)
    fix = taken_back.startswith(("Hmm, but maybe", "Wait, no."))  # doubt or nothing: no answer either way
    return [
        _case_as(gold, text(given, taken_back, a=gold_name, b=wrong), 0, f"the gold taken back: {taken_back!r}", question),
        _case_as(gold, text(given, taken_back, a=wrong, b=gold_name), 0 if fix else 1,
                 f"another taken back for the gold: {taken_back!r}", question),
        _case_as(gold, text(given, kept, a=gold_name, b=wrong), 1, f"the gold then checked: {kept!r}", question),
        _case_as(gold, text(lead, against, a=wrong, b=gold_name), 0, f"a lead set against: {lead!r} {against!r}", question),
        _case_as(gold, text(lead, explained, a=wrong, b=gold_name), 1, f"a lead explained: {lead!r} {explained!r}", question),
    ]


def hedged_in_a_phrase(rng: random.Random) -> list[dict]:
    """Doubt said in a phrase ("Lima, but I could be wrong", "Lima (not 100% sure)", "Lima,
    though it might also be Cusco") commits to nothing; what others say ("Lima, though many
    say Cusco") is no doubt of the reply's own."""
    subject, gold_name, wrong = rng.choice(TOPICS)
    question = rng.choice(TOPIC_QUESTIONS).format(s=subject)
    gold = rng.choice([trivia_gold(gold_name), [gold_name], gold_name])
    doubt = rng.choice(["{a}, but I could be wrong.", "{a}, though I may be mistaken.", "{a} (not 100% sure).",
                        "{a}, but I'm not entirely certain.", "{a}, but don't quote me on that.",
                        "{a}, but it could also be {b}.", "{a}, though {b} is also possible.",
                        "The {s} is {a}, but it might be {b}."])
    sure = rng.choice(["{a}, though many say {b}.", "The {s} is {a}, not {b}.", "{a}, without a doubt."])
    return [_case(gold, doubt.format(a=gold_name, b=wrong, s=subject), 0, "doubt in a phrase", question, rng),
            _case_as(gold, _reasoning(rng) + sure.format(a=gold_name, b=wrong, s=subject), 1, f"no doubt of its own: {sure!r}",
                     question)]


def not_this_but_that(rng: random.Random) -> list[dict]:
    """"Not Sydney, but Canberra", "It's not Sydney, it's Canberra", "The capital is not Sydney
    but Canberra" answer with what follows; the one set aside is wrong, and "not only X but
    also Y" answers nothing."""
    subject, gold_name, wrong = rng.choice(TOPICS)
    question = rng.choice(TOPIC_QUESTIONS).format(s=subject)
    gold = rng.choice([trivia_gold(gold_name), [gold_name], gold_name])
    form = rng.choice(["Not {b}, but {a}.", "Not {b} but {a}.", "It's not {b}, it's {a}.", "The {s} is not {b} but {a}.",
                       "Answer: not {b}, but **{a}**"])
    both = rng.choice(["Not only {b} but also {a}.", "Not only {a} but also {b}."])
    return [_case_as(gold, _reasoning(rng) + form.format(a=gold_name, b=wrong, s=subject), 1, f"not another: {form!r}", question),
            _case_as(gold, _reasoning(rng) + form.format(a=wrong, b=gold_name, s=subject), 0, f"not the gold: {form!r}", question),
            _case_as(gold, _reasoning(rng) + both.format(a=gold_name, b=wrong), 0, f"both named: {both!r}", question)]


# (question, gold work, another work, a sentence that places the character in a work)
WORKS = [("In which Shakespeare play does the skull of Yorick appear?", "Hamlet", "Macbeth", "Yorick's skull appears in {w}."),
         ("In which novel does Heathcliff appear?", "Wuthering Heights", "Jane Eyre", "Heathcliff appears in *{w}*."),
         ("Which opera features the aria Nessun Dorma?", "Turandot", "Tosca", "Nessun Dorma is sung in {w}."),
         ("In which film does the character Rick Blaine appear?", "Casablanca", "Vertigo", "Rick Blaine appears in {w}."),
         ("Which novel features Captain Ahab?", "Moby-Dick", "Billy Budd", "Captain Ahab appears in {w}.")]


def the_work_it_is_in(rng: random.Random) -> list[dict]:
    """"Yorick appears in Hamlet." answers "In which play ...?" (what follows the question's
    preposition, or "in" for a work); "In Hamlet." too. Another work, two works, or the work
    after a noun ("A scene in Hamlet", "It is a town on Lake Tahoe") are not the answer."""
    question, work, other, sentence = rng.choice(WORKS)
    gold = rng.choice([trivia_gold(work), work, [work]])
    return [_case_as(gold, _reasoning(rng) + sentence.format(w=work), 1, "the work after 'in'", question),
            _case_as(gold, _reasoning(rng) + f"In {work}.", 1, "'In' and the work", question),
            _case_as(gold, _reasoning(rng) + sentence.format(w=other), 0, "another work", question),
            _case_as(gold, _reasoning(rng) + sentence.format(w=f"{work} and {other}"), 0, "two works", question),
            _case_as(gold, _reasoning(rng) + f"It is a scene in {work}.", 0, "a thing in the work", question)]


# (full name, with the middle initial, another person of the same surname and initial)
MIDDLE_NAMES = [("John Fitzgerald Kennedy", "John F. Kennedy", "Robert F. Kennedy"),
                ("George Walker Bush", "George W. Bush", "George H. W. Bush"),
                ("John Quincy Adams", "John Q. Adams", "John Adams Jr."),
                ("Franklin Delano Roosevelt", "Franklin D. Roosevelt", "Theodore Roosevelt"),
                ("Ulysses Simpson Grant", "Ulysses S. Grant", "Ulysses Q. Grant"),
                ("Martin Luther King", "Martin L. King", "Martin K. King")]


def middle_name_or_initial(rng: random.Random) -> list[dict]:
    """A given name written out for its initial, or the other way (John Fitzgerald Kennedy for
    John F. Kennedy), is the person; other initials (George H. W. Bush for George W. Bush) or
    another given name are another."""
    full, initialled, other = rng.choice(MIDDLE_NAMES)
    gold_name, said = rng.choice([(full, initialled), (initialled, full)])
    question = rng.choice(["Who was the president in the story?", "Which statesman gave the speech?",
                           "Who is named on the plaque?"])
    gold = rng.choice([trivia_gold(gold_name), gold_name, [gold_name]])
    return [_case(gold, said, 1, "the middle name or its initial", question, rng),
            _case(gold, other, 0, "another person", question, rng)]


def count_bounded_or_ranged(rng: random.Random) -> list[dict]:
    """A count bounded ("at least six wives", "more than 6 wives", "up to 6") or given as a
    range ("5-6 wives", "between 5 and 6") or beside another number ("The team scored 4 goals;
    he scored 2.") does not give the gold count; the plain count in a sentence does."""
    plural, _, question = rng.choice(COUNTERS)
    n = rng.randint(3, 30)
    gold = rng.choice([trivia_gold(str(n), type="Numerical"), str(n), n])
    written = rng.choice([str(n), number_words(n)])
    bounded = rng.choice(["There were at least {w} {c}.", "There were more than {w} {c}.", "It came to over {w} {c}.",
                          "There were fewer than {w} {c}.", "There were up to {w} {c}.", "There were {p}-{w} {c}.",
                          "There were between {p} and {w} {c}.", "There were {p} to {w} {c}.",
                          "In all {w} {c}; the other side managed {q}.", "Two of the {w} {c} came late."])
    return [_case_as(gold, _reasoning(rng) + f"There were {written} {plural}.", 1, "the count", question),
            _case_as(gold, _reasoning(rng) + bounded.format(w=written, c=plural, p=n - 1, q=n + 3), 0,
                     f"a bound, range or another number: {bounded!r}", question)]


def money_and_temperature(rng: random.Random) -> list[dict]:
    """An amount with its currency sign ($5, £5, US$5, $5 million) is the amount with its
    currency word (5 dollars); a bare amount against either is the amount; another currency or
    amount is wrong. A temperature with a degree sign (100 °C, 100°C) is the same in words
    (100 degrees Celsius); another scale is wrong."""
    n = rng.randint(2, 900)
    sign, word, other_sign = rng.choice([("$", "dollars", "£"), ("£", "pounds", "$"), ("€", "euros", "£")])
    scale = rng.choice(["", " million"])
    question = rng.choice(["How much did the painting sell for?", "What was the prize money?"])
    gold = rng.choice([f"{n}{scale} {word}", trivia_gold(f"{n}{scale} {word}"), f"{sign}{n}{scale}"])
    said = rng.choice([f"{sign}{n}{scale}", f"{n}{scale} {word}", f"US{sign}{n}{scale}" if sign == "$" else f"{sign}{n}{scale}"])
    t, t_word, t_other = rng.choice([(100, "Celsius", "F"), (212, "Fahrenheit", "C"), (37, "Celsius", "F")])
    hot = "At what temperature does the water boil in the experiment?"
    t_gold = rng.choice([f"{t} degrees {t_word}", f"{t} °{t_word[0]}", f"{t}°{t_word[0]}"])
    t_said = rng.choice([f"{t} °{t_word[0]}", f"{t}°{t_word[0]}", f"{t} degrees {t_word}", f"{t} \\degree {t_word[0]}"
                         if False else f"{t} degrees {t_word[0]}"])
    return [_case(gold, said, 1, "the amount with its currency", question, rng),
            _case(gold, f"{other_sign}{n}{scale}", 0, "another currency", question, rng),
            _case(gold, f"{sign}{n + rng.choice([1, 10, 100])}{scale}", 0, "another amount", question, rng),
            _case(t_gold, t_said, 1, "the temperature in another spelling", hot, rng),
            _case(t_gold, f"{t} °{t_other}", 0, "another scale", hot, rng)]


# --- round 3: shapes of whole replies (tests/test_grader_trivia_transcripts.py) -------------

# (question, answer) pairs a few-shot prompt holds and a base model goes on to write
NEXT_QUESTIONS = [("Who wrote the novel 'Emma'?", "Jane Austen"), ("What is the capital of Kenya?", "Nairobi"),
                  ("Which element has the symbol Fe?", "Iron"), ("Who painted 'Guernica'?", "Pablo Picasso"),
                  ("In which year did the Berlin Wall fall?", "1989")]


def few_shot_continuation(rng: random.Random) -> list[dict]:
    """A base model continuing a few-shot prompt answers, then writes the next question and
    its answer ("Canberra\n\nQuestion: Who wrote 'Emma'?\nAnswer: Jane Austen"): the reply
    is what comes before the next question, whatever that one's answer; a "Question:" line
    that restates this question (a chat model's layout) is no next question. "A: X" answers."""
    subject, gold_name, wrong = rng.choice(TOPICS)
    question = rng.choice(TOPIC_QUESTIONS).format(s=subject)
    gold = rng.choice([trivia_gold(gold_name), [gold_name], gold_name])
    label, marker = rng.choice([("Answer:", "Question:"), ("A:", "Q:"), ("Answer:", "Question 2:"), ("A:", "Q.")])
    next_question, next_answer = rng.choice(NEXT_QUESTIONS)
    head = rng.choice(["", " ", f"{label} "])
    cut = rng.choice(["", f"\n\n{marker}", "\n\n" + marker + " Which"])

    def continued(answer: str, later: str) -> str:
        return f"{head}{answer}\n\n{marker} {next_question}\n{label} {later}{cut}"
    chat = rng.choice(["**Question:** {q}\n**Answer:** {a}", "Question: {q}\n\nAnswer: {a}",
                       "Q: {q}\nA: **{a}**"])
    return [_case_as(gold, continued(gold_name, next_answer), 1, "the answer, then the next question", question),
            _case_as(gold, continued(wrong, gold_name), 0, "another answer; the gold answers the next question",
                     question),
            _case_as(gold, chat.format(q=question, a=gold_name), 1, "the question restated, then the answer", question),
            _case_as(gold, chat.format(q=question, a=wrong), 0, "the question restated, then another answer", question),
            _case_as(gold, f"{label} {gold_name}", 1, f"a bare '{label}' label", question)]


# (question, what the answer did, a place it did it in, a year): the place and year say where
# and when, not who
DEEDS = [("Who painted 'The Night Watch'?", "Rembrandt", "Frans Hals", "painted The Night Watch", "Amsterdam", 1642),
         ("Which English king was killed at the Battle of Bosworth Field?", "Richard III", "Henry VII",
          "was killed at the Battle of Bosworth Field", "Leicestershire", 1485),
         ("Who first reached the South Pole?", "Roald Amundsen", "Robert Falcon Scott", "first reached the South Pole",
          "Antarctica", 1911),
         ("Who painted the ceiling of the Sistine Chapel?", "Michelangelo", "Raphael",
          "painted the ceiling of the Sistine Chapel", "Rome", 1512),
         ("Which country won the 2018 FIFA World Cup?", "France", "Croatia", "won the 2018 FIFA World Cup", "Russia",
          2018)]


def circumstance_in_a_sentence(rng: random.Random) -> list[dict]:
    """A sentence that names the answer and says where, when or in whose work ("Richard III
    was killed at the Battle of Bosworth Field in 1485.", "... in Leicestershire", "In Enid
    Blyton's books, ...") answers with it; a date, a place after a preposition and a possessor
    are no second answer. The sentence naming another, or the gold only as a possessor or a
    place, does not."""
    question, answer, other, deed, place, year = rng.choice(DEEDS)
    gold = rng.choice([trivia_gold(answer), answer, [answer]])
    when = rng.choice([f" in {year}", f" in {place}", f" in {place} in {year}", f" in {year}, in {place}"])
    return [_case_as(gold, f"{answer} {deed}{when}.", 1, "the answer, where and when", question),
            _case_as(gold, f"{other} {deed}{when}.", 0, "another, where and when", question),
            _case_as(gold, f"{answer}'s rival {other} {deed}{when}.", 0, "the gold as a possessor", question),
            _case_as(gold, f"{other} {deed} while staying with {answer}.", 0, "the gold after a preposition",
                     question)]


# (question, a scene, the answer's sentence, gold, another of its kind)
SCENES = [("Who was the messenger of the gods in Greek mythology?", "In Greek mythology",
           "the messenger of the gods is {a}", "Hermes", "Apollo"),
          ("What is the name of the dog in the Famous Five books?", "In Enid Blyton's Famous Five books",
           "the dog is called {a}", "Timmy", "Scamper"),
          ("Which is the largest planet in the solar system?", "Of all the planets", "{a} is the largest",
           "Jupiter", "Saturn"),
          ("Who wrote the Harry Potter series?", "According to the publisher Bloomsbury",
           "the series was written by {a}", "J. K. Rowling", "Philip Pullman"),
          ("Which English king was killed at the Battle of Bosworth Field?", "In 1485",
           "{a} was killed at Bosworth Field", "Richard III", "Henry VI")]
# (question, the answer as a phrase with the question's preposition, another) where the
# scene is the answer
SCENE_ANSWERS = [("In which Shakespeare play do Rosencrantz and Guildenstern appear?", "Hamlet", "Macbeth",
                  "In {a}, Rosencrantz and Guildenstern are friends of the prince."),
                 ("In which year did the Titanic sink?", "1912", "1913", "In {a}, after striking an iceberg."),
                 ("Which novel features the character Heathcliff?", "Wuthering Heights", "Jane Eyre",
                  "In {a}, Heathcliff is a foundling taken in by the Earnshaws.")]


def scene_before_the_answer(rng: random.Random) -> list[dict]:
    """A phrase that sets the scene before the main clause ("In Greek mythology, the messenger
    of the gods is Hermes.", "Of all the planets, ...", "According to ..., ...", "In 1485, ...")
    is read past; where its preposition is the question's, or it holds the year a question asks
    for, it is the answer ("In Hamlet, ..." for "In which play ...?")."""
    question, scene, sentence, answer, other = rng.choice(SCENES)
    gold = rng.choice([trivia_gold(answer), answer])
    bold = rng.choice(["{a}", "**{a}**"])
    said = f"{scene}, {sentence.format(a=bold)}."
    a_question, a_answer, a_other, a_sentence = rng.choice(SCENE_ANSWERS)
    a_gold = rng.choice([trivia_gold(a_answer), a_answer])
    return [_case_as(gold, _reasoning(rng) + said.format(a=answer), 1, f"a scene, then the answer: {scene!r}", question),
            _case_as(gold, _reasoning(rng) + said.format(a=other), 0, f"a scene, then another: {scene!r}", question),
            _case_as(a_gold, a_sentence.format(a=a_answer), 1, "the scene is the answer", a_question),
            _case_as(a_gold, a_sentence.format(a=a_other), 0, "the scene is another answer", a_question)]


def correction_and_stress(rng: random.Random) -> list[dict]:
    """A reply corrected in its own words ("The capital of Australia is Sydney.\n\nActually,
    I need to correct myself: the capital of Australia is Canberra.", "Sydney. Wait, no — it's
    actually Canberra.") answers with the correction; a stressed answer ("It's actually
    Canberra.", "The capital is in fact Canberra.") is the answer; doubt before a "but" ("I'm
    not sure, but I think it's Canberra.") is a hedge."""
    subject, gold_name, wrong = rng.choice(TOPICS)
    question = rng.choice(TOPIC_QUESTIONS).format(s=subject)
    gold = rng.choice([trivia_gold(gold_name), [gold_name], gold_name])
    fix = rng.choice(["Actually, I need to correct myself: the {s} is {a}.", "Let me correct that: the {s} is {a}.",
                      "Correction: the {s} is {a}, not {b}."])
    stress = rng.choice(["It's actually {a}.", "The {s} is actually {a}.", "The {s} is in fact {a}.",
                         "The {s} is {b}. Wait, no — it's actually {a}."])
    doubt = rng.choice(["I'm not sure, but I think it's {a}.", "I'm not entirely certain, but I believe it's {a}.",
                        "Not 100% sure, but the {s} is {a}."])

    def fill(form: str, a: str, b: str) -> str:
        return form.format(s=subject, a=a, b=b)
    return [_case_as(gold, f"The {subject} is {wrong}.\n\n{fill(fix, gold_name, wrong)}", 1, f"corrected: {fix!r}",
                     question),
            _case_as(gold, f"The {subject} is {gold_name}.\n\n{fill(fix, wrong, gold_name)}", 0,
                     f"corrected away from the gold: {fix!r}", question),
            _case_as(gold, fill(stress, gold_name, wrong), 1, f"stressed: {stress!r}", question),
            _case_as(gold, fill(stress, wrong, gold_name), 0, f"another stressed: {stress!r}", question),
            _case_as(gold, fill(doubt, gold_name, wrong), 0, f"doubt before but: {doubt!r}", question)]


def alternative_in_an_aside(rng: random.Random) -> list[dict]:
    """Another answer offered as possible in an aside ("Lima (though it could be Cusco)", "Lima
    (Cusco is also possible)", "Lima — though it might also be Cusco") commits to nothing; an
    aside that sets the other aside, reports it or remarks on the answer keeps it."""
    subject, gold_name, wrong = rng.choice(TOPICS)
    question = rng.choice(TOPIC_QUESTIONS).format(s=subject)
    gold = rng.choice([trivia_gold(gold_name), [gold_name], gold_name])
    offered = rng.choice(["{a} (though it could be {b})", "{a} (it might also be {b})", "{a} ({b} is also possible)",
                          "{a} (alternatively {b})", "{a} — though it could also be {b}", "{a} (or it may be {b})",
                          "{a} ({b} is also plausible)", "{a} (another possibility is {b})"])
    kept = rng.choice(["{a} (not {b})", "{a} (some say {b})", "{a} (which may be surprising)",
                       "{a} (often confused with {b})"])
    return [_case(gold, offered.format(a=gold_name, b=wrong), 0, f"another offered: {offered!r}", question, rng),
            _case(gold, offered.format(a=wrong, b=gold_name), 0, f"the gold offered: {offered!r}", question, rng),
            _case(gold, kept.format(a=gold_name, b=wrong), 1, f"an aside that keeps it: {kept!r}", question, rng),
            _case(gold, kept.format(a=wrong, b=gold_name), 0, f"an aside that keeps another: {kept!r}", question, rng)]


def anothers_answer_statement(rng: random.Random) -> list[dict]:
    """"The answer is X" in someone else's words, as a mistake or as an alternative ("Many
    people think the answer is X. However, it's Y.", "A common wrong answer is X", "Note:
    another possible answer is X") is not the reply's own, which answers; one under a
    condition ("If you meant ..., the answer is X") does not replace an answer stated before
    it. The reply's own voice ("I think the answer is X", "the only possible answer") stays."""
    subject, gold_name, wrong = rng.choice(TOPICS)
    question = rng.choice(TOPIC_QUESTIONS).format(s=subject)
    gold = rng.choice([trivia_gold(gold_name), [gold_name], gold_name])
    reported = rng.choice(["Many people think the answer is {b}. However, it's {a}.",
                           "Some sources say the answer is {b}, but I believe it's {a}.",
                           "A common misconception is that the answer is {b}; in fact it is {a}.",
                           "It's tempting to say the answer is {b}, but it's actually {a}.",
                           "Final answer: {a}\n\nA common wrong answer is {b}.",
                           "**Answer:** {a}\n\n(The popular answer is {b}, which is a myth.)"])
    offered = rng.choice(["**Answer:** {a}\n\nNote: another possible answer is {b}.",
                          "The answer is {a}. If you meant the {s} in another sense, the answer is {b}.",
                          "Final answer: {a}\n\nAn alternative answer is {b}."])
    own = rng.choice(["I think the answer is {a}.", "The only possible answer is {a}.",
                      "If I had to choose, the answer is {a}.", "I'd say the answer is {a}."])

    def fill(form: str, a: str, b: str) -> str:
        return _reasoning(rng) + form.format(a=a, b=b, s=subject)
    return [_case_as(gold, fill(reported, gold_name, wrong), 1, f"its own after another's: {reported!r}", question),
            _case_as(gold, fill(reported, wrong, gold_name), 0, f"the gold only as another's: {reported!r}", question),
            _case_as(gold, fill(offered, wrong, gold_name), 0, f"the gold only offered: {offered!r}", question),
            _case_as(gold, fill(own, gold_name, wrong), 1, f"its own voice: {own!r}", question),
            _case_as(gold, fill(own, wrong, gold_name), 0, f"its own voice, another: {own!r}", question)]


# (a question for a work, publication or product, its title, a part of the title that is a
# name alone or the title in the other grammatical number)
TITLES = [
    ("Which Dickens novel features Fagin?", "Oliver Twist", "Twist"),
    ("Which Shakespeare play features Brutus and Cassius?", "Julius Caesar", "Caesar"),
    ("Which Fielding novel follows a foundling?", "Tom Jones", "Jones"),
    ("Which car maker builds the Defender?", "Land Rover", "Rover"),
    ("Which car did James Bond drive in Goldfinger?", "Aston Martin", "Martin"),
    ("Which painting hangs behind bulletproof glass in the Louvre?", "Mona Lisa", "Lisa"),
    ("Which Melville novel begins 'Call me Ishmael'?", "Moby Dick", "Dick"),
    ("Which film won the Best Picture Oscar for 1994?", "Forrest Gump", "Gump"),
    ("Which Mozart opera ends with the Commendatore's statue?", "Don Giovanni", "Giovanni"),
    ("Which horse won the Grand National three times in the 1970s?", "Red Rum", "Rum"),
    ("Which Italian car maker builds the Giulia?", "Alfa Romeo", "Romeo"),
    ("Which British newspaper was first published in 1785?", "The Times", "Time"),
    ("Which Hitchcock film has crows attacking Bodega Bay?", "The Birds", "The Bird"),
    ("Which Lloyd Webber musical is based on Old Possum's poems?", "Cats", "Cat"),
    ("Which Spielberg film features a great white shark?", "Jaws", "Jaw"),
    ("Which sitcom is set around the Central Perk coffee house?", "Friends", "Friend"),
]
# A question for a person that names a kind of work: the surname alone answers it.
TITLE_PEOPLE = [("Which film director made Jaws?", "Steven", "Spielberg"),
                ("Which opera composer wrote Don Giovanni?", "Wolfgang Amadeus", "Mozart"),
                ("Which novel's author created Fagin?", "Charles", "Dickens"),
                ("Which newspaper editor founded the Daily Mail?", "Alfred", "Harmsworth")]


def title_named_whole(rng: random.Random) -> list[dict]:
    """Where the question asks for a work, publication or product, its title is named whole
    and in its own number: Oliver Twist, not Twist; Land Rover, not Rover; The Times, not Time.
    Where it asks for a person who made one, the surname alone still answers."""
    question, title, part = rng.choice(TITLES)
    gold = rng.choice([trivia_gold(title), [title], title])
    person_question, given, surname = rng.choice(TITLE_PEOPLE)
    person = f"{given} {surname}"
    person_gold = rng.choice([trivia_gold(person), [person], person])
    return [_case(gold, _recase(title, rng), 1, "the whole title", question, rng),
            _case_as(gold, _reasoning(rng) + f"The answer is *{title}*.", 1, "the title in italics", question),
            _case(gold, _recase(part, rng), 0, "a part of the title, or its other number", question, rng),
            _case(person_gold, surname, 1, "the surname of a person who made a work", person_question, rng)]


def answer_before_a_condition(rng: random.Random) -> list[dict]:
    """An answer stated plainly (a restated topic, a bold line, a bare reply) and then
    another under a condition ("If you meant the ... in another sense, the answer is Y")
    answers with the first; a line that takes the first back ("Wait, no. If ...") does
    not. An answer for one case with another for the other ("X, if you mean ...; otherwise
    Y") commits to neither; a condition with no other answer keeps it."""
    subject, gold_name, wrong = rng.choice(TOPICS)
    question = rng.choice(TOPIC_QUESTIONS).format(s=subject)
    gold = rng.choice([trivia_gold(gold_name), [gold_name], gold_name])
    stated = rng.choice(["The {s} is **{a}**.", "**{a}**", "{a}", "It's {a}.", "The {s} is {a}."])
    condition = rng.choice(["If you meant the {s} in another sense, the answer is {b}.",
                            "If you are asking about the {s} in a wider sense, the answer is {b}.",
                            "If the question means the {s} by another measure, the answer is {b}."])
    split = rng.choice(["Answer: {a}, if you mean the {s} in the usual sense; otherwise {b}.",
                        "Answer: {a}, if you mean the {s} in the usual sense. Otherwise, {b}.",
                        "**Answer:** {a}, if you mean the {s} today; if not, {b}.",
                        "The answer is {a}, unless you count the {s} by another measure; else {b}."])
    kept = rng.choice(["Answer: {a}, if you mean the {s} today.",
                       "The answer is {a}, if you count the {s} in the usual sense."])

    def fill(form: str, a: str, b: str) -> str:
        return _reasoning(rng) + form.format(a=a, b=b, s=subject)
    then = "\n\n" + condition
    return [_case_as(gold, fill(stated + then, gold_name, wrong), 1, f"stated, then another under a condition: {stated!r}", question),
            _case_as(gold, fill(stated + then, wrong, gold_name), 0, f"another stated, then the gold under a condition: {stated!r}", question),
            _case_as(gold, fill("{b}\n\nWait, no. " + condition, wrong, gold_name), 1, "taken back for the gold under a condition", question),
            _case_as(gold, fill(split, gold_name, wrong), 0, f"the gold for one case, another otherwise: {split!r}", question),
            _case_as(gold, fill(split, wrong, gold_name), 0, f"another for one case, the gold otherwise: {split!r}", question),
            _case_as(gold, fill(kept, gold_name, wrong), 1, f"a condition with no other answer: {kept!r}", question),
            _case_as(gold, fill(kept, wrong, gold_name), 0, f"another under a condition: {kept!r}", question)]


def classes() -> dict[str, Callable[[random.Random], list[dict]]]:
    return {
        "alias_plus_descriptor": alias_with_descriptor,
        "different_entity_around_alias": different_entity_around_alias,
        "number_with_counter": counted_number,
        "number_with_unit": number_with_unit,
        "year_with_era": year_with_era,
        "regnal_number": regnal_number,
        "plural_singular": plural_or_singular,
        "surname_rule": surname_rule,
        "alias_order": alias_order,
        "nickname_is_no_person": nickname_is_no_person,
        "family_surname": family_surname,
        "topic_answer": topic_answer,
        "plain_surface": plain_surface,
        "date_in_the_year": date_in_the_year,
        "acronym": acronym,
        "title_of_a_ruler": title_of_a_ruler,
        "the_asked_kind_named": the_asked_kind_named,
        "place_named_by_the_question": place_named_by_the_question,
        "answer_in_a_sentence": answer_in_a_sentence,
        "relative_of_the_answer": relative_of_the_answer,
        "something_of_the_alias": something_of_the_alias,
        "corrected_reply": corrected_reply,
        "answer_then_explanation": answer_then_explanation,
        "markup_in_a_sentence": markup_in_a_sentence,
        "after_a_discourse_word": after_a_discourse_word,
        "doubted_answer": doubted_answer,
        "statement_of_what_it_is_not": statement_of_what_it_is_not,
        "contrast_in_a_sentence": contrast_in_a_sentence,
        "dates_and_counts_in_words": dates_and_counts_in_words,
        "taken_back_after_the_answer": taken_back_after_the_answer,
        "hedged_in_a_phrase": hedged_in_a_phrase,
        "not_this_but_that": not_this_but_that,
        "the_work_it_is_in": the_work_it_is_in,
        "middle_name_or_initial": middle_name_or_initial,
        "count_bounded_or_ranged": count_bounded_or_ranged,
        "money_and_temperature": money_and_temperature,
        "few_shot_continuation": few_shot_continuation,
        "circumstance_in_a_sentence": circumstance_in_a_sentence,
        "scene_before_the_answer": scene_before_the_answer,
        "correction_and_stress": correction_and_stress,
        "alternative_in_an_aside": alternative_in_an_aside,
        "anothers_answer_statement": anothers_answer_statement,
        "title_named_whole": title_named_whole,
        "answer_before_a_condition": answer_before_a_condition,
    }
