"""Loading every kind of model the recipe produces (full, adapter, merged, 4-bit) and generating with it."""

from __future__ import annotations

import json
import shutil
import threading

import pytest

from medqa import cli
from medqa.formatting import conversation
from medqa.hub import check_card
from medqa.inference import generate_batch, settings_for, stream_chat
from medqa.model_card import render_model_card
from medqa.modeling import ModelLoadError, ModelSpec, load_model

QUESTIONS = ("我最近总是头痛，需要注意什么？", "发烧三天了还咳嗽，要去医院吗？", "高血压能吃布洛芬吗？")
GREEDY = settings_for("greedy", max_new_tokens=16)


def greedy_texts(spec: ModelSpec) -> list[str]:
    loaded = load_model(spec)
    return [g.text for g in generate_batch(loaded, [conversation(q) for q in QUESTIONS], GREEDY)]


@pytest.fixture(scope="module")
def adapter_dir(tiny_model_dir, tmp_path_factory):
    """A LoRA adapter on the tiny model with random (non-zero) weights, so it changes the outputs."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    torch.manual_seed(1)
    model = AutoModelForCausalLM.from_pretrained(tiny_model_dir)
    config = LoraConfig(
        r=8, lora_alpha=16, target_modules=["q_proj", "v_proj", "down_proj"], init_lora_weights=False
    )
    out = tmp_path_factory.mktemp("adapter")
    get_peft_model(model, config).save_pretrained(out)
    return out


@pytest.fixture(scope="module")
def base_texts(tiny_model_dir):
    return greedy_texts(ModelSpec(str(tiny_model_dir)))


@pytest.fixture(scope="module")
def adapter_texts(adapter_dir):
    return greedy_texts(ModelSpec(str(adapter_dir)))


def test_full_model_loads_ready_for_batched_generation(tiny_model_dir):
    import torch

    loaded = load_model(ModelSpec(str(tiny_model_dir)))
    assert not loaded.model.training and not loaded.is_adapter
    assert loaded.tokenizer.padding_side == "left"
    assert loaded.model.dtype == torch.float32 and loaded.device.type == "cpu"
    generations = generate_batch(loaded, [conversation(q) for q in QUESTIONS], GREEDY)
    for generation in generations:
        assert generation.finish_reason in ("stop", "length") and generation.prompt_tokens > 10
        assert 0 < generation.completion_tokens <= GREEDY.max_new_tokens


def test_adapter_finds_its_base_and_changes_the_outputs(
    adapter_dir, tiny_model_dir, base_texts, adapter_texts
):
    loaded = load_model(ModelSpec(str(adapter_dir)))
    assert loaded.is_adapter and loaded.base == str(tiny_model_dir)
    assert adapter_texts != base_texts


def test_adapter_with_lost_base_fails_clearly_and_base_overrides(
    adapter_dir, tiny_model_dir, adapter_texts, tmp_path
):
    moved = tmp_path / "adapter"
    moved.mkdir()
    for path in adapter_dir.iterdir():
        (moved / path.name).write_bytes(path.read_bytes())
    config = json.loads((moved / "adapter_config.json").read_text())
    config["base_model_name_or_path"] = str(tmp_path / "deleted-base")
    (moved / "adapter_config.json").write_text(json.dumps(config))
    with pytest.raises(ModelLoadError, match="base model of adapter .* cannot be found.*--base"):
        load_model(ModelSpec(str(moved)))
    assert greedy_texts(ModelSpec(str(moved), base=str(tiny_model_dir))) == greedy_texts(
        ModelSpec(str(adapter_dir))
    )


def test_missing_model_path_fails_clearly(tmp_path):
    with pytest.raises(ModelLoadError, match="model path not found"):
        load_model(ModelSpec(str(tmp_path / "no-such-model")))
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelLoadError, match="neither a model"):
        load_model(ModelSpec(str(tmp_path / "empty")))


def test_export_merges_into_a_plain_model_with_identical_greedy_outputs(
    adapter_dir, adapter_texts, tmp_path, capsys
):
    out = tmp_path / "merged"
    summary = tmp_path / "bench_summary.json"
    task = {"metric": "acc", "value": 0.25, "stderr": 0.08, "n": 32}
    task |= {"dataset": "haonan-li/cmmlu", "dataset_name": "CMMLU clinical"}
    bench = {"model": str(adapter_dir), "mode": "loglikelihood", "tasks": {"cmmlu_clinical": task}}
    summary.write_text(json.dumps(bench))
    argv = ["export", "--adapter", str(adapter_dir), "--out", str(out)]  # merging is the default
    assert (
        cli.main([*argv, "--bench_summary", str(summary), "--push_to_hub", "someone/tiny-medqa", "--dry-run"])
        == 0
    )
    assert "[dry-run] would push" in capsys.readouterr().out
    assert {"model.safetensors", "tokenizer.json", "generation_config.json", "README.md"} <= {
        p.name for p in out.iterdir()
    }
    assert not (out / "adapter_config.json").exists()
    assert "merged" in (out / "README.md").read_text(encoding="utf-8")
    card = (out / "README.md").read_text(encoding="utf-8")
    check_card(card, "model")
    assert "dataset:\n      name: CMMLU clinical\n      type: haonan-li/cmmlu" in card  # the bench task
    assert f"base_model: {tmp_path}" not in card and "base_model:" not in card  # a local tiny base
    assert greedy_texts(ModelSpec(str(out))) == adapter_texts  # and it loads as a plain model
    assert cli.main([*argv, "--merge"]) == 1  # `--merge` is still accepted; never overwrites silently
    assert "already exists" in capsys.readouterr().err


def test_a_merged_grpo_adapter_keeps_its_card_rewards_table(adapter_dir, tmp_path):
    """The GRPO adapter's card states its rewards and weights; the merged model's card must state them too."""
    adapter = tmp_path / "grpo-adapter"
    shutil.copytree(adapter_dir, adapter)
    rewards = {"format": 1.0, "emergency_referral": 1.0, "repetition": 0.5}
    trained = render_model_card(
        "grpo-adapter", None, None, "lora", {"learning_rate": 2e-5}, stage="grpo", rewards=rewards
    )
    (adapter / "README.md").write_text(trained, encoding="utf-8")
    out = tmp_path / "merged"
    assert cli.main(["export", "--adapter", str(adapter), "--out", str(out)]) == 0
    card = (out / "README.md").read_text(encoding="utf-8")
    check_card(card, "model")
    assert "TRL `GRPOTrainer`" in card and "## Rewards" in card
    for line in ("| `format` | 1 |", "| `emergency_referral` | 1 |", "| `repetition` | 0.5 |"):
        assert line in card
    assert "| `length` |" not in card  # only the rewards it was trained on


def test_4bit_loading_generates(tiny_model_dir, adapter_dir):
    import bitsandbytes as bnb

    for model in (tiny_model_dir, adapter_dir):
        loaded = load_model(ModelSpec(str(model), load_in_4bit=True))
        assert any(isinstance(module, bnb.nn.Linear4bit) for module in loaded.model.modules())
        generation = generate_batch(loaded, [conversation(QUESTIONS[0])], GREEDY)[0]
        assert generation.completion_tokens > 0 and generation.text


def test_stream_chat_yields_the_generated_text_and_honours_stop(tiny_model_dir):
    loaded = load_model(ModelSpec(str(tiny_model_dir)))
    messages = conversation(QUESTIONS[0])
    pieces = list(stream_chat(loaded, messages, GREEDY))
    assert pieces and all(b.startswith(a) for a, b in zip(pieces, pieces[1:], strict=False))
    assert pieces[-1] == generate_batch(loaded, [messages], GREEDY)[0].text

    stop = threading.Event()
    seen = 0
    for _ in stream_chat(loaded, messages, settings_for("greedy", max_new_tokens=500), stop_event=stop):
        seen += 1
        stop.set()
    assert seen < 10
