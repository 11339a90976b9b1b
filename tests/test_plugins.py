"""Plugin discovery through entry points, exactly as a pip-installed third party is found."""
import json
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

from gnosis_core import hookimpl, plugins, registry
from gnosis_core.errors import GnosisError

DISTS = Path(__file__).parent / "plugin_dists"
SHIPPED_TASKS = {"math", "dapo", "trivia", "mmlu_pro", "gpqa"}


@pytest.fixture(scope="session")
def third_party_site(tmp_path_factory):
    """pip-install the test plugin distributions into a folder put on PYTHONPATH."""
    target = tmp_path_factory.mktemp("site")
    for dist in ("gnosis-shout", "gnosis-broken"):
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
                        "--target", str(target), str(DISTS / dist)], check=True)
    return target


def gnosis_cli(*args, site=None, env_extra=None):
    env = dict(os.environ)
    if site:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), env.get("PYTHONPATH")]))
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "gnosis_core.cli", *args], capture_output=True,
                          text=True, env=env)


def test_shipped_plugins_found_through_entry_points(gnosis):
    code, out, _ = gnosis("plugins", "--json")
    assert code == 0
    names = {p["name"] for p in json.loads(out)}
    assert {"math", "trivia", "mcq", "dapo"} <= names
    tasks = {t["task"]: t for t in json.loads(gnosis("tasks", "--json")[1])}
    assert SHIPPED_TASKS <= set(tasks)
    assert tasks["trivia"]["plugin"] == "trivia" and tasks["gpqa"]["aliases"] == ["science"]
    assert tasks["math"]["gold_column"] == "solution" and tasks["mmlu_pro"]["gold_column"] == "answer"


def test_tasks_table_is_readable(gnosis):
    code, out, _ = gnosis("tasks")
    header, *lines = out.splitlines()
    assert code == 0 and header.split()[:5] == ["TASK", "PLUGIN", "EXTRACTOR", "GRADER", "GOLD_COLUMN"]
    assert any(line.startswith("gpqa (science)") for line in lines)


def test_third_party_plugin_installed_with_pip_is_found(third_party_site, tmp_path):
    result = gnosis_cli("tasks", "--json", site=third_party_site)
    assert result.returncode == 0, result.stderr
    tasks = {t["task"]: t for t in json.loads(result.stdout)}
    assert tasks["shout"]["plugin"] == "shout" and SHIPPED_TASKS <= set(tasks)
    listing = json.loads(gnosis_cli("plugins", "--json", site=third_party_site).stdout)
    shout = next(p for p in listing if p["name"] == "shout")
    assert shout["version"] == "0.3.1" and "register_tasks" in shout["hooks"]
    # and its task runs end to end through the label stage, by its alias
    (tmp_path / "shard-000001.jsonl").write_text(
        json.dumps({"question": "q", "completion": "hmm\nPARIS", "answer": "Paris"}) + "\n"
        + json.dumps({"question": "q", "completion": "paris", "answer": "Paris"}) + "\n")
    result = gnosis_cli("run", "--task", "yell", "--stage", "label", "--save_dir", str(tmp_path),
                        "--workers", "1", site=third_party_site)
    assert result.returncode == 0, result.stderr
    labels = [json.loads(l)["correctness_label"]
              for l in (tmp_path / "verified" / "shard-000001.verified.jsonl").read_text().splitlines()]
    assert labels == [1, 0]


def test_broken_plugin_is_reported_once_and_skipped(third_party_site):
    result = gnosis_cli("tasks", site=third_party_site)
    assert result.returncode == 0
    warnings = [l for l in result.stderr.splitlines() if "broken" in l]
    assert len(warnings) == 1 and "failed to load" in warnings[0]
    assert "Traceback" not in result.stderr
    assert "trivia" in result.stdout and "shout" in result.stdout


def test_disable_plugins_by_name(third_party_site):
    result = gnosis_cli("tasks", "--json", site=third_party_site,
                        env_extra={"GNOSIS_DISABLE_PLUGINS": "broken,trivia"})
    assert result.returncode == 0 and "broken" not in result.stderr
    plugins_listed = {p["name"] for p in json.loads(
        gnosis_cli("plugins", "--json", site=third_party_site,
                   env_extra={"GNOSIS_DISABLE_PLUGINS": "broken,trivia"}).stdout)}
    assert "trivia" not in plugins_listed and "math" in plugins_listed
    # the registry still lists the shipped trivia task, but running it names what is missing
    result = gnosis_cli("run", "--task", "trivia", "--stage", "label", "--save_dir", ".",
                        env_extra={"GNOSIS_DISABLE_PLUGINS": "trivia"})
    assert result.returncode == 2
    assert "trivia-answer" in result.stderr and "'trivia'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def _register_module(name, **hooks):
    module = types.ModuleType(name)
    for hook_name, fn in hooks.items():
        setattr(module, hook_name, hookimpl(fn))
    plugins.plugin_manager().register(module, name=name)


def test_duplicate_component_names_both_plugins():
    _register_module("copycat", register_graders=lambda register: register("trivia-aliases", lambda *a: True))
    with pytest.raises(GnosisError) as err:
        registry.all_tasks()
    assert "'trivia'" in str(err.value) and "'copycat'" in str(err.value)


def test_duplicate_task_names_both_sources():
    _register_module("rival", register_tasks=lambda register: register(
        "math", extractor="math-boxed", grader="math-verify", gold_column="solution"))
    with pytest.raises(GnosisError, match="'math' is defined twice.*'rival'"):
        registry.all_tasks()


def test_unknown_task_suggests_close_names(gnosis):
    code, _, err = gnosis("run", "--task", "mmlu-pro", "--stage", "label", "--save_dir", ".")
    assert code == 2 and "did you mean 'mmlu_pro'" in err.lower() and "Available tasks:" in err


def test_task_naming_a_missing_grader_is_an_error_naming_both():
    _register_module("sloppy", register_tasks=lambda register: register(
        "sloppy_task", extractor="math-boxed", grader="no-such-grader", gold_column="answer"))
    with pytest.raises(GnosisError, match="'sloppy_task'.*'no-such-grader'"):
        registry.get_task("sloppy_task")


def test_tasks_command_imports_no_heavy_library():
    code = ("import sys; from gnosis_core.cli import main; main(['tasks']); "
            "heavy = {'torch', 'transformers', 'vllm', 'datasets', 'math_verify', 'sympy'} & set(sys.modules); "
            "print('HEAVY', sorted(heavy))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "HEAVY []" in result.stdout

