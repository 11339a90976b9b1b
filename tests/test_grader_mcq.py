"""The multiple-choice plugin: adjudicated cases plus one focused test per rule."""

import pytest

from gnosis_core import plugins, registry
from gnosis_core.errors import Unverifiable

def _components(task_name):
    task = registry.get_task(task_name)
    found = plugins.components()
    return found.get("extractors", task.extractor), found.get("graders", task.grader)


def _label(task_name, question, completion, gold):
    extract, grade = _components(task_name)
    row = {"question": question, "completion": completion, "answer": gold}
    prediction = extract(completion, row)
    return int(prediction is not None and grade(prediction, gold, row) is True)


def test_science_is_gpqa():
    assert registry.get_task("science").name == "gpqa"
    extract, grade = _components("science")
    assert extract is not None and grade is not None


# --- extractor -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def extract():
    return _components("mmlu_pro")[0]


@pytest.fixture(scope="module")
def grade():
    return _components("mmlu_pro")[1]


@pytest.mark.parametrize("completion, expected", [
    ("<think>maybe \\boxed{A}</think>The result is \\boxed{D}.", "D"),
    ("\\boxed{A} first, then on reflection \\boxed{\\text{B}}", "\\text{B}"),
    ("<think>long reasoning, never finished", None),
    ("<think>x</think> so \\boxed{C", None),                   # unclosed box
    ("<think>x</think> \\boxed{}", None),
    ("<think>x</think>\nNo idea.", None),
    ("<think>Answer: A</think>\nFinal answer: G", "G"),          # only after </think>
    ("Answer: B\nWait, let me recheck.\nThe answer is (E).", "(E)"),
    ("**Answer:** C", "C"),
    ("The answer is **(C)**.", "(C)"),
    ("The correct answer is D because of entropy", "D because of entropy"),
])
def test_extractor(extract, completion, expected):
    assert extract(completion, {}) == expected


# --- grader ----------------------------------------------------------------------------

PAREN_Q = ("Which gas dominates the atmosphere?\n(A) Oxygen\n(B) Nitrogen\n"
           "(C) Argon\n(D) Carbon dioxide")
COLON_Q = "Pick the speed.\nA: 3 m/s\nB: $\\frac{1}{2}$ m/s\nC: 12\nD: 0.5"
RPAREN_Q = "Choose.\nA) A decrease in pressure\nB) An increase in pressure\nC) No change"
TEN_Q = "Q?\n" + "\n".join(f"{l}. option {l.lower()}" for l in "ABCDEFGHIJ")


@pytest.mark.parametrize("prediction", [
    "B", "b", "(B)", "[B]", "\\text{B}", "\\textbf{B}", "\\mathbf{B}", "**B**", "B.",
    "\\text{(B)}", "Option B", "B. Nitrogen", "(B) Nitrogen", "B) nitrogen",
    "B (it is about 78%)", "Nitrogen", "  nitrogen ", "\\text{Nitrogen}",
])
def test_maps_to_the_gold_letter(grade, prediction):
    assert grade(prediction, "B", {"question": PAREN_Q}) is True


@pytest.mark.parametrize("prediction", [
    "A", "Oxygen", "B, D", "B and D", "B or D", "(B) or (D)", "B/D", "A, B, and C",
    "D. Nitrogen",          # a letter with another option's text chooses neither
    "C. 2 b",               # a trailing token equal to the gold is no match
    "E",                    # not offered by a four-option question
    "Helium", "", "none of the above", "BD",
])
def test_wrong_or_unmappable(grade, prediction):
    assert grade(prediction, "B", {"question": PAREN_Q}) is False


def test_four_options_reject_e_even_as_gold(grade):
    with pytest.raises(Unverifiable, match="offered letters A-D"):
        grade("E", "E", {"question": PAREN_Q})


def test_option_value_maps_through_normalisation(grade):
    row = {"question": COLON_Q}
    assert grade("12", "C", row) is True
    assert grade("12.0", "C", row) is True
    assert grade("\\frac{1}{2} m/s", "B", row) is True
    assert grade("\\dfrac{1}{2}\\,m/s", "B", row) is True
    assert grade(".5", "D", row) is True
    assert grade("3", "A", row) is True           # the value of one option, its unit left out
    assert grade("3 km/s", "A", row) is False     # another unit names no option
    assert grade("3.0 \\text{ m/s}", "A", row) is True


def test_option_text_starting_with_a_letter_word(grade):
    row = {"question": RPAREN_Q}
    assert grade("An increase in pressure", "B", row) is True
    assert grade("A decrease in pressure", "A", row) is True
    assert grade("A decrease, surely", "A", row) is False  # prose, not a choice
    assert grade("A, since pressure drops", "A", row) is True
    assert grade("B because volume shrinks", "B", row) is True
    assert grade("I think so", "I", {"question": TEN_Q}) is False


def test_all_ten_letters_and_no_options(grade):
    assert grade("J", "J", {"question": TEN_Q}) is True
    assert grade("option j", "J", {"question": TEN_Q}) is True
    assert grade("J", "J", {"question": "A question without listed options"}) is True
    with pytest.raises(Unverifiable, match="A-J"):
        grade("K", "K", {"question": "A question without listed options"})


@pytest.mark.parametrize("gold", ["C", "c", " (C) ", "[C]", 2, 2.0, "2"])
def test_gold_forms(grade, gold):
    assert grade("C", gold, {"question": TEN_Q}) is True


@pytest.mark.parametrize("gold", [None, "", "CD", 10, -1, float("nan"), True, ["C"]])
def test_unusable_gold_is_unverifiable_with_a_reason(grade, gold):
    with pytest.raises(Unverifiable, match="is not one of the offered letters"):
        grade("C", gold, {"question": TEN_Q})


def test_stray_letter_lines_do_not_replace_the_options(grade):
    question = ("A. Smith measured the following.\nWhich value is largest?\n"
                "A. 1\nB. 5\nC. 3\nC. note: units are cm")
    assert grade("5", "B", {"question": question}) is True
    with pytest.raises(Unverifiable):
        grade("D", "D", {"question": question})


def test_option_parsing_is_cached():
    import gnosis_mcq

    gnosis_mcq._options.cache_clear()
    for _ in range(3):
        gnosis_mcq.grade("B", "B", {"question": PAREN_Q})
    info = gnosis_mcq._options.cache_info()
    assert info.misses == 1 and info.hits == 2


def test_row_may_be_a_pandas_series(grade):
    import pandas as pd

    row = pd.Series({"question": PAREN_Q, "answer": "B"})
    assert grade("Nitrogen", "B", row) is True
    assert grade("B", "B", None) is True          # no row: the A-J range


# --- final statements: line-bounded, the last well-formed one wins -----------------------

MASS_Q = "Which sample weighs the most?\nA. 12 g\nB. 42 g\nC. 7 g\nD. 3 g"


def _answer(text):
    return f"<think>\nWeighing each sample.\n</think>\n\n{text}"


@pytest.mark.parametrize("completion, letter", [
    # a statement ending its line takes the next line, which is itself a statement
    (_answer("Having compared them, the right answer is:\nThe answer is (A)."), "A"),
    (_answer("Comparing all four.\n\n## Final Answer:\nThe answer is (D)"), "D"),
    (_answer("Comparing all four.\n\n**Final answer**\n(C) 7 g"), "C"),
    # a heading, then the answer as a bold option line
    (_answer("Sample B is heaviest.\n\n### Final Answer\n**B. 42 g**"), "B"),
    (_answer("Sample D is lightest.\n\n### Final Answer:\n\n**A. 12 g**\n\nIt outweighs the rest."), "A"),
    (_answer("Sample B is heaviest.\n\n**B. 42 g**"), "B"),       # a bold last line
    (_answer('Answer: "D"'), "D"),                                   # quoted letters
    (_answer("Answer: 'A'."), "A"),
    (_answer("Answer: \u201cC\u201d"), "C"),
    (_answer("The answer is for sure C"), "C"),                      # filler words
    (_answer("The answer is most likely option (D)."), "D"),
    (_answer("The answer is (a)."), "A"),                            # lower case
    (_answer("So the answer is (d) 3 g"), "D"),
    # a later statement that names no letter does not replace a well-formed one
    (_answer("Answer: C\nThe answer is not what one would guess."), "C"),
    (_answer("\\boxed{D}\n\nThe answer is the heaviest sample."), "D"),
    # but a later well-formed one does, box or not
    (_answer("\\boxed{A}\n\nOn reflection, the answer is (B)."), "B"),
    (_answer("The answer is (B).\nHmm, no: \\boxed{C}"), "C"),
])
def test_final_statement_names_the_letter(completion, letter):
    row = {"question": MASS_Q}
    for gold in "ABCD":
        assert _label("mmlu_pro", MASS_Q, completion, gold) == (gold == letter), (gold, completion)
    assert _components("mmlu_pro")[0](completion, row) is not None


@pytest.mark.parametrize("completion", [
    _answer("The answer is:\n"),                             # nothing after the statement
    _answer("### Final Answer\n"),
    _answer("The answer is (B).\nWait, actually \\boxed{C"),  # truncated in the final box
])
def test_statement_without_an_answer_is_unparsed(extract, completion):
    assert extract(completion, {"question": MASS_Q}) is None


@pytest.mark.parametrize("completion", [
    _answer("\\boxed{A} and \\boxed{C}"),                     # two boxes of one statement: a hedge
    _answer("The answer is not B."),
    _answer("The answer is definitely a heavy one."),
    _answer("The answer is the best one, C or D"),
])
def test_hedges_and_prose_are_wrong(completion):
    assert all(_label("mmlu_pro", MASS_Q, completion, gold) == 0 for gold in "ABCD")


# --- replies without a usual final statement ---------------------------------------------

@pytest.mark.parametrize("completion, letter", [
    (_answer("B"), "B"),                                               # the reply is its choice alone
    (_answer("(b) 42 g"), "B"),
    (_answer("42 g"), "B"),
    ("C", "C"),
    (_answer("Sample B is heaviest.\n\n**B**"), "B"),                 # a last line that is the choice
    (_answer("Sample B is heaviest.\n\nB) 42 g"), "B"),
    (_answer("The options are:\nA. 12 g\nB. 42 g\nC. 7 g\nD. 3 g"), None),  # a list, not a choice
    (_answer("A is the lightest.\n\nD) 3 g is lighter still."), None),  # a last line of prose
    (_answer('{"answer": "C"}'), "C"),                                  # structured output
    (_answer("\u7b54\u6848\u662f D\u3002"), "D"),                      # 答案是 D。
    (_answer("Answer: \\(\\text{A}\\)"), "A"),
    (_answer("Hence, option (A)."), "A"),
    (_answer("Option B (42 g) is correct."), "B"),
    (_answer("The correct answer is not A, but B."), "B"),
    (_answer("The answer is 42 g (B)."), "B"),                          # the text, then its own letter
    (_answer("The answer is 42 g (C)."), None),                         # ... or another's: no choice
])
def test_reply_without_a_usual_statement(completion, letter):
    for gold in "ABCD":
        assert _label("mmlu_pro", MASS_Q, completion, gold) == (gold == letter), (gold, completion)


@pytest.mark.parametrize("completion, letter", [
    # "the answer is" in someone else's words, as a mistake or a counterfactual: a remark
    (_answer("**Answer: B**\n\nA common mistake is to think the answer is C."), "B"),
    (_answer("The answer is (B).\n\nMany students say the answer is A, but that ignores mass."), "B"),
    (_answer("\\boxed{B}\n\nIf the samples were wet, the answer is D."), "B"),
    (_answer("The wrong answer is C."), "C"),                           # the only statement still counts
    # the reply's own second thoughts replace its answer
    (_answer("The answer is (B).\n\nWait, I think the answer is D."), "D"),
    (_answer("The answer is (B).\n\nHmm, option B is wrong, so the answer is A."), "A"),
    # "I choose" starts its sentence: a conditional choice is none
    (_answer("If I choose C, the masses do not add up.\n\nB"), "B"),
    # a few-shot continuation: the next question's answer is not this one's
    ("Let's think step by step. The answer is (A).\n\nQuestion: What is 2+2?\nA. 3\nB. 4\n"
     "Answer: Let's think step by step. The answer is (B).", "A"),
])
def test_whose_statement_counts(completion, letter):
    for gold in "ABCD":
        assert _label("mmlu_pro", MASS_Q, completion, gold) == (gold == letter), (gold, completion)


@pytest.mark.parametrize("prediction, letter", [
    ("B, but I'm not sure; it could also be C", None),   # "not" that keeps C open: a hedge
    ("B, but C cannot be ruled out", None),
    ("B; C cannot be correct", "B"),
    ("B (not C)", "B"),
    ("B and not C", "B"),
])
def test_set_aside_is_read_per_sentence(grade, prediction, letter):
    for gold in "ABCD":
        assert grade(prediction, gold, {"question": MASS_Q}) is (gold == letter), (gold, prediction)


@pytest.mark.parametrize("gold", ["42 g", " 42 g ", "B. 42 g", "(B) 42 g"])
def test_gold_as_the_option_text(grade, gold):
    assert grade("B", gold, {"question": MASS_Q}) is True
    assert grade("A", gold, {"question": MASS_Q}) is False


def test_gold_text_that_names_no_option_is_unverifiable(grade):
    for gold in ["41 g", "A. 42 g", "42"]:
        with pytest.raises(Unverifiable):
            grade("B", gold, {"question": MASS_Q})


# --- round two: where a last line or a statement over-reached -------------------------------

@pytest.mark.parametrize("completion, letter", [
    # cut off (no </think>, max tokens) while walking through the options: no answer
    ("Let me weigh each option.\nA. 12 g: too light.\nB", None),
    ("Let me weigh each option.\n\n**A. 12 g**: too light.\n\n**B", None),
    ("Let me weigh each option.\n\n12 g - too light.\n\n42 g", None),
    ("Sample A is too light. Let me check option B.\n\n42 g", None),
    # after the whole walk, or after "Let me pick", the last line chooses
    ("A. 12 g: too light.\nB. 42 g: fits.\nC. 7 g: too light.\nD. 3 g: too light.\n\nB", "B"),
    ("Let me pick the one that fits:\n\nB", "B"),
    ("Let me double-check: only sample B fits.\n\n**B**", "B"),
    # the reply's own words around "students", "mistake", "if ... were"
    ("The answer is A.\n\nCorrecting my mistake, the answer is B.", "B"),
    ("The answer is A.\n\nIf I had to choose, the answer is B.", "B"),
    ("The answer is A.\n\nEven if the samples were wet, the answer is B.", "B"),
    ("Many believe the answer is A. However, the answer is B.", "B"),   # two statements on a line
    ("The answer is B.\n\nThe students' most common answer is A.", "B"),
    # the reply's own bare choice before a reported one
    ("If the samples were wet, the answer would be A.\n\nB", "B"),
    # closing shapes
    ("The answer would be B.", "B"), ("Answer - B", "B"), ("Answer \u2014 B", "B"),
    ("Only one sample fits.\n\nI think it's B.", "B"),
    ("I think it's B. Let me check the units again.\n\nThe first mass is", None),  # in passing
    # a first guess, then this very question restated: the reply goes on answering it
    ("My first guess: the answer is A.\n\nQuestion: Which sample weighs the most?\nSo the answer is B.", "B"),
])
def test_round_two_replies(completion, letter):
    for gold in "ABCD":
        assert _label("mmlu_pro", MASS_Q, completion, gold) == (gold == letter), (gold, completion)


@pytest.mark.parametrize("prediction, letter", [
    ("(A) 42 g", None),       # a letter and another option's text contradict: no choice
    ("C. 42 g", None),
    ("B. 42 g", "B"),
])
def test_letter_and_text_must_agree(grade, prediction, letter):
    for gold in "ABCD":
        assert grade(prediction, gold, {"question": MASS_Q}) is (gold == letter), (gold, prediction)


def test_plural_of_an_option_text(grade):
    row = {"question": "Which mediates electromagnetism?\n\nA. Gluon\nB. Photon\nC. Gas\nD. Ga"}
    assert grade("Photons", "B", row) is True
    assert grade("the photons", "B", row) is True
    assert grade("Gluons", "B", row) is False
    assert grade("Gas", "D", row) is False       # a short word is no plural of another


@pytest.mark.parametrize("question", ["Which is prime? (A) 4 (B) 6 (C) 7 (D) 9",
                                      "Which is prime?\nChoices: (A) 4, (B) 6, (C) 7, or (D) 9"])
def test_inline_options_are_read(grade, question):
    assert grade("7", "C", {"question": question}) is True
    assert grade("9", "C", {"question": question}) is False
    with pytest.raises(Unverifiable):
        grade("E", "E", {"question": question})


def test_a_stem_naming_items_is_no_option_run(grade):
    # options live elsewhere: every MMLU-Pro letter stays possible
    assert grade("F", "F", {"question": "Reactions (A) x, (B) y, (C) z are run.\nWhich product forms?"}) is True


# --- round three: whole transcripts ------------------------------------------------------

def test_escaped_money_and_percent(grade):
    money = {"question": "Interest?\nA. $18.00\nB. $16.00\nC. $1,200\nD. 12.5%"}
    assert grade("\\$18.00", "A", money) is True
    assert grade("\\text{\\$1,200}", "C", money) is True
    assert grade("12.5\\%", "D", money) is True
    assert grade("\\$16.00", "A", money) is False


@pytest.mark.parametrize("prediction, letter", [
    ("C for the reasons above", "C"), ("C? Let me verify", "C"), ("C<|im_end|>", "C"),
    ("C and D together", None), ("C is wrong", None),
    ("A for the reasons above", None),  # "A" and "I" are words: prose, not a letter
])
def test_words_after_a_letter(grade, prediction, letter):
    for gold in "ABCD":
        assert grade(prediction, gold, {"question": MASS_Q}) is (gold == letter), (gold, prediction)


def test_a_long_reply_that_opens_with_a_letter_is_reasoning(extract):
    reasoning = "A\n\n" + "The first mass is measured twice and averaged. " * 80
    assert extract(reasoning, {"question": MASS_Q}) is None
    assert extract("A\n\nThe first mass is the largest.", {"question": MASS_Q}) == "A"


def test_a_long_line_of_reasons_naming_other_letters_still_chooses(extract):
    """(bench/grader_long_replies.py times this shape: it once took seconds per row)"""
    line = "The answer is B, " + "since A, C and D each fail the second condition, " * 2000 + "unlike B."
    assert extract(line, {"question": MASS_Q}) is not None


# --- round four: near misses in the shapes read so far -------------------------------------

UNKNOWNS_Q = ("Identify the starting material A and the product B.\n"
              "A. A = 4-aminophenol, B = benzoic acid\nB. A = phenol, B = 4-aminophenol\n"
              "C. A = 4-aminophenol, B = phenol\nD. A = phenol, B = benzoic acid")


@pytest.mark.parametrize("prediction, letter", [
    ("A = phenol, B = benzoic acid", "D"), ("A = phenol and B = benzoic acid", "D"),
    ("A: phenol; B: benzoic acid", "D"), ("(D) A = phenol and B = benzoic acid", "D"), ("D", "D"),
    ("A = phenol", None),             # half an answer, and the unknown A, not option A
    ("So B = 4-aminophenol", None),
    ("A = phenol, B = phenol", None),  # no option assigns these
    ("(A) A = phenol, B = benzoic acid", None),  # the label and the assignments disagree
])
def test_options_naming_unknowns_compare_unknown_by_unknown(grade, prediction, letter):
    for gold in "ABCD":
        assert grade(prediction, gold, {"question": UNKNOWNS_Q}) is (gold == letter), (gold, prediction)


@pytest.mark.parametrize("prediction, letter", [
    ("B (and D)", None), ("B, and D", None), ("B along with D", None), ("B in addition to D", None),
    ("(B)(D)", None), ("B only if the gas is ideal; otherwise D", None),
    ("B and not D", "B"), ("B, since A and D fail", "B"),
    ("B-cells", None), ("C-14", None), ("B-Gluon", "B"),  # a hyphened word, but the option's own text
])
def test_letters_joined_or_inside_a_word(grade, prediction, letter):
    question = {"question": "Which carries the strong force?\nA. Photon\nB. Gluon\nC. W boson\nD. Z boson"}
    for gold in "ABCD":
        assert grade(prediction, gold, question) is (gold == letter), (gold, prediction)


@pytest.mark.parametrize("completion, letter", [
    ("The answer is C.\n\nThe answer would be B if the gas were ideal.", "C"),
    ("The answer is C.\n\nThe answer is B only if we had ignored friction.", "C"),
    ("At first the answer is C.\n\nOn reflection, the answer is B if the data hold.", "B"),  # an open condition
    ("The answer is C.\n\nThe answer would be B, even if the gas were ideal.", "B"),
])
def test_a_condition_contrary_to_fact_after_the_letter(grade, extract, completion, letter):
    prediction = extract(completion, {"question": MASS_Q})
    assert grade(prediction, letter, {"question": MASS_Q}) is True


def test_long_runs_of_spaces_in_questions_and_answers_are_read(grade):
    """(each of these regular expressions once took seconds on such a run; the speed is
    measured by bench/grader_long_replies.py, not here)"""
    spaces = " " * 50_000
    inline = {"question": f"Pick: (A) foo{spaces}bar (B) 6, (C) 7; or (D) 9"}
    assert grade("7", "C", inline) is True
    lines = {"question": f"Pick:\nA. foo{spaces}bar\nB. 6   \nC. 7"}
    assert grade("6", "B", lines) is True
    assert grade(f"B{spaces}C", "B", lines) is False  # two letters


_PARTICLES = "Which particle mediates the strong force?\nA. Photon\nB. Gluon\nC. W boson\nD. Graviton"


@pytest.mark.parametrize("completion,label", [
    # another letter right only under a condition contrary to fact is a remark on it
    ("The answer is B (C would be correct if the force were weak).", 1),
    ("B\n\nIf the force were electromagnetic, A would be right.", 1),
    ("The answer is C. If the force were weak, B would be correct.", 0),
    ("The answer is B. If the question means the weak force, C would be correct.", 0),  # open: a hedge
    # a later line that takes the answer back, also after a hedged statement
    ("**Answer: B**\n\nActually, C.", 0),
    ("**Answer: C**\n\nHmm, actually, I think it's B.", 1),
    ("The answer is C, or maybe D.\n\nWait, no \u2014 it's B.", 1),
    ("**Answer: B**\n\nActually, C is wrong: it fails the test.", 1),
])
def test_rules_that_meet_in_one_reply(completion, label):
    assert _label("mmlu_pro", _PARTICLES, completion, "B") == label
