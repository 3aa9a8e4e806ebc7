"""Single-process SFT runs of the tiny recipes (full, LoRA, QLoRA on CPU) as real `python recipes/sft.py`
processes: the loss falls, and the saved model or adapter reloads with trained, non-empty weights."""

from __future__ import annotations

import json

import pytest
import torch
from safetensors.torch import load_file
from sft_data import processed_dataset, run_recipe, tiny_sft_model

from medqa.hub import check_card

# 12 optimizer steps; one evaluation (the final one), which also runs the safety signal when enabled.
SHORT_RUN = (
    "--num_train_epochs",
    "4",
    "--logging_steps",
    "1",
    "--eval_strategy",
    "steps",
    "--eval_steps",
    "1000",
)
SHORT_RUN += ("--max_eval_samples", "4")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    root = tmp_path_factory.getbasetemp()
    return tiny_sft_model(root), processed_dataset(root)


def train_losses(out):
    history = json.loads((out / "trainer_state.json").read_text())["log_history"]
    return [entry["loss"] for entry in history if "loss" in entry]


def assert_loss_falls(out):
    losses = train_losses(out)
    assert len(losses) >= 6
    assert sum(losses[-3:]) / 3 < sum(losses[:3]) / 3 - 0.05, losses


def assert_card(out, method):
    card = (out / "README.md").read_text(encoding="utf-8")
    assert card.startswith("---\n") and "Not a medical device" in card
    assert f"| method | {method} |" in card and "eval_loss" in card
    check_card(card, "model")  # huggingface_hub parses it; no local path as base_model or dataset


@pytest.mark.slow
def test_full_finetuning_trains_and_reloads(workspace, tmp_path):
    from transformers import AutoModelForCausalLM

    model_dir, data = workspace
    out = tmp_path / "full"
    run_recipe("full", model_dir, data, out, *SHORT_RUN)
    assert_loss_falls(out)
    assert_card(out, "full")
    tuned = AutoModelForCausalLM.from_pretrained(out)
    base = AutoModelForCausalLM.from_pretrained(model_dir)
    changed = [
        name
        for name, weight in tuned.state_dict().items()
        if weight.numel() and not torch.equal(weight, base.state_dict()[name])
    ]
    assert len(changed) > len(tuned.state_dict()) // 2
    assert tuned.generation_config.eos_token_id[0] == tuned.config.eos_token_id  # <|im_end|> stops generation


@pytest.mark.slow
@pytest.mark.parametrize("recipe", ["lora", "qlora"])
def test_adapter_training_trains_and_reloads(workspace, tmp_path, recipe):
    from peft import AutoPeftModelForCausalLM

    model_dir, data = workspace
    out = tmp_path / recipe
    safety = ("--safety_eval_samples", "2", "--safety_max_new_tokens", "12") if recipe == "lora" else ()
    run_recipe(recipe, model_dir, data, out, *SHORT_RUN, *safety)
    assert_loss_falls(out)
    assert_card(out, recipe)
    adapter = load_file(str(out / "adapter_model.safetensors"))
    lora_b = [weight for name, weight in adapter.items() if "lora_B" in name]
    assert lora_b and all(weight.abs().sum() > 0 for weight in lora_b)  # lora_B starts at zero
    model = AutoPeftModelForCausalLM.from_pretrained(out)
    assert model.active_adapters == ["default"]
    if recipe == "lora":
        history = json.loads((out / "trainer_state.json").read_text())["log_history"]
        signal = [entry for entry in history if "safety/gold_think_coverage" in entry]
        assert signal and {"safety/red_team_think_coverage", "safety/gold_stop_rate"} <= set(signal[-1])
