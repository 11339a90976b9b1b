"""The `gnosis` command line as a user meets it: every command's and stage's --help reads like
a made CLI, and every mistyped command, stage or option is one line with a "did you mean",
exit status 2."""
import fcntl
import os
import pty
import re
import shutil
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from gnosis_core import __version__
from gnosis_core.help import BENCHMARKS, STAGES

ROOT = Path(__file__).resolve().parents[1]
HELP_PAGES = [[], ["tasks"], ["plugins"], ["run"], *(["run", "--stage", s] for s in STAGES), ["grade"],
              ["prepare"], *(["prepare", b] for b in BENCHMARKS), ["report"]]


@pytest.mark.parametrize("argv", HELP_PAGES, ids=" ".join)
def test_every_help_page_reads_like_a_made_cli(gnosis, argv):
    code, out, err = gnosis(*argv, "--help")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].startswith("usage: gnosis") and lines[1] == "" and len(lines[2]) > 20  # one line of purpose
    examples = out.split("\nexamples:\n")[1].split("\n\n")[0].splitlines()
    assert len([e for e in examples if e.startswith("  gnosis ")]) >= 2
    for python_ism in ("``", "None", "Optional", "Type:", "{'", "POSITIONAL", "self", "returns", "DEFAULTS"):
        assert python_ism not in out, python_ism
    options = [line.split(None, 2) for line in lines if line.startswith("  --")]
    for option in options:
        assert len(option) == 3 and option[1] != "None" and len(option[2]) > 10, option
    assert not re.search(r"^\s+-[a-zA-Z],? ", out.replace("-h, --help", ""), re.M)  # no short flags


def option_rows(out: str) -> dict[str, str]:
    return {line.split()[0]: line.split()[1] for line in out.splitlines() if line.startswith("  --")}


@pytest.mark.parametrize("stage", ["generate", "label", "merge"])
def test_stage_help_shows_required_options_and_every_option_in_groups(gnosis, stage):
    import inspect

    from gnosis_core.help import _stage_fn
    from gnosis_core.options import REQUIRED

    code, out, _ = gnosis("run", "--stage", stage, "--help")
    rows = option_rows(out)
    # merge's --inputs and --out_dir may come from --config, so the merge stage checks them itself
    required = ["--inputs", "--out_dir"] if stage == "merge" else ["--task", *(f"--{n}" for n in REQUIRED[stage])]
    assert sorted(flag for flag, default in rows.items() if default == "required") == sorted(required)
    assert out.split("\nrequired")[1].split("\n\n")[0].count("required") >= len(required)  # grouped first
    names = [n for n, p in inspect.signature(_stage_fn(stage)).parameters.items() if p.kind is p.KEYWORD_ONLY]
    assert sorted(rows) == sorted({"--task", *(f"--{n}" for n in names)} - ({"--task"} if stage == "merge" else set()))
    assert len(re.findall(r"^[a-z][a-z ()-]*[a-z)]:$", out, re.M)) >= 3  # titled groups


def test_generate_help_says_the_transformers_backend_needs_the_hf_extra(gnosis):
    code, out, _ = gnosis("run", "--stage", "generate", "--help")
    backend = out.split("\n  --backend")[1].split("\n  --")[0]
    assert "transformers" in backend and "[hf]" in backend


@pytest.mark.parametrize("argv, expected", [
    (["tsks"], "Did you mean tasks?"),
    (["plugin"], "Did you mean plugins?"),
    (["rnu"], "Did you mean run?"),
    (["grad"], "Did you mean grade?"),
    (["prepar"], "Did you mean prepare?"),
    (["reprot", "runs/x"], "Did you mean report?"),
    (["merge", "--help"], "gnosis run --stage merge"),
    (["genrate"], "Did you mean `gnosis run --stage generate`?"),
    (["tasks", "--jsn"], "Did you mean --json?"),
    (["plugins", "--jsno"], "Did you mean --json?"),
    (["tasks", "extra"], "unexpected argument 'extra'"),
    (["run", "--stage", "labl", "--task", "math"], "Did you mean label?"),
    (["run", "--stage", "labl", "--help"], "Did you mean label?"),
    (["run", "--stage", "generate", "--task", "math", "--modle_id", "m"], "Did you mean --model_id?"),
    (["run", "--stage", "label", "--task", "math", "--save_dri", "d"], "Did you mean --save_dir?"),
    (["run", "--stage", "all", "--task", "math", "--model_id", "m", "--save_dir", "d", "--temprature", "1"],
     "Did you mean --temperature?"),
    (["run", "--stage", "merge", "--out_dri", "o"], "Did you mean --out_dir?"),
    (["run", "--stage", "label", "--task", "trivai", "--save_dir", "d"], "Did you mean 'trivia'?"),
    (["grade", "--task", "math", "--completoin", "x"], "Did you mean --completion?"),
    (["report", "runs/x", "--outt", "o"], "Did you mean --out?"),
    (["prepare", "mmlu"], "Did you mean mmlu_pro?"),
    (["prepare", "mmlu", "--help"], "Did you mean mmlu_pro?"),
    (["prepare", "math", "--out_cvs", "x.csv"], "Did you mean --out_csv?"),
    (["prepare", "mmlu_pro", "--split", "train"], "Did you mean --splits?"),
    (["prepare", "gpqa", "--sed", "1"], "Did you mean --seed?"),
    (["run", "-s", "label"], "long options only"),
    (["prepare"], "needs a benchmark: math, mmlu_pro, gpqa"),
    (["tasks", "--json", "extra"], "--json expects true or false, got 'extra'"),
    (["--verbose"], "a command comes first"),
])
def test_a_typo_is_one_line_with_did_you_mean_and_exit_2(gnosis, argv, expected):
    code, out, err = gnosis(*argv)
    assert code == 2 and out == ""
    assert err.startswith("gnosis: error:") and len(err.strip().splitlines()) == 1 and expected in err, err


def test_version(gnosis):
    assert gnosis("--version") == (0, f"gnosis {__version__}\n", "")


def on_a_terminal(*argv, cwd=None) -> tuple[int, str]:
    """Run `gnosis ARGV` with stdin, stdout and stderr on a pseudo-terminal 120 columns wide;
    its exit status and everything the terminal showed."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = {**os.environ, "PAGER": "less", "TERM": "xterm"}
    proc = subprocess.Popen([sys.executable, "-m", "gnosis_core.cli", *map(str, argv)], stdin=follower,
                            stdout=follower, stderr=follower, env=env, cwd=cwd)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the process closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    return proc.wait(timeout=60), shown.decode(errors="replace")


@pytest.mark.parametrize("argv", [[], ["run", "--stage", "generate", "--help"]])
def test_help_on_a_terminal_never_waits_in_a_pager(argv):
    """fire paged its help (`(END)`); on a terminal gnosis prints it and exits."""
    code, shown = on_a_terminal(*argv)
    assert code == 0 and "usage: gnosis" in shown and "(END)" not in shown


def test_label_summaries_start_on_their_own_line_below_the_progress_bar(tmp_path):
    shutil.copytree(ROOT / "examples" / "trivia", tmp_path / "trivia", ignore=shutil.ignore_patterns("verified"))
    code, shown = on_a_terminal("run", "--stage", "label", "--task", "trivia", "--save_dir", tmp_path / "trivia",
                                "--workers", 1)
    assert code == 0 and "row/s]" in shown  # the bar was drawn
    for line in ("shard-000001.parquet: rows=", "total: rows="):
        assert re.search(rf"(^|[\r\n]){re.escape(line)}", shown), shown
        assert not re.search(rf"[^\r\n ]{re.escape(line)}", shown), shown
