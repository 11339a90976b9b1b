"""A complete gnosis plugin in one module: a grader and a task that uses it.

    pip install -e examples/plugin     # then: gnosis tasks  (lists mytask)
"""
from gnosis_core import hookimpl


@hookimpl
def register_graders(register):
    # a grader gets the extracted answer, the gold and the whole row; None means "cannot tell"
    register("exact", lambda prediction, gold, row: None if gold is None else prediction.strip() == str(gold).strip())


@hookimpl
def register_tasks(register):
    register("mytask", extractor="trivia-answer", grader="exact", gold_column="answer",
             system_prompt="Put your final answer within \\boxed{}.",
             description="An example plugin's task: the boxed answer must equal the gold exactly")
