"""Throughput, memory and near-duplicate recall of `medqa prepare` on synthetic data.

Rows follow the length distribution of the shared upstream sample (question, think and answer
lengths drawn from its rows) with text drawn from the sample's own characters, and 5% of rows are
near-duplicates of another row (a few characters edited, punctuation or script changed). Prints
rows/s, peak RSS (this process and its children) and the share of injected near-duplicates found.

Two kinds of question text: "varied" (random characters from the sample) and "templated" (a few
form sentences with slots, where unrelated rows share most n-grams: the worst case for LSH buckets).
`--kind both` (the default) runs both on the same number of rows and prints templated / varied.

    python benchmarks/bench_prepare.py --rows 50000             # templated vs varied, the ratio
    python benchmarks/bench_prepare.py --rows 100000 --kind varied
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


# Form-like questions: a few fixed sentences with slots, as exported from a triage form or a
# question template. Most character n-grams are the template's, so unrelated rows share LSH bands.
TEMPLATES = (
    "医生您好，我今年{age}岁，{sex}，最近{days}天一直{symptom}，还有点{symptom2}，吃了{drug}也没有好转，请问需要做什么检查？",
    "我{relation}{age}岁，{symptom}已经{days}天了，晚上更明显，之前有{disease}病史，现在在吃{drug}，要不要去医院？",
    "请问{disease}的病人出现{symptom}和{symptom2}，持续{days}天，{drug}还能继续吃吗？年龄{age}岁，{sex}。",
    "{sex}，{age}岁，体检发现{finding}，平时偶尔{symptom}，没有其他不舒服，需要吃{drug}吗？",
    "孩子{age}个月，{symptom}{days}天，精神还可以，吃奶正常，家里有{drug}，可以先给孩子用吗？",
)
SLOTS = {
    "age": [str(n) for n in range(1, 91)],
    "sex": ["男", "女", "男性", "女性"],
    "days": [str(n) for n in range(1, 31)] + ["两", "三", "五", "七", "十几"],
    "relation": ["妈妈", "爸爸", "爷爷", "奶奶", "老公", "老婆", "儿子", "女儿"],
    "symptom": [
        "头痛",
        "头晕",
        "咳嗽",
        "发烧",
        "胸闷",
        "心慌",
        "腹痛",
        "腹泻",
        "恶心",
        "呕吐",
        "失眠",
        "乏力",
        "腰痛",
        "关节痛",
        "皮疹",
        "瘙痒",
        "耳鸣",
        "视物模糊",
        "气短",
        "尿频",
        "尿痛",
        "便秘",
        "咽痛",
        "鼻塞",
        "流涕",
        "手脚发麻",
        "水肿",
        "盗汗",
        "口干",
        "食欲差",
    ],
    "symptom2": [
        "头痛",
        "头晕",
        "咳痰",
        "低烧",
        "出汗",
        "心悸",
        "腹胀",
        "反酸",
        "嗳气",
        "乏力",
        "肌肉酸痛",
        "怕冷",
        "口苦",
        "眼干",
        "嗜睡",
        "多梦",
    ],
    "drug": [
        "布洛芬",
        "对乙酰氨基酚",
        "阿莫西林",
        "头孢克肟",
        "奥美拉唑",
        "二甲双胍",
        "氨氯地平",
        "阿托伐他汀",
        "阿司匹林",
        "氯雷他定",
        "蒙脱石散",
        "益生菌",
        "板蓝根",
        "连花清瘟",
        "甲硝唑",
        "左氧氟沙星",
        "硝苯地平",
        "美托洛尔",
        "缬沙坦",
        "维生素D",
    ],
    "disease": [
        "高血压",
        "糖尿病",
        "冠心病",
        "哮喘",
        "慢阻肺",
        "胃炎",
        "甲亢",
        "甲减",
        "痛风",
        "肾结石",
        "乙肝",
        "脂肪肝",
        "类风湿",
        "抑郁症",
    ],
    "finding": [
        "血糖偏高",
        "尿酸偏高",
        "转氨酶升高",
        "甲状腺结节",
        "肺结节",
        "胆囊息肉",
        "血脂异常",
        "窦性心动过缓",
        "肾囊肿",
        "乳腺结节",
    ],
}


def _templated_question(rng: random.Random, alphabet: str) -> str:
    """A template with its slots filled, and a few words of the patient's own (random characters)."""
    template = rng.choice(TEMPLATES)
    filled = template.format(**{slot: rng.choice(values) for slot, values in SLOTS.items()})
    return filled + "补充：" + "".join(rng.choices(alphabet, k=rng.randint(4, 12)))


def generate(
    rows: int, path: Path, seed: int = 0, near_dup_share: float = 0.05, kind: str = "varied"
) -> dict[int, int]:
    """Write `rows` synthetic raw rows to `path`; return {near-duplicate line: line it copies} (1-based).

    `kind` "varied": questions of random characters; "templated": questions filled into TEMPLATES."""
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
                question = (
                    _templated_question(rng, alphabet)
                    if kind == "templated"
                    else "医生，" + text(max(len(shape["question"]) - 3, 12)) + "？"
                )
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


def run_one(rows: int, seed: int, kind: str) -> dict[str, float]:
    """Generate `rows` rows of `kind`, prepare them, and measure time, CPU and near-duplicate recall."""
    from medqa.data import prepare

    with tempfile.TemporaryDirectory() as scratch:
        data = Path(scratch) / "synthetic.jsonl"
        near_pairs = generate(rows, data, seed, kind=kind)
        start, cpu_start = time.perf_counter(), time.process_time()
        result = prepare("local", str(data), Path(scratch) / "out", progress=False)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        found = {
            row["line"]
            for row in map(
                json.loads, (result.out / "duplicates.jsonl").read_text(encoding="utf-8").splitlines()
            )
        }
    # The better-quality row of a pair is kept, so either line of a found pair is the one marked duplicate.
    detected = sum(1 for line, source in near_pairs.items() if line in found or source in found)
    recall = detected / len(near_pairs) if near_pairs else 1.0
    # CPU time too: on a shared machine the wall clock also measures everyone else's load.
    print(
        f"{kind:>9}: rows {rows}  time {elapsed:.1f} s (CPU {cpu:.1f} s)  rows/s {rows / elapsed:,.0f}  "
        f"near-duplicates injected {len(near_pairs)} found {detected} recall {recall:.3f}  "
        f"{result.manifest['identity']}",
        flush=True,
    )
    return {"wall": elapsed, "cpu": cpu, "recall": recall}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--kind",
        choices=("varied", "templated", "both"),
        default="both",
        help="question text: random characters, filled-in templates, or both (prints the ratio)",
    )
    args = parser.parse_args()

    kinds = ("varied", "templated") if args.kind == "both" else (args.kind,)
    results = {kind: run_one(args.rows, args.seed, kind) for kind in kinds}
    peak_kib = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    )
    print(f"peak RSS: {peak_kib / 1024**2:.2f} GiB")
    if len(results) == 2:
        varied, templated = results["varied"], results["templated"]
        print(
            f"templated / varied: {templated['wall'] / varied['wall']:.2f}x wall, "
            f"{templated['cpu'] / varied['cpu']:.2f}x CPU (target <= 2x)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
