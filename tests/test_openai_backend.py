"""--backend openai against a fake server made for faults (tests/fake_openai.py): the requests
it gets, retries, a failure that ends the run, resume, several servers. The same against a real
vLLM server is in test_vllm_server.py."""
import json

import pandas as pd
import pytest

from conftest import require
from fake_openai import FakeServer
from gnosis_core import schedule
from gnosis_core.backends import openai_backend
from test_bad_input import assert_one_line_error
from test_generate import all_rows, write_questions

require("httpx", "needs httpx (pip install 'gnosis[openai]')")
require("transformers", "needs transformers (pip install 'gnosis[openai]')")

QUESTIONS = [{"question": f"What is {i} plus {i}?", "answer": str(2 * i)} for i in range(6)]
KEY = ["question_index", "sample_index"]


@pytest.fixture(autouse=True)
def fast_retries(monkeypatch):
    monkeypatch.setattr(openai_backend, "RETRY_BASE_S", 0.01)
    monkeypatch.setattr(openai_backend, "DOWN_FOR_S", 0.05)


@pytest.fixture
def tokenizer(tiny_model):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(tiny_model)


def fake(tokenizer, model="served-tiny") -> FakeServer:
    special = set(tokenizer.all_special_ids) | set(tokenizer.convert_tokens_to_ids(["<think>", "</think>"]))
    return FakeServer(model, [i for i in range(len(tokenizer)) if i not in special], tokenizer.eos_token_id,
                      tokenizer.convert_tokens_to_ids("</think>"))


def generate(gnosis, data, save_dir, urls, tiny_model, *extra):
    return gnosis("run", "--task", "math", "--stage", "generate", "--data_path", data, "--save_dir", save_dir,
                  "--backend", "openai", "--base_url", ",".join(urls), "--tokenizer", tiny_model,
                  "--answer_col", "answer", "--num_generations", 2, "--shard_size", 2, "--max_tokens", 24,
                  "--stage2_tokens", 4, "--seed", 7, "--progress", "false", *extra)


def sorted_rows(save_dir) -> pd.DataFrame:
    return all_rows(save_dir).sort_values(KEY).reset_index(drop=True)


@pytest.fixture
def clean_run(tmp_path, gnosis, tiny_model, tokenizer):
    """A fault-free run and the requests its server got."""
    data = write_questions(tmp_path, "csv", QUESTIONS)
    with fake(tokenizer) as server:
        code, out, err = generate(gnosis, data, tmp_path / "clean", [server.url], tiny_model)
    assert code == 0, err
    return data, sorted_rows(tmp_path / "clean"), server.requests


def test_requests_carry_the_vllm_backends_seeds_and_stage_two_continues_the_ids(clean_run, tmp_path, tokenizer):
    _, rows, requests = clean_run
    close = tokenizer.convert_tokens_to_ids("</think>")
    assert len(rows) == 12 and rows["two_step_applied"].any() and not rows["two_step_applied"].all()
    firsts = [r for r in requests if r["prompt"][-1] != close]
    seconds = [r for r in requests if r["prompt"][-1] == close]
    assert len(firsts) == 6 and len(seconds) == rows["two_step_applied"].sum()  # a question's samples: one request
    for first in firsts:
        assert (first["max_tokens"], first["temperature"], first["top_p"], first["n"]) == (20, 0.6, 0.95, 2)
    # sample s of a question draws with request_seed(run seed, question, step) + s, as in-process
    assert sorted(r["seed"] for r in firsts) == sorted(schedule.request_seed(7, q, 1) for q in range(6))
    assert len({tuple(r["prompt"]) for r in firsts}) == 6  # one prompt per question, rendered here
    for second in seconds:
        assert second["n"] == 1 and second["max_tokens"] == 4
        first, s = next((f, s) for f in firsts for s in range(2) if second["prompt"][:len(f["prompt"])] == f["prompt"]
                        and second["seed"] == schedule.request_seed(7, _question(f["seed"]), 2) + s)
        stage1 = fake(tokenizer).complete(first)["choices"][s]
        ids = stage1["token_ids"][:-1] if stage1["finish_reason"] == "stop" else stage1["token_ids"]
        assert second["prompt"] == first["prompt"] + ids + [close]  # the EOS the server returns is dropped
    # the columns: counts from the ids, a forced row is stage 1 + </think> + stage 2
    forced = rows[rows["two_step_applied"]]
    assert (forced["num_output_tokens"] <= 20 + 1 + 4).all() and forced["completion"].str.contains("</think>").all()


def _question(seed: int) -> int:
    return next(q for q in range(6) if schedule.request_seed(7, q, 1) == seed)


def test_429_500_and_dropped_connections_are_retried_and_the_rows_are_those_of_a_clean_run(
        clean_run, tmp_path, gnosis, tiny_model, tokenizer):
    data, clean, _ = clean_run
    with fake(tokenizer) as server:
        server.faults = ["429", "500", "drop", "503", "drop", "429"]
        code, out, err = generate(gnosis, data, tmp_path / "faulty", [server.url], tiny_model)
    assert code == 0, err
    assert server.calls == len(server.requests) + 6
    pd.testing.assert_frame_equal(sorted_rows(tmp_path / "faulty"), clean)
    manifest = json.loads((tmp_path / "faulty" / "manifest.json").read_text())
    assert manifest["server"] == {"urls": [server.url.removesuffix("/v1")], "model": "served-tiny",
                                  "version": "9.9.9-fake"}
    assert manifest["config"]["model_id"] == "served-tiny"  # read from /v1/models


def test_a_request_that_keeps_failing_ends_the_run_in_one_line_and_the_same_command_resumes(
        clean_run, tmp_path, gnosis, tiny_model, tokenizer):
    data, clean, _ = clean_run
    save_dir = tmp_path / "run"
    with fake(tokenizer) as server:
        server.fail_after = 8
        # one request at a time: the first shard is complete before the server starts failing
        result = generate(gnosis, data, save_dir, [server.url], tiny_model, "--retry_for_s", 0.5,
                          "--max_concurrency", 1)
    assert_one_line_error(result, "failed", "HTTP 500: fake fault 500", "run the same command again to resume")
    kept = {p.name: p.read_bytes() for p in save_dir.glob("shard-*")}
    assert 1 <= len(kept) < 3
    with fake(tokenizer) as server:
        code, out, err = generate(gnosis, data, save_dir, [server.url], tiny_model, "--retry_for_s", 0.5)
    assert code == 0, err
    assert {p.name: p.read_bytes() for p in save_dir.glob("shard-*") if p.name in kept} == kept
    resumed = sorted_rows(save_dir)
    assert not resumed.duplicated(KEY).any()
    pd.testing.assert_frame_equal(resumed, clean)  # 0 lost, and the same samples


def test_requests_spread_over_servers_and_a_dying_one_hands_its_requests_to_the_other(
        clean_run, tmp_path, gnosis, tiny_model, tokenizer, monkeypatch):
    data, clean, clean_requests = clean_run
    monkeypatch.setenv("FAKE_SERVER_KEY", "sk-secret-123")
    with fake(tokenizer) as one, fake(tokenizer) as two:
        two.fail_after, two.failure = 3, "drop"  # it dies after 3 completions
        code, out, err = generate(gnosis, data, tmp_path / "two", [one.url, two.url], tiny_model,
                                  "--api_key_env", "FAKE_SERVER_KEY", "--max_concurrency", 4)
    assert code == 0, err
    assert len(two.requests) == 3 and two.calls > 3  # it had its share, then its requests went to the other
    assert len(one.requests) == len(clean_requests) - 3
    pd.testing.assert_frame_equal(sorted_rows(tmp_path / "two"), clean)
    assert set(one.headers) == {"Bearer sk-secret-123"}
    written = "".join(p.read_text(errors="replace") for p in (tmp_path / "two").iterdir() if p.is_file())
    assert "sk-secret" not in written + out + err


@pytest.mark.parametrize("flags, expected", [
    (("--base_url", "ftp://x"), "--base_url expects http(s)://HOST[:PORT][/v1]"),
    (("--base_url", "http://127.0.0.1:9"), "--base_url http://127.0.0.1:9: no server answers"),
    (("--base_url", "URL", "--model_id", "other"), "does not serve --model_id other (it serves: served-tiny)"),
    (("--base_url", "URL", "--api_key_env", "GNOSIS_NO_SUCH_VARIABLE"), "GNOSIS_NO_SUCH_VARIABLE: that environment"),
    (("--base_url", "URL", "--ray"), "--ray starts engines"),
])
def test_server_mistakes_are_one_line_errors_before_any_work(tmp_path, gnosis, tiny_model, tokenizer, flags, expected):
    data = write_questions(tmp_path, "csv", QUESTIONS)
    with fake(tokenizer) as server:
        flags = [server.url if f == "URL" else f for f in flags]
        result = gnosis("run", "--task", "math", "--stage", "generate", "--data_path", data, "--save_dir",
                        tmp_path / "run", "--backend", "openai", "--tokenizer", tiny_model, *flags)
    assert_one_line_error(result, expected)
    assert not (tmp_path / "run").exists()


def test_base_url_belongs_to_the_openai_backend(tmp_path, gnosis, tiny_model):
    result = gnosis("run", "--task", "math", "--stage", "generate", "--model_id", tiny_model, "--save_dir",
                    tmp_path / "run", "--backend", "transformers", "--base_url", "http://localhost:8000")
    assert_one_line_error(result, "--base_url is for --backend openai")


def test_urls_lose_credentials_before_they_are_shown_or_written():
    assert openai_backend.server_urls("http://h:1/v1/, https://u:p@g/x/v1") == ["http://h:1", "https://u:p@g/x"]
    assert openai_backend.without_credentials("https://user:pw@host:8443/v1?key=abc") == "https://host:8443/v1"


def test_requests_in_flight_stay_within_max_concurrency_which_defaults_to_a_queue_beyond_what_servers_run(
        tmp_path, gnosis, tiny_model, tokenizer):
    data = write_questions(tmp_path, "csv", QUESTIONS)
    with fake(tokenizer) as server:
        # sequences, not requests: a question's 2 samples (one request) hold 2 of the 5
        code, _, err = generate(gnosis, data, tmp_path / "capped", [server.url], tiny_model, "--max_concurrency", 5)
        assert code == 0, err
        assert 4 <= server.most_active <= 5
        server.max_running_requests = 5
        backend = openai_backend.OpenAIBackend("served-tiny", base_url=server.url, tokenizer=str(tiny_model))
        backend.close()
        assert backend.slots == openai_backend.QUEUE_FACTOR * 5  # the server's queue holds the next ones
    with fake(tokenizer) as one, fake(tokenizer) as two:
        backend = openai_backend.OpenAIBackend("served-tiny", base_url=f"{one.url},{two.url}", tokenizer=str(tiny_model))
        backend.close()
        assert backend.slots == 2 * openai_backend.DEFAULT_CONCURRENCY


def run_through_gate(size: int, wants: list[int], cancel: set[int] = frozenset()) -> tuple[list[int], int]:
    """Requests for ``wants[i]`` sequences go through one gate of ``size`` in turn, each holding
    its place a moment; those in ``cancel`` are cancelled while they wait. Returns the order
    they got in and the most sequences held at once."""
    import asyncio

    async def main():
        gate, order, most = openai_backend._Gate(size), [], 0

        async def request(i: int):
            nonlocal most
            async with gate.hold(wants[i]):
                order.append(i)
                most = max(most, gate.used)
                await asyncio.sleep(0.001 * (1 + i % 3))

        tasks = []
        for i in range(len(wants)):
            tasks.append(asyncio.ensure_future(request(i)))
            await asyncio.sleep(0)  # each is queued before the next comes
        for i in cancel:
            tasks[i].cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        assert gate.used == 0 and not gate.waiting  # nothing held after the last one, cancelled ones included
        return order, most

    return asyncio.run(main())


def test_the_gate_lets_requests_in_first_come_first_served_within_its_size():
    order, most = run_through_gate(8, [3, 3, 3, 2, 4, 1, 8, 2])
    assert order == list(range(8))  # a small request does not pass one that waits before it
    assert most == 8


def test_a_request_larger_than_the_gate_runs_alone_and_cancelled_waiters_give_their_place_back():
    order, most = run_through_gate(4, [2, 9, 1, 1, 3], cancel={2})
    assert order == [0, 1, 3, 4]
    assert most == 9  # the one of 9 ran, alone: the gate was empty when it went in
