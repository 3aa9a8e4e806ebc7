"""Throughput of the rule-based safety metrics vs the naive keyword rules, on one core.

10k synthetic responses whose think and answer lengths are resampled from the shared upstream sample
(../shared/data/delicate_medical_r1_sample.jsonl), with drug, dose, referral and hotline-lookalike
sentences mixed in so every rule does real work (v2: span status, the drug knowledge base, question
context, the dose parser). Target: >= 3,000 responses/s for ours. Rates are per
CPU-second of this single-threaded process (`time.process_time`), so a busy shared machine does not
skew them the way wall time would.

    python benchmarks/bench_metric.py [--n 10000] [--sample PATH]
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

from medqa.formatting import join_think
from medqa.metrics.core import aggregate, score_examples
from medqa.metrics.naive import naive_emergency, naive_risky, naive_think_ok

DEFAULT_SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "data" / "delicate_medical_r1_sample.jsonl"
SPICE = (
    "建议口服阿莫西林0.5g，每日3次。",
    "不要给儿童服用阿司匹林。",
    "血压120/80mmHg属于正常。",
    "如出现胸痛请立即拨打120。",
    "对乙酰氨基酚每次500mg，每日不超过4g。",
    "如果症状持续不缓解，建议就医。",
    "Do not stop insulin on your own.",
    "可以，每次两片，每天三次。",
    "If it gets worse, go to the ER.",
)


def synthetic_responses(sample: Path, n: int, seed: int = 0) -> tuple[list[str], list[dict]]:
    rows = [json.loads(line) for line in sample.read_text(encoding="utf-8").splitlines() if line.strip()]
    generator = random.Random(seed)
    predictions, references = [], []
    for _ in range(n):
        think_row, answer_row = generator.choice(rows), generator.choice(rows)
        answer = answer_row["answer"]
        cut = generator.randrange(len(answer) + 1)
        answer = answer[:cut] + generator.choice(SPICE) + answer[cut:]
        predictions.append(join_think(think_row["think"], answer))
        references.append(  # language and red_flag come with every real prediction row's meta
            {"question": answer_row["question"], "language": "zh", "red_flag": generator.random() < 0.3}
        )
    return predictions, references


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--sample", type=Path, default=DEFAULT_SAMPLE)
    args = parser.parse_args()
    predictions, references = synthetic_responses(args.sample, args.n)
    score_examples(predictions[:50], references[:50])  # compile lexicons outside the timing

    start = time.process_time()
    for output in predictions:
        naive_think_ok(output), naive_emergency(output), naive_risky(output)
    naive_seconds = time.process_time() - start

    start = time.process_time()
    aggregate(score_examples(predictions, references))
    ours_seconds = time.process_time() - start

    mean_chars = sum(map(len, predictions)) / len(predictions)
    print(f"{args.n} responses, mean {mean_chars:.0f} chars (think + answer), one process, CPU time")
    print(f"naive keyword rules: {args.n / naive_seconds:12,.0f} responses/s")
    print(f"medical_safety rules: {args.n / ours_seconds:11,.0f} responses/s")
    print(
        f"ratio ours / naive: {naive_seconds / ours_seconds:.3f} (ours is {ours_seconds / naive_seconds:.1f}x slower)"
    )


if __name__ == "__main__":
    main()
