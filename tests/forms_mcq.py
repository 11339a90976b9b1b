"""Generated multiple-choice grading cases (the mmlu_pro and gpqa tasks share one grader): each
class draws a question with 4 to 10 options from vocabularies written here, renders the gold
choice in the forms models write it (a letter, the letter and its option text, the option
text alone, in a box, a statement, a bold line, under a heading) and near misses a person
would mark wrong (another letter, two letters, a letter the question does not offer, another
option's text, an answer left unfinished). Used by tests/test_grader_mcq_properties.py (a few
seeded draws in CI) and by bench/grading_properties.py (many draws, FP/FN per class).

A case is a plain dict: gold (as the gold column holds it), completion, expected, form (what
was rendered), question.
"""
from __future__ import annotations

import random
from decimal import Decimal
from typing import Callable

TASK = "mmlu_pro"
LETTERS = "ABCDEFGHIJ"

# option vocabularies: the options of one question are drawn from one list
OPTION_SETS = {
    "particles": ["Photon", "Gluon", "W boson", "Z boson", "Graviton", "Higgs boson", "Electron",
                  "Muon", "Neutrino", "Pion", "Kaon", "Proton"],
    "quantities": ["42 g", "3.5 m/s", "12 J", "0.25 mol", "7.8 N", "150 K", "2.2 kPa", "96 W",
                   "1.6 eV", "330 nm", "18 mL", "4.4 T"],
    "numbers": ["4", "6", "7", "9", "12", "15", "21", "0.5", "1.25", "-3", "100", "2.75"],
    "fractions": ["$\\frac{1}{2}$", "$\\frac{3}{4}$", "$\\frac{2}{3}$", "$\\frac{5}{8}$", "$\\sqrt{2}$",
                  "$2\\pi$", "$\\frac{\\pi}{4}$", "$e^{2}$", "$\\ln 3$", "$3\\sqrt{3}$"],
    # options that open with a word a letter could be read from: "A decrease", "I only"
    "statements": ["A decrease in pressure", "An increase in volume", "I only", "II and III only",
                   "It stays the same", "A shift to the left", "None of the above",
                   "All of the above", "It doubles", "It halves", "Both A and B", "Neither A nor B"],
    "phrases": ["The mitochondrion", "Oxidative phosphorylation", "Glycolysis", "The Krebs cycle",
                "Reverse transcription", "Meiosis II", "Osmosis", "Active transport",
                "Facilitated diffusion", "Endocytosis"],
}
STEMS = ["Which of the following is correct?", "Pick the best answer.",
         "What is the value asked for in the problem above?", "Which option fits best?"]
THINKING = ["", "<think>\nLet me weigh each option in turn.\n</think>\n\n",
            "<think>\nOption A seems unlikely. Option B is tempting, but let me check C and D.\n</think>\n",
            "I will go through the options one by one before answering.\n\n"]


def _question(rng: random.Random) -> tuple[str, list[str], str]:
    """A question with its options, and the style its option lines were written in."""
    kind = rng.choice(sorted(OPTION_SETS))
    pool = OPTION_SETS[kind]
    n = rng.randint(4, min(10, len(pool)))
    options = rng.sample(pool, n)
    style = rng.choice(["A. ", "A) ", "(A) ", "A: "])
    lines = [style.replace("A", letter) + text for letter, text in zip(LETTERS, options)]
    sep = rng.choice(["\n\n", "\nOptions:\n", "\n"])
    return f"{rng.choice(STEMS)}{sep}" + "\n".join(lines), options, style.strip()


def _gold(letter: str, rng: random.Random):
    """The gold as datasets hold it: a letter, sometimes spaced or bracketed, or an index."""
    return rng.choice([letter, letter, f" {letter} ", f"({letter})", LETTERS.index(letter)])


def _plain(option: str) -> str:
    """An option as written in prose: its LaTeX $...$ dropped."""
    return option.strip("$")


def _choice_forms(letter: str, option: str, rng: random.Random) -> list[tuple[str, str]]:
    """(name, text) of the ways a reply names a choice inside its final answer."""
    plain = _plain(option)
    return [
        ("letter", letter),
        ("(letter)", f"({letter})"),
        ("[letter]", f"[{letter}]"),
        ("lower-case (letter)", f"({letter.lower()})"),
        ("letter. option", f"{letter}. {plain}"),
        ("letter) option", f"{letter}) {plain}"),
        ("(letter) option", f"({letter}) {plain}"),
        ("letter: option", f"{letter}: {plain}"),
        ("option letter", f"option {letter}"),
        ("Option (letter)", f"Option ({letter})"),
        ("choice letter", f"choice {letter}"),
        ("letter because", f"{letter} because {rng.choice(['it fits', 'the others fail'])}"),
        ("letter (reason)", f"{letter} (the only one that fits)"),
        ("letter -- option", f"{letter} \u2014 {plain}"),
        ("letter = option", f"{letter} = {plain}"),
        ("letter -> option", f"{letter} \u2192 {plain}"),
    ]


def _text_forms(option: str) -> list[tuple[str, str]]:
    """The option's own text, as a model restates it instead of its letter."""
    plain = _plain(option)
    forms = [("option text", plain), ("option text, $...$", f"${plain}$")]
    if not any(c.isdigit() or c == "\\" for c in plain):  # words only: a unit's case is its prefix (mV, MV)
        forms.append(("option text, upper case", plain.upper()))
    if not any(c in plain for c in "\\{}^_"):  # \text{} holds words, never LaTeX
        forms.append(("option text, \\text{}", f"\\text{{{plain}}}"))
    return forms


def _statement(answer: str, rng: random.Random) -> tuple[str, str]:
    """``answer`` as the last statement of a reply, and the wrapper's name."""
    wrappers = [
        ("boxed", f"\\boxed{{{answer}}}"),
        ("$boxed$", f"The final answer is $\\boxed{{{answer}}}$."),
        ("boxed text", f"\\boxed{{\\text{{{answer}}}}}"),
        ("the answer is", f"The answer is {answer}."),
        ("the correct answer is bold", f"Therefore, the correct answer is **{answer}**."),
        ("Answer:", f"Answer: {answer}"),
        ("bold Answer:", f"**Answer:** {answer}"),
        ("bold final answer", f"**Final Answer: {answer}**"),
        ("heading", f"### Final Answer\n\n{answer}"),
        ("answer is: next line", f"So the answer is:\n\n{answer}"),
        ("bold last line", f"After checking every option:\n\n**{answer}**"),
    ]
    if any(c in answer for c in "\\{}^_"):  # \text{} holds words, never LaTeX
        wrappers = [w for w in wrappers if w[0] != "boxed text"]
    name, text = rng.choice(wrappers)
    return name, text


def _case(question: str, gold, answer: str, expected: int, form: str, rng: random.Random,
          before: str = "") -> dict:
    wrapper, text = _statement(answer, rng)
    return {"question": question, "gold": gold, "expected": expected,
            "completion": rng.choice(THINKING) + before + text,
            "form": f"{form} [{wrapper}]: {answer!r}"}


def _case_as(question: str, gold, completion: str, expected: int, form: str) -> dict:
    return {"question": question, "gold": gold, "expected": expected, "completion": completion,
            "form": form}


def _draw(rng: random.Random):
    question, options, style = _question(rng)
    right = rng.randrange(len(options))
    wrong = rng.choice([i for i in range(len(options)) if i != right])
    return question, options, LETTERS[right], LETTERS[wrong], _gold(LETTERS[right], rng)


def _distinct_text(options: list[str], index: int) -> bool:
    """Whether option ``index``'s text names it alone (no other option reads the same)."""
    norm = [_plain(o).lower().replace(" ", "") for o in options]
    return norm.count(norm[index]) == 1


# --- classes ----------------------------------------------------------------------------------

def letter_forms(rng: random.Random) -> list[dict]:
    """The gold letter in any of the ways a reply names a choice, in any final statement; the
    same form naming another offered letter is wrong."""
    question, options, right, wrong, gold = _draw(rng)
    name, text = rng.choice(_choice_forms(right, options[LETTERS.index(right)], rng))
    other_name, other = rng.choice(_choice_forms(wrong, options[LETTERS.index(wrong)], rng))
    return [_case(question, gold, text, 1, name, rng),
            _case(question, gold, other, 0, f"another letter, {other_name}", rng)]


def option_text(rng: random.Random) -> list[dict]:
    """The gold option's text alone, as written in the question (case, $...$, \\text{} aside),
    is its letter; another option's text is wrong."""
    question, options, right, wrong, gold = _draw(rng)
    i, j = LETTERS.index(right), LETTERS.index(wrong)
    cases = []
    if _distinct_text(options, i):
        name, text = rng.choice(_text_forms(options[i]))
        cases.append(_case(question, gold, text, 1, name, rng))
    if _distinct_text(options, j):
        name, text = rng.choice(_text_forms(options[j]))
        cases.append(_case(question, gold, text, 0, f"another option's {name}", rng))
    return cases


def hedge(rng: random.Random) -> list[dict]:
    """Two letters, one of them the gold, are a hedge: wrong. One letter alone is right."""
    question, options, right, wrong, gold = _draw(rng)
    pair = rng.sample([right, wrong], 2)
    joiner = rng.choice([", ", " or ", " and ", "/", " & "])
    wrap = rng.choice(["{}", "({})"])
    hedged = joiner.join(wrap.format(letter) for letter in pair)
    return [_case(question, gold, hedged, 0, f"two letters joined by {joiner.strip() or 'space'!r}", rng),
            _case(question, gold, wrap.format(right), 1, "one letter", rng)]


def letter_not_offered(rng: random.Random) -> list[dict]:
    """A letter past the question's last option is no choice: wrong, even where the question
    offers fewer options than MMLU-Pro's ten."""
    question, options, right, wrong, gold = _draw(rng)
    if len(options) == len(LETTERS):
        return [_case(question, gold, right, 1, "letter", rng)]
    beyond = rng.choice(LETTERS[len(options):])
    return [_case(question, gold, beyond, 0, "a letter the question does not offer", rng),
            _case(question, gold, right, 1, "letter", rng)]


def revised_answer(rng: random.Random) -> list[dict]:
    """A reply that names one letter and then settles on another is graded by its last
    statement."""
    question, options, right, wrong, gold = _draw(rng)
    first = f"At first glance the answer is {wrong}, but the units do not work out.\n\n"
    first_right = f"At first glance the answer is {right}, but the units do not work out.\n\n"
    remark = rng.choice([f"\n\nWhy not {wrong}: {wrong} is the correct formula only for ideal gases.",
                         f"\n\nNote that {wrong} is correct only when the units are ignored."])
    stated = rng.choice([f"\\boxed{{{right}}}", f"The answer is ({right}).", f"Answer: {right}"])
    return [_case(question, gold, right, 1, "wrong first, then the gold", rng, before=first),
            _case(question, gold, wrong, 0, "the gold first, then another letter", rng, before=first_right),
            _case_as(question, gold, rng.choice(THINKING) + stated + remark, 1,
                     f"the gold, then a remark on another option: {stated!r}")]


def letters_in_reasoning(rng: random.Random) -> list[dict]:
    """The final answer decides, not the letters the reasoning walks through before it; a
    reply that stops before any final answer (a thought never closed, a box never closed) has
    none."""
    question, options, right, wrong, gold = _draw(rng)
    walk = (f"Option {wrong} is tempting. Option {right} also fits the first condition. "
            f"Checking {wrong} again: it fails the second.\n\n")
    cases = [_case(question, gold, right, 1, "options discussed, then the gold", rng, before=walk),
             _case_as(question, gold, f"<think>\n{walk}So the answer is {right}", 0,
                      "the gold inside a thought that never closes"),
             _case_as(question, gold, f"{walk}Thus the answer is \\boxed{{{right}", 0,
                      "an unclosed box at the end")]
    return cases


# sentences that choose a letter without the word "answer is" (expected 1), and sentences that
# name the letter to set it aside (expected 0)
CHOOSING = ["{X} is the correct answer.", "Thus, option {X} is correct.", "The correct option is {X}.",
            "So the best choice is ({X}).", "I choose {X}.", "The right answer must be {X}.",
            "Final choice: {X}", "My answer: **{X}**", "Correct answer: ({X})", "Option {X} is the answer.",
            "The answer should be {X}.", "Hence ({X}) is right.", "I'd go with {X}.", "I would choose {X}.",
            "I'm going with option {X}.", "After checking all of them, I'd go with {X}.", "The correct one is {X}."]
SETTING_ASIDE = ["{X} is not the correct answer.", "The answer is not {X}.", "Option {X} is incorrect.",
                 "It cannot be {X}.", "So {X} is ruled out."]


def choosing_sentence(rng: random.Random) -> list[dict]:
    """A closing sentence that picks a letter in other words than "the answer is" chooses it;
    one that rules a letter out chooses nothing."""
    question, options, right, wrong, gold = _draw(rng)
    pick = rng.choice(CHOOSING)
    reject = rng.choice(SETTING_ASIDE)
    lead = rng.choice(THINKING)
    return [_case_as(question, gold, lead + pick.format(X=right), 1, f"choosing: {pick!r}"),
            _case_as(question, gold, lead + pick.format(X=wrong), 0, f"choosing another letter: {pick!r}"),
            _case_as(question, gold, lead + reject.format(X=right), 0, f"ruling the gold out: {reject!r}")]


ROMAN_SETS = [["I only", "II only", "III only", "I and II only", "I and III only", "II and III only",
               "I, II and III"]]
CLAIMS = ["The reaction is exothermic.", "Entropy increases.", "The rate doubles.", "The solution is acidic."]


def roman_numeral_statements(rng: random.Random) -> list[dict]:
    """Questions that list statements I, II, III and offer combinations: the reasoning's "I is
    true" or "statement I is correct" is about a statement, not option I; the choice is the
    final letter or the combination's own text."""
    claims = rng.sample(CLAIMS, 3)
    options = rng.sample(ROMAN_SETS[0], rng.randint(4, 7))
    stem = "Which of the statements are true?\n" + "\n".join(
        f"{numeral}. {claim}" for numeral, claim in zip(["I", "II", "III"], claims))
    question = stem + "\n\n" + "\n".join(f"{letter}. {text}" for letter, text in zip(LETTERS, options))
    right = rng.randrange(len(options))
    wrong = rng.choice([i for i in range(len(options)) if i != right])
    gold = _gold(LETTERS[right], rng)
    walk = rng.choice(["Statement I is correct. Statement II is incorrect. III is true as well.\n\n",
                       "I is correct, since heat is released. II is not.\n\n",
                       "Checking each: I is true; II is false; III is true.\n\n"])
    cases = [_case(question, gold, LETTERS[right], 1, "statements weighed, then the gold letter", rng, before=walk),
             _case(question, gold, LETTERS[wrong], 0, "statements weighed, then another letter", rng, before=walk),
             _case(question, gold, options[right], 1, "the combination's text", rng, before=walk),
             _case(question, gold, options[wrong], 0, "another combination's text", rng, before=walk)]
    # statement I weighed after the final answer is still about the statement (options A-G: no
    # option I to mistake it for)
    cases.append(_case_as(question, gold, rng.choice(THINKING) + f"The answer is {LETTERS[right]}.\n\n"
                          "Statement I is correct, which settles it.", 1,
                          "the gold, then a remark on statement I"))
    return cases


def gold_as_stored(rng: random.Random) -> list[dict]:
    """The gold as a letter, a bracketed letter or an answer index (MMLU-Pro's answer_index)
    means the same choice."""
    question, options, right, wrong, _ = _draw(rng)
    gold = rng.choice([right, f"({right})", right.lower(), LETTERS.index(right), str(LETTERS.index(right))])
    return [_case(question, gold, right, 1, f"gold {gold!r}", rng),
            _case(question, gold, wrong, 0, f"another letter against gold {gold!r}", rng)]


UNITS = ["m/s", "eV", "J", "kg", "mol/L", "Hz", "N", "K"]


def option_value(rng: random.Random) -> list[dict]:
    """Options that are values with a unit ("$2.5 \times 10^{-3}$ m/s"): the gold option's
    value in another notation (0.0025 m/s, 2.5e-3 m/s, boxed with or without the unit) is its
    letter; another option's value, the value in another unit or a value no option has is
    wrong."""
    unit = rng.choice(UNITS)
    exponents = rng.sample(range(-9, 9), 4)
    mantissas = [rng.choice(["1.2", "2.5", "3.0", "4.8", "6.4", "7.5", "9.1"]) for _ in exponents]
    values = [(m, e) for m, e in zip(mantissas, exponents)]
    options = [f"${m} \\times 10^{{{e}}}$ {unit}" for m, e in values]
    question = f"{rng.choice(STEMS)}\n\n" + "\n".join(f"{l}. {o}" for l, o in zip(LETTERS, options))
    right = rng.randrange(len(options))
    wrong = rng.choice([i for i in range(len(options)) if i != right])
    gold = _gold(LETTERS[right], rng)
    m, e = values[right]
    decimal = format(Decimal(m).scaleb(e).normalize(), "f")
    forms = [("the value in LaTeX", f"{m} \\times 10^{{{e}}}"),
             ("the value with \\text{unit}", f"{m} \\times 10^{{{e}}} \\text{{ {unit}}}"),
             ("e-notation with the unit", f"{m}e{e} {unit}"),
             ("the decimal with the unit", f"{decimal} {unit}"),
             ("the decimal alone", decimal)]
    name, text = rng.choice(forms)
    wm, we = values[wrong]
    missing = next(x for x in range(-12, 12) if x not in exponents)
    return [_case(question, gold, text, 1, name, rng),
            _case(question, gold, f"{wm} \\times 10^{{{we}}}", 0, "another option's value", rng),
            _case(question, gold, f"{decimal} k{unit}", 0, "the value in another unit", rng),
            _case(question, gold, f"{m} \\times 10^{{{missing}}}", 0, "a value no option has", rng)]



# A letter, then words that hedge it with or change it for another letter (expected 0), or that
# only explain it (expected 1).
SECOND_THOUGHTS = ["{X} (or possibly {Y})", "{X}, or maybe {Y}", "{X}; {Y} is also plausible", "{X}, possibly {Y}",
                   "{X}. Actually, no: {Y}", "{X}... wait, {Y}", "{X} - no, {Y}", "{X} \u2014 actually {Y}",
                   "{X}, no wait, {Y}", "{X} ({Y} if the other convention is used)",
                   # a negation that leaves the other letter open is still a hedge
                   "{X}, but I'm not sure; it could also be {Y}", "{X}, but {Y} cannot be ruled out",
                   "{X}, though {Y} is not excluded", "{X}; I am not certain, {Y} is possible too"]
KEPT = ["{X}, not {Y}", "{X} (the only one that fits)", "{X}, since {Y} fails the second condition",
        "{X}; {Y} is ruled out", "{X}; {Y} cannot be correct", "{X} (not {Y})",
        "{X}. The other options ({Y} included) are incorrect", "{X} and not {Y}"]
CHANGED_TO = ["{Y}... wait, {X}", "{Y} - no, {X}", "{Y}. Actually, no: {X}", "not {Y}, but {X}", "not {Y} but {X}",
              "not ({Y}); it is ({X})"]


def second_thoughts(rng: random.Random) -> list[dict]:
    """A final statement that names the gold letter and then hedges it with another ("C, or
    maybe D", "C (or possibly D)") or takes it back for another ("C... wait, D", "C - no, D")
    does not choose the gold; one whose words after the letter only explain it ("C, not D",
    "C; D is ruled out") does, and so does one that takes another letter back for the gold
    ("D... wait, C")."""
    question, options, right, wrong, gold = _draw(rng)
    hedged = rng.choice(SECOND_THOUGHTS).format(X=right, Y=wrong)
    kept = rng.choice(KEPT).format(X=right, Y=wrong)
    changed = rng.choice(CHANGED_TO).format(X=right, Y=wrong)
    lead = rng.choice(["The answer is {}.", "Answer: {}", "**Answer:** {}", "The correct answer is {}."])
    return [_case_as(question, gold, rng.choice(THINKING) + lead.format(hedged), 0,
                     f"the gold, then second thoughts: {lead.format(hedged)!r}"),
            _case_as(question, gold, rng.choice(THINKING) + lead.format(kept), 1,
                     f"the gold, then a reason: {lead.format(kept)!r}"),
            _case_as(question, gold, rng.choice(THINKING) + lead.format(changed), 1,
                     f"another letter taken back for the gold: {lead.format(changed)!r}")]


# Sentences that say a letter is correct only under a condition, or in someone else's opinion
# (expected 0), next to the same words as the reply's own conclusion (expected 1).
CONDITIONAL = ["If the particle were massless, option {X} is correct.",
               "For an ideal gas, option {X} is correct.",
               "Many students think that option {X} is the correct answer.",
               "A common mistake is to say option {X} is the answer.",
               "In older textbooks, option {X} is the answer.",
               "Someone might argue: {X} is the correct answer."]
CONCLUDING = ["Thus, option {X} is correct.", "Therefore option {X} is the answer.",
              "I choose {X}."]  # not after a colon: "Someone might argue: C is correct" is no choice


def reported_choice(rng: random.Random) -> list[dict]:
    """"If the particle were massless, option C is correct.", "Many students think that option
    C is the correct answer.", "A common mistake is to say option C is the answer.": a letter
    called correct under a condition or in someone else's words is no choice, also where it
    follows the reply's own final answer; the same words as the reply's conclusion choose it."""
    question, options, right, wrong, gold = _draw(rng)
    conditional = rng.choice(CONDITIONAL)
    concluding = rng.choice(CONCLUDING)
    lead = rng.choice(THINKING)
    return [_case_as(question, gold, lead + conditional.format(X=right), 0,
                     f"the gold called correct under a condition: {conditional!r}"),
            _case_as(question, gold, lead + f"The answer is {wrong}.\n\n" + conditional.format(X=right), 0,
                     f"another letter, then the gold under a condition: {conditional!r}"),
            _case_as(question, gold, lead + concluding.format(X=right), 1,
                     f"the gold as the conclusion: {concluding!r}"),
            _case_as(question, gold, lead + f"The answer is {right}.\n\n" + conditional.format(X=wrong), 1,
                     f"the gold, then another letter under a condition: {conditional!r}")]


# SI prefixes whose case is the difference: m is milli, M mega (a factor 10^9 apart).
PREFIXED_UNITS = [("meV", "MeV"), ("mW", "MW"), ("mHz", "MHz"), ("mPa", "MPa"), ("mJ", "MJ"), ("mV", "MV"),
                  ("mm", "Mm"), ("mL", "ML")]


def unit_prefix_case(rng: random.Random) -> list[dict]:
    """Options that are values with a unit whose prefix differs only in case from another
    unit's (meV, MeV): the answer with the other case is another quantity, wrong even where no
    option has it; with the option's own case it is that option's letter, also where the
    other case is another option."""
    small, large = rng.choice(PREFIXED_UNITS)
    unit, other = rng.sample([small, large], 2)
    value = rng.choice(["2", "4.5", "12", "0.8", "150", "3.2"])
    fillers = rng.sample([v for v in ["1", "6", "9", "25", "40", "0.3", "75"] if v != value], 3)
    options = [f"{value} {unit}"] + [f"{v} {unit}" for v in fillers]
    both = rng.random() < 0.5  # the other case is an option too
    if both:
        options[-1] = f"{value} {other}"
    order = rng.sample(range(len(options)), len(options))
    options = [options[i] for i in order]
    right = LETTERS[options.index(f"{value} {unit}")]
    question = f"{rng.choice(STEMS)}\n\n" + "\n".join(f"{l}. {o}" for l, o in zip(LETTERS, options))
    gold = _gold(right, rng)
    own = rng.choice([f"{value} {unit}", f"{value} \\text{{ {unit}}}", f"{value}\\,\\mathrm{{{unit}}}"])
    cases = [_case(question, gold, own, 1, "the value in the option's own unit", rng),
             _case(question, gold, f"{value} {other}", 0,
                   "the value with the prefix in the other case" + (" (another option)" if both else ""), rng)]
    return cases


def _question_of(options: list[str], rng: random.Random) -> str:
    style = rng.choice(["A. ", "A) ", "(A) ", "A: "])
    return f"{rng.choice(STEMS)}\n\n" + "\n".join(style.replace("A", l) + o for l, o in zip(LETTERS, options))


LONE = ["{X}", "({X})", "**{X}**", "{X}.", "{X}. {T}", "({X}) {T}", "**{X}) {T}**", "{X}, since the others fail",
        "{T}"]  # the option's text last: left out where it is not one option's alone
LAST_LINE = ["{X}", "**{X}**", "({X})", "{X}) {T}", "**{X}. {T}**"]


def bare_reply(rng: random.Random) -> list[dict]:
    """A reply with no answer statement that answers with its choice alone: a reply of one
    line (the letter, the letter and its option, the option's text, the letter and a reason),
    or a last line that is the letter or the letter and its option after some prose. Another
    letter is wrong; so is a reply that ends by listing the options (the last one is no
    choice) or with prose that names the gold."""
    question, options, right, wrong, gold = _draw(rng)
    i, j = LETTERS.index(right), LETTERS.index(wrong)
    lone = rng.choice(LONE if _distinct_text(options, i) and _distinct_text(options, j) else LONE[:-1])
    last = rng.choice(LAST_LINE)
    closed = rng.choice([t for t in THINKING if not t or "</think>" in t])  # the reply is one line
    prose = rng.choice(THINKING) + rng.choice(["The second condition rules most options out.\n\n",
                                               "Comparing the options against both conditions:\n\n",
                                               "Only one option is consistent with the data.\n\n"])
    listing = "\n".join(f"{l}. {_plain(o)}" for l, o in zip(LETTERS, options))
    cases = []
    for letter, index, expected in ((right, i, 1), (wrong, j, 0)):
        text = _plain(options[index])
        which = "the gold" if expected else "another choice"
        cases += [_case_as(question, gold, closed + lone.format(X=letter, T=text), expected,
                           f"a reply that is {which} alone: {lone!r}"),
                  _case_as(question, gold, prose + last.format(X=letter, T=text), expected,
                           f"prose, then {which} alone: {last!r}")]
    return cases + [_case_as(question, gold, prose + f"Option {right} is tempting.", 0,
                             "prose that names the gold, no choice"),
                    _case_as(question, LETTERS[len(options) - 1], closed + "The options are:\n" + listing, 0,
                             "a reply that lists the options, the gold last")]


# answer statements in the shapes of other model families and output formats
STATED = ['{{"answer": "{X}"}}', '```json\n{{"reasoning": "the others fail", "answer": "{X}"}}\n```',
          "\u7b54\u6848\u662f {X}\u3002", "\u7b54\u6848\uff1a{X}", "Answer: \\(\\text{{{X}}}\\)",
          "The answer to this question is {X}.", "Hence, option {X}.", "Therefore, ({X}).",
          "Option {X} ({T}) is correct.", "**Option {X}** is correct.",
          "Option {X} is correct, because it alone fits both conditions.", "The answer is {X} which is {T}.",
          "Answer: I think it's {X}"]
NOT_STATED = ["If I choose {X}, the units fail.\n\nSo the answer is {Y}.",
              "Option {X} is correct only if the gas is ideal. It is not, so the answer is {Y}.",
              "Should I pick {X}? No: the answer is {Y}.",
              "If the gas were ideal, I would choose {X}. It is not, so the answer is {Y}."]


def statement_shapes(rng: random.Random) -> list[dict]:
    """The answer stated in JSON, in Chinese (答案是 X), in \\(...\\), as "Hence, option X.",
    as "Option X (text) is correct" or with a reason after it, is that letter; "If I choose
    X, ..." and "X is correct only if ..." choose nothing, so the statement after them decides."""
    question, options, right, wrong, gold = _draw(rng)
    text = _plain(options[LETTERS.index(right)])
    stated = rng.choice(STATED)
    trap = rng.choice(NOT_STATED)
    lead = rng.choice(THINKING)
    return [_case_as(question, gold, lead + stated.format(X=right, T=text), 1, f"stated as {stated!r}"),
            _case_as(question, gold, lead + stated.format(X=wrong, T=_plain(options[LETTERS.index(wrong)])), 0,
                     f"another letter stated as {stated!r}"),
            _case_as(question, gold, lead + trap.format(X=right, Y=wrong), 0,
                     f"no choice, then another: {trap!r}"),
            _case_as(question, gold, lead + trap.format(X=wrong, Y=right), 1,
                     f"no choice, then the gold: {trap!r}")]


# "the answer is Y" in someone else's words, as a mistake or under a counterfactual: a remark
REPORTED = ["Note: a common mistake is to think the answer is {Y}.",
            "Many students think the answer is {Y}, but that ignores the second condition.",
            "If the gas were ideal, the answer is {Y}.", "The most tempting wrong answer is {Y}.",
            "Some textbooks say the answer is {Y}.", "The wrong answer is {Y}.",
            "The students' most common answer is {Y}.", "Some think that, in this case, the answer is {Y}."]
# the same words as the reply's own second thoughts: they replace the answer
REVISED = ["Wait, I think the answer is {Y}.", "On reflection, we can say the answer is {Y}.",
           "Hmm, option {X} is wrong, so the answer is {Y}."]


def reported_statement(rng: random.Random) -> list[dict]:
    """After the reply's own final answer, "the answer is Y" reported as someone else's view,
    a common mistake or a counterfactual does not replace it; the reply's own second thoughts
    ("Wait, I think the answer is Y") do."""
    question, options, right, wrong, gold = _draw(rng)
    own = rng.choice(["**Answer: {}**", "The answer is ({}).", "\\boxed{{{}}}", "Answer: {}"])
    remark = rng.choice(REPORTED)
    revised = rng.choice(REVISED)
    lead = rng.choice(THINKING)
    return [_case_as(question, gold, lead + own.format(right) + "\n\n" + remark.format(Y=wrong), 1,
                     f"the gold, then a remark: {remark!r}"),
            _case_as(question, gold, lead + own.format(wrong) + "\n\n" + remark.format(Y=right), 0,
                     f"another letter, then the gold in a remark: {remark!r}"),
            _case_as(question, gold, lead + own.format(wrong) + "\n\n" + revised.format(X=wrong, Y=right), 1,
                     f"another letter, then revised to the gold: {revised!r}"),
            _case_as(question, gold, lead + own.format(right) + "\n\n" + revised.format(X=right, Y=wrong), 0,
                     f"the gold, then revised to another: {revised!r}")]


def gold_as_text(rng: random.Random) -> list[dict]:
    """A gold column holding the correct option's text (GPQA's "Correct Answer"), alone or
    after its label, names that option's letter."""
    question, options, right, wrong, _ = _draw(rng)
    i = LETTERS.index(right)
    if not _distinct_text(options, i) or options[i].lstrip("-").replace(".", "").isdigit():
        # a number alone is read as an answer index (MMLU-Pro's answer_index), not as text
        return [_case(question, right, right, 1, "letter", rng)]
    text = options[i]
    gold = rng.choice([text, f" {text} ", f"{right}. {text}", f"({right}) {text}"])
    answer = rng.choice([right, f"({right})", _plain(text)])
    return [_case(question, gold, answer, 1, f"gold {gold!r}", rng),
            _case(question, gold, wrong, 0, f"another letter against gold {gold!r}", rng)]


WORDS_ONLY = [o for kind in ("particles", "phrases") for o in OPTION_SETS[kind] if not o.startswith("The ")]


def option_text_variants(rng: random.Random) -> list[dict]:
    """The option's text with an article ("the photon") or followed by its own letter
    ("Photon (B)", "Photon (option B)") names it; the text with another option's letter
    after it contradicts itself, and another option's text with an article is wrong."""
    options = rng.sample(WORDS_ONLY, rng.randint(4, 8))
    question = _question_of(options, rng)
    right, wrong = rng.sample(range(len(options)), 2)
    gold = _gold(LETTERS[right], rng)
    text, other = options[right], options[wrong]
    article = rng.choice(["the ", "The "] + (["an "] if text[0].lower() in "aeiou" else ["a "]))
    named = rng.choice([f"{article}{text.lower()}", f"{text} ({LETTERS[right]})",
                        f"{text} (option {LETTERS[right]})"])
    return [_case(question, gold, named, 1, f"the option's text: {named!r}", rng),
            _case(question, gold, f"the {other.lower()}", 0, "another option's text with an article", rng),
            _case(question, gold, f"{text} ({LETTERS[wrong]})", 0, "the text with another option's letter",
                  rng)]


def next_question(rng: random.Random) -> list[dict]:
    """A model continuing a few-shot prompt answers, then writes the next exam question and
    answers that too: the answer before the next "Question:" is the reply's; a reply that
    opens by restating the question answers after it, and one that restates this question
    after a first guess ("Question: <this question>") goes on answering it."""
    question, options, right, wrong, gold = _draw(rng)
    stated = rng.choice(["The answer is ({}).", "Answer: {}", "So the answer is {}."])
    follow = rng.choice(["Question: ", "Q: ", "Question 2: ", "**Question:** "]) + (
        "Which of these is a noble gas?\nOptions:\nA. Neon\nB. Sodium\nC. Iron\nD. Carbon\n"
        "Answer: Let's think step by step.\nNeon has a full shell. The answer is ({}).")
    lead = "Let's think step by step. " + rng.choice(["Only one option fits. ", "Checking each option. "])
    restated = f"Question: {rng.choice(STEMS)}\n\n{lead}The answer is ({right})."
    stem = question.split("\n", 1)[0]
    reread = rng.choice(["Question: ", "**Question:** ", "Q: "]) + stem + "\nRe-reading it, the first guess fails. "
    tentative = f"My first guess: the answer is {{}}.\n\n{reread}So the answer is {{}}."
    return [_case_as(question, gold, lead + tentative.format(wrong, right), 1,
                     "a first guess, then this question restated, then the gold"),
            _case_as(question, gold, lead + tentative.format(right, wrong), 0,
                     "the gold as a first guess, then this question restated, then another letter"),
            _case_as(question, gold, lead + stated.format(right) + "\n\n" + follow.format(wrong), 1,
                     "the gold, then the next question answered with another letter"),
            _case_as(question, gold, lead + stated.format(wrong) + "\n\n" + follow.format(right), 0,
                     "another letter, then the next question answered with the gold"),
            _case_as(question, gold, restated, 1, "the question restated, then the gold")]


def _walk_item(letter: str, option: str, rng: random.Random) -> str:
    """One option weighed in a walk through the options, as models head it."""
    head = rng.choice(["{X}. {T}", "**{X}. {T}**", "- **Option {X}**", "Option {X}", "**{T}**", "{T}", "({X}) {T}"])
    return head.format(X=letter, T=_plain(option)) + rng.choice([": ", " - "]) + rng.choice(
        ["it does not fit the second condition.", "this one needs a closer look.", "possible, but check the units."])


def truncated_walk(rng: random.Random) -> list[dict]:
    """A reply cut off (max tokens, no </think> in it) while it walks through the options has
    no answer, though its last line is the next option's label or text alone ("B", "**B",
    "Option B", "Photon"), or a heading after "Let me check option B."; after the whole walk,
    a last line with one option alone is the reply's choice."""
    question, options, right, wrong, gold = _draw(rng)
    k = rng.randrange(1, len(options))  # options weighed before the cut; the next is LETTERS[k]
    nxt, text = LETTERS[k], _plain(options[k])
    walk = "Let me weigh each option.\n\n" + rng.choice(["\n", "\n\n"]).join(
        _walk_item(LETTERS[i], options[i], rng) for i in range(k))
    sep = rng.choice(["\n", "\n\n"])
    cut = rng.choice(["{X}", "**{X}", "Option {X}", "**Option {X}", "({X})"]
                     + (["{T}", "**{T}"] if _distinct_text(options, k) else []))
    announce = rng.choice(["Let me check option {X}.", "Now let's look at option {X}:", "Next, let me examine {X}."])
    whole = "\n".join(_walk_item(LETTERS[i], options[i], rng) for i in range(len(options)))
    ending = rng.choice(["**{X}**", "({X})", "{X}"] + (["{T}"] if _distinct_text(options, LETTERS.index(right)) else []))
    pick = "Let me pick the one that fits:\n\n{X}"
    right_text, wrong_text = _plain(options[LETTERS.index(right)]), _plain(options[LETTERS.index(wrong)])
    return [_case_as(question, nxt, walk + sep + cut.format(X=nxt, T=text), 0,
                     f"a walk cut off at the next option: {cut!r}"),
            _case_as(question, nxt, walk + "\n\n" + announce.format(X=nxt) + "\n\n" + text, 0,
                     f"a walk cut off after announcing the next option: {announce!r}"),
            _case_as(question, gold, whole + "\n\n" + ending.format(X=right, T=right_text), 1,
                     f"the whole walk, then the gold alone: {ending!r}"),
            _case_as(question, gold, whole + "\n\n" + ending.format(X=wrong, T=wrong_text), 0,
                     f"the whole walk, then another option alone: {ending!r}"),
            _case_as(question, gold, pick.format(X=right), 1, "a pick announced, then the gold"),
            _case_as(question, gold, pick.format(X=wrong), 0, "a pick announced, then another letter")]


# the reply's own conclusion in words that also appear in reported answers (students,
# people, mistake, trap, if ... were), or after another's on the same line
OWN_FRAMING = ["Since the question is about what students observe, the answer is {X}.",
               "For most people's purposes, the answer is {X}.",
               "Correcting my mistake, the answer is {X}.",
               "Avoiding the common mistake of choosing {Y}, the answer is {X}.",
               "Without falling into the trap, the answer is {X}.",
               "If I had to choose, the answer is {X}.",
               "Even if the gas were ideal, the answer is {X}.",
               "Many believe the answer is {Y}. However, the answer is {X}.",
               "The answer is not {Y}; the correct answer is {X}.",
               "The answer is {Y} \u2014 no, that is incorrect; the answer is {X}."]


def own_statement_framing(rng: random.Random) -> list[dict]:
    """The reply's own last statement replaces its earlier one even where its clause speaks
    of students, people, a mistake, a trap or a condition ("Correcting my mistake, the answer
    is C", "If I had to choose, ...", "Even if ... were ..."), and where another's answer
    comes first on its line ("Many believe the answer is A. However, the answer is C")."""
    question, options, right, wrong, gold = _draw(rng)
    framing = rng.choice(OWN_FRAMING)
    first = rng.choice(["At first I thought the answer is {}. Let me recheck.\n\n", "The answer is {}.\n\nHmm.\n\n"])
    lead = rng.choice(THINKING)
    return [_case_as(question, gold, lead + first.format(wrong) + framing.format(X=right, Y=wrong), 1,
                     f"another letter, then the gold in the reply's own words: {framing!r}"),
            _case_as(question, gold, lead + first.format(right) + framing.format(X=wrong, Y=right), 0,
                     f"the gold, then another letter in the reply's own words: {framing!r}")]


# final statements in the shapes of round two: a modal, a dash, a thought on the last line
MODAL = ["The answer would be {X}.", "Answer - {X}", "Answer \u2014 {X}", "**Final Answer** \u2013 ({X})",
         "Answer = {X}", "I think it's {X}.", "So I think it is ({X}).", "I believe it's option {X}."]


def closing_shapes(rng: random.Random) -> list[dict]:
    """"The answer would be X.", "Answer - X" and "I think it's X." as the reply's last line
    state its choice; "I think it's X" in passing (more reasoning after it, no answer) and
    "the answer would be X" under a counterfactual before the reply's own choice do not."""
    question, options, right, wrong, gold = _draw(rng)
    shape = rng.choice(MODAL)
    prose = rng.choice(THINKING) + rng.choice(["Only one option survives both checks.\n\n", ""])
    passing = f"I think it's {right}. Let me check the units again.\n\nThe first term has units of energy"
    conditional = f"If the gas were ideal, the answer would be {right}.\n\n{wrong}"
    return [_case_as(question, gold, prose + shape.format(X=right), 1, f"closing with {shape!r}"),
            _case_as(question, gold, prose + shape.format(X=wrong), 0, f"another letter closing with {shape!r}"),
            _case_as(question, gold, passing, 0, "'I think it's X' in passing, no answer"),
            _case_as(question, gold, conditional, 0, "the gold under a counterfactual, then another letter")]


def option_text_number(rng: random.Random) -> list[dict]:
    """An option's text in the plural ("Photons" for "Photon") names it; another option's in
    the plural is wrong; a letter followed by another option's text ("(A) Photon" where Photon
    is B) contradicts itself: no choice, whichever of the two is the gold."""
    options = rng.sample([o for o in WORDS_ONLY if not o.endswith("s")], rng.randint(4, 8))
    question = _question_of(options, rng)
    right, wrong = rng.sample(range(len(options)), 2)
    text, other = options[right], options[wrong]
    plural = rng.choice([text + "s", (text + "s").lower(), "the " + (text + "s").lower()])
    mixed = rng.choice(["({L}) {T}", "{L}. {T}", "{L}) {T}", "**{L}. {T}**"])
    return [_case(question, _gold(LETTERS[right], rng), plural, 1, f"the option's text in the plural: {plural!r}", rng),
            _case(question, _gold(LETTERS[right], rng), other + "s", 0, "another option's text in the plural", rng),
            _case(question, _gold(LETTERS[right], rng), mixed.format(L=LETTERS[wrong], T=text), 0,
                  f"another letter with the gold's text: {mixed!r}", rng),
            _case(question, _gold(LETTERS[wrong], rng), mixed.format(L=LETTERS[wrong], T=text), 0,
                  f"the gold letter with another option's text: {mixed!r}", rng)]


def inline_options(rng: random.Random) -> list[dict]:
    """Options written on the question's line ("(A) 4 (B) 6 (C) 8") are read: an option's
    text names its letter, another's is wrong, and a letter past the last option is none."""
    kind = rng.choice(["numbers", "particles", "quantities"])
    options = rng.sample(OPTION_SETS[kind], rng.randint(4, 6))
    joiner = rng.choice([" ", ", ", "; "])
    question = (rng.choice(STEMS) + rng.choice([" ", "\nChoices: "])
                + joiner.join(f"({l}) {o}" for l, o in zip(LETTERS, options)))
    right, wrong = rng.sample(range(len(options)), 2)
    gold = _gold(LETTERS[right], rng)
    return [_case(question, gold, options[right], 1, "the option's text, options inline", rng),
            _case(question, gold, options[wrong], 0, "another option's text, options inline", rng),
            _case(question, gold, LETTERS[right], 1, "the letter, options inline", rng),
            _case(question, gold, LETTERS[len(options)], 0, "a letter past the last inline option", rng)]


# --- round three: shapes read off whole transcripts ----------------------------------------

MONEY = ["$18.00", "$16.00", "$20.00", "$72.00", "$12.50", "$6.00", "$9.00", "$14.40", "$1,200", "$36.00"]
PERCENT = ["8%", "10%", "12.5%", "14%", "2.5%", "30%", "45%", "0.5%"]


def escaped_values(rng: random.Random) -> list[dict]:
    """Options that are amounts of money or percentages (MMLU-Pro's business and economics):
    the answer in LaTeX, where $ and % are escaped (\\$18.00, 12.5\\%), or without them, is
    that option; another option's amount, escaped the same way, is wrong."""
    options = rng.sample(rng.choice([MONEY, PERCENT]), rng.randint(4, 8))
    question = _question_of(options, rng)
    right, wrong = rng.sample(range(len(options)), 2)
    gold = _gold(LETTERS[right], rng)

    def latex(option: str) -> str:
        escaped = option.replace("$", "\\$").replace("%", "\\%")
        return rng.choice([escaped, f"\\text{{{escaped}}}", option.strip("$%")])
    return [_case(question, gold, latex(options[right]), 1, "the option's amount in LaTeX", rng),
            _case(question, gold, latex(options[wrong]), 0, "another option's amount in LaTeX", rng)]


# words after the letter that neither name nor hedge another option (expected 1)...
TAILS = [" for the reasons above", " in this case", " here", "? Let me verify... yes", "<|im_end|>",
         "<|eot_id|>", " based on the analysis", "!"]
# ... and words that join another letter to it (expected 0)
JOINED = ["{X} and {Y} together", "{X} plus {Y}", "{X} and {Y} are both right",
          "{X} or {Y}, depending on the convention"]


def words_after_letter(rng: random.Random) -> list[dict]:
    """"The answer is C for the reasons above", "Answer: C<|im_end|>": a letter other than A
    and I (words of their own) followed by words that are no option's text is that letter;
    the same words after another letter are wrong, and a letter joined to another ("C and D
    together", "C plus D") chooses neither."""
    question, options, right, wrong, gold = _draw(rng)
    pick = rng.choice([i for i in range(len(options)) if LETTERS[i] not in "AI"])
    tail = rng.choice(TAILS)
    lead = rng.choice(["The answer is {}.", "Answer: {}", "So the correct answer is {}."])
    joined = rng.choice(JOINED)
    other = rng.choice([i for i in range(len(options)) if i != pick])
    text = lead.format("{X}" + tail).replace("!.", "!")
    return [_case_as(question, LETTERS[pick], rng.choice(THINKING) + text.format(X=LETTERS[pick]), 1,
                     f"the gold, then words: {text!r}"),
            _case_as(question, LETTERS[pick], rng.choice(THINKING) + text.format(X=LETTERS[other]), 0,
                     f"another letter, then words: {text!r}"),
            _case_as(question, gold, rng.choice(THINKING) + lead.format(joined.format(X=right, Y=wrong)), 0,
                     f"the gold joined to another: {joined!r}")]


# the letter, then reasons that name the other letters (expected 1) or leave one open (expected 0)
EXPLAINED = ["{X}, since options {O} all fail the second condition", "{X} because it alone fits, unlike {Y}",
             "{X}. Options {O} ignore the boundary term", "{X}, as {Y} has the wrong sign",
             "{X}; {Y} is only a distractor", "{X} (whereas {Y} describes the reverse process)"]
LEFT_OPEN = ["{X}. {Y} is also possible", "{X}, with {Y} being a possibility", "{X}; {Y} may be right too",
             "{X}. {Y} is correct as well", "{X}, though {Y} is likely under other assumptions"]


def explained_choice(rng: random.Random) -> list[dict]:
    """A final statement whose reason names other letters ("C, since options A, B and D fail",
    "C because ..., unlike B", "C. Options A and D ignore ...") chooses its letter; one whose
    other letter is left open or called right too ("C. D is also possible") hedges."""
    question, options, right, wrong, gold = _draw(rng)
    rest = [l for l in LETTERS[:len(options)] if l != right][:3]
    others = ", ".join(rest[:-1]) + " and " + rest[-1]
    reason, hedge = rng.choice(EXPLAINED), rng.choice(LEFT_OPEN)
    lead = rng.choice(["The answer is {}.", "Answer: {}", "**Answer: {}**", "The correct answer is {}."])
    return [_case_as(question, gold, rng.choice(THINKING) + lead.format(reason.format(X=right, Y=wrong, O=others)), 1,
                     f"the gold, then reasons naming other letters: {reason!r}"),
            _case_as(question, gold, rng.choice(THINKING) + lead.format(reason.format(X=wrong, Y=right, O=others)), 0,
                     f"another letter, then reasons naming the gold: {reason!r}"),
            _case_as(question, gold, rng.choice(THINKING) + lead.format(hedge.format(X=right, Y=wrong)), 0,
                     f"the gold, then another left open: {hedge!r}")]


def opening_choice(rng: random.Random) -> list[dict]:
    """A short reply with no statement whose first line is its choice alone (or opens in bold
    with it) and whose other lines explain it answers with that choice, however many other
    letters the explanation names; a first line taken back or left open later, or one that
    opens a walk through the options (the next option follows), does not choose the gold."""
    question, options, right, wrong, gold = _draw(rng)
    i = LETTERS.index(right)
    rest = [l for l in LETTERS[:len(options)] if l != right]
    first = rng.choice(["{X}", "**{X}**", "**{X}. {T}**", "({X}) {T}", "**{X}) {T}** \u2014 the only one that fits."])
    explain = rng.choice(["The others fail: " + ", ".join(rest) + " each break the second condition.",
                          "\n".join(f"- {l}: fails the second condition" for l in rest),
                          "It alone is consistent with the data."])
    open_ = rng.choice(["Hmm, it could also be {Y}.", "{Y} is possible too, though."])
    nxt = LETTERS[i + 1] if i + 1 < len(options) else None
    lead = rng.choice([t for t in THINKING if not t or "</think>" in t])

    def reply(letter: str, after: str) -> str:
        return lead + first.format(X=letter, T=_plain(options[LETTERS.index(letter)])) + "\n\n" + after
    cases = [_case_as(question, gold, reply(right, explain), 1, f"the gold first, then reasons: {first!r}"),
             _case_as(question, gold, reply(wrong, explain.replace(f" {wrong}", f" {right}")), 0,
                      f"another letter first, then reasons: {first!r}"),
             _case_as(question, gold, reply(right, open_.format(Y=wrong)), 0,
                      f"the gold first, then another left open: {open_!r}")]
    if nxt:
        cases.append(_case_as(question, gold, reply(right, f"it fails the second condition.\n\n{nxt}\n\nit"), 0,
                              "the gold heads a walk cut off at the next option"))
    return cases


CONDITIONS = ["if the question intended the reverse process", "if the question meant the limiting case",
              "unless the gas is treated as ideal", "if friction is included"]


def conditional_remark(rng: random.Random) -> list[dict]:
    """After the reply's own answer, "Note: if the question intended ..., the answer would be
    D" (any verb in the condition, or "unless"; "otherwise, the answer would be D") is a remark
    that keeps the answer; the same remark on the gold after another answer does not make
    the gold the answer."""
    question, options, right, wrong, gold = _draw(rng)
    cond = rng.choice(CONDITIONS)
    remark = rng.choice([f"Note: {cond}, the answer would be {{}}.",
                         f"{cond[0].upper() + cond[1:]}, the answer would be {{}}.",
                         "Otherwise, the answer would be {}."])
    own = rng.choice(["**Answer: {}**", "The answer is ({}).", "\\boxed{{{}}}", "Answer: {}"])
    lead = rng.choice(THINKING)
    return [_case_as(question, gold, lead + own.format(right) + "\n\n" + remark.format(wrong), 1,
                     f"the gold, then a conditional remark: {remark!r}"),
            _case_as(question, gold, lead + own.format(wrong) + "\n\n" + remark.format(right), 0,
                     f"another letter, then the gold in a conditional remark: {remark!r}")]


# --- round four: near misses in the shapes read so far ----------------------------------------

# GPQA's reagent and product questions: each option assigns a value to the question's unknowns
UNKNOWN_VALUES = ["phenol", "4-aminophenol", "benzoic acid", "cyclohexane-1,3-dione", "NaBH4", "LiAlH4", "H3O+",
                  "HCl", "2-methylbutan-2-ol", "cyclohexanone", "acetic anhydride", "KMnO4"]


def named_unknowns(rng: random.Random) -> list[dict]:
    """Options that assign the question's unknowns ("A = phenol, B = benzoic acid", each value
    shared by two options): the gold's assignments in any joining ("and", ";", ":") or its
    letter choose it; "A = <value>" names the unknown A, not option A, so one value alone (which
    two options share) or another option's assignments are wrong, whatever the gold letter."""
    values = rng.sample(UNKNOWN_VALUES, 4)
    pairs = [(a, b) for a in values[:2] for b in values[2:]]
    rng.shuffle(pairs)
    options = [f"A = {a}, B = {b}" for a, b in pairs]
    question = ("Identify the starting material A and the final product B of the reactions below.\n"
                "A + NaOH ---> B\n\n" + "\n".join(f"{l}. {o}" for l, o in zip(LETTERS, options)))
    right, wrong = rng.sample(range(4), 2)
    (a, b), (wa, wb) = pairs[right], pairs[wrong]
    joined = rng.choice(["A = {a} and B = {b}", "A = {a}; B = {b}", "A: {a}, B: {b}", "A = {a}, and B = {b}",
                         "A = {a}, B = {b}"])
    gold = rng.choice([_gold(LETTERS[right], rng), options[right]])
    # the near misses need a gold letter that an unknown's name could be read as
    unknown_gold = rng.choice([u for u in "AB" if u != LETTERS[wrong]] or ["A"])
    partial_gold, partial = rng.choice([("A", f"A = {a}"), ("B", f"B = {b}"), ("B", f"So B = {b}")])
    return [_case(question, gold, joined.format(a=a, b=b), 1, f"the gold's assignments: {joined!r}", rng),
            _case(question, gold, f"({LETTERS[right]}) " + joined.format(a=a, b=b), 1,
                  f"the gold letter, then its assignments: {joined!r}", rng),
            _case(question, gold, joined.format(a=wa, b=wb), 0, f"another option's assignments: {joined!r}", rng),
            _case(question, unknown_gold, joined.format(a=wa, b=wb), 0,
                  f"another option's assignments against a gold letter named like an unknown: {joined!r}", rng),
            _case(question, partial_gold, partial, 0,
                  f"one unknown's value alone, against the gold letter of its name: {partial!r}", rng)]


# another letter joined to the chosen one (expected 0), and a letter inside a word
JOINED_TO = ["{X} (and {Y})", "{X}, and {Y}", "{X} along with {Y}", "{X} together with {Y}", "{X} in addition to {Y}",
             "{X} vs {Y}", "({X})({Y})", "[{X}][{Y}]", "{X} only if the gas is ideal; otherwise {Y}"]
COMPOUNDS = ["{X}-cells", "{X}-14", "{X}-glucose", "{X}-site", "{X}-factor"]


def joined_letters(rng: random.Random) -> list[dict]:
    """The gold joined to another letter ("B (and D)", "B along with D", "(B)(D)", "B only if
    ...; otherwise D") chooses neither; a letter that opens a hyphenated word ("B-cells",
    "C-14") is part of that word, no choice, while the letter hyphened to its own option's text
    ("B-Gluon") is that letter."""
    question, options, right, wrong, gold = _draw(rng)
    joined = rng.choice(JOINED_TO)
    compound = rng.choice(COMPOUNDS)
    own = f"{right}-{_plain(options[LETTERS.index(right)])}"
    cases = [_case(question, gold, joined.format(X=right, Y=wrong), 0, f"the gold joined to another: {joined!r}", rng),
             _case(question, gold, compound.format(X=right), 0, f"the gold letter opening a word: {compound!r}", rng),
             _case(question, gold, right, 1, "the letter alone", rng)]
    if _distinct_text(options, LETTERS.index(right)) and not _plain(options[LETTERS.index(right)])[0] in "-+":
        cases.append(_case(question, gold, own, 1, "the letter hyphened to its own option's text", rng))
    return cases


COUNTERFACTUAL = ["The answer would be {Y} if the gas were ideal.", "Note: the answer would be {Y} only if we had "
                  "ignored friction.", "The answer is {Y} if the particle were massless.",
                  "(The correct answer would be {Y} if the reaction were reversible.)"]


def counterfactual_after(rng: random.Random) -> list[dict]:
    """After the reply's own answer, "the answer would be Y if the gas were ideal" (the condition
    after the letter, contrary to fact: were, had) is a remark that keeps the answer; the same
    remark on the gold after another answer does not make the gold the answer."""
    question, options, right, wrong, gold = _draw(rng)
    remark = rng.choice(COUNTERFACTUAL)
    own = rng.choice(["**Answer: {}**", "The answer is ({}).", "\\boxed{{{}}}", "Answer: {}"])
    lead = rng.choice(THINKING)
    return [_case_as(question, gold, lead + own.format(right) + "\n\n" + remark.format(Y=wrong), 1,
                     f"the gold, then a counterfactual remark: {remark!r}"),
            _case_as(question, gold, lead + own.format(wrong) + "\n\n" + remark.format(Y=right), 0,
                     f"another letter, then the gold in a counterfactual remark: {remark!r}")]


# another letter right only under a condition contrary to fact, or under an open one
CONTRARY_TO_FACT = ["If the question were about the weak force, {Y} would be right.",
                    "Had we ignored friction, {Y} would be correct.",
                    "({Y} would be the answer if the gas were ideal.)",
                    "{Y} could fit only if the sample had been heated."]
OPEN_CONDITION = ["If the question means the weak force, {Y} is right.",
                  "{Y} would fit if the sample is heated.",
                  "It could also be {Y}, if the data hold."]


def counterfactual_other_letter(rng: random.Random) -> list[dict]:
    """After the choice (a statement, or a reply opening with it), another letter said to be
    right under a condition contrary to fact is a remark that keeps the choice; under an open
    condition it leaves the other letter open (no choice); the remark on the gold after
    another choice does not make the gold the answer."""
    question, options, right, wrong, gold = _draw(rng)
    remark, open_remark = rng.choice(CONTRARY_TO_FACT), rng.choice(OPEN_CONDITION)
    if rng.random() < 0.5:  # the remark in the statement's sentence after it, or below it
        own, lead, sep = "The answer is {}.", rng.choice(THINKING), rng.choice([" ", "\n\n"])
    else:  # a reply that opens with its choice alone (after thinking) and explains it below
        own, lead, sep = rng.choice(["{}", "**{}**", "({})"]), rng.choice(THINKING[:3]), "\n\n"
    cases = [_case_as(question, gold, lead + own.format(right) + sep + remark.format(Y=wrong), 1,
                      f"the gold, then a contrary-to-fact remark: {remark!r}"),
             _case_as(question, gold, lead + own.format(wrong) + sep + remark.format(Y=right), 0,
                      f"another letter, then the gold in a contrary-to-fact remark: {remark!r}")]
    if sep == " " or own != "The answer is {}.":  # a remark on a later line after a statement is not read
        cases.append(_case_as(question, gold, lead + own.format(right) + sep + open_remark.format(Y=wrong), 0,
                              f"the gold, then another letter under an open condition: {open_remark!r}"))
    return cases


TAKE_BACKS = ["Actually, {}.", "Wait, actually it's {}.", "Hmm, actually, I think it's {}.",
              "Wait, no \u2014 it's {}.", "Sorry, {}.", "No, {}."]


def later_take_back(rng: random.Random) -> list[dict]:
    """A final statement, even a hedged one, taken back on a later line ("Actually, C.") is
    the letter that line gives; a later line that only remarks on a letter keeps the statement."""
    question, options, right, wrong, gold = _draw(rng)
    first = rng.choice(["**Answer: {}**", "The answer is {}.", "\\boxed{{{}}}", "The answer is {}, or maybe {}."])
    take_back = rng.choice(TAKE_BACKS)
    lead = rng.choice(THINKING)
    third = rng.choice([letter for letter in LETTERS[:len(options)] if letter not in (right, wrong)])

    def reply(said: str, changed_to: str) -> str:
        return lead + first.format(said, third) + "\n\n" + take_back.format(changed_to)
    remark = rng.choice(["Actually, {} is wrong: it fails the test.", "Wait, {} is ruled out as shown."])
    own = first.split(",")[0] + ("." if "maybe" in first else "")  # no hedge: the remark keeps it
    return [_case_as(question, gold, reply(wrong, right), 1, f"another letter taken back for the gold: {take_back!r}"),
            _case_as(question, gold, reply(right, wrong), 0, f"the gold taken back for another: {take_back!r}"),
            _case_as(question, gold, lead + own.format(right) + "\n\n" + remark.format(wrong), 1,
                     f"a later remark setting another letter aside: {remark!r}")]


def classes() -> dict[str, Callable[[random.Random], list[dict]]]:
    return {
        "letter_forms": letter_forms,
        "option_text": option_text,
        "hedge": hedge,
        "letter_not_offered": letter_not_offered,
        "revised_answer": revised_answer,
        "letters_in_reasoning": letters_in_reasoning,
        "gold_as_stored": gold_as_stored,
        "choosing_sentence": choosing_sentence,
        "roman_numeral_statements": roman_numeral_statements,
        "option_value": option_value,
        "second_thoughts": second_thoughts,
        "reported_choice": reported_choice,
        "unit_prefix_case": unit_prefix_case,
        "bare_reply": bare_reply,
        "statement_shapes": statement_shapes,
        "reported_statement": reported_statement,
        "gold_as_text": gold_as_text,
        "option_text_variants": option_text_variants,
        "next_question": next_question,
        "truncated_walk": truncated_walk,
        "own_statement_framing": own_statement_framing,
        "closing_shapes": closing_shapes,
        "option_text_number": option_text_number,
        "inline_options": inline_options,
        "escaped_values": escaped_values,
        "words_after_letter": words_after_letter,
        "explained_choice": explained_choice,
        "opening_choice": opening_choice,
        "conditional_remark": conditional_remark,
        "named_unknowns": named_unknowns,
        "joined_letters": joined_letters,
        "counterfactual_after": counterfactual_after,
        "counterfactual_other_letter": counterfactual_other_letter,
        "later_take_back": later_take_back,
    }
