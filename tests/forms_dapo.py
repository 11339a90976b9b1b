"""Generated equivalence cases for the dapo task: the math task's golds and surface forms
(tests/forms_math.py), in the places a DAPO reply puts its answer: a final ``Answer: X``
line, or else a box."""
from __future__ import annotations

import random
from typing import Callable

import forms_math

TASK = "dapo"
# forms_math's contexts that a DAPO reply uses: its answer line, else a box, else an answer
# stated as the math task reads one (a reply that did not keep to DAPO's format)
ANSWER_LINE_CONTEXTS = ("after 'Answer:'", "after a bold 'Answer:'", "\\(...\\) after 'Answer:'",
                        "boxed", "boxed display", "after 'the answer is'", "after 'the final answer is'",
                        "under a '### Final Answer' heading", "under a bold 'Final Answer' line",
                        "$...$ after 'the answer is'", "after '####'",
                        "after a bold 'Answer', then a colon", "$...$ after a bold 'Final Answer', then a colon")


def _on_answer_lines(make: Callable[[random.Random], list[dict]]) -> Callable[[random.Random], list[dict]]:
    def cases(rng: random.Random) -> list[dict]:
        return [c for c in make(rng) if c["form"].rsplit(", ", 1)[-1] in ANSWER_LINE_CONTEXTS]
    return cases


def classes() -> dict[str, Callable[[random.Random], list[dict]]]:
    # a revised answer is a statement in prose, which DAPO's answer line is not
    return {name: _on_answer_lines(make) for name, make in forms_math.classes().items() if name != "revised_answer"}
