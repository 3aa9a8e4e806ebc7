"""The README's quickstart figures are generated from a run: the committed blocks are exactly what the
stored figures render to, and the figures are exactly what a run's report says."""

from __future__ import annotations

import json

import pytest
from test_evaluation_report import base_and_tuned  # noqa: F401  (fixture)

from medqa import readme_figures
from medqa.evaluation import evaluate_predictions


def test_both_readmes_hold_the_block_the_stored_figures_render_to():
    figures = readme_figures.stored_figures()
    assert readme_figures.stale_readmes(figures) == [], (
        "run `python -m medqa.readme_figures` after a quickstart"
    )
    for language, path in readme_figures.READMES.items():
        assert readme_figures.render_block(figures, language) in path.read_text(encoding="utf-8"), path


@pytest.fixture
def run_dir(base_and_tuned, tmp_path):  # noqa: F811
    """A quickstart-shaped run directory around a real evaluation of the fixture predictions."""
    run = tmp_path / "run"
    base, tuned = (tmp_path / "base-all.jsonl", tmp_path / "tuned-all.jsonl")
    for source, target in zip(base_and_tuned, (base, tuned), strict=True):
        rows = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines()]
        for row in rows:  # red-flag rows stand in for the red-team split
            row["meta"]["category"] = "emergency" if row["meta"]["red_flag"] else None
        target.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    state = tmp_path / "trainer_state.json"
    history = [{"step": s, "loss": 7.6 - s / 250, "epoch": s / 22} for s in range(5, 991, 5)]
    state.write_text(json.dumps({"log_history": history}), encoding="utf-8")
    evaluate_predictions(
        {"base": [base], "tuned": [tuned]},
        run / "report",
        bootstrap_resamples=100,
        trainer_states={"tuned": state},
    )
    steps = {"prepare": 3.2, "tiny-model": 1.0, "predict-base": 20.0, "train": 150.4, "evaluate": 2.0}
    (run / "steps.json").write_text(
        json.dumps({k: {"seconds": v} for k, v in steps.items()}), encoding="utf-8"
    )
    (run / "quickstart.json").write_text(json.dumps({"seed": 42}), encoding="utf-8")
    return run


def test_figures_are_the_reports_and_the_block_states_them(run_dir, tmp_path):
    figures = readme_figures.extract_figures(run_dir, machine="a test machine")
    report = json.loads((run_dir / "report" / "report.json").read_text(encoding="utf-8"))
    tuned = report["models"]["tuned"]
    gold = tuned["breakdowns"]["split"]["gold"]["think_coverage"]
    assert figures["think_coverage"]["tuned"]["gold"] == {k: gold[k] for k in ("rate", "k", "n")}
    assert figures["think_mcnemar_p"] == report["comparisons"][0]["metrics"]["think_coverage"]["mcnemar_p"]
    assert figures["train_loss"] == [report["training"]["tuned"]["train_loss"][0][1], 7.6 - 990 / 250]
    assert figures["seconds"] == {"total": pytest.approx(176.6), "train": 150.4}

    english = readme_figures.render_block(figures, "en")
    red_team = tuned["breakdowns"]["split"]["red_team"]["think_coverage"]
    assert f"to {gold['rate']:.0%} on the {gold['n']} gold questions" in english
    assert f"to {red_team['rate']:.0%} on the {red_team['n']} red-team prompts" in english
    assert "training loss 7.6 → 3.6 over 990 steps" in english and "the run took 2 min 57 s" in english
    chinese = readme_figures.render_block(figures, "zh")
    assert (
        f"{gold['n']} 道 gold 题" in chinese
        and "全程 2 分 57 秒" in chinese
        and "训练损失 7.6 → 3.6" in chinese
    )

    readme = tmp_path / "README.md"
    readme.write_text(
        f"intro\n{readme_figures.START}\nold figures\n{readme_figures.END}\nrest\n"
        f"{readme_figures.GRPO_START}\nold\n{readme_figures.GRPO_END}\n",
        encoding="utf-8",
    )
    readme_figures.write_readmes(figures, {"en": readme})
    grpo_pending = readme_figures.render_grpo_block(None, "en")  # no GRPO run in these figures
    assert readme.read_text(encoding="utf-8") == f"intro\n{english}\nrest\n{grpo_pending}\n"
    assert readme_figures.stale_readmes(figures, {"en": readme}) == []
    readme.write_text(readme.read_text(encoding="utf-8").replace("7.6 → 3.6", "7.6 → 3.0"), encoding="utf-8")
    assert readme_figures.stale_readmes(figures, {"en": readme}) == [readme]  # a hand edit is caught


def test_without_a_recorded_run_the_block_states_no_number():
    for language in readme_figures.READMES:
        block = readme_figures.render_block(None, language)
        assert "make readme-figures" in block and not any(ch.isdigit() for ch in block.split("\n")[1])


def test_a_run_without_a_report_is_a_clear_error(tmp_path):
    with pytest.raises(readme_figures.FiguresError, match="report.json not found"):
        readme_figures.extract_figures(tmp_path)


def test_grpo_figures_are_the_grpo_reports_and_the_block_states_them(tmp_path):
    from test_quickstart_grpo import write_run_predictions

    from medqa.quickstart import Quickstart, QuickstartConfig

    job = Quickstart(QuickstartConfig(out=str(tmp_path / "run"), grpo=True, grpo_samples=2))
    write_run_predictions(job)
    job.evaluate_grpo()
    job.grpo_model.mkdir()
    (job.grpo_model / "trainer_state.json").write_text(json.dumps({"global_step": 40}), encoding="utf-8")
    steps = {"train": {"seconds": 150.0}, "train-grpo": {"seconds": 201.3, "cpu_seconds": 150.6}}
    (job.run_dir / "steps.json").write_text(json.dumps(steps), encoding="utf-8")
    (job.run_dir / "quickstart.json").write_text(
        json.dumps({"seed": 42, "grpo_max_steps": None}), encoding="utf-8"
    )

    figures = readme_figures.extract_grpo_figures(job.run_dir, machine="a test machine")
    report = json.loads((job.grpo_report / "report.json").read_text(encoding="utf-8"))
    total = report["rewards"]["comparisons"][0]["splits"]["all"]["total"]
    assert figures["rewards"]["all"]["total"] == total and figures["grpo_steps"] == 40
    english = readme_figures.render_grpo_block(figures, "en")
    assert "the GRPO step (40 steps) took 151 s of CPU time (201 s wall)" in english
    assert "On the 3 held-out prompts" in english
    assert f"went {total['baseline']:+.3f} → {total['candidate']:+.3f}" in english
    # over all 3 prompts: gold +1, +1 and red team -1 -> +1
    assert "emergency_referral +0.333 → +1.000" in english
    chinese = readme_figures.render_grpo_block(figures, "zh")
    assert "耗 CPU 时间 151 秒" in chinese and f"配对差 {total['difference']:+.3f}" in chinese

    sampled = report["sampled_rewards"]["comparisons"]
    versus_sft, versus_control = (sampled[t]["components"] for t in ("grpo vs sft", "grpo vs random step"))
    assert figures["sampled"]["comparisons"]["grpo vs sft"]["components"] == versus_sft
    assert "recipe" not in figures["sampled"]  # a checkout's path, not a figure
    assert "(2 samples per held-out prompt at temperature 0.3, repetition penalty 1.1, at most 128 new" in english
    total, control = versus_sft["total"], versus_control["total"]
    assert f"the mean total reward went {total['baseline']:+.3f} → {total['candidate']:+.3f}" in english
    assert f"by {control['difference']:+.3f} ([{control['ci_low']:+.3f}, {control['ci_high']:+.3f}]" in english
    assert "比随机步对照（" in chinese and f"高 {control['difference']:+.3f}" in chinese

    readme = f"{readme_figures.GRPO_START}\nold figures\n{readme_figures.GRPO_END}\n"
    updated = readme_figures.readme_with_block(
        readme, english, tmp_path / "README.md", readme_figures.GRPO_BLOCK, readme_figures.GRPO_START
    )
    assert updated == english + "\n"
    (job.run_dir / "report-grpo" / "report.json").unlink()
    with pytest.raises(readme_figures.FiguresError, match="report-grpo/report.json not found"):
        readme_figures.extract_grpo_figures(job.run_dir)


def test_the_sampled_sentence_names_only_the_components_whose_interval_excludes_zero():
    def entry(baseline, candidate, low, high, p=0.01):
        return {"baseline": baseline, "candidate": candidate, "difference": candidate - baseline,
                "ci_low": low, "ci_high": high, "p_value": p, "n": 117}  # fmt: skip

    versus_sft = {
        "format": entry(0.5, 0.8, 0.2, 0.4),  # up, interval above zero
        "repetition": entry(-0.1, -0.3, -0.3, -0.1),  # down, interval below zero
        "emergency_referral": entry(0.2, 0.3, -0.1, 0.3, 0.4),  # moved, but the interval holds zero
        "reference_overlap": {**entry(0.2, 0.2, 0.0, 0.0), "ci_low": None, "ci_high": None, "n": 0},
        "total": entry(1.0, 1.3, 0.1, 0.5, 0.0001),
        "loop": entry(0.3, 0.1, -0.3, -0.1),  # a share, not a reward component
    }
    versus_control = {**versus_sft, "total": entry(0.9, 1.3, 0.2, 0.6, 0.0002)}
    sampled = {
        "samples": 8,
        "prompts": 117,
        "sampling": {"temperature": 0.3, "top_p": 1.0, "top_k": 0, "repetition_penalty": 1.1, "max_new_tokens": 128},
        "comparisons": {
            "grpo vs sft": {"reference": "sft", "components": versus_sft},
            "grpo vs random step": {"reference": "random step", "components": versus_control},
        },
    }
    english = readme_figures.render_sampled(sampled, "sft", "grpo", "en")
    moved = english.split("Components whose interval excludes zero: ")[1]
    assert moved == "format +0.500 → +0.800 [+0.200, +0.400], repetition -0.100 → -0.300 [-0.300, -0.100]."
    assert "went +1.000 → +1.300 (paired by prompt +0.300, 95% CI [+0.100, +0.500], sign-flip p = 0.0001)" in english
    assert "no learning: +0.900) by +0.400 ([+0.200, +0.600], p = 0.0002)" in english
    chinese = readme_figures.render_sampled(sampled, "sft", "grpo", "zh")
    assert chinese.endswith("置信区间不含 0 的分项：format +0.500 → +0.800 [+0.200, +0.400]，repetition -0.100 → -0.300 [-0.300, -0.100]。")
    assert "每条留出提示 8 个样本" in chinese and "高 +0.400（[+0.200, +0.600]，p = 0.0002）" in chinese
    for name in ("format", "repetition"):
        versus_sft[name] = entry(0.5, 0.5, -0.1, 0.1, 1.0)
    assert english.replace(moved, "") + "none." == readme_figures.render_sampled(sampled, "sft", "grpo", "en")
    assert readme_figures.render_sampled(sampled, "sft", "grpo", "zh").endswith("分项：无。")
