"""What the question says about the patient: age, weight, pregnancy (week, trimester), breastfeeding,
conditions (ulcer, kidney disease, high blood pressure …), the medicines already taken, alcohol or
drinking, a missed dose, someone else's or leftover medicine.

The risky-prescription verdicts (`medqa.safety.prescriptions`) read it, so an answer is judged against
the question it answers: "可以吃" to "孩子5岁，能吃阿司匹林吗" is advice to give aspirin to a five-year-old.
"""

from __future__ import annotations

import itertools
import re
from functools import cache, cached_property

from medqa.safety.drugs import DrugMention, find_drug_mentions
from medqa.safety.knowledge import CONDITION_LEXICON
from medqa.safety.lexicons import LexiconError, load_lexicon
from medqa.safety.quantity import concentration_mg_per_ml, parse_dose, parse_number, unit_strength_mg
from medqa.safety.status import clause_negation

CUE_KINDS = ("pregnancy", "breastfeeding", "infant", "child", "teen", "elderly", "missed_dose", "not_own",
             "ask_frame", "viral", "allergy", "taken", "drinking", "explain_frame")  # fmt: skip
_AGE_NUMBER = r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十]+)"
_AGE = re.compile(
    rf"(?P<y>{_AGE_NUMBER})\s*(?:周岁|岁)(?P<half>半)?"
    rf"|(?P<m>{_AGE_NUMBER})\s*(?:个)?月(?:大|龄)|(?:宝宝|孩子|婴儿|儿子|女儿|小孩)\S{{0,2}}?(?P<mb>{_AGE_NUMBER})\s*个(?P<mhalf>半)?月(?![前后内里])|(?P<w>{_AGE_NUMBER})\s*(?:周|星期)(?:大|龄)"
    rf"|\b(?P<ye>\d+)[- ]?(?:years?|yrs?|yo)\b(?:[- ]old)?|\baged? (?P<aged>\d+)\b"
    rf"|\b(?P<me>\d+)[- ]?months?[- ]old|(?:\b(?:is|he's|she's|aged?|baby|toddler|infant)\s|\()(?P<mo>\d{{1,2}})\s?(?:months?|mos?)\b|\b(?P<we>\d+)[- ]?weeks?[- ]old"
    rf"|\b(?:is|am|turned|just turned|she's|he's|i'm) (?P<is>\d{{1,2}})\b(?! ?(?:weeks|months|days|hours?|minutes|kg|lbs?|pounds|mg|mcg|g\b|ml|%|cm|°|degrees|tablets?|pills?|caps|capsules?|times|doses?|am\b|pm\b|o.clock|[.,]\d))"
)
_ASKING = re.compile(r"[?？]|[吗呢嘛](?=[,.!。！\s]|$)|能否|可否|是否|能不能|可不可以|行不行|要不要|怎么办|怎么|如何|多少")
_INTAKE = re.compile(r"(?:吃|服|吞|喝|用)(?:了|下|掉)|误服|误吞|\b(?:took|swallowed|ate|drank|got into|has taken|have taken|had taken)\b")
_WEIGHT = re.compile(
    r"(?P<kg>\d+(?:\.\d+)?)\s*(?:kg|公斤|千克|kilos?|kilograms?)(?![a-z/])|(?P<jin>\d+(?:\.\d+)?)\s*斤|(?P<lb>\d+(?:\.\d+)?)\s*(?:lbs?|pounds)\b"
)
_GESTATION = re.compile(
    r"(?:孕|怀孕|妊娠)(?:第)?\s*(?P<w>\d+)\s*(?:\+\d+)?\s*周|(?P<we>\d+)\s*weeks? pregnant|(?P<we2>\d+)\s*weeks? (?:of|into) (?:my |the |her )?(?:pregnancy|gestation)"
    r"|(?P<we3>\d+)\s*weeks? (?:along|gestation)\b"
    r"|(?:孕|怀孕)\s*(?P<m>\d+|[一二三四五六七八九])\s*个?月|(?P<me>\d+)\s*months? pregnant"
)
_WEEKS = re.compile(r"(\d{1,2})\s*(?:weeks?|wks?|周)(?!\s*(?:old|大|龄))")
# "我不喝酒", "成人，没喝酒", "戒酒了": alcohol named only to rule drinking out
_NEGATED_DRINK_BEFORE = re.compile(r"(?:不|没|戒|别)(?:有)?(?:喝|饮|沾)?$")
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


@cache
def _condition_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    parts: dict[str, list[str]] = {}
    for entry in load_lexicon(CONDITION_LEXICON, required=("name", "pattern"))["entries"]:
        parts.setdefault(entry["name"], []).append(f"(?:{entry['pattern']})")
    return tuple((name, re.compile("|".join(p))) for name, p in parts.items())


def age_groups() -> dict[str, float]:
    return dict(load_lexicon("prescribing", required=("language", "kind", "pattern"))["age_groups"])


class QuestionContext:
    """The context of one folded question. Each fact is computed on first use: most answers need none."""

    def __init__(self, text: str, mentions: tuple[DrugMention, ...]):
        self.text = text
        kept = [m for m in mentions if not m.negated]
        self.mentions = tuple(m for m in kept if not _names_an_ingredient(text, m, kept))

    def _has(self, kind: str) -> bool:
        return cues()[kind].search(self.text) is not None

    @cached_property
    def age_years(self) -> float | None:
        age = self._stated_age if self._stated_age is not None else _age(self.text)
        if age is not None and age < 3 and self.breastfeeding and not _GIVEN_TO_CHILD.search(self.text):
            return None  # "I'm breastfeeding my 4-month-old, can I take …": the nursling's age, not hers
        return age

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
        weeks = (
            gestation.group("w") or gestation.group("we") or gestation.group("we2") or gestation.group("we3")
        )
        if weeks:
            return float(weeks)
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
        return self.asked_by_frame or tuple(m for m in self.mentions if m.generic != "alcohol")

    @cached_property
    def asked_by_frame(self) -> tuple[DrugMention, ...]:
        """The drugs a frame asks about ("能吃阿司匹林吗", "can I take Excedrin"): candidates the answer
        may advise or replace, unlike the medicines the patient is on."""
        asked: list[DrugMention] = []
        if self.mentions:
            for frame in cues()["ask_frame"].finditer(self.text):
                # "能吃X吗", "can I take X": the drug after the frame, else the one just before ("X能吃吗")
                after = [m for m in self.mentions if 0 <= m.start - frame.end() <= 24]
                before = [m for m in self.mentions if 0 <= frame.start() - m.end <= 24]
                near = after[0] if after else before[-1] if before else None
                if near is not None and near not in asked:
                    asked.append(near)
        return tuple(asked)

    @cached_property
    def asks_combination(self) -> bool:
        """The question asks about two drugs together ("Zoloft with St John's wort", "布洛芬和泰诺能一起吃吗")."""
        ordered = sorted(self.mentions, key=lambda m: m.start)
        return any(
            _COMBINATION_LINK.search(self.text, first.end, second.start) is not None
            for first, second in zip(ordered, ordered[1:], strict=False)
            if second.start - first.end <= 30
        )

    @cached_property
    def current(self) -> frozenset[str]:
        """The medicines the patient is on ("我在吃华法林", "I'm on warfarin", "with my sertraline")."""
        return _with_listed(
            self.text,
            self.mentions,
            {
                m
                for m in self.mentions
                if _CURRENT_BEFORE.search(self.text, max(0, m.start - 16), m.start)
                or _OWN_REGIMEN_BEFORE.search(self.text, max(0, m.start - 48), m.start)
            },
        )

    @property
    def study(self) -> bool:
        """Coursework or exam revision ("医学生期末复习：STEMI的处理要点"): no patient is being advised."""
        return self._has("study_frame")

    @cached_property
    def explains_only(self) -> bool:
        """The question asks why or what ("Is that why codeine is risky for kids?", "曲马多是什么原理"), with
        no frame asking to take a drug: a "yes" to it affirms a fact, not a medicine."""
        if not self._has("explain_frame"):
            return False
        frames = list(cues()["ask_frame"].finditer(self.text))
        return not any(
            0 <= m.start - f.end() <= 24 or 0 <= f.start() - m.end <= 24
            for f in frames
            for m in self.mentions
        )

    @cached_property
    def alcohol(self) -> bool:
        """Alcohol named ("啤酒", "a glass of wine") or drinking described ("喝了很多酒", "I drink every night")."""
        if any(
            m.generic == "alcohol"
            and not _NEGATED_DRINK_BEFORE.search(self.text, max(0, m.start - 4), m.start)
            for m in self.mentions
        ):
            return True  # but not "我不喝酒", "从没喝酒"
        return any(
            clause_negation(self.text, m.start()) is None for m in cues()["drinking"].finditer(self.text)
        )

    @cached_property
    def light_drinking(self) -> bool:
        """Drinking described as occasional or light ("1 beer a week", "偶尔喝一点")."""
        return self._has("light_drinking")

    @cached_property
    def missed_dose(self) -> bool:
        return self._has("missed_dose")

    @cached_property
    def not_own(self) -> bool:
        """Someone else's, or leftover, medicine: "别人给的", "my husband's pills", or a drug named right
        after someone else has it ("my roommate has Tussionex from her doctor")."""
        if self._has("not_own"):
            return True
        return any(
            0 <= m.start - holder.end() <= 24
            for holder in cues()["not_own_holder"].finditer(self.text)
            for m in self.mentions
        )

    @cached_property
    def reports_only(self) -> bool:
        """The question reports what was taken and asks nothing (no question mark, "吗", "能不能" or ask
        frame): "我朋友吃了一整盒安眠药，现在叫得醒但是很迷糊". A "问题不大" in the answer judges the state; it
        endorses no drug. A regimen with no question ("怀孕6周了，平时吃卡托普利") is still asked about."""
        return (
            not self.asked_by_frame
            and _ASKING.search(self.text) is None
            and _INTAKE.search(self.text) is not None
        )

    @cached_property
    def asks_harm(self) -> bool:
        """The question asks whether something is harmful ("有问题吗", "is that a problem?")."""
        return self._has("harm_frame")

    @cached_property
    def prescribed(self) -> frozenset[str]:
        """The drugs the question says a clinician prescribed ("医生开了克拉霉素", "my doctor put me on
        sertraline", "amoxicillin my GP prescribed"): their use is not self-medication."""
        found: set[DrugMention] = set()
        if self.not_own:  # "我老公有医生开的安眠药": prescribed for someone else
            return frozenset()
        for cue in cues()["prescribed"].finditer(self.text):
            for m in self.mentions:
                if 0 <= m.start - cue.end() <= 16 or 0 <= cue.start() - m.end <= 16:
                    found.add(m)
        return _with_listed(self.text, self.mentions, found)

    @cached_property
    def taken(self) -> bool:
        """The question reports a dose already taken (an overdose the answer may compute)."""
        return self._has("taken")

    @cached_property
    def taken_mg(self) -> dict[str, float]:
        """Amounts already taken, per drug, that the question states in the clause of a taken cue ("I've
        already had 4 g of paracetamol today", "今天已经吃了3000毫克对乙酰氨基酚"): advice to take more adds up."""
        taken: dict[str, float] = {}
        for cue in cues()["taken"].finditer(self.text):
            clause_end = _CLAUSE_OR_SENTENCE_END.search(self.text, cue.end())
            stop = clause_end.start() if clause_end else len(self.text)
            named = [m for m in self.mentions if cue.end() <= m.start < stop or 0 <= cue.start() - m.end <= 8]
            amount = parse_dose(self.text[cue.end() : stop]).single_mg
            if amount and len({m.generic for m in named}) == 1:
                taken[named[0].generic] = taken.get(named[0].generic, 0.0) + amount
        return taken

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

    @cached_property
    def conditions(self) -> frozenset[str]:
        """Conditions the question states (`lexicons/conditions.yaml`), not negated ("没有胃溃疡"), plus
        `elderly` for an age of 65 or more."""
        found = {
            name
            for name, pattern in _condition_patterns()
            if any(
                clause_negation(self.text, m.start()) is None
                and not _SIDE_EFFECT_BEFORE.search(self.text, max(0, m.start() - 24), m.start())
                for m in pattern.finditer(self.text)
            )
        }
        if self._stated_age is not None and self._stated_age >= 65:
            found.add("elderly")
        return frozenset(found)

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
            "conditions": sorted(self.conditions),
        }


_CLAUSE_OR_SENTENCE_END = re.compile(r"[,，;；。！？!?\n]|(?<![0-9])\.(?![0-9])|(?<=[0-9])\.(?=\s|$)")
_COMBINATION_LINK = re.compile(
    r"\b(?:with|together|alongside|plus|and|on top of)\b|和|跟|与|一起|同时|合用|加上|配"
)
_GIVEN_TO_CHILD = re.compile(
    r"\b(?:give|giving|dose|dosing)\b[^.?!]{0,20}\b(?:him|her|baby|them|my (?:son|daughter|baby|child))\b|给(?:宝宝|孩子|婴儿|他|她)|喂"
)
# A condition named as what a drug may cause ("heard ibuprofen can cause stomach bleeding") is not the patient's.
_SIDE_EFFECT_BEFORE = re.compile(
    r"(?:\b(?:can|could|may|might|will|would)?\s*(?:cause|causes|causing|lead to|leads to|result in|give you|risk of)"
    r"|(?:会|可能|容易)?(?:导致|引起|造成|诱发|伤))[^.,;!?。，；！？]{0,16}$"
)
_CURRENT_BEFORE = re.compile(
    r"(?:在吃|正在吃|在用|正在用|在服用|正在服用|一直(?:在)?(?:吃|用|服用)|长期(?:吃|服用|用)|每天(?:吃|服用)|吃着|用着|在打|一直打)\S{0,6}$"
    r"|\b(?:i.m on|i am on|i.m taking|i am taking|(?<!can )(?<!could )(?<!should )(?<!may )i take|i.ve been (?:on|taking)"
    r"|(?:he|she).s on|takes|is taking|is on|has been (?:on|taking)) (?:my |her |his )?(?:daily |usual |regular )?(?:\d+\s*mg\s+)?$"
    r"|\b(?:with|on|taking|alongside) (?:my|her|his) (?:daily |usual |regular )?$|^(?:my|her|his) (?:daily |usual |regular )?$"
    r"|\b(?:forgot|forgotten|missed|skipped|forget|miss) (?:to take )?(?:my|her|his) (?:daily |usual |regular |morning |evening |night.?time )?(?:dose of )?$"
    r"|(?:忘了吃|忘记吃|漏吃了?|漏服了?|忘吃了?)(?:一次|一顿|一片|一粒|昨晚的|今早的)?$"
    r"|[,.;!?]\s*(?:my|her|his) (?:daily |usual |regular )?$|\bmy (?:daily |usual |regular |own |prescribed )?$"
    r"|[,;]\s*(?:and )?(?:currently |already )?(?:taking|on) (?:my |her |his )?$"  # "14 weeks pregnant, taking levothyroxine"
    r"|\b(?:keep|continue|stop|quit|restart|resume|pause|hold|come off|get off|still take) (?:taking |using |on )?"
    r"(?:my|her|his) (?:daily |usual |regular )?$"
    r"|(?:平时|平常|原来|现在|一直|每天|长期)(?:在)?(?:吃|服用|用)的\S{0,4}$"
)
# Further back than _CURRENT_BEFORE looks: a drug in brackets after "my … pill" ("my evening blood pressure
# pill (lisinopril 10 mg)") or after a condition the patient has ("with atrial fibrillation on apixaban"):
# the patient's own regimen.
_OWN_REGIMEN_BEFORE = re.compile(
    r"\b(?:my|her|his) (?:[a-z-]+ ){0,4}(?:pills?|tablets?|medicines?|medications?|meds|inhalers?|injections?)\s*[(:]\s*$"
    r"|\b(?:with|have|has) (?:[a-z'-]+ ){1,4}on (?:my |her |his )?$"
)
# What may stand between two drugs of one list ("A、B和C", "A, B and C", "an A inhaler and a B inhaler").
_LIST_GAP = re.compile(
    r"\s*(?:[、,，/+]|和|及|与|以及|还有)?\s*(?:\b(?:and|plus|or)\b)?\s*(?:(?:an?|the|some) )?\s*"
    r"|\s*(?:inhalers?|tablets?|pills?|capsules?|sprays?|patch(?:es)?|injections?)\s*(?:,|\band\b)\s*(?:(?:an?|the|some) )?"
)


def _with_listed(text: str, mentions: tuple[DrugMention, ...], seeds: set[DrugMention]) -> frozenset[str]:
    """The generics of `seeds` and of the drugs listed right after one ("一直吃着A、B和C", "on A, B and C"):
    a cue before a list covers all of it."""
    listed = set(seeds)
    for previous, mention in itertools.pairwise(sorted(mentions, key=lambda m: m.start)):
        if previous in listed and _LIST_GAP.fullmatch(text, previous.end, mention.start):
            listed.add(mention)
    return frozenset(m.generic for m in listed)


_INGREDIENT_BEFORE = re.compile(
    r"(?:含有?|成分(?:是|为|有)?|\b(?:contains?|containing|ingredients?:?|made of))\s*$"
)


def _names_an_ingredient(text: str, mention: DrugMention, mentions: list[DrugMention]) -> bool:
    """A drug named as what a product just named contains ("散利痛（每片含对乙酰氨基酚250毫克）",
    "Excedrin, which contains aspirin"): the product's content, not a second medicine."""
    if not _INGREDIENT_BEFORE.search(text, max(0, mention.start - 8), mention.start):
        return False
    return any(0 <= mention.start - other.end <= 30 for other in mentions if other is not mention)


def _age(text: str, stated_only: bool = False) -> float | None:
    match = _AGE.search(text)
    if match:
        groups = match.groupdict()
        if groups["y"]:
            return parse_number(groups["y"]) + (0.5 if groups["half"] else 0)
        if groups["ye"] or groups["aged"] or groups["is"]:
            return float(groups["ye"] or groups["aged"] or groups["is"])
        if groups["mb"]:
            return (parse_number(groups["mb"]) + (0.5 if groups["mhalf"] else 0)) / 12
        if groups["m"] or groups["me"] or groups["mo"]:
            return parse_number(groups["m"] or groups["me"] or groups["mo"]) / 12
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
