"""merge's selection, on one integer entry per input row (task, question id, label, parsed):
buckets, question choice, trimming, mixed balancing, caps and block order. The result is a
list of row indices in output order; an upsampled row is an index repeated, never a copy."""
from __future__ import annotations

import math

import numpy as np

from gnosis_core.stages.merge.config import task_value

BUCKETS = ("all_correct", "all_wrong", "mixed")
_UNLIMITED = np.iinfo(np.int64).max
# One random stream per step, so switching one step off leaves the others' draws unchanged.
_SELECT, _TRIM, _MIXED, _ROW_CAPS, _RATIO_CAPS, _BLOCKS = range(6)


def _rng(seed: int, step: int) -> np.random.Generator:
    return np.random.default_rng([seed, step])


def rank_within(keys: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Each element's position within its key's group, the group taken in random order."""
    if len(keys) == 0:
        return np.zeros(0, np.int64)
    # one sort on (key, random draw) packed into 64 bits; keys are below 2**31
    packed = (keys.astype(np.uint64) << np.uint64(32)) | rng.integers(0, 2**32, len(keys), np.uint64)
    order = np.argsort(packed, kind="stable")
    ordered = keys[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    run_start = np.repeat(starts, np.diff(np.r_[starts, len(keys)]))
    rank = np.empty(len(keys), np.int64)
    rank[order] = np.arange(len(keys)) - run_start
    return rank


def _per_task_limits(spec, tasks: list[str], default) -> np.ndarray:
    limits = [task_value(spec, t, default) for t in tasks]
    return np.array([_UNLIMITED if v is None or v < 0 else v for v in limits], np.int64)


def take_counts(n_ac: int, n_aw: int, ac_questions: int | None, aw_questions: int | None,
                ac_frac: float | None) -> tuple[int, int]:
    """How many all-correct and all-wrong questions to keep (the seed's rules)."""
    if ac_frac is None:
        return (n_ac if ac_questions is None else min(n_ac, ac_questions),
                n_aw if aw_questions is None else min(n_aw, aw_questions))
    if ac_questions is not None and aw_questions is not None:
        return min(n_ac, ac_questions), min(n_aw, aw_questions)
    if ac_questions is not None:  # the fraction sets the all-wrong count from the all-correct one
        return (0, 0) if ac_frac == 0 else (
            min(n_ac, ac_questions), min(n_aw, round(ac_questions * (1 - ac_frac) / ac_frac)))
    if aw_questions is not None:
        return (0, 0) if ac_frac == 1 else (
            min(n_ac, round(aw_questions * ac_frac / (1 - ac_frac))), min(n_aw, aw_questions))
    if ac_frac == 0:
        return 0, n_aw
    if ac_frac == 1:
        return n_ac, 0
    total = min(int(n_ac / ac_frac), int(n_aw / (1 - ac_frac)))
    ac_take, aw_take = math.floor(total * ac_frac), math.floor(total * (1 - ac_frac))
    # a small pool must not round a requested share down to nothing
    return min(n_ac, ac_take or int(n_ac > 0)), min(n_aw, aw_take or int(n_aw > 0))


def select(keys: dict, tasks: list[str], c: dict) -> tuple[np.ndarray, dict]:
    """The final row indices (a row may repeat when upsampled), in output order, and stats."""
    considered = keys["parsed"] if c["only_parsed"] else np.ones(len(keys["label"]), bool)
    rows = np.flatnonzero(considered)
    group, label = keys["group"][rows], keys["label"][rows]
    n_groups, group_task = keys["groups"], keys["group_task"]
    n_total, n_correct = _counts(group, label, n_groups)
    n_wrong = n_total - n_correct
    bucket = _buckets(n_total, n_correct)

    ids = {b: np.flatnonzero(bucket[b]) for b in ("all_correct", "all_wrong")}
    ac_take, aw_take = take_counts(len(ids["all_correct"]), len(ids["all_wrong"]),
                                   c["ac_questions"], c["aw_questions"], c["ac_frac"])
    rng = _rng(c["seed"], _SELECT)
    chosen = np.zeros(n_groups, bool)
    for b, count in (("all_correct", ac_take), ("all_wrong", aw_take)):
        chosen[rng.permutation(ids[b])[:count]] = True
    keep = np.where(bucket["all_correct"], _per_task_limits(c["ac_keep_per_q"], tasks, -1)[group_task],
                    _per_task_limits(c["aw_keep_per_q"], tasks, -1)[group_task])
    copies = (chosen[group] & (rank_within(group, _rng(c["seed"], _TRIM)) < keep[group])).astype(np.int64)

    mixed = bucket["mixed"][group]
    mixed_copies = _balance(group[mixed], label[mixed], n_correct, n_wrong, c["mixed_strategy"],
                            _rng(c["seed"], _MIXED))
    copies[mixed] = mixed_copies
    final = np.repeat(rows, copies)

    caps = {"row_caps": {"applied": False, "per_task": {}}, "ratio_caps": {"applied": False, "per_task": {}}}
    if c["max_rows_per_task"] is not None:
        allowed = [task_value(c["max_rows_per_task"], t, None) for t in tasks]
        final, caps["row_caps"] = _cap(final, keys["task"], tasks, allowed, _rng(c["seed"], _ROW_CAPS))
    if c["max_final_task_ratios"] is not None:
        # as in the seed, a share is taken of the rows present before this cap
        shares = [task_value(c["max_final_task_ratios"], t, None) for t in tasks]
        allowed = [None if s is None else math.floor(s * len(final)) for s in shares]
        final, caps["ratio_caps"] = _cap(final, keys["task"], tasks, allowed, _rng(c["seed"], _RATIO_CAPS))
    final = _order_blocks(final, keys["group"], n_groups, c["shuffle_blocks"], _rng(c["seed"], _BLOCKS))

    per_task_buckets = {t: {b: int(np.count_nonzero(bucket[b] & (group_task == i))) for b in BUCKETS}
                        for i, t in enumerate(tasks)}
    info = {
        "availability": {**{b: int(np.count_nonzero(bucket[b])) for b in BUCKETS}, "per_task": per_task_buckets},
        "selection": {
            "all_correct_selected": int(ac_take), "all_wrong_selected": int(aw_take),
            "mixed_rows_added": int(np.clip(mixed_copies - 1, 0, None).sum()),
            "mixed_rows_removed": int(np.count_nonzero(mixed_copies == 0)),
        },
        **caps,
        "before": {"rows_total": int(len(keys["label"])), "rows_considered": int(len(rows)),
                   **summarise(rows, keys, tasks)},
        "after": summarise(final, keys, tasks),
    }
    return final, info


def _balance(group, label, n_correct, n_wrong, strategy: str, rng) -> np.ndarray:
    """Copies of each row of the mixed questions: upsample repeats the minority label's rows
    (evenly, the remainder drawn at random) up to the majority's count; downsample keeps a
    random minority-sized subset of the majority."""
    if strategy == "none" or len(group) == 0:
        return np.ones(len(group), np.int64)
    n_same = np.where(label == 1, n_correct[group], n_wrong[group])
    rank = rank_within(group * 2 + label, rng)
    if strategy == "downsample":
        return (rank < np.minimum(n_correct, n_wrong)[group]).astype(np.int64)
    target = np.maximum(n_correct, n_wrong)[group]
    return target // n_same + (rank < target % n_same)


def _cap(final: np.ndarray, row_task: np.ndarray, tasks: list[str], allowed: list[int | None], rng):
    """Keep at most ``allowed[task]`` rows of each task (None: all), drawn at random."""
    inst_task = row_task[final]
    present = np.bincount(inst_task, minlength=len(tasks))
    limit = np.array([_UNLIMITED if a is None else a for a in allowed], np.int64)
    kept = final[rank_within(inst_task, rng) < limit[inst_task]]
    per_task = {t: {"before": int(present[i]), "allowed": allowed[i], "kept": int(min(present[i], limit[i])),
                    "removed": int(max(0, present[i] - limit[i]))} for i, t in enumerate(tasks)}
    return kept, {"applied": True, "per_task": per_task}


def _order_blocks(final: np.ndarray, row_group: np.ndarray, n_groups: int, shuffle: bool, rng) -> np.ndarray:
    """Rows of one question together (in input order, copies adjacent); blocks in input
    order, or shuffled."""
    block_rank = rng.permutation(n_groups) if shuffle else np.arange(n_groups)
    return final[np.lexsort((final, block_rank[row_group[final]]))]


def _counts(group: np.ndarray, label: np.ndarray, n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows and correct rows of each question."""
    return (np.bincount(group, minlength=n_groups),
            np.bincount(group, weights=label, minlength=n_groups).astype(np.int64))


def _buckets(n_total: np.ndarray, n_correct: np.ndarray) -> dict[str, np.ndarray]:
    return {"all_correct": (n_total > 0) & (n_correct == n_total), "all_wrong": (n_total > 0) & (n_correct == 0),
            "mixed": (n_correct > 0) & (n_correct < n_total)}


def summarise(rows: np.ndarray, keys: dict, tasks: list[str]) -> dict:
    """Rows, questions, buckets, labels, per-task rows and shares, completions per question."""
    group, label, task = keys["group"][rows], keys["label"][rows], keys["task"][rows]
    n_total, n_correct = _counts(group, label, keys["groups"])
    per_task = np.bincount(task, minlength=len(tasks))
    sizes, counts = np.unique(n_total[n_total > 0], return_counts=True)
    return {
        "rows": int(len(rows)),
        "questions": int(np.count_nonzero(n_total)),
        "buckets": {b: int(np.count_nonzero(m)) for b, m in _buckets(n_total, n_correct).items()},
        "labels": {"0": int(np.count_nonzero(label == 0)), "1": int(np.count_nonzero(label == 1))},
        "per_task_rows": {t: int(per_task[i]) for i, t in enumerate(tasks)},
        "per_task_fractions": {t: round(int(per_task[i]) / max(1, len(rows)), 6) for i, t in enumerate(tasks)},
        "completions_per_question": {str(int(s)): int(n) for s, n in zip(sizes, counts)},
    }


