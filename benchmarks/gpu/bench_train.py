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


def save_random_model(config_kwargs: dict, out: Path) -> Path:
    """A randomly initialised Qwen3 of the given shape, saved in bf16 (QLoRA quantizes while loading)."""
    import torch
    from transformers import Qwen3Config, Qwen3ForCausalLM

    torch.manual_seed(0)
    model = Qwen3ForCausalLM(Qwen3Config(**config_kwargs, dtype="bfloat16")).to(torch.bfloat16)
    model.save_pretrained(out)
    return out


def load(mode: str, path: Path, device: str):
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
    if mode == "full":
        model.gradient_checkpointing_enable()  # as recipes/qwen3-1.7b/sft/full.yaml
    else:
        if mode == "qlora":
            model.gradient_checkpointing_enable()
            model.enable_input_require_grads()
        model = get_peft_model(model, LoraConfig(**LORA))
    return model


def bench(mode: str, path: Path, n_params: int, args) -> dict:
    import torch

    device = "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cuda":
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats()
    model = load(mode, path, device)
    model.train()
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=1e-5, fused=device == "cuda")
    vocab = model.config.vocab_size
    generator = torch.Generator(device=device).manual_seed(0)

    def step():
        ids = torch.randint(0, vocab, (args.batch_size, args.seq_len), device=device, generator=generator)
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
    return result


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
    args = parser.parse_args()

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
    print(f"{'mode':8}{'tokens/s':>12}{'MFU':>8}{'peak GiB':>10}{'trainable':>14}")
    for r in results:
        mfu = f"{r['mfu']:.1%}" if r["mfu"] is not None else "n/a"
        memory = f"{r['peak_memory_gib']:.1f}" if r["peak_memory_gib"] is not None else "n/a"
        print(f"{r['mode']:8}{r['tokens_per_s']:>12,.0f}{mfu:>8}{memory:>10}{r['trainable_params']:>14,}")
    if args.json:
        args.json.write_text(json.dumps({"device": device, "params": n_params, "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
