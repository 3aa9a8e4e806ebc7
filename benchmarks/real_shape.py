"""Qwen3-1.7B's exact shape (random init, bf16) with the real Qwen3 tokenizer, on CPU.

    python benchmarks/real_shape.py smoke     # one LoRA step through recipes/sft.py (lora.yaml + CPU overrides)
    python benchmarks/real_shape.py memory    # saved activations per token: lora / qlora / full, ± checkpointing

`smoke` builds the checkpoint (the config is benchmarks/gpu/bench_train.py's QWEN3_1_7B; tokenizer from
`medqa.tiny.build_qwen3_tokenizer`), prepares the bundled sample, runs the shipped LoRA recipe for one
optimizer step with CPU overrides, and checks the saved adapter: bf16, about 140 MB, every LoRA module
non-zero after a reload. Too slow and too large (4 GB of weights, ~8 GB RAM) for CI.

`memory` runs one forward pass in training mode over real rows (real tokenizer) and adds up, through
`torch.autograd.graph.saved_tensors_hooks`, the bytes autograd keeps for the backward pass, split into
the decoder layers and the rest (final norm, lm_head, loss). That is the activation memory; without
activation checkpointing it is the measured total, with it the measured head part plus every layer's
saved input plus one layer's activations (recomputed one layer at a time in the backward pass).
Weights, gradients and optimizer state are computed from the parameter counts. Timings are not taken:
the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks" / "gpu"))
from bench_train import QWEN3_1_7B, load, real_token_ids  # noqa: E402  (one home for the real shape)

MiB = 2**20


def build_checkpoint(out: Path) -> Path:
    """Qwen3-1.7B's config, random weights initialised directly in bf16, the real tokenizer, Qwen3's
    generation config (thinking mode: 0.6 / 0.95 / 20)."""
    import torch
    from transformers import GenerationConfig, Qwen3Config, Qwen3ForCausalLM

    from medqa.artifacts import save_tokenizer
    from medqa.tiny import build_qwen3_tokenizer

    if (out / "model.safetensors").exists() or (out / "model.safetensors.index.json").exists():
        return out
    torch.manual_seed(0)
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.bfloat16)  # no float32 copy of 2 B parameters on the way
    try:
        model = Qwen3ForCausalLM(Qwen3Config(**QWEN3_1_7B, dtype="bfloat16"))
    finally:
        torch.set_default_dtype(previous)
    model.generation_config = GenerationConfig(
        bos_token_id=151643,
        eos_token_id=[151645, 151643],
        pad_token_id=151643,
        do_sample=True,
        temperature=0.6,
        top_p=0.95,
        top_k=20,
    )
    model.save_pretrained(out)
    save_tokenizer(build_qwen3_tokenizer(), out)
    return out


def smoke(args) -> dict:
    import torch
    from peft import PeftModel
    from safetensors import safe_open
    from transformers import AutoModelForCausalLM

    from medqa.data import prepare

    work = Path(args.work)
    model = build_checkpoint(work / "qwen3-1.7b-random")
    data = work / "processed"
    if not (data / "dataset_dict.json").exists():
        prepare(source="sample", out=data, seed=42)
    out = work / "lora-smoke"
    cpu_overrides = [
        "--use_cpu", "true", "--bf16", "false",  # pure bf16 weights, no CUDA autocast
        "--max_steps", "1", "--warmup_steps", "0",  # one step at the full learning rate
        "--per_device_train_batch_size", "1", "--gradient_accumulation_steps", "1",
        "--max_length", str(args.max_length), "--max_train_samples", "2", "--eval_strategy", "no",
        "--save_strategy", "no", "--report_to", "none", "--logging_steps", "1", "--safety_eval_samples", "0",
    ]  # fmt: skip
    command = [
        sys.executable,
        str(REPO / "recipes" / "sft.py"),
        "--config",
        str(REPO / "recipes/qwen3-1.7b/sft/lora.yaml"),
    ]
    command += ["--model_name_or_path", str(model), "--dataset_name", str(data), "--output_dir", str(out)]
    started = time.monotonic()
    subprocess.run(command + cpu_overrides, cwd=REPO, check=True)
    seconds = time.monotonic() - started

    weights = out / "adapter_model.safetensors"
    with safe_open(str(weights), framework="pt") as handle:
        names = handle.keys()
        dtypes = sorted({str(handle.get_tensor(name).dtype) for name in names})
    base = AutoModelForCausalLM.from_pretrained(model, dtype=torch.bfloat16)
    reloaded = PeftModel.from_pretrained(base, out)
    lora_b = {name: p for name, p in reloaded.named_parameters() if "lora_B" in name}
    zero = [name for name, p in lora_b.items() if not p.detach().any()]
    result = {
        "adapter_bytes": weights.stat().st_size,
        "adapter_mb": round(weights.stat().st_size / 1e6, 1),
        "dtypes": dtypes,
        "lora_modules": len(lora_b),
        "zero_lora_modules": len(zero),
        "recipe_seconds": round(seconds),
        "command": " ".join(command + cpu_overrides),
    }
    assert dtypes == ["torch.bfloat16"], dtypes
    assert len(lora_b) == 28 * 7 and not zero, zero[:3]
    assert 130e6 < weights.stat().st_size < 150e6, weights.stat().st_size
    return result


def real_batch(tokenizer, length: int):
    """`length` tokens of real rendered rows (the shared upstream sample), as one sequence."""
    import torch

    return torch.tensor([real_token_ids(tokenizer, length)])


def saved_bytes(model, input_ids) -> dict[str, int]:
    """Bytes autograd saves in one training-mode forward (distinct storages), inside decoder layers or not."""
    import torch

    layers = list(
        model.get_base_model().model.layers if hasattr(model, "get_base_model") else model.model.layers
    )
    inside = {"depth": 0}
    seen: dict[int, tuple[int, bool]] = {}

    def enter(*_):
        inside["depth"] += 1

    def leave(*_):
        inside["depth"] -= 1

    handles = [layer.register_forward_pre_hook(enter) for layer in layers]
    handles += [layer.register_forward_hook(leave) for layer in layers]

    def pack(tensor):
        storage = tensor.untyped_storage()
        seen.setdefault(storage.data_ptr(), (storage.nbytes(), inside["depth"] > 0))
        return tensor

    parameters = {p.untyped_storage().data_ptr() for p in model.parameters()}
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda tensor: tensor):
        loss = model(input_ids=input_ids, labels=input_ids).loss
    for handle in handles:
        handle.remove()
    del loss
    layer_bytes = sum(n for key, (n, layer) in seen.items() if layer and key not in parameters)
    other_bytes = sum(n for key, (n, layer) in seen.items() if not layer and key not in parameters)
    return {"layers": layer_bytes, "head": other_bytes}


def memory(args) -> list[dict]:
    import torch
    from transformers import AutoTokenizer

    model_dir = build_checkpoint(Path(args.work) / "qwen3-1.7b-random")
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    config = QWEN3_1_7B
    boundary = config["hidden_size"] * 2  # one bf16 hidden state per token: what a checkpointed layer keeps
    rows = []
    for mode in args.modes:
        model = load(mode, model_dir, "cpu", checkpointing=False)  # what autograd saves without it
        model.train()
        for length in args.lengths:
            with torch.enable_grad():
                measured = saved_bytes(model, real_batch(tokenizer, length))
            layers, head = measured["layers"] / length, measured["head"] / length
            per_layer = layers / config["num_hidden_layers"]
            rows.append(
                {
                    "mode": mode,
                    "tokens": length,
                    "layers_mib_per_token": round(layers / MiB, 3),
                    "head_mib_per_token": round(head / MiB, 3),
                    "no_checkpointing_mib_per_token": round((layers + head) / MiB, 3),
                    "checkpointing_mib_per_token": round(
                        (head + config["num_hidden_layers"] * boundary + per_layer) / MiB, 3
                    ),
                }
            )
            print(json.dumps(rows[-1]), flush=True)
        del model
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("task", choices=("smoke", "memory"))
    parser.add_argument("--work", default=str(Path(tempfile.gettempdir()) / "medqa-real-shape"))
    parser.add_argument("--max-length", type=int, default=160, help="smoke: the recipe's max_length override")
    parser.add_argument("--modes", nargs="+", default=["lora", "full", "qlora"])
    parser.add_argument("--lengths", nargs="+", type=int, default=[128, 256])
    args = parser.parse_args()
    Path(args.work).mkdir(parents=True, exist_ok=True)
    result = smoke(args) if args.task == "smoke" else memory(args)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
