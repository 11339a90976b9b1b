"""Every grading case (tests/data/grading_cases.jsonl, plus ../shared/grading_cases.jsonl where
it exists), through the registered extractor and grader of its task (test_label.py runs them all
through the CLI too)."""
import json

import pytest

from conftest import CASES_PATH, grading_cases
from gnosis_core import plugins, registry
from gnosis_core.errors import NoAnswer, RowTimeout, Unverifiable

GOLD_COLUMN = {"math": "solution", "dapo": "solution"}


def label(case: dict) -> int:
    """What the label stage records: 1 iff an answer was extracted and graded True."""
    task = registry.get_task(case["task"])
    found = plugins.components()
    extract, grade = found.get("extractors", task.extractor), found.get("graders", task.grader)
    row = {"question": case["question"], "completion": case["completion"],
           GOLD_COLUMN.get(case["task"], "answer"): case["gold"]}
    try:
        prediction = extract(case["completion"], row)
        return int(prediction is not None and grade(prediction, case["gold"], row) is True)
    except (NoAnswer, Unverifiable, RowTimeout):  # statuses unparsed, unverifiable, timed_out
        return 0


@pytest.mark.parametrize("case", grading_cases(), ids=lambda c: f"{c['id']}-{c['task']}")
def test_adjudicated_case(case, short_row_limit):
    assert label(case) == case["expected"], case["rule"]


def test_the_repo_holds_labeled_cases_of_every_shipped_task():
    """A fresh clone tests every shipped task's grading: each has cases of both labels, each
    case with the rule it illustrates."""
    cases = [json.loads(line) for line in CASES_PATH.read_text().splitlines() if line.strip()]
    assert all(c["rule"] and c["expected"] in (0, 1) for c in cases)
    for task in ("math", "dapo", "trivia", "mmlu_pro", "gpqa"):
        assert {c["expected"] for c in cases if c["task"] == task} == {0, 1}, task
