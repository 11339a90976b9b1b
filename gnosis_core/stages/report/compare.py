"""Two runs on the same questions: the difference in pass@1 with a paired bootstrap interval, and
the questions that flipped. Pure numpy, like metrics: no I/O, no plotting."""
from __future__ import annotations

import numpy as np

from gnosis_core.stages.report.metrics import _estimate, bootstrap_interval

FLIPS_LISTED = 20  # questions listed per direction; the counts cover all of them


def per_question(rows: dict) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """For each task: its questions' question_index values and pass@1 (correct share of samples),
    sorted by question_index. Empty without a question_index set in every row."""
    if "question_id" not in rows:
        return {}
    question = rows["question"]
    n_q = int(question.max()) + 1 if len(question) else 0
    n = np.bincount(question, minlength=n_q)
    c = np.bincount(question, weights=rows["label"], minlength=n_q)
    ident = np.zeros(n_q, np.int64)
    ident[question] = rows["question_id"]
    task = np.zeros(n_q, np.int64)
    task[question] = rows["task"]
    out = {}
    for code, name in enumerate(rows["tasks"]):
        keep = (task == code) & (n > 0)
        order = np.argsort(ident[keep], kind="stable")
        out[str(name)] = (ident[keep][order], (c[keep] / n[keep])[order])
    return out


def paired(ids_a: np.ndarray, p_a: np.ndarray, ids_b: np.ndarray, p_b: np.ndarray) -> dict | None:
    """pass@1 of b minus a over the questions both have, with a bootstrap interval that resamples
    questions (each keeps its pair), and the questions mostly right in one run and mostly wrong
    (pass@1 above vs below 1/2) in the other. None when they share fewer than two questions."""
    shared, in_a, in_b = np.intersect1d(ids_a, ids_b, return_indices=True)
    if len(shared) < 2:
        return None
    a, b = p_a[in_a], p_b[in_b]
    diff = b - a
    interval = bootstrap_interval(diff, np.ones(len(diff)))
    better, worse = (a < 0.5) & (b > 0.5), (a > 0.5) & (b < 0.5)

    def listed(which: np.ndarray) -> list[dict]:
        order = np.argsort(-np.abs(diff[which]), kind="stable")[:FLIPS_LISTED]
        return [{"question_index": int(q), "pass_at_1_a": round(float(x), 6), "pass_at_1_b": round(float(y), 6)}
                for q, x, y in zip(shared[which][order], a[which][order], b[which][order])]

    return {"questions": int(len(shared)), "pass_at_1_a": _estimate(a.mean()), "pass_at_1_b": _estimate(b.mean()),
            "difference": _estimate(diff.mean(), None if interval is None else interval[:, 0]),
            "flipped_to_right": int(better.sum()), "flipped_to_wrong": int(worse.sum()),
            "to_right": listed(better), "to_wrong": listed(worse)}


def comparisons(runs: list) -> list[dict]:
    """Every pair of runs, per task they share by name, that have questions in common."""
    tables = [per_question(run.rows) for run in runs]
    out = []
    for i in range(len(runs)):
        for j in range(i + 1, len(runs)):
            for task in tables[i]:
                if task in tables[j]:
                    result = paired(*tables[i][task], *tables[j][task])
                    if result:
                        out.append({"a": runs[i].name, "b": runs[j].name, "task": task, **result})
    return out
