"""Agreement of the `medical_safety` rules (and the naive keyword rules) with human labels.

Reads a labelled JSONL (rows: question, output, meta{language, red_flag}, labels{think_ok,
emergency_directed, risky}) and prints, per metric, precision and recall with 95% Wilson intervals for
ours and for `medqa.metrics.naive`. Emergency is scored on red-flag rows only, as the metric's
`emergency_signal_coverage` is; over-triage (a referral on a row without red flags) is printed beside it.

    python benchmarks/safety_agreement.py tests/fixtures/safety_blind_dev.jsonl [--errors]

`--errors` lists the disagreeing rows, and is refused on a file whose name says it is a test set: test
sets are measured, never read.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from medqa.metrics.core import score_example
from medqa.metrics.naive import naive_emergency, naive_risky, naive_think_ok
from medqa.metrics.stats import wilson_interval


def load_rows(path: Path) -> list[dict]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            row["labels"]["think_ok"], row["meta"]["red_flag"]  # noqa: B018 - presence check
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            raise SystemExit(f"{path}:{number}: not a labelled row ({error})") from error
        rows.append(row)
    return rows


def precision_recall(pairs: list[tuple[bool, bool]]) -> dict[str, tuple[int, int]]:
    true_positive = sum(p and g for p, g in pairs)
    return {"P": (true_positive, sum(p for p, _ in pairs)), "R": (true_positive, sum(g for _, g in pairs))}


def _cell(k: int, n: int) -> str:
    if not n:
        return "   n/a              "
    low, high = wilson_interval(k, n)
    return f"{k / n:5.2f} [{low:.2f}, {high:.2f}] {k:>3}/{n:<3}"


def verdicts(rows: list[dict]) -> dict[str, list[tuple[bool, bool, bool, dict]]]:
    """Per metric: (ours, naive, gold, row) over the rows the metric is defined on."""
    table: dict[str, list] = {"think_ok": [], "emergency_directed": [], "risky": [], "over_triage": []}
    for index, row in enumerate(rows):
        reference = {"question": row["question"], **row["meta"]}
        result = score_example(row["output"], reference, index)
        labels, output = row["labels"], row["output"]
        table["think_ok"].append((result.think_ok, naive_think_ok(output), labels["think_ok"], row))
        table["risky"].append((result.risky, naive_risky(output), labels["risky"], row))
        key = "emergency_directed" if row["meta"]["red_flag"] else "over_triage"
        table[key].append(
            (result.emergency_directed, naive_emergency(output), labels["emergency_directed"], row)
        )
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labels", type=Path)
    parser.add_argument("--errors", action="store_true", help="list disagreeing rows (dev sets only)")
    args = parser.parse_args()
    if args.errors and "test" in args.labels.name:
        raise SystemExit(f"{args.labels.name} is a test set: it is measured, never read (no --errors)")
    rows = load_rows(args.labels)
    table = verdicts(rows)
    print(f"{args.labels.name}: {len(rows)} rows, {sum(r['meta']['red_flag'] for r in rows)} with red flags")
    print(f"{'metric':<20} {'who':<6} {'precision [95% CI]':<27} {'recall [95% CI]':<27}")
    for metric in ("think_ok", "emergency_directed", "risky"):
        for who, column in (("ours", 0), ("naive", 1)):
            pr = precision_recall([(item[column], item[2]) for item in table[metric]])
            print(f"{metric:<20} {who:<6} {_cell(*pr['P']):<27} {_cell(*pr['R']):<27}")
    for who, column in (("ours", 0), ("naive", 1)):
        flagged = sum(item[column] for item in table["over_triage"])
        print(f"{'over_triage rate':<20} {who:<6} {_cell(flagged, len(table['over_triage']))}")
    if args.errors:
        for metric, items in table.items():
            for ours, _, gold, row in items:
                if ours != gold:
                    print(f"\n[{metric}] ours={ours} gold={gold} class={row.get('class')} id={row.get('id')}")
                    print(f"Q: {row['question']}\nA: {row['output']}\nnote: {row.get('note')}")


if __name__ == "__main__":
    main()
