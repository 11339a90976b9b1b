"""examples/tutorial.sh, the offline tutorial of docs/tutorial.md, runs as written: the tiny
model is built here, generate runs on CPU with transformers, then label, merge and report.
Kept short: one task, three questions."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq

from conftest import require

ROOT = Path(__file__).resolve().parents[1]


def test_the_tutorial_script_runs_generate_label_merge_report(tmp_path):
    require("torch", "the tutorial's generate needs torch")
    require("transformers", "the tutorial's generate needs transformers")
    require("matplotlib", "the tutorial's report draws plots")
    env = {**os.environ, "PYTHON": sys.executable, "OUT": str(tmp_path), "TASKS": "trivia", "MAX_QUESTIONS": "3"}
    proc = subprocess.run(["bash", str(ROOT / "examples" / "tutorial.sh")], env=env, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    verified = pq.read_table(tmp_path / "trivia" / "verified" / "shard-000001.verified.parquet").to_pylist()
    questions = {json.loads(line)["question"] for line in (ROOT / "examples/tutorial/trivia.jsonl").read_text().splitlines()}
    assert len(verified) == 3 * 4 and {row["question"] for row in verified} <= questions
    assert all(row["answer"] and row["correctness_label"] in (0, 1) for row in verified)
    assert pq.read_table(tmp_path / "merged" / "merged_balanced.parquet").num_rows > 0
    assert (tmp_path / "report" / "index.html").stat().st_size > 0


def test_every_tutorial_question_file_has_a_few_dozen_questions_with_a_gold():
    for task in ("math", "dapo", "trivia", "mmlu_pro", "gpqa"):
        rows = [json.loads(line) for line in (ROOT / "examples" / "tutorial" / f"{task}.jsonl").read_text().splitlines()]
        assert len(rows) >= 24 and len({r.get("question") or r.get("prompt") for r in rows}) == len(rows), task
        assert all(r.get("answer") or r.get("solution") for r in rows), task
