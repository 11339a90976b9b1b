"""Every command-line option, checked in one place before any work starts.

python-fire hands over strings, numbers, booleans or tuples. ``SPECS`` says, for each command,
what each option accepts; ``validate`` turns the given values into clean Python values or
raises one GnosisError line naming the option, what it accepts and the value given. What an
option means is written once, in the ``Options:`` section of its stage's docstring.
"""
from __future__ import annotations

import inspect
import json
import math
from pathlib import PurePath
from typing import Any, Callable

from gnosis_core.columns import MCQ_MODES
from gnosis_core.errors import GnosisError, did_you_mean
from gnosis_core.shards import SHARD_FORMATS

_TRUE = {"1", "true", "yes", "on", "y", "t"}
_FALSE = {"0", "false", "no", "off", "n", "f", "none", ""}
_OFF = {"none", "off", "null", ""}

Parse = Callable[[Any, str], Any]  # (value, option name) -> clean value, or GnosisError


def as_bool(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise GnosisError(f"--{name} expects true or false, got {value!r}")


def as_list(value: Any) -> list[str]:
    """A comma-separated string, a tuple or a list, as a list of strings."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value).split(",") if part.strip()]


def as_choice(value: Any, name: str, choices: tuple[str, ...]) -> str:
    text = str(value)
    if text not in choices:
        hint = did_you_mean(text, choices)
        raise GnosisError(f"--{name} must be one of {', '.join(choices)}, got {text!r}{'.' + hint if hint else ''}")
    return text


def check_options(fn: Callable, options: dict, where: str) -> None:
    """Reject flags ``fn`` does not take, with a 'did you mean'."""
    params = inspect.signature(fn).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return
    for name in options:
        if name not in params:
            raise GnosisError(f"unknown option --{name} for {where}.{did_you_mean(name, params, '--')}")


# ---------------------------------------------------------------- value kinds


def _float(value) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def whole(minimum: int, maximum: int | None = None) -> Parse:
    bounds = f">= {minimum}" if maximum is None else f"from {minimum} to {maximum}"

    def parse(value, name):
        number = _float(value)
        if (number is None or not number.is_integer() or number < minimum
                or (maximum is not None and number > maximum)):
            raise GnosisError(f"--{name} expects a whole number {bounds}, got {value!r}")
        return int(number)
    parse.accepts = bounds  # what --help says the option accepts
    return parse


def number(low: float, high: float | None = None, *, low_open: bool = False) -> Parse:
    """A finite number in [low, high] (low excluded with ``low_open``; no upper bound without high)."""
    if high is None:
        bounds = f"{'>' if low_open else '>='} {low:g}"
    elif low_open:
        bounds = f"> {low:g} and <= {high:g}"
    else:
        bounds = f"from {low:g} to {high:g}"

    def parse(value, name):
        x = _float(value)
        if (x is None or not math.isfinite(x) or x < low or (low_open and x == low)
                or (high is not None and x > high)):
            raise GnosisError(f"--{name} expects a number {bounds}, got {value!r}")
        return x
    parse.accepts = bounds
    return parse


def optional(parse: Parse) -> Parse:
    """``parse``, or None for an option switched off (``none``, ``off``, ``null``, empty)."""
    def maybe(value, name):
        if value is None or (isinstance(value, str) and value.strip().lower() in _OFF):
            return None
        return parse(value, name)
    maybe.accepts = getattr(parse, "accepts", None)
    return maybe


def flag(value, name) -> bool:
    return as_bool(value, name)


def choice(*choices: str) -> Parse:
    def parse(value, name):
        return as_choice(str(value).strip().lower(), name, choices)
    parse.accepts = ", ".join(choices)
    return parse


def text(value, name) -> str | None:
    """Free text (None stays None: the stage's default). fire reads ``a,b`` as a tuple: give the comma back."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    return str(value)


def listing(value, name) -> list[str]:
    return as_list(value)


def subfolder(value, name) -> str:
    """A folder inside another one: relative, without ``..``, and not the folder itself."""
    path = PurePath(text(value, name))
    if path.is_absolute() or ".." in path.parts or not path.parts or str(path) == ".":
        raise GnosisError(f"--{name} expects a folder name inside --save_dir (relative, without ..), got {value!r}")
    return str(path)


def raw(value, name):
    """Checked by its stage, which also reads it from a config file."""
    return value


def per_task(value, name: str, cast: Parse):
    """One value for every task, or a mapping TASK -> value with ``*`` as the default.

    Accepts ``2``, ``{"trivia": 1, "*": 2}`` (a dict, JSON or fire's ``{trivia: 1}``),
    ``trivia=1,math=2`` or ``trivia:1,math:2``, and the same as a tuple or list.
    """
    if isinstance(value, str):
        stripped = value.strip()
        try:
            value = json.loads(stripped)
        except json.JSONDecodeError:
            value = stripped.strip("{}")
    if isinstance(value, (list, tuple)) or (isinstance(value, str) and ("=" in value or ":" in value)):
        mapping = {}
        for item in as_list(value):
            key, sep, val = item.replace("=", ":", 1).partition(":")
            if not sep or not key.strip():
                raise GnosisError(f"--{name} expects a number or TASK=VALUE[,TASK=VALUE...], got {item!r}")
            mapping[key.strip().strip("'\"")] = val.strip().strip("'\"")
        value = mapping
    if isinstance(value, dict):
        return {str(k): cast(v, f"{name} ({k})") for k, v in value.items()}
    return cast(value, name)


def each_task(cast: Parse) -> Parse:
    return lambda value, name: per_task(value, name, cast)


# ---------------------------------------------------------------- the options of each command

DTYPES = ("auto", "half", "float16", "bfloat16", "float", "float32")
MAX_ROW_TIMEOUT_S = 3600
MAX_WORKERS = 1024

RAY: dict[str, Parse] = {"ray": flag, "replicas": optional(whole(1)), "ray_address": optional(text)}
GENERATE: dict[str, Parse] = {
    "model_id": text, "save_dir": text, "data_mode": text, "dataset_id": text, "dataset_config": text,
    "dataset_split": text, "data_path": text, "question_col": text, "answer_col": text, "solution_col": text,
    "system_prompt": text, "thinking_mode": flag, "mcq_append_options": choice(*MCQ_MODES),
    "num_generations": whole(1), "max_tokens": whole(2), "stage2_tokens": whole(1), "two_step": optional(flag),
    "temperature": number(0), "top_p": number(0, 1, low_open=True), "max_questions": optional(whole(1)),
    "seed": whole(0), "shard_fmt": choice(*SHARD_FORMATS), "shard_size": whole(1), "backend": text,
    "tensor_parallel_size": whole(1), "gpu_memory_utilization": number(0, 1, low_open=True),
    "dtype": choice(*DTYPES), "max_model_len": optional(whole(1)), "trust_remote_code": flag,
    "overwrite": flag, "progress": flag, **RAY, "base_url": optional(text), "api_key_env": optional(text),
    "max_concurrency": optional(whole(1)), "tokenizer": optional(text), "retry_for_s": number(0, low_open=True),
}
LABEL: dict[str, Parse] = {
    "save_dir": text, "pattern": listing, "out_subdir": subfolder, "answer_col": text, "batch_size": whole(1),
    "drop_unparsed": flag, "overwrite": flag, "workers": optional(whole(1, MAX_WORKERS)),
    "timeout": number(0, MAX_ROW_TIMEOUT_S, low_open=True), "progress": flag,
    "rel_tol": optional(number(0)), "abs_tol": optional(number(0)), **RAY,
}
MERGE: dict[str, Parse] = {
    "inputs": raw, "out_dir": optional(text), "config": optional(text), "only_parsed": flag, "seed": whole(0),
    "ac_frac": optional(number(0, 1)), "ac_questions": optional(whole(0)), "aw_questions": optional(whole(0)),
    "ac_keep_per_q": each_task(whole(-1)), "aw_keep_per_q": each_task(whole(-1)),
    "mixed_strategy": choice("upsample", "downsample", "none"),
    "max_rows_per_task": optional(each_task(whole(0))), "max_final_task_ratios": optional(each_task(number(0, 1))),
    "shuffle_blocks": flag, "push_to_hub": optional(text), "private": flag,
}
PREPARE: dict[str, Parse] = {
    "datasets": listing, "out_csv": text, "out_hf_dir": text, "dedupe": flag, "keep_all": flag,
    "dataset": text, "splits": listing, "out_dir": text, "split": text, "seed": whole(0),
}
SPECS: dict[str, dict[str, Parse]] = {
    "generate": GENERATE, "label": LABEL, "all": {**LABEL, **GENERATE}, "merge": MERGE, "prepare": PREPARE,
}
REQUIRED: dict[str, dict[str, str]] = {
    "generate": {"save_dir": "the folder the shards go to"},  # --model_id: generate says (a server may name it)
    "label": {"save_dir": "the folder holding the shards"},
}
REQUIRED["all"] = REQUIRED["generate"]


def validate(command: str, given: dict, where: str | None = None) -> dict:
    """The given options of ``command`` as clean values; a missing required option or a
    value out of range is one GnosisError line. Options without a spec pass unchanged."""
    for name, what in REQUIRED.get(command, {}).items():
        if given.get(name) in (None, ""):
            raise GnosisError(f"{where or command} needs --{name} ({what})")
    specs = SPECS[command]
    return {name: specs[name](value, name) if name in specs else value for name, value in given.items()}
