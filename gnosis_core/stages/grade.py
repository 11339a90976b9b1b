"""gnosis grade: grade one completion in this process and show every step of it, for the
moment a label looks wrong. It grades through the label stage's own ``grade_row``, under the
same per-row time limit, so what it shows is what label would have written."""
from __future__ import annotations

import json as jsonlib
import math
from pathlib import Path

from gnosis_core import limits, registry, shards
from gnosis_core.answers import final_answer_region
from gnosis_core.errors import GnosisError
from gnosis_core.grading_pool import (GOLD_FALLBACK, OK, Rules, answer_region, gold_column_of, gold_of, grade_row,
                                      tolerance_of)
from gnosis_core.options import as_bool, number, optional
from gnosis_core.registry import Task

REGION_SHOWN_CHARS = 2000  # the JSON output always has the whole region


def run(task: Task, *, completion: str | None = None, gold=None, question: str | None = None,
        file: str | None = None, row: int | None = None, answer_col: str | None = None,
        timeout: float = limits.DEFAULT_ROW_TIMEOUT_S, rel_tol: float | None = None,
        abs_tol: float | None = None, explain: bool = True, json: bool = False) -> dict:
    """Grade one completion and print what each step saw: the answer region the extractor
    read, the extracted answer, what the grader compared (for math, what math-verify
    parsed), the rule that decided, the verdict and the grade_status label would write.

    Examples:
        gnosis grade --task math --gold '\\frac{1}{2}' --completion 'so \\boxed{0.5}'
        gnosis grade --task math --file runs/math/verified/shard-000001.verified.jsonl --row 7
        gnosis grade --task gpqa --file runs/gpqa/shard-000001.parquet --row 0 --json

    Options:
        completion: the completion text to grade (or use --file and --row)
        gold: the gold answer (with --file: replaces the row's gold)
        question: the question text (multiple-choice graders read the options from it)
        file: a shard (.parquet or .jsonl, verified or not) holding the row
        row: which row of --file, counting from 0
        answer_col: the column of --file holding the gold (default: the task's gold column)
        timeout: seconds the row may take, as in label (> 0)
        rel_tol: relative numeric tolerance, as in label (default: the task's, else strict)
        abs_tol: absolute numeric tolerance, as in label (default: the task's, else strict)
        explain: show every step (false: one line, the verdict, the extracted answer and the rule that decided)
        json: print one JSON object instead of the report
    """
    gold_column = str(answer_col or task.gold_column)
    seconds = _seconds(timeout)
    if file is not None:
        if completion is not None:
            raise GnosisError("give --completion or --file with --row, not both")
        record, source = _read_row(Path(str(file)), row, gold_column, need_gold=gold is None)
    elif completion is not None:
        if row is not None:
            raise GnosisError("--row needs --file")
        record, source = {"completion": str(completion)}, "--completion"
    else:
        raise GnosisError("gnosis grade needs --completion TEXT, or --file SHARD --row N")
    if gold is not None:
        record[gold_column] = str(gold)
    if question is not None:
        record["question"] = str(question)
    fallback = None if answer_col or gold is not None else GOLD_FALLBACK.get(gold_column)
    tolerance = tolerance_of(task, registry.resolve("graders", task.grader),
                             optional(number(0))(rel_tol, "rel_tol"), optional(number(0))(abs_tol, "abs_tol"))
    report = _grade(task, record, Rules(task.extractor, task.grader, gold_column, seconds, fallback, tolerance))
    report["source"] = source
    if as_bool(json, "json"):
        print(jsonlib.dumps(report, indent=2, ensure_ascii=False, default=str))
    elif as_bool(explain, "explain"):
        _print_report(report)
    else:
        print(_one_line(report))
    return report


def _seconds(timeout) -> float:
    try:
        seconds = float(timeout)
    except (TypeError, ValueError):
        seconds = 0.0
    if not 0 < seconds < math.inf:
        raise GnosisError(f"--timeout must be a number of seconds > 0, got {timeout!r}")
    return seconds


def _read_row(path: Path, row, gold_column: str, need_gold: bool) -> tuple[dict, str]:
    if not path.is_file():
        raise GnosisError(f"--file {path} does not exist")
    if shards.shard_format(path) == "jsonl":
        rows = shards.read_jsonl(path)
        columns = list(dict.fromkeys(k for r in rows for k in r))
    else:
        table = shards.read_table(path)
        rows, columns = None, table.column_names
    count = len(rows) if rows is not None else table.num_rows
    if row is None:
        raise GnosisError(f"--file needs --row N, counting from 0 ({path} has {count} rows)")
    if isinstance(row, bool) or not isinstance(row, int):
        raise GnosisError(f"--row expects a row number counting from 0, got {row!r}")
    if not 0 <= row < count:
        raise GnosisError(f"--row {row} is out of range: {path} has {count} rows (0 to {count - 1})"
                          if count else f"--row {row} is out of range: {path} has no rows")
    has = f"it has: {', '.join(columns) or 'no columns'}"
    if "completion" not in columns:
        raise GnosisError(f"{path}: no column 'completion'; {has}")
    if need_gold and gold_column not in columns:
        raise GnosisError(f"{path}: no column {gold_column!r}; {has} (pick the gold column with "
                          "--answer_col, or give --gold)")
    record = rows[row] if rows is not None else table.slice(row, 1).to_pylist()[0]
    return record, f"{path}, row {row}"


def _grade(task: Task, record: dict, rules: Rules) -> dict:
    extract = registry.resolve("extractors", task.extractor)
    grader = registry.resolve("graders", task.grader)
    seconds = rules.row_timeout_s
    before = limits.row_timeout_s()
    limits.set_row_timeout_s(seconds)
    try:
        result = grade_row(record, extract, grader, rules)
        view = _graders_view(grader, result.extracted, gold_of(record, rules), record, dict(rules.tolerance))
    finally:
        limits.set_row_timeout_s(before)
    completion = record.get("completion")
    verdict = ("correct" if result.label else "wrong") if result.status == OK else "not graded"
    report = {
        "task": task.name, "extractor": task.extractor, "grader": task.grader,
        "answer_region": final_answer_region(completion),
        "answer_region_is": REGION_DESCRIPTIONS[answer_region(completion)],
        "extracted_answer": result.extracted,
        "gold_column": gold_column_of(record, rules), "gold": gold_of(record, rules),
        "graders_view": view, "tolerance": dict(rules.tolerance),
        "rule": view.pop("rule", None) if result.status == OK else None,
        "verdict": verdict, "correctness_label": result.label,
        "grade_status": result.status, "grade_detail": result.detail,
    }
    stored = {k: record[k] for k in ("correctness_label", "grade_status", "grade_detail") if record.get(k) is not None}
    if stored:
        report["stored"] = stored
    return report


def _graders_view(grader, prediction, gold, record, tolerance: dict) -> dict[str, str]:
    """What the grader compared: its own ``describe`` (math: what math-verify parsed, and
    under "rule" the rule that decided), or else the two strings, which is what a grader
    without one compares."""
    describe = getattr(grader, "describe", None)
    if describe is None:
        return {"gold": _text(gold), "prediction": _text(prediction)}
    try:
        return {str(k): str(v) for k, v in describe(prediction, gold, record, **tolerance).items()}
    except Exception as exc:  # a timeout or bug in the debug view must not hide the verdict
        return {"describe failed": f"{type(exc).__name__}: {exc}"}


REGION_DESCRIPTIONS = {"missing": "no completion", "unclosed": "none: the reasoning (opened with <think>) never closed",
                       "after_think": "the text after the last </think>",
                       "whole": "the whole completion (no reasoning markup)"}


def _text(value) -> str:
    return "(none)" if value is None else value if isinstance(value, str) else jsonlib.dumps(value, default=str)


def _one_line(r: dict) -> str:
    why = f"decided by {r['rule']}" if r["rule"] else f"status {r['grade_status']}" + (
        f": {r['grade_detail']}" if r["grade_detail"] else "")
    return f"{r['verdict']} (correctness_label {r['correctness_label']}): extracted {_text(r['extracted_answer'])}; {why}"


def _print_report(r: dict) -> None:
    region = r["answer_region"]
    if region is not None and len(region) > REGION_SHOWN_CHARS:
        region = f"[... {len(region) - REGION_SHOWN_CHARS} characters before; --json shows all]\n" \
                 + region[-REGION_SHOWN_CHARS:]
    lines = [f"task        {r['task']} (extractor {r['extractor']}, grader {r['grader']})",
             f"from        {r['source']}",
             f"answer region: {r['answer_region_is']}"]
    if region is not None:
        lines += ["    " + line for line in region.strip("\n").splitlines() or [""]]
    lines += [f"extracted   {_text(r['extracted_answer'])}",
              f"gold        {_text(r['gold'])}  (column {r['gold_column']})",
              f"grader's view ({r['grader']}):"]
    width = max(len(k) for k in r["graders_view"]) if r["graders_view"] else 0
    lines += [f"    {k.ljust(width)}  {v}" for k, v in r["graders_view"].items()]
    if r["rule"]:
        lines.append(f"decided by  {r['rule']}")
    lines.append("tolerance   " + (", ".join(f"{k}={v:g}" for k, v in r["tolerance"].items()) or "none (strict)"))
    lines += [f"verdict     {r['verdict']} (correctness_label {r['correctness_label']})",
              f"status      {r['grade_status']}" + (f": {r['grade_detail']}" if r["grade_detail"] else "")]
    if "stored" in r:
        lines.append("in file     " + ", ".join(f"{k}={v}" for k, v in r["stored"].items()))
    print("\n".join(lines))
