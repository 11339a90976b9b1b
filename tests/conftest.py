import importlib
import json
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from gnosis_core import limits, plugins
from gnosis_core.cli import main

SHARED = Path(__file__).resolve().parents[2] / "shared"


def require(module: str, why: str, flag: str = "GNOSIS_STRICT_TESTS"):
    """Import an optional engine (ray, matplotlib, torch, vllm) for the tests that use it.
    Where it is missing they are skipped, except where ``.ci/run`` sets ``flag=1``: there a
    missing engine is an error, so a skipped engine test never passes for a green run."""
    if os.environ.get(flag) == "1":
        return importlib.import_module(module)
    return pytest.importorskip(module, reason=why)


@pytest.fixture(autouse=True)
def fresh_plugins(monkeypatch):
    """Each test sees the installed plugins as they are now, not as an earlier test left them."""
    monkeypatch.delenv("GNOSIS_DISABLE_PLUGINS", raising=False)
    plugins.reset()
    yield
    plugins.reset()


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory):
    from tiny_model import build_tiny_model

    return build_tiny_model(tmp_path_factory.mktemp("tiny-qwen"))


@pytest.fixture
def short_row_limit():
    """A one-second per-row limit, so that pathological rows time out fast."""
    before = limits.row_timeout_s()
    limits.set_row_timeout_s(1)
    yield
    limits.set_row_timeout_s(before)


@pytest.fixture
def gnosis(capsys):
    """Run the CLI in-process: ``code, out, err = gnosis("run", "--task", ...)``."""
    def call(*argv):
        code = main([str(a) for a in argv])
        captured = capsys.readouterr()
        return code, captured.out, captured.err
    return call


def write_shard(path: Path, rows: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".jsonl":
        path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    else:
        pq.write_table(pa.Table.from_pylist(rows), path)
    return path


CASES_PATH = Path(__file__).parent / "data" / "grading_cases.jsonl"
EXTRA_CASES_PATH = SHARED / "grading_cases.jsonl"  # where a checkout has ../shared (CI): more cases


def grading_cases(*tasks: str) -> list[dict]:
    """The grading cases the repo holds (tests/data), each with its rule and expected label, plus
    those of ../shared/grading_cases.jsonl where that file exists; of the given tasks."""
    if not CASES_PATH.exists():
        raise FileNotFoundError(f"{CASES_PATH}: the repo's grading cases are missing")
    cases = {}
    for source, path in (("repo", CASES_PATH), ("shared", EXTRA_CASES_PATH)):
        if source == "shared" and not path.exists():
            continue
        for line in path.read_text().splitlines():
            if line.strip():
                case = json.loads(line)
                if not tasks or case["task"] in tasks:
                    case["id"] = f"{source}-{case['id']}"
                    cases[case["id"]] = case
    return list(cases.values())
