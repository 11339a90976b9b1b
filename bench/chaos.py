"""Chaos: kill each stage at random moments, hundreds of times, and count what went wrong.

    python bench/chaos.py                                        # quick: 20 trials per stage, 3 of generate
    python bench/chaos.py --trials 200 --generate_trials 40      # the full run the README reports
    python bench/chaos.py [--stages label,merge,generate] [--seed 0] [--label_filler 200000] [--merge_filler 20000]

Run time on 2 busy cores: the quick default about 6 minutes (label trials take most of it); the
full run about 50 minutes.

Each trial starts a stage as its own process group (label: 3 math shards, 2 workers; merge: 2
tasks x 2 verified shards; generate: the tiny random model of tests/tiny_model.py on the
transformers backend), sends it SIGKILL (to the parent only: its workers must go by
themselves), SIGTERM or SIGINT (to the group) at a moment drawn uniformly over an uninterrupted
run's duration, checks that no process of it is alive a second later, re-runs the stage, and
counts duplicated and lost rows, temp files, locks left behind, and results that differ from
an uninterrupted run (labels; merged rows and stats; for generate, which (question, sample)
pairs exist). Prints one line per stage: trials, how many were killed (by which signal, with
which exit status; the rest ended before their moment came), and the counts that should all
be 0: duplicates, lost, temp_files (after the re-run), processes_left, locks_left, differs,
rerun_failed, tracebacks and more_than_one_line (of SIGTERM/SIGINT runs).
temp_files_left_by_kill_then_removed counts the temp files killed runs left, which the re-run
removed; tracebacks_before_main counts Ctrl-C landing while Python was still importing gnosis,
before any handler could exist.
"""
import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import chaos_trials  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trials", type=int, default=20, help="trials per stage (label, merge); 200 for the full run")
    parser.add_argument("--generate_trials", type=int, default=3,
                        help="trials of generate (slow: each loads torch); 40 for the full run")
    parser.add_argument("--stages", default="label,merge,generate")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--label_filler", type=int, default=0,
                        help="characters of noise added to each label input completion (e.g. 200000), so that "
                             "writes last long enough to be hit")
    parser.add_argument("--merge_filler", type=int, default=0, help="the same for merge's inputs (e.g. 20000)")
    parser.add_argument("--json", action="store_true", help="print the table as JSON")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    results = []
    with tempfile.TemporaryDirectory(prefix="gnosis-chaos-") as tmp:
        workdir = Path(tmp)
        for name in args.stages.split(","):
            if name == "label":
                stage, count = chaos_trials.label_stage(workdir, filler=args.label_filler), args.trials
            elif name == "merge":
                stage, count = chaos_trials.merge_stage(workdir, filler=args.merge_filler), args.trials
            else:
                from tiny_model import build_tiny_model

                stage = chaos_trials.generate_stage(workdir, build_tiny_model(workdir / "tiny-qwen"))
                count = args.generate_trials
            chaos_trials.prepare(stage, workdir)
            started = time.monotonic()
            for number in range(count):
                results.append(chaos_trials.trial(stage, workdir, rng, number))
                bad = results[-1]
                if bad.duplicates or bad.lost or bad.temp_files or bad.processes_left or bad.differs or bad.traceback:
                    print(f"  trial {number}: {bad}", file=sys.stderr)
            print(f"{name}: {count} trials in {time.monotonic() - started:.0f}s "
                  f"(an uninterrupted run takes {stage.seconds:.1f}s)", file=sys.stderr)
    table = chaos_trials.summarize(results)
    if args.json:
        print(json.dumps(table, indent=2))
        return
    for name, row in table.items():
        print(f"{name}: " + " ".join(f"{key}={value}" for key, value in row.items()))


if __name__ == "__main__":
    main()
