"""Generation backends. A backend samples token ids for token-id prompts, one request at a
time; the generate stage builds prompts, schedules the two steps (gnosis_core.schedule) and
writes shards around it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Sampling:
    temperature: float = 0.6
    top_p: float = 0.95
    seed: int = 0


@dataclass(frozen=True)
class Sample:
    token_ids: list[int]  # what the model produced, without the token that stopped it
    text: str
    finish_reason: str  # "stop" (end of sequence) or "length" (ran out of tokens)


class Backend(Protocol):
    """What the generate stage needs from an inference engine.

    ``tokenizer`` is a Hugging Face tokenizer (chat template, encode, decode).
    ``submit`` queues one request: a prompt as token ids, sampled once with up to
    ``max_tokens`` new tokens and ``sampling.seed`` as its own seed (continuing a
    completion is a request whose prompt is prompt + completion ids). ``poll`` advances the
    engine and returns the requests that finished since the last call, as
    ``(request_id, Sample)``; an empty list means none finished yet, not that none are left.
    ``slots`` is how many sequences the engine runs at once (the scheduler keeps more than
    that submitted). ``close`` frees the engine.
    """

    tokenizer: object
    slots: int

    def submit(self, request_id: str, prompt: list[int], max_tokens: int, sampling: Sampling) -> None:
        ...

    def poll(self) -> list[tuple[str, Sample]]:
        ...

    def close(self) -> None:
        ...
