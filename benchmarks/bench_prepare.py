"""Throughput, memory and near-duplicate recall of `medqa prepare` on synthetic data.

Rows follow the length distribution of the shared upstream sample (question, think and answer
lengths drawn from its rows) with text drawn from the sample's own characters, and 5% of rows are
near-duplicates of another row (a few characters edited, punctuation or script changed). Prints
rows/s, peak RSS (this process and its children) and the share of injected near-duplicates found.

    python benchmarks/bench_prepare.py --rows 100000
    python benchmarks/bench_prepare.py --rows 10000
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

SHARED_SAMPLE = (
    Path(__file__).resolve().parents[1].parent / "shared" / "data" / "delicate_medical_r1_sample.jsonl"
)
TRADITIONAL = str.maketrans("医药诊疗头痛发烧咳嗽", "醫藥診療頭痛發燒咳嗽")


def _mutate(question: str, rng: random.Random, alphabet: str) -> str:
    """A near-duplicate: one or two characters changed plus a surface change (punctuation, script)."""
    chars = list(question)
    for _ in range(rng.choice((1, 1, 2))):
        position = rng.randrange(len(chars))
        if rng.random() < 0.5:
            chars[position] = rng.choice(alphabet)
        else:
            chars.insert(position, rng.choice(alphabet))
    text = "".join(chars)
    surface = rng.choice(("prefix", "punct", "script", "space"))
    if surface == "prefix":
        return "医生您好，" + text
    if surface == "punct":
        return text.replace("，", ",").replace("？", "?") + "？"
    if surface == "script":
        return text.translate(TRADITIONAL)
    return " ".join(text[i : i + 8] for i in range(0, len(text), 8))


def generate(rows: int, path: Path, seed: int = 0, near_dup_share: float = 0.05) -> dict[int, int]:
    """Write `rows` synthetic raw rows to `path`; return {near-duplicate line: line it copies} (1-based)."""
    rng = random.Random(seed)
    sample = [
        json.loads(line) for line in SHARED_SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    alphabet = "".join(
        sorted({c for row in sample for c in row["question"] + row["answer"] if "\u4e00" <= c <= "\u9fff"})
    )

    def text(length: int) -> str:
        return "".join(rng.choices(alphabet, k=length))

    originals: list[tuple[int, str]] = []
    near_pairs = {}
    with open(path, "w", encoding="utf-8") as handle:
        for line in range(1, rows + 1):
            shape = rng.choice(sample)
            if originals and rng.random() < near_dup_share:
                source_line, source = rng.choice(originals)
                question = _mutate(source, rng, alphabet)
                near_pairs[line] = source_line
            else:
                question = "医生，" + text(max(len(shape["question"]) - 3, 12)) + "？"
                originals.append((line, question))
            row = {
                "instruction": text(len(shape["instruction"])),
                "question": question,
                "think": text(len(shape["think"])),
                "answer": text(len(shape["answer"])),
                "metrics": {"quality_f1": round(rng.random(), 4)},
            }
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return near_pairs


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    from medqa.data import prepare

    with tempfile.TemporaryDirectory() as scratch:
        data = Path(scratch) / "synthetic.jsonl"
        near_pairs = generate(args.rows, data, args.seed)
        start, cpu_start = time.perf_counter(), time.process_time()
        result = prepare("local", str(data), Path(scratch) / "out", progress=False)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        found = {
            row["line"]
            for row in map(
                json.loads, (result.out / "duplicates.jsonl").read_text(encoding="utf-8").splitlines()
            )
        }
    peak_kib = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    )
    # The better-quality row of a pair is kept, so either line of a found pair is the one marked duplicate.
    detected = sum(1 for line, source in near_pairs.items() if line in found or source in found)
    recall = detected / len(near_pairs) if near_pairs else 1.0
    # CPU time too: on a shared machine the wall clock also measures everyone else's load.
    print(f"rows: {args.rows}  time: {elapsed:.1f} s (CPU {cpu:.1f} s)  rows/s: {args.rows / elapsed:,.0f}")
    print(f"peak RSS: {peak_kib / 1024**2:.2f} GiB")
    print(f"near-duplicates injected: {len(near_pairs)}  found: {detected}  recall: {recall:.3f}")
    print(f"counts: {result.manifest['identity']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
