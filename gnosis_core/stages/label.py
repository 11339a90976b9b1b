"""label: grade every completion of SAVE_DIR/shard-* into SAVE_DIR/verified/."""
from __future__ import annotations

import contextlib
import itertools
import json
import sys
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from gnosis_core import cluster, limits, locking, registry, shards
from gnosis_core.errors import GnosisError
from gnosis_core.grading_pool import (CRASHED, ERROR, GOLD_FALLBACK, OK, TIMED_OUT, UNPARSED, UNVERIFIABLE,
                                      Grade, GradingPool, Rules, tolerance_of)
from gnosis_core.options import as_bool, as_list, subfolder
from gnosis_core.registry import Task

DEFAULT_PATTERNS = ("shard-*.parquet", "shard-*.jsonl")
REQUIRED_COLUMNS = ("question", "completion")
STATUSES = (OK, UNPARSED, UNVERIFIABLE, TIMED_OUT, ERROR, CRASHED)
# the columns label adds to every row, with their Parquet types
GRADE_COLUMNS = {"correctness_label": pa.int8(), "pred_parsed": pa.bool_(), "extracted_answer": pa.string(),
                 "grade_status": pa.string(), "grade_detail": pa.string()}


@dataclass
class Summary:
    shard: str
    rows: int = 0
    parsed: int = 0
    correct: int = 0
    ok: int = 0
    unparsed: int = 0
    unverifiable: int = 0
    timed_out: int = 0
    errors: int = 0
    crashed: int = 0  # rows whose grading worker died twice: retried by the next run
    kept: int = 0
    skipped: int = 0  # shards already labeled with the same grader and options
    first_error: str = field(default="", repr=False)

    @property
    def accuracy_parsed(self) -> float:
        return self.correct / self.parsed if self.parsed else 0.0

    @property
    def accuracy_all(self) -> float:
        return self.correct / self.rows if self.rows else 0.0

    def add(self, other: "Summary") -> None:
        for name in ("rows", "parsed", "correct", "ok", "unparsed", "unverifiable", "timed_out", "errors", "crashed",
                     "kept", "skipped"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.first_error = self.first_error or other.first_error

    def count(self, grade: Grade) -> None:
        self.rows += 1
        self.parsed += grade.parsed
        self.correct += grade.label
        setattr(self, _COUNTER[grade.status], getattr(self, _COUNTER[grade.status]) + 1)
        if grade.status == ERROR and not self.first_error:
            self.first_error = grade.detail

    def as_dict(self) -> dict:
        data = asdict(self)
        data.update(accuracy_parsed=round(self.accuracy_parsed, 6), accuracy_all=round(self.accuracy_all, 6),
                    grade_status={status: getattr(self, _COUNTER[status]) for status in STATUSES
                                  if status != CRASHED or self.crashed})  # (rare: named only when there are some)
        return data


# the Summary field counting each grade_status ("errors" predates the status names)
_COUNTER = {OK: "ok", UNPARSED: "unparsed", UNVERIFIABLE: "unverifiable", TIMED_OUT: "timed_out", ERROR: "errors",
            CRASHED: "crashed"}


def verified_name(shard: Path) -> str:
    return f"{shard.stem}.verified{shard.suffix}"


def run(task: Task, *, save_dir: str, pattern=None, out_subdir: str = "verified",
        answer_col: str | None = None, batch_size: int = 2048, drop_unparsed: bool = False,
        workers: int | None = None, timeout: float = limits.DEFAULT_ROW_TIMEOUT_S,
        rel_tol: float | None = None, abs_tol: float | None = None, overwrite: bool = False, progress: bool = True, ray=False, replicas: int | None = None, ray_address: str | None = None) -> Summary:
    """Label every shard in ``save_dir``; print a summary per shard and overall.

    Options:
        save_dir: the folder holding the shards (generate's --save_dir)
        pattern: comma-separated globs of the shards to label (default: shard-*.parquet,shard-*.jsonl)
        out_subdir: folder inside save_dir the verified shards go to
        answer_col: column holding the gold answer (default: the task's gold column)
        batch_size: rows handed to the workers at a time (>= 1)
        drop_unparsed: keep only rows with a parsed prediction and a usable gold
        workers: grading processes (1 to 1024; default: every core)
        timeout: CPU seconds one row may use (> 0 and <= 3600); past it the row is labeled 0 and timed_out
        rel_tol: numbers this close relatively count as equal, e.g. 0.04 (default: the task's rel_tol, else strict)
        abs_tol: numbers this close absolutely count as equal, e.g. 1e-4 (default: the task's abs_tol, else strict)
        overwrite: grade every shard again, even those already labeled with the same grader and options
        progress: progress bar on stderr (shown only on a terminal)
        ray: grade on a Ray cluster's CPUs instead of this machine's (--workers is then unused)
        replicas: grading workers with --ray, one CPU each (default: one per CPU of the cluster)
        ray_address: the Ray cluster to join, e.g. 10.0.0.1:6379 (default: start a local one)
    """
    source = Path(str(save_dir))
    if not source.is_dir():
        raise GnosisError(f"--save_dir {source} does not exist or is not a directory")
    patterns = as_list(pattern) or list(DEFAULT_PATTERNS)
    for glob in patterns:  # the labels go to save_dir/verified: the shards must be in save_dir too
        if Path(glob).is_absolute() or ".." in Path(glob).parts:
            raise GnosisError(f"--pattern expects globs of shards inside --save_dir (relative, without ..), got {glob!r}")
    found = shards.find_shards(source, patterns)
    if not found:
        raise GnosisError(f"no shard in {source} matches {' or '.join(patterns)}")
    out_dir = source / subfolder(out_subdir, "out_subdir")
    shards.check_writable(out_dir)
    rules = Rules(task.extractor, task.grader, answer_col or task.gold_column, limits.check_row_timeout(timeout),
                  None if answer_col else GOLD_FALLBACK.get(task.gold_column),
                  tolerance_of(task, registry.resolve("graders", task.grader), rel_tol, abs_tol))
    drop = as_bool(drop_unparsed, "drop_unparsed")
    regrade = as_bool(overwrite, "overwrite")
    use_ray, replicas, ray_address = cluster.check_options(ray, replicas, ray_address)
    batch = max(1, int(batch_size))
    for path in found:  # a Parquet schema is cheap to read: fail before hours of grading
        if path.suffix == ".parquet":
            _check_columns(path, shards.read_schema(path).names, rules.gold_column)
    locking.take(source, "label")
    shards.remove_stale_temps(out_dir)
    provenance = _provenance(task, rules, drop)
    ledger = Ledger(out_dir, provenance, fresh=regrade)
    todo = [path for path in found if not ledger.done(path)]
    total = Summary("total", skipped=len(found) - len(todo))
    for path in found:
        if path not in todo:
            total.add(ledger.summary(path))
    bar = _progress_bar(progress, len(todo))
    if todo:
        pool = cluster.RayGradingPool(rules, replicas, ray_address) if use_ray else GradingPool(rules, workers)
        with pool:
            for path in todo:
                summary, target = _label_shard(pool, path, rules.gold_column, out_dir, batch, drop, bar,
                                               ledger.retry_from(path))
                ledger.record(path, target, summary)
                total.add(summary)
                with _above(bar):
                    _print_summary(summary)
    if bar is not None:
        bar.close()
    _print_summary(total)
    if total.crashed:
        print(f"gnosis: warning: {total.crashed} row(s) killed their grading worker twice (out of memory?); they are "
              "labeled 0 as crashed for now: run the same command again to grade just those rows", file=sys.stderr)
    if total.timed_out or total.errors:
        print(f"gnosis: {total.timed_out} row(s) timed out and {total.errors} row(s) failed to grade; "
              f"they are labeled 0{': ' + total.first_error if total.first_error else ''}", file=sys.stderr)
    shards.write_text(json.dumps({"task": task.name, "total": total.as_dict()}, indent=2) + "\n",
                      out_dir / "summary.json")
    from gnosis_core.stages import report

    report.print_brief(out_dir, task.name)
    return total


def _provenance(task: Task, rules: Rules, drop: bool) -> dict:
    """Everything that decides a shard's labels: a shard labeled with other values is graded again."""
    from gnosis_core import __version__, plugins

    found = plugins.components()
    versions = {plugin.name: plugin.version for plugin in plugins.list_plugins()}

    def component(kind: str, name: str) -> dict:
        owner = found.owner(kind, name)
        return {"name": name, "plugin": owner, "version": versions.get(owner)}

    return {"task": task.name, "extractor": component("extractors", rules.extractor),
            "grader": component("graders", rules.grader), "gold_column": rules.gold_column,
            "timeout": rules.row_timeout_s, "drop_unparsed": drop, "gnosis": __version__,
            "tolerance": dict(rules.tolerance),  # {} is strict
            # what a row's grade holds: verified files of an older layout are made again
            "grade_fields": [f.name for f in fields(Grade)]}


class Ledger:
    """``OUT_DIR/manifest.json``: for each labeled shard, the source file it was made from
    (size and modification time), the verified file written (atomically, so it is complete)
    and the provenance of its labels. A shard whose entry still matches is not graded again."""

    NAME = shards.LABEL_MANIFEST

    def __init__(self, out_dir: Path, provenance: dict, fresh: bool):
        self.path = out_dir / self.NAME
        self.provenance = provenance
        self.entries: dict[str, dict] = {}
        if not fresh and self.path.exists():
            try:
                entries = json.loads(self.path.read_text())["shards"]
                if not all(isinstance(e, dict) and isinstance(e.get("summary"), dict) for e in entries.values()):
                    raise ValueError("an entry is not an object")
                self.entries = dict(entries)
            except (OSError, ValueError, LookupError, TypeError, AttributeError) as exc:
                print(f"gnosis: note: {self.path} is damaged ({type(exc).__name__}); every shard is graded again",
                      file=sys.stderr)

    def done(self, path: Path) -> bool:
        """Labeled with these options from this very file, and no row left to retry."""
        return self._written(path) and not self.entries[path.name]["summary"].get("crashed")

    def _written(self, path: Path) -> bool:
        entry = self.entries.get(path.name)
        if not entry or entry.get("provenance") != self.provenance or entry.get("source") != _stat(path):
            return False
        output = self.path.parent / entry.get("output", "")
        return output.is_file() and entry.get("output_size") == output.stat().st_size

    def retry_from(self, path: Path) -> Path | None:
        """The verified shard an earlier run wrote for ``path`` with crashed rows, to grade just
        those again; None where the whole shard is graded (nothing written yet, or written
        without every row: --drop_unparsed)."""
        if not self._written(path):
            return None
        entry = self.entries[path.name]
        summary = entry["summary"]
        if not summary.get("crashed") or summary.get("kept") != summary.get("rows"):
            return None
        return self.path.parent / entry["output"]

    def summary(self, path: Path) -> Summary:
        stored = self.entries[path.name]["summary"]
        return Summary(**{f.name: stored[f.name] for f in fields(Summary) if f.name in stored})

    def record(self, path: Path, output: Path, summary: Summary) -> None:
        self.entries[path.name] = {"source": _stat(path), "output": output.name,
                                   "output_size": output.stat().st_size, "provenance": self.provenance,
                                   "summary": summary.as_dict()}
        shards.write_text(json.dumps({"shards": self.entries}, indent=1) + "\n", self.path)


def _stat(path: Path) -> dict:
    info = path.stat()
    return {"size": info.st_size, "mtime_ns": info.st_mtime_ns}


def _check_columns(path: Path, columns: list[str], gold_column: str) -> None:
    missing = [c for c in (*REQUIRED_COLUMNS, gold_column) if c not in columns]
    if missing:
        raise GnosisError(f"{path}: missing column(s) {', '.join(missing)}; it has: "
                          f"{', '.join(columns) or 'no columns'}"
                          + (" (pick the gold column with --answer_col)" if gold_column in missing else ""))


def _label_shard(pool, path: Path, gold_column: str, out_dir: Path, batch: int, drop: bool, bar,
                 earlier: Path | None = None):
    """Grade one shard into its verified shard. Parquet is read and written ``batch`` rows at
    a time, so memory holds one batch of completions however large the shard; JSONL rows are
    read whole and kept exactly as read. With ``earlier`` (the verified shard of a run that left
    crashed rows) only those rows are graded again; the others keep the grades written there."""
    earlier_grades = _grades_in(earlier, batch) if earlier is not None else None

    def grade(rows: list[dict]) -> list[dict]:
        before = list(itertools.islice(earlier_grades, len(rows))) if earlier_grades is not None else None
        return _grade(pool, rows, summary, bar, drop, before)

    summary = Summary(path.name)
    target = out_dir / verified_name(path)
    if path.suffix == ".jsonl":
        rows = shards.read_jsonl(path)
        _check_columns(path, list(dict.fromkeys(k for row in rows for k in row)), gold_column)
        added = [cols for start in range(0, len(rows), batch) for cols in grade(rows[start:start + batch])]
        shards.write_jsonl([dict(row, **cols) for row, cols in zip(rows, added) if _kept(cols, drop)], target)
        return summary, target
    schema = shards.parquet_file(path).schema_arrow  # the columns were checked before any grading
    kept = [f for f in schema if f.name not in GRADE_COLUMNS]
    schema = pa.schema(kept + [pa.field(n, t) for n, t in GRADE_COLUMNS.items()], metadata=schema.metadata)
    with shards.atomic_path(target) as tmp, pq.ParquetWriter(tmp, schema) as writer:
        for part in shards.iter_parquet(path, batch):
            table = pa.Table.from_batches([part]).select([f.name for f in kept])
            added = grade(part.to_pylist())
            for name, arrow_type in GRADE_COLUMNS.items():
                table = table.append_column(name, pa.array([cols[name] for cols in added], arrow_type))
            writer.write_table(table.filter(pa.array([_kept(cols, drop) for cols in added])) if drop else table)
    return summary, target


def _grade(pool, rows: list[dict], summary: Summary, bar, drop: bool, earlier: list[Grade] | None = None) -> list[dict]:
    """The grade columns of ``rows``, counted into ``summary``: every row graded, or with
    ``earlier`` (their grades of an earlier run) only those that crashed."""
    grades = list(earlier) if earlier is not None else [None] * len(rows)
    todo = [i for i, g in enumerate(grades) if g is None or g.status == CRASHED]
    for i, g in zip(todo, pool.grade([rows[i] for i in todo], on_progress=None if bar is None else bar.update)):
        grades[i] = g
    added = []
    for g in grades:
        summary.count(g)
        added.append(_grade_columns(g))
        summary.kept += _kept(added[-1], drop)
    return added


def _grades_in(verified: Path, batch: int) -> Iterator[Grade]:
    """The grades written in a verified shard, row by row (of Parquet only the grade columns
    are read, ``batch`` rows at a time)."""
    if verified.suffix == ".jsonl":
        rows = iter(shards.read_jsonl(verified))
    else:
        parts = shards.parquet_file(verified).iter_batches(batch_size=batch, columns=list(GRADE_COLUMNS))
        rows = (row for part in parts for row in part.to_pylist())
    for r in rows:
        yield Grade(r["correctness_label"], r["pred_parsed"], r["extracted_answer"], r["grade_status"], r["grade_detail"])


def _kept(cols: dict, drop: bool) -> bool:
    return not drop or cols["grade_status"] == OK


def _grade_columns(g: Grade) -> dict:
    return {"correctness_label": g.label, "pred_parsed": g.parsed,
            "extracted_answer": g.extracted if g.parsed else None,
            "grade_status": g.status, "grade_detail": g.detail}


def _above(bar):
    """Lines printed within go above the progress bar, each on its own line, not after the bar."""
    return contextlib.nullcontext() if bar is None else bar.external_write_mode(file=sys.stdout)


def _progress_bar(enabled, shard_count):
    if not as_bool(enabled, "progress"):
        return None
    from tqdm.auto import tqdm

    return tqdm(desc=f"labeling {shard_count} shard(s)", unit="row", disable=None, file=sys.stderr)


def _print_summary(s: Summary) -> None:
    print(f"{s.shard}: rows={s.rows} parsed={s.parsed} correct={s.correct} "
          f"acc_parsed={s.accuracy_parsed:.4f} acc_all={s.accuracy_all:.4f} ok={s.ok} unparsed={s.unparsed} "
          f"unverifiable={s.unverifiable} timed_out={s.timed_out} errors={s.errors}"
          + (f" crashed={s.crashed}" if s.crashed else "")
          + (f" kept={s.kept}" if s.kept != s.rows else "") + (f" skipped={s.skipped}" if s.skipped else ""))
