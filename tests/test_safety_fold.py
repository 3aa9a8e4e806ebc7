"""`fold`'s short cuts (direct full-width replaces, the NFKC quick check, the traditional-character class)
must give exactly `normalize(text).translate(traditional_to_simplified())`, its definition."""

from __future__ import annotations

import random

from medqa.safety.text import fold, normalize, traditional_characters, traditional_to_simplified


def _definition(text: str) -> str:
    return normalize(text).translate(traditional_to_simplified())


def test_every_traditional_character_is_folded_alone_and_in_text():
    characters = sorted(traditional_characters())
    assert any(ord(char) >= 0x10000 for char in characters)  # astral members are covered too
    assert not [char for char in characters if fold(char) != _definition(char)]
    assert not [
        char for char in characters if fold(f"请问{char}药，OK？") != _definition(f"请问{char}药，OK？")
    ]


def test_random_texts_fold_as_defined():
    generator = random.Random(0)
    traditional = sorted(traditional_characters())
    alphabet = ["a", "A", "中", "药", "，", "（", "％", "Ａ", "①", "\U00020000", "\U0001f600", " ", "\n"]
    texts = [
        "".join(
            generator.choice(alphabet + [generator.choice(traditional)])
            for _ in range(generator.randrange(10))
        )
        for _ in range(5_000)
    ]
    assert not [t for t in texts if fold(t) != _definition(t)]
    assert fold("藥物劑量") == "药物剂量" and fold("Ｈｅｌｌｏ，世界") == "hello,世界"
