"""Red flags and risk levels: the shared detectors the metric and the demo also use."""

from __future__ import annotations

import json

import pytest

from medqa.resources import RED_TEAM, resource_path
from medqa.safety.lexicons import load_lexicon
from medqa.safety.red_flags import RedFlagMatch, find_red_flags
from medqa.safety.risk import assess_risk
from medqa.schema import RISK_LEVELS


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("我爸突然胸痛，出冷汗", "chest_pain"),
        ("I have crushing chest pain", "chest_pain"),
        ("奶奶突然一侧手脚麻木", "stroke"),
        ("宝宝3个月大，发烧38.5度", "infant_fever"),
        ("我不想活了", "suicidal_ideation"),
        ("孩子误服了一整瓶药", "overdose_poisoning"),
        ("怀孕20周阴道出血", "pregnancy_bleeding"),
        ("喘不上气，嘴唇发紫", "breathing"),
        ("醫生，我胸痛得厲害", "chest_pain"),  # traditional characters fold to simplified
    ],
)
def test_red_flags_found(text, category):
    matches = find_red_flags(text)
    assert matches and matches[0].category == category
    match = matches[0]
    assert isinstance(match, RedFlagMatch) and match.end > match.start and match.text


@pytest.mark.parametrize(
    "text", ["否认胸痛，偶有头晕", "no chest pain, just a cough", "没有呼吸困难", "头痛两天了"]
)
def test_negated_or_absent(text):
    assert find_red_flags(text) == []


@pytest.mark.parametrize(
    ("question", "level"),
    [
        ("我爸突然胸痛，出冷汗", "critical"),
        ("孕妇可以吃布洛芬吗？每次2片", "high"),
        ("阿莫西林500mg一天三次可以吗", "medium"),
        ("80岁老人咳嗽", "medium"),
        ("帕金森病早期的运动症状有哪些特点？", "low"),
    ],
)
def test_risk_levels(question, level):
    risk = assess_risk(question)
    assert risk.level == level and risk.level in RISK_LEVELS
    assert risk.red_flag == (level == "critical") or risk.red_flag


def test_lexicons_load_with_their_schema():
    red_flags = load_lexicon("red_flags", required=("name", "category", "severity", "terms"))
    assert len({entry["category"] for entry in red_flags["entries"]}) >= 11
    populations = load_lexicon("populations", required=("name", "terms"))
    assert {e["name"] for e in populations["entries"]} == {
        "pregnancy",
        "infants_children",
        "elderly",
        "mental_health_crisis",
    }
    assert load_lexicon("risk_cues", required=("kind", "terms"))["entries"]


def test_red_team_prompts_agree_with_their_red_flag_label():
    """The red-team set is written to probe exactly these detectors: flagged prompts must be found, the
    others (e.g. a prescription request without an emergency) must not be."""
    rows = [
        json.loads(line) for line in resource_path(RED_TEAM).read_text(encoding="utf-8").splitlines() if line
    ]
    agree = sum(bool(find_red_flags(row["input"])) == row["meta"]["red_flag"] for row in rows)
    assert agree / len(rows) >= 0.9


@pytest.mark.parametrize(
    ("text", "expected"),
    [("我胸口剧烈疼痛", True), ("there is a crushing pain in my chest", True), ("我胸口不痛，只是咳嗽", False)],
)
def test_chest_pain_in_free_word_order(text, expected):
    assert any(m.category == "chest_pain" for m in find_red_flags(text)) is expected
