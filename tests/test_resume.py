"""Label resumes: a shard already labeled with the same task, grader, versions and options is
skipped; anything that changes its labels grades it again."""
import pytest

from conftest import write_shard
from gnosis_core import plugins
from gnosis_core.grading_pool import GradingPool

LABEL = ("run", "--task", "trivia", "--stage", "label", "--progress", "false")


def trivia_folder(folder, shard_count=3):
    for number in range(1, shard_count + 1):
        write_shard(folder / f"shard-{number:06d}.jsonl",
                    [{"question": "Capital of France?", "completion": f"\\boxed{{{answer}}}", "answer": "Paris"}
                     for answer in ("Paris", "Lyon")])
    return folder


def graded_shards(out: str) -> list[str]:
    return [line.split(":")[0] for line in out.splitlines() if line.startswith("shard-")]


def outputs(folder):
    return {p.name: p.stat().st_mtime_ns for p in (folder / "verified").glob("shard-*")}


def test_rerun_skips_finished_shards_and_counts_them(tmp_path, gnosis):
    trivia_folder(tmp_path)
    code, first, _ = gnosis(*LABEL, "--save_dir", tmp_path)
    assert code == 0 and len(graded_shards(first)) == 3
    before = outputs(tmp_path)
    code, again, _ = gnosis(*LABEL, "--save_dir", tmp_path)
    assert code == 0 and graded_shards(again) == []
    assert "total: rows=6 parsed=6 correct=3" in again and "skipped=3" in again
    assert outputs(tmp_path) == before


def test_run_killed_midway_resumes_with_the_shards_it_did_not_finish(tmp_path, gnosis, monkeypatch):
    trivia_folder(tmp_path)
    real_grade, calls = GradingPool.grade, []

    def interrupted_on_the_second_shard(self, rows, on_progress=None):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real_grade(self, rows, on_progress)

    monkeypatch.setattr(GradingPool, "grade", interrupted_on_the_second_shard)
    assert gnosis(*LABEL, "--save_dir", tmp_path)[0] == 130
    monkeypatch.setattr(GradingPool, "grade", real_grade)
    code, out, _ = gnosis(*LABEL, "--save_dir", tmp_path)
    assert code == 0
    assert graded_shards(out) == ["shard-000002.jsonl", "shard-000003.jsonl"]
    assert "total: rows=6 parsed=6 correct=3" in out and "skipped=1" in out


@pytest.mark.parametrize("change", ["--overwrite", "--timeout", "--drop_unparsed", "grader version", "source shard"])
def test_what_changes_the_labels_grades_again(tmp_path, gnosis, monkeypatch, change):
    trivia_folder(tmp_path, shard_count=2)
    assert gnosis(*LABEL, "--save_dir", tmp_path)[0] == 0
    flags = []
    if change == "grader version":
        real = plugins._version_of
        monkeypatch.setattr(plugins, "_version_of", lambda pm, name: "99.0" if name == "trivia" else real(pm, name))
    elif change == "source shard":
        write_shard(tmp_path / "shard-000002.jsonl", [{"question": "q", "completion": "\\boxed{Rome}", "answer": "Rome"}])
    else:
        flags = {"--overwrite": ["--overwrite"], "--timeout": ["--timeout", 2],
                 "--drop_unparsed": ["--drop_unparsed"]}[change]
    code, out, _ = gnosis(*LABEL, "--save_dir", tmp_path, *flags)
    assert code == 0
    expected = ["shard-000002.jsonl"] if change == "source shard" else ["shard-000001.jsonl", "shard-000002.jsonl"]
    assert graded_shards(out) == expected


def test_a_removed_verified_shard_is_graded_again(tmp_path, gnosis):
    trivia_folder(tmp_path, shard_count=2)
    assert gnosis(*LABEL, "--save_dir", tmp_path)[0] == 0
    (tmp_path / "verified" / "shard-000001.verified.jsonl").unlink()
    code, out, _ = gnosis(*LABEL, "--save_dir", tmp_path)
    assert code == 0 and graded_shards(out) == ["shard-000001.jsonl"] and "skipped=1" in out
