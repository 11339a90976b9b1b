"""The generate stage on CPU with the transformers backend and a tiny random model."""
import json
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from gnosis_core import registry, shards
from gnosis_core.backends import Sample, Sampling, vllm_backend
from gnosis_core.stages import generate
from tiny_model import build_tiny_model

OUTPUT_COLUMNS = {"question", "answer", "solution", "original_source", "completion", "finish_reason",
                  "num_output_tokens", "two_step_applied"}
QUESTIONS = [{"question": f"What is {i} plus {i}?", "answer": str(2 * i), "source": "arith"} for i in range(7)]
FAST = ("--backend", "transformers", "--max_tokens", 12, "--stage2_tokens", 4, "--progress", "false")


def write_questions(folder: Path, fmt: str, rows=QUESTIONS) -> Path:
    import datasets

    datasets.disable_progress_bars()  # the tests read the CLI's stderr
    frame = pd.DataFrame(rows)
    folder.mkdir(parents=True, exist_ok=True)
    if fmt == "disk":
        from datasets import Dataset, DatasetDict
        path = folder / "questions_ds"
        DatasetDict(test=Dataset.from_pandas(frame)).save_to_disk(str(path))
        return path
    path = folder / f"questions.{fmt}"
    if fmt == "csv":
        frame.to_csv(path, index=False)
    elif fmt == "parquet":
        frame.to_parquet(path)
    else:
        frame.to_json(path, orient="records", lines=True)
    return path


def all_rows(save_dir: Path) -> pd.DataFrame:
    return pd.concat([shards.read_frame(p) for p in shards.find_shards(save_dir, ["shard-*.*"])], ignore_index=True)


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet", "disk"])
def test_generate_end_to_end_from_every_source(tmp_path, gnosis, tiny_model, fmt):
    data = write_questions(tmp_path, fmt)
    save_dir = tmp_path / "run"
    code, out, err = gnosis("run", "--task", "math", "--stage", "generate", "--data_path", data,
                            "--model_id", tiny_model, "--save_dir", save_dir, "--num_generations", 2,
                            "--shard_size", 3, "--answer_col", "answer", *FAST)
    assert code == 0, err
    files = sorted(p.name for p in save_dir.glob("shard-*"))
    assert files == ["shard-000001.parquet", "shard-000002.parquet", "shard-000003.parquet"]
    assert [pq.read_metadata(save_dir / f).num_rows for f in files] == [6, 6, 2]
    rows = all_rows(save_dir)
    assert OUTPUT_COLUMNS <= set(rows.columns)
    assert rows.groupby("question_index").size().eq(2).all() and len(rows) == 14
    assert set(rows["original_source"]) == {"arith"} and rows["answer"].tolist()[:2] == ["0", "0"]
    assert rows["solution"].isna().all()
    manifest = json.loads((save_dir / "manifest.json").read_text())
    assert [s["question_indices"] for s in manifest["shards"]] == [[0, 1, 2], [3, 4, 5], [6]]
    assert manifest["config"]["model_id"] == str(tiny_model) and manifest["dataset"]["rows"] == 7
    assert "transformers" in manifest["versions"]


def test_two_step_bookkeeping_with_a_tiny_budget(tmp_path, gnosis, tiny_model):
    data = write_questions(tmp_path, "csv", QUESTIONS[:2])
    save_dir = tmp_path / "run"
    code, _, err = gnosis("run", "--task", "trivia", "--stage", "generate", "--data_path", data, "--model_id",
                          tiny_model, "--save-dir", save_dir, "--num_generations", 3, *FAST)
    assert code == 0, err
    rows = all_rows(save_dir)
    forced = rows[rows["two_step_applied"]]
    assert len(forced) > 0  # 8 random tokens almost never close the reasoning
    assert forced["completion"].str.contains("</think>", regex=False).all()
    assert (forced["num_output_tokens"] <= 8 + 1 + 4).all() and (forced["num_output_tokens"] > 8).all()


class ScriptedEngine:
    """Returns given stage-1 samples, and records every call."""

    def __init__(self, tokenizer, first):
        self.tokenizer, self.first, self.calls = tokenizer, first, []

    def generate(self, prompts, n, max_tokens, sampling):
        self.calls.append((len(prompts), n, max_tokens))
        if len(self.calls) == 1:
            return self.first
        return [[Sample([7, 8], "Answer", "stop")] for _ in prompts]


@pytest.mark.parametrize("thinking", [True, False])
def test_only_samples_without_closing_think_get_a_second_step(tiny_model, thinking):
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(tiny_model)
    close = tokenizer.convert_tokens_to_ids("</think>")
    first = [[Sample([5, close, 6], "a</think>b", "stop"), Sample([5, 5, 5], "aaa", "length")]]
    engine = ScriptedEngine(tokenizer, first)
    prompter = generate.Prompter(tokenizer, registry.get_task("trivia"), thinking=thinking, two_step=None)
    config = {"max_tokens": 20, "stage2_tokens": 5, "num_generations": 2}
    rows = generate.generate_rows(engine, prompter, [{"question_index": 0, "question": "q"}], config, Sampling())
    if thinking:
        assert engine.calls == [(1, 2, 15), (1, 1, 5)]  # one batched call per stage
        assert [r["two_step_applied"] for r in rows] == [False, True]
        assert rows[1]["completion"] == "aaa</think>Answer" and rows[1]["num_output_tokens"] == 3 + 1 + 2
        assert rows[1]["finish_reason"] == "stop"
    else:  # the template already closed an empty think block: nothing to force
        assert engine.calls == [(1, 2, 15)]
        assert [r["two_step_applied"] for r in rows] == [False, False]
    assert rows[0]["completion"] == "a</think>b" and rows[0]["num_output_tokens"] == 3


def test_template_that_opens_think_keeps_the_tag_in_the_completion(tmp_path):
    from transformers import AutoTokenizer
    from tiny_model import CHAT_TEMPLATE

    folder = build_tiny_model(tmp_path / "opens", chat_template=CHAT_TEMPLATE.replace(
        "{%- endif %}{%- endif %}", "{%- else %}{{- '<think>\\n' }}{%- endif %}{%- endif %}"))
    tokenizer = AutoTokenizer.from_pretrained(folder)
    engine = ScriptedEngine(tokenizer, [[Sample([5], "still going", "length")]])
    prompter = generate.Prompter(tokenizer, registry.get_task("trivia"), thinking=True, two_step=False)
    rows = generate.generate_rows(engine, prompter, [{"question_index": 0, "question": "q"}],
                                  {"max_tokens": 20, "stage2_tokens": 5, "num_generations": 1}, Sampling())
    assert rows[0]["completion"] == "<think>\nstill going"  # unfinished reasoning stays recognisable


def test_tokenizer_without_think_token_turns_two_step_off_with_a_warning(tmp_path, gnosis, capsys):
    folder = build_tiny_model(tmp_path / "plain", think_tokens=False)
    data = write_questions(tmp_path, "csv", QUESTIONS[:1])
    code, _, err = gnosis("run", "--task", "trivia", "--stage", "generate", "--data_path", data, "--model_id",
                          folder, "--save_dir", tmp_path / "run", "--two_step", "true", *FAST)
    assert code == 0
    assert len([l for l in err.splitlines() if "two-step generation is off" in l]) == 1
    assert not all_rows(tmp_path / "run")["two_step_applied"].any()


def test_subset_is_reproducible(tmp_path, gnosis, tiny_model):
    data = write_questions(tmp_path, "jsonl", [{"question": f"q{i}", "answer": "a"} for i in range(20)])
    chosen = []
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        code, _, err = gnosis("run", "--task", "trivia", "--stage", "generate", "--data_path", data, "--model_id",
                              tiny_model, "--save_dir", tmp_path / name, "--max_questions", 5, "--seed", seed,
                              "--num_generations", 1, *FAST)
        assert code == 0, err
        chosen.append(sorted(set(all_rows(tmp_path / name)["question_index"])))
    assert chosen[0] == chosen[1] and len(chosen[0]) == 5 and chosen[0] != chosen[2]


@pytest.mark.parametrize("rows, mode, expected", [
    ([{"question": "Pick", "option_a": "x", "option_b": "y", "answer": "A"}], "auto", "Pick\n\nA. x\nB. y"),
    ([{"question": "Pick", "options": ["x", "y", "z"], "answer": "A"}], "newlines", "Pick\n\nA. x\nB. y\nC. z"),
    ([{"question": "Pick", "options": ["x", "y"], "answer": "A"}], "inline", "Pick (A) x (B) y"),
    ([{"question": "Pick\nA. x\nB. y", "options": ["x", "y"], "answer": "A"}], "auto", "Pick\nA. x\nB. y"),
    ([{"question": "Pick", "options": ["x", "y"], "answer": "A"}], "none", "Pick"),
])
def test_mcq_options_are_appended(tmp_path, gnosis, tiny_model, rows, mode, expected):
    data = write_questions(tmp_path, "jsonl", rows)
    code, _, err = gnosis("run", "--task", "gpqa", "--stage", "generate", "--data_path", data, "--model_id", tiny_model,
                          "--save_dir", tmp_path / "run", "--mcq_append_options", mode, "--num_generations", 1, *FAST)
    assert code == 0, err
    assert all_rows(tmp_path / "run")["question"].tolist() == [expected]


def _interrupt_after(monkeypatch, target, attribute, calls_before_failure):
    real = getattr(target, attribute)
    count = {"n": 0}

    def flaky(*args, **kwargs):
        count["n"] += 1
        if count["n"] > calls_before_failure:
            raise KeyboardInterrupt  # as if the job were killed here
        return real(*args, **kwargs)

    monkeypatch.setattr(target, attribute, flaky)


@pytest.mark.parametrize("where", ["between_shards", "inside_a_shard", "before_the_manifest"])
def test_resume_after_interruption(tmp_path, gnosis, tiny_model, monkeypatch, where):
    from gnosis_core.backends.transformers_backend import TransformersBackend

    data = write_questions(tmp_path, "csv")
    args = ("run", "--task", "math", "--stage", "generate", "--data_path", data, "--model_id", tiny_model,
            "--save_dir", tmp_path / "run", "--num_generations", 2, "--shard_size", 2, "--answer_col", "answer", *FAST)
    with monkeypatch.context() as patch:
        if where == "between_shards":
            _interrupt_after(patch, generate.shards, "write_table", 2)
        elif where == "inside_a_shard":
            _interrupt_after(patch, TransformersBackend, "generate", 3)  # stage 1 of the second shard ran
        else:
            _interrupt_after(patch, generate, "_write_manifest", 1)
        assert gnosis(*args)[0] == 130
    assert not list((tmp_path / "run").glob(".*tmp"))  # never a partial shard
    code, out, err = gnosis(*args)
    assert code == 0, err
    rows = all_rows(tmp_path / "run")
    assert rows.groupby("question_index").size().to_dict() == {i: 2 for i in range(7)}
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text())
    assert sorted(i for s in manifest["shards"] for i in s["question_indices"]) == list(range(7))
    assert gnosis(*args)[1].strip().endswith("all 7 questions already generated")


def test_rerun_with_other_flags_names_them_unless_overwrite(tmp_path, gnosis, tiny_model):
    data = write_questions(tmp_path, "csv", QUESTIONS[:2])
    base = ("run", "--task", "trivia", "--stage", "generate", "--data_path", data, "--model_id", tiny_model,
            "--save_dir", tmp_path / "run", *FAST)
    assert gnosis(*base, "--num_generations", 1)[0] == 0
    code, _, err = gnosis(*base, "--num_generations", 2, "--temperature", 0.9)
    assert code == 2 and "--num_generations (1 -> 2)" in err and "--temperature (0.6 -> 0.9)" in err
    (tmp_path / "run" / "verified").mkdir()
    (tmp_path / "run" / "verified" / "shard-000009.verified.parquet").write_bytes(b"old labels")
    assert gnosis(*base, "--num_generations", 2, "--temperature", 0.9, "--overwrite")[0] == 0
    assert len(all_rows(tmp_path / "run")) == 4
    assert not list((tmp_path / "run" / "verified").glob("shard-*"))  # no stale labels left to merge


@pytest.mark.parametrize("make, expected", [
    (lambda d: write_questions(d, "csv", [{"text": "q", "answer": "a"}]),
     "no question column (looked for prompt, question, query, input, instruction; pass --question_col); columns found: text, answer"),
    (lambda d: d / "missing.csv", "missing.csv: no such file"),
    (lambda d: write_questions(d, "disk"), "no split 'validation'; available splits: test"),
])
def test_bad_sources_are_one_line_errors(tmp_path, gnosis, tiny_model, make, expected):
    data = make(tmp_path)
    extra = ("--dataset_split", "validation") if data.name == "questions_ds" else ()
    code, _, err = gnosis("run", "--task", "trivia", "--stage", "generate", "--data_path", data, *extra,
                          "--model_id", tiny_model, "--save_dir", tmp_path / "run", *FAST)
    assert code == 2 and expected in err and len(err.strip().splitlines()) == 1, err


def test_question_col_override_and_stage_all_labels(tmp_path, gnosis, tiny_model):
    data = write_questions(tmp_path, "parquet", [{"text": "What is the capital of France?", "gold": "Paris"}])
    code, out, err = gnosis("run", "--task", "trivia", "--stage", "all", "--data_path", data, "--model_id", tiny_model,
                            "--save_dir", tmp_path / "run", "--question_col", "text", "--answer_col", "gold", *FAST)
    assert code == 0, err
    verified = pq.read_table(tmp_path / "run" / "verified" / "shard-000001.verified.parquet").to_pylist()
    assert len(verified) == 2 and {"correctness_label", "pred_parsed", "two_step_applied"} <= set(verified[0])
    assert verified[0]["answer"] == "Paris" and "total: rows=2" in out


def test_vllm_requests_are_built_without_vllm():
    engine = vllm_backend.engine_kwargs("Qwen/Qwen3-8B", tensor_parallel_size=2, max_model_len=4096)
    assert engine["enable_prefix_caching"] is True and engine["trust_remote_code"] is False
    assert engine["tensor_parallel_size"] == 2 and engine["max_model_len"] == 4096
    params = vllm_backend.sampling_kwargs(4, 100, Sampling(temperature=0.0, top_p=0.5))
    assert params == {"n": 4, "max_tokens": 100, "temperature": 0.0, "top_p": 1.0}
    assert vllm_backend.token_prompts([[1, 2], [3]]) == [{"prompt_token_ids": [1, 2]}, {"prompt_token_ids": [3]}]

    class Out:
        def __init__(self, ids, reason):
            self.token_ids, self.text, self.finish_reason = tuple(ids), "t", reason

    class Request:
        outputs = [Out([1], "stop"), Out([2, 3], "length")]

    samples = vllm_backend.to_samples([Request()])
    assert [(s.token_ids, s.finish_reason) for s in samples[0]] == [([1], "stop"), ([2, 3], "length")]


def test_vllm_backend_without_vllm_is_a_clear_error(tmp_path, gnosis, tiny_model):
    pytest.importorskip("torch")
    try:
        import vllm  # noqa: F401
        pytest.skip("vllm is installed")
    except ImportError:
        pass
    data = write_questions(tmp_path, "csv", QUESTIONS[:1])
    code, _, err = gnosis("run", "--task", "trivia", "--stage", "generate", "--data_path", data,
                          "--model_id", tiny_model, "--save_dir", tmp_path / "run")
    assert code == 2 and 'pip install "gnosis[vllm]"' in err


def _gpu_with_vllm() -> bool:
    try:
        import torch
        import vllm  # noqa: F401
        return torch.cuda.is_available()
    except ImportError:
        return False


@pytest.mark.gpu
@pytest.mark.skipif(not _gpu_with_vllm(), reason="needs vllm and a CUDA GPU")
def test_vllm_end_to_end(tmp_path, gnosis, tiny_model):
    data = write_questions(tmp_path, "csv", QUESTIONS[:3])
    code, _, err = gnosis("run", "--task", "math", "--stage", "generate", "--data_path", data, "--model_id", tiny_model,
                          "--save_dir", tmp_path / "run", "--backend", "vllm", "--max_tokens", 12, "--stage2_tokens", 4,
                          "--num_generations", 2, "--answer_col", "answer", "--gpu_memory_utilization", 0.3)
    assert code == 0, err
    rows = all_rows(tmp_path / "run")
    assert len(rows) == 6 and rows["two_step_applied"].any()


def test_trivia_answer_dict_is_kept_whole_in_jsonl_shards_and_graded(tmp_path, gnosis, tiny_model):
    gold = {"value": "Paris", "aliases": ["Paris", "City of Light"], "normalized_aliases": ["paris"],
            "type": "WikipediaEntity"}
    data = write_questions(tmp_path, "jsonl", [{"question": "What is the capital of France?", "answer": gold}])
    save_dir = tmp_path / "run"
    code, out, err = gnosis("run", "--task", "trivia", "--stage", "all", "--data_path", data, "--model_id", tiny_model,
                            "--save_dir", save_dir, "--shard_fmt", "jsonl", "--num_generations", 1, *FAST)
    assert code == 0, err
    assert [p.name for p in save_dir.glob("shard-*")] == ["shard-000001.jsonl"]
    row = shards.read_jsonl(save_dir / "shard-000001.jsonl")[0]
    assert row["answer"]["aliases"] == gold["aliases"]
    verified = shards.read_jsonl(save_dir / "verified" / "shard-000001.verified.jsonl")[0]
    assert verified["answer"] == row["answer"] and verified["correctness_label"] in (0, 1)


def test_missing_default_benchmark_file_points_to_prepare(tmp_path, gnosis, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = gnosis("run", "--task", "gpqa", "--stage", "generate", "--model_id", "m", "--save_dir", "run")
    assert code == 2 and "gnosis prepare gpqa" in err and "data/test/gpqa_diamond.csv" in err
