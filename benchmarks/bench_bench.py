"""Time per 100 items of `medqa bench` on the tiny Qwen3 on CPU, both modes, against lm-eval on its own.

The items are the project's 32 sample questions (recipes/benchmarks/medqa_sample) repeated to `--items`,
written as an lm-eval task folder in a temporary directory. For each mode, in one run:

- baseline: lm-eval alone — `simple_evaluate(model="hf", model_args={"pretrained": PATH})`, lm-eval's own
  model loading, no request cache, and (generate mode) the same generative tasks without a thinking
  budget's second pass;
- ours: `medqa.bench.bench` end to end — our loader, the request cache, the thinking budget, the
  summaries and files.

"End to end" includes building the task index (lm-eval's ~15k task files, a fixed ~10 s) and loading
the model; "evaluation" is the `simple_evaluate` call alone (the baseline's includes loading the tiny
model, well under a second), which is what grows with the number of items. Greedy decoding; the script checks that both get the same accuracy in
loglikelihood mode (same model, same requests).

    python benchmarks/bench_bench.py [--items 100] [--thinking-budget 32] [--answer-tokens 8] [--threads 1]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLE = REPO_ROOT / "recipes" / "benchmarks" / "medqa_sample"


def write_task_folder(root: Path, items: int) -> Path:
    """One multiple-choice task of `items` questions (the sample's, repeated), as lm-eval YAML over json."""
    rows = [
        json.loads(line)
        for name in ("medqa_sample_en.jsonl", "medqa_sample_zh.jsonl")
        for line in (SAMPLE / name).read_text(encoding="utf-8").splitlines()
    ]
    root.mkdir(parents=True, exist_ok=True)
    data = root / "timing.jsonl"
    with data.open("w", encoding="utf-8") as handle:
        for index in range(items):
            handle.write(json.dumps(rows[index % len(rows)] | {"id": f"t{index}"}, ensure_ascii=False) + "\n")
    (root / "timing.yaml").write_text(
        "task: timing_mc\ndataset_path: json\n"
        f"dataset_kwargs:\n  data_files:\n    test: {data}\n"
        "test_split: test\noutput_type: multiple_choice\n"
        'doc_to_text: "Question: {{question}}\\nA. {{A}}\\nB. {{B}}\\nC. {{C}}\\nD. {{D}}\\nAnswer:"\n'
        'doc_to_choice: ["A", "B", "C", "D"]\ndoc_to_target: answer\n',
        encoding="utf-8",
    )
    return root


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def baseline(
    model_dir: Path,
    folders: list[Path],
    task: str,
    mode: str,
    budget: int,
    device: str = "cpu",
    dtype: str = "float32",
    limit: int | None = None,
) -> tuple[float, float, float, float]:
    """lm-eval on its own; (wall s, CPU s, evaluation wall s, accuracy of `task`)."""
    from lm_eval import simple_evaluate
    from lm_eval.tasks import TaskManager

    from medqa import bench

    started, cpu = time.perf_counter(), cpu_seconds()
    manager = TaskManager(include_path=[str(folder) for folder in folders])
    tasks = [task]
    if mode == "generate":  # the same generative copy medqa makes, run without the budget's second pass
        tasks = [bench.generative_task(manager.load(tasks)["tasks"][task], budget)]
    model_args = {"pretrained": str(model_dir), "device": device, "dtype": dtype}
    if mode == "generate":
        model_args["chat_template_args"] = {"enable_thinking": True}
    evaluating = time.perf_counter()
    results = simple_evaluate(
        model="hf",
        model_args=model_args,
        tasks=tasks,
        task_manager=manager,
        batch_size="auto" if device != "cpu" else 8,
        limit=limit,
        apply_chat_template=mode == "generate",
        bootstrap_iters=1000,
    )
    now = time.perf_counter()
    accuracy = (results.get("groups", {}).get(task) or results["results"][task])["acc,none"]
    return now - started, cpu_seconds() - cpu, now - evaluating, accuracy


def ours(
    model_dir: Path,
    folders: list[Path],
    task: str,
    out: Path,
    mode: str,
    budget: int,
    answer: int,
    device: str = "cpu",
    limit: int | None = None,
):
    """`medqa bench` end to end; (wall s, CPU s, evaluation wall s, accuracy)."""
    from medqa import bench

    bench._task_manager.cache_clear()  # index built inside the timed region, as for the baseline
    started, cpu = time.perf_counter(), cpu_seconds()
    config = bench.BenchConfig(
        model=str(model_dir),
        tasks=task,
        include_path=[str(folder) for folder in folders if folder != bench.SUITES_DIR],
        mode=mode,
        batch_size="auto" if device != "cpu" else "8",
        thinking_budget=budget,
        answer_tokens=answer,
        device=device,
        limit=limit,
        out=str(out),
    )
    summary = bench.bench(config)
    wall, evaluation = time.perf_counter() - started, summary["settings"]["seconds"]["model"]
    accuracy = (summary["suites"].get(task) or summary["tasks"][task])["value"]
    return wall, cpu_seconds() - cpu, evaluation, accuracy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100)
    parser.add_argument("--thinking-budget", type=int, default=32)
    parser.add_argument("--answer-tokens", type=int, default=8)
    parser.add_argument("--threads", type=int, default=None, help="torch threads (1 on a shared machine)")
    parser.add_argument("--modes", default="loglikelihood,generate")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    import torch

    if args.threads:
        torch.set_num_threads(args.threads)
    from medqa.tiny import build_tiny_qwen3

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        model_dir = build_tiny_qwen3(tmp / "tiny")
        folder = write_task_folder(tmp / "tasks", args.items)
        per100 = 100 / args.items
        print(
            f"{args.items} items, tiny Qwen3, torch threads {torch.get_num_threads()}, load {os.getloadavg()[0]:.1f}"
        )
        print(
            "| mode | way | end to end: wall s | CPU s | evaluation: wall s | wall s / 100 items | accuracy |"
        )
        print("|---|---|---|---|---|---|---|")
        for mode in args.modes.split(","):
            base = baseline(model_dir, [folder], "timing_mc", mode, args.thinking_budget)
            mine = ours(
                model_dir,
                [folder],
                "timing_mc",
                tmp / f"out-{mode}",
                mode,
                args.thinking_budget,
                args.answer_tokens,
            )
            for way, (wall, cpu, evaluation, acc) in (("lm-eval alone", base), ("medqa bench", mine)):
                print(
                    f"| {mode} | {way} | {wall:.1f} | {cpu:.1f} | {evaluation:.1f} | "
                    f"{evaluation * per100:.1f} | {acc:.3f} |"
                )
            ratios = [mine[i] / base[i] for i in range(3)]
            print(
                f"| {mode} | ratio ours/baseline | {ratios[0]:.2f} | {ratios[1]:.2f} | {ratios[2]:.2f} | | |"
            )
            if mode == "loglikelihood" and abs(base[3] - mine[3]) > 1e-9:
                raise SystemExit(f"accuracy differs between the two ways: {base[3]} vs {mine[3]}")
        print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
