"""The generate stage on CPU with the transformers backend and a tiny random model."""
import json
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from conftest import require
from gnosis_core import registry, schedule, shards
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
    """Answers request ``q/s/stage`` with ``script[(q, s, stage)]`` after ``delay[(q, s, stage)]``
    polls (0 by default), and records every request."""

    slots = 2

    def __init__(self, tokenizer, script, delay=None):
        self.tokenizer, self.script, self.delay = tokenizer, script, delay or {}
        self.requests, self.queue, self.polls = [], {}, 0

    def submit(self, request_id, prompt, max_tokens, sampling):
        key = tuple(int(part) for part in request_id.split("/"))
        self.requests.append((key, len(prompt), max_tokens, sampling.seed, self.polls))
        self.queue[request_id] = self.delay.get(key, 0)

    def poll(self):
        self.polls += 1
        ready = [rid for rid, wait in self.queue.items() if wait == 0]
        self.queue = {rid: wait - 1 for rid, wait in self.queue.items() if wait > 0}
        return [(rid, self.script.get(tuple(int(p) for p in rid.split("/")), Sample([7, 8], "Answer", "stop")))
                for rid in ready]

    def close(self):
        pass


@pytest.fixture
def tiny_tokenizer(tiny_model):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(tiny_model)


@pytest.mark.parametrize("thinking", [True, False])
def test_only_samples_without_closing_think_get_a_second_step(tiny_tokenizer, thinking):
    close = tiny_tokenizer.convert_tokens_to_ids("</think>")
    script = {(0, 0, 1): Sample([5, close, 6], "a</think>b", "stop"), (0, 1, 1): Sample([5, 5, 5], "aaa", "length")}
    engine = ScriptedEngine(tiny_tokenizer, script)
    prompter = generate.Prompter(tiny_tokenizer, registry.get_task("trivia"), thinking=thinking, two_step=None)
    config = {"max_tokens": 20, "stage2_tokens": 5, "num_generations": 2, "temperature": 0.6, "top_p": 0.95, "seed": 1}
    rows = generate.generate_rows(engine, prompter, [{"question_index": 0, "question": "q"}], config)
    stage1 = [(key, budget) for key, _, budget, _, _ in engine.requests if key[2] == 1]
    if thinking:
        assert stage1 == [((0, 0, 1), 15), ((0, 1, 1), 15)]  # room is left for the forced answer
        assert [(key, budget) for key, _, budget, _, _ in engine.requests if key[2] == 2] == [((0, 1, 2), 5)]
        prompt_len = engine.requests[0][1]
        assert engine.requests[2][1] == prompt_len + 3 + 1  # prompt + stage 1 + </think>
        assert [r["two_step_applied"] for r in rows] == [False, True]
        assert rows[1]["completion"] == "aaa</think>Answer" and rows[1]["num_output_tokens"] == 3 + 1 + 2
        assert rows[1]["finish_reason"] == "stop"
    else:  # the template already closed an empty think block: nothing to force, stage 1 gets it all
        assert stage1 == [((0, 0, 1), 20), ((0, 1, 1), 20)] and len(engine.requests) == 2
        assert [r["two_step_applied"] for r in rows] == [False, False]
    assert rows[0]["completion"] == "a</think>b" and rows[0]["num_output_tokens"] == 3


def test_a_sample_that_ended_its_turn_without_closing_think_is_forced(tiny_tokenizer):
    # backends hand over ids without the end-of-turn token, so </think> follows the reasoning
    engine = ScriptedEngine(tiny_tokenizer, {(0, 0, 1): Sample([5, 6], "ab", "stop")})
    prompter = generate.Prompter(tiny_tokenizer, registry.get_task("trivia"), thinking=True, two_step=None)
    config = {"max_tokens": 20, "stage2_tokens": 5, "num_generations": 1, "temperature": 0.6, "top_p": 0.95, "seed": 1}
    rows = generate.generate_rows(engine, prompter, [{"question_index": 0, "question": "q"}], config)
    assert rows[0]["two_step_applied"] and rows[0]["completion"] == "ab</think>Answer"


def _stream(engine, tokenizer, questions, shard_size, **options):
    prompter = generate.Prompter(tokenizer, registry.get_task("trivia"), thinking=True, two_step=None)
    config = {"max_tokens": 20, "stage2_tokens": 5, "num_generations": 2, "temperature": 0.6, "top_p": 0.95, "seed": 3}
    return list(schedule.stream_shards(engine, prompter, questions, config, shard_size, **options))


def test_streaming_writes_a_shard_when_complete_and_continues_each_sample_at_once(tiny_tokenizer):
    questions = [{"question_index": i, "question": f"q{i}"} for i in range(6)]
    script = {(i, s, 1): Sample([5], "x", "length") for i in range(6) for s in range(2)}
    slow = {(0, 1, 1): 5}  # question 0's second sample thinks for five more engine steps
    engine = ScriptedEngine(tiny_tokenizer, script, slow)
    out = _stream(engine, tiny_tokenizer, questions, 2, max_active=4)
    assert [[q["question_index"] for q in part] for part, _ in out] == [[2, 3], [4, 5], [0, 1]]
    for part, rows in out:  # every shard whole: its questions, in order, two samples each
        assert [(r["question_index"], r["sample_index"]) for r in rows] == [
            (q["question_index"], s) for q in part for s in range(2)]
    submitted_at = {key: poll for key, _, _, _, poll in engine.requests}
    assert submitted_at[(0, 0, 2)] == 1  # its stage 2 did not wait for the slow sample
    # at most 4 questions in flight: question 4 waited for room, and got it as soon as questions finished
    assert submitted_at[(4, 0, 1)] == 2 and submitted_at[(4, 0, 1)] < submitted_at[(0, 1, 2)]


def test_barrier_schedule_runs_one_shard_at_a_time(tiny_tokenizer):
    questions = [{"question_index": i, "question": f"q{i}"} for i in range(4)]
    script = {(i, s, 1): Sample([5], "x", "length") for i in range(4) for s in range(2)}
    engine = ScriptedEngine(tiny_tokenizer, script, {(0, 1, 1): 3})
    out = _stream(engine, tiny_tokenizer, questions, 2, barrier=True)
    assert [[q["question_index"] for q in part] for part, _ in out] == [[0, 1], [2, 3]]
    submitted_at = {key: poll for key, _, _, _, poll in engine.requests}
    assert submitted_at[(0, 0, 2)] == submitted_at[(0, 1, 2)] == 4  # stage 2 waits for the whole shard
    assert submitted_at[(2, 0, 1)] > submitted_at[(1, 1, 2)]


def test_progress_line_says_what_the_engine_does():
    import io

    from tqdm import tqdm

    out = io.StringIO()
    bar = tqdm(total=10, initial=2, file=out, disable=False, mininterval=0)
    line = generate.ProgressLine(bar)
    line(schedule.Counters(questions=3, completions=6, output_tokens=600, in_engine=14))
    bar.refresh()
    assert bar.n == 5 and "completions/s" in out.getvalue() and "tok/s" in out.getvalue()
    assert "14 sequences in engine" in out.getvalue()
    line(schedule.Counters(questions=4, completions=8, output_tokens=800, in_engine=2))
    assert bar.n == 6  # counts questions once


def test_request_seeds_depend_on_the_question_not_on_the_batch(tiny_tokenizer):
    questions = [{"question_index": i, "question": f"q{i}"} for i in (3, 8, 9)]
    seeds = []
    for shard_size, active in ((1, 1), (3, 3), (2, 1)):
        engine = ScriptedEngine(tiny_tokenizer, {})
        _stream(engine, tiny_tokenizer, questions if shard_size != 2 else questions[::-1], shard_size,
                max_active=active)
        seeds.append({key: seed for key, _, _, seed, _ in engine.requests})
    assert seeds[0] == seeds[1] == seeds[2]
    assert len(set(seeds[0].values())) == len(seeds[0]) == 3 * 2 * 2  # each sample and step its own seed
    engine = ScriptedEngine(tiny_tokenizer, {})
    prompter = generate.Prompter(tiny_tokenizer, registry.get_task("trivia"), thinking=True, two_step=None)
    config = {"max_tokens": 20, "stage2_tokens": 5, "num_generations": 2, "temperature": 0.6, "top_p": 0.95, "seed": 4}
    list(schedule.stream_shards(engine, prompter, questions, config, 3))
    assert not set(seeds[0].values()) & {seed for *_, seed, _ in engine.requests}  # another --seed, other draws


def test_template_that_opens_think_keeps_the_tag_in_the_completion(tmp_path):
    from transformers import AutoTokenizer
    from tiny_model import CHAT_TEMPLATE

    folder = build_tiny_model(tmp_path / "opens", chat_template=CHAT_TEMPLATE.replace(
        "{%- endif %}{%- endif %}", "{%- else %}{{- '<think>\\n' }}{%- endif %}{%- endif %}"))
    tokenizer = AutoTokenizer.from_pretrained(folder)
    engine = ScriptedEngine(tokenizer, {(0, 0, 1): Sample([5], "still going", "length")})
    prompter = generate.Prompter(tokenizer, registry.get_task("trivia"), thinking=True, two_step=False)
    rows = generate.generate_rows(engine, prompter, [{"question_index": 0, "question": "q"}],
                                  {"max_tokens": 20, "stage2_tokens": 5, "num_generations": 1, "temperature": 0.6,
                                   "top_p": 0.95, "seed": 0})
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
            _interrupt_after(patch, TransformersBackend, "poll", 1)  # stage 1 ran, no shard complete yet
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


def test_a_run_seeded_by_an_earlier_scheme_resumes_with_a_warning(tmp_path, gnosis, tiny_model):
    data = write_questions(tmp_path, "csv")

    def run(save_dir, *extra):
        return gnosis("run", "--task", "trivia", "--stage", "generate", "--data_path", data, "--model_id", tiny_model,
                      "--save_dir", save_dir, "--num_generations", 1, "--shard_size", 2, *FAST, *extra)

    assert run(tmp_path / "run", "--max_questions", 4)[0] == 0
    path = tmp_path / "run" / "manifest.json"
    manifest = json.loads(path.read_text())
    assert manifest["seeding"] == generate.schedule.SEEDING
    del manifest["seeding"]  # as an earlier gnosis wrote it, four questions in
    manifest["config"]["max_questions"] = None
    path.write_text(json.dumps(manifest))
    code, _, err = run(tmp_path / "run")
    assert code == 0 and "2 shard(s) so far were drawn by an earlier gnosis that seeded samples differently" in err
    assert len(all_rows(tmp_path / "run")) == 7
    # a run drawn one way is resumed without a word
    assert run(tmp_path / "fresh")[0] == 0
    code, out, err = run(tmp_path / "fresh")
    assert code == 0 and "already generated" in out and "seeded" not in err


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
    params = vllm_backend.sampling_kwargs(100, Sampling(temperature=0.0, top_p=0.5, seed=9))
    assert params == {"n": 1, "max_tokens": 100, "temperature": 0.0, "top_p": 1.0, "seed": 9}

    class Out:
        def __init__(self, ids, reason, stop_reason=None):
            self.token_ids, self.text, self.finish_reason, self.stop_reason = tuple(ids), "t", reason, stop_reason

    # vLLM leaves the EOS (or stop-token) id at the end of token_ids; a stop string is not a token
    samples = [vllm_backend.without_stop_id(o) for o in (Out([1, 2], "stop"), Out([1, 2], "stop", 2),
                                                          Out([1, 2], "stop", "\n\n"), Out([2, 3], "length"))]
    assert samples == [([1], "stop"), ([1], "stop"), ([1, 2], "stop"), ([2, 3], "length")]


def test_vllm_backend_without_vllm_is_a_clear_error(tmp_path, gnosis, tiny_model):
    require("torch", "needs torch (pip install 'gnosis[hf]')")
    try:
        import vllm  # noqa: F401
        pytest.skip("vllm is installed")
    except ImportError:
        pass
    data = write_questions(tmp_path, "csv", QUESTIONS[:1])
    code, _, err = gnosis("run", "--task", "trivia", "--stage", "generate", "--data_path", data,
                          "--model_id", tiny_model, "--save_dir", tmp_path / "run")
    assert code == 2 and 'pip install "gnosis[vllm]"' in err


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


def test_a_sample_decoded_as_its_prompts_continuation_keeps_its_leading_space():
    """A SentencePiece-style tokenizer drops the space of a first token decoded on its own;
    decoded after the prompt's last tokens (as vLLM's detokenizer does) the sample keeps it, so
    prompt and completion texts join up to the text of the whole."""
    require("transformers", "needs transformers (pip install 'gnosis[hf]')")
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    from gnosis_core.backends import decode_continuations

    core = Tokenizer(models.BPE(unk_token="<unk>"))
    core.pre_tokenizer, core.decoder = pre_tokenizers.Metaspace(), decoders.Metaspace()
    core.train_from_iterator(["Say it. The answer is four."] * 4,
                             trainers.BpeTrainer(vocab_size=100, special_tokens=["<unk>", "</s>"]))
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=core, eos_token="</s>")
    ids = tokenizer("Say it. The answer is four.", add_special_tokens=False)["input_ids"]
    cut = tokenizer.convert_ids_to_tokens(ids).index("\u2581The")
    prompt, sample = ids[:cut], ids[cut:]
    assert tokenizer.decode(sample) == "The answer is four."  # alone, the space is gone
    (text,) = decode_continuations(tokenizer, [prompt], [sample + [tokenizer.eos_token_id]])
    assert text == " The answer is four."
    assert tokenizer.decode(prompt) + text == tokenizer.decode(ids)
