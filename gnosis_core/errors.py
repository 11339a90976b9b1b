import difflib


class GnosisError(Exception):
    """A user mistake: the CLI prints it as one line on stderr and exits non-zero."""


def did_you_mean(word: str, known, prefix: str = "") -> str:
    """`` Did you mean X?`` for the known word closest to a mistyped one (shown after
    ``prefix``, e.g. ``--``), else empty."""
    close = difflib.get_close_matches(str(word), list(known), n=1, cutoff=0.6)
    return f" Did you mean {prefix}{close[0]}?" if close else ""


class RowTimeout(Exception):
    """Raised by an extractor or grader when one row ran past the per-row time limit, or
    when its input is too large to grade within it: the row is labeled 0 with status
    ``timed_out``; the message (if any) becomes the row's ``grade_detail``."""


class NoAnswer(Exception):
    """Raised by an extractor instead of returning None, to say why a completion has no
    answer ("no answer after </think>"): status ``unparsed``, the message is the detail."""


class Unverifiable(Exception):
    """Raised by a grader instead of returning None, to say why the gold (or the row)
    cannot be graded ("gold not parseable: ..."): status ``unverifiable``, label 0."""
