"""Dose quantities in folded text (zh, en): amounts, counts × strength, volumes × concentration, per-kg
doses, frequencies and daily totals.

"1,000 mg" is 1000 mg, "3到4次" and "2–3 tablets" take their upper bound (a ceiling is what overdose checks
need), "两片（每片500毫克）" and "take 2 of the 500 mg tablets" multiply, "5毫升" of a 100 mg/ml drop is
500 mg, "every 4 to 6 hours" is at most 6 a day, and "每日不超过4g" is a limit, not advice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ZH_DIGITS = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "俩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_EN_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "twelve": 12, "half": 0.5, "once": 1, "twice": 2, "thrice": 3,
}  # fmt: skip
_EN_WORD = "|".join(sorted(_EN_NUMBERS, key=len, reverse=True))
# A number: digits with thousands separators or decimals, ½, Chinese numerals (十二, 两千), or an English word.
NUMBER = rf"(?:\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|[½¼]|[零一二两俩三四五六七八九十百千半]+|\b(?:{_EN_WORD})\b)"


def _range(tag: str = "") -> str:
    """A number or a range of two ("3到4", "2–3", "4 to 6"); groups low<tag> and high<tag>."""
    return rf"(?P<low{tag}>{NUMBER})(?:\s*(?:-|–|—|~|～|到|至|或|to|or)\s*(?P<high{tag}>{NUMBER}))?"


_RANGE = _range()

_MASS_UNITS = {"mg": 1.0, "毫克": 1.0, "g": 1000.0, "克": 1000.0, "gram": 1000.0, "grams": 1000.0,
               "mcg": 0.001, "μg": 0.001, "ug": 0.001, "微克": 0.001, "milligrams": 1.0, "milligram": 1.0}  # fmt: skip
_MASS = r"(?:milligrams?|grams?|mg|mcg|μg|ug|g|毫克|微克|克)"
_VOLUME = r"(?:ml|毫升|milliliters?|millilitres?|cc)"
_COUNT = r"(?:片|粒|颗|丸|袋|包|支|瓶|贴|tablets?|tabs?|pills?|capsules?|caps?|caplets?|sachets?|softgels?|sprays?|puffs?|喷)"

_MASS_RE = re.compile(
    rf"{_RANGE}\s*(?P<unit>{_MASS})(?![a-z])(?!\s*/\s*(?:kg|公斤|千克))(?!\s*(?:每|per)\s*(?:公斤|千克|kg))"
)
_PER_KG_RE = re.compile(
    rf"{_RANGE}\s*(?P<unit>{_MASS})\s*(?:/\s*(?:kg|公斤|千克)|(?:每|per|a|/)\s*(?:公斤|千克|kg)(?:体重)?)"
    rf"|(?:每公斤(?:体重)?|每千克(?:体重)?)\s*{_range('2')}\s*(?P<unit2>{_MASS})"
)
_PER_DAY_AFTER = re.compile(
    r"\s*(?:/\s*(?:day|d|天|日)\b|/\s*(?:天|日)|(?:a|per|each) day\b|daily\b|每天|每日|一天)"
)
_PER_DAY_BEFORE = re.compile(r"(?:每天|每日|一天|一日|日|daily)\s*(?:按)?\s*$")
_PER_VOLUME_BEFORE = re.compile(r"(?:/|\bper|\bin|每)\s*$")
_VOLUME_RE = re.compile(rf"{_RANGE}\s*{_VOLUME}(?![a-z])")
# A count, with the strength of its units when it names one ("four 81 mg tablets"); the number is whole
# ("200 mg tablets" is no 20 tablets of "0 mg").
_COUNT_RE = re.compile(
    rf"{_RANGE}(?!\d|[.,]\d)\s*(?:[x×*]\s*)?(?:of (?:the|your|these|those|my|her|his)\s+)?(?:(?P<strength>{NUMBER})\s*(?P<strength_unit>{_MASS})\s*(?:的)?\s*)?{_COUNT}(?![a-z])"
)
# Strength of one unit: "每片500毫克", "500 mg tablets", "500mg的片", "一片200毫克", "(500 mg each)".
_STRENGTH_RE = re.compile(
    rf"(?:每|一)(?:片|粒|颗|丸|袋|支)(?:是|含|为)?\s*(?P<a>{NUMBER})\s*(?P<ua>{_MASS})"
    rf"|(?P<b>{NUMBER})\s*(?P<ub>{_MASS})\s*(?:(?:的)?(?:片|粒|胶囊|tablets?|tabs?|pills?|capsules?|caplets?|caps?\b|each|per tablet|a tablet)"
    r"|/\s*(?:片|粒|tablet|tab|cap)|(?:的)?\s*(?:一|每)\s*(?:片|粒|颗|丸|袋|支))"
    rf"|\b(?:tablets?|tabs?|pills?|capsules?|caplets?)\s+(?:are|is)\s+(?:each\s+)?(?P<c>{NUMBER})\s*(?P<uc>{_MASS})(?![a-z])"
    rf"|(?<![片粒颗丸袋包支s\d])(?<![片粒颗丸袋包支s\d]\s)(?<![片粒颗丸袋包支s\d]\*\*)[(（]\s*(?P<d>{NUMBER})\s*(?P<ud>{_MASS})\s*(?:的|each|一片|一粒|/片|/粒)?\s*[)）]"
)  # the last: a strength in brackets after a product's name ("芬必得（300毫克的）"), not after a count
# Concentration: "每毫升100毫克", "100 mg per 5 ml", "100mg/5ml", "每5毫升含100毫克".
_CONCENTRATION_RE = re.compile(
    rf"每\s*(?P<v1>{NUMBER})?\s*{_VOLUME}\s*(?:含|是|为)?\s*(?P<m1>{NUMBER})\s*(?P<u1>{_MASS})"
    rf"|(?P<m2>{NUMBER})\s*(?P<u2>{_MASS})\s*(?:/|per|in|每)\s*(?P<v2>{NUMBER})?\s*{_VOLUME}"
)
_TIMES_RE = re.compile(
    rf"(?:每日|每天|一天|一日|日|天|一晚|每晚|/天|/日|a day|per day|each day|daily)\s*(?:最多|至多|不超过|不要超过)?(?:可以|能)?(?:吃|服|用|喂|给|服用)?\s*{_RANGE}\s*(?:次|回|doses?)"
    rf"|{_range('2')}\s*(?:times?|x|doses?)?\s*(?:(?:a|per|each|every)\s*day|daily|a night)"
    rf"|(?<!at )(?<!all at )\b(?P<word>once|twice|thrice)\b(?! (?:more|again|or twice))"
    r"|(?P<meals>早中晚|早午晚|三餐)各|(?P<mornight>早晚|早上和晚上|morning and (?:night|evening))各?"
)
# Doses on top of what was already taken: "再吃两次", "two more 1 g doses".
_MORE_DOSES_RE = re.compile(
    rf"再(?:吃|服|用|来)?\s*(?P<zh>{NUMBER})\s*(?:次|回)|(?P<en>{NUMBER}) more (?:[\d.,]+\s*{_MASS} |\w+ )?(?:doses?|times)\b"
)
# A ceiling on the number of doses a day: "max 5 doses in 24 hours", "一天不超过4次", "24小时内最多5次".
_DOSE_COUNT_LIMIT_RE = re.compile(
    rf"(?:max(?:imum)?(?: of)?|no more than|not more than|not to exceed|do not exceed|at most|up to)\s*{_RANGE}\s*(?:doses?|times)\s*"
    r"(?:in|per|a|each|within|every)\s*(?:a\s*|one\s*)?(?:24\s*hours?|day)"
    rf"|(?:每日|每天|一天|一日|24\s*小时内?)\s*(?:最多|至多|不超过|不要超过|不能超过)\s*(?:可以|能)?(?:吃|服|用|给)?\s*{_range('2')}\s*次"
)
_HOURS_RE = re.compile(rf"(?:每(?:隔)?|every|q)\s*{_RANGE}\s*(?:个)?\s*(?:小时|hours?|hrs?|h\b)")
_ABBREVIATED = {"qd": 1, "od": 1, "bid": 2, "tid": 3, "qid": 4}
_ABBREVIATED_RE = re.compile(r"\b(qd|od|bid|tid|qid)\b")
_DAILY_TOTAL_RE = re.compile(
    rf"(?:每日|每天|一天|一日|24小时|全天)(?:总量|总共|共|一共|最多)?\s*(?:吃|服|用|服用)?\s*{_RANGE}\s*(?P<unit>{_MASS})"
    # "3,500 mg in 24 hours", "1,500 mg acetaminophen per day": a total, with a drug's name or bold between
    rf"|{_range('2')}\s*(?P<unit2>{_MASS})(?:\**\s*(?:(?!(?:once|twice|thrice|times?|every|each|a|per|in|or|and|to|\w+ly)\b)[a-z][a-z-]*\s+){{1,2}})?\**\s*"
    r"(?:(?:a|per|each)\s*day|daily|in (?:24 hours|a day|one day)|/\s*(?:天|日|day|d)\b|每天|每日)"
)
_COUNT_PER_DAY_BEFORE = re.compile(
    r"(?:每日|每天|一天|一日|全天|24小时)(?:内)?(?:可以|能|最多|总共|共|一共)?(?:吃|服|用|服用)?\s*$"
)
_COUNT_PER_DAY_AFTER = re.compile(r"\s*(?:(?:a|per|each)\s*day|daily|in 24 hours|/\s*(?:天|日|day))")
_ANY_NUMBER = re.compile(
    rf"[\d½¼一二两俩三四五六七八九十半]|\b(?:{'|'.join(w for w in _EN_NUMBERS if len(w) > 2)}|qd|od|bid|tid|qid)\b"
)
_LIMIT_RE = re.compile(
    r"(?:不超过|不要超过|不得超过|不能超过|不可超过|勿超过|别超过|不宜超过|最多不|上限|极量|no more than|not (?:to )?exceed|do not exceed"
    r"|(?:don.t|never|shouldn.t|must not|should not) (?:ever )?(?:exceed|go (?:over|above|beyond)|take more than)"
    r"|\bmax\b\.?|\bunder\b|\bless than\b|\bstaying (?:under|below)\b"
    r"|maximum(?: of)?|max(?:imum)? dose|at most|limit|more than|over|above|below|at or below|within|超过|以上|以下|以内|之内"
    r"|(?:maximum|max|limit|上限)(?: dose)? (?:is|are)|labels? (?:now )?(?:say|says|recommend)|[≤<＜])\s*(?:of\s*)?(?:约|about )?$"
)
# The second amount of a ceiling that covers a list ("no more than 1,200 mg ibuprofen and 4,000 mg acetaminophen").
_LIMIT_LIST_RE = re.compile(
    r"(?:不超过|不要超过|最多|no more than|not (?:to )?exceed|(?:stay|keep (?:it|them)?|staying) (?:under|below))\s*"
    r"[\d,.]+\s*(?:mg|g|毫克|克)[^.;。；\n\d]{0,24}(?:\band\b|,|，|和|、|及)\s*$"
)


def parse_number(token: str) -> float:
    """A number token from `NUMBER`: '1,000' → 1000, '两千' → 2000, '十二' → 12, 'twice' → 2, '½' → 0.5."""
    token = token.strip()
    if token in _EN_NUMBERS:
        return float(_EN_NUMBERS[token])
    if token in ("½", "半"):
        return 0.5
    if token == "¼":
        return 0.25
    if token[0].isdigit():
        return float(token.replace(",", ""))
    total, section, digit = 0.0, 0.0, 0.0
    for char in token:
        if char in _ZH_DIGITS:
            digit = _ZH_DIGITS[char]
        elif char == "半":
            digit += 0.5
        elif char in "十百千":
            unit = {"十": 10, "百": 100, "千": 1000}[char]
            section += (digit or 1) * unit
            digit = 0.0
    total += section + digit
    return total


MASS = _MASS  # a mass unit, for callers that parse an amount next to something else ("two 500 mg Tylenol")


def to_mg(number: str, unit: str) -> float:
    """`number` (a `NUMBER` token) of the mass `unit` in mg: ("1,000", "mg") → 1000, ("0.3", "g") → 300."""
    return parse_number(number) * _MASS_UNITS[unit]


def _upper(match: re.Match[str]) -> float:
    """The upper bound of the (first matched) range in `match`."""
    groups = match.groupdict()
    for prefix in ("high", "low"):
        for name, value in groups.items():
            if name.startswith(prefix) and value:
                return parse_number(value)
    raise ValueError(f"no number in {match.group(0)!r}")


# An amount the advice reports or restates rather than gives: a total of what was taken ("一共吃了约3500mg",
# "that adds up to 3,650 mg", "that's 880 mg a day") or a limit said again ("不超过6片，也就是1200mg").
_TALLY_RE = re.compile(
    r"(?:也就是|就是|即|相当于|合计|控制在|保持在|一共(?:吃了|服了|是)?|总共(?:吃了|服了|是)?|加起来(?:是|有)?|算下来|累计|已经(?:吃了|服了|用了))\s*(?:约|大约|大概)?\s*$"
    r"|\b(?:adds? up to|add up to|comes? to|totals?|a total of|in total|that.s|that is|which is|works? out (?:to|at)|equals?|stay (?:around|at|near|under)|keep (?:\w+ )?(?:around|at|under)"
    r"|total (?:today |so far |for (?:today|the day) )?(?:is|was|of)|(?:ve|have) (?:already )?(?:had|taken))"
    r"\s*(?:about|around|roughly|approximately|nearly|almost|over|just)?\s*$"
)
_AMOUNT_AT = re.compile(rf"{_RANGE}\s*(?:{_MASS}|{_COUNT})(?![a-z])")
_RANGE_FIRST_AMOUNT = re.compile(rf"(?<![\d.,]){NUMBER}\s*{_MASS}\s*(?:-|–|—|~|～|到|至|to)\s*$")
_LIMIT_AFTER_RE = re.compile(
    r"\s*(?:(?:a|per) day |daily |/\s*(?:天|日|day) )?(?:的)?(?:maximum|max\b|limit|ceiling|upper limit|上限|极量|最大(?:剂量|量))"
    r"|\s*(?:is|as) (?:a |the |your )?(?:\w+ )?(?:target|limit|cap|ceiling|maximum)\b"  # "(3,000 mg is a safer target)"
)
_AMOUNT_BEFORE_PAREN = re.compile(rf"({NUMBER})\s*(?:{_MASS}|{_COUNT}|次|times?|doses?)\s*(?:\*\*)?\s*\(\s*$")


_LIMIT_TABLE_HEADER = re.compile(r"max|limit|ceiling|upper|最大|最高|上限|极量|不超过")


def in_limit_table(text: str, position: int) -> bool:
    """Whether `position` lies in a markdown table whose header row names a maximum ("| Drug | Maximum daily
    dose |", "| 药物 | 每日最大剂量 |"): its amounts are ceilings listed, not doses given."""
    line_start = text.rfind("\n", 0, position) + 1
    if not text[line_start:position].lstrip().startswith("|"):
        return False
    start = line_start
    while start > 0:
        previous = text.rfind("\n", 0, start - 1) + 1
        if not text[previous:start].lstrip().startswith("|"):
            break
        start = previous
    header_end = text.find("\n", start)
    return _LIMIT_TABLE_HEADER.search(text, start, header_end if header_end >= 0 else len(text)) is not None


def ceiling_continues(text: str, position: int) -> bool:
    """Whether `text[position:]` continues a ceiling that covers a list ("stay under 1,200 mg ibuprofen and
    | 4,000 mg acetaminophen a day"): its amount is a limit too, whatever stretch it is parsed in."""
    return _LIMIT_LIST_RE.search(text, max(0, position - 60), position) is not None


def _is_limit(text: str, start: int) -> bool:
    """Whether the amount at `start` is a ceiling, a reported tally, or the parenthetical gloss of a
    ceiling ("no more than 3 tablets (660 mg)") rather than advice."""
    # "不超过2克到3克", "no more than 2 g to 3 g": the second amount of a range shares the first's role
    first = _RANGE_FIRST_AMOUNT.search(text, max(0, start - 24), start)
    if first:
        return _is_limit(text, first.start())
    before = text[max(0, start - 16) : start]
    if _TALLY_RE.search(before) or _LIMIT_RE.search(text[max(0, start - 24) : start].replace("**", "")[-16:]):
        return True  # a ceiling in bold ("the maximum is **4,000 mg**") is still a ceiling
    if ceiling_continues(text, start):
        return (
            True  # "stay under 1,200 mg ibuprofen and 4,000 mg acetaminophen a day": one ceiling, two drugs
        )
    amount = _AMOUNT_AT.match(text, start)
    if _LIMIT_AFTER_RE.match(text, amount.end() if amount else start):
        return True  # "the 4,000 mg maximum", "4000mg的上限"
    if "(" not in text[max(0, start - 3) : start]:
        return False
    gloss = _AMOUNT_BEFORE_PAREN.search(text, max(0, start - 30), start)
    return gloss is not None and _is_limit(text, gloss.start())


@dataclass(frozen=True)
class Dose:
    """What a stretch of advice says about a dose; None where it says nothing. Amounts are upper bounds."""

    single_mg: float | None = None  # one administration
    per_day: float | None = None  # administrations a day
    daily_mg: float | None = None  # a daily total stated or computed
    per_kg_mg: float | None = None  # mg/kg per administration
    count: float | None = None  # tablets, capsules, sachets … per administration
    volume_ml: float | None = None
    daily_limit_mg: float | None = None  # a ceiling the advice itself states ("每日不超过4克")
    daily_count: float | None = None  # tablets … a day ("每天吃两片"), whatever their strength
    more_doses: float | None = None  # doses on top of what was taken ("再吃两次", "two more doses")
    per_kg_day_mg: float | None = None  # mg/kg a day ("60 mg/kg/day", "每天每公斤60毫克")
    text: str = ""

    @property
    def any(self) -> bool:
        return any(
            v is not None
            for v in (
                self.single_mg,
                self.per_day,
                self.daily_mg,
                self.per_kg_mg,
                self.count,
                self.volume_ml,
                self.daily_count,
                self.per_kg_day_mg,
            )
        )

    def or_else(self, other: Dose) -> Dose:
        """This dose, with what it leaves unsaid taken from `other` ("take 1000 mg of X every 3 hours":
        the amount before the drug's name, the frequency after)."""
        fields = ("single_mg", "per_day", "daily_mg", "per_kg_mg", "count", "volume_ml", "daily_limit_mg",
                  "daily_count", "more_doses", "per_kg_day_mg")  # fmt: skip
        values = {
            name: getattr(self, name) if getattr(self, name) is not None else getattr(other, name)
            for name in fields
        }
        return Dose(**values, text=f"{other.text} | {self.text}" if other.any else self.text)

    def daily_total(self) -> float | None:
        """The most mg a day this advice adds up to."""
        computed = self.single_mg * self.per_day if self.single_mg is not None and self.per_day else None
        candidates = [v for v in (computed, self.daily_mg) if v is not None]
        if not candidates:
            return None
        total = max(candidates)
        return min(total, self.daily_limit_mg) if self.daily_limit_mg else total


def unit_strength_mg(text: str, loose: bool = False) -> float | None:
    """The strength of one tablet/capsule stated in `text` ("每片500毫克", "500 mg tablets"); with `loose`,
    else the one amount the text names ("I have Tylenol Extra Strength, 500 mg": the question's product)."""
    match = _STRENGTH_RE.search(text)
    if not match:
        amounts = list(_MASS_RE.finditer(text)) if loose else []
        if len(amounts) == 1 and not _COUNT_RE.search(text):
            return _upper(amounts[0]) * _MASS_UNITS[amounts[0].group("unit")]
        return None
    for value, unit in (("a", "ua"), ("b", "ub"), ("c", "uc"), ("d", "ud")):
        if match.group(value):
            return parse_number(match.group(value)) * _MASS_UNITS[match.group(unit)]
    return None


def concentration_mg_per_ml(text: str) -> float | None:
    """Mg per ml of a liquid stated in `text` ("每毫升100毫克", "100 mg per 5 ml", "100mg/5ml")."""
    match = _CONCENTRATION_RE.search(text)
    if not match:
        return None
    if match.group("m1"):
        volume = parse_number(match.group("v1")) if match.group("v1") else 1.0
        return parse_number(match.group("m1")) * _MASS_UNITS[match.group("u1")] / volume
    volume = parse_number(match.group("v2")) if match.group("v2") else 1.0
    return parse_number(match.group("m2")) * _MASS_UNITS[match.group("u2")] / volume


def counts_units(text: str) -> tuple[bool, bool]:
    """Whether `text` counts tablets (or other units) and whether it measures millilitres."""
    return _COUNT_RE.search(text) is not None, _VOLUME_RE.search(text) is not None


def parse_dose(text: str, strength_mg: float | None = None, mg_per_ml: float | None = None) -> Dose:
    """The dose `text` (one sentence of advice) gives, using a tablet strength or a liquid concentration
    known from elsewhere (the question) when the text counts tablets or millilitres only."""
    if not _ANY_NUMBER.search(text):
        return Dose(text=text)
    strength_mg = unit_strength_mg(text) or strength_mg
    mg_per_ml = concentration_mg_per_ml(text) or mg_per_ml
    daily_spans: list[tuple[int, int]] = []
    daily_mg = None
    for match in _DAILY_TOTAL_RE.finditer(text):
        if _is_limit(text, match.start()):
            continue
        mg = _upper(match) * _MASS_UNITS[match.group("unit") or match.group("unit2")]
        daily_mg = max(daily_mg or 0.0, mg)
        daily_spans.append(match.span())
    # "up to 1,200 mg in 24 hours", "up to 16 capsules a day": a daily ceiling, not one dose
    ceilings = [m.span() for m in _DAILY_LIMIT_RE.finditer(text)]
    single = None
    for match in _MASS_RE.finditer(text):
        if _is_limit(text, match.start()) or any(a <= match.start() < b for a, b in daily_spans + ceilings):
            continue
        if strength_mg is None and _STRENGTH_RE.match(text, match.start()):
            continue
        if re.match(r"\s*(?:/|per|每)\s*\d*\s*(?:ml|毫升)", text[match.end() :]):  # a concentration
            continue
        counted = strength_mg is not None and _COUNT_RE.search(text) is not None
        if counted and abs(_upper(match) * _MASS_UNITS[match.group("unit")] - strength_mg) < 1e-9:
            continue  # the tablet's strength, counted below
        single = max(single or 0.0, _upper(match) * _MASS_UNITS[match.group("unit")])
    count = daily_count = plain_count = None
    for match in _COUNT_RE.finditer(text):
        if _is_limit(text, match.start()) or any(a <= match.start() < b for a, b in ceilings):
            continue
        strength = match.group("strength")
        own = to_mg(strength, match.group("strength_unit")) if strength else None
        if _COUNT_PER_DAY_BEFORE.search(
            text, max(0, match.start() - 6), match.start()
        ) or _COUNT_PER_DAY_AFTER.match(
            text, match.end()
        ):  # "每天吃8片", "8 tablets a day": a daily count, not one dose
            if (own or strength_mg) is not None:
                daily_mg = max(daily_mg or 0.0, _upper(match) * (own or strength_mg))
            daily_count = max(daily_count or 0.0, _upper(match))
            continue
        count = max(count or 0.0, _upper(match))
        if own is not None:
            single = max(single or 0.0, _upper(match) * own)
        else:
            plain_count = max(plain_count or 0.0, _upper(match))
    volume = None
    for match in _VOLUME_RE.finditer(text):
        if _is_limit(text, match.start()) or _PER_VOLUME_BEFORE.search(
            text, max(0, match.start() - 8), match.start()
        ):
            continue  # a ceiling, or the volume of a concentration ("100 mg/5 ml")
        if (
            re.match(r"\s*(?:含|是|为)?\s*\d", text[match.end() :])
            and text[max(0, match.start() - 1)] == "每"
        ):
            continue
        volume = max(volume or 0.0, _upper(match))
    if plain_count is not None and strength_mg is not None:
        single = max(single or 0.0, plain_count * strength_mg)
    if volume is not None and mg_per_ml is not None:
        single = max(single or 0.0, volume * mg_per_ml)
    per_kg = per_kg_day = None
    for match in _PER_KG_RE.finditer(text):
        unit = match.group("unit") or match.group("unit2")
        mg = _upper(match) * _MASS_UNITS[unit]
        if _PER_DAY_AFTER.match(text, match.end()) or _PER_DAY_BEFORE.search(
            text, max(0, match.start() - 8), match.start()
        ):  # "60 mg/kg/day divided into four doses", "每天每公斤60毫克"
            per_kg_day = max(per_kg_day or 0.0, mg)
        else:
            per_kg = max(per_kg or 0.0, mg)
    per_day = None
    times = [m for m in _TIMES_RE.finditer(text) if not _is_limit(text, m.start())]
    for match in times:
        if match.group("meals") or match.group("mornight"):
            value = 3.0 if match.group("meals") else 2.0
        else:
            value = _EN_NUMBERS[match.group("word")] if match.group("word") else _upper(match)
        per_day = max(per_day or 0.0, value)
    for match in _HOURS_RE.finditer(text):
        hours = parse_number(match.group("low"))  # the shortest interval gives the most doses
        if hours > 0:
            per_day = max(per_day or 0.0, 24 / hours)
    abbreviated = _ABBREVIATED_RE.search(text)
    if abbreviated:
        per_day = max(per_day or 0.0, _ABBREVIATED[abbreviated.group(1)])
    cap = _DOSE_COUNT_LIMIT_RE.search(text)
    if cap:  # "every 4–6 hours, max 5 doses in 24 hours": at most 5 a day
        per_day = min(per_day, _upper(cap)) if per_day else _upper(cap)
    limit = _daily_limit(text, strength_mg)
    more = _MORE_DOSES_RE.search(text)
    more_doses = parse_number(more.group("zh") or more.group("en")) if more else None
    return Dose(
        single, per_day, daily_mg, per_kg, count, volume, limit, daily_count, more_doses, per_kg_day, text
    )


_DAILY_LIMIT_RE = re.compile(
    rf"(?:每日|每天|一天|一日|24\s*小时|全天)(?:内)?(?:总量|总共|最多)?\s*(?:不(?:要|能|得|可)?超过|最多|不多于|上限)\s*{_range('a')}\s*(?P<ua>{_MASS}|{_COUNT})"
    rf"|(?:不(?:要|能|得|可)?超过|最多|no more than|not more than|never more than|not (?:to )?exceed|do not exceed|up to|max(?:imum)?(?: of)?|at most)\s*{_range('b')}\s*(?P<ub>{_MASS}|{_COUNT})\s*"
    rf"(?:(?:in|per|a|each|every|within)\s*(?:a\s*|one\s*)?(?:24\s*hours?|day)|daily|/\s*(?:天|日|day)|每天|每日|一天)"
)


def _daily_limit(text: str, strength_mg: float | None) -> float | None:
    """A daily ceiling stated in the advice, in mg ("每日不超过4克", "no more than 8 tablets in 24 hours")."""
    match = _DAILY_LIMIT_RE.search(text)
    if not match:
        return None
    unit = match.group("ua") or match.group("ub")
    value = _upper(match)
    if unit in _MASS_UNITS:
        return value * _MASS_UNITS[unit]
    return value * strength_mg if strength_mg else None
