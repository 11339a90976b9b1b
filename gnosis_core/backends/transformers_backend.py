"""The transformers backend: batched ``generate`` with left padding, on CPU or GPU.

It has no continuous batching: ``poll`` runs every request submitted since the last poll as
batches of ``micro_batch``, seeded by the first request of the poll (so its samples depend on
how the scheduler grouped them; the vLLM backend seeds each request)."""
from __future__ import annotations

from gnosis_core.backends import Sample, Sampling, decode_continuations
from gnosis_core.errors import GnosisError


class TransformersBackend:
    def __init__(self, model_id: str, dtype: str = "auto", trust_remote_code: bool = False,
                 micro_batch: int = 16, **_engine_options):
        try:
            import torch
            from transformers import AutoModelForCausalLM, AutoTokenizer
            from transformers.utils import logging as transformers_logging
        except ImportError:
            raise GnosisError('the transformers backend needs torch and transformers: pip install "gnosis[hf]"') from None
        transformers_logging.disable_progress_bar()
        self.torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(model_id, trust_remote_code=trust_remote_code)
        self.model = AutoModelForCausalLM.from_pretrained(model_id, dtype=dtype, trust_remote_code=trust_remote_code)
        self.model.to("cuda" if torch.cuda.is_available() else "cpu").eval()
        self.micro_batch = self.slots = micro_batch
        self.pending: list[tuple[str, list[int], int, Sampling]] = []
        self.pad_id = self.tokenizer.pad_token_id if self.tokenizer.pad_token_id is not None else self.tokenizer.eos_token_id
        self.stop_ids = set(_as_list(self.model.generation_config.eos_token_id) or _as_list(self.tokenizer.eos_token_id))

    def submit(self, request_id: str, prompt: list[int], max_tokens: int, sampling: Sampling) -> None:
        self.pending.append((request_id, list(prompt), int(max_tokens), sampling))

    def poll(self) -> list[tuple[str, Sample]]:
        pending, self.pending = self.pending, []
        if not pending:
            return []
        self.torch.manual_seed(pending[0][3].seed)
        finished = []
        for max_tokens in sorted({request[2] for request in pending}):
            group = [request for request in pending if request[2] == max_tokens]
            for start in range(0, len(group), self.micro_batch):
                chunk = group[start:start + self.micro_batch]
                samples = self._generate_batch([r[1] for r in chunk], 1, max_tokens, chunk[0][3])
                finished += [(r[0], s[0]) for r, s in zip(chunk, samples)]
        return finished

    def close(self) -> None:
        pass

    def _generate_batch(self, prompts, n, max_tokens, sampling):
        torch = self.torch
        width = max(len(p) for p in prompts)
        ids = torch.tensor([[self.pad_id] * (width - len(p)) + p for p in prompts], device=self.model.device)
        mask = torch.tensor([[0] * (width - len(p)) + [1] * len(p) for p in prompts], device=self.model.device)
        sampled = sampling.temperature > 0
        with torch.no_grad():
            out = self.model.generate(
                input_ids=ids, attention_mask=mask, max_new_tokens=max_tokens, num_return_sequences=n,
                do_sample=sampled, temperature=sampling.temperature if sampled else None,
                top_p=sampling.top_p if sampled else None, top_k=None,
                pad_token_id=self.pad_id, eos_token_id=list(self.stop_ids) or None)
        kept = [self._kept(tokens, max_tokens) for tokens in out[:, width:].tolist()]
        texts = decode_continuations(self.tokenizer, [p for p in prompts for _ in range(n)], [ids for ids, _ in kept])
        samples = [Sample(ids, text, reason) for (ids, reason), text in zip(kept, texts)]
        return [samples[i * n:(i + 1) * n] for i in range(len(prompts))]

    def _kept(self, tokens: list[int], max_tokens: int) -> tuple[list[int], str]:
        """The tokens before the first stop token (padding follows it), and the finish reason."""
        for position, token in enumerate(tokens):
            if token in self.stop_ids:
                return tokens[:position], "stop"
        return tokens[:max_tokens], "length"


def _as_list(value) -> list[int]:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]
