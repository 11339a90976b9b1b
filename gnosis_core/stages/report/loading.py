"""Reading a run: a generate save_dir's verified shards or a merge's output, one numpy array per
quantity (labels, parsed flags, answer classes, lengths, statuses), never the completions."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from gnosis_core import shards
from gnosis_core.errors import GnosisError
from gnosis_core.stages.report.metadata import run_metadata
from gnosis_core.stages.report.normalise import Coder, answer_keys

VERIFIED_PATTERNS = ("shard-*.verified.parquet", "shard-*.verified.jsonl")
MERGED_NAME = "merged_balanced.parquet"

# The columns a report reads; the completions are never among them.
_TYPES = {
    "task": pa.string(), "question_index": pa.int64(), "question": pa.string(), "sample_index": pa.int64(),
    "original_source": pa.string(), "correctness_label": pa.int64(), "pred_parsed": pa.bool_(),
    "extracted_answer": pa.string(), "grade_status": pa.string(), "grade_detail": pa.string(),
    "finish_reason": pa.string(),
    "num_output_tokens": pa.float64(), "two_step_applied": pa.bool_(),
}


@dataclass
class Run:
    name: str
    dir: str
    kind: str  # "generate" or "merge"
    rows: dict  # column name -> numpy array, one entry per row (see _read_rows)
    stats: dict | None = None  # a merge's stats.json
    shards: list[str] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)  # the files read, in the order rows["file"] numbers them
    metadata: dict | None = None  # what made the run (see metadata.py)


def _parse_dirs(dirs) -> list[tuple[str, str]]:
    items = [dirs] if isinstance(dirs, (str, Path)) else list(dirs or ())
    if not items:
        raise GnosisError("gnosis report needs at least one DIR (a generate save_dir or a merge out_dir), "
                          "e.g. gnosis report runs/math or gnosis report a=runs/a b=runs/b")
    specs = []
    for item in map(str, items):
        name, sep, directory = item.partition("=")
        if not sep or Path(item).exists():  # a folder whose name holds "=" is a folder
            name, directory = "", item
        name, directory = name.strip(), directory.strip()
        if not directory:
            raise GnosisError(f"{item!r}: expected DIR or NAME=DIR")
        specs.append((name or Path(directory).resolve().name, directory))
    names = [n for n, _ in specs]
    if len(set(names)) < len(names):  # two folders with one base name: name them by path
        specs = [(d if names.count(n) > 1 else n, d) for n, d in specs]
    if len({n for n, _ in specs}) < len(specs):
        raise GnosisError(f"two DIRs have the same name {names}; name them NAME=DIR")
    return specs


def check_run_dir(directory: Path) -> None:
    if not directory.is_dir():
        raise GnosisError(f"{directory}: not a directory (expected a generate save_dir with verified/ "
                          "or a merge out_dir)")


def load_run(name: str, directory: Path) -> Run:
    check_run_dir(directory)
    merged = directory / MERGED_NAME
    if merged.is_file():
        stats_path = directory / "stats.json"
        stats = None
        if stats_path.is_file():
            try:
                stats = json.loads(stats_path.read_text(encoding="utf-8"))
            except json.JSONDecodeError as exc:
                raise GnosisError(f"{stats_path}: not valid JSON ({exc.msg})") from None
        # merge groups a task's rows by question text, so the report does too
        return Run(name, str(directory), "merge", _read_rows([merged], None, by_text=True), stats, [MERGED_NAME],
                   [str(merged)], run_metadata(directory, "merge", [MERGED_NAME]))
    verified = directory / "verified"
    found = shards.find_shards(verified, VERIFIED_PATTERNS)
    if not found:
        raise GnosisError(f"{directory}: neither a merge out_dir ({MERGED_NAME}) nor a generate save_dir "
                          f"with {verified}/shard-*.verified.parquet or .jsonl (run `gnosis run --stage label`)")
    return Run(name, str(directory), "generate", _read_rows(found, _task_of(verified, directory)),
               shards=[p.name for p in found], paths=[str(p) for p in found],
               metadata=run_metadata(directory, "generate", [p.name for p in found]))


def _task_of(verified: Path, directory: Path) -> str:
    """The task the label stage recorded in summary.json, else the folder's name."""
    try:
        return str(json.loads((verified / "summary.json").read_text(encoding="utf-8"))["task"])
    except (OSError, ValueError, KeyError, TypeError):
        return directory.resolve().name


BATCH_ROWS = 65_536  # rows converted at a time: the text of one batch is held, never a whole column's


def _batches(path: Path, by_text: bool):
    """The wanted columns of one shard, a batch at a time."""
    if path.suffix != ".parquet":
        yield from _read_jsonl(path).to_batches(BATCH_ROWS)
        return
    try:
        file = pq.ParquetFile(path)
        names = set(file.schema_arrow.names)
        wanted = [c for c in _TYPES if c in names and c != "question"]
        # the question text is the largest column read: only when there is no question_index to use
        if "question" in names and (by_text or "question_index" not in names
                                    or pq.read_table(path, columns=["question_index"])["question_index"].null_count):
            wanted.append("question")
        yield from file.iter_batches(batch_size=BATCH_ROWS, columns=wanted)
    except GnosisError:
        raise
    except Exception as exc:
        raise GnosisError(f"{path}: cannot read parquet shard ({type(exc).__name__}: {exc})") from None


def _read_jsonl(path: Path) -> pa.Table:
    """The wanted fields of a JSONL shard, parsed by Arrow; Python only if a field has odd types."""
    import pyarrow.json as pj

    schema = pa.schema(list(_TYPES.items()))
    try:
        table = pj.read_json(path, parse_options=pj.ParseOptions(explicit_schema=schema,
                                                                 unexpected_field_behavior="ignore"))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        rows = shards.read_jsonl(path)
        table = pa.table({c: _loose(c, [r.get(c) for r in rows]) for c in _TYPES})
    # a field no row has reads as all nulls: treat it as absent
    return table.select([c for c in table.column_names if table[c].null_count < max(1, table.num_rows)])


def _loose(column: str, values: list) -> pa.Array:
    try:
        return pa.array(values, _TYPES[column])
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pa.array([None if v is None else json.dumps(v, default=str) if isinstance(v, (dict, list)) else str(v)
                         for v in values], pa.string())


def _read_rows(paths: list[Path], task: str | None, by_text: bool = False) -> dict:
    """One numpy array per quantity, one entry per row of all ``paths``, read a batch at a time:
    text columns become integer codes as they are read (see normalise.Coder)."""
    coders = {c: Coder() for c in ("task", "question", "original_source", "grade_status", "grade_detail", "answer")}
    parts = []
    for file_index, path in enumerate(map(Path, paths)):
        first = 0
        for batch in _batches(path, by_text):
            if "correctness_label" not in batch.schema.names:
                raise GnosisError(f"{path}: missing column correctness_label "
                                  "(report reads the output of `gnosis run --stage label` or a merge)")
            columns = {name: _as(batch.column(name), name, path) for name in batch.schema.names}
            part = _convert(columns, batch.num_rows, coders, task, path)
            part["file"] = np.full(batch.num_rows, file_index, np.int32)
            part["row"] = np.arange(first, first + batch.num_rows, dtype=np.int64)
            first += batch.num_rows
            parts.append(part)
    n_rows = sum(len(p["label"]) for p in parts)
    columns = {name: _concat(parts, name) for name in _CONVERTED
               if name in ("label", "file", "row") or any(name in p for p in parts)}
    if (not by_text and n_rows and "question" in columns and (columns["question"] < 0).any()
            and columns.get("question_index_null", np.ones(1, bool)).any()):
        # some shards without question_index (a user's own): questions are told apart by text in all
        return _read_rows(paths, task, by_text=True)
    return _arrays(columns, n_rows, coders, task, paths, by_text)


# each column as numpy: the value its nulls (and the rows of shards without it) get, and its dtype
_CONVERTED = {"label": (0, np.int8), "file": (0, np.int32), "row": (0, np.int64), "parsed": (False, bool),
              "task": (-1, np.int64), "question_index": (0, np.int64), "question_index_null": (True, bool),
              "question": (-1, np.int64), "sample_index": (0, np.int64), "answer": (-1, np.int64),
              "original_source": (-1, np.int64), "grade_status": (-1, np.int64), "grade_detail": (-1, np.int64),
              "length_stop": (False, bool), "forced": (False, bool), "tokens": (np.nan, np.float64)}


def _convert(columns: dict, n_rows: int, coders: dict, task: str | None, path: Path) -> dict:
    """One batch's columns as numpy arrays (text as codes)."""
    label = columns["correctness_label"]
    if label.null_count or (n_rows and not pc.all(pc.is_in(label, value_set=pa.array([0, 1]))).as_py()):
        raise GnosisError(f"{path}: column correctness_label must be 0 or 1 in every row")
    part = {"label": label.to_numpy().astype(np.int8)}
    if "pred_parsed" in columns:
        part["parsed"] = columns["pred_parsed"].fill_null(False).to_numpy(zero_copy_only=False)
    if "task" in columns:
        part["task"] = coders["task"](columns["task"].fill_null("?"))
    if "question_index" in columns:
        index = columns["question_index"]
        part["question_index"] = index.fill_null(0).to_numpy(zero_copy_only=False)
        part["question_index_null"] = index.is_null().to_numpy(zero_copy_only=False)
    for name in ("question", "original_source", "grade_detail"):
        if name in columns:
            part[name] = coders[name](columns[name])
    if "grade_status" in columns:
        part["grade_status"] = coders["grade_status"](columns["grade_status"].fill_null("?"))
    if "sample_index" in columns:
        part["sample_index"] = columns["sample_index"].fill_null(0).to_numpy(zero_copy_only=False)
    if "extracted_answer" in columns:
        if "task" in part:
            keys = answer_keys(columns["extracted_answer"], part["task"], coders["task"].values)
        else:
            keys = answer_keys(columns["extracted_answer"], np.zeros(n_rows, np.int64), [task or "?"])
        part["answer"] = coders["answer"](keys)
    if "finish_reason" in columns:
        part["length_stop"] = pc.fill_null(pc.equal(columns["finish_reason"], "length"), False).to_numpy(
            zero_copy_only=False)
    if "two_step_applied" in columns:
        part["forced"] = columns["two_step_applied"].fill_null(False).to_numpy(zero_copy_only=False)
    if "num_output_tokens" in columns:
        part["tokens"] = columns["num_output_tokens"].to_numpy(zero_copy_only=False)  # NaN where null
    return part


def _concat(parts: list[dict], name: str) -> np.ndarray:
    """One column over all batches; a batch without it holds the column's null value."""
    fill, dtype = _CONVERTED[name]
    return np.concatenate([p[name].astype(dtype, copy=False) if name in p else np.full(len(p["label"]), fill, dtype)
                           for p in parts]) if parts else np.zeros(0, dtype)


def _as(column, name: str, path: Path):
    try:
        return pc.cast(column, _TYPES[name])
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        if _TYPES[name] == pa.string():
            return pa.array([None if v is None else str(v) for v in column.to_pylist()], pa.string())
        raise GnosisError(f"{path}: column {name} should be {_TYPES[name]}, found {column.type}") from None


def _arrays(columns: dict, n_rows: int, coders: dict, task: str | None, paths, by_text: bool) -> dict:
    rows = {"label": columns["label"], "file": columns["file"], "row": columns["row"]}
    rows["parsed"] = columns["parsed"] if "parsed" in columns else np.ones(n_rows, bool)
    if "task" in columns:
        rows["task"], rows["tasks"] = _fill(columns["task"], coders["task"], "?"), coders["task"].values
    else:
        rows["task"], rows["tasks"] = np.zeros(n_rows, np.int64), [task or "?"]
    has = {"question": "question" in columns and not (columns["question"] < 0).any(),
           "question_index": "question_index" in columns and not columns["question_index_null"].any()}
    if not n_rows:  # empty shards: no question to tell apart
        columns.setdefault("question_index", np.zeros(0, np.int64))
        has["question_index"] = True
    complete = [c for c in (("question", "question_index") if by_text else ("question_index", "question")) if has[c]]
    if not complete:
        raise GnosisError(f"{paths[0]}: no question_index or question column set in every row "
                          "to tell questions apart")
    if has["question_index"]:  # what tells the same question apart in two runs
        rows["question_id"] = columns["question_index"]
    local = columns[complete[0]]
    local = local - min(0, int(local.min(initial=0)))  # negative indices would break the packed key
    _, rows["question"] = np.unique(rows["task"] * (int(local.max(initial=0)) + 1) + local, return_inverse=True)
    rows["question"] = rows["question"].reshape(-1)
    rows["rank"] = _rank(rows["question"], columns.get("sample_index", np.zeros(n_rows, np.int64)))
    if "answer" in columns:
        rows["answer"] = columns["answer"]
    if "original_source" in columns:
        rows["source"], rows["sources"] = columns["original_source"], coders["original_source"].values
    if "grade_status" in columns:
        rows["status"] = _fill(columns["grade_status"], coders["grade_status"], "?")
        rows["statuses"] = coders["grade_status"].values
    else:  # before grade_status existed, only parsed / unparsed can be told apart
        rows["status"], rows["statuses"] = np.where(rows["parsed"], 0, 1), ["ok", "unparsed"]
    rows["status_derived"] = "grade_status" not in columns
    if "grade_detail" in columns:
        rows["detail"], rows["details"] = columns["grade_detail"], coders["grade_detail"].values
    for name in ("length_stop", "forced", "tokens"):
        if name in columns:
            rows[name] = columns[name]
    return rows


def _fill(codes: np.ndarray, coder: Coder, value: str) -> np.ndarray:
    """Codes with the rows of shards that lack the column (-1) given ``value``'s code."""
    if not (codes < 0).any():
        return codes
    return np.where(codes < 0, coder.index.setdefault(value, len(coder.index)), codes)


def _rank(question: np.ndarray, sample: np.ndarray) -> np.ndarray:
    """Each row's position among its question's rows, by sample_index then file order."""
    order = np.lexsort((np.arange(len(question)), sample, question))
    ordered = question[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]]) if len(order) else np.zeros(0, np.int64)
    rank = np.empty(len(question), np.int64)
    rank[order] = np.arange(len(question)) - np.repeat(starts, np.diff(np.r_[starts, len(question)]))
    return rank
