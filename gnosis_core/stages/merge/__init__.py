"""merge: rebalance the verified shards of several tasks into one SFT set.

    gnosis run --stage merge --inputs trivia=runs/trivia,math=runs/math --out_dir out

Each question's (parsed) completions put it in one bucket: all-correct, all-wrong or mixed.
All-correct and all-wrong questions are chosen by fraction or count and trimmed to a few
completions each; mixed questions get as many correct as wrong rows (up- or downsampled).
Then per-task row caps, then ratio caps; the rows of one question stay together and the
order of the question blocks is shuffled by the seed.

Memory is bounded by the narrow columns, never by the text: the selection (``selection``) works
on integer arrays, one entry per row (task, question id, label), read from the question and
label columns alone (``inputs``); the chosen rows are then written a row group at a time
(``write``). Options are parsed in ``config``; the dataset card and the hub upload are in
``publish``.
"""
from __future__ import annotations

import json
from pathlib import Path

from gnosis_core import locking, shards
from gnosis_core.errors import GnosisError
from gnosis_core.options import per_task, validate  # noqa: F401 (per_task: merge's API)
from gnosis_core.stages.merge.config import DEFAULTS, parse_inputs, read_config, task_value  # noqa: F401
from gnosis_core.stages.merge.inputs import QUESTION_CANDIDATES, VERIFIED_PATTERNS, load  # noqa: F401
from gnosis_core.stages.merge.publish import OUTPUT_NAME, dataset_card, hub_api, print_summary, push
from gnosis_core.stages.merge.selection import BUCKETS, _buckets, rank_within, select, summarise, take_counts  # noqa: F401
from gnosis_core.stages.merge.write import FRONT_COLUMNS, output_schema, write_merged


def run(*, inputs=None, out_dir=None, config=None, only_parsed=None, seed=None, ac_frac=None,
        ac_questions=None, aw_questions=None, ac_keep_per_q=None, aw_keep_per_q=None,
        mixed_strategy=None, max_rows_per_task=None, max_final_task_ratios=None,
        shuffle_blocks=None, push_to_hub=None, private=None) -> dict:
    """Merge TASK=DIR inputs into OUT_DIR; returns the stats also written to stats.json.

    Every option may come from ``--config merge.toml`` (same names); flags win. An option
    left out (None) takes its value from the file, else from DEFAULTS.

    Options:
        inputs: TASK=DIR,... (DIR holds verified/shard-*.verified.*); in a config file also an [inputs] table
        out_dir: where merged_balanced.parquet, stats.json and README.md go
        config: a TOML file whose keys are these option names
        only_parsed: use only rows whose answer could be extracted (pred_parsed)
        seed: every random draw (>= 0)
        ac_frac: share of all-correct among the all-correct + all-wrong questions kept (0 to 1; default: off)
        ac_questions: how many all-correct questions to keep (>= 0; default: all)
        aw_questions: how many all-wrong questions to keep (>= 0; default: all)
        ac_keep_per_q: completions kept per all-correct question: N or TASK=N,... with * as the default; -1 keeps all
        aw_keep_per_q: completions kept per all-wrong question, the same way
        mixed_strategy: balancing of mixed questions: upsample, downsample or none
        max_rows_per_task: at most N rows per task: N or TASK=N,... (default: off)
        max_final_task_ratios: TASK=SHARE,...: a task keeps at most SHARE (0 to 1) of the rows before this cap
        shuffle_blocks: shuffle the order of the question blocks (false: input order, written in one pass)
        push_to_hub: REPO: upload the three outputs as a hub dataset repo (default: off)
        private: create the hub repo private
    """
    given = {k: v for k, v in locals().items() if k != "config" and v is not None}
    options = validate("merge", {**DEFAULTS, **(read_config(config, run) if config is not None else {}), **given})
    sources = parse_inputs(options.pop("inputs", None))
    if options.get("out_dir") is None:
        raise GnosisError("--out_dir is required (where merged_balanced.parquet goes)")
    out = Path(str(options.pop("out_dir")))
    shards.check_writable(out)
    controls = {name: options[name] for name in DEFAULTS}
    hub = hub_api() if controls["push_to_hub"] else None  # a missing library fails before the work
    locking.take(out, "merge")  # one merge per out_dir: two would mix their outputs
    shards.remove_stale_temps(out)
    for directory in sources.values():
        locking.share(Path(directory), "merge")

    tasks = list(sources)
    with shards.scratch_files(out) as scratch:
        parts, keys, found = load(sources, scratch)  # the narrow columns only
        final, info = select(keys, tasks, controls)
        schema = output_schema([part.schema for part in parts])
        stats = {
            "inputs": {task: {"dir": sources[task], "shards": [p.name for p in found[task]]} for task in tasks},
            "controls": controls,
            **info,
        }
        # the three outputs appear together or not at all; stats.json, renamed last, marks a complete set
        outputs = [out / OUTPUT_NAME, out / "README.md", out / "stats.json"]
        with shards.atomic_set(outputs) as (parquet, card, stats_tmp):
            write_merged(parquet, parts, tasks, keys, final, schema, scratch)
            Path(card).write_text(dataset_card(stats, schema), encoding="utf-8")
            Path(stats_tmp).write_text(json.dumps(stats, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print_summary(stats, out)
    if hub is not None:
        push(hub, out, controls["push_to_hub"], controls["private"])
    return stats
