"""Grade rows in worker processes, each row under a CPU-time budget.

A row may use ``--timeout`` seconds of CPU time (``limits.row_budget``): past that it is
graded 0 as ``timed_out``, never as a wrong answer. A computation stuck inside C code, where
no signal handler runs, is killed by the kernel once it used ``limits.hard_cpu_limit_s``
(``RLIMIT_CPU``); a worker waiting without using CPU is killed by the parent after
``limits.hard_wall_limit_s`` of wall time. Either way the row it was on is graded 0 as timed
out and the rest of its chunk goes to a fresh worker: one row never stalls or crashes a run.
A worker that dies otherwise (out of memory, kill -9) says nothing about its row, so the row is
graded once more, alone, in a fresh worker; only a second death grades it 0 as ``crashed``,
which the label stage retries on its next run rather than keep.

Rows go to workers in chunks that shrink as the work runs out, so that a few slow rows near
the end are spread over the workers instead of queued behind one another on one.

Workers belong to the run: they die with the parent however it ends (a parent-death signal on
Linux, and everywhere a check that the parent is still there), ignore Ctrl-C (the parent stops
them), and never print a traceback.
"""
from __future__ import annotations

import ctypes
import math
import multiprocessing as mp
import multiprocessing.connection
import os
import queue
import signal
import sys
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from gnosis_core import limits
from gnosis_core.answers import THINK_CLOSE, final_answer_region
from gnosis_core.errors import NoAnswer, RowTimeout, Unverifiable

OK, UNPARSED, UNVERIFIABLE, TIMED_OUT, ERROR = "ok", "unparsed", "unverifiable", "timed_out", "error"
CRASHED = "crashed"  # its worker died twice on it (out of memory, killed): not a grade, retried by a re-run
CHUNK_ROWS = 32  # at most; near the end of the work, fewer (see _chunk_size)
WARM_UP_S = 60.0  # CPU seconds a grader may take to load what it imports on first use
# a row that graders load their modules on: never graded for real (see warm_up)
_WARM_UP_ROW = {"question": "What is one half?", "completion": "The answer is $\\boxed{\\frac{1}{2}}$.",
                "answer": "\\frac{1}{2}", "solution": "\\frac{1}{2}"}
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
    fallback_column: str | None = None  # read where gold_column is empty (see GOLD_FALLBACK)
    tolerance: tuple = ()  # (("rel_tol", 0.04),): keyword arguments of the grader; () is strict


# generate stores a question's gold under `answer` or `solution`, whichever its source had, and
# leaves the other null: a task whose own column is empty reads the other, as merge's
# ground_truth does (a math CSV with only an `answer` column is graded, not unverifiable)
GOLD_FALLBACK = {"solution": "answer", "answer": "solution"}


def gold_column_of(row: dict, rules: Rules) -> str:
    """The column a row's gold is read from: the task's, else the fallback where it is empty."""
    if rules.fallback_column and _is_missing(row.get(rules.gold_column)):
        return rules.fallback_column
    return rules.gold_column


def gold_of(row: dict, rules: Rules):
    return row.get(gold_column_of(row, rules))


def grade_row(row: dict, extract, grade, rules: Rules) -> Grade:
    """Extract and grade one row; every outcome, a plugin's exception included, is a status."""
    extracted = None
    try:
        extracted = extract(row.get("completion"), row)
        if extracted is None:
            return Grade(0, False, None, UNPARSED, no_answer_reason(row.get("completion")))
        extracted = str(extracted)
        gold = gold_of(row, rules)
        verdict = grade(extracted, gold, row, **dict(rules.tolerance))
        if verdict is None:
            return Grade(0, True, extracted, UNVERIFIABLE, unusable_gold_reason(gold))
        detail = _tolerance_detail(verdict, extracted, row, grade, rules)
    except NoAnswer as exc:
        return Grade(0, False, None, UNPARSED, _short(exc) or no_answer_reason(row.get("completion")))
    except Unverifiable as exc:
        return Grade(0, extracted is not None, extracted, UNVERIFIABLE,
                     _short(exc) or unusable_gold_reason(gold_of(row, rules)))
    except RowTimeout as exc:
        return Grade(0, False, extracted, TIMED_OUT, _short(exc) or f"ran past {limits.row_timeout_s():g} s")
    except Exception as exc:  # a grader bug on one row must not end the run
        return Grade(0, False, extracted, ERROR, _short(f"{type(exc).__name__}: {exc}"))
    return Grade(int(bool(verdict)), True, extracted, OK, detail)


def _tolerance_detail(verdict, extracted: str, row: dict, grade, rules: Rules) -> str | None:
    """For a row a numeric tolerance made correct, the grader's word for it: which tolerance."""
    rule = getattr(grade, "rule", None)
    if not (verdict and rules.tolerance and rule):
        return None
    said = str(rule(extracted, gold_of(row, rules), row, **dict(rules.tolerance)))
    return _short(said) if "tolerance" in said else None


def tolerance_of(task, grader, rel_tol=None, abs_tol=None) -> tuple:
    """The numeric tolerance a task is graded with: the flags, else the task's registry
    fields; () when none is set (strict). A grader that takes none cannot be given one."""
    import inspect

    chosen = {"rel_tol": rel_tol if rel_tol is not None else task.rel_tol,
              "abs_tol": abs_tol if abs_tol is not None else task.abs_tol}
    chosen = tuple((name, float(value)) for name, value in chosen.items() if value)
    if chosen and "rel_tol" not in inspect.signature(grader).parameters:
        from gnosis_core.errors import GnosisError

        raise GnosisError(f"grader {task.grader!r} of task {task.name!r} takes no numeric tolerance "
                          f"(rel_tol/abs_tol); unset it for this task")
    return chosen


def answer_region(completion) -> str:
    """Where the answer of a completion is looked for: "missing" (no text), "unclosed" (the
    reasoning never closed: nowhere), "after_think" (after the last </think>) or "whole"."""
    if not isinstance(completion, str):
        return "missing"
    if final_answer_region(completion) is None:
        return "unclosed"
    return "after_think" if THINK_CLOSE in completion else "whole"


def no_answer_reason(completion) -> str:
    """Why an extractor found nothing, as far as the completion's shape tells."""
    if not isinstance(completion, str) or not completion.strip():
        return "no completion"
    return {"unclosed": "reasoning never closed", "after_think": "no answer after </think>",
            "whole": "no answer found"}[answer_region(completion)]


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


def warm_up(extract, grade, rules: Rules) -> None:
    """Grade a sample row once, outside any row's budget: graders that import their libraries on
    first use (the math grader: math-verify and sympy) load them now, so a small ``--timeout``
    never interrupts an import (a half-imported module breaks every later row) and a row's
    budget covers grading only. Whatever the sample's grade, it is thrown away."""
    with limits.row_budget(WARM_UP_S):
        grade_row(dict(_WARM_UP_ROW), extract, grade, rules)


_STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))
_PR_SET_PDEATHSIG = 1
_IDLE_CHECK_S = 1.0


def _die_with_parent(parent_pid: int) -> None:
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent_pid:  # the parent died before the death signal was set up
        os._exit(0)


def _worker(rules: Rules, tasks, results, progress, slot: int, parent_pid: int) -> None:
    """Grade the chunks of ``tasks``; send each chunk's grades down ``results``, this worker's own
    pipe (a queue shared by the workers has one lock: a worker killed while holding it, as the
    kernel may kill one at any moment, would leave every other worker unable to answer)."""
    _die_with_parent(parent_pid)
    for signum in _STOP_SIGNALS:  # not the parent's handlers, which raise
        # Ctrl-C reaches the whole group: the parent decides and stops us
        signal.signal(signum, signal.SIG_IGN if signum == signal.SIGINT else signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
    limits.arm_worker(rules.row_timeout_s)
    extract, grade = _components(rules)
    warm_up(extract, grade, rules)  # at once where the parent warmed up before forking us
    hard_cpu_s = limits.hard_cpu_limit_s(rules.row_timeout_s)
    rows_started = 0
    while True:
        try:
            job = tasks.get(timeout=_IDLE_CHECK_S)
        except queue.Empty:
            if os.getppid() != parent_pid:
                os._exit(0)  # orphaned: nobody will read our results
            continue
        if job is None:
            return
        chunk_id, first, rows = job
        grades = []
        for offset, row in enumerate(rows):
            rows_started += 1
            progress[2 * slot] = first + offset
            progress[2 * slot + 1] = rows_started
            limits.kill_after_cpu_s(hard_cpu_s)
            grades.append(_grade_within_budget(row, extract, grade, rules))
        progress[2 * slot + 1] = 0.0
        results.send((chunk_id, grades))


def _grade_within_budget(row: dict, extract, grade, rules: Rules) -> Grade:
    graded = None
    with limits.row_budget(rules.row_timeout_s) as budget:
        graded = grade_row(row, extract, grade, rules)
    if budget.spent:  # whatever the grader made of the interruption, the row ran out of time
        return Grade(0, False, None, TIMED_OUT, budget.reason)
    return graded


def _cpu_seconds(pid: int) -> float | None:
    """CPU time a process has used (Linux /proc); None where that cannot be read."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS
    except (OSError, IndexError, ValueError):
        return None


_CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


class GradingPool:
    """``with GradingPool(rules, workers) as pool: grades = pool.grade(rows)``."""

    def __init__(self, rules: Rules, workers: int | None = None):
        self.rules = rules
        self.workers = max(1, int(workers or os.cpu_count() or 1))
        self.hard_cpu_s = limits.hard_cpu_limit_s(rules.row_timeout_s)
        self.hard_wall_s = limits.hard_wall_limit_s(rules.row_timeout_s)
        methods = mp.get_all_start_methods()
        self.ctx = mp.get_context("fork" if "fork" in methods else "spawn")
        # per worker: the index of the row it is on, and a count of rows started (0: idle)
        self.progress = self.ctx.Array("d", 2 * self.workers, lock=False)
        self.procs: list = [None] * self.workers
        self.inboxes: list = [None] * self.workers
        self.outboxes: list = [None] * self.workers  # the reading ends of the workers' result pipes
        # per worker: (row count seen, seconds on that row without using CPU, its CPU seconds)
        self.seen: list = [(0.0, 0.0, None)] * self.workers
        self.last_tick = time.monotonic()

    def __enter__(self) -> "GradingPool":
        # load plugins and what graders import lazily once here, so forked workers inherit them
        warm_up(*_components(self.rules), self.rules)
        for slot in range(self.workers):
            self._start(slot)
        return self

    def __exit__(self, exc_type, *exc) -> None:
        if exc_type is None:
            for slot, proc in enumerate(self.procs):
                if proc is not None and proc.is_alive():
                    self.inboxes[slot].put(None)
            for proc in self.procs:
                if proc is not None:
                    proc.join(timeout=2)
        for slot in range(self.workers):  # interrupted, or a worker that would not stop
            self._stop(slot)

    def _start(self, slot: int) -> None:
        self.inboxes[slot] = self.ctx.Queue()
        self.outboxes[slot], results = self.ctx.Pipe(duplex=False)
        self.progress[2 * slot + 1] = 0.0
        self.seen[slot] = (0.0, 0.0, None)
        proc = self.ctx.Process(target=_worker, args=(self.rules, self.inboxes[slot], results,
                                                      self.progress, slot, os.getpid()), daemon=True)
        # a signal arriving before the worker has set its own handlers would run ours in it
        signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
        try:
            proc.start()
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
            results.close()  # the worker's end: once it dies, reading ours gives EOF, never a wait
        self.procs[slot] = proc

    def _stop(self, slot: int) -> None:
        proc = self.procs[slot]
        if proc is not None:
            if proc.is_alive():
                proc.kill()
            proc.join()
        inbox = self.inboxes[slot]
        if inbox is not None:  # what it still owed a dead worker must not hold up our exit
            inbox.cancel_join_thread()
            inbox.close()
        if self.outboxes[slot] is not None:
            self.outboxes[slot].close()

    def grade(self, rows: Sequence[dict], on_progress=None) -> list[Grade]:
        """Grades for ``rows``, in order. ``on_progress(n)`` is told of each finished chunk."""
        out: list[Grade | None] = [None] * len(rows)
        self.todo = deque(range(len(rows)))
        self.retried: set[int] = set()  # rows whose worker died once on them
        busy: dict[int, tuple[int, list[int]]] = {}
        self.next_id = 0
        self.last_tick = time.monotonic()
        while self.todo or busy:
            for slot in range(self.workers):
                if slot not in busy and self.todo:
                    size = self._chunk_size(len(self.todo))
                    self._send(slot, [self.todo.popleft() for _ in range(size)], rows, busy)
            readers = {self.outboxes[slot]: slot for slot in busy}
            ready = multiprocessing.connection.wait(list(readers), timeout=0.2)
            self._tick(busy)
            for reader in ready:
                slot = readers[reader]
                try:
                    chunk_id, grades = reader.recv()
                except (EOFError, OSError):  # it died: reaped below
                    continue
                if busy[slot][0] == chunk_id:
                    _, indices = busy.pop(slot)
                    for i, g in zip(indices, grades):
                        out[i] = g
                    if on_progress:
                        on_progress(len(indices))
            self._reap_stuck(busy, rows, out, on_progress)
        return out  # type: ignore[return-value]

    def _chunk_size(self, left: int) -> int:
        """Rows in the next chunk: ``CHUNK_ROWS`` while there is plenty of work, then an ever
        smaller share of what is left (a quarter per worker), down to one row at the end."""
        return max(1, min(CHUNK_ROWS, left // (4 * self.workers)))

    def _send(self, slot: int, indices: list[int], rows: Sequence[dict], busy: dict) -> None:
        busy[slot] = (self.next_id, indices)
        self.inboxes[slot].put((self.next_id, indices[0], [rows[i] for i in indices]))
        self.next_id += 1

    def _tick(self, busy: dict) -> None:
        """Count the wall time each busy worker spends on its current row without using CPU
        (a computing worker is the kernel's CPU limit's business), and only while we run
        ourselves: a gap longer than a second (the machine or the run was paused) counts as one
        second. So neither load nor a pause ever kills a row."""
        now = time.monotonic()
        step, self.last_tick = min(now - self.last_tick, 1.0), now
        for slot in busy:
            count = self.progress[2 * slot + 1]
            seen, idle, cpu_before = self.seen[slot]
            cpu = _cpu_seconds(self.procs[slot].pid)
            if count != seen:
                self.seen[slot] = (count, 0.0, cpu)
            else:
                computing = cpu is not None and cpu_before is not None and cpu > cpu_before
                self.seen[slot] = (count, idle if computing else idle + step, cpu)

    def _reap_stuck(self, busy: dict, rows: Sequence[dict], out: list, on_progress) -> None:
        """Kill workers stuck on one row (or dead); their other rows go back to the work left."""
        for slot, (chunk_id, indices) in list(busy.items()):
            count, idle, _ = self.seen[slot]
            stuck = bool(count) and idle > self.hard_wall_s
            if not (stuck or not self.procs[slot].is_alive()):
                continue
            self.procs[slot].kill()
            self.procs[slot].join()
            exitcode = self.procs[slot].exitcode
            started = self.progress[2 * slot + 1]  # read after the kill: it cannot move on now
            current = int(self.progress[2 * slot])
            self._stop(slot)
            self._start(slot)
            del busy[slot]
            rest = list(indices)
            retry = None
            if started and current in rest:  # the row it was on is the culprit; the others get a fresh worker
                rest.remove(current)
                grade = self._culprit_grade(stuck, exitcode, again=current in self.retried)
                if grade is None:  # died without saying why: once more, alone, in this fresh worker
                    self.retried.add(current)
                    retry = current
                else:
                    out[current] = grade
                    if on_progress:
                        on_progress(1)
            self.todo.extendleft(reversed(rest))
            if retry is not None:
                self._send(slot, [retry], rows, busy)

    def _culprit_grade(self, stuck: bool, exitcode, again: bool) -> Grade | None:
        """The grade of the row a worker was on when it was killed or died; None: grade it again."""
        if stuck:
            return Grade(0, False, None, TIMED_OUT, f"killed after {self.hard_wall_s:g}s of wall time "
                                                    "without using CPU or finishing")
        if limits.SIGXCPU is not None and exitcode == -limits.SIGXCPU:
            return Grade(0, False, None, TIMED_OUT, f"killed after {self.hard_cpu_s:g}s of CPU time "
                                                    "(stuck where no signal is handled)")
        if not again:
            return None
        return Grade(0, False, None, CRASHED, f"its grading worker died twice on it (exit code {exitcode}); "
                                              "label retries it on its next run")
