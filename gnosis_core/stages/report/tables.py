"""The tables of a report (the terminal's, report.md's and index.html's), as rows of strings."""
from __future__ import annotations

from dataclasses import dataclass

from gnosis_core.stages.report.metadata import summary_rows
from gnosis_core.stages.report.metrics import BUCKETS, MAJ_WINDOWS, STATUSES, _powers


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[str]]
    note: str = ""
    left: int | None = None  # leading text columns, left-aligned (default: the run/task/source columns)


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
    out = [main, *comparison_tables(report)]
    out.append(Table("pass@k (%)", who + [f"k={k}" for k in ks],
                     [_who(g, report) + [_with_ci(_at(g["pass_at_k"], k)) for k in ks] for g in groups]))
    if any(g["maj_at_k"] for g in groups):
        out.append(Table("maj@k (%)", who + [f"k={k}" for k in ks],
                         [_who(g, report) + [_with_ci(_at(g["maj_at_k"], k)) for k in ks] for g in groups],
                         f"majority vote over the normalised answers of k consecutive samples (by sample_index, "
                         f"cyclically), averaged over up to {MAJ_WINDOWS} evenly spaced windows per question; ties "
                         "score the mean of the tied answers; a window without an answer scores 0"))
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


METADATA_TITLES = {"generate": "Runs: model, data, settings and grading",
                   "merge": "Merged sets: options, inputs and their grading"}


def metadata_tables(report: dict) -> list[Table]:
    """What made each run, one column per run (fields no manifest records are left out); runs
    of each kind in a table of their own, so that a merge's many fields don't pad every run."""
    out = []
    for kind, title in METADATA_TITLES.items():
        described = [(r["name"], summary_rows(r.get("metadata") or {})) for r in report["runs"]
                     if (r["kind"] == "merge") == (kind == "merge")]
        fields = list(dict.fromkeys(name for _, rows in described for name, _ in rows))
        if fields:
            values = [dict(rows) for _, rows in described]
            out.append(Table(title, ["", *(name for name, _ in described)],
                             [[field, *(v.get(field, "-") for v in values)] for field in fields],
                             "from generate's manifest.json, the label stage's verified/manifest.json and a "
                             "merge's stats.json"))
    return out


def comparison_tables(report: dict) -> list[Table]:
    """The paired pass@1 difference of every two runs with shared questions, and what flipped."""
    pairs = report.get("comparisons") or []
    if not pairs:
        return []
    out = [Table("Paired comparison (pass@1 %, shared questions; 95% paired bootstrap interval)",
                 ["a", "b", "task", "questions", "pass@1 a", "pass@1 b", "b - a", "flipped to right",
                  "flipped to wrong"],
                 [[p["a"], p["b"], p["task"], f"{p['questions']:,}", _pct(p["pass_at_1_a"]["value"]),
                   _pct(p["pass_at_1_b"]["value"]), _with_ci(p["difference"]), f"{p['flipped_to_right']:,}",
                   f"{p['flipped_to_wrong']:,}"] for p in pairs],
                 "flipped: pass@1 below 1/2 in one run and above 1/2 in the other", left=3)]
    flips = [[p["a"], p["b"], p["task"], direction, str(q["question_index"]), _pct(q["pass_at_1_a"]),
              _pct(q["pass_at_1_b"]), q.get("question", "")]
             for p in pairs for direction, key in (("to right", "to_right"), ("to wrong", "to_wrong"))
             for q in p[key]]
    if flips:
        out.append(Table("Flipped questions (the largest changes first)",
                         ["a", "b", "task", "flipped", "question", "question_index", "pass@1 a", "pass@1 b"],
                         [row[:4] + row[-1:] + row[4:-1] for row in flips], left=5))
    return out

