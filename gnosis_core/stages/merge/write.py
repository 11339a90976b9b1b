"""Writing the chosen rows, in output order, without ever holding all the completions.

The output order mixes every shard (question blocks are shuffled), so the rows are moved in
two passes, as an external distribution sort does it:
1. each input shard is read once, a batch at a time; the rows chosen from a batch are unified
   and handed to the output row groups they belong to (an input row once per row group, however
   many times upsampling repeats it);
2. each output row group is then gathered, its rows put in order (a repeated row is a repeated
   index), and written.
What pass 1 hands over waits in memory when it is small, else in an Arrow IPC file beside
the output, read back one row group at a time.
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from gnosis_core import shards
from gnosis_core.stages.merge.inputs import Shard, as_text, is_nested, unify

FRONT_COLUMNS = ("question", "ground_truth", "task", "correctness_label", "pred_parsed", "completion")
_FRONT_TYPES = {"correctness_label": pa.int8(), "pred_parsed": pa.bool_()}
BATCH_ROWS = 65_536  # the most rows in an output row group, or in a batch read from an input
GROUP_BYTES = 64 << 20  # an output row group's size in memory, about: fewer rows when rows are long
READ_BYTES = 16 << 20  # an input batch's size, about (the Parquet reader holds a few times that)
IN_MEMORY_BYTES = 512 << 20  # chosen rows beyond this size wait on disk between the passes


def output_schema(schemas: list[pa.Schema]) -> pa.Schema:
    """Every input column once, the unified ones first. Nested cells become JSON text, and a
    column that two tasks type differently (a number here, a string there) becomes text."""
    kinds: dict[str, list[pa.DataType]] = {c: [] for c in FRONT_COLUMNS}
    for schema in schemas:
        for field in schema:
            if not pa.types.is_null(field.type):
                kinds.setdefault(field.name, []).append(pa.string() if is_nested(field.type) else field.type)
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
        column = as_text(column)
    return pc.cast(column, dtype)


def _output_rows(table: pa.Table, shard: Shard, task: str, schema: pa.Schema) -> pa.Table:
    """Input rows as output rows: unified, typed as ``schema``, with their task."""
    table = unify(table, shard)
    columns = {f.name: _conform(table[f.name], f.type) if f.name in table.column_names
               else pa.nulls(table.num_rows, f.type) for f in schema}
    columns["task"] = pa.array([task] * table.num_rows, pa.string())
    return pa.table(columns, schema=schema)


def write_merged(path: str, parts: list[Shard], tasks: list[str], keys: dict, final: np.ndarray,
                 schema: pa.Schema, scratch: shards.scratch_files) -> None:
    """Write the rows ``final`` indexes (into the rows of ``parts``, in order), in that order;
    rows waiting between the passes may go to a file of ``scratch``."""
    row_bytes = np.array([p.row_bytes for p in parts] or [1.0])[keys["part"][final]]
    group_rows = int(np.clip(GROUP_BYTES // max(row_bytes.mean(), 1.0), 1, BATCH_ROWS)) if len(final) else 1
    n_groups = -(-len(final) // group_rows)
    # each (input row, output row group) pair once, in input order
    order = np.argsort(final, kind="stable")
    source, group = final[order], order // group_rows
    first = np.r_[True, (source[1:] != source[:-1]) | (group[1:] != group[:-1])][:len(source)]
    source, group = source[first], group[first]
    spill = row_bytes[order][first].sum() > IN_MEMORY_BYTES
    with _Waiting(scratch, schema, spill) as waiting:
        _hand_over(parts, tasks, schema, source, group, waiting)
        by_group = np.argsort(group, kind="stable")
        bounds = np.searchsorted(group[by_group], np.arange(n_groups + 1))
        with pq.ParquetWriter(path, schema) as writer:
            for g in range(n_groups):
                held = source[by_group[bounds[g]:bounds[g + 1]]]  # the rows waiting, in input order
                rows = final[g * group_rows:(g + 1) * group_rows]
                writer.write_table(waiting.take(g).take(np.searchsorted(held, rows)))


def _hand_over(parts: list[Shard], tasks: list[str], schema: pa.Schema, source: np.ndarray, group: np.ndarray,
               waiting: "_Waiting") -> None:
    """Pass 1: read each shard that has chosen rows once, and give its chosen rows to the row
    groups that take them."""
    offsets = np.cumsum([0] + [p.rows for p in parts])
    for index, shard in enumerate(parts):
        lo, hi = np.searchsorted(source, offsets[index:index + 2])
        if lo == hi:
            continue  # nothing chosen from this shard: it is not read
        start = offsets[index]
        for batch in shard.batches(int(np.clip(READ_BYTES // max(shard.row_bytes, 1.0), 1, BATCH_ROWS))):
            a, b = np.searchsorted(source, [start, start + batch.num_rows])
            if a < b:  # the chosen rows, taken once, grouped by the row group they go to
                by_group = np.argsort(group[a:b], kind="stable")
                chosen = _output_rows(batch.take(source[a:b][by_group] - start), shard, tasks[shard.task], schema)
                groups = group[a:b][by_group]
                cuts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1], True])
                for begin, end in zip(cuts[:-1], cuts[1:]):
                    waiting.add(int(groups[begin]), chosen.slice(begin, end - begin))
            start += batch.num_rows


class _Waiting:
    """The rows handed to each output row group, in memory or in an IPC file of ``scratch``."""

    def __init__(self, scratch: shards.scratch_files, schema: pa.Schema, on_disk: bool):
        self.scratch, self.schema, self.on_disk = scratch, schema, on_disk
        self.pieces: dict[int, list] = {}  # row group -> tables (in memory) or batch numbers (on disk)

    def __enter__(self) -> "_Waiting":
        if self.on_disk:
            self.path = str(self.scratch.new())
            self.writer = pa.ipc.new_file(self.path, self.schema)
            self.written = 0
        return self

    def add(self, group: int, table: pa.Table) -> None:
        if not self.on_disk:
            self.pieces.setdefault(group, []).append(table)
            return
        for batch in table.to_batches():
            self.writer.write_batch(batch)
            self.pieces.setdefault(group, []).append(self.written)
            self.written += 1

    def take(self, group: int) -> pa.Table:
        if not self.on_disk:
            return pa.concat_tables(self.pieces.pop(group))
        if self.writer is not None:  # every row has been handed over: read them back
            self.writer.close()
            self.file = pa.OSFile(self.path)
            self.writer, self.reader = None, pa.ipc.open_file(self.file)
        return pa.Table.from_batches([self.reader.get_batch(i) for i in self.pieces.pop(group)], self.schema)

    def __exit__(self, *exc) -> None:
        if self.on_disk:
            (self.file if self.writer is None else self.writer).close()
