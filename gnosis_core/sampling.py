"""The sampling core shared by the generate stage and the Ray replicas (gnosis_core.cluster):
chat-template prompts as token ids, the two-step bookkeeping of a tokenizer, and one call that
samples every completion of a list of questions on an engine. It sits below both, so that
neither imports the other."""
from __future__ import annotations

import sys

from gnosis_core import registry, schedule
from gnosis_core.registry import Task
from gnosis_core.schedule import THINK_CLOSE


def open_engine(task: Task, config: dict, engine_options: dict):
    """The backend ``config["backend"]`` started on ``config["model_id"]``, and its prompter."""
    engine = registry.resolve("backends", config["backend"])(config["model_id"], **engine_options)
    try:
        return engine, Prompter(engine.tokenizer, task, config["thinking_mode"], config["two_step"])
    except BaseException:
        engine.close()
        raise


class Prompter:
    """Chat-template prompts as token ids, and the two-step bookkeeping for one tokenizer."""

    def __init__(self, tokenizer, task: Task, thinking: bool, two_step: bool | None):
        self.tokenizer, self.task, self.thinking = tokenizer, task, thinking
        self.template = registry.resolve("templates", task.template)
        self.close_id = _single_token_id(tokenizer, THINK_CLOSE)
        if two_step is None:
            two_step = self.close_id is not None
        elif two_step and self.close_id is None:
            print(f"gnosis: warning: the tokenizer has no {THINK_CLOSE} token; two-step generation is off",
                  file=sys.stderr)
            two_step = False
        self.two_step = two_step
        self.accepts_thinking = "enable_thinking" in str(getattr(tokenizer, "chat_template", "") or "")

    def prompt_text(self, row: dict) -> str:
        extra = {"enable_thinking": self.thinking} if self.accepts_thinking else {}
        return self.tokenizer.apply_chat_template(self.template(row, self.task), tokenize=False,
                                                  add_generation_prompt=True, **extra)

    def encode(self, text: str) -> list[int]:
        return list(self.tokenizer(text, add_special_tokens=False)["input_ids"])


def _single_token_id(tokenizer, token: str) -> int | None:
    ids = tokenizer.convert_tokens_to_ids([token])
    if not ids or ids[0] is None or ids[0] == tokenizer.unk_token_id:
        return None
    return ids[0]


def generate_rows(engine, prompter: Prompter, batch: list[dict], config: dict, sampling=None) -> list[dict]:
    """All completions of a list of questions (both steps), in question then sample order.
    Each request is seeded from ``config["seed"]``, the question index, the sample and the
    step (``sampling`` is accepted for compatibility; temperature and top_p come from config)."""
    return [row for _, rows in schedule.stream_shards(engine, prompter, batch, config, max(1, len(batch)))
            for row in rows]
