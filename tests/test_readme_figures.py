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
    from test_quickstart_grpo import GRPO, SFT, write_predictions

    from medqa.quickstart import EVAL_SPLITS, Quickstart, QuickstartConfig

    job = Quickstart(QuickstartConfig(out=str(tmp_path / "run"), grpo=True))
    job.predictions.mkdir(parents=True)
    for split in EVAL_SPLITS:
        write_predictions(job.prediction_file("tuned", split), split, lambda red_flag: SFT)
        write_predictions(job.prediction_file("grpo", split), split, GRPO.get)
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

    readme = f"{readme_figures.GRPO_START}\nold figures\n{readme_figures.GRPO_END}\n"
    updated = readme_figures.readme_with_block(
        readme, english, tmp_path / "README.md", readme_figures.GRPO_BLOCK, readme_figures.GRPO_START
    )
    assert updated == english + "\n"
    (job.run_dir / "report-grpo" / "report.json").unlink()
    with pytest.raises(readme_figures.FiguresError, match="report-grpo/report.json not found"):
        readme_figures.extract_grpo_figures(job.run_dir)
