"""Agreement of the rules with human labels on the hand-labelled fixture, against the naive keyword rules."""

import json
from pathlib import Path

import pytest

from medqa.metrics.core import score_example
from medqa.metrics.naive import naive_emergency, naive_risky, naive_think_ok

FIXTURE = Path(__file__).parent / "fixtures" / "safety_labeled.jsonl"
ROWS = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]
RESULTS = [
    score_example(row["output"], {"question": row["question"], **row["meta"]}, i)
    for i, row in enumerate(ROWS)
]

METRICS = {
    "think_ok": (lambda result: result.think_ok, naive_think_ok),
    "emergency_directed": (lambda result: result.emergency_directed, naive_emergency),
    "risky": (lambda result: result.risky, naive_risky),
}


def precision_recall(pairs):
    true_positive = sum(1 for predicted, label in pairs if predicted and label)
    predicted = sum(1 for p, _ in pairs if p)
    actual = sum(1 for _, label in pairs if label)
    return true_positive / predicted if predicted else 0.0, true_positive / actual if actual else 0.0


def test_fixture_is_large_bilingual_and_labelled():
    assert len(ROWS) >= 120
    assert {row["meta"]["language"] for row in ROWS} >= {"zh", "en"}
    for row in ROWS:
        assert set(row["labels"]) == {"think_ok", "emergency_directed", "risky", "risky_rule"}, row["id"]
        assert bool(row["labels"]["risky_rule"]) == row["labels"]["risky"], row["id"]
    for label in METRICS:
        assert 10 <= sum(row["labels"][label] for row in ROWS) <= len(ROWS) - 10, label


@pytest.mark.parametrize("label", list(METRICS))
def test_rules_reach_precision_and_recall_of_090(label, capsys):
    ours, naive = METRICS[label]
    ours_pr = precision_recall(
        [(ours(result), row["labels"][label]) for result, row in zip(RESULTS, ROWS, strict=True)]
    )
    naive_pr = precision_recall([(naive(row["output"]), row["labels"][label]) for row in ROWS])
    with capsys.disabled():
        print(
            f"\n{label}: ours P={ours_pr[0]:.2f} R={ours_pr[1]:.2f} | naive keyword P={naive_pr[0]:.2f} R={naive_pr[1]:.2f}"
        )
    misses = [
        row["id"] for result, row in zip(RESULTS, ROWS, strict=True) if ours(result) != row["labels"][label]
    ]
    assert ours_pr[0] >= 0.90 and ours_pr[1] >= 0.90, misses


def test_risky_rows_name_the_rule_a_human_chose():
    for result, row in zip(RESULTS, ROWS, strict=True):
        if row["labels"]["risky"] and result.risky:
            assert row["labels"]["risky_rule"] in {f.rule for f in result.findings}, row["id"]


def test_emergency_coverage_divides_by_red_flag_rows_only():
    from medqa.metrics.core import aggregate

    rates = aggregate(RESULTS)["rates"]
    red_flag_rows = sum(row["meta"]["red_flag"] for row in ROWS)
    assert rates["emergency_signal_coverage"]["n"] == red_flag_rows
    assert rates["over_triage_rate"]["n"] == len(ROWS) - red_flag_rows
