"""The rows behind the numbers: a stratified sample of each run (task x bucket x status), and
their text (question, gold, answer, completion) read back from the shards for those rows only,
a batch at a time, so a run of long completions is never held in memory."""
from __future__ import annotations

import json
import shlex
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

from gnosis_core.errors import GnosisError
from gnosis_core.stages.report.metrics import BUCKETS, question_buckets

DEFAULT_SAMPLES = 50  # rows per run x task x bucket x status
SAMPLE_SEED = 0
TEXT_COLUMNS = ("question", "answer", "solution", "completion", "extracted_answer", "grade_status", "grade_detail",
                "correctness_label", "two_step_applied", "num_output_tokens", "finish_reason", "sample_index",
                "question_index", "original_source")
# a completion is shown as its reasoning (folded) and its final part; very long ones are cut in
# the middle of the reasoning, so that the page stays small (gnosis grade shows the whole row)
REASONING_HEAD, REASONING_TAIL, FINAL_CHARS, FIELD_CHARS = 1500, 2500, 4000, 2000
ROW_CHARS = REASONING_HEAD + REASONING_TAIL + FINAL_CHARS + 4 * FIELD_CHARS  # the most text one row shows
PAGE_CHARS = 8_000_000  # beyond this, every row shows less of its text (the page stays under ~10 MB)
THINK_CLOSE = "</think>"
FLIP_QUESTION_CHARS = 300


def verdicts(rows: dict) -> tuple[np.ndarray, list[str]]:
    """Each row's verdict code and the names: correct, wrong (graded, not correct), or the grading
    status that kept it from being graded (unparsed, timed_out, error, ...)."""
    names = ["correct", "wrong"] + [str(s) for s in rows["statuses"] if str(s) != "ok"]
    status_names = [str(s) for s in rows["statuses"]]
    by_status = np.array([names.index(s) if s != "ok" else 1 for s in status_names] + [1], np.int64)
    verdict = by_status[rows["status"]]
    verdict[rows["label"] == 1] = 0
    return verdict, names


def choose(rows: dict, per_stratum: int, seed: int = SAMPLE_SEED) -> np.ndarray:
    """Indices of up to ``per_stratum`` rows of each task x bucket x verdict, drawn at random."""
    n = len(rows["label"])
    if per_stratum <= 0 or not n:
        return np.zeros(0, np.int64)
    bucket = question_buckets(rows)[rows["question"]]
    verdict, names = verdicts(rows)
    stratum = (rows["task"] * 4 + bucket) * len(names) + verdict
    order = np.lexsort((np.random.default_rng(seed).random(n), stratum))
    ordered = stratum[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    rank = np.arange(n) - np.repeat(starts, np.diff(np.r_[starts, n]))
    return np.sort(order[rank < per_stratum])


def fetch(paths: list[Path], rows: dict, chosen: np.ndarray) -> list[dict]:
    """The text columns of the chosen rows, in the order of ``chosen``."""
    found: dict[int, dict] = {}
    files, positions = rows["file"][chosen], rows["row"][chosen]
    for file_index in np.unique(files):
        path = Path(paths[file_index])
        wanted = {int(p): int(i) for p, i in zip(positions[files == file_index], chosen[files == file_index])}
        for position, record in _records(path, wanted):
            found[wanted[position]] = {"file": str(path), "row": position, **record}
    return [found[int(i)] for i in chosen if int(i) in found]


def name_flipped_questions(pairs: list[dict], runs: list) -> None:
    """Add each listed flipped question's text (from run a's first row of it) to ``pairs``."""
    by_name = {run.name: run for run in runs}
    for pair in pairs:
        rows = by_name[pair["a"]].rows
        code = [str(t) for t in rows["tasks"]].index(pair["task"])
        listed = pair["to_right"] + pair["to_wrong"]
        in_task = np.flatnonzero(rows["task"] == code)
        ids = rows["question_id"][in_task]
        first = {int(q): int(in_task[i]) for i, q in reversed(list(enumerate(ids)))}
        chosen = np.array([first[q["question_index"]] for q in listed], np.int64)
        for flip, record in zip(listed, fetch(by_name[pair["a"]].paths, rows, chosen)):
            flip["question"] = shorten(record.get("question"), FLIP_QUESTION_CHARS)


def _records(path: Path, wanted: dict):
    """(row position, {column: value}) of the wanted rows of one shard."""
    if path.suffix != ".parquet":
        with open(path, encoding="utf-8") as handle:
            for position, line in enumerate(handle):
                if position in wanted:
                    try:
                        record = json.loads(line)
                    except ValueError:
                        continue
                    if isinstance(record, dict):
                        yield position, {k: record.get(k) for k in TEXT_COLUMNS if k in record}
        return
    file = pq.ParquetFile(path, pre_buffer=False, buffer_size=1 << 20)
    columns = [c for c in TEXT_COLUMNS if c in file.schema_arrow.names]
    starts = np.cumsum([0] + [file.metadata.row_group(g).num_rows for g in range(file.num_row_groups)])
    needed = sorted({int(np.searchsorted(starts, p, side="right")) - 1 for p in wanted})
    for group in needed:
        first = int(starts[group])
        for batch in file.iter_batches(batch_size=4096, row_groups=[group], columns=columns):
            inside = [p - first for p in wanted if first <= p < first + batch.num_rows]
            if inside:
                table = batch.take(inside).to_pylist()
                yield from ((first + i, record) for i, record in zip(inside, table))
            first += batch.num_rows


def split_completion(text) -> tuple[str, str]:
    """(reasoning, final part): the reasoning ends at the last </think>; a completion whose
    reasoning never closed is all reasoning; one without any is all final part."""
    if not isinstance(text, str):
        return "", ""
    cut = text.rfind(THINK_CLOSE)
    if cut >= 0:
        return text[:cut + len(THINK_CLOSE)], text[cut + len(THINK_CLOSE):]
    return (text, "") if "<think>" in text else ("", text)


def shorten(text, head: int, tail: int = 0) -> str:
    """At most head + tail characters: the start and the end, and how much was left out."""
    text = "" if text is None else text if isinstance(text, str) else json.dumps(text, default=str)
    if len(text) <= head + tail:
        return text
    end = text[len(text) - tail:] if tail else ""
    return f"{text[:head]}\n[... {len(text) - head - tail:,} characters not shown ...]\n{end}"


def regrade_command(task: str, file: str, row: int) -> str:
    return f"gnosis grade --task {shlex.quote(task)} --file {shlex.quote(file)} --row {row}"


def _gold_column(task: str) -> str | None:
    from gnosis_core import registry

    try:
        return registry.get_task(task).gold_column
    except GnosisError:
        return None


def sample_runs(runs: list, per_stratum: int) -> list[dict]:
    """Every run's sampled rows as the sample browser shows them."""
    out = []
    chosen_per_run = [choose(run.rows, per_stratum) for run in runs]
    # many strata (runs x tasks x buckets x statuses) share one page: each row's text gets less
    share = min(1.0, PAGE_CHARS / max(1, sum(map(len, chosen_per_run))) / ROW_CHARS)
    head, tail, final_chars, field_chars = (max(100, int(share * n)) for n in
                                            (REASONING_HEAD, REASONING_TAIL, FINAL_CHARS, FIELD_CHARS))
    for run, chosen in zip(runs, chosen_per_run):
        rows = run.rows
        bucket = question_buckets(rows)
        verdict, names = verdicts(rows)
        for index, record in zip(chosen, fetch(run.paths, rows, chosen)):
            task = str(rows["tasks"][rows["task"][index]])
            gold_column = _gold_column(task)
            if record.get(gold_column) is None:
                gold_column = "answer" if record.get("answer") is not None else "solution"
            reasoning, final = split_completion(record.get("completion"))
            tokens = record.get("num_output_tokens")
            out.append({
                "run": run.name, "task": task, "bucket": BUCKETS[bucket[rows["question"][index]]],
                "verdict": names[verdict[index]], "status": record.get("grade_status") or names[verdict[index]],
                "detail": shorten(record.get("grade_detail"), field_chars),
                "question": shorten(record.get("question"), field_chars),
                "gold": shorten(record.get(gold_column), field_chars),
                "answer": shorten(record.get("extracted_answer"), field_chars),
                "reasoning": shorten(reasoning, head, tail),
                "final": shorten(final, final_chars // 2, final_chars // 2),
                "two_step": bool(record.get("two_step_applied")),
                "tokens": None if tokens is None else int(tokens),
                "finish_reason": record.get("finish_reason"), "sample_index": record.get("sample_index"),
                "question_index": record.get("question_index"),
                "command": regrade_command(task, record["file"], record["row"]),
            })
    return out

