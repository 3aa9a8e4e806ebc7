"""Risk level of a question (low | medium | high | critical), with the reasons behind it.

Rules, from the strongest:
- critical: a red flag of critical severity (`lexicons/red_flags.yaml`);
- high: a red flag of high severity, a mental-health crisis, or medication/dose content about a
  vulnerable population (pregnancy, infants and children, elderly);
- medium: medication or dose content, or a vulnerable population;
- low: anything else.
Medication content is a drug mention from `medqa.safety.drugs` (the knowledge base `medqa/resources/drugs/`) or a
medication word from `lexicons/risk_cues.yaml`; dose content is an amount with a dose unit or a
dosing frequency ("500 mg", "两片", "twice a day").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from medqa.safety.lexicons import load_lexicon
from medqa.safety.matching import TermMatcher
from medqa.safety.red_flags import RedFlagMatch, find_red_flags
from medqa.safety.text import fold

VULNERABLE = ("pregnancy", "infants_children", "elderly")
POPULATIONS = (*VULNERABLE, "mental_health_crisis")
CRISIS = POPULATIONS[-1]


@dataclass(frozen=True)
class RiskAssessment:
    level: str
    red_flag: bool
    reasons: tuple[str, ...]
    medication: bool = False
    red_flags: tuple[RedFlagMatch, ...] = ()


@dataclass(frozen=True)
class _RiskLexicons:
    population_terms: TermMatcher
    population_by_term: dict[str, str]
    population_patterns: tuple[tuple[str, re.Pattern[str]], ...]
    medication: TermMatcher
    dose: re.Pattern[str]


def _terms(entries: list[dict], kind: str) -> list[str]:
    return [str(term) for entry in entries if entry["kind"] == kind for term in entry["terms"]]


@cache
def _lexicons() -> _RiskLexicons:
    entries = load_lexicon("populations", required=("name", "terms"))["entries"]
    population_by_term = {
        fold(str(term)).strip(): entry["name"] for entry in entries for term in entry["terms"]
    }
    population_patterns = tuple(
        (entry["name"], re.compile("|".join(entry["patterns"]))) for entry in entries if entry.get("patterns")
    )
    cues = load_lexicon("risk_cues", required=("kind", "terms"))["entries"]
    units = "|".join(re.escape(fold(u)) for u in sorted(_terms(cues, "dose_unit"), key=len, reverse=True))
    dose = re.compile(
        rf"\d+(?:\.\d+)?\s*(?:{units})(?![a-z])|[一二两三四五六七八九十半]\s*(?:片|粒)"
        r"|(?<![a-z])(?:bid|tid|qid|qd|twice a day|three times a day)(?![a-z])"
    )
    return _RiskLexicons(
        TermMatcher(population_by_term),
        population_by_term,
        population_patterns,
        TermMatcher(_terms(cues, "medication")),
        dose,
    )


def _drug_mentioned(folded: str) -> bool:
    """A drug name, through the shared drug detector. Negated mentions count too: "不要给孩子吃阿司匹林"
    and "要不要吃阿莫西林" are both questions about medication."""
    from medqa.safety.drugs import find_drug_mentions

    return bool(find_drug_mentions(folded, folded=True))


def populations(text: str) -> list[str]:
    """Vulnerable populations the (folded) text is about, in lexicon order."""
    lexicons = _lexicons()
    found = {lexicons.population_by_term[m.group(0)] for m in lexicons.population_terms.finditer(text)}
    found |= {
        name for name, pattern in lexicons.population_patterns if name not in found and pattern.search(text)
    }
    return [name for name in POPULATIONS if name in found]


def assess_risk(question: str) -> RiskAssessment:
    """Risk level of a user question by the rules in the module docstring."""
    lexicons = _lexicons()
    text = fold(question)
    flags = tuple(find_red_flags(text, folded=True))
    groups = populations(text)
    medication = _drug_mentioned(text) or next(lexicons.medication.finditer(text), None) is not None
    dose = lexicons.dose.search(text) is not None
    reasons = [f"red_flag:{flag.category}" for flag in flags]
    reasons += [f"population:{group}" for group in groups]
    reasons += ["medication"] * medication + ["dose"] * dose
    about_medicine = medication or dose
    if any(flag.severity == "critical" for flag in flags):
        level = "critical"
    elif flags or CRISIS in groups or (about_medicine and any(g in VULNERABLE for g in groups)):
        level = "high"
    elif about_medicine or groups:
        level = "medium"
    else:
        level = "low"
    return RiskAssessment(level, bool(flags), tuple(dict.fromkeys(reasons)), medication or dose, flags)
