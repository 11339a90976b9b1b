"""The one plugin manager: entry points of group ``gnosis`` are loaded lazily, once."""
from __future__ import annotations

import importlib.metadata
import os
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable

import pluggy

from gnosis_core import hookspecs
from gnosis_core.errors import GnosisError

ENTRY_POINT_GROUP = "gnosis"
COMPONENT_KINDS = ("loaders", "templates", "extractors", "graders", "backends")


@dataclass
class PluginInfo:
    name: str
    version: str
    hooks: list[str]


@dataclass
class Components:
    """Everything the plugins registered: ``kind -> name -> (object, plugin name)``."""

    by_kind: dict[str, dict[str, tuple[Any, str]]] = field(
        default_factory=lambda: {kind: {} for kind in COMPONENT_KINDS}
    )
    tasks: dict[str, tuple[dict, str]] = field(default_factory=dict)

    def get(self, kind: str, name: str):
        entry = self.by_kind[kind].get(name)
        return None if entry is None else entry[0]

    def owner(self, kind: str, name: str) -> str | None:
        entry = self.by_kind[kind].get(name)
        return None if entry is None else entry[1]


def _disabled() -> set[str]:
    return {n.strip() for n in os.environ.get("GNOSIS_DISABLE_PLUGINS", "").split(",") if n.strip()}


@lru_cache(maxsize=None)
def plugin_manager() -> pluggy.PluginManager:
    pm = pluggy.PluginManager("gnosis")
    pm.add_hookspecs(hookspecs)
    from gnosis_core import builtins

    pm.register(builtins, name="gnosis-core")
    disabled = _disabled()
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if ep.name in disabled or pm.has_plugin(ep.name):
            continue
        try:
            module = ep.load()
            pm.register(module, name=ep.name)
        except Exception as exc:  # a broken third-party plugin must not take gnosis down
            print(f"gnosis: warning: plugin {ep.name!r} failed to load and was skipped: "
                  f"{type(exc).__name__}: {exc}", file=sys.stderr)
    return pm


def _version_of(pm: pluggy.PluginManager, name: str) -> str:
    if name == "gnosis-core":
        from gnosis_core import __version__
        return __version__
    for plugin_name, dist in pm.list_plugin_distinfo():
        if pm.get_name(plugin_name) == name:
            return dist.version
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if ep.name == name and ep.dist is not None:
            return ep.dist.version
    return "?"


def list_plugins() -> list[PluginInfo]:
    pm = plugin_manager()
    infos = []
    for plugin in pm.get_plugins():
        name = pm.get_name(plugin)
        hooks = sorted(h.name for h in pm.get_hookcallers(plugin) or [])
        infos.append(PluginInfo(name, _version_of(pm, name), hooks))
    return sorted(infos, key=lambda p: (p.name != "gnosis-core", p.name))


@lru_cache(maxsize=None)
def components() -> Components:
    """Call every registration hook once and return what was registered."""
    pm = plugin_manager()
    found = Components()
    for kind in COMPONENT_KINDS:
        for impl in getattr(pm.hook, f"register_{kind}").get_hookimpls():
            impl.function(_registrar(found.by_kind[kind], kind[:-1], impl.plugin_name))
    for impl in pm.hook.register_tasks.get_hookimpls():
        impl.function(_task_registrar(found.tasks, impl.plugin_name))
    return found


def _registrar(table: dict, what: str, plugin_name: str) -> Callable:
    def register(name: str, obj: Any) -> None:
        if name in table:
            raise GnosisError(f"{what} {name!r} is registered twice: by plugin "
                              f"{table[name][1]!r} and by plugin {plugin_name!r}")
        table[name] = (obj, plugin_name)
    return register


def _task_registrar(table: dict, plugin_name: str) -> Callable:
    def register(name: str, **fields: Any) -> None:
        if name in table:
            raise GnosisError(f"task {name!r} is registered twice: by plugin "
                              f"{table[name][1]!r} and by plugin {plugin_name!r}")
        table[name] = (fields, plugin_name)
    return register


def reset() -> None:
    """Forget loaded plugins (tests install plugins and change GNOSIS_DISABLE_PLUGINS)."""
    plugin_manager.cache_clear()
    components.cache_clear()
    importlib.invalidate_caches()
