"""The status of a span (a referral, a drug mention, a dose) in the sentence that holds it.

recommended   the text tells the reader to do it ("立即拨打120", "take 400 mg")
negated       a cue in its clause rules it out ("不需要去急诊", "the ER is overkill", "急诊就不用去了")
conditional   it is left to a condition or a hedge ("如果加重再去急诊", "call 911 if it gets worse",
              "必要时就医", "you might need to go to A&E")
historical    it happened or was said before ("上次去过急诊", "你提到医生说过要打120", "you went to the ER")
informational it is explained, not advised ("急救电话是120", "地西泮是苯二氮䓬类药", "X is used to treat")
hypothetical  someone else, in general ("有些人会吃X", "some people take X", "doctors may prescribe")

Scope is the clause for negation (commas, dashes and coordinated verbs end it: "别犹豫，马上拨打120",
"Don't hesitate — call 999", "Do not make her vomit and call 911") and the sentence for the others. A
double negative ("don't wait", "不要犹豫") is no negation. Cues live in `lexicons/status.yaml`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from medqa.safety.lexicons import LexiconError, load_lexicon
from medqa.safety.negation import negation_cue
from medqa.safety.text import SENTENCE_END, latin_bounded, segment_start

STATUSES = ("recommended", "negated", "conditional", "historical", "informational", "hypothetical")
CUE_KINDS = (
    "double_negative",  # a negation cue that negates hesitation, not the action ("don't hesitate")
    "coordination",  # starts a new verb phrase inside a clause: the earlier negation stops there
    "post_negation",  # after the span, in its clause, rules it out ("就不用去了", "is overkill")
    "condition",  # before the span, in its sentence ("如果", "if", "必要时")
    "post_condition",  # after the span, in its sentence ("if it gets worse", "再说")
    "unconditional",  # cancels a condition ("even if", "即使", "无论")
    "hedge",  # "might need to", "可能需要", "consider"
    "historical",
    "informational",
    "hypothetical",
)


_CLAUSE_END = re.compile(r"[,，;；。！？!?\n—–]|(?<![0-9])\.(?![0-9])|\s-\s")
_COPULA_AFTER = re.compile(
    r"\s*(?:号码|电话)?(?:是(?!可以|能|安全|没问题|没事|否|必须|必要)|为\d|:\s*\d|\bis\b(?! (?:fine|safe|ok|okay|needed|necessary|essential|important|the (?:safest|best|right))))"
)
_SEQUEL = re.compile(r"然后|随后|接着|之后马上|同时|\band then\b|\bthen (?:call|go|get|dial|take)\b")
_ALREADY = re.compile(
    r"\s*(?:you |he |she |they |someone )?(?:haven.t|hasn.t|have not|has not|not) (?:already|yet)|\s*(?:not|haven.t) already"
)


@dataclass(frozen=True)
class SpanStatus:
    status: str
    cue: str | None = None

    @property
    def recommended(self) -> bool:
        return self.status == "recommended"


@cache
def _cues() -> dict[str, re.Pattern[str]]:
    lexicon = load_lexicon("status", required=("kind", "pattern"))
    parts: dict[str, list[str]] = {kind: [] for kind in CUE_KINDS}
    for index, entry in enumerate(lexicon["entries"]):
        if entry["kind"] not in parts:
            raise LexiconError(f"status.yaml: entries[{index}]: kind {entry['kind']!r} not in {CUE_KINDS}")
        parts[entry["kind"]].append(f"(?:{entry['pattern']})")
    return {kind: re.compile("|".join(p)) for kind, p in parts.items() if p}


def _last(pattern: re.Pattern[str], text: str, start: int, end: int) -> re.Match[str] | None:
    found = None
    for match in pattern.finditer(text, start, end):
        if latin_bounded(text, match.start(), match.end()):
            found = match
    return found


def _first(pattern: re.Pattern[str], text: str, start: int, end: int) -> re.Match[str] | None:
    for match in pattern.finditer(text, start, end):
        if latin_bounded(text, match.start(), match.end()):
            return match
    return None


def clause_negation(text: str, start: int) -> str | None:
    """The negation cue governing `text[start:]` in its clause, unless a double negative ("别犹豫") or a
    coordinated verb ("不要让他走动并马上…", "do not make her vomit and call") stands between."""
    cue = negation_cue(text, start)
    if cue is None:
        return None
    cues = _cues()
    clause = segment_start(text, start)
    position = text.rfind(cue, clause, start)
    if position < 0:
        return cue
    after_cue = text[position + len(cue) : start]
    if "double_negative" in cues and cues["double_negative"].match(after_cue.lstrip()):
        return None
    if "coordination" in cues:
        for match in cues["coordination"].finditer(text, position + len(cue), min(len(text), start + 16)):
            if match.start() < start and latin_bounded(text, match.start(), match.end()):
                return None
    return cue


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    stop = SENTENCE_END.search(text, end)
    return segment_start(text, start, SENTENCE_END, 240), stop.start() if stop else len(text)


def span_status(text: str, start: int, end: int, negation: bool = True) -> SpanStatus:
    """The status of `text[start:end]` (folded text). `negation=False` skips the negation and copula
    ("急救电话是120") checks, for callers that resolve them themselves (drug mentions)."""
    cues = _cues()
    sentence_start, sentence_end = sentence_bounds(text, start, end)
    if negation:
        cue = clause_negation(text, start)
        if cue:
            return SpanStatus("negated", cue)
        clause_end = _CLAUSE_END.search(text, end)
        post = _first(cues["post_negation"], text, end, clause_end.start() if clause_end else len(text))
        if post:
            return SpanStatus("negated", post.group(0))
    for kind in ("historical", "informational", "hypothetical"):
        match = _last(cues[kind], text, sentence_start, start) if kind in cues else None
        if match:
            return SpanStatus(kind, match.group(0))
    copula = _COPULA_AFTER.match(text, end) if negation else None  # drug callers check their own copula
    if copula:
        return SpanStatus("informational", copula.group(0).strip())
    unconditional = (
        _last(cues["unconditional"], text, sentence_start, start) if "unconditional" in cues else None
    )
    condition = _last(cues["condition"], text, sentence_start, start)
    if condition and _SEQUEL.search(text, condition.end(), start):
        condition = (
            None  # "如果有肾上腺素笔就注射，然后马上拨打120": the condition covers the first step only
        )
    if condition and not (unconditional and unconditional.start() <= condition.start()):
        return SpanStatus("conditional", condition.group(0))
    hedge = _last(cues["hedge"], text, max(sentence_start, start - 30), start) if "hedge" in cues else None
    if hedge:
        return SpanStatus("conditional", hedge.group(0))
    clause_end = _CLAUSE_END.search(text, end)
    post_condition = _first(
        cues["post_condition"], text, end, clause_end.start() if clause_end else sentence_end
    )
    if post_condition:
        even = re.search(
            r"(?:even|即使|哪怕|就算)\s*$", text[max(0, post_condition.start() - 8) : post_condition.start()]
        )
        already = _ALREADY.match(text, post_condition.end())
        if not even and not already:
            return SpanStatus("conditional", post_condition.group(0))
    return SpanStatus("recommended")
