"""What SFT trains on, asserted on token ids: the think block stays in the assistant turn, the loss covers
think, answer and <|im_end|> and nothing of system or user, EOS is <|im_end|>, and batching never mixes
sequences. In-process, no training."""

from __future__ import annotations

import pytest
import torch
from sft_data import processed_dataset, tiny_sft_model
from trl import ModelConfig, SFTConfig

from medqa.formatting import join_think, split_think
from medqa.schema import SchemaError
from medqa.training import (
    LengthGroupedSampler,
    SFTScriptArguments,
    build_trainer,
    check_saved_weights,
    corrupt_assistant_inputs,
)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    root = tmp_path_factory.getbasetemp()
    return tiny_sft_model(root), processed_dataset(root)


def make_trainer(workspace, tmp_path, **script):
    model, data = workspace
    script_args = SFTScriptArguments(dataset_name=str(data), **script)
    training_args = SFTConfig(
        output_dir=str(tmp_path), report_to="none", bf16=False, use_cpu=True, eval_strategy="no"
    )
    return build_trainer(
        script_args, training_args, ModelConfig(model_name_or_path=str(model), dtype="float32")
    )


def source_messages(data, index=0):
    from datasets import load_from_disk

    return load_from_disk(str(data))["train"][index]["messages"]


@pytest.mark.parametrize("enable_thinking", [True, False])
def test_loss_mask_covers_exactly_the_assistant_turn(workspace, tmp_path, enable_thinking):
    trainer = make_trainer(workspace, tmp_path, enable_thinking=enable_thinking)
    tokenizer = trainer.processing_class
    messages = source_messages(workspace[1])
    example = trainer.train_dataset[0]
    input_ids, labels = example["input_ids"], example["labels"]

    prompt_ids = tokenizer.apply_chat_template(messages[:-1], add_generation_prompt=True)["input_ids"]
    assert input_ids[: len(prompt_ids)] == prompt_ids  # the training prompt is the inference prompt
    assert set(labels[: len(prompt_ids)]) == {-100}  # nothing of system or user is learned
    assert labels[len(prompt_ids) :] == input_ids[len(prompt_ids) :]  # all of the assistant turn is

    parsed = split_think(messages[-1]["content"])
    expected = join_think(parsed.think if enable_thinking else "", parsed.answer) + "<|im_end|>\n"
    assert tokenizer.decode(labels[len(prompt_ids) :]) == expected
    supervised = labels[len(prompt_ids) :]
    for token in ("<think>", "</think>", "<|im_end|>"):
        assert tokenizer.convert_tokens_to_ids(token) in supervised
    assert (parsed.think in tokenizer.decode(input_ids)) is enable_thinking


def test_eos_is_im_end_everywhere(workspace, tmp_path):
    trainer = make_trainer(workspace, tmp_path)
    im_end = trainer.processing_class.convert_tokens_to_ids("<|im_end|>")
    assert trainer.processing_class.eos_token == "<|im_end|>"
    assert trainer.model.config.eos_token_id == im_end
    eos = trainer.model.generation_config.eos_token_id
    assert im_end in (eos if isinstance(eos, list) else [eos])


def test_padding_free_batches_keep_sequences_apart(workspace):
    """A flattened batch gives each sequence the logits it gets alone (sdpa, no FlashAttention).

    transformers builds the block-diagonal mask from position_ids only without a KV cache, which is how
    SFTTrainer runs its forward passes (use_cache=False)."""
    from transformers import AutoModelForCausalLM
    from trl.trainer.sft_trainer import DataCollatorForLanguageModeling

    model = AutoModelForCausalLM.from_pretrained(workspace[0], attn_implementation="sdpa").eval()
    generator = torch.Generator().manual_seed(0)
    sequences = [torch.randint(10, 1000, (n,), generator=generator).tolist() for n in (7, 12, 5)]
    batch = DataCollatorForLanguageModeling(pad_token_id=0, padding_free=True)(
        [{"input_ids": ids} for ids in sequences]
    )
    assert "attention_mask" not in batch
    with torch.no_grad():
        packed = model(
            input_ids=batch["input_ids"], position_ids=batch["position_ids"], use_cache=False
        ).logits[0]
        start = 0
        for ids in sequences:
            alone = model(input_ids=torch.tensor([ids])).logits[0]
            torch.testing.assert_close(packed[start : start + len(ids)], alone, atol=1e-4, rtol=1e-4)
            start += len(ids)


def test_length_grouped_sampler_cuts_padding_and_is_reproducible():
    lengths = torch.randint(100, 1400, (203,), generator=torch.Generator().manual_seed(0)).tolist()
    sampler = LengthGroupedSampler(lengths, batch_size=8, seed=3)
    order = list(sampler)
    assert sorted(order) == list(range(len(lengths)))
    assert order == list(sampler)  # same epoch, same batches (what resuming relies on)
    sampler.set_epoch(1)
    assert list(sampler) != order

    def pad_fraction(indices):
        batches = [indices[i : i + 8] for i in range(0, len(indices), 8)]
        slots = sum(max(lengths[i] for i in b) * len(b) for b in batches)
        return 1 - sum(lengths) / slots

    assert pad_fraction(order) < 0.05 < pad_fraction(torch.randperm(len(lengths)).tolist())
    assert len(sampler.batches()[-1]) == len(lengths) % 8  # the short batch goes last


def test_why_not_transformers_group_by_length_it_follows_the_global_rng():
    """transformers' built-in `train_sampling_strategy: group_by_length` draws its order from the global
    torch RNG when an epoch starts, which a resumed run has not restored yet (benchmarks/RESULTS.md: its
    resumed weights differ). Ours depends on (seed, epoch) only. If this starts failing, the built-in has
    become seedable: rerun benchmarks/bench_train.py and the resume test with it and switch."""
    from transformers.trainer_pt_utils import LengthGroupedSampler as BuiltinSampler

    lengths = torch.randint(100, 1400, (203,), generator=torch.Generator().manual_seed(0)).tolist()
    builtin = BuiltinSampler(8, lengths=lengths)
    torch.manual_seed(1)
    first = list(builtin)
    torch.manual_seed(2)
    assert list(builtin) != first
    ours = LengthGroupedSampler(lengths, batch_size=8, seed=3)
    torch.manual_seed(1)
    first = list(ours)
    torch.manual_seed(2)
    assert list(ours) == first


def test_input_noise_replaces_only_assistant_content_inputs(workspace, tmp_path):
    trainer = make_trainer(workspace, tmp_path, input_noise=0.3)
    batch = trainer.data_collator([trainer.train_dataset[i] for i in range(8)])
    ids, labels = batch["input_ids"], batch["labels"]
    content = (labels != -100) & ~torch.isin(ids, trainer.structure_ids)

    noisy = corrupt_assistant_inputs(
        ids, labels, 0.3, trainer.structure_ids, torch.Generator().manual_seed(0)
    )
    changed = noisy != ids
    assert not changed[~content].any()  # prompt, padding, special tokens and think tags stay
    assert 0.2 < changed.sum() / content.sum() < 0.35  # a replacement can draw the same token
    assert set(noisy[changed].tolist()) <= set(ids[content].tolist())  # drawn from the batch's content
    again = corrupt_assistant_inputs(
        ids, labels, 0.3, trainer.structure_ids, torch.Generator().manual_seed(0)
    )
    assert torch.equal(noisy, again)

    # Only training inputs are corrupted; the labels (what the loss scores) never are.
    seen = []
    trainer.model.register_forward_pre_hook(
        lambda module, args, kwargs: seen.append(kwargs["input_ids"]), with_kwargs=True
    )
    for training in (True, False):
        trainer.model.train(training)
        trainer.compute_loss(trainer.model, dict(batch))
    assert not torch.equal(seen[0], ids) and torch.equal(seen[1], ids)
    assert torch.equal(batch["labels"], labels)
    with pytest.raises(ValueError, match="input_noise must be in"):
        make_trainer(workspace, tmp_path, input_noise=1.0)


def test_malformed_think_block_names_the_row(workspace, tmp_path):
    from datasets import load_from_disk

    dataset = load_from_disk(str(workspace[1]))
    broken = dataset["train"].map(
        lambda row: {
            "messages": [*row["messages"][:-1], {"role": "assistant", "content": "no reasoning here"}]
        }
    )
    dataset["train"] = broken
    dataset.save_to_disk(str(tmp_path / "broken"))
    with pytest.raises(SchemaError, match=rf"train\] row {dataset['train'][0]['id']}: .*missing_open"):
        make_trainer((workspace[0], tmp_path / "broken"), tmp_path / "out")


def test_missing_split_and_directory_are_named(workspace, tmp_path):
    with pytest.raises(SchemaError, match="no split 'validation'"):
        make_trainer(workspace, tmp_path, dataset_train_split="validation")
    (tmp_path / "not-a-dataset").mkdir()
    with pytest.raises(FileNotFoundError, match="not-a-dataset is not a DatasetDict"):
        make_trainer((workspace[0], tmp_path / "not-a-dataset"), tmp_path / "out")


def test_empty_saved_weights_are_refused(tmp_path):
    from safetensors.torch import save_file

    save_file({"base_model.model.lora_A.weight": torch.empty(0)}, str(tmp_path / "adapter_model.safetensors"))
    with pytest.raises(RuntimeError, match="holds no weights"):
        check_saved_weights(tmp_path)
