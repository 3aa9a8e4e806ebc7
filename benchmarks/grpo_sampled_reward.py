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
model, under two minutes each with OMP_NUM_THREADS=1.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

import torch
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from medqa.inference import GenerationSettings, generate_batch  # noqa: E402
from medqa.metrics.core import is_repetitive  # noqa: E402
from medqa.modeling import ModelSpec, load_model  # noqa: E402
from medqa.predict import prediction_row, read_inputs  # noqa: E402
from medqa.rewards import RewardRecipe, paired_difference, score_predictions  # noqa: E402

BATCH_PROMPTS = 16
CONTROL = "random step"


def recipe_sampling(recipe_path: Path) -> GenerationSettings:
    """The GRPO recipe's own decoding (TRL samples with top-p 1 and no top-k unless the recipe says)."""
    recipe = yaml.safe_load(recipe_path.read_text(encoding="utf-8")) or {}
    return GenerationSettings(
        max_new_tokens=int(recipe.get("max_completion_length", 256)),
        temperature=float(recipe.get("temperature", 1.0)),
        top_p=float(recipe.get("top_p", 1.0)),
        top_k=int(recipe.get("top_k") or 0),
        repetition_penalty=float(recipe.get("repetition_penalty", 1.0)),
        do_sample=True,
    )


def sample_rows(model: str, prompts, settings: GenerationSettings, samples: int, seed: int) -> list[dict]:
    """`samples` completions per prompt as prediction rows (what score_predictions reads)."""
    spec = ModelSpec(model, device="cpu")
    loaded = load_model(spec)
    run = {"model": spec.to_dict(), "generation": settings.to_dict()}
    torch.manual_seed(seed)
    rows = []
    for start in range(0, len(prompts), BATCH_PROMPTS):
        batch = [row for row in prompts[start : start + BATCH_PROMPTS] for _ in range(samples)]
        for row, generation in zip(
            batch, generate_batch(loaded, [row.messages for row in batch], settings), strict=True
        ):
            rows.append(prediction_row(row, generation, latency_s=0.0, run=run))
    return rows


def per_prompt_means(rows: list[dict], recipe: RewardRecipe) -> dict[str, dict[str, float | None]]:
    """{prompt id: {component (and `loop`, the share of its samples that loop): mean over its samples}}."""
    scores = score_predictions(rows, recipe)
    scores["loop"] = [float(is_repetitive(row["output"])) for row in rows]
    grouped: dict[str, dict[str, list[float]]] = {}
    for index, row in enumerate(rows):
        for component, values in scores.items():
            if values[index] is not None:
                grouped.setdefault(row["id"], {}).setdefault(component, []).append(values[index])
    return {
        prompt: {c: statistics.fmean(grouped[prompt][c]) if c in grouped[prompt] else None for c in scores}
        for prompt in grouped
    }


def compare(baseline: dict, candidate: dict, components: list[str]) -> dict[str, dict[str, float | None]]:
    """Per component, the candidate's per-prompt means against the baseline's, paired by prompt."""
    prompts = list(baseline)
    return {
        c: paired_difference([baseline[p][c] for p in prompts], [candidate[p][c] for p in prompts])
        for c in components
    }


def comparison_pairs(
    baseline_name: str, baseline: dict, means: dict[str, dict]
) -> dict[str, tuple[str, dict, dict]]:
    """{title: (reference name, reference means, candidate means)}: every model against the baseline and,
    with the control, every trained candidate against the random step, the acceptance test (a gain that
    a no-learning step of the same size does not also show)."""
    pairs = {
        f"{name} vs {baseline_name}": (baseline_name, baseline, candidate)
        for name, candidate in means.items()
    }
    if CONTROL in means:
        pairs |= {
            f"{name} vs {CONTROL}": (CONTROL, means[CONTROL], candidate)
            for name, candidate in means.items()
            if name != CONTROL
        }
    return pairs


def random_step_model(baseline: str, trained: str, out: Path, seed: int) -> str:
    """`baseline` plus, per tensor, a random direction scaled to the norm of `trained - baseline`."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    base = AutoModelForCausalLM.from_pretrained(baseline)
    target = dict(AutoModelForCausalLM.from_pretrained(trained).named_parameters())
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, parameter in base.named_parameters():
            direction = torch.randn(parameter.shape, generator=generator)
            step = (target[name] - parameter).norm()
            parameter.add_(direction * (step / direction.norm().clamp_min(1e-12)))
    base.save_pretrained(out)
    AutoTokenizer.from_pretrained(baseline).save_pretrained(out)
    return str(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True, help="medqa prepare output")
    parser.add_argument("--splits", default="gold,red_team")
    parser.add_argument("--recipe", default=str(ROOT / "recipes/tiny/grpo/full.yaml"))
    parser.add_argument("--baseline", required=True, help="the SFT model")
    parser.add_argument("candidates", nargs="+", help="NAME=MODEL_DIR, e.g. grpo=runs/quickstart/grpo")
    parser.add_argument("--samples", type=int, default=8, help="completions per prompt")
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
    settings = recipe_sampling(Path(args.recipe))
    prompts = [row for split in args.splits.split(",") for row in read_inputs(args.data, split)]
    candidates = dict(item.split("=", 1) for item in args.candidates)
    scratch = tempfile.TemporaryDirectory(prefix="medqa-random-step-")
    if args.random_step or args.save_random_step:
        first = next(iter(candidates.values()))
        where = Path(args.save_random_step or scratch.name)
        candidates[CONTROL] = random_step_model(args.baseline, first, where, args.seed)
    components = [*recipe.names, "total", "loop"]
    baseline = per_prompt_means(
        sample_rows(args.baseline, prompts, settings, args.samples, args.seed), recipe
    )
    print(
        f"{len(prompts)} prompts ({args.splits}) x {args.samples} samples, T {settings.temperature}, "
        f"repetition penalty {settings.repetition_penalty}, {settings.max_new_tokens} new tokens; "
        f"rewards and weights of {args.recipe}; per-prompt means, paired by prompt"
    )
    means = {
        name: per_prompt_means(sample_rows(model, prompts, settings, args.samples, args.seed), recipe)
        for name, model in candidates.items()
    }
    scratch.cleanup()
    tables = comparison_pairs("baseline", baseline, means)
    results = {}
    for title, (reference, reference_means, candidate_means) in tables.items():
        results[title] = compare(reference_means, candidate_means, components)
        print(f"\n{title}")
        print(f"| reward | {reference} | candidate | difference [95% CI] | sign-flip p | n |")
        print("| --- | --- | --- | --- | --- | --- |")
        for component, entry in results[title].items():
            print(
                f"| {component} | {entry['baseline']:+.3f} | {entry['candidate']:+.3f} | {entry['difference']:+.3f} "
                f"[{entry['ci_low']:+.3f}, {entry['ci_high']:+.3f}] | {entry['p_value']:.3g} | {entry['n']} |"
            )
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
