"""recipes/grpo.py on the tiny model: every reward component logged at every step, checkpoints resumed as
for SFT, and recipe mistakes that fail before any model is loaded."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from sft_data import REPO_ROOT, free_port, processed_dataset, tiny_sft_model

from medqa.grpo import build_grpo_trainer, make_parser
from medqa.rewards import SCORES

RECIPE = REPO_ROOT / "recipes" / "grpo.py"
TINY = REPO_ROOT / "recipes" / "tiny" / "grpo" / "full.yaml"
# The test dataset has no grpo split: its train questions (with reference answers) are prompts too.
# One optimizer step per generation, so that every step logs the rewards (the recipe reuses each 4 times).
SHORT = (
    "--dataset_train_split", "train",
    "--num_iterations", "1",
    "--per_device_train_batch_size", "4",
    "--num_generations", "4",
    "--max_completion_length", "24",
    "--logging_steps", "1",
)  # fmt: skip


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    root = tmp_path_factory.getbasetemp()
    return tiny_sft_model(root), processed_dataset(root)


def run_grpo_recipe(model, data, out, *flags, launcher=(sys.executable,)):
    command = [*launcher, str(RECIPE), "--config", str(TINY), "--model_name_or_path", str(model)]
    command += ["--dataset_name", str(data), "--output_dir", str(out), *SHORT, *flags]
    env = os.environ | {
        "MASTER_PORT": str(free_port()),
        "OMP_NUM_THREADS": "1",
        "TOKENIZERS_PARALLELISM": "false",
    }
    result = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, (
        f"{' '.join(command)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-6000:]}"
    )
    return result


def log_history(out):
    return json.loads((out / "trainer_state.json").read_text(encoding="utf-8"))["log_history"]


def test_recipe_mistakes_fail_before_loading_a_model(workspace, tmp_path):
    model, data = workspace

    def build(*flags):
        argv = ["--config", str(TINY), "--model_name_or_path", str(model), "--dataset_name", str(data)]
        argv += ["--output_dir", str(tmp_path / "out"), "--use_cpu", "true", *flags]
        return build_grpo_trainer(*make_parser().parse_args_and_config(argv))

    with pytest.raises(ValueError, match="reward_weights has 2 values but reward_funcs names 7"):
        build("--reward_weights", "1.0", "1.0")
    with pytest.raises(Exception, match="no split 'grpo'.*rerun `medqa prepare`"):
        build()
    with pytest.raises(ValueError, match="unknown reward 'accuracy'"):
        build(
            "--dataset_train_split",
            "train",
            "--reward_funcs",
            "format",
            "accuracy",
            "--reward_weights",
            "1",
            "1",
        )


@pytest.mark.slow
def test_grpo_logs_every_reward_each_step_and_resumes(workspace, tmp_path):
    model, data = workspace
    out = tmp_path / "grpo"
    run_grpo_recipe(model, data, out, "--max_steps", "2", "--save_steps", "1", "--save_total_limit", "2")
    steps = [entry for entry in log_history(out) if "reward" in entry]
    assert [entry["step"] for entry in steps] == [1, 2]
    for entry in steps:
        assert {f"rewards/{name}/mean" for name in SCORES} <= set(entry)
    assert (out / "model.safetensors").is_file() and (out / "README.md").is_file()
    card = (out / "README.md").read_text(encoding="utf-8")
    assert "TRL `GRPOTrainer`" in card and "| `emergency_referral` | 1 |" in card

    run_grpo_recipe(
        model, data, out, "--max_steps", "3", "--save_steps", "1", "--resume_from_checkpoint", "true"
    )
    resumed = [entry["step"] for entry in log_history(out) if "reward" in entry]
    assert resumed == [1, 2, 3]  # steps 1-2 restored from checkpoint-2, only step 3 trained again


def test_an_sft_adapter_keeps_training_as_it_is(workspace, tmp_path):
    from peft import LoraConfig, PeftModel, get_peft_model
    from transformers import AutoModelForCausalLM

    model, data = workspace
    adapter = tmp_path / "sft-adapter"
    lora = LoraConfig(r=4, target_modules=["q_proj", "v_proj"], task_type="CAUSAL_LM")
    get_peft_model(AutoModelForCausalLM.from_pretrained(model), lora).save_pretrained(adapter)

    def build(*flags):
        argv = ["--config", str(TINY), "--model_name_or_path", str(adapter), "--dataset_name", str(data)]
        argv += ["--output_dir", str(tmp_path / "out"), "--use_cpu", "true", "--dataset_train_split", "train"]
        return build_grpo_trainer(*make_parser().parse_args_and_config([*argv, *flags]))

    trainer = build()
    assert isinstance(trainer.model, PeftModel)
    trainable = {name for name, p in trainer.model.named_parameters() if p.requires_grad}
    assert trainable and all("lora_" in name for name in trainable)
    with pytest.raises(ValueError, match="is a LoRA adapter"):
        build("--use_peft", "true")
