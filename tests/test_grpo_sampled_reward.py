"""medqa/grpo_eval.py (benchmarks/grpo_sampled_reward.py, the quickstart's sample-grpo step): the random-step control has the update's per-tensor norm and nothing
else of it, the recipe's own sampling is used, and rewards are averaged per prompt before pairing."""

from __future__ import annotations

from pathlib import Path

import torch
from safetensors.torch import load_file

from medqa import grpo_eval as bench
from medqa.rewards import RewardRecipe

ROOT = Path(__file__).resolve().parents[1]


def test_the_random_step_has_the_updates_norm_per_tensor_but_not_its_direction(tiny_model_dir, tmp_path):
    from transformers import AutoModelForCausalLM

    trained = AutoModelForCausalLM.from_pretrained(tiny_model_dir)
    with torch.no_grad():
        for index, parameter in enumerate(trained.parameters()):
            parameter.add_(0.01 * (index + 1) * torch.ones_like(parameter))
    trained.save_pretrained(tmp_path / "trained")
    control = bench.random_step_model(str(tiny_model_dir), str(tmp_path / "trained"), tmp_path / "control", 3)
    base = load_file(tiny_model_dir / "model.safetensors")
    update, step = (
        load_file(tmp_path / "trained" / "model.safetensors"),
        load_file(Path(control) / "model.safetensors"),
    )
    assert set(step) == set(base)
    for name in base:
        delta, random_delta = update[name] - base[name], step[name] - base[name]
        assert torch.allclose(random_delta.norm(), delta.norm(), rtol=1e-4)
        cosine = torch.nn.functional.cosine_similarity(delta.flatten(), random_delta.flatten(), dim=0)
        assert abs(float(cosine)) < 0.5  # a constant update; a random direction is nearly orthogonal to it
    again = bench.random_step_model(str(tiny_model_dir), str(tmp_path / "trained"), tmp_path / "again", 3)
    assert all(torch.equal(step[k], load_file(Path(again) / "model.safetensors")[k]) for k in step)


def test_sampling_follows_the_recipe_and_rewards_are_averaged_per_prompt():
    settings = bench.recipe_sampling(ROOT / "recipes" / "tiny" / "grpo" / "full.yaml")
    assert settings.do_sample and settings.temperature == 0.3 and settings.repetition_penalty == 1.1
    assert settings.max_new_tokens == 128 and settings.top_k == 0 and settings.top_p == 1.0
    recipe = RewardRecipe.from_yaml(ROOT / "recipes" / "tiny" / "grpo" / "full.yaml")
    looped = "<think>想一想</think>" + "强" * 40
    fine = "<think>胸痛要警惕心梗。</think>请立即拨打120或去急诊。"
    row = {
        "input": "胸口剧痛出冷汗怎么办？",
        "finish_reason": "stop",
        "completion_tokens": 30,
        "reference": None,
    }
    meta = {"red_flag": True, "language": "zh", "category": "cardiac"}
    rows = [{**row, "id": "a", "output": text, "meta": meta} for text in (looped, fine)]
    rows.append({**row, "id": "b", "output": fine, "meta": meta})
    means = bench.per_prompt_means(rows, recipe)
    assert means["a"]["loop"] == 0.5 and means["b"]["loop"] == 0.0
    assert means["a"]["total"] < means["b"]["total"]
    table = bench.compare(means, {"a": means["b"], "b": means["b"]}, ["total", "loop"])
    assert table["loop"]["difference"] == -0.25 and table["total"]["n"] == 2


def test_samples_are_valid_prediction_rows_per_prompt(tiny_model_dir):
    from dataclasses import replace

    from medqa.predict import to_prompt_row

    prompts = [
        to_prompt_row({"id": name, "input": text, "meta": {"language": "zh"}}, where=name)
        for name, text in (("a", "头疼怎么办？"), ("b", "胸口痛出冷汗"))
    ]
    settings = replace(
        bench.recipe_sampling(ROOT / "recipes" / "tiny" / "grpo" / "full.yaml"), max_new_tokens=6
    )
    rows = bench.sample_rows(str(tiny_model_dir), prompts, settings, samples=3, seed=0)
    assert [row["id"] for row in rows] == ["a"] * 3 + ["b"] * 3  # validated as prediction rows on the way
    assert all(row["model"]["model"] == str(tiny_model_dir) for row in rows)
    assert rows[0]["generation"]["temperature"] == 0.3


def test_candidates_are_paired_against_the_control_as_well_as_the_baseline():
    baseline = {"a": {"total": 1.0}, "b": {"total": 1.0}}
    trained, control = {"a": {"total": 1.5}, "b": {"total": 1.5}}, {"a": {"total": 1.4}, "b": {"total": 1.0}}
    alone = bench.comparison_pairs("sft", baseline, {"grpo": trained})
    assert list(alone) == ["grpo vs sft"] and alone["grpo vs sft"][0] == "sft"
    pairs = bench.comparison_pairs("sft", baseline, {"grpo": trained, bench.CONTROL: control})
    assert list(pairs) == [
        "grpo vs sft",
        f"{bench.CONTROL} vs sft",
        f"grpo vs {bench.CONTROL}",
    ]  # never the control against itself
    reference, reference_means, candidate_means = pairs[f"grpo vs {bench.CONTROL}"]
    assert reference == bench.CONTROL
    table = bench.compare(reference_means, candidate_means, ["total"])
    assert abs(table["total"]["difference"] - 0.3) < 1e-9  # against the control, not against SFT (+0.5)
