"""A task whose answer is the last line of the completion, correct only in capitals."""
from gnosis_core import hookimpl


def last_line(completion, row):
    lines = [line.strip() for line in (completion or "").splitlines() if line.strip()]
    return lines[-1] if lines else None


def shouted(prediction, gold, row):
    if not gold:
        return None
    return prediction == str(gold).upper()


@hookimpl
def register_extractors(register):
    register("shout-last-line", last_line)


@hookimpl
def register_graders(register):
    register("shout-exact", shouted)


@hookimpl
def register_tasks(register):
    register("shout", description="Answers in capitals", extractor="shout-last-line",
             grader="shout-exact", gold_column="answer", aliases=["yell"])
