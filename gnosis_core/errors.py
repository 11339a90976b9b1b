class GnosisError(Exception):
    """A user mistake: the CLI prints it as one line on stderr and exits non-zero."""


class RowTimeout(Exception):
    """Raised by an extractor or grader when one row ran past the per-row time limit:
    the row is labeled 0 and counted as timed out."""
