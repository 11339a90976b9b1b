"""The documentation tells the truth: README.md and docs/ are checked against what gnosis does.

- every shell example runs (`bash` blocks must succeed, `console` transcripts must print what
  they show); one that runs anything but `gnosis` commands (an install, a script, a cluster),
  or cannot run offline on a CPU, says why in a comment on the line before it
  (`<!-- requires: gpu -->`, `<!-- requires: hub -->`, `<!-- requires: cluster -->`,
  `<!-- requires: server -->`, `<!-- not run: REASON -->`);
- a block marked `<!-- file: PATH -->` is the repository file PATH, and the plugin example it
  shows installs and labels;
- the generated pages (the CLI reference, the hook contract) are a fresh generation;
- the report page quotes the titles, notes and captions of the HTML report exactly;
- the README stays under 12,000 characters and its links into docs/ resolve.

The commands run in a temporary copy of examples/ whose shards are labeled and merged first,
as examples/quickstart.sh leaves them, with `gnosis` on the PATH.
"""
from __future__ import annotations

import html
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import require

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SHELLS = ("bash", "sh", "shell")
MARKER = re.compile(r"^<!--\s*(requires|not run|file):\s*(.*?)\s*-->$")
NEEDS = {"gpu", "hub", "cluster", "server"}  # server: a model served over HTTP
EXAMPLE_TASKS = ("math", "dapo", "trivia", "mmlu_pro", "gpqa")
README_LIMIT = 12_000
HOW_TO_MARK = ("(a block that cannot run offline on a CPU says why on the line above it: "
               "<!-- requires: gpu|hub|cluster|server (what) --> or <!-- not run: REASON -->)")


@dataclass
class Block:
    page: Path
    line: int  # of the opening fence, counting from 1
    lang: str
    text: str
    marker: tuple[str, str] | None  # (kind, value) of the comment on the line before the fence

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"

    @property
    def runs(self) -> bool:
        return self.lang in (*SHELLS, "console") and self.marker is None


def blocks(page: Path) -> list[Block]:
    """The fenced blocks of a Markdown page, each with the marker comment just above it."""
    found, lines, i = [], page.read_text().splitlines(), 0
    while i < len(lines):
        opening = re.match(r"^```(\S*)\s*$", lines[i])
        if not opening:
            i += 1
            continue
        end = next(j for j in range(i + 1, len(lines)) if lines[j].startswith("```"))
        above = MARKER.match(lines[i - 1].strip()) if i else None
        found.append(Block(page, i + 1, opening.group(1), "\n".join(lines[i + 1:end]) + "\n",
                           above.groups() if above else None))
        i = end + 1
    return found


ALL_BLOCKS = [b for page in PAGES for b in blocks(page)]


def commands(block: Block) -> list[str]:
    """The commands of a bash block (continuation lines joined, comments left out) or of a
    console transcript (its `$ ` lines)."""
    if block.lang == "console":
        return [line[2:] for line in block.text.splitlines() if line.startswith("$ ")]
    joined = re.sub(r"\\\n", " ", block.text)
    return [line.strip() for line in joined.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def foreign_command(block: Block) -> str | None:
    """The first command of a block that is not `gnosis ...`: such a block (an install, a script,
    a cluster) is run only where its marker allows, never by accident."""
    return next((c for c in commands(block) if not c.startswith("gnosis ")), None)


def test_every_block_names_its_language_and_every_marker_is_known():
    assert ALL_BLOCKS, "no fenced block found"
    for block in ALL_BLOCKS:
        assert block.lang, f"{block.where}: a fence without a language (bash, console, text, ...)"
        if block.marker is None:
            continue
        kind, value = block.marker
        if kind == "requires":
            needs = {n.strip() for n in value.split("(")[0].split(",")}
            assert needs and needs <= NEEDS, f"{block.where}: requires one of {sorted(NEEDS)}, got {value!r}"
        elif kind == "not run":
            assert value, f"{block.where}: `not run:` needs its reason"
        else:
            assert (ROOT / value).is_file(), f"{block.where}: {value} is not a file of the repository"


def test_unmarked_shell_blocks_run_only_gnosis():
    for block in ALL_BLOCKS:
        if block.runs:
            other = foreign_command(block)
            assert other is None, f"{block.where}: `{other}` is not a gnosis command {HOW_TO_MARK}"


def test_other_comments_above_a_block_are_not_misspelt_markers():
    for page in PAGES:
        lines = page.read_text().splitlines()
        for i, line in enumerate(lines[1:], 1):
            if line.startswith("```") and lines[i - 1].lstrip().startswith("<!--"):
                assert MARKER.match(lines[i - 1].strip()), \
                    f"{page.relative_to(ROOT)}:{i}: unknown marker {lines[i - 1].strip()!r}"


@pytest.mark.parametrize("block", [b for b in ALL_BLOCKS if b.marker and b.marker[0] == "file"],
                         ids=lambda b: b.where)
def test_a_shown_file_is_the_repository_file(block):
    assert block.text == (ROOT / block.marker[1]).read_text(), f"{block.where} differs from {block.marker[1]}"


def load_generator():
    spec = importlib.util.spec_from_file_location("gen_reference", ROOT / "docs" / "gen_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_pages_are_fresh():
    """docs/cli.md is what the commands print with --help, and the hook contract in
    docs/plugins.md is hookspecs.py's docstrings: run `python docs/gen_reference.py` if not."""
    for path, text in load_generator().pages().items():
        assert path.read_text() == text, f"{path.relative_to(ROOT)} is stale: run python docs/gen_reference.py"


def test_cli_reference_has_the_help_of_every_stage():
    page = (ROOT / "docs" / "cli.md").read_text()
    for title in ("gnosis run --stage generate", "gnosis run --stage label", "gnosis run --stage merge",
                  "gnosis report", "gnosis grade", "gnosis tasks", "gnosis prepare gpqa"):
        assert f"## `{title}`" in page
    assert "--save_dir" in page and "--inputs" in page and "--workers" in page


def test_site_builds_strictly(tmp_path):
    """mkdocs.yml lists every page, and no page links to a missing page or heading (.ci/run
    builds the site too; this is the same check for whoever runs only the tests)."""
    require("mkdocs", "building the site needs the docs extra: pip install -e '.[docs]'")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict",
                           "--site-dir", str(tmp_path / "site")], cwd=ROOT, text=True, capture_output=True,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "site" / "cli" / "index.html").is_file()


# ---------------------------------------------------------------- running the examples

def run_env(bin_dir: Path, extra_path: Path | None = None) -> dict:
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(bin_dir), str(Path(sys.executable).parent), env.get("PATH", "")])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(extra_path or ""), str(ROOT), env.get("PYTHONPATH")]))
    env.pop("GNOSIS_DISABLE_PLUGINS", None)
    return env


@pytest.fixture(scope="session")
def gnosis_bin(tmp_path_factory) -> Path:
    """A folder with a `gnosis` that runs this checkout's CLI with this Python."""
    bin_dir = tmp_path_factory.mktemp("bin")
    script = bin_dir / "gnosis"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m gnosis_core.cli "$@"\n')
    script.chmod(0o755)
    (bin_dir / "python").symlink_to(sys.executable)
    return bin_dir


def sh(command: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-euo", "pipefail", "-c", command], cwd=cwd, env=env, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)


@pytest.fixture(scope="session")
def labeled_examples(tmp_path_factory, gnosis_bin) -> Path:
    """A copy of examples/ with every task labeled and three merged, as the quick start leaves it."""
    work = tmp_path_factory.mktemp("examples-run")
    shutil.copytree(ROOT / "examples", work / "examples", ignore=shutil.ignore_patterns("verified", "report"))
    steps = [f"gnosis run --task {t} --stage label --save_dir examples/{t} --workers 1" for t in EXAMPLE_TASKS]
    steps.append("gnosis run --stage merge --config examples/merge.toml")
    done = sh(" && ".join(steps), work, run_env(gnosis_bin))
    assert done.returncode == 0, done.stdout
    return work


def line_matches(expected: str, actual: str) -> bool:
    """Equal, where `...` inside an expected line stands for any text."""
    return re.fullmatch(".*".join(map(re.escape, expected.split("..."))), actual) is not None


def matches(expected: list[str], actual: list[str]) -> bool:
    """Lines equal, where an expected line `...` stands for any number of lines."""
    if not expected:
        return not actual
    if expected[0] == "...":
        return any(matches(expected[1:], actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and line_matches(expected[0], actual[0]) and matches(expected[1:], actual[1:])


def transcript(text: str) -> list[tuple[str, list[str]]]:
    """A console block as (command, the lines it should print)."""
    steps = []
    for line in text.rstrip("\n").splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        else:
            assert steps, f"output before the first `$ ` command: {line!r}"
            steps[-1][1].append(line.rstrip())
    return steps


RUNNABLE_PAGES = [page for page in PAGES if any(b.runs for b in blocks(page))]


@pytest.mark.parametrize("page", RUNNABLE_PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_shell_examples_run(page, labeled_examples, gnosis_bin, tmp_path):
    """The page's bash and console blocks, in order, in its own copy of the labeled examples."""
    work = tmp_path / "work"
    shutil.copytree(labeled_examples, work)
    env = run_env(gnosis_bin)
    for block in (b for b in blocks(page) if b.runs):
        assert foreign_command(block) is None, f"{block.where}: not run, it holds more than gnosis commands"
        if block.lang in SHELLS:
            done = sh(block.text, work, env)
            assert done.returncode == 0, f"{block.where} failed {HOW_TO_MARK}:\n{block.text}\n{done.stdout}"
            continue
        for command, expected in transcript(block.text):
            printed = sh(command, work, env).stdout.rstrip("\n").splitlines()
            while expected and not expected[-1]:
                expected.pop()
            assert matches(expected, [line.rstrip() for line in printed]), \
                f"{block.where}: `{command}` printed (the block shows something else)\n" + "\n".join(printed)


def test_report_page_quotes_the_html_report(labeled_examples, gnosis_bin, tmp_path):
    """Every table title and note and every plot's title and caption of a report of the whole
    example run appears, word for word, in docs/report.md."""
    require("matplotlib", "the plots' captions need matplotlib")
    done = sh("gnosis report examples/math examples/dapo examples/trivia examples/mmlu_pro examples/gpqa "
              f"runs/merged --out {tmp_path}", labeled_examples, run_env(gnosis_bin))
    assert done.returncode == 0, done.stdout
    page = (tmp_path / "index.html").read_text()
    quoted = [html.unescape(m) for m in re.findall(r"<h2>(.*?)</h2>|<p class=note>(.*?)</p>", page) for m in m if m]
    captions = re.findall(r"<figcaption><b>(.*?)</b> (.*?)</figcaption>", page)
    quoted += [html.unescape(text) for caption in captions for text in caption]
    assert len(captions) >= 6 and len(quoted) >= 15
    docs = html.unescape((ROOT / "docs" / "report.md").read_text())
    missing = [text for text in quoted if text not in docs]
    assert not missing, f"docs/report.md does not quote: {missing}"


def test_plugin_example_installs_and_labels(tmp_path, gnosis_bin):
    """examples/plugin/gnosis-yesno, pip-installed, adds a task that labels as the page says."""
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
                    "--target", str(site), str(ROOT / "examples" / "plugin" / "gnosis-yesno")], check=True)
    rows = [("<think>hmm</think> Yes.", "yes"), ("<think>well</think> Yes, I think.", "no"),
            ("<think>it is", "no"), ("<think>yes</think> It is.", "yes"), ("<think>no</think> No", "maybe")]
    run = tmp_path / "run"
    run.mkdir()
    (run / "shard-000001.jsonl").write_text("".join(
        json.dumps({"question": "?", "completion": c, "answer": a}) + "\n" for c, a in rows))
    env = run_env(gnosis_bin, site)
    tasks = sh("gnosis tasks --json", tmp_path, env)
    assert "yesno-last-word" in tasks.stdout, tasks.stdout
    done = sh(f"gnosis run --task yesno --stage label --save_dir {run} --workers 1", tmp_path, env)
    assert done.returncode == 0, done.stdout
    labeled = [json.loads(line) for line in (run / "verified" / "shard-000001.verified.jsonl").read_text().splitlines()]
    assert [(r["correctness_label"], r["grade_status"]) for r in labeled] == [
        (1, "ok"), (0, "ok"), (0, "unparsed"), (0, "unparsed"), (0, "unverifiable")]
    assert labeled[2]["grade_detail"] == "reasoning never closed"
    assert labeled[4]["grade_detail"] == "gold not usable: 'maybe'"


# ---------------------------------------------------------------- the README

def slug(heading: str) -> str:
    """The anchor mkdocs (Python-Markdown's toc) gives a heading."""
    text = re.sub(r"[`*_]|\{#.*\}", "", heading).strip()
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[-\s]+", "-", re.sub(r"[^\w\s-]", "", text).strip().lower())


def anchors(page: Path) -> set[str]:
    text = re.sub(r"^```.*?^```", "", page.read_text(), flags=re.M | re.S)
    found = set()
    for heading in re.findall(r"^#+ (.+)$", text, flags=re.M):
        explicit = re.search(r"\{#([\w-]+)\}", heading)
        found.add(explicit.group(1) if explicit else slug(heading))
    return found


def test_readme_is_short():
    size = len((ROOT / "README.md").read_text())
    assert size <= README_LIMIT, f"README.md has {size:,} characters; move the detail into docs/"


def test_readme_links_resolve():
    readme = (ROOT / "README.md").read_text()
    links = re.findall(r"\]\(([^)\s]+)\)", readme)
    local = [link for link in links if not re.match(r"\w+://", link)]
    assert any(link.startswith("docs/") for link in local)
    for link in local:
        path, _, anchor = link.partition("#")
        target = ROOT / path
        assert target.exists(), f"README.md links to {path}, which does not exist"
        if anchor:
            assert anchor in anchors(target), f"README.md links to {link}: no such heading in {path}"
