class GnosisError(Exception):
    """A user mistake: the CLI prints it as one line on stderr and exits non-zero."""


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
