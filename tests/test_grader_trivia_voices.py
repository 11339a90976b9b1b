"""The trivia extractor and grader on answers that are not the reply's own: another's answer
in a statement ("Many people think the answer is X"), an alternative offered in an aside, and
a title named by a part of it or in the other grammatical number."""
import pytest

from form_tally import label_of


def label(reply, gold, question):
    return label_of("trivia", f"<think>\nhmm\n</think>\n\n{reply}", gold, question)


PERU = "What is the capital of Peru?"


@pytest.mark.parametrize("reply, gold, expected", [
    ("Many people think the answer is Cusco. However, it's Lima.", "Cusco", 0),
    ("Many people think the answer is Cusco. However, it's Lima.", "Lima", 1),
    ("Some sources say the answer is Cusco, but I believe it's Lima.", "Lima", 1),
    ("A common misconception is that the answer is Cusco; in fact it is Lima.", "Cusco", 0),
    ("Final answer: Lima\n\nA common wrong answer is Cusco.", "Cusco", 0),
    ("Final answer: Lima\n\nA common wrong answer is Cusco.", "Lima", 1),
    ("The answer is Lima. If you meant the old Inca capital, the answer is Cusco.", "Cusco", 0),
    ("Many people think the answer is Cusco.", "Cusco", 0),  # nothing of its own: no answer
    ("I think the answer is Lima.", "Lima", 1),
    ("We can say the answer is Lima.", "Lima", 1),
    ("If I had to choose, the answer is Lima.", "Lima", 1),
    ("If we count the seat of government, the answer is Lima.", "Lima", 1),  # the only statement
    ("The only possible answer is Lima.", "Lima", 1),
])
def test_anothers_answer_is_not_the_replys(reply, gold, expected):
    assert label(reply, gold, PERU) == expected


@pytest.mark.parametrize("reply, gold, expected", [
    ("The capital of Peru is **Cusco**.\n\nIf you meant the seat of government, the answer is Lima.", "Lima", 0),
    ("The capital of Peru is **Lima**.\n\nIf you meant the Inca capital, the answer is Cusco.", "Lima", 1),
    ("**Cusco**\n\nIf you meant the seat of government, the answer is Lima.", "Lima", 0),
    ("Cusco\n\nWait, no. If you mean the seat of government, the answer is Lima.", "Lima", 1),  # taken back
    ("Answer: Lima, if you mean today's capital; otherwise Cusco.", "Lima", 0),
    ("Answer: Cusco, if you mean the Inca capital. Otherwise, Lima.", "Lima", 0),
    ("Answer: Lima, if you mean today's capital.", "Lima", 1),
])
def test_an_answer_under_a_condition_after_a_plain_one(reply, gold, expected):
    assert label(reply, gold, PERU) == expected


@pytest.mark.parametrize("reply, expected", [
    ("Lima (though it could be Cusco)", 0),
    ("Lima (Cusco is also possible)", 0),
    ("Lima — though it might also be Cusco.", 0),
    ("Lima (alternatively Cusco)", 0),
    ("Lima (which may be surprising)", 1),  # "may be" before no name offers nothing
    ("The capital of Peru is Lima, which may be surprising to some.", 1),
    ("Lima (some say Cusco)", 1),
])
def test_an_alternative_offered_in_an_aside(reply, expected):
    assert label(f"**Answer:** {reply}", "Lima", PERU) == expected


@pytest.mark.parametrize("answer, gold, question, expected", [
    ("Rover", "Land Rover", "Which car maker builds the Defender?", 0),
    ("Twist", "Oliver Twist", "Which Dickens novel features Fagin?", 0),
    ("Time", "The Times", "Which British newspaper was first published in 1785?", 0),
    ("The Times", "The Times", "Which British newspaper was first published in 1785?", 1),
    ("Spielberg", "Steven Spielberg", "Which film director made Jaws?", 1),
    ("Melville", "Herman Melville", "Which American wrote Moby Dick?", 1),
    ("Wolf", "Wolves", "Which animal lives in a pack?", 1),
])
def test_a_title_is_named_whole(answer, gold, question, expected):
    assert label(f"\\boxed{{{answer}}}", gold, question) == expected
