"""Reading and writing shards (Parquet or JSONL) atomically."""
from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Iterable

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from gnosis_core.errors import GnosisError

SHARD_FORMATS = ("parquet", "jsonl")
_SHARD_NUMBER = re.compile(r"shard-(\d+)")


def shard_name(index: int, fmt: str) -> str:
    return f"shard-{index:06d}.{fmt}"


def shard_format(path: str | Path) -> str:
    suffix = Path(path).suffix.lstrip(".")
    if suffix not in SHARD_FORMATS:
        raise GnosisError(f"{path}: unsupported shard format {suffix!r} (expected .parquet or .jsonl)")
    return suffix


def find_shards(directory: str | Path, patterns: Iterable[str]) -> list[Path]:
    """Shards in ``directory`` matching any glob, in shard order, each once."""
    found = {p for pattern in patterns for p in Path(directory).glob(pattern) if p.is_file()}
    return sorted(found, key=lambda p: (_shard_index(p), p.name))


def _shard_index(path: Path) -> int:
    match = _SHARD_NUMBER.search(path.name)
    return int(match.group(1)) if match else -1


def read_table(path: str | Path) -> pa.Table:
    """A whole shard as an Arrow table; a corrupt file is a one-line GnosisError."""
    path = Path(path)
    fmt = shard_format(path)
    try:
        if fmt == "parquet":
            return pq.read_table(path)
        return pa.Table.from_pylist(read_jsonl(path))
    except GnosisError:
        raise
    except Exception as exc:
        raise GnosisError(f"{path}: cannot read {fmt} shard ({type(exc).__name__}: {exc})") from None


def read_schema(path: str | Path) -> pa.Schema:
    try:
        return pq.read_schema(path)
    except Exception as exc:
        raise GnosisError(f"{path}: cannot read parquet shard ({type(exc).__name__}: {exc})") from None


def read_jsonl(path: str | Path) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise GnosisError(f"{path}: line {number} is not valid JSON ({exc.msg})") from None
    return rows


def read_frame(path: str | Path) -> pd.DataFrame:
    return read_table(path).to_pandas()


def write_table(table: pa.Table | pd.DataFrame, path: str | Path) -> Path:
    """Write a shard to a temporary name beside ``path``, then rename it into place, so a
    killed run never leaves a partial file where a finished one would be."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(table, pd.DataFrame):
        table = pa.Table.from_pandas(table, preserve_index=False)
    fmt = shard_format(path)
    with atomic_path(path) as tmp:
        if fmt == "parquet":
            pq.write_table(table, tmp)
        else:
            _dump_jsonl(table.to_pylist(), tmp)
    return path


def write_jsonl(rows: list[dict], path: str | Path) -> Path:
    """Write rows as JSON lines atomically, keeping each row's values exactly as given."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        _dump_jsonl(rows, tmp)
    return path


def _dump_jsonl(rows: list[dict], tmp: str) -> None:
    with open(tmp, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")


def write_text(text: str, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        Path(tmp).write_text(text, encoding="utf-8")
    return path


# atomic_path's temporary names: ".<final name>.<8 random characters>.tmp" beside the target
_TEMP_NAME = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")


def remove_stale_temps(directory: str | Path) -> int:
    """Remove the temporary files a killed run left in ``directory`` (call it holding the
    folder's lock, so that no live run is writing them); returns how many."""
    directory = Path(directory)
    if not directory.is_dir():
        return 0
    removed = 0
    for path in directory.iterdir():
        if _TEMP_NAME.match(path.name) and path.is_file():
            try:
                path.unlink()
                removed += 1
            except FileNotFoundError:
                pass
    return removed


class atomic_path:
    """``with atomic_path(final) as tmp:`` write to ``tmp``; it becomes ``final`` only on success
    (an exception, Ctrl-C and SIGTERM included, removes it; a kill -9 leaves it for
    ``remove_stale_temps``)."""

    def __init__(self, final: str | Path):
        self.final = Path(final)

    def __enter__(self) -> str:
        fd, self.tmp = tempfile.mkstemp(prefix=f".{self.final.name}.", suffix=".tmp", dir=self.final.parent)
        os.close(fd)
        return self.tmp

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            os.replace(self.tmp, self.final)
        elif os.path.exists(self.tmp):
            os.unlink(self.tmp)
