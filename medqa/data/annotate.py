"""Annotations for `meta`: language, specialty, risk, red flag, complexity, style and quality.

The detectors are the shared ones in `medqa.safety` (red flags, risk), so the data, the metric and
the demo agree on what a red flag is.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

from medqa.data.validate import estimate_tokens
from medqa.safety.lexicons import load_lexicon
from medqa.safety.matching import TermMatcher
from medqa.safety.risk import assess_risk
from medqa.safety.text import detect_language, fold

COMPLEXITIES = ("simple", "moderate", "complex")
GENERAL = "general"

# Exam style: a vignette ("患者，男，45岁", "A 45-year-old man") or a question stem with options.
_EXAM = re.compile(
    r"最可能的|首选的|首先应考虑|下列|以下哪|哪一项|哪项|^(患者|患儿)[,，]\s*[男女]"
    r"|(?<![a-z0-9])a[.、)]\s*\S.*?(?<![a-z0-9])b[.、)]\s*\S.*?(?<![a-z0-9])c[.、)]"
    r"|^an? (\d+-(year|month|week)-old|[a-z ]{0,30}(wearer|patient)) |\bpresents with\b"
    r"|most (likely|appropriate)|is most important|which of the following"
)
# Patient voice: first person, family members, everyday words ("我", "my son", "怎么办").
_COLLOQUIAL = re.compile(
    r"我|孩子|宝宝|怎么|要不要|能不能|可以吗|吗[?？]|呢[?？]|好几天|了两天|一个星期|老是|看不懂|有什么办法|能吃什么"
    r"|\b(?:i|i'm|i've|my|me)\b|can i\b|should i\b|is it (?:safe|normal)|what's the best way"
)
_SUBQUESTION = re.compile(r"[?？]|另外|还有|以及|并且|\band\b|\balso\b")


@dataclass(frozen=True)
class Annotation:
    language: str
    specialty: str
    risk_level: str
    red_flag: bool
    medication: bool
    complexity: str
    lang_style: str
    quality: float


@cache
def _specialties() -> tuple[TermMatcher, dict[str, list[tuple[str, float]]], tuple[str, ...]]:
    entries = load_lexicon("specialties", required=("slug", "name_zh", "name_en", "zh", "en"))["entries"]
    by_term: dict[str, list[tuple[str, float]]] = {}
    for entry in entries:
        for term in [*entry["zh"], *entry["en"]]:
            by_term.setdefault(fold(str(term)).strip(), []).append(
                (entry["slug"], float(entry.get("weight", 1)))
            )
    return TermMatcher(by_term), by_term, tuple(entry["slug"] for entry in entries)


def specialty_slugs() -> tuple[str, ...]:
    return _specialties()[2]


def classify_specialty(question: str, folded: bool = False) -> str:
    """The specialty whose keywords weigh most in the question (each hit: the entry's weight times the
    square root of the keyword's length); ties go to the earlier lexicon entry.
    Pass `folded=True` when `question` is already `fold(...)`-ed (likewise for the other classifiers)."""
    matcher, by_term, slugs = _specialties()
    scores: Counter[str] = Counter()
    for match in matcher.finditer(question if folded else fold(question)):
        for slug, weight in by_term[match.group(0)]:
            scores[slug] += weight * math.sqrt(len(match.group(0)))  # 心肌梗死 says more than 心
    if not scores:
        return GENERAL
    return max(slugs, key=lambda slug: (scores[slug], -slugs.index(slug)))


def classify_style(question: str, folded: bool = False) -> str:
    """exam (a vignette or a stem with options), colloquial (the patient's own voice) or professional."""
    text = (question if folded else fold(question)).strip()
    if _EXAM.search(text):
        return "exam"
    if _COLLOQUIAL.search(text):
        return "colloquial"
    return "professional"


def classify_complexity(question: str, think: str, folded: bool = False) -> str:
    """simple / moderate / complex from how many things are asked and how long the reasoning runs:
    one point per extra sub-question, one for a think trace over 300 tokens, one more over 800."""
    points = max(0, len(_SUBQUESTION.findall(question if folded else fold(question))) - 1)
    think_tokens = estimate_tokens(think)
    points += (think_tokens > 300) + (think_tokens > 800)
    return COMPLEXITIES[min(points, 2)]


def heuristic_quality(question: str, think: str, answer: str) -> float:
    """A 0–1 score for rows without an upstream `metrics.quality_f1`.

    Half from the answer (full marks at 80+ tokens), a third from the reasoning (full at 150+ tokens),
    and the rest from how little the reasoning repeats itself (distinct 3-character windows)."""
    answer_part = min(estimate_tokens(answer) / 80, 1.0)
    think_part = min(estimate_tokens(think) / 150, 1.0)
    windows = [think[i : i + 3] for i in range(0, max(len(think) - 2, 1))]
    variety = len(set(windows)) / len(windows)
    return round(0.5 * answer_part + 1 / 3 * think_part + 1 / 6 * variety, 4)


def annotate(question: str, think: str, answer: str, quality: float | None) -> Annotation:
    risk = assess_risk(question)
    folded = fold(question)
    return Annotation(
        language=detect_language(question),
        specialty=classify_specialty(folded, folded=True),
        risk_level=risk.level,
        red_flag=risk.red_flag,
        medication=risk.medication,
        complexity=classify_complexity(folded, think, folded=True),
        lang_style=classify_style(folded, folded=True),
        quality=round(float(quality), 4)
        if quality is not None
        else heuristic_quality(question, think, answer),
    )
