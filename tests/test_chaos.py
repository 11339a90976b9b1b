"""Kill each stage at random moments; after a re-run nothing is duplicated, lost or left over,
and the result is the one an uninterrupted run gives. (bench/chaos.py: hundreds of trials.)"""
import os
import random
import signal

import pytest

import chaos_trials
import runs

pytestmark = pytest.mark.skipif(not runs.ON_LINUX, reason="watches processes through /proc")
KILLS = [kill for kill in chaos_trials.KILLS if kill[0] != signal.SIGINT]
TRIALS = int(os.environ.get("GNOSIS_CHAOS_TRIALS", "3"))  # per stage; generate, the slowest, runs fewer


def check(stage, workdir, seed, trials=TRIALS):
    rng = random.Random(seed)
    chaos_trials.prepare(stage, workdir)
    for number in range(trials):
        # Ctrl-C has tests of its own (test_signals.py): a random one could land while Python
        # is still importing gnosis, before any handler exists (bench/chaos.py counts those)
        trial = chaos_trials.trial(stage, workdir, rng, number, kills=KILLS)
        assert trial.processes_left == 0, trial
        assert not trial.traceback, trial
        assert trial.rerun_code == 0, trial
        assert (trial.duplicates, trial.lost, trial.temp_files, trial.locks_left) == (0, 0, 0, 0), trial
        assert not trial.differs, trial
        if not trial.finished_first and trial.signal != "SIGKILL":
            # a signal after the work was done (during exit) is ignored: then, and only then, 0
            stopped = (130, 143, -2, -15)  # negative: killed before gnosis started
            assert trial.exit_code in stopped or (trial.exit_code == 0 and trial.done_when_killed), trial


def test_label_survives_kills(tmp_path):
    check(chaos_trials.label_stage(tmp_path), tmp_path, seed=11)


def test_merge_survives_kills(tmp_path):
    check(chaos_trials.merge_stage(tmp_path), tmp_path, seed=12)


def test_generate_survives_kills(tmp_path):
    from tiny_model import build_tiny_model

    model = build_tiny_model(tmp_path / "tiny-qwen")
    check(chaos_trials.generate_stage(tmp_path, model), tmp_path, seed=13, trials=max(1, TRIALS - 1))
