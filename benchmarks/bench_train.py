"""Padding and throughput of SFT batching on the real length distribution of the shared upstream sample,
tiny Qwen3, CPU, three arms side by side:

- `random`: TRL's defaults (random batches, padded);
- `medqa`: medqa.training's own length-grouped sampler (`length_grouping: true`);
- `builtin`: transformers' `train_sampling_strategy: "group_by_length"` (its LengthGroupedSampler).

All arms train the same rows for the same epochs (so the same real tokens) from the same weights and
seed, through `medqa.training.build_trainer`; only the sampler differs. Reported per arm: pad fraction
(padding slots / all slots), real (non-pad) tokens per second of training wall time and per CPU second
of this process (steadier on a shared machine), final train loss (mean of the last logged steps) and
eval loss on held-out rows.

    python benchmarks/bench_train.py            # ~8 minutes on 2 busy CPU cores
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


ARMS = {  # name -> (medqa length_grouping, transformers train_sampling_strategy)
    "random": (False, "random"),
    "medqa": (True, "random"),
    "builtin": (False, "group_by_length"),
}


def run_arm(model_dir: Path, data: Path, out: Path, arm: str, args) -> dict[str, float]:
    from trl import ModelConfig, SFTConfig

    from medqa.training import SFTScriptArguments, build_trainer

    length_grouping, strategy = ARMS[arm]
    script_args = SFTScriptArguments(dataset_name=str(data), length_grouping=length_grouping)
    training_args = SFTConfig(
        train_sampling_strategy=strategy,
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
    start, cpu_start = time.perf_counter(), time.process_time()
    trainer.train()
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
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
        "cpu_seconds": cpu_seconds,
        "real_tokens_per_cpu_s": counted[0] / cpu_seconds,
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
    parser.add_argument("--arms", nargs="+", choices=tuple(ARMS), default=list(ARMS))
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    if not args.data.exists():
        raise SystemExit(f"{args.data} not found (the shared sample lives at ../shared/data beside the repo)")

    from medqa.tiny import build_tiny_qwen3

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        model_dir = build_tiny_qwen3(tmp / "tiny")
        data = sample_dataset(args.data, tmp / "data")
        results = {arm: run_arm(model_dir, data, tmp / arm, arm, args) for arm in args.arms}

    print(f"{'':26}" + "".join(f"{arm:>12}" for arm in results))
    for key, fmt in (
        ("pad_fraction", "{:.1%}"),
        ("real_tokens", "{:,.0f}"),
        ("train_seconds", "{:.1f}"),
        ("real_tokens_per_s", "{:,.0f}"),
        ("cpu_seconds", "{:.1f}"),
        ("real_tokens_per_cpu_s", "{:,.0f}"),
        ("final_train_loss", "{:.4f}"),
        ("eval_loss", "{:.4f}"),
    ):
        print(f"{key:26}" + "".join(f"{fmt.format(r[key]):>12}" for r in results.values()))
    ratios = {}
    for a, b in (("medqa", "builtin"), ("medqa", "random"), ("builtin", "random")):
        if a in results and b in results:
            ratios[f"{a}/{b}"] = {
                "wall": results[a]["real_tokens_per_s"] / results[b]["real_tokens_per_s"],
                "cpu": results[a]["real_tokens_per_cpu_s"] / results[b]["real_tokens_per_cpu_s"],
                "eval_loss_gap": abs(results[a]["eval_loss"] - results[b]["eval_loss"])
                / results[b]["eval_loss"],
            }
            r = ratios[f"{a}/{b}"]
            print(
                f"{a}/{b}: real tokens/s {r['wall']:.2f}x wall, {r['cpu']:.2f}x CPU; "
                f"eval loss gap {r['eval_loss_gap']:.2%}"
            )
    print(f"(batch size {args.batch_size}, {args.epochs:g} epoch(s))")
    if args.json:
        args.json.write_text(json.dumps({**results, "ratios": ratios}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
