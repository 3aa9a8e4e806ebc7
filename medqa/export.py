"""`medqa export`: fold a LoRA adapter into its base and save (or push) a standalone model.

A merged model loads with plain `transformers` (no peft) and generates exactly what base + adapter
generates. The folder gets the model in safetensors, the tokenizer (with its chat template), the
generation config and a model card, and appears only once complete (written beside it, then renamed).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import torch

from medqa.artifacts import apply_umask, check_adapter_trained, checkpoint_dtype, save_tokenizer
from medqa.modeling import (
    ADAPTER_CONFIG,
    ModelLoadError,
    ModelSpec,
    load_model,
    merge_adapter,
    resolve_source,
)

CARD_HYPERPARAMETERS = ("r", "lora_alpha", "lora_dropout", "target_modules")


def _adapter_card_facts(adapter: Path) -> dict[str, Any]:
    """LoRA settings from adapter_config.json, and the dataset, stage (SFT or GRPO, from the tags) and GRPO
    rewards with their weights that the training card named, if any."""
    from huggingface_hub import ModelCard

    from medqa.model_card import REWARDS_METADATA

    config = json.loads((adapter / ADAPTER_CONFIG).read_text(encoding="utf-8"))
    hyperparameters = {f"lora_{k}" if k == "r" else k: config[k] for k in CARD_HYPERPARAMETERS if k in config}
    readme = adapter / "README.md"
    front = ModelCard.load(readme).data.to_dict() if readme.is_file() else {}
    dataset = (front.get("datasets") or [None])[0]
    stage = "grpo" if "grpo" in (front.get("tags") or []) else "sft"
    rewards = front.get(REWARDS_METADATA) if stage == "grpo" else None
    hyperparameters = {"merged_from": str(adapter), **hyperparameters}
    return {"hyperparameters": hyperparameters, "dataset": dataset, "stage": stage, "rewards": rewards}


def export_merged(
    spec: ModelSpec, out: str | Path, overwrite: bool = False, bench_summary: str | Path | None = None
) -> Path:
    """Merge the adapter `spec.model` into its base and write the standalone model to `out`; the card's
    model-index adds the tasks of a `medqa bench` summary when `bench_summary` is given."""
    from transformers import AutoTokenizer

    from medqa.model_card import render_model_card

    out = Path(out)
    if out.exists() and not overwrite:
        raise FileExistsError(f"{out} already exists; pass --overwrite to replace it")
    source = resolve_source(spec)
    if source.adapter is None:
        raise ModelLoadError(f"{spec.model} is a full model, not an adapter: nothing to merge")
    check_adapter_trained(source.adapter, " Exporting it would publish the base model under a new name.")
    # Merge in the loader's precision (float32 on CPU), then save in the base's own dtype (bf16 for Qwen3)
    # unless --dtype names one: a bf16 base must not come back as a float32 model twice its size.
    saved_dtype = (
        checkpoint_dtype(source.weights, spec.trust_remote_code)
        if spec.dtype == "auto"
        else getattr(torch, spec.dtype)
    )
    merged = merge_adapter(load_model(spec)).to(saved_dtype)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        merged.save_pretrained(staging)
        # A fresh copy of the tokenizer: the loaded one was switched to left padding for generation.
        save_tokenizer(
            AutoTokenizer.from_pretrained(source.tokenizer, trust_remote_code=spec.trust_remote_code), staging
        )
        card = render_model_card(
            model_name=out.name,
            base_model=source.weights,
            method="merged",
            bench_summary=bench_summary,
            **_adapter_card_facts(Path(spec.model)),
        )
        (staging / "README.md").write_text(card, encoding="utf-8")
        apply_umask(staging)  # mkdtemp made it 0700 and safetensors writes 0600
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--adapter", required=True, help="LoRA adapter directory (output of the SFT recipe)")
    parser.add_argument("--base", help="base model (default: base_model_name_or_path in adapter_config.json)")
    parser.add_argument(
        "--merge",
        action="store_true",
        help="accepted and ignored: merging is what export always does (kept so older command lines still run)",
    )
    parser.add_argument("--out", required=True, help="directory for the merged model")
    parser.add_argument(
        "--dtype",
        default="auto",
        choices=("auto", "float32", "bfloat16", "float16"),
        help="dtype of the saved weights (default: auto, the base model's own dtype)",
    )
    parser.add_argument("--trust-remote-code", action="store_true")
    parser.add_argument("--overwrite", action="store_true", help="replace an existing --out")
    parser.add_argument(
        "--push-to-hub", metavar="REPO", help="also upload to this Hub model repo (user/name)"
    )
    parser.add_argument(
        "--bench-summary",
        metavar="PATH",
        help="bench_summary.json of `medqa bench` on this model: its tasks go into the card's model-index",
    )
    parser.add_argument("--private", action="store_true", help="create the Hub repo as private")
    parser.add_argument("--dry-run", action="store_true", help="stage the upload locally instead of pushing")


def main(args: argparse.Namespace) -> int:
    from medqa.hub import HubError, publish_folder

    spec = ModelSpec(
        model=args.adapter, base=args.base, dtype=args.dtype, trust_remote_code=args.trust_remote_code
    )
    try:
        out = export_merged(spec, args.out, overwrite=args.overwrite, bench_summary=args.bench_summary)
        print(f"merged model written to {out}")
        if args.push_to_hub:
            publish_folder(out, args.push_to_hub, "model", private=args.private, dry_run=args.dry_run)
    except (ModelLoadError, HubError, OSError, ValueError, RuntimeError) as error:
        print(f"medqa export: {error}", file=sys.stderr)
        return 1
    return 0
