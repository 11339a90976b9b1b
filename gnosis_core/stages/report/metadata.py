"""What made a run, from the files the stages leave beside its shards: generate's manifest.json
(model, backend, sampling settings, dataset, versions), the label stage's verified/manifest.json
(task, extractor, grader and plugin versions, time limit) and a merge's stats.json (its options
and its inputs, each described the same way where its folder is still there)."""
from __future__ import annotations

import datetime
import json
from pathlib import Path

GENERATE_MANIFEST = "manifest.json"
SAMPLING = ("model_id", "backend", "dtype", "temperature", "top_p", "max_tokens", "num_generations", "two_step",
            "stage2_tokens", "thinking_mode", "seed", "max_questions")
DATASET = ("dataset_id", "dataset_config", "dataset_split", "revision", "data_mode", "data_path", "rows",
           "fingerprint", "sha256")


def run_metadata(directory: Path, kind: str, shard_names: list[str], depth: int = 0) -> dict:
    """A run's provenance as far as its files record it; a field nothing records is left out."""
    if kind == "merge":
        stats = _json(directory / "stats.json") or {}
        inputs = {}
        for task, given in (stats.get("inputs") or {}).items():
            folder = Path(str(given.get("dir", "")))
            described = generate_metadata(folder, given.get("shards") or []) if depth == 0 and folder.is_dir() else {}
            inputs[task] = {"dir": given.get("dir"), "shards": len(given.get("shards") or []), **described}
        return {"kind": "merge", "options": stats.get("controls"), "inputs": inputs,
                "dates": {"merged": _dates(directory, ["merged_balanced.parquet"])}}
    return {"kind": "generate", **generate_metadata(directory, shard_names)}


def generate_metadata(directory: Path, verified_names: list[str]) -> dict:
    manifest = _json(directory / GENERATE_MANIFEST) or {}
    config = manifest.get("config") or {}
    dataset = {**{k: config.get(k) for k in DATASET}, **(manifest.get("dataset") or {})}
    labels = _json(directory / "verified" / "manifest.json") or {}
    provenances = [entry.get("provenance") for entry in (labels.get("shards") or {}).values()
                   if isinstance(entry, dict) and entry.get("provenance")]
    grading = provenances[-1] if provenances else {}
    out = {
        "sampling": {k: config[k] for k in SAMPLING if config.get(k) is not None},
        "dataset": {k: v for k, v in dataset.items() if k in DATASET and v not in (None, "")},
        "grading": {k: grading[k] for k in ("task", "extractor", "grader", "gold_column", "timeout", "tolerance",
                                             "drop_unparsed", "gnosis") if k in grading},
        "versions": manifest.get("versions") or {},
        "generated_rows": sum(s.get("rows") or 0 for s in manifest.get("shards") or []) or None,
        "dates": {k: v for k, v in (("generated", _dates(directory, [s.get("file", "") for s in
                                                                     manifest.get("shards") or []])),
                                    ("labeled", _dates(directory / "verified", verified_names))) if v},
    }
    if len({json.dumps(p, sort_keys=True) for p in provenances}) > 1:
        out["grading"]["mixed"] = "shards were labeled with different settings; the latest are shown"
    if manifest.get("gpu_hours") is not None:
        out["gpu_hours"] = manifest["gpu_hours"]
    return {k: v for k, v in out.items() if v not in (None, {}, [])}


def _json(path: Path) -> dict | None:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def _dates(folder: Path, names: list[str]) -> str | None:
    """When the first and the last of these files were written (their modification times, UTC)."""
    times = []
    for name in names:
        try:
            times.append((folder / name).stat().st_mtime)
        except OSError:
            pass
    if not times:
        return None
    stamp = lambda t: datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")  # noqa: E731
    first, last = stamp(min(times)), stamp(max(times))
    return first if first == last else f"{first} .. {last}"


def summary_rows(metadata: dict) -> list[tuple[str, str]]:
    """(field, value) pairs to show at the top of a report, in reading order."""
    rows: list[tuple[str, str]] = []
    if metadata.get("kind") == "merge":
        options = metadata.get("options") or {}
        rows.append(("merge options", ", ".join(f"{k}={_text(v)}" for k, v in options.items()) or "-"))
        for task, given in (metadata.get("inputs") or {}).items():
            rows.append((f"input {task}", f"{given.get('dir')} ({given.get('shards')} shards)"))
            rows += [(f"  {task}: {name}", value) for name, value in _generate_rows(given)]
            rows += [(f"  {task}: {what}", when) for what, when in (given.get("dates") or {}).items()]
    else:
        rows += _generate_rows(metadata)
    rows += [(what, when) for what, when in (metadata.get("dates") or {}).items() if when]
    return rows


def _generate_rows(meta: dict) -> list[tuple[str, str]]:
    sampling, dataset, grading = meta.get("sampling") or {}, meta.get("dataset") or {}, meta.get("grading") or {}
    rows = []
    if sampling:
        rows.append(("model", f"{sampling.get('model_id', '?')} ({sampling.get('backend', '?')})"))
        rows.append(("sampling", ", ".join(f"{k}={_text(sampling[k])}" for k in SAMPLING[2:] if k in sampling)))
    if dataset:
        name = dataset.get("dataset_id") or dataset.get("data_path") or "?"
        where = ", ".join(f"{k}={_text(dataset[k])}" for k in ("dataset_config", "dataset_split", "revision")
                          if k in dataset)
        rows.append(("dataset", name + (f" ({where})" if where else "")))
        print_ = dataset.get("fingerprint") or dataset.get("sha256")
        if print_:
            rows.append(("data fingerprint", str(print_)))
    if grading:
        for kind in ("extractor", "grader"):
            part = grading.get(kind)
            if isinstance(part, dict):
                rows.append((kind, f"{part.get('name')} (plugin {part.get('plugin')} {part.get('version') or ''})".strip()))
        rows.append(("grading", ", ".join(f"{k}={_text(grading[k])}" for k in ("task", "gold_column", "timeout",
                                                                              "drop_unparsed")
                                          if k in grading)))
        if "tolerance" in grading:
            rows.append(("numeric tolerance", _text(grading["tolerance"])))
        if grading.get("mixed"):
            rows.append(("grading note", grading["mixed"]))
    versions = dict(meta.get("versions") or {})
    if grading.get("gnosis"):
        versions.setdefault("gnosis (label)", grading["gnosis"])
    if versions:
        rows.append(("versions", ", ".join(f"{k} {v}" for k, v in versions.items())))
    if meta.get("generated_rows"):
        rows.append(("rows generated", f"{meta['generated_rows']:,}"))
    if meta.get("gpu_hours") is not None:
        rows.append(("GPU-hours", f"{meta['gpu_hours']:.2f}"))
    return rows


def _text(value) -> str:
    if isinstance(value, dict):  # e.g. the grading tolerance: {} is strict
        return ", ".join(f"{k}={v}" for k, v in value.items()) or "strict"
    return json.dumps(value, default=str) if isinstance(value, list) else str(value)
