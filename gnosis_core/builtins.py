"""Components that ship with the core and serve every task: data loaders, the chat
template and the generation backends. Registered like any plugin, as ``gnosis-core``."""
from gnosis_core import hookimpl


@hookimpl
def register_loaders(register):
    from gnosis_core import loaders

    for name, fn in loaders.LOADERS.items():
        register(name, fn)


@hookimpl
def register_templates(register):
    from gnosis_core import templates

    register("chat", templates.chat)


@hookimpl
def register_backends(register):
    from gnosis_core.backends import openai_backend, transformers_backend, vllm_backend

    register("vllm", vllm_backend.VLLMBackend)
    register("transformers", transformers_backend.TransformersBackend)
    register("openai", openai_backend.OpenAIBackend)
