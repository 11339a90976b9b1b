"""The per-row grading time limit, measured in CPU time of the row.

A label must not depend on how busy the machine is, so the budget counts the CPU seconds a
row used, never wall time: a paused or loaded machine gives the same labels as a quiet one.
Inside a grading worker, ``row_budget`` arms a CPU-time timer (``ITIMER_PROF``); when the
row has used its budget the timer raises ``CpuTimeUp`` wherever the grader is, and keeps
firing until the row is over, so a grader that swallows one interruption is interrupted
again. Whether the budget ran out is remembered, so a row that ran out of time is reported
as timed out even if the grader then returned an answer.
"""
from __future__ import annotations

import math
import os
import signal
import threading

from gnosis_core.errors import GnosisError

DEFAULT_ROW_TIMEOUT_S = 5.0
MAX_ROW_TIMEOUT_S = 3600.0
# once the budget is spent, interrupt again this often (CPU seconds) until the row ends
_REFIRE_S = 0.05
_row_timeout_s = DEFAULT_ROW_TIMEOUT_S


def row_timeout_s() -> float:
    return _row_timeout_s


def set_row_timeout_s(seconds: float) -> None:
    global _row_timeout_s
    _row_timeout_s = float(seconds)


def check_row_timeout(value) -> float:
    """``--timeout`` as a number of CPU seconds, or a one-line error giving the range."""
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = math.nan
    if not (0 < seconds <= MAX_ROW_TIMEOUT_S):  # also false for nan
        raise GnosisError(f"--timeout must be CPU seconds per row, more than 0 and at most "
                          f"{MAX_ROW_TIMEOUT_S:g}; got {value!r}")
    return seconds


def hard_cpu_limit_s(row_timeout: float) -> float:
    """CPU seconds after which a worker stuck in C code (where no signal handler runs) is
    killed by the kernel (``RLIMIT_CPU``, whole seconds, so up to one second more)."""
    return 2 * row_timeout + 1


def hard_wall_limit_s(row_timeout: float) -> float:
    """Wall seconds a worker may wait on one row without using CPU (blocked on a lock, say)
    before it is killed; counted only while gnosis itself runs."""
    return max(60.0, 10 * hard_cpu_limit_s(row_timeout))


class CpuTimeUp(BaseException):
    """Raised by the CPU timer inside a row that used up its budget. A BaseException, like
    math-verify's own TimeoutException, so that graders' ``except Exception`` clauses do not
    turn it into a wrong answer."""


class _Budget:
    armed = False
    spent = False
    where = ""


_budget = _Budget()


def cpu_budget_armed() -> bool:
    """Whether the current row runs under a CPU-time budget (then wall-clock timers such as
    math-verify's ``signal.alarm`` must stay off: they would make labels depend on load)."""
    return _budget.armed


def _on_cpu_time_up(signum, frame) -> None:
    if not _budget.armed:
        return
    if not _budget.spent:
        _budget.spent = True
        _budget.where = _location(frame)
    raise CpuTimeUp()


def _location(frame) -> str:
    if frame is None:
        return ""
    module = frame.f_globals.get("__name__", "?")
    return f"{module}.{frame.f_code.co_name}"


class row_budget:
    """``with row_budget(seconds) as budget: ...``; afterwards ``budget.spent`` tells whether
    the row ran out of CPU time and ``budget.reason`` says where. A ``CpuTimeUp`` escaping
    the block is swallowed: the caller reads ``spent``."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.spent = False
        self.reason = ""

    def __enter__(self) -> "row_budget":
        # signal handlers run in the main thread only; elsewhere the caller's hard limits apply
        self.active = threading.current_thread() is threading.main_thread()
        if self.active:
            if signal.getsignal(signal.SIGPROF) is not _on_cpu_time_up:
                signal.signal(signal.SIGPROF, _on_cpu_time_up)
            _budget.spent, _budget.where = False, ""
            _budget.armed = True
            signal.setitimer(signal.ITIMER_PROF, self.seconds, _REFIRE_S)
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        if not self.active:
            return False
        _budget.armed = False  # first, so a late tick no longer raises
        signal.setitimer(signal.ITIMER_PROF, 0)
        self.spent = _budget.spent or exc_type is CpuTimeUp
        if self.spent:
            where = f" (in {_budget.where})" if _budget.where else ""
            self.reason = f"used its {self.seconds:g}s of CPU time{where}"
        return exc_type is CpuTimeUp


def arm_worker(row_timeout: float) -> None:
    """Set up a grading worker process: its row budget, and no core files when the kernel
    kills it for using too much CPU."""
    set_row_timeout_s(row_timeout)
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ImportError, ValueError, OSError):
        pass


def cpu_seconds_used() -> float:
    usage = os.times()
    return usage.user + usage.system


def kill_after_cpu_s(seconds: float) -> None:
    """Have the kernel kill this process (SIGXCPU) once it used ``seconds`` more CPU time."""
    try:
        import resource
    except ImportError:  # not POSIX: the parent's wall-clock limit still applies
        return
    soft = math.ceil(cpu_seconds_used() + seconds)
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    try:
        resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))
    except (ValueError, OSError):
        pass


SIGXCPU = getattr(signal, "SIGXCPU", None)
