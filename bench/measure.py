"""What the benches share: a child process's wall time and peak RSS, and the baseline of
reading the same files once with a plain pyarrow scan."""
import os
import subprocess
import sys
import time
from pathlib import Path

# a plain read of every column of every row: what "reading the data once" costs
_SCAN = """
import sys
import pyarrow.dataset as ds
fmt = "json" if sys.argv[1].endswith(".jsonl") else "parquet"
# file by file: the tasks' schemas differ (an answer dict here, a string there)
rows = sum(batch.num_rows for path in sys.argv[1:] for batch in ds.dataset(path, format=fmt).to_batches())
"""


def run_child(command: list[str]) -> tuple[float, int]:
    """Run ``command`` (stdout discarded); its wall seconds and peak RSS in bytes (the largest
    of the process and the children it waited for: grading workers count)."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, command[:6]))} ... failed with exit status {child.returncode}")
    return seconds, usage.ru_maxrss * 1024  # kilobytes on Linux


def scan(paths: list[Path]) -> tuple[float, int]:
    """Seconds and peak RSS of reading ``paths`` once with pyarrow's dataset scanner."""
    return run_child([sys.executable, "-c", _SCAN, *map(str, paths)])


def gib(size: int) -> str:
    return f"{size / 2**30:.2f} GiB"
