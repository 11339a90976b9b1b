"""Task lookup: the shipped registry.toml plus tasks registered by plugins."""
from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

from gnosis_core import plugins
from gnosis_core.errors import GnosisError


@dataclass(frozen=True)
class Task:
    name: str
    extractor: str
    grader: str
    gold_column: str
    description: str = ""
    loader: str = "hf"
    dataset_id: str | None = None
    dataset_config: str | None = None
    dataset_split: str | None = None
    data_path: str | None = None
    template: str = "chat"
    system_prompt: str = ""
    aliases: tuple[str, ...] = ()
    # numeric tolerance of the task's grader (None: strict); label's --rel_tol/--abs_tol override
    rel_tol: float | None = None
    abs_tol: float | None = None
    plugin: str = "registry.toml"
    extra: dict[str, Any] = field(default_factory=dict)

    def replace(self, **changes) -> "Task":
        return dataclasses.replace(self, **changes)


_FIELDS = {f.name for f in dataclasses.fields(Task)} - {"name", "plugin", "extra"}
_REQUIRED = ("extractor", "grader", "gold_column")


TOLERANCES = ("rel_tol", "abs_tol")


def _tolerance(value, where: str) -> float | None:
    """A tolerance field: unset (None) or a finite number >= 0."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < float("inf"):
        raise GnosisError(f"{where} must be a number >= 0 (e.g. 0.04), got {value!r}")
    return float(value)


def registry_path() -> Path:
    packaged = Path(__file__).with_name("registry.toml")
    return packaged if packaged.exists() else Path(__file__).resolve().parent.parent / "registry.toml"


def _make_task(name: str, fields: dict, source: str) -> Task:
    missing = [f for f in _REQUIRED if not fields.get(f)]
    if missing:
        raise GnosisError(f"task {name!r} ({source}) lacks required field(s): {', '.join(missing)}")
    known = {k: v for k, v in fields.items() if k in _FIELDS}
    extra = {k: v for k, v in fields.items() if k not in _FIELDS}
    known["aliases"] = tuple(known.get("aliases", ()))
    for name_ in TOLERANCES:
        known[name_] = _tolerance(known.get(name_), f"task {name!r} ({source}): {name_}")
    return Task(name=name, plugin=source, extra=extra, **known)


def all_tasks() -> dict[str, Task]:
    """Every task by name: registry.toml first, then plugin-registered tasks."""
    path = registry_path()
    try:
        table = tomllib.loads(path.read_text()).get("tasks", {})
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise GnosisError(f"cannot read task registry {path}: {exc}") from None
    found = plugins.components()
    tasks: dict[str, Task] = {}
    for name, fields in table.items():
        owner = found.owner("graders", fields.get("grader", "")) or "registry.toml"
        tasks[name] = _make_task(name, fields, owner)
    for name, (fields, plugin_name) in found.tasks.items():
        if name in tasks:
            raise GnosisError(f"task {name!r} is defined twice: by {tasks[name].plugin!r} "
                              f"(registry.toml) and by plugin {plugin_name!r}")
        tasks[name] = _make_task(name, fields, plugin_name)
    return tasks


def _alias_table(tasks: dict[str, Task]) -> dict[str, str]:
    names = {name: name for name in tasks}
    for task in tasks.values():
        for alias in task.aliases:
            names.setdefault(alias, task.name)
    return names


def get_task(name: str) -> Task:
    """The task called ``name`` (or one of its aliases), checked against the plugins."""
    tasks = all_tasks()
    names = _alias_table(tasks)
    if name not in names:
        close = difflib.get_close_matches(str(name), list(names), n=3, cutoff=0.5)
        hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        raise GnosisError(f"unknown task {name!r}.{hint} Available tasks: {', '.join(sorted(tasks))}")
    task = tasks[names[name]]
    check_components(task)
    return task


def check_components(task: Task) -> None:
    found = plugins.components()
    for kind, component in (("extractors", task.extractor), ("graders", task.grader)):
        if found.get(kind, component) is None:
            known = ", ".join(sorted(found.by_kind[kind])) or "none"
            raise GnosisError(f"task {task.name!r} names {kind[:-1]} {component!r}, which no "
                              f"installed plugin registers (registered {kind}: {known})")


def resolve(kind: str, name: str):
    """The registered component ``name`` of ``kind`` ('loaders', 'templates', ...)."""
    found = plugins.components()
    obj = found.get(kind, name)
    if obj is None:
        names = sorted(found.by_kind[kind])
        close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
        hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        raise GnosisError(f"unknown {kind[:-1]} {name!r}.{hint} Available: {', '.join(names) or 'none'}")
    return obj
