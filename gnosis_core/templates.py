"""Placeholder: prompt templates (filled by the generate stage work)."""


def chat(row, task):
    messages = [{"role": "system", "content": task.system_prompt}] if task.system_prompt else []
    return messages + [{"role": "user", "content": str(row["question"])}]
