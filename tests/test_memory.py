"""The start-up memory check: the recipe warns when max_length x batch would not fit by the measured table."""

from __future__ import annotations

import logging

from sft_data import processed_dataset, tiny_sft_model
from trl import ModelConfig, SFTConfig

from medqa.memory import GiB, activation_bytes_per_token, estimate
from medqa.training import SFTScriptArguments, build_trainer, check_batch_memory


def test_estimate_is_linear_in_tokens_and_checkpointing_saves():
    from transformers import Qwen3Config

    config = Qwen3Config(hidden_size=2048, num_hidden_layers=28, vocab_size=151936, intermediate_size=6144)
    for method in ("lora", "qlora", "full"):
        full = activation_bytes_per_token(config, method, checkpointing=False)
        checkpointed = activation_bytes_per_token(config, method, checkpointing=True)
        assert 0 < checkpointed < full
        one, two = (
            estimate(config, method, False, n, 2_000_000_000, 70_000_000).activations for n in (1000, 2000)
        )
        assert two == 2 * one


def test_recipe_warns_when_the_longest_batch_does_not_fit(tmp_path_factory, tmp_path, caplog):
    root = tmp_path_factory.getbasetemp()
    args = SFTConfig(output_dir=str(tmp_path), report_to="none", use_cpu=True, bf16=False, max_length=1024)
    model_args = ModelConfig(model_name_or_path=str(tiny_sft_model(root)), dtype="float32")
    trainer = build_trainer(SFTScriptArguments(dataset_name=str(processed_dataset(root))), args, model_args)
    assert check_batch_memory(trainer, model_args) is None  # CPU runs are not checked
    with caplog.at_level(logging.WARNING, logger="medqa.memory"):
        needed = check_batch_memory(trainer, model_args, capacity=0.001 * GiB)
    assert needed is not None and "= 8192 tokens may not fit" in caplog.text  # 1024 x batch 8
    assert check_batch_memory(trainer, model_args, capacity=1000 * GiB) is None
