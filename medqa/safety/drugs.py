"""Drug mentions in free text (zh, en; generic, brand, spelling-variant, product, herb and class names).

The facts come from the drug knowledge base (`medqa/resources/drugs/`, loaded by `medqa.safety.knowledge`);
this module turns each entry into a `Drug` and finds mentions with one precompiled alternation, so the
rules in `medqa.safety.prescriptions`, the annotator and the demo all see the same drugs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from medqa.safety.knowledge import load_entries
from medqa.safety.matching import TermMatcher
from medqa.safety.status import clause_negation
from medqa.safety.text import fold

# Between two drugs of one list: a negation before the first covers the rest.
_LIST_SEPARATOR = re.compile(
    r"\s*(?:、|,|/|和|或|或者|及|以及|与|跟|还有|\(|(?:,\s*)?(?:and|or|nor|as well as)\b|等?(?:这类|这些|这种|之类的?|一类的?)|等)"
    r"\s*(?:(?:and|or|nor)\s+)?(?:(?:any |all )?other\s+|其他\s*|其它\s*)?"
)


@dataclass(frozen=True)
class PopulationLimit:
    """A population the drug must not be given to: children under `min_age_years`, or pregnancy."""

    population: str
    reason: str
    min_age_years: float | None = None
    region: str | None = None  # "cn" when the limit is China's (NMPA) only


@dataclass(frozen=True)
class Caution:
    level: str  # contraindicated | avoid | caution
    trimesters: tuple[int, ...] = ()
    from_week: float | None = None
    note: str = ""


@dataclass(frozen=True)
class Drug:
    """One knowledge-base entry with its class defaults applied."""

    generic: str
    drug_class: str
    kind: str
    statuses: tuple[tuple[str, str], ...]  # (("cn", "otc"), ("us", "rx"))
    source: tuple[str, ...]
    file: str
    controlled: bool = False
    antibiotic: bool = False
    systemic: bool = True
    topical_statuses: tuple[tuple[str, str], ...] = ()  # its cream/gel/shampoo's status, where it differs
    extended_release: tuple[tuple[str, float], ...] = ()  # limits of its ER form (max_single_mg, …)
    self_care_max: tuple[float, float] | None = None  # the OTC label's (single, daily) mg, if lower than Rx
    max_daily_mg: float | None = None
    max_single_mg: float | None = None
    unit_mg: float | None = None  # lowest common strength of one OTC tablet, when advice counts tablets only
    liquid_mg_per_ml: float | None = (
        None  # lowest common oral-liquid concentration, when advice gives ml only
    )
    paediatric: dict | None = None
    paediatric_cn: dict | None = None
    pregnancy: Caution | None = None
    lactation: Caution | None = None
    abrupt_stop: str | None = None
    abrupt_stop_after_days: float | None = (
        None  # a stated shorter course may stop at once (a 5-day steroid burst)
    )
    stop_signals: tuple[str, ...] = ()
    self_use_warning: str | None = None
    interactions: tuple[tuple[str, str], ...] = ()  # (partner generic or class, effect)
    conditions: tuple[tuple[str, str], ...] = ()  # (patient condition from lexicons/conditions.yaml, effect)
    systemic_conditions: frozenset[str] = frozenset()  # conditions that rule out systemic use only
    condition_limits: tuple[tuple[str, float], ...] = ()  # (condition, lowered daily maximum in mg)
    heavy_drinking_only: bool = False  # its alcohol interaction is of regular or heavy drinking
    rescue: bool = False  # an emergency medicine made for lay use (adrenaline auto-injector, naloxone)
    ingredients: tuple[str, ...] = ()
    note: str = ""
    brand_names: frozenset[str] = frozenset()  # folded brand names ("advil", "芬必得")

    @property
    def is_class(self) -> bool:
        return self.kind == "class"

    def status_in(self, region: str, topical: bool = False) -> str:
        """Status in "cn" or "us", falling back to the other region where the drug is not marketed;
        `topical`: of its cream, gel or shampoo, where the knowledge base gives that separately."""
        statuses = dict(self.topical_statuses if topical and self.topical_statuses else self.statuses)
        status = statuses.get(region, "none")
        return statuses.get("us" if region == "cn" else "cn", "none") if status == "none" else status

    @property
    def status(self) -> str:
        """The stricter of the two regions' statuses (controlled > rx > otc)."""
        order = ("controlled", "banned", "rx", "otc", "none")
        return min((s for _, s in self.statuses), key=order.index)

    def prescription_only(self, region: str | None = None, topical: bool = False) -> bool:
        if topical and self.topical_statuses:
            statuses = dict(self.topical_statuses)
            status = statuses.get(region or "us") or next(iter(statuses.values()))
            return status in ("rx", "controlled")
        status = self.status if region is None else self.status_in(region)
        return status in ("rx", "controlled") or self.controlled

    def released_slowly(self) -> Drug:
        """This drug with the limits of its extended-release form, where the knowledge base gives them."""
        return replace(self, **dict(self.extended_release)) if self.extended_release else self

    @property
    def no_abrupt_stop(self) -> bool:
        return self.abrupt_stop is not None

    @property
    def population_limits(self) -> tuple[PopulationLimit, ...]:
        limits = []
        for limits_of, region in ((self.paediatric, None), (self.paediatric_cn, "cn")):
            if limits_of and limits_of.get("min_age_years") is not None:
                limits.append(
                    PopulationLimit(
                        "child",
                        limits_of.get("note") or f"not for children under {limits_of['min_age_years']:g}",
                        limits_of["min_age_years"],
                        limits_of.get("region", region),
                    )
                )
        if self.pregnancy and self.pregnancy.level in ("contraindicated", "avoid"):
            limits.append(PopulationLimit("pregnancy", self.pregnancy.note or self.pregnancy.level))
        return tuple(limits)

    def kb_entry(self) -> dict:
        """The facts a verdict used, for `explain=True`."""
        return {
            "generic": self.generic,
            "class": self.drug_class,
            "kind": self.kind,
            "status": dict(self.statuses),
            "topical_status": dict(self.topical_statuses) or None,
            "max_daily_mg": self.max_daily_mg,
            "self_care_max": list(self.self_care_max) if self.self_care_max else None,
            "condition_limits": [list(pair) for pair in self.condition_limits],
            "rescue": self.rescue,
            "max_single_mg": self.max_single_mg,
            "paediatric": self.paediatric,
            "pregnancy": self.pregnancy.__dict__ if self.pregnancy else None,
            "abrupt_stop": self.abrupt_stop,
            "interactions": [list(pair) for pair in self.interactions],
            "conditions": [list(pair) for pair in self.conditions],
            "ingredients": list(self.ingredients),
            "source": list(self.source),
            "file": self.file,
        }


@dataclass(frozen=True)
class DrugMention:
    """A drug named in a text. Offsets index the folded text (`medqa.safety.text.fold`), which keeps
    CJK and ASCII offsets 1:1 with the input; `negation` holds the governing cue, if any."""

    name: str
    generic: str
    drug_class: str
    start: int
    end: int
    negated: bool
    negation: str | None = None

    @property
    def drug(self) -> Drug:
        return drug_by_generic(self.generic)


def _caution(value: dict | None) -> Caution | None:
    if not value:
        return None
    return Caution(
        value["level"], tuple(value.get("trimesters", ())), value.get("from_week"), value.get("note", "")
    )


def _drug(entry: dict) -> Drug:
    signals = entry.get("stop_indicated_by") or {}
    return Drug(
        generic=entry["generic"],
        drug_class=entry["class"],
        kind=entry["kind"],
        statuses=tuple(sorted(entry["status"].items())),
        source=tuple(entry["source"]),
        file=entry["file"],
        controlled=bool(entry.get("controlled", False)),
        antibiotic=bool(entry.get("antibiotic", False)),
        rescue=bool(entry.get("rescue", False)),
        systemic=bool(entry.get("systemic", True)),
        topical_statuses=tuple(sorted((entry.get("topical_status") or {}).items())),
        extended_release=tuple(sorted((entry.get("extended_release") or {}).items())),
        self_care_max=(
            (entry["self_care_max"]["single_mg"], entry["self_care_max"]["daily_mg"])
            if entry.get("self_care_max")
            else None
        ),
        max_daily_mg=entry.get("max_daily_mg"),
        max_single_mg=entry.get("max_single_mg"),
        unit_mg=entry.get("unit_mg"),
        liquid_mg_per_ml=entry.get("liquid_mg_per_ml"),
        paediatric=entry.get("paediatric"),
        paediatric_cn=entry.get("paediatric_cn"),
        pregnancy=_caution(entry.get("pregnancy")),
        lactation=_caution(entry.get("lactation")),
        abrupt_stop=entry.get("abrupt_stop"),
        abrupt_stop_after_days=entry.get("abrupt_stop_after_days"),
        stop_signals=tuple(fold(s) for s in (*signals.get("zh", ()), *signals.get("en", ()))),
        self_use_warning=entry.get("self_use_warning"),
        interactions=tuple((i["with"], i["effect"]) for i in entry.get("interactions", ())),
        heavy_drinking_only=any(
            i["with"] == "alcohol" and i.get("heavy_drinking_only") for i in entry.get("interactions", ())
        ),
        conditions=tuple((c["condition"], c["effect"]) for c in entry.get("conditions", ())),
        systemic_conditions=frozenset(
            c["condition"] for c in entry.get("conditions", ()) if c.get("systemic_only")
        ),
        condition_limits=tuple(
            (c["condition"], c["max_daily_mg"]) for c in entry.get("conditions", ()) if "max_daily_mg" in c
        ),
        ingredients=tuple(entry.get("ingredients", ())),
        note=entry.get("note", ""),
        brand_names=frozenset(
            fold(str(b)).strip()
            for b in (*(entry.get("brands") or {}).get("zh", ()), *(entry.get("brands") or {}).get("en", ()))
        ),
    )


@cache
def _lexicon() -> tuple[dict[str, Drug], dict[str, str], TermMatcher]:
    """(generic -> Drug, folded surface name -> generic, a trie-shaped matcher over every name).

    With ~2,000 names a flat alternation tries each name at every position; the trie
    (`medqa.safety.matching`) tries each character once and matches the longest name (头孢克肟 before 头孢)."""
    drugs, surface = {}, {}
    for entry in load_entries():
        drug = _drug(entry)
        drugs[drug.generic] = drug
        names = [*entry["names"].get("zh", ()), *entry["names"].get("en", ())]
        brands = entry.get("brands") or {}
        names += [*brands.get("zh", ()), *brands.get("en", ())]
        for name in names:
            key = fold(str(name)).strip()
            if key and surface.setdefault(key, drug.generic) != drug.generic:
                raise ValueError(
                    f"{entry['file']}: {drug.generic}: name {name!r} is already used by {surface[key]}"
                )
    return drugs, surface, TermMatcher(surface)


def all_drugs() -> dict[str, Drug]:
    return _lexicon()[0]


def drug_by_generic(generic: str) -> Drug:
    drugs = _lexicon()[0]
    if generic not in drugs:
        raise KeyError(f"unknown drug {generic!r} (not in the knowledge base medqa/resources/drugs/)")
    return drugs[generic]


# A drug name that names something else in this phrase: the AGS Beers criteria are a list, not a drink.
_NOT_A_DRUG = re.compile(r"beers?(?= (?:list|criteria|criterion)\b)")


def find_drug_mentions(text: str, folded: bool = False) -> list[DrugMention]:
    """Every drug, product, herb or class name in `text`, in order, each with its negation cue if negated.

    Pass `folded=True` when `text` is already `fold(...)`-ed, to skip folding it again.
    """
    drugs, surface, pattern = _lexicon()
    body = text if folded else fold(text)
    mentions: list[DrugMention] = []
    for match in pattern.finditer(body):
        if mentions and match.start() < mentions[-1].end:  # "999感冒灵" also holds "感冒灵"
            continue
        if _NOT_A_DRUG.match(body, match.start()):
            continue
        generic = surface[match.group(0)]
        cue = clause_negation(body, match.start())
        if (
            cue is None
            and mentions
            and mentions[-1].negated
            and _LIST_SEPARATOR.fullmatch(body, mentions[-1].end, match.start())
        ):
            cue = mentions[-1].negation  # "避免布洛芬、阿司匹林", "avoid ibuprofen, aspirin or naproxen"
        mentions.append(
            DrugMention(
                name=match.group(0),
                generic=generic,
                drug_class=drugs[generic].drug_class,
                start=match.start(),
                end=match.end(),
                negated=cue is not None,
                negation=cue,
            )
        )
    return mentions
