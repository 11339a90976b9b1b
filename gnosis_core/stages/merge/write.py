"""Writing the chosen rows, in output order, without ever holding all the completions.

The output order mixes every shard (question blocks are shuffled), so the rows are moved in
two passes, as an external distribution sort does it:
1. each input shard is read once, a batch at a time; the rows chosen from a batch are unified
   and handed to the output row groups they belong to (an input row once per row group, however
   many times upsampling repeats it);
2. each output row group is then gathered, its rows put in order (a repeated row is a repeated
   index), and written.
What pass 1 hands over waits in memory when it is small, else in an Arrow IPC file beside
the output, read back one row group at a time. Where the output keeps the input's order
(``--shuffle_blocks false``, each question's rows together in its shard), a row group is
complete as soon as a later one is handed rows: it is written then, in pass 1, and nothing
waits on disk. Each pass runs on two threads (pyarrow lets go
of the GIL while it decodes, copies and writes): in pass 1 one decodes an input batch while the
other hands over the chosen rows of the batch before; in pass 2 one gathers a row group while
the other writes the one before.
"""
from __future__ import annotations

import queue
import threading
from typing import Iterator

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
READ_BYTES = 64 << 20  # an input batch's size, about (the Parquet reader holds a few times that)
IN_MEMORY_BYTES = 512 << 20  # chosen rows beyond this size wait on disk between the passes
SCRATCH_BUFFER = 8 << 20  # writes to the scratch file are gathered into this much


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
    in_order = in_input_order(final)
    spill = not in_order and row_bytes[order][first].sum() > IN_MEMORY_BYTES
    by_group = np.argsort(group, kind="stable")
    bounds = np.searchsorted(group[by_group], np.arange(n_groups + 1))

    def rows_of(g: int) -> np.ndarray:
        """Where the rows of output row group ``g`` are among the rows handed to it."""
        held = source[by_group[bounds[g]:bounds[g + 1]]]  # the rows waiting, in input order
        return np.searchsorted(held, final[g * group_rows:(g + 1) * group_rows])

    with _Waiting(scratch, schema, spill) as waiting, pq.ParquetWriter(path, schema) as writer:
        written = 0

        def write_complete(below: int) -> None:
            nonlocal written
            for g in range(written, below):
                writer.write_table(waiting.take(g, rows_of(g)))
            written = max(written, below)

        _hand_over(parts, tasks, schema, source, group, waiting, write_complete if in_order else None)
        for table in ahead(waiting.take(g, rows_of(g)) for g in range(written, n_groups)):
            writer.write_table(table)


def in_input_order(final: np.ndarray) -> bool:
    """Whether the output's rows come in the inputs' order (a repeated row repeated in place)."""
    return bool(np.all(final[1:] >= final[:-1]))


def _hand_over(parts: list[Shard], tasks: list[str], schema: pa.Schema, source: np.ndarray, group: np.ndarray,
               waiting: "_Waiting", complete=None) -> None:
    """Pass 1: read each shard that has chosen rows once, and give its chosen rows to the row
    groups that take them. ``complete(g)``, where given, is told after each batch that the row
    groups below ``g`` have all their rows (the groups come in input order)."""
    offsets = np.cumsum([0] + [p.rows for p in parts])

    read = [(index, shard) for index, shard in enumerate(parts)  # a shard nothing is chosen from is not read
            if np.searchsorted(source, offsets[index]) < np.searchsorted(source, offsets[index + 1])]

    def batches() -> Iterator[tuple[Shard, int, pa.Table]]:
        """Each batch of the shards read, with the index of its first row."""
        for (index, shard), (_, following) in zip(read, read[1:] + [(None, None)]):
            if following is not None:
                following.read_ahead()  # the disk reads the next shard while this one is decoded
            start = offsets[index]
            for batch in shard.batches(int(np.clip(READ_BYTES // max(shard.row_bytes, 1.0), 1, BATCH_ROWS))):
                yield shard, start, batch
                start += batch.num_rows

    for shard, start, batch in ahead(batches()):
        a, b = np.searchsorted(source, [start, start + batch.num_rows])
        if a < b:  # the chosen rows, taken once, grouped by the row group they go to
            by_group = np.argsort(group[a:b], kind="stable")
            chosen = _output_rows(batch.take(source[a:b][by_group] - start), shard, tasks[shard.task], schema)
            groups = group[a:b][by_group]
            cuts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1], True])
            for begin, end in zip(cuts[:-1], cuts[1:]):
                waiting.add(int(groups[begin]), chosen.slice(begin, end - begin))
            if complete is not None:
                complete(int(groups[-1]))


def ahead(items: Iterator, depth: int = 2) -> Iterator:
    """``items``, each made on a thread of its own while the caller works on the one before
    (at most ``depth`` waiting). An error there is raised here; when the caller stops early
    (an error, Ctrl-C), the thread stops at its next item."""
    waiting: queue.Queue = queue.Queue(depth)
    stop = threading.Event()
    end = object()

    def hand(item, error=None) -> None:
        while not stop.is_set():
            try:
                return waiting.put((item, error), timeout=0.1)
            except queue.Full:
                pass

    def produce() -> None:
        try:
            for item in items:
                if stop.is_set():
                    return
                hand(item)
            hand(end)
        except BaseException as exc:  # handed to the caller, who raises it
            hand(end, exc)

    thread = threading.Thread(target=produce, name="gnosis-merge-ahead", daemon=True)
    thread.start()
    try:
        while True:
            item, error = waiting.get()
            if error is not None:
                raise error
            if item is end:
                return
            yield item
    finally:
        stop.set()
        thread.join()


class _Waiting:
    """The rows handed to each output row group, in memory or in an IPC file of ``scratch``."""

    def __init__(self, scratch: shards.scratch_files, schema: pa.Schema, on_disk: bool):
        self.scratch, self.schema, self.on_disk = scratch, schema, on_disk
        self.pieces: dict[int, list] = {}  # row group -> tables (in memory) or batch numbers (on disk)
        self.writer = self.file = None

    def __enter__(self) -> "_Waiting":
        if self.on_disk:
            self.path = str(self.scratch.new())
            # buffered: a batch is many small buffers, each a write() of its own without it
            self.sink = pa.output_stream(self.path, buffer_size=SCRATCH_BUFFER)
            self.writer = pa.ipc.new_file(self.sink, self.schema)
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

    def take(self, group: int, rows: np.ndarray) -> pa.Table:
        """Rows ``rows`` of what ``group`` was handed, copied out (a row may be taken twice)."""
        if not self.on_disk:
            return pa.concat_tables(self.pieces.pop(group)).take(rows)
        if self.writer is not None:  # every row has been handed over: read them back
            self._close_writer()
            self.file = pa.OSFile(self.path)
            self.reader = pa.ipc.open_file(self.file)
        return pa.Table.from_batches([self.reader.get_batch(i) for i in self.pieces.pop(group)],
                                     self.schema).take(rows)

    def _close_writer(self) -> None:
        self.writer.close()
        self.sink.close()
        self.writer = None

    def __exit__(self, *exc) -> None:
        if self.writer is not None:
            self._close_writer()
        if self.file is not None:
            self.file.close()
