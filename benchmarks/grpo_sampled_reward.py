"""Held-out reward of SFT vs SFT+GRPO under sampling, with a no-learning control: what GRPO optimises.

`medqa evaluate --rewards` scores one greedy answer per prompt. On the quickstart's tiny model a greedy
answer is a chaotic function of the weights: any step changes every answer, and which of them happen to
name urgent care flips at random (tens of the emergency verdicts of ~100 prompts), so the paired test on
the total has an interval of about ±0.2 whatever GRPO learned. This benchmark measures the expected
reward instead, the quantity GRPO maximises: `--samples` completions per prompt with the recipe's own
sampling (temperature, repetition penalty, `max_completion_length`), each prompt's mean reward per
component, paired by prompt (bootstrap 95% interval, sign-flip p). `--random-step` adds the control: the
baseline plus a random step with the same per-tensor norm as the first candidate's update (SFT -> GRPO),
scored the same way, so a "gain" that a step of that size without learning also shows is visible as such;
each candidate is then also paired against the control directly (`NAME vs random step`: the test a real
learning effect has to pass). `--save-random-step DIR --seed S` keeps the control, to score it greedily
like the quickstart does.

    python benchmarks/grpo_sampled_reward.py --data runs/quickstart/data --recipe recipes/tiny/grpo/full.yaml \
        --baseline runs/quickstart/tuned grpo=runs/quickstart/grpo --random-step

Prints one table per candidate (and writes `--out` as JSON when given). CPU: about 8 x 117 completions per
model, under two minutes each with OMP_NUM_THREADS=1. The measurement lives in medqa/grpo_eval.py (the
quickstart's sample-grpo step runs the same); this is its command line.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from medqa.grpo_eval import (  # noqa: E402
    CONTROL,
    DEFAULT_SAMPLES,
    describe_sampling,
    random_step_model,
    recipe_sampling,
    render_table,
    sample_models,
    sampled_comparison,
)
from medqa.predict import read_inputs  # noqa: E402
from medqa.rewards import RewardRecipe  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True, help="medqa prepare output")
    parser.add_argument("--splits", default="gold,red_team")
    parser.add_argument("--recipe", default=str(ROOT / "recipes/tiny/grpo/full.yaml"))
    parser.add_argument("--baseline", required=True, help="the SFT model")
    parser.add_argument("candidates", nargs="+", help="NAME=MODEL_DIR, e.g. grpo=runs/quickstart/grpo")
    parser.add_argument("--samples", type=int, default=DEFAULT_SAMPLES, help="completions per prompt")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--random-step", action="store_true", help="add the no-learning control")
    parser.add_argument(
        "--save-random-step",
        metavar="DIR",
        help="keep the control model here (e.g. to score it greedily with medqa predict / evaluate)",
    )
    parser.add_argument("--out", help="write the tables as JSON here")
    args = parser.parse_args()
    torch.set_num_threads(1)

    recipe = RewardRecipe.from_yaml(args.recipe)
    settings = recipe_sampling(args.recipe)
    prompts = [row for split in args.splits.split(",") for row in read_inputs(args.data, split)]
    models = {"baseline": args.baseline} | dict(item.split("=", 1) for item in args.candidates)
    with tempfile.TemporaryDirectory(prefix="medqa-random-step-") as scratch:
        if args.random_step or args.save_random_step:
            first = list(models.values())[1]
            where = Path(args.save_random_step or scratch)
            models[CONTROL] = random_step_model(args.baseline, first, where, args.seed)
        rows = sample_models(models, prompts, settings, args.samples, args.seed)
    sampled = sampled_comparison("baseline", rows, recipe, settings, args.samples)
    print(f"{describe_sampling(sampled)} ({args.splits})")
    for title, comparison in sampled["comparisons"].items():
        print("\n" + "\n".join(render_table(title, comparison)))
    if args.out:
        tables = {title: c["components"] for title, c in sampled["comparisons"].items()}
        Path(args.out).write_text(json.dumps(tables, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
