"""The label stage end to end through the CLI, on shards the tests write."""
import json
import types
from collections import defaultdict

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import grading_cases, write_shard
from gnosis_core import hookimpl, plugins, shards
from gnosis_core.errors import NoAnswer, RowTimeout, Unverifiable

GOLD_COLUMN = {"math": "solution", "dapo": "solution", "trivia": "answer", "mmlu_pro": "answer", "gpqa": "answer"}
BERLIN = {"value": "Berlin", "aliases": ["Berlin", "Berlin, Germany"], "normalized_value": "berlin",
          "normalized_aliases": ["berlin", "berlin germany"], "type": "WikipediaEntity"}


def read_verified(path):
    return shards.read_jsonl(path) if path.suffix == ".jsonl" else pq.read_table(path).to_pylist()


def trivia_rows():
    return [
        {"question": "Capital of Germany?", "completion": "<think>\nhm\n</think>\n\\boxed{Berlin}", "answer": BERLIN},
        {"question": "Capital of Germany?", "completion": "<think>\nhm\n</think>\n\\boxed{Bonn}", "answer": BERLIN},
        {"question": "Capital of Germany?", "completion": "<think>\nstill thinking", "answer": BERLIN},
    ]


CASES = grading_cases()


def test_every_grading_case_through_the_cli(tmp_path, gnosis):
    by_task = defaultdict(list)
    for case in CASES:
        by_task[case["task"]].append(case)
    for task, cases in by_task.items():
        save_dir = tmp_path / task
        write_shard(save_dir / "shard-000001.jsonl",
                    [{"id": c["id"], "question": c["question"], "completion": c["completion"],
                      GOLD_COLUMN[task]: c["gold"]} for c in cases])
        code, out, err = gnosis("run", "--task", task, "--stage", "label", "--save_dir", save_dir,
                                "--timeout", 1, "--progress", "false")
        assert code == 0, err
        got = {r["id"]: r["correctness_label"] for r in read_verified(save_dir / "verified" / "shard-000001.verified.jsonl")}
        wrong = [(c["id"], c["rule"]) for c in cases if got[c["id"]] != c["expected"]]
        assert not wrong, f"{task}: {wrong}"


@pytest.mark.parametrize("fmt", ["parquet", "jsonl"])
def test_label_keeps_columns_and_round_trips_nested_gold(tmp_path, gnosis, fmt):
    rows = trivia_rows()
    for r in rows:
        r["meta"] = {"sample": 1, "tags": ["x", "y"]}
    write_shard(tmp_path / f"shard-000001.{fmt}", rows)
    code, out, err = gnosis("run", "--task", "trivia", "--stage", "label", "--save-dir", tmp_path)
    assert code == 0, err
    out_path = tmp_path / "verified" / f"shard-000001.verified.{fmt}"
    got = read_verified(out_path)
    assert [r["correctness_label"] for r in got] == [1, 0, 0]
    assert [r["pred_parsed"] for r in got] == [True, True, False]
    assert [r["extracted_answer"] for r in got] == ["Berlin", "Bonn", None]
    assert got[0]["answer"]["aliases"] == BERLIN["aliases"] and got[0]["meta"] == rows[0]["meta"]
    if fmt == "parquet":
        schema = pq.read_schema(out_path)
        assert str(schema.field("correctness_label").type) == "int8"
        assert str(schema.field("pred_parsed").type) == "bool"
    assert "rows=3 parsed=2 correct=1" in out and "acc_parsed=0.5000" in out
    summary = json.loads((tmp_path / "verified" / "summary.json").read_text())
    assert summary["total"]["rows"] == 3 and summary["total"]["correct"] == 1


def test_drop_unparsed_keeps_only_gradable_rows(tmp_path, gnosis):
    rows = trivia_rows() + [{"question": "q", "completion": "</think>\\boxed{Berlin}", "answer": None}]
    write_shard(tmp_path / "shard-000001.jsonl", rows)
    code, out, err = gnosis("run", "--task", "trivia", "--stage", "label", "--save_dir", tmp_path, "--drop_unparsed")
    assert code == 0, err
    got = read_verified(tmp_path / "verified" / "shard-000001.verified.jsonl")
    assert [r["extracted_answer"] for r in got] == ["Berlin", "Bonn"]
    assert "unverifiable=1" in out and "kept=2" in out


@pytest.mark.parametrize("drop", [(), ("--drop_unparsed",)])
def test_a_parquet_shard_is_labeled_a_batch_at_a_time_with_the_same_rows(tmp_path, gnosis, drop):
    rows = [dict(r, sample_index=i) for i, r in enumerate(trivia_rows() * 3)]
    for batch_size in (2, 2048):
        save_dir = tmp_path / str(batch_size)
        save_dir.mkdir()
        pq.write_table(pa.Table.from_pylist(rows), save_dir / "shard-000001.parquet")
        code, out, err = gnosis("run", "--task", "trivia", "--stage", "label", "--save_dir", save_dir,
                                "--batch_size", batch_size, "--workers", 1, *drop)
        assert code == 0, err
        assert ("kept=6" in out) == bool(drop)
    batched, whole = (pq.ParquetFile(tmp_path / n / "verified" / "shard-000001.verified.parquet") for n in ("2", "2048"))
    assert batched.num_row_groups == 5 and batched.read().equals(whole.read())  # 9 rows, 2 at a time
    assert [r["sample_index"] for r in whole.read().to_pylist()] == ([0, 1, 3, 4, 6, 7] if drop else list(range(9)))


def test_pattern_out_subdir_and_answer_col(tmp_path, gnosis):
    rows = [{"question": "q", "completion": "\\boxed{Berlin}", "gold": "Berlin"}]
    write_shard(tmp_path / "shard-000001.parquet", rows)
    write_shard(tmp_path / "shard-000002.jsonl", rows)
    code, _, err = gnosis("run", "--task", "trivia", "--stage", "label", "--save_dir", tmp_path,
                          "--pattern", "shard-*.jsonl", "--out_subdir", "graded", "--answer_col", "gold")
    assert code == 0, err
    assert [p.name for p in (tmp_path / "graded").glob("shard-*")] == ["shard-000002.verified.jsonl"]


def test_rerun_overwrites_cleanly(tmp_path, gnosis):
    write_shard(tmp_path / "shard-000001.parquet", trivia_rows())
    for flags in ((), ("--overwrite",)):
        assert gnosis("run", "--task", "trivia", "--stage", "label", "--save_dir", tmp_path, *flags)[0] == 0
    assert sorted(p.name for p in (tmp_path / "verified").iterdir()) == [
        "manifest.json", "shard-000001.verified.parquet", "summary.json"]
    assert len(read_verified(tmp_path / "verified" / "shard-000001.verified.parquet")) == 3


def test_failed_write_leaves_no_partial_file(tmp_path, gnosis, monkeypatch):
    write_shard(tmp_path / "shard-000001.parquet", trivia_rows())

    def write_half_then_die(table, where, **kwargs):
        with open(where, "wb") as handle:
            handle.write(b"PAR1 partial")
        raise KeyboardInterrupt

    monkeypatch.setattr(shards.pq, "write_table", write_half_then_die)
    # a verified shard is written a batch at a time: die after the file is opened
    monkeypatch.setattr(shards.pq.ParquetWriter, "write_table",
                        lambda self, table, **kwargs: write_half_then_die(table, self.where))
    assert gnosis("run", "--task", "trivia", "--stage", "label", "--save_dir", tmp_path)[0] == 130
    leftovers = list((tmp_path / "verified").iterdir())
    assert leftovers == []


@pytest.mark.parametrize("make, expected", [
    (lambda d: None, "does not exist"),
    (lambda d: d.mkdir(), "no shard in"),
    (lambda d: write_shard(d / "shard-000001.parquet", [{"question": "q", "output": "x", "answer": "a"}]),
     "missing column(s) completion; it has: question, output, answer"),
    (lambda d: write_shard(d / "shard-000001.jsonl", [{"question": "q", "completion": "x"}]),
     "missing column(s) answer"),
    (lambda d: (d.mkdir(), (d / "shard-000001.parquet").write_bytes(b"not parquet")), "shard-000001.parquet: cannot read"),
    (lambda d: (d.mkdir(), (d / "shard-000001.jsonl").write_text('{"question": 1}\n{oops\n')), "line 2 is not valid JSON"),
])
def test_user_mistakes_are_one_line_errors(tmp_path, gnosis, make, expected):
    save_dir = tmp_path / "run"
    make(save_dir)
    code, out, err = gnosis("run", "--task", "trivia", "--stage", "label", "--save_dir", save_dir)
    assert code == 2
    assert err.startswith("gnosis: error:") and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert expected in err
    if "no shard" in expected:
        assert "shard-*.parquet or shard-*.jsonl" in err


def _install_test_task(name, grader, extractor=None):
    module = types.ModuleType(name)
    module.register_graders = hookimpl(lambda register: register(f"{name}-grader", grader))
    if extractor is not None:
        module.register_extractors = hookimpl(lambda register: register(f"{name}-extractor", extractor))
    module.register_tasks = hookimpl(lambda register: register(
        name, extractor=f"{name}-extractor" if extractor else "trivia-answer", grader=f"{name}-grader",
        gold_column="answer"))
    plugins.plugin_manager().register(module, name=name)


def _hang(prediction, gold, row):
    if prediction == "hang":
        while True:  # a stand-in for a computation that no signal can interrupt
            pass
    if prediction == "crash":
        raise ValueError("grader bug")
    return prediction == gold


def test_a_hanging_or_crashing_row_is_graded_zero_and_the_run_goes_on(tmp_path, gnosis):
    _install_test_task("stubborn", _hang)
    answers = ["ok", "hang", "crash"] + ["ok"] * 40
    write_shard(tmp_path / "shard-000001.jsonl",
                [{"question": "q", "completion": f"\\boxed{{{a}}}", "answer": "ok"} for a in answers])
    code, out, err = gnosis("run", "--task", "stubborn", "--stage", "label", "--save_dir", tmp_path,
                            "--timeout", 0.2, "--workers", 2)
    assert code == 0, err
    got = read_verified(tmp_path / "verified" / "shard-000001.verified.jsonl")
    assert [r["correctness_label"] for r in got] == [1, 0, 0] + [1] * 40
    assert "timed_out=1 errors=1" in out
    assert "1 row(s) timed out and 1 row(s) failed to grade" in err and "grader bug" in err
    assert [r["grade_status"] for r in got[:4]] == ["ok", "timed_out", "error", "ok"]
    assert "0.2s of CPU time" in got[1]["grade_detail"] and got[2]["grade_detail"] == "ValueError: grader bug"


@pytest.mark.parametrize("fmt", ["parquet", "jsonl"])
def test_each_row_records_its_grade_status_and_why(tmp_path, gnosis, fmt):
    rows = trivia_rows() + [
        {"question": "q", "completion": "<think>\nhm\n</think>\n\n", "answer": BERLIN},
        {"question": "q", "completion": "\\boxed{Berlin}", "answer": None},
    ]
    write_shard(tmp_path / f"shard-000001.{fmt}", rows)
    code, out, err = gnosis("run", "--task", "trivia", "--stage", "label", "--save_dir", tmp_path, "--progress", "false")
    assert code == 0, err
    out_path = tmp_path / "verified" / f"shard-000001.verified.{fmt}"
    got = read_verified(out_path)
    assert [r["grade_status"] for r in got] == ["ok", "ok", "unparsed", "unparsed", "unverifiable"]
    assert [r["grade_detail"] for r in got] == [None, None, "reasoning never closed", "no answer after </think>",
                                                "gold missing"]
    assert [r["correctness_label"] for r in got] == [1, 0, 0, 0, 0]
    if fmt == "parquet":
        schema = pq.read_schema(out_path)
        assert str(schema.field("grade_status").type) == "string" and str(schema.field("grade_detail").type) == "string"
    assert "ok=2 unparsed=2 unverifiable=1 timed_out=0 errors=0" in out
    summary = json.loads((tmp_path / "verified" / "summary.json").read_text())["total"]
    assert summary["grade_status"] == {"ok": 2, "unparsed": 2, "unverifiable": 1, "timed_out": 0, "error": 0}


def _extract_or_refuse(completion, row):
    if "refuse" in completion:
        raise NoAnswer("the model declined to answer")
    return completion.split()[-1]


def _grade_by_word(prediction, gold, row):
    if prediction == "badgold":
        raise Unverifiable("gold not parseable: \\frac{")
    if prediction == "slow":
        raise RowTimeout("comparison ran past 1 s")
    if prediction == "matrix":
        raise TypeError("unhashable type: 'MutableDenseMatrix'")
    if prediction == "shrug":
        return None
    return prediction == gold


def test_plugin_exceptions_become_statuses_with_their_reasons(tmp_path, gnosis):
    _install_test_task("reasons", _grade_by_word, _extract_or_refuse)
    words = ["ok", "I refuse", "badgold", "slow", "matrix", "shrug"]
    write_shard(tmp_path / "shard-000001.jsonl",
                [{"question": "q", "completion": f"so {w}", "answer": "ok"} for w in words])
    code, out, err = gnosis("run", "--task", "reasons", "--stage", "label", "--save_dir", tmp_path, "--progress", "false")
    assert code == 0, err
    got = read_verified(tmp_path / "verified" / "shard-000001.verified.jsonl")
    assert [(r["grade_status"], r["grade_detail"]) for r in got] == [
        ("ok", None),
        ("unparsed", "the model declined to answer"),
        ("unverifiable", "gold not parseable: \\frac{"),
        ("timed_out", "comparison ran past 1 s"),
        ("error", "TypeError: unhashable type: 'MutableDenseMatrix'"),
        ("unverifiable", "gold not usable: 'ok'"),
    ]
    assert [r["correctness_label"] for r in got] == [1, 0, 0, 0, 0, 0]
    # an answer that was found but could not be graded is still shown, as before only when parsed
    assert [r["extracted_answer"] for r in got] == ["ok", None, "badgold", None, None, "shrug"]
    assert "ok=1 unparsed=1 unverifiable=2 timed_out=1 errors=1" in out


def test_a_huge_reason_is_cut_short_in_every_row(tmp_path, gnosis):
    _install_test_task("verbose", lambda prediction, gold, row: None)
    write_shard(tmp_path / "shard-000001.jsonl", [{"question": "q", "completion": "\\boxed{x}", "answer": "9" * 200_000}])
    assert gnosis("run", "--task", "verbose", "--stage", "label", "--save_dir", tmp_path)[0] == 0
    detail = read_verified(tmp_path / "verified" / "shard-000001.verified.jsonl")[0]["grade_detail"]
    assert detail.startswith("gold not usable: '999") and len(detail) < 200


def test_stage_all_requires_a_task(gnosis):
    code, _, err = gnosis("run", "--stage", "label", "--save_dir", ".")
    assert code == 2 and "needs --task" in err


def test_unknown_option_suggests_the_right_one(gnosis, tmp_path):
    code, _, err = gnosis("run", "--task", "trivia", "--stage", "label", "--save_dir", tmp_path, "--worker", 2)
    assert code == 2 and "Did you mean --workers?" in err


def test_stage_help_lists_its_options(gnosis):
    code, out, _ = gnosis("run", "--stage", "label", "--help")
    options = {line.split()[0]: line.split(None, 2)[1:] for line in out.splitlines() if line.startswith("  --")}
    assert code == 0 and options["--drop_unparsed"] == ["false", "keep only rows with a parsed prediction and a usable gold"]
    assert options["--save_dir"][0] == "required" and options["--timeout"][1].startswith("CPU seconds one row may use")


@pytest.mark.parametrize("completion, reason", [
    ("<think>\nfirst, the area\n", "reasoning never closed"),
    ("<think>a</think>\nWell.", "no answer after </think>"),
    ("It depends on the weather.", "no answer found"),
    ("   ", "no completion"),
    (None, "no completion"),
])
def test_an_unparsed_row_says_why_from_the_completions_shape(completion, reason):
    from gnosis_core.grading_pool import Rules, grade_row

    grade = grade_row({"completion": completion, "answer": "x"}, lambda completion, row: None,
                      lambda prediction, gold, row: True, Rules("e", "g", "answer", 1.0))
    assert (grade.status, grade.detail, grade.label, grade.parsed) == ("unparsed", reason, 0, False)


def test_an_empty_gold_column_falls_back_to_the_other_gold_column(tmp_path, gnosis):
    # what generate writes from a source with an `answer` but no `solution` column: math reads
    # `solution` first, then `answer`; an explicit --answer_col reads that column alone
    rows = [{"question": "2+2?", "completion": "\\boxed{4}", "solution": None, "answer": "4"},
            {"question": "3+3?", "completion": "\\boxed{7}", "solution": None, "answer": "6"},
            {"question": "1+1?", "completion": "\\boxed{2}", "solution": "\\boxed{2}", "answer": "5"}]
    write_shard(tmp_path / "shard-000001.jsonl", rows)
    code, _, err = gnosis("run", "--task", "math", "--stage", "label", "--save_dir", tmp_path)
    assert code == 0, err
    got = shards.read_jsonl(tmp_path / "verified" / "shard-000001.verified.jsonl")
    assert [(r["correctness_label"], r["grade_status"]) for r in got] == [(1, "ok"), (0, "ok"), (1, "ok")]
    code, _, err = gnosis("run", "--task", "math", "--stage", "label", "--save_dir", tmp_path,
                          "--answer_col", "solution", "--out_subdir", "strict")
    assert code == 0, err
    got = shards.read_jsonl(tmp_path / "strict" / "shard-000001.verified.jsonl")
    assert [r["grade_status"] for r in got] == ["unverifiable", "unverifiable", "ok"]
