"""The ``gnosis`` command (python-fire). Heavy modules are imported only by the stage
that needs them, so ``gnosis tasks`` starts fast."""
from __future__ import annotations

import importlib
import inspect
import json as jsonlib
import os
import re
import signal
import sys
import threading

from gnosis_core import __version__, locking
from gnosis_core.errors import GnosisError, did_you_mean
from gnosis_core.help import BENCHMARKS, STAGES, check_choice, check_command
from gnosis_core.help import option_lines  # noqa: F401 (where the tests and other modules have found it)
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
        from gnosis_core.options import as_bool

        json = as_bool(json, "json")
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
        from gnosis_core.options import as_bool

        json = as_bool(json, "json")
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
        from gnosis_core.options import check_options, validate

        if extra:  # fire hands over what no parameter takes; it would otherwise run, then complain
            raise GnosisError(f"unexpected argument {extra[0]!r} after `gnosis run`; options are given as "
                              f"--name value (see `gnosis run --stage {stage} --help`)")
        stage = check_choice(str(stage), "stage", STAGES)
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

    def prepare(self, benchmark: str | None = None, *extra, **options):
        """Write a benchmark CSV once: gnosis prepare {math,mmlu_pro,gpqa} --out_csv ..."""
        from gnosis_core.options import check_options, validate
        from gnosis_core.stages import prepare

        if benchmark is None:
            raise GnosisError(f"gnosis prepare needs a benchmark: {', '.join(BENCHMARKS)} (see `gnosis prepare --help`)")
        if extra:
            raise GnosisError(f"unexpected argument {extra[0]!r} after `gnosis prepare {benchmark}`")
        benchmark = check_choice(str(benchmark), "benchmark", BENCHMARKS)
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

        from gnosis_core import help as help_pages

        if argv[:1] in (["--version"], ["-V"]):
            print(f"gnosis {__version__}")
            return 0
        if not argv or "--help" in argv or "-h" in argv:
            return help_pages.show(argv)  # never fire's help: it shows Python and opens a pager
        _check_usage(argv)
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


def _check_usage(argv: list[str]) -> None:
    """Mistakes fire would report late or badly, as one line: an unknown command, an option
    or argument a command without **options does not take (fire would run the command first)."""
    if argv[0].startswith("-"):
        raise GnosisError(f"unknown option {argv[0]}; a command comes first (see `gnosis --help`)")
    command = check_command(argv[0])
    # a token right after "--name" is that option's value (--gold -i), not a flag
    short = next((arg for before, arg in zip(argv, argv[1:]) if re.fullmatch(r"-[A-Za-z]", arg)
                  and not (before.startswith("--") and "=" not in before)), None)
    if short:  # fire would read -s as the first parameter starting with s, or as a value
        raise GnosisError(f"unknown option {short}: gnosis has long options only, such as --stage "
                          f"(see `gnosis {command} --help`)")
    params = inspect.signature(getattr(Cli, command)).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return  # the command checks its own options (options.check_options)
    names = [n for n in params if n != "self"]
    for i, arg in enumerate(argv[1:], 1):
        name = arg[2:].partition("=")[0].replace("-", "_") if arg.startswith("--") else None
        if name is None and not argv[i - 1].startswith("--"):
            raise GnosisError(f"unexpected argument {arg!r} after `gnosis {command}` (see `gnosis {command} --help`)")
        if name is not None and name not in names:
            raise GnosisError(f"unknown option {arg.partition('=')[0]} for gnosis {command}."
                              f"{did_you_mean(name, names, '--')}")


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
