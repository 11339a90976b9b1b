"""gnosis plugin (in progress)."""
