"""The gnosis plugin contract.

A plugin is any module exposed under the ``gnosis`` entry-point group that implements
some of these hooks with ``@gnosis_core.hookimpl``. Every hook receives a ``register``
callable and returns nothing; hooks are called once, the first time gnosis needs the
plugin registry (never at import of the CLI), in no guaranteed order between plugins.
Registering a name that another plugin already registered is an error naming both.
"""
import pluggy

hookspec = pluggy.HookspecMarker("gnosis")


@hookspec
def register_loaders(register):
    """Register data loaders: ``register(name, fn)``.

    ``fn(**source) -> datasets.Dataset`` loads questions. ``source`` holds the loader
    options given on the command line or in registry.toml: ``dataset_id``,
    ``dataset_config``, ``dataset_split``, ``data_path`` (unused ones are None).
    Raise ``gnosis_core.errors.GnosisError`` for a user mistake (missing file, bad split).
    """


@hookspec
def register_templates(register):
    """Register prompt templates: ``register(name, fn)``.

    ``fn(row: Mapping, task) -> list[dict]`` returns the chat messages
    (``{"role": ..., "content": ...}``) for one question row; ``task`` is the resolved
    :class:`gnosis_core.registry.Task` (its ``system_prompt`` already overridden by
    ``--system_prompt``). Called once per question during generate.
    """


@hookspec
def register_extractors(register):
    """Register answer extractors: ``register(name, fn)``.

    ``fn(completion: str, row: Mapping) -> str | None`` returns the final answer text of a
    completion, or None when it has none: the row is then labeled 0 with ``grade_status``
    ``unparsed`` and a ``grade_detail`` gnosis derives from the completion's shape ("no
    answer after </think>", "reasoning never closed"). To give a better reason, raise
    ``gnosis_core.errors.NoAnswer(reason)`` instead of returning None. Raise
    ``gnosis_core.errors.RowTimeout(reason)`` when the completion cannot be read within
    ``gnosis_core.limits.row_timeout_s()``; any other exception counts as ``error``.
    Called once per completion during label, inside worker processes.
    """


@hookspec
def register_graders(register):
    """Register graders: ``register(name, fn)``.

    ``fn(prediction: str, gold, row: Mapping) -> bool | None`` decides whether the
    extracted ``prediction`` matches ``gold`` (the task's gold column, as stored: a
    string, list or dict). Return None when the gold is missing or unusable: the row is
    labeled 0 with ``grade_status`` ``unverifiable`` ("gold missing", or "gold not usable:
    ..."); raise ``gnosis_core.errors.Unverifiable(reason)`` instead to say why ("gold not
    parseable: ..."). Raise ``gnosis_core.errors.RowTimeout(reason)`` when the row ran past
    ``gnosis_core.limits.row_timeout_s()`` (status ``timed_out``); any other exception is
    status ``error`` with the exception as the detail. Either way the run goes on.
    Called once per parsed completion during label, in worker processes, under a per-row
    time limit.

    Optionally, ``fn.describe(prediction, gold, row) -> dict[str, str]`` tells ``gnosis
    grade`` what the grader made of each side (the math grader: what math-verify parsed,
    and under ``"rule"`` the rule that decided); without it, ``gnosis grade`` shows the two
    strings. A grader that compares numbers may take keyword arguments ``rel_tol`` and
    ``abs_tol`` (a task's ``registry.toml`` fields, or label's ``--rel_tol``/``--abs_tol``;
    given only when set) and ``fn.rule(prediction, gold, row, **tolerance) -> str``, the
    rule that decided: where it names a tolerance, label writes it into ``grade_detail``.
    A task given a tolerance whose grader takes none is an error before grading starts.
    """


@hookspec
def register_tasks(register):
    """Register tasks: ``register(name, **fields)``.

    ``fields`` are those of a ``[tasks.NAME]`` table in registry.toml (``loader``,
    ``template``, ``extractor``, ``grader``, ``gold_column``, ``system_prompt``, ...), so a
    pip-installed plugin can add tasks without editing the shipped registry.
    """


@hookspec
def register_backends(register):
    """Register generation backends: ``register(name, factory)``.

    ``factory(**engine_options)`` returns an object implementing
    :class:`gnosis_core.backends.Backend`. Called when generate resolves ``--backend``.
    """
