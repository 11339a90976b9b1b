"""Prompt templates: turn one question row into chat messages."""
from __future__ import annotations

from typing import Mapping


def chat(row: Mapping, task) -> list[dict]:
    """The task's system prompt (if any), then the question as the user's turn."""
    messages = [{"role": "system", "content": task.system_prompt}] if task.system_prompt else []
    return messages + [{"role": "user", "content": str(row["question"])}]
