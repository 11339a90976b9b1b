"""Placeholder (filled by the generate stage work)."""


class TransformersBackend:
    pass
