"""De-identification: precision and recall on a labeled synthetic set with hard negatives."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from medqa.data.deidentify import PII_TYPES, _id_checksum_ok, _luhn_ok, deidentify, find_pii

LABELED = Path(__file__).parent / "fixtures" / "pii_labeled.jsonl"


def test_precision_and_recall_on_the_labeled_set():
    rows = [json.loads(line) for line in LABELED.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 80 and sum(not r["pii"] for r in rows) >= 30  # hard negatives included
    true_positive = predicted = gold = 0
    for row in rows:
        expected = Counter((p["type"], p["value"]) for p in row["pii"])
        found = Counter((span.type, span.text) for span in find_pii(row["text"]))
        true_positive += sum((expected & found).values())
        predicted += sum(found.values())
        gold += sum(expected.values())
    assert {p["type"] for r in rows for p in r["pii"]} == set(PII_TYPES)
    assert true_positive / predicted >= 0.95
    assert true_positive / gold >= 0.95


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我是张先生，电话13912345670。", "我是[NAME]先生，电话[PHONE]。"),
        ("患者王某某，男，45岁", "患者[NAME]，男，45岁"),
        ("Mr. Smith called.", "Mr. [NAME] called."),
        ("身份证号11010519491231002X", "身份证号[ID_NUMBER]"),
        ("卡号6222 0212 3456 7890 127", "卡号6222 0212 3456 7890 127"),  # fails Luhn: not a card
        ("ＴＥＬ：１３８００１３８０００", "ＴＥＬ：[PHONE]"),  # full-width digits
    ],
)
def test_replacements(text, expected):
    assert deidentify(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "血压150/95 mmHg，布洛芬400mg每日3次",
        "2023年3月5日开始发烧，体温39.2℃",
        "Call Poison Control at 1-800-222-1222.",
        "See https://www.who.int/health-topics/diabetes",
        "患者高热3天，既往高血压10年",
        "在2020年12月出生的宝宝中黄疸常见",
    ],
)
def test_hard_negatives_stay(text):
    assert deidentify(text) == (text, Counter())


def test_validity_checks():
    assert _id_checksum_ok("11010519491231002X") and not _id_checksum_ok("110105194912310021")
    assert _luhn_ok("4111111111111111") and not _luhn_ok("4111111111111112")


def test_counts_per_type():
    text, counts = deidentify("李女士 13800138000，邮箱 li@example.com，备用 13900139000")
    assert counts == Counter({"PHONE": 2, "NAME": 1, "EMAIL": 1})
    assert "[EMAIL]" in text and "13800138000" not in text
