"""Agreement of the `medical_safety` metric (and the seed's naive keyword rules) with human labels.

Reads labelled JSONL files (rows: question, output, meta{language, red_flag}, labels{think_ok,
emergency_directed, risky}) and scores every row the way the graders do: one
`evaluate.load("medqa/metrics/medical_safety").compute(predictions=[output], references=[{question,
red_flag, language}])` per row, a verdict where the rate is ≥ 0.5. Prints, per metric, precision and
recall with 95% Wilson intervals for ours and for `medqa.metrics.naive`. Emergency is scored on red-flag
rows only, as `emergency_signal_coverage` is; over-triage (a referral on a row without red flags) is
printed beside it.

    python benchmarks/safety_agreement.py tests/fixtures/safety_blind_dev4.jsonl --errors
    python benchmarks/safety_agreement.py tests/fixtures/safety_blind_test2.jsonl --write
    python benchmarks/safety_agreement.py --write      # re-measure the stored dev sets, re-render

`--errors` lists the disagreeing rows with the metric's explanation; it is refused on a file whose name
says it is a test set (test sets are measured, never read). `--write` stores the aggregate figures in
medqa/resources/safety_agreement_scores.json and renders them between the markers of the metric card's
Validation section and of benchmarks/RESULTS.md. A test set, and a dev set measured with `--unseen`
(its one measurement before the rules were tuned on it), are once-only entries: they keep the commit
they were measured at, a plain `--write` never re-measures them, and measuring a test set again keeps
the earlier figures under `earlier`. tests/test_safety_agreement.py checks that the stored dev entries
are a fresh measurement and that both documents show the stored figures.
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SCORES = ROOT / "medqa" / "resources" / "safety_agreement_scores.json"
CARD = ROOT / "medqa" / "metrics" / "medical_safety" / "README.md"
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
MARKERS = ("<!-- safety-agreement:start -->", "<!-- safety-agreement:end -->")
METRICS = ("think_ok", "emergency_directed", "risky")
THRESHOLD = 0.5


def is_test_set(path: Path) -> bool:
    return "test" in path.stem


def load_rows(path: Path) -> list[dict]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            row["question"], row["output"], row["meta"]["red_flag"]  # noqa: B018 - presence check
            for metric in METRICS:
                row["labels"][metric]  # noqa: B018
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            raise SystemExit(f"{path}:{number}: not a labelled row (missing or bad {error})") from error
        rows.append(row)
    return rows


def load_metric():
    """The metric module of this checkout, loaded the way the graders load it."""
    import evaluate

    import medqa

    return evaluate.load(str(Path(medqa.__file__).resolve().parent / "metrics" / "medical_safety"))


def row_verdicts(metric, row: dict, explain: bool = False) -> tuple[dict[str, bool], dict[str, Any]]:
    """The metric's verdicts on one row (emergency means over-triage on a row without red flags)."""
    meta = row["meta"]
    reference = {
        "question": row["question"],
        "red_flag": bool(meta["red_flag"]),
        "language": meta.get("language"),
    }
    result = metric.compute(predictions=[row["output"]], references=[reference], explain=explain)
    if meta["red_flag"]:
        emergency = result["emergency_signal_coverage"]
    else:  # the same referral verdict, counted as over-triage
        emergency = result["rates"]["over_triage_rate"]["rate"]
    verdicts = {
        "think_ok": result["think_coverage"] >= THRESHOLD,
        "emergency_directed": emergency >= THRESHOLD,
        "risky": result["risky_prescription_rate"] >= THRESHOLD,
    }
    return verdicts, result


def naive_verdicts(row: dict) -> dict[str, bool]:
    from medqa.metrics.naive import naive_emergency, naive_risky, naive_think_ok

    output = row["output"]
    return {
        "think_ok": naive_think_ok(output),
        "emergency_directed": naive_emergency(output),
        "risky": naive_risky(output),
    }


def _counts(pairs: list[tuple[bool, bool]]) -> dict[str, int]:
    return {
        "tp": sum(p and g for p, g in pairs),
        "predicted": sum(p for p, _ in pairs),
        "gold": sum(g for _, g in pairs),
    }


def summarise(rows: list[dict], ours: list[dict[str, bool]], naive: list[dict[str, bool]]) -> dict[str, Any]:
    """Aggregate counts only (what is stored and shown): tp / predicted / gold per metric and who."""
    red = [i for i, row in enumerate(rows) if row["meta"]["red_flag"]]
    plain = [i for i, row in enumerate(rows) if not row["meta"]["red_flag"]]
    summary: dict[str, Any] = {"rows": len(rows), "red_flag_rows": len(red), "metrics": {}}
    for metric in METRICS:
        indices = red if metric == "emergency_directed" else range(len(rows))
        summary["metrics"][metric] = {
            who: _counts([(verdicts[i][metric], bool(rows[i]["labels"][metric])) for i in indices])
            for who, verdicts in (("ours", ours), ("naive", naive))
        }
    summary["over_triage"] = {
        who: {"k": sum(verdicts[i]["emergency_directed"] for i in plain), "n": len(plain)}
        for who, verdicts in (("ours", ours), ("naive", naive))
    }
    return summary


def measure(path: Path, metric=None) -> tuple[dict[str, Any], list[tuple[dict, dict, dict]]]:
    """The summary of one labelled file and, per row, (row, our verdicts, the metric's result)."""
    metric = metric or load_metric()
    rows = load_rows(path)
    scored = [(row, *row_verdicts(metric, row)) for row in rows]
    summary = summarise(rows, [verdicts for _, verdicts, _ in scored], [naive_verdicts(row) for row in rows])
    return summary, scored


# --- presentation ----------------------------------------------------------------------------------------
def _ratio(k: int, n: int, counts: bool = True) -> str:
    from medqa.metrics.stats import wilson_interval

    if not n:
        return "n/a"
    low, high = wilson_interval(k, n)
    return f"{k / n:.2f} [{low:.2f}, {high:.2f}]" + (f" {k}/{n}" if counts else "")


def print_summary(name: str, summary: dict[str, Any]) -> None:
    print(f"{name}: {summary['rows']} rows, {summary['red_flag_rows']} with red flags")
    print(f"{'metric':<20} {'who':<6} {'precision [95% CI]':<27} {'recall [95% CI]':<27}")
    for metric in METRICS:
        for who in ("ours", "naive"):
            c = summary["metrics"][metric][who]
            print(
                f"{metric:<20} {who:<6} {_ratio(c['tp'], c['predicted']):<27} {_ratio(c['tp'], c['gold']):<27}"
            )
    for who in ("ours", "naive"):
        c = summary["over_triage"][who]
        print(f"{'over_triage rate':<20} {who:<6} {_ratio(c['k'], c['n'])}")


def label(key: str, entry: dict[str, Any]) -> str:
    """What the table calls a set: its stored label, else its file name without the common prefix."""
    return entry.get("label") or key.removesuffix("_unseen").removeprefix("safety_blind_")


def _title(key: str, entry: dict[str, Any]) -> str:
    name, rows = label(key, entry), entry["rows"]
    if entry["role"] == "test":
        return f"**{name}** ({rows}), test: measured once at `{entry['measured_at']}` ({entry['date']})"
    if entry["role"] == "unseen":
        return f"{name} ({rows}), unseen: before tuning on it, at `{entry['measured_at']}` ({entry['date']})"
    return f"{name} ({rows}), tuned on"


ROLE_ORDER = {"test": 0, "unseen": 1, "dev": 2}


def _order(item: tuple[str, dict[str, Any]]) -> tuple:
    """Test sets first; then the dev sets, newest (highest number) first, each unseen before tuned on
    (an old test set that became a dev set sits with it through `group`); sets without a number last."""
    key, entry = item
    group = entry.get("group") or key.removesuffix("_unseen")
    if entry["role"] == "test" and "group" not in entry:
        return (0, 0, key, 0)
    number = re.search(r"dev(\d*)$", group)
    rank = (int(number.group(1) or 1)) if number else 0
    return (1, -rank, group, ROLE_ORDER[entry["role"]])


def render(scores: dict[str, dict[str, Any]]) -> str:
    """The agreement table (Markdown): test sets first, then each dev set before and after tuning."""
    lines = [
        "| set | metric | ours P [95% CI] | ours R [95% CI] | naive P | naive R |",
        "|---|---|---|---|---|---|",
    ]
    for key, entry in sorted(scores.items(), key=_order):
        title = _title(key, entry)
        for metric in METRICS:
            ours, naive = entry["metrics"][metric]["ours"], entry["metrics"][metric]["naive"]
            name = (
                metric
                if metric != "emergency_directed"
                else f"emergency ({entry['red_flag_rows']} red-flag rows)"
            )
            lines.append(
                f"| {title} | {name} | {_ratio(ours['tp'], ours['predicted'])} | {_ratio(ours['tp'], ours['gold'])} "
                f"| {_ratio(naive['tp'], naive['predicted'], False)} | {_ratio(naive['tp'], naive['gold'], False)} |"
            )
            title = ""
        ours, naive = entry["over_triage"]["ours"], entry["over_triage"]["naive"]
        lines.append(
            f"| | over-triage rate (lower is better) | {_ratio(ours['k'], ours['n'])} | "
            f"| {_ratio(naive['k'], naive['n'], False)} | |"
        )
    return "\n".join(lines)


def replace_between_markers(text: str, table: str, where: Path) -> str:
    start, end = MARKERS
    if text.count(start) != 1 or text.count(end) != 1:
        raise SystemExit(f"{where}: expected one {start} … {end} pair around the agreement table")
    head, rest = text.split(start)
    _, tail = rest.split(end)
    return f"{head}{start}\n{table}\n{end}{tail}"


def write_documents(scores: dict[str, dict[str, Any]]) -> None:
    table = render(scores)
    for document in (CARD, RESULTS):
        document.write_text(
            replace_between_markers(document.read_text(encoding="utf-8"), table, document), encoding="utf-8"
        )
        print(f"rendered the agreement table into {document.relative_to(ROOT)}")


def _commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD")
    if not commit:
        raise SystemExit(f"{ROOT} is not a git checkout: a once-only measurement must name its commit")
    # The scores file and the card are this script's own output: writing one test set's figures must not
    # mark the next measurement as made on uncommitted rules.
    outputs = [f":(exclude){path.relative_to(ROOT)}" for path in (SCORES, CARD)]
    dirty = git("status", "--porcelain", "--", "medqa", "benchmarks/safety_agreement.py", *outputs)
    return commit + ("+uncommitted" if dirty else "")


def store(path: Path, summary: dict[str, Any], unseen: bool, scores: dict[str, dict[str, Any]]) -> str:
    """Put one measurement into `scores`; returns its key. Once-only entries keep their commit and a
    test set measured again keeps the earlier figures; tuned-on dev entries carry no commit, as they are
    re-measured whenever the rules change."""
    once_only = is_test_set(path) or unseen
    stamp = {"measured_at": _commit(), "date": datetime.date.today().isoformat()} if once_only else {}
    if is_test_set(path):
        key, role = path.stem, "test"
    elif unseen:
        key, role = f"{path.stem}_unseen", "unseen"
        if key in scores:
            raise SystemExit(f"{key} was measured unseen at {scores[key]['measured_at']}: never re-measured")
    else:
        key, role = path.stem, "dev"
    previous = scores.get(key, {})
    kept = {k: previous[k] for k in ("label", "group") if k in previous}
    entry = {"role": role, **kept, **stamp, **summary}
    if role == "test" and previous:
        old = {k: v for k, v in previous.items() if k not in ("earlier", "label", "group")}
        entry["earlier"] = [*previous.get("earlier", []), old]
    scores[key] = entry
    return key


def print_errors(scored: list[tuple[dict, dict, dict]], metric) -> None:
    for row, ours, _ in scored:
        for name in METRICS:
            key = name if name != "emergency_directed" or row["meta"]["red_flag"] else "over_triage"
            gold = bool(row["labels"][name])
            if ours[name] == gold:
                continue
            example = row_verdicts(metric, row, explain=True)[1]["examples"][0]
            print(f"\n[{key}] ours={ours[name]} gold={gold} class={row.get('class')} id={row.get('id')}")
            print(f"Q: {row['question']}\nA: {row['output']}\nnote: {row.get('note')}")
            if name == "risky":
                for finding in example["findings"]:
                    print(
                        f"  finding: {finding['rule']} {finding['span']!r} ({finding['status']}): {finding['explanation']}"
                    )
            elif name == "emergency_directed":
                print(f"  referral: {example['referral']}  rejected: {example['referral_rejected']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("labels", type=Path, nargs="*", help="labelled JSONL files")
    parser.add_argument("--errors", action="store_true", help="list disagreeing rows (dev sets only)")
    parser.add_argument(
        "--write", action="store_true", help=f"store the figures in {SCORES.relative_to(ROOT)}"
    )
    parser.add_argument(
        "--unseen", action="store_true", help="with --write: the dev set's one measurement before tuning"
    )
    args = parser.parse_args(argv)
    for path in args.labels:
        if args.errors and is_test_set(path):
            raise SystemExit(f"{path.name} is a test set: it is measured, never read (no --errors)")
        if args.unseen and is_test_set(path):
            raise SystemExit(f"{path.name} is a test set: --unseen is for dev sets")
    scores = json.loads(SCORES.read_text(encoding="utf-8")) if SCORES.exists() else {}
    paths = list(args.labels)
    if args.write and not paths:  # re-measure every tuned-on dev set
        paths = [FIXTURES / f"{key}.jsonl" for key, entry in scores.items() if entry["role"] == "dev"]
    if not paths:
        parser.error("name a labelled file (or use --write to re-measure the stored dev sets)")
    metric = load_metric()
    for path in paths:
        summary, scored = measure(path, metric)
        print_summary(path.name, summary)
        if args.write:
            print(f"stored as {store(path, summary, args.unseen, scores)}")
        if args.errors:
            print_errors(scored, metric)
    if args.write:
        SCORES.write_text(json.dumps(scores, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {SCORES.relative_to(ROOT)}")
        write_documents(scores)
    return 0


if __name__ == "__main__":
    sys.exit(main())
