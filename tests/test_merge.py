"""The merge stage on small verified shards the tests write (Parquet and JSONL)."""
import json
import os
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import write_shard
from merge_oracle import merge_in_memory
from gnosis_core.errors import GnosisError
from gnosis_core.options import whole
from gnosis_core.stages import merge
from gnosis_core.stages.merge import write

BERLIN = {"value": "Berlin", "aliases": ["Berlin", "Berlin, Germany"]}


def rows_for(labels_by_question: dict, gold: str = "answer", parsed=None) -> list[dict]:
    """Verified rows: ``{"q1": [1, 0, 0]}`` gives question q1 three completions with those labels."""
    rows = []
    for q, labels in labels_by_question.items():
        for i, label in enumerate(labels):
            rows.append({"question": q, "answer": None, "solution": None, "completion": f"{q}/{i}/{label}",
                         "correctness_label": label, "pred_parsed": True if parsed is None else parsed(q, i),
                         "extracted_answer": "x", "sample_index": i})
            rows[-1][gold] = f"gold of {q}"
    return rows


def task_dir(root, name, rows, fmt="parquet", shard=1):
    """A labeled run: the source shard and its verified shard."""
    write_shard(root / name / f"shard-{shard:06d}.{fmt}", rows)
    write_shard(root / name / "verified" / f"shard-{shard:06d}.verified.{fmt}", rows)
    return root / name


def run_merge(tmp_path, inputs: dict, out="out", **options):
    stats = merge.run(inputs=",".join(f"{t}={d}" for t, d in inputs.items()), out_dir=tmp_path / out, **options)
    return pq.read_table(tmp_path / out / "merged_balanced.parquet").to_pylist(), stats


def per_question(rows) -> dict:
    return {key: sorted(r["correctness_label"] for r in rows if (r["task"], r["question"]) == key)
            for key in {(r["task"], r["question"]) for r in rows}}


def test_cli_merges_parquet_and_jsonl_with_unified_columns_and_outputs(tmp_path, gnosis):
    trivia = [dict(r, answer=BERLIN, meta={"tags": ["a", "b"]}) for r in rows_for({"t1": [1, 0], "t2": [1, 1]})]
    math = rows_for({"m1": [1, 0, 0], "m2": [0, 0, 0]}, gold="solution")
    for r in math:
        r["prompt"] = r.pop("question")  # the question may come under another name
    inputs = f"trivia={task_dir(tmp_path, 'trivia', trivia)},math={task_dir(tmp_path, 'math', math, 'jsonl')}"
    code, out, err = gnosis("run", "--stage", "merge", "--inputs", inputs, "--out_dir", tmp_path / "out")
    assert code == 0, err
    table = pq.read_table(tmp_path / "out" / "merged_balanced.parquet")
    assert table.column_names[:6] == list(merge.FRONT_COLUMNS)
    assert str(table.schema.field("correctness_label").type) == "int8"
    assert str(table.schema.field("pred_parsed").type) == "bool"
    rows = table.to_pylist()
    trivia_rows = [r for r in rows if r["task"] == "trivia"]
    assert json.loads(trivia_rows[0]["ground_truth"]) == BERLIN
    assert json.loads(trivia_rows[0]["meta"]) == {"tags": ["a", "b"]}
    assert {r["ground_truth"] for r in rows if r["task"] == "math"} == {"gold of m1", "gold of m2"}
    assert {r["question"] for r in rows if r["task"] == "math"} == {"m1", "m2"}
    assert "answer" not in table.column_names and "solution" not in table.column_names
    stats = json.loads((tmp_path / "out" / "stats.json").read_text())
    assert set(stats) >= {"inputs", "controls", "availability", "selection", "row_caps", "ratio_caps", "before", "after"}
    assert stats["before"]["per_task_rows"] == {"trivia": 4, "math": 6}
    assert stats["after"]["rows"] == len(rows) and stats["after"]["labels"]["1"] + stats["after"]["labels"]["0"] == len(rows)
    card = (tmp_path / "out" / "README.md").read_text()
    assert card.startswith("---\n") and "path: merged_balanced.parquet" in card
    assert f"num_examples: {len(rows)}" in card and "| trivia |" in card
    assert "merge:" in out and "merged_balanced.parquet" in out


def test_buckets_keep_per_question_and_downsample(tmp_path):
    math = task_dir(tmp_path, "math", rows_for({"ac": [1] * 5, "aw": [0] * 5, "mx": [1, 0, 0, 0, 0, 0]}))
    trivia = task_dir(tmp_path, "trivia", rows_for({"ac": [1] * 5, "aw": [0] * 5, "mx": [1, 1, 1, 0]}))
    rows, stats = run_merge(tmp_path, {"math": math, "trivia": trivia})
    assert per_question(rows) == {("math", "ac"): [1, 1], ("math", "aw"): [0, 0], ("math", "mx"): [0, 1],
                                  ("trivia", "ac"): [1], ("trivia", "aw"): [0], ("trivia", "mx"): [0, 1]}
    assert stats["availability"]["per_task"]["math"] == {"all_correct": 1, "all_wrong": 1, "mixed": 1}
    assert stats["selection"]["mixed_rows_removed"] == 4 + 2
    # -1 keeps every completion; an int applies to every task; "*" is the default of a mapping
    rows, _ = run_merge(tmp_path, {"math": math, "trivia": trivia}, out="o2", ac_keep_per_q=-1,
                        aw_keep_per_q="math=3,*=2")
    assert per_question(rows)[("math", "ac")] == [1] * 5 and per_question(rows)[("trivia", "ac")] == [1] * 5
    assert per_question(rows)[("math", "aw")] == [0] * 3 and per_question(rows)[("trivia", "aw")] == [0] * 2


def test_upsampling_duplicates_exactly(tmp_path):
    source = rows_for({"one": [1, 0, 0, 0, 0, 0], "two": [1, 1, 0, 0, 0, 0, 0], "even": [1, 0]})
    rows, stats = run_merge(tmp_path, {"math": task_dir(tmp_path, "math", source)}, mixed_strategy="upsample")
    originals = {r["completion"]: r for r in source}
    for q, wrong in (("one", 5), ("two", 5), ("even", 1)):
        block = [r for r in rows if r["question"] == q]
        correct = Counter(r["completion"] for r in block if r["correctness_label"] == 1)
        assert sum(correct.values()) == wrong == sum(r["correctness_label"] == 0 for r in block)
        assert max(correct.values()) - min(correct.values()) <= 1  # copies spread evenly
        assert sorted(r["completion"] for r in block if r["correctness_label"] == 0) == \
            sorted(c for c, r in originals.items() if r["question"] == q and r["correctness_label"] == 0)
        for r in block:  # every row is an exact copy of an input row
            original = originals[r["completion"]]
            assert {k: r[k] for k in ("question", "correctness_label", "sample_index", "extracted_answer")} == \
                {k: original[k] for k in ("question", "correctness_label", "sample_index", "extracted_answer")}
    assert Counter(r["completion"] for r in rows if r["question"] == "one")["one/0/1"] == 5
    assert stats["selection"]["mixed_rows_added"] == 4 + 3


def test_mixed_none_keeps_every_row_and_only_parsed(tmp_path):
    source = rows_for({"q": [1, 0, 0, 1, 0]}, parsed=lambda q, i: i != 0)
    directory = task_dir(tmp_path, "math", source)
    rows, stats = run_merge(tmp_path, {"math": directory}, mixed_strategy="none")
    assert sorted(r["completion"] for r in rows) == ["q/1/0", "q/2/0", "q/3/1", "q/4/0"]
    assert stats["before"]["rows_total"] == 5 and stats["before"]["rows_considered"] == 4
    rows, stats = run_merge(tmp_path, {"math": directory}, out="o2", mixed_strategy="none", only_parsed=False)
    assert len(rows) == 5 and stats["before"]["rows_considered"] == 5


def test_every_question_in_one_bucket(tmp_path):
    directory = task_dir(tmp_path, "math", rows_for({f"q{i}": [1, 1, 1] for i in range(6)}))
    rows, stats = run_merge(tmp_path, {"math": directory})
    assert stats["availability"]["all_correct"] == 6 and stats["availability"]["mixed"] == 0
    assert len(rows) == 12 and stats["after"]["buckets"] == {"all_correct": 6, "all_wrong": 0, "mixed": 0}
    assert stats["after"]["completions_per_question"] == {"2": 6}


def test_a_task_with_no_questions(tmp_path):
    empty = tmp_path / "science" / "verified" / "shard-000001.verified.parquet"
    empty.parent.mkdir(parents=True)
    pq.write_table(pa.table({"question": pa.array([], pa.string()), "completion": pa.array([], pa.string()),
                             "correctness_label": pa.array([], pa.int8())}), empty)
    (tmp_path / "science" / "shard-000001.parquet").write_bytes(empty.read_bytes())
    unparsed = task_dir(tmp_path, "trivia", rows_for({"t": [0, 0]}, parsed=lambda q, i: False), "jsonl")
    math = task_dir(tmp_path, "math", rows_for({"m": [1, 0]}))
    rows, stats = run_merge(tmp_path, {"science": tmp_path / "science", "trivia": unparsed, "math": math})
    assert {r["task"] for r in rows} == {"math"}
    assert stats["after"]["per_task_rows"] == {"science": 0, "trivia": 0, "math": 2}
    assert stats["before"]["per_task_rows"]["science"] == 0 and stats["before"]["rows_total"] == 4
    # nothing at all to merge still writes a readable, empty set
    rows, stats = run_merge(tmp_path, {"science": tmp_path / "science"}, out="o2")
    assert rows == [] and stats["after"]["rows"] == 0


def test_question_selection_by_counts_and_fraction(tmp_path):
    labels = {**{f"c{i}": [1, 1] for i in range(10)}, **{f"w{i}": [0, 0] for i in range(10)}}
    directory = task_dir(tmp_path, "math", rows_for(labels))
    rows, stats = run_merge(tmp_path, {"math": directory}, ac_questions=3, aw_questions=20)
    chosen = {r["question"] for r in rows}
    assert sum(q.startswith("c") for q in chosen) == 3 and sum(q.startswith("w") for q in chosen) == 10
    assert stats["selection"]["all_correct_selected"] == 3 and stats["selection"]["all_wrong_selected"] == 10
    rows, _ = run_merge(tmp_path, {"math": directory}, out="o2", ac_frac=0.25, ac_questions=2)
    chosen = {r["question"] for r in rows}
    assert sum(q.startswith("c") for q in chosen) == 2 and sum(q.startswith("w") for q in chosen) == 6


@pytest.mark.parametrize("n_ac, n_aw, ac_q, aw_q, frac, expected", [
    (10, 10, None, None, None, (10, 10)),
    (10, 10, 3, None, None, (3, 10)),
    (10, 10, 30, 30, 0.5, (10, 10)),
    (10, 10, 2, None, 0.25, (2, 6)),
    (10, 10, None, 3, 0.25, (1, 3)),
    (10, 10, None, None, 0.25, (3, 9)),
    (10, 100, None, None, 0.5, (10, 10)),
    (1, 100, None, None, 0.001, (1, 99)),  # a share never rounds to no question
    (10, 10, None, None, 0.0, (0, 10)),
    (10, 10, None, None, 1.0, (10, 0)),
    (10, 10, 5, None, 0.0, (0, 0)),
])
def test_take_counts_follow_the_seed_rules(n_ac, n_aw, ac_q, aw_q, frac, expected):
    assert merge.take_counts(n_ac, n_aw, ac_q, aw_q, frac) == expected


def test_row_caps_then_ratio_caps(tmp_path):
    trivia = task_dir(tmp_path, "trivia", rows_for({f"t{i}": [1, 0] for i in range(40)}))
    math = task_dir(tmp_path, "math", rows_for({f"m{i}": [1, 0] for i in range(10)}))
    inputs = {"trivia": trivia, "math": math}
    rows, stats = run_merge(tmp_path, inputs, max_rows_per_task=10**6, max_final_task_ratios="trivia=1.0")
    assert len(rows) == 100  # caps larger than the data change nothing
    assert stats["row_caps"]["per_task"]["trivia"] == {"before": 80, "allowed": 10**6, "kept": 80, "removed": 0}
    rows, stats = run_merge(tmp_path, inputs, out="o2", max_rows_per_task={"trivia": 50})
    assert Counter(r["task"] for r in rows) == {"trivia": 50, "math": 20}
    assert stats["row_caps"]["per_task"]["math"]["allowed"] is None
    rows, stats = run_merge(tmp_path, inputs, out="o3", max_rows_per_task=60, max_final_task_ratios='{"trivia": 0.5}')
    # row caps first (trivia 80 -> 60), then trivia may keep floor(0.5 * 80 rows present) = 40
    assert Counter(r["task"] for r in rows) == {"trivia": 40, "math": 20}
    assert stats["ratio_caps"]["per_task"]["trivia"] == {"before": 60, "allowed": 40, "kept": 40, "removed": 20}
    assert stats["after"]["per_task_fractions"] == {"trivia": round(40 / 60, 6), "math": round(20 / 60, 6)}


def test_blocks_stay_together_and_shuffle_by_seed(tmp_path):
    trivia = task_dir(tmp_path, "trivia", rows_for({f"t{i}": [1, 0, 1, 0] for i in range(30)}))
    math = task_dir(tmp_path, "math", rows_for({f"m{i}": [1, 0, 0, 1] for i in range(30)}), "jsonl")
    inputs = {"trivia": trivia, "math": math}

    def block_order(rows):
        keys = [(r["task"], r["question"]) for r in rows]
        order = [k for i, k in enumerate(keys) if i == 0 or keys[i - 1] != k]
        assert len(order) == len(set(order)), "a question's rows are split"
        return order

    first, _ = run_merge(tmp_path, inputs, out="a")
    again, _ = run_merge(tmp_path, inputs, out="b")
    other, _ = run_merge(tmp_path, inputs, out="c", seed=7)
    plain, _ = run_merge(tmp_path, inputs, out="d", shuffle_blocks=False)
    assert block_order(first) == block_order(again) != block_order(other)
    assert block_order(plain) == [("trivia", f"t{i}") for i in range(30)] + [("math", f"m{i}") for i in range(30)]
    assert (tmp_path / "a" / "merged_balanced.parquet").read_bytes() == (tmp_path / "b" / "merged_balanced.parquet").read_bytes()
    assert (tmp_path / "a" / "stats.json").read_bytes() == (tmp_path / "b" / "stats.json").read_bytes()
    # switching the block shuffle off changes the order only, not which rows are chosen
    assert sorted(r["completion"] for r in plain) == sorted(r["completion"] for r in first)


def test_columns_typed_differently_by_two_tasks_become_text(tmp_path):
    trivia = [dict(r, score=1.5, answer=BERLIN) for r in rows_for({"t": [1, 0]})]
    math = [dict(r, score="high", tags=["x"]) for r in rows_for({"m": [1, 0]}, gold="solution")]
    rows, _ = run_merge(tmp_path, {"trivia": task_dir(tmp_path, "trivia", trivia),
                                   "math": task_dir(tmp_path, "math", math, "jsonl")})
    assert sorted(r["score"] for r in rows) == ["1.5", "1.5", "high", "high"]
    assert {r["tags"] for r in rows} == {None, '["x"]'}


def test_config_file_with_flags_winning(tmp_path, gnosis):
    directory = task_dir(tmp_path, "math", rows_for({f"q{i}": [1, 1, 1, 0] for i in range(5)}))
    config = tmp_path / "merge.toml"
    config.write_text(f'out_dir = "{tmp_path / "out"}"\nmixed_strategy = "upsample"\nseed = 5\n'
                      f'ac_keep_per_q = {{ math = 3, "*" = 1 }}\n[inputs]\nmath = "{directory}"\n')
    code, _, err = gnosis("run", "--stage", "merge", "--config", config, "--seed", 9)
    assert code == 0, err
    controls = json.loads((tmp_path / "out" / "stats.json").read_text())["controls"]
    assert controls["mixed_strategy"] == "upsample" and controls["seed"] == 9
    assert controls["ac_keep_per_q"] == {"math": 3, "*": 1}
    assert len(pq.read_table(tmp_path / "out" / "merged_balanced.parquet")) == 30
    config.write_text(config.read_text().replace("seed = 5", "sede = 5"))
    code, _, err = gnosis("run", "--stage", "merge", "--config", config)
    assert code == 2 and "unknown option --sede" in err and "Did you mean --seed?" in err


def test_the_example_config_is_valid(tmp_path, gnosis):
    example = Path(__file__).resolve().parents[1] / "examples" / "merge.toml"
    directory = task_dir(tmp_path, "math", rows_for({"q": [1, 1, 1, 0]}))
    code, _, err = gnosis("run", "--stage", "merge", "--config", example, "--inputs", f"math={directory}",
                          "--out_dir", tmp_path / "out")
    assert code == 0, err
    assert json.loads((tmp_path / "out" / "stats.json").read_text())["controls"]["ac_keep_per_q"]["*"] == 1


@pytest.mark.parametrize("value, expected", [
    (2, 2), ("2", 2), ("-1", -1), ({"trivia": 1, "*": 2}, {"trivia": 1, "*": 2}),
    ('{"trivia": 1, "*": 2}', {"trivia": 1, "*": 2}), ("{trivia: 1, *: 2}", {"trivia": 1, "*": 2}),
    ("trivia=1,math=2", {"trivia": 1, "math": 2}), (("trivia:1", "math:2"), {"trivia": 1, "math": 2}),
])
def test_per_task_values_in_every_spelling(value, expected):
    assert merge.per_task(value, "ac_keep_per_q", lambda v, n: whole(-1)(v, n)) == expected


def test_fire_hands_a_dict_over(tmp_path, gnosis):
    directory = task_dir(tmp_path, "math", rows_for({"q": [1, 1, 1]}))
    code, _, err = gnosis("run", "--stage", "merge", "--inputs", f"math={directory}", "--out_dir", tmp_path / "o",
                          "--ac_keep_per_q", '{math: 3, "*": 1}', "--max_final_task_ratios", "none")
    assert code == 0, err
    assert len(pq.read_table(tmp_path / "o" / "merged_balanced.parquet")) == 3


def test_a_verified_folder_alone_without_a_label_manifest_merges(tmp_path):
    """A folder made by hand or by an older gnosis has no manifest: every verified shard counts."""
    source = rows_for({"q1": [1, 0], "q2": [0, 0]})
    write_shard(tmp_path / "math" / "verified" / "shard-000001.verified.parquet", source[:2])
    write_shard(tmp_path / "math" / "verified" / "shard-000002.verified.jsonl", source[2:])
    rows, stats = run_merge(tmp_path, {"math": tmp_path / "math"}, mixed_strategy="none")
    assert sorted(r["completion"] for r in rows) == sorted(r["completion"] for r in source)
    assert stats["inputs"]["math"]["shards"] == ["shard-000001.verified.parquet", "shard-000002.verified.jsonl"]


def _no_label(root):
    return task_dir(root, "math", [{"question": "q", "completion": "c"}])


@pytest.mark.parametrize("make, flags, expected", [
    (lambda root: (root / "math").mkdir(), [], "no verified shards (expected"),
    (lambda root: None, [], "not a directory"),
    (_no_label, [], "shard-000001.verified.parquet: missing column correctness_label"),
    (lambda root: task_dir(root, "math", [{"question": "q", "completion": "c", "correctness_label": 2}], "jsonl"),
     [], "correctness_label must be 0 or 1 in every row; found [2]"),
    (lambda root: task_dir(root, "math", [{"text": "q", "completion": "c", "correctness_label": 1}]),
     [], "no question column (expected one of question, prompt"),
    (lambda root: task_dir(root, "math", rows_for({"q": [1]})), ["--mixed_strategy", "sideways"],
     "--mixed_strategy must be one of upsample, downsample, none"),
    (lambda root: task_dir(root, "math", rows_for({"q": [1]})), ["--ac_keep_per_q", "math=lots"],
     "--ac_keep_per_q (math) expects a whole number >= -1, got 'lots'"),
    (lambda root: task_dir(root, "math", rows_for({"q": [1]})), ["--max_final_task_ratios", "math=1.5"],
     "expects a number from 0 to 1"),
    (lambda root: task_dir(root, "math", rows_for({"q": [1]})), ["--mixed_stratgy", "none"],
     "Did you mean --mixed_strategy?"),
])
def test_bad_inputs_are_one_line_errors(tmp_path, gnosis, make, flags, expected):
    make(tmp_path)
    code, _, err = gnosis("run", "--stage", "merge", "--inputs", f"math={tmp_path / 'math'}",
                          "--out_dir", tmp_path / "out", *flags)
    assert code == 2 and err.startswith("gnosis: error:") and len(err.strip().splitlines()) == 1, err
    assert expected in err
    assert not (tmp_path / "out" / "merged_balanced.parquet").exists()


@pytest.mark.parametrize("inputs, expected", [
    ("math", "--inputs expects TASK=DIR"), ("math=a,math=b", "names task 'math' twice"), ("", "--inputs is required"),
])
def test_bad_inputs_flag(gnosis, tmp_path, inputs, expected):
    code, _, err = gnosis("run", "--stage", "merge", "--inputs", inputs, "--out_dir", tmp_path)
    assert code == 2 and expected in err


def test_push_without_huggingface_hub_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "huggingface_hub", None)
    with pytest.raises(GnosisError, match=r"--push_to_hub needs huggingface_hub"):
        run_merge(tmp_path, {"math": task_dir(tmp_path, "math", rows_for({"q": [1]}))}, push_to_hub="me/set")


# ---------------------------------------------------------------- the streaming writer against the in-memory oracle


def varied_inputs(root) -> dict:
    """Four tasks of several shards each: questions whose rows span shards, nested answers, a
    question under another name, a JSONL shard, a shard without pred_parsed, an empty shard."""
    rng = np.random.default_rng(0)
    sources = {}
    for task, gold, question in (("trivia", "answer", "question"), ("math", "solution", "prompt"),
                                 ("science", "answer", "question"), ("dup", "answer", "question")):
        for shard in (1, 2, 3):
            labels = {f"{task} q{q % 13 if task == 'dup' else q}": list(rng.integers(0, 2, rng.integers(1, 9)))
                      for q in range(shard * 20, shard * 20 + int(rng.integers(5, 30)))}
            rows = rows_for({q: [int(v) for v in ls] for q, ls in labels.items()}, gold=gold,
                            parsed=lambda q, i: bool(rng.random() > 0.1))
            for r in rows:
                r["completion"] += "x" * int(rng.integers(0, 60))
                r[question] = r.pop("question")
                if task == "trivia":
                    r["answer"] = {"value": r["answer"], "aliases": [r["answer"]]}
                if task == "math" and shard == 3:
                    del r["pred_parsed"]
            sources[task] = task_dir(root, task, rows, "jsonl" if (task, shard) == ("science", 2) else "parquet", shard)
        empty = pa.table({"question": pa.array([], pa.string()), "completion": pa.array([], pa.string()),
                          "correctness_label": pa.array([], pa.int8())})
        pq.write_table(empty, root / task / "verified" / "shard-000009.verified.parquet")
    return sources


EVERY_OPTION = [
    {}, {"mixed_strategy": "upsample"}, {"mixed_strategy": "none", "only_parsed": False}, {"ac_frac": 0.3, "seed": 7},
    {"ac_questions": 3, "aw_questions": 5}, {"ac_keep_per_q": -1, "aw_keep_per_q": "math=3,*=2"},
    {"max_rows_per_task": 40}, {"max_final_task_ratios": "trivia=0.2,dup=0.5", "mixed_strategy": "upsample"},
    {"shuffle_blocks": False}, {"shuffle_blocks": False, "mixed_strategy": "upsample", "max_rows_per_task": "trivia=10"},
    {"ac_frac": 0.0, "seed": 3},
]


@pytest.mark.parametrize("options", EVERY_OPTION, ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()) or "defaults")
def test_streaming_output_equals_the_in_memory_merge(tmp_path, monkeypatch, options):
    sources = varied_inputs(tmp_path)
    stats = merge.run(inputs=sources, out_dir=tmp_path / "out", **options)
    info = merge_in_memory(sources, tmp_path / "oracle.parquet", stats["controls"])
    assert (tmp_path / "out" / merge.OUTPUT_NAME).read_bytes() == (tmp_path / "oracle.parquet").read_bytes()
    assert {k: v for k, v in stats.items() if k not in ("inputs", "controls")} == info
    assert stats["after"]["rows"] > 0
    # rows waiting on disk between the passes, short input batches, row groups of a few rows
    monkeypatch.setattr(write, "IN_MEMORY_BYTES", 0)
    monkeypatch.setattr(write, "READ_BYTES", 300)
    monkeypatch.setattr(write, "GROUP_BYTES", 2_000)
    assert merge.run(inputs=sources, out_dir=tmp_path / "small", **options) == stats
    streamed = pq.ParquetFile(tmp_path / "small" / merge.OUTPUT_NAME)
    assert streamed.num_row_groups > 3 and streamed.read().equals(pq.read_table(tmp_path / "oracle.parquet"))
    assert not [name for name in os.listdir(tmp_path / "small") if name.endswith(".tmp")]  # no spill file left


def generated_inputs(root) -> dict:
    """Two tasks of three shards, each question's rows together in one shard, as generate writes them."""
    rng = np.random.default_rng(1)
    sources = {}
    for task in ("trivia", "math"):
        for shard in (1, 2, 3):
            rows = rows_for({f"{task} q{shard}-{q}": [int(v) for v in rng.integers(0, 2, rng.integers(1, 9))]
                             for q in range(int(rng.integers(5, 30)))})
            for r in rows:
                r["completion"] += "x" * int(rng.integers(0, 60))
            sources[task] = task_dir(root, task, rows, shard=shard)
    return sources


@pytest.mark.parametrize("options", [{}, {"mixed_strategy": "upsample"}, {"max_rows_per_task": "trivia=10"},
                                     {"ac_keep_per_q": -1, "mixed_strategy": "none"}])
def test_output_in_input_order_is_written_in_one_pass(tmp_path, monkeypatch, options):
    sources = generated_inputs(tmp_path)
    stats = merge.run(inputs=sources, out_dir=tmp_path / "out", shuffle_blocks=False, **options)
    merge_in_memory(sources, tmp_path / "oracle.parquet", stats["controls"])
    assert (tmp_path / "out" / merge.OUTPUT_NAME).read_bytes() == (tmp_path / "oracle.parquet").read_bytes()
    # however much is chosen, nothing waits on disk: a row group is written once it is complete
    monkeypatch.setattr(write, "IN_MEMORY_BYTES", 0)
    monkeypatch.setattr(write, "READ_BYTES", 300)
    monkeypatch.setattr(write, "GROUP_BYTES", 2_000)
    on_disk = []
    enter = write._Waiting.__enter__
    monkeypatch.setattr(write._Waiting, "__enter__", lambda self: on_disk.append(self.on_disk) or enter(self))
    assert merge.run(inputs=sources, out_dir=tmp_path / "small", shuffle_blocks=False, **options) == stats
    assert on_disk == [False]
    one_pass = (tmp_path / "small" / merge.OUTPUT_NAME).read_bytes()
    assert pq.ParquetFile(tmp_path / "small" / merge.OUTPUT_NAME).num_row_groups > 3
    # the same bytes as the two passes write for the same row groups
    monkeypatch.setattr(write, "in_input_order", lambda final: False)
    merge.run(inputs=sources, out_dir=tmp_path / "two", shuffle_blocks=False, **options)
    assert on_disk == [False, True] and (tmp_path / "two" / merge.OUTPUT_NAME).read_bytes() == one_pass


def test_an_upsampled_row_is_read_once_per_row_group(tmp_path, monkeypatch):
    source = rows_for({"q": [1] + [0] * 40})
    taken = []
    real = write._output_rows
    monkeypatch.setattr(write, "_output_rows", lambda table, *a: taken.append(table.num_rows) or real(table, *a))
    rows, _ = run_merge(tmp_path, {"math": task_dir(tmp_path, "math", source)}, mixed_strategy="upsample")
    assert Counter(r["completion"] for r in rows)["q/0/1"] == 40
    assert taken == [41]  # 40 copies of one row are 40 indices, not 40 rows read


def test_work_done_ahead_on_a_thread_keeps_order_raises_its_errors_and_stops_with_the_caller():
    import threading

    assert list(write.ahead(iter(range(50)))) == list(range(50))

    def failing():
        yield 1
        raise ValueError("bad shard")

    with pytest.raises(ValueError, match="bad shard"):
        list(write.ahead(failing()))
    made = []

    def endless():
        while True:
            made.append(len(made))
            yield made[-1]

    for item in write.ahead(endless(), depth=2):
        if item == 3:
            break  # the caller stops early (an error, Ctrl-C): the thread must not go on
    assert not [t for t in threading.enumerate() if t.name == "gnosis-merge-ahead"]
    assert len(made) <= 3 + 1 + 2 + 1  # what was consumed, the one in hand, the queue, one more made
