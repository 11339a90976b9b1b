"""The PNG plots of a report, drawn on matplotlib's Agg canvas (imported only when drawing)."""
from __future__ import annotations

import io
import math

import numpy as np

from gnosis_core.stages.report.metrics import BUCKETS, _powers
from gnosis_core.stages.report.tables import _pct

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

