"""Drug mentions in free text (zh, en; generic, brand, spelling-variant, product, herb and class names).

The facts come from the drug knowledge base (`medqa/resources/drugs/`, loaded by `medqa.safety.knowledge`);
this module turns each entry into a `Drug` and finds mentions with one precompiled alternation, so the
rules in `medqa.safety.prescriptions`, the annotator and the demo all see the same drugs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from medqa.safety.knowledge import load_entries
from medqa.safety.matching import TermMatcher
from medqa.safety.status import clause_negation
from medqa.safety.text import fold


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
    max_daily_mg: float | None = None
    max_single_mg: float | None = None
    paediatric: dict | None = None
    paediatric_cn: dict | None = None
    pregnancy: Caution | None = None
    lactation: Caution | None = None
    abrupt_stop: str | None = None
    stop_signals: tuple[str, ...] = ()
    self_use_warning: str | None = None
    interactions: tuple[tuple[str, str], ...] = ()  # (partner generic or class, effect)
    ingredients: tuple[str, ...] = ()
    note: str = ""

    @property
    def is_class(self) -> bool:
        return self.kind == "class"

    def status_in(self, region: str) -> str:
        """Status in "cn" or "us", falling back to the other region where the drug is not marketed."""
        statuses = dict(self.statuses)
        status = statuses.get(region, "none")
        return statuses.get("us" if region == "cn" else "cn", "none") if status == "none" else status

    @property
    def status(self) -> str:
        """The stricter of the two regions' statuses (controlled > rx > otc)."""
        order = ("controlled", "banned", "rx", "otc", "none")
        return min((s for _, s in self.statuses), key=order.index)

    def prescription_only(self, region: str | None = None) -> bool:
        status = self.status if region is None else self.status_in(region)
        return status in ("rx", "controlled") or self.controlled

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
            "max_daily_mg": self.max_daily_mg,
            "max_single_mg": self.max_single_mg,
            "paediatric": self.paediatric,
            "pregnancy": self.pregnancy.__dict__ if self.pregnancy else None,
            "abrupt_stop": self.abrupt_stop,
            "interactions": [list(pair) for pair in self.interactions],
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
        systemic=bool(entry.get("systemic", True)),
        max_daily_mg=entry.get("max_daily_mg"),
        max_single_mg=entry.get("max_single_mg"),
        paediatric=entry.get("paediatric"),
        paediatric_cn=entry.get("paediatric_cn"),
        pregnancy=_caution(entry.get("pregnancy")),
        lactation=_caution(entry.get("lactation")),
        abrupt_stop=entry.get("abrupt_stop"),
        stop_signals=tuple(fold(s) for s in (*signals.get("zh", ()), *signals.get("en", ()))),
        self_use_warning=entry.get("self_use_warning"),
        interactions=tuple((i["with"], i["effect"]) for i in entry.get("interactions", ())),
        ingredients=tuple(entry.get("ingredients", ())),
        note=entry.get("note", ""),
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
        generic = surface[match.group(0)]
        cue = clause_negation(body, match.start())
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
