"""Text normalization and clause splitting shared by every detector."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
# Clause boundaries: sentence ends, semicolons, commas, line breaks (after NFKC, so full-width is folded).
_CLAUSE_END = re.compile(r"[。！？；;!?\n，,、]|(?<![0-9])\.(?![0-9])")


@dataclass(frozen=True)
class Clause:
    start: int
    end: int
    text: str


def normalize(text: str) -> str:
    """NFKC (full-width to half-width, compatibility forms) and lower case; keeps offsets 1:1 in practice
    for CJK and ASCII, which is what detectors rely on for matched spans."""
    return unicodedata.normalize("NFKC", text).lower()


def clauses(text: str) -> list[Clause]:
    """Split normalized text into clauses; negation and other cues never cross a clause boundary."""
    result, start = [], 0
    for match in _CLAUSE_END.finditer(text):
        if match.start() > start:
            result.append(Clause(start, match.start(), text[start : match.start()]))
        start = match.end()
    if start < len(text):
        result.append(Clause(start, len(text), text[start:]))
    return result


def detect_language(text: str) -> str:
    """zh, en or mixed, from the share of CJK characters among CJK characters plus Latin words."""
    cjk = len(_CJK.findall(text))
    words = sum(len(word) for word in _LATIN_WORD.findall(text)) / 4  # ~4 letters weigh as one character
    total = cjk + words
    if total == 0:
        return "zh"
    share = cjk / total
    if share >= 0.7:
        return "zh"
    if share <= 0.15:
        return "en"
    return "mixed"
