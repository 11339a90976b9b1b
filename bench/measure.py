"""What the benches share: a child process's wall time and peak RSS, and the baseline of
reading the same files once with a plain pyarrow scan."""
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

# a plain read of every column of every row: what "reading the data once" costs
_SCAN = """
import sys
import pyarrow.dataset as ds
fmt = "json" if sys.argv[1].endswith(".jsonl") else "parquet"
# file by file: the tasks' schemas differ (an answer dict here, a string there)
rows = sum(batch.num_rows for path in sys.argv[1:] for batch in ds.dataset(path, format=fmt).to_batches())
"""


# Runs a command and writes its peak RSS and exit status to a file. A process's peak RSS
# starts from that of the process it was forked from (Linux keeps the old memory's high-water
# mark across exec), so the command is started from this small interpreter, not the bench.
_WRAPPER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(f"{usage.ru_maxrss} {os.waitstatus_to_exitcode(status)} {usage.ru_utime + usage.ru_stime}")
"""


class Run(NamedTuple):
    seconds: float  # wall time
    peak: int  # peak RSS in bytes: the largest of the process and the children it waited for
    cpu: float  # user + system seconds of the process and those children (steadier than wall
    #             time on a shared machine)


def run_child(command: list[str]) -> Run:
    """Run ``command`` (stdout discarded) and measure it."""
    with tempfile.NamedTemporaryFile("r", suffix=".rusage") as result:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-S", "-c", _WRAPPER, result.name, *map(str, command)],
                       stdout=subprocess.DEVNULL, check=True)
        seconds = time.perf_counter() - start
        peak_kb, status, cpu = result.read().split()
    if int(status) != 0:
        raise SystemExit(f"{' '.join(map(str, command[:6]))} ... failed with exit status {status}")
    return Run(seconds, int(peak_kb) * 1024, float(cpu))  # kilobytes on Linux


def scan(paths: list[Path]) -> Run:
    """Seconds and peak RSS of reading ``paths`` once with pyarrow's dataset scanner."""
    return run_child([sys.executable, "-c", _SCAN, *map(str, paths)])


def gib(size: int) -> str:
    return f"{size / 2**30:.2f} GiB"
