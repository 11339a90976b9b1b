"""Ray scaling on this machine: label with 1 vs 2 Ray grading workers, generate with 1 vs 2
replicas of the tiny test model, each against the single-process run.

    python bench/ray_scaling.py [--rows 4000] [--questions 96] [--cpus 2]

Run time on 2 busy cores: about 3.5 minutes with the defaults (it starts a local Ray cluster once).

Label times `pool.grade` over ROWS synthetic math rows (bench/label_throughput.py's) with the
pool already started, so it is grading throughput; start-up is printed beside it. Generate
runs `gnosis run --stage generate` in this process and prints the time to the first shard
(engine start-up) and the completions/s after it (the local Ray cluster is started once
beforehand; the single-process run gets one torch thread, as each one-CPU replica does).
Ray's overhead is its 1-worker (1-replica) time against the single-process run's; the scaling
ratio is 2 workers' (replicas') throughput over 1's.
"""
import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "tests")]

from label_throughput import synthetic_rows  # noqa: E402
from tiny_model import build_tiny_model  # noqa: E402


def time_label(pool, rows) -> tuple[float, float]:
    """(start-up seconds, grading seconds)"""
    start = time.perf_counter()
    with pool:
        pool.grade(rows[:64])  # warm: plugins loaded, every worker ready
        warm = time.perf_counter()
        pool.grade(rows)
        done = time.perf_counter()
    return warm - start, done - warm


def bench_label(n_rows: int) -> None:
    from gnosis_core import registry
    from gnosis_core.cluster import RayGradingPool
    from gnosis_core.grading_pool import GradingPool, Rules

    task = registry.get_task("math")
    rules = Rules(task.extractor, task.grader, task.gold_column, 5.0)
    rows = synthetic_rows(n_rows)
    print(f"label: {len(rows)} synthetic math rows (~3k-character completions)")
    times = {}
    for name, pool in (("local, 1 worker ", GradingPool(rules, 1)), ("local, 2 workers", GradingPool(rules, 2)),
                       ("ray,   1 worker ", RayGradingPool(rules, 1)), ("ray,   2 workers", RayGradingPool(rules, 2))):
        startup, seconds = time_label(pool, rows)
        times[name.strip()] = seconds
        print(f"  {name}: {len(rows) / seconds:8.1f} rows/s   ({seconds:6.2f} s grading, {startup:5.2f} s start-up)")
    print(f"  scaling, ray 2 workers vs 1: {times['ray,   1 worker'] / times['ray,   2 workers']:.2f}x "
          f"(local: {times['local, 1 worker'] / times['local, 2 workers']:.2f}x)")
    print(f"  ray overhead, 1 worker vs local 1 worker: "
          f"{100 * (times['ray,   1 worker'] / times['local, 1 worker'] - 1):+.1f}%")


def timed(shards_of, marks: list):
    """Wrap a shard generator so that each finished shard's time and row count is noted."""
    def wrapper(*args, **kwargs):
        for questions, rows in shards_of(*args, **kwargs):
            marks.append((time.perf_counter(), len(rows)))
            yield questions, rows
    return wrapper


def bench_generate(n_questions: int, tmp: Path) -> None:
    import pandas as pd
    import torch
    import transformers  # noqa: F401  (imported before timing, as Ray's replicas import it before their first unit)

    from gnosis_core import cluster, registry
    from gnosis_core.stages import generate

    model = build_tiny_model(tmp / "tiny")
    data = tmp / "questions.csv"
    pd.DataFrame([{"question": f"What is {i} plus {i}?", "answer": str(2 * i)} for i in range(n_questions)]
                 ).to_csv(data, index=False)
    options = dict(model_id=str(model), data_path=str(data), answer_col="answer", backend="transformers",
                   num_generations=4, max_tokens=64, stage2_tokens=16, shard_size=4, progress=False)
    task = registry.get_task("math")
    print(f"generate: tiny model, {n_questions} questions x {options['num_generations']} completions x "
          f"{options['max_tokens']} tokens, {options['shard_size']} questions per shard/unit; steady state = "
          "completions/s after the first shard, start-up = time to the first shard")
    # Ray gives a one-CPU actor one thread (OMP_NUM_THREADS=1); so does the baseline, so that the
    # comparison measures Ray and not thread oversubscription
    torch.set_num_threads(1)
    local_shards, ray_shards = generate._local_shards, cluster.generate_shards
    rates, totals = {}, {}
    for name, extra in (("single process", {}), ("ray, 1 replica", dict(ray=True, replicas=1)),
                        ("ray, 2 replicas", dict(ray=True, replicas=2))):
        marks: list = []
        generate._local_shards, cluster.generate_shards = timed(local_shards, marks), timed(ray_shards, marks)
        start = time.perf_counter()
        try:
            generate.run(task, save_dir=str(tmp / name.replace(" ", "_").replace(",", "")), **options, **extra)
        finally:
            generate._local_shards, cluster.generate_shards = local_shards, ray_shards
        totals[name] = time.perf_counter() - start
        first = marks[0][0]
        rates[name] = sum(n for _, n in marks[1:]) / (marks[-1][0] - first)
        print(f"  {name:15s}: {rates[name]:8.1f} completions/s steady   ({first - start:5.2f} s start-up, "
              f"{totals[name]:6.2f} s in all)")
    print(f"  scaling, 2 replicas vs 1 (steady): {rates['ray, 2 replicas'] / rates['ray, 1 replica']:.2f}x")
    print(f"  ray overhead, 1 replica vs single process: {100 * (rates['single process'] / rates['ray, 1 replica'] - 1):+.1f}% "
          f"time per completion, {totals['ray, 1 replica'] - totals['single process']:+.2f} s in all")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=4000)
    parser.add_argument("--questions", type=int, default=96)
    parser.add_argument("--cpus", type=int, default=2, help="CPUs of the local Ray cluster")
    args = parser.parse_args()
    import ray

    print(f"machine: {os.cpu_count()} cores; Ray {ray.__version__}")
    start = time.perf_counter()
    ray.init(num_cpus=args.cpus, include_dashboard=False, log_to_driver=False)
    print(f"local Ray cluster ({args.cpus} CPUs) start-up: {time.perf_counter() - start:.2f} s")
    try:
        bench_label(args.rows)
        with tempfile.TemporaryDirectory() as tmp:
            bench_generate(args.questions, Path(tmp))
    finally:
        ray.shutdown()


if __name__ == "__main__":
    main()
