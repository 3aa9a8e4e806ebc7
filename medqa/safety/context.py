"""What the question says about the patient: age, weight, pregnancy (week, trimester), breastfeeding,
the medicines already taken, alcohol, a missed dose, someone else's or leftover medicine.

The risky-prescription verdicts (`medqa.safety.prescriptions`) read it, so an answer is judged against
the question it answers: "可以吃" to "孩子5岁，能吃阿司匹林吗" is advice to give aspirin to a five-year-old.
"""

from __future__ import annotations

import re
from functools import cache, cached_property

from medqa.safety.drugs import DrugMention, find_drug_mentions
from medqa.safety.lexicons import LexiconError, load_lexicon
from medqa.safety.quantity import concentration_mg_per_ml, parse_number, unit_strength_mg

CUE_KINDS = ("pregnancy", "breastfeeding", "infant", "child", "teen", "elderly", "missed_dose", "not_own",
             "ask_frame", "viral", "allergy", "taken")  # fmt: skip
_AGE_NUMBER = r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十]+)"
_AGE = re.compile(
    rf"(?P<y>{_AGE_NUMBER})\s*(?:周岁|岁)(?P<half>半)?"
    rf"|(?P<m>{_AGE_NUMBER})\s*(?:个)?月(?:大|龄)|(?P<w>{_AGE_NUMBER})\s*(?:周|星期)(?:大|龄)"
    rf"|\b(?P<ye>\d+)[- ]?(?:years?|yrs?|yo)\b(?:[- ]old)?|\baged? (?P<aged>\d+)\b"
    rf"|\b(?P<me>\d+)[- ]?months?[- ]old|\b(?P<we>\d+)[- ]?weeks?[- ]old"
    rf"|\b(?:is|am|turned|just turned|she's|he's|i'm) (?P<is>\d{{1,2}})\b(?! ?(?:weeks|months|days|hours|minutes|kg|lbs?|pounds|mg|%|cm|°|degrees))"
)
_WEIGHT = re.compile(
    r"(?P<kg>\d+(?:\.\d+)?)\s*(?:kg|公斤|千克|kilos?|kilograms?)(?![a-z/])|(?P<jin>\d+(?:\.\d+)?)\s*斤|(?P<lb>\d+(?:\.\d+)?)\s*(?:lbs?|pounds)\b"
)
_GESTATION = re.compile(
    r"(?:孕|怀孕|妊娠)\s*(?P<w>\d+)\s*(?:\+\d+)?\s*周|(?P<we>\d+)\s*weeks? pregnant|(?P<we2>\d+)\s*weeks? (?:of|into) (?:my |the )?pregnancy"
    r"|(?:孕|怀孕)\s*(?P<m>\d+|[一二三四五六七八九])\s*个?月|(?P<me>\d+)\s*months? pregnant"
)
_WEEKS = re.compile(r"(\d{1,2})\s*(?:weeks?|wks?|周)(?!\s*(?:old|大|龄))")
_TRIMESTER = re.compile(r"孕(?P<zh>早|中|晚)期|(?P<en>first|second|third|1st|2nd|3rd) trimester")
_TRIMESTER_NUMBER = {
    "早": 1,
    "中": 2,
    "晚": 3,
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
}


@cache
def cues() -> dict[str, re.Pattern[str]]:
    lexicon = load_lexicon("prescribing", required=("language", "kind", "pattern"))
    parts: dict[str, list[str]] = {}
    for entry in lexicon["entries"]:
        parts.setdefault(entry["kind"], []).append(f"(?:{entry['pattern']})")
    missing = [kind for kind in CUE_KINDS if kind not in parts]
    if missing:
        raise LexiconError(f"prescribing.yaml: no entries of kind {', '.join(missing)}")
    return {kind: re.compile("|".join(p)) for kind, p in parts.items()}


def age_groups() -> dict[str, float]:
    return dict(load_lexicon("prescribing", required=("language", "kind", "pattern"))["age_groups"])


class QuestionContext:
    """The context of one folded question. Each fact is computed on first use: most answers need none."""

    def __init__(self, text: str, mentions: tuple[DrugMention, ...]):
        self.text = text
        self.mentions = tuple(m for m in mentions if not m.negated)

    def _has(self, kind: str) -> bool:
        return cues()[kind].search(self.text) is not None

    @cached_property
    def age_years(self) -> float | None:
        return self._stated_age if self._stated_age is not None else _age(self.text)

    @cached_property
    def _stated_age(self) -> float | None:
        return _age(self.text, stated_only=True)

    @property
    def age_stated(self) -> bool:
        return self._stated_age is not None

    @cached_property
    def weight_kg(self) -> float | None:
        return _weight(self.text)

    @cached_property
    def gestation_week(self) -> float | None:
        gestation = _GESTATION.search(self.text)
        if not gestation:
            loose = _WEEKS.search(self.text) if self._has("pregnancy") else None  # "pregnant (24 weeks)"
            return float(loose.group(1)) if loose else None
        if gestation.group("w") or gestation.group("we") or gestation.group("we2"):
            return float(gestation.group("w") or gestation.group("we") or gestation.group("we2"))
        return parse_number(gestation.group("m") or gestation.group("me")) * 4.3

    @cached_property
    def trimester(self) -> int | None:
        match = _TRIMESTER.search(self.text)
        if match:
            return _TRIMESTER_NUMBER[match.group("zh") or match.group("en")]
        week = self.gestation_week
        return None if week is None else 1 if week < 14 else 2 if week < 28 else 3

    @cached_property
    def pregnant(self) -> bool:
        return self.gestation_week is not None or self.trimester is not None or self._has("pregnancy")

    @cached_property
    def breastfeeding(self) -> bool:
        return self._has("breastfeeding")

    @cached_property
    def asked(self) -> tuple[DrugMention, ...]:
        """The drugs the question asks about ("能吃阿司匹林吗"), else every drug it names but alcohol."""
        asked: list[DrugMention] = []
        if self.mentions:
            for frame in cues()["ask_frame"].finditer(self.text):
                # "能吃X吗", "can I take X": the drug after the frame, else the one just before ("X能吃吗")
                after = [m for m in self.mentions if 0 <= m.start - frame.end() <= 24]
                before = [m for m in self.mentions if 0 <= frame.start() - m.end <= 24]
                near = after[0] if after else before[-1] if before else None
                if near is not None and near not in asked:
                    asked.append(near)
        return tuple(asked) or tuple(m for m in self.mentions if m.generic != "alcohol")

    @property
    def alcohol(self) -> bool:
        return any(m.generic == "alcohol" for m in self.mentions)

    @cached_property
    def missed_dose(self) -> bool:
        return self._has("missed_dose")

    @cached_property
    def not_own(self) -> bool:
        """Someone else's, or leftover, medicine."""
        return self._has("not_own")

    @cached_property
    def taken(self) -> bool:
        """The question reports a dose already taken (an overdose the answer may compute)."""
        return self._has("taken")

    @cached_property
    def strength_mg(self) -> float | None:
        """A tablet strength the question states ("一片500毫克")."""
        return unit_strength_mg(self.text, loose=True)

    @cached_property
    def mg_per_ml(self) -> float | None:
        """A liquid's concentration the question states ("每毫升100毫克")."""
        return concentration_mg_per_ml(self.text)

    @cached_property
    def viral(self) -> bool:
        return self._has("viral")

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
    return QuestionContext(
        question, tuple(find_drug_mentions(question, folded=True)) if mentions is None else mentions
    )
