"""--stage all: generate, then label the same save_dir."""
from __future__ import annotations

import inspect

from gnosis_core.errors import GnosisError, did_you_mean
from gnosis_core.registry import Task


def _accepted(fn) -> set[str]:
    return set(inspect.signature(fn).parameters) - {"task"}


def run_all(task: Task, **options) -> None:
    from gnosis_core.stages import generate, label

    # --answer_col names the source column for generate, which stores it as `answer`;
    # label then reads the task's own gold column from the shards generate wrote
    # --replicas counts engine replicas; label on Ray then grades on every CPU of the cluster
    gen_names, label_names = _accepted(generate.run), _accepted(label.run) - {"answer_col", "replicas"}
    unknown = sorted(set(options) - gen_names - label_names)
    if unknown:
        hint = did_you_mean(unknown[0], gen_names | label_names, "--")
        raise GnosisError(f"unknown option(s) for --stage all: {', '.join('--' + u for u in unknown)}.{hint}")
    generate.run(task, **{k: v for k, v in options.items() if k in gen_names})
    label.run(task, **{k: v for k, v in options.items() if k in label_names})
