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
from gnosis_core.stages.report.normalise import _answer_classes, _codes

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
        return Run(name, str(directory), "merge", _read_rows([merged], None, by_text=True), stats, [MERGED_NAME])
    verified = directory / "verified"
    found = shards.find_shards(verified, VERIFIED_PATTERNS)
    if not found:
        raise GnosisError(f"{directory}: neither a merge out_dir ({MERGED_NAME}) nor a generate save_dir "
                          f"with {verified}/shard-*.verified.parquet or .jsonl (run `gnosis run --stage label`)")
    return Run(name, str(directory), "generate", _read_rows(found, _task_of(verified, directory)),
               shards=[p.name for p in found])


def _task_of(verified: Path, directory: Path) -> str:
    """The task the label stage recorded in summary.json, else the folder's name."""
    try:
        return str(json.loads((verified / "summary.json").read_text(encoding="utf-8"))["task"])
    except (OSError, ValueError, KeyError, TypeError):
        return directory.resolve().name


def _read_table(path: Path, by_text: bool) -> pa.Table:
    if path.suffix != ".parquet":
        return _read_jsonl(path)
    names = set(shards.read_schema(path).names)
    try:
        table = pq.read_table(path, columns=[c for c in _TYPES if c in names and c != "question"])
        # the question text is the largest column read: only when there is no question_index to use
        if "question" in names and (by_text or "question_index" not in table.column_names
                                    or table["question_index"].null_count):
            table = table.append_column("question", pq.read_table(path, columns=["question"])["question"])
    except Exception as exc:
        raise GnosisError(f"{path}: cannot read parquet shard ({type(exc).__name__}: {exc})") from None
    return table


def _with_question_text(table: pa.Table, path: Path) -> pa.Table:
    if "question" in table.column_names or path.suffix != ".parquet" or "question" not in shards.read_schema(path).names:
        return table
    return table.append_column("question", pq.read_table(path, columns=["question"])["question"])


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
    """One numpy array per quantity, one entry per row of all ``paths``."""
    tables = []
    for path in paths:
        table = _read_table(Path(path), by_text)
        if "correctness_label" not in table.column_names:
            raise GnosisError(f"{path}: missing column correctness_label "
                              "(report reads the output of `gnosis run --stage label` or a merge)")
        tables.append(table)
    if any("question_index" not in t.column_names or t["question_index"].null_count for t in tables):
        # some shards without question_index (a user's own): questions are told apart by text in all
        tables = [_with_question_text(t, Path(path)) for t, path in zip(tables, paths)]
    present = [c for c in _TYPES if any(c in t.column_names for t in tables)]
    columns = {}
    for name in present:
        chunks = [_as(t[name], name, path) if name in t.column_names else pa.nulls(t.num_rows, _TYPES[name])
                  for t, path in zip(tables, paths)]
        columns[name] = pa.chunked_array([c for chunk in chunks for c in _chunks(chunk)], _TYPES[name])
    return _arrays(columns, sum(t.num_rows for t in tables), task, paths, by_text)


def _chunks(column) -> list:
    return column.chunks if isinstance(column, pa.ChunkedArray) else [column]


def _as(column, name: str, path: Path):
    try:
        return pc.cast(column, _TYPES[name])
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        if name in ("original_source", "task", "extracted_answer", "grade_status", "finish_reason", "question"):
            return pa.array([None if v is None else str(v) for v in column.to_pylist()], pa.string())
        raise GnosisError(f"{path}: column {name} should be {_TYPES[name]}, found {column.type}") from None



def _arrays(columns: dict, n_rows: int, task: str | None, paths, by_text: bool) -> dict:
    label = columns["correctness_label"]
    if label.null_count or (n_rows and not pc.all(pc.is_in(label, value_set=pa.array([0, 1]))).as_py()):
        raise GnosisError(f"{', '.join(map(str, paths))}: column correctness_label must be 0 or 1 in every row")
    rows = {"label": label.to_numpy().astype(np.int8)}
    rows["parsed"] = (columns["pred_parsed"].fill_null(False).to_numpy(zero_copy_only=False)
                      if "pred_parsed" in columns else np.ones(n_rows, bool))
    if "task" in columns:
        rows["task"], rows["tasks"] = _codes(columns["task"].fill_null("?"))
    else:
        rows["task"], rows["tasks"] = np.zeros(n_rows, np.int64), [task or "?"]
    complete = [c for c in (("question", "question_index") if by_text else ("question_index", "question"))
                if c in columns and columns[c].null_count == 0]
    if not complete:
        raise GnosisError(f"{paths[0]}: no question_index or question column set in every row "
                          "to tell questions apart")
    local = _codes(columns["question"])[0] if complete[0] == "question" else columns["question_index"].to_numpy()
    local = local - min(0, int(local.min(initial=0)))  # negative indices would break the packed key
    _, rows["question"] = np.unique(rows["task"] * (int(local.max(initial=0)) + 1) + local, return_inverse=True)
    rows["question"] = rows["question"].reshape(-1)
    sample = (columns["sample_index"].fill_null(0).to_numpy(zero_copy_only=False)
              if "sample_index" in columns else np.zeros(n_rows, np.int64))
    rows["rank"] = _rank(rows["question"], sample)
    if "extracted_answer" in columns:
        rows["answer"] = _answer_classes(columns["extracted_answer"], rows["task"], rows["tasks"])
    if "original_source" in columns:
        rows["source"], rows["sources"] = _codes(columns["original_source"])
    if "grade_status" in columns:
        rows["status"], rows["statuses"] = _codes(columns["grade_status"].fill_null("?"))
    else:  # before grade_status existed, only parsed / unparsed can be told apart
        rows["status"], rows["statuses"] = np.where(rows["parsed"], 0, 1), ["ok", "unparsed"]
    rows["status_derived"] = "grade_status" not in columns
    if "grade_detail" in columns:
        rows["detail"], rows["details"] = _codes(columns["grade_detail"])
    if "finish_reason" in columns:
        rows["length_stop"] = pc.fill_null(pc.equal(columns["finish_reason"], "length"), False).to_numpy(
            zero_copy_only=False)
    if "two_step_applied" in columns:
        rows["forced"] = columns["two_step_applied"].fill_null(False).to_numpy(zero_copy_only=False)
    if "num_output_tokens" in columns:
        rows["tokens"] = columns["num_output_tokens"].to_numpy(zero_copy_only=False)  # NaN where null
    return rows


def _rank(question: np.ndarray, sample: np.ndarray) -> np.ndarray:
    """Each row's position among its question's rows, by sample_index then file order."""
    order = np.lexsort((np.arange(len(question)), sample, question))
    ordered = question[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]]) if len(order) else np.zeros(0, np.int64)
    rank = np.empty(len(question), np.int64)
    rank[order] = np.arange(len(question)) - np.repeat(starts, np.diff(np.r_[starts, len(question)]))
    return rank
