"""report: what a run produced, at a glance — accuracy, pass@k, maj@k, buckets, lengths, plots.

    gnosis report runs/qwen_math [NAME=DIR ...] [--out REPORT_DIR] [--by original_source]

A DIR is a generate save_dir with ``verified/`` (the label stage's output) or a merge out_dir
(``merged_balanced.parquet`` + ``stats.json``). Only the small columns are read (labels,
parsed flags, extracted answers, lengths; never the completions), and every number is a few
numpy passes over one entry per row, so a million rows report in seconds.

Definitions (also in the README):
- a question is (task, ``question_index``), else (task, question text); its n samples are
  its rows, ordered by ``sample_index``;
- pass@k is Chen et al.'s unbiased estimator 1 - C(n-c, k)/C(n, k), averaged over the
  questions with n >= k (a question with fewer samples says nothing about k);
- maj@k votes over the normalised extracted answers of k consecutive samples (cyclically,
  averaged over up to MAJ_WINDOWS windows); the winning answer scores the share of correct
  rows among its votes, ties score the mean over the tied answers (the expected score of
  breaking the tie at random), and a window without any answer scores 0;
- 95% intervals are percentile bootstraps over questions (1000 resamples, seeded).

The package holds one module per concern: ``loading`` (reading shards), ``normalise`` (which
answers vote together), ``metrics`` (the numbers; no I/O, no plotting), ``tables``, ``plots``
and ``writing`` (report.json, report.md, index.html).
"""
from __future__ import annotations

from pathlib import Path

from gnosis_core import locking, shards
from gnosis_core.options import as_bool, as_choice
from gnosis_core.stages.report.loading import (VERIFIED_PATTERNS, Run, _parse_dirs, _read_rows, check_run_dir,
                                              load_run)
from gnosis_core.stages.report.metrics import (BUCKETS, MAJ_WINDOWS, MAX_K, STATUSES, bootstrap_interval,
                                               build_report, maj_at_k, metrics, pass_at_k)
from gnosis_core.stages.report.normalise import _answer_classes, normaliser_for
from gnosis_core.stages.report.tables import tables, text_table
from gnosis_core.stages.report.writing import PLOTS_HINT, html_page, markdown, write_outputs

BY_CHOICES = ("original_source",)

__all__ = ["BUCKETS", "BY_CHOICES", "MAJ_WINDOWS", "MAX_K", "PLOTS_HINT", "STATUSES", "Run", "bootstrap_interval",
           "build_report", "html_page", "load_run", "maj_at_k", "markdown", "metrics", "normaliser_for",
           "pass_at_k", "print_brief", "run", "tables", "text_table", "write_outputs", "_answer_classes"]


def run(dirs, *, out=None, by=None, plots=True) -> dict:
    """Report on generate save_dirs and merge out_dirs; returns what report.json holds.

    Options:
        out: where report.json, report.md, the PNGs and index.html go (one DIR: DIR/report; several: ./report)
        by: also break every number down by this column: original_source
        plots: false skips the PNG plots (index.html then holds the tables only)
    """
    specs = _parse_dirs(dirs)
    by = None if by is None or str(by).lower() in ("", "none") else as_choice(str(by), "by", BY_CHOICES)
    draw = as_bool(plots, "plots")
    out_dir = Path(str(out)) if out is not None else (
        Path(specs[0][1]) / "report" if len(specs) == 1 else Path("report"))
    for _, directory in specs:
        check_run_dir(Path(directory))
    shards.check_writable(out_dir)  # before the work, not after it
    locking.take(out_dir, "report")  # one report per folder; its temporary files are ours to clear
    shards.remove_stale_temps(out_dir)
    for _, directory in specs:
        locking.share(Path(directory), "report")
    runs = [load_run(name, Path(directory)) for name, directory in specs]
    report = build_report(runs, by)
    print(text_table(report))
    written = write_outputs(report, out_dir, draw)
    print(f"wrote {', '.join(str(p) for p in written)}")
    return report


def print_brief(verified_dir: str | Path, task: str) -> None:
    """The short table at the end of ``gnosis run --stage label``."""
    data = _read_rows(shards.find_shards(verified_dir, VERIFIED_PATTERNS), task)
    report = build_report([Run(task, str(verified_dir), "generate", data)], None)
    print(text_table(report, brief=True))
