"""The prepared folder reads the same through every door (`load_from_disk`, `load_dataset` of the folder,
`load_dataset` of what `medqa prepare --push-to-hub` uploads), and stock TRL trains on it."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from sft_data import TINY_RECIPES, free_port, tiny_sft_model

from medqa.data import prepare

REPO_ROOT = Path(__file__).resolve().parent.parent
RECIPES = sorted((REPO_ROOT / "recipes").glob("*/sft/*.yaml"))
MEDQA_ONLY = "# medqa-only"


@pytest.fixture(scope="module")
def prepared(tmp_path_factory) -> Path:
    return prepare("sample", out=tmp_path_factory.mktemp("interop") / "processed", progress=False).out


def load_every_config(folder: Path, cache: Path) -> dict:
    """{split: Dataset} over every config the folder's card declares (`default`, `red_team`, `grpo`)."""
    from datasets import get_dataset_config_names, load_dataset

    configs = get_dataset_config_names(str(folder))
    assert set(configs) == {"default", "red_team", "grpo"}, configs
    splits = {}
    for config in configs:
        for name, split in load_dataset(str(folder), config, cache_dir=str(cache)).items():
            assert name not in splits, f"split {name} in two configs"
            splits[name] = split
    return splits


def assert_same_as_disk(splits: dict, prepared: Path) -> None:
    from datasets import load_from_disk

    on_disk = load_from_disk(str(prepared))
    assert set(splits) == set(on_disk) == {"train", "dev", "test", "gold", "red_team", "grpo"}
    for name, split in splits.items():
        assert "messages" in split.column_names, name
        assert split.features == on_disk[name].features, name
        assert split.features.arrow_schema == on_disk[name].features.arrow_schema, name
        assert split.to_list() == on_disk[name].to_list(), name


def test_load_dataset_of_the_folder_matches_load_from_disk(prepared, tmp_path):
    assert_same_as_disk(load_every_config(prepared, tmp_path / "cache"), prepared)
    # The default config is what `load_dataset(folder)` (and so `trl sft`) reads: train/dev/test/gold.
    from datasets import load_dataset

    default = load_dataset(str(prepared), cache_dir=str(tmp_path / "cache"))
    assert set(default) == {"train", "dev", "test", "gold"}


def test_the_pushed_dataset_matches_load_from_disk(prepared, tmp_path, monkeypatch):
    import datasets

    from medqa.data.prepare import publish

    monkeypatch.setattr(datasets.config, "HF_DATASETS_CACHE", tmp_path / "recipe-cache")

    folder = tmp_path / "processed"
    shutil.copytree(prepared, folder)
    staged = publish(folder, "someone/medqa-data", dry_run=True).staged_at
    assert_same_as_disk(load_every_config(staged, tmp_path / "cache"), prepared)
    # The recipe's loader reads a pushed copy (here the staged folder, as a Hub snapshot) with every split.
    from medqa.training import load_processed

    assert_same_as_disk(dict(load_processed(str(staged))), prepared)


def stock_trl_fields() -> set[str]:
    """Every field the `trl sft` command parses."""
    from trl import DatasetMixtureConfig, ModelConfig, ScriptArguments, SFTConfig

    return {
        f.name
        for c in (ScriptArguments, SFTConfig, ModelConfig, DatasetMixtureConfig)
        for f in dataclasses.fields(c)
    }


@pytest.mark.parametrize("recipe", RECIPES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_medqa_only_fields_are_marked_in_every_recipe(recipe):
    """A field stock TRL does not know carries `# medqa-only` on its line, and only those do."""
    text = recipe.read_text(encoding="utf-8")
    marked = {m.group(1) for m in re.finditer(rf"^(\w+):.*{MEDQA_ONLY}", text, re.MULTILINE)}
    assert marked == set(yaml.safe_load(text)) - stock_trl_fields(), recipe


def stock_recipe(recipe: Path, out: Path) -> Path:
    """`recipe` with its medqa-only lines removed."""
    kept = [line for line in recipe.read_text(encoding="utf-8").splitlines() if MEDQA_ONLY not in line]
    out.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return out


@pytest.mark.slow
def test_stock_trl_sft_trains_on_the_prepared_folder(prepared, tmp_path):
    trl = Path(sys.executable).with_name("trl")
    assert trl.exists(), f"the trl console script is missing beside {sys.executable}"
    model = tiny_sft_model(tmp_path)
    config = stock_recipe(TINY_RECIPES / "full.yaml", tmp_path / "stock.yaml")
    out = tmp_path / "out"
    command = [str(trl), "sft", "--config", str(config), "--model_name_or_path", str(model)]
    command += ["--dataset_name", str(prepared), "--output_dir", str(out), "--use_cpu", "true"]
    command += ["--max_steps", "3", "--logging_steps", "1", "--eval_strategy", "steps", "--eval_steps", "3"]
    command += ["--save_strategy", "steps", "--save_steps", "3", "--max_length", "256", "--report_to", "none"]
    env = os.environ | {
        "HF_DATASETS_CACHE": str(tmp_path / "cache"),
        "MASTER_PORT": str(free_port()),
        "TOKENIZERS_PARALLELISM": "false",
    }
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{' '.join(command)}\n{result.stdout[-3000:]}\n{result.stderr[-6000:]}"
    assert (out / "model.safetensors").is_file()
    state = json.loads((out / "checkpoint-3" / "trainer_state.json").read_text(encoding="utf-8"))
    assert state["global_step"] == 3
    assert any("eval_loss" in entry for entry in state["log_history"])  # the dev split was read too
