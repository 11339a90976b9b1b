"""The per-row grading time limit, set by the label stage in each worker process."""
DEFAULT_ROW_TIMEOUT_S = 5.0
_row_timeout_s = DEFAULT_ROW_TIMEOUT_S


def row_timeout_s() -> float:
    return _row_timeout_s


def set_row_timeout_s(seconds: float) -> None:
    global _row_timeout_s
    _row_timeout_s = float(seconds)
