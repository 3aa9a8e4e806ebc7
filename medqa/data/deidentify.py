"""Replace personal identifiers in question, think and answer with typed placeholders.

Each detector is a regular expression plus, where a format has one, a validity check (the checksum
of a Chinese resident ID, Luhn for bank cards) so doses, lab values, blood pressure and years are not
mistaken for identifiers. Names are only taken where something introduces them: an honorific
(张先生, Mr. Smith), a patient reference (患者王某某) or a self-introduction (我叫…, my name is …).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

PII_TYPES = ("PHONE", "ID_NUMBER", "EMAIL", "URL", "BANK_CARD", "LICENSE_PLATE", "DATE_OF_BIRTH", "NAME")

# Full-width digits, letters and symbols read as ASCII for matching; one character for one, so offsets hold.
_WIDTH = str.maketrans({chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)})
_FULL_WIDTH = re.compile(r"[\uff01-\uff5e]")
_DIGIT = re.compile(r"\d")

_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪"
    "范金石廖贾夏韦付方邹熊孟秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤欧"
)
_COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "令狐", "慕容", "尉迟", "长孙")
# Characters that follow a patient reference but never start a given name (患者高热, 患者于昨日).
_NOT_GIVEN = set("的了是和与在这那个位热烧痛血压日天月年前后今昨某男女岁病症说称诉因出有无既")

_MONTHS = "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
_DATE = (
    r"(?:(?:19|20)\d{2}\s*(?:年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?|[-/.]\d{1,2}[-/.]\d{1,2})"
    r"|\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d{2}"
    rf"|(?i:(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{{2}}|\d{{1,2}}\s+(?:{_MONTHS})\.?,?\s+(?:19|20)\d{{2}}))"
)
_DOB_BEFORE = re.compile(
    r"(?:出生日期|出生年月日?|出生于|出生在|生于|生日(?:是|为)?|(?i:date of birth|d\.?o\.?b\.?|born on|born in|born|birthday))"
    rf"[\s:：,，是为]*(?P<pii>{_DATE})"
)
# A date followed by 出生 is a birth date only with the day ("2020年12月出生的宝宝" is a cohort).
_DOB_AFTER = re.compile(
    r"(?P<pii>(?:19|20)\d{2}\s*(?:年\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号]|[-/.]\d{1,2}[-/.]\d{1,2}))\s*出生"
)
_ID = re.compile(
    r"(?<![0-9a-z])(?P<pii>[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx])(?![0-9a-z])",
    re.I,
)
_CARD = re.compile(r"(?<![\d.])(?P<pii>\d(?:[ -]?\d){12,18})(?!\.?\d)")
_MOBILE = re.compile(r"(?<![\d.])(?P<pii>(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2})(?!\.?\d)")
_LANDLINE = re.compile(r"(?<![\d.])(?P<pii>(?:\(0\d{2,3}\)|0\d{2,3}-)[ ]?\d{7,8}(?:-\d{1,4})?)(?!\.?\d)")
_INTERNATIONAL = re.compile(r"(?<![\w+])(?P<pii>\+\d{1,3}(?:[ -]?\(?\d{1,4}\)?){2,5})(?![\d])")
_NANP = re.compile(r"(?<![\d.])(?P<pii>\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4})(?!\.?\d)")
_PHONE_CONTEXT = re.compile(
    r"(?:电话|手机号?码?|联系方式|座机|(?i:\btel\b|\bphone\b|\bcell\b|\bmobile\b|call me at|text me at))"
    r"[\s:：是为号码]*(?P<pii>\+?\d[\d -]{5,}\d)(?!\.?\d)"
)
_EMAIL = re.compile(r"(?P<pii>[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})")
_URL = re.compile(
    r"(?P<pii>(?:https?://|www\.)[A-Za-z0-9\-._~:/?#@!$&*+;=%,()]*[A-Za-z0-9\-_~/#@$&*+=%])", re.I
)
_URL_ID = re.compile(r"[?&=@]|\d{4,}|/[0-9a-f]{8,}(?:/|$)|(?:patient|user|uid|id|token|account)", re.I)
_PLATE = re.compile(
    r"(?P<pii>[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][·\s-]?[A-HJ-NP-Z0-9]{4,5}[A-HJ-NP-Z0-9挂学警])(?![A-Za-z0-9])"
)
_HONORIFIC = re.compile(r"(?:先生|女士|小姐|太太|夫人|阿姨|大爷|大妈|老师|师傅)(?!们)")
_PATIENT = re.compile(r"(?:患者|病人|患儿|病患|伤者|产妇|孕妇)[:：\s]?")
_SELF = re.compile(r"(?:我叫|名叫|我的名字是|姓名[:：\s]*)")
_EN_NAME = re.compile(
    r"\b(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?\s+|(?:[Mm]y name is|[Nn]ame:|[Pp]atient:?|I am|I'm)\s+(?=[A-Z][a-z]+\s[A-Z]))"
    r"(?P<pii>[A-Z][a-z]+(?:[- ][A-Z][a-z]+)?)"
)
_EN_NAME_WORDS = {
    "Here",
    "The",
    "A",
    "An",
    "And",
    "I",
    "My",
    "Is",
    "Was",
    "Has",
    "Had",
    "With",
    "In",
    "At",
    "On",
}


@dataclass(frozen=True)
class PiiSpan:
    type: str
    start: int
    end: int
    text: str


def _id_checksum_ok(number: str) -> bool:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(d) * w for d, w in zip(number[:17], weights, strict=True))
    return "10X98765432"[total % 11] == number[17].upper()


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _spans(pattern: re.Pattern[str], text: str, kind: str, valid: Callable[[str], bool] | None = None):
    for match in pattern.finditer(text):
        value = match.group("pii")
        if valid is None or valid(value):
            yield PiiSpan(kind, match.start("pii"), match.end("pii"), value)


def _chinese_name_before(text: str, end: int) -> int | None:
    """Start of a surname (+ up to two given-name characters) ending at `end`, nearest surname first."""
    for size in (1, 2, 3):
        start = end - size
        if start < 0:
            return None
        head, given = text[start : start + 2], text[start + 1 : end]
        if (
            size > 1
            and head in _COMPOUND_SURNAMES
            and all(c not in _NOT_GIVEN for c in text[start + 2 : end])
        ):
            return start
        if text[start] in _SURNAMES and all("\u4e00" <= c <= "\u9fff" and c not in _NOT_GIVEN for c in given):
            return start
        if not "\u4e00" <= text[start] <= "\u9fff":
            return None
    return None


def _chinese_name_after(text: str, start: int) -> int | None:
    """End of a name starting at `start`: surname + 某/某某/×× or + one or two given-name characters."""
    size = 2 if text[start : start + 2] in _COMPOUND_SURNAMES else 1
    if size == 1 and text[start : start + 1] not in _SURNAMES:
        return None
    rest = text[start + size : start + size + 3]
    placeholder = re.match(r"某某|某|[×xX*]{1,3}", rest)
    if placeholder:
        return start + size + placeholder.end()
    given = re.match(r"[\u4e00-\u9fff]{1,2}", rest)
    if not given or any(c in _NOT_GIVEN for c in given.group(0)):
        return None
    end = start + size + given.end()
    # A given name ends the phrase: punctuation, a space, an honorific or the end of the text follows.
    if end == len(text) or re.match(r"[\s,，。、;；:：(（)）]|先生|女士", text[end : end + 2]):
        return end
    if given.end() == 2 and re.match(r"[\s,，。、;；:：(（)）]|先生|女士", text[end - 1 : end + 1]):
        return end - 1
    return None


def _names(text: str) -> Iterator[PiiSpan]:
    for match in _HONORIFIC.finditer(text):
        start = _chinese_name_before(text, match.start())
        if start is not None:
            yield PiiSpan("NAME", start, match.start(), text[start : match.start()])
    for pattern in (_PATIENT, _SELF):
        for match in pattern.finditer(text):
            end = _chinese_name_after(text, match.end())
            if end is not None:
                yield PiiSpan("NAME", match.end(), end, text[match.end() : end])
    for span in _spans(_EN_NAME, text, "NAME"):
        if span.text.split()[0] not in _EN_NAME_WORDS:
            yield span


def _personal_phone(number: str) -> bool:
    """Toll-free and service numbers (1-800-…, 400-…) belong to organisations, not to a person."""
    digits = _digits(number)
    return not re.match(r"(?:1?8(?:00|33|44|55|66|77|88)|400|800)\d{7}$", digits)


def _url_has_identifier(url: str) -> bool:
    rest = re.sub(r"^(?:https?://)?[^/?#]*", "", url, flags=re.I)  # the host alone identifies no one
    return bool(_URL_ID.search(rest))


def find_pii(text: str) -> list[PiiSpan]:
    """Identifier spans in `text`, without overlaps (earlier detectors in PII_TYPES order win ties)."""
    probe = text.translate(_WIDTH) if _FULL_WIDTH.search(text) else text
    found: list[PiiSpan] = []
    if "@" in probe:
        found += _spans(_EMAIL, probe, "EMAIL")
    if "http" in probe or "www." in probe or "HTTP" in probe:
        found += _spans(_URL, probe, "URL", _url_has_identifier)
    if _DIGIT.search(probe):
        found += _spans(_ID, probe, "ID_NUMBER", _id_checksum_ok)
        found += _spans(_DOB_BEFORE, probe, "DATE_OF_BIRTH")
        found += _spans(_DOB_AFTER, probe, "DATE_OF_BIRTH")
        for pattern in (_PHONE_CONTEXT, _MOBILE, _LANDLINE, _INTERNATIONAL, _NANP):
            found += _spans(pattern, probe, "PHONE", _personal_phone)
        found += _spans(
            _CARD, probe, "BANK_CARD", lambda v: 13 <= len(_digits(v)) <= 19 and _luhn_ok(_digits(v))
        )
        found += _spans(_PLATE, probe, "LICENSE_PLATE")
    found += _names(probe)
    # Containers first (an email holds a name-like word, a URL holds digits), then by detector order.
    found.sort(key=lambda s: (s.start, -(s.end - s.start), PII_TYPES.index(s.type)))
    kept: list[PiiSpan] = []
    for span in found:
        if kept and span.start < kept[-1].end:
            continue
        kept.append(PiiSpan(span.type, span.start, span.end, text[span.start : span.end]))
    return kept


def deidentify(text: str) -> tuple[str, Counter[str]]:
    """`text` with each identifier replaced by `[TYPE]`, and how many of each type were replaced."""
    spans = find_pii(text)
    if not spans:
        return text, Counter()
    parts, position = [], 0
    for span in spans:
        parts += [text[position : span.start], f"[{span.type}]"]
        position = span.end
    parts.append(text[position:])
    return "".join(parts), Counter(span.type for span in spans)
