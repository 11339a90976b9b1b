"""prepare: one-time benchmark CSVs that `gnosis run --stage generate --data_mode csv` reads.

    gnosis prepare math --out_csv data/test/merged_math.csv --out_hf_dir data/test/merged_math_hf
    gnosis prepare mmlu_pro --out_dir data/test/mmlu_pro_csv --splits validation,test
    gnosis prepare gpqa --out_csv data/test/gpqa_diamond.csv --seed 0

A source is a hub id (``ID`` or ``ID:config``) or a local path: a ``save_to_disk`` folder,
or Parquet, JSON/JSONL or CSV files. Every CSV has ``question``, ``solution`` (math) or
``answer`` (the letter, for multiple choice), and ``original_source``.
"""
from __future__ import annotations

import ast
import os
import re
import shutil
import string
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from gnosis_core import shards
from gnosis_core.answers import last_boxed
from gnosis_core.columns import with_options
from gnosis_core.errors import GnosisError
from gnosis_core.loaders import open_source, pick_split
from gnosis_core.options import as_bool, as_list

MATH_DATASETS = ("math-ai/aime24", "math-ai/aime25", "MathArena/hmmt_feb_2025", "AI-MO/aimo-validation-amc")
# Column names tried in order for each row (the first one with a value wins), as in the seed.
QUESTION_CANDIDATES = ("question", "prompt", "problem", "input", "instruction", "query", "text", "title")
SOLUTION_CANDIDATES = ("solution", "final_solution", "final_answer", "answer", "output", "response")
SOURCE_CANDIDATES = ("source", "dataset", "origin", "original_source")
GPQA_COLUMNS = ("Question", "Correct Answer", "Incorrect Answer 1", "Incorrect Answer 2", "Incorrect Answer 3")
LETTERS = string.ascii_uppercase


def prepare_math(*, datasets=MATH_DATASETS, out_csv="data/test/merged_math.csv",
                 out_hf_dir="data/test/merged_math_hf", dedupe=False, keep_all=False) -> pd.DataFrame:
    """Competition math (AIME 2024/2025, HMMT Feb 2025, AMC) as question, solution, original_source.

    Worked solutions (AIME 2024) are reduced to their boxed answer. ``--dedupe`` drops repeated
    questions; ``--keep_all`` keeps rows whose question or solution is empty;
    ``--out_hf_dir none`` skips the ``save_to_disk`` copy.

    Options:
        datasets: comma-separated ID[:config] or local paths
        out_csv: the CSV to write
        out_hf_dir: the same rows as a save_to_disk dataset; none skips it
        dedupe: drop repeated questions
        keep_all: keep rows whose question or solution is empty
    """
    specs = as_list(datasets)
    if not specs:
        raise GnosisError("--datasets is empty; give ID[:config] or local paths, comma-separated")
    hf_dir = out_hf_dir if out_hf_dir and str(out_hf_dir).lower() not in ("none", "off") else None
    _check_outputs(files=[out_csv], folders=[hf_dir] if hf_dir else [])
    merged = pd.concat([_math_frame(spec) for spec in specs], ignore_index=True)
    if not as_bool(keep_all, "keep_all"):
        merged = merged[(merged["question"] != "") & (merged["solution"] != "")]
    if as_bool(dedupe, "dedupe"):
        merged = merged.drop_duplicates(subset=["question"])
    merged = merged.reset_index(drop=True)
    _write_csv(merged, out_csv)
    if hf_dir:
        _save_to_disk(merged, Path(str(hf_dir)))
    counts = ", ".join(f"{src}: {n}" for src, n in merged["original_source"].value_counts(sort=False).items())
    print(f"wrote {len(merged)} questions to {out_csv} ({counts})")
    return merged


def prepare_mmlu_pro(*, dataset="TIGER-Lab/MMLU-Pro", splits=None,
                     out_dir="data/test/mmlu_pro_csv") -> dict[str, pd.DataFrame]:
    """MMLU-Pro as OUT_DIR/<split>.csv: the stem and its lettered options, and the answer letter.

    Options:
        dataset: ID[:config] or a local path
        splits: comma-separated splits to write (default: every split the dataset has; a local file has one, train)
        out_dir: folder the CSVs go to
    """
    _check_outputs(folders=[out_dir])
    source = str(dataset)
    dataset_dict = _open(source)
    wanted = as_list(splits) or list(dataset_dict)  # the hub's MMLU-Pro: validation and test
    present = [s for s in wanted if s in dataset_dict]
    if not present:
        raise GnosisError(f"{source}: none of the splits {', '.join(wanted) or '(none given)'} exists; "
                          f"it has: {', '.join(dataset_dict)}")
    for split in wanted:
        if split not in dataset_dict:
            print(f"gnosis: warning: {source} has no split {split!r} (it has: {', '.join(dataset_dict)}); "
                  "skipped", file=sys.stderr)
    written = {}
    for split in present:
        where = f"{source} [{split}]"
        frame = dataset_dict[split].to_pandas()
        _require(frame, ("question", "options"), where)
        if "answer" not in frame and "answer_index" not in frame:
            raise GnosisError(f"{where}: needs an answer or answer_index column; it has: {', '.join(frame)}")
        options = frame["options"].map(lambda value: _as_options(value, where))
        letters = _answer_letters(frame, options, where)
        out = pd.DataFrame({"question": _with_options(frame["question"], options), "answer": letters,
                            "original_source": f"{source}::{split}"})
        path = Path(str(out_dir)) / f"{split}.csv"
        _write_csv(out, path)
        print(f"wrote {len(out)} questions to {path}")
        written[split] = out
    return written


def prepare_gpqa(*, dataset="Idavidrein/gpqa:gpqa_diamond", split="train",
                 out_csv="data/test/gpqa_diamond.csv", seed=0) -> pd.DataFrame:
    """GPQA (question, correct answer, three incorrect ones) as a question with options A-D in
    an order shuffled reproducibly by ``--seed``, and the letter of the correct one.

    Options:
        dataset: ID[:config] or a local path (e.g. gpqa_diamond.csv)
        split: the split to read
        out_csv: the CSV to write
        seed: shuffles the options (>= 0); the same seed gives the same file
    """
    if not str(seed).isdigit():
        raise GnosisError(f"--seed expects a whole number >= 0, got {seed!r}")
    _check_outputs(files=[out_csv])
    source = str(dataset)
    frame = pick_split(_open(source), split, source).to_pandas()
    by_key = {_column_key(c): c for c in frame.columns}
    missing = [c for c in GPQA_COLUMNS if _column_key(c) not in by_key]
    if missing:
        raise GnosisError(f"{source}: not the GPQA schema, missing column(s) {', '.join(missing)}; "
                          f"it has: {', '.join(map(str, frame.columns))}")
    stem, *choices = (frame[by_key[_column_key(c)]].map(_text) for c in GPQA_COLUMNS)
    rng = np.random.default_rng(int(seed))
    # order[i, j]: which of row i's choices (0 = the correct one) is shown as letter j
    order = rng.permuted(np.tile(np.arange(4), (len(frame), 1)), axis=1)
    shown = np.take_along_axis(np.stack([c.to_numpy(dtype=object) for c in choices], axis=1), order, axis=1)
    out = pd.DataFrame({
        "question": _with_options(stem, pd.Series(list(shown), index=frame.index)),
        "answer": np.array(list(LETTERS[:4]))[np.argmax(order == 0, axis=1)],
        "original_source": f"{source}::{split}",
    })
    _write_csv(out, out_csv)
    print(f"wrote {len(out)} questions to {out_csv}")
    return out


PREPARERS = {"math": prepare_math, "mmlu_pro": prepare_mmlu_pro, "gpqa": prepare_gpqa}


# ---------------------------------------------------------------- sources


def _open(spec: str):
    """A DatasetDict from a local path, or from the hub as ``ID`` or ``ID:config``."""
    from datasets import Dataset, DatasetDict

    if Path(spec).exists():
        opened = open_source(data_path=spec)
    else:
        dataset_id, _, config = spec.partition(":")
        opened = open_source(dataset_id=dataset_id, dataset_config=config or None)
    # a save_to_disk folder may hold one unsplit Dataset
    return DatasetDict({str(opened.split or "train"): opened}) if isinstance(opened, Dataset) else opened


def _math_frame(spec: str) -> pd.DataFrame:
    dataset_dict = _open(spec)
    dataset = pick_split(dataset_dict, None, spec)
    split = next(name for name, d in dataset_dict.items() if d is dataset)
    frame = dataset.to_pandas()
    question = _first_filled(frame, QUESTION_CANDIDATES, ("problem", "question"))
    solution = _first_filled(frame, SOLUTION_CANDIDATES, ("solution", "final"))
    if question is None or solution is None:
        kind, tried = (("question", QUESTION_CANDIDATES) if question is None else ("solution", SOLUTION_CANDIDATES))
        raise GnosisError(f"{spec}: no {kind} column (tried {', '.join(tried)}); "
                          f"it has: {', '.join(map(str, frame.columns))}")
    source = _first_filled(frame, SOURCE_CANDIDATES, ())
    fallback = f"{spec}::{split}"
    return pd.DataFrame({
        "question": question,
        "solution": solution.map(lambda s: last_boxed(s) or s),
        "original_source": fallback if source is None else source.replace("", fallback),
    })


def _first_filled(frame: pd.DataFrame, candidates, name_hints) -> pd.Series | None:
    """Per row, the text of the first candidate column that has a value there; None if the
    frame has none of the candidates (nor a column whose name contains a hint)."""
    columns = [c for c in candidates if c in frame.columns]
    columns += [c for c in frame.columns if c not in columns and any(h in str(c).lower() for h in name_hints)]
    if not columns:
        return None
    texts = pd.DataFrame({c: frame[c].map(_text) for c in columns}, index=frame.index)
    return texts.replace("", None).bfill(axis=1).iloc[:, 0].fillna("").astype(str)


def _text(value) -> str:
    """A cell as stripped text: lists joined by lines, whole floats without '.0' (AMC answers)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, tuple, np.ndarray)):
        return "\n".join(_text(v) for v in value if _text(v))
    return str(value).strip()


def _column_key(name) -> str:
    return re.sub(r"[^a-z0-9]", "", str(name).lower())


def _require(frame: pd.DataFrame, columns, where: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise GnosisError(f"{where}: missing column(s) {', '.join(missing)}; it has: {', '.join(map(str, frame.columns))}")


# ---------------------------------------------------------------- multiple choice


def _as_options(value, where: str) -> list[str]:
    """An options cell as a list: a list already, or the JSON / Python list a CSV holds."""
    if isinstance(value, str):
        try:
            value = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            raise GnosisError(f"{where}: an options cell is not a list: {value[:80]!r}") from None
    if not isinstance(value, (list, tuple, np.ndarray)) or len(value) > len(LETTERS):
        raise GnosisError(f"{where}: an options cell is not a list of at most {len(LETTERS)} options: {value!r:.80}")
    return [_text(v) for v in value]


def _with_options(stem: pd.Series, options: pd.Series) -> pd.Series:
    # one line per option: graders find the options by their "A. " line starts
    return pd.Series([with_options(_text(q), [(letter, " ".join(str(o).split())) for letter, o in zip(LETTERS, opts)],
                                   "newlines") for q, opts in zip(stem, options)], index=stem.index)


def _answer_letters(frame: pd.DataFrame, options: pd.Series, where: str) -> pd.Series:
    """The ``answer`` letter where it names an option, else the letter of ``answer_index``."""
    letter = frame["answer"].map(_text).str.upper() if "answer" in frame else pd.Series("", index=frame.index)
    if "answer_index" in frame:
        index = pd.to_numeric(frame["answer_index"], errors="coerce")
        from_index = index.map(lambda i: LETTERS[int(i)] if 0 <= i < len(LETTERS) else "")  # NaN: ""
        letter = letter.where(letter.isin(list(LETTERS)), from_index)
    valid = letter.isin(list(LETTERS)) & (letter.map(LETTERS.find) < options.map(len))
    if not valid.all():
        row = int(np.flatnonzero(~valid.to_numpy())[0])
        raise GnosisError(f"{where}: {int((~valid).sum())} row(s) have no answer letter among their options "
                          f"(first: row {row}, answer={frame['answer'].iloc[row] if 'answer' in frame else None!r})")
    return letter


# ---------------------------------------------------------------- output


def _check_outputs(files=(), folders=()) -> None:
    """Fail in one line, before any data is read, where an output cannot be written: a file
    target that is a folder, a folder target that is a file, or nowhere to create them."""
    for target in (Path(str(t)) for t in files):
        if target.is_dir():
            raise GnosisError(f"{target} is a folder, not a file")
        shards.check_writable(target.parent)
    for target in (Path(str(t)) for t in folders):
        shards.check_writable(target)  # (a file there is named as one)


def _write_csv(frame: pd.DataFrame, path) -> None:
    shards.write_text(frame.to_csv(index=False), Path(str(path)))


def _save_to_disk(frame: pd.DataFrame, directory: Path) -> None:
    """``Dataset.save_to_disk`` into a temporary folder renamed into place."""
    from datasets import Dataset

    directory.parent.mkdir(parents=True, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent)
    shards.honour_umask(tmp, folder=True)
    try:
        Dataset.from_pandas(frame, preserve_index=False).save_to_disk(tmp)
        if directory.exists():
            shutil.rmtree(directory)
        os.replace(tmp, directory)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
