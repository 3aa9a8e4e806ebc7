"""Held-out reward under the GRPO recipe's own sampling, with a no-learning control: what GRPO optimises.

A greedy answer of a tiny model is a chaotic function of its weights: any step flips which answers name
urgent care, so a paired test of greedy rewards has an interval of about ±0.2 whatever GRPO learned.
Here each model answers every prompt `samples` times with the recipe's sampling (temperature, repetition
penalty, `max_completion_length`); each prompt's mean reward per component is paired by prompt (bootstrap
95% interval, sign-flip p). The control is the baseline plus a random step with the same per-tensor norm
as the trained model's update: a "gain" a step of that size without learning also shows is visible as such.
Used by the quickstart's sample-grpo step and by benchmarks/grpo_sampled_reward.py.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medqa.rewards import RewardRecipe, paired_difference, score_predictions

if TYPE_CHECKING:  # torch and transformers load only when a model is sampled
    from medqa.inference import GenerationSettings

BATCH_PROMPTS = 16
CONTROL = "random step"
DEFAULT_SAMPLES = 8


def recipe_sampling(recipe_path: Path | str) -> GenerationSettings:
    """The GRPO recipe's own decoding (TRL samples with top-p 1 and no top-k unless the recipe says)."""
    import yaml

    from medqa.inference import GenerationSettings

    recipe = yaml.safe_load(Path(recipe_path).read_text(encoding="utf-8")) or {}
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
    import torch

    from medqa.inference import generate_batch
    from medqa.modeling import ModelSpec, load_model
    from medqa.predict import prediction_row

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
    from medqa.metrics.core import is_repetitive

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
    import torch
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


def sampled_comparison(
    baseline_name: str,
    rows_by_model: Mapping[str, list[dict]],
    recipe: RewardRecipe,
    settings: GenerationSettings,
    samples: int,
) -> dict[str, Any]:
    """The report's sampled-reward entry from each model's sampled rows (the first model is the baseline):
    the sampling used and, per comparison pair, every component's paired difference of per-prompt means."""
    means = {name: per_prompt_means(rows, recipe) for name, rows in rows_by_model.items()}
    baseline = means.pop(baseline_name)
    components = [*recipe.names, "total", "loop"]
    return {
        "recipe": recipe.source,
        "samples": samples,
        "prompts": len(baseline),
        "sampling": {
            key: getattr(settings, key)
            for key in ("temperature", "top_p", "top_k", "repetition_penalty", "max_new_tokens")
        },
        "comparisons": {
            title: {
                "reference": reference,
                "components": compare(reference_means, candidate_means, components),
            }
            for title, (reference, reference_means, candidate_means) in comparison_pairs(
                baseline_name, baseline, means
            ).items()
        },
    }


def describe_sampling(sampled: Mapping[str, Any]) -> str:
    """One line: prompts, samples and the decoding they were drawn with."""
    s = sampled["sampling"]
    return (
        f"{sampled['prompts']} prompts x {sampled['samples']} samples, T {s['temperature']}, "
        f"repetition penalty {s['repetition_penalty']}, {s['max_new_tokens']} new tokens; "
        f"rewards and weights of {sampled['recipe']}; per-prompt means, paired by prompt"
    )


def render_table(title: str, comparison: Mapping[str, Any]) -> list[str]:
    """A comparison as markdown table lines, titled."""

    def shown(value: float | None, spec: str = "+.3f") -> str:
        return "n/a" if value is None else format(value, spec)

    lines = [
        title,
        f"| reward | {comparison['reference']} | candidate | difference [95% CI] | sign-flip p | n |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for component, e in comparison["components"].items():
        lines.append(
            f"| {component} | {shown(e['baseline'])} | {shown(e['candidate'])} | {shown(e['difference'])} "
            f"[{shown(e['ci_low'])}, {shown(e['ci_high'])}] | {shown(e['p_value'], '.3g')} | {e['n']} |"
        )
    return lines


SECTION = "Sampled reward (what GRPO optimises)"


def render_sampled_section(sampled: Mapping[str, Any], heading: str = "##") -> str:
    """The GRPO report's section: why sampling, how, and one table per comparison."""
    lines = [
        f"{heading} {SECTION}",
        "",
        "The rewards above score one greedy answer per prompt. GRPO maximises the expected reward under the "
        "recipe's own sampling: here every model answers each held-out prompt several times with it, each "
        f"prompt's mean reward is paired by prompt, and `{CONTROL}` is the baseline plus a random step of the "
        "trained model's per-tensor update norm (no learning): a real gain has to beat it too. `loop` is the "
        "share of samples that loop.",
        "",
        describe_sampling(sampled) + ".",
    ]
    for title, comparison in sampled["comparisons"].items():
        lines += ["", *render_table(f"{heading}# {title}", comparison)]
    return "\n".join(lines) + "\n"


def sampled_summary(sampled: Mapping[str, Any]) -> list[str]:
    """Plain-text lines for a terminal: each comparison's total (and loop share) over the sampled prompts."""
    lines = [f"Sampled reward ({describe_sampling(sampled)}):"]
    for title, comparison in sampled["comparisons"].items():
        total = comparison["components"]["total"]
        lines.append(
            f"- {title}: total {total['baseline']:+.3f} -> {total['candidate']:+.3f} ({total['difference']:+.3f} "
            f"[{total['ci_low']:+.3f}, {total['ci_high']:+.3f}], p={total['p_value']:.3g}, n={total['n']})"
        )
    return lines


def sample_models(
    models: Mapping[str, str], prompts: Sequence, settings: GenerationSettings, samples: int, seed: int
) -> dict[str, list[dict]]:
    """{name: sampled rows} for every model, each with the same seed."""
    return {
        name: sample_rows(model, list(prompts), settings, samples, seed) for name, model in models.items()
    }
