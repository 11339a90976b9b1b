"""`gnosis grade`: one completion graded in-process, every step shown; and `gnosis --help`."""
import json
import re

import pytest

from conftest import write_shard
from test_label import BERLIN, _grade_by_word, _install_test_task, read_verified, trivia_rows


def grade_json(gnosis, *argv):
    code, out, err = gnosis("grade", *argv, "--json")
    assert code == 0, err
    return json.loads(out)


def test_math_shows_region_answer_what_math_verify_parsed_and_verdict(gnosis):
    completion = "<think>\nhalf of it\n</think>\nSo the answer is $\\boxed{0.5}$."
    code, out, err = gnosis("grade", "--task", "math", "--gold", "\\frac{1}{2}", "--completion", completion)
    assert code == 0, err
    assert "the text after the last </think>" in out and "So the answer is $\\boxed{0.5}$." in out
    assert "half of it" not in out
    report = grade_json(gnosis, "--task", "math", "--gold", "\\frac{1}{2}", "--completion", completion)
    assert report["answer_region"] == "\nSo the answer is $\\boxed{0.5}$."
    assert report["extracted_answer"] == "0.5" and report["gold"] == "\\frac{1}{2}"
    # what math-verify parsed, not the strings: both sides are the same rational
    assert report["graders_view"]["gold"] == report["graders_view"]["prediction"] != "0.5"
    assert (report["verdict"], report["correctness_label"], report["grade_status"]) == ("correct", 1, "ok")


def test_gold_and_completion_reach_the_grader_as_typed(gnosis):
    # fire would make 007 the number 7 and 1e3 the float 1000.0
    report = grade_json(gnosis, "--task", "trivia", "--gold", "007", "--completion", "\\boxed{7}")
    assert report["gold"] == "007" and report["extracted_answer"] == "7"
    report = grade_json(gnosis, "--task", "math", "--gold=1e3", "--completion=\\boxed{1000}")
    assert report["gold"] == "1e3"


def test_a_grader_without_describe_shows_the_strings_it_compared(gnosis):
    report = grade_json(gnosis, "--task", "mmlu_pro", "--gold", "A", "--completion", "The answer is (B).")
    assert report["graders_view"] == {"gold": "A", "prediction": "(B)"}
    assert (report["verdict"], report["grade_status"]) == ("wrong", "ok")


def test_explain_false_says_the_verdict_and_the_deciding_rule_in_one_line(gnosis):
    args = ("grade", "--task", "math", "--gold", "5", "--completion", "So the answer is 5/12.")
    code, full, _ = gnosis(*args, "--explain")
    assert code == 0 and "answer region" in full and "decided by" in full
    code, out, _ = gnosis(*args, "--explain", "false")
    assert code == 0 and len(out.strip().splitlines()) == 1
    assert out.startswith("wrong (correctness_label 0): extracted 5/12; decided by ")
    code, out, _ = gnosis("grade", "--task", "trivia", "--gold", "Paris", "--completion", "No idea.", "--explain", "false")
    assert code == 0 and out.strip() == "not graded (correctness_label 0): extracted (none); status unparsed: no answer found"


def test_the_trivia_grader_names_the_rule_that_decided(gnosis):
    report = grade_json(gnosis, "--task", "trivia", "--gold", "Titicaca", "--question",
                        "Which lake is the highest navigable lake?", "--completion", "The answer is Lake Titicaca.")
    assert report["verdict"] == "correct"
    assert report["rule"] == "alias 'titicaca' + lake descriptor 'lake'"
    report = grade_json(gnosis, "--task", "trivia", "--gold", "Paris", "--completion", "The answer is Berlin.")
    assert (report["verdict"], report["rule"]) == ("wrong", "no alias matched")


def test_no_answer_says_why(gnosis):
    report = grade_json(gnosis, "--task", "math", "--gold", "3", "--completion", "<think>let me see")
    assert report["answer_region"] is None and "never closed" in report["answer_region_is"]
    assert (report["verdict"], report["grade_status"], report["grade_detail"]) == (
        "not graded", "unparsed", "reasoning never closed")
    code, out, _ = gnosis("grade", "--task", "math", "--completion", "\\boxed{3}")
    status = next(line for line in out.splitlines() if line.startswith("status"))
    assert code == 0 and "unverifiable:" in status and "gold" in status


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_a_row_of_a_verified_shard_is_graded_as_label_graded_it(tmp_path, gnosis, fmt):
    rows = trivia_rows() + [{"question": "q", "completion": "\\boxed{Berlin}", "answer": None}]
    write_shard(tmp_path / f"shard-000001.{fmt}", rows)
    assert gnosis("run", "--task", "trivia", "--stage", "label", "--save_dir", tmp_path, "--progress", "false")[0] == 0
    verified = tmp_path / "verified" / f"shard-000001.verified.{fmt}"
    for n, stored in enumerate(read_verified(verified)):
        report = grade_json(gnosis, "--task", "trivia", "--file", verified, "--row", n)
        assert report["stored"]["grade_status"] == report["grade_status"] == stored["grade_status"]
        assert report["correctness_label"] == stored["correctness_label"]
        assert report["grade_detail"] == stored["grade_detail"]
        assert report["gold"] == stored["answer"] and report["source"] == f"{verified}, row {n}"
    assert [r["grade_status"] for r in read_verified(verified)] == ["ok", "ok", "unparsed", "unverifiable"]


def test_gold_column_and_gold_can_be_overridden(tmp_path, gnosis):
    shard = write_shard(tmp_path / "shard.jsonl", [{"completion": "\\boxed{Bonn}", "answer": BERLIN, "old": "Bonn"}])
    assert grade_json(gnosis, "--task", "trivia", "--file", shard, "--row", 0)["verdict"] == "wrong"
    report = grade_json(gnosis, "--task", "trivia", "--file", shard, "--row", 0, "--answer_col", "old")
    assert (report["gold_column"], report["verdict"]) == ("old", "correct")
    assert grade_json(gnosis, "--task", "trivia", "--file", shard, "--row", 0, "--gold", "Bonn")["verdict"] == "correct"


def test_the_question_gives_multiple_choice_its_options(gnosis):
    question = "Which is a noble gas?\nA. Oxygen\nB. Neon\nC. Iron"
    report = grade_json(gnosis, "--task", "gpqa", "--question", question, "--gold", "B",
                        "--completion", "The answer is Neon.")
    assert (report["extracted_answer"], report["verdict"]) == ("Neon", "correct")
    without = grade_json(gnosis, "--task", "gpqa", "--gold", "B", "--completion", "The answer is Neon.")
    assert without["verdict"] == "wrong"  # no options to map "Neon" to a letter


def test_plugin_reasons_and_timeouts_are_shown(gnosis):
    _install_test_task("reasons", _grade_by_word)
    for word, status, detail in (("slow", "timed_out", "comparison ran past 1 s"),
                                 ("matrix", "error", "TypeError: unhashable type: 'MutableDenseMatrix'"),
                                 ("badgold", "unverifiable", "gold not parseable: \\frac{")):
        report = grade_json(gnosis, "--task", "reasons", "--gold", "ok", "--completion", f"\\boxed{{{word}}}")
        assert (report["grade_status"], report["grade_detail"]) == (status, detail)
        assert report["extracted_answer"] == word  # the answer it found, even though grading failed


@pytest.mark.parametrize("argv, expected", [
    (["--task", "mathh", "--completion", "x"], "Did you mean 'math'?"),
    (["--completion", "x"], "needs --task"),
    (["--task", "math"], "needs --completion TEXT, or --file SHARD --row N"),
    (["--task", "math", "--file", "{tmp}/nope.jsonl", "--row", "0"], "nope.jsonl does not exist"),
    (["--task", "trivia", "--file", "{tmp}/s.jsonl", "--row", "5"], "--row 5 is out of range: {tmp}/s.jsonl has 2 rows (0 to 1)"),
    (["--task", "trivia", "--file", "{tmp}/s.jsonl"], "--file needs --row N, counting from 0"),
    (["--task", "trivia", "--file", "{tmp}/s.jsonl", "--row", "x"], "--row expects a row number"),
    (["--task", "trivia", "--file", "{tmp}/s.jsonl", "--row", "0", "--completion", "y"], "not both"),
    (["--task", "trivia", "--completion", "y", "--row", "0"], "--row needs --file"),
    (["--task", "math", "--file", "{tmp}/s.jsonl", "--row", "0"], "no column 'solution'"),
    (["--task", "math", "--completion", "y", "--timeout", "0"], "--timeout must be a number of seconds > 0"),
    (["--task", "math", "--completion", "y", "--gol", "1"], "Did you mean --gold?"),
])
def test_mistakes_are_one_line_errors(tmp_path, gnosis, argv, expected):
    write_shard(tmp_path / "s.jsonl", [{"completion": "\\boxed{a}", "answer": "a"}] * 2)
    code, out, err = gnosis("grade", *[a.format(tmp=tmp_path) for a in argv])
    assert code == 2 and out == ""
    assert err.startswith("gnosis: error:") and len(err.strip().splitlines()) == 1
    assert expected.format(tmp=tmp_path) in err


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_top_level_help_lists_the_commands_like_bare_gnosis(gnosis, flag):
    code, bare, _ = gnosis()
    assert code == 0
    code, out, err = gnosis(flag)
    assert code == 0 and out == bare
    for command in ("grade", "plugins", "prepare", "report", "run", "tasks"):
        assert re.search(rf"\n  {command} +[A-Z]", out), command


def test_grade_help_says_what_each_option_means(gnosis):
    import inspect

    from gnosis_core.stages import grade

    code, out, _ = gnosis("grade", "--help")
    assert code == 0 and out.startswith("usage: gnosis grade --task TASK")
    for name, param in inspect.signature(grade.run).parameters.items():
        if param.kind is inspect.Parameter.KEYWORD_ONLY:
            line = next((l for l in out.splitlines() if l.strip().startswith(f"--{name} ")), "")
            assert len(line.split(None, 2)[2:3][0] if line.split(None, 2)[2:] else "") > 10, \
                f"--{name} has no meaning in --help"
