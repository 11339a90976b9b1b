"""The numbers: pass@k, maj@k, bootstrap intervals, buckets, lengths, two-step shares.

Pure functions of numpy arrays (one entry per row, as loading produces them): no file is read
or written here and nothing is drawn, so they can be tested and reused on their own.
"""
from __future__ import annotations

import math

import numpy as np

BUCKETS = ("all_correct", "mixed", "all_wrong", "no_parsed")
STATUSES = ("ok", "unparsed", "unverifiable", "timed_out", "error")
BOOTSTRAP_RESAMPLES = 1000
BOOTSTRAP_SEED = 0
MAX_K = 256  # pass@k is computed for k = 1 .. min(n, MAX_K); maj@k for k = 1, 2, 4, ... and n
MAJ_WINDOWS = 8  # maj@k averages the votes of this many windows of k samples per question
HISTOGRAM_BINS = 40


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


def build_report(runs: list, by: str | None) -> dict:
    """report.json's content for loaded runs (loading.Run: name, dir, kind, rows, stats, shards)."""
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


def composition(run) -> dict:
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



def _powers(n: int) -> list[int]:
    ks = [k for k in (1, 2, 4, 8, 16, 32, 64, 128, 256) if k <= n]
    return ks + ([n] if n and n not in ks else [])

