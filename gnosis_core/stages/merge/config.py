"""merge's options: their defaults, a TOML config file, the TASK=DIR inputs, per-task values."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from gnosis_core.errors import GnosisError
from gnosis_core.options import as_list, check_options

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

KEEP_DEFAULT = {"trivia": 1, "science": 1, "math": 2}
DEFAULTS = {
    "only_parsed": True, "seed": 1337, "ac_frac": None, "ac_questions": None, "aw_questions": None,
    "ac_keep_per_q": KEEP_DEFAULT, "aw_keep_per_q": KEEP_DEFAULT, "mixed_strategy": "downsample",
    "max_rows_per_task": None, "max_final_task_ratios": None, "shuffle_blocks": True,
    "push_to_hub": None, "private": True,
}


def read_config(config, stage: Callable) -> dict:
    """The options of a TOML file, checked against ``stage``'s parameters."""
    path = Path(str(config))
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GnosisError(f"--config {path}: no such file") from None
    except IsADirectoryError:
        raise GnosisError(f"--config {path}: a folder, not a TOML file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GnosisError(f"--config {path}: cannot read it ({getattr(exc, 'strerror', None) or exc.reason})") from None
    except tomllib.TOMLDecodeError as exc:
        raise GnosisError(f"--config {path}: invalid TOML ({exc})") from None
    data = {str(k).replace("-", "_"): v for k, v in data.items()}
    if "config" in data:
        raise GnosisError(f"--config {path}: a config file cannot name another config")
    check_options(stage, data, str(path))
    return data


def parse_inputs(value) -> dict[str, str]:
    if isinstance(value, dict):
        pairs = [(str(k), str(v)) for k, v in value.items()]
    else:
        pairs = []
        for item in as_list(value):
            task, sep, directory = item.partition("=")
            if not sep or not task.strip() or not directory.strip():
                raise GnosisError(f"--inputs expects TASK=DIR[,TASK=DIR...], got {item!r}")
            pairs.append((task.strip(), directory.strip()))
    if not pairs:
        raise GnosisError("--inputs is required: TASK=DIR[,TASK=DIR...], e.g. trivia=runs/trivia,math=runs/math")
    tasks = [task for task, _ in pairs]
    duplicated = sorted({t for t in tasks if tasks.count(t) > 1})
    if duplicated:
        raise GnosisError(f"--inputs names task {duplicated[0]!r} twice; give each task one DIR")
    return dict(pairs)


def task_value(spec, task: str, default):
    """The value of a per-task option for one task."""
    if spec is None:
        return default
    if isinstance(spec, dict):
        return spec.get(task, spec.get("*", default))
    return spec
