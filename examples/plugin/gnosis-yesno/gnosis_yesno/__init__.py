"""A yes/no task: the answer is the last "yes" or "no" after the reasoning."""
import re

from gnosis_core import hookimpl
from gnosis_core.errors import NoAnswer

WORD = re.compile(r"\b(yes|no)\b", re.IGNORECASE)


def last_yes_or_no(completion, row):
    """The extractor: the final answer text, or NoAnswer with the reason."""
    if "<think>" in completion and "</think>" not in completion:
        raise NoAnswer("reasoning never closed")
    words = WORD.findall(completion.rsplit("</think>", 1)[-1])
    if not words:
        raise NoAnswer("no yes or no after the reasoning")
    return words[-1].lower()


def same_answer(prediction, gold, row):
    """The grader: True or False, or None when the gold is unusable (the row is unverifiable)."""
    gold = str(gold or "").strip().lower()
    if gold not in ("yes", "no"):
        return None
    return prediction == gold


@hookimpl
def register_extractors(register):
    register("yesno-last-word", last_yes_or_no)


@hookimpl
def register_graders(register):
    register("yesno-exact", same_answer)


@hookimpl
def register_tasks(register):
    register("yesno", description="Yes/no questions: the last yes or no after </think>",
             extractor="yesno-last-word", grader="yesno-exact", gold_column="answer",
             system_prompt="Think it over, then answer with one word: yes or no.")
