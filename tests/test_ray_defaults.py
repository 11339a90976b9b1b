"""What `--ray` connects to, and what its workers import: a local instance unless told
otherwise, a bounded wait for a cluster, and never the Python files of the current folder.
(No Ray is initialised in this process: gnosis makes its own connection here.)"""
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import require, write_shard
from gnosis_core import cluster
from gnosis_core.errors import GnosisError

ray = require("ray", "needs ray (pip install 'gnosis[ray]')")
ROOT = Path(__file__).resolve().parents[1]

HOSTILE = '''
import os
open(os.path.join({folder!r}, "imported-by-%d" % os.getpid()), "w").close()
raise ImportError("the pyarrow.py of the current folder was imported")
'''


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(autouse=True)
def no_ray_here():
    if ray.is_initialized():  # another module's cluster would be used as is
        ray.shutdown()


def test_workers_never_import_the_current_folders_modules_nor_join_ray_address(tmp_path):
    """gnosis started in a folder holding a hostile ``pyarrow.py``, with ``RAY_ADDRESS`` naming
    a cluster that is not there: a local instance is started, and the file is never imported."""
    folder = tmp_path / "cwd"
    folder.mkdir()
    (folder / "pyarrow.py").write_text(HOSTILE.format(folder=str(folder)))
    rows = [{"question": "q", "completion": f"\\boxed{{{i}}}", "answer": str(i % 2)} for i in range(6)]
    write_shard(tmp_path / "run" / "shard-000001.jsonl", rows)
    env = dict(os.environ, RAY_ADDRESS=f"127.0.0.1:{free_port()}",
               # no empty entry: an empty PYTHONPATH entry is the current folder
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    # `python -m` and `-c` put the current folder on the driver's own path: take it off, as the
    # `gnosis` command has it
    driver = "import sys; sys.path.remove(''); from gnosis_core.cli import main; sys.exit(main(sys.argv[1:]))"
    argv = ["run", "--task", "trivia", "--stage", "label",
            "--save_dir", tmp_path / "run", "--progress", "false", "--ray", "--replicas", 1]
    result = subprocess.run([sys.executable, "-c", driver, *map(str, argv)],
                            cwd=folder, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert sorted(p.name for p in folder.iterdir()) == ["pyarrow.py"]
    labels = [json.loads(line)["correctness_label"]
              for line in (tmp_path / "run" / "verified" / "shard-000001.verified.jsonl").read_text().splitlines()]
    assert labels == [1, 1, 0, 0, 0, 0]


def test_without_an_address_a_local_instance_is_started(monkeypatch):
    calls = []
    monkeypatch.setenv("RAY_ADDRESS", "10.0.0.1:6379")
    monkeypatch.setattr(ray, "init", lambda **kwargs: calls.append((kwargs, os.getcwd())))
    monkeypatch.setattr(ray, "shutdown", lambda: None)
    here = os.getcwd()
    with cluster.connected(None):
        pass
    [(kwargs, started_in)] = calls
    assert kwargs == {"address": "local"}
    assert started_in != here and not os.path.exists(started_in)  # an empty folder of its own, gone after
    assert os.getcwd() == here


def test_an_address_where_nothing_listens_fails_at_once_in_one_line(gnosis, tmp_path, monkeypatch):
    monkeypatch.setattr(ray, "init", lambda **kwargs: pytest.fail("Ray was asked to connect"))
    write_shard(tmp_path / "shard-000001.jsonl", [{"question": "q", "completion": "\\boxed{1}", "answer": "1"}])
    address = f"127.0.0.1:{free_port()}"
    code, _, err = gnosis("run", "--task", "trivia", "--stage", "label", "--save_dir", tmp_path, "--ray",
                          "--ray_address", address, "--progress", "false")
    assert code == 2 and err.count("\n") == 1, err
    assert err.startswith(f"gnosis: error: --ray_address {address}: nothing answers there (Connection refused)")
    assert not (tmp_path / "verified").exists() or not list((tmp_path / "verified").glob("*.verified.*"))


def test_a_cluster_that_never_answers_is_given_up_in_one_line(monkeypatch):
    """Something listens, but Ray's handshake never completes (a stale or foreign server)."""
    listener = socket.create_server(("127.0.0.1", 0))
    address = f"127.0.0.1:{listener.getsockname()[1]}"
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT_S", 0.5)
    shut = []
    monkeypatch.setattr(ray, "init", lambda **kwargs: time.sleep(30))
    monkeypatch.setattr(ray, "shutdown", lambda: shut.append(True))
    with listener, pytest.raises(GnosisError) as failed:
        with cluster.connected(address):
            pytest.fail("connected")
    assert str(failed.value) == (f"--ray_address {address}: Ray did not connect within 0.5 s; "
                                 "check that the cluster is up (ray status) and its token is set")
    assert shut == [True]


@pytest.mark.parametrize("auth_mode, hinted", [(None, True), ("token", False)])
def test_a_refused_join_says_how_to_send_the_clusters_token(monkeypatch, auth_mode, hinted):
    listener = socket.create_server(("127.0.0.1", 0))
    address = f"127.0.0.1:{listener.getsockname()[1]}"
    if auth_mode:
        monkeypatch.setenv("RAY_AUTH_MODE", auth_mode)
    else:
        monkeypatch.delenv("RAY_AUTH_MODE", raising=False)

    def refused(**kwargs):
        raise ConnectionError("Could not read 'session_name' from GCS.\nFailed to connect to Ray cluster")

    monkeypatch.setattr(ray, "init", refused)
    monkeypatch.setattr(ray, "shutdown", lambda: None)
    with listener, pytest.raises(GnosisError) as failed:
        with cluster.connected(address):
            pass
    message = str(failed.value)
    assert "\n" not in message
    assert message.startswith(f"--ray_address {address}: could not join the Ray cluster there "
                              "(Failed to connect to Ray cluster)")
    assert ("set RAY_AUTH_MODE=token" in message) == hinted


def test_a_killed_driver_leaves_no_ray_process_behind(tmp_path):
    from gnosis_core import reaper

    rows = [{"question": "q", "completion": f"\\boxed{{{i}}}", "answer": "1"} for i in range(5000)]
    write_shard(tmp_path / "run" / "shard-000001.jsonl", rows)
    argv = ["run", "--task", "trivia", "--stage", "label", "--save_dir", tmp_path / "run", "--progress", "false",
            "--ray", "--replicas", 1]
    driver = subprocess.Popen([sys.executable, "-m", "gnosis_core.cli", *map(str, argv)], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    family = {}
    end = time.monotonic() + 240
    while driver.poll() is None and time.monotonic() < end:  # until the grading actor is up
        family = reaper.descendants(driver.pid, reaper._processes())
        if any(b"Grader" in Path(f"/proc/{pid}/cmdline").read_bytes() for pid in family if os.path.exists(f"/proc/{pid}")):
            break
        time.sleep(0.2)
    assert driver.poll() is None and len(family) > 3, "the run ended, or Ray never started"
    time.sleep(1)
    family.update(reaper.descendants(driver.pid, reaper._processes()))
    driver.kill()
    driver.wait()
    end = time.monotonic() + 10
    while time.monotonic() < end and any(pid in reaper._processes() for pid in family):
        time.sleep(0.2)
    table = reaper._processes()
    assert [pid for pid, started in family.items() if table.get(pid, (0, None))[1] == started] == []
