"""The trivia extractor and grader on replies that take an answer back after stating it, doubt
it in a phrase, set one name aside for another, and on counts, people's initials, works,
money and temperatures."""
import pytest

from form_tally import label_of


def label(reply, gold, question):
    return label_of("trivia", f"<think>\nhmm\n</think>\n\n{reply}", gold, question)


PERU = "What is the capital of Peru?"


@pytest.mark.parametrize("reply, gold, expected", [
    ("Answer: Lima\n\nWait, actually it's Cusco.", "Lima", 0),
    ("Answer: Lima\n\nWait, actually it's Cusco.", "Cusco", 1),
    ("\\boxed{Lima}\n\nHmm, no. The capital is Cusco.", "Lima", 0),
    ("**Answer:** Lima\n\nOops, I made a mistake: Cusco.", "Cusco", 1),
    ("Final answer: Lima\n\nHmm, but maybe Cusco?", "Lima", 0),
    ("\\boxed{Lima}\n\nWait, no.", "Lima", 0),
    ("\\boxed{Cusco}\n\nWait, no: \\boxed{Lima}", "Lima", 1),  # a self-correction means its last box
    ("\\boxed{Lima}\n\nWait, let me verify: Lima has been the capital since 1535. Yes.", "Lima", 1),
    ("\\boxed{Lima}\n\nActually, Lima was founded in 1535.", "Lima", 1),
    ("Cusco is the oldest city.\n\nHowever, the capital of Peru is Lima.", "Cusco", 0),
    ("Cusco.\n\nNo, the capital is Lima.", "Cusco", 0),
    ("Lima.\n\nIt was founded by Pizarro, not in Cusco.", "Lima", 1),
])
def test_an_answer_taken_back_after_it_is_given(reply, gold, expected):
    assert label(reply, gold, PERU) == expected


@pytest.mark.parametrize("reply, expected", [
    ("Lima, but I could be wrong.", 0), ("Lima, though I may be mistaken.", 0), ("Lima (not 100% sure)", 0),
    ("Lima, but don't quote me on that.", 0), ("Lima, but it could also be Cusco.", 0),
    ("Lima, though many say Cusco.", 1),
    ("Not Cusco, but Lima.", 1), ("It's not Cusco, it's Lima.", 1), ("The capital is not Cusco but Lima.", 1),
    ("Answer: not Cusco, but **Lima**", 1), ("Not only Cusco but also Lima.", 0),
])
def test_doubt_in_a_phrase_and_a_name_set_aside(reply, expected):
    assert label(reply, "Lima", PERU) == expected
    if "Cusco" in reply and expected:
        assert label(reply, "Cusco", PERU) == 0


WIVES = "How many wives did Henry VIII have?"


@pytest.mark.parametrize("reply, gold, expected", [
    ("He had at least six wives.", "6", 0), ("He had more than 5 wives.", "5", 0), ("He had 5-6 wives.", "6", 0),
    ("He had between 5 and 6 wives.", "6", 0), ("He had up to 6 wives.", "6", 0),
    ("Two of his six wives were executed.", "2", 0), ("The king had 4 wives; his son had 2.", "4", 0),
    ("Henry VIII (1491-1547) had six wives.", "6", 1),
])
def test_a_count_bounded_ranged_or_beside_another_number(reply, gold, expected):
    assert label(reply, gold, WIVES) == expected


@pytest.mark.parametrize("said, gold, expected", [
    ("John Fitzgerald Kennedy", "John F. Kennedy", 1), ("John F. Kennedy", "John Fitzgerald Kennedy", 1),
    ("George Walker Bush", "George W. Bush", 1), ("George H. W. Bush", "George W. Bush", 0),
    ("Robert F. Kennedy", "John F. Kennedy", 0), ("John Quincy Kennedy", "John F. Kennedy", 0),
])
def test_a_middle_name_for_its_initial(said, gold, expected):
    assert label(f"\\boxed{{{said}}}", gold, "Which president was it?") == expected


@pytest.mark.parametrize("reply, gold, question, expected", [
    ("Yorick appears in *Hamlet*.", "Hamlet", "In which play does the skull of Yorick appear?", 1),
    ("In Hamlet.", "Hamlet", "In which play does the skull of Yorick appear?", 1),
    ("It appears in Macbeth.", "Hamlet", "In which play does the skull of Yorick appear?", 0),
    ("Captain Ahab appears in Moby-Dick.", "Moby-Dick", "Which novel features Captain Ahab?", 1),
    ("It is a town on Lake Tahoe.", "Tahoe", "On which lake did the author spend the summer?", 0),
    ("Napoleon died on 5 May 1821.", "1821", "In which year did Napoleon die?", 1),
])
def test_the_work_or_place_after_the_question_s_preposition(reply, gold, question, expected):
    assert label(reply, gold, question) == expected


@pytest.mark.parametrize("said, gold, expected", [
    ("$5", "5 dollars", 1), ("US$5", "five dollars", 1), ("5 USD", "$5", 1), ("$5 million", "5 million dollars", 1),
    ("$5", "5", 1), ("5", "$5", 1), ("$5", "5 pounds", 0), ("£5", "5 pounds", 1), ("$50", "5 dollars", 0),
    ("100 °C", "100 degrees Celsius", 1), ("100°C", "100 degrees Celsius", 1), ("100 °F", "100 degrees Celsius", 0),
    ("1303 C.E.", "1303", 1),
])
def test_money_and_temperature(said, gold, expected):
    assert label(f"Answer: {said}", gold, "How much was it?") == expected
