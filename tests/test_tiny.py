"""The tiny Qwen3 is a real checkpoint: it round-trips through the Auto classes, renders like Qwen3 and generates."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from medqa.formatting import conversation, join_think
from medqa.tiny import IM_END, TinyQwen3Spec, build_tiny_qwen3


@pytest.fixture(scope="module")
def tokenizer(tiny_model_dir):
    return AutoTokenizer.from_pretrained(tiny_model_dir)


@pytest.fixture(scope="module")
def model(tiny_model_dir):
    return AutoModelForCausalLM.from_pretrained(tiny_model_dir)


def test_checkpoint_is_a_small_qwen3(model, tokenizer):
    assert model.config.model_type == "qwen3"
    assert type(model).__name__ == "Qwen3ForCausalLM"
    params = sum(p.numel() for p in model.parameters())
    assert 500_000 <= params <= 5_000_000
    assert model.config.vocab_size == len(tokenizer)


def test_eos_is_im_end(model, tokenizer):
    im_end = tokenizer.convert_tokens_to_ids(IM_END)
    assert tokenizer.eos_token == IM_END
    assert model.config.eos_token_id == im_end
    assert im_end in model.generation_config.eos_token_id
    assert tokenizer.pad_token == "<|endoftext|>"


def test_think_tags_are_single_tokens_kept_when_decoding(tokenizer):
    ids = tokenizer("<think>\n头痛\n</think>\n\n休息", add_special_tokens=False)["input_ids"]
    tokens = tokenizer.convert_ids_to_tokens(ids)
    assert tokens[0] == "<think>" and "</think>" in tokens
    assert tokenizer.decode(ids, skip_special_tokens=True).startswith("<think>")


def test_chat_template_keeps_think_inside_assistant_turn(tokenizer):
    messages = conversation("头疼怎么办？", join_think("用户描述头痛。", "注意休息，如加重请就医。"))
    text = tokenizer.apply_chat_template(messages, tokenize=False)
    assistant = text.split("<|im_start|>assistant\n", 1)[1]
    assert assistant == "<think>\n用户描述头痛。\n</think>\n\n注意休息，如加重请就医。<|im_end|>\n"
    assert text.startswith("<|im_start|>system\n你是一个医学专家")


def test_generation_prompt_and_enable_thinking(tokenizer):
    messages = conversation("What helps a tension headache?")
    prompt = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    assert prompt.endswith("<|im_start|>assistant\n")
    no_think = tokenizer.apply_chat_template(
        messages, tokenize=False, add_generation_prompt=True, enable_thinking=False
    )
    assert no_think.endswith("<|im_start|>assistant\n<think>\n\n</think>\n\n")


def test_trl_recognizes_the_qwen3_template(tokenizer):
    """TRL swaps Qwen3's template for its generation-marked training twin: proof the text is Qwen3's."""
    from trl.chat_template_utils import get_training_chat_template, qwen3_training_chat_template

    assert get_training_chat_template(tokenizer) == qwen3_training_chat_template


def test_generates(model, tokenizer):
    inputs = tokenizer.apply_chat_template(
        conversation("孩子发烧怎么办？"), add_generation_prompt=True, return_tensors="pt", return_dict=True
    )
    with torch.no_grad():
        output = model.generate(**inputs, max_new_tokens=8, do_sample=False)
    assert (
        output.shape[1] == inputs["input_ids"].shape[1] + 8
        or output[0, -1].item() in model.generation_config.eos_token_id
    )


def test_build_is_deterministic(tmp_path):
    spec = TinyQwen3Spec(num_hidden_layers=1)
    first, second = build_tiny_qwen3(tmp_path / "a", spec), build_tiny_qwen3(tmp_path / "b", spec)
    for name in ("model.safetensors", "tokenizer.json", "config.json"):
        digest = [hashlib.sha256((d / name).read_bytes()).hexdigest() for d in (first, second)]
        assert digest[0] == digest[1], name


@pytest.mark.parametrize("recipe", ["full", "lora", "qlora"])
def test_tiny_recipes_max_length_keeps_every_bundled_answer(tokenizer, recipe):
    """The quickstart trains the tiny recipes on the bundled sample: no row may lose its answer's end."""
    import json

    import yaml

    from medqa.formatting import row_to_messages
    from medqa.resources import SAMPLE_CORPUS, resource_path
    from medqa.schema import SYSTEM_PROMPT

    recipe_file = Path(__file__).resolve().parent.parent / "recipes" / "tiny" / "sft" / f"{recipe}.yaml"
    max_length = yaml.safe_load(recipe_file.read_text(encoding="utf-8"))["max_length"]
    with open(resource_path(SAMPLE_CORPUS), encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    lengths = []
    for raw in rows:
        output = join_think(raw["think"], raw["answer"])
        row = {"instruction": SYSTEM_PROMPT, "input": raw["question"], "output": output}
        ids = tokenizer.apply_chat_template(row_to_messages(row))["input_ids"]
        assert tokenizer.decode(ids).endswith(f"{raw['answer']}{IM_END}\n")
        lengths.append(len(ids))
    assert len(rows) > 200 and max(lengths) <= max_length, (recipe_file, max(lengths), max_length)
