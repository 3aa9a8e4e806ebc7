"""`medqa bench` over lm-evaluation-harness, offline: the project's sample task folder on the tiny model in
both modes, a paired comparison of two tiny models, answer extraction, suites against the installed
registry, and the errors a user meets first."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from predictions import prediction_row, write_predictions

from medqa import bench
from medqa.bench import (
    BUDGET_CLOSE,
    BenchConfig,
    BenchError,
    extract_choice,
    load_bench_summary,
    score_generation,
)
from medqa.cli import main as cli_main

REPO_ROOT = Path(__file__).resolve().parent.parent
SUITES = ("medical_en", "medical_zh", "general")


@pytest.fixture
def at_repo_root(monkeypatch):
    """The sample tasks name their data files relative to the repo root, lm-eval's convention (cwd)."""
    monkeypatch.chdir(REPO_ROOT)


def _config(tmp_path, model, **overrides) -> BenchConfig:
    values = {"model": str(model), "tasks": "medqa_sample", "out": str(tmp_path / "bench"), "batch_size": "8"}
    return BenchConfig(**(values | overrides))


def _samples(out: Path, role: str, task: str) -> list[dict]:
    lines = (out / role / f"samples_{task}.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


# ------------------------------------------------------------------------------------- answers


@pytest.mark.parametrize(
    ("answer", "n_choices", "expected"),
    [
        ("答案：B", 4, "B"),
        ("经过分析，答案是（C）。", 4, "C"),
        ("答案为 D", 4, "D"),
        ("The answer is (B).", 4, "B"),
        ("Answer: A", 4, "A"),
        ("I first thought the answer is A, but the answer is (D)", 4, "D"),
        ("B", 4, "B"),
        ("(C)", 4, "C"),
        ("B. Pancreas", 4, "B"),
        ("Ｃ", 4, "C"),  # full-width letter
        ("答案：E", 4, None),  # beyond the options
        ("A patient with these signs needs care.", 4, None),  # the article "A" is not an answer
        ("I am not sure.", 4, None),
        ("", 4, None),
    ],
)
def test_extract_choice_reads_zh_en_and_bare_letters(answer, n_choices, expected):
    assert extract_choice(answer, n_choices) == expected


def test_score_generation_counts_budget_and_malformed_thinks_apart_from_wrong_answers():
    closed = score_generation("<think>\nC fits\n</think>\n\n答案：C", 4, "C")
    assert closed == {
        "acc": 1.0,
        "think_ok": 1.0,
        "think_budget": 0.0,
        "think_malformed": 0.0,
        "answer_missing": 0.0,
    }
    forced = score_generation("<think>\nstill going" + BUDGET_CLOSE + "The answer is (A)", 4, "C")
    assert forced["think_budget"] == 1.0 and forced["think_ok"] == 0.0 and forced["acc"] == 0.0
    assert forced["answer_missing"] == 0.0  # wrong, not missing
    prefilled = "<think>\n\n</think>\n\n答案：B"  # what Qwen3's template pre-fills with thinking off
    assert score_generation(prefilled, 4, "B", thinking=False)["think_ok"] == 1.0
    assert score_generation(prefilled, 4, "B", thinking=True)["think_malformed"] == 1.0
    assert bench.prefill_of("<|im_start|>assistant\n<think>\n\n</think>\n\n") == "<think>\n\n</think>\n\n"
    assert bench.prefill_of("[INST] question [/INST]") == ""  # another template: nothing pre-filled
    no_open = score_generation("B is right", 4, "B")
    assert no_open["think_malformed"] == 1.0 and no_open["acc"] == 0.0 and no_open["answer_missing"] == 1.0


# ------------------------------------------------------------------------------------ registry


def test_suites_resolve_in_the_installed_registry_offline():
    """Every task a suite names is a multiple-choice task of the installed lm-eval (index only: no data)."""
    manager = bench._task_manager((bench.SUITES_DIR,))
    for suite in SUITES:
        entry = manager.task_index[suite]
        assert entry.kind.name == "GROUP", suite
        for name in entry.cfg["task"]:
            assert name in manager.task_index, f"{suite}: {name} is not in lm-eval's registry"
            assert manager.task_index[name].cfg.get("output_type") == "multiple_choice", name
    sample = manager.task_index["medqa_sample"].cfg["task"]
    assert sample == ["medqa_sample_en", "medqa_sample_zh"]


# --------------------------------------------------------------------------------- end to end


def test_loglikelihood_on_the_sample_folder_writes_results_samples_and_summary(
    tiny_model_dir, tmp_path, at_repo_root, capsys, monkeypatch
):
    config = _config(tmp_path, tiny_model_dir)
    summary = bench.bench(config)
    progress = capsys.readouterr()
    assert "[1/1] model" in progress.out and "32 items in" in progress.out
    assert "Running loglikelihood requests" in progress.err  # lm-eval's own progress bar
    out = Path(config.out)
    results = json.loads((out / "model" / "results.json").read_text(encoding="utf-8"))
    assert set(summary["tasks"]) == {"medqa_sample_en", "medqa_sample_zh"}
    for task, row in summary["tasks"].items():
        items = _samples(out, "model", task)
        assert row["n"] == len(items) == 16
        assert row["value"] == pytest.approx(sum(item["acc"] for item in items) / 16)
        assert row["value"] == pytest.approx(results["results"][task]["acc,none"])
        assert row["stderr"] == pytest.approx(results["results"][task]["acc_stderr,none"])
        assert row["suite"] == "medqa_sample" and row["dataset"] == "json"
        assert len(items[0]["arguments"]) == 4  # one log-likelihood request per choice
    suite = summary["suites"]["medqa_sample"]
    assert suite["n"] == 32 and suite["value"] == pytest.approx(results["groups"]["medqa_sample"]["acc,none"])
    assert suite["stderr"] == pytest.approx(results["groups"]["medqa_sample"]["acc_stderr,none"])
    assert load_bench_summary(out)["tasks"] == summary["tasks"]
    assert summary["comparison"] is None and summary["base_model"] is None
    markdown = (out / "bench.md").read_text(encoding="utf-8")
    assert "| medqa_sample_zh | medqa_sample | 16 |" in markdown and "±" in markdown
    # A rerun answers every request from lm-eval's request cache: the model is never asked again.
    from lm_eval.models.huggingface import HFLM

    def never(*args, **kwargs):
        raise AssertionError("a cached request reached the model")

    monkeypatch.setattr(HFLM, "_loglikelihood_tokens", never)
    assert bench.bench(config)["tasks"] == summary["tasks"]


def test_generate_mode_on_the_tiny_model_counts_every_think_outcome(tiny_model_dir, tmp_path, at_repo_root):
    config = _config(tmp_path, tiny_model_dir, mode="generate", limit=4, thinking_budget=8, answer_tokens=4)
    summary = bench.bench(config)
    out = Path(config.out)
    for task, row in summary["tasks"].items():
        items = _samples(out, "model", task)
        assert row["n"] == len(items) == 4
        forced = sum(BUDGET_CLOSE in item["resps"][0][0] for item in items)
        assert row["think_counts"]["think_budget"] == forced
        assert row["think_counts"]["answer_missing"] == sum(item["answer_missing"] for item in items)
        prompt, gen_kwargs = items[0]["arguments"][0]
        assert prompt.startswith("<|im_start|>user\n") and prompt.endswith("<|im_start|>assistant\n")
        assert gen_kwargs["max_gen_toks"] == 8 and gen_kwargs["do_sample"] is False
        instruction = "答案：X" if task.endswith("_zh") else '"The answer is (X)"'
        assert instruction in prompt and "Answer:" not in prompt and not prompt.count("答案：\n")
        assert items[0]["target"] in "ABCD"
    assert "budget hit" in (out / "bench.md").read_text(encoding="utf-8")


def _outside_folder(root: Path) -> Path:
    """A task folder in another style: choice texts from a list field, an index or a string target."""
    root.mkdir()
    exam = [
        {
            "stem": "The antidote for paracetamol overdose is:",
            "options": ["Naloxone", "N-acetylcysteine", "Atropine"],
            "label": 1,
        },
        {
            "stem": "Koilonychia is associated with:",
            "options": ["Iron deficiency", "Gout", "Psoriasis", "Asthma"],
            "label": 0,
        },
        {
            "stem": "小儿腹泻最常见的病毒病原体是：",
            "options": ["乙肝病毒", "轮状病毒", "狂犬病毒", "HIV"],
            "label": 1,
        },
    ]
    (root / "exam.json").write_text(json.dumps(exam, ensure_ascii=False), encoding="utf-8")
    verdicts = [
        ("Do antibiotics cure colds?", "no"),
        ("Is smoking a cancer risk?", "yes"),
        ("Does X help?", "maybe"),
    ]
    (root / "yesno.jsonl").write_text(
        "".join(json.dumps({"query": q, "verdict": v}) + "\n" for q, v in verdicts), encoding="utf-8"
    )
    (root / "exam.yaml").write_text(
        textwrap.dedent(f"""\
            task: outside_exam
            dataset_path: json
            dataset_kwargs:
              data_files: {root / "exam.json"}
            test_split: train
            output_type: multiple_choice
            doc_to_text: "{{{{stem}}}}"
            doc_to_choice: "{{{{options}}}}"
            doc_to_target: label
            """),
        encoding="utf-8",
    )
    (root / "yesno.yaml").write_text(
        textwrap.dedent(f"""\
            task: outside_yesno
            dataset_path: json
            dataset_kwargs:
              data_files:
                validation: {root / "yesno.jsonl"}
            validation_split: validation
            output_type: multiple_choice
            doc_to_text: "Q: {{{{query}}}}\\nA:"
            doc_to_choice: ["yes", "no", "maybe"]
            doc_to_target: "{{{{verdict}}}}"
            """),
        encoding="utf-8",
    )
    return root


def test_generate_mode_scores_what_lm_eval_hands_back(tiny_model_dir, tmp_path, monkeypatch):
    """A scripted backend answers in the three ways a model does; lm-eval's pipeline must score them so."""
    from lm_eval.models.huggingface import HFLM

    from medqa.modeling import ModelSpec, load_model

    def script(request) -> str:
        context, _ = request.args
        gold = (
            "ABCD"[request.doc["label"]]
            if "label" in request.doc
            else "ABC"[["yes", "no", "maybe"].index(request.doc["verdict"])]
        )
        if context.endswith(BUDGET_CLOSE):
            return f"The answer is ({gold})"  # answered after the forced close
        return {
            0: f"<think>\nreasoning\n</think>\n\n答案：{gold}",  # closed by the model, right
            1: "<think>\nstill thinking",  # open at the budget: closed for it, then right
            2: "no opening tag</think>\n\nnot sure",  # malformed, and no letter
        }[request.doc_id % 3]

    class Scripted(HFLM):
        def generate_until(self, requests, disable_tqdm=False):
            return [script(request) for request in requests]

    loaded = load_model(ModelSpec(str(tiny_model_dir)))
    backend = Scripted(
        pretrained=loaded.model, tokenizer=loaded.tokenizer, chat_template_args={"enable_thinking": True}
    )
    monkeypatch.setattr(bench, "build_backend", lambda spec, config: backend)
    folder = _outside_folder(tmp_path / "outside")
    config = _config(
        tmp_path,
        tiny_model_dir,
        tasks="outside_exam,outside_yesno",
        include_path=[str(folder)],
        mode="generate",
    )
    summary = bench.bench(config)
    for task in ("outside_exam", "outside_yesno"):
        row = summary["tasks"][task]
        assert row["n"] == 3 and row["suite"] is None
        assert row["value"] == pytest.approx(2 / 3)  # the closed and the budget-closed items are right
        assert row["think_counts"] == {
            "think_ok": 1,
            "think_budget": 1,
            "think_malformed": 1,
            "answer_missing": 1,
        }
    exam = _samples(Path(config.out), "model", "outside_exam")
    assert "B. N-acetylcysteine" in exam[0]["arguments"][0][0]  # choice texts lettered in the prompt
    assert "请先思考" in exam[2]["arguments"][0][0]  # the Chinese item gets the Chinese instruction
    assert exam[1]["resps"][0][0].endswith(BUDGET_CLOSE + "The answer is (A)")


def test_paired_comparison_of_two_tiny_models(tiny_model_dir, tmp_path, at_repo_root):
    """An adapter (base + LoRA through our loader) against its base, over the same items."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    torch.manual_seed(1)
    model = AutoModelForCausalLM.from_pretrained(tiny_model_dir)
    adapter = get_peft_model(
        model, LoraConfig(r=8, target_modules=["q_proj", "v_proj"], init_lora_weights=False)
    )
    adapter.save_pretrained(tmp_path / "adapter")
    config = _config(tmp_path, tmp_path / "adapter", base=str(tiny_model_dir), limit=8)
    summary = bench.bench(config)
    out = Path(config.out)
    comparison = summary["comparison"]
    assert summary["base_model"] == str(tiny_model_dir)
    for task, entry in comparison["tasks"].items():
        base = [item["acc"] for item in _samples(out, "base", task)]
        tuned = [item["acc"] for item in _samples(out, "model", task)]
        assert entry["n"] == 8
        assert entry["difference"] == pytest.approx((sum(tuned) - sum(base)) / 8)
        assert entry["ci_low"] <= entry["difference"] <= entry["ci_high"]
        assert entry["only_candidate"] == sum(1 for a, b in zip(base, tuned, strict=True) if b and not a)
        assert 0.0 <= entry["mcnemar_p"] <= 1.0
    assert comparison["suites"]["medqa_sample"]["n"] == 16
    assert (
        load_bench_summary(out / "bench_summary.json")["comparison"]["tasks"].keys()
        == comparison["tasks"].keys()
    )
    assert "Paired comparison" in (out / "bench.md").read_text(encoding="utf-8")


# ----------------------------------------------------------------------------------------- errors


def test_unknown_task_name_is_named_with_a_suggestion(tiny_model_dir, tmp_path):
    with pytest.raises(BenchError, match=r"unknown task.*'medical_enn'.*did you mean medical_en"):
        bench.bench(_config(tmp_path, tiny_model_dir, tasks="medical_enn"))


def test_missing_or_empty_include_path_and_unreadable_yaml_are_named(tiny_model_dir, tmp_path):
    with pytest.raises(BenchError, match="--include-path .*nowhere: no such directory"):
        bench.bench(_config(tmp_path, tiny_model_dir, include_path=[str(tmp_path / "nowhere")]))
    (tmp_path / "empty").mkdir()
    with pytest.raises(BenchError, match="holds no task YAML"):
        bench.bench(_config(tmp_path, tiny_model_dir, include_path=[str(tmp_path / "empty")]))
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "bad.yaml").write_text("task: [unclosed\n", encoding="utf-8")
    with pytest.raises(BenchError, match=r"cannot read:\n  .*bad\.yaml"):
        bench.bench(_config(tmp_path, tiny_model_dir, include_path=[str(broken)]))


def test_a_model_that_cannot_load_fails_with_its_name(tmp_path, at_repo_root, capsys):
    (tmp_path / "not-a-model").mkdir()
    code = cli_main(
        [
            "bench",
            "--model",
            str(tmp_path / "not-a-model"),
            "--tasks",
            "medqa_sample",
            "--out",
            str(tmp_path / "b"),
        ]
    )
    assert code == 1
    assert "not-a-model holds neither a model" in capsys.readouterr().err


def test_load_bench_summary_names_the_bad_field(tmp_path):
    with pytest.raises(BenchError, match="bench summary not found"):
        load_bench_summary(tmp_path)
    good = {
        "model": "m",
        "base_model": None,
        "mode": "generate",
        "tasks": {
            "t": {
                "metric": "acc",
                "value": 0.5,
                "stderr": 0.1,
                "n": 4,
                "dataset": "json",
                "dataset_name": None,
                "suite": None,
            }
        },
        "comparison": None,
    }
    (tmp_path / "bench_summary.json").write_text(json.dumps(good), encoding="utf-8")
    assert load_bench_summary(tmp_path)["tasks"]["t"]["value"] == 0.5
    good["tasks"]["t"]["n"] = "four"
    (tmp_path / "bench_summary.json").write_text(json.dumps(good), encoding="utf-8")
    with pytest.raises(BenchError, match=r"bench_summary\.json: tasks\.t\.n: expected int"):
        load_bench_summary(tmp_path)


def test_yaml_config_and_flags(tmp_path):
    from medqa.bench import add_arguments, config_from_args

    (tmp_path / "bench.yaml").write_text(
        "model: m\ntasks: [medical_en, general]\nthinking-budget: 512\n", encoding="utf-8"
    )
    import argparse

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    config = config_from_args(
        parser.parse_args(["--config", str(tmp_path / "bench.yaml"), "--mode", "generate"])
    )
    assert config.task_names() == ["medical_en", "general"] and config.thinking_budget == 512
    assert config.mode == "generate"
    (tmp_path / "typo.yaml").write_text("thinking_budgt: 1\n", encoding="utf-8")
    with pytest.raises(BenchError, match="unknown option.*thinking_budgt"):
        config_from_args(parser.parse_args(["--config", str(tmp_path / "typo.yaml")]))


def test_evaluate_includes_a_bench_result_in_its_report(tmp_path, capsys):
    """`medqa evaluate --bench DIR`: the bench tables land in report.md and the summary in report.json."""
    fixture = json.loads(
        (REPO_ROOT / "tests/fixtures/safety_labeled.jsonl").read_text(encoding="utf-8").splitlines()[0]
    )
    write_predictions(tmp_path / "preds.jsonl", [prediction_row(fixture)])
    summary = {
        "model": "tuned",
        "base_model": None,
        "mode": "loglikelihood",
        "tasks": {
            "medqa_sample_en": {
                "metric": "acc",
                "value": 0.25,
                "stderr": 0.11,
                "n": 16,
                "dataset": "json",
                "dataset_name": None,
                "suite": "medqa_sample",
            }
        },
        "suites": {"medqa_sample": {"metric": "acc", "value": 0.25, "stderr": 0.11, "n": 16, "tasks": 1}},
        "comparison": None,
    }
    (tmp_path / "bench").mkdir()
    (tmp_path / "bench" / "bench_summary.json").write_text(json.dumps(summary), encoding="utf-8")
    out = tmp_path / "report"
    args = ["evaluate", str(tmp_path / "preds.jsonl"), "--out", str(out), "--bench", str(tmp_path / "bench")]
    assert cli_main(args) == 0
    assert "| medqa_sample_en | medqa_sample | 16 | 25.0% ± 11.0% |" in (out / "report.md").read_text(
        encoding="utf-8"
    )
    assert json.loads((out / "report.json").read_text(encoding="utf-8"))["bench"]["tasks"].keys() == {
        "medqa_sample_en"
    }
    with pytest.raises(SystemExit, match="bench summary not found"):
        cli_main(["evaluate", str(tmp_path / "preds.jsonl"), "--out", str(out), "--bench", str(tmp_path)])


@pytest.mark.parametrize(
    "recipe", sorted((REPO_ROOT / "recipes" / "bench").glob("*.yaml")), ids=lambda p: p.name
)
def test_bench_recipes_are_valid_configs(recipe):
    config = BenchConfig(**bench.load_yaml_config(recipe))
    assert config.model and config.task_names()
    config.check()
