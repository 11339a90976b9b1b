"""Grade generated cases (tests/forms_*.py) the way label does and count the errors.

Shared by the property tests and the bench: a false positive is a case expected 0 that got
label 1, a false negative one expected 1 that got 0.
"""
from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from gnosis_core import limits, registry
from gnosis_core.grading_pool import Rules, grade_row


def labeller(task_name: str) -> Callable[[dict], int]:
    """``label(case)``: the correctness_label the label stage writes for a generated case."""
    task = registry.get_task(task_name)
    extract = registry.resolve("extractors", task.extractor)
    grade = registry.resolve("graders", task.grader)
    rules = Rules(task.extractor, task.grader, task.gold_column, limits.row_timeout_s())

    def label(case: dict) -> int:
        row = {"question": case.get("question", ""), "completion": case["completion"],
               task.gold_column: case["gold"]}
        return grade_row(row, extract, grade, rules).label

    return label



def label_of(task_name: str, completion: str, gold, question: str = "") -> int:
    """The correctness_label the label stage writes for one completion against ``gold``."""
    return labeller(task_name)({"completion": completion, "gold": gold, "question": question})



def extract(completion: str, task_name: str = "math", row: dict | None = None):
    """What the task's registered extractor reads from ``completion``."""
    return registry.resolve("extractors", registry.get_task(task_name).extractor)(completion, row or {})


def grade(prediction: str, gold, task_name: str = "math", row: dict | None = None):
    """The task's registered grader on an extracted ``prediction``."""
    return registry.resolve("graders", registry.get_task(task_name).grader)(prediction, gold, row or {})


def after_thinking(reply: str) -> str:
    """``reply`` as the final answer of a completion that reasoned first."""
    return f"<think>\nSome reasoning.\n</think>\n\n{reply}"


@dataclass
class Tally:
    cases: int = 0
    false_positives: list[dict] = field(default_factory=list)
    false_negatives: list[dict] = field(default_factory=list)

    def add(self, case: dict, label: int) -> None:
        self.cases += 1
        if label and not case["expected"]:
            self.false_positives.append(case)
        elif case["expected"] and not label:
            self.false_negatives.append(case)

    @property
    def fp(self) -> int:
        return len(self.false_positives)

    @property
    def fn(self) -> int:
        return len(self.false_negatives)

    def errors(self, shown: str) -> list[str]:
        """One line per wrong label: FP or FN, the form, the gold and the case's ``shown`` field."""
        return [f"{'FP' if c in self.false_positives else 'FN'} {c['form']} | gold {c['gold']!r}"
                f" | {shown} {c[shown][-120:]!r}" for c in self.false_positives + self.false_negatives]


def tally(label: Callable[[dict], int], cases: Iterable[dict], into: Tally | None = None) -> Tally:
    into = into if into is not None else Tally()
    for case in cases:
        into.add(case, label(case))
    return into


def tally_class(label, draw: Callable[[random.Random], list[dict]], draws: int,
                seed: int = 0) -> Tally:
    """``draws`` seeded draws of one generated class."""
    rng = random.Random(seed)
    counts = Tally()
    for _ in range(draws):
        tally(label, draw(rng), counts)
    return counts
