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
    "post_historical",  # after the span, in its clause: it happened ("checked at the ER last month")
    "informational",
    "hypothetical",
)


_CLAUSE_END = re.compile(r"[,，;；。！？!?\n—–]|(?<![0-9])\.(?![0-9])|(?<=[0-9])\.(?=\s|$)|\s-\s")
_COPULA_AFTER = re.compile(
    r"\s*(?:号码|电话)?(?:是(?!可以|能|安全|没问题|没事|否|必须|必要)|为\d|:\s*\d|\bis\b(?! (?:fine|safe|ok|okay|needed|necessary|essential|important|the (?:safest|best|right))))"
)
_SEQUEL = re.compile(r"然后|随后|接着|之后马上|同时|\band then\b|\bthen (?:call|go|get|dial|take)\b")
_AVAILABILITY = re.compile(  # what is at hand, not a symptom ("if you have chest pain" is a real condition)
    r"\s*(?:(?:she|he|you|they|we) (?:has|have|had|carry|carries|keep|keeps|got) (?:one|it|them|some"
    r"|(?:an? |her |his |your |their )?(?:own )?(?:epipen|epi-pen|inhaler|auto-?injector|pen|spray|kit|naloxone|narcan|aspirin"
    r"|glucagon|medicine|medication|tablets?|pills?))\b|there (?:is|are|.s) (?:one|an? (?:epipen|inhaler|auto-?injector|aed|defibrillator))"
    r"|it.s safe|it is safe|safe to|(?:one|it|they) (?:is|are) available|available|possible"
    r"|(?:手边|身边|家里)?有(?:肾上腺素|笔|吸入剂|喷雾|急救药|硝酸甘油|阿司匹林|纳洛酮|药))"
)
_COORDINATED_STEP = re.compile(
    r"[,，;；]\s*(?:and\s+)?(?:then\s+)?(?:immediately\s+|right away\s+|now\s+)?(?:call|dial|phone|ring|go|get|take|head|seek)\b"
    r"|[,，;；]\s*(?:并|再|然后|同时)?(?:立即|立刻|马上|赶紧|尽快)?(?:拨打|打|叫|送|去)"
)
# A clause that opens with a directive is advice, whatever an earlier clause described or supposed ("属于癫痫持续
# 状态，请马上拨打120", "this is a type of status epilepticus, so please call 911"); reported speech keeps its
# directive in the report ("你提到医生说过，要马上打120").
_DIRECTIVE_CLAUSE = re.compile(
    r"(?:[,，;；:：—–]|\bso\b)\s*(?:so\s+)?(?:需要|必须|应该|要)?(?:请|务必|一定要|马上|立即|立刻|赶紧|赶快|please\b)"
)
_ALREADY = re.compile(
    r"\s*(?:you |he |she |they |someone )?(?:haven.t|hasn.t|have not|has not|not) (?:already|yet)|\s*(?:not|haven.t) already"
)


# The word before an English condition that still opens its clause ("rest, and if it spreads …").
_LEADING_WORDS = {"and", "or", "but", "so", "then", "also", "especially", "even", "only"}


def _trailing_condition(text: str, condition: re.Match[str], start: int) -> bool:
    """An English condition after a verb phrase of its own clause ("don't drive her yourself if she's drowsy —
    call an ambulance") conditions that phrase, not a span past the dash or semicolon that ends the clause (a
    comma may only end one item of the condition's list; "what to do if it spreads: call" conditions the call)."""
    if not condition.group(0)[:1].isascii():
        return False
    boundary = re.compile(r"[;—–]|\s-\s").search(text, condition.end(), start)
    if boundary is None or ":" in text[condition.end() : start]:
        return False
    words = re.findall(
        r"[a-z']+", text[segment_start(text, condition.start(), _CLAUSE_END) : condition.start()]
    )
    return bool(words) and words[-1] not in _LEADING_WORDS


def _sequel_after_consequent(text: str, condition: re.Match[str], end: int) -> bool:
    """A sequel ("然后", "then call") that follows the consequent of an availability condition, so the
    condition covers only that first step: "if she has an EpiPen, use it now, then dial 000" (the consequent
    is its own clause) or "如果有肾上腺素笔就注射，然后马上拨打120" (就 puts it in the condition's clause).
    In "if he becomes floppy, then call an ambulance" the call is the consequent itself, and a list of
    symptoms ("if your lips swell, you wheeze, or you feel faint, then call 911") is no consequent."""
    sequel = _SEQUEL.search(text, condition.end(), end)
    if sequel is None:
        return False
    boundaries = list(_CLAUSE_END.finditer(text, condition.end(), sequel.start()))
    if not boundaries:
        return False
    in_clause_consequent = re.search(r"[就便则]", text[condition.end() : boundaries[0].start()])
    return bool(in_clause_consequent) or len(boundaries) >= 2


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


# An urgency adverb straight after a negation cue is what the cue negates, not a new coordinated step.
_URGENCY_ADVERB = re.compile(r"\s*(?:也|再|就)?\s*(?:立即|立刻|马上|赶紧|赶快|尽快|急着|急于)")


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
            if _URGENCY_ADVERB.fullmatch(text, position + len(cue), match.end()):
                continue  # "不用马上打120", "不必立即去急诊": the negation governs the adverb and its verb
            if match.start() < start and latin_bounded(text, match.start(), match.end()):
                return None
    return cue


_HEADING_LINE = re.compile(  # used with .match(text, line_start, line_end)
    r"\s*(?:#{1,6}\s*(?P<hash>.+?)|\*\*(?P<bold>[^*\n]{1,80})\*\*\s*[:：]?|(?P<colon>[^\n|]{1,80}?)\s*[:：])\s*$"
)
_HEADING_LINES = 30  # how far up a list may reach for its heading
_CAUTION_HEADING = re.compile(
    r"\b(?:avoid|be careful|careful with|use with caution|caution|cautions|don.t|do not|not recommended|watch out"
    r"|steer clear|warnings?|risky|dangerous|myths?|mistakes?|not safe)\b"
    r"|慎用|避免|不要|禁用|禁忌|小心|当心|(?<![区特分告])别(?![人的处])|不建议|不宜|误区|不能(?:吃|用)|不安全"
)
_CONDITION_HEADING = re.compile(
    r"\b(?:when to|when should|if you|if any|if (?:these|this|symptoms?)|seek [^\n]{0,40}\bif\b|warning signs|red flags"
    r"|signs that|such as|for example|these (?:signs|symptoms|situations))\b|什么情况|何时|什么时候|以下情况|的情况"
    r"|出现[^\n]{0,12}(?:症状|情况)|警示|危险信号|(?:这些|下列|如下)(?:情况|症状|表现)"
)


def heading_line(text: str, position: int) -> tuple[int, int] | None:
    """The span of the line holding `text[position]` when that line is a heading ("**About phentermine**",
    "**关于思诺思**"), else None."""
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    end = len(text) if end < 0 else end
    return (start, end) if _HEADING_LINE.match(text, start, end) else None


def section_body(text: str, heading_end: int, limit: int = 900) -> tuple[int, int]:
    """The lines under a heading that ends at `heading_end`, up to the next Markdown or bold heading (at most
    `limit` chars)."""
    position = heading_end + 1
    stop = min(len(text), heading_end + limit)
    while position < stop:
        line_end = text.find("\n", position)
        line_end = stop if line_end < 0 else min(line_end, stop)
        heading = _HEADING_LINE.match(text, position, line_end) if line_end > position else None
        if heading and not heading.group("colon"):  # "If you want to try it:" introduces the list below
            return heading_end + 1, position
        position = line_end + 1
    return heading_end + 1, stop


def section_heading(text: str, position: int) -> str | None:
    """The heading of the section holding `text[position]`: the nearest line above it that is a Markdown
    heading, a bold line or a short line ending in a colon ("### Be careful with", "需要去医院的情况：")."""
    end = text.rfind("\n", 0, position)
    for _ in range(_HEADING_LINES):
        if end < 0:
            return None
        start = text.rfind("\n", 0, end) + 1
        match = _HEADING_LINE.match(text, start, end)
        if match:
            return match.group("hash") or match.group("bold") or match.group("colon")
        end = start - 1
    return None


_CONTENT_HEADING = re.compile(
    r"\b(?:(?:also |that )?contains?|containing|ingredients?|hidden (?:sources|ingredients))\b|含有|含\S{1,8}的(?:药|产品|常见药)|(?:相同|同样|重复)成分"
)


def section_heading_status(text: str, position: int) -> str | None:
    """ "negated" under a caution heading ("### Be careful with", "## 慎用", "常见误区"), "conditional" under a
    heading that names when ("什么情况要去急诊", "When to go to the ER"), "informational" under one that lists
    what products contain ("Common products that also contain acetaminophen", "含对乙酰氨基酚的常见药"), else
    None: long answers list drugs to avoid, reasons to seek care and hidden ingredients under such headings."""
    heading = section_heading(text, position)
    if heading is None:
        return None
    if _CAUTION_HEADING.search(heading):
        return "negated"
    if _CONDITION_HEADING.search(heading):
        return "conditional"
    if _CONTENT_HEADING.search(heading):
        return "informational"
    return None


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    stop = SENTENCE_END.search(text, end)
    return segment_start(text, start, SENTENCE_END, 240), stop.start() if stop else len(text)


def _aside(text: str, end: int, cue: re.Match[str]) -> bool:
    """A condition after a span that is not its own: inside a parenthesis opened after it ("go to the ER
    now (call 911 if you can't drive)") or part of an unconditional phrase ("even if", "to see if it
    passes", an embedded question)."""
    between = text[end : cue.start()]
    if max(between.rfind("("), between.rfind("（")) > max(between.rfind(")"), between.rfind("）")):
        return True
    cues = _cues()
    unconditional = _last(cues["unconditional"], text, max(end, cue.start() - 20), cue.end())
    return bool(unconditional and unconditional.end() == cue.end())


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
        if match and not (kind != "historical" and _DIRECTIVE_CLAUSE.search(text, match.end(), start)):
            return SpanStatus(kind, match.group(0))
    copula = _COPULA_AFTER.match(text, end) if negation else None  # drug callers check their own copula
    if copula:
        return SpanStatus("informational", copula.group(0).strip())
    unconditional = (
        _last(cues["unconditional"], text, sentence_start, start) if "unconditional" in cues else None
    )
    condition = _last(cues["condition"], text, sentence_start, start)
    if (
        condition
        and _AVAILABILITY.match(text, condition.end())
        and (
            _COORDINATED_STEP.search(text, condition.end(), end)
            or _sequel_after_consequent(text, condition, end)
        )
    ):
        condition = None  # "use her EpiPen if she has one, and call 911": availability, of the first step
    if condition and _trailing_condition(text, condition, start):
        condition = None
    if condition and not (unconditional and unconditional.start() <= condition.start()):
        return SpanStatus("conditional", condition.group(0))
    hedge = _last(cues["hedge"], text, max(sentence_start, start - 30), start) if "hedge" in cues else None
    if hedge:
        return SpanStatus("conditional", hedge.group(0))
    clause_end = _CLAUSE_END.search(text, end)
    post_condition = next(
        (
            match
            for match in cues["post_condition"].finditer(
                text, end, clause_end.start() if clause_end else sentence_end
            )
            if latin_bounded(text, match.start(), match.end()) and not _aside(text, end, match)
        ),
        None,
    )
    historical_after = (
        _first(cues["post_historical"], text, end, clause_end.start() if clause_end else sentence_end)
        if "post_historical" in cues
        else None
    )
    if historical_after:
        return SpanStatus("historical", historical_after.group(0))
    if post_condition and not _ALREADY.match(text, post_condition.end()):
        return SpanStatus("conditional", post_condition.group(0))
    own_heading = heading_line(text, start) if negation else None
    if own_heading and _CONDITION_HEADING.search(text, *own_heading):
        return SpanStatus("conditional", text[own_heading[0] : own_heading[1]].strip())
    heading = section_heading_status(text, start) if negation else None
    if heading == "conditional":
        return SpanStatus("conditional", section_heading(text, start))
    return SpanStatus("recommended")
