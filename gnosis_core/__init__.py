"""gnosis: turn language-model completions into labeled training and benchmark data."""
import pluggy

__version__ = "0.1.0"

hookimpl = pluggy.HookimplMarker("gnosis")

__all__ = ["hookimpl", "__version__"]
