"""Adversarial math completions through the label stage: each is labeled 0 and counted as
timed out, ordinary rows beside them are graded as usual, and the run finishes."""
import json

from conftest import write_shard
from gnosis_core import shards


def _answer(text):
    return f"<think>\nA long derivation.\n</think>\n\nSo the answer is {text}"


ADVERSARIAL = [
    _answer(r"$\boxed{6^{6^{6^{6}}}}$"),                                   # power tower
    _answer(r"$\boxed{((8!)!)!}$"),                                        # factorial chain
    _answer("$\\boxed{" + "4" * 120_000 + "}$"),                           # a huge box
    _answer(" ".join(f"$\\boxed{{{k}}}$" for k in range(12_000))),          # thousands of boxes
    _answer("$\\boxed{" + "\\frac{1}{" * 120 + "2" + "}" * 121 + "$"),     # deep fractions
]


def test_adversarial_rows_are_timed_out_and_the_rest_is_graded(tmp_path, gnosis):
    ordinary = [{"question": "q", "completion": _answer(r"$\boxed{\frac{3}{6}}$"), "solution": "0.5"},
                {"question": "q", "completion": _answer(r"$\boxed{2}$ and $\boxed{-2}$"), "solution": "-2, 2"},
                {"question": "q", "completion": _answer("$\\boxed{" + "{" * 3_000 + "$"), "solution": "1"}]
    bad = [{"question": "q", "completion": c, "solution": "5"} for c in ADVERSARIAL]
    write_shard(tmp_path / "shard-000001.jsonl", ordinary + bad)
    code, out, err = gnosis("run", "--task", "math", "--stage", "label", "--save_dir", tmp_path,
                            "--workers", 1, "--progress", "false")
    assert code == 0, err
    got = shards.read_jsonl(tmp_path / "verified" / "shard-000001.verified.jsonl")
    assert [r["correctness_label"] for r in got] == [1, 1, 0] + [0] * len(bad)
    assert [r["extracted_answer"] for r in got[:3]] == [r"\frac{3}{6}", "2, -2", None]  # unclosed: none
    total = json.loads((tmp_path / "verified" / "summary.json").read_text())["total"]
    assert total["timed_out"] == len(bad) and total["errors"] == 0
