"""Data loaders: a hub id, a ``save_to_disk`` folder, or CSV / Parquet / JSON(L) files.

Each loader takes the source options (``dataset_id``, ``dataset_config``, ``dataset_split``,
``data_path``) and returns one ``datasets.Dataset``. ``datasets`` is imported inside the
functions so that listing tasks stays fast.
"""
from __future__ import annotations

import glob
from contextlib import contextmanager
from pathlib import Path

from gnosis_core.errors import GnosisError

SPLIT_FALLBACKS = ("train", "validation", "dev", "val", "test")
FILE_BUILDERS = {"csv": "csv", "parquet": "parquet", "jsonl": "json", "json": "json"}


def pick_split(dataset_dict, requested: str | None, where: str):
    """The requested split, else the first of train/validation/dev/val/test present (or the
    only split there is)."""
    available = list(dataset_dict)
    if requested:
        if requested not in dataset_dict:
            raise GnosisError(f"{where}: no split {requested!r}; available splits: {', '.join(available)}")
        return dataset_dict[requested]
    for name in SPLIT_FALLBACKS:
        if name in dataset_dict:
            return dataset_dict[name]
    if len(available) == 1:
        return dataset_dict[available[0]]
    raise GnosisError(f"{where}: pick a split with --dataset_split; available splits: {', '.join(available)}")


def data_files(data_path: str | None, mode: str) -> list[str]:
    """The files ``data_path`` names: one file, or every match of a glob, sorted."""
    if not data_path:
        raise GnosisError(f"--data_mode {mode} needs --data_path (a file or a glob)")
    path = str(data_path)
    files = sorted(glob.glob(path)) if glob.has_magic(path) else [path]
    if not files:
        raise GnosisError(f"--data_path {path}: no file matches")
    missing = [f for f in files if not Path(f).is_file()]
    if missing:
        raise GnosisError(f"--data_path {missing[0]}: no such file")
    return files


def open_source(dataset_id=None, dataset_config=None, data_path=None, data_mode=None):
    """Every split of a source as a ``datasets.DatasetDict``: a hub id, a ``save_to_disk``
    folder, or files (one split, 'train'). ``data_mode`` is guessed when not given."""
    import datasets

    datasets.disable_progress_bars()  # its per-split bars would bury gnosis's own output
    mode = data_mode or guess_mode(dataset_id, data_path)
    where = str(data_path or dataset_id)
    with _source_errors(where, mode):
        if mode == "hf":
            if not dataset_id:
                raise GnosisError("--data_mode hf needs --dataset_id")
            return datasets.load_dataset(str(dataset_id), dataset_config or None)
        if mode == "disk":
            if not data_path or not Path(str(data_path)).is_dir():
                raise GnosisError(f"--data_path {data_path}: not a save_to_disk folder")
            loaded = datasets.load_from_disk(str(data_path))
            return loaded if isinstance(loaded, datasets.DatasetDict) else datasets.DatasetDict(train=loaded)
        if mode in FILE_BUILDERS:
            files = data_files(data_path, mode)
            if mode != "parquet":  # text Arrow reads: it crashes on some bad text, Python says which line
                from gnosis_core.shards import check_text_file

                for file in files:
                    check_text_file(file)
            return datasets.load_dataset(FILE_BUILDERS[mode], data_files={"train": files})
    raise GnosisError(f"unknown data mode {mode!r}; expected one of hf, disk, {', '.join(FILE_BUILDERS)}")


def guess_mode(dataset_id, data_path) -> str:
    if not data_path:
        return "hf"
    path = Path(str(data_path))
    if path.is_dir():
        return "disk"
    suffix = path.suffix.lstrip(".").lower()
    return suffix if suffix in FILE_BUILDERS else "csv"


@contextmanager
def _source_errors(where: str, mode: str):
    """A ``datasets`` error on a user's source becomes one line naming the source."""
    try:
        yield
    except GnosisError:
        raise
    except Exception as exc:
        first_line = (str(exc).strip().splitlines() or [""])[0]
        raise GnosisError(f"cannot load {where} ({mode}): {type(exc).__name__}: {first_line}") from None


def _load_hub_split(dataset_id, dataset_config, dataset_split):
    """One split straight from the hub: downloading every split to use one is wasteful."""
    import datasets

    datasets.disable_progress_bars()
    if not dataset_id:
        raise GnosisError("--data_mode hf needs --dataset_id")
    if not dataset_split:
        return pick_split(open_source(dataset_id, dataset_config, data_mode="hf"), None, str(dataset_id))
    with _source_errors(str(dataset_id), "hf"):
        try:
            return datasets.load_dataset(str(dataset_id), dataset_config or None, split=str(dataset_split))
        except ValueError as exc:
            if "split" not in str(exc).lower():
                raise
            raise GnosisError(f"{dataset_id}: no split {dataset_split!r} ({str(exc).splitlines()[0]})") from None


def _loader(mode: str):
    def load(dataset_id=None, dataset_config=None, dataset_split=None, data_path=None):
        if mode == "hf":
            return _load_hub_split(dataset_id, dataset_config, dataset_split)
        dataset_dict = open_source(None, None, data_path, mode)
        return pick_split(dataset_dict, dataset_split, str(data_path))
    load.__name__ = f"load_{mode}"
    return load


LOADERS = {mode: _loader(mode) for mode in ("hf", "disk", "csv", "parquet", "jsonl")}
