"""`medqa evaluate`: report files, paired comparison, and clear errors for bad input."""

import json
from pathlib import Path

import pytest
from predictions import prediction_row, write_predictions

from medqa.cli import main as cli_main
from medqa.evaluation import EvaluationError, evaluate_predictions
from medqa.report import summary_table

FIXTURE = Path(__file__).parent / "fixtures" / "safety_labeled.jsonl"


def _prediction_row(fixture_row, output):
    return prediction_row(
        fixture_row, output, reference="请立即拨打120。" if fixture_row["meta"]["red_flag"] else None
    )


@pytest.fixture
def base_and_tuned(tmp_path):
    """Base: fixture outputs without think blocks; tuned: the fixture outputs as labelled."""
    rows = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]
    base = [_prediction_row(row, row["output"].split("</think>")[-1]) for row in rows]
    tuned = [_prediction_row(row, row["output"]) for row in reversed(rows)]  # order must not matter
    return write_predictions(tmp_path / "base.jsonl", base), write_predictions(
        tmp_path / "tuned.jsonl", tuned
    )


def test_cli_writes_report_plots_and_paired_comparison(base_and_tuned, tmp_path, capsys):
    base, tuned = base_and_tuned
    out = tmp_path / "report"
    assert (
        cli_main(["evaluate", str(base), str(tuned), "--out", str(out), "--bootstrap-resamples", "200"]) == 0
    )
    assert {"report.md", "report.json", "metrics.png", "breakdown_base.png", "breakdown_tuned.png"} <= {
        p.name for p in out.iterdir()
    }
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    (comparison,) = report["comparisons"]
    think = comparison["metrics"]["think_coverage"]
    assert comparison["candidate"] == "tuned" and think["difference"] > 0.5 and think["mcnemar_p"] < 0.001
    assert report["models"]["tuned"]["rouge_l"]["n"] > 0
    assert "Think coverage" in capsys.readouterr().out
    example = json.loads((out / "examples_tuned.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert {"id", "think_status", "findings", "referral"} <= set(example)


def test_summary_table_and_judge_agreement(base_and_tuned, tmp_path):
    base, _ = base_and_tuned
    calls = []

    def judge(question, answer):
        calls.append(question)
        return {"emergency_directed": "120" in answer, "risky": False}

    report = evaluate_predictions({"base": [str(base)]}, tmp_path / "out", judge=judge)
    assert len(calls) == report["models"]["base"]["n"]
    assert (
        report["judge"]["base"]["emergency_directed"]["n"]
        == report["models"]["base"]["rates"]["emergency_signal_coverage"]["n"]
    )
    table = summary_table(report)
    assert "Emergency-signal coverage" in table and "%" in table


def test_mismatched_ids_are_a_clear_error(base_and_tuned, tmp_path):
    base, tuned = base_and_tuned
    short = write_predictions(
        tmp_path / "short.jsonl", [json.loads(line) for line in tuned.read_text().splitlines()[:-1]]
    )
    with pytest.raises(EvaluationError, match="mismatched ids"):
        evaluate_predictions([str(base), str(short)], tmp_path / "out")


def test_missing_field_names_file_line_and_field(base_and_tuned, tmp_path):
    base, _ = base_and_tuned
    rows = [json.loads(line) for line in base.read_text().splitlines()]
    del rows[2]["finish_reason"]
    bad = write_predictions(tmp_path / "bad.jsonl", rows)
    with pytest.raises(EvaluationError, match=r"bad\.jsonl:3: missing field 'finish_reason'"):
        evaluate_predictions([str(bad)], tmp_path / "out")


def test_empty_and_missing_files_are_clear_errors(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n")
    with pytest.raises(EvaluationError, match="empty.jsonl: no prediction rows"):
        evaluate_predictions([str(empty)], tmp_path / "out")
    with pytest.raises(EvaluationError, match="not found"):
        evaluate_predictions([str(tmp_path / "nope.jsonl")], tmp_path / "out")
    with pytest.raises(SystemExit, match="medqa evaluate: .*not found"):
        cli_main(["evaluate", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path / "out")])


def _trainer_state(path):
    history = [{"step": s, "loss": 8.0 - s / 10, "epoch": s / 10} for s in range(1, 31)]
    history.append({"step": 30, "eval_loss": 5.5, "epoch": 3.0})
    path.write_text(json.dumps({"global_step": 30, "log_history": history}), encoding="utf-8")
    return path


def _png_is_a_real_plot(path, min_width=500, min_height=300):
    """Large enough, and not one flat colour (an empty or failed figure is)."""
    import numpy as np
    from matplotlib.image import imread

    pixels = imread(path)
    height, width = pixels.shape[:2]
    assert width >= min_width and height >= min_height, (path.name, width, height)
    assert len(np.unique(pixels.reshape(-1, pixels.shape[-1]), axis=0)) > 50, path.name
    assert pixels[..., :3].std() > 0.05, path.name


def test_plots_show_values_n_direction_and_the_loss_curve(base_and_tuned, tmp_path):
    """Every PNG is produced and non-trivial; bars carry value and n, titles carry the direction, the
    rare risky rate is drawn on a zoomed axis, heatmap cells carry rate and n, n/a cells are explained."""
    import matplotlib

    matplotlib.use("Agg")
    from medqa.metrics.core import HEADLINE_METRICS
    from medqa.report import LOWER_IS_BETTER, breakdown_figure, headline_figure, loss_figure

    def risky_map(figure):
        return figure.axes[HEADLINE_METRICS.index("risky_prescription_rate")]

    base, tuned = base_and_tuned
    out = tmp_path / "report"
    state = _trainer_state(tmp_path / "trainer_state.json")
    report = evaluate_predictions(
        {"base": [base], "tuned": [tuned]}, out, bootstrap_resamples=100, trainer_states={"tuned": state}
    )
    for name in ("metrics.png", "breakdown_base.png", "breakdown_tuned.png", "loss.png"):
        _png_is_a_real_plot(out / name)
    assert "![loss](loss.png)" in (out / "report.md").read_text(encoding="utf-8")
    assert report["training"]["tuned"]["train_loss"][0] == [1, 7.9]
    assert report["training"]["tuned"]["eval_loss"] == [[30, 5.5]]

    headline = headline_figure(report)
    assert len(headline.axes) == len(HEADLINE_METRICS)
    for axis, metric in zip(headline.axes, HEADLINE_METRICS, strict=True):
        labels = [text.get_text() for text in axis.texts]
        assert len(labels) == 2 and all("%" in label and "\nn=" in label for label in labels), labels
        assert ("↓ better" if metric in LOWER_IS_BETTER else "↑ better") in axis.get_title()
    risky_axis = headline.axes[HEADLINE_METRICS.index("risky_prescription_rate")]
    risky_rate = report["models"]["tuned"]["rates"]["risky_prescription_rate"]
    assert risky_rate["ci_high"] < risky_axis.get_ylim()[1] < 0.8  # zoomed: a small rate stays visible

    result = report["models"]["base"]
    groups = sum(len(values) for values in result["breakdowns"].values())
    heatmap = breakdown_figure("base", result)
    assert len(heatmap.axes) == len(HEADLINE_METRICS)
    think_cells = [t.get_text() for t in heatmap.axes[0].texts]
    assert len(think_cells) == groups and all("(n=" in cell for cell in think_cells)
    emergency_cells = [t.get_text() for t in heatmap.axes[1].texts]
    assert "n/a" in emergency_cells  # groups without red-flag items
    assert any("n/a" in text.get_text() for legend in heatmap.legends for text in legend.get_texts())
    assert heatmap.axes[0].images[0].get_cmap().name != risky_map(heatmap).images[0].get_cmap().name
    assert len(loss_figure(report["training"]).axes[0].lines) == 2  # training curve and eval points


def test_red_team_table_per_category(base_and_tuned, tmp_path):
    base, tuned = base_and_tuned
    categorised = []
    for path in (base, tuned):
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        for row in rows:
            if row["meta"]["red_flag"]:
                row["meta"]["category"] = "chest_pain" if "胸" in row["input"] else "other_emergency"
        categorised.append(write_predictions(tmp_path / path.name, rows))
    report = evaluate_predictions(categorised, tmp_path / "out", bootstrap_resamples=100)
    table = report["models"]["tuned"]["red_team_categories"]
    red_flag_rows = report["models"]["tuned"]["rates"]["emergency_signal_coverage"]["n"]
    assert sum(entry["n"] for entry in table.values()) == red_flag_rows
    markdown = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "## Red team by category" in markdown and "| think ↑ base | think ↑ tuned |" in markdown
    for category, entry in table.items():
        think = entry["think_coverage"]
        assert f"| {category} | {entry['n']} |" in markdown and f"({think['k']}/{think['n']})" in markdown


def test_cli_rewards_pairs_every_reward_component_and_the_total(base_and_tuned, tmp_path, capsys):
    """`--rewards RECIPE`: each model's mean reward per component, and tuned vs base paired, computed from
    the same per-row rewards that medqa.rewards gives (base has no think block, so format is 0 -> 1)."""
    from medqa.evaluation import load_predictions
    from medqa.rewards import RewardRecipe, score_predictions

    base, tuned = base_and_tuned
    recipe = Path(__file__).resolve().parent.parent / "recipes" / "tiny" / "grpo" / "full.yaml"
    out = tmp_path / "report"
    argv = ["evaluate", str(base), str(tuned), "--out", str(out), "--rewards", str(recipe)]
    assert cli_main([*argv, "--bootstrap-resamples", "200"]) == 0
    rewards = json.loads((out / "report.json").read_text(encoding="utf-8"))["rewards"]
    (comparison,) = rewards["comparisons"]
    assert (comparison["baseline"], comparison["candidate"]) == ("base", "tuned")
    by_id = {row["id"]: row for row in load_predictions(tuned)}
    base_rows = load_predictions(base)
    scored = RewardRecipe.from_yaml(recipe)
    expected = [
        y - x
        for x, y in zip(
            score_predictions(base_rows, scored)["total"],
            score_predictions([by_id[row["id"]] for row in base_rows], scored)["total"],
            strict=True,
        )
    ]
    total = comparison["splits"]["all"]["total"]
    assert total["difference"] == pytest.approx(sum(expected) / len(expected)) and total["n"] == len(expected)
    assert total["ci_low"] > 0 and total["p_value"] < 0.01
    assert comparison["splits"]["all"]["format"]["baseline"] == 0.0
    assert set(comparison["splits"]) == {"all"}  # the fixture rows are all one split
    assert "### tuned vs base: all (paired by id)" in (out / "report.md").read_text(encoding="utf-8")
    assert "base -> tuned, all rows" in capsys.readouterr().out

    bad = tmp_path / "bad.yaml"
    bad.write_text("reward_funcs: [format]\nreward_weights: [1, 2]\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="bad.yaml: reward_weights needs one number per reward_funcs"):
        cli_main(["evaluate", str(base), "--out", str(tmp_path / "r2"), "--rewards", str(bad)])
