"""Padding and throughput of SFT batching: TRL's defaults (random batches, padded) vs this recipe's
length-grouped batches, on the real length distribution of the shared upstream sample, tiny Qwen3, CPU.

Both arms train the same rows for the same epochs (so the same real tokens) from the same weights and
seed, through `medqa.training.build_trainer`; only `length_grouping` differs. Reported per arm: pad
fraction (padding slots / all slots), real (non-pad) tokens per second of training, final train loss
(mean of the last logged steps) and eval loss on held-out rows.

    python benchmarks/bench_train.py            # ~5 minutes on 2 busy CPU cores
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from medqa.formatting import conversation, join_think

SHARED_SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "data" / "delicate_medical_r1_sample.jsonl"
EVAL_ROWS = 16


def sample_dataset(path: Path, out: Path) -> Path:
    """The shared sample as a train/dev DatasetDict of messages (full-length rows: the real distribution)."""
    from datasets import Dataset, DatasetDict

    with open(path, encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    records = [
        {"id": str(i), "messages": conversation(r["question"], join_think(r["think"], r["answer"]))}
        for i, r in enumerate(rows)
    ]
    splits = {"train": records[EVAL_ROWS:], "dev": records[:EVAL_ROWS]}
    DatasetDict({name: Dataset.from_list(split) for name, split in splits.items()}).save_to_disk(str(out))
    return out


class CountingCollator:
    """Wraps the trainer's collator to count real tokens and padded slots of every training batch."""

    def __init__(self, collate):
        self.collate = collate
        self.real = self.slots = 0

    def __call__(self, examples):
        batch = self.collate(examples)
        self.real += sum(len(example["input_ids"]) for example in examples)
        self.slots += batch["input_ids"].numel()
        return batch


def run_arm(model_dir: Path, data: Path, out: Path, length_grouping: bool, args) -> dict[str, float]:
    from trl import ModelConfig, SFTConfig

    from medqa.training import SFTScriptArguments, build_trainer

    script_args = SFTScriptArguments(dataset_name=str(data), length_grouping=length_grouping)
    training_args = SFTConfig(
        output_dir=str(out),
        per_device_train_batch_size=args.batch_size,
        per_device_eval_batch_size=args.batch_size,
        num_train_epochs=args.epochs,
        learning_rate=args.learning_rate,
        lr_scheduler_type="cosine",
        max_length=2048,
        activation_checkpointing=False,
        bf16=False,
        use_cpu=True,
        eval_strategy="no",
        save_strategy="no",
        logging_steps=1,
        report_to="none",
        seed=0,
        disable_tqdm=True,
    )
    trainer = build_trainer(script_args, training_args, ModelConfig(model_name_or_path=str(model_dir)))
    counter = CountingCollator(trainer.data_collator)
    trainer.data_collator = counter
    start = time.perf_counter()
    trainer.train()
    seconds = time.perf_counter() - start
    counted = (counter.real, counter.slots)
    from datasets import load_from_disk

    held_out = load_from_disk(str(data))["dev"].select_columns(["messages"])
    eval_loss = trainer.evaluate(eval_dataset=held_out)["eval_loss"]
    losses = [entry["loss"] for entry in trainer.state.log_history if "loss" in entry]
    tail = max(1, len(losses) // 5)
    return {
        "pad_fraction": 1 - counted[0] / counted[1],
        "real_tokens": counted[0],
        "train_seconds": seconds,
        "real_tokens_per_s": counted[0] / seconds,
        "final_train_loss": sum(losses[-tail:]) / tail,
        "eval_loss": eval_loss,
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--data", type=Path, default=SHARED_SAMPLE, help="raw-schema jsonl (default: shared sample)"
    )
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--epochs", type=float, default=1.0)
    parser.add_argument("--learning-rate", type=float, default=1e-3)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    if not args.data.exists():
        raise SystemExit(f"{args.data} not found (the shared sample lives at ../shared/data beside the repo)")

    from medqa.tiny import build_tiny_qwen3

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        model_dir = build_tiny_qwen3(tmp / "tiny")
        data = sample_dataset(args.data, tmp / "data")
        results = {}
        for name, grouping in (("trl_defaults", False), ("recipe", True)):
            results[name] = run_arm(model_dir, data, tmp / name, grouping, args)

    base, ours = results["trl_defaults"], results["recipe"]
    print(f"{'':26}{'TRL defaults':>14}{'this recipe':>14}")
    for key, fmt in (
        ("pad_fraction", "{:.1%}"),
        ("real_tokens", "{:,.0f}"),
        ("train_seconds", "{:.1f}"),
        ("real_tokens_per_s", "{:,.0f}"),
        ("final_train_loss", "{:.4f}"),
        ("eval_loss", "{:.4f}"),
    ):
        print(f"{key:26}{fmt.format(base[key]):>14}{fmt.format(ours[key]):>14}")
    speedup = ours["real_tokens_per_s"] / base["real_tokens_per_s"]
    loss_gap = abs(ours["eval_loss"] - base["eval_loss"]) / base["eval_loss"]
    print(
        f"real tokens/s ratio: {speedup:.2f}x   eval loss gap: {loss_gap:.2%}   (batch size {args.batch_size})"
    )
    if args.json:
        args.json.write_text(json.dumps({**results, "speedup": speedup, "eval_loss_gap": loss_gap}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
