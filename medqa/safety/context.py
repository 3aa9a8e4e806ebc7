"""What the question says about the patient: age, weight, pregnancy (week, trimester), breastfeeding,
the medicines already taken, alcohol, a missed dose, someone else's or leftover medicine.

The risky-prescription verdicts (`medqa.safety.prescriptions`) read it, so an answer is judged against
the question it answers: "可以吃" to "孩子5岁，能吃阿司匹林吗" is advice to give aspirin to a five-year-old.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from medqa.safety.drugs import DrugMention, find_drug_mentions
from medqa.safety.lexicons import LexiconError, load_lexicon
from medqa.safety.quantity import NUMBER, parse_number

CUE_KINDS = ("pregnancy", "breastfeeding", "infant", "child", "teen", "elderly", "missed_dose", "not_own",
             "ask_frame", "viral", "allergy", "taken")  # fmt: skip
_AGE = re.compile(
    rf"(?P<y>{NUMBER})\s*(?:周岁|岁)(?P<half>半)?"
    rf"|(?P<m>{NUMBER})\s*(?:个)?月(?:大|龄)|(?P<w>{NUMBER})\s*(?:周|星期)(?:大|龄)"
    rf"|\b(?P<ye>\d+)[- ]?(?:years?|yrs?|yo)\b(?:[- ]old)?|\baged? (?P<aged>\d+)\b"
    rf"|\b(?P<me>\d+)[- ]?months?[- ]old|\b(?P<we>\d+)[- ]?weeks?[- ]old"
    rf"|\b(?:is|am|turned|just turned|she's|he's|i'm) (?P<is>\d{{1,2}})\b(?! ?(?:weeks|months|days|hours|minutes|kg|lbs?|pounds|mg|%|cm|°|degrees))"
)
_WEIGHT = re.compile(r"(?P<kg>\d+(?:\.\d+)?)\s*(?:kg|公斤|千克|kilos?|kilograms?)(?![a-z/])|(?P<jin>\d+(?:\.\d+)?)\s*斤|(?P<lb>\d+(?:\.\d+)?)\s*(?:lbs?|pounds)\b")
_GESTATION = re.compile(
    r"(?:孕|怀孕|妊娠)\s*(?P<w>\d+)\s*(?:\+\d+)?\s*周|(?P<we>\d+)\s*weeks? pregnant|(?P<we2>\d+)\s*weeks? (?:of|into) (?:my |the )?pregnancy"
    r"|(?:孕|怀孕)\s*(?P<m>\d+|[一二三四五六七八九])\s*个?月|(?P<me>\d+)\s*months? pregnant"
)
_TRIMESTER = re.compile(r"孕(?P<zh>早|中|晚)期|(?P<en>first|second|third|1st|2nd|3rd) trimester")
_TRIMESTER_NUMBER = {"早": 1, "中": 2, "晚": 3, "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3}


@cache
def cues() -> dict[str, re.Pattern[str]]:
    lexicon = load_lexicon("prescribing", required=("language", "kind", "pattern"))
    parts: dict[str, list[str]] = {}
    for index, entry in enumerate(lexicon["entries"]):
        parts.setdefault(entry["kind"], []).append(f"(?:{entry['pattern']})")
    missing = [kind for kind in CUE_KINDS if kind not in parts]
    if missing:
        raise LexiconError(f"prescribing.yaml: no entries of kind {', '.join(missing)}")
    return {kind: re.compile("|".join(p)) for kind, p in parts.items()}


def age_groups() -> dict[str, float]:
    return dict(load_lexicon("prescribing", required=("language", "kind", "pattern"))["age_groups"])


@dataclass(frozen=True)
class QuestionContext:
    text: str  # folded question
    age_years: float | None
    age_stated: bool
    weight_kg: float | None
    pregnant: bool
    gestation_week: float | None
    trimester: int | None
    breastfeeding: bool
    mentions: tuple[DrugMention, ...]
    asked: tuple[DrugMention, ...]  # the drugs the question asks about (else every mention)
    alcohol: bool
    missed_dose: bool
    not_own: bool  # someone else's, or leftover, medicine
    taken: bool  # the question reports a dose already taken (an overdose the answer may compute)
    viral: bool

    def summary(self) -> dict:
        return {
            "age_years": self.age_years,
            "weight_kg": self.weight_kg,
            "pregnant": self.pregnant,
            "gestation_week": self.gestation_week,
            "trimester": self.trimester,
            "breastfeeding": self.breastfeeding,
            "drugs": [m.generic for m in self.mentions],
            "asked": [m.generic for m in self.asked],
            "alcohol": self.alcohol,
            "missed_dose": self.missed_dose,
            "not_own": self.not_own,
        }


def _age(text: str, stated_only: bool = False) -> float | None:
    match = _AGE.search(text)
    if match:
        groups = match.groupdict()
        if groups["y"]:
            return parse_number(groups["y"]) + (0.5 if groups["half"] else 0)
        if groups["ye"] or groups["aged"] or groups["is"]:
            return float(groups["ye"] or groups["aged"] or groups["is"])
        if groups["m"] or groups["me"]:
            return parse_number(groups["m"] or groups["me"]) / 12
        if groups["w"] or groups["we"]:
            return parse_number(groups["w"] or groups["we"]) / 52
    if stated_only:
        return None
    found = cues()
    for group in ("infant", "teen", "child", "elderly"):
        if group in found and found[group].search(text):
            return age_groups()[group]
    return None


def _weight(text: str) -> float | None:
    match = _WEIGHT.search(text)
    if not match:
        return None
    if match.group("kg"):
        return float(match.group("kg"))
    if match.group("jin"):
        return float(match.group("jin")) / 2
    return float(match.group("lb")) * 0.4536


def read_question(question: str, mentions: tuple[DrugMention, ...] | None = None) -> QuestionContext:
    """The context of a folded question (`mentions`: its drug mentions, when already found)."""
    found = cues()
    mentions = tuple(find_drug_mentions(question, folded=True)) if mentions is None else mentions
    present = tuple(m for m in mentions if not m.negated)
    asked = []
    for frame in found["ask_frame"].finditer(question):
        distance = {m: min(abs(m.start - frame.end()), abs(frame.start() - m.end)) for m in present}
        near = min((m for m in distance if distance[m] <= 24), key=distance.get, default=None)
        if near is not None and near not in asked:
            asked.append(near)
    gestation = _GESTATION.search(question)
    week = None
    if gestation:
        if gestation.group("w") or gestation.group("we") or gestation.group("we2"):
            week = float(gestation.group("w") or gestation.group("we") or gestation.group("we2"))
        else:
            week = parse_number(gestation.group("m") or gestation.group("me")) * 4.3
    trimester_match = _TRIMESTER.search(question)
    trimester = _TRIMESTER_NUMBER[trimester_match.group("zh") or trimester_match.group("en")] if trimester_match else None
    if trimester is None and week is not None:
        trimester = 1 if week < 14 else 2 if week < 28 else 3
    pregnant = week is not None or trimester is not None or found["pregnancy"].search(question) is not None
    return QuestionContext(
        text=question,
        age_years=_age(question),
        age_stated=_age(question, stated_only=True) is not None,
        weight_kg=_weight(question),
        pregnant=pregnant,
        gestation_week=week,
        trimester=trimester,
        breastfeeding=found["breastfeeding"].search(question) is not None,
        mentions=present,
        asked=tuple(asked) or tuple(m for m in present if m.generic != "alcohol"),
        alcohol=any(m.generic == "alcohol" for m in present),
        missed_dose=found["missed_dose"].search(question) is not None,
        not_own=found["not_own"].search(question) is not None,
        taken=found["taken"].search(question) is not None,
        viral=found["viral"].search(question) is not None,
    )
