"""A test task whose rows cost a known amount of CPU time, and a way to run gnosis with it.

A completion ``"150 1"`` makes the grader compute for 150 ms of CPU time and answer 1 (right);
``"re 1"`` sends it into a regular expression that backtracks for minutes inside C code,
where no signal handler runs; ``"swallow 1"`` computes for a long time and turns every
interruption into a wrong answer, as careless grader code would; ``"blocked 1"`` waits
without computing.

``python tests/busy_task.py run --task busy ...`` is the ``gnosis`` command with this task
registered, for tests that need a real process to signal.
"""
import re
import sys
import time
import types

from gnosis_core import hookimpl, plugins


def spend_cpu(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def grade(prediction, gold, row):
    work, verdict = prediction.split()
    if work == "re":
        re.match(r"(a+)+$", "a" * 64 + "b")
    elif work == "blocked":
        time.sleep(30)  # waits without computing, as on a lock that is never released
    elif work == "swallow":
        try:
            spend_cpu(60)
        except BaseException:  # noqa: B036 - the point: a grader that hides interruptions
            return False
    else:
        spend_cpu(int(work) / 1000)
    return verdict == "1"


def install_task(name: str, grader) -> None:
    """Register task NAME, graded by ``grader`` on the whole completion, as a plugin would."""
    module = types.ModuleType(name)
    module.register_extractors = hookimpl(lambda register: register(f"{name}-whole", lambda text, row: text))
    module.register_graders = hookimpl(lambda register: register(f"{name}-grader", grader))
    module.register_tasks = hookimpl(lambda register: register(
        name, extractor=f"{name}-whole", grader=f"{name}-grader", gold_column="answer"))
    plugins.plugin_manager().register(module, name=name)


def install() -> None:
    install_task("busy", grade)


def rows(works: list[str]) -> list[dict]:
    return [{"question": f"q{i}", "completion": work, "answer": "x"} for i, work in enumerate(works)]


if __name__ == "__main__":
    from gnosis_core.cli import main

    install()
    sys.exit(main(sys.argv[1:]))
