"""Drug mentions in free text (zh, en; generic, brand and class names), negation-aware.

Used by the risky-prescription rules (`medqa.safety.prescriptions`), the data annotator and the demo.
The lexicon is `medqa/resources/lexicons/drugs.yaml`; this module only compiles and queries it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from medqa.safety.lexicons import LexiconError, load_lexicon
from medqa.safety.negation import negation_cue
from medqa.safety.text import fold, latin_bounded

STATUSES = ("otc", "rx", "controlled")
POPULATIONS = ("child", "pregnancy")


@dataclass(frozen=True)
class PopulationLimit:
    """A population the drug must not be given to: children under `min_age_years`, or pregnancy."""

    population: str
    reason: str
    min_age_years: float | None = None
    region: str | None = None  # "cn" when the limit is China's (NMPA) only


@dataclass(frozen=True)
class Drug:
    """One lexicon entry: a drug, or a class word such as "antibiotics" when `is_class`."""

    generic: str
    drug_class: str
    status: str
    is_class: bool = False
    max_daily_mg: float | None = None
    no_abrupt_stop: bool = False
    population_limits: tuple[PopulationLimit, ...] = ()

    @property
    def prescription_only(self) -> bool:
        return self.status in ("rx", "controlled")


@dataclass(frozen=True)
class DrugMention:
    """A drug named in a text. Offsets index the folded text (`medqa.safety.text.fold`), which keeps
    CJK and ASCII offsets 1:1 with the input; `negated` holds the governing cue, if any."""

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


def _parse_drug(entry: dict, where: str) -> Drug:
    if entry["status"] not in STATUSES:
        raise LexiconError(f"{where}: status {entry['status']!r} is not one of {', '.join(STATUSES)}")
    limits = []
    for index, limit in enumerate(entry.get("population_limits") or ()):
        if limit.get("population") not in POPULATIONS or not limit.get("reason"):
            raise LexiconError(
                f"{where}: population_limits[{index}] needs population (child|pregnancy) and reason"
            )
        if limit["population"] == "child" and limit.get("min_age_years") is None:
            raise LexiconError(f"{where}: population_limits[{index}] of a child limit needs min_age_years")
        limits.append(
            PopulationLimit(
                limit["population"], str(limit["reason"]), limit.get("min_age_years"), limit.get("region")
            )
        )
    return Drug(
        generic=entry["generic"],
        drug_class=entry["class"],
        status=entry["status"],
        is_class=bool(entry.get("is_class", False)),
        max_daily_mg=entry.get("max_daily_mg"),
        no_abrupt_stop=bool(entry.get("no_abrupt_stop", False)),
        population_limits=tuple(limits),
    )


@cache
def _lexicon() -> tuple[dict[str, Drug], dict[str, str], re.Pattern[str]]:
    """(generic -> Drug, folded surface name -> generic, one flat alternation over every name).

    Flat and literal-first on purpose: `re` then skips ahead by first character, several times faster on
    answers than a trie behind a word-boundary lookbehind; Latin word boundaries are checked per match."""
    lexicon = load_lexicon("drugs", required=("generic", "class", "status", "names"))
    drugs, surface = {}, {}
    for index, entry in enumerate(lexicon["entries"]):
        where = f"drugs.yaml: entries[{index}] ({entry['generic']})"
        drugs[entry["generic"]] = _parse_drug(entry, where)
        names = entry["names"]
        if not isinstance(names, dict) or not any(names.get(lang) for lang in ("zh", "en")):
            raise LexiconError(f"{where}: names must map zh/en to lists of names")
        for name in (*(names.get("zh") or ()), *(names.get("en") or ())):
            key = fold(str(name))
            if surface.setdefault(key, entry["generic"]) != entry["generic"]:
                raise LexiconError(f"{where}: name {name!r} is already used by {surface[key]}")
    names = sorted(surface, key=len, reverse=True)  # longest first: 头孢克肟 before 头孢
    return drugs, surface, re.compile("|".join(map(re.escape, names)))


def drug_by_generic(generic: str) -> Drug:
    drugs = _lexicon()[0]
    if generic not in drugs:
        raise KeyError(f"unknown drug {generic!r} (not in drugs.yaml)")
    return drugs[generic]


def find_drug_mentions(text: str, folded: bool = False) -> list[DrugMention]:
    """Every drug or drug-class name in `text`, in order, each with its negation cue if negated.

    Pass `folded=True` when `text` is already `fold(...)`-ed, to skip folding it again.
    """
    drugs, surface, pattern = _lexicon()
    body = text if folded else fold(text)
    mentions = []
    for match in pattern.finditer(body):
        if not latin_bounded(body, match.start(), match.end()):
            continue
        generic = surface[match.group(0)]
        cue = negation_cue(body, match.start())
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
