"""Signals and kills: one line and the right exit status, no traceback, no process or temp
file left behind, and the next run picks up cleanly."""
import os
import signal
import time

import pytest

import busy_task
import runs
from conftest import write_shard
from gnosis_core import cli, locking, shards

pytestmark = pytest.mark.skipif(not runs.ON_LINUX, reason="watches processes through /proc")

LABEL = ("run", "--task", "busy", "--stage", "label", "--workers", 2, "--progress", "false")


def busy_folder(folder, shard_count=2, rows=12):
    for number in range(1, shard_count + 1):
        write_shard(folder / f"shard-{number:06d}.jsonl", busy_task.rows(["150 1", "150 0"] * (rows // 2)))
    return folder


@pytest.mark.parametrize("signum, status, line", [(signal.SIGINT, 130, "gnosis: interrupted"),
                                                  (signal.SIGTERM, 143, "gnosis: terminated"),
                                                  (signal.SIGHUP, 129, "gnosis: hung up")])
@pytest.mark.parametrize("to_group", [False, True], ids=["process", "group"])
def test_signal_stops_the_run_cleanly(tmp_path, signum, status, line, to_group):
    save_dir = busy_folder(tmp_path)
    run = runs.start(*LABEL, "--save_dir", save_dir, busy=True)
    assert runs.wait_until(lambda: len(runs.children(run.pid)) == 2), "the workers never started"
    (os.killpg if to_group else os.kill)(run.pid, signum)
    _, err = run.communicate(timeout=60)
    assert run.returncode == status
    assert err.strip().splitlines() == [line]  # one line, no traceback from any process
    assert runs.gone_within(run.pid, 1.0) == []
    assert runs.temp_files(save_dir) == []
    assert not (save_dir / locking.LOCK_NAME).exists()


def test_workers_die_with_a_killed_run_and_the_next_run_takes_over(tmp_path, gnosis):
    busy_task.install()
    save_dir = busy_folder(tmp_path)
    run = runs.start(*LABEL, "--save_dir", save_dir, busy=True)
    assert runs.wait_until(lambda: len(runs.children(run.pid)) == 2), "the workers never started"
    run.kill()
    run.wait()
    assert runs.gone_within(run.pid, 1.0) == []
    code, out, err = gnosis(*LABEL, "--save_dir", save_dir)
    assert code == 0, err
    assert f"taking over the lock on {save_dir} from a run that is gone (label, pid {run.pid}" in err
    assert "total: rows=24 parsed=24 correct=12" in out
    assert runs.temp_files(save_dir) == []


def test_stale_temp_files_of_a_killed_run_are_removed(tmp_path, gnosis):
    save_dir = busy_folder(tmp_path, shard_count=1, rows=2)
    stale = [save_dir / "verified" / name for name in (".shard-000001.verified.jsonl.a1b2c3d4.tmp",
                                                       ".summary.json.zz_9x8y7.tmp")]
    for path in stale:
        path.parent.mkdir(exist_ok=True)
        path.write_text("half written")
    busy_task.install()
    code, _, err = gnosis(*LABEL, "--save_dir", save_dir)
    assert code == 0, err
    assert runs.temp_files(save_dir) == []
    assert len(shards.read_jsonl(save_dir / "verified" / "shard-000001.verified.jsonl")) == 2


def test_a_signal_landing_in_a_finalizer_still_stops_the_run(gnosis, monkeypatch):
    """Python prints and drops an exception raised in a finalizer (a weakref callback,
    ``__del__``); a signal handled there must still stop the run, with the one line."""
    class SignalsWhenCollected:
        def __del__(self):
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.01)  # the handler runs here, inside the finalizer

    def command(self, json=False):
        SignalsWhenCollected()
        time.sleep(5)
        raise AssertionError("the run went on after SIGTERM")

    monkeypatch.setattr(cli.Cli, "tasks", command)
    code, _, err = gnosis("tasks")
    assert (code, err.strip()) == (143, "gnosis: terminated")
