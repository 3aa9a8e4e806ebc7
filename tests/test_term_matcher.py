"""`TermMatcher` (candidate first characters, a two-character prefix set, one trie per first character)
must find what the plain definition finds: from left to right, the longest term starting at each position
not inside the previous match."""

from __future__ import annotations

import random

from medqa.safety.drugs import _lexicon
from medqa.safety.matching import TermMatcher


def _longest_terms(text: str, terms: set[str]) -> list[tuple[int, int]]:
    spans, position = [], 0
    while position < len(text):
        longest = max((t for t in terms if text.startswith(t, position)), key=len, default="")
        if longest:
            spans.append((position, position + len(longest)))
        position += len(longest) or 1
    return spans


def _random_texts(terms: list[str], filler: str, count: int) -> list[str]:
    generator = random.Random(0)
    pieces = [*terms, *filler]
    return ["".join(generator.choice(pieces) for _ in range(generator.randrange(8))) for _ in range(count)]


def test_small_lexicons_with_and_without_one_character_terms():
    for terms in (
        {"阿司匹林", "阿莫西林", "头孢", "头孢克肟", "布洛芬"},
        {"药", "药片", "头孢", "头孢克肟", "孢"},
    ):
        texts = _random_texts(sorted(terms), "阿头孢药片林西莫克肟布洛芬吃，", 5_000)
        matcher = TermMatcher(terms)
        found = [[m.span() for m in matcher.finditer(t)] for t in texts]
        assert found == [_longest_terms(t, terms) for t in texts]
        assert sum(map(bool, found)) >= 2_000


def test_the_drug_lexicon_cjk_names():
    cjk = {name for name in _lexicon()[1] if not name[0].isascii()}
    matcher = TermMatcher(cjk)
    sample = sorted(cjk)[::7]
    texts = _random_texts(sample, "的药片胶囊一次每日吃，。", 2_000)
    assert [[m.span() for m in matcher.finditer(t)] for t in texts] == [_longest_terms(t, cjk) for t in texts]
