"""Precision and recall of de-identification on the labelled PII sets, overall and per type.

Sets (tests/fixtures): `pii_labeled` (the first set, kept as a regression floor), `pii_blind_dev`
(written for issue 18 by someone who had not seen the detectors; tuned on) and `pii_blind_test`
(same author and brief; never read, measured once with `--blind` when the rules were final).
Prints only aggregates, never rows. `--write` stores the scores in
medqa/resources/deidentification_scores.json, which the dataset card renders (the blind entry keeps
the commit it was measured at); tests/test_deidentify.py checks the other entries against a fresh
measurement.

    python benchmarks/bench_deidentify.py            # the regression and dev sets
    python benchmarks/bench_deidentify.py --write    # … and store them for the dataset card
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETS = ("pii_labeled", "pii_blind_dev")
BLIND = "pii_blind_test"
SCORES = ROOT / "medqa" / "resources" / "deidentification_scores.json"


def measure(sets: tuple[str, ...] = SETS) -> dict[str, dict]:
    from medqa.data.deidentify import score

    results = {}
    for name in sets:
        path = ROOT / "tests" / "fixtures" / f"{name}.jsonl"
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        results[name] = score(rows)
    return results


def _cell(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--write", action="store_true", help=f"store the scores in {SCORES.relative_to(ROOT)}"
    )
    parser.add_argument("--blind", action="store_true", help=f"also measure {BLIND} (once, on final rules)")
    args = parser.parse_args()
    results = measure(SETS + ((BLIND,) if args.blind else ()))
    for name, result in results.items():
        overall = result["overall"]
        print(
            f"{name}: {result['rows']} rows, {overall['spans']} spans  "
            f"P {_cell(overall['precision'])}  R {_cell(overall['recall'])}"
        )
        for kind, row in result["per_type"].items():
            print(
                f"  {kind:15s} spans {row['spans']:3d}  predicted {row['predicted']:3d}  "
                f"P {_cell(row['precision'])}  R {_cell(row['recall'])}"
            )
    if args.write:
        stored = json.loads(SCORES.read_text(encoding="utf-8")) if SCORES.exists() else {}
        if args.blind:
            commit = subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
            ).stdout.strip()
            results[BLIND]["measured_at"] = commit
        elif BLIND in stored:
            results[BLIND] = stored[BLIND]  # measured once; never re-measured to tune on
        SCORES.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {SCORES.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
