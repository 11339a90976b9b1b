"""The trivia extractor and grader on the shapes chat and reasoning models give their final
reply: an answer first and paragraphs that explain it, markdown inside a sentence, a linking
word before it, doubt, a contrast, a date or a count said in words."""
import pytest

from form_tally import extract, label_of
from gnosis_trivia.normalize import tokens


def label(completion, gold, question):
    return label_of("trivia", completion, gold, question)


CAPITAL = "What is the capital of Peru?"


@pytest.mark.parametrize("reply, expected", [
    ("The capital of Peru is **Lima**.\n\nCusco was the Inca capital.\n\n- Founded: 1535", "Lima"),
    ("**Lima**\n\nIt was founded by Pizarro in 1535.", "Lima"),
    ("Sure!\n\nLima.\n\nIt lies on the coast.", "Lima"),
    ("### Lima\n\nIt lies on the coast.", "Lima"),
])
def test_an_answer_first_then_paragraphs_that_explain_it(reply, expected):
    assert label(f"<think>\nhmm\n</think>\n\n{reply}", expected, CAPITAL) == 1


@pytest.mark.parametrize("reply", [
    "The capital of Peru is **Lima**.\n\nWait, actually it's Cusco.",
    "**Lima**\n\nHmm, actually no: Cusco.",
    "To find the capital of Peru, consider:\n\n1. **Lima**\n2. **Cusco**",
    "1. Lima\n\n2. Cusco",
])
def test_a_lead_that_is_taken_back_or_only_introduces_is_no_answer(reply):
    assert extract(f"<think>\nhmm\n</think>\n\n{reply}", "trivia", {"question": CAPITAL}) is None


@pytest.mark.parametrize("reply, gold, expected", [
    ("## Answer\nLima", "Lima", 1),
    ("**Answer**\n\nCusco", "Lima", 0),
    ("The answer is **Lima**. Many say Cusco, but the answer is not Cusco.", "Lima", 1),
    ("The answer is **Cusco**. Many say Lima, but the answer is not Lima.", "Lima", 0),
    ("Therefore, the capital of Peru is Lima.", "Lima", 1),
    ("So, Lima.", "Lima", 1),
    ("Yes, it's Lima.", "Lima", 1),
    ("So, it's not Lima.", "Lima", 0),
    ("**Lima** is the capital of Peru, and *Cusco* was the Inca capital.", "Lima", 1),
    ("While Cusco was the Inca capital, the capital of Peru is Lima.", "Lima", 1),
    ("Lima is often cited, but the capital is Cusco.", "Lima", 0),
    ("Lima comes to mind, although Cusco was the capital.", "Lima", 0),
    ("Lima is the capital of Peru, though few know it.", "Lima", 1),
])
def test_the_sentence_that_answers(reply, gold, expected):
    assert label(f"<think>\nhmm\n</think>\n\n{reply}", gold, CAPITAL) == expected


@pytest.mark.parametrize("reply", ["Lima (most likely)", "Lima, probably.", "Lima is my best guess.",
                                   "I'd guess Lima.", "Answer: Likely Lima", "Lima (low confidence)"])
def test_a_doubted_answer_commits_to_nothing(reply):
    assert label(reply, "Lima", CAPITAL) == 0


def test_an_answer_said_with_confidence_is_the_answer():
    assert label("I'm fairly confident it's Lima.", "Lima", CAPITAL) == 1


def test_a_bracketed_aside_in_a_sentence_names_no_second_person():
    question = "Who wrote Middlemarch?"
    assert label("George Eliot (Mary Ann Evans) wrote Middlemarch.", "George Eliot", question) == 1
    assert label("Charlotte Bronte (George Eliot) wrote Middlemarch.", "George Eliot", question) == 0


@pytest.mark.parametrize("written", ["July 20, 1969", "20 July 1969", "the 20th of July, 1969", "1969-07-20",
                                     "Jul 20 1969", "20th July 1969"])
def test_a_full_date_reads_the_same_in_any_order(written):
    assert tokens(written) == ("20", "july", "1969")


def test_a_date_reading_needs_a_day_a_month_and_a_year():
    assert tokens("July 1969") == ("july", "1969")
    assert tokens("1969-13-20") == ("1969", "13", "20")
    assert tokens("Theresa May") == ("theresa", "may")


@pytest.mark.parametrize("reply, expected", [
    ("20 July 1969", 1), ("1969-07-20", 1), ("July 21, 1969", 0), ("July 1969", 0), ("1969", 0),
])
def test_a_date_gold_in_another_format(reply, expected):
    assert label(reply, "July 20, 1969", "When did Apollo 11 land on the Moon?") == expected


@pytest.mark.parametrize("reply, expected", [
    ("In the year 1066.", 1),
    ("The Battle of Hastings was fought on 14 October 1066.", 1),
    ("The Battle of Hastings was fought on October 14, 1066.", 1),
    ("The Battle of Hastings was fought on 14 October 1067.", 0),
])
def test_a_sentence_that_dates_a_year_gold(reply, expected):
    assert label(reply, "1066", "In which year was the Battle of Hastings?") == expected


@pytest.mark.parametrize("reply, expected", [
    ("Henry VIII had six wives.", 1),
    ("He had **6** wives.", 1),
    ("Henry VIII had six wives, but only two were executed.", 1),
    ("Henry VIII had eight wives.", 0),
    ("Henry VIII had six wives, but some count 4.", 0),
    ("He had 6 wives and 3 children, or 7 wives by some counts.", 0),
])
def test_a_count_said_in_a_sentence(reply, expected):
    assert label(reply, "6", "How many wives did Henry VIII have?") == expected
