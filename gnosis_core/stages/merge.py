"""merge: rebalance the verified shards of several tasks into one SFT set.

    gnosis run --stage merge --inputs trivia=runs/trivia,math=runs/math --out_dir out

Each question's (parsed) completions put it in one bucket: all-correct, all-wrong or mixed.
All-correct and all-wrong questions are chosen by fraction or count and trimmed to a few
completions each; mixed questions get as many correct as wrong rows (up- or downsampled).
Then per-task row caps, then ratio caps; the rows of one question stay together and the
order of the question blocks is shuffled by the seed.

The selection works on integer arrays (one entry per row: task, question id, label), so
the cost is a few sorts and bincounts whatever the number of questions; the text columns
are only touched once, by Arrow ``take`` on the rows that survive.
"""
from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from gnosis_core import locking, shards
from gnosis_core.markdown import cell
from gnosis_core.errors import GnosisError
from gnosis_core.options import as_list, check_options, per_task, validate  # noqa: F401 (per_task: merge's API)

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

VERIFIED_PATTERNS = ("shard-*.verified.parquet", "shard-*.verified.jsonl")
OUTPUT_NAME = "merged_balanced.parquet"
BATCH_ROWS = 65_536
QUESTION_CANDIDATES = ("question", "prompt", "query", "input", "instruction")
FRONT_COLUMNS = ("question", "ground_truth", "task", "correctness_label", "pred_parsed", "completion")
_FRONT_TYPES = {"correctness_label": pa.int8(), "pred_parsed": pa.bool_()}
BUCKETS = ("all_correct", "all_wrong", "mixed")
KEEP_DEFAULT = {"trivia": 1, "science": 1, "math": 2}
DEFAULTS = {
    "only_parsed": True, "seed": 1337, "ac_frac": None, "ac_questions": None, "aw_questions": None,
    "ac_keep_per_q": KEEP_DEFAULT, "aw_keep_per_q": KEEP_DEFAULT, "mixed_strategy": "downsample",
    "max_rows_per_task": None, "max_final_task_ratios": None, "shuffle_blocks": True,
    "push_to_hub": None, "private": True,
}
_UNLIMITED = np.iinfo(np.int64).max
# One random stream per step, so switching one step off leaves the others' draws unchanged.
_SELECT, _TRIM, _MIXED, _ROW_CAPS, _RATIO_CAPS, _BLOCKS = range(6)


def run(*, inputs=None, out_dir=None, config=None, only_parsed=None, seed=None, ac_frac=None,
        ac_questions=None, aw_questions=None, ac_keep_per_q=None, aw_keep_per_q=None,
        mixed_strategy=None, max_rows_per_task=None, max_final_task_ratios=None,
        shuffle_blocks=None, push_to_hub=None, private=None) -> dict:
    """Merge TASK=DIR inputs into OUT_DIR; returns the stats also written to stats.json.

    Every option may come from ``--config merge.toml`` (same names); flags win. An option
    left out (None) takes its value from the file, else from DEFAULTS.

    Options:
        inputs: TASK=DIR,... (DIR holds verified/shard-*.verified.*); in a config file also an [inputs] table
        out_dir: where merged_balanced.parquet, stats.json and README.md go
        config: a TOML file whose keys are these option names
        only_parsed: use only rows whose answer could be extracted (pred_parsed)
        seed: every random draw (>= 0)
        ac_frac: share of all-correct among the all-correct + all-wrong questions kept (0 to 1; default: off)
        ac_questions: how many all-correct questions to keep (>= 0; default: all)
        aw_questions: how many all-wrong questions to keep (>= 0; default: all)
        ac_keep_per_q: completions kept per all-correct question: N or TASK=N,... with * as the default; -1 keeps all
        aw_keep_per_q: completions kept per all-wrong question, the same way
        mixed_strategy: balancing of mixed questions: upsample, downsample or none
        max_rows_per_task: at most N rows per task: N or TASK=N,... (default: off)
        max_final_task_ratios: TASK=SHARE,...: a task keeps at most SHARE (0 to 1) of the rows before this cap
        shuffle_blocks: shuffle the order of the question blocks
        push_to_hub: REPO: upload the three outputs as a hub dataset repo (default: off)
        private: create the hub repo private
    """
    given = {k: v for k, v in locals().items() if k != "config" and v is not None}
    options = validate("merge", {**DEFAULTS, **(_read_config(config) if config is not None else {}), **given})
    sources = _parse_inputs(options.pop("inputs", None))
    if options.get("out_dir") is None:
        raise GnosisError("--out_dir is required (where merged_balanced.parquet goes)")
    out = Path(str(options.pop("out_dir")))
    shards.check_writable(out)
    controls = {name: options[name] for name in DEFAULTS}
    hub = _hub_api() if controls["push_to_hub"] else None  # a missing library fails before the work
    locking.take(out, "merge")  # one merge per out_dir: two would mix their outputs
    shards.remove_stale_temps(out)
    for directory in sources.values():
        locking.share(Path(directory), "merge")

    tasks = list(sources)
    loaded = [_load_task(task, Path(sources[task])) for task in tasks]
    parts = [(index, table) for index, (tables, _) in enumerate(loaded) for table in tables]
    keys = _keys(parts, len(tasks))
    final, info = _select(keys, tasks, controls)
    schema = _output_schema([table for _, table in parts])
    stats = {
        "inputs": {task: {"dir": sources[task], "shards": [p.name for p in found]}
                   for task, (_, found) in zip(tasks, loaded)},
        "controls": controls,
        **info,
    }
    # the three outputs appear together or not at all; stats.json, renamed last, marks a complete set
    with shards.atomic_set([out / OUTPUT_NAME, out / "README.md", out / "stats.json"]) as (parquet, card, stats_tmp):
        _write_merged(parquet, parts, tasks, keys, final, schema)
        Path(card).write_text(dataset_card(stats, schema), encoding="utf-8")
        Path(stats_tmp).write_text(json.dumps(stats, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    _print_summary(stats, out)
    if hub is not None:
        _push(hub, out, controls["push_to_hub"], controls["private"])
    return stats


# ---------------------------------------------------------------- options


def _read_config(config) -> dict:
    path = Path(str(config))
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GnosisError(f"--config {path}: no such file") from None
    except IsADirectoryError:
        raise GnosisError(f"--config {path}: a folder, not a TOML file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GnosisError(f"--config {path}: cannot read it ({getattr(exc, 'strerror', None) or exc.reason})") from None
    except tomllib.TOMLDecodeError as exc:
        raise GnosisError(f"--config {path}: invalid TOML ({exc})") from None
    data = {str(k).replace("-", "_"): v for k, v in data.items()}
    if "config" in data:
        raise GnosisError(f"--config {path}: a config file cannot name another config")
    check_options(run, data, str(path))
    return data


def _parse_inputs(value) -> dict[str, str]:
    if isinstance(value, dict):
        pairs = [(str(k), str(v)) for k, v in value.items()]
    else:
        pairs = []
        for item in as_list(value):
            task, sep, directory = item.partition("=")
            if not sep or not task.strip() or not directory.strip():
                raise GnosisError(f"--inputs expects TASK=DIR[,TASK=DIR...], got {item!r}")
            pairs.append((task.strip(), directory.strip()))
    if not pairs:
        raise GnosisError("--inputs is required: TASK=DIR[,TASK=DIR...], e.g. trivia=runs/trivia,math=runs/math")
    tasks = [task for task, _ in pairs]
    duplicated = sorted({t for t in tasks if tasks.count(t) > 1})
    if duplicated:
        raise GnosisError(f"--inputs names task {duplicated[0]!r} twice; give each task one DIR")
    return dict(pairs)


def task_value(spec, task: str, default):
    """The value of a per-task option for one task."""
    if spec is None:
        return default
    if isinstance(spec, dict):
        return spec.get(task, spec.get("*", default))
    return spec


# ---------------------------------------------------------------- loading


def _load_task(task: str, directory: Path) -> tuple[list[pa.Table], list[Path]]:
    """A task's non-empty verified shards, each with the unified columns, and every shard found.

    Shards stay separate tables: taking rows from a single-chunk table is cheap, and no
    column of one table gets near Arrow's 2 GiB string limit."""
    if not directory.is_dir():
        raise GnosisError(f"--inputs {task}={directory}: not a directory")
    found = shards.find_shards(directory / "verified", VERIFIED_PATTERNS)
    orphans = [p for p in found if not (directory / source_name(p)).is_file()]
    if orphans:  # labels of a shard that was removed (a run started over) must not come back
        print(f"gnosis: note: --inputs {task}={directory}: skipped {len(orphans)} verified shard(s) whose "
              f"source shard is gone ({orphans[0].name}: no {directory / source_name(orphans[0])})", file=sys.stderr)
        found = [p for p in found if p not in orphans]
    if not found:
        raise GnosisError(f"--inputs {task}={directory}: no verified shards (expected "
                          f"{directory / 'verified'}/shard-*.verified.parquet or .jsonl beside their source "
                          f"shards; run `gnosis run --stage label` first)")
    return [t for t in (_unify(shards.read_table(p), p) for p in found) if t is not None], found


def source_name(verified: Path) -> str:
    """The name of the shard a verified shard was labeled from (label's ``verified_name`` reversed)."""
    return verified.name.replace(".verified.", ".", 1)


def _unify(table: pa.Table, path: Path) -> pa.Table | None:
    if table.num_rows == 0:
        return None
    names = table.column_names
    source = next((c for c in QUESTION_CANDIDATES if c in names), None)
    if source is None:
        raise GnosisError(f"{path}: no question column (expected one of {', '.join(QUESTION_CANDIDATES)}); "
                          f"it has: {', '.join(names)}")
    for column in ("correctness_label", "completion"):
        if column not in names:
            raise GnosisError(f"{path}: missing column {column}; it has: {', '.join(names)} "
                              "(merge reads the output of `gnosis run --stage label`)")
    columns = {
        "question": _as_text(table[source]).cast(pa.string()),
        "ground_truth": _ground_truth(table),
        "correctness_label": _labels(table["correctness_label"], path),
        "pred_parsed": (_cast(table["pred_parsed"], pa.bool_(), path, "pred_parsed").fill_null(False)
                        if "pred_parsed" in names else pa.array(np.ones(table.num_rows, bool))),
        "completion": table["completion"],
    }
    rest = [c for c in names if c not in columns and c not in ("answer", "solution", "task")]
    return pa.table({**columns, **{c: table[c] for c in rest}})


def _labels(column, path: Path):
    labels = _cast(column, pa.int8(), path, "correctness_label")
    valid = pc.is_in(labels, value_set=pa.array([0, 1], pa.int8()))  # false for nulls too
    if not pc.all(valid).as_py():
        found = pc.unique(labels.filter(pc.invert(valid))).to_pylist()[:3]
        raise GnosisError(f"{path}: column correctness_label must be 0 or 1 in every row; found {found}")
    return labels


def _cast(column, to: pa.DataType, path: Path, name: str):
    try:
        return pc.cast(column, to)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        raise GnosisError(f"{path}: column {name} should be {to}, found {column.type}") from None


def _ground_truth(table: pa.Table):
    """``ground_truth`` as given, else ``answer`` where set, else ``solution``."""
    if "ground_truth" in table.column_names:
        return table["ground_truth"]
    present = [table[c] for c in ("answer", "solution")
               if c in table.column_names and table[c].null_count < table.num_rows]
    if not present:
        return pa.nulls(table.num_rows)
    if len(present) == 1:
        return present[0]
    if present[0].type != present[1].type:
        present = [_as_text(c) for c in present]
    return pc.coalesce(*present)


def _is_nested(dtype: pa.DataType) -> bool:
    return pa.types.is_nested(dtype) or pa.types.is_binary(dtype) or pa.types.is_large_binary(dtype)


_JSON = json.JSONEncoder(ensure_ascii=False, default=str)  # built once: json.dumps(**options) builds one per call


def _json_cell(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return _JSON.encode(value)


def _as_text(column):
    """A column as strings: nested cells (dicts, lists) JSON-encoded, scalars cast."""
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        return column
    if _is_nested(column.type):
        return pa.array([_json_cell(v) for v in column.to_pylist()], pa.string())
    return pc.cast(column, pa.string())


# ---------------------------------------------------------------- selection


def _keys(parts: list[tuple[int, pa.Table]], n_tasks: int) -> dict:
    """One entry per input row: task, part (shard table), question id (unique across tasks),
    label and parsed flag; and each question id's task."""
    group, offset = [], 0
    for index in range(n_tasks):
        chunks = [c for task, t in parts if task == index for c in t["question"].chunks]
        if not chunks:
            continue
        questions = pa.chunked_array(chunks, pa.string())
        distinct = pc.unique(questions)
        group.append(pc.index_in(questions, value_set=distinct).to_numpy().astype(np.int64) + offset)
        offset += len(distinct)
    sizes = [t.num_rows for _, t in parts]
    keys = {
        "task": np.repeat(np.array([task for task, _ in parts], np.int64), sizes),
        "part": np.repeat(np.arange(len(parts)), sizes),
        "group": np.concatenate(group) if group else np.zeros(0, np.int64),
        "label": np.concatenate([t["correctness_label"].to_numpy() for _, t in parts] or [np.zeros(0, np.int8)]),
        "parsed": np.concatenate([t["pred_parsed"].to_numpy() for _, t in parts] or [np.zeros(0, bool)]),
        "groups": offset,
    }
    keys["group_task"] = np.zeros(offset, np.int64)
    keys["group_task"][keys["group"]] = keys["task"]
    return keys


def _rng(seed: int, step: int) -> np.random.Generator:
    return np.random.default_rng([seed, step])


def rank_within(keys: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Each element's position within its key's group, the group taken in random order."""
    if len(keys) == 0:
        return np.zeros(0, np.int64)
    # one sort on (key, random draw) packed into 64 bits; keys are below 2**31
    packed = (keys.astype(np.uint64) << np.uint64(32)) | rng.integers(0, 2**32, len(keys), np.uint64)
    order = np.argsort(packed, kind="stable")
    ordered = keys[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    run_start = np.repeat(starts, np.diff(np.r_[starts, len(keys)]))
    rank = np.empty(len(keys), np.int64)
    rank[order] = np.arange(len(keys)) - run_start
    return rank


def _per_task_limits(spec, tasks: list[str], default) -> np.ndarray:
    limits = [task_value(spec, t, default) for t in tasks]
    return np.array([_UNLIMITED if v is None or v < 0 else v for v in limits], np.int64)


def take_counts(n_ac: int, n_aw: int, ac_questions: int | None, aw_questions: int | None,
                ac_frac: float | None) -> tuple[int, int]:
    """How many all-correct and all-wrong questions to keep (the seed's rules)."""
    if ac_frac is None:
        return (n_ac if ac_questions is None else min(n_ac, ac_questions),
                n_aw if aw_questions is None else min(n_aw, aw_questions))
    if ac_questions is not None and aw_questions is not None:
        return min(n_ac, ac_questions), min(n_aw, aw_questions)
    if ac_questions is not None:  # the fraction sets the all-wrong count from the all-correct one
        return (0, 0) if ac_frac == 0 else (
            min(n_ac, ac_questions), min(n_aw, round(ac_questions * (1 - ac_frac) / ac_frac)))
    if aw_questions is not None:
        return (0, 0) if ac_frac == 1 else (
            min(n_ac, round(aw_questions * ac_frac / (1 - ac_frac))), min(n_aw, aw_questions))
    if ac_frac == 0:
        return 0, n_aw
    if ac_frac == 1:
        return n_ac, 0
    total = min(int(n_ac / ac_frac), int(n_aw / (1 - ac_frac)))
    ac_take, aw_take = math.floor(total * ac_frac), math.floor(total * (1 - ac_frac))
    # a small pool must not round a requested share down to nothing
    return min(n_ac, ac_take or int(n_ac > 0)), min(n_aw, aw_take or int(n_aw > 0))


def _select(keys: dict, tasks: list[str], c: dict) -> tuple[np.ndarray, dict]:
    """The final row indices (a row may repeat when upsampled), in output order, and stats."""
    considered = keys["parsed"] if c["only_parsed"] else np.ones(len(keys["label"]), bool)
    rows = np.flatnonzero(considered)
    group, label = keys["group"][rows], keys["label"][rows]
    n_groups, group_task = keys["groups"], keys["group_task"]
    n_total, n_correct = _counts(group, label, n_groups)
    n_wrong = n_total - n_correct
    bucket = _buckets(n_total, n_correct)

    ids = {b: np.flatnonzero(bucket[b]) for b in ("all_correct", "all_wrong")}
    ac_take, aw_take = take_counts(len(ids["all_correct"]), len(ids["all_wrong"]),
                                   c["ac_questions"], c["aw_questions"], c["ac_frac"])
    rng = _rng(c["seed"], _SELECT)
    chosen = np.zeros(n_groups, bool)
    for b, count in (("all_correct", ac_take), ("all_wrong", aw_take)):
        chosen[rng.permutation(ids[b])[:count]] = True
    keep = np.where(bucket["all_correct"], _per_task_limits(c["ac_keep_per_q"], tasks, -1)[group_task],
                    _per_task_limits(c["aw_keep_per_q"], tasks, -1)[group_task])
    copies = (chosen[group] & (rank_within(group, _rng(c["seed"], _TRIM)) < keep[group])).astype(np.int64)

    mixed = bucket["mixed"][group]
    mixed_copies = _balance(group[mixed], label[mixed], n_correct, n_wrong, c["mixed_strategy"],
                            _rng(c["seed"], _MIXED))
    copies[mixed] = mixed_copies
    final = np.repeat(rows, copies)

    caps = {"row_caps": {"applied": False, "per_task": {}}, "ratio_caps": {"applied": False, "per_task": {}}}
    if c["max_rows_per_task"] is not None:
        allowed = [task_value(c["max_rows_per_task"], t, None) for t in tasks]
        final, caps["row_caps"] = _cap(final, keys["task"], tasks, allowed, _rng(c["seed"], _ROW_CAPS))
    if c["max_final_task_ratios"] is not None:
        # as in the seed, a share is taken of the rows present before this cap
        shares = [task_value(c["max_final_task_ratios"], t, None) for t in tasks]
        allowed = [None if s is None else math.floor(s * len(final)) for s in shares]
        final, caps["ratio_caps"] = _cap(final, keys["task"], tasks, allowed, _rng(c["seed"], _RATIO_CAPS))
    final = _order_blocks(final, keys["group"], n_groups, c["shuffle_blocks"], _rng(c["seed"], _BLOCKS))

    per_task_buckets = {t: {b: int(np.count_nonzero(bucket[b] & (group_task == i))) for b in BUCKETS}
                        for i, t in enumerate(tasks)}
    info = {
        "availability": {**{b: int(np.count_nonzero(bucket[b])) for b in BUCKETS}, "per_task": per_task_buckets},
        "selection": {
            "all_correct_selected": int(ac_take), "all_wrong_selected": int(aw_take),
            "mixed_rows_added": int(np.clip(mixed_copies - 1, 0, None).sum()),
            "mixed_rows_removed": int(np.count_nonzero(mixed_copies == 0)),
        },
        **caps,
        "before": {"rows_total": int(len(keys["label"])), "rows_considered": int(len(rows)),
                   **summarise(rows, keys, tasks)},
        "after": summarise(final, keys, tasks),
    }
    return final, info


def _balance(group, label, n_correct, n_wrong, strategy: str, rng) -> np.ndarray:
    """Copies of each row of the mixed questions: upsample repeats the minority label's rows
    (evenly, the remainder drawn at random) up to the majority's count; downsample keeps a
    random minority-sized subset of the majority."""
    if strategy == "none" or len(group) == 0:
        return np.ones(len(group), np.int64)
    n_same = np.where(label == 1, n_correct[group], n_wrong[group])
    rank = rank_within(group * 2 + label, rng)
    if strategy == "downsample":
        return (rank < np.minimum(n_correct, n_wrong)[group]).astype(np.int64)
    target = np.maximum(n_correct, n_wrong)[group]
    return target // n_same + (rank < target % n_same)


def _cap(final: np.ndarray, row_task: np.ndarray, tasks: list[str], allowed: list[int | None], rng):
    """Keep at most ``allowed[task]`` rows of each task (None: all), drawn at random."""
    inst_task = row_task[final]
    present = np.bincount(inst_task, minlength=len(tasks))
    limit = np.array([_UNLIMITED if a is None else a for a in allowed], np.int64)
    kept = final[rank_within(inst_task, rng) < limit[inst_task]]
    per_task = {t: {"before": int(present[i]), "allowed": allowed[i], "kept": int(min(present[i], limit[i])),
                    "removed": int(max(0, present[i] - limit[i]))} for i, t in enumerate(tasks)}
    return kept, {"applied": True, "per_task": per_task}


def _order_blocks(final: np.ndarray, row_group: np.ndarray, n_groups: int, shuffle: bool, rng) -> np.ndarray:
    """Rows of one question together (in input order, copies adjacent); blocks in input
    order, or shuffled."""
    block_rank = rng.permutation(n_groups) if shuffle else np.arange(n_groups)
    return final[np.lexsort((final, block_rank[row_group[final]]))]


def _counts(group: np.ndarray, label: np.ndarray, n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows and correct rows of each question."""
    return (np.bincount(group, minlength=n_groups),
            np.bincount(group, weights=label, minlength=n_groups).astype(np.int64))


def _buckets(n_total: np.ndarray, n_correct: np.ndarray) -> dict[str, np.ndarray]:
    return {"all_correct": (n_total > 0) & (n_correct == n_total), "all_wrong": (n_total > 0) & (n_correct == 0),
            "mixed": (n_correct > 0) & (n_correct < n_total)}


def summarise(rows: np.ndarray, keys: dict, tasks: list[str]) -> dict:
    """Rows, questions, buckets, labels, per-task rows and shares, completions per question."""
    group, label, task = keys["group"][rows], keys["label"][rows], keys["task"][rows]
    n_total, n_correct = _counts(group, label, keys["groups"])
    per_task = np.bincount(task, minlength=len(tasks))
    sizes, counts = np.unique(n_total[n_total > 0], return_counts=True)
    return {
        "rows": int(len(rows)),
        "questions": int(np.count_nonzero(n_total)),
        "buckets": {b: int(np.count_nonzero(m)) for b, m in _buckets(n_total, n_correct).items()},
        "labels": {"0": int(np.count_nonzero(label == 0)), "1": int(np.count_nonzero(label == 1))},
        "per_task_rows": {t: int(per_task[i]) for i, t in enumerate(tasks)},
        "per_task_fractions": {t: round(int(per_task[i]) / max(1, len(rows)), 6) for i, t in enumerate(tasks)},
        "completions_per_question": {str(int(s)): int(n) for s, n in zip(sizes, counts)},
    }


# ---------------------------------------------------------------- output


def _output_schema(tables: list[pa.Table]) -> pa.Schema:
    """Every input column once, the unified ones first. Nested cells become JSON text, and a
    column that two tasks type differently (a number here, a string there) becomes text."""
    kinds: dict[str, list[pa.DataType]] = {c: [] for c in FRONT_COLUMNS}
    for table in tables:
        for field in table.schema:
            if not pa.types.is_null(field.type):
                kinds.setdefault(field.name, []).append(pa.string() if _is_nested(field.type) else field.type)
    kinds["task"] = [pa.string()]
    fields = []
    for name, types in kinds.items():
        try:
            dtype = pa.unify_schemas([pa.schema([(name, t)]) for t in types], promote_options="permissive"
                                     ).field(name).type if types else _FRONT_TYPES.get(name, pa.string())
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            dtype = pa.string()
        fields.append(pa.field(name, dtype))
    return pa.schema(fields)


def _conform(column, dtype: pa.DataType):
    if column.type == dtype:
        return column
    if pa.types.is_string(dtype) or pa.types.is_large_string(dtype):
        column = _as_text(column)
    return pc.cast(column, dtype)


def _write_merged(path: str, parts: list[tuple[int, pa.Table]], tasks: list[str], keys: dict,
                  final: np.ndarray, schema: pa.Schema) -> None:
    """Write the chosen rows batch by batch, so memory holds the inputs and one batch of output
    however many rows upsampling makes."""
    offsets = np.cumsum([0] + [t.num_rows for _, t in parts])
    with pq.ParquetWriter(path, schema) as writer:
        for start in range(0, len(final), BATCH_ROWS):
            rows = final[start:start + BATCH_ROWS]
            row_part = keys["part"][rows]
            pieces = []
            for index in np.unique(row_part):
                task, table = parts[index]
                piece = table.take(rows[row_part == index] - offsets[index])
                columns = {f.name: _conform(piece[f.name], f.type) if f.name in piece.column_names
                           else pa.nulls(piece.num_rows, f.type) for f in schema}
                columns["task"] = pa.array([tasks[task]] * piece.num_rows, pa.string())
                pieces.append(pa.table(columns, schema=schema))
            # the pieces hold the batch's rows shard by shard; put them back in block order
            position = np.empty(len(rows), np.int64)
            position[np.argsort(row_part, kind="stable")] = np.arange(len(rows))
            writer.write_table(pa.concat_tables(pieces).take(position))


def _size_category(rows: int) -> str:
    bounds = [(1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"),
              (10_000_000, "1M<n<10M")]
    return next((name for bound, name in bounds if rows < bound), "10M<n<100M")


_HF_DTYPES = {"double": "float64", "float": "float32", "halffloat": "float16"}


def dataset_card(stats: dict, schema: pa.Schema) -> str:
    """A Hugging Face dataset card: YAML metadata, then what the set holds and how it was made."""
    before, after, c = stats["before"], stats["after"], stats["controls"]
    features = "".join(f"  - name: {json.dumps(f.name)}\n    dtype: {_HF_DTYPES.get(str(f.type), str(f.type))}\n"
                       for f in schema)
    tasks = list(after["per_task_rows"])
    lines = [
        "---",
        "pretty_name: gnosis merged SFT set",
        "tags:", "- gnosis", "- self-verification", "- correctness-prediction",
        "task_categories:", "- text-classification", "- text-generation",
        "size_categories:", f"- {_size_category(after['rows'])}",
        "configs:", "- config_name: default", "  data_files:", "  - split: train", f"    path: {OUTPUT_NAME}",
        "dataset_info:", "  features:", features.rstrip("\n"),
        "  splits:", "  - name: train", f"    num_examples: {after['rows']}",
        "---", "",
        "# gnosis merged SFT set", "",
        f"{after['rows']:,} completions of {after['questions']:,} questions from {len(tasks)} task(s) "
        f"({cell(', '.join(tasks))}), each labeled correct (1) or wrong (0) by `gnosis run --stage label` and "
        "rebalanced by `gnosis run --stage merge`. The rows of one question are contiguous.", "",
        "## Tasks", "",
        "| task | rows | share | rows before | all-correct | all-wrong | mixed (questions available) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for t in tasks:
        avail = stats["availability"]["per_task"][t]
        lines.append(f"| {cell(t)} | {after['per_task_rows'][t]:,} | {after['per_task_fractions'][t]:.2%} | "
                     f"{before['per_task_rows'][t]:,} | {avail['all_correct']:,} | {avail['all_wrong']:,} | "
                     f"{avail['mixed']:,} |")
    lines += ["", "## Before and after", "", "| | before | after |", "|---|---:|---:|",
              f"| rows | {before['rows_considered']:,} | {after['rows']:,} |",
              f"| questions | {before['questions']:,} | {after['questions']:,} |"]
    lines += [f"| {b.replace('_', '-')} questions | {before['buckets'][b]:,} | {after['buckets'][b]:,} |"
              for b in BUCKETS]
    lines += [f"| label {k} rows | {before['labels'][k]:,} | {after['labels'][k]:,} |" for k in ("1", "0")]
    lines += [
        "", f"Rows before are the {'parsed ' if c['only_parsed'] else ''}rows of the inputs "
        f"({before['rows_total']:,} in all).", "",
        "## Schema", "",
        "- `question`: the prompt's question", "- `ground_truth`: the gold answer (`answer`, else `solution`; "
        "dicts and lists JSON-encoded)", "- `task`: the task the row came from",
        "- `correctness_label`: 1 if the completion's final answer is correct, else 0",
        "- `pred_parsed`: whether a final answer could be extracted", "- `completion`: the model's output",
        "- other columns are kept from the verified shards", "",
        "## How it was made", "",
        "| task | verified shards from | shards |", "|---|---|---:|",
        *(f"| {cell(t)} | {cell(i['dir'], code=True)} | {len(i['shards'])} |" for t, i in stats["inputs"].items()), "",
        "Merge options:", "",
        "```json", json.dumps(c, indent=2, ensure_ascii=False), "```", "",
        "Full statistics are in `stats.json`.", "",
    ]
    return "\n".join(lines)


def _print_summary(stats: dict, out: Path) -> None:
    before, after = stats["before"], stats["after"]
    print(f"merge: {before['rows_total']:,} rows ({before['rows_considered']:,} considered, "
          f"{before['questions']:,} questions) -> {after['rows']:,} rows, {after['questions']:,} questions")
    for t, rows in after["per_task_rows"].items():
        print(f"  {t}: {before['per_task_rows'][t]:,} -> {rows:,} rows ({after['per_task_fractions'][t]:.2%})")
    print(f"  labels after: correct={after['labels']['1']:,} wrong={after['labels']['0']:,}")
    print(f"wrote {out / OUTPUT_NAME}, {out / 'stats.json'}, {out / 'README.md'}")


def _hub_api():
    try:
        from huggingface_hub import HfApi
    except ImportError:
        raise GnosisError("--push_to_hub needs huggingface_hub: pip install 'gnosis[hub]'") from None
    return HfApi()


def _push(api, out: Path, repo: str, private: bool) -> None:
    try:
        api.create_repo(repo, repo_type="dataset", private=private, exist_ok=True)
        api.upload_folder(repo_id=repo, repo_type="dataset", folder_path=str(out),
                          allow_patterns=[OUTPUT_NAME, "stats.json", "README.md"],
                          commit_message="gnosis merge: merged_balanced.parquet, stats.json, README.md")
    except Exception as exc:  # auth, network, permissions: the outputs are on disk, say why the upload failed
        first_line = (str(exc).strip().splitlines() or [""])[0]
        raise GnosisError(f"--push_to_hub {repo}: {type(exc).__name__}: {first_line}") from None
    print(f"pushed to https://huggingface.co/datasets/{repo}", file=sys.stderr)
