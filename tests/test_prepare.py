"""gnosis prepare on small local fixtures shaped like the real benchmark datasets."""
import json

import datasets
import pandas as pd
import pytest

from gnosis_core.stages import prepare

datasets.disable_progress_bars()  # they would share stderr with the one-line errors under test

AIME24 = [  # math-ai/aime24: worked solutions ending in a boxed answer
    {"id": 60, "problem": "Every morning Aya goes for a $9$-kilometer-long walk.",
     "solution": "$\\frac{9}{s} + t = 4$ ... so the walk takes $\\boxed{204}$ minutes.", "url": "https://aops/1"},
    {"id": 61, "problem": "Let $ABC$ be a triangle inscribed in circle $\\omega$.",
     "solution": "By power of a point, $AP = \\boxed{\\frac{100}{13}}$, so $m+n=\\boxed{113}$.", "url": "https://aops/2"},
]
AIME25 = [{"problem": "Find the sum of all integer bases $b>9$ for which $17_b$ divides $97_b$.", "answer": "70", "id": "0"},
          {"problem": "On $\\triangle ABC$ points $A, D, E$ lie in that order.", "answer": "588", "id": "1"}]
HMMT = [{"problem_idx": 1, "problem": "Compute the sum of the positive divisors of $9!$ that have units digit $1$.",
         "answer": "103", "problem_type": ["Number Theory"]},
        {"problem_idx": 2, "problem": "Compute $\\sqrt{a}$.", "answer": "\\frac{1}{2}", "problem_type": ["Algebra"]}]
AMC = [{"id": 0, "problem": "Let $k$ be a positive integer.", "answer": 142.0, "url": "https://aops/amc1"},
       {"id": 1, "problem": "Compute $x$.", "answer": 2.5, "url": "https://aops/amc2"}]
MMLU_PRO = [
    {"question_id": 70, "question": "Typical advertising regulatory bodies suggest...",
     "options": ["Safe practices", "Unsafe practices", "Fear", "Jealousy"], "answer": "B", "answer_index": 1,
     "cot_content": "", "category": "business", "src": "ori_mmlu-business_ethics"},
    {"question_id": 71, "question": "What is 2+2?", "options": ["3", "4", "5"], "answer": None, "answer_index": 1,
     "cot_content": "", "category": "math", "src": "stemez-Math"},
]
GPQA = [
    {"Record ID": f"rec{i}", "Question": f"Which particle is number {i}?", "Correct Answer": f"right {i}",
     "Incorrect Answer 1": f"wrong {i}a", "Incorrect Answer 2": f"wrong {i}b", "Incorrect Answer 3": f"wrong {i}c",
     "Explanation": "because", "High-level domain": "Physics"} for i in range(12)
]


def save_to_disk(path, splits: dict):
    datasets.DatasetDict({name: datasets.Dataset.from_list(rows) for name, rows in splits.items()}).save_to_disk(str(path))
    return path


def math_sources(tmp_path):
    aime24 = save_to_disk(tmp_path / "aime24", {"test": AIME24})
    aime25 = tmp_path / "aime25.parquet"
    pd.DataFrame(AIME25).to_parquet(aime25)
    hmmt = tmp_path / "hmmt_feb_2025.jsonl"
    pd.DataFrame(HMMT).to_json(hmmt, orient="records", lines=True)
    amc = tmp_path / "aimo_validation_amc.csv"
    pd.DataFrame(AMC).to_csv(amc, index=False)
    return [aime24, aime25, hmmt, amc]


def test_prepare_math_from_every_local_format(tmp_path, gnosis):
    sources = math_sources(tmp_path)
    out_csv, out_hf = tmp_path / "data" / "merged_math.csv", tmp_path / "data" / "merged_math_hf"
    code, out, err = gnosis("prepare", "math", "--datasets", ",".join(map(str, sources)),
                            "--out_csv", out_csv, "--out_hf_dir", out_hf)
    assert code == 0, err
    frame = pd.read_csv(out_csv, dtype=str)
    assert list(frame.columns) == ["question", "solution", "original_source"]  # what generate --data_mode csv reads
    assert frame["solution"].tolist() == ["204", "113", "70", "588", "103", "\\frac{1}{2}", "142", "2.5"]
    assert frame["question"].iloc[0] == AIME24[0]["problem"]
    assert frame["original_source"].iloc[0] == f"{sources[0]}::test"
    assert frame["original_source"].iloc[-1] == f"{sources[3]}::train"
    assert datasets.load_from_disk(str(out_hf)).to_pandas().astype(str).equals(frame)
    assert f"wrote 8 questions to {out_csv}" in out


def test_prepare_math_dedupe_keep_all_and_native_source(tmp_path):
    rows = [{"prompt": "Same?", "final_answer": "1", "source": "olympiad"},
            {"prompt": "Same?", "final_answer": "1", "source": "olympiad"},
            {"prompt": "No answer", "final_answer": "", "source": ""}]
    path = tmp_path / "mine.json"
    pd.DataFrame(rows).to_json(path, orient="records", lines=True)
    kept = prepare.prepare_math(datasets=str(path), out_csv=tmp_path / "a.csv", out_hf_dir="none")
    assert kept["question"].tolist() == ["Same?", "Same?"] and set(kept["original_source"]) == {"olympiad"}
    deduped = prepare.prepare_math(datasets=str(path), out_csv=tmp_path / "b.csv", out_hf_dir=None,
                                   dedupe=True, keep_all=True)
    assert deduped["question"].tolist() == ["Same?", "No answer"]
    assert deduped["original_source"].tolist() == ["olympiad", f"{path}::train"]
    assert not (tmp_path / "data").exists()


def test_prepare_math_with_unexpected_columns_is_a_clear_error(tmp_path, gnosis):
    path = tmp_path / "odd.csv"
    pd.DataFrame([{"stem": "What?", "label": "1"}]).to_csv(path, index=False)
    code, _, err = gnosis("prepare", "math", "--datasets", path, "--out_csv", tmp_path / "m.csv", "--out_hf_dir", "none")
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert f"{path}: no question column (tried question, prompt, problem" in err and "it has: stem, label" in err
    assert not (tmp_path / "m.csv").exists()


def test_prepare_mmlu_pro_letters_and_options(tmp_path, gnosis):
    source = save_to_disk(tmp_path / "mmlu_pro", {"validation": MMLU_PRO[:1], "test": MMLU_PRO})
    code, out, err = gnosis("prepare", "mmlu_pro", "--dataset", source, "--out_dir", tmp_path / "csv")
    assert code == 0, err
    test = pd.read_csv(tmp_path / "csv" / "test.csv")
    assert list(test.columns) == ["question", "answer", "original_source"]
    assert test["answer"].tolist() == ["B", "B"]  # the letter, or the letter of answer_index
    assert test["question"].iloc[0] == ("Typical advertising regulatory bodies suggest...\n\n"
                                        "A. Safe practices\nB. Unsafe practices\nC. Fear\nD. Jealousy")
    assert test["original_source"].iloc[0] == f"{source}::test"
    assert len(pd.read_csv(tmp_path / "csv" / "validation.csv")) == 1
    # the mcq grader finds the options in the prepared question
    from gnosis_mcq import grade
    assert grade("Unsafe practices", "B", {"question": test["question"].iloc[0]}) is True


def test_prepare_mmlu_pro_with_a_split_missing(tmp_path, gnosis):
    source = save_to_disk(tmp_path / "mmlu_pro", {"test": MMLU_PRO})
    code, out, err = gnosis("prepare", "mmlu_pro", "--dataset", source, "--splits", "validation,test",
                            "--out_dir", tmp_path / "csv")
    assert code == 0, err
    assert "has no split 'validation' (it has: test); skipped" in err
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == ["test.csv"]
    code, _, err = gnosis("prepare", "mmlu_pro", "--dataset", source, "--splits", "validation",
                          "--out_dir", tmp_path / "csv2")
    assert code == 2 and "none of the splits validation exists; it has: test" in err


@pytest.mark.parametrize("rows, expected", [
    ([{"question": "q", "choices": ["a", "b"], "answer": "A"}], "missing column(s) options"),
    ([{"question": "q", "options": ["a", "b"], "answer": "C"}], "1 row(s) have no answer letter among their options"),
    ([{"question": "q", "options": ["a", "b"]}], "needs an answer or answer_index column"),
])
def test_prepare_mmlu_pro_bad_rows(tmp_path, gnosis, rows, expected):
    source = save_to_disk(tmp_path / "mmlu_pro", {"test": rows})
    code, _, err = gnosis("prepare", "mmlu_pro", "--dataset", source, "--splits", "test", "--out_dir", tmp_path / "csv")
    assert code == 2 and expected in err and len(err.strip().splitlines()) == 1


def test_prepare_mmlu_pro_reads_options_from_a_csv(tmp_path):
    path = tmp_path / "mmlu.csv"
    pd.DataFrame([dict(MMLU_PRO[0], options=str(MMLU_PRO[0]["options"]))]).to_csv(path, index=False)
    written = prepare.prepare_mmlu_pro(dataset=str(path), splits="train", out_dir=tmp_path / "csv")
    assert written["train"]["question"].iloc[0].endswith("C. Fear\nD. Jealousy")


def test_prepare_gpqa_shuffles_reproducibly(tmp_path, gnosis):
    source = tmp_path / "gpqa_diamond.csv"
    pd.DataFrame(GPQA).to_csv(source, index=False)
    for name, seed in (("a", 0), ("b", 0), ("c", 1)):
        code, _, err = gnosis("prepare", "gpqa", "--dataset", source, "--out_csv", tmp_path / f"{name}.csv", "--seed", seed)
        assert code == 0, err
    first = pd.read_csv(tmp_path / "a.csv")
    assert list(first.columns) == ["question", "answer", "original_source"]
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert (tmp_path / "a.csv").read_bytes() != (tmp_path / "c.csv").read_bytes()
    assert first["answer"].nunique() > 1  # the correct answer is not always A
    from gnosis_mcq import grade
    for i, row in first.iterrows():
        assert row["question"].startswith(f"Which particle is number {i}?\n\nA. ")
        assert f"\n{row['answer']}. right {i}" in "\n" + row["question"].split("\n\n", 1)[1]
        assert grade(f"right {i}", row["answer"], {"question": row["question"]}) is True


def test_prepare_gpqa_from_an_unsplit_folder_and_a_missing_split(tmp_path, gnosis):
    source = tmp_path / "gpqa"
    datasets.Dataset.from_list(GPQA[:3]).save_to_disk(str(source))
    code, _, err = gnosis("prepare", "gpqa", "--dataset", source, "--out_csv", tmp_path / "g.csv")
    assert code == 0, err
    assert pd.read_csv(tmp_path / "g.csv")["original_source"].tolist() == [f"{source}::train"] * 3
    code, _, err = gnosis("prepare", "gpqa", "--dataset", source, "--split", "test", "--out_csv", tmp_path / "h.csv")
    assert code == 2 and "no split 'test'" in err and not (tmp_path / "h.csv").exists()


def test_prepare_gpqa_with_unexpected_columns_is_a_clear_error(tmp_path, gnosis):
    source = tmp_path / "other.parquet"
    pd.DataFrame([{"Question": "q", "Correct Answer": "a", "Distractors": "b|c|d"}]).to_parquet(source)
    code, _, err = gnosis("prepare", "gpqa", "--dataset", source, "--out_csv", tmp_path / "g.csv")
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "not the GPQA schema, missing column(s) Incorrect Answer 1, Incorrect Answer 2, Incorrect Answer 3" in err


def test_prepare_rejects_unknown_options(gnosis, tmp_path):
    code, _, err = gnosis("prepare", "gpqa", "--out_cvs", tmp_path / "x.csv")
    assert code == 2 and "Did you mean --out_csv?" in err


def test_prepare_mmlu_pro_from_a_local_file_needs_no_splits(tmp_path, gnosis):
    """A local file has one split, train: without --splits every split the dataset has is written."""
    path = tmp_path / "mmlu_pro.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in MMLU_PRO))
    code, out, err = gnosis("prepare", "mmlu_pro", "--dataset", path, "--out_dir", tmp_path / "csv")
    assert code == 0, err
    assert [p.name for p in (tmp_path / "csv").iterdir()] == ["train.csv"]
