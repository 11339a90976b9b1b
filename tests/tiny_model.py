"""The tiny model the tests generate with lives in gnosis_core.tiny_model (the tutorial uses it too)."""
from gnosis_core.tiny_model import CHAT_TEMPLATE, CORPUS, build_tiny_model  # noqa: F401
