"""merge as it was before it streamed: every shard read whole into memory, the question ids
found over all of a task's rows at once, and the output taken from the whole tables.
Kept only as the oracle the streaming merge is compared against (tests/test_merge.py)."""
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from gnosis_core import shards
from gnosis_core.stages.merge import inputs, selection, write


def merge_in_memory(sources: dict[str, Path], path: Path, controls: dict) -> dict:
    """Write the merged rows to ``path``; return the selection's statistics."""
    tasks = list(sources)
    parts = []
    for index, task in enumerate(tasks):
        for found in inputs.current_shards(task, Path(sources[task])):
            table = _unify_whole(shards.read_table(found), found)
            if table is not None:
                parts.append((index, table))
    keys = _keys(parts, len(tasks))
    final, info = selection.select(keys, tasks, controls)
    schema = write.output_schema([table.schema for _, table in parts])
    offsets = np.cumsum([0] + [t.num_rows for _, t in parts])
    with pq.ParquetWriter(path, schema) as writer:
        for start in range(0, len(final), write.BATCH_ROWS):
            rows = final[start:start + write.BATCH_ROWS]
            row_part = keys["part"][rows]
            pieces = []
            for index in np.unique(row_part):
                task, table = parts[index]
                piece = table.take(rows[row_part == index] - offsets[index])
                columns = {f.name: write._conform(piece[f.name], f.type) if f.name in piece.column_names
                           else pa.nulls(piece.num_rows, f.type) for f in schema}
                columns["task"] = pa.array([tasks[task]] * piece.num_rows, pa.string())
                pieces.append(pa.table(columns, schema=schema))
            position = np.empty(len(rows), np.int64)
            position[np.argsort(row_part, kind="stable")] = np.arange(len(rows))
            writer.write_table(pa.concat_tables(pieces).take(position))
    return info


def _unify_whole(table: pa.Table, path: Path) -> pa.Table | None:
    if table.num_rows == 0:
        return None
    question = next(c for c in inputs.QUESTION_CANDIDATES if c in table.column_names)
    gold = tuple(c for c in inputs.GOLD_CANDIDATES
                 if c in table.column_names and table[c].null_count < table.num_rows)
    return inputs.unify(table, inputs.Shard(path, 0, table.num_rows, question, gold, 1.0))


def _keys(parts: list[tuple[int, pa.Table]], n_tasks: int) -> dict:
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
