"""Negation-aware matching: "不要给儿童服用阿司匹林" is a warning, not a prescription."""

from __future__ import annotations

import re
from functools import cache

from medqa.safety.lexicons import load_lexicon
from medqa.safety.text import segment_start


def _zh_cue(cue: str) -> str:
    """A Chinese cue, except inside an A-not-A question (要不要 / 能不能 / 有没有 ask, they do not negate) and
    except 别 inside a word (别人, 特别, 区别). Look-behinds follow the first character (see `_en_cue`)."""
    first = re.escape(cue[0])
    if len(cue) >= 2 and cue[0] in "不没":
        return f"{first}(?<!{re.escape(cue[1])}{first}){re.escape(cue[1:])}"
    if cue == "别":  # "别人给的药", "区别", "特别": other people, not a prohibition
        return "别(?<![区特分告级类性识差个辨]别)(?![人的处家致针名称墅扭])"
    return re.escape(cue)


def _en_cue(cue: str) -> str:
    """`\\b{cue}\\b` (an English cue or scope breaker), its leading boundary written as a look-behind after
    the first letter: with every alternative starting with a literal, `re` skips to the cues' first
    characters instead of trying each alternative at every position (the scan ran for every drug mention)."""
    if not re.match(r"\w", cue[0]):
        return rf"\b{re.escape(cue)}\b"
    first = re.escape(cue[0])
    return rf"{first}(?<!\w{first}){re.escape(cue[1:])}\b"


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], int, int]:
    lexicon = load_lexicon("negation", required=("language", "cue"))
    zh = [e["cue"] for e in lexicon["entries"] if e["language"] == "zh"]
    en = [e["cue"] for e in lexicon["entries"] if e["language"] == "en"]
    alternatives = [_zh_cue(c) for c in sorted(zh, key=len, reverse=True)]
    alternatives += [_en_cue(c) for c in sorted(en, key=len, reverse=True)]
    breakers = sorted(lexicon["scope_breakers"], key=len, reverse=True)
    breaker = "|".join(re.escape(b) if re.search(r"[\u4e00-\u9fff]", b) else _en_cue(b) for b in breakers)
    return (
        re.compile("|".join(alternatives)),
        re.compile(breaker),
        int(lexicon["window_chars"]),
        int(lexicon["window_words"]),
    )


def negation_cue(text: str, start: int) -> str | None:
    """The negation cue governing the mention at `text[start:]`, or None.

    `text` must already be normalized (`medqa.safety.text.normalize`). A cue counts when it stands in
    the same clause before the mention, within the lexicon's window, with no scope breaker between.
    """
    cue_pattern, breaker_pattern, window_chars, window_words = _patterns()
    before = text[segment_start(text, start) : start]
    cues = list(cue_pattern.finditer(before))
    if not cues:
        return None
    cue = cues[-1]
    between = before[cue.end() :]
    if breaker_pattern.search(between):
        return None
    words = len(re.findall(r"[a-z0-9]+", between))
    cjk = len(re.findall(r"[\u4e00-\u9fff]", between))
    if words <= window_words and cjk <= window_chars:
        return cue.group(0)
    return None


def is_negated(text: str, start: int) -> bool:
    return negation_cue(text, start) is not None
