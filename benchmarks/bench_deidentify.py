"""Precision and recall of de-identification on the labelled PII sets, overall and per type.

Sets (tests/fixtures), all tuned on except the test sets: `pii_labeled` (the first set, kept as a
regression floor); `pii_blind_dev` (written for issue 18 by someone who had not seen the detectors);
`pii_blind_dev2`, `pii_blind_dev4` to `pii_blind_dev11` (each by another annotator who had not seen
the rules, measured once before any tuning with `--unseen NAME`, then tuned on); `pii_blind_dev3` (the first test set,
measured once-only as a test at the commit stored with it, then demoted to tuning material); and the
test sets `pii_blind_test2` to `pii_blind_test5` (each by an annotator who never saw the rules; never
read, measured in aggregate with `--blind` only, on final rules; a test set measured again keeps its
earlier figures). Prints only aggregates, never rows.

`--write` stores the scores in medqa/resources/deidentification_scores.json, which the dataset card
and benchmarks/RESULTS.md render; the once-only entries (the test sets, each dev set before tuning, the
demoted test set) keep the commit they were measured at and are never re-measured by a plain
`--write`; tests/test_deidentify.py checks the other entries against a fresh measurement.

    python benchmarks/bench_deidentify.py                    # the regression and dev sets
    python benchmarks/bench_deidentify.py --write            # … and store them for the dataset card
    python benchmarks/bench_deidentify.py --blind --write    # on final rules: the test sets too
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SETS = (
    "pii_labeled",
    "pii_blind_dev",
    "pii_blind_dev2",
    "pii_blind_dev3",
    "pii_blind_dev4",
    "pii_blind_dev5",
    "pii_blind_dev6",
    "pii_blind_dev7",
    "pii_blind_dev8",
    "pii_blind_dev9",
    "pii_blind_dev10",
    "pii_blind_dev11",
)
# The test sets: written by annotators who never saw the rules; never read, measured with `--blind` only.
BLIND_SETS = ("pii_blind_test2", "pii_blind_test3", "pii_blind_test4", "pii_blind_test5")
# Sets whose first measurement, before the rules were tuned on them, is kept apart as NAME_unseen: every
# blind dev set but the first (written before that practice) and dev3 (the demoted first test set).
UNSEEN_SETS = tuple(name for name in SETS if name not in ("pii_labeled", "pii_blind_dev", "pii_blind_dev3"))
# The first test set's once-only measurement, kept under this name after it became a dev set.
DEMOTED_TEST = "pii_blind_dev3_as_test"
SCORES = ROOT / "medqa" / "resources" / "deidentification_scores.json"
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
# The per-type table in RESULTS.md between these lines is rewritten from SCORES by `--write`.
TABLE_START, TABLE_END = "<!-- deidentification-scores:start -->", "<!-- deidentification-scores:end -->"


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def load(name: str) -> list[dict]:
    path = FIXTURES / f"{name}.jsonl"
    if not path.exists():
        hint = (
            " (the held-out test set: the lead adds it once the rules are final, then runs "
            "`python benchmarks/bench_deidentify.py --blind --write` once)"
            if name in BLIND_SETS
            else ""
        )
        raise SystemExit(f"{_shown(path)}: labelled PII set not found{hint}")
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as error:
                raise SystemExit(f"{_shown(path)}:{number}: not JSON ({error.msg})") from None
    return rows


def measure(sets: tuple[str, ...] = SETS) -> dict[str, dict]:
    from medqa.data.deidentify import score

    return {name: score(load(name)) for name in sets}


def render_results(results_md: str, commit: str) -> str:
    """`results_md` with the block between TABLE_START and TABLE_END replaced by the dataset card's
    table of the stored scores (one renderer for both)."""
    from medqa.data.cards import deidentification_quality

    start, end = results_md.find(TABLE_START), results_md.find(TABLE_END)
    if start < 0 or end < start:
        raise SystemExit(f"{RESULTS.relative_to(ROOT)}: markers {TABLE_START} … {TABLE_END} not found")
    block = (
        f"{TABLE_START}\n`python benchmarks/bench_deidentify.py --write` at `{commit}`:\n\n"
        f"{deidentification_quality()}\n"
    )
    return results_md[:start] + block + results_md[end:]


def stamp_test_sets(results: dict[str, dict], stored: dict[str, dict], commit: str) -> None:
    """Mark each freshly measured test set with `commit`; one measured before keeps its earlier
    figures (commit and overall) in `earlier`, so a second measurement never hides the first."""
    for name in BLIND_SETS:
        results[name]["measured_at"] = commit
        if name in stored:
            previous = stored[name]
            earlier = {"measured_at": previous["measured_at"], "overall": previous["overall"]}
            results[name]["earlier"] = [*previous.get("earlier", []), earlier]


def _cell(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--write", action="store_true", help=f"store the scores in {SCORES.relative_to(ROOT)}"
    )
    parser.add_argument(
        "--blind", action="store_true", help=f"also measure {', '.join(BLIND_SETS)} (on final rules)"
    )
    parser.add_argument(
        "--unseen",
        choices=UNSEEN_SETS,
        help="store this measurement of the named set as its one measurement before tuning (with --write)",
    )
    args = parser.parse_args()
    results = measure(SETS + (BLIND_SETS if args.blind else ()))
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
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        if args.blind:
            stamp_test_sets(results, stored, commit)
        once_only = [*BLIND_SETS, DEMOTED_TEST, *(f"{name}_unseen" for name in UNSEEN_SETS)]
        if args.unseen:
            results[f"{args.unseen}_unseen"] = {**results[args.unseen], "measured_at": commit}
        for name in once_only:  # measured once; never re-measured to tune on
            if name not in results and name in stored:
                results[name] = stored[name]
        SCORES.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
        RESULTS.write_text(render_results(RESULTS.read_text(encoding="utf-8"), commit), encoding="utf-8")
        print(f"wrote {SCORES.relative_to(ROOT)} and the table in {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
