"""merge and report as readers: checked outputs, locks, folders still being written, names
that are not plain words, and shards of mixed origin."""
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import write_shard
from gnosis_core import locking
from gnosis_core.stages import report
from test_bad_input import assert_one_line_error, read_only, snapshot  # noqa: F401 - read_only is a fixture
from test_report import math_rows, save_dir

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def run_dir(tmp_path):
    return save_dir(tmp_path / "run", math_rows())


def test_report_checks_its_output_before_any_work(tmp_path, run_dir, gnosis, monkeypatch, read_only):
    monkeypatch.setattr(report, "load_run", lambda *a: pytest.fail("the runs were read first"))
    (tmp_path / "afile").write_text("x")
    assert_one_line_error(gnosis("report", run_dir, "--out", tmp_path / "afile"), f"{tmp_path / 'afile'} is a file")
    out = read_only(tmp_path / "ro")
    assert_one_line_error(gnosis("report", run_dir, "--out", out), f"cannot write in {out}")
    assert (tmp_path / "afile").read_text() == "x" and not list(out.iterdir())


def test_report_clears_what_a_killed_report_left_and_takes_its_folders_lock(tmp_path, run_dir, gnosis):
    out = tmp_path / "out"
    out.mkdir()
    (out / ".report.md.k1llx9ab.tmp").write_text("half a report")
    code, _, err = gnosis("report", run_dir, "--out", out, "--plots", "false")
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == ["index.html", "report.json", "report.md"]
    with holding(out, "report"):
        assert_one_line_error(gnosis("report", run_dir, "--out", out, "--plots", "false"),
                              f"{out} is in use by another gnosis run (report, pid")


class holding:
    """Another process holds ``folder``'s lock, as a running stage does."""

    def __init__(self, folder: Path, stage: str):
        self.folder, self.stage = folder, stage

    def __enter__(self):
        code = (f"import sys, time; from gnosis_core import locking; locking.take({str(self.folder)!r}, {self.stage!r}); "
                "print('locked', flush=True); time.sleep(120)")
        self.proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout.readline().strip() == "locked"
        return self

    def __exit__(self, *exc):
        self.proc.kill()
        self.proc.wait()


def test_merge_and_report_refuse_a_folder_that_label_is_writing(tmp_path, run_dir, gnosis):
    with holding(run_dir, "label"):
        before = snapshot(tmp_path)
        assert_one_line_error(gnosis("report", run_dir, "--out", tmp_path / "rep", "--plots", "false"),
                              f"{run_dir} is being written by a gnosis run (label, pid", "wait for that run to end")
        assert_one_line_error(gnosis("run", "--stage", "merge", "--inputs", f"math={run_dir}", "--out_dir",
                                     tmp_path / "merged"), f"{run_dir} is being written by a gnosis run (label, pid")
        assert snapshot(tmp_path) == before
    assert gnosis("report", run_dir, "--out", tmp_path / "rep", "--plots", "false")[0] == 0  # once it is over


def test_a_stage_reads_the_folder_it_writes_itself(tmp_path, run_dir):
    locking.take(run_dir, "label")
    try:
        locking.share(run_dir, "report")  # --stage all: label, then its brief report, in one process
    finally:
        locking.release_all()


def test_shards_with_and_without_question_index_are_labeled_and_reported(tmp_path, gnosis):
    rows = [{"question": f"q{i}", "completion": f"\\boxed{{{i % 3}}}", "answer": "0"} for i in range(6)]
    write_shard(tmp_path / "shard-000001.parquet", [dict(r, question_index=i) for i, r in enumerate(rows[:3])])
    write_shard(tmp_path / "shard-000002.parquet", rows[3:])  # a user's own shard
    code, out, err = gnosis("run", "--task", "trivia", "--stage", "label", "--save_dir", tmp_path, "--progress", "false")
    assert code == 0, err
    code, out, err = gnosis("report", tmp_path, "--plots", "false")
    assert code == 0, err
    [group] = [g for g in report.run(tmp_path, plots=False)["groups"] if g["task"] == "trivia"]
    assert group["questions"] == 6 and group["completions"] == 6


def test_report_on_an_empty_shard(tmp_path, gnosis):
    (tmp_path / "verified").mkdir()
    (tmp_path / "verified" / "shard-000001.verified.jsonl").write_text("")
    code, _, err = gnosis("report", tmp_path, "--plots", "false")
    assert code == 0, err


def cells(line: str) -> list[str]:
    """A Markdown table row's cells (a ``\\|`` is text inside a cell)."""
    return re.split(r"(?<!\\)\|", line.strip().strip("|"))


def test_report_md_escapes_run_names(tmp_path, run_dir, gnosis):
    name = "a|b <i>c</i>"
    code, _, err = gnosis("report", f"{name}={run_dir}", "--out", tmp_path / "rep", "--plots", "false")
    assert code == 0, err
    md = (tmp_path / "rep" / "report.md").read_text()
    [row] = [line for line in md.splitlines() if "a\\|b" in line and "`" in line]
    assert len(cells(row)) == 5 and "&lt;i&gt;c&lt;/i&gt;" in row and "<i>" not in md


def test_merge_dataset_card_escapes_task_names(tmp_path, run_dir, gnosis):
    code, _, err = gnosis("run", "--stage", "merge", "--inputs", f"ma|th={run_dir}", "--out_dir", tmp_path / "merged")
    assert code == 0, err
    card = (tmp_path / "merged" / "README.md").read_text()
    rows = [line for line in card.splitlines() if line.startswith("| ma\\|th |")]
    assert len(rows) == 2 and [len(cells(r)) for r in rows] == [7, 3]
