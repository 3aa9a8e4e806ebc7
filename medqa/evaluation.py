"""`medqa evaluate`: safety metrics for one or more prediction files, paired comparisons, report and plots.

Each positional argument is one model: `preds.jsonl`, or `NAME=a.jsonl,b.jsonl` to pool a model's
files (e.g. its gold and red-team predictions). The first model is the baseline; every other model is
compared with it over the same ids.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from medqa.formatting import split_think
from medqa.jsonl import iter_jsonl
from medqa.metrics.core import ExampleResult, aggregate, score_examples
from medqa.metrics.judge import JUDGE_LABELS, CachedJudge, Judge, openai_judge
from medqa.metrics.stats import cohen_kappa
from medqa.report import (
    category_rates,
    paired_comparison,
    plot_report,
    render_markdown,
    summary_table,
    training_history,
)
from medqa.schema import SchemaError, validate_prediction_row

REFERENCE_META = ("red_flag", "category", "expected", "language", "risk_level", "specialty", "split")


class EvaluationError(ValueError):
    """Bad evaluation input; the message names the file, line or model."""


def load_predictions(path: Path | str) -> list[dict[str, Any]]:
    """Prediction rows of one jsonl file, each checked against the schema; errors name file and line."""
    path = Path(path)
    if not path.is_file():
        raise EvaluationError(f"{path}: prediction file not found")
    rows, seen = [], set()
    for where, row in iter_jsonl(path, EvaluationError):
        try:
            validate_prediction_row(row, where)
        except SchemaError as error:
            raise EvaluationError(str(error)) from None
        if row["id"] in seen:
            raise EvaluationError(f"{where}: duplicate id {row['id']!r}")
        seen.add(row["id"])
        rows.append(row)
    if not rows:
        raise EvaluationError(f"{path}: no prediction rows (empty file)")
    return rows


def reference_of(row: Mapping[str, Any]) -> dict[str, Any]:
    """The metric's reference for a prediction row: its question, meta, gold answer and finish reason."""
    meta = row["meta"]
    reference = {key: meta.get(key) for key in REFERENCE_META}
    if not reference["split"]:
        reference["split"] = row.get("split") or ("red_team" if meta.get("category") else "gold")
    return reference | {
        "question": row["input"],
        "reference": row.get("reference"),
        "finish_reason": row["finish_reason"],
    }


def parse_model_specs(specs: Sequence[str] | Mapping[str, Sequence[str] | str]) -> dict[str, list[Path]]:
    """`a.jsonl` -> {"a": [a.jsonl]}; `NAME=x.jsonl,y.jsonl` -> {"NAME": [x, y]}; a mapping passes through."""
    if isinstance(specs, Mapping):
        items = [
            (name, [paths] if isinstance(paths, str | Path) else list(paths)) for name, paths in specs.items()
        ]
    else:
        items = []
        for spec in specs:
            name, _, paths = (
                str(spec).rpartition("=") if "=" in str(spec) else (Path(spec).stem, "", str(spec))
            )
            items.append((name, paths.split(",")))
    models: dict[str, list[Path]] = {}
    for name, paths in items:
        if name in models:
            raise EvaluationError(f"model name {name!r} given twice; name them explicitly as NAME=FILE")
        models[name] = [Path(p) for p in paths]
    if not models:
        raise EvaluationError("no prediction files given")
    return models


def _check_same_ids(rows_by_model: Mapping[str, list[dict[str, Any]]]) -> None:
    (base_name, base_rows), *others = rows_by_model.items()
    base_ids = {row["id"] for row in base_rows}
    for name, rows in others:
        ids = {row["id"] for row in rows}
        if ids != base_ids:
            missing, extra = sorted(base_ids - ids), sorted(ids - base_ids)
            raise EvaluationError(
                f"mismatched ids between {base_name!r} and {name!r}: {len(missing)} only in {base_name!r} "
                f"(e.g. {missing[:3]}), {len(extra)} only in {name!r} (e.g. {extra[:3]}); "
                "paired comparison needs the same ids in every model"
            )


def _judge_agreement(
    judge: Judge, rows: list[dict[str, Any]], results: list[ExampleResult]
) -> dict[str, Any]:
    """Cohen's kappa between judge and rules: emergency on red-flag items, risky on all items."""
    verdicts = [judge(row["input"], split_think(row["output"]).answer) for row in rows]
    agreement = {}
    for label in JUDGE_LABELS:
        pairs = [
            (getattr(result, label), verdict[label])
            for result, verdict in zip(results, verdicts, strict=True)
            if label != "emergency_directed" or result.red_flag is True
        ]
        agreement[label] = {
            "kappa": cohen_kappa([r for r, _ in pairs], [j for _, j in pairs]),
            "n": len(pairs),
        }
    return agreement


def evaluate_predictions(
    paths: Sequence[str] | Mapping[str, Sequence[str] | str],
    out: Path | str,
    prefilled_open: bool = False,
    judge: Judge | None = None,
    bootstrap_resamples: int = 2000,
    trainer_states: Mapping[str, Path | str] | None = None,
) -> dict[str, Any]:
    """Score every model, compare each with the first over the same ids, and write report.md, report.json,
    per-example audit files and PNG plots to `out`. Returns the report dict (`summary_table` prints it).

    `trainer_states` maps a model name to its trainer_state.json (or the folder holding it): the report
    then carries its training and eval loss curve."""
    models = parse_model_specs(paths)
    rows_by_model = {
        name: [row for path in files for row in load_predictions(path)] for name, files in models.items()
    }
    _check_same_ids(rows_by_model)
    position = {row["id"]: index for index, row in enumerate(next(iter(rows_by_model.values())))}
    results_by_model: dict[str, list[ExampleResult]] = {}
    for name, rows in rows_by_model.items():
        rows.sort(key=lambda row: position[row["id"]])
        results_by_model[name] = score_examples(
            [row["output"] for row in rows], [reference_of(row) for row in rows], prefilled_open
        )
    baseline = next(iter(results_by_model))
    report: dict[str, Any] = {
        "sources": {name: [str(p) for p in files] for name, files in models.items()},
        "models": {
            name: aggregate(results)
            | {
                "red_team_categories": category_rates(
                    results, [row["meta"].get("category") for row in rows_by_model[name]]
                )
            }
            for name, results in results_by_model.items()
        },
        "comparisons": [
            {
                "baseline": baseline,
                "candidate": name,
                "metrics": paired_comparison(results_by_model[baseline], results, bootstrap_resamples),
            }
            for name, results in results_by_model.items()
            if name != baseline
        ],
    }
    if trainer_states:
        unknown = sorted(set(trainer_states) - set(models))
        if unknown:
            raise EvaluationError(f"--trainer-state names {unknown} are not among the models {list(models)}")
        try:
            report["training"] = {name: training_history(path) for name, path in trainer_states.items()}
        except FileNotFoundError as error:
            raise EvaluationError(str(error)) from None
    if judge is not None:
        report["judge"] = {
            name: _judge_agreement(judge, rows_by_model[name], results_by_model[name])
            for name in rows_by_model
        }
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for name, results in results_by_model.items():
        with (out / f"examples_{name}.jsonl").open("w", encoding="utf-8") as handle:
            for row, result in zip(
                rows_by_model[name], aggregate(results, explain=True)["examples"], strict=True
            ):
                handle.write(json.dumps({"id": row["id"]} | result, ensure_ascii=False) + "\n")
    plots = plot_report(report, out)
    (out / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    (out / "report.md").write_text(render_markdown(report, [str(p) for p in plots]), encoding="utf-8")
    return report


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "predictions",
        nargs="+",
        help="prediction jsonl per model, or NAME=a.jsonl,b.jsonl; the first is the baseline",
    )
    parser.add_argument("--out", required=True, help="report folder (report.md, report.json, *.png)")
    parser.add_argument(
        "--prefilled-open",
        action="store_true",
        help="the chat template pre-filled <think>, outputs start inside it",
    )
    parser.add_argument(
        "--judge-url", help="OpenAI-compatible base URL for the optional LLM judge (off by default)"
    )
    parser.add_argument("--judge-model", help="model name for the judge endpoint")
    parser.add_argument(
        "--judge-cache", default=None, help="judge cache jsonl (default: OUT/judge_cache.jsonl)"
    )
    parser.add_argument("--bootstrap-resamples", type=int, default=2000)
    parser.add_argument(
        "--trainer-state",
        action="append",
        default=[],
        metavar="NAME=PATH",
        help="a model's trainer_state.json (or its model folder): adds the loss curve (loss.png); repeatable",
    )


def main(args: argparse.Namespace) -> int:
    judge = None
    if args.judge_url:
        if not args.judge_model:
            raise SystemExit("medqa evaluate: --judge-url needs --judge-model")
        cache = args.judge_cache or Path(args.out) / "judge_cache.jsonl"
        judge = CachedJudge(openai_judge(args.judge_url, args.judge_model), cache, name=args.judge_model)
    trainer_states = {}
    for spec in args.trainer_state:
        name, equals, path = spec.partition("=")
        if not equals or not name or not path:
            raise SystemExit(f"medqa evaluate: --trainer-state {spec!r}: expected NAME=PATH")
        trainer_states[name] = path
    try:
        report = evaluate_predictions(
            args.predictions,
            args.out,
            args.prefilled_open,
            judge,
            args.bootstrap_resamples,
            trainer_states=trainer_states,
        )
    except EvaluationError as error:
        raise SystemExit(f"medqa evaluate: {error}") from None
    print(summary_table(report))
    print(f"\nreport written to {args.out}/report.md")
    return 0
