"""gnosis plugin for TriviaQA-style tasks.

Registers the extractor ``trivia-answer`` and the grader ``trivia-aliases``.
"""
from gnosis_core import hookimpl


@hookimpl
def register_extractors(register):
    from gnosis_trivia.extract import extract

    register("trivia-answer", extract)


@hookimpl
def register_graders(register):
    from gnosis_trivia.grade import grade

    register("trivia-aliases", grade)
