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
