"""What merge says about its output: the dataset card, the summary it prints, the hub upload."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pyarrow as pa

from gnosis_core.errors import GnosisError
from gnosis_core.markdown import cell
from gnosis_core.stages.merge.selection import BUCKETS

OUTPUT_NAME = "merged_balanced.parquet"


def _size_category(rows: int) -> str:
    bounds = [(1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"),
              (10_000_000, "1M<n<10M")]
    return next((name for bound, name in bounds if rows < bound), "10M<n<100M")


_HF_DTYPES = {"double": "float64", "float": "float32", "halffloat": "float16"}


def dataset_card(stats: dict, schema: pa.Schema) -> str:
    """A Hugging Face dataset card: YAML metadata, then what the set holds and how it was made."""
    before, after, c = stats["before"], stats["after"], stats["controls"]
    features = "".join(f"  - name: {json.dumps(f.name)}\n    dtype: {_HF_DTYPES.get(str(f.type), str(f.type))}\n"
                       for f in schema)
    tasks = list(after["per_task_rows"])
    lines = [
        "---",
        "pretty_name: gnosis merged SFT set",
        "tags:", "- gnosis", "- self-verification", "- correctness-prediction",
        "task_categories:", "- text-classification", "- text-generation",
        "size_categories:", f"- {_size_category(after['rows'])}",
        "configs:", "- config_name: default", "  data_files:", "  - split: train", f"    path: {OUTPUT_NAME}",
        "dataset_info:", "  features:", features.rstrip("\n"),
        "  splits:", "  - name: train", f"    num_examples: {after['rows']}",
        "---", "",
        "# gnosis merged SFT set", "",
        f"{after['rows']:,} completions of {after['questions']:,} questions from {len(tasks)} task(s) "
        f"({cell(', '.join(tasks))}), each labeled correct (1) or wrong (0) by `gnosis run --stage label` and "
        "rebalanced by `gnosis run --stage merge`. The rows of one question are contiguous.", "",
        "## Tasks", "",
        "| task | rows | share | rows before | all-correct | all-wrong | mixed (questions available) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for t in tasks:
        avail = stats["availability"]["per_task"][t]
        lines.append(f"| {cell(t)} | {after['per_task_rows'][t]:,} | {after['per_task_fractions'][t]:.2%} | "
                     f"{before['per_task_rows'][t]:,} | {avail['all_correct']:,} | {avail['all_wrong']:,} | "
                     f"{avail['mixed']:,} |")
    lines += ["", "## Before and after", "", "| | before | after |", "|---|---:|---:|",
              f"| rows | {before['rows_considered']:,} | {after['rows']:,} |",
              f"| questions | {before['questions']:,} | {after['questions']:,} |"]
    lines += [f"| {b.replace('_', '-')} questions | {before['buckets'][b]:,} | {after['buckets'][b]:,} |"
              for b in BUCKETS]
    lines += [f"| label {k} rows | {before['labels'][k]:,} | {after['labels'][k]:,} |" for k in ("1", "0")]
    lines += [
        "", f"Rows before are the {'parsed ' if c['only_parsed'] else ''}rows of the inputs "
        f"({before['rows_total']:,} in all).", "",
        "## Schema", "",
        "- `question`: the prompt's question", "- `ground_truth`: the gold answer (`answer`, else `solution`; "
        "dicts and lists JSON-encoded)", "- `task`: the task the row came from",
        "- `correctness_label`: 1 if the completion's final answer is correct, else 0",
        "- `pred_parsed`: whether a final answer could be extracted", "- `completion`: the model's output",
        "- other columns are kept from the verified shards", "",
        "## How it was made", "",
        "| task | verified shards from | shards |", "|---|---|---:|",
        *(f"| {cell(t)} | {cell(i['dir'], code=True)} | {len(i['shards'])} |" for t, i in stats["inputs"].items()), "",
        "Merge options:", "",
        "```json", json.dumps(c, indent=2, ensure_ascii=False), "```", "",
        "Full statistics are in `stats.json`.", "",
    ]
    return "\n".join(lines)


def print_summary(stats: dict, out: Path) -> None:
    before, after = stats["before"], stats["after"]
    print(f"merge: {before['rows_total']:,} rows ({before['rows_considered']:,} considered, "
          f"{before['questions']:,} questions) -> {after['rows']:,} rows, {after['questions']:,} questions")
    for t, rows in after["per_task_rows"].items():
        print(f"  {t}: {before['per_task_rows'][t]:,} -> {rows:,} rows ({after['per_task_fractions'][t]:.2%})")
    print(f"  labels after: correct={after['labels']['1']:,} wrong={after['labels']['0']:,}")
    print(f"wrote {out / OUTPUT_NAME}, {out / 'stats.json'}, {out / 'README.md'}")


def hub_api():
    try:
        from huggingface_hub import HfApi
    except ImportError:
        raise GnosisError("--push_to_hub needs huggingface_hub: pip install 'gnosis[hub]'") from None
    return HfApi()


def push(api, out: Path, repo: str, private: bool) -> None:
    try:
        api.create_repo(repo, repo_type="dataset", private=private, exist_ok=True)
        api.upload_folder(repo_id=repo, repo_type="dataset", folder_path=str(out),
                          allow_patterns=[OUTPUT_NAME, "stats.json", "README.md"],
                          commit_message="gnosis merge: merged_balanced.parquet, stats.json, README.md")
    except Exception as exc:  # auth, network, permissions: the outputs are on disk, say why the upload failed
        first_line = (str(exc).strip().splitlines() or [""])[0]
        raise GnosisError(f"--push_to_hub {repo}: {type(exc).__name__}: {first_line}") from None
    print(f"pushed to https://huggingface.co/datasets/{repo}", file=sys.stderr)
