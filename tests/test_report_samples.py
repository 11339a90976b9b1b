"""gnosis report: run metadata, the sample browser's content (stratified, escaped, folded), the
paired comparison of two runs, and plots left out with a line saying why."""
import json
import re
from pathlib import Path

import numpy as np
import pytest

from conftest import require, write_shard
from gnosis_core.stages import report
from gnosis_core.stages.report import compare, samples
from gnosis_core.stages.report.metrics import question_buckets

HOSTILE = ('<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
           '</pre></details><svg onload="window.__pwned = 3"></svg> & "quotes" | pipe *star* [link](http://x.test)')


def rows_for(questions: dict, hostile: bool = False, two_step: bool = True) -> list[dict]:
    """questions: index -> list of (label, status, forced). One row per sample."""
    rows = []
    for q, samples_of_q in questions.items():
        for s, (label, status, forced) in enumerate(samples_of_q):
            answer = None if status == "unparsed" else str(7 if label else 5)
            completion = f"<think>reasoning of q{q} s{s}</think>The answer is \\boxed{{{answer}}}."
            rows.append({"question": (HOSTILE if hostile else "") + f" question {q}", "question_index": q,
                         "sample_index": s, "answer": "7", "completion": (HOSTILE + completion) if hostile else completion,
                         "correctness_label": label, "pred_parsed": status != "unparsed", "extracted_answer": answer,
                         "grade_status": status, "grade_detail": HOSTILE if hostile and not label else None,
                         "two_step_applied": forced and two_step, "finish_reason": "length" if forced else "stop",
                         "num_output_tokens": 100 + 10 * s})
    return rows


def save_dir(root: Path, rows, task="math", manifest=None) -> Path:
    write_shard(root / "verified" / "shard-000001.verified.parquet", rows)
    (root / "verified" / "summary.json").write_text(json.dumps({"task": task, "total": {}}))
    if manifest:
        (root / "manifest.json").write_text(json.dumps(manifest))
    return root


MIXED = {0: [(1, "ok", False), (0, "ok", True), (0, "unparsed", False)],     # mixed
         1: [(1, "ok", False), (1, "ok", False), (1, "ok", True)],           # all correct
         2: [(0, "ok", False), (0, "timed_out", False), (0, "error", False)],  # all wrong
         3: [(0, "unparsed", False), (0, "unparsed", False)]}                # no parsed answer


def test_samples_are_stratified_by_task_bucket_and_status(tmp_path):
    rows = report.load_run("r", save_dir(tmp_path / "run", rows_for(MIXED))).rows
    verdict, names = samples.verdicts(rows)
    bucket = question_buckets(rows)[rows["question"]]
    strata = {(int(b), names[v]) for b, v in zip(bucket, verdict)}
    one = samples.choose(rows, 1)
    assert len(one) == len(strata)  # one row of every stratum, none twice
    assert {(int(bucket[i]), names[verdict[i]]) for i in one} == strata
    assert len(samples.choose(rows, 50)) == len(rows["label"])  # fewer rows than the cap: all of them
    assert samples.choose(rows, 0).size == 0
    assert names[verdict[rows["label"] == 1][0]] == "correct"
    assert set(names) >= {"correct", "wrong", "unparsed", "timed_out", "error"}


def test_samples_page_escapes_every_text_and_folds_the_reasoning(tmp_path, gnosis):
    run = save_dir(tmp_path / "run", rows_for(MIXED, hostile=True))
    code, out, err = gnosis("report", f"evil<b>run={run}", "--out", tmp_path / "r", "--plots", "false")
    assert code == 0, err
    page = (tmp_path / "r" / "samples.html").read_text()
    body = page.split("<body>", 1)[1]
    assert "<script>window" not in page and "<img" not in body and "<svg" not in body and "onerror=\"" not in body
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in body  # shown, as text
    assert "evil&lt;b&gt;run" in body and "<b>run" not in body
    # exactly one script, the page's own, and a policy that runs nothing else and fetches nothing
    assert page.count("<script>") == 1 and "default-src 'none'" in page and "script-src 'sha256-" in page
    articles = re.findall(r"<article .*?</article>", body, re.S)
    assert len(articles) == len(rows_for(MIXED))  # 11 rows, fewer than 50 per stratum: all shown
    first = articles[0]
    assert re.search(r"<details><summary>reasoning.*?</summary><pre>&lt;script&gt;.*?reasoning of q", first, re.S)
    assert "<details open><summary>final part</summary><pre class=\"searched\">The answer is" in first
    assert f"gnosis grade --task math --file {run}/verified/shard-000001.verified.parquet --row " in first
    markdown = (tmp_path / "r" / "report.md").read_text()
    assert "evil&lt;b&gt;run" in markdown and "<b>" not in markdown
    html = (tmp_path / "r" / "index.html").read_text()
    assert "<b>run" not in html and '<a href="samples.html">' in html


def test_samples_zero_writes_no_browser(tmp_path, gnosis):
    run = save_dir(tmp_path / "run", rows_for(MIXED))
    code, out, err = gnosis("report", run, "--out", tmp_path / "r", "--plots", "false", "--samples", 0)
    assert code == 0, err
    assert not (tmp_path / "r" / "samples.html").exists()
    assert "samples.html" not in (tmp_path / "r" / "index.html").read_text()
    code, out, err = gnosis("report", run, "--out", tmp_path / "r", "--samples", -1)
    assert code == 2 and "--samples expects a whole number >= 0" in err


def test_run_metadata_heads_every_output(tmp_path, gnosis):
    manifest = {"config": {"model_id": "org/tiny-model", "backend": "vllm", "temperature": 0.6, "top_p": 0.95,
                           "max_tokens": 4096, "two_step": True, "stage2_tokens": 64, "seed": 3,
                           "dataset_id": "org/data", "dataset_split": "test"},
                "dataset": {"fingerprint": "abc123", "rows": 4},
                "versions": {"gnosis": "0.1.0", "vllm": "vllm 0.6"},
                "shards": [{"number": 1, "file": "shard-000001.parquet", "rows": 11, "question_indices": [0, 1, 2, 3]}]}
    run = save_dir(tmp_path / "run", rows_for(MIXED), manifest=manifest)
    provenance = {"task": "math", "extractor": {"name": "boxed", "plugin": "gnosis-math", "version": "0.2"},
                  "grader": {"name": "math-verify", "plugin": "gnosis-math", "version": "0.2"},
                  "gold_column": "answer", "timeout": 10.0, "tolerance": {"rel_tol": 0.04}, "gnosis": "0.1.0"}
    (run / "verified" / "manifest.json").write_text(json.dumps(
        {"shards": {"shard-000001.parquet": {"provenance": provenance}}}))
    code, out, err = gnosis("report", run, "--out", tmp_path / "r", "--plots", "false")
    assert code == 0, err
    data = json.loads((tmp_path / "r" / "report.json").read_text())
    assert list(data)[:2] == ["tool", "runs"]
    meta = data["runs"][0]["metadata"]
    assert meta["sampling"]["model_id"] == "org/tiny-model" and meta["sampling"]["temperature"] == 0.6
    assert meta["dataset"]["fingerprint"] == "abc123" and meta["dataset"]["dataset_split"] == "test"
    assert meta["grading"]["grader"]["name"] == "math-verify" and meta["grading"]["timeout"] == 10.0
    assert meta["generated_rows"] == 11 and "labeled" in meta["dates"]
    for name in ("index.html", "report.md"):
        text = (tmp_path / "r" / name).read_text()
        head = text[:text.index("Accuracy")]  # before the first table of numbers
        for needle in ("org/tiny-model", "vllm", "temperature=0.6", "stage2_tokens=64", "org/data", "abc123",
                       "math-verify", "timeout=10.0", "rel_tol=0.04", "gnosis-math"):
            assert needle.replace("_", "\\_") in head or needle in head, (name, needle)


def test_paired_comparison_of_two_runs(tmp_path, gnosis):
    a = {q: [(1, "ok", False)] * right + [(0, "ok", False)] * (4 - right) for q, right in enumerate([0, 1, 3, 4, 2])}
    b = {q: [(1, "ok", False)] * right + [(0, "ok", False)] * (4 - right) for q, right in enumerate([4, 1, 1, 4, 2])}
    b[9] = [(1, "ok", False)]  # only in b: not shared
    run_a, run_b = save_dir(tmp_path / "a", rows_for(a)), save_dir(tmp_path / "b", rows_for(b))
    code, out, err = gnosis("report", f"a={run_a}", f"b={run_b}", "--out", tmp_path / "r", "--plots", "false")
    assert code == 0, err
    [pair] = json.loads((tmp_path / "r" / "report.json").read_text())["comparisons"]
    diffs = np.array([4 - 0, 0, 1 - 3, 0, 0]) / 4
    assert (pair["a"], pair["b"], pair["task"], pair["questions"]) == ("a", "b", "math", 5)
    assert pair["difference"]["value"] == pytest.approx(diffs.mean())
    low, high = pair["difference"]["ci95"]
    assert low <= diffs.mean() <= high and low >= diffs.min() and high <= diffs.max()
    assert (pair["flipped_to_right"], pair["flipped_to_wrong"]) == (1, 1)  # q0 0 -> 1; q2 3/4 -> 1/4
    assert [q["question_index"] for q in pair["to_right"]] == [0]
    assert [q["question_index"] for q in pair["to_wrong"]] == [2]
    assert pair["to_wrong"][0]["question"] == " question 2"  # its text, read back for the listed rows
    assert "Paired comparison" in (tmp_path / "r" / "index.html").read_text()


def test_paired_interval_resamples_questions_with_their_pairs():
    ids = np.arange(200)
    rng = np.random.default_rng(1)
    a = rng.random(200)
    result = compare.paired(ids, a, ids, a + 0.1)  # every question 0.1 better: no spread at all
    assert result["difference"]["value"] == pytest.approx(0.1)
    assert result["difference"]["ci95"] == pytest.approx([0.1, 0.1])
    assert compare.paired(ids[:1], a[:1], ids[:1], a[:1]) is None


def test_plots_with_nothing_to_show_say_so_in_one_line(tmp_path, gnosis):
    require("matplotlib", "needs matplotlib (pip install 'gnosis[report]')")
    single = {q: [(q % 2, "ok", False)] for q in range(6)}  # one sample per question, nothing forced
    run = save_dir(tmp_path / "run", rows_for(single, two_step=False))
    code, out, err = gnosis("report", run, "--out", tmp_path / "r")
    assert code == 0, err
    pngs = {p.stem for p in (tmp_path / "r").glob("*.png")}
    assert "two_step" not in pngs and "pass_at_k" not in pngs and "accuracy" in pngs
    page = (tmp_path / "r" / "index.html").read_text()
    assert "no answer was forced" in page and "single sample" in page
    assert "no answer was forced" in (tmp_path / "r" / "report.md").read_text()


def test_intervals_stay_on_one_line_in_markdown(tmp_path, gnosis):
    run = save_dir(tmp_path / "run", rows_for(MIXED))
    gnosis("report", run, "--out", tmp_path / "r", "--plots", "false")
    markdown = (tmp_path / "r" / "report.md").read_text()
    cells = re.findall(r"\| (\d[^|]*\\\[[^|]*\\\]) \|", markdown)  # "44.8 [44.2, 45.4]", escaped
    assert cells and all(" " not in c and "\u00a0" in c for c in cells)


def _shown_rows(page: str) -> list[tuple[str, str, int]]:
    """(question as shown, file, row) of every row of a samples.html."""
    import html

    out = []
    for article in re.findall(r"<article .*?</article>", page, re.S):
        question = html.unescape(re.search(r'<dt>question</dt><dd class="searched">(.*?)</dd>', article, re.S)[1])
        command = html.unescape(re.search(r"<code>(.*?)</code>", article, re.S)[1])
        file, row = re.search(r"--file (\S+) --row (\d+)", command).groups()
        out.append((question, file, int(row)))
    return out


@pytest.mark.parametrize("fmt", ["parquet", "jsonl"])
def test_each_sample_is_the_row_its_command_regrades(tmp_path, gnosis, fmt):
    rows = rows_for(MIXED)
    rows = rows[5:] + rows[:5]  # not in question order
    root = tmp_path / "run"
    write_shard(root / "verified" / f"shard-000001.verified.{fmt}", rows[:6])
    write_shard(root / "verified" / f"shard-000002.verified.{fmt}", rows[6:])
    (root / "verified" / "summary.json").write_text(json.dumps({"task": "math", "total": {}}))
    code, out, err = gnosis("report", root, "--out", tmp_path / "r", "--plots", "false")
    assert code == 0, err
    shown = _shown_rows((tmp_path / "r" / "samples.html").read_text())
    assert len(shown) == len(rows)
    for question, file, row in shown:
        stored = (rows[:6] if file.endswith(f"000001.verified.{fmt}") else rows[6:])[row]
        assert question == stored["question"]


def test_samples_of_a_merge_point_into_the_merged_file(tmp_path, gnosis):
    import pyarrow.parquet as pq

    from gnosis_core.stages import merge

    source = tmp_path / "math"
    save_dir(source, rows_for(MIXED))
    write_shard(source / "shard-000001.parquet", rows_for(MIXED))  # merge reads labels whose source exists
    merge.run(inputs=f"math={source}", out_dir=tmp_path / "merged")
    code, out, err = gnosis("report", tmp_path / "merged", "--out", tmp_path / "r", "--plots", "false")
    assert code == 0, err
    merged = pq.read_table(tmp_path / "merged" / "merged_balanced.parquet").to_pylist()
    shown = _shown_rows((tmp_path / "r" / "samples.html").read_text())
    assert shown and all(file.endswith("merged_balanced.parquet") for _, file, _ in shown)
    assert all(question == merged[row]["question"] for question, _, row in shown)
    meta = json.loads((tmp_path / "r" / "report.json").read_text())["runs"][0]["metadata"]
    assert meta["kind"] == "merge" and meta["options"]["mixed_strategy"] and meta["inputs"]["math"]["dir"] == str(source)
    assert meta["inputs"]["math"]["shards"] == 1 and "merged" in meta["dates"]
    head = (tmp_path / "r" / "index.html").read_text().split("Accuracy")[0]
    assert "merge options" in head and "input math" in head


def test_many_sampled_rows_share_the_page_by_showing_less_of_each(tmp_path, monkeypatch):
    rows = [dict(r, completion="<think>" + "r" * 3000 + "</think>" + "f" * 3000) for r in rows_for(MIXED)]
    run = report.load_run("r", save_dir(tmp_path / "run", rows))
    [full] = [s for s in samples.sample_runs([run], 50) if s["sample_index"] == 0 and s["question_index"] == 0]
    assert full["final"] == "f" * 3000 and full["reasoning"] == "<think>" + "r" * 3000 + "</think>"  # 11 rows: whole
    monkeypatch.setattr(samples, "PAGE_CHARS", 11 * 2000)  # 11 rows: 2,000 characters each
    [small] = [s for s in samples.sample_runs([run], 50) if s["sample_index"] == 0 and s["question_index"] == 0]
    assert "characters not shown" in small["final"] and len(small["final"]) < len(full["final"]) / 2
    assert len(small["reasoning"]) < len(full["reasoning"]) / 2
