"""`accelerate launch` with the shipped DeepSpeed configs on 2 CPU processes: ZeRO-2 full fine-tuning and
ZeRO-3 LoRA (where adapters are known to be saved empty). Both ranks train on disjoint shards, and the
saved artifact reloads with non-empty weights and generates."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file
from sft_data import REPO_ROOT, free_port, processed_dataset, tiny_sft_model

PROBE = Path(__file__).with_name("sft_shard_probe.py")
TRAIN_ROWS = 16  # one epoch: 2 optimizer steps of 2 ranks x 4 rows, so every row is seen exactly once
ONE_EPOCH = (
    "--num_train_epochs",
    "1",
    "--max_train_samples",
    str(TRAIN_ROWS),
    "--per_device_train_batch_size",
    "4",
)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    root = tmp_path_factory.getbasetemp()
    return tiny_sft_model(root), processed_dataset(root)


def launch_command(
    config: str, recipe: str, model: Path, data: Path, out: Path, *launch_args: str
) -> list[str]:
    command = [
        sys.executable,
        "-m",
        "accelerate.commands.launch",
        "--config_file",
        str(REPO_ROOT / "accelerate_configs" / config),
    ]
    command += [*(launch_args or ("--num_processes", "2", "--main_process_port", str(free_port())))]
    command += ["--mixed_precision", "no"]
    command += [str(PROBE), "--config", str(REPO_ROOT / "recipes" / "tiny" / "sft" / f"{recipe}.yaml")]
    command += ["--model_name_or_path", str(model), "--dataset_name", str(data), "--output_dir", str(out)]
    command += [
        *ONE_EPOCH,
        "--eval_strategy",
        "no",
        "--logging_steps",
        "1",
        "--ddp_backend",
        "gloo",
    ]  # gloo: DeepSpeed on CPU
    return command


def launch(config: str, recipe: str, model: Path, data: Path, out: Path) -> None:
    import subprocess

    command = launch_command(config, recipe, model, data, out)
    result = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, (
        f"{' '.join(command)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-6000:]}"
    )


def assert_disjoint_shards(out: Path, data: Path) -> None:
    from datasets import load_from_disk
    from transformers import AutoTokenizer

    shards = [set((out / f"shard-{rank}.txt").read_text().split()) for rank in (0, 1)]
    assert all(shards) and not shards[0] & shards[1]
    tokenizer = AutoTokenizer.from_pretrained(out)
    train = load_from_disk(str(data))["train"].select(range(TRAIN_ROWS))
    known = {
        hashlib.sha256(str(tokenizer.apply_chat_template(row["messages"])["input_ids"]).encode()).hexdigest()
        for row in train
    }
    assert shards[0] | shards[1] == known  # each train row trained once, rendered as at inference


def assert_generates(model, tokenizer) -> None:
    prompt = tokenizer.apply_chat_template(
        [{"role": "user", "content": "头痛怎么办？"}],
        add_generation_prompt=True,
        return_tensors="pt",
        return_dict=True,
    )
    output = model.generate(**prompt, max_new_tokens=8, do_sample=False)
    assert output.shape[1] > prompt["input_ids"].shape[1]


@pytest.mark.multiprocess
@pytest.mark.slow
def test_zero2_full_finetuning(workspace, tmp_path):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    model_dir, data = workspace
    out = tmp_path / "zero2-full"
    launch("zero2.yaml", "full", model_dir, data, out)
    assert_disjoint_shards(out, data)
    tuned = AutoModelForCausalLM.from_pretrained(out)
    base = AutoModelForCausalLM.from_pretrained(model_dir)
    weights = load_file(str(out / "model.safetensors"))
    assert weights and all(weight.numel() for weight in weights.values())
    assert not torch.equal(tuned.model.layers[0].mlp.up_proj.weight, base.model.layers[0].mlp.up_proj.weight)
    assert_generates(tuned, AutoTokenizer.from_pretrained(out))


@pytest.mark.multiprocess
@pytest.mark.slow
def test_zero3_lora(workspace, tmp_path):
    from peft import AutoPeftModelForCausalLM
    from transformers import AutoTokenizer

    model_dir, data = workspace
    out = tmp_path / "zero3-lora"
    launch("zero3.yaml", "lora", model_dir, data, out)
    assert_disjoint_shards(out, data)
    adapter = load_file(str(out / "adapter_model.safetensors"))
    lora_b = [weight for name, weight in adapter.items() if "lora_B" in name]
    assert lora_b and all(weight.numel() and weight.abs().sum() > 0 for weight in lora_b)
    assert_generates(AutoPeftModelForCausalLM.from_pretrained(out), AutoTokenizer.from_pretrained(out))


def first_losses(out: Path) -> list[float]:
    import json

    history = json.loads((out / "trainer_state.json").read_text())["log_history"]
    return [entry["loss"] for entry in history if "loss" in entry]


@pytest.mark.multiprocess
@pytest.mark.slow
def test_two_machine_rendezvous_zero3_lora(workspace, tmp_path):
    """multi_node.yaml as two machines on localhost (one process each, c10d rendezvous, ZeRO-3 LoRA):
    disjoint shards, one adapter saved by machine 0, and a loss that is each token's, not x world size."""
    import math
    import subprocess

    from transformers import AutoTokenizer

    model_dir, data = workspace
    out, port = tmp_path / "two-machines", str(free_port())
    machines = [
        ("--num_machines", "2", "--machine_rank", rank, "--num_processes", "2")
        + ("--main_process_ip", "127.0.0.1", "--main_process_port", port)
        for rank in ("0", "1")
    ]
    commands = [launch_command("multi_node.yaml", "lora", model_dir, data, out, *m) for m in machines]
    processes = [
        subprocess.Popen(c, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for c in commands
    ]
    outputs = [process.communicate(timeout=600)[0] for process in processes]
    for process, output in zip(processes, outputs, strict=True):
        assert process.returncode == 0, output[-6000:]
    assert_disjoint_shards(out, data)
    adapter = load_file(str(out / "adapter_model.safetensors"))
    lora_b = [weight for name, weight in adapter.items() if "lora_B" in name]
    assert lora_b and all(weight.abs().sum() > 0 for weight in lora_b)
    vocabulary = len(AutoTokenizer.from_pretrained(out))
    assert abs(first_losses(out)[0] - math.log(vocabulary)) < 0.5  # untrained: ln(V), not 2 ln(V)


@pytest.mark.multiprocess
def test_fsdp_on_cpu_fails_fast_with_the_documented_reason(workspace, tmp_path):
    """accelerate enables FSDP only over accelerators: on CPU the recipe refuses to train wrongly."""
    import subprocess

    model_dir, data = workspace
    command = launch_command("fsdp.yaml", "full", model_dir, data, tmp_path / "fsdp")
    result = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode != 0
    assert "accelerate enables FSDP only over an accelerator backend" in result.stderr
    readme = (REPO_ROOT / "accelerate_configs" / "README.md").read_text(encoding="utf-8")
    assert "## FSDP on CPU" in readme
    assert not (tmp_path / "fsdp" / "model.safetensors").exists()
