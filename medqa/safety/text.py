"""Text normalization and clause splitting shared by every detector."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

# Runs, not single characters: counting by `sub` does one replacement per match (5x fewer on Chinese).
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_ASCII_LETTERS = bytes(range(ord("A"), ord("Z") + 1)) + bytes(range(ord("a"), ord("z") + 1))
# Clause boundaries: sentence ends, semicolons, colons, commas, dashes, line breaks (after NFKC, so full-width is folded).
_CLAUSE_END = re.compile(r"[。！？；;!?\n，,、—–]|(?<![0-9])[.:](?![0-9])|(?<=[0-9])\.(?=\s|$)|\s-\s")
# Sentence boundaries: like clauses but commas do not end a sentence.
SENTENCE_END = re.compile(r"[。！？；;!?\n]|(?<![0-9])\.(?![0-9])|(?<=[0-9])\.(?=\s|$)")


def normalize(text: str) -> str:
    """NFKC (full-width to half-width, compatibility forms) and lower case; keeps offsets 1:1 in practice
    for CJK and ASCII, which is what detectors rely on for matched spans."""
    if not unicodedata.is_normalized("NFKC", text):  # the quick check is ~300x cheaper than normalizing
        text = unicodedata.normalize("NFKC", text)
    return text.lower()


@cache
def traditional_to_simplified() -> dict[int, str]:
    """OpenCC's one-to-one character table (a declared dependency's data file): 藥→药, 醫→医, 診→诊.

    Only single-character mappings are kept, so folding never shifts offsets."""
    import opencc

    table = {}
    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        source, _, targets = line.partition("\t")
        target = targets.split(" ")[0]
        if len(source) == 1 and len(target) == 1 and source != target:
            table[ord(source)] = target
    return table


# The full-width punctuation of nearly every Chinese answer, folded with C-level replaces before the NFKC
# quick check; anything else that NFKC would change still goes through NFKC.
_COMMON_FULL_WIDTH = tuple((chr(code), chr(code - 0xFEE0)) for code in map(ord, "，：；（）！？％"))


@cache
def traditional_characters() -> frozenset[str]:
    """The traditional characters `traditional_to_simplified` maps (de-identification reads them too)."""
    return frozenset(map(chr, traditional_to_simplified()))


def fold(text: str) -> str:
    """The form detectors match on: `normalize` plus traditional-to-simplified Chinese characters.

    Same result as `normalize(text).translate(...)`, but the metric folds every answer, so the common
    cases are short-cut: common full-width punctuation (，：（）) is mapped directly, NFKC runs only when something else
    still needs it, and the traditional table only when a traditional (or astral) character is present."""
    for full, half in _COMMON_FULL_WIDTH:
        text = text.replace(full, half)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    text = text.lower()
    if _may_hold_traditional().search(text):
        text = text.translate(traditional_to_simplified())
    return text


@cache
def _may_hold_traditional() -> re.Pattern[str]:
    """A traditional character of the BMP, or any astral character (where `translate` then decides): `re`
    tests a BMP class as one bitmap, 4x cheaper than a set lookup per character; astral members in the
    class would turn it into a list of ranges, 60x slower."""
    bmp = "".join(sorted(re.escape(char) for char in traditional_characters() if ord(char) < 0x10000))
    return re.compile(f"[{bmp}\U00010000-\U0010ffff]")


def latin_bounded(text: str, start: int, end: int) -> bool:
    """A match that starts (ends) with a Latin letter or digit counts only at a word start (end):
    "aspirin" not in "xaspirin", "120" not in "1200"."""
    first, last = text[start], text[end - 1]
    if (
        start > 0
        and first.isascii()
        and first.isalnum()
        and text[start - 1].isascii()
        and text[start - 1].isalnum()
    ):
        return False
    return not (
        end < len(text) and last.isascii() and last.isalnum() and text[end].isascii() and text[end].isalnum()
    )


def segment_start(
    text: str, position: int, boundary: re.Pattern[str] | None = None, lookback: int = 160
) -> int:
    """Start of the clause (or of the `boundary`-delimited segment, e.g. `SENTENCE_END`) holding
    `text[position]`, searching at most `lookback` characters back.

    Detectors call this per match, so it must not re-split the whole text."""
    low = max(0, position - lookback)
    last = _last_boundary(boundary or _CLAUSE_END).match(text, low, position)
    return last.end() if last else low


@cache
def _last_boundary(boundary: re.Pattern[str]) -> re.Pattern[str]:
    """`boundary` after a greedy `.*`: one match, found by backtracking from the end, ends where the last
    boundary before the position ends (listing every boundary of the window cost 7% of the metric)."""
    return re.compile(f"(?s:.*)(?:{boundary.pattern})", boundary.flags)


def detect_language(text: str) -> str:
    """zh, en or mixed, from the share of CJK characters among CJK characters plus Latin words."""
    # Counts without building match lists (the metric calls this a lot); Latin letters by C-level byte
    # deletion, ~4 letters weighing as one character.
    cjk = len(text) - len(_CJK_RUN.sub("", text))
    ascii_text = text.encode("ascii", "ignore")
    words = (len(ascii_text) - len(ascii_text.translate(None, _ASCII_LETTERS))) / 4
    total = cjk + words
    if total == 0:
        return "zh"
    share = cjk / total
    if share >= 0.7:
        return "zh"
    if share <= 0.15:
        return "en"
    return "mixed"
