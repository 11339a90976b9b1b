"""Bad input on generate, label and merge: one line `gnosis: error: ...`, exit 2, no traceback,
and nothing in the folders touched. The cases are the catalogue of issue #11."""
import inspect
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import write_shard
from gnosis_core import options
from gnosis_core.cli import option_lines
from gnosis_core.stages import generate, label, merge, prepare
from test_generate import FAST, QUESTIONS, all_rows, write_questions

ROWS = [{"question": "Capital of France?", "completion": "\\boxed{Paris}", "answer": "Paris"},
        {"question": "Capital of Italy?", "completion": "\\boxed{Milan}", "answer": "Rome"}]


def snapshot(folder: Path) -> dict:
    """Every file under ``folder`` with its bytes and mode."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mode)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_one_line_error(result, *expected):
    code, _, err = result
    assert code == 2, err
    assert err.startswith("gnosis: error: ") and len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err
    for text in expected:
        assert text in err, err


def _can_create_in(folder: Path) -> bool:
    try:
        (folder / ".probe").touch()
    except OSError:
        return False
    (folder / ".probe").unlink()
    return True


@pytest.fixture
def read_only():
    """``read_only(folder)`` makes a folder where no file can be created, also for root (who
    ignores permission bits): by mode bits, else by the immutable attribute."""
    immutable, chmodded = [], []

    def make(folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o555)
        chmodded.append(folder)
        if _can_create_in(folder):
            if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
                pytest.skip("cannot make a read-only folder here (root, and no chattr)")
            immutable.append(folder)
        assert not _can_create_in(folder)
        return folder

    yield make
    for folder in immutable:
        subprocess.run(["chattr", "-i", str(folder)], check=True)
    for folder in chmodded:
        folder.chmod(0o755)


# ---------------------------------------------------------------- label


@pytest.fixture
def labeled(tmp_path):
    """A save_dir with a shard and the verified output of an earlier label run."""
    save_dir = tmp_path / "run"
    write_shard(save_dir / "shard-000001.parquet", ROWS)
    write_shard(save_dir / "verified" / "shard-000001.verified.parquet", [dict(r, correctness_label=1) for r in ROWS])
    return save_dir


def label_args(save_dir, *extra):
    return ("run", "--task", "trivia", "--stage", "label", "--save_dir", save_dir, "--progress", "false", *extra)


@pytest.mark.parametrize("flags, expected", [
    (["--workers", "abc"], "--workers expects a whole number from 1 to 1024, got 'abc'"),
    (["--workers", "0"], "--workers expects a whole number from 1 to 1024, got 0"),
    (["--workers", "-1"], "--workers expects a whole number from 1 to 1024, got -1"),
    (["--workers", "2.5"], "--workers expects a whole number"),
    (["--timeout", "abc"], "--timeout expects a number > 0 and <= 3600, got 'abc'"),
    (["--timeout", "0"], "--timeout expects a number > 0 and <= 3600, got 0"),
    (["--timeout", "-1"], "--timeout expects a number > 0 and <= 3600"),
    (["--timeout", "nan"], "--timeout expects a number > 0 and <= 3600, got 'nan'"),
    (["--timeout", "inf"], "--timeout expects a number > 0 and <= 3600, got 'inf'"),
    (["--timeout", "1e10"], "--timeout expects a number > 0 and <= 3600"),
    (["--batch_size", "abc"], "--batch_size expects a whole number >= 1, got 'abc'"),
    (["--batch_size", "0"], "--batch_size expects a whole number >= 1, got 0"),
    (["--batch_size", "-5"], "--batch_size expects a whole number >= 1, got -5"),
    (["--out_subdir", "../x"], "--out_subdir expects a folder name inside --save_dir (relative, without ..), got '../x'"),
    (["--out_subdir", "/tmp/elsewhere"], "--out_subdir expects a folder name inside --save_dir"),
    (["--out_subdir", "."], "--out_subdir expects a folder name inside --save_dir"),
    (["--drop_unparsed", "maybe"], "--drop_unparsed expects true or false, got 'maybe'"),
    (["--workers", "2", "leftover"], "unexpected argument 'leftover' after `gnosis run`"),
])
def test_label_rejects_bad_options_before_any_work(labeled, gnosis, flags, expected):
    before = snapshot(labeled.parent)
    assert_one_line_error(gnosis(*label_args(labeled, *flags)), expected)
    assert snapshot(labeled.parent) == before


def test_label_without_save_dir(gnosis):
    assert_one_line_error(gnosis("run", "--task", "trivia", "--stage", "label"),
                          "--stage label needs --save_dir (the folder holding the shards)")


def test_label_save_dir_that_is_a_file(tmp_path, gnosis):
    (tmp_path / "file").write_text("x")
    assert_one_line_error(gnosis(*label_args(tmp_path / "file")), "is not a directory")


def test_label_when_verified_is_a_file(labeled, gnosis):
    (labeled / "verified" / "shard-000001.verified.parquet").unlink()
    (labeled / "verified").rmdir()
    (labeled / "verified").write_text("not a folder")
    before = snapshot(labeled)
    assert_one_line_error(gnosis(*label_args(labeled)), f"{labeled / 'verified'} is a file, not a folder")
    assert snapshot(labeled) == before


def test_label_in_a_read_only_save_dir(tmp_path, gnosis, read_only):
    save_dir = tmp_path / "run"
    write_shard(save_dir / "shard-000001.parquet", ROWS)
    read_only(save_dir)
    assert_one_line_error(gnosis(*label_args(save_dir)), f"cannot write in {save_dir}")
    assert not (save_dir / "verified").exists()


def test_label_a_jsonl_shard_that_is_not_utf8(tmp_path, gnosis):
    save_dir = tmp_path / "run"
    save_dir.mkdir()
    good = json.dumps(ROWS[0]).encode()
    (save_dir / "shard-000001.jsonl").write_bytes(good + b"\n" + good.replace(b"Paris", b"Par\xffis") + b"\n")
    assert_one_line_error(gnosis(*label_args(save_dir)),
                          f"{save_dir / 'shard-000001.jsonl'}: line 2 is not UTF-8 text")


# ---------------------------------------------------------------- generate


@pytest.fixture
def old_run(tmp_path):
    """A save_dir holding an earlier run: shards, manifest and labels."""
    save_dir = tmp_path / "run"
    for number in (1, 2, 3):
        write_shard(save_dir / f"shard-00000{number}.parquet", [dict(ROWS[0], question_index=number)])
    (save_dir / "manifest.json").write_text(json.dumps({"config": {}, "shards": []}))
    write_shard(save_dir / "verified" / "shard-000001.verified.parquet", [dict(ROWS[0], correctness_label=1)])
    (save_dir / "verified" / "summary.json").write_text("{}")
    return save_dir


def generate_args(save_dir, model, data, *extra):
    return ("run", "--task", "trivia", "--stage", "generate", "--data_path", data, "--model_id", model,
            "--save_dir", save_dir, *FAST, *extra)


@pytest.mark.parametrize("flags, expected", [
    (["--num_generations", "abc"], "--num_generations expects a whole number >= 1, got 'abc'"),
    (["--num_generations", "0"], "--num_generations expects a whole number >= 1, got 0"),
    (["--temperature", "-1"], "--temperature expects a number >= 0, got -1"),
    (["--temperature", "nan"], "--temperature expects a number >= 0, got 'nan'"),
    (["--top_p", "0"], "--top_p expects a number > 0 and <= 1, got 0"),
    (["--top_p", "2"], "--top_p expects a number > 0 and <= 1, got 2"),
    (["--shard_size", "0"], "--shard_size expects a whole number >= 1, got 0"),
    (["--shard_size", "-3"], "--shard_size expects a whole number >= 1, got -3"),
    (["--max_questions", "-5"], "--max_questions expects a whole number >= 1, got -5"),
    (["--seed", "-1"], "--seed expects a whole number >= 0, got -1"),
    (["--gpu_memory_utilization", "1.5"], "--gpu_memory_utilization expects a number > 0 and <= 1"),
    (["--dtype", "float64"], "--dtype must be one of auto, half, float16, bfloat16, float, float32"),
    (["--shard_fmt", "csv"], "--shard_fmt must be one of parquet, jsonl"),
    (["--overwrite", "please"], "--overwrite expects true or false, got 'please'"),
    (["--max_tokens", "8", "--stage2_tokens", "8"], "--max_tokens (8) > --stage2_tokens (8)"),
    (["--backend", "tranformers"], "unknown backend 'tranformers'. Did you mean 'transformers'?"),
    (["extra"], "unexpected argument 'extra'"),
])
@pytest.mark.parametrize("overwrite", [[], ["--overwrite", "true"]])
def test_generate_rejects_bad_options_and_destroys_nothing(tmp_path, old_run, gnosis, tiny_model, flags, expected,
                                                           overwrite):
    data = write_questions(tmp_path, "csv")
    before = snapshot(old_run)
    assert_one_line_error(gnosis(*generate_args(old_run, tiny_model, data, *overwrite, *flags)), expected)
    assert snapshot(old_run) == before


def test_stage_all_checks_the_label_options_before_generating(tmp_path, gnosis, tiny_model):
    data = write_questions(tmp_path, "csv")
    args = ["all" if a == "generate" else a for a in generate_args(tmp_path / "run", tiny_model, data, "--workers", 0)]
    assert_one_line_error(gnosis(*args), "--workers expects a whole number from 1 to 1024, got 0")
    assert not (tmp_path / "run").exists()


def test_generate_needs_model_and_save_dir(tmp_path, gnosis):
    assert_one_line_error(gnosis("run", "--task", "trivia", "--stage", "generate", "--save_dir", tmp_path),
                          "--stage generate needs --model_id (a hub id or a local model folder)")
    assert_one_line_error(gnosis("run", "--task", "trivia", "--stage", "generate", "--model_id", "x/y"),
                          "--stage generate needs --save_dir")


def test_overwrite_checks_everything_before_removing_the_old_run(tmp_path, old_run, gnosis, tiny_model, read_only):
    data = write_questions(tmp_path, "csv")
    overwrite = ["--overwrite"]
    before = snapshot(old_run)
    failed_starts = [
        (generate_args(old_run, tmp_path / "no-such-model", data, *overwrite), "no such folder, and not a hub id"),
        (generate_args(old_run, tmp_path, data, *overwrite), f"--model_id {tmp_path}: cannot load its config"),
        (generate_args(old_run, tiny_model, tmp_path / "missing.csv", *overwrite), "missing.csv: no such file"),
        (generate_args(old_run, tiny_model, data, "--question_col", "nope", *overwrite), "nope"),
        (generate_args(old_run, tiny_model, data, "--temperature", "-1", *overwrite), "--temperature expects"),
    ]
    for args, expected in failed_starts:
        assert_one_line_error(gnosis(*args), expected)
        assert snapshot(old_run) == before
    read_only(old_run)
    assert_one_line_error(gnosis(*generate_args(old_run, tiny_model, data, *overwrite)), f"cannot write in {old_run}")
    assert snapshot(old_run) == before


def test_a_generate_start_that_fails_leaves_no_folder_it_made(tmp_path, gnosis, tiny_model):
    data = write_questions(tmp_path, "csv")
    save_dir = tmp_path / "new" / "run"
    for args, expected in [(generate_args(save_dir, tiny_model, tmp_path / "missing.csv"), "missing.csv: no such file"),
                           (generate_args(save_dir, tiny_model, data, "--question_col", "nope"), "nope")]:
        assert_one_line_error(gnosis(*args), expected)
        assert not (tmp_path / "new").exists()


def test_overwrite_removes_the_old_run_once_the_new_one_starts(tmp_path, old_run, gnosis, tiny_model):
    data = write_questions(tmp_path, "csv", QUESTIONS[:2])
    code, _, err = gnosis(*generate_args(old_run, tiny_model, data, "--overwrite"))
    assert code == 0, err
    assert sorted(p.name for p in old_run.glob("shard-*")) == ["shard-000001.parquet"]
    assert len(all_rows(old_run)) == 4 and not list((old_run / "verified").iterdir())
    assert json.loads((old_run / "manifest.json").read_text())["config"]["model_id"] == str(tiny_model)


@pytest.mark.parametrize("below", ["", "sub"])
def test_generate_save_dir_that_is_a_file_or_under_one(tmp_path, gnosis, below):
    target = tmp_path / "file"
    target.write_text("a file")
    assert_one_line_error(gnosis(*generate_args(target / below, "org/model", tmp_path / "q.csv")),
                          f"{target} is a file, not a folder")
    assert target.read_text() == "a file"


def test_generate_in_a_read_only_save_dir_fails_before_the_model_loads(tmp_path, gnosis, read_only, monkeypatch):
    data = write_questions(tmp_path, "csv")
    monkeypatch.setattr(generate, "check_model", lambda *a: pytest.fail("the model was looked at first"))
    save_dir = read_only(tmp_path / "ro")
    assert_one_line_error(gnosis(*generate_args(save_dir / "run", "org/model", data)),
                          f"cannot write in {save_dir} (to make {save_dir / 'run'})")


def test_a_hub_model_id_that_cannot_be_found_is_one_line(tmp_path):
    """Offline, so nothing is downloaded: the hub id resolves to nothing."""
    data = write_questions(tmp_path, "csv")
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    result = subprocess.run([sys.executable, "-m", "gnosis_core.cli", *map(str, generate_args(
        tmp_path / "run", "gnosis-test/no-such-model", data))], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("gnosis: error: --model_id gnosis-test/no-such-model: cannot load its config")
    assert len(result.stderr.strip().splitlines()) == 1 and not (tmp_path / "run").exists()


# ---------------------------------------------------------------- merge


@pytest.fixture
def merge_input(tmp_path):
    task = tmp_path / "trivia"
    write_shard(task / "shard-000001.parquet", ROWS)
    write_shard(task / "verified" / "shard-000001.verified.parquet",
                [dict(r, correctness_label=i % 2, pred_parsed=True) for i, r in enumerate(ROWS)])
    return task


def merge_args(task, out, *extra):
    return ("run", "--stage", "merge", "--inputs", f"trivia={task}", "--out_dir", out, *extra)


def test_merge_out_dir_that_is_a_file(tmp_path, merge_input, gnosis):
    (tmp_path / "out").write_text("x")
    assert_one_line_error(gnosis(*merge_args(merge_input, tmp_path / "out")), f"{tmp_path / 'out'} is a file")
    assert (tmp_path / "out").read_text() == "x"


def test_merge_into_a_read_only_out_dir(tmp_path, merge_input, gnosis, read_only):
    out = read_only(tmp_path / "out")
    assert_one_line_error(gnosis(*merge_args(merge_input, out)), f"cannot write in {out}")


@pytest.mark.parametrize("flags, expected", [
    (["--seed", "-1"], "--seed expects a whole number >= 0, got -1"),
    (["--ac_frac", "nan"], "--ac_frac expects a number from 0 to 1, got 'nan'"),
    (["--ac_questions", "-2"], "--ac_questions expects a whole number >= 0"),
    (["--only_parsed", "sometimes"], "--only_parsed expects true or false"),
    (["junk"], "--stage merge takes no task (got 'junk')"),
])
def test_merge_rejects_bad_options_and_keeps_earlier_outputs(tmp_path, merge_input, gnosis, flags, expected):
    out = tmp_path / "out"
    assert gnosis(*merge_args(merge_input, out))[0] == 0
    before = snapshot(out)
    assert_one_line_error(gnosis(*merge_args(merge_input, out, *flags)), expected)
    assert snapshot(out) == before


@pytest.fixture
def non_utf8_input(tmp_path):
    task = tmp_path / "trivia"
    write_shard(task / "shard-000001.jsonl", ROWS)
    (task / "verified").mkdir()
    (task / "verified" / "shard-000001.verified.jsonl").write_bytes(b'{"question": "\xc3\x28", "completion": "c"}\n')
    return task


def test_merge_a_verified_jsonl_that_is_not_utf8(tmp_path, non_utf8_input, gnosis):
    assert_one_line_error(gnosis(*merge_args(non_utf8_input, tmp_path / "out")), "line 1 is not UTF-8 text")


def test_a_failed_merge_leaves_no_out_dir_it_made_and_keeps_one_that_was_there(tmp_path, non_utf8_input, gnosis):
    assert_one_line_error(gnosis(*merge_args(non_utf8_input, tmp_path / "new" / "out")), "line 1 is not UTF-8 text")
    assert not (tmp_path / "new").exists()
    (tmp_path / "empty").mkdir()
    assert_one_line_error(gnosis(*merge_args(non_utf8_input, tmp_path / "empty")), "line 1 is not UTF-8 text")
    assert (tmp_path / "empty").is_dir() and not list((tmp_path / "empty").iterdir())


def test_merge_config_values_are_checked_too(tmp_path, merge_input, gnosis):
    config = tmp_path / "merge.toml"
    config.write_text(f'out_dir = "{tmp_path / "out"}"\nseed = -4\n[inputs]\ntrivia = "{merge_input}"\n')
    assert_one_line_error(gnosis("run", "--stage", "merge", "--config", config), "--seed expects a whole number >= 0")


# ---------------------------------------------------------------- every option: a check and a line of help

COMMANDS = [("generate", generate.run), ("label", label.run), ("merge", merge.run),
            *(("prepare", fn) for fn in prepare.PREPARERS.values())]


@pytest.mark.parametrize("command, fn", COMMANDS)
def test_every_option_has_a_check_and_a_line_of_help(command, fn):
    names = [n for n, p in inspect.signature(fn).parameters.items() if p.kind is inspect.Parameter.KEYWORD_ONLY]
    assert names and sorted(set(names) - set(options.SPECS[command])) == []
    lines = option_lines(fn)
    assert sorted(set(names) - set(lines)) == [] and all(lines[n] for n in names)


@pytest.mark.parametrize("argv, option, default", [
    (["run", "--stage", "generate", "--help"], "--top_p", "0.95"),
    (["run", "--stage", "merge", "--help"], "--mixed_strategy", "downsample"),
    (["prepare", "gpqa", "--help"], "--seed", "0"),
    (["run", "--stage", "all", "--help"], "--timeout", "5.0"),
])
def test_stage_help_gives_each_option_its_default_and_meaning(gnosis, argv, option, default):
    code, out, _ = gnosis(*argv)
    lines = [line.split(None, 2) for line in out.splitlines() if line.startswith(f"  {option} ")]
    assert code == 0 and len(lines) == 1 and lines[0][1] == default and len(lines[0][2]) > 10


# ---------------------------------------------------------------- bad files: the catalogue of issue #19
# Each case writes a damaged or unexpected file where a stage reads, and names what the one
# line must say. The stage must fail before writing anything: the folder is as it was.

ROW = json.dumps(ROWS[0])
DEEP = '{"question": ' + "[" * 20000 + "]" * 20000 + ', "answer": "1"}'  # Arrow's JSON reader crashes on it
HUGE = '{"question": "q", "completion": "\\\\boxed{1}", "answer": ' + "9" * 5000 + "}"


def _text(path: Path, text, binary=False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text) if binary else path.write_text(text)


def _duplicate_columns(path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    arrays = [pa.array([v]) for v in ("q", "\\boxed{1}", "1", "2")]
    pq.write_table(pa.Table.from_arrays(arrays, names=["question", "completion", "answer", "answer"]), path)


LABEL_FILES = {
    "a line that is a list": (lambda d: _text(d / "shard-000001.jsonl", f"{ROW}\n[1, 2]\n"),
                              "shard-000001.jsonl: line 2 is a JSON list, not an object"),
    "a line that is a number": (lambda d: _text(d / "shard-000001.jsonl", "7\n"),
                                "shard-000001.jsonl: line 1 is a JSON number, not an object"),
    "a line nested 20000 deep": (lambda d: _text(d / "shard-000001.jsonl", DEEP + "\n"),
                                 "shard-000001.jsonl: line 1 is nested too deeply"),
    "an integer of 5000 digits": (lambda d: _text(d / "shard-000001.jsonl", f"{ROW}\n{HUGE}\n"),
                                  "shard-000001.jsonl: line 2 holds an integer of more than 4300 digits"),
    "a column name used twice": (lambda d: _duplicate_columns(d / "shard-000001.parquet"),
                                 "shard-000001.parquet: column name(s) answer used more than once"),
}


@pytest.mark.parametrize("case", LABEL_FILES)
def test_label_bad_files_are_one_line_and_write_nothing(tmp_path, gnosis, case):
    make, expected = LABEL_FILES[case]
    save_dir = tmp_path / "run"
    make(save_dir)
    before = snapshot(tmp_path)
    assert_one_line_error(gnosis(*label_args(save_dir)), expected)
    assert snapshot(tmp_path) == before


def test_label_pattern_outside_save_dir_is_refused(tmp_path, gnosis):
    write_shard(tmp_path / "elsewhere" / "shard-000001.parquet", ROWS)
    (tmp_path / "run").mkdir()
    before = snapshot(tmp_path)
    for pattern in ("../elsewhere/*", str(tmp_path / "elsewhere" / "*")):
        assert_one_line_error(gnosis(*label_args(tmp_path / "run", "--pattern", pattern)),
                              "--pattern expects globs of shards inside --save_dir (relative, without ..)")
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("damage", ["[]", '{"shards": [1]}', '{"shards": {"shard-000001.parquet": 5}}', "{oops"])
def test_a_damaged_label_ledger_grades_every_shard_again(labeled, gnosis, damage):
    (labeled / "verified" / "manifest.json").write_text(damage)
    code, out, err = gnosis(*label_args(labeled))
    assert code == 0, err
    assert f"gnosis: note: {labeled / 'verified' / 'manifest.json'} is damaged" in err
    assert "rows=2 parsed=2 correct=1" in out
    assert json.loads((labeled / "verified" / "manifest.json").read_text())["shards"]["shard-000001.parquet"]


GENERATE_DATA = {
    "a line that is a list": ("q.jsonl", "[1, 2]\n", "q.jsonl: line 1 is a JSON list, not an object"),
    "a line nested 20000 deep": ("q.jsonl", DEEP + "\n", "q.jsonl: line 1 is nested too deeply"),
    "a JSONL question that is not UTF-8": ("q.jsonl", b'{"question": "caf\xe9", "answer": "1"}\n',
                                           "q.jsonl: line 1 is not UTF-8 text"),
    "a CSV question that is not UTF-8": ("q.csv", b"question,answer\nok,1\ncaf\xe9,1\n", "q.csv: line 3 is not UTF-8 text"),
}


@pytest.mark.parametrize("case", GENERATE_DATA)
def test_generate_bad_data_files_are_one_line_and_write_nothing(tmp_path, gnosis, tiny_model, case):
    name, content, expected = GENERATE_DATA[case]
    _text(tmp_path / name, content, binary=isinstance(content, bytes))
    before = snapshot(tmp_path)
    assert_one_line_error(gnosis(*generate_args(tmp_path / "run", tiny_model, tmp_path / name)), expected)
    assert snapshot(tmp_path) == before and not (tmp_path / "run").exists()


def _stray_shard(save_dir: Path) -> None:
    (save_dir / "shard-old.parquet").write_bytes((save_dir / "shard-000001.parquet").read_bytes())


def _unrecorded_shard_without_question_index(save_dir: Path) -> None:
    write_shard(save_dir / "shard-000009.parquet", ROWS)


RESUMED_FOLDERS = {
    "manifest.json that is a list": (lambda d: _text(d / "manifest.json", "[]"),
                                     "manifest.json: not a manifest gnosis wrote (an object with config and shards)"),
    "manifest.json whose shards are numbers": (
        lambda d: _text(d / "manifest.json", json.dumps({"config": {}, "shards": [1]})),
        "manifest.json: not a manifest gnosis wrote"),
    "a stray shard-old.parquet": (_stray_shard, "shard-old.parquet: not a shard of this run"),
    "a shard without question_index": (_unrecorded_shard_without_question_index,
                                       "shard-000009.parquet: no question_index column, so not a shard of this run"),
}


@pytest.mark.parametrize("case", RESUMED_FOLDERS)
def test_generate_resuming_a_damaged_folder_is_one_line_and_changes_nothing(tmp_path, gnosis, tiny_model, case):
    data = write_questions(tmp_path, "csv", QUESTIONS[:2])
    save_dir = tmp_path / "run"
    assert gnosis(*generate_args(save_dir, tiny_model, data))[0] == 0
    make, expected = RESUMED_FOLDERS[case]
    make(save_dir)
    before = snapshot(save_dir)
    assert_one_line_error(gnosis(*generate_args(save_dir, tiny_model, data)), expected, "pass --overwrite")
    assert snapshot(save_dir) == before


def test_merge_config_that_is_a_folder(tmp_path, merge_input, gnosis):
    assert_one_line_error(gnosis("run", "--stage", "merge", "--config", tmp_path), f"--config {tmp_path}: a folder")


def test_prepare_checks_its_outputs_before_reading_any_data(tmp_path, gnosis, monkeypatch):
    monkeypatch.setattr(prepare, "_open", lambda spec: pytest.fail("the data was read first"))
    (tmp_path / "afile").write_text("x")
    (tmp_path / "afolder").mkdir()
    before = snapshot(tmp_path)
    assert_one_line_error(gnosis("prepare", "math", "--out_csv", tmp_path / "m.csv", "--out_hf_dir", tmp_path / "afile"),
                          f"{tmp_path / 'afile'} is a file, not a folder")
    assert_one_line_error(gnosis("prepare", "math", "--out_csv", tmp_path / "afolder", "--out_hf_dir", "none"),
                          f"{tmp_path / 'afolder'} is a folder, not a file")
    assert_one_line_error(gnosis("prepare", "gpqa", "--out_csv", tmp_path / "afile" / "g.csv"),
                          f"{tmp_path / 'afile'} is a file, not a folder")
    assert_one_line_error(gnosis("prepare", "mmlu_pro", "--out_dir", tmp_path / "afile"),
                          f"{tmp_path / 'afile'} is a file, not a folder")
    assert snapshot(tmp_path) == before


def test_prepare_a_json_document_nested_too_deeply(tmp_path, gnosis):
    _text(tmp_path / "q.json", "[" * 20000 + "]" * 20000)
    assert_one_line_error(gnosis("prepare", "math", "--datasets", tmp_path / "q.json", "--out_csv", tmp_path / "m.csv",
                                 "--out_hf_dir", "none"), f"{tmp_path / 'q.json'}: nested too deeply")
    assert not (tmp_path / "m.csv").exists()


def test_an_error_message_over_several_lines_is_printed_on_one(tmp_path, gnosis, monkeypatch):
    """A library's message (Arrow prints whole schemas) must not spill over several lines."""
    from gnosis_core.errors import GnosisError

    def fails(*args, **kwargs):
        raise GnosisError("shard.parquet: cannot read parquet shard (ArrowInvalid: in schema\nquestion: string\n\n"
                          "answer: string)")

    monkeypatch.setattr(label, "run", fails)
    write_shard(tmp_path / "shard-000001.parquet", ROWS)
    assert_one_line_error(gnosis(*label_args(tmp_path)),
                          "(ArrowInvalid: in schema; question: string; answer: string)")
