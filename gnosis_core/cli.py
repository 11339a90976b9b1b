"""The ``gnosis`` command (python-fire). Heavy modules are imported only by the stage
that needs them, so ``gnosis tasks`` starts fast."""
from __future__ import annotations

import importlib
import json as jsonlib
import os
import signal
import sys
import threading

from gnosis_core import locking
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
                 "gold_column": t.gold_column, "aliases": list(t.aliases), "description": t.description,
                 "rel_tol": t.rel_tol, "abs_tol": t.abs_tol}
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

    def run(self, stage: str = "all", task: str | None = None, *extra, **options):
        """Run a stage: generate, label, all (generate then label) or merge.

        Examples:
          gnosis run --task trivia --stage label --save_dir runs/trivia
          gnosis run --task dapo --stage generate --model_id Qwen/Qwen3-8B --save_dir runs/dapo
          gnosis run --stage merge --inputs trivia=runs/trivia,math=runs/math --out_dir out

        `gnosis run --stage S --help` lists a stage's options with what each means; `--save_dir`
        and `--save-dir` are the same flag, and an unknown flag is an error naming the closest
        known one.
        """
        from gnosis_core.options import as_choice, check_options, validate

        if extra:  # fire hands over what no parameter takes; it would otherwise run, then complain
            raise GnosisError(f"unexpected argument {extra[0]!r} after `gnosis run`; options are given as "
                              f"--name value (see `gnosis run --stage {stage} --help`)")
        stage = as_choice(stage, "stage", STAGES)
        options = _normalise(options)
        if stage == "merge":
            from gnosis_core.stages import merge

            if task is not None:  # also where a stray positional argument lands
                raise GnosisError(f"--stage merge takes no task (got {task!r}): it reads TASK=DIR pairs from --inputs")
            check_options(merge.run, options, "--stage merge")
            merge.run(**validate("merge", options))
            return
        if not task:
            raise GnosisError(f"--stage {stage} needs --task (see `gnosis tasks`)")
        if stage != "all":
            module = importlib.import_module(f"gnosis_core.stages.{stage}")
            check_options(module.run, options, f"--stage {stage}")
        options = validate(stage, options, f"--stage {stage}")
        from gnosis_core import registry

        task_obj = registry.get_task(str(task))
        if stage == "all":
            from gnosis_core.stages import pipeline

            pipeline.run_all(task_obj, **options)
            return
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

    def prepare(self, benchmark: str, *extra, **options):
        """Write a benchmark CSV once: gnosis prepare {math,mmlu_pro,gpqa} --out_csv ..."""
        from gnosis_core.options import as_choice, check_options, validate
        from gnosis_core.stages import prepare

        if extra:
            raise GnosisError(f"unexpected argument {extra[0]!r} after `gnosis prepare {benchmark}`")
        benchmark = as_choice(benchmark, "benchmark", BENCHMARKS)
        options = _normalise(options)
        fn = prepare.PREPARERS[benchmark]
        check_options(fn, options, f"gnosis prepare {benchmark}")
        fn(**validate("prepare", options))

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


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP: unwinds the run exactly like Ctrl-C, so every cleanup runs (temp
    files removed, workers stopped, locks released)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


_SIGNALS = [getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)]
_STOP_WORDS = {"SIGTERM": "terminated", "SIGHUP": "hung up"}
_stoppable = False  # while a command runs; after it (cleanup, exit) a late signal is ignored


def _on_signal(signum, frame):
    if not _stoppable:
        return
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    raise Stopped(signum)


def _retry_swallowed_stop(unraisable) -> None:
    """A signal handled while Python runs a finalizer (a weakref callback, ``__del__``) raises
    there, where the exception is printed and dropped: raise it again in the main flow instead."""
    if _stoppable and isinstance(unraisable.exc_value, KeyboardInterrupt):
        signum = getattr(unraisable.exc_value, "signum", signal.SIGINT)
        # a moment later, from another thread, so that it lands once this hook has returned
        retry = threading.Timer(0.05, signal.pthread_kill, args=(threading.main_thread().ident, signum))
        retry.daemon = True
        retry.start()
        return
    sys.__unraisablehook__(unraisable)


def main(argv: list[str] | None = None, *, restore_signals: bool = True) -> int:
    """Run the command; returns its exit status. ``restore_signals=False`` (the ``gnosis``
    process itself) keeps ignoring signals afterwards: the work is over, and a late signal
    must not turn a clean exit into a traceback."""
    global _stoppable
    argv = list(sys.argv[1:] if argv is None else argv)
    previous = {}
    if threading.current_thread() is threading.main_thread():
        previous = {signum: signal.signal(signum, _on_signal) for signum in _SIGNALS}
    previous_hook, sys.unraisablehook = sys.unraisablehook, _retry_swallowed_stop
    _stoppable = True
    try:  # from the first import on: a signal at any moment is one line, never a traceback
        import fire

        if "--help" in argv or "-h" in argv:
            return _help(argv)
        argv = _verbatim(argv)
        fire.Fire(Cli, command=argv, name="gnosis")
    except GnosisError as exc:
        _stoppable = False
        print(f"gnosis: error: {one_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:
        _stoppable = False  # a second signal must not turn the one line into a traceback
        if isinstance(exc, Stopped):
            name = signal.Signals(exc.signum).name
            print(f"gnosis: {_STOP_WORDS.get(name, 'stopped')}", file=sys.stderr)
            return 128 + exc.signum
        print("gnosis: interrupted", file=sys.stderr)
        return 130
    except SystemExit as exc:  # fire's FireExit, after it printed its usage message
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    finally:
        _stoppable = False
        locking.release_all()
        if restore_signals:
            sys.unraisablehook = previous_hook
            for signum, handler in previous.items():
                signal.signal(signum, signal.SIG_DFL if handler is None else handler)
    return 0


def one_line(exc: BaseException) -> str:
    """An error message as one line, whatever a library put in it (Arrow prints whole schemas)."""
    return "; ".join(line.strip() for line in str(exc).splitlines() if line.strip())


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
    """``gnosis run --stage S --help``, ``gnosis prepare B --help``, ``gnosis grade --help`` and
    ``gnosis report --help`` list the options with what each means; otherwise fire's help."""
    import fire

    from gnosis_core.options import REQUIRED

    stage = next((argv[i + 1] for i, a in enumerate(argv[:-1]) if a in ("--stage", "-s")), None)
    words = [a for a in argv if not a.startswith("-")]
    if argv and argv[0] == "run" and stage in STAGES:
        for name in ("generate", "label") if stage == "all" else (stage,):
            module = importlib.import_module(f"gnosis_core.stages.{name}")
            _print_options(module.run, f"gnosis run --stage {name}", getattr(module, "DEFAULTS", {}),
                           REQUIRED.get(name, {}))
        return 0
    if words[:1] == ["prepare"] and len(words) > 1 and words[1] in BENCHMARKS:
        from gnosis_core.stages import prepare

        _print_options(prepare.PREPARERS[words[1]], f"gnosis prepare {words[1]}", {})
        return 0
    usage = {"grade": "gnosis grade --task TASK", "report": "gnosis report DIR|NAME=DIR [...]"}
    if words[:1] and words[0] in usage:
        module = importlib.import_module(f"gnosis_core.stages.{words[0]}")
        _print_options(module.run, usage[words[0]], {})
        return 0
    # Without a command, fire's help is of the Cli class (an empty synopsis); the command
    # list is what fire prints for a bare `gnosis`. With one, fire reads --help after "--".
    try:
        fire.Fire(Cli, command=words[:1] + ["--", "--help"] if words else [], name="gnosis")
    except fire.core.FireExit:
        pass
    return 0


def option_lines(fn) -> dict[str, str]:
    """The ``Options:`` section of ``fn``'s docstring: one line ``    name: meaning`` per option."""
    import inspect
    import re

    lines = (inspect.getdoc(fn) or "").splitlines()
    start = next((i + 1 for i, line in enumerate(lines) if line.strip() == "Options:"), len(lines))
    found = (re.match(r"\s+(\w+): (.+)", line) for line in lines[start:])
    return {m.group(1): m.group(2).strip() for m in found if m}


def _print_options(fn, usage: str, defaults: dict, required=()) -> None:
    import inspect

    doc = (inspect.getdoc(fn) or "").split("\nOptions:")[0].strip()
    meanings = option_lines(fn)
    rows = []
    for name, param in inspect.signature(fn).parameters.items():
        if param.kind is inspect.Parameter.KEYWORD_ONLY:
            default = defaults.get(name, param.default)
            needed = name in required or default is inspect.Parameter.empty
            rows.append((f"--{name}", "required" if needed else repr(default),
                         meanings.get(name, "")))
    widths = [max(len(r[i]) for r in rows) for i in (0, 1)]
    print(f"usage: {usage} [--option value ...]\n\n{doc}\n\noptions (default, meaning):")
    for flag, default, meaning in rows:
        print(f"  {flag.ljust(widths[0])}  {default.ljust(widths[1])}  {meaning}".rstrip())
    print()


def entry_point() -> None:
    try:
        code = main(restore_signals=False)
        sys.stdout.flush()
    except BrokenPipeError:  # `gnosis ... | head` closed the pipe: not an error of gnosis
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    sys.exit(code)


if __name__ == "__main__":
    entry_point()
