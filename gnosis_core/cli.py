"""The ``gnosis`` command (python-fire). Heavy modules are imported only by the stage
that needs them, so ``gnosis tasks`` starts fast."""
from __future__ import annotations

import importlib
import json as jsonlib
import sys

from gnosis_core.errors import GnosisError

STAGES = ("generate", "label", "all", "merge")
BENCHMARKS = ("math", "mmlu_pro", "gpqa")
VERBATIM = {"grade": ("completion", "gold", "question", "file", "answer_col")}


def _normalise(options: dict) -> dict:
    return {key.replace("-", "_"): value for key, value in options.items()}


def _print_table(rows: list[dict], columns: list[str]) -> None:
    widths = {c: max(len(c), *(len(str(r[c])) for r in rows)) if rows else len(c) for c in columns}
    print("  ".join(c.upper().ljust(widths[c]) for c in columns).rstrip())
    for row in rows:
        print("  ".join(str(row[c]).ljust(widths[c]) for c in columns).rstrip())


class Cli:
    """gnosis: sample completions, label them, and rebalance them into training data."""

    def tasks(self, json: bool = False):
        """List every task with its plugin, extractor, grader and gold column (--json)."""
        from gnosis_core import registry

        rows = [{"task": t.name, "plugin": t.plugin, "extractor": t.extractor, "grader": t.grader,
                 "gold_column": t.gold_column, "aliases": list(t.aliases), "description": t.description}
                for t in sorted(registry.all_tasks().values(), key=lambda t: t.name)]
        if json:
            print(jsonlib.dumps(rows, indent=2))
            return
        for row in rows:
            if row["aliases"]:
                row["task"] = f"{row['task']} ({', '.join(row['aliases'])})"
        _print_table(rows, ["task", "plugin", "extractor", "grader", "gold_column", "description"])

    def plugins(self, json: bool = False):
        """List installed plugins with their versions and the hooks they implement (--json)."""
        from gnosis_core import plugins

        rows = [{"name": p.name, "version": p.version, "hooks": ", ".join(p.hooks)} for p in plugins.list_plugins()]
        if json:
            print(jsonlib.dumps(rows, indent=2))
            return
        _print_table(rows, ["name", "version", "hooks"])

    def run(self, stage: str = "all", task: str | None = None, **options):
        """Run a stage: generate, label, all (generate then label) or merge.

        Examples:
          gnosis run --task trivia --stage label --save_dir runs/trivia
          gnosis run --task dapo --stage generate --model_id Qwen/Qwen3-8B --save_dir runs/dapo
          gnosis run --stage merge --inputs trivia=runs/trivia,math=runs/math --out_dir out

        Each stage's options are listed in the README; `--save_dir` and `--save-dir` are the
        same flag, and an unknown flag is an error naming the closest known one.
        """
        from gnosis_core.options import as_choice, check_options

        stage = as_choice(stage, "stage", STAGES)
        options = _normalise(options)
        if stage == "merge":
            from gnosis_core.stages import merge

            check_options(merge.run, options, "--stage merge")
            merge.run(**options)
            return
        if not task:
            raise GnosisError(f"--stage {stage} needs --task (see `gnosis tasks`)")
        from gnosis_core import registry

        task_obj = registry.get_task(str(task))
        if stage == "all":
            from gnosis_core.stages import pipeline

            pipeline.run_all(task_obj, **options)
            return
        module = importlib.import_module(f"gnosis_core.stages.{stage}")
        check_options(module.run, options, f"--stage {stage}")
        module.run(task_obj, **options)

    def grade(self, task: str | None = None, **options):
        """Grade one completion and show each step, for when a label looks wrong.

        gnosis grade --help lists the options; the README has examples.
        """
        from gnosis_core import registry
        from gnosis_core.options import check_options
        from gnosis_core.stages import grade

        options = _normalise(options)
        check_options(grade.run, options, "gnosis grade")
        if not task:
            raise GnosisError("gnosis grade needs --task (see `gnosis tasks`)")
        grade.run(registry.get_task(str(task)), **options)

    def prepare(self, benchmark: str, **options):
        """Write a benchmark CSV once: gnosis prepare {math,mmlu_pro,gpqa} --out_csv ..."""
        from gnosis_core.options import as_choice, check_options
        from gnosis_core.stages import prepare

        benchmark = as_choice(benchmark, "benchmark", BENCHMARKS)
        options = _normalise(options)
        fn = prepare.PREPARERS[benchmark]
        check_options(fn, options, f"gnosis prepare {benchmark}")
        fn(**options)

    def report(self, *dirs, **options):
        """Tables, report.json and plots of generate save_dirs or merge out_dirs, side by side.

        Examples:
          gnosis report runs/math
          gnosis report qwen8b=runs/qwen8b_math qwen32b=runs/qwen32b_math --out reports/math
          gnosis report runs/merged --by original_source
        """
        from gnosis_core.options import check_options
        from gnosis_core.stages import report

        options = _normalise(options)
        check_options(report.run, options, "gnosis report")
        report.run([str(d) for d in dirs], **options)


def main(argv: list[str] | None = None) -> int:
    import fire

    argv = list(sys.argv[1:] if argv is None else argv)
    if "--help" in argv or "-h" in argv:
        return _help(argv)
    argv = _verbatim(argv)
    try:
        fire.Fire(Cli, command=argv, name="gnosis")
    except GnosisError as exc:
        print(f"gnosis: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("gnosis: interrupted", file=sys.stderr)
        return 130
    except fire.core.FireExit as exc:
        return exc.code if isinstance(exc.code, int) else 2
    return 0


def _verbatim(argv: list[str]) -> list[str]:
    """Quote the text options of ``gnosis grade`` so that fire hands them over as typed: it
    would read a gold of ``1e3`` as 1000.0 and ``007`` as 7, and the grader must see the text."""
    if not argv or argv[0] not in VERBATIM:
        return argv
    flags = {f"--{name}" for name in VERBATIM[argv[0]]} | {f"--{name.replace('_', '-')}" for name in VERBATIM[argv[0]]}
    out = list(argv)
    for i, arg in enumerate(argv):
        flag, equals, value = arg.partition("=")
        if flag not in flags:
            continue
        if equals:
            out[i] = f"{flag}={value!r}"
        elif i + 1 < len(argv) and not argv[i + 1].startswith("--"):
            out[i + 1] = repr(argv[i + 1])
    return out


def _help(argv: list[str]) -> int:
    """``gnosis run --stage S --help`` and ``gnosis grade --help`` list their options;
    otherwise fire's help."""
    import fire

    stage = next((argv[i + 1] for i, a in enumerate(argv[:-1]) if a in ("--stage", "-s")), None)
    if argv and argv[0] == "run" and stage in STAGES and stage != "all":
        module = importlib.import_module(f"gnosis_core.stages.{stage}")
        _print_options(module.run, f"gnosis run --stage {stage}", getattr(module, "DEFAULTS", {}))
        return 0
    usage = {"grade": "gnosis grade --task TASK", "report": "gnosis report DIR|NAME=DIR [...]"}
    if argv and argv[0] in usage:
        module = importlib.import_module(f"gnosis_core.stages.{argv[0]}")
        _print_options(module.run, usage[argv[0]], {})
        return 0
    command = [a for a in argv if not a.startswith("-")][:1]
    # Without a command, fire's help is of the Cli class (an empty synopsis); the command
    # list is what fire prints for a bare `gnosis`. With one, fire reads --help after "--".
    try:
        fire.Fire(Cli, command=command + ["--", "--help"] if command else [], name="gnosis")
    except fire.core.FireExit:
        pass
    return 0


def _print_options(fn, usage: str, defaults: dict) -> None:
    import inspect

    print(f"usage: {usage} [--option value ...]\n\n{inspect.getdoc(fn) or ''}\n\noptions (default):")
    for name, param in inspect.signature(fn).parameters.items():
        if param.kind is inspect.Parameter.KEYWORD_ONLY:
            default = defaults.get(name, param.default)
            print(f"  --{name} ({'required' if default is inspect.Parameter.empty else repr(default)})")


def entry_point() -> None:
    sys.exit(main())


if __name__ == "__main__":
    entry_point()
