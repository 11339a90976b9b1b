"""gnosis generate over a vLLM server (--backend openai) vs one raw in-process LLM.generate call,
with the tiny random model of the tests on vLLM-CPU.

Runs over the same questions and sampling, one after the other (never two engines at once on
a small machine): one raw ``LLM.generate`` call over all prompts (in a process of its own,
engine loading not timed); then against one server (``python -m vllm.entrypoints.openai.api_server``,
started before the clock) the server's own ceiling (a bare asyncio loop, a request per sample
or per question; every prompt in one request), ``generate.run --backend openai`` in one step,
as the raw call does, and with two-step (the random model never closes its reasoning, so
every sample gets a stage 2: the worst case); then one step against two server processes
given as two ``--base_url``s. Prints output tokens/s of each, the ratio to the raw call, and
the CPU time of this process per 1,000 requests (the client: rendering, HTTP, decoding,
shards). Needs the vLLM environment (.venv-vllm, see .ci/run):

    .venv-vllm/bin/python bench/generate_openai.py [--questions 512] [--num_generations 2] [--max_tokens 256]
"""
from __future__ import annotations

import argparse
import json
import os
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
    parser.add_argument("--questions", type=int, default=512)
    parser.add_argument("--num_generations", type=int, default=2)
    parser.add_argument("--max_tokens", type=int, default=256)
    parser.add_argument("--stage2_tokens", type=int, default=32)
    parser.add_argument("--two_servers", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--raw_call_in", help=argparse.SUPPRESS)  # the raw call, in a process of its own
    args = parser.parse_args()
    if args.raw_call_in:
        model, text = json.loads(Path(args.raw_call_in).read_text())
        from gnosis_core import registry

        print(json.dumps(raw_call(model, registry.get_task("math"), text, args)))
        return

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
    results = {}

    # in a process of its own: vLLM's objects would make every garbage collection of the client
    # (this process) slow, which a user's gnosis process does not have
    (work / "raw.json").write_text(json.dumps([model, text]))
    raw = subprocess.run([sys.executable, __file__, *sys.argv[1:], "--raw_call_in", str(work / "raw.json")],
                         check=True, stdout=subprocess.PIPE, text=True)
    tokens, seconds = json.loads(raw.stdout.strip().splitlines()[-1])
    results["raw LLM.generate, one call (in-process)"] = (tokens, seconds, None)

    def over(servers: list[VLLMServer], runs: list[tuple[str, bool]], after=None):
        import httpx

        for server in servers:
            server.start()
            httpx.post(f"{server.url}/completions", json={"model": model, "prompt": "Warm up", "max_tokens": 8},
                       timeout=120)
        try:
            for name, two_step in runs:
                save_dir = work / name.replace(" ", "-").replace(",", "")
                cpu, begin = time.process_time(), time.perf_counter()
                generate.run(task, model_id=model, save_dir=str(save_dir), data_path=str(data), answer_col="answer",
                             num_generations=args.num_generations, max_tokens=args.max_tokens,
                             stage2_tokens=args.stage2_tokens, two_step=two_step, progress=False, backend="openai",
                             base_url=",".join(s.url for s in servers))
                seconds, cpu = time.perf_counter() - begin, time.process_time() - cpu
                rows = [r for p in sorted(save_dir.glob("shard-*")) for r in shards.read_table(p).to_pylist()]
                # a question's samples are one request; a forced stage 2 is one more
                requests = len(rows) // args.num_generations + sum(r["two_step_applied"] for r in rows)
                results[name] = (sum(r["num_output_tokens"] for r in rows), seconds, 1000 * cpu / requests)
                forced[name] = (sum(r["two_step_applied"] for r in rows), len(rows), requests)
            if after:  # the bare loops after gnosis: gnosis meets the server as it starts
                after(servers[0])
        finally:
            for server in servers:
                server.stop()

    forced = {}
    flags = ("--max-model-len", "1024", "--disable-uvicorn-access-log")
    over([VLLMServer(Path(model), work / "server-1.log", flags)],
         [("gnosis --backend openai, 1 server", False), ("the same, again", False), ("the same, two-step", True)],
         lambda server: plain_http(server, model, text, args, results))
    if args.two_servers:
        over([VLLMServer(Path(model), work / f"server-2{i}.log", flags) for i in "ab"],
             [("gnosis --backend openai, 2 servers", False)])

    base = results["raw LLM.generate, one call (in-process)"]
    base_rate = base[0] / base[1]
    print(f"{args.questions} questions x {args.num_generations} samples, max_tokens {args.max_tokens}; "
          f"{os.cpu_count()} CPUs")
    for name, (count, rows, requests) in forced.items():
        print(f"  {name}: {requests} requests, {count} of {rows} samples forced into stage 2")
    print(f"{'':44} {'tokens':>8} {'seconds':>8} {'tok/s':>8} {'ratio':>6} {'client CPU s / 1k requests':>27}")
    for name, (tokens, seconds, cpu) in results.items():
        rate = tokens / seconds
        print(f"{name:44} {tokens:>8} {seconds:>8.1f} {rate:>8.0f} {rate / base_rate:>6.2f} "
              f"{'' if cpu is None else f'{cpu:.2f}':>27}")


def plain_http(server, model: str, text: list[str], args, results: dict) -> None:
    """The server's own ceiling: a bare asyncio httpx loop (no gnosis), one request per sample or
    per question (n samples); and all prompts in one request (no per-request cost, but one seed
    for all)."""
    import asyncio

    import httpx
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model)
    ids = [tokenizer(tokenizer.apply_chat_template([{"role": "user", "content": q}], tokenize=False,
                                                   add_generation_prompt=True), add_special_tokens=False)["input_ids"]
           for q in text]
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
        results[name] = (tokens, time.perf_counter() - begin, 1000 * (time.process_time() - cpu) / calls)
    import httpx as sync_httpx

    begin = time.perf_counter()
    answer = sync_httpx.post(f"{server.url}/completions", json={**common, "prompt": ids, "n": args.num_generations,
                                                                "seed": 1}, timeout=600).json()
    if "usage" not in answer:
        print(f"one request holding every prompt: the server refused it: {str(answer)[:300]}")
        return
    results["one request holding every prompt"] = (answer["usage"]["completion_tokens"], time.perf_counter() - begin,
                                                   None)


def raw_call(model: str, task, text: list[str], args) -> tuple[int, float]:
    """Output tokens and seconds of one ``LLM.generate`` over every prompt (n samples each)."""
    from vllm import SamplingParams

    from gnosis_core.backends import vllm_backend
    from gnosis_core.sampling import Prompter

    engine = vllm_backend.VLLMBackend(model, max_model_len=1024)
    try:
        prompter = Prompter(engine.tokenizer, task, thinking=True, two_step=None)
        prompts = [{"prompt_token_ids": prompter.encode(prompter.prompt_text({"question": q}))} for q in text]
        params = [SamplingParams(n=args.num_generations, max_tokens=args.max_tokens, temperature=0.6, top_p=0.95,
                                 seed=i) for i in range(len(text))]
        engine.llm.generate(prompts[:8], params[:8], use_tqdm=False)  # warm-up
        begin = time.perf_counter()
        outputs = engine.llm.generate(prompts, params, use_tqdm=False)
        return sum(len(o.token_ids) for r in outputs for o in r.outputs), time.perf_counter() - begin
    finally:
        engine.close()


if __name__ == "__main__":
    main()
