"""How outputs are written: with the umask's mode, as a set (merge), and a full disk ends a
run in one line naming the file, with what was written before intact and resumable."""
import errno
import json
import os
import shutil
import stat
import subprocess

import pyarrow.parquet as pq
import pytest

from conftest import write_shard
from gnosis_core import locking, shards
from gnosis_core.stages import merge
from test_bad_input import ROWS, assert_one_line_error, snapshot
from test_generate import FAST, all_rows, write_questions

MERGED = {merge.OUTPUT_NAME, "stats.json", "README.md"}


@pytest.fixture
def umask():
    """``umask(0o027)`` sets the process umask for the test."""
    previous = []
    yield lambda mask: previous.append(os.umask(mask))
    if previous:
        os.umask(previous[0])


def modes(folder) -> dict:
    return {p.name: stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()}


def full_disk_after(calls: int, write):
    """``write`` that fails as a full disk does from call ``calls + 1`` on."""
    made = []

    def failing(*args, **kwargs):
        made.append(args)
        if len(made) > calls:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return write(*args, **kwargs)
    return failing


def two_shard_run(root):
    save_dir = root / "run"
    write_shard(save_dir / "shard-000001.parquet", ROWS)
    write_shard(save_dir / "shard-000002.parquet", [dict(r, question=r["question"] + " (again)") for r in ROWS])
    return save_dir


def label(gnosis, save_dir):
    return gnosis("run", "--task", "trivia", "--stage", "label", "--save_dir", save_dir, "--progress", "false",
                  "--workers", 1)


def merge_run(gnosis, task_dir, out, *flags):
    return gnosis("run", "--stage", "merge", "--inputs", f"trivia={task_dir}", "--out_dir", out, *flags)


@pytest.mark.parametrize("mask", [0o027, 0o002])
def test_outputs_honour_the_umask(tmp_path, gnosis, umask, mask):
    umask(mask)
    save_dir = two_shard_run(tmp_path)
    assert label(gnosis, save_dir)[0] == 0
    assert merge_run(gnosis, save_dir, tmp_path / "out", "--only_parsed", "false")[0] == 0
    expected = 0o666 & ~mask
    assert set(modes(save_dir / "verified").values()) == {expected}
    assert modes(tmp_path / "out") == {name: expected for name in MERGED}
    assert stat.S_IMODE((save_dir / "verified").stat().st_mode) == 0o777 & ~mask


def test_a_full_disk_during_generate_keeps_the_shards_before_and_resumes(tmp_path, gnosis, tiny_model, monkeypatch):
    data = write_questions(tmp_path, "csv")
    save_dir = tmp_path / "run"
    args = ("run", "--task", "trivia", "--stage", "generate", "--data_path", data, "--model_id", tiny_model,
            "--save_dir", save_dir, "--shard_size", 3, *FAST)
    monkeypatch.setattr(pq, "write_table", full_disk_after(1, pq.write_table))
    assert_one_line_error(gnosis(*args), f"cannot write {save_dir / 'shard-000002.parquet'}: No space left on device")
    assert sorted(os.listdir(save_dir)) == ["manifest.json", "shard-000001.parquet"]  # no temporary left
    first = (save_dir / "shard-000001.parquet").read_bytes()
    monkeypatch.undo()
    code, _, err = gnosis(*args)
    assert code == 0, err
    assert (save_dir / "shard-000001.parquet").read_bytes() == first  # resumed, not redone
    assert all_rows(save_dir).groupby("question_index").size().to_dict() == {i: 2 for i in range(7)}


def test_a_full_disk_during_label_keeps_the_verified_shards_before(tmp_path, gnosis, monkeypatch):
    save_dir = two_shard_run(tmp_path)

    class FullDiskWriter(pq.ParquetWriter):  # label writes a verified shard a batch at a time
        write_table = full_disk_after(1, pq.ParquetWriter.write_table)
    monkeypatch.setattr(pq, "ParquetWriter", FullDiskWriter)
    assert_one_line_error(label(gnosis, save_dir),
                          f"cannot write {save_dir / 'verified' / 'shard-000002.verified.parquet'}: No space left")
    assert sorted(os.listdir(save_dir / "verified")) == ["manifest.json", "shard-000001.verified.parquet"]
    assert pq.read_table(save_dir / "verified" / "shard-000001.verified.parquet").num_rows == 2
    monkeypatch.undo()
    assert label(gnosis, save_dir)[0] == 0
    assert len(list((save_dir / "verified").glob("shard-*.verified.parquet"))) == 2


def test_a_full_disk_during_merge_keeps_the_previous_outputs(tmp_path, gnosis, monkeypatch):
    save_dir = two_shard_run(tmp_path)
    assert label(gnosis, save_dir)[0] == 0
    out = tmp_path / "out"
    assert merge_run(gnosis, save_dir, out)[0] == 0
    before = snapshot(out)

    class FullDiskWriter(pq.ParquetWriter):
        write_table = full_disk_after(0, None)
    monkeypatch.setattr(pq, "ParquetWriter", FullDiskWriter)
    assert_one_line_error(merge_run(gnosis, save_dir, out, "--only_parsed", "false"),
                          f"cannot write {out}/{{merged_balanced.parquet, README.md, stats.json}}: No space left")
    assert snapshot(out) == before  # and no temporary beside them
    monkeypatch.undo()
    assert merge_run(gnosis, save_dir, out, "--only_parsed", "false")[0] == 0


@pytest.fixture
def full_filesystem(tmp_path):
    """A tiny tmpfs filled to the last byte, and a function that frees it (root only)."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def fill(folder):
    with open(folder / "filler", "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 4096)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC


def test_a_really_full_disk_during_label(tmp_path, gnosis, full_filesystem):
    save_dir = full_filesystem / "run"
    shutil.copytree(two_shard_run(tmp_path), save_dir)
    fill(full_filesystem)
    before = snapshot(save_dir)
    assert_one_line_error(label(gnosis, save_dir),
                          f"cannot write {save_dir / 'verified' / 'shard-000001.verified.parquet'}: No space left")
    assert snapshot(save_dir) == before and list((save_dir / "verified").iterdir()) == []
    (full_filesystem / "filler").unlink()
    assert label(gnosis, save_dir)[0] == 0
    assert len(list((save_dir / "verified").glob("shard-*.verified.parquet"))) == 2


@pytest.mark.parametrize("renames_before_kill", [0, 1, 2])
def test_a_merge_killed_while_publishing_never_pairs_new_and_old_outputs(tmp_path, gnosis, monkeypatch,
                                                                         renames_before_kill):
    """stats.json is the set's marker: where it is, the parquet and the card are its own."""
    save_dir = two_shard_run(tmp_path)
    assert label(gnosis, save_dir)[0] == 0
    out = tmp_path / "out"
    assert merge_run(gnosis, save_dir, out)[0] == 0
    old_rows = pq.read_metadata(out / merge.OUTPUT_NAME).num_rows
    replace = os.replace

    def killed_after_some(src, dst):
        if killed_after_some.count == renames_before_kill:
            raise KeyboardInterrupt
        killed_after_some.count += 1
        replace(src, dst)
    killed_after_some.count = 0
    monkeypatch.setattr(shards.os, "replace", killed_after_some)
    with pytest.raises(KeyboardInterrupt):
        merge.run(inputs=f"trivia={save_dir}", out_dir=out, max_rows_per_task=1)
    monkeypatch.undo()
    locking.release_all()  # as the gnosis process does when it ends
    left = set(os.listdir(out))
    assert "stats.json" not in left and left <= MERGED  # incomplete, and no temporaries
    if renames_before_kill:
        assert pq.read_metadata(out / merge.OUTPUT_NAME).num_rows == 1 != old_rows  # the new parquet, alone
    if "README.md" in left:
        assert f"num_examples: {pq.read_metadata(out / merge.OUTPUT_NAME).num_rows}\n" in (out / "README.md").read_text()
    assert merge_run(gnosis, save_dir, out, "--max_rows_per_task", 1)[0] == 0
    stats = json.loads((out / "stats.json").read_text())
    assert stats["after"]["rows"] == pq.read_metadata(out / merge.OUTPUT_NAME).num_rows


def test_a_verified_folder_alone_merges_and_the_label_manifest_says_what_is_current(tmp_path, gnosis):
    save_dir = two_shard_run(tmp_path)
    assert label(gnosis, save_dir)[0] == 0
    for raw in save_dir.glob("shard-*.parquet"):  # deleted to save disk: a verified shard holds every column
        raw.unlink()
    code, _, err = merge_run(gnosis, save_dir, tmp_path / "out", "--only_parsed", "false", "--mixed_strategy", "none")
    assert code == 0, err
    rows = pq.read_table(tmp_path / "out" / merge.OUTPUT_NAME).to_pylist()
    assert sorted(r["question"] for r in rows) == sorted(r["question"] + s for r in ROWS for s in ("", " (again)"))
    stats = json.loads((tmp_path / "out" / "stats.json").read_text())
    assert stats["inputs"]["trivia"]["shards"] == ["shard-000001.verified.parquet", "shard-000002.verified.parquet"]
    # labeled afresh with one shard: the manifest no longer lists the other's labels, so they are stale
    write_shard(save_dir / "shard-000001.parquet", ROWS)
    assert gnosis("run", "--task", "trivia", "--stage", "label", "--save_dir", save_dir, "--overwrite",
                  "--workers", 1)[0] == 0
    code, _, err = merge_run(gnosis, save_dir, tmp_path / "out", "--only_parsed", "false", "--mixed_strategy", "none")
    assert code == 0, err
    assert "skipped 1 verified shard(s) that" in err and "manifest.json does not list (shard-000002.verified" in err
    rows = pq.read_table(tmp_path / "out" / merge.OUTPUT_NAME).to_pylist()
    assert sorted(r["question"] for r in rows) == sorted(r["question"] for r in ROWS)
    stats = json.loads((tmp_path / "out" / "stats.json").read_text())
    assert stats["inputs"]["trivia"]["shards"] == ["shard-000001.verified.parquet"]


def test_an_unreadable_label_manifest_is_a_one_line_error(tmp_path, gnosis):
    save_dir = two_shard_run(tmp_path)
    assert label(gnosis, save_dir)[0] == 0
    (save_dir / "verified" / "manifest.json").write_text("{not json")
    code, _, err = merge_run(gnosis, save_dir, tmp_path / "out")
    assert code == 2 and "verified/manifest.json: unreadable label manifest" in err
    assert len(err.strip().splitlines()) == 1 and not (tmp_path / "out" / merge.OUTPUT_NAME).exists()
