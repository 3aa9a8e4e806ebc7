"""Fast lexicon lookup: all terms of a lexicon compiled into trie-shaped regexes.

Python's `re` tries alternatives one by one; a flat `a|b|c|…` over hundreds of terms is slow on the
long texts `medqa prepare` and the metric scan, while a prefix trie tries each character once. A
trie whose branches all start with a literal also lets `re` skip ahead to a possible first
character, so the word-boundary check on the left of Latin terms is done in Python, not with a
look-behind that would disable that skip.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from medqa.safety.text import fold

_ASCII_WORD = re.compile(r"[a-z0-9]")


def _trie_regex(terms: Iterable[str]) -> str:
    trie: dict = {}
    for term in terms:
        node = trie
        for char in term:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: dict) -> str:
        branches = [re.escape(char) + render(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            return body + "?" if len(branches) == 1 and len(branches[0]) == 1 else f"(?:{body})?"
        return body

    return render(trie)


class TermMatcher:
    """Find lexicon terms in folded text (`medqa.safety.text.fold`); Latin terms match on word boundaries."""

    def __init__(self, terms: Iterable[str]):
        folded = {fold(term).strip() for term in terms} - {""}
        latin = sorted(t for t in folded if _ASCII_WORD.match(t[0]))
        other = sorted(folded - set(latin))
        self._latin = re.compile(f"{_trie_regex(latin)}(?![a-z0-9])") if latin else None
        # Other (CJK) terms: a class of first characters finds candidate positions, then the trie of
        # that character alone is tried there; one trie over hundreds of first characters makes `re`
        # walk its top-level branch at every candidate (about 1.5x slower).
        by_first: dict[str, list[str]] = {}
        for term in other:
            by_first.setdefault(term[0], []).append(term)
        first = "[" + "".join(map(re.escape, sorted(by_first))) + "]"
        if other and all(len(term) > 1 for term in other):  # and a possible second character: 3x fewer tries
            first += "(?=[" + "".join(map(re.escape, sorted({term[1] for term in other}))) + "])"
        self._first = re.compile(first) if other else None
        self._by_first = {char: re.compile(_trie_regex(terms)) for char, terms in by_first.items()}
        # A term's first two characters (a one-character term: itself): six in seven candidates of the
        # drug lexicon fail this set lookup, which is cheaper than trying the trie there.
        self._prefixes = frozenset(term[:2] for term in other)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """Matches over `text` (already folded) in order; `match.group(0)` is the folded term."""
        matches = []
        if self._first is not None:
            covered = 0
            for candidate in self._first.finditer(text):
                start = candidate.start()
                if start < covered or (
                    text[start : start + 2] not in self._prefixes and text[start] not in self._prefixes
                ):
                    continue
                match = self._by_first[candidate.group(0)].match(text, start)
                if match:
                    matches.append(match)
                    covered = match.end()
        if self._latin and _ASCII_WORD.search(text):
            latin = [
                m
                for m in self._latin.finditer(text)
                if m.start() == 0 or not _ASCII_WORD.match(text[m.start() - 1])
            ]
            matches = sorted(matches + latin, key=lambda m: m.start()) if matches else latin
        yield from matches
