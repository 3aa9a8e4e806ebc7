"""Build a real, tiny Qwen3 checkpoint offline: the stand-in for Qwen/Qwen3-1.7B in tests and quickstart.

It is a `Qwen3ForCausalLM` from a small `Qwen3Config`, a byte-level BPE tokenizer trained on the bundled
corpus with Qwen3's special tokens, and Qwen3's own chat template (taken from the installed TRL, which
keeps the exact text Qwen ships), so every code path that sees it behaves as it would with the real
model: TRL swaps in its Qwen3 training template for `assistant_only_loss`, `enable_thinking` works,
and EOS is `<|im_end|>`.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from medqa.resources import SAMPLE_CORPUS, resource_path
from medqa.schema import SYSTEM_PROMPT

ENDOFTEXT, IM_START, IM_END = "<|endoftext|>", "<|im_start|>", "<|im_end|>"
SPECIAL_TOKENS = (ENDOFTEXT, IM_START, IM_END)
# In Qwen3 the think tags are added tokens that survive `skip_special_tokens=True`.
THINK_TOKENS = ("<think>", "</think>")


@dataclass(frozen=True)
class TinyQwen3Spec:
    """Size of the tiny model: about 0.85 M parameters with the defaults. Trained by the tiny recipe it
    learns the think format as well as the 1.3 M shape (vocabulary 4096, MLP 384) did, about 20% faster
    per step, which is what the quickstart's CPU budget is spent on (recipes/README.md)."""

    vocab_size: int = 2048
    hidden_size: int = 128
    intermediate_size: int = 256
    num_hidden_layers: int = 4
    num_attention_heads: int = 4
    num_key_value_heads: int = 2
    head_dim: int = 32
    max_position_embeddings: int = 2048
    seed: int = 0


def corpus_texts(path: Path | None = None) -> Iterator[str]:
    """The tokenizer's training data: each corpus row as the chat turns it will be rendered in."""
    with open(path or resource_path(SAMPLE_CORPUS), encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            yield f"system\n{SYSTEM_PROMPT}\n{row['instruction']}"
            yield f"user\n{row['question']}"
            yield f"assistant\n{row['think']}\n\n{row['answer']}"


def qwen3_chat_template() -> str:
    """The chat template Qwen ships with Qwen3 (byte-identical, as TRL stores it for identification)."""
    from trl.chat_template_utils import qwen3_chat_template as template

    return template


def build_tokenizer(spec: TinyQwen3Spec, corpus: Path | None = None):
    """Train a byte-level BPE on the corpus and wrap it as a transformers fast tokenizer."""
    from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=spec.vocab_size,
        special_tokens=list(SPECIAL_TOKENS),
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(corpus_texts(corpus), trainer=trainer)
    tokenizer.add_tokens([AddedToken(token, special=False, normalized=False) for token in THINK_TOKENS])
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        eos_token=IM_END,
        pad_token=ENDOFTEXT,
        additional_special_tokens=[IM_START, IM_END],
        chat_template=qwen3_chat_template(),
        model_max_length=spec.max_position_embeddings,
        clean_up_tokenization_spaces=False,
        padding_side="right",
    )


def build_tiny_qwen3(
    out_dir: str | Path, spec: TinyQwen3Spec | None = None, corpus: Path | None = None
) -> Path:
    """Build and save the tiny checkpoint (model, generation config, tokenizer); return its directory."""
    import torch
    from transformers import GenerationConfig, Qwen3Config, Qwen3ForCausalLM

    spec = spec or TinyQwen3Spec()
    out = Path(out_dir)
    tokenizer = build_tokenizer(spec, corpus)
    im_end, pad = tokenizer.convert_tokens_to_ids(IM_END), tokenizer.convert_tokens_to_ids(ENDOFTEXT)
    config = Qwen3Config(
        vocab_size=len(tokenizer),
        hidden_size=spec.hidden_size,
        intermediate_size=spec.intermediate_size,
        num_hidden_layers=spec.num_hidden_layers,
        num_attention_heads=spec.num_attention_heads,
        num_key_value_heads=spec.num_key_value_heads,
        head_dim=spec.head_dim,
        max_position_embeddings=spec.max_position_embeddings,
        tie_word_embeddings=True,
        bos_token_id=pad,
        eos_token_id=im_end,
        pad_token_id=pad,
        dtype="float32",
    )
    torch.manual_seed(spec.seed)
    model = Qwen3ForCausalLM(config)
    model.generation_config = GenerationConfig(
        bos_token_id=pad,
        eos_token_id=[im_end, pad],
        pad_token_id=pad,
        do_sample=True,
        temperature=0.6,
        top_p=0.95,
        top_k=20,
    )
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    (out / "tiny_spec.json").write_text(json.dumps(asdict(spec), indent=2) + "\n", encoding="utf-8")
    return out


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", default="models/tiny-qwen3", help="output directory (default: %(default)s)")
    parser.add_argument(
        "--corpus", type=Path, default=None, help="jsonl in the raw schema to train the tokenizer on"
    )
    parser.add_argument("--seed", type=int, default=0)


def main(args: argparse.Namespace) -> int:
    out = build_tiny_qwen3(args.out, TinyQwen3Spec(seed=args.seed), args.corpus)
    print(f"tiny Qwen3 written to {out}")
    return 0
