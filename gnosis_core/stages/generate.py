"""generate: sample completions for a task's questions into SAVE_DIR/shard-NNNNNN.*

Two-step generation: a sample that never closed its reasoning gets ``</think>`` appended
and a short second generation that forces a final answer. Each shard is one batch for
the engine, written atomically and recorded in ``manifest.json``, so a killed run picks
up where it stopped.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import json
import sys
from pathlib import Path

import pyarrow as pa

from gnosis_core import columns, locking, registry, shards
from gnosis_core.backends import Sample, Sampling
from gnosis_core.errors import GnosisError
from gnosis_core.loaders import guess_mode
from gnosis_core.options import as_bool, as_choice
from gnosis_core.registry import Task

THINK_CLOSE = "</think>"
THINK_OPEN = "<think>"
MANIFEST = "manifest.json"
# Flags that change what a run produces: resuming with different ones would mix two runs.
OUTPUT_FLAGS = ("model_id", "data_mode", "dataset_id", "dataset_config", "dataset_split", "data_path",
                "question_col", "answer_col", "solution_col", "system_prompt", "thinking_mode",
                "mcq_append_options", "num_generations", "max_tokens", "stage2_tokens", "two_step",
                "temperature", "top_p", "max_questions", "seed", "shard_fmt", "backend", "dtype")


def run(task: Task, *, model_id: str | None = None, save_dir: str | None = None, data_mode: str | None = None,
        dataset_id: str | None = None, dataset_config: str | None = None, dataset_split: str | None = None,
        data_path: str | None = None, question_col: str | None = None, answer_col: str | None = None,
        solution_col: str | None = None, system_prompt: str | None = None, thinking_mode=True,
        mcq_append_options: str = "auto", num_generations: int = 2, max_tokens: int = 8192,
        stage2_tokens: int = 512, two_step=None, temperature: float = 0.6, top_p: float = 0.95,
        max_questions: int | None = None, seed: int = 1337, shard_fmt: str = "parquet", shard_size: int = 500,
        backend: str = "vllm", tensor_parallel_size: int = 1, gpu_memory_utilization: float = 0.9,
        dtype: str = "auto", max_model_len: int | None = None, trust_remote_code=False, overwrite=False,
        progress=True) -> None:
    """Generate ``num_generations`` completions per question into ``save_dir``."""
    if not model_id:
        raise GnosisError("--stage generate needs --model_id (a hub id or a local model folder)")
    if not save_dir:
        raise GnosisError("--stage generate needs --save_dir")
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
                  dtype=str(dtype))
    out_dir = Path(str(save_dir))
    locking.take(out_dir, "generate")  # one run per folder: two would mix their shards
    shards.remove_stale_temps(out_dir)
    manifest = _open_manifest(out_dir, config, as_bool(overwrite, "overwrite"))

    dataset = registry.resolve("loaders", source["data_mode"])(**{k: source[k] for k in
                                                                  ("dataset_id", "dataset_config", "dataset_split", "data_path")})
    indices = _subset(len(dataset), config["max_questions"], config["seed"])
    done = {i for shard in manifest["shards"] for i in shard["question_indices"]}
    todo = [i for i in indices if i not in done]
    manifest.setdefault("dataset", _provenance(dataset, source))
    if not todo:
        print(f"{out_dir}: all {len(indices)} questions already generated")
        return
    questions = _questions(dataset, todo, config, str(source["data_path"] or source["dataset_id"]))

    engine = registry.resolve("backends", config["backend"])(
        str(model_id), tensor_parallel_size=tensor_parallel_size, gpu_memory_utilization=gpu_memory_utilization,
        dtype=config["dtype"], max_model_len=max_model_len, trust_remote_code=as_bool(trust_remote_code, "trust_remote_code"),
        seed=config["seed"])
    prompter = Prompter(engine.tokenizer, task.replace(system_prompt=config["system_prompt"]),
                        config["thinking_mode"], config["two_step"])
    manifest["versions"] = _versions()
    bar = _progress(progress, len(indices), len(indices) - len(todo))
    size = max(1, int(shard_size))
    next_number = max((s["number"] for s in manifest["shards"]), default=0) + 1
    made = 0
    for number, start in enumerate(range(0, len(questions), size), start=next_number):
        batch = questions[start:start + size]
        sampling = Sampling(config["temperature"], config["top_p"], config["seed"] + number)
        rows = generate_rows(engine, prompter, batch, config, sampling)
        path = out_dir / shards.shard_name(number, config["shard_fmt"])
        shards.write_table(pa.Table.from_pylist(rows), path)
        manifest["shards"].append({"number": number, "file": path.name, "rows": len(rows),
                                   "question_indices": [q["question_index"] for q in batch]})
        _write_manifest(out_dir, manifest)
        if bar is not None:
            made += len(rows)
            bar.update(len(batch))
            bar.set_postfix_str(f"{made / max(bar.format_dict['elapsed'], 1e-9):.1f} completions/s")
    if bar is not None:
        bar.close()
    print(f"{out_dir}: generated {len(todo)} questions x {num_generations} completions "
          f"into {len(manifest['shards'])} shard(s)")


class Prompter:
    """Chat-template prompts as token ids, and the two-step bookkeeping for one tokenizer."""

    def __init__(self, tokenizer, task: Task, thinking: bool, two_step: bool | None):
        self.tokenizer, self.task, self.thinking = tokenizer, task, thinking
        self.template = registry.resolve("templates", task.template)
        self.close_id = _single_token_id(tokenizer, THINK_CLOSE)
        if two_step is None:
            two_step = self.close_id is not None
        elif two_step and self.close_id is None:
            print(f"gnosis: warning: the tokenizer has no {THINK_CLOSE} token; two-step generation is off",
                  file=sys.stderr)
            two_step = False
        self.two_step = two_step
        self.accepts_thinking = "enable_thinking" in str(getattr(tokenizer, "chat_template", "") or "")

    def prompt_text(self, row: dict) -> str:
        extra = {"enable_thinking": self.thinking} if self.accepts_thinking else {}
        return self.tokenizer.apply_chat_template(self.template(row, self.task), tokenize=False,
                                                  add_generation_prompt=True, **extra)

    def encode(self, text: str) -> list[int]:
        return list(self.tokenizer(text, add_special_tokens=False)["input_ids"])


def _single_token_id(tokenizer, token: str) -> int | None:
    ids = tokenizer.convert_tokens_to_ids([token])
    if not ids or ids[0] is None or ids[0] == tokenizer.unk_token_id:
        return None
    return ids[0]


def thinking_state(prompt_text: str) -> str:
    """Whether the template left reasoning 'open' (the model goes on inside <think>),
    'closed' (an empty think block, as in non-thinking mode), or neither ('none')."""
    tail = prompt_text.rstrip()
    if tail.endswith(THINK_CLOSE):
        return "closed"
    return "open" if tail.endswith(THINK_OPEN) else "none"


def generate_rows(engine, prompter: Prompter, batch: list[dict], config: dict, sampling: Sampling) -> list[dict]:
    """All completions of one batch of questions: stage 1 in one call, stage 2 in another."""
    texts = [prompter.prompt_text(q) for q in batch]
    prompts = [prompter.encode(t) for t in texts]
    states = [thinking_state(t) for t in texts]
    stage1_budget = config["max_tokens"] - config["stage2_tokens"]
    first = engine.generate(prompts, config["num_generations"], stage1_budget, sampling)
    unfinished = [(q, s) for q, samples in enumerate(first) for s, sample in enumerate(samples)
                  if prompter.two_step and states[q] != "closed" and prompter.close_id not in sample.token_ids]
    second: dict[tuple[int, int], Sample] = {}
    if unfinished:
        continuations = [prompts[q] + first[q][s].token_ids + [prompter.close_id] for q, s in unfinished]
        outputs = engine.generate(continuations, 1, config["stage2_tokens"], sampling)
        second = {key: out[0] for key, out in zip(unfinished, outputs)}
    rows = []
    for q, (question, samples) in enumerate(zip(batch, first)):
        # a template that opens <think> itself leaves the tag out of the completion: put it
        # back so that graders can tell unfinished reasoning from an answer
        prefix = THINK_OPEN + "\n" if states[q] == "open" else ""
        for s, sample in enumerate(samples):
            extra = second.get((q, s))
            completion = prefix + sample.text + (THINK_CLOSE + extra.text if extra else "")
            rows.append({**question, "sample_index": s, "completion": completion,
                         "finish_reason": extra.finish_reason if extra else sample.finish_reason,
                         "num_output_tokens": len(sample.token_ids) + (1 + len(extra.token_ids) if extra else 0),
                         "two_step_applied": extra is not None})
    return rows


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


def _open_manifest(out_dir: Path, config: dict, overwrite: bool) -> dict:
    path = out_dir / MANIFEST
    existing = sorted(out_dir.glob("shard-*.*")) if out_dir.is_dir() else []
    if overwrite:
        # the old run's labels go too: merge reads verified/ and must not mix two runs
        labeled = sorted((out_dir / "verified").glob("shard-*.verified.*")) if out_dir.is_dir() else []
        for stale in existing + labeled + ([path] if path.exists() else []):
            stale.unlink()
        existing = []
    if not path.exists():
        if existing:
            raise GnosisError(f"{out_dir} holds shards but no {MANIFEST}; pass --overwrite or pick another --save_dir")
        return {"config": config, "created": dt.datetime.now(dt.timezone.utc).isoformat(), "shards": []}
    try:
        manifest = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise GnosisError(f"{path}: unreadable manifest ({exc}); pass --overwrite to start over") from None
    changed = [f"--{k} ({manifest['config'].get(k)!r} -> {config.get(k)!r})" for k in OUTPUT_FLAGS
               if manifest["config"].get(k) != config.get(k)]
    if changed:
        raise GnosisError(f"{out_dir} was generated with other flags: {', '.join(changed)}; "
                          f"rerun with the same flags to resume, or pass --overwrite")
    manifest["shards"] = [s for s in manifest["shards"] if (out_dir / s["file"]).exists()]
    _adopt_unrecorded(out_dir, manifest, existing)
    return manifest


def _adopt_unrecorded(out_dir: Path, manifest: dict, existing: list[Path]) -> None:
    """A run killed between writing a shard and recording it left a complete shard: keep it."""
    recorded = {s["file"] for s in manifest["shards"]}
    for path in existing:
        if path.name in recorded or path.name.startswith("."):
            continue
        number = int(path.name.split("-")[1].split(".")[0])
        indices = sorted(set(shards.read_table(path).column("question_index").to_pylist()))
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
    for name in ("gnosis", "datasets", "transformers", "torch", "vllm"):
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            pass
    return versions


def _progress(enabled, total: int, done: int):
    if not as_bool(enabled, "progress"):
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, initial=done, desc="questions", unit="q", file=sys.stderr, disable=None)
