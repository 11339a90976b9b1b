"""The streaming two-step schedule: keep the engine full, write each shard when it is complete.

Each sample of each question has its own seed (a server may take a question's samples in
one request, drawn exactly as separate ones would be). Questions are submitted as
long as fewer than ``max_active`` are unfinished, so the engine's queue never runs dry; a
sample that ends stage 1 without closing its reasoning gets its stage-2 request the moment it
finishes; a question is complete when all its samples are; a shard (a fixed slice of the
questions) is yielded as soon as all of its questions are complete, whichever shard that is.
``barrier=True`` is the old schedule, kept for the benchmark: one shard at a time, its stage 2
only after all of its stage 1.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Callable, Iterator

from gnosis_core.backends import Sample, Sampling

THINK_CLOSE = "</think>"
THINK_OPEN = "<think>"


def thinking_state(prompt_text: str) -> str:
    """Whether the template left reasoning 'open' (the model goes on inside <think>),
    'closed' (an empty think block, as in non-thinking mode), or neither ('none')."""
    tail = prompt_text.rstrip()
    if tail.endswith(THINK_CLOSE):
        return "closed"
    return "open" if tail.endswith(THINK_OPEN) else "none"


SEEDING = 2  # request_seed's scheme, recorded in the manifest: a resumed run of another scheme is said so


def request_seed(run_seed: int, question_index: int, stage: int) -> int:
    """The seed of a question's sample 0 at one step; sample s draws with this seed + s, which is
    how vLLM seeds the n samples of one request, so a server can take all of a question's
    samples in one request and draw what n separate requests draw in-process. It depends only
    on what the request is, never on the batch, shard or replica it runs in: a resumed or
    redistributed run draws the same samples."""
    key = f"{run_seed}:{question_index}:{stage}".encode()
    return int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "little") >> 2  # + s stays in int64


@dataclass
class Counters:
    """What the engine has done so far, for the progress line and the benchmarks."""
    questions: int = 0
    completions: int = 0
    output_tokens: int = 0
    in_engine: int = 0  # requests submitted and not finished (running or queued)


@dataclass
class _Question:
    row: dict
    prompt: list[int]
    state: str  # thinking_state of its prompt
    first: list  # stage-1 Sample of each sample index (None until it finishes)
    second: dict  # sample index -> stage-2 Sample
    left: int  # samples not finished yet


class _Run:
    def __init__(self, engine, prompter, config: dict):
        self.engine, self.prompter, self.config = engine, prompter, config
        self.n = config["num_generations"]
        self.seed = config.get("seed", 0)
        self.requests: dict[str, tuple[_Question, int, int]] = {}
        self.counters = Counters()

    def start(self, row: dict) -> _Question:
        text = self.prompter.prompt_text(row)
        question = _Question(row, self.prompter.encode(text), thinking_state(text), [None] * self.n, {}, self.n)
        forced = self.prompter.two_step and question.state != "closed"
        # nothing can be forced (two-step off, or an empty think block): stage 1 gets it all
        budget = self.config["max_tokens"] - (self.config["stage2_tokens"] if forced else 0)
        self.submit(question, list(range(self.n)), 1, question.prompt, budget)
        return question

    def submit(self, question: _Question, samples: list[int], stage: int, prompt: list[int], max_tokens: int) -> None:
        """Request ``samples`` of one prompt: in one request where the engine takes several
        (``submit_samples``: the i-th drawn with seed + i), else one request each."""
        index = question.row["question_index"]
        ids = [f"{index}/{s}/{stage}" for s in samples]
        for request_id, s in zip(ids, samples):
            self.requests[request_id] = (question, s, stage)
        seed = request_seed(self.seed, index, stage)
        sampling = [Sampling(self.config["temperature"], self.config["top_p"], seed + s) for s in samples]
        if len(ids) > 1 and hasattr(self.engine, "submit_samples"):  # samples are consecutive: seeds are too
            self.engine.submit_samples(ids, prompt, max_tokens, sampling[0])
        else:
            for request_id, each in zip(ids, sampling):
                self.engine.submit(request_id, prompt, max_tokens, each)
        self.counters.in_engine += len(ids)

    def finish(self, request_id: str, out: Sample):
        """Record a finished request: returns its stage-2 continuation (question, sample, prompt)
        if it needs one, and its question if that is now complete."""
        question, s, stage = self.requests.pop(request_id)
        self.counters.in_engine -= 1
        self.counters.output_tokens += len(out.token_ids) + (stage == 2)  # stage 2 follows a forced </think>
        if stage == 1:
            question.first[s] = out
            close = self.prompter.close_id
            # a sample that stopped on its end-of-turn token without </think> is forced too: its
            # ids no longer hold that token, so </think> follows the reasoning, as it would in text
            if self.prompter.two_step and question.state != "closed" and close not in out.token_ids:
                return (question, s, question.prompt + out.token_ids + [close]), None
        else:
            question.second[s] = out
        question.left -= 1
        self.counters.completions += 1
        if question.left == 0:
            self.counters.questions += 1
        return None, question if question.left == 0 else None

    def rows(self, question: _Question) -> list[dict]:
        # a template that opens <think> itself leaves the tag out of the completion: put it
        # back so that graders can tell unfinished reasoning from an answer
        prefix = THINK_OPEN + "\n" if question.state == "open" else ""
        rows = []
        for s, sample in enumerate(question.first):
            extra = question.second.get(s)
            rows.append({**question.row, "sample_index": s,
                         "completion": prefix + sample.text + (THINK_CLOSE + extra.text if extra else ""),
                         "finish_reason": extra.finish_reason if extra else sample.finish_reason,
                         "num_output_tokens": len(sample.token_ids) + (1 + len(extra.token_ids) if extra else 0),
                         "two_step_applied": extra is not None})
        return rows


def active_limit(engine, shard_size: int, num_generations: int) -> int:
    """Unfinished questions to keep submitted: at least a shard, and twice the sequences the
    engine can run, so that its queue still holds work when a wave of sequences ends."""
    return max(shard_size, -(-2 * int(getattr(engine, "slots", 1)) // num_generations))


def stream_shards(engine, prompter, questions: list[dict], config: dict, shard_size: int, *,
                  max_active: int | None = None, barrier: bool = False,
                  on_poll: Callable[[Counters], None] | None = None) -> Iterator[tuple[list[dict], list[dict]]]:
    """Yield ``(shard_questions, rows)`` for each slice of ``shard_size`` questions, as each is
    complete; rows are in question order, then sample order."""
    run = _Run(engine, prompter, config)
    slices = [questions[i:i + shard_size] for i in range(0, len(questions), shard_size)]
    shard_of = {q["question_index"]: k for k, part in enumerate(slices) for q in part}
    done_rows: list[dict] = [{} for _ in slices]
    limit = max_active or active_limit(engine, shard_size, config["num_generations"])
    submitted = active = 0
    held: list[tuple] = []  # stage-2 requests not yet submitted (barrier: until the shard's stage 1 ends)
    stage1_left = 0
    while submitted < len(questions) or active:
        if barrier and not active:
            part = slices[submitted // shard_size]
            stage1_left = len(part) * run.n
        else:
            part = questions[submitted:submitted + (0 if barrier else limit - active)]
        for row in part:
            run.start(row)
        submitted, active = submitted + len(part), active + len(part)
        complete = []
        for request_id, out in engine.poll():
            continuation, finished = run.finish(request_id, out)
            stage1_left -= request_id.endswith("/1")  # ids are question/sample/step
            held += [continuation] if continuation else []
            complete += [finished] if finished else []
        if not barrier or stage1_left == 0:
            for question, s, prompt in held:
                run.submit(question, [s], 2, prompt, config["stage2_tokens"])
            held = []
        for question in complete:
            active -= 1
            k = shard_of[question.row["question_index"]]
            done_rows[k][question.row["question_index"]] = run.rows(question)
            if len(done_rows[k]) == len(slices[k]):
                yield slices[k], [r for q in slices[k] for r in done_rows[k][q["question_index"]]]
                done_rows[k] = {}
        if on_poll is not None:
            on_poll(run.counters)
