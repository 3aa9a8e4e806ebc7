"""Training throughput, MFU and peak memory of full, LoRA and QLoRA fine-tuning at Qwen3-1.7B's shape, on one GPU.

The model is randomly initialised from Qwen3-1.7B's config (hard-coded below, nothing is downloaded),
so the numbers measure the recipe's compute path, not the checkpoint. Each mode runs a few warm-up
steps and then timed optimizer steps on full batches of real tokens (no padding):

    real tokens/s = batch_size * seq_len * steps / seconds
    MFU           = 6 * parameters * tokens/s / peak bf16 FLOP/s   (6N per token, as usually quoted)

    python benchmarks/gpu/bench_train.py                 # ~3-5 minutes on one H100/H200
    python benchmarks/gpu/bench_train.py --tiny --steps 2 --modes full lora   # CPU smoke test of the script
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

QWEN3_1_7B = dict(
    vocab_size=151936,
    hidden_size=2048,
    intermediate_size=6144,
    num_hidden_layers=28,
    num_attention_heads=16,
    num_key_value_heads=8,
    head_dim=128,
    max_position_embeddings=40960,
    rope_theta=1000000.0,
    rms_norm_eps=1e-6,
    tie_word_embeddings=True,
    bos_token_id=151643,
    eos_token_id=151645,
    pad_token_id=151643,
)
TINY = dict(
    QWEN3_1_7B, vocab_size=1024, hidden_size=64, intermediate_size=128, num_hidden_layers=2, head_dim=16
)
TINY.update(bos_token_id=0, eos_token_id=1, pad_token_id=0)
# Dense bf16 peak by device name (NVIDIA datasheets, SXM parts).
PEAK_BF16_FLOPS = {"H200": 989e12, "H100": 989e12, "A100": 312e12, "L40S": 362e12, "A10G": 125e12}
# The recipes' LoRA settings (recipes/qwen3-1.7b/sft/lora.yaml).
LORA = dict(r=64, lora_alpha=128, lora_dropout=0.1, target_modules="all-linear", task_type="CAUSAL_LM")


def peak_flops(device_name: str, override: float | None) -> float | None:
    if override:
        return override * 1e12
    return next((peak for name, peak in PEAK_BF16_FLOPS.items() if name in device_name), None)


def real_token_ids(tokenizer, count: int) -> list[int]:
    """`count` token ids of real rows as the recipe renders them (chat template, think block), cycled:
    the shared upstream sample beside the clone, else the bundled sample."""
    import json

    from medqa.formatting import join_think, row_to_messages
    from medqa.resources import SAMPLE_CORPUS, resource_path
    from medqa.schema import SYSTEM_PROMPT

    shared = Path(__file__).resolve().parents[3] / "shared" / "data" / "delicate_medical_r1_sample.jsonl"
    source = shared if shared.is_file() else Path(resource_path(SAMPLE_CORPUS))
    rows = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    ids: list[int] = []
    while len(ids) < count:
        for raw in rows:
            output = join_think(raw["think"], raw["answer"])
            row = {"instruction": SYSTEM_PROMPT, "input": raw["question"], "output": output}
            ids += tokenizer.apply_chat_template(row_to_messages(row))["input_ids"]
            if len(ids) >= count:
                break
    return ids[:count]


def save_random_model(config_kwargs: dict, out: Path) -> Path:
    """A randomly initialised Qwen3 of the given shape, saved in bf16 (QLoRA quantizes while loading)."""
    import torch
    from transformers import Qwen3Config, Qwen3ForCausalLM

    torch.manual_seed(0)
    model = Qwen3ForCausalLM(Qwen3Config(**config_kwargs, dtype="bfloat16")).to(torch.bfloat16)
    model.save_pretrained(out)
    return out


def load(mode: str, path: Path, device: str, checkpointing: bool = True):
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, BitsAndBytesConfig

    kwargs = {"dtype": torch.bfloat16, "attn_implementation": "sdpa"}
    if mode == "qlora":
        kwargs["quantization_config"] = BitsAndBytesConfig(
            load_in_4bit=True,
            bnb_4bit_quant_type="nf4",
            bnb_4bit_use_double_quant=True,
            bnb_4bit_compute_dtype=torch.bfloat16,
            bnb_4bit_quant_storage=torch.bfloat16,
        )
        kwargs["device_map"] = {"": device}
    model = AutoModelForCausalLM.from_pretrained(path, **kwargs)
    if mode != "qlora":
        model.to(device)
    if checkpointing:  # all three shipped recipes turn it on (recipes/README.md, Memory)
        model.gradient_checkpointing_enable()
        if mode != "full":
            model.enable_input_require_grads()
    if mode != "full":
        model = get_peft_model(model, LoraConfig(**LORA))
    return model


def bench(mode: str, path: Path, n_params: int, args) -> dict:
    import torch

    device = "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cuda":
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats()
    model = load(mode, path, device, checkpointing=not args.no_checkpointing)
    model.train()
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=1e-5, fused=device == "cuda")
    vocab = model.config.vocab_size
    generator = torch.Generator(device=device).manual_seed(0)
    tokens = args.batch_size * args.seq_len
    pool = torch.tensor(args.token_pool, device=device) if args.token_pool else None
    calls = [0]

    def step():
        if pool is None:
            ids = torch.randint(0, vocab, (args.batch_size, args.seq_len), device=device, generator=generator)
        else:  # consecutive windows of real rendered rows
            start = (calls[0] * tokens) % max(1, len(pool) - tokens)
            ids = pool[start : start + tokens].view(args.batch_size, args.seq_len)
            calls[0] += 1
        with torch.autocast(device, dtype=torch.bfloat16, enabled=device == "cuda"):
            loss = model(input_ids=ids, labels=ids).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)

    for _ in range(args.warmup):
        step()
    if device == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(args.steps):
        step()
    if device == "cuda":
        torch.cuda.synchronize()
    seconds = time.perf_counter() - start
    tokens_per_s = args.batch_size * args.seq_len * args.steps / seconds
    result = {
        "mode": mode,
        "tokens_per_s": tokens_per_s,
        "trainable_params": sum(p.numel() for p in trainable),
        "peak_memory_gib": torch.cuda.max_memory_allocated() / 2**30 if device == "cuda" else None,
    }
    peak = peak_flops(torch.cuda.get_device_name() if device == "cuda" else "", args.peak_tflops)
    result["mfu"] = 6 * n_params * tokens_per_s / peak if peak else None
    result["estimate_gib"] = memory_estimate(model, mode, not args.no_checkpointing, tokens) / 2**30
    return result


def memory_estimate(model, mode: str, checkpointing: bool, tokens: int) -> float:
    """medqa.memory's estimate (the recipes/README.md formula) for this run, to compare with the peak."""
    import torch

    from medqa.memory import estimate

    # bitsandbytes packs two NF4 weights per uint8 element.
    parameters = sum(p.numel() * (2 if p.dtype == torch.uint8 else 1) for p in model.parameters())
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    embeddings = model.get_input_embeddings().weight.numel()
    return estimate(model.config, mode, checkpointing, tokens, parameters, trainable, embeddings).total


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--modes", nargs="+", default=["full", "lora", "qlora"], choices=["full", "lora", "qlora"]
    )
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--seq-len", type=int, default=1024)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--peak-tflops", type=float, help="peak bf16 TFLOP/s if the GPU is not in the table")
    parser.add_argument(
        "--tiny", action="store_true", help="a tiny model of the same family (CPU smoke test)"
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--real-tokens",
        action="store_true",
        help="batches of real rendered rows tokenized with the real Qwen3 tokenizer (rebuilt offline)",
    )
    parser.add_argument("--no-checkpointing", action="store_true", help="turn activation checkpointing off")
    args = parser.parse_args()
    args.token_pool = None
    if args.real_tokens and not args.tiny:
        from medqa.tiny import build_qwen3_tokenizer

        needed = args.batch_size * args.seq_len * (args.warmup + args.steps + 1)
        args.token_pool = real_token_ids(build_qwen3_tokenizer(), needed)

    import torch

    config = TINY if args.tiny else QWEN3_1_7B
    device = torch.cuda.get_device_name() if torch.cuda.is_available() else "CPU"
    with tempfile.TemporaryDirectory() as tmp:
        path = save_random_model(config, Path(tmp) / "qwen3-random")
        from transformers import AutoConfig, Qwen3ForCausalLM

        with torch.device("meta"):
            n_params = Qwen3ForCausalLM(AutoConfig.from_pretrained(path)).num_parameters()
        results = [bench(mode, path, n_params, args) for mode in args.modes]

    print(
        f"{device}; Qwen3 {n_params / 1e9:.2f}B params; batch {args.batch_size} x {args.seq_len} tokens, bf16"
    )
    tokens = "real Qwen3-tokenized rows" if args.token_pool else "random token ids"
    print(f"checkpointing {'off' if args.no_checkpointing else 'on'}; {tokens}")
    print(f"{'mode':8}{'tokens/s':>12}{'MFU':>8}{'peak GiB':>10}{'estimate':>10}{'trainable':>14}")
    for r in results:
        mfu = f"{r['mfu']:.1%}" if r["mfu"] is not None else "n/a"
        memory = f"{r['peak_memory_gib']:.1f}" if r["peak_memory_gib"] is not None else "n/a"
        row = f"{r['mode']:8}{r['tokens_per_s']:>12,.0f}{mfu:>8}{memory:>10}{r['estimate_gib']:>10.1f}"
        print(f"{row}{r['trainable_params']:>14,}")
    if args.json:
        args.json.write_text(json.dumps({"device": device, "params": n_params, "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
