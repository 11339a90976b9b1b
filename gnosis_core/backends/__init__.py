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


DECODE_CONTEXT = 5  # prompt tokens decoded ahead of a sample, as vLLM's own detokenizer primes it


def decode_continuations(tokenizer, prompts: list[list[int]], samples: list[list[int]]) -> list[str]:
    """The text of each sample as the continuation of its prompt: the last few prompt tokens are
    decoded with it and their text cut off again, so that a first token's leading space
    (SentencePiece's "▁") is kept and the prompt and completion texts join up as one decode
    would. Special tokens are skipped and spaces left as the model wrote them, as vLLM does."""
    options = {"skip_special_tokens": True, "clean_up_tokenization_spaces": False}
    contexts = [list(prompt[-DECODE_CONTEXT:]) for prompt in prompts]
    heads = tokenizer.batch_decode(contexts, **options)
    wholes = tokenizer.batch_decode([c + list(s) for c, s in zip(contexts, samples)], **options)
    return [whole[len(head):] if whole.startswith(head) else tokenizer.decode(sample, **options)
            for head, whole, sample in zip(heads, wholes, samples)]


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

    A backend may also have ``submit_samples(request_ids, prompt, max_tokens, sampling)``: the
    samples of one prompt as one request, the i-th drawn with seed ``sampling.seed + i`` (as
    vLLM seeds the n samples of a request), each finishing under its own id. The scheduler uses
    it where it exists; it saves a server a request per sample.
    """

    tokenizer: object
    slots: int

    def submit(self, request_id: str, prompt: list[int], max_tokens: int, sampling: Sampling) -> None:
        ...

    def poll(self) -> list[tuple[str, Sample]]:
        ...

    def close(self) -> None:
        ...
