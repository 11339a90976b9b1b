"""merge's inputs: which verified shards are current, their columns unified, and the narrow
pass that reads only what the selection needs (question, label, parsed), never the text."""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from gnosis_core import shards
from gnosis_core.errors import GnosisError

VERIFIED_PATTERNS = ("shard-*.verified.parquet", "shard-*.verified.jsonl")
QUESTION_CANDIDATES = ("question", "prompt", "query", "input", "instruction")
GOLD_CANDIDATES = ("answer", "solution")  # ground_truth's sources when a shard has none


@dataclass
class Shard:
    """A non-empty verified shard and what unifying its columns needs."""
    path: Path
    task: int  # the task's position in --inputs
    rows: int
    question: str  # the column holding the question
    gold: tuple[str, ...]  # of GOLD_CANDIDATES, those holding a value in some row of the shard
    row_bytes: float  # one row's size in memory, about (from the Parquet footer or the file size)
    schema: pa.Schema | None = None  # of the unified columns
    parsed: Path | None = None  # a JSONL shard's rows, parsed once, as an Arrow IPC file

    def read_ahead(self) -> None:
        """Ask the kernel to start reading the file now (it returns at once), so that the
        reads that follow find it in memory."""
        shards.read_ahead(self.parsed or self.path)

    def batches(self, rows: int) -> Iterator[pa.Table]:
        """The shard's rows, every column, at most ``rows`` at a time."""
        if self.parsed is None:
            for batch in shards.iter_parquet(self.path, rows):
                yield pa.Table.from_batches([batch])
            return
        with pa.OSFile(str(self.parsed)) as file:
            reader = pa.ipc.open_file(file)
            for index in range(reader.num_record_batches):
                batch = pa.Table.from_batches([reader.get_batch(index)])
                for start in range(0, batch.num_rows, rows):
                    yield batch.slice(start, rows)


def load(sources: dict[str, str], scratch: shards.scratch_files) -> tuple[list[Shard], dict, dict[str, list[Path]]]:
    """Every task's non-empty current shards; the selection keys, one entry per row of them
    (task, shard, question id unique across tasks, label, parsed; and each question's task);
    and every current shard found, by task. JSONL shards are parsed here once, into ``scratch``."""
    parts: list[Shard] = []
    found: dict[str, list[Path]] = {}
    group, label, parsed = [], [], []
    n_groups = 0
    for index, task in enumerate(sources):
        found[task] = current_shards(task, Path(sources[task]))
        distinct = pa.array([], pa.string())  # the task's questions, in order of first appearance
        for path in found[task]:
            shard, narrow = _inspect(path, index, scratch)
            if shard is None:
                continue
            questions = narrow["question"]
            unseen = pc.unique(questions)
            unseen = unseen.filter(pc.is_null(pc.index_in(unseen, value_set=distinct)))
            distinct = pa.concat_arrays([distinct, unseen])
            group.append(pc.index_in(questions, value_set=distinct).to_numpy().astype(np.int64) + n_groups)
            label.append(narrow["correctness_label"].to_numpy())
            parsed.append(narrow["pred_parsed"].to_numpy())
            parts.append(shard)
        n_groups += len(distinct)
    sizes = [p.rows for p in parts]
    keys = {
        "task": np.repeat(np.array([p.task for p in parts], np.int64), sizes),
        "part": np.repeat(np.arange(len(parts)), sizes),
        "group": np.concatenate(group) if group else np.zeros(0, np.int64),
        "label": np.concatenate(label or [np.zeros(0, np.int8)]),
        "parsed": np.concatenate(parsed or [np.zeros(0, bool)]),
        "groups": n_groups,
    }
    keys["group_task"] = np.zeros(n_groups, np.int64)
    keys["group_task"][keys["group"]] = keys["task"]
    return parts, keys, found


def current_shards(task: str, directory: Path) -> list[Path]:
    """The verified shards of ``directory`` the label manifest records (all of them where
    there is no manifest). Whether the source shard is still there does not matter: a
    verified shard holds every column, so a ``verified/`` folder alone is a complete input."""
    if not directory.is_dir():
        raise GnosisError(f"--inputs {task}={directory}: not a directory")
    verified = directory / "verified"
    found = shards.find_shards(verified, VERIFIED_PATTERNS)
    labeled = shards.labeled_outputs(verified)
    stale = [p for p in found if labeled is not None and p.name not in labeled]
    if stale:  # left from an earlier labeling (label --overwrite records only what it labels)
        print(f"gnosis: note: --inputs {task}={directory}: skipped {len(stale)} verified shard(s) that "
              f"{verified / shards.LABEL_MANIFEST} does not list ({stale[0].name})", file=sys.stderr)
        found = [p for p in found if p not in stale]
    if not found:
        raise GnosisError(f"--inputs {task}={directory}: no verified shards (expected "
                          f"{verified}/shard-*.verified.parquet or .jsonl; run `gnosis run --stage label` first)")
    return found


def _inspect(path: Path, task: int, scratch: shards.scratch_files) -> tuple[Shard | None, pa.Table | None]:
    """A shard's description and its narrow columns (None, None for an empty shard)."""
    if path.suffix == ".parquet":
        footer = shards.parquet_file(path)
        schema, rows = footer.schema_arrow, footer.metadata.num_rows
        size = sum(footer.metadata.row_group(i).total_byte_size for i in range(footer.metadata.num_row_groups))
    else:
        whole = shards.read_table(path)
        schema, rows, size = whole.schema, whole.num_rows, path.stat().st_size
    if rows == 0:
        return None, None
    names = schema.names
    question = next((c for c in QUESTION_CANDIDATES if c in names), None)
    if question is None:
        raise GnosisError(f"{path}: no question column (expected one of {', '.join(QUESTION_CANDIDATES)}); "
                          f"it has: {', '.join(names)}")
    for column in ("correctness_label", "completion"):
        if column not in names:
            raise GnosisError(f"{path}: missing column {column}; it has: {', '.join(names)} "
                              "(merge reads the output of `gnosis run --stage label`)")
    gold = [] if "ground_truth" in names else [c for c in GOLD_CANDIDATES if c in names]
    wanted = [question, "correctness_label", *(["pred_parsed"] if "pred_parsed" in names else []), *gold]
    table = shards.read_table(path, columns=wanted) if path.suffix == ".parquet" else whole.select(wanted)
    shard = Shard(path, task, rows, question, tuple(c for c in gold if table[c].null_count < rows), size / rows)
    shard.schema = unify(schema.empty_table(), shard).schema
    if path.suffix == ".jsonl":  # JSON is slow to parse: the writing pass reads these rows again
        shard.parsed = scratch.new()
        with pa.ipc.new_file(str(shard.parsed), schema) as parsed:
            parsed.write_table(whole, max_chunksize=4_096)
    narrow = unify(table, shard, only=("question", "correctness_label", "pred_parsed"))
    return shard, narrow


def unify(table: pa.Table, shard: Shard, only: tuple[str, ...] | None = None) -> pa.Table:
    """Rows of ``shard`` with the unified columns first (question, ground_truth, labels,
    completion), then the others it has; ``only``: just these unified columns."""
    names = table.column_names
    makers = {
        "question": lambda: as_text(table[shard.question]).cast(pa.string()),
        "ground_truth": lambda: _ground_truth(table, shard.gold),
        "correctness_label": lambda: _labels(table["correctness_label"], shard.path),
        "pred_parsed": lambda: (_cast(table["pred_parsed"], pa.bool_(), shard.path, "pred_parsed").fill_null(False)
                                if "pred_parsed" in names else pa.array(np.ones(table.num_rows, bool))),
        "completion": lambda: table["completion"],
    }
    columns = {name: make() for name, make in makers.items() if only is None or name in only}
    if only is not None:
        return pa.table(columns)
    skipped = (*makers, *GOLD_CANDIDATES, "task")  # a question under another name is kept as well
    return pa.table({**columns, **{c: table[c] for c in names if c not in skipped}})


def _labels(column, path: Path):
    labels = _cast(column, pa.int8(), path, "correctness_label")
    valid = pc.is_in(labels, value_set=pa.array([0, 1], pa.int8()))  # false for nulls too
    if pc.any(pc.invert(valid)).as_py():  # null (no row) for an empty column
        found = pc.unique(labels.filter(pc.invert(valid))).to_pylist()[:3]
        raise GnosisError(f"{path}: column correctness_label must be 0 or 1 in every row; found {found}")
    return labels


def _cast(column, to: pa.DataType, path: Path, name: str):
    try:
        return pc.cast(column, to)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        raise GnosisError(f"{path}: column {name} should be {to}, found {column.type}") from None


def _ground_truth(table: pa.Table, gold: tuple[str, ...]):
    """``ground_truth`` as given, else ``answer`` where set, else ``solution`` (``gold``: which
    of the two hold a value somewhere in the shard, decided once for the whole shard)."""
    if "ground_truth" in table.column_names:
        return table["ground_truth"]
    present = [table[c] for c in gold]
    if not present:
        return pa.nulls(table.num_rows)
    if len(present) == 1:
        return present[0]
    if present[0].type != present[1].type:
        present = [as_text(c) for c in present]
    return pc.coalesce(*present)


def is_nested(dtype: pa.DataType) -> bool:
    return pa.types.is_nested(dtype) or pa.types.is_binary(dtype) or pa.types.is_large_binary(dtype)


_JSON = json.JSONEncoder(ensure_ascii=False, default=str)  # built once: json.dumps(**options) builds one per call


def _json_cell(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return _JSON.encode(value)


def as_text(column):
    """A column as strings: nested cells (dicts, lists) JSON-encoded, scalars cast."""
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        return column
    if is_nested(column.type):
        return pa.array([_json_cell(v) for v in column.to_pylist()], pa.string())
    return pc.cast(column, pa.string())
