"""Output tokens/s of the seed's prediction loop (one question at a time through `generate`) vs `medqa predict`.

Both decode greedily on the same prompts from the shared real sample with the tiny Qwen3, and the script
checks that they produce identical texts. The `medqa predict` time is end to end (model load, prompt
sorting, writing rows); the seed's time counts only its generate calls.

    python benchmarks/bench_predict.py [--rows 64] [--max-new-tokens 128] [--batch-size 64] [--threads N]

On a shared CPU machine pass `--threads 1`: with more torch threads than free cores, OpenMP threads wait
on each other and every matmul slows down many times over, for both ways alike.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from medqa.formatting import conversation
from medqa.predict import PredictConfig, predict

SHARED_SAMPLE = (
    Path(__file__).resolve().parents[1].parent / "shared" / "data" / "delicate_medical_r1_sample.jsonl"
)


def seed_way(model_dir: Path, questions: list[str], max_new_tokens: int) -> tuple[list[str], int, float]:
    """The seed script: render, tokenize and generate each question on its own; (texts, tokens, seconds)."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32).eval()
    stop_ids = set(model.generation_config.eos_token_id)
    texts, tokens = [], 0
    started = time.perf_counter()
    for question in questions:
        text = tokenizer.apply_chat_template(
            conversation(question), tokenize=False, add_generation_prompt=True
        )
        inputs = tokenizer([text], return_tensors="pt")
        with torch.no_grad():
            output = model.generate(
                **inputs, max_new_tokens=max_new_tokens, do_sample=False, repetition_penalty=1.0
            )
        generated = output[0, inputs["input_ids"].shape[1] :].tolist()
        end = next((i + 1 for i, token in enumerate(generated) if token in stop_ids), len(generated))
        tokens += end
        texts.append(tokenizer.decode(generated[:end], skip_special_tokens=True))
    return texts, tokens, time.perf_counter() - started


def medqa_way(model_dir: Path, data: Path, out: Path, max_new_tokens: int, batch_size: int):
    started = time.perf_counter()
    config = PredictConfig(model=str(model_dir), data=str(data), out=str(out), preset="greedy")
    config.max_new_tokens, config.batch_size = max_new_tokens, batch_size
    predict(config)
    seconds = time.perf_counter() - started
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return [row["output"] for row in rows], sum(row["completion_tokens"] for row in rows), seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=64)
    parser.add_argument("--max-new-tokens", type=int, default=128)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--model", type=Path, help="model dir (default: build the tiny Qwen3)")
    parser.add_argument("--threads", type=int, help="torch CPU threads (default: torch's choice)")
    args = parser.parse_args()

    import os

    import torch

    if args.threads:
        torch.set_num_threads(args.threads)

    from medqa.tiny import build_tiny_qwen3

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        model_dir = args.model or build_tiny_qwen3(work / "tiny-qwen3")
        sample = [json.loads(line) for line in SHARED_SAMPLE.read_text(encoding="utf-8").splitlines()][
            : args.rows
        ]
        if len(sample) < args.rows:
            raise SystemExit(f"{SHARED_SAMPLE} has only {len(sample)} rows")
        data = work / "questions.jsonl"
        data.write_text(
            "".join(
                json.dumps({"id": f"q{i:03d}", "input": row["question"]}, ensure_ascii=False) + "\n"
                for i, row in enumerate(sample)
            ),
            encoding="utf-8",
        )
        seed_texts, seed_tokens, seed_s = seed_way(
            model_dir, [row["question"] for row in sample], args.max_new_tokens
        )
        ours_texts, ours_tokens, ours_s = medqa_way(
            model_dir, data, work / "out.jsonl", args.max_new_tokens, args.batch_size
        )

    seed_rate, ours_rate = seed_tokens / seed_s, ours_tokens / ours_s
    print(
        f"prompts: {args.rows}, max_new_tokens: {args.max_new_tokens}, greedy, batch size {args.batch_size}"
    )
    print(
        f"seed way (one at a time): {seed_tokens} tokens in {seed_s:.2f} s = {seed_rate:.1f} output tokens/s"
    )
    print(
        f"medqa predict (batched):  {ours_tokens} tokens in {ours_s:.2f} s = {ours_rate:.1f} output tokens/s"
    )
    cores = f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    print(f"torch threads: {torch.get_num_threads()}, {cores}")
    print(f"speed-up: {ours_rate / seed_rate:.1f}x")
    identical = sum(a == b for a, b in zip(seed_texts, ours_texts, strict=True))
    print(f"identical greedy outputs: {identical}/{args.rows}")
    if identical != args.rows:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
