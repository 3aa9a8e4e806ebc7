"""An interrupted run resumed with `--resume_from_checkpoint true` ends where an uninterrupted one does:
the same number of optimizer steps and the same weights."""

from __future__ import annotations

import json

import pytest
import torch
from safetensors.torch import load_file
from sft_data import TINY_RECIPES, processed_dataset, run_recipe, tiny_sft_model
from transformers import TrainerCallback

from medqa.training import build_trainer, make_parser, train_and_save

# 2 epochs of 3 steps, a checkpoint every 4 steps: the interruption falls mid-epoch.
RUN = ("--num_train_epochs", "2", "--save_strategy", "steps", "--save_steps", "4", "--eval_strategy", "no")
INTERRUPT_AT = 4


class Interrupted(Exception):
    pass


class InterruptAfterSave(TrainerCallback):
    def on_save(self, args, state, control, **kwargs):
        if state.global_step == INTERRUPT_AT:
            raise Interrupted


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    root = tmp_path_factory.getbasetemp()
    return tiny_sft_model(root), processed_dataset(root)


def recipe_trainer(model, data, out, *callbacks):
    """(trainer, script_args, training_args) for the tiny full recipe, in this process."""
    argv = ["--config", str(TINY_RECIPES / "full.yaml"), "--model_name_or_path", str(model)]
    argv += ["--dataset_name", str(data), "--output_dir", str(out), "--use_cpu", "true", *RUN]
    script_args, training_args, model_args = make_parser().parse_args_and_config(argv)
    return build_trainer(script_args, training_args, model_args, callbacks), script_args, training_args


def global_step(out):
    return json.loads((out / "trainer_state.json").read_text())["global_step"]


@pytest.mark.slow
def test_resumed_run_matches_uninterrupted(workspace, tmp_path):
    model, data = workspace
    straight = tmp_path / "straight"
    train_and_save(*recipe_trainer(model, data, straight))

    resumed = tmp_path / "resumed"
    with pytest.raises(Interrupted):
        train_and_save(*recipe_trainer(model, data, resumed, InterruptAfterSave()))
    assert not (resumed / "model.safetensors").exists()

    result = run_recipe("full", model, data, resumed, *RUN, "--resume_from_checkpoint", "true")
    assert f"checkpoint-{INTERRUPT_AT}" in result.stdout + result.stderr
    assert global_step(resumed) == global_step(straight) == 6
    expected, actual = (
        load_file(str(straight / "model.safetensors")),
        load_file(str(resumed / "model.safetensors")),
    )
    for name, weight in expected.items():
        torch.testing.assert_close(actual[name], weight, atol=1e-5, rtol=1e-4)
