"""Every card medqa writes passes huggingface_hub's metadata parsing and our Hub-id checks, offline:
model cards (training, export) through ModelCardData/EvalResult, the dataset card, both Space cards."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from huggingface_hub import ModelCard
from huggingface_hub.repocard_data import model_index_to_eval_results

from medqa import metric_space, space
from medqa.bench import load_bench_summary
from medqa.hub import check_card
from medqa.model_card import hub_base_model, render_model_card

REPO_ROOT = Path(__file__).resolve().parent.parent
RESULTS = {
    "eval_loss": 1.25,
    "train_loss": 1.5,
    "safety/validation_think_coverage": 0.75,
    "safety/red_team_emergency_signal_coverage": 0.5,
    "safety/red_team_risky_prescription_rate": 0.125,
    "safety/validation_stop_rate": 1.0,
}
BENCH = {
    "model": "runs/sft-lora",
    "base_model": "Qwen/Qwen3-1.7B",
    "mode": "loglikelihood",
    "tasks": {
        "cmmlu_clinical_knowledge": {
            "metric": "acc",
            "value": 0.41,
            "stderr": 0.03,
            "n": 237,
            "dataset": "haonan-li/cmmlu",
            "dataset_name": "CMMLU clinical knowledge",
            "suite": "lm-evaluation-harness",
        },
        "medqa_4options": {
            "metric": "acc_norm",
            "value": 0.33,
            "stderr": 0.01,
            "n": 1273,
            "dataset": "GBaker/MedQA-USMLE-4-options-hf",
            "dataset_name": "MedQA (USMLE, 4 options)",
            "suite": "lm-evaluation-harness",
        },
    },
    "comparison": None,
}


@pytest.fixture(autouse=True)
def recipe_dir(tmp_path, monkeypatch):
    """Where a recipe runs: its dataset_name `data/processed` is a local folder there."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data" / "processed").mkdir(parents=True)


def card(**overrides) -> str:
    fields = dict(
        model_name="medqa-lora",
        base_model="Qwen/Qwen3-1.7B",
        dataset="data/processed",
        method="lora",
        hyperparameters={"learning_rate": 2e-4, "lora_r": 16},
        results=RESULTS,
    )
    return render_model_card(**(fields | overrides))


def front(text: str) -> dict:
    return yaml.safe_load(text.split("---\n", 2)[1])


def test_model_card_metadata_is_valid_with_safety_and_bench_results(tmp_path):
    summary = tmp_path / "bench_summary.json"
    summary.write_text(json.dumps(BENCH))
    text = card(dataset="someone/medqa-data", bench_summary=summary)
    check_card(text, "model")
    meta = front(text)
    assert meta["base_model"] == "Qwen/Qwen3-1.7B" and meta["datasets"] == ["someone/medqa-data"]
    name, results = model_index_to_eval_results(meta["model-index"])
    assert name == "medqa-lora"
    by_metric = {(r.dataset_split or r.task_name, r.metric_type): r.metric_value for r in results}
    assert by_metric[("validation", "think_coverage")] == 0.75
    assert by_metric[("red_team", "risky_prescription_rate")] == 0.125
    assert by_metric[("medqa_4options", "acc_norm")] == 0.33
    assert {r.dataset_type for r in results if r.task_name == "medqa_4options"} == {
        "GBaker/MedQA-USMLE-4-options-hf"
    }
    assert len(results) == 6  # 4 safety probes + 2 benchmark tasks; loss is no model-index metric
    body = ModelCard(text).text
    assert "Not a medical device" in body and "## Framework versions" in body and "- transformers " in body
    assert "medqa_4options (acc_norm)" in body


def test_local_dataset_and_local_base_never_enter_the_metadata(tiny_model_dir):
    text = card(base_model=str(tiny_model_dir), dataset="data/processed", method="full")
    check_card(text, "model")
    meta = front(text)
    assert "base_model" not in meta and "datasets" not in meta
    assert str(tiny_model_dir) not in text.split("---\n", 2)[1]
    assert model_index_to_eval_results(meta["model-index"])[1][0].dataset_type == "local"


def test_base_model_traced_from_a_local_copy_of_a_hub_model(tmp_path):
    snapshot = tmp_path / "hub" / "models--Qwen--Qwen3-1.7B" / "snapshots" / "0123abcd"
    snapshot.mkdir(parents=True)
    (snapshot / "config.json").write_text("{}")
    assert hub_base_model(str(snapshot)) == "Qwen/Qwen3-1.7B"
    copy = tmp_path / "qwen-copy"
    copy.mkdir()
    (copy / "config.json").write_text(json.dumps({"_name_or_path": "Qwen/Qwen3-0.6B"}))
    assert hub_base_model(str(copy)) == "Qwen/Qwen3-0.6B"
    (copy / "config.json").write_text(json.dumps({"_name_or_path": str(tmp_path / "elsewhere")}))
    assert hub_base_model(str(copy)) is None
    assert hub_base_model("Qwen/Qwen3-1.7B") == "Qwen/Qwen3-1.7B"
    assert hub_base_model("./runs/model") is None and hub_base_model(None) is None
    text = card(base_model=str(snapshot))
    check_card(text, "model")
    assert front(text)["base_model"] == "Qwen/Qwen3-1.7B"


def test_check_card_refuses_what_the_hub_would_reject(tmp_path):
    good = card()
    local = tmp_path / "base"
    local.mkdir()
    bad_base = good.replace("base_model: Qwen/Qwen3-1.7B", f"base_model: {local}")
    with pytest.raises(ValueError, match="base_model .* is not a Hub repo id"):
        check_card(bad_base, "model")
    with pytest.raises(ValueError, match="datasets 'data/processed' is not a Hub repo id"):
        check_card(good.replace("license:", "datasets:\n- data/processed\nlicense:"), "model")
    with pytest.raises(ValueError, match="invalid card metadata"):
        check_card(good.replace("  - task:", "  - tusk:", 1), "model")
    with pytest.raises(ValueError, match="language"):
        check_card(good.replace("- zh\n", "- Chinese\n"), "model")


def test_bench_summary_reader_names_the_bad_field(tmp_path):
    path = tmp_path / "bench_summary.json"
    broken = json.loads(json.dumps(BENCH))
    broken["tasks"]["medqa_4options"]["value"] = "high"
    path.write_text(json.dumps(broken))
    with pytest.raises(ValueError, match=r"tasks\.medqa_4options\.value"):
        load_bench_summary(path)
    path.write_text("{not json")
    with pytest.raises(ValueError, match="bench_summary.json"):
        load_bench_summary(path)


def test_dataset_card_of_a_prepared_folder_is_valid(tmp_path):
    from medqa.data.prepare import prepare

    prepare("sample", out=tmp_path / "processed", progress=False)
    check_card((tmp_path / "processed" / "README.md").read_text(encoding="utf-8"), "dataset")


def test_space_cards_are_valid(tmp_path):
    check_card((space.stage_space(tmp_path / "space") / "README.md").read_text(encoding="utf-8"), "space")
    staged = metric_space.stage_metric(tmp_path / "medical_safety", "someone/medical_safety")
    text = (staged / "README.md").read_text(encoding="utf-8")
    check_card(text, "space")
    meta = front(text)
    assert meta["license"] and "evaluate" in meta["tags"] and meta["sdk"] == "gradio"
    assert (staged / meta["app_file"]).is_file()


def test_a_grpo_card_names_its_trainer_and_rewards():
    rewards = {"format": 1.0, "emergency_referral": 1.0, "reference_overlap": 0.5}
    text = card(stage="grpo", rewards=rewards, method="full")
    assert "TRL `GRPOTrainer`" in text and "SFTTrainer" not in text
    assert "The loss covers only the assistant turn" not in text and "`grpo` split" in text
    for line in ("| `format` | 1 |", "| `emergency_referral` | 1 |", "| `reference_overlap` | 0.5 |"):
        assert line in text
    assert {"grpo", "sft", "trl"} <= set(front(text)["tags"])
    assert front(text)["medqa_rewards"] == rewards  # what `medqa export` reads back for a merged card
    sft = card()
    assert "TRL `SFTTrainer`" in sft and "GRPOTrainer" not in sft and "## Rewards" not in sft
    assert "grpo" not in front(sft)["tags"]
    with pytest.raises(ValueError, match="stage must be one of sft, grpo"):
        card(stage="dpo")
