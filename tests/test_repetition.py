"""The metric's loop detector (`is_repetitive`, `repetition_share`), which the repetition reward uses:
every shape of generation loop is caught, legitimate repeated structure is not (zh and en)."""

from __future__ import annotations

import pytest

from medqa.metrics.core import is_repetitive, repetition_share

SLEEP = "建议每天固定时间起床，睡前一小时不看手机，下午后不喝咖啡和浓茶。"

LOOPS = {
    "sentence repeated": "睡前不要看手机，也不要喝咖啡。" * 4,
    "sentence repeated apart": "多喝水，注意休息一下。先观察两天。多喝水，注意休息一下。再看看。多喝水，注意休息一下。",
    "character run zh": SLEEP + "强强强强强强",
    "character run after a stop": SLEEP + "建议建议就就就就就就就就就",
    "word run en": "Rest at home and the the the the the doctor will see you.",
    "short unit with spaces": "ab ab ab ab ab ab",
    "comma run": "多休息，，，，注意保暖。",
    "two-character unit": SLEEP + "好的好的好的好的好的好的",
    "long tail of one token": SLEEP + "的" * 40,
    "alternating tail": SLEEP + "的了" * 20,
    "phrase loop en": "You should see a doctor. " + "Drink water and rest, " * 5,
    "line loop": "注意事项：\n" + "- 避免熬夜\n" * 5,
    "loop inside think": "<think>\n" + "患者失眠，" * 8 + "\n</think>\n\n" + SLEEP,
}

LEGITIMATE = {
    "plain zh": SLEEP,
    "plain en": "Rest, drink plenty of fluids and try warm salt-water gargles. See a doctor if the fever is high.",
    "numbered list": "1. 多喝水，每天8杯。\n2. 多休息，每天睡够8小时。\n3. 清淡饮食，少吃辛辣。\n4. 按时服药。\n5. 定期复查。",
    "dosage pattern": (
        "- 布洛芬：每次1片，每日3次。\n- 对乙酰氨基酚：每次1片，每日3次。\n- 氯雷他定：每次1片，每日1次。"
    ),
    "same dose sentence twice": "早饭后服用，每次1片，每日3次。晚饭后服用，每次1片，每日3次。",
    "table": (
        "| 药物 | 早 | 中 | 晚 |\n| --- | --- | --- | --- |\n| 布洛芬 | 是 | 是 | 是 |\n"
        "| 维生素C | 是 | 是 | 是 |\n| 钙片 | 是 | 否 | 是 |"
    ),
    "markdown rule": "第一部分\n\n----------\n\n第二部分\n\n==========",
    "ellipsis": "这个嘛……其实……要看情况……先去医院检查一下吧......",
    "reduplication": "慢慢来，看看再说，试试热敷，多走走，天天坚持，一点一点地加量，常常复查。",
    "repeated headings": (
        "### 用法用量\n布洛芬每次200mg，必要时服用。\n### 注意事项\n胃溃疡患者慎用。\n"
        "### 用法用量\n对乙酰氨基酚每次500mg。\n### 注意事项\n肝病患者慎用。\n"
        "### 用法用量\n氯雷他定每次10mg，每日一次。\n### 注意事项\n孕妇请咨询医生。"
    ),
    "big number": "全球约有100000000人受影响，约1,000,000,000次就诊。",
    "laughter": "哈哈哈，别担心，这很常见。",
    "en emphasis": "It is very, very important: no, no, no alcohol with this medicine.",
    "think block": "<think>\n" + "患者失眠，考虑睡眠卫生问题。" + "\n</think>\n\n" + SLEEP,
    "empty": "",
}


@pytest.mark.parametrize("name", LOOPS)
def test_loops_are_repetitive(name):
    assert is_repetitive(LOOPS[name]), name
    assert 0.0 < repetition_share(LOOPS[name]) <= 1.0


@pytest.mark.parametrize("name", LEGITIMATE)
def test_legitimate_text_is_not_repetitive(name):
    assert not is_repetitive(LEGITIMATE[name]), name
    assert repetition_share(LEGITIMATE[name]) == 0.0


def test_share_grows_with_the_loop():
    """The share of the text inside a loop, so a longer loop scores worse (the reward's gradient)."""
    short, long = SLEEP + "强" * 8, SLEEP + "强" * 80
    assert 0.0 < repetition_share(short) < repetition_share(long) < 1.0
    assert repetition_share("强" * 50) == 1.0
    # Overlapping findings (a run inside a repeated sentence) are counted once.
    assert 0.85 < repetition_share("多喝水强强强强强强。" * 3) <= 1.0


def test_loop_prefilter_agrees_with_its_regex_definition():
    """`_may_loop` (array comparisons) must find exactly what `(.)\\1{4}` or `(..)\\1{4}` find: random
    strings over a small alphabet (newlines, which `.` does not match, included) hit every edge."""
    import random
    import re

    from medqa.metrics.core import _may_loop

    definition = [re.compile(r"(.)\1\1\1\1"), re.compile(r"(..)\1\1\1\1")]
    generator = random.Random(0)
    texts = [
        "".join(generator.choice("ab\n中 ") for _ in range(generator.randrange(16))) for _ in range(20_000)
    ]
    texts += [
        "哈哈哈哈哈",
        "好的好的好的好的好的",
        "a\na\na\na\na\n",
        "\n\n\n\n\n",
        "\ud800" * 5,
        "abab\nabab",
    ]
    disagreements = [t for t in texts if _may_loop(t) != any(p.search(t) for p in definition)]
    assert not disagreements
    assert sum(map(_may_loop, texts)) >= 50  # both answers occur


def test_tokens_agree_with_their_regex_definition():
    """`_tokens` (replaces and `str.split`) must split exactly where `_TOKEN` does: every separator, and
    every code point either whitespace test knows (`str.isspace`, `\\s`), between letters and hanzi."""
    import random
    import re

    from medqa.metrics.core import _SEPARATORS, _TOKEN, _tokens

    spaces = [chr(c) for c in range(0x110000) if chr(c).isspace() or re.fullmatch(r"\s", chr(c))]
    assert "\u3000" in spaces and "\x85" in spaces
    generator = random.Random(0)
    alphabet = ["a", "中", "-", "#", "1", *_SEPARATORS, *spaces]
    texts = [
        "".join(generator.choice(alphabet) for _ in range(generator.randrange(12))) for _ in range(20_000)
    ]
    texts += [f"a{space}b" for space in spaces]
    assert not [t for t in texts if _tokens(t) != _TOKEN.findall(t)]


def test_cycle_gate_drops_no_cycle():
    """`_token_cycles` skips texts where no pair of neighbouring tokens comes twice; brute force over random
    texts of a three-token vocabulary (each token long enough for the letter minimum) finds the same cycles:
    four copies of one token or three of two to four tokens, back to back."""
    import random

    from medqa.metrics.core import _token_cycles, _tokens

    def has_cycle(tokens: list[str]) -> bool:
        for period in range(1, 5):
            span = (4 if period == 1 else 3) * period
            for i in range(len(tokens) - span + 1):
                if all(tokens[i + k] == tokens[i + k + period] for k in range(span - period)):
                    return True
        return False

    generator = random.Random(0)
    vocabulary, separators = ["多喝温水", "rest well", "注意休息"], ["，", ", ", "。", "\n", "; "]
    texts = [
        "".join(
            generator.choice(vocabulary) + generator.choice(separators)
            for _ in range(generator.randrange(14))
        )
        for _ in range(20_000)
    ]
    disagreements = [t for t in texts if bool(_token_cycles(t, _tokens(t))) != has_cycle(_tokens(t))]
    assert not disagreements
    assert sum(has_cycle(_tokens(t)) for t in texts) >= 100  # both answers occur


def test_loop_spans_gates_drop_no_span():
    """`loop_spans` skips a shape where a cheap test proves it absent (separator runs, token cycles, repeated
    sentences); on random texts dense in repeats and separators it must return exactly the spans of the
    detectors run without those tests."""
    import random

    from medqa.metrics.core import (
        _PUNCTUATION_RUN,
        _neighbours,
        _repeated_sentences,
        _token_cycles,
        _token_runs,
        _tokens,
        loop_spans,
    )

    def ungated(text: str) -> list[tuple[int, int]]:
        tokens = _tokens(text)
        return [
            *(m.span() for m in _PUNCTUATION_RUN.finditer(text)),
            *_token_runs(text, tokens, _neighbours(text)),
            *_token_cycles(text, tokens),
            *_repeated_sentences(text),
        ]

    generator = random.Random(0)
    pieces = ["多喝温水", "rest well", "注意", "，", "。", ",", ";", "|", " ", "\n", "#", "、"]

    def piece_run(length: int) -> str:
        return "".join(generator.choice(pieces) for _ in range(length))

    texts = [piece_run(generator.randrange(30)) for _ in range(10_000)]
    texts += [
        piece_run(3) + piece_run(generator.randrange(1, 7)) * generator.randrange(5) for _ in range(10_000)
    ]
    # Sentences of separators alone, said three times between distinct words: "| | | |" rows of a table.
    rows = [
        "".join(generator.choice("，,;| 、") for _ in range(generator.randrange(5, 9))) for _ in range(2_000)
    ]
    texts += ["".join(f"第{i}行。{row}{end}" for i in range(3)) for row in rows for end in "\n。"]
    texts += ["| | | |\n" * 3, "a。| | | |\nb。| | | |\nc。| | | |"]
    assert not [t for t in texts if sorted(loop_spans(t)) != sorted(ungated(t))]
    assert sum(bool(_repeated_sentences(t)) for t in texts) >= 100
    assert sum(bool(_PUNCTUATION_RUN.search(t)) for t in texts) >= 100
    assert sum(bool(_token_cycles(t, _tokens(t))) for t in texts) >= 100
