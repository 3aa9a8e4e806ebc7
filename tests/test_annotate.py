"""Annotation accuracy per field against the hand-labeled sample, and the lexicons behind it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medqa.data.annotate import (
    annotate,
    classify_complexity,
    classify_style,
    heuristic_quality,
    specialty_slugs,
)
from medqa.resources import SAMPLE_CORPUS, resource_path
from medqa.safety.lexicons import load_lexicon

LABELS = Path(__file__).parent / "fixtures" / "sample_labels.jsonl"
# Accuracy each field must reach on the labeled sample; measured at the time of writing: language 1.00,
# specialty 0.88, red_flag 0.98, medication 0.98, lang_style 0.98, risk_level 0.92.
MINIMUM_ACCURACY = {
    "language": 0.95,
    "specialty": 0.80,
    "red_flag": 0.90,
    "medication": 0.90,
    "lang_style": 0.90,
    "risk_level": 0.85,
}
LABEL_SLUGS = {
    "cardiology", "neurology", "respiratory", "gastroenterology", "endocrinology", "pediatrics",
    "obstetrics_gynecology", "dermatology", "psychiatry", "infectious_disease", "orthopedics", "ophthalmology",
    "ent", "urology_nephrology", "emergency_toxicology", "pharmacology", "general",
}  # fmt: skip


def measured_accuracy() -> dict[str, float]:
    rows = [
        json.loads(line) for line in resource_path(SAMPLE_CORPUS).read_text(encoding="utf-8").splitlines()
    ]
    labels = {row["line"]: row for row in map(json.loads, LABELS.read_text(encoding="utf-8").splitlines())}
    correct = dict.fromkeys(MINIMUM_ACCURACY, 0)
    for line, row in enumerate(rows, start=1):
        notes = annotate(row["question"], row["think"], row["answer"], None)
        for field in correct:
            correct[field] += getattr(notes, field) == labels[line][field]
    return {field: hits / len(rows) for field, hits in correct.items()}


def test_field_accuracy_on_the_labeled_sample():
    accuracy = measured_accuracy()
    for field, minimum in MINIMUM_ACCURACY.items():
        assert accuracy[field] >= minimum, accuracy


def test_specialty_lexicon():
    lexicon = load_lexicon("specialties", required=("slug", "name_zh", "name_en", "zh", "en"))
    assert len(lexicon["entries"]) >= 15
    assert set(specialty_slugs()) >= LABEL_SLUGS
    for entry in lexicon["entries"]:
        assert entry["zh"] and entry["en"], entry["slug"]


@pytest.mark.parametrize(
    ("question", "style"),
    [
        ("患者，男，65岁，突发胸痛2小时。最可能的诊断是？", "exam"),
        ("A 24-year-old presents with palpitations. Which drug is first-line?", "exam"),
        ("医生，我最近老是头疼，怎么办？", "colloquial"),
        ("帕金森病早期的运动症状有哪些特点？", "professional"),
    ],
)
def test_style(question, style):
    assert classify_style(question) == style


def test_complexity_and_quality_heuristics():
    assert classify_complexity("头痛怎么办？", "短") == "simple"
    assert classify_complexity("为什么会头痛？需要做什么检查？另外吃什么药？", "想" * 900) == "complex"
    low, high = heuristic_quality("q", "短短短短", "短"), heuristic_quality("q", "分析" * 200, "建议" * 100)
    assert 0 <= low < high <= 1
