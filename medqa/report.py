"""Tables, paired comparisons and plots for `medqa evaluate` (intervals come from `medqa.metrics.stats`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from medqa.metrics.core import HEADLINE_METRICS, ExampleResult
from medqa.metrics.judge import JUDGE_LABELS
from medqa.metrics.stats import mcnemar_exact, paired_bootstrap

HEADLINE_LABELS = {
    "think_coverage": "Think coverage",
    "emergency_signal_coverage": "Emergency-signal coverage",
    "risky_prescription_rate": "Risky-prescription rate",
}
LOWER_IS_BETTER = {"risky_prescription_rate"}


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
    if "judge_calibration" in report:
        parts += _calibration_section(report["judge_calibration"])
    parts += ["## Plots", ""] + [f"![{Path(plot).stem}]({Path(plot).name})" for plot in plots]
    return "\n".join(parts) + "\n"


def plot_report(report: Mapping[str, Any], out: Path) -> list[Path]:
    """metrics.png (each headline metric per model with its interval) and one breakdown heatmap per model."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    models = report["models"]
    written = []
    figure, axes = plt.subplots(1, len(HEADLINE_METRICS), figsize=(4 * len(HEADLINE_METRICS), 3.5))
    for axis, metric in zip(axes, HEADLINE_METRICS, strict=True):
        entries = [models[name]["rates"][metric] for name in models]
        values = [entry["rate"] or 0.0 for entry in entries]
        errors = [
            [v - e["ci_low"] for v, e in zip(values, entries, strict=True)],
            [e["ci_high"] - v for v, e in zip(values, entries, strict=True)],
        ]
        axis.bar(range(len(models)), values, yerr=np.clip(errors, 0, None), capsize=4, color="#4c72b0")
        axis.set_xticks(range(len(models)), list(models), rotation=20)
        axis.set_ylim(0, 1)
        axis.set_title(HEADLINE_LABELS[metric], fontsize=10)
    figure.tight_layout()
    written.append(out / "metrics.png")
    figure.savefig(written[-1], dpi=100)
    plt.close(figure)
    for name, result in models.items():
        rows = [(dimension, value) for dimension, groups in result["breakdowns"].items() for value in groups]
        grid = np.array(
            [
                [
                    result["breakdowns"][d][v][m]["rate"] if result["breakdowns"][d][v][m]["n"] else np.nan
                    for m in HEADLINE_METRICS
                ]
                for d, v in rows
            ]
        )
        figure, axis = plt.subplots(figsize=(6, 0.35 * len(rows) + 1.5))
        image = axis.imshow(grid, vmin=0, vmax=1, cmap="viridis", aspect="auto")
        axis.set_xticks(
            range(len(HEADLINE_METRICS)), [HEADLINE_LABELS[m] for m in HEADLINE_METRICS], fontsize=8
        )
        axis.set_yticks(range(len(rows)), [f"{d}={v}" for d, v in rows], fontsize=7)
        figure.colorbar(image, ax=axis)
        axis.set_title(f"{name}: breakdown", fontsize=10)
        figure.tight_layout()
        written.append(out / f"breakdown_{name}.png")
        figure.savefig(written[-1], dpi=100)
        plt.close(figure)
    return written
