"""Placeholder (filled by the generate stage work)."""


class VLLMBackend:
    pass
