"""How full do the two generate schedules keep a continuous-batching engine?

A simulated engine (``max_num_seqs`` slots, one token per sequence per step, requests queued
first come first served) stands in for vLLM in virtual time; gnosis's real scheduler
(gnosis_core.schedule.stream_shards) drives it, once with the old schedule (one shard at a
time, its stage 2 after all of its stage 1) and once with the streaming one. Reasoning lengths
are log-normal (median 3,000 tokens), capped at the stage-1 budget (8,192 - 512 = 7,680): a
sample that reaches the cap has not closed its reasoning and gets a forced stage 2 (log-normal,
median 150, cap 512). Each request draws its length from its own seed, so both schedules see
the same samples. Utilisation = busy slot-steps / (slots x steps).

The last few thousand steps drain the engine whatever the schedule, so a short run (a few
thousand questions on 1,024 slots) reads lower than the steady state.

    python bench/generate_schedule.py [--slots 256,1024] [--questions 16000] [--shard_size 500]

Run time: about 40 seconds with the defaults (a simulation; no model, no GPU).
"""
from __future__ import annotations

import argparse
import heapq
import math
import random
import time
from collections import deque

from gnosis_core.backends import Sample
from gnosis_core.schedule import stream_shards

CLOSE = 1  # the simulated </think> id


class SimulatedEngine:
    """The backend protocol (submit/poll) over a continuous-batching engine in virtual time."""

    def __init__(self, slots: int, stage2_tokens: int, sigma: float):
        self.slots, self.stage2_tokens, self.sigma = slots, stage2_tokens, sigma
        self.tokenizer = None
        self.queue: deque = deque()
        self.running: list = []  # heap of (end step, order, request id, sample)
        self.step = self.busy = self.order = 0

    def submit(self, request_id, prompt, max_tokens, sampling):
        rng = random.Random(sampling.seed)
        answer_step = max_tokens <= self.stage2_tokens
        median = 150 if answer_step else 3000
        length = max(1, min(max_tokens, round(rng.lognormvariate(math.log(median), self.sigma))))
        if length < max_tokens:  # it ended on its own: reasoning closed (stage 1) or answer given
            ids = [0] * length if answer_step else [0] * (length - 1) + [CLOSE]
            sample = Sample(ids, "", "stop")
        else:
            sample = Sample([0] * length, "", "length")
        self.queue.append((request_id, sample))

    def poll(self):
        while self.queue and len(self.running) < self.slots:
            request_id, sample = self.queue.popleft()
            self.order += 1
            heapq.heappush(self.running, (self.step + len(sample.token_ids), self.order, request_id, sample))
        if not self.running:
            return []
        # nothing changes until the next sequence ends: jump there
        end = self.running[0][0]
        self.busy += len(self.running) * (end - self.step)
        self.step = end
        finished = []
        while self.running and self.running[0][0] == end:
            _, _, request_id, sample = heapq.heappop(self.running)
            finished.append((request_id, sample))
        return finished

    def close(self):
        pass


class SimulatedPrompter:
    two_step, close_id = True, CLOSE

    def prompt_text(self, row):
        return row["question"]

    def encode(self, text):
        return [2] * 64


def simulate(slots: int, questions: int, shard_size: int, n: int, barrier: bool, sigma: float, step_ms: float):
    engine = SimulatedEngine(slots, 512, sigma)
    config = {"num_generations": n, "max_tokens": 8192, "stage2_tokens": 512, "temperature": 0.6, "top_p": 0.95,
              "seed": 1337}
    rows = [{"question_index": i, "question": f"q{i}"} for i in range(questions)]
    started = time.perf_counter()
    written = sum(len(part) for part, _ in stream_shards(engine, SimulatedPrompter(), rows, config, shard_size,
                                                         barrier=barrier))
    assert written == questions
    return {"utilisation": engine.busy / (slots * engine.step), "steps": engine.step,
            "virtual_h": engine.step * step_ms / 3.6e6, "wall_s": time.perf_counter() - started}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--slots", default="256,1024")
    parser.add_argument("--questions", type=int, default=16000)
    parser.add_argument("--shard_size", type=int, default=500)
    parser.add_argument("--num_generations", type=int, default=2)
    parser.add_argument("--sigma", type=float, default=0.6, help="log-normal shape of the lengths")
    parser.add_argument("--step_ms", type=float, default=30.0, help="virtual time of one engine step")
    args = parser.parse_args()
    print(f"{args.questions} questions x {args.num_generations} samples, shards of {args.shard_size}, "
          f"lengths log-normal(median 3000, sigma {args.sigma}) capped at 7680, {args.step_ms} ms/step")
    print(f"{'slots':>6} {'schedule':>10} {'utilisation':>12} {'steps':>8} {'virtual h':>10} {'sim s':>6}")
    for slots in (int(s) for s in args.slots.split(",")):
        for name, barrier in (("batch", True), ("streaming", False)):
            r = simulate(slots, args.questions, args.shard_size, args.num_generations, barrier, args.sigma,
                         args.step_ms)
            print(f"{slots:>6} {name:>10} {r['utilisation']:>11.1%} {r['steps']:>8} {r['virtual_h']:>10.2f} "
                  f"{r['wall_s']:>6.1f}")


if __name__ == "__main__":
    main()
