"""Decoding presets: one set of names for predict, the demo and the training signal; the default follows
the model's generation_config.json (Qwen3 thinking: 0.6/0.95/20); greedy warns in thinking mode; and a
tokenizer that makes the think tags special is refused at load."""

from __future__ import annotations

import json
import shutil
import warnings

import pytest
from transformers import GenerationConfig

from medqa.inference import DEFAULT_PRESET, PRESETS, settings_for
from medqa.modeling import ModelLoadError, ModelSpec, generation_config_of, load_tokenizer


def test_default_preset_is_the_models_own_sampling(tiny_model_dir):
    assert DEFAULT_PRESET == "model"
    own = generation_config_of(ModelSpec(str(tiny_model_dir)))
    resolved = PRESETS[DEFAULT_PRESET].resolved(own)
    assert (resolved.do_sample, resolved.temperature, resolved.top_p, resolved.top_k) == (True, 0.6, 0.95, 20)
    config = settings_for(DEFAULT_PRESET, max_new_tokens=7).generation_config(own)
    assert (config.temperature, config.top_p, config.top_k, config.max_new_tokens) == (0.6, 0.95, 20, 7)
    assert config.eos_token_id == own.eos_token_id  # stop tokens always come from the model

    other = GenerationConfig(do_sample=True, temperature=0.9, top_p=0.5, top_k=5)
    assert PRESETS["model"].resolved(other).temperature == 0.9  # follows whichever model it decodes


def test_seed_settings_stay_a_named_preset_and_greedy_is_neutral():
    seed = PRESETS["seed"]
    assert (seed.temperature, seed.top_p, seed.top_k, seed.repetition_penalty) == (0.7, 0.9, 50, 1.1)
    greedy = PRESETS["greedy"].generation_config(GenerationConfig(do_sample=True, temperature=0.6, top_k=20))
    assert not greedy.do_sample and (greedy.temperature, greedy.top_p, greedy.top_k) == (1.0, 1.0, 50)


def test_greedy_warns_in_thinking_mode_only():
    with pytest.warns(UserWarning, match="advises against greedy decoding"):
        settings_for("greedy", enable_thinking=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        settings_for("greedy", enable_thinking=False)
        settings_for("model", enable_thinking=True)
    with pytest.raises(ValueError, match="choose one of model, seed, greedy, conservative"):
        settings_for("default")


def test_predict_demo_and_training_signal_share_the_preset_names():
    import argparse

    from medqa.predict import PredictConfig, add_arguments
    from medqa.training import SFTScriptArguments

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    preset_action = next(a for a in parser._actions if a.dest == "preset")
    assert tuple(preset_action.choices) == tuple(PRESETS)
    assert PredictConfig().preset == DEFAULT_PRESET
    assert SFTScriptArguments(dataset_name="x").safety_preset in PRESETS


def test_demo_sliders_start_from_the_models_sampling(tiny_model_dir):
    from medqa.demo import ModelPool

    pool = ModelPool({"tiny": ModelSpec(str(tiny_model_dir))})
    assert pool.generation_config("tiny").temperature == 0.6  # read without loading the weights
    assert not pool._loaded


def test_special_think_tags_are_refused_at_load(tiny_model_dir, tmp_path):
    broken = tmp_path / "special-think"
    shutil.copytree(tiny_model_dir, broken)
    tokenizer_json = json.loads((broken / "tokenizer.json").read_text(encoding="utf-8"))
    for token in tokenizer_json["added_tokens"]:
        if token["content"] in ("<think>", "</think>"):
            token["special"] = True
    (broken / "tokenizer.json").write_text(json.dumps(tokenizer_json), encoding="utf-8")
    with pytest.raises(
        ModelLoadError, match=r"marks <think> and </think> as special tokens.*skip_special_tokens"
    ):
        load_tokenizer(str(broken))
    load_tokenizer(str(tiny_model_dir))  # Qwen3's own flags pass
