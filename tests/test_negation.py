import pytest

from medqa.safety.negation import negation_cue
from medqa.safety.text import normalize


@pytest.mark.parametrize(
    ("text", "mention", "cue"),
    [
        ("不要给儿童服用阿司匹林", "阿司匹林", "不要"),
        ("do not give aspirin to children", "aspirin", "do not"),
        ("患者否认胸痛", "胸痛", "否认"),
        ("i have no chest pain", "chest pain", "no"),
        ("儿童可以服用布洛芬", "布洛芬", None),
        ("不要吃阿司匹林，可以用对乙酰氨基酚", "对乙酰氨基酚", None),
        ("avoid codeine but you can take ibuprofen", "ibuprofen", None),
        # A-not-A questions ask; they do not negate.
        ("孩子发烧要不要吃阿莫西林", "阿莫西林", None),
        ("能不能吃布洛芬", "布洛芬", None),
        ("有没有胸痛", "胸痛", None),
    ],
)
def test_negation_cue(text, mention, cue):
    normalized = normalize(text)
    assert negation_cue(normalized, normalized.index(mention)) == cue


def test_cue_pattern_matches_exactly_its_look_behind_first_definition():
    """The cue (and scope-breaker) alternation is written with each look-behind after the cue's first character (so `re` can
    skip to first characters); it must find the very spans of the plain form, `(?<!要)不要`, `\\bnot\\b`,
    on random texts built from the cues themselves, their A-not-A frames and word neighbours."""
    import random
    import re

    from medqa.safety.lexicons import load_lexicon
    from medqa.safety.negation import _patterns

    entries = load_lexicon("negation", required=("language", "cue"))["entries"]
    zh = sorted((e["cue"] for e in entries if e["language"] == "zh"), key=len, reverse=True)
    en = sorted((e["cue"] for e in entries if e["language"] == "en"), key=len, reverse=True)

    def plain_zh(cue: str) -> str:
        if len(cue) >= 2 and cue[0] in "不没":
            return f"(?<!{re.escape(cue[1])}){re.escape(cue)}"
        if cue == "别":
            return "(?<![区特分告级类性识差个辨])别(?![人的处家致针名称墅扭])"
        return re.escape(cue)

    breakers = sorted(load_lexicon("negation")["scope_breakers"], key=len, reverse=True)
    definitions = [
        re.compile("|".join([*map(plain_zh, zh), *(rf"\b{re.escape(c)}\b" for c in en)])),
        re.compile(
            "|".join(
                re.escape(b) if re.search(r"[\u4e00-\u9fff]", b) else rf"\b{re.escape(b)}\b" for b in breakers
            )
        ),
    ]
    generator = random.Random(0)
    pieces = [*zh, *en, *breakers, "要", "能", "有", "特", "人", "x", "a", "1", " ", "，", "吃药", "don"]
    texts = ["".join(generator.choice(pieces) for _ in range(generator.randrange(8))) for _ in range(20_000)]
    for fast, definition in zip(_patterns()[:2], definitions, strict=True):
        spans = [[m.span() for m in fast.finditer(t)] for t in texts]
        assert spans == [[m.span() for m in definition.finditer(t)] for t in texts]
        assert sum(map(bool, spans)) >= 2_000
