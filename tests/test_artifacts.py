"""Saved artifacts as other tools meet them: adapters and merged models in the model's dtype, readable
permissions, untrained (all-zero) LoRA refused, and a tokenizer that transformers 4.57 loads with the
same ids as 5.x."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from safetensors import safe_open
from sft_data import processed_dataset, tiny_sft_model
from transformers import AutoModelForCausalLM, AutoTokenizer
from trl import ModelConfig, SFTConfig

from medqa import cli
from medqa.training import SFTScriptArguments, build_trainer

TRANSFORMERS_4 = "transformers==4.57.*"


def saved_dtypes(folder: Path) -> set[torch.dtype]:
    dtypes = set()
    for path in folder.glob("*.safetensors"):
        with safe_open(str(path), framework="pt") as handle:
            names = handle.keys()
            dtypes |= {handle.get_tensor(name).dtype for name in names}
    return dtypes


def expected_mode(is_dir: bool) -> int:
    umask = os.umask(0)
    os.umask(umask)
    return (0o777 if is_dir else 0o666) & ~umask


def assert_umask_permissions(folder: Path) -> None:
    for path in [folder, *folder.iterdir()]:
        assert path.stat().st_mode & 0o777 == expected_mode(path.is_dir()), path


@pytest.fixture(scope="module")
def bf16_model(tmp_path_factory) -> Path:
    """The tiny SFT model saved in bfloat16, as Qwen3 checkpoints are."""
    source = tiny_sft_model(tmp_path_factory.getbasetemp())
    out = tmp_path_factory.mktemp("tiny-bf16")
    AutoModelForCausalLM.from_pretrained(source, dtype=torch.bfloat16).save_pretrained(out)
    AutoTokenizer.from_pretrained(source).save_pretrained(out)
    return out


def lora_trainer(model: Path, data: Path, out: Path, **training):
    args = SFTConfig(
        output_dir=str(out),
        report_to="none",
        use_cpu=True,
        bf16=False,
        eval_strategy="no",
        save_strategy="no",
        per_device_train_batch_size=2,
        learning_rate=1e-2,
        **training,
    )
    model_args = ModelConfig(
        model_name_or_path=str(model),
        dtype="bfloat16",
        use_peft=True,
        lora_r=4,
        lora_target_modules=["q_proj", "v_proj"],
    )
    return build_trainer(SFTScriptArguments(dataset_name=str(data)), args, model_args)


def test_adapter_is_saved_in_the_models_dtype_with_every_lora_trained(bf16_model, tmp_path, tmp_path_factory):
    data = processed_dataset(tmp_path_factory.getbasetemp())
    trainer = lora_trainer(bf16_model, data, tmp_path / "lora", max_steps=2, warmup_steps=0)
    assert any(p.dtype == torch.float32 for p in trainer.model.parameters() if p.requires_grad)  # peft's
    trainer.train()
    trainer.save_model()
    out = tmp_path / "lora"
    assert saved_dtypes(out) == {torch.bfloat16}
    with safe_open(str(out / "adapter_model.safetensors"), framework="pt") as handle:
        names = handle.keys()
        lora_b = [handle.get_tensor(name) for name in names if ".lora_B." in name]
    assert lora_b and all(weight.any() for weight in lora_b)
    assert_umask_permissions(out)
    config = json.loads((out / "tokenizer_config.json").read_text(encoding="utf-8"))
    assert config["tokenizer_class"] == "PreTrainedTokenizerFast" and "extra_special_tokens" not in config


def test_adapter_trained_only_at_warmup_lr_zero_is_refused(bf16_model, tmp_path, tmp_path_factory, caplog):
    data = processed_dataset(tmp_path_factory.getbasetemp())
    trainer = lora_trainer(bf16_model, data, tmp_path / "lora", max_steps=1, warmup_steps=0.05)
    assert "all 1 step(s) are warmup" in caplog.text  # warned at start
    trainer.train()
    with pytest.raises(RuntimeError, match=r"LoRA B matrices are zero.*all were warmup.*--warmup_steps 0"):
        trainer.save_model()


def test_export_keeps_the_base_dtype_and_refuses_an_untrained_adapter(bf16_model, tmp_path, capsys):
    from peft import LoraConfig, get_peft_model

    model = AutoModelForCausalLM.from_pretrained(bf16_model, dtype=torch.bfloat16)
    trained, untrained = tmp_path / "trained", tmp_path / "untrained"
    torch.manual_seed(0)
    get_peft_model(
        model, LoraConfig(r=4, target_modules=["q_proj"], init_lora_weights=False)
    ).save_pretrained(trained)
    model = AutoModelForCausalLM.from_pretrained(bf16_model, dtype=torch.bfloat16)
    get_peft_model(model, LoraConfig(r=4, target_modules=["q_proj"])).save_pretrained(untrained)

    merged = tmp_path / "merged"
    assert cli.main(["export", "--adapter", str(trained), "--merge", "--out", str(merged)]) == 0
    assert saved_dtypes(merged) == {torch.bfloat16}  # merged on CPU in float32, saved as the base is
    assert_umask_permissions(merged)
    as_float = tmp_path / "float32"
    argv = ["export", "--adapter", str(trained), "--merge", "--out", str(as_float), "--dtype", "float32"]
    assert cli.main(argv) == 0 and saved_dtypes(as_float) == {torch.float32}

    assert cli.main(["export", "--adapter", str(untrained), "--merge", "--out", str(tmp_path / "x")]) == 1
    assert "LoRA B matrices are zero" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


V4_PROBE = """
import json, sys
from transformers import AutoTokenizer, __version__
messages = json.loads(sys.argv[2])
tokenizer = AutoTokenizer.from_pretrained(sys.argv[1])
text = tokenizer.apply_chat_template(messages, tokenize=False)
prompt = tokenizer.apply_chat_template(messages[:-1], tokenize=False, add_generation_prompt=True, enable_thinking=False)
ids = tokenizer(text)["input_ids"]
print(json.dumps({"version": __version__, "text": text, "prompt": prompt, "ids": ids,
                  "decoded": tokenizer.decode(ids, skip_special_tokens=True),
                  "eos": tokenizer.eos_token_id, "pad": tokenizer.pad_token_id}))
"""


@pytest.fixture(scope="session")
def transformers4_python(request, tmp_path_factory) -> Path:
    """A virtualenv with only transformers 4.57 + tokenizers + jinja2 (no torch), kept in pytest's cache
    (built once per machine; a fresh one per session under `-p no:cacheprovider`)."""
    cache = getattr(request.config, "cache", None)
    venv = (
        cache.mkdir("transformers-4.57-venv") if cache else tmp_path_factory.mktemp("transformers-4.57-venv")
    )
    python = venv / "bin" / "python"
    ready = venv / "installed.txt"
    if not ready.is_file() or ready.read_text() != TRANSFORMERS_4:
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", TRANSFORMERS_4, "tokenizers", "jinja2"],
            check=True,
            timeout=600,
        )
        ready.write_text(TRANSFORMERS_4)
    return python


@pytest.mark.slow
@pytest.mark.parametrize("which", ["tiny_model_dir", "qwen3_model_dir"])
def test_saved_tokenizer_loads_under_transformers_4_with_identical_ids(transformers4_python, request, which):
    from medqa.formatting import conversation, join_think

    folder = request.getfixturevalue(which)
    messages = conversation(
        "头疼怎么办？I have a headache 😶\u200d🌫️", join_think("先判断是否危急。", "注意休息。")
    )
    result = subprocess.run(
        [str(transformers4_python), "-c", V4_PROBE, str(folder), json.dumps(messages, ensure_ascii=False)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "TRANSFORMERS_VERBOSITY": "error"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    v4 = json.loads(result.stdout.strip().splitlines()[-1])
    assert v4["version"].startswith("4.57.")
    tokenizer = AutoTokenizer.from_pretrained(folder)
    text = tokenizer.apply_chat_template(messages, tokenize=False)
    ids = tokenizer(text)["input_ids"]
    assert v4["text"] == text and v4["ids"] == ids
    assert v4["prompt"] == tokenizer.apply_chat_template(
        messages[:-1], tokenize=False, add_generation_prompt=True, enable_thinking=False
    )
    assert v4["decoded"] == tokenizer.decode(ids, skip_special_tokens=True)  # think tags kept in both
    assert (v4["eos"], v4["pad"]) == (tokenizer.eos_token_id, tokenizer.pad_token_id)
