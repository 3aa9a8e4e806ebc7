"""De-identification: precision and recall on labelled sets with hard negatives, one case per class."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from medqa.data.deidentify import PII_TYPES, _id_checksum_ok, _luhn_ok, deidentify, find_pii, score

FIXTURES = Path(__file__).parent / "fixtures"
LABELED = FIXTURES / "pii_labeled.jsonl"
# Written for issue 18 by a helper who had not seen the detectors. The dev half is tuned on; the
# test half (pii_blind_test.jsonl) is never read by tests: it was measured once, see
# benchmarks/bench_deidentify.py.
BLIND_DEV = FIXTURES / "pii_blind_dev.jsonl"


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


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
    assert {p["type"] for r in rows for p in r["pii"]} <= set(PII_TYPES)
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


def test_precision_and_recall_on_the_blind_dev_set():
    rows = _rows(BLIND_DEV)
    result = score(rows)
    assert {p["type"] for r in rows for p in r["pii"]} == set(PII_TYPES)
    assert result["overall"]["spans"] >= 150 and sum(not r["pii"] for r in rows) >= 30
    assert result["overall"]["precision"] >= 0.95 and result["overall"]["recall"] >= 0.95


def test_the_dataset_card_scores_are_a_fresh_measurement():
    """The per-type table in the dataset card comes from this file; it must match the rules."""
    from medqa.data.cards import DEIDENTIFICATION_SCORES, deidentification_quality
    from medqa.resources import resource_path

    stored = json.loads(resource_path(DEIDENTIFICATION_SCORES).read_text(encoding="utf-8"))
    assert stored["pii_labeled"] == score(_rows(LABELED))
    assert stored["pii_blind_dev"] == score(_rows(BLIND_DEV))
    assert stored["pii_blind_test"]["measured_at"]  # measured once, at a named commit
    table = deidentification_quality()
    assert all(f"| {kind} |" in table for kind in PII_TYPES) and "| **all** |" in table


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # addresses: zh province / city / district / road / number, en street addresses
        ("家住北京市朝阳区建国路88号3单元402室，头晕。", "家住[ADDRESS]，头晕。"),
        ("我在深圳市南山区高新南七道18号上班", "我在[ADDRESS]上班"),
        ("地址：朝阳区望京街道阜通东大街6号院3号楼", "地址：[ADDRESS]"),
        ("She lives at 221B Baker Street, London NW1 6XE.", "She lives at [ADDRESS]."),
        ("Mail it to 500 W Madison St, Chicago, IL 60661.", "Mail it to [ADDRESS]."),
        # passports, medical record and insurance numbers, after the words that name them
        ("护照号码：EJ1234567，要去国外复查", "护照号码：[PASSPORT]，要去国外复查"),
        ("passport no. C01X00T47", "passport no. [PASSPORT]"),
        ("住院号 ZY2024-00317，床号12", "住院号 [MEDICAL_RECORD]，床号12"),
        ("My MRN is 00482913.", "My MRN is [MEDICAL_RECORD]."),
        ("医保卡号 1100 2345 6789 01，能报销吗", "医保卡号 [INSURANCE]，能报销吗"),
        ("Medicare # 1EG4-TE5-MK72", "Medicare # [INSURANCE]"),
        ("新农合卡号 4301234567，能报销吗", "新农合卡号 [INSURANCE]，能报销吗"),
        # names after titles, roles, kinship and contact words; the title stays, the surname goes
        ("王医生您好，刘主任说要复查", "[NAME]医生您好，[NAME]主任说要复查"),
        ("我婆婆周秀英，今年70岁", "我婆婆[NAME]，今年70岁"),
        ("我老公李强说他头疼", "我老公[NAME]说他头疼"),
        ("我是谢芳，想查记录", "我是[NAME]，想查记录"),
        ("联系人：孙丽，家属：周强", "联系人：[NAME]，家属：[NAME]"),
        ("主治医师：王伟，术后复查", "主治医师：[NAME]，术后复查"),
        ("王建国，男，65岁，高血压十年", "[NAME]，男，65岁，高血压十年"),
        ("Nurse Kelly said my wife Karen can visit.", "Nurse [NAME] said my wife [NAME] can visit."),
        ("I'm Sarah and this is Maria Gonzalez.", "I'm [NAME] and this is [NAME]."),
        ("我儿媳妇刘晓丽刚生完孩子", "我儿媳妇[NAME]刚生完孩子"),
        ("My mother-in-law Susan has dementia.", "My mother-in-law [NAME] has dementia."),
        ("谢谢医生！李明", "谢谢医生！[NAME]"),
        # IDs and phones with spaces, parentheses and extensions
        ("身份证号 330106 19900101 123X", "身份证号 [ID_NUMBER]"),
        ("SSN 532-61-4478", "SSN [ID_NUMBER]"),
        ("电话(021)1234-5678转806，找张医生", "电话[PHONE]，找[NAME]医生"),
        ("call (212) 555-0198 ext. 304", "call [PHONE]"),
        ("韩雪，电话 010-8888 6666 转 12", "[NAME]，电话 [PHONE]"),
    ],
)
def test_each_class_of_identifier(text, expected):
    assert deidentify(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "I'm Very Worried About My Heart Rate Going Up To 130.",
        "I'm Feeling dizzy since Monday, is it my blood pressure?",
        "Do I need my passport to get a vaccination certificate?",
        "The group number is 00871 and the order number 123456789.",
        # surname characters that start or end ordinary words, before titles and after cue words
        "这种分类方法有助于医生选择药物，从而信任医生的诊断",
        "全科医生和康复医生都建议我去做胃镜",
        "患者焦虑明显，向患者解释病情，患者连续三天发烧",
        "我女儿黄疸十天了，我妈高血压，我老公高烧三天",
        "北京市朝阳区的医院哪家好？我现在在上海出差",
        "这个身份证号110105198001011232校验位好像不对",
        "医保卡里还有3000元",
    ],
)
def test_look_alikes_stay(text):
    assert deidentify(text) == (text, Counter())


def test_types_found_in_the_bundled_sample_match_its_labels():
    """221 sample rows (long reasoning text, PII in a few): no identifier invented, none missed."""
    from medqa.resources import SAMPLE_CORPUS, resource_path

    rows = _rows(resource_path(SAMPLE_CORPUS))
    labels = _rows(FIXTURES / "sample_labels.jsonl")
    found = [
        {s.type for field in ("question", "think", "answer") for s in find_pii(row[field])} for row in rows
    ]
    assert found == [set(label["pii"]) for label in labels]
