"""Grade rows in worker processes, with a hard per-row time limit.

Graders run math-verify, sympy and friends, whose own (signal-based) time limits cannot
stop a computation stuck inside C code. So each worker reports which row it is on, and
the parent kills a worker that stays on one row too long, grades that row 0 as timed out
and hands the rest of its chunk to a fresh worker: one row never stalls or crashes a run.
"""
from __future__ import annotations

import math
import multiprocessing as mp
import os
import queue
import time
from dataclasses import dataclass
from typing import Sequence

from gnosis_core import limits
from gnosis_core.answers import THINK_CLOSE, final_answer_region
from gnosis_core.errors import NoAnswer, RowTimeout, Unverifiable

OK, UNPARSED, UNVERIFIABLE, TIMED_OUT, ERROR = "ok", "unparsed", "unverifiable", "timed_out", "error"
CHUNK_ROWS = 32
DETAIL_CHARS = 160


@dataclass(frozen=True)
class Grade:
    """One row's grade. ``extracted`` is the extractor's answer whenever it found one, even
    when grading then failed; the label stage writes it only for parsed rows."""

    label: int
    parsed: bool
    extracted: str | None
    status: str
    detail: str | None = None


@dataclass(frozen=True)
class Rules:
    """What a worker needs to grade a row: component names, resolved inside the worker."""

    extractor: str
    grader: str
    gold_column: str
    row_timeout_s: float


def grade_row(row: dict, extract, grade, rules: Rules) -> Grade:
    """Extract and grade one row; every outcome, a plugin's exception included, is a status."""
    extracted = None
    try:
        extracted = extract(row.get("completion"), row)
        if extracted is None:
            return Grade(0, False, None, UNPARSED, no_answer_reason(row.get("completion")))
        extracted = str(extracted)
        gold = row.get(rules.gold_column)
        verdict = grade(extracted, gold, row)
        if verdict is None:
            return Grade(0, True, extracted, UNVERIFIABLE, unusable_gold_reason(gold))
    except NoAnswer as exc:
        return Grade(0, False, None, UNPARSED, _short(exc) or no_answer_reason(row.get("completion")))
    except Unverifiable as exc:
        return Grade(0, extracted is not None, extracted, UNVERIFIABLE,
                     _short(exc) or unusable_gold_reason(row.get(rules.gold_column)))
    except RowTimeout as exc:
        return Grade(0, False, extracted, TIMED_OUT, _short(exc) or f"ran past {limits.row_timeout_s():g} s")
    except Exception as exc:  # a grader bug on one row must not end the run
        return Grade(0, False, extracted, ERROR, _short(f"{type(exc).__name__}: {exc}"))
    return Grade(int(bool(verdict)), True, extracted, OK)


def no_answer_reason(completion) -> str:
    """Why an extractor found nothing, as far as the completion's shape tells."""
    if not isinstance(completion, str) or not completion.strip():
        return "no completion"
    if final_answer_region(completion) is None:
        return "reasoning never closed"
    if THINK_CLOSE in completion:
        return "no answer after </think>"
    return "no answer found"


def unusable_gold_reason(gold) -> str:
    """Why a grader (that said only None) could not use ``gold``."""
    return "gold missing" if _is_missing(gold) else _short(f"gold not usable: {gold!r}")


def _is_missing(gold) -> bool:
    if isinstance(gold, float):
        return math.isnan(gold)
    if isinstance(gold, str):
        return not gold.strip()
    if isinstance(gold, (list, tuple, dict)):
        return not gold
    return gold is None


def _short(text, limit: int = DETAIL_CHARS) -> str:
    """A detail fit for one cell of every row: a 200,000-character gold must not be copied."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _components(rules: Rules):
    from gnosis_core import plugins

    found = plugins.components()
    return found.get("extractors", rules.extractor), found.get("graders", rules.grader)


def _worker(rules: Rules, tasks, results, progress, slot: int) -> None:
    limits.set_row_timeout_s(rules.row_timeout_s)
    extract, grade = _components(rules)
    while True:
        job = tasks.get()
        if job is None:
            return
        chunk_id, first, rows = job
        grades = []
        for offset, row in enumerate(rows):
            progress[2 * slot] = first + offset
            progress[2 * slot + 1] = time.monotonic()
            grades.append(grade_row(row, extract, grade, rules))
        progress[2 * slot + 1] = 0.0
        results.put((slot, chunk_id, grades))


class GradingPool:
    """``with GradingPool(rules, workers) as pool: grades = pool.grade(rows)``."""

    def __init__(self, rules: Rules, workers: int | None = None):
        self.rules = rules
        self.workers = max(1, int(workers or os.cpu_count() or 1))
        # the worker may spend the grader's own limit on parsing and again on comparing
        self.hard_limit_s = 3 * rules.row_timeout_s + 1.0
        methods = mp.get_all_start_methods()
        self.ctx = mp.get_context("fork" if "fork" in methods else "spawn")
        self.progress = self.ctx.Array("d", 2 * self.workers, lock=False)
        self.results = self.ctx.Queue()
        self.procs: list = [None] * self.workers
        self.inboxes: list = [None] * self.workers

    def __enter__(self) -> "GradingPool":
        _components(self.rules)  # load plugins once here, so forked workers inherit them
        for slot in range(self.workers):
            self._start(slot)
        return self

    def __exit__(self, *exc) -> None:
        for slot, proc in enumerate(self.procs):
            if proc is not None and proc.is_alive():
                self.inboxes[slot].put(None)
        for proc in self.procs:
            if proc is not None:
                proc.join(timeout=2)
                if proc.is_alive():
                    proc.kill()
                    proc.join()

    def _start(self, slot: int) -> None:
        self.inboxes[slot] = self.ctx.Queue()
        self.progress[2 * slot + 1] = 0.0
        proc = self.ctx.Process(target=_worker, args=(self.rules, self.inboxes[slot], self.results,
                                                      self.progress, slot), daemon=True)
        proc.start()
        self.procs[slot] = proc

    def grade(self, rows: Sequence[dict], on_progress=None) -> list[Grade]:
        """Grades for ``rows``, in order. ``on_progress(n)`` is told of each finished chunk."""
        out: list[Grade | None] = [None] * len(rows)
        pending = [(first, list(range(first, min(first + CHUNK_ROWS, len(rows)))))
                   for first in range(0, len(rows), CHUNK_ROWS)]
        pending.reverse()
        busy: dict[int, tuple[int, list[int]]] = {}
        next_id = 0
        while pending or busy:
            for slot in range(self.workers):
                if slot not in busy and pending:
                    _, indices = pending.pop()
                    busy[slot] = (next_id, indices)
                    self.inboxes[slot].put((next_id, indices[0], [rows[i] for i in indices]))
                    next_id += 1
            try:
                slot, chunk_id, grades = self.results.get(timeout=0.2)
            except queue.Empty:
                pending.extend(self._reap_stuck(busy, out, on_progress))
                continue
            if slot in busy and busy[slot][0] == chunk_id:
                _, indices = busy.pop(slot)
                for i, g in zip(indices, grades):
                    out[i] = g
                if on_progress:
                    on_progress(len(indices))
        return out  # type: ignore[return-value]

    def _reap_stuck(self, busy: dict, out: list, on_progress) -> list:
        """Kill workers stuck on one row (or dead); return the work they still owed."""
        owed = []
        now = time.monotonic()
        for slot, (chunk_id, indices) in list(busy.items()):
            started = self.progress[2 * slot + 1]
            stuck = started and now - started > self.hard_limit_s
            dead = not self.procs[slot].is_alive()
            if not (stuck or dead):
                continue
            self.procs[slot].kill()
            self.procs[slot].join()
            self._start(slot)
            del busy[slot]
            rest = list(indices)
            if started:  # the row it was on is the culprit; the others get a fresh worker
                current = int(self.progress[2 * slot])
                detail = "killed after the hard time limit" if stuck else "worker process died"
                out[current] = Grade(0, False, None, TIMED_OUT if stuck else ERROR, detail)
                rest.remove(current)
                if on_progress:
                    on_progress(1)
            if rest:
                owed.append((rest[0], rest))
        return owed
