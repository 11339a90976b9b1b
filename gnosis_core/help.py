"""What ``gnosis --help`` and each command's and stage's ``--help`` print.

fire's own help shows Python (types, ``Optional[...]``, ``*extra``) and opens a pager, so gnosis
writes its help itself, argparse-style: a usage line, one line of purpose, the options in
groups with default and meaning, and examples. What an option means is read from the
``Options:`` section of its function's docstring; what it accepts (a range, the choices) from
``options.SPECS`` where the meaning does not already say so.
"""
from __future__ import annotations

import importlib
import inspect
import re
import shutil
import textwrap
from dataclasses import dataclass, field

from gnosis_core.errors import GnosisError, did_you_mean

STAGES = ("generate", "label", "all", "merge")
BENCHMARKS = ("math", "mmlu_pro", "gpqa")


@dataclass
class Page:
    usage: str
    purpose: str
    examples: list[str]
    groups: list[tuple[str, list[str]]] = field(default_factory=list)  # title, option names
    extra: dict[str, str] = field(default_factory=dict)  # meanings of options without a docstring line


TASK = "the task: {tasks} (`gnosis tasks` describes them)"
JSON = {"json": "print JSON instead of a table"}

COMMANDS: dict[str, Page] = {
    "tasks": Page("gnosis tasks [--json]",
                  "List the tasks gnosis can label, with the plugin, extractor, grader and gold column of each.",
                  ["gnosis tasks", "gnosis tasks --json"], extra=JSON),
    "plugins": Page("gnosis plugins [--json]",
                    "List the installed plugins with their versions and the hooks they implement.",
                    ["gnosis plugins", "gnosis plugins --json"], extra=JSON),
    "run": Page("gnosis run [--stage STAGE] [--task TASK] [options]",
                "Run one stage of the pipeline: generate, label, all (generate then label) or merge.",
                ["gnosis run --stage label --task math --save_dir examples/math",
                 "gnosis run --stage generate --task math --model_id Qwen/Qwen3-8B --save_dir runs/math",
                 "gnosis run --stage merge --inputs trivia=examples/trivia,math=examples/math --out_dir out"],
                extra={"stage": "the stage to run: generate, label, all or merge",
                       "task": "the task, for generate, label and all (see `gnosis tasks`)"}),
    "grade": Page("gnosis grade --task TASK (--completion TEXT | --file SHARD --row N) [options]",
                  "Grade one completion and show each step, for when a label looks wrong.",
                  ["gnosis grade --task math --gold '\\frac{1}{2}' --completion 'so \\boxed{0.5}'",
                   "gnosis grade --task math --file runs/math/verified/shard-000001.verified.jsonl --row 7",
                   "gnosis grade --task gpqa --file runs/gpqa/shard-000001.parquet --row 0 --json"],
                  [("required", ["task"]), ("the completion", ["completion", "gold", "question"]),
                   ("or a row of a shard", ["file", "row", "answer_col"]),
                   ("grading", ["timeout", "rel_tol", "abs_tol"]), ("output", ["json"])]),
    "prepare": Page("gnosis prepare BENCHMARK [options]",
                    "Download a benchmark once and write it as a CSV that generate reads with --data_mode csv.",
                    ["gnosis prepare math --out_csv data/math.csv",
                     "gnosis prepare mmlu_pro --dataset ./mmlu_pro.parquet --out_dir data/mmlu_pro",
                     "gnosis prepare gpqa --dataset gpqa_diamond.csv --out_csv data/gpqa.csv"],
                    extra={"benchmark": "math, mmlu_pro or gpqa; `gnosis prepare BENCHMARK --help` lists its options"}),
    "report": Page("gnosis report DIR|NAME=DIR [DIR ...] [options]",
                   "Tables, report.json, plots and an HTML page of generate or merge folders, side by side.",
                   ["gnosis report examples/math",
                    "gnosis report qwen8b=runs/qwen8b_math qwen32b=runs/qwen32b_math --out reports/math",
                    "gnosis report runs/merged --by original_source"]),
}

STAGE_PAGES: dict[str, Page] = {
    "generate": Page(
        "gnosis run --stage generate --task TASK --model_id MODEL --save_dir DIR [options]",
        "Sample completions from a model for every question of a task and write them as shards.",
        ["gnosis run --stage generate --task math --model_id Qwen/Qwen3-8B --save_dir runs/math",
         "gnosis run --stage generate --task trivia --model_id ./tiny-model --backend transformers \\\n"
         "      --data_mode jsonl --data_path examples/tutorial/trivia.jsonl --max_tokens 64 --save_dir runs/trivia",
         "gnosis run --stage generate --task gpqa --model_id Qwen/Qwen3-8B --ray --save_dir runs/gpqa"],
        [("required", ["task"]),
         ("model and engine", ["model_id", "backend", "dtype", "max_model_len", "tensor_parallel_size",
                               "gpu_memory_utilization", "trust_remote_code"]),
         ("questions", ["data_mode", "data_path", "dataset_id", "dataset_config", "dataset_split", "question_col",
                        "answer_col", "solution_col", "max_questions"]),
         ("prompt", ["system_prompt", "thinking_mode", "mcq_append_options"]),
         ("sampling", ["num_generations", "max_tokens", "stage2_tokens", "two_step", "temperature", "top_p",
                       "seed"]),
         ("output", ["save_dir", "shard_fmt", "shard_size", "overwrite", "progress"]),
         ("served models (--backend openai)", ["base_url", "api_key_env", "max_concurrency", "tokenizer",
                                               "retry_for_s"]),
         ("ray cluster", ["ray", "replicas", "ray_address"])]),
    "label": Page(
        "gnosis run --stage label --task TASK --save_dir DIR [options]",
        "Grade every completion in a folder of shards; write verified shards with a correctness label.",
        ["gnosis run --stage label --task math --save_dir examples/math",
         "gnosis run --stage label --task trivia --save_dir runs/trivia --workers 4 --timeout 10",
         "gnosis run --stage label --task math --save_dir runs/math --ray"],
        [("required", ["task"]),
         ("input and output", ["save_dir", "pattern", "answer_col", "out_subdir", "drop_unparsed", "overwrite"]),
         ("grading", ["workers", "timeout", "rel_tol", "abs_tol", "batch_size", "progress"]),
         ("ray cluster", ["ray", "replicas", "ray_address"])]),
    "all": Page(
        "gnosis run --stage all --task TASK --model_id MODEL --save_dir DIR [options]",
        "generate, then label the same folder; takes the options of both.",
        ["gnosis run --stage all --task math --model_id Qwen/Qwen3-8B --save_dir runs/math",
         "gnosis run --stage all --task trivia --model_id ./tiny-model --backend transformers \\\n"
         "      --data_mode jsonl --data_path examples/tutorial/trivia.jsonl --max_tokens 64 --save_dir runs/trivia"]),
    "merge": Page(
        "gnosis run --stage merge --inputs TASK=DIR[,TASK=DIR...] --out_dir DIR [options]",
        "Merge the labeled runs of several tasks into one balanced training set.",
        ["gnosis run --stage merge --inputs trivia=examples/trivia,math=examples/math --out_dir out",
         "gnosis run --stage merge --config examples/merge.toml",
         "gnosis run --stage merge --inputs math=runs/math --out_dir out --ac_frac 0.2 --aw_keep_per_q 1"],
        [("required (on the command line or in --config)", ["inputs", "out_dir"]),
         ("which questions and completions", ["only_parsed", "ac_frac", "ac_questions", "aw_questions",
                                              "ac_keep_per_q", "aw_keep_per_q", "mixed_strategy"]),
         ("task shares", ["max_rows_per_task", "max_final_task_ratios"]),
         ("output", ["config", "seed", "shuffle_blocks", "push_to_hub", "private"])]),
}

PREPARE_PAGES: dict[str, Page] = {
    "math": Page("gnosis prepare math [options]",
                 "Competition math (AIME 2024/2025, HMMT Feb 2025, AMC) as one CSV: question, solution, "
                 "original_source.",
                 ["gnosis prepare math --out_csv data/math.csv",
                  "gnosis prepare math --datasets ./aime.csv,./amc.jsonl --dedupe --out_hf_dir none"]),
    "mmlu_pro": Page("gnosis prepare mmlu_pro [options]",
                     "MMLU-Pro as one CSV per split (OUT_DIR/SPLIT.csv): the question with its lettered options, "
                     "and the answer letter.",
                     ["gnosis prepare mmlu_pro --out_dir data/mmlu_pro",
                      "gnosis prepare mmlu_pro --dataset ./mmlu_pro.parquet --out_dir data/mmlu_pro",
                      "gnosis prepare mmlu_pro --splits test --out_dir data/mmlu_pro"]),
    "gpqa": Page("gnosis prepare gpqa [options]",
                 "GPQA as one CSV: the question with options A-D in a reproducibly shuffled order, and the "
                 "answer letter.",
                 ["gnosis prepare gpqa --out_csv data/gpqa.csv",
                  "gnosis prepare gpqa --dataset gpqa_diamond.csv --seed 7 --out_csv data/gpqa.csv"]),
}

NOTES = ("Options are written --name value or --name=value; --save_dir and --save-dir are the same.\n"
         "A true/false option is switched on by --name alone and off by --name false.")


# ---------------------------------------------------------------- choosing the page


def show(argv: list[str]) -> int:
    """Print the help ``argv`` (which holds --help or -h) asks for; a mistyped command,
    stage or benchmark is a GnosisError with a "did you mean"."""
    words = [a for a in argv if not a.startswith("-")]
    if not words:
        print(top_level())
        return 0
    command = check_command(words[0])
    if command == "run":
        stage = _stage_of(argv)
        if stage is None:
            print(run_page())
            return 0
        print(stage_page(check_choice(stage, "stage", STAGES)))
        return 0
    if command == "prepare" and len(words) > 1:
        print(prepare_page(check_choice(words[1], "benchmark", BENCHMARKS)))
        return 0
    print(command_page(command))
    return 0


def check_command(word: str) -> str:
    if word in COMMANDS:
        return word
    if word in STAGES:
        raise GnosisError(f"{word!r} is a stage, not a command: `gnosis run --stage {word}` "
                          f"(see `gnosis run --stage {word} --help`)")
    hint = did_you_mean(word, list(COMMANDS) + list(STAGES))
    for stage in STAGES:
        hint = hint.replace(f"mean {stage}?", f"mean `gnosis run --stage {stage}`?")
    raise GnosisError(f"unknown command {word!r}.{hint} Commands: {', '.join(COMMANDS)} (see `gnosis --help`)")


def check_choice(word: str, name: str, choices) -> str:
    if word not in choices:
        raise GnosisError(f"unknown {name} {word!r}.{did_you_mean(word, choices)} "
                          f"{name.capitalize()}s: {', '.join(choices)}")
    return word


def _stage_of(argv: list[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--stage" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--stage="):
            return arg.split("=", 1)[1]
    words = [a for a in argv[1:] if not a.startswith("-")]
    return words[0] if words and argv[1:2] == words[:1] else None  # `gnosis run label --help`


# ---------------------------------------------------------------- the pages


def top_level() -> str:
    from gnosis_core import __version__

    lines = [f"usage: gnosis COMMAND [options]\n\n"
             f"gnosis {__version__}: sample completions from a model, label them right or wrong, and\n"
             "rebalance them into training and benchmark data.\n\ncommands:"]
    lines += _two_columns([(name, page.purpose) for name, page in COMMANDS.items()])
    lines.append("\nstages (gnosis run --stage STAGE):")
    lines += _two_columns([(name, page.purpose) for name, page in STAGE_PAGES.items()])
    lines.append("\noptions:")
    lines += _two_columns([("-h, --help", "show this help; `gnosis COMMAND --help` shows a command's options"),
                           ("--version", "print the version of gnosis")])
    lines.append("\nexamples:")
    lines += [f"  {e}" for e in ("gnosis tasks", "gnosis run --stage label --task math --save_dir examples/math",
                                 "gnosis report examples/math", "gnosis run --stage generate --help")]
    return "\n".join(lines) + "\n"


def run_page() -> str:
    page = COMMANDS["run"]
    rows = [("--stage", "all", page.extra["stage"]), ("--task", "-", page.extra["task"])]
    stages = _two_columns([(name, p.purpose) for name, p in STAGE_PAGES.items()])
    return _render(page, [("options", rows)], after=["stages (`gnosis run --stage STAGE --help` lists a stage's "
                                                     "options):", *stages])


def stage_page(stage: str) -> str:
    page = STAGE_PAGES[stage]
    if stage == "merge":
        from gnosis_core.stages import merge

        return _render(page, _grouped(page.groups, merge.run, "merge", merge.DEFAULTS,
                                      required=("inputs", "out_dir")))
    if stage == "all":
        from gnosis_core.options import SPECS

        groups = _grouped(STAGE_PAGES["generate"].groups, _stage_fn("generate"), "generate", {})
        label_only = [n for n in _keyword_options(_stage_fn("label")) if n not in SPECS["generate"]]
        groups += _grouped([("label", label_only)], _stage_fn("label"), "label", {}, complete=False)
        return _render(page, groups)
    return _render(page, _grouped(page.groups, _stage_fn(stage), stage, {}))


def prepare_page(benchmark: str) -> str:
    from gnosis_core.stages import prepare

    fn = prepare.PREPARERS[benchmark]
    return _render(PREPARE_PAGES[benchmark], _grouped([("options", _keyword_options(fn))], fn, "prepare", {}))


def command_page(command: str) -> str:
    page = COMMANDS[command]
    if command in ("tasks", "plugins"):
        return _render(page, [("options", [("--json", "false", JSON["json"])])])
    if command == "prepare":
        rows = _two_columns([(name, PREPARE_PAGES[name].purpose) for name in BENCHMARKS])
        return _render(page, [], after=["benchmarks:", *rows])
    fn = _stage_fn(command)
    groups = page.groups or [("options", _keyword_options(fn))]
    return _render(page, _grouped(groups, fn, command, {}))


# ---------------------------------------------------------------- options as rows


def option_lines(fn) -> dict[str, str]:
    """The ``Options:`` section of ``fn``'s docstring: one line ``    name: meaning`` per option."""
    lines = (inspect.getdoc(fn) or "").splitlines()
    start = next((i + 1 for i, line in enumerate(lines) if line.strip() == "Options:"), len(lines))
    found = (re.match(r"\s+(\w+): (.+)", line) for line in lines[start:])
    return {m.group(1): m.group(2).strip() for m in found if m}


def _stage_fn(name: str):
    return importlib.import_module(f"gnosis_core.stages.{name}").run


def _keyword_options(fn) -> list[str]:
    return [n for n, p in inspect.signature(fn).parameters.items() if p.kind is inspect.Parameter.KEYWORD_ONLY]


def _grouped(groups, fn, command: str, defaults: dict, required=(), complete: bool = True):
    """(title, rows) per group, each row (flag, default, meaning); the required options of
    any group go to the first, "required" group, and options of ``fn`` that no group names
    (added later, or by a plugin) come last under "other options"."""
    from gnosis_core.options import REQUIRED, SPECS

    meanings = option_lines(fn)
    params = inspect.signature(fn).parameters
    required = set(required) | set(REQUIRED.get(command, {}))
    specs = SPECS.get(command, {})
    known = [n for n in _keyword_options(fn)]
    named = {n for _, names in groups for n in names}
    if complete and [n for n in known if n not in named]:
        groups = [*groups, ("other options", [n for n in known if n not in named])]
    out = []
    for title, names in groups:
        rows = []
        for name in names:
            if name == "task":
                rows.append(("--task", "required", TASK.format(tasks=", ".join(_task_names()))))
                continue
            if name not in params:
                continue
            default = defaults.get(name, params[name].default)
            needed = name in required or default is inspect.Parameter.empty
            meaning = _with_accepts(meanings.get(name, ""), specs.get(name))
            shown = "required" if needed else _show(default)
            if len(shown) > 20:  # a long default reads better after the meaning
                meaning, shown = f"{meaning} (default: {shown})", "-"
            rows.append((f"--{name}", shown, meaning))
        out.append((title, rows))
    first = out[0][0] if out and out[0][0].startswith("required") else None
    moved = [row for title, rows in out[1:] for row in rows if first and row[1] == "required"]
    out = [(title, rows + moved if title == first else [r for r in rows if not (first and r[1] == "required")])
           for title, rows in out]
    return [(title, rows) for title, rows in out if rows]


def _with_accepts(meaning: str, spec) -> str:
    """The meaning, plus the range or choices the option accepts where it does not say them."""
    accepts = getattr(spec, "accepts", None)
    if not accepts:
        return meaning
    if "," in accepts:  # choices
        if all(choice in meaning for choice in accepts.split(", ")):
            return meaning
        return f"{meaning} (one of: {accepts})" if meaning else f"one of: {accepts}"
    if re.search(r"[<>]=?\s*-?\d|\d+ to \d+", meaning):
        return meaning
    if meaning.endswith(")"):  # "(default: all)" becomes "(default: all; >= 1)"
        return f"{meaning[:-1]}; {accepts})"
    return f"{meaning} ({accepts})"


def _show(value) -> str:
    """A default as a user types it: true, 0.6, downsample, a,b, trivia=1,math=2; - for none."""
    if value is None or value is inspect.Parameter.empty:
        return "-"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict):
        return ",".join(f"{k}={_show(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ",".join(_show(v) for v in value)
    return str(value)


def _task_names() -> list[str]:
    from gnosis_core import registry

    try:
        return sorted(registry.all_tasks())
    except GnosisError:  # a broken plugin: its own command reports it
        return []


# ---------------------------------------------------------------- layout


def _width() -> int:
    return max(60, min(120, shutil.get_terminal_size((100, 24)).columns))


def _two_columns(rows: list[tuple[str, str]]) -> list[str]:
    left = max((len(name) for name, _ in rows), default=0)
    return [_wrapped(f"  {name.ljust(left)}  ", text) for name, text in rows]


def _wrapped(head: str, text: str) -> str:
    return textwrap.fill(text, width=_width(), initial_indent=head, subsequent_indent=" " * len(head),
                         break_on_hyphens=False) if text else head.rstrip()


def _render(page: Page, groups, after=()) -> str:
    rows = [row for _, group in groups for row in group]
    flag_w = max([len("option"), *(len(r[0]) for r in rows)])
    default_w = max([len("default"), *(len(r[1]) for r in rows)])
    lines = [f"usage: {page.usage}", "", _wrapped("", page.purpose)]
    if rows:
        lines += ["", f"  {'option'.ljust(flag_w)}  {'default'.ljust(default_w)}  meaning"]
    for title, group in groups:
        lines += ["", f"{title}:"]
        lines += [_wrapped(f"  {flag.ljust(flag_w)}  {default.ljust(default_w)}  ", meaning)
                  for flag, default, meaning in group]
    if after:
        lines += ["", *after]
    if page.examples:
        lines += ["", "examples:", *(f"  {e}" for e in page.examples)]
    if rows:
        lines += ["", NOTES]
    return "\n".join(lines) + "\n"
