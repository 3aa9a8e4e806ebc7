"""Emergency red flags in a question: the one detector behind risk annotation, the metric and the demo.

Terms and patterns live in `lexicons/red_flags.yaml` and match the folded text (NFKC, lower case,
simplified Chinese); a mention under a negation cue in the same
clause ("否认胸痛", "no chest pain") is not a red flag.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from medqa.safety.lexicons import load_lexicon
from medqa.safety.matching import TermMatcher
from medqa.safety.negation import is_negated
from medqa.safety.text import fold

SEVERITIES = ("high", "critical")


@dataclass(frozen=True)
class RedFlagMatch:
    """One red-flag mention; offsets index the folded text (`medqa.safety.text.fold`), 1:1 with the input
    for CJK and ASCII."""

    name: str
    category: str
    start: int
    end: int
    text: str
    severity: str = "critical"


@dataclass(frozen=True)
class _RedFlagLexicon:
    matcher: TermMatcher
    entry_by_term: dict[str, dict]
    patterns: re.Pattern[str] | None  # every entry's patterns in one alternation, group `p<n>` per pattern
    pattern_entries: dict[str, dict]


@cache
def _lexicon() -> _RedFlagLexicon:
    entries = load_lexicon("red_flags", required=("name", "category", "severity", "terms"))["entries"]
    entry_by_term = {}
    for entry in entries:
        if entry["severity"] not in SEVERITIES:
            raise ValueError(f"red_flags.yaml: {entry['name']}: severity must be one of {SEVERITIES}")
        for term in entry["terms"]:
            entry_by_term.setdefault(fold(str(term)).strip(), entry)
    pattern_entries, alternatives = {}, []
    for entry in entries:
        for pattern in entry.get("patterns", ()):
            group = f"p{len(alternatives)}"
            re.compile(pattern)  # a bad pattern fails here, on its own, with a readable message
            alternatives.append(f"(?P<{group}>{pattern})")
            pattern_entries[group] = entry
    combined = re.compile("|".join(alternatives)) if alternatives else None
    return _RedFlagLexicon(TermMatcher(entry_by_term), entry_by_term, combined, pattern_entries)


def find_red_flags(text: str, folded: bool = False) -> list[RedFlagMatch]:
    """Non-negated red-flag mentions in `text`, in order, without overlaps (the earliest, longest wins).

    Pass `folded=True` when `text` is already `fold(...)`-ed, to skip folding it again."""
    lexicon = _lexicon()
    normalized = text if folded else fold(text)
    candidates = [(m, lexicon.entry_by_term[m.group(0)]) for m in lexicon.matcher.finditer(normalized)]
    if lexicon.patterns is not None:
        candidates += [
            (m, lexicon.pattern_entries[m.lastgroup]) for m in lexicon.patterns.finditer(normalized)
        ]
    candidates.sort(key=lambda item: (item[0].start(), -(item[0].end() - item[0].start())))
    matches, covered_until = [], -1
    for match, entry in candidates:
        if match.start() < covered_until or is_negated(normalized, match.start()):
            continue
        covered_until = match.end()
        matches.append(
            RedFlagMatch(
                entry["name"],
                entry["category"],
                match.start(),
                match.end(),
                match.group(0),
                entry["severity"],
            )
        )
    return matches
