"""Numeric tolerance: strict unless a task's registry.toml table or label's --rel_tol/--abs_tol
sets one; recorded in grade_detail where it decided and in the label manifest."""
import json
import types

import pytest

from conftest import write_shard
from gnosis_core import hookimpl, plugins, registry
from gnosis_core.errors import GnosisError
from test_label import read_verified


def math_rows():
    # gold 1/3: 0.333 is within 1%, 0.3 is not; 2/6 is exactly equal
    return [{"question": "q", "completion": f"So the answer is {answer}.", "solution": "\\frac{1}{3}"}
            for answer in ("0.333", "0.3", "2/6")]


def label(gnosis, save_dir, *flags):
    code, out, err = gnosis("run", "--task", "math", "--stage", "label", "--save_dir", save_dir,
                            "--progress", "false", "--workers", "1", *flags)
    assert code == 0, err
    rows = read_verified(save_dir / "verified" / "shard-000001.verified.jsonl")
    manifest = json.loads((save_dir / "verified" / "manifest.json").read_text())
    provenance = manifest["shards"]["shard-000001.jsonl"]["provenance"]
    return [r["correctness_label"] for r in rows], [r["grade_detail"] for r in rows], provenance


def test_strict_by_default_and_rel_tol_flag_is_recorded(tmp_path, gnosis):
    write_shard(tmp_path / "shard-000001.jsonl", math_rows())
    labels, details, provenance = label(gnosis, tmp_path)
    assert labels == [0, 0, 1] and details == [None, None, None] and provenance["tolerance"] == {}
    labels, details, provenance = label(gnosis, tmp_path, "--rel_tol", "0.01")
    assert labels == [1, 0, 1]
    assert "rel_tol=0.01" in details[0] and details[1] is None and details[2] is None  # only where it decided
    assert provenance["tolerance"] == {"rel_tol": 0.01}


def test_the_tasks_registry_tolerance_applies_and_the_flag_overrides_it(tmp_path, gnosis, monkeypatch):
    strict = registry.get_task("math")
    monkeypatch.setattr(registry, "get_task", lambda name: strict.replace(abs_tol=0.001))
    write_shard(tmp_path / "shard-000001.jsonl", math_rows())
    labels, details, provenance = label(gnosis, tmp_path)
    assert labels == [1, 0, 1] and "abs_tol=0.001" in details[0] and provenance["tolerance"] == {"abs_tol": 0.001}
    labels, _, provenance = label(gnosis, tmp_path, "--abs_tol", "0")
    assert labels == [0, 0, 1] and provenance["tolerance"] == {}


@pytest.mark.parametrize("value", ["'lots'", "-0.1", "true"])
def test_a_bad_registry_tolerance_is_one_clear_error(tmp_path, monkeypatch, value):
    table = tmp_path / "registry.toml"
    table.write_text(f'[tasks.close]\nextractor = "math-boxed"\ngrader = "math-verify"\n'
                     f'gold_column = "solution"\nrel_tol = {value}\n')
    monkeypatch.setattr(registry, "registry_path", lambda: table)
    with pytest.raises(GnosisError, match=r"task 'close' .*rel_tol must be a number >= 0"):
        registry.all_tasks()


def test_registry_tolerance_fields_are_read(tmp_path, monkeypatch):
    table = tmp_path / "registry.toml"
    table.write_text('[tasks.close]\nextractor = "math-boxed"\ngrader = "math-verify"\n'
                     'gold_column = "solution"\nrel_tol = 0.04\n')
    monkeypatch.setattr(registry, "registry_path", lambda: table)
    task = registry.all_tasks()["close"]
    assert (task.rel_tol, task.abs_tol) == (0.04, None) and "rel_tol" not in task.extra


def test_a_grader_without_tolerance_refuses_one(tmp_path, gnosis):
    write_shard(tmp_path / "shard-000001.jsonl", [{"question": "q", "completion": "\\boxed{x}", "answer": "x"}])
    code, _, err = gnosis("run", "--task", "trivia", "--stage", "label", "--save_dir", tmp_path, "--rel_tol", "0.1")
    assert code != 0 and "takes no numeric tolerance" in err and "Traceback" not in err
    code, _, err = gnosis("run", "--task", "math", "--stage", "label", "--save_dir", tmp_path, "--rel_tol", "much")
    assert code != 0 and "--rel_tol expects a number >= 0" in err


def test_grade_names_the_rule_and_the_tolerance(gnosis):
    code, out, err = gnosis("grade", "--task", "math", "--gold", "\\frac{1}{3}", "--completion",
                            "So the answer is 0.333.", "--rel_tol", "0.01")
    assert code == 0, err
    assert "decided by  within numeric tolerance (rel_tol=0.01)" in out and "tolerance   rel_tol=0.01" in out
    code, out, err = gnosis("grade", "--task", "math", "--gold", "-i", "--completion", "$\\boxed{i^3}$")
    assert "decided by  math-verify: equal with i as the imaginary unit" in out and "none (strict)" in out
