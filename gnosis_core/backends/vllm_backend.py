"""The vLLM backend: offline ``LLM`` with prefix caching, whole batches per call."""
from __future__ import annotations

from gnosis_core.backends import Sample, Sampling
from gnosis_core.errors import GnosisError


def engine_kwargs(model_id: str, tensor_parallel_size: int = 1, gpu_memory_utilization: float = 0.9,
                  dtype: str = "auto", max_model_len: int | None = None, trust_remote_code: bool = False,
                  seed: int = 0) -> dict:
    """Arguments of ``vllm.LLM``; prefix caching shares the prompt of the n samples and of stage 2."""
    kwargs = dict(model=model_id, tensor_parallel_size=int(tensor_parallel_size),
                  gpu_memory_utilization=float(gpu_memory_utilization), dtype=dtype,
                  trust_remote_code=bool(trust_remote_code), enable_prefix_caching=True, seed=int(seed))
    if max_model_len:
        kwargs["max_model_len"] = int(max_model_len)
    return kwargs


def sampling_kwargs(n: int, max_tokens: int, sampling: Sampling) -> dict:
    """Arguments of ``vllm.SamplingParams`` for one call."""
    return dict(n=int(n), max_tokens=int(max_tokens), temperature=float(sampling.temperature),
                top_p=float(sampling.top_p) if sampling.temperature > 0 else 1.0)


def token_prompts(prompts: list[list[int]]) -> list[dict]:
    """Prompts as token ids (``TokensPrompt`` is a TypedDict), so stage 2 continues exactly."""
    return [{"prompt_token_ids": list(ids)} for ids in prompts]


def to_samples(request_outputs) -> list[list[Sample]]:
    return [[Sample(list(o.token_ids), o.text, "length" if o.finish_reason == "length" else "stop")
             for o in request.outputs] for request in request_outputs]


class VLLMBackend:
    def __init__(self, model_id: str, **engine_options):
        try:
            from vllm import LLM
        except ImportError:
            raise GnosisError('the vllm backend needs vLLM and a GPU: pip install "gnosis[vllm]" '
                              "(or use --backend transformers)") from None
        self.llm = LLM(**engine_kwargs(model_id, **engine_options))
        self.tokenizer = self.llm.get_tokenizer()

    def generate(self, prompts: list[list[int]], n: int, max_tokens: int, sampling: Sampling) -> list[list[Sample]]:
        from vllm import SamplingParams

        params = SamplingParams(**sampling_kwargs(n, max_tokens, sampling))
        return to_samples(self.llm.generate(token_prompts(prompts), params, use_tqdm=False))
