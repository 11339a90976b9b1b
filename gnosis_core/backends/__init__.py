"""Generation backends. A backend samples token ids for a batch of token-id prompts; the
generate stage builds prompts, runs the two steps and writes shards around it."""
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
    token_ids: list[int]
    text: str
    finish_reason: str  # "stop" (end of sequence) or "length" (ran out of tokens)


class Backend(Protocol):
    """What the generate stage needs from an inference engine.

    ``tokenizer`` is a Hugging Face tokenizer (chat template, encode, decode).
    ``generate`` samples ``n`` continuations of up to ``max_tokens`` tokens for every
    prompt, given as token ids, and returns them per prompt, in order. Continuing a
    completion is the same call with the completion's ids appended to the prompt.
    """

    tokenizer: object

    def generate(self, prompts: list[list[int]], n: int, max_tokens: int, sampling: Sampling) -> list[list[Sample]]:
        ...
