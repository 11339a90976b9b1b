"""--ray for generate and label on a local two-CPU Ray cluster, with the tiny model."""
import json
import os
import shutil
import sys
import time
import types
from pathlib import Path

import pytest

from conftest import require, write_shard
from gnosis_core import cluster, plugins, schedule, shards
from gnosis_core.errors import GnosisError
from test_generate import FAST, all_rows, write_questions
from tiny_model import build_tiny_model

ray = require("ray", "needs ray (pip install 'gnosis[ray]')")

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
QUESTIONS = [{"question": f"What is {i} plus {i}?", "answer": str(2 * i)} for i in range(7)]
KEYS = ["question_index", "sample_index"]
# one question per shard: seven work units for two replicas
GENERATE = ("--task", "math", "--stage", "generate", "--num_generations", 2, "--shard_size", 1,
            "--answer_col", "answer", *FAST)
# a plugin with a grader that hangs, installed where the Ray workers find it too
STUBBORN_PLUGIN = '''
from gnosis_core import hookimpl

def hang(prediction, gold, row):
    while prediction == "hang":  # a stand-in for C code that no signal interrupts
        pass
    return prediction == gold

@hookimpl
def register_graders(register):
    register("stubborn-grader", hang)

@hookimpl
def register_tasks(register):
    register("stubborn", extractor="trivia-answer", grader="stubborn-grader", gold_column="answer")
'''


def install_stubborn_plugin(folder: Path) -> Path:
    (folder / "stubborn_plugin.py").write_text(STUBBORN_PLUGIN)
    info = folder / "stubborn_plugin-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: stubborn-plugin\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[gnosis]\nstubborn = stubborn_plugin\n")
    return folder


@pytest.fixture(scope="module")
def plugin_dir(tmp_path_factory):
    return install_stubborn_plugin(tmp_path_factory.mktemp("plugin"))


@pytest.fixture(scope="module")
def ray_cluster(plugin_dir):
    """One local cluster for the module; gnosis uses it as it finds it and leaves it running."""
    path = ":".join(p for p in (str(plugin_dir), *sys.path) if p)
    ray.init(num_cpus=2, include_dashboard=False, runtime_env={"env_vars": {"PYTHONPATH": path}})
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    return build_tiny_model(tmp_path_factory.mktemp("tiny-qwen"))


@pytest.fixture(scope="module")
def questions(tmp_path_factory):
    return write_questions(tmp_path_factory.mktemp("questions"), "csv", QUESTIONS)


@pytest.fixture(scope="module")
def local_rows(tmp_path_factory, tiny_model, questions):
    """What a single-process run writes, to compare the Ray runs with."""
    from gnosis_core.cli import main

    save_dir = tmp_path_factory.mktemp("local") / "run"
    assert main([str(a) for a in ("run", *GENERATE, "--data_path", questions, "--model_id", tiny_model,
                                  "--save_dir", save_dir)]) == 0
    return sorted_rows(save_dir)


def sorted_rows(save_dir: Path):
    return all_rows(save_dir).sort_values(KEYS).reset_index(drop=True)


def generate_on_ray(gnosis, save_dir, tiny_model, questions, *extra):
    return gnosis("run", *GENERATE, "--data_path", questions, "--model_id", tiny_model, "--save_dir", save_dir,
                  "--ray", "--replicas", 2, *extra)


def assert_complete_without_duplicates(save_dir: Path, local_rows) -> None:
    rows = sorted_rows(save_dir)
    assert not rows.duplicated(KEYS).any()
    assert rows[KEYS].values.tolist() == local_rows[KEYS].values.tolist()
    manifest = json.loads((save_dir / "manifest.json").read_text())
    recorded = sorted(i for shard in manifest["shards"] for i in shard["question_indices"])
    assert recorded == list(range(len(QUESTIONS)))
    assert sorted(s["file"] for s in manifest["shards"]) == sorted(p.name for p in save_dir.glob("shard-*"))


def test_two_replicas_write_the_rows_a_single_process_writes(ray_cluster, gnosis, tmp_path, tiny_model,
                                                             questions, local_rows):
    save_dir = tmp_path / "run"
    code, out, err = generate_on_ray(gnosis, save_dir, tiny_model, questions)
    assert code == 0, err
    assert_complete_without_duplicates(save_dir, local_rows)
    # the transformers backend seeds a whole batch, and a replica's batches differ from a local
    # run's, so the sampled text may differ; what each row is about must not
    about = [c for c in local_rows.columns if c not in ("completion", "finish_reason", "num_output_tokens",
                                                        "two_step_applied")]
    assert sorted_rows(save_dir)[about].equals(local_rows[about])


def test_a_ray_run_resumes_a_stopped_run_and_redoes_a_killed_replicas_units(ray_cluster, gnosis, tmp_path, tiny_model,
                                                                           questions, local_rows, monkeypatch):
    save_dir = tmp_path / "run"
    real_stream = schedule.stream_shards

    def stop_at_the_third_shard(*args, **kwargs):
        for made, shard in enumerate(real_stream(*args, **kwargs)):
            if made == 2:
                raise KeyboardInterrupt
            yield shard

    monkeypatch.setattr(schedule, "stream_shards", stop_at_the_third_shard)
    code, _, _ = gnosis("run", *GENERATE, "--data_path", questions, "--model_id", tiny_model, "--save_dir", save_dir)
    assert code == 130 and len(list(save_dir.glob("shard-*"))) == 2
    monkeypatch.setattr(schedule, "stream_shards", real_stream)

    died = str(tmp_path / "replica-0-died")

    class DiesHoldingWork(cluster.Replica):  # defined here, so Ray ships it to the workers by value
        def ready(self):
            import ray as worker_ray

            if worker_ray.get_runtime_context().get_actor_name() != "gnosis-replica-0":
                # join once replica 0 has died holding work, so that it surely got some
                for _ in range(600):
                    if os.path.exists(died):
                        break
                    time.sleep(0.1)
            return super().ready()

        def generate(self, questions):
            import ray as worker_ray

            if worker_ray.get_runtime_context().get_actor_name() == "gnosis-replica-0":
                open(died, "w").close()
                os._exit(1)  # as a lost node: this unit, and the one queued behind it, never come back
            return super().generate(questions)

    monkeypatch.setattr(cluster, "Replica", DiesHoldingWork)
    code, out, err = generate_on_ray(gnosis, save_dir, tiny_model, questions)
    assert code == 0, err
    assert "gnosis: warning: replica 0 is lost (" in err and "unit(s) go to the 1 other(s)" in err
    assert_complete_without_duplicates(save_dir, local_rows)


def test_replicas_that_cannot_start_end_the_run_with_one_line(ray_cluster, gnosis, tmp_path, questions, tiny_model):
    # its config reads (so the driver's own check passes), but no replica can load its weights
    broken = tmp_path / "broken-model"
    shutil.copytree(tiny_model, broken)
    for weights in broken.glob("*.safetensors"):
        weights.write_bytes(b"not a safetensors file")
    code, _, err = generate_on_ray(gnosis, tmp_path / "run", broken, questions)
    # (Ray also streams the replicas' own tracebacks to stderr)
    *warnings, error = [line for line in err.splitlines() if line.startswith("gnosis:")]
    assert code == 2 and error.startswith("gnosis: error: every replica died, the last because: ")
    assert error.endswith("run the same command again to resume")
    assert len(warnings) == 2 and all(w.startswith("gnosis: warning: replica ") for w in warnings)
    assert not list((tmp_path / "run").glob("shard-*"))


def test_a_unit_that_fails_in_a_replica_ends_the_run_with_one_line(ray_cluster, gnosis, tmp_path, questions,
                                                                   tiny_model, monkeypatch):
    class FailsOnAUnit(cluster.Replica):  # the work itself is broken: another replica would fail too
        def generate(self, questions):
            raise ValueError("prompt longer than max_model_len")

    monkeypatch.setattr(cluster, "Replica", FailsOnAUnit)
    code, _, err = generate_on_ray(gnosis, tmp_path / "run", tiny_model, questions)
    errors = [line for line in err.splitlines() if line.startswith("gnosis: error:")]
    assert code == 2 and len(errors) == 1 and "Traceback (most recent call last)" not in errors[0]
    assert "failed on a unit" in errors[0] and "prompt longer than max_model_len" in errors[0]
    assert not list((tmp_path / "run").glob("shard-*"))

def math_rows(copies: int) -> list[dict]:
    rows = shards.read_table(next((EXAMPLES / "math").glob("shard-*.parquet"))).to_pylist()
    return [dict(row, copy=k) for k in range(copies) for row in rows]


def test_label_on_ray_writes_the_bytes_a_local_run_writes(ray_cluster, gnosis, tmp_path):
    rows = math_rows(30)  # several grading chunks per batch, several batches per shard
    write_shard(tmp_path / "shard-000001.parquet", rows)
    write_shard(tmp_path / "shard-000002.jsonl", rows[:150])
    common = ("run", "--task", "math", "--stage", "label", "--save_dir", tmp_path, "--batch_size", 300,
              "--progress", "false")
    code, local_out, err = gnosis(*common, "--out_subdir", "local")
    assert code == 0, err
    code, ray_out, err = gnosis(*common, "--out_subdir", "on_ray", "--ray", "--replicas", 2)
    assert code == 0, err
    assert ray_out == local_out
    written = sorted(p.name for p in (tmp_path / "local").iterdir())
    assert written == ["manifest.json", "shard-000001.verified.parquet", "shard-000002.verified.jsonl",
                       "summary.json"]
    for name in written[1:]:  # (the resume ledger names its own folder's files)
        assert (tmp_path / "on_ray" / name).read_bytes() == (tmp_path / "local" / name).read_bytes(), name


def test_a_hanging_row_on_a_ray_worker_times_out_and_the_run_goes_on(ray_cluster, gnosis, tmp_path,
                                                                      plugin_dir, monkeypatch):
    monkeypatch.syspath_prepend(str(plugin_dir))
    plugins.reset()
    answers = ["ok", "hang"] + ["ok"] * 20
    write_shard(tmp_path / "shard-000001.jsonl",
                [{"question": "q", "completion": f"\\boxed{{{a}}}", "answer": "ok"} for a in answers])
    code, out, err = gnosis("run", "--task", "stubborn", "--stage", "label", "--save_dir", tmp_path,
                            "--timeout", 0.2, "--ray", "--progress", "false")
    assert code == 0, err
    labels = [r["correctness_label"] for r in shards.read_jsonl(tmp_path / "verified" / "shard-000001.verified.jsonl")]
    assert labels == [1, 0] + [1] * 20
    assert "timed_out=1" in out


def fake_cluster(*gpus_per_node):
    return types.SimpleNamespace(nodes=lambda: [{"Alive": True, "Resources": {"CPU": 32, "GPU": g}} for g in gpus_per_node]
                                 + [{"Alive": False, "Resources": {"GPU": 8}}])


@pytest.mark.parametrize("gpus, tensor_parallel, replicas, expected", [
    ((8, 8, 8, 8), 1, None, (32, {"num_gpus": 1, "num_cpus": 1})),   # one replica per GPU
    ((8, 8, 8, 8), 4, None, (8, {"num_gpus": 4, "num_cpus": 1})),    # a tensor-parallel group stays on one node
    ((8, 4), 3, None, (3, {"num_gpus": 3, "num_cpus": 1})),          # leftover GPUs of a node stay unused
    ((8, 8), 1, 6, (6, {"num_gpus": 1, "num_cpus": 1})),
    ((0,), 1, None, (1, {"num_cpus": 1})),                           # no GPU: replicas on CPUs
    ((0,), 1, 2, (2, {"num_cpus": 1})),
])
def test_replicas_map_onto_the_clusters_gpus(gpus, tensor_parallel, replicas, expected):
    assert cluster._replica_plan(fake_cluster(*gpus), replicas, tensor_parallel) == expected


def test_a_tensor_parallel_group_larger_than_any_node_is_a_one_line_error():
    with pytest.raises(GnosisError, match=r"--tensor_parallel_size 16 needs that many GPUs on one node; .* 8, 8$"):
        cluster._replica_plan(fake_cluster(8, 8), None, 16)


@pytest.mark.parametrize("flags, expected", [
    (("--ray", "--replicas", 0), "--replicas expects a whole number >= 1"),
    (("--ray", "--replicas", "many"), "--replicas expects a whole number >= 1"),
    (("--replicas", 2), "--replicas and --ray_address need --ray"),
    (("--ray_address", "10.0.0.1:6379"), "--replicas and --ray_address need --ray"),
])
@pytest.mark.parametrize("stage", ["generate", "label"])
def test_option_mistakes_are_one_line_errors(gnosis, tmp_path, questions, stage, flags, expected):
    write_shard(tmp_path / "shard-000001.jsonl", [{"question": "q", "completion": "\\boxed{1}", "answer": "1"}])
    source = ("--model_id", "unused", "--data_path", questions) if stage == "generate" else ()
    code, _, err = gnosis("run", "--task", "trivia", "--stage", stage, "--save_dir", tmp_path, *source, *flags)
    assert code == 2 and err.count("\n") == 1 and expected in err, err


def test_without_ray_installed_the_flag_says_how_to_install_it(gnosis, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` now fails, as where it is not installed
    write_shard(tmp_path / "shard-000001.jsonl", [{"question": "q", "completion": "\\boxed{1}", "answer": "1"}])
    code, _, err = gnosis("run", "--task", "trivia", "--stage", "label", "--save_dir", tmp_path, "--ray")
    assert code == 2 and err == 'gnosis: error: --ray needs Ray: pip install "gnosis[ray]"\n'
