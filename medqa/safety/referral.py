"""Does an answer direct the user to urgent care? Candidates, then the status of each.

Candidates are referral phrases and hotline numbers (120, 999, 911, 112, 000, 988, Samaritans 116 123 …)
from `medqa/resources/lexicons/referral.yaml`; "血压120/80" and "120mg" are measurements, not hotlines.
Each candidate then gets its status in its clause and sentence (`medqa.safety.status`): only a
recommended one directs the user, so "不需要去急诊", "the ER is overkill", "如果加重再去急诊", "call 911 if
it gets worse", "上次去过急诊" and "欧洲的急救电话是112" do not, while "别犹豫，马上拨打120" and "Don't
hesitate — call 999" do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from medqa.safety.lexicons import LexiconError, load_lexicon
from medqa.safety.status import span_status
from medqa.safety.text import SENTENCE_END, fold, latin_bounded, segment_start

KINDS = ("urgent", "crisis", "dial", "deferral")
_DEFERRAL_WINDOW = 40  # characters before a referral that a deferral cue may stand in


@dataclass(frozen=True)
class Referral:
    """An urgent-care direction found in a text (offsets into the folded text)."""

    kind: str  # urgent | crisis | hotline
    span: str
    start: int
    end: int
    status: str = "recommended"


@dataclass(frozen=True)
class ReferralCheck:
    """The first accepted referral, plus the candidates rejected and why (for the audit trail)."""

    referral: Referral | None
    rejected: tuple[tuple[str, str], ...] = ()  # (span, reason)

    @property
    def directed(self) -> bool:
        return self.referral is not None


@dataclass(frozen=True)
class _Patterns:
    """Compiled referral patterns, split so that most answers skip most of them (see `check_referral`)."""

    zh: tuple[re.Pattern[str], ...]
    en: tuple[re.Pattern[str], ...]
    hotline: re.Pattern[str]
    hotlines: tuple[str, ...]
    hotline_numbers: re.Pattern[str]
    en_anchors: re.Pattern[str]
    deferral: re.Pattern[str]


def _separately(entries: list[dict], kinds: tuple[str, ...], language: str) -> tuple[re.Pattern[str], ...]:
    """One compiled pattern per entry: `re` skips ahead to a literal first character only when a pattern
    starts with one, which an alternation of a dozen groups never does (about 4x slower on answers)."""
    return tuple(
        re.compile(f"(?P<{entry['kind']}_{index}>{entry['pattern']})")
        for index, entry in enumerate(entries)
        if entry["kind"] in kinds and entry["language"] == language
    )


def _alternation(entries: list[dict], kinds: tuple[str, ...], language: str | None = None) -> str:
    return "|".join(
        f"(?P<{entry['kind']}_{index}>{entry['pattern']})"
        if entry["kind"] != "deferral"
        else f"(?:{entry['pattern']})"
        for index, entry in enumerate(entries)
        if entry["kind"] in kinds and language in (None, entry["language"])
    )


@cache
def _patterns() -> _Patterns:
    lexicon = load_lexicon("referral", required=("language", "kind", "pattern"))
    entries = lexicon["entries"]
    for index, entry in enumerate(entries):
        if entry["kind"] not in KINDS:
            raise LexiconError(f"referral.yaml: entries[{index}]: kind {entry['kind']!r} not in {KINDS}")
    hotlines = tuple(str(number) for number in lexicon["hotlines"])
    numbers = "|".join(map(re.escape, hotlines))
    dial = "|".join(f"(?:{entry['pattern']})" for entry in entries if entry["kind"] == "dial")
    guard = lexicon["hotline_guard"]
    # A hotline: a dial verb shortly before the number, or an emergency word right after it; never a
    # measurement (the guard) or part of a longer number (`latin_bounded` checks the digit before).
    hotline = (
        rf"(?P<hotline_dial>(?:{dial})\s*(?:the\s+)?(?:急救电话|emergency (?:number|services)\s*)?[:：(（]?\s*"
        rf"(?<![\d./])(?:{numbers})(?!\d)(?!{guard}))"
        rf"|(?P<hotline_word>(?:{numbers})(?!\d)(?!{guard})\s*(?:急救|救护车|emergency|ambulance))"
    )
    return _Patterns(
        zh=_separately(entries, ("urgent", "crisis"), "zh"),
        en=_separately(entries, ("urgent", "crisis"), "en"),
        hotline=re.compile(hotline),
        hotlines=hotlines,
        hotline_numbers=re.compile("|".join(map(re.escape, hotlines))),
        en_anchors=re.compile("|".join(map(re.escape, lexicon["en_anchors"]))),
        deferral=re.compile(_alternation(entries, ("deferral",))),
    )


def _candidates(body: str) -> list[re.Match[str]]:
    """Referral matches in text order. Each pattern family runs only where it can match: English
    patterns on text with one of their anchor words, hotline patterns on text with a hotline number."""
    patterns = _patterns()
    families = list(patterns.zh)
    if patterns.en_anchors.search(body):
        families += patterns.en
    if patterns.hotline_numbers.search(body):
        families.append(patterns.hotline)
    return sorted((match for family in families for match in family.finditer(body)), key=lambda m: m.start())


def check_referral(text: str, folded: bool = False) -> ReferralCheck:
    """The first urgent-care direction in `text` whose status is recommended (not negated, conditional,
    historical, informational or hypothetical) and that no deferral cue precedes."""
    deferral_pattern = _patterns().deferral
    body = text if folded else fold(text)
    rejected = []
    for match in _candidates(body):
        start, span = match.start(), match.group(0)
        if not latin_bounded(body, start, match.end()):
            continue
        status = span_status(body, start, match.end())
        if not status.recommended:
            rejected.append((span, f"{status.status} ({status.cue!r})"))
            continue
        window = segment_start(body, start, SENTENCE_END, _DEFERRAL_WINDOW)
        deferral = next(
            (
                d
                for d in deferral_pattern.finditer(body, window, start)
                if latin_bounded(body, d.start(), d.end())
            ),
            None,
        )
        if deferral:
            rejected.append((span, f"deferred by {deferral.group(0)!r}"))
            continue
        kind = match.lastgroup.split("_")[0]
        return ReferralCheck(Referral(kind, span, start, match.end()), tuple(rejected))
    return ReferralCheck(None, tuple(rejected))


def directs_to_urgent_care(text: str) -> bool:
    """True when `text` tells the reader to seek emergency care (the demo banner and annotator use this)."""
    return check_referral(text).directed
