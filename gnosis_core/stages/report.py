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
"""
from __future__ import annotations

import base64
import html
import io
import json
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from gnosis_core import shards
from gnosis_core.errors import GnosisError
from gnosis_core.options import as_bool, as_choice

VERIFIED_PATTERNS = ("shard-*.verified.parquet", "shard-*.verified.jsonl")
MERGED_NAME = "merged_balanced.parquet"
BY_CHOICES = ("original_source",)
BUCKETS = ("all_correct", "mixed", "all_wrong", "no_parsed")
STATUSES = ("ok", "unparsed", "unverifiable", "timed_out", "error")
BOOTSTRAP_RESAMPLES = 1000
BOOTSTRAP_SEED = 0
MAX_K = 256  # pass@k is computed for k = 1 .. min(n, MAX_K); maj@k for k = 1, 2, 4, ... and n
MAJ_WINDOWS = 8  # maj@k averages the votes of this many windows of k samples per question
HISTOGRAM_BINS = 40
PLOTS_HINT = 'plots need matplotlib: pip install "gnosis[report]"'

# The columns a report reads; the completions are never among them.
_TYPES = {
    "task": pa.string(), "question_index": pa.int64(), "question": pa.string(), "sample_index": pa.int64(),
    "original_source": pa.string(), "correctness_label": pa.int64(), "pred_parsed": pa.bool_(),
    "extracted_answer": pa.string(), "grade_status": pa.string(), "grade_detail": pa.string(),
    "finish_reason": pa.string(),
    "num_output_tokens": pa.float64(), "two_step_applied": pa.bool_(),
}


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


# ---------------------------------------------------------------- loading


@dataclass
class Run:
    name: str
    dir: str
    kind: str  # "generate" or "merge"
    rows: dict  # column name -> numpy array, one entry per row (see _read_rows)
    stats: dict | None = None  # a merge's stats.json
    shards: list[str] = field(default_factory=list)


def _parse_dirs(dirs) -> list[tuple[str, str]]:
    items = [dirs] if isinstance(dirs, (str, Path)) else list(dirs or ())
    if not items:
        raise GnosisError("gnosis report needs at least one DIR (a generate save_dir or a merge out_dir), "
                          "e.g. gnosis report runs/math or gnosis report a=runs/a b=runs/b")
    specs = []
    for item in map(str, items):
        name, sep, directory = item.partition("=")
        if not sep or Path(item).exists():  # a folder whose name holds "=" is a folder
            name, directory = "", item
        name, directory = name.strip(), directory.strip()
        if not directory:
            raise GnosisError(f"{item!r}: expected DIR or NAME=DIR")
        specs.append((name or Path(directory).resolve().name, directory))
    names = [n for n, _ in specs]
    if len(set(names)) < len(names):  # two folders with one base name: name them by path
        specs = [(d if names.count(n) > 1 else n, d) for n, d in specs]
    if len({n for n, _ in specs}) < len(specs):
        raise GnosisError(f"two DIRs have the same name {names}; name them NAME=DIR")
    return specs


def load_run(name: str, directory: Path) -> Run:
    if not directory.is_dir():
        raise GnosisError(f"{directory}: not a directory (expected a generate save_dir with verified/ "
                          "or a merge out_dir)")
    merged = directory / MERGED_NAME
    if merged.is_file():
        stats_path = directory / "stats.json"
        stats = None
        if stats_path.is_file():
            try:
                stats = json.loads(stats_path.read_text(encoding="utf-8"))
            except json.JSONDecodeError as exc:
                raise GnosisError(f"{stats_path}: not valid JSON ({exc.msg})") from None
        # merge groups a task's rows by question text, so the report does too
        return Run(name, str(directory), "merge", _read_rows([merged], None, by_text=True), stats, [MERGED_NAME])
    verified = directory / "verified"
    found = shards.find_shards(verified, VERIFIED_PATTERNS)
    if not found:
        raise GnosisError(f"{directory}: neither a merge out_dir ({MERGED_NAME}) nor a generate save_dir "
                          f"with {verified}/shard-*.verified.parquet or .jsonl (run `gnosis run --stage label`)")
    return Run(name, str(directory), "generate", _read_rows(found, _task_of(verified, directory)),
               shards=[p.name for p in found])


def _task_of(verified: Path, directory: Path) -> str:
    """The task the label stage recorded in summary.json, else the folder's name."""
    try:
        return str(json.loads((verified / "summary.json").read_text(encoding="utf-8"))["task"])
    except (OSError, ValueError, KeyError, TypeError):
        return directory.resolve().name


def _read_table(path: Path, by_text: bool) -> pa.Table:
    if path.suffix != ".parquet":
        return _read_jsonl(path)
    names = set(shards.read_schema(path).names)
    try:
        table = pq.read_table(path, columns=[c for c in _TYPES if c in names and c != "question"])
        # the question text is the largest column read: only when there is no question_index to use
        if "question" in names and (by_text or "question_index" not in table.column_names
                                    or table["question_index"].null_count):
            table = table.append_column("question", pq.read_table(path, columns=["question"])["question"])
    except Exception as exc:
        raise GnosisError(f"{path}: cannot read parquet shard ({type(exc).__name__}: {exc})") from None
    return table


def _read_jsonl(path: Path) -> pa.Table:
    """The wanted fields of a JSONL shard, parsed by Arrow; Python only if a field has odd types."""
    import pyarrow.json as pj

    schema = pa.schema(list(_TYPES.items()))
    try:
        table = pj.read_json(path, parse_options=pj.ParseOptions(explicit_schema=schema,
                                                                 unexpected_field_behavior="ignore"))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        rows = shards.read_jsonl(path)
        table = pa.table({c: _loose(c, [r.get(c) for r in rows]) for c in _TYPES})
    # a field no row has reads as all nulls: treat it as absent
    return table.select([c for c in table.column_names if table[c].null_count < max(1, table.num_rows)])


def _loose(column: str, values: list) -> pa.Array:
    try:
        return pa.array(values, _TYPES[column])
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pa.array([None if v is None else json.dumps(v, default=str) if isinstance(v, (dict, list)) else str(v)
                         for v in values], pa.string())


def _read_rows(paths: list[Path], task: str | None, by_text: bool = False) -> dict:
    """One numpy array per quantity, one entry per row of all ``paths``."""
    tables = []
    for path in paths:
        table = _read_table(Path(path), by_text)
        if "correctness_label" not in table.column_names:
            raise GnosisError(f"{path}: missing column correctness_label "
                              "(report reads the output of `gnosis run --stage label` or a merge)")
        tables.append(table)
    present = [c for c in _TYPES if any(c in t.column_names for t in tables)]
    columns = {}
    for name in present:
        chunks = [_as(t[name], name, path) if name in t.column_names else pa.nulls(t.num_rows, _TYPES[name])
                  for t, path in zip(tables, paths)]
        columns[name] = pa.chunked_array([c for chunk in chunks for c in _chunks(chunk)], _TYPES[name])
    return _arrays(columns, sum(t.num_rows for t in tables), task, paths, by_text)


def _chunks(column) -> list:
    return column.chunks if isinstance(column, pa.ChunkedArray) else [column]


def _as(column, name: str, path: Path):
    try:
        return pc.cast(column, _TYPES[name])
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        if name in ("original_source", "task", "extracted_answer", "grade_status", "finish_reason", "question"):
            return pa.array([None if v is None else str(v) for v in column.to_pylist()], pa.string())
        raise GnosisError(f"{path}: column {name} should be {_TYPES[name]}, found {column.type}") from None


def _codes(column) -> tuple[np.ndarray, list]:
    """Integer codes (nulls get -1) and the distinct values."""
    encoded = pc.dictionary_encode(column)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    return codes, encoded.dictionary.to_pylist()


def _arrays(columns: dict, n_rows: int, task: str | None, paths, by_text: bool) -> dict:
    label = columns["correctness_label"]
    if label.null_count or (n_rows and not pc.all(pc.is_in(label, value_set=pa.array([0, 1]))).as_py()):
        raise GnosisError(f"{', '.join(map(str, paths))}: column correctness_label must be 0 or 1 in every row")
    rows = {"label": label.to_numpy().astype(np.int8)}
    rows["parsed"] = (columns["pred_parsed"].fill_null(False).to_numpy(zero_copy_only=False)
                      if "pred_parsed" in columns else np.ones(n_rows, bool))
    if "task" in columns:
        rows["task"], rows["tasks"] = _codes(columns["task"].fill_null("?"))
    else:
        rows["task"], rows["tasks"] = np.zeros(n_rows, np.int64), [task or "?"]
    complete = [c for c in (("question", "question_index") if by_text else ("question_index", "question"))
                if c in columns and columns[c].null_count == 0]
    if not complete:
        raise GnosisError(f"{paths[0]}: no question_index or question column set in every row "
                          "to tell questions apart")
    local = _codes(columns["question"])[0] if complete[0] == "question" else columns["question_index"].to_numpy()
    local = local - min(0, int(local.min(initial=0)))  # negative indices would break the packed key
    _, rows["question"] = np.unique(rows["task"] * (int(local.max(initial=0)) + 1) + local, return_inverse=True)
    rows["question"] = rows["question"].reshape(-1)
    sample = (columns["sample_index"].fill_null(0).to_numpy(zero_copy_only=False)
              if "sample_index" in columns else np.zeros(n_rows, np.int64))
    rows["rank"] = _rank(rows["question"], sample)
    if "extracted_answer" in columns:
        rows["answer"] = _answer_classes(columns["extracted_answer"], rows["task"], rows["tasks"])
    if "original_source" in columns:
        rows["source"], rows["sources"] = _codes(columns["original_source"])
    if "grade_status" in columns:
        rows["status"], rows["statuses"] = _codes(columns["grade_status"].fill_null("?"))
    else:  # before grade_status existed, only parsed / unparsed can be told apart
        rows["status"], rows["statuses"] = np.where(rows["parsed"], 0, 1), ["ok", "unparsed"]
    rows["status_derived"] = "grade_status" not in columns
    if "grade_detail" in columns:
        rows["detail"], rows["details"] = _codes(columns["grade_detail"])
    if "finish_reason" in columns:
        rows["length_stop"] = pc.fill_null(pc.equal(columns["finish_reason"], "length"), False).to_numpy(
            zero_copy_only=False)
    if "two_step_applied" in columns:
        rows["forced"] = columns["two_step_applied"].fill_null(False).to_numpy(zero_copy_only=False)
    if "num_output_tokens" in columns:
        rows["tokens"] = columns["num_output_tokens"].to_numpy(zero_copy_only=False)  # NaN where null
    return rows


def _rank(question: np.ndarray, sample: np.ndarray) -> np.ndarray:
    """Each row's position among its question's rows, by sample_index then file order."""
    order = np.lexsort((np.arange(len(question)), sample, question))
    ordered = question[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]]) if len(order) else np.zeros(0, np.int64)
    rank = np.empty(len(question), np.int64)
    rank[order] = np.arange(len(question)) - np.repeat(starts, np.diff(np.r_[starts, len(question)]))
    return rank


# ---------------------------------------------------------------- answer normalisation

# Answers count as the same vote when equal after their task's normalisation. These are cheap
# vectorised string rewrites (Arrow regexes), not the graders: they merge the spellings that
# commonly differ ("\dfrac{1}{2}" / "\frac12" do not merge; "x = 4" / "4" do).
_MATH_REWRITES = (
    (r"\\(?:text|textbf|mathrm|mathbf|mbox)\{([^{}]*)\}", r"\1"),
    (r"\\left|\\right|\\[,;:! ]|\$|\s+", ""),
    (r"\\[dt]frac", r"\\frac"),
    (r"\^\{?\\circ\}?|\\%|%", ""),
    (r"^[A-Za-z]=", ""),
    (r"(\d),(\d\d\d)", r"\1\2"),
    (r"^(-?\d+)\.0*$", r"\1"),
    (r"\.$", ""),
)
_TEXT_REWRITES = ((r"[^\w\s]", " "), (r"\b(?:a|an|the)\b", " "), (r"\s+", " "))
_LETTER = r"^[\s(\[{*]*([A-J])(?:[\s)\]}.:*].*|)$"


def _math_key(answers):
    for pattern, replacement in _MATH_REWRITES:
        answers = pc.replace_substring_regex(answers, pattern, replacement)
    return answers


def _text_key(answers):
    answers = pc.replace_substring_regex(answers, r"\\(?:text|textbf|mathrm)\{([^{}]*)\}", r"\1")
    # "São Paulo" and "Sao Paulo" are one vote: decompose, then drop the accents
    answers = pc.replace_substring_regex(pc.utf8_normalize(answers, "NFKD"), r"\p{Mn}", "")
    answers = pc.utf8_lower(answers)
    for pattern, replacement in _TEXT_REWRITES:
        answers = pc.replace_substring_regex(answers, pattern, replacement)
    return pc.utf8_trim_whitespace(answers)


def _letter_key(answers):
    unwrapped = pc.replace_substring_regex(answers, r"\\text(?:bf)?\{([^{}]*)\}", r"\1")
    letter = pc.replace_substring_regex(unwrapped, _LETTER, r"\1")
    return pc.if_else(pc.match_substring_regex(unwrapped, _LETTER), letter, _text_key(unwrapped))


NORMALISERS = {"math-verify": _math_key, "dapo-math": _math_key, "mcq-letter": _letter_key,
               "trivia-aliases": _text_key}


def normaliser_for(task: str):
    """The answer normaliser for a task, chosen by its grader; plain text folding otherwise."""
    from gnosis_core import registry

    try:
        grader = registry.get_task(task).grader
    except GnosisError:
        return _text_key
    return NORMALISERS.get(grader, _text_key)


def _answer_classes(answers, task_codes: np.ndarray, tasks: list) -> np.ndarray:
    """One integer per row: equal for answers equal after their task's normalisation; -1 for none."""
    answers = answers.combine_chunks() if isinstance(answers, pa.ChunkedArray) else answers
    if len(tasks) == 1:
        keys = normaliser_for(str(tasks[0]))(answers)
    else:  # each task's rule on its own rows, and one task's "4" is not another's
        keys = pc.coalesce(*(pc.if_else(pa.array(task_codes == code), normaliser_for(str(task))(answers), None)
                             for code, task in enumerate(tasks)))
        keys = pc.binary_join_element_wise(pa.array(task_codes.astype(str)), keys, "\x1f")
    keys = pc.if_else(pc.equal(pc.utf8_length(pc.fill_null(answers, "")), 0), None, keys)
    return _codes(keys)[0]


# ---------------------------------------------------------------- the numbers


def pass_at_k(n: np.ndarray, c: np.ndarray, k_max: int) -> np.ndarray:
    """Unbiased pass@k (Chen et al., 2021) for k = 1..k_max, one row per (n, c); NaN where n < k.

    1 - C(n-c, k)/C(n, k) as 1 - prod_{j<k} (n-c-j)/(n-j): every factor lies in [0, 1], so no
    binomial ever overflows, and a factor of 0 (fewer than k wrong samples) makes it exactly 1.
    """
    n, c = np.asarray(n, np.float64)[:, None], np.asarray(c, np.float64)[:, None]
    j = np.arange(k_max, dtype=np.float64)[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        factors = np.where(n - j > 0, np.clip(n - c - j, 0, None) / (n - j), np.nan)
    values = 1.0 - np.cumprod(factors, axis=1)
    values[np.broadcast_to(j + 1 > n, values.shape)] = np.nan
    return values


def maj_at_k(question: np.ndarray, rank: np.ndarray, answer: np.ndarray, label: np.ndarray,
             n_questions: int, ks: list[int]) -> np.ndarray:
    """maj@k for each k in ``ks``, one row per question (NaN where the question has fewer than k rows).

    ``answer`` holds one class per row (-1: no answer, no vote); ``rank`` orders a question's rows
    (0..n-1). A question's score is the mean over windows of k consecutive samples (cyclically),
    starting at up to MAJ_WINDOWS evenly spaced samples: so maj@1 is the mean over all samples, as
    pass@1 is, and not the luck of the first one.
    """
    n = np.bincount(question, minlength=n_questions)
    out = np.zeros((n_questions, len(ks)))
    voting = answer >= 0
    if voting.any():
        q, a, r, lab = question[voting], answer[voting], rank[voting], label[voting].astype(np.float64)
        n_row = n[q]
        windows = np.minimum(n, MAJ_WINDOWS)
        width = int(a.max()) + 1
        pairs, pair = np.unique(q * width + a, return_inverse=True)
        pair, pair_q = pair.reshape(-1), pairs // width
        starts = np.flatnonzero(np.r_[True, pair_q[1:] != pair_q[:-1]])
        for column, k in enumerate(ks):
            for w in range(MAJ_WINDOWS):
                offset = w * n_row // np.maximum(windows[q], 1)
                inside = (w < windows[q]) & ((r - offset) % n_row < k)
                out[:, column] += _vote(pair[inside], lab[inside], len(pairs), pair_q, starts, n_questions)
        out /= np.maximum(windows, 1)[:, None]
    out[np.asarray(ks)[None, :] > n[:, None]] = np.nan
    return out


def _vote(pair: np.ndarray, label: np.ndarray, n_pairs: int, pair_q: np.ndarray, starts: np.ndarray,
          n_questions: int) -> np.ndarray:
    """Each question's score for one window: correct share of the top answer, ties averaged."""
    votes = np.bincount(pair, minlength=n_pairs)
    correct = np.bincount(pair, weights=label, minlength=n_pairs)
    top = np.repeat(np.maximum.reduceat(votes, starts), np.diff(np.r_[starts, n_pairs]))
    winner = (votes == top) & (votes > 0)
    score = np.bincount(pair_q, weights=np.where(winner, correct / np.maximum(votes, 1), 0.0), minlength=n_questions)
    winners = np.bincount(pair_q, weights=winner, minlength=n_questions)
    return np.divide(score, winners, out=np.zeros(n_questions), where=winners > 0)


def bootstrap_interval(num: np.ndarray, den: np.ndarray) -> np.ndarray | None:
    """95% percentile intervals of sum(num)/sum(den) over questions resampled with replacement.

    ``num`` and ``den`` hold one row per question (columns: several statistics at once). The
    resampling draws counts of each distinct row from a multinomial, which is the same as
    drawing questions but costs the number of distinct rows, not of questions.
    Returns a (2, columns) array, or None with fewer than two questions.
    """
    num, den = np.atleast_2d(np.asarray(num, np.float64).T).T, np.atleast_2d(np.asarray(den, np.float64).T).T
    if len(num) < 2:
        return None
    width = num.shape[1]
    distinct, counts = _distinct_rows(np.nan_to_num(np.hstack([num, den]), nan=0.0))
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    weights = rng.multinomial(len(num), counts / counts.sum(), size=BOOTSTRAP_RESAMPLES).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        samples = (weights @ distinct[:, :width]) / (weights @ distinct[:, width:])
    if np.isnan(samples).all():
        return None
    with np.errstate(all="ignore"):
        return np.nanpercentile(samples, [2.5, 97.5], axis=0)


def _distinct_rows(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of a matrix and how often each occurs (np.unique(axis=0), minus its
    slow byte-wise comparisons)."""
    ordered = matrix[np.lexsort(matrix.T[::-1])]
    first = np.flatnonzero(np.r_[True, (ordered[1:] != ordered[:-1]).any(axis=1)])
    return ordered[first], np.diff(np.r_[first, len(ordered)])


def _estimate(value: float | None, interval=None) -> dict:
    return {"value": _round(value), "ci95": None if interval is None or np.isnan(interval).any()
            else [_round(interval[0]), _round(interval[1])]}


def _round(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return round(float(value), 6)


def _ratio(num, den):
    return float(num) / float(den) if den else None


def metrics(rows: dict, mask: np.ndarray) -> dict:
    """Every number of one group of rows (a run, a task, a source)."""
    label, parsed = rows["label"][mask], rows["parsed"][mask]
    _, question = np.unique(rows["question"][mask], return_inverse=True)
    question = question.reshape(-1)
    n_q = int(question.max()) + 1 if len(question) else 0
    n = np.bincount(question, minlength=n_q)
    c = np.bincount(question, weights=label, minlength=n_q)
    n_parsed = np.bincount(question, weights=parsed, minlength=n_q)
    k_max = int(min(n.max(initial=0), MAX_K))
    result = {"questions": n_q, "completions": int(mask.sum()), "parsed": int(parsed.sum()),
              "correct": int(label.sum()),
              "samples_per_question": {"min": int(n.min()) if n_q else 0, "max": int(n.max(initial=0)),
                                       "mean": _round(n.mean()) if n_q else None}}
    result["parsed_share"] = _round(_ratio(result["parsed"], result["completions"]))
    ones = np.ones(n_q)
    result["accuracy"] = _estimate(_ratio(c.sum(), n.sum()), _first(bootstrap_interval(c, n)))
    result["accuracy_parsed"] = _estimate(_ratio(c.sum(), n_parsed.sum()), _first(bootstrap_interval(c, n_parsed)))
    per_q = np.divide(c, n, out=np.zeros(n_q), where=n > 0)
    result["pass_at_1"] = _estimate(per_q.mean() if n_q else None, _first(bootstrap_interval(per_q, ones)))
    result["pass_at_k"] = _curve(_pass_matrix(n, c, k_max), list(range(1, k_max + 1)))
    if "answer" in rows:
        rank = rows["rank"][mask]
        ks = _powers(k_max)
        result["maj_at_k"] = _curve(maj_at_k(question, rank, rows["answer"][mask], label, n_q, ks), ks)
    else:
        result["maj_at_k"] = None
    result["buckets"] = _buckets(n_parsed, np.bincount(question, weights=label * parsed, minlength=n_q))
    result["two_step"] = _two_step(rows, mask, label)
    statuses = np.bincount(rows["status"][mask], minlength=len(rows["statuses"]))
    result["grade_status"] = {str(s): int(k) for s, k in zip(rows["statuses"], statuses) if k}
    result["grade_status_derived"] = bool(rows["status_derived"])
    result["grade_details"] = _top_details(rows, mask) if "detail" in rows else None
    result["lengths"] = _lengths(rows["tokens"][mask], label) if "tokens" in rows else None
    return result


def _top_details(rows: dict, mask: np.ndarray, top: int = 10) -> list[dict]:
    """The most frequent (status, grade_detail) pairs of the rows not graded ok: why rows failed."""
    status, detail = rows["status"][mask], rows["detail"][mask]
    ok = rows["statuses"].index("ok") if "ok" in rows["statuses"] else -1
    failed = (detail >= 0) & (status != ok)
    pairs, counts = np.unique(status[failed] * (len(rows["details"]) + 1) + detail[failed], return_counts=True)
    order = np.argsort(-counts, kind="stable")[:top]
    width = len(rows["details"]) + 1
    return [{"status": str(rows["statuses"][pairs[i] // width]), "detail": str(rows["details"][pairs[i] % width]),
             "rows": int(counts[i])} for i in order]


def _first(interval):
    return None if interval is None else interval[:, 0]


def _pass_matrix(n: np.ndarray, c: np.ndarray, k_max: int) -> np.ndarray:
    """pass@k per question, computed once per distinct (n, c)."""
    if not len(n):
        return np.zeros((0, k_max))
    distinct, inverse = np.unique(np.stack([n, c], 1), axis=0, return_inverse=True)
    return pass_at_k(distinct[:, 0], distinct[:, 1], k_max)[inverse.reshape(-1)]


def _curve(per_question: np.ndarray, ks: list[int]) -> list[dict]:
    """Mean over the questions with at least k samples, with its interval, for each k."""
    if not per_question.size:
        return []
    valid = ~np.isnan(per_question)
    intervals = bootstrap_interval(np.where(valid, per_question, 0.0), valid.astype(np.float64))
    out = []
    for column, k in enumerate(ks):
        count = int(valid[:, column].sum())
        value = float(per_question[valid[:, column], column].mean()) if count else None
        interval = None if intervals is None or count < 2 else intervals[:, column]
        out.append({"k": k, "questions": count, **_estimate(value, interval)})
    return out


def _buckets(n_parsed: np.ndarray, c_parsed: np.ndarray) -> dict:
    """Merge's buckets over each question's parsed rows; no_parsed: questions merge drops."""
    from gnosis_core.stages.merge import _buckets as merge_buckets

    found = merge_buckets(n_parsed, c_parsed)
    counts = {b: int(np.count_nonzero(found[b])) for b in ("all_correct", "mixed", "all_wrong")}
    counts["no_parsed"] = int(np.count_nonzero(n_parsed == 0))
    total = len(n_parsed)
    return {"questions": counts, "shares": {b: _round(_ratio(v, total)) for b, v in counts.items()}}


def _two_step(rows: dict, mask: np.ndarray, label: np.ndarray) -> dict | None:
    if "forced" not in rows and "length_stop" not in rows:
        return None
    out = {}
    if "forced" in rows:
        forced = rows["forced"][mask]
        out.update(forced=int(forced.sum()), forced_share=_round(_ratio(forced.sum(), len(forced))),
                   accuracy_forced=_round(_ratio(label[forced].sum(), forced.sum())),
                   accuracy_natural=_round(_ratio(label[~forced].sum(), (~forced).sum())))
    if "length_stop" in rows:
        stopped = rows["length_stop"][mask]
        out.update(length_stops=int(stopped.sum()), length_share=_round(_ratio(stopped.sum(), len(stopped))))
    return out


def _lengths(tokens: np.ndarray, label: np.ndarray) -> dict | None:
    known = ~np.isnan(tokens)
    tokens, label = tokens[known], label[known]
    if not len(tokens):
        return None
    edges = np.histogram_bin_edges(tokens, bins=HISTOGRAM_BINS)
    correct = label == 1
    deciles = []
    cuts = np.quantile(tokens, np.linspace(0, 1, 11))
    # many equal lengths (e.g. every truncated completion) can fill several deciles: those merge
    which = np.searchsorted(cuts[1:-1], tokens, side="right")
    for d in range(10):
        inside = which == d
        if inside.any():
            deciles.append({"decile": d + 1, "rows": int(inside.sum()), "min_tokens": _round(tokens[inside].min()),
                            "median_tokens": _round(np.median(tokens[inside])),
                            "max_tokens": _round(tokens[inside].max()), "accuracy": _round(label[inside].mean())})
    return {
        "mean_tokens_correct": _round(tokens[correct].mean()) if correct.any() else None,
        "mean_tokens_incorrect": _round(tokens[~correct].mean()) if (~correct).any() else None,
        "histogram": {"edges": [_round(e) for e in edges],
                      "correct": np.histogram(tokens[correct], edges)[0].tolist(),
                      "incorrect": np.histogram(tokens[~correct], edges)[0].tolist()},
        "deciles": deciles,
    }


def build_report(runs: list[Run], by: str | None) -> dict:
    groups = []
    for run in runs:
        rows = run.rows
        everything = np.ones(len(rows["label"]), bool)
        for code, task in enumerate(rows["tasks"]):
            in_task = rows["task"] == code
            groups.append({"run": run.name, "task": str(task), "source": None, **metrics(rows, in_task)})
            if by and "source" in rows:
                for s, source in sorted(enumerate(rows["sources"]), key=lambda item: str(item[1])):
                    in_source = in_task & (rows["source"] == s)
                    if in_source.any():
                        groups.append({"run": run.name, "task": str(task), "source": str(source),
                                       **metrics(rows, in_source)})
        if len(rows["tasks"]) > 1:
            groups.append({"run": run.name, "task": "all", "source": None, **metrics(rows, everything)})
    return {
        "tool": "gnosis report",
        "definitions": {
            "pass_at_k": "unbiased estimator 1 - C(n-c,k)/C(n,k) (Chen et al., 2021), mean over questions with n >= k",
            "maj_at_k": "majority vote over the normalised extracted answers of k consecutive samples (by "
                        f"sample_index, cyclically), averaged over up to {MAJ_WINDOWS} evenly spaced windows; a tie "
                        "scores the mean over the tied answers; a window without any answer scores 0; "
                        "k = 1, 2, 4, ... and n",
            "ci95": f"percentile bootstrap over questions, {BOOTSTRAP_RESAMPLES} resamples, seed {BOOTSTRAP_SEED}",
            "buckets": "as merge: over each question's parsed rows; no_parsed = questions without a parsed row",
            "accuracy": "correct rows / rows; accuracy_parsed: correct rows / parsed rows",
        },
        "by": by,
        "runs": [{"name": r.name, "dir": r.dir, "kind": r.kind, "files": r.shards,
                  "tasks": [str(t) for t in r.rows["tasks"]], "rows": int(len(r.rows["label"])),
                  "composition": composition(r) if r.kind == "merge" else None} for r in runs],
        "groups": groups,
    }


def composition(run: Run) -> dict:
    """A merge's task x bucket x label make-up: before from stats.json, after from the merged rows."""
    rows = run.rows
    question, label, parsed = rows["question"], rows["label"], rows["parsed"]
    n_q = int(question.max()) + 1 if len(question) else 0
    n_parsed = np.bincount(question, weights=parsed, minlength=n_q)
    c_parsed = np.bincount(question, weights=label * parsed, minlength=n_q)
    from gnosis_core.stages.merge import _buckets as merge_buckets

    bucket_of_q = np.full(n_q, "no_parsed", object)
    for name, is_in in merge_buckets(n_parsed, c_parsed).items():
        bucket_of_q[is_in] = name
    task_of_q = np.zeros(n_q, np.int64)
    task_of_q[question] = rows["task"]
    after = {}
    for code, task in enumerate(rows["tasks"]):
        in_task = rows["task"] == code
        cell = {"rows": int(in_task.sum()),
                "questions": {b: int(np.count_nonzero((task_of_q == code) & (bucket_of_q == b))) for b in BUCKETS},
                "rows_by_bucket_label": {}}
        row_bucket = bucket_of_q[question[in_task]]
        for b in BUCKETS:
            for value in (1, 0):
                count = int(np.count_nonzero((row_bucket == b) & (label[in_task] == value)))
                if count:
                    cell["rows_by_bucket_label"][f"{b}/{value}"] = count
        after[str(task)] = cell
    before = None
    stats = run.stats or {}
    if "before" in stats:
        per_task = stats.get("availability", {}).get("per_task", {})
        before = {task: {"rows": stats["before"].get("per_task_rows", {}).get(task),
                         "questions": per_task.get(task)} for task in stats["before"].get("per_task_rows", {})}
        before["all"] = {"rows": stats["before"].get("rows_considered"), "questions": stats["before"].get("buckets"),
                         "labels": stats["before"].get("labels")}
    return {"before": before, "after": after, "stats_json": bool(stats)}


# ---------------------------------------------------------------- tables


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[str]]
    note: str = ""


def _pct(value) -> str:
    return "-" if value is None else f"{100 * value:.1f}"


def _with_ci(estimate: dict | None) -> str:
    if not estimate or estimate["value"] is None:
        return "-"
    ci = estimate["ci95"]
    return _pct(estimate["value"]) + (f" [{_pct(ci[0])}, {_pct(ci[1])}]" if ci else "")


def _at(curve: list | None, k: int) -> dict | None:
    return next((point for point in curve or () if point["k"] == k), None)


def _n(group: dict) -> int:
    return group["samples_per_question"]["max"]


def _who(group: dict, report: dict) -> list[str]:
    cells = [group["run"]] if len(report["runs"]) > 1 else []
    cells.append(group["task"])
    if report["by"]:
        cells.append(group["source"] or "(all)")
    return cells


def _who_columns(report: dict) -> list[str]:
    return (["run"] if len(report["runs"]) > 1 else []) + ["task"] + ([report["by"]] if report["by"] else [])


def tables(report: dict, brief: bool = False) -> list[Table]:
    groups = report["groups"]
    who = _who_columns(report)
    main = Table("Accuracy (%; 95% bootstrap interval over questions)",
                 who + ["questions", "completions", "parsed", "acc", "acc parsed", "pass@1", "pass@n", "maj@n", "n",
                        "all-correct/mixed/all-wrong/no-parse"],
                 [], "n: samples per question (pass@n, maj@n at the largest n)")
    for g in groups:
        n = _n(g)
        shares = g["buckets"]["shares"]
        main.rows.append(_who(g, report) + [
            f"{g['questions']:,}", f"{g['completions']:,}", _pct(g["parsed_share"]), _pct(g["accuracy"]["value"]),
            _pct(g["accuracy_parsed"]["value"]), _with_ci(g["pass_at_1"]), _with_ci(_at(g["pass_at_k"], n)),
            _with_ci(_at(g["maj_at_k"], n)), str(n), "/".join(_pct(shares[b]) for b in BUCKETS)])
    if brief:
        main.columns = [c for c in main.columns if c not in ("acc", "acc parsed")]
        main.rows = [r[:len(who) + 3] + r[len(who) + 5:] for r in main.rows]
        return [main]
    ks = sorted({k for g in groups for k in _powers(_n(g))})
    out = [main]
    out.append(Table("pass@k (%)", who + [f"k={k}" for k in ks],
                     [_who(g, report) + [_with_ci(_at(g["pass_at_k"], k)) for k in ks] for g in groups]))
    if any(g["maj_at_k"] for g in groups):
        out.append(Table("maj@k (%)", who + [f"k={k}" for k in ks],
                         [_who(g, report) + [_with_ci(_at(g["maj_at_k"], k)) for k in ks] for g in groups],
                         "majority vote over the first k samples' normalised answers; ties score the mean of the "
                         "tied answers; no answer scores 0"))
    out.append(Table("Buckets (questions, as merge counts them over parsed rows)",
                     who + ["all-correct", "mixed", "all-wrong", "no parsed answer"],
                     [_who(g, report) + [f"{g['buckets']['questions'][b]:,} ({_pct(g['buckets']['shares'][b])}%)"
                                         for b in BUCKETS] for g in groups]))
    steps = [g for g in groups if g["two_step"]]
    if steps:
        out.append(Table("Two-step answers and truncation (%)",
                         who + ["forced", "acc forced", "acc natural", "finish=length"],
                         [_who(g, report) + [_pct(g["two_step"].get("forced_share")),
                                             _pct(g["two_step"].get("accuracy_forced")),
                                             _pct(g["two_step"].get("accuracy_natural")),
                                             _pct(g["two_step"].get("length_share"))] for g in steps]))
    statuses = list(dict.fromkeys([*STATUSES, *(s for g in groups for s in g["grade_status"])]))
    statuses = [s for s in statuses if any(s in g["grade_status"] for g in groups)]
    derived = any(g["grade_status_derived"] for g in groups)
    out.append(Table("Grading status (rows)", who + statuses,
                     [_who(g, report) + [f"{g['grade_status'].get(s, 0):,}" for s in statuses] for g in groups],
                     "derived from pred_parsed (the shards have no grade_status column)" if derived else ""))
    details = [(g, d) for g in groups if g["task"] != "all" and not g["source"] for d in g["grade_details"] or ()]
    if details:
        out.append(Table("Most frequent grading details (rows not graded ok)", who + ["status", "detail", "rows"],
                         [_who(g, report) + [d["status"], d["detail"], f"{d['rows']:,}"] for g, d in details]))
    lengths = [g for g in groups if g["lengths"]]
    if lengths:
        out.append(Table("Output tokens and accuracy by length decile",
                         who + ["mean tokens correct", "mean tokens wrong"] + [f"d{d}" for d in range(1, 11)],
                         [_who(g, report) + [_num(g["lengths"]["mean_tokens_correct"]),
                                             _num(g["lengths"]["mean_tokens_incorrect"])] + _decile_cells(g)
                          for g in lengths],
                         "dN: accuracy (%) of the N-th tenth of completions by length, shortest first "
                         "(@ median tokens)"))
    for run in report["runs"]:
        if run["composition"]:
            out.append(_composition_table(run))
    return out


def _powers(n: int) -> list[int]:
    ks = [k for k in (1, 2, 4, 8, 16, 32, 64, 128, 256) if k <= n]
    return ks + ([n] if n and n not in ks else [])


def _num(value) -> str:
    return "-" if value is None else f"{value:,.0f}"


def _decile_cells(group: dict) -> list[str]:
    cells = {d["decile"]: f"{_pct(d['accuracy'])} @{_num(d['median_tokens'])}" for d in group["lengths"]["deciles"]}
    return [cells.get(d, "-") for d in range(1, 11)]


def _composition_table(run: dict) -> Table:
    comp = run["composition"]
    table = Table(f"Merge composition: {run['name']} (questions by bucket; rows by label)",
                  ["task", "rows before", "rows after", *(f"{b} q before/after" for b in BUCKETS[:3]),
                   "label 1 rows after", "label 0 rows after"], [],
                  "before: stats.json (parsed rows of the inputs); after: merged_balanced.parquet")
    for task, after in comp["after"].items():
        before = (comp["before"] or {}).get(task) or {}
        by_label = {v: sum(c for key, c in after["rows_by_bucket_label"].items() if key.endswith(f"/{v}"))
                    for v in (1, 0)}
        table.rows.append([task, _num(before.get("rows")), f"{after['rows']:,}",
                           *(f"{_num((before.get('questions') or {}).get(b))}/{after['questions'][b]:,}"
                             for b in BUCKETS[:3]),
                           f"{by_label[1]:,}", f"{by_label[0]:,}"])
    return table


def text_table(report: dict, brief: bool = False) -> str:
    """The accuracy table, columns aligned, for the terminal."""
    table = tables(report, brief)[0]
    widths = [max([len(c)] + [len(r[i]) for r in table.rows]) for i, c in enumerate(table.columns)]
    lines = [("report: " if brief else "") + table.title,
             "  ".join(c.upper().ljust(w) for c, w in zip(table.columns, widths)).rstrip()]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip() for row in table.rows]
    return "\n".join(lines)


def markdown(report: dict, plots: dict[str, bytes]) -> str:
    lines = ["# gnosis report", "", "| run | kind | dir | rows | tasks |", "|---|---|---|---:|---|"]
    lines += [f"| {r['name']} | {r['kind']} | `{r['dir']}` | {r['rows']:,} | {', '.join(r['tasks'])} |"
              for r in report["runs"]]
    for table in tables(report):
        lines += ["", f"## {table.title}", "", "| " + " | ".join(table.columns) + " |",
                  "|" + "|".join("---" if i < len(_who_columns(report)) else "---:"
                                 for i in range(len(table.columns))) + "|"]
        lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in table.rows]
        if table.note:
            lines += ["", f"_{table.note}_"]
    if plots:
        lines += ["", "## Plots", ""]
        lines += [f"### {PLOT_TITLES[name]}\n\n{PLOT_CAPTIONS[name]}\n\n![{PLOT_TITLES[name]}]({name}.png)\n"
                  for name in plots]
    lines += ["", "Every number is in `report.json`.", ""]
    return "\n".join(lines)


def html_page(report: dict, plots: dict[str, bytes], note: str = "") -> str:
    """One self-contained page: tables and plots (PNG data URIs), no external resource."""
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             "<title>gnosis report</title>", f"<style>{_CSS}</style></head><body>",
             "<h1>gnosis report</h1>"]
    parts.append("<table><tr><th>run</th><th>kind</th><th>dir</th><th>rows</th><th>tasks</th></tr>" + "".join(
        f"<tr><td>{_e(r['name'])}</td><td>{_e(r['kind'])}</td><td><code>{_e(r['dir'])}</code></td>"
        f"<td class=n>{r['rows']:,}</td><td>{_e(', '.join(r['tasks']))}</td></tr>" for r in report["runs"])
        + "</table>")
    if note:
        parts.append(f"<p class=note>{_e(note)}</p>")
    who = len(_who_columns(report))
    main, *rest = tables(report)
    parts.append(_html_table(main, who))  # the numbers first, then the pictures, then the details
    for name, png in plots.items():
        parts.append(f"<figure><figcaption><b>{_e(PLOT_TITLES[name])}</b> {_e(PLOT_CAPTIONS[name])}</figcaption>"
                     f'<img alt="{_e(PLOT_TITLES[name])}" src="data:image/png;base64,'
                     f'{base64.b64encode(png).decode("ascii")}"></figure>')
    parts += [_html_table(table, who) for table in rest]
    parts.append("<p class=note>Every number is in report.json beside this page.</p></body></html>")
    return "\n".join(parts) + "\n"


def _html_table(table: Table, who: int) -> str:
    return (f"<h2>{_e(table.title)}</h2><table><tr>" + "".join(f"<th>{_e(c)}</th>" for c in table.columns) + "</tr>"
            + "".join("<tr>" + "".join(f"<td{'' if i < who else ' class=n'}>{_e(v)}</td>" for i, v in enumerate(row))
                      + "</tr>" for row in table.rows)
            + "</table>" + (f"<p class=note>{_e(table.note)}</p>" if table.note else ""))


def _e(text) -> str:
    return html.escape(str(text), quote=True)


_CSS = ("body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1400px}"
        "table{border-collapse:collapse;margin:.5em 0 1em}th,td{border:1px solid #ccc;padding:.25em .6em}"
        "th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums}"
        "figure{margin:1em 0}figure img{max-width:100%;border:1px solid #eee}.note{color:#666;font-size:.9em}")


# ---------------------------------------------------------------- plots

PLOT_TITLES = {
    "accuracy": "pass@1 per task",
    "pass_at_k": "pass@k and maj@k",
    "buckets": "Question buckets",
    "lengths": "Output length of correct and incorrect completions",
    "length_deciles": "Accuracy by length decile",
    "two_step": "Natural vs forced answers",
    "composition": "Merge composition before and after",
}
PLOT_CAPTIONS = {
    "accuracy": "Mean share of correct samples per question, per task (and source) and run; "
                "error bars: 95% bootstrap interval over questions.",
    "pass_at_k": "Chance that at least one of k samples is correct (solid) and that the majority answer of k "
                 "samples is correct (dashed), for k = 1..n; bands: 95% intervals.",
    "buckets": "Share of questions whose parsed samples are all correct, mixed, all wrong, or that have no "
               "parsed answer: what merge has to balance.",
    "lengths": "Histogram of output tokens of correct vs incorrect completions: a gap means length predicts "
               "failure.",
    "length_deciles": "Completions split into tenths by output length; accuracy of each tenth against its "
                      "median length.",
    "two_step": "Accuracy of answers the model gave on its own vs answers forced after </think>; the labels "
                "give the share of forced answers and of completions cut at the token limit.",
    "composition": "Questions per bucket and rows per label of each task, before (inputs) and after merging.",
}
_BUCKET_COLOURS = {"all_correct": "#2e7d32", "mixed": "#f9a825", "all_wrong": "#c62828", "no_parsed": "#9e9e9e"}


def _series_name(group: dict, report: dict) -> str:
    parts = [group["run"]] if len(report["runs"]) > 1 else []
    if group["task"] not in parts:  # a run named after its only task is named once
        parts.append(group["task"])
    if group["source"]:
        parts.append(group["source"])
    elif report["by"]:
        parts.append("all sources")
    return " / ".join(parts)


def draw_plots(report: dict) -> dict[str, bytes]:
    """Every plot as PNG bytes (matplotlib's Agg canvas, no display needed)."""
    from matplotlib.figure import Figure

    groups = [g for g in report["groups"] if g["task"] != "all" or len(report["groups"]) == 1]
    out = {}
    for name, draw in (("accuracy", _plot_accuracy), ("pass_at_k", _plot_pass_at_k), ("buckets", _plot_buckets),
                       ("lengths", _plot_lengths), ("length_deciles", _plot_deciles), ("two_step", _plot_two_step),
                       ("composition", _plot_composition)):
        fig = draw(Figure, groups, report)
        if fig is not None:
            buffer = io.BytesIO()
            fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
            out[name] = buffer.getvalue()
    return out


def _plot_accuracy(Figure, groups, report):
    """Bars of pass@1 per task (and source), one colour per run, side by side where runs share a task."""
    categories = list(dict.fromkeys((g["task"], g["source"]) for g in groups))
    runs = list(dict.fromkeys(g["run"] for g in groups))
    per_category = [[g for g in groups if (g["task"], g["source"]) == c and g["pass_at_1"]["value"] is not None]
                    for c in categories]
    width = 0.8 / max(1, max(len(bars) for bars in per_category))
    fig = Figure(figsize=(min(16, max(6, 0.9 * sum(map(len, per_category)) + 2)), 4.2))
    ax = fig.add_subplot()
    labelled = set()
    for i, bars in enumerate(per_category):
        for j, g in enumerate(bars):
            x = i + (j - (len(bars) - 1) / 2) * width
            value, ci = 100 * g["pass_at_1"]["value"], g["pass_at_1"]["ci95"]
            err = [[value - 100 * ci[0]], [100 * ci[1] - value]] if ci else None
            colour = f"C{runs.index(g['run'])}" if len(runs) > 1 else "C0"
            ax.bar(x, value, width * 0.9, yerr=err, capsize=3, color=colour,
                   label=g["run"] if g["run"] not in labelled else None)
            labelled.add(g["run"])
            ax.annotate(f"{value:.1f}", (x, value), xytext=(0, 2), textcoords="offset points", ha="center",
                        va="bottom", fontsize=8)
    ax.set_xticks(range(len(categories)), [f"{t}\n{s or 'all sources'}" if report["by"] else t
                                           for t, s in categories], fontsize=9)
    ax.set_ylabel("pass@1 (%)")
    ax.set_ylim(0, 105)
    ax.set_title("pass@1 per task, 95% bootstrap interval")
    if len(runs) > 1:
        ax.legend(title="run", fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    ax.grid(axis="y", alpha=0.3)
    return fig


def _plot_pass_at_k(Figure, groups, report):
    curves = [g for g in groups if len(g["pass_at_k"]) > 1]
    if not curves:
        return None
    from matplotlib.lines import Line2D

    fig = Figure(figsize=(8, 4.5))
    ax = fig.add_subplot()
    handles = []
    for i, g in enumerate(curves):
        colour = f"C{i % 10}"
        for key, style in (("pass_at_k", "-"), ("maj_at_k", "--")):
            points = [p for p in (g[key] or []) if p["value"] is not None]
            if not points:
                continue
            k = [p["k"] for p in points]
            ax.plot(k, [100 * p["value"] for p in points], style, marker="o", ms=3, color=colour)
            if key == "pass_at_k" and all(p["ci95"] for p in points):
                ax.fill_between(k, [100 * p["ci95"][0] for p in points], [100 * p["ci95"][1] for p in points],
                                color=colour, alpha=0.1, linewidth=0)
        handles.append(Line2D([], [], color=colour, marker="o", ms=3, label=_series_name(g, report)))
    handles += [Line2D([], [], color="k", ls="-", label="pass@k (band: 95% CI)"),
                Line2D([], [], color="k", ls="--", label="maj@k")]
    ax.set_xscale("log", base=2)
    k_max = max(p["k"] for g in curves for p in g["pass_at_k"])
    ax.set_xticks(_powers(k_max), [str(k) for k in _powers(k_max)])
    ax.set_xlabel("k (samples per question)")
    ax.set_ylabel("score (%)")
    ax.set_title("pass@k (solid) and maj@k (dashed)")
    ax.grid(alpha=0.3)
    ax.legend(handles=handles, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    return fig


def _plot_buckets(Figure, groups, report):
    fig = Figure(figsize=(8, 0.5 * len(groups) + 1.6), layout="constrained")
    ax = fig.add_subplot()
    names = [_series_name(g, report) for g in groups]
    left = np.zeros(len(groups))
    for bucket in BUCKETS:
        shares = np.array([100 * (g["buckets"]["shares"][bucket] or 0) for g in groups])
        ax.barh(range(len(groups)), shares, left=left, color=_BUCKET_COLOURS[bucket],
                label=bucket.replace("_", " ").replace("no parsed", "no parsed answer"))
        for y, (x, w) in enumerate(zip(left, shares)):
            if w >= 6:
                ax.text(x + w / 2, y, f"{w:.0f}%", ha="center", va="center", fontsize=8, color="white")
        left += shares
    ax.set_yticks(range(len(groups)), names, fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("share of questions (%)")
    ax.set_title("Question buckets (over parsed samples, as merge counts them)")
    fig.legend(ncol=4, fontsize=8, loc="outside lower center")
    return fig


def _grid(Figure, count: int, width: float = 4.2, height: float = 3.0):
    cols = min(3, count)
    rows = math.ceil(count / cols)
    fig = Figure(figsize=(width * cols, height * rows), layout="constrained")
    return fig, [fig.add_subplot(rows, cols, i + 1) for i in range(count)]


def _plot_lengths(Figure, groups, report):
    shown = [g for g in groups if g["lengths"]]
    if not shown:
        return None
    fig, axes = _grid(Figure, len(shown))
    for ax, g in zip(axes, shown):
        hist = g["lengths"]["histogram"]
        edges = hist["edges"]
        for key, colour in (("correct", "#2e7d32"), ("incorrect", "#c62828")):
            ax.stairs(hist[key], edges, color=colour, fill=True, alpha=0.35, label=key)
            ax.stairs(hist[key], edges, color=colour)
        ax.set_title(_series_name(g, report), fontsize=9)
        ax.set_xlabel("output tokens")
        ax.set_ylabel("completions")
        ax.legend(fontsize=7)
    fig.suptitle("Output length: correct vs incorrect completions")
    return fig


def _plot_deciles(Figure, groups, report):
    shown = [g for g in groups if g["lengths"] and g["lengths"]["deciles"]]
    if not shown:
        return None
    fig = Figure(figsize=(7.5, 4.5))
    ax = fig.add_subplot()
    for i, g in enumerate(shown):
        deciles = g["lengths"]["deciles"]
        ax.plot([d["median_tokens"] for d in deciles], [100 * d["accuracy"] for d in deciles], "-o", ms=4,
                color=f"C{i}", label=_series_name(g, report))
    tokens = [d["median_tokens"] for g in shown for d in g["lengths"]["deciles"] if d["median_tokens"]]
    if tokens and max(tokens) > 20 * max(1, min(tokens)):
        ax.set_xscale("log")
    ax.set_xlabel("median output tokens of the length decile")
    ax.set_ylabel("accuracy (%)")
    ax.set_ylim(-3, 103)
    ax.set_title("Accuracy by length decile (shortest tenth on the left)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return fig


def _plot_two_step(Figure, groups, report):
    shown = [g for g in groups if g["two_step"] and "forced_share" in g["two_step"]]
    if not shown:
        return None
    fig = Figure(figsize=(max(6, 1.4 * len(shown) + 2), 4.6), layout="constrained")
    ax = fig.add_subplot()
    x = np.arange(len(shown))
    for offset, key, colour, label in ((-0.2, "accuracy_natural", "#1565c0", "natural answer"),
                                       (0.2, "accuracy_forced", "#ef6c00", "forced after </think>")):
        values = [np.nan if g["two_step"][key] is None else 100 * g["two_step"][key] for g in shown]
        ax.bar(x + offset, values, 0.38, color=colour, label=label)
        for xi, value in zip(x + offset, values):
            if np.isnan(value):  # no such answers: say so rather than draw a zero
                ax.text(xi, 1, "none", ha="center", va="bottom", fontsize=7, color=colour)
    for i, g in enumerate(shown):
        step = g["two_step"]
        text = f"forced {_pct(step['forced_share'])}%"
        if step.get("length_share") is not None:
            text += f"\nlength {_pct(step['length_share'])}%"
        ax.text(i, 102, text, ha="center", va="bottom", fontsize=8)
    ax.set_xticks(x, [_series_name(g, report).replace(" / ", "\n") for g in shown], fontsize=9)
    ax.set_ylim(0, 120)
    ax.set_yticks(range(0, 101, 20))
    ax.set_ylabel("accuracy (%)")
    ax.set_title("Natural vs forced answers (two-step generation)")
    fig.legend(fontsize=8, loc="outside lower center", ncol=2)
    return fig


def _plot_composition(Figure, groups, report):
    merges = [r for r in report["runs"] if r["composition"]]
    if not merges:
        return None
    fig, axes = _grid(Figure, 2 * len(merges), width=5.5, height=3.8)
    for m, run in enumerate(merges):
        comp = run["composition"]
        tasks = list(comp["after"])
        ax_q, ax_rows = axes[2 * m], axes[2 * m + 1]
        for t, task in enumerate(tasks):
            before = ((comp["before"] or {}).get(task) or {}).get("questions") or {}
            for offset, source, hatch in ((-0.2, before, "//"), (0.2, comp["after"][task]["questions"], None)):
                bottom = 0
                for b in BUCKETS[:3]:
                    value = source.get(b) or 0
                    ax_q.bar(t + offset, value, 0.38, bottom=bottom, color=_BUCKET_COLOURS[b], hatch=hatch,
                             edgecolor="white", label=b.replace("_", " ") if t == 0 and offset > 0 else None)
                    bottom += value
        ax_q.set_xticks(range(len(tasks)), [f"{t}\nbefore | after" for t in tasks], fontsize=8)
        tallest = max([sum((q or {}).get(b) or 0 for b in BUCKETS[:3]) for task in tasks for q in (
            ((comp["before"] or {}).get(task) or {}).get("questions"), comp["after"][task]["questions"])] + [1])
        ax_q.set_ylim(0, 1.2 * tallest)  # room for the legend above the bars
        ax_q.set_ylabel("questions")
        ax_q.set_title(f"{run['name']}: questions by bucket (hatched: before)", fontsize=9)
        ax_q.legend(fontsize=7)
        correct = [sum(c for k, c in comp["after"][t]["rows_by_bucket_label"].items() if k.endswith("/1"))
                   for t in tasks]
        wrong = [comp["after"][t]["rows"] - c for t, c in zip(tasks, correct)]
        before_rows = [((comp["before"] or {}).get(t) or {}).get("rows") for t in tasks]
        ax_rows.bar(range(len(tasks)), correct, 0.6, color="#2e7d32", label="label 1 (correct)")
        ax_rows.bar(range(len(tasks)), wrong, 0.6, bottom=correct, color="#c62828", label="label 0 (wrong)")
        if any(v is not None for v in before_rows):
            ax_rows.plot(range(len(tasks)), [v if v is not None else np.nan for v in before_rows], "k_", ms=30,
                         mew=2, label="rows before")
        ax_rows.set_xticks(range(len(tasks)), tasks, fontsize=8)
        ax_rows.set_ylim(0, 1.25 * max([v or 0 for v in before_rows] + [c + w for c, w in zip(correct, wrong)] + [1]))
        ax_rows.set_ylabel("rows")
        ax_rows.set_title(f"{run['name']}: rows per task after merge, by label", fontsize=9)
        ax_rows.legend(fontsize=7)
    return fig


# ---------------------------------------------------------------- writing


def write_outputs(report: dict, out_dir: Path, draw: bool) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    plots, note = {}, ""
    if draw:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            note = PLOTS_HINT
            print(f"gnosis: {PLOTS_HINT}", file=sys.stderr)
        else:
            plots = draw_plots(report)
    written = [shards.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", out_dir / "report.json"),
               shards.write_text(markdown(report, plots), out_dir / "report.md")]
    for name, png in plots.items():
        with shards.atomic_path(out_dir / f"{name}.png") as tmp:
            Path(tmp).write_bytes(png)
        written.append(out_dir / f"{name}.png")
    written.append(shards.write_text(html_page(report, plots, note), out_dir / "index.html"))
    return written
