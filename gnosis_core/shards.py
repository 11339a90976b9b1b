"""Reading and writing shards (Parquet or JSONL) atomically."""
from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Iterable, Iterator

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from gnosis_core.errors import GnosisError

SHARD_FORMATS = ("parquet", "jsonl")
_SHARD_NUMBER = re.compile(r"shard-(\d+)")
_INT_DIGITS = getattr(sys, "get_int_max_str_digits", lambda: 4300)  # (Python 3.10.7 and later)


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


def read_table(path: str | Path, columns: list[str] | None = None) -> pa.Table:
    """A shard as an Arrow table (of Parquet, only ``columns`` when given; JSONL is read
    whole); a corrupt file is a one-line GnosisError."""
    path = Path(path)
    fmt = shard_format(path)
    with _reading(path, fmt):
        if fmt == "parquet":
            read_schema(path)  # names each column used twice, which Arrow's reader does not
            return pq.read_table(path, columns=columns)
        return pa.Table.from_pylist(read_jsonl(path))


class _reading:
    """``with _reading(path, fmt):`` turns any failure to read a shard into one GnosisError line."""

    def __init__(self, path: Path, fmt: str):
        self.path, self.fmt = path, fmt

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None and issubclass(exc_type, Exception) and not issubclass(exc_type, GnosisError):
            raise GnosisError(f"{self.path}: cannot read {self.fmt} shard ({exc_type.__name__}: {exc})") from None


def parquet_file(path: str | Path) -> pq.ParquetFile:
    """An open Parquet shard (schema and row-group sizes come from its footer alone)."""
    with _reading(Path(path), "parquet"):
        return pq.ParquetFile(path)


def iter_parquet(path: str | Path, batch_rows: int) -> Iterator[pa.RecordBatch]:
    """A Parquet shard's rows, ``batch_rows`` at a time, every column; the file is read in
    small buffers, so memory holds one batch however large its row groups are."""
    path = Path(path)
    with _reading(path, "parquet"):
        # pre_buffer off: it would hold each whole column chunk (a row group's text) in memory
        yield from pq.ParquetFile(path, buffer_size=_READ_BUFFER, pre_buffer=False).iter_batches(batch_size=batch_rows)


_READ_BUFFER = 8 << 20


def read_ahead(path: str | Path) -> None:
    """Have the kernel start reading ``path`` into the page cache, in the background (a hint:
    where it cannot be given, nothing happens)."""
    if not hasattr(os, "posix_fadvise"):
        return
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_WILLNEED)
    except OSError:
        pass
    finally:
        os.close(fd)


LABEL_MANIFEST = "manifest.json"  # label's ledger, inside the verified folder


def labeled_outputs(verified_dir: str | Path) -> set[str] | None:
    """The names of the verified shards the label manifest of ``verified_dir`` records, or
    None where there is no manifest (a folder made by hand or by an older gnosis)."""
    path = Path(verified_dir) / LABEL_MANIFEST
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))["shards"]
        return {str(entry["output"]) for entry in entries.values()}
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise GnosisError(f"{path}: unreadable label manifest ({type(exc).__name__}: {exc}); "
                          "run `gnosis run --stage label` again to rewrite it") from None


def read_schema(path: str | Path) -> pa.Schema:
    try:
        schema = pq.read_schema(path)
    except Exception as exc:
        raise GnosisError(f"{path}: cannot read parquet shard ({type(exc).__name__}: {exc})") from None
    twice = sorted({name for name in schema.names if schema.names.count(name) > 1})
    if twice:
        raise GnosisError(f"{path}: column name(s) {', '.join(twice)} used more than once; rename them")
    return schema


def read_jsonl(path: str | Path) -> list[dict]:
    return [row for _, row in json_rows(path)]


def json_rows(path: str | Path, exact_ints: bool = True) -> Iterator[tuple[int, dict]]:
    """``(line number, row)`` for each non-blank line of a JSON Lines file. A line that is not
    UTF-8, not JSON, not an object, nested too deeply (Arrow crashes on such a line, so it must
    never get one) or, with ``exact_ints``, holds an integer too long for Python, is a one-line
    GnosisError naming the line. Without ``exact_ints`` integers are not converted (a check only)."""
    try:
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if line.strip():
                    yield number, _json_object(line, path, number, None if exact_ints else str)
    except UnicodeDecodeError:
        raise GnosisError(f"{path}: {_first_non_utf8(path)}") from None


def _json_object(line: str, path, number: int, parse_int) -> dict:
    try:
        value = json.loads(line, parse_int=parse_int)
    except json.JSONDecodeError as exc:
        raise GnosisError(f"{path}: line {number} is not valid JSON ({exc.msg})") from None
    except RecursionError:
        raise GnosisError(f"{path}: line {number} is nested too deeply (lists or objects inside one "
                          "another, hundreds of levels)") from None
    except ValueError:  # the only other: an integer past sys.get_int_max_str_digits()
        raise GnosisError(f"{path}: line {number} holds an integer of more than "
                          f"{_INT_DIGITS()} digits; store it as a string") from None
    if not isinstance(value, dict):
        kind = {list: "list", str: "string", bool: "true/false", type(None): "null"}.get(type(value), "number")
        raise GnosisError(f"{path}: line {number} is a JSON {kind}, not an object; "
                          "each line must be one row: {\"column\": value, ...}")
    return value


def check_text_file(path: str | Path) -> None:
    """A data file safe to hand to Arrow, or a one-line GnosisError: UTF-8 throughout and, for
    JSON Lines, one object per line that is not nested too deeply (checked line by line
    with Python's reader, which stops at depth where Arrow's crashes the process)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".json" and _one_json_document(path):
        return
    if suffix in (".json", ".jsonl"):
        for _ in json_rows(path, exact_ints=False):
            pass
    else:
        with open(path, "rb") as handle:
            for line in handle:
                try:
                    line.decode("utf-8")
                except UnicodeDecodeError:
                    raise GnosisError(f"{path}: {_first_non_utf8(path)}") from None


def _one_json_document(path: Path) -> bool:
    """Whether a .json file is one JSON document (not JSON Lines) that is safe to hand to Arrow."""
    try:
        json.loads(path.read_bytes(), parse_int=str)
    except RecursionError:
        raise GnosisError(f"{path}: nested too deeply (lists or objects inside one another, hundreds of levels)") from None
    except (ValueError, UnicodeDecodeError):  # JSON Lines, or not JSON at all: read line by line
        return False
    return True


def _first_non_utf8(path: str | Path) -> str:
    """Which line of a file holds bytes that are not UTF-8 (text mode decodes in blocks, not lines)."""
    with open(path, "rb") as handle:
        for number, line in enumerate(handle, 1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as exc:
                return f"line {number} is not UTF-8 text ({exc.reason} at byte {exc.start} of the line)"
    return "not UTF-8 text"


def read_frame(path: str | Path) -> pd.DataFrame:
    return read_table(path).to_pandas()


def write_table(table: pa.Table | pd.DataFrame, path: str | Path) -> Path:
    """Write a shard to a temporary name beside ``path``, then rename it into place, so a
    killed run never leaves a partial file where a finished one would be."""
    path = Path(path)
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
    with atomic_path(path) as tmp:
        _dump_jsonl(rows, tmp)
    return path


def _dump_jsonl(rows: list[dict], tmp: str) -> None:
    with open(tmp, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")


def write_text(text: str, path: str | Path) -> Path:
    path = Path(path)
    with atomic_path(path) as tmp:
        Path(tmp).write_text(text, encoding="utf-8")
    return path


def _umask() -> int:
    mask = os.umask(0o022)  # the only way to read it is to set it: put it straight back
    os.umask(mask)
    return mask


def honour_umask(path: str | Path, folder: bool = False) -> None:
    """Give a file or folder made private by ``tempfile`` the mode a plain ``open`` would."""
    os.chmod(path, (0o777 if folder else 0o666) & ~_umask())


def _write_error(path: Path | str, exc: OSError) -> GnosisError:
    """A failed write (full disk, read-only folder, ...) as one line naming the file."""
    reason = os.strerror(exc.errno) if exc.errno else (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return GnosisError(f"cannot write {path}: {reason}")


def _temp_beside(final: Path) -> str:
    """A new empty file, unique, hidden, beside ``final``, with the mode ``final`` will have."""
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".tmp", dir=final.parent)
    except OSError as exc:
        raise _write_error(final, exc) from None
    try:
        os.fchmod(fd, 0o666 & ~_umask())
    finally:
        os.close(fd)
    return tmp


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
    ``remove_stale_temps``). A write that fails with an OSError (a full disk, say) is one
    GnosisError naming ``final``."""

    def __init__(self, final: str | Path):
        self.final = Path(final)

    def __enter__(self) -> str:
        self.tmp = _temp_beside(self.final)
        return self.tmp

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            try:
                os.replace(self.tmp, self.final)
                return
            except OSError as error:
                exc_type, exc = type(error), error
        if os.path.exists(self.tmp):
            os.unlink(self.tmp)
        if issubclass(exc_type, OSError):
            raise _write_error(self.final, exc) from None


class atomic_set:
    """Files that belong together, written as a set: ``with atomic_set([a, b, marker]) as
    (ta, tb, tmarker):`` write the temporaries; on success the old ``marker`` goes first, then
    the old others, then the new files are renamed in order, ``marker`` last. So wherever a
    run is killed, a folder holding ``marker`` holds a complete set that belongs together."""

    def __init__(self, finals: list[str | Path]):
        self.finals = [Path(f) for f in finals]

    def __enter__(self) -> list[str]:
        self.temps: list[str] = []
        try:
            for final in self.finals:
                self.temps.append(_temp_beside(final))
        except BaseException:
            self._discard()
            raise
        return list(self.temps)

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            try:
                for final in reversed(self.finals):
                    final.unlink(missing_ok=True)
                for tmp, final in zip(self.temps, self.finals):
                    os.replace(tmp, final)
                return
            except BaseException as error:  # a Ctrl-C midway, too: no temporaries left behind
                exc_type, exc = type(error), error
                if not isinstance(error, OSError):
                    self._discard()
                    raise
        self._discard()
        if issubclass(exc_type, OSError):
            names = ", ".join(f.name for f in self.finals)
            raise _write_error(f"{self.finals[-1].parent}/{{{names}}}", exc) from None

    def _discard(self) -> None:
        for tmp in self.temps:
            if os.path.exists(tmp):
                os.unlink(tmp)


class scratch_files:
    """``with scratch_files(folder) as scratch:`` ``scratch.new()`` makes an empty temporary
    file in ``folder``; all are removed at the end (a kill -9 leaves them to
    ``remove_stale_temps``, whose pattern their names match)."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self.paths: list[Path] = []

    def __enter__(self) -> "scratch_files":
        return self

    def new(self) -> Path:
        self.paths.append(Path(_temp_beside(self.folder / "scratch")))
        return self.paths[-1]

    def __exit__(self, *exc) -> None:
        for path in self.paths:
            path.unlink(missing_ok=True)


def check_writable(folder: str | Path) -> None:
    """Fail now, in one line, if files cannot be created in ``folder`` (made later if missing),
    rather than after hours of work. It tries: permission bits say nothing to root, and a
    read-only mount or a full quota shows only when a file is created."""
    folder = Path(folder)
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise GnosisError(f"{folder}: {existing} is a file, not a folder" if existing != folder
                          else f"{folder} is a file, not a folder")
    try:
        fd, probe = tempfile.mkstemp(prefix=".gnosis-probe.", suffix=".tmp", dir=existing)
    except OSError as exc:
        raise GnosisError(f"cannot write in {existing}{'' if existing == folder else f' (to make {folder})'}: "
                          f"{exc.strerror or exc}") from None
    os.close(fd)
    os.unlink(probe)
