"""The import graph of gnosis_core: every module imports on its own, no module imports itself
back through others, and the stages stand side by side (only the pipeline runs several)."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "gnosis_core"
PIPELINE = "gnosis_core.stages.pipeline"
# Stage-to-stage imports from before this test, owned by the report/merge split (issue 18,
# part 2): label prints report's brief, report reads merge's buckets. Remove an entry when
# its import goes; a new one must not be added.
KNOWN_STAGE_IMPORTS = {("gnosis_core.stages.label", "gnosis_core.stages.report"),
                       ("gnosis_core.stages.report", "gnosis_core.stages.merge")}


def module_names() -> dict[str, Path]:
    names = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        names[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return names


def import_graph() -> dict[str, set[str]]:
    """Module -> the gnosis_core modules it imports, at the top or inside a function (a lazy
    import is still an arrow: it runs whenever that function does)."""
    names = module_names()
    graph: dict[str, set[str]] = {}
    for name, path in names.items():
        is_package = path.name == "__init__.py"
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # relative: resolved against this module's package
                    package = name.split(".") if is_package else name.split(".")[:-1]
                    base = ".".join(package[:len(package) - node.level + 1] + ([base] if base else []))
                # `from pkg import mod` imports the module pkg.mod; `from mod import name` imports mod
                targets.update(f"{base}.{alias.name}" if f"{base}.{alias.name}" in names else base
                               for alias in node.names)
        graph[name] = {t for t in targets if t in names and t != name}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle as [a, b, ..., a], or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_the_graph_reader_sees_lazy_and_package_imports():
    graph = import_graph()
    assert "gnosis_core.sampling" in graph["gnosis_core.cluster"]  # imported inside a method
    assert {"gnosis_core.stages.generate", "gnosis_core.stages.label"} <= graph[PIPELINE]
    assert "gnosis_core.backends" in graph["gnosis_core.backends.vllm_backend"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycle():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def stage_of(module: str) -> str | None:
    """The stage a module belongs to: a stage may be one module or a package of them."""
    parts = module.split(".")
    return ".".join(parts[:3]) if parts[:2] == ["gnosis_core", "stages"] and len(parts) > 2 else None


def test_stages_import_no_other_stage_except_the_pipeline():
    crossings = {(stage_of(name), stage_of(target)) for name, targets in import_graph().items()
                 if stage_of(name) not in (None, PIPELINE)
                 for target in targets if stage_of(target) not in (None, stage_of(name))}
    assert crossings <= KNOWN_STAGE_IMPORTS, sorted(crossings - KNOWN_STAGE_IMPORTS)


def test_the_sampling_core_sits_below_generate_and_the_cluster():
    graph = import_graph()
    assert "gnosis_core.sampling" in graph["gnosis_core.stages.generate"]
    assert not graph["gnosis_core.cluster"] & {n for n in graph if n.startswith("gnosis_core.stages")}


@pytest.mark.parametrize("name", sorted(module_names()))
def test_each_module_imports_alone(name):
    """A fresh interpreter per module: an import that works only after another module has run
    (the symptom of a cycle, or of a missing import) fails here."""
    done = subprocess.run([sys.executable, "-c", f"import {name}"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr.strip().splitlines()[-1:]
