"""Placeholder: data loaders (filled by the generate stage work)."""
LOADERS = {}
