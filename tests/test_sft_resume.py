"""An interrupted run resumed with `--resume_from_checkpoint true` ends where an uninterrupted one does:
the same number of optimizer steps and the same weights, even when the run died while writing its newest
checkpoint (that one is skipped with a warning; named explicitly, it is refused with what it lacks)."""

from __future__ import annotations

import json
import os
import shutil

import pytest
import torch
from safetensors.torch import load_file
from sft_data import TINY_RECIPES, processed_dataset, run_recipe, tiny_sft_model

from medqa.training import build_trainer, checkpoint_problems, make_parser, resume_checkpoint, train_and_save

# 2 epochs of 3 steps, a checkpoint every 2 steps: the run dies while saving checkpoint-4, mid-epoch.
RUN = ("--num_train_epochs", "2", "--save_strategy", "steps", "--save_steps", "2", "--eval_strategy", "no")
KILLED_AT = 4


class Killed(Exception):
    pass


def die_while_saving_the_optimizer(trainer):
    """Make the trainer stop, at step KILLED_AT, the way kill -9 would while optimizer.pt is written:
    the weights are on disk, optimizer.pt is cut short, and the scheduler, RNG and state never come."""
    save = trainer._save_optimizer_and_scheduler

    def save_then_die(output_dir):
        save(output_dir)
        if trainer.state.global_step == KILLED_AT:
            optimizer = f"{output_dir}/optimizer.pt"
            with open(optimizer, "r+b") as handle:
                handle.truncate(handle.seek(0, 2) // 2)
            os.remove(f"{output_dir}/scheduler.pt")  # written after the optimizer: never reached
            raise Killed

    trainer._save_optimizer_and_scheduler = save_then_die
    return trainer


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    root = tmp_path_factory.getbasetemp()
    return tiny_sft_model(root), processed_dataset(root)


def recipe_args(model, data, out, *flags):
    argv = ["--config", str(TINY_RECIPES / "full.yaml"), "--model_name_or_path", str(model)]
    argv += ["--dataset_name", str(data), "--output_dir", str(out), "--use_cpu", "true", *RUN, *flags]
    return make_parser().parse_args_and_config(argv)


def recipe_trainer(model, data, out):
    """(trainer, script_args, training_args) for the tiny full recipe, in this process."""
    script_args, training_args, model_args = recipe_args(model, data, out)
    return build_trainer(script_args, training_args, model_args), script_args, training_args


def global_step(out):
    return json.loads((out / "trainer_state.json").read_text())["global_step"]


@pytest.mark.slow
def test_resumed_run_matches_uninterrupted_and_skips_the_half_written_checkpoint(workspace, tmp_path):
    model, data = workspace
    straight = tmp_path / "straight"
    train_and_save(*recipe_trainer(model, data, straight))

    resumed = tmp_path / "resumed"
    trainer, script_args, training_args = recipe_trainer(model, data, resumed)
    with pytest.raises(Killed):
        train_and_save(die_while_saving_the_optimizer(trainer), script_args, training_args)
    half_written = resumed / f"checkpoint-{KILLED_AT}"
    assert (half_written / "model.safetensors").exists() and not (resumed / "model.safetensors").exists()
    problems = checkpoint_problems(half_written)
    assert problems[0].startswith("optimizer.pt is unreadable")
    assert problems[1:] == ["no scheduler.pt", "no rng_state*.pth", "no trainer_state.json"]
    assert checkpoint_problems(resumed / "checkpoint-2") == []

    _, explicit, _ = recipe_args(model, data, resumed, "--resume_from_checkpoint", str(half_written))
    with pytest.raises(
        ValueError, match=r"incomplete checkpoint \(optimizer.pt is unreadable.*no scheduler.pt"
    ):
        resume_checkpoint(explicit)

    result = run_recipe("full", model, data, resumed, *RUN, "--resume_from_checkpoint", "true")
    log = result.stdout + result.stderr
    assert f"skipping incomplete checkpoint {half_written}: optimizer.pt is unreadable" in log
    assert f"resuming from {resumed / 'checkpoint-2'}" in log
    assert global_step(resumed) == global_step(straight) == 6
    expected, actual = (
        load_file(str(straight / "model.safetensors")),
        load_file(str(resumed / "model.safetensors")),
    )
    for name, weight in expected.items():
        torch.testing.assert_close(actual[name], weight, atol=1e-5, rtol=1e-4)


def test_each_missing_or_broken_part_makes_a_checkpoint_incomplete(workspace, tmp_path):
    """A real checkpoint (two steps of the tiny recipe), then each part it needs taken away or broken."""
    model, data = workspace
    out = tmp_path / "run"
    script_args, training_args, model_args = recipe_args(model, data, out, "--max_steps", "2")
    build_trainer(script_args, training_args, model_args).train()
    complete = out / "checkpoint-2"
    assert checkpoint_problems(complete) == []
    cases = {
        "model.safetensors": "no model or adapter weights",
        "optimizer.pt": "no optimizer.pt",
        "scheduler.pt": "no scheduler.pt",
        "rng_state.pth": "no rng_state*.pth",
        "trainer_state.json": "no trainer_state.json",
    }
    for name, problem in cases.items():
        broken = tmp_path / f"without-{name}"
        shutil.copytree(complete, broken)
        (broken / name).unlink()
        assert checkpoint_problems(broken) == [problem]
        truncated = tmp_path / f"truncated-{name}"
        shutil.copytree(complete, truncated)
        data_bytes = (truncated / name).read_bytes()
        (truncated / name).write_bytes(data_bytes[: len(data_bytes) // 2])
        (found,) = checkpoint_problems(truncated)
        assert found.startswith(
            f"{name} is unreadable" if name != "trainer_state.json" else "trainer_state.json"
        )

    # `true` in a folder whose only checkpoint is incomplete: a clear error, not a crash mid-resume.
    only_broken = tmp_path / "only-broken"
    shutil.copytree(tmp_path / "without-optimizer.pt", only_broken / "checkpoint-2")
    _, resume_true, _ = recipe_args(model, data, only_broken, "--resume_from_checkpoint", "true")
    with pytest.raises(FileNotFoundError, match="no complete checkpoint"):
        resume_checkpoint(resume_true)
