"""GPU time of `medqa bench --tasks medical_en --mode loglikelihood` at Qwen3-1.7B size, vs lm-eval alone.

The model is randomly initialised from the Qwen3-1.7B shape (benchmarks/gpu/bench_generate.py holds it;
no weight download) and saved in bf16 with the tiny tokenizer (vocabulary 2,048 inside Qwen's 151,936;
it splits text into more tokens than Qwen's own, so request lengths are pessimistic). Only speed means
anything: accuracy of a random model is chance. Both ways run in one process, baseline first:

- baseline: lm-eval alone, `simple_evaluate(model="hf", …)` with `batch_size="auto"`;
- ours: `medqa.bench.bench` end to end (our loader, request cache, summaries).

medical_en needs its datasets (MedQA-USMLE-4-options, MedMCQA, PubMedQA, MMLU) from the Hub or a
prepared `HF_DATASETS_CACHE`. A device without network can time the same code path on N synthetic
4-option items instead (`--offline-items 7500`, about medical_en's size):

    python benchmarks/gpu/bench_medical_en.py [--tasks medical_en] [--limit N] [--offline-items N]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]  # bench_generate (the shape) and bench_bench (the two ways)

from bench_bench import baseline, ours, write_task_folder  # noqa: E402
from bench_generate import QWEN3_1_7B  # noqa: E402


def build_model(out: Path) -> Path:
    import torch
    from transformers import AutoTokenizer, Qwen3Config, Qwen3ForCausalLM

    from medqa.tiny import build_tiny_qwen3

    tiny = build_tiny_qwen3(out / "tiny")
    tokenizer = AutoTokenizer.from_pretrained(tiny)
    ids = {"bos_token_id": tokenizer.pad_token_id, "eos_token_id": tokenizer.eos_token_id}
    torch.manual_seed(0)
    with torch.device("cuda"):
        model = Qwen3ForCausalLM(Qwen3Config(**(QWEN3_1_7B | ids), dtype="bfloat16")).to(torch.bfloat16)
    model.save_pretrained(out / "qwen3-1.7b-random")
    tokenizer.save_pretrained(out / "qwen3-1.7b-random")
    del model
    torch.cuda.empty_cache()
    return out / "qwen3-1.7b-random"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", default="medical_en")
    parser.add_argument("--limit", type=int, default=None, help="items per task (default: all)")
    parser.add_argument("--offline-items", type=int, default=None, help="time N synthetic items instead")
    args = parser.parse_args()
    import torch

    from medqa import bench

    if not torch.cuda.is_available():
        raise SystemExit("this benchmark needs a CUDA GPU")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        model_dir = build_model(tmp)
        if args.offline_items:
            os.environ["HF_DATASETS_OFFLINE"] = "1"
            folders, task = [write_task_folder(tmp / "tasks", args.offline_items)], "timing_mc"
        else:
            folders, task = [bench.SUITES_DIR], args.tasks
        print(f"{torch.cuda.get_device_name()}, tasks {task}, limit {args.limit}")
        print("| way | end to end: wall s | CPU s | evaluation: wall s | accuracy |")
        print("|---|---|---|---|---|")
        base = baseline(
            model_dir, folders, task, "loglikelihood", 0, device="cuda", dtype="bfloat16", limit=args.limit
        )
        mine = ours(
            model_dir, folders, task, tmp / "out", "loglikelihood", 0, 0, device="cuda", limit=args.limit
        )
        for way, (wall, cpu, evaluation, accuracy) in (("lm-eval alone", base), ("medqa bench", mine)):
            print(f"| {way} | {wall:.1f} | {cpu:.1f} | {evaluation:.1f} | {accuracy:.3f} |")
        print(
            f"| ratio ours/baseline | {mine[0] / base[0]:.2f} | {mine[1] / base[1]:.2f} | {mine[2] / base[2]:.2f} | |"
        )


if __name__ == "__main__":
    main()
