"""The packaged data files: bundled sample corpus, its ground-truth labels, the malformed fixture
and the red-team set. Fast, no model: these only read jsonl and check shape and coverage."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from medqa.resources import RED_TEAM, SAMPLE_CORPUS, SAMPLE_MALFORMED, resource_path
from medqa.schema import (
    EXPECTED_BEHAVIOURS,
    LANG_STYLES,
    LANGUAGES,
    RAW_FIELDS,
    RED_TEAM_CATEGORIES,
    RISK_LEVELS,
    validate_red_team_row,
)

LABELS = Path(__file__).resolve().parent / "fixtures" / "sample_labels.jsonl"

SPECIALTIES = {
    "cardiology",
    "neurology",
    "respiratory",
    "gastroenterology",
    "endocrinology",
    "pediatrics",
    "obstetrics_gynecology",
    "dermatology",
    "psychiatry",
    "infectious_disease",
    "orthopedics",
    "ophthalmology",
    "ent",
    "urology_nephrology",
    "emergency_toxicology",
    "pharmacology",
    "general",
}
PII_TYPES = {"PHONE", "ID_NUMBER", "EMAIL", "NAME", "DATE_OF_BIRTH", "URL", "BANK_CARD", "LICENSE_PLATE"}
MALFORMED_REASONS = {
    "invalid_json",
    "missing_field",
    "empty_field",
    "wrong_type",
    "malformed_think",
    "too_long",
    "not_an_object",
}
TOO_LONG_CHARS = 20_000

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
URGENT = re.compile(r"急诊|120|立即就医|马上就医|emergency|911|999|immediately", re.IGNORECASE)
# Sentence ends: CJK/ASCII terminal punctuation, or a full stop followed by space or end of text
# (so decimals such as 0.70 or 1.73m2 do not split).
SENTENCE_END = re.compile(r"(?<=[。！？!?])|(?<=\.)(?=\s|$)")


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _cjk_share(text: str) -> float:
    chars = re.sub(r"\s", "", text)
    return len(CJK.findall(chars)) / max(1, len(chars))


def _sentences(text: str) -> list[str]:
    return [part for part in SENTENCE_END.split(text) if part.strip()]


@pytest.fixture(scope="module")
def corpus_lines() -> list[str]:
    return _lines(resource_path(SAMPLE_CORPUS))


@pytest.fixture(scope="module")
def corpus(corpus_lines) -> list[dict]:
    return [json.loads(line) for line in corpus_lines]


@pytest.fixture(scope="module")
def labels() -> list[dict]:
    return [json.loads(line) for line in _lines(LABELS)]


@pytest.fixture(scope="module")
def red_team() -> list[dict]:
    return [json.loads(line) for line in _lines(resource_path(RED_TEAM))]


# ----------------------------------------------------------------------------- sample corpus


def test_corpus_rows_match_the_raw_schema(corpus_lines, corpus):
    assert len(corpus) >= 200
    for number, (line, row) in enumerate(zip(corpus_lines, corpus, strict=True), start=1):
        assert line.strip() == line and line, f"line {number}: blank or padded line"
        assert isinstance(row, dict), f"line {number}"
        assert set(row) <= {*RAW_FIELDS, "metrics"}, f"line {number}: unexpected keys {set(row)}"
        for field in RAW_FIELDS:
            assert isinstance(row[field], str) and row[field].strip(), f"line {number}: {field}"
            assert "<think>" not in row[field] and "</think>" not in row[field], f"line {number}: {field}"
        if "metrics" in row:
            assert set(row["metrics"]) == {"quality_f1"}, f"line {number}"
            quality = row["metrics"]["quality_f1"]
            assert isinstance(quality, float) and 0.5 <= quality <= 0.99, f"line {number}: {quality}"


def test_corpus_is_utf8_with_unescaped_cjk():
    raw = resource_path(SAMPLE_CORPUS).read_bytes()
    text = raw.decode("utf-8")
    assert "\\u" not in text, "write with ensure_ascii=False"


def test_about_half_the_rows_carry_metrics(corpus):
    share = sum("metrics" in row for row in corpus) / len(corpus)
    assert 0.35 <= share <= 0.65


def test_chinese_share_measured_from_the_text(corpus):
    zh = sum(_cjk_share(row["question"]) > 0.3 for row in corpus)
    assert 0.55 <= zh / len(corpus) <= 0.65


def test_think_traces_are_short(corpus):
    for number, row in enumerate(corpus, start=1):
        count = len(_sentences(row["think"]))
        assert 1 <= count <= 4, f"line {number}: {count} sentences in think"


# ----------------------------------------------------------------------------- labels


def test_labels_align_with_the_corpus(corpus, labels):
    assert len(labels) == len(corpus)
    for number, label in enumerate(labels, start=1):
        assert label["line"] == number
        assert label["language"] in LANGUAGES
        assert label["specialty"] in SPECIALTIES
        assert label["lang_style"] in LANG_STYLES
        assert label["risk_level"] in RISK_LEVELS
        assert isinstance(label["red_flag"], bool) and isinstance(label["medication"], bool)
        assert set(label["pii"]) <= PII_TYPES
        duplicate_of = label["duplicate_of"]
        assert duplicate_of is None or (isinstance(duplicate_of, int) and 1 <= duplicate_of < number)


def test_language_labels_agree_with_the_text(corpus, labels):
    for number, (row, label) in enumerate(zip(corpus, labels, strict=True), start=1):
        share = _cjk_share(row["question"])
        if label["language"] == "zh":
            assert share > 0.3, f"line {number}"
        elif label["language"] == "en":
            assert share <= 0.3, f"line {number}"


def test_specialty_coverage(labels):
    counts = Counter(label["specialty"] for label in labels if label["specialty"] != "general")
    covered = [name for name, count in counts.items() if count >= 8]
    assert len(covered) >= 12, counts


def test_red_flag_rows_urge_urgent_care(corpus, labels):
    flagged = [number for number, label in enumerate(labels, start=1) if label["red_flag"]]
    assert len(flagged) >= 30
    for number in flagged:
        assert URGENT.search(corpus[number - 1]["answer"]), f"line {number}: no urgent-care phrase"
        assert labels[number - 1]["risk_level"] in {"high", "critical"}, f"line {number}"


def test_medication_rows(labels):
    assert sum(label["medication"] for label in labels) >= 30


def test_duplicates_are_present_and_labelled(corpus_lines, corpus, labels):
    first_seen: dict[str, int] = {}
    exact = 0
    for number, line in enumerate(corpus_lines, start=1):
        if line in first_seen:
            exact += 1
            assert labels[number - 1]["duplicate_of"] == first_seen[line], f"line {number}"
        else:
            first_seen[line] = number
    assert exact >= 3
    labelled = [
        (n, label["duplicate_of"]) for n, label in enumerate(labels, start=1) if label["duplicate_of"]
    ]
    near = [(n, orig) for n, orig in labelled if corpus_lines[n - 1] != corpus_lines[orig - 1]]
    assert len(near) >= 4
    for number, original in near:
        assert corpus[number - 1]["question"] != corpus[original - 1]["question"]
        assert corpus[number - 1]["answer"] == corpus[original - 1]["answer"], f"line {number}"


def test_fake_pii_rows_and_hard_negatives(corpus, labels):
    with_pii = [n for n, label in enumerate(labels, start=1) if label["pii"]]
    assert 10 <= len(with_pii) <= 16
    types = Counter(kind for label in labels for kind in label["pii"])
    for kind in ("PHONE", "ID_NUMBER", "EMAIL", "NAME", "DATE_OF_BIRTH"):
        assert types[kind] >= 1, kind
    text = "\n".join(row["question"] for row in corpus)
    emails = re.findall(r"[\w.]+@example\.(?:com|org)", text)
    assert emails, "fake e-mails use the reserved example domains"
    for hard_negative in ("500mg", "150/95", "120次/分", "2019年"):
        assert hard_negative in text, hard_negative


def test_fake_id_numbers_carry_a_valid_checksum(corpus):
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    found = re.findall(r"(?<!\d)\d{17}[\dX](?!\d)", "\n".join(row["question"] for row in corpus))
    assert found
    for number in found:
        check = "10X98765432"[sum(int(d) * w for d, w in zip(number[:17], weights, strict=True)) % 11]
        assert number[-1] == check, number


# ----------------------------------------------------------------------------- malformed fixture


def _malformed_reason(line: str) -> str:
    try:
        row = json.loads(line)
    except json.JSONDecodeError:
        return "invalid_json"
    if not isinstance(row, dict):
        return "not_an_object"
    for field in RAW_FIELDS:
        if field not in row:
            return "missing_field"
    for field in RAW_FIELDS:
        if not isinstance(row[field], str):
            return "wrong_type"
    for field in RAW_FIELDS:
        if not row[field].strip():
            return "empty_field"
    if any(tag in row[field] for field in RAW_FIELDS for tag in ("<think>", "</think>")):
        return "malformed_think"
    if any(len(row[field]) > TOO_LONG_CHARS for field in RAW_FIELDS):
        return "too_long"
    return "valid"


def test_malformed_lines_fail_the_way_the_expectations_say():
    lines = _lines(resource_path(SAMPLE_MALFORMED))
    expected = json.loads(
        (resource_path(SAMPLE_MALFORMED).parent / "malformed_expected.json").read_text("utf-8")
    )
    assert {int(key) for key in expected} == set(range(1, len(lines) + 1))
    assert set(expected.values()) == MALFORMED_REASONS
    for key, reason in expected.items():
        assert _malformed_reason(lines[int(key) - 1]) == reason, f"line {key}"


# ----------------------------------------------------------------------------- red-team set


def test_red_team_rows_are_valid(red_team):
    assert len(red_team) >= 80
    ids = [row["id"] for row in red_team]
    assert len(set(ids)) == len(ids)
    for row in red_team:
        validate_red_team_row(row, where=row["id"])
        meta = row["meta"]
        assert set(row) == {"id", "input", "meta"}
        assert set(meta) == {"category", "language", "risk_level", "red_flag", "expected"}
        assert re.fullmatch(rf"rt-{meta['category']}-\d{{2}}", row["id"]), row["id"]
        assert meta["category"] in RED_TEAM_CATEGORIES
        assert meta["language"] in {"zh", "en"}
        assert meta["risk_level"] in {"medium", "high", "critical"}
        assert set(meta["expected"]) <= set(EXPECTED_BEHAVIOURS)
        assert len(set(meta["expected"])) == len(meta["expected"])
        if meta["red_flag"]:
            assert "urgent_referral" in meta["expected"] or "crisis_support" in meta["expected"], row["id"]


def test_red_team_coverage(red_team):
    categories = Counter(row["meta"]["category"] for row in red_team)
    assert sum(count >= 6 for count in categories.values()) >= 8, categories
    languages = Counter(row["meta"]["language"] for row in red_team)
    for language in ("zh", "en"):
        assert languages[language] / len(red_team) >= 0.35, languages
    behaviours = {behaviour for row in red_team for behaviour in row["meta"]["expected"]}
    assert behaviours == set(EXPECTED_BEHAVIOURS)


def test_red_team_language_tag_matches_the_text(red_team):
    for row in red_team:
        is_zh = _cjk_share(row["input"]) > 0.3
        assert is_zh == (row["meta"]["language"] == "zh"), row["id"]
