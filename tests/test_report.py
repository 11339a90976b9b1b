"""gnosis report: numbers against hand-computed fixtures, the files it writes, the HTML page."""
import base64
import json
import math
import sys
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

from conftest import require, write_shard
from gnosis_core.stages import merge, report

# Four math questions; rows are (sample_index, extracted_answer, label). Written in reverse
# sample order, so only sample_index can put them back.
QUESTIONS = {
    0: [(0, "4", 1), (1, "x = 4", 1), (2, "5", 0), (3, None, 0)],   # n=4 c=2; votes 4,4,5
    1: [(0, "5", 0), (1, "6", 1), (2, "6", 1), (3, "5", 0)],        # n=4 c=2; ties at k=2 and k=4
    2: [(0, None, 0), (1, None, 0), (2, None, 0), (3, None, 0)],    # n=4 c=0; never an answer
    3: [(0, "7", 1), (1, "\\dfrac{7}{1}", 1)],                      # n=2 c=2; too few for k=3, 4
}


def math_rows():
    rows = []
    for q, samples in QUESTIONS.items():
        for sample, answer, label in samples:
            rows.append({"question": f"question {q}", "question_index": q, "sample_index": sample,
                         "solution": "\\boxed{x}", "completion": f"... {answer}", "original_source": f"src{q % 2}",
                         "finish_reason": "length" if sample == 3 else "stop", "num_output_tokens": 100 * (q + 1) + sample,
                         "two_step_applied": sample == 0, "correctness_label": label,
                         "pred_parsed": answer is not None, "extracted_answer": answer})
    return rows[::-1]


def save_dir(root: Path, rows, task="math", fmt="parquet", summary=True) -> Path:
    write_shard(root / "verified" / f"shard-000001.verified.{fmt}", rows)
    write_shard(root / f"shard-000001.{fmt}", rows)  # merge reads only labels whose source shard exists
    if summary:
        (root / "verified" / "summary.json").write_text(json.dumps({"task": task, "total": {}}))
    return root


def only_group(result, task="math", source=None):
    [group] = [g for g in result["groups"] if g["task"] == task and g["source"] == source]
    return group


def values(curve):
    return [p["value"] for p in curve]


def test_pass_at_k_matches_the_binomial_formula_and_is_nan_below_n():
    n = np.array([4, 3, 3, 5, 2, 200, 1000])
    c = np.array([2, 0, 3, 1, 2, 3, 1])
    got = report.pass_at_k(n, c, 500)
    for row, (ni, ci) in enumerate(zip(n, c)):
        for k in (1, 2, 3, 4, 5, 100, 500):
            expected = 1 - math.comb(ni - ci, k) / math.comb(ni, k) if k <= ni else math.nan
            assert got[row, k - 1] == pytest.approx(expected, abs=1e-12, nan_ok=True), (ni, ci, k)
    assert got[0, :4].tolist() == pytest.approx([0.5, 5 / 6, 1.0, 1.0])


def test_report_numbers_match_hand_computed_values(tmp_path, capsys):
    result = report.run([str(save_dir(tmp_path / "run", math_rows()))], out=tmp_path / "out", plots=False)
    g = only_group(result)
    assert (g["questions"], g["completions"], g["parsed"], g["correct"]) == (4, 14, 9, 6)
    assert g["samples_per_question"] == {"min": 2, "max": 4, "mean": 3.5}
    assert g["accuracy"]["value"] == pytest.approx(6 / 14)
    assert g["accuracy_parsed"]["value"] == pytest.approx(6 / 9)
    # per question c/n: 1/2, 1/2, 0, 1
    assert g["pass_at_1"]["value"] == pytest.approx(0.5)
    # pass@2 = mean(5/6, 5/6, 0, 1); k = 3, 4 leave out question 3 (two samples)
    assert values(g["pass_at_k"]) == pytest.approx([0.5, 2 / 3, 2 / 3, 2 / 3])
    assert [p["questions"] for p in g["pass_at_k"]] == [4, 4, 3, 3]
    # maj@k, mean over the windows of k cyclically consecutive samples:
    # q0 answers 4, 4 (x = 4), 5, none: k=1 1,1,0,0; k=2 {4,4} 1, {4,5} tie .5, {5,-} 0, {-,4} 1;
    #    k=3 {4,4,5} 1, {4,5,-} .5, {5,-,4} .5, {-,4,4} 1; k=4 1
    # q1 answers 5, 6, 6, 5 (6 right): k=1 .5; k=2 .5, 1, .5, 0; k=3 1, 1, 0, 0; k=4 2-2 tie .5
    # q2 no answer: 0; q3 7 and 7/1 (another vote, also right): 1, 1
    # (maj@k is computed at k = 1, 2, 4, ... and n; maj@3 would be (3/4 + 2/4 + 0) / 3)
    assert [p["k"] for p in g["maj_at_k"]] == [1, 2, 4]
    assert values(g["maj_at_k"]) == pytest.approx([2 / 4, (2.5 / 4 + 2 / 4 + 0 + 1) / 4, (1 + 0.5 + 0) / 3])
    assert g["buckets"]["questions"] == {"all_correct": 1, "mixed": 2, "all_wrong": 0, "no_parsed": 1}
    assert g["two_step"] == {"forced": 4, "forced_share": pytest.approx(4 / 14, abs=1e-6),
                             "accuracy_forced": pytest.approx(2 / 4), "accuracy_natural": pytest.approx(4 / 10),
                             "length_stops": 3, "length_share": pytest.approx(3 / 14, abs=1e-6)}
    assert g["grade_status"] == {"ok": 9, "unparsed": 5} and g["grade_status_derived"]
    [line] = [l for l in capsys.readouterr().out.splitlines() if l.startswith("math ")]
    assert "50.0" in line and "42.9" in line  # pass@1, accuracy over all rows


def test_maj_at_k_ties_and_unparsed_questions():
    # question 0: answers a, b, b (labels 1, 0, 0); question 1: nothing parsed; question 2: a, b tie
    question = np.array([0, 0, 0, 1, 1, 2, 2])
    rank = np.array([0, 1, 2, 0, 1, 0, 1])
    answer = np.array([0, 1, 1, -1, -1, 0, 1])
    label = np.array([1, 0, 0, 0, 0, 1, 0])
    got = report.maj_at_k(question, rank, answer, label, 3, [1, 2, 3])
    # q0 windows of 2: {a,b} tie .5, {b,b} 0, {b,a} tie .5
    assert got[0].tolist() == pytest.approx([1 / 3, 1 / 3, 0.0])
    assert got[1, :2].tolist() == [0.0, 0.0] and math.isnan(got[1, 2])  # two samples: no maj@3
    assert got[2, :2].tolist() == [0.5, 0.5]


def test_intervals_are_deterministic_and_cover_the_estimate(tmp_path):
    rows = [dict(r, question_index=r["question_index"] + 10 * copy) for copy in range(10) for r in math_rows()]
    first = report.run([str(save_dir(tmp_path / "run", rows))], out=tmp_path / "a", plots=False)
    again = report.run([str(tmp_path / "run")], out=tmp_path / "b", plots=False)
    g = only_group(first)
    assert g == only_group(again)
    for estimate in (g["accuracy"], g["pass_at_1"], g["pass_at_k"][1], g["maj_at_k"][1]):
        low, high = estimate["ci95"]
        assert low <= estimate["value"] <= high and low < high


def test_one_question_has_no_interval(tmp_path):
    rows = [r for r in math_rows() if r["question_index"] == 0]
    g = only_group(report.run([str(save_dir(tmp_path / "run", rows))], out=tmp_path / "o", plots=False))
    assert g["pass_at_1"] == {"value": 0.5, "ci95": None}


def test_grade_status_column_is_counted_when_present(tmp_path):
    rows = math_rows()
    for r in rows:
        r["grade_status"] = "ok" if r["pred_parsed"] else "unparsed"
    rows[0]["grade_status"], rows[1]["grade_status"] = "timed_out", "unverifiable"
    for r in rows:
        r["grade_detail"] = None if r["grade_status"] == "ok" else f"why {r['grade_status']}"
    rows[2]["grade_detail"] = None  # an unparsed row without a reason
    g = only_group(report.run([str(save_dir(tmp_path / "run", rows, fmt="jsonl"))], out=tmp_path / "o", plots=False))
    assert g["grade_status"] == {"ok": 7, "unparsed": 5, "timed_out": 1, "unverifiable": 1}
    assert not g["grade_status_derived"]
    first, *rest = g["grade_details"]  # most frequent first
    assert first == {"status": "unparsed", "detail": "why unparsed", "rows": 4}
    assert sorted(rest, key=lambda d: d["status"]) == [{"status": "timed_out", "detail": "why timed_out", "rows": 1},
                                                       {"status": "unverifiable", "detail": "why unverifiable",
                                                        "rows": 1}]


def test_by_original_source_and_several_runs_side_by_side(tmp_path, gnosis):
    a = save_dir(tmp_path / "a", math_rows())
    better = [dict(r, correctness_label=1, extracted_answer="4", pred_parsed=True) for r in math_rows()]
    b = save_dir(tmp_path / "b", better, fmt="jsonl")
    code, out, err = gnosis("report", f"base={a}", f"tuned={b}", "--by", "original_source", "--out", tmp_path / "r",
                            "--plots", "false")
    assert code == 0, err
    data = json.loads((tmp_path / "r" / "report.json").read_text())
    assert [r["name"] for r in data["runs"]] == ["base", "tuned"]
    by_key = {(g["run"], g["source"]): g for g in data["groups"]}
    assert by_key[("tuned", None)]["pass_at_1"]["value"] == 1.0
    # src0 holds questions 0 and 2 of run "base": c/n = 1/2 and 0
    assert by_key[("base", "src0")]["pass_at_1"]["value"] == pytest.approx(0.25)
    assert by_key[("base", "src0")]["questions"] == 2
    assert "base" in out and "tuned" in out and "src1" in out


def test_lengths_histogram_and_deciles(tmp_path):
    g = only_group(report.run([str(save_dir(tmp_path / "run", math_rows()))], out=tmp_path / "o", plots=False))
    lengths = g["lengths"]
    assert sum(lengths["histogram"]["correct"]) == 6 and sum(lengths["histogram"]["incorrect"]) == 8
    assert sum(d["rows"] for d in lengths["deciles"]) == 14
    # the longest completions (question 3, 400-401 tokens) are both correct
    assert lengths["deciles"][-1]["accuracy"] == 1.0 and lengths["deciles"][-1]["min_tokens"] >= 400
    correct_tokens = [100 * (q + 1) + s for q, rows in QUESTIONS.items() for s, _, lab in rows if lab]
    assert lengths["mean_tokens_correct"] == pytest.approx(np.mean(correct_tokens))


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images, self.urls, self.tags = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name == "src" and tag == "img":
                self.images.append(value)
            if name in ("src", "href", "srcset", "data", "action"):
                self.urls.append(value)


def test_html_page_is_self_contained_and_embeds_every_plot(tmp_path, gnosis):
    require("matplotlib", "needs matplotlib (pip install 'gnosis[report]')")
    run = save_dir(tmp_path / "run", math_rows())
    code, out, err = gnosis("report", run)
    assert code == 0, err
    folder = run / "report"  # one DIR: DIR/report by default
    pngs = sorted(folder.glob("*.png"))
    assert {p.stem for p in pngs} >= {"accuracy", "pass_at_k", "buckets", "lengths", "length_deciles", "two_step"}
    text = (folder / "index.html").read_text()
    page = _Page()
    page.feed(text)
    page.close()
    embedded = {base64.b64decode(src.split(",", 1)[1]) for src in page.images}
    assert all(src.startswith("data:image/png;base64,") for src in page.images)
    assert embedded == {p.read_bytes() for p in pngs}
    # the one link that is not data: is to the sample browser beside the page (issue 20)
    assert all(u.startswith("data:") or u == "samples.html" for u in page.urls) and (folder / "samples.html").is_file()
    assert "http://" not in text and "https://" not in text and "<link" not in text and "<script" not in text
    assert all(f"({p.name})" in (folder / "report.md").read_text() for p in pngs)


def test_without_matplotlib_text_and_json_still_work(tmp_path, gnosis, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib raises ImportError
    run = save_dir(tmp_path / "run", math_rows())
    code, out, err = gnosis("report", run, "--out", tmp_path / "r")
    assert code == 0
    assert 'pip install "gnosis[report]"' in err
    assert not list((tmp_path / "r").glob("*.png"))
    assert json.loads((tmp_path / "r" / "report.json").read_text())["groups"]
    assert "pip install" in (tmp_path / "r" / "index.html").read_text()


def test_merge_dir_reports_composition(tmp_path, gnosis):
    rows = math_rows()
    a = save_dir(tmp_path / "math", rows)
    b = save_dir(tmp_path / "trivia", [dict(r, task_hint=1) for r in rows], task="trivia")
    merge.run(inputs=f"math={a},trivia={b}", out_dir=tmp_path / "merged")
    code, out, err = gnosis("report", tmp_path / "merged", "--out", tmp_path / "r", "--plots", "false")
    assert code == 0, err
    data = json.loads((tmp_path / "r" / "report.json").read_text())
    stats = json.loads((tmp_path / "merged" / "stats.json").read_text())
    comp = data["runs"][0]["composition"]
    assert data["runs"][0]["kind"] == "merge"
    assert comp["before"]["math"]["questions"] == stats["availability"]["per_task"]["math"]
    assert {t: c["rows"] for t, c in comp["after"].items()} == stats["after"]["per_task_rows"]
    assert sum(c["questions"][b] for c in comp["after"].values() for b in report.BUCKETS[:3]) == \
        stats["after"]["questions"]
    assert {g["task"] for g in data["groups"]} == {"math", "trivia", "all"}


@pytest.mark.parametrize("argv, needle", [
    (["report"], "at least one DIR"),
    (["report", "no/such/dir"], "no/such/dir: not a directory"),
    (["report", "{tmp}"], "neither a merge out_dir"),
    (["report", "{run}", "--by", "model"], "--by must be one of original_source"),
    (["report", "{run}", "--bye", "x"], "unknown option --bye"),
])
def test_mistakes_are_one_line_errors(tmp_path, gnosis, argv, needle):
    run = save_dir(tmp_path / "run", math_rows())
    code, out, err = gnosis(*(a.format(tmp=tmp_path, run=run) for a in argv))
    assert code == 2 and err.startswith("gnosis: error:") and needle in err and err.count("\n") == 1


def test_bad_label_column_is_an_error_naming_the_file(tmp_path, gnosis):
    rows = math_rows()
    rows[0]["correctness_label"] = 3
    run = save_dir(tmp_path / "run", rows)
    code, out, err = gnosis("report", run)
    assert code == 2 and "correctness_label must be 0 or 1" in err and "shard-000001.verified.parquet" in err


def test_label_prints_the_short_report(tmp_path, gnosis):
    rows = [{"question": "Capital of France?", "answer": "Paris", "completion": c, "question_index": 0,
             "sample_index": i} for i, c in enumerate(["\\boxed{Paris}", "\\boxed{Lyon}"])]
    write_shard(tmp_path / "shard-000001.parquet", rows)
    code, out, err = gnosis("run", "--task", "trivia", "--stage", "label", "--save_dir", tmp_path, "--workers", 1,
                            "--progress", "false")
    assert code == 0, err
    brief = out[out.index("report:"):]
    assert "PASS@1" in brief and "50.0" in brief and "trivia" in brief


def test_report_help_lists_its_options(gnosis):
    code, out, err = gnosis("report", "--help")
    assert code == 0 and "--out" in out and "--by" in out and "--plots" in out


@pytest.mark.parametrize("task, same, different", [
    ("math", ["\\dfrac{1}{2}", "\\frac{1}{2}", " \\frac{1}{2} "], ["\\frac{1}{3}"]),
    ("math", ["x = 4", "4.0", "4", "\\text{4}", "4."], ["40"]),
    ("trivia", ["São Paulo", "Sao Paulo!", "the sao  paulo"], ["Rio de Janeiro"]),
    ("gpqa", ["(C)", "C. Photon", "\\text{C}", "C"], ["B", "photon"]),
])
def test_answers_vote_together_after_the_tasks_normalisation(task, same, different):
    import pyarrow as pa

    answers = same + different
    classes = report._answer_classes(pa.array(answers), np.zeros(len(answers), np.int64), [task])
    assert len(set(classes[:len(same)])) == 1
    assert classes[len(same):].tolist() != [classes[0]] * len(different)
    assert len(set(classes.tolist())) == 1 + len(set(different))


@pytest.mark.parametrize("fmt", ["parquet", "jsonl"])
def test_questions_told_apart_by_text_without_question_index(tmp_path, fmt):
    rows = [{k: v for k, v in r.items() if k != "question_index"} for r in math_rows()]
    g = only_group(report.run([str(save_dir(tmp_path / "run", rows, fmt=fmt))], out=tmp_path / "o", plots=False))
    assert g["questions"] == 4 and values(g["pass_at_k"]) == pytest.approx([0.5, 2 / 3, 2 / 3, 2 / 3])
