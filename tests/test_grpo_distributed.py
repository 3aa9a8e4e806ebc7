"""GRPO under `accelerate launch` with the shipped ZeRO-2 config on 2 CPU processes: generation, rewards
gathered across ranks, a sharded optimizer step, and a saved model that differs from the start."""

from __future__ import annotations

import sys

import pytest
import torch
from safetensors.torch import load_file
from sft_data import REPO_ROOT, free_port, processed_dataset, tiny_sft_model
from test_grpo_train import log_history, run_grpo_recipe

from medqa.rewards import SCORES


@pytest.mark.multiprocess
@pytest.mark.slow
def test_zero2_grpo(tmp_path_factory, tmp_path):
    root = tmp_path_factory.getbasetemp()
    model, data = tiny_sft_model(root), processed_dataset(root)
    launcher = (sys.executable, "-m", "accelerate.commands.launch")
    launcher += (
        "--config_file",
        str(REPO_ROOT / "accelerate_configs" / "zero2.yaml"),
        "--num_processes",
        "2",
    )
    launcher += ("--mixed_precision", "no", "--main_process_port", str(free_port()))
    out = tmp_path / "zero2-grpo"
    run_grpo_recipe(
        model,
        data,
        out,
        "--max_steps",
        "2",
        "--save_strategy",
        "no",
        "--ddp_backend",
        "gloo",
        launcher=launcher,
    )

    steps = [entry for entry in log_history(out) if "reward" in entry]
    assert [entry["step"] for entry in steps] == [1, 2]
    assert all({f"rewards/{name}/mean" for name in SCORES} <= set(entry) for entry in steps)
    tuned, base = load_file(str(out / "model.safetensors")), load_file(str(model / "model.safetensors"))
    assert tuned and all(weight.numel() for weight in tuned.values())
    assert any(not torch.equal(tuned[name], base[name]) for name in base if name in tuned)
