"""Coercing command-line values (python-fire hands over strings, numbers or tuples)."""
from __future__ import annotations

import difflib
import inspect
from typing import Any, Callable

from gnosis_core.errors import GnosisError

_TRUE = {"1", "true", "yes", "on", "y", "t"}
_FALSE = {"0", "false", "no", "off", "n", "f", "none", ""}


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
        raise GnosisError(f"--{name} must be one of {', '.join(choices)}, got {text!r}")
    return text


def check_options(fn: Callable, options: dict, where: str) -> None:
    """Reject flags ``fn`` does not take, with a 'did you mean'."""
    params = inspect.signature(fn).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return
    for name in options:
        if name not in params:
            close = difflib.get_close_matches(name, list(params), n=1, cutoff=0.6)
            hint = f" Did you mean --{close[0]}?" if close else ""
            raise GnosisError(f"unknown option --{name} for {where}.{hint}")
