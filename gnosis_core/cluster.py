"""generate and label on a Ray cluster (``--ray``).

generate: one actor per replica holds an engine on ``tensor_parallel_size`` GPUs (one CPU
where the cluster has no GPU) and runs gnosis's own two-step schedule on one work unit, a
shard's questions, per call. label: one actor per worker grades chunks of rows in a local
one-process GradingPool, so the per-row hard time limit holds on every node. Either way the
driver deals units to actors, keeps ``UNITS_IN_FLIGHT`` queued on each so that none waits
between units, and alone writes the output. An actor that dies (killed, out of memory, node
lost) has its unfinished units dealt to the others: the output is complete, without duplicates.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import sys
import tempfile
import threading
from collections import deque
from typing import Callable, Iterator, Sequence

from gnosis_core.errors import GnosisError
from gnosis_core.grading_pool import Grade, GradingPool, Rules

UNITS_IN_FLIGHT = 2
GRADING_CHUNK_ROWS = 128  # a Ray call costs about a millisecond: amortise it over many rows


def check_options(ray, replicas, ray_address) -> tuple[bool, int | None, str | None]:
    """``--ray``, ``--replicas`` and ``--ray_address`` checked: (use Ray, replicas or None, address or None)."""
    from gnosis_core.options import RAY, as_bool

    use_ray = as_bool(ray, "ray")
    if not use_ray:
        if replicas is not None or ray_address is not None:
            raise GnosisError("--replicas and --ray_address need --ray")
        return False, None, None
    replicas = RAY["replicas"](replicas, "replicas")  # the CLI's own check, for callers of run() too
    _import_ray()
    if ray_address is not None:
        _check_listening(str(ray_address))  # before any work, not once the work is ready
    return True, replicas, None if ray_address is None else str(ray_address)


def _import_ray():
    try:
        import ray
    except ImportError:
        raise GnosisError('--ray needs Ray: pip install "gnosis[ray]"') from None
    return ray


# joining a cluster or starting a local one: past this, one line instead of Ray's endless retries
CONNECT_TIMEOUT_S = 120.0
# whether anything listens at --ray_address at all (a refused connection answers at once)
PROBE_TIMEOUT_S = 5.0


@contextlib.contextmanager
def connected(address: str | None = None):
    """Ray, connected to the cluster at ``address``, else to a local instance started here (never
    one that ``RAY_ADDRESS`` or Ray's ``ray_current_cluster`` file names) and shut down on exit.
    A Ray already initialised in this process (a test, a notebook) is used as is."""
    ray = _import_ray()
    if ray.is_initialized():
        yield ray
        return
    where = f"--ray_address {address}" if address else "a local Ray instance"
    if address:
        _check_listening(address)
    neutral = tempfile.mkdtemp(prefix="gnosis-ray-")
    reaper = None if address else _start_reaper(neutral)  # Ray's agents would outlive a killed run
    try:
        try:
            with _started_in(neutral), _deadline(CONNECT_TIMEOUT_S, where):
                ray.init(address=address or "local")
        except _TimeUp:
            ray.shutdown()
            raise GnosisError(f"{where}: Ray did not connect within {CONNECT_TIMEOUT_S:g} s; "
                              "check that the cluster is up (ray status) and its token is set") from None
        except Exception as exc:
            ray.shutdown()
            what = f"{where}: could not join the Ray cluster there" if address else "could not start a local Ray"
            raise GnosisError(f"{what} ({_last_line(exc)}){_auth_hint(address)}") from None
        try:
            yield ray
        finally:
            ray.shutdown()
    finally:
        if reaper is not None:
            reaper.terminate()  # the run ends normally: it kills nothing
            reaper.wait()
        shutil.rmtree(neutral, ignore_errors=True)


def _start_reaper(folder: str):
    """``gnosis_core.reaper`` watching this process (Linux; elsewhere None), started in the empty
    ``folder``: ``python -m`` imports from its current folder first."""
    if not sys.platform.startswith("linux"):
        return None
    import subprocess

    return subprocess.Popen([sys.executable, "-m", "gnosis_core.reaper", str(os.getpid())], cwd=folder,
                            start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)


def _auth_hint(address: str | None) -> str:
    """Clusters made by ``ray start`` want a token, and a driver sends one only when told."""
    if not address or os.environ.get("RAY_AUTH_MODE", "").lower() == "token":
        return ""
    return ("; if the cluster uses token authentication (ray start's default), set RAY_AUTH_MODE=token "
            "with its token in ~/.ray/auth_token or RAY_AUTH_TOKEN")


def _check_listening(address: str) -> None:
    """Fail in one line at once where nothing listens at ``address`` (Ray itself would retry
    for minutes). ``auto`` and addresses without a port are left to Ray."""
    host, _, port = address.split("://")[-1].rpartition(":")
    if not host or not port.isdigit():
        return
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=PROBE_TIMEOUT_S).close()
    except OSError as exc:
        reason = exc.strerror or ("timed out" if isinstance(exc, TimeoutError) else type(exc).__name__)
        raise GnosisError(f"--ray_address {address}: nothing answers there ({reason}); "
                          "start the cluster (ray start --head) or fix the address") from None


@contextlib.contextmanager
def _started_in(folder: str):
    """Run ``ray.init`` from an empty folder: Ray puts the driver's current folder at the front
    of every worker's ``sys.path``, and starts its own processes there, so a ``pyarrow.py`` (or
    any module's name) in the folder where gnosis was started would be imported by every worker
    instead of the installed package. Workers see the installed environment only."""
    here = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(here)


class _TimeUp(BaseException):
    """Raised by ``_deadline``; a BaseException, so that Ray's retry loops (``except
    Exception``) do not swallow it."""


@contextlib.contextmanager
def _deadline(seconds: float, what: str):
    """Raise ``_TimeUp`` in the block after ``seconds`` of wall time (main thread only: signals
    are delivered there; elsewhere the block runs unbounded)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def time_up(signum, frame):
        raise _TimeUp(what)

    previous = signal.signal(signal.SIGALRM, time_up)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _last_line(exc: BaseException) -> str:
    """The line that says why: Ray's errors carry the remote traceback above it."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[-1] if lines else type(exc).__name__


class _Crew:
    """Actors that take work units, ``UNITS_IN_FLIGHT`` queued on each. An actor joins once its
    ``ready()`` returns (a replica that is still loading its model, or waiting for a GPU, gets
    nothing); one that dies is dropped and its unfinished units go to the others."""

    def __init__(self, ray, actors: list, what: str):
        self.ray, self.actors, self.what = ray, actors, what
        self.starting = {actor.ready.remote(): slot for slot, actor in enumerate(actors)}
        self.live: set[int] = set()
        self.last_error = ""

    def deal(self, units: Sequence, call: Callable) -> Iterator[tuple[int, object]]:
        """``(unit index, call(actor, unit)'s result)`` for every unit, as they finish."""
        ray = self.ray
        todo = deque(range(len(units)))
        running: dict = {}  # object ref -> (actor slot, unit index)
        load = dict.fromkeys(range(len(self.actors)), 0)
        while todo or running:
            for slot in sorted(self.live):
                while todo and load[slot] < UNITS_IN_FLIGHT:
                    index = todo.popleft()
                    running[call(self.actors[slot], units[index])] = (slot, index)
                    load[slot] += 1
            waiting = [*running, *self.starting]
            if not waiting:
                raise GnosisError(f"every {self.what} died, the last because: {self.last_error}; "
                                  "run the same command again to resume")
            [ref], _ = ray.wait(waiting, num_returns=1)
            if ref in self.starting:
                slot = self.starting.pop(ref)
                try:
                    ray.get(ref)
                    self.live.add(slot)
                except ray.exceptions.RayActorError as exc:
                    self._lost(slot, exc, owed=0)
                continue
            slot, index = running.pop(ref)
            load[slot] -= 1
            try:
                result = ray.get(ref)
            except ray.exceptions.RayActorError as exc:
                todo.appendleft(index)
                if slot in self.live:
                    self._lost(slot, exc, owed=load[slot] + 1)
                continue
            except ray.exceptions.RayTaskError as exc:  # the work itself failed: so would it elsewhere
                raise GnosisError(f"{self.what} {slot} failed on a unit: {_last_line(exc)}") from None
            yield index, result

    def _lost(self, slot: int, exc: Exception, owed: int) -> None:
        self.live.discard(slot)
        self.last_error = _last_line(exc)
        self.ray.kill(self.actors[slot])  # an actor only unreachable for now must not come back mid-unit
        others = len(self.live) + len(self.starting)
        handover = f"; {owed} unfinished unit(s) go to the {others} other(s)" if owed else ""
        print(f"gnosis: warning: {self.what} {slot} is lost ({self.last_error}){handover}", file=sys.stderr)

    def close(self) -> None:
        for actor in self.actors:
            self.ray.kill(actor)


class Replica:
    """A Ray actor: one engine and its prompter, generating one work unit per call."""

    def __init__(self, task, config: dict, engine_options: dict):
        from gnosis_core import sampling

        self.engine, self.prompter = sampling.open_engine(task, config, engine_options)
        self.config = config

    def ready(self) -> bool:
        return True

    def generate(self, questions: list[dict]) -> list[dict]:
        from gnosis_core import sampling

        return sampling.generate_rows(self.engine, self.prompter, questions, self.config)


def generate_shards(task, questions: list[dict], config: dict, engine_options: dict, *, shard_size: int,
                    replicas: int | None = None, ray_address: str | None = None) -> Iterator[tuple[list[dict], list[dict]]]:
    """``(shard questions, rows)`` for each ``shard_size`` questions, as the replicas finish them.

    Every request is seeded from the run seed and its question, so the rows do not depend on
    which replica made them."""
    from gnosis_core import registry

    registry.resolve("backends", config["backend"])  # an unknown name fails here, not in every replica
    units = [questions[start:start + shard_size] for start in range(0, len(questions), shard_size)]
    with connected(ray_address) as ray:
        count, resources = _replica_plan(ray, replicas, int(engine_options.get("tensor_parallel_size") or 1))
        actor_class = ray.remote(Replica)
        crew = _Crew(ray, [actor_class.options(name=f"gnosis-replica-{i}", **resources)
                           .remote(task, config, engine_options) for i in range(count)], "replica")
        try:
            for index, rows in crew.deal(units, lambda actor, unit: actor.generate.remote(unit)):
                yield units[index], rows
        finally:
            crew.close()


def _replica_plan(ray, replicas: int | None, tensor_parallel_size: int) -> tuple[int, dict]:
    """How many replicas, and what each asks of Ray: ``tensor_parallel_size`` GPUs of one node
    (vLLM then runs its tensor-parallel workers as processes inside the actor), else one CPU."""
    per_node = [int(node["Resources"].get("GPU", 0)) for node in ray.nodes() if node.get("Alive")]
    if not any(per_node):
        return replicas or 1, {"num_cpus": 1}
    fit = sum(gpus // tensor_parallel_size for gpus in per_node)
    if not fit:
        raise GnosisError(f"--tensor_parallel_size {tensor_parallel_size} needs that many GPUs on one node; "
                          f"the Ray cluster's nodes have {', '.join(map(str, per_node))}")
    if replicas and replicas > fit:
        print(f"gnosis: warning: {replicas} replicas x {tensor_parallel_size} GPU(s) do not fit in the cluster "
              f"now ({fit} do); the others start when GPUs join", file=sys.stderr)
    return replicas or fit, {"num_gpus": tensor_parallel_size, "num_cpus": 1}


class Grader:
    """A Ray actor: a one-process GradingPool, kept open from chunk to chunk."""

    def __init__(self, rules: Rules):
        self.pool = GradingPool(rules, 1).__enter__()

    def ready(self) -> bool:
        return True

    def grade(self, rows: list[dict]) -> list[Grade]:
        return self.pool.grade(rows)

    def close(self) -> None:
        self.pool.__exit__(None, None, None)


class RayGradingPool:
    """GradingPool's contract on a Ray cluster: ``with RayGradingPool(rules, workers, address) as
    pool: grades = pool.grade(rows, on_progress)``, one worker per CPU of the cluster by default."""

    def __init__(self, rules: Rules, workers: int | None = None, address: str | None = None):
        self.rules, self.workers, self.address = rules, workers, address
        self.connection = connected(address)
        self.crew: _Crew | None = None

    def __enter__(self) -> "RayGradingPool":
        ray = self.connection.__enter__()
        try:
            count = self.workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
            actor_class = ray.remote(Grader)
            self.crew = _Crew(ray, [actor_class.options(name=f"gnosis-grader-{i}", num_cpus=1).remote(self.rules)
                                    for i in range(count)], "grading worker")
        except BaseException:
            self.connection.__exit__(*sys.exc_info())
            raise
        return self

    def __exit__(self, *exc) -> None:
        try:
            if self.crew is not None:
                # let each worker stop its grading process before Ray ends the actor
                closing = [self.crew.actors[slot].close.remote() for slot in self.crew.live]
                if closing:
                    self.crew.ray.wait(closing, num_returns=len(closing), timeout=5)
                self.crew.close()
        finally:
            self.connection.__exit__(*exc)

    def grade(self, rows: Sequence[dict], on_progress=None) -> list[Grade]:
        """Grades for ``rows``, in order. ``on_progress(n)`` is told of each finished chunk."""
        assert self.crew is not None, "use RayGradingPool as a context manager"
        chunks = [range(first, min(first + GRADING_CHUNK_ROWS, len(rows)))
                  for first in range(0, len(rows), GRADING_CHUNK_ROWS)]
        out: list[Grade | None] = [None] * len(rows)
        grading = self.crew.deal(chunks, lambda actor, chunk: actor.grade.remote([rows[i] for i in chunk]))
        for index, grades in grading:
            out[chunks[index].start:chunks[index].stop] = grades
            if on_progress:
                on_progress(len(grades))
        return out  # type: ignore[return-value]
