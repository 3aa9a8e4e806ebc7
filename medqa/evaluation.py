"""`medqa evaluate`: safety metrics for one or more prediction files, paired comparisons, report and plots.

Each positional argument is one model: `preds.jsonl`, or `NAME=a.jsonl,b.jsonl` to pool a model's
files (e.g. its gold and red-team predictions). The first model is the baseline; every other model is
compared with it over the same ids. With `--rewards RECIPE.yaml` every model is also scored with a GRPO
recipe's rewards (medqa/rewards.py): mean reward per component and split, and paired differences.
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
from medqa.metrics.judge import JUDGE_LABELS, CachedJudge, Judge, judge_items, openai_judge
from medqa.metrics.stats import cohen_kappa, kappa_interval, rate
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


def _failures(ids: Sequence[str], judgements) -> dict[str, Any]:
    failed = [{"id": i, "error": j.error} for i, j in zip(ids, judgements, strict=True) if not j.ok]
    return {"items": len(ids), "judged": len(ids) - len(failed), "failed": len(failed), "failures": failed}


def _judge_agreement(
    judge: Judge, rows: list[dict[str, Any]], results: list[ExampleResult]
) -> dict[str, Any]:
    """Cohen's kappa between judge and rules (emergency on red-flag items, risky on all items), over the
    items the judge labelled; the items it failed on are counted and listed, never fatal."""
    judgements = judge_items(judge, [(row["input"], split_think(row["output"]).answer) for row in rows])
    agreement: dict[str, Any] = {}
    for label in JUDGE_LABELS:
        pairs = [
            (getattr(result, label), judgement.verdict[label])
            for result, judgement in zip(results, judgements, strict=True)
            if judgement.ok and (label != "emergency_directed" or result.red_flag is True)
        ]
        agreement[label] = {
            "kappa": cohen_kappa([r for r, _ in pairs], [j for _, j in pairs]),
            "n": len(pairs),
        }
    return agreement | _failures([row["id"] for row in rows], judgements)


def load_calibration_labels(path: Path | str) -> list[dict[str, Any]]:
    """Human-labelled outputs (id, question, output, labels{...}) as in tests/fixtures/safety_labeled.jsonl."""
    path = Path(path)
    if not path.is_file():
        raise EvaluationError(f"{path}: calibration label file not found")
    rows = []
    for where, row in iter_jsonl(path, EvaluationError):
        for field in ("question", "output"):
            if not isinstance(row.get(field), str):
                raise EvaluationError(f"{where}: missing field {field!r} (text)")
        labels = row.get("labels")
        if not isinstance(labels, dict) or not any(isinstance(labels.get(k), bool) for k in JUDGE_LABELS):
            raise EvaluationError(f"{where}: 'labels' needs a true/false {' or '.join(JUDGE_LABELS)}")
        rows.append({"id": str(row.get("id", where)), **row})
    if not rows:
        raise EvaluationError(f"{path}: no labelled rows (empty file)")
    return rows


def calibrate_judge(judge: Judge, labels_path: Path | str) -> dict[str, Any]:
    """Judge–human agreement on labelled outputs: per label, the judge's precision and recall against the
    human label (Wilson intervals) and Cohen's kappa (bootstrap interval). Failed items are counted."""
    rows = load_calibration_labels(labels_path)
    judgements = judge_items(judge, [(row["question"], split_think(row["output"]).answer) for row in rows])
    calibration: dict[str, Any] = {"labels": str(labels_path)}
    for label in JUDGE_LABELS:
        pairs = [
            (row["labels"][label], judgement.verdict[label])
            for row, judgement in zip(rows, judgements, strict=True)
            if judgement.ok and isinstance(row["labels"].get(label), bool)
        ]
        human, judged = [h for h, _ in pairs], [j for _, j in pairs]
        tp = sum(h and j for h, j in pairs)
        calibration[label] = {
            "n": len(pairs),
            "human_positive": sum(human),
            "judge_positive": sum(judged),
            "precision": rate(tp, sum(judged)),
            "recall": rate(tp, sum(human)),
            "kappa": cohen_kappa(human, judged),
            "kappa_ci": kappa_interval(human, judged),
        }
    return calibration | _failures([row["id"] for row in rows], judgements)


def evaluate_predictions(
    paths: Sequence[str] | Mapping[str, Sequence[str] | str],
    out: Path | str,
    prefilled_open: bool = False,
    judge: Judge | None = None,
    bootstrap_resamples: int = 2000,
    calibration_labels: Path | str | None = None,
    bench: Path | str | None = None,
    trainer_states: Mapping[str, Path | str] | None = None,
    rewards: Path | str | None = None,
) -> dict[str, Any]:
    """Score every model, compare each with the first over the same ids, and write report.md, report.json,
    per-example audit files and PNG plots to `out`. Returns the report dict (`summary_table` prints it).

    With a `judge`, the report adds judge–rule agreement per model and, with `calibration_labels`, the
    judge's agreement with human labels; items the judge fails on are counted, the report still written.
    `bench` (a `medqa bench` output folder or its bench_summary.json) adds its results to the report.
    `trainer_states` maps a model name to its trainer_state.json (or the folder holding it): the report
    then carries its training and eval loss curve. `rewards` (a GRPO recipe YAML) adds every model's mean
    reward per component and split, and per comparison the paired difference of each component and of the
    weighted total with its bootstrap interval and sign-flip p-value (`medqa.rewards.reward_report`).
    """
    if calibration_labels is not None and judge is None:
        raise EvaluationError("calibrating needs a judge (--judge-url)")
    reward_recipe = None
    if rewards is not None:
        from medqa.rewards import RewardRecipe

        try:
            reward_recipe = RewardRecipe.from_yaml(rewards)
        except ValueError as error:
            raise EvaluationError(str(error)) from None
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
    if reward_recipe is not None:
        from medqa.rewards import reward_report

        splits = [reference_of(row)["split"] for row in rows_by_model[baseline]]
        report["rewards"] = reward_report(rows_by_model, splits, reward_recipe, bootstrap_resamples)
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
        if calibration_labels is not None:
            report["judge_calibration"] = calibrate_judge(judge, calibration_labels)
    if bench is not None:
        from medqa.bench import BenchError, load_bench_summary

        try:
            report["bench"] = load_bench_summary(bench)
        except BenchError as error:
            raise EvaluationError(str(error)) from None
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
    markdown = render_markdown(report, [str(p) for p in plots])
    if "bench" in report:
        from medqa.bench import render_bench_markdown

        markdown += "\n" + render_bench_markdown(report["bench"], heading="##")
    if "rewards" in report:
        from medqa.rewards import render_reward_report

        markdown += "\n" + render_reward_report(report["rewards"]) + "\n"
    (out / "report.md").write_text(markdown, encoding="utf-8")
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
        "--judge-url",
        help="OpenAI-compatible base URL (…/v1) of the optional LLM judge (off by default); its key is read "
        "from --judge-api-key-env and sent only over https or to localhost",
    )
    parser.add_argument("--judge-model", help="model name for the judge endpoint")
    parser.add_argument(
        "--judge-api-key-env",
        default="OPENAI_API_KEY",
        metavar="VAR",
        help="environment variable holding the judge's bearer key (default: %(default)s)",
    )
    parser.add_argument(
        "--judge-cache", default=None, help="judge cache jsonl (default: OUT/judge_cache.jsonl)"
    )
    parser.add_argument(
        "--judge-max-tokens", type=int, default=256, help="reply limit per judge call (default: %(default)s)"
    )
    parser.add_argument(
        "--judge-timeout", type=float, default=60.0, help="seconds per judge call (default: %(default)s)"
    )
    parser.add_argument(
        "--judge-retries",
        type=int,
        default=2,
        help="retries of a failed or unparsable judge call, with exponential backoff (default: %(default)s)",
    )
    parser.add_argument(
        "--judge-concurrency",
        type=int,
        default=4,
        help="judge calls in flight at once (default: %(default)s)",
    )
    parser.add_argument(
        "--calibrate",
        metavar="LABELS.jsonl",
        help="human-labelled outputs (question, output, labels{emergency_directed, risky}): report the "
        "judge's precision, recall and Cohen's kappa against them",
    )
    parser.add_argument("--bootstrap-resamples", type=int, default=2000)
    parser.add_argument(
        "--bench", help="a `medqa bench` output folder (or its bench_summary.json) to include in the report"
    )
    parser.add_argument(
        "--trainer-state",
        action="append",
        default=[],
        metavar="NAME=PATH",
        help="a model's trainer_state.json (or its model folder): adds the loss curve (loss.png); repeatable",
    )
    parser.add_argument(
        "--rewards",
        metavar="RECIPE.yaml",
        help="a GRPO recipe (e.g. recipes/tiny/grpo/full.yaml): score every model with its rewards and weights; "
        "the report adds mean rewards per component and split and, against the first model, paired "
        "differences with bootstrap 95%% intervals and sign-flip p-values",
    )


def main(args: argparse.Namespace) -> int:
    judge = None
    if args.calibrate and not args.judge_url:
        raise SystemExit("medqa evaluate: --calibrate needs --judge-url and --judge-model")
    if args.judge_url:
        if not args.judge_model:
            raise SystemExit("medqa evaluate: --judge-url needs --judge-model")
        try:
            endpoint = openai_judge(
                args.judge_url,
                args.judge_model,
                api_key_env=args.judge_api_key_env,
                max_tokens=args.judge_max_tokens,
                timeout_s=args.judge_timeout,
                retries=args.judge_retries,
                concurrency=args.judge_concurrency,
            )
        except ValueError as error:
            raise SystemExit(f"medqa evaluate: {error}") from None
        judge = CachedJudge(endpoint, args.judge_cache or Path(args.out) / "judge_cache.jsonl", endpoint.name)
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
            calibration_labels=args.calibrate,
            bench=args.bench,
            trainer_states=trainer_states,
            rewards=args.rewards,
        )
    except EvaluationError as error:
        raise SystemExit(f"medqa evaluate: {error}") from None
    print(summary_table(report))
    if "rewards" in report:
        from medqa.rewards import reward_summary

        print("\n" + reward_summary(report["rewards"]))
    print(f"\nreport written to {args.out}/report.md")
    return 0
