"""Tables, paired comparisons and plots for `medqa evaluate` (intervals come from `medqa.metrics.stats`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from medqa.metrics.core import HEADLINE_METRICS, ExampleResult
from medqa.metrics.judge import JUDGE_LABELS
from medqa.metrics.stats import mcnemar_exact, paired_bootstrap, rate

HEADLINE_LABELS = {
    "think_coverage": "Think coverage",
    "emergency_signal_coverage": "Emergency-signal coverage",
    "risky_prescription_rate": "Risky-prescription rate",
}
SHORT_LABELS = {
    "think_coverage": "think",
    "emergency_signal_coverage": "emergency",
    "risky_prescription_rate": "risky",
}
LOWER_IS_BETTER = {"risky_prescription_rate"}
# Bars of a lower-is-better rate are drawn on an axis this much above the highest interval end (and at
# least up to RARE_RATE_AXIS), so a 0.9% bar is visible instead of a line on a 0-100% axis.
RARE_RATE_HEADROOM = 1.35
RARE_RATE_AXIS = 0.05
MODEL_COLORS = ("#8c8c8c", "#2a6fbb", "#e07b39", "#3b9c5a", "#9467bd", "#c44e52")


def direction(metric: str) -> str:
    """The arrow readers look for: ↑ when higher is better, ↓ when lower is."""
    return "↓ better" if metric in LOWER_IS_BETTER else "↑ better"


def example_outcome(result: ExampleResult, metric: str) -> bool | None:
    """The per-item 0/1 behind a headline rate, or None when the item is outside its denominator."""
    if metric == "think_coverage":
        return result.think_ok
    if metric == "emergency_signal_coverage":
        return result.emergency_directed if result.red_flag is True else None
    if metric == "risky_prescription_rate":
        return result.risky
    raise KeyError(f"unknown headline metric {metric!r}")


def paired_comparison(
    baseline: Sequence[ExampleResult], candidate: Sequence[ExampleResult], resamples: int = 2000
) -> dict[str, dict[str, Any]]:
    """Per headline metric: candidate minus baseline over the same items, a paired bootstrap 95% interval
    and the exact McNemar p-value, so "tuned beats base" is a statistical statement."""
    comparison = {}
    for metric in HEADLINE_METRICS:
        pairs = [
            (x, y)
            for a, b in zip(baseline, candidate, strict=True)
            if (x := example_outcome(a, metric)) is not None and (y := example_outcome(b, metric)) is not None
        ]
        a_values, b_values = [float(x) for x, _ in pairs], [float(y) for _, y in pairs]
        difference, low, high = paired_bootstrap(a_values, b_values, resamples=resamples)
        only_a = sum(1 for x, y in pairs if x and not y)
        only_b = sum(1 for x, y in pairs if y and not x)
        comparison[metric] = {
            "n": len(pairs),
            "difference": difference,
            "ci_low": low,
            "ci_high": high,
            "only_baseline": only_a,
            "only_candidate": only_b,
            "mcnemar_p": mcnemar_exact(only_a, only_b),
        }
    return comparison


def category_rates(
    results: Sequence[ExampleResult], categories: Sequence[str | None]
) -> dict[str, dict[str, Any]]:
    """Headline rates per red-team category (items without a category are left out)."""
    table: dict[str, dict[str, Any]] = {}
    for category in sorted({c for c in categories if c}):
        members = [r for r, c in zip(results, categories, strict=True) if c == category]
        table[category] = {"n": len(members)}
        for metric in HEADLINE_METRICS:
            outcomes = [o for r in members if (o := example_outcome(r, metric)) is not None]
            table[category][metric] = rate(sum(outcomes), len(outcomes))
    return table


def training_history(trainer_state: Path | str) -> dict[str, Any]:
    """Training and eval loss per optimizer step from a Trainer's trainer_state.json."""
    import json

    path = Path(trainer_state)
    if path.is_dir():
        path = path / "trainer_state.json"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no trainer_state.json (written by the SFT recipe beside the model)")
    history = json.loads(path.read_text(encoding="utf-8")).get("log_history", [])
    return {
        "source": str(path),
        "train_loss": [[e["step"], e["loss"]] for e in history if "loss" in e and "step" in e],
        "eval_loss": [[e["step"], e["eval_loss"]] for e in history if "eval_loss" in e and "step" in e],
    }


def _format_rate(entry: Mapping[str, Any]) -> str:
    if entry["rate"] is None:
        return "n/a (n=0)"
    return f"{entry['rate']:.1%} [{entry['ci_low']:.1%}, {entry['ci_high']:.1%}] (n={entry['n']})"


def summary_table(report: Mapping[str, Any]) -> str:
    """The headline metrics per model with 95% intervals, plus paired differences: what quickstart prints."""
    models = report["models"]
    header = "| metric | " + " | ".join(models) + " |"
    lines = [header, "|" + "---|" * (len(models) + 1)]
    for metric in HEADLINE_METRICS:
        cells = [_format_rate(models[name]["rates"][metric]) for name in models]
        lines.append(f"| {HEADLINE_LABELS[metric]} | " + " | ".join(cells) + " |")
    for comparison in report.get("comparisons", []):
        lines.append("")
        lines.append(f"{comparison['candidate']} vs {comparison['baseline']} (paired, same ids):")
        for metric, entry in comparison["metrics"].items():
            better = "lower is better" if metric in LOWER_IS_BETTER else "higher is better"
            lines.append(
                f"- {HEADLINE_LABELS[metric]}: {entry['difference']:+.1%} "
                f"[{entry['ci_low']:+.1%}, {entry['ci_high']:+.1%}], McNemar p={entry['mcnemar_p']:.3g}, "
                f"n={entry['n']} ({better})"
            )
    return "\n".join(lines)


def _format_count(entry: Mapping[str, Any]) -> str:
    if entry["rate"] is None:
        return "n/a"
    return f"{entry['rate']:.0%} ({entry['k']}/{entry['n']})"


def red_team_table(report: Mapping[str, Any]) -> list[str]:
    """report.md lines: each red-team category's headline rates, one column per model and metric."""
    models = {
        name: m["red_team_categories"] for name, m in report["models"].items() if m.get("red_team_categories")
    }
    if not models:
        return []
    categories = sorted({c for table in models.values() for c in table})
    header = ["category", "n"] + [
        f"{SHORT_LABELS.get(metric, metric)} {direction(metric)[0]} {name}"
        for metric in HEADLINE_METRICS
        for name in models
    ]
    lines = [
        "## Red team by category",
        "",
        "Rate (k/n) per category and model: think coverage, emergency-signal coverage (red-flag prompts "
        "only; n/a: none in the category) and risky-prescription rate; ↑/↓: higher/lower is better.",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    for category in categories:
        first = next(table[category] for table in models.values() if category in table)
        cells = [
            _format_count(table[category][metric]) if category in table else "–"
            for metric in HEADLINE_METRICS
            for table in models.values()
        ]
        lines.append(f"| {category} | {first['n']} | " + " | ".join(cells) + " |")
    return lines + [""]


def _judge_failures(entry: Mapping[str, Any]) -> str:
    failed = f"{entry['judged']}/{entry['items']} items judged"
    if entry["failed"]:
        failed += (
            f", {entry['failed']} failed (e.g. {entry['failures'][0]['id']}: {entry['failures'][0]['error']})"
        )
    return failed


def _judge_agreement_line(judge: Mapping[str, Any]) -> str:
    kappas = ", ".join(
        f"{label}: {judge[label]['kappa']:.2f} (n={judge[label]['n']})"
        if judge[label]["kappa"] is not None
        else f"{label}: n/a"
        for label in JUDGE_LABELS
    )
    return f"Judge–rule agreement (Cohen's kappa): {kappas}; {_judge_failures(judge)}."


def _calibration_section(calibration: Mapping[str, Any]) -> list[str]:
    """Judge–human agreement: the judge's precision and recall against human labels, and kappa."""
    lines = [
        "## Judge calibration against human labels",
        "",
        f"Labels: {calibration['labels']}; {_judge_failures(calibration)}.",
        "",
        "| label | n | judge precision [95% Wilson] | judge recall [95% Wilson] | Cohen's kappa [95% bootstrap] |",
        "|---|---|---|---|---|",
    ]
    for label in JUDGE_LABELS:
        entry = calibration[label]
        kappa = "n/a" if entry["kappa"] is None else f"{entry['kappa']:.2f}"
        if entry["kappa_ci"]:
            kappa += f" [{entry['kappa_ci'][0]:.2f}, {entry['kappa_ci'][1]:.2f}]"
        lines.append(
            f"| {label} | {entry['n']} | {_format_rate(entry['precision'])} | {_format_rate(entry['recall'])} "
            f"| {kappa} |"
        )
    return [*lines, ""]


def render_markdown(report: Mapping[str, Any], plots: Sequence[str]) -> str:
    """report.md: summary, every rate, think sub-counts, per-rule rates, breakdowns, judge agreement."""
    models = report["models"]
    parts = ["# Medical safety evaluation", "", summary_table(report), ""]
    for name, result in models.items():
        parts += [
            f"## {name}",
            "",
            f"Source: {', '.join(report['sources'][name])}; {result['n']} outputs.",
            "",
        ]
        parts += ["| rate | value [95% Wilson] |", "|---|---|"]
        parts += [f"| {metric} | {_format_rate(entry)} |" for metric, entry in result["rates"].items()]
        counts = ", ".join(f"{status}: {count}" for status, count in result["think_status_counts"].items())
        parts += ["", f"Think block status: {counts}.", "", "| risky rule | rate |", "|---|---|"]
        parts += [f"| {rule} | {_format_rate(entry)} |" for rule, entry in result["risky_rules"].items()]
        lengths = result["lengths"]["answer_chars"]
        parts += [
            "",
            f"Answer length (chars): mean {lengths['mean']:.0f}, median {lengths['median']:.0f}, "
            f"p95 {lengths['p95']:.0f}.",
        ]
        if result["rouge_l"]["n"]:
            parts.append(
                f"Character ROUGE-L vs reference: {result['rouge_l']['mean']:.3f} (n={result['rouge_l']['n']})."
            )
        for dimension, groups in result["breakdowns"].items():
            parts += [
                "",
                f"By {dimension}:",
                "",
                "| " + dimension + " | " + " | ".join(HEADLINE_METRICS) + " |",
            ]
            parts.append("|" + "---|" * (len(HEADLINE_METRICS) + 1))
            for value, rates in groups.items():
                parts.append(
                    f"| {value} | " + " | ".join(_format_rate(rates[m]) for m in HEADLINE_METRICS) + " |"
                )
        if name in report.get("judge", {}):
            parts += ["", _judge_agreement_line(report["judge"][name])]
        parts.append("")
    parts += red_team_table(report)
    if "judge_calibration" in report:
        parts += _calibration_section(report["judge_calibration"])
    parts += ["## Plots", ""] + [f"![{Path(plot).stem}]({Path(plot).name})" for plot in plots]
    return "\n".join(parts) + "\n"


def plot_report(report: Mapping[str, Any], out: Path) -> list[Path]:
    """metrics.png (headline rates per model, values, n and intervals), one breakdown heatmap per model,
    and loss.png (training and eval loss) when the report carries a training history."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figures = {"metrics.png": headline_figure(report)}
    for name, result in report["models"].items():
        figures[f"breakdown_{name}.png"] = breakdown_figure(name, result)
    if report.get("training"):
        figures["loss.png"] = loss_figure(report["training"])
    written = []
    for filename, figure in figures.items():
        written.append(out / filename)
        figure.savefig(written[-1], dpi=110)
        plt.close(figure)
    return written


def headline_figure(report: Mapping[str, Any]):
    """One panel per headline metric: a bar per model with its value, n and 95% interval."""
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.ticker import PercentFormatter

    models = report["models"]
    colors = [MODEL_COLORS[i % len(MODEL_COLORS)] for i in range(len(models))]
    figure, axes = plt.subplots(1, len(HEADLINE_METRICS), figsize=(4.4 * len(HEADLINE_METRICS), 4.2))
    for axis, metric in zip(np.atleast_1d(axes), HEADLINE_METRICS, strict=True):
        entries = [models[name]["rates"][metric] for name in models]
        values = [entry["rate"] or 0.0 for entry in entries]
        lows = [entry["ci_low"] if entry["rate"] is not None else 0.0 for entry in entries]
        highs = [entry["ci_high"] if entry["rate"] is not None else 0.0 for entry in entries]
        errors = np.clip([np.subtract(values, lows), np.subtract(highs, values)], 0, None)
        positions = np.arange(len(models))
        axis.bar(positions, values, yerr=errors, capsize=5, color=colors, width=0.6, ecolor="#333333")
        top = 1.0
        if metric in LOWER_IS_BETTER:
            top = min(1.0, max(RARE_RATE_AXIS, RARE_RATE_HEADROOM * max(highs, default=0.0)))
        axis.set_ylim(0, top * 1.18)  # room for the value labels above the intervals
        axis.yaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
        for x, entry, high in zip(positions, entries, highs, strict=True):
            label = "n/a\nn=0" if entry["rate"] is None else f"{entry['rate']:.1%}\nn={entry['n']}"
            axis.annotate(
                label,
                (x, max(high, entry["rate"] or 0.0)),
                xytext=(0, 4),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=9,
            )
        axis.set_xticks(positions, list(models))
        title = f"{HEADLINE_LABELS[metric]} ({direction(metric)})"
        if top < 1.0:
            title += f"\naxis 0–{top * 1.18:.0%}, zoomed to show small rates"
        axis.set_title(title, fontsize=10)
        axis.grid(axis="y", alpha=0.3)
        axis.set_axisbelow(True)
    figure.suptitle("Headline safety metrics: rate with 95% Wilson interval and n", fontsize=11)
    figure.tight_layout()
    return figure


def breakdown_figure(name: str, result: Mapping[str, Any]):
    """One column per headline metric, one row per group; cells show the rate and n; n/a cells are
    hatched; higher-is-better columns run red to green, lower-is-better ones green to red."""
    import textwrap

    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.patches import Patch, Rectangle

    rows = [(dimension, value) for dimension, groups in result["breakdowns"].items() for value in groups]
    height = 0.34 * len(rows) + 2.2
    figure, axes = plt.subplots(1, len(HEADLINE_METRICS), figsize=(3.1 * len(HEADLINE_METRICS) + 1.8, height))
    axes = np.atleast_1d(axes)
    for column, (axis, metric) in enumerate(zip(axes, HEADLINE_METRICS, strict=True)):
        entries = [result["breakdowns"][d][v][metric] for d, v in rows]
        grid = np.array([[e["rate"] if e["n"] else np.nan] for e in entries], dtype=float)
        cmap = plt.get_cmap("RdYlGn_r" if metric in LOWER_IS_BETTER else "RdYlGn").with_extremes(
            bad="#f2f2f2"
        )
        axis.imshow(np.ma.masked_invalid(grid), vmin=0, vmax=1, cmap=cmap, aspect="auto")
        for y, entry in enumerate(entries):
            if not entry["n"]:
                axis.add_patch(
                    Rectangle((-0.5, y - 0.5), 1, 1, fill=False, hatch="///", edgecolor="#b0b0b0", lw=0)
                )
                axis.text(0, y, "n/a", ha="center", va="center", fontsize=8, color="#666666")
                continue
            shade = cmap(entry["rate"])
            dark = 0.299 * shade[0] + 0.587 * shade[1] + 0.114 * shade[2] < 0.5
            axis.text(
                0,
                y,
                f"{entry['rate']:.0%}  (n={entry['n']})",
                ha="center",
                va="center",
                fontsize=8,
                color="white" if dark else "black",
            )
        axis.set_title(
            "\n".join([*textwrap.wrap(HEADLINE_LABELS[metric], 18), direction(metric)]), fontsize=9
        )
        axis.set_xticks([])
        axis.set_yticks(
            range(len(rows)), [f"{d.replace('_', ' ')}: {v}" for d, v in rows] if column == 0 else []
        )
        axis.tick_params(axis="y", labelsize=8, length=0)
        for y in range(1, len(rows)):  # a rule between dimensions
            if rows[y][0] != rows[y - 1][0]:
                axis.axhline(y - 0.5, color="black", lw=1.2)
    figure.suptitle(f"{name}: headline rates by group", fontsize=11)
    figure.legend(
        handles=[Patch(facecolor="#f2f2f2", hatch="///", edgecolor="#b0b0b0", label="n/a")],
        labels=["n/a: no item of this group is in the metric's denominator (e.g. no red-flag item)"],
        loc="lower center",
        fontsize=8,
        frameon=False,
    )
    figure.tight_layout(rect=(0, 0.26 / height, 1, 1))
    return figure


def loss_figure(training: Mapping[str, Mapping[str, Any]]):
    """Training loss per logged step and eval loss points, per trained model."""
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(7, 4))
    for index, (name, history) in enumerate(training.items()):
        color = MODEL_COLORS[(index + 1) % len(MODEL_COLORS)]
        if history["train_loss"]:
            steps, losses = zip(*history["train_loss"], strict=True)
            axis.plot(
                steps,
                losses,
                color=color,
                lw=1.5,
                label=f"{name}: training loss ({losses[0]:.2f} → {losses[-1]:.2f})",
            )
        if history["eval_loss"]:
            steps, losses = zip(*history["eval_loss"], strict=True)
            axis.plot(steps, losses, "o--", color=color, ms=6, label=f"{name}: eval loss (dev)")
            axis.annotate(
                f"{losses[-1]:.2f}",
                (steps[-1], losses[-1]),
                xytext=(6, 6),
                textcoords="offset points",
                fontsize=9,
            )
    axis.set_xlabel("optimizer step")
    axis.set_ylabel("cross-entropy loss per token")
    has_eval = any(history["eval_loss"] for history in training.values())
    title = (
        "Training and eval loss (↓ better)"
        if has_eval
        else "Training loss (↓ better); no eval loss was logged"
    )
    axis.set_title(title, fontsize=11)
    axis.grid(alpha=0.3)
    axis.legend(fontsize=9)
    figure.tight_layout()
    return figure
