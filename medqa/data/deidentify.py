"""Replace personal identifiers in question, think and answer with typed placeholders.

Detectors are written for a class of formats, not for the examples seen: phones in any country's
layout (a trunk 0 and its groups, pairs, dots, a country code, an extension), plates of any country
after a plate or vehicle word, national identity numbers of several countries. Each is a regular
expression plus, where a format has one, a validity check (the checksum of a Chinese resident ID,
Luhn for cards, mod 97 for IBANs, the DNI letter) so doses, lab values, blood pressure, NDC and lot
numbers and dates are not mistaken for identifiers. A number after the word that names it (身份证,
卡号, 护照号, 住院号, 医保卡号, MRN, member ID, Cigna ID, Specimen ID …, with "number", "no.", 号码,
上的 … in between in any order) is taken whatever its check digit, unless its sentence calls it
invalid or made up. Traditional characters and full-width forms are read as simplified and
half-width, one character for one, so offsets hold. Names are taken by their own shape (the lexicons
of medqa.data.person_names: a census given name and a capitalised surname wherever they stand; a Chinese
surname with given-name characters standing alone or between a word before names and one after them;
pinyin; dotted transliterations; form fields) and where something introduces
them: an honorific, title or role (张先生, 王医生, 司马主任, 主治医师钱文斌, Mr. Smith, PA Megan Hollis,
Dr. van der Berg), a patient reference (患者王某某, Pt: …, SMITH, John), a kinship or contact word (我老公张伟,
联系人：孙丽, 找孙丽娟就行, my wife Karen, my dad (Robert Hayes)), a surname after 姓 or a
self-introduction (我叫…, 我是…, my name is …, I'm …, it's Olivia Park again, Sarah here, in lower
case too where the first word is a given name); a bare name is taken only where its place says it is
one: a short clause next to an identifier (韩雪，电话…; Fatima Ali, passport …), before an age
(张秀英今年70岁; Rachel Wong, 38F; Harold Stein, 88,), a signature (…。魏红 in a message with
identifiers; - Kate), a word the message's email user or profile path spells, a possessive (Fatou
Diallo's pain) or a common given name as the subject of a verb (Mike has …). Casual messages name
people bare: a lexicon given name beside a word that links or addresses people (mike n lisa, told
dave his …), a surname with one or two given characters between such words (王芳和李强昨天…, 跟刘洋说),
a name typed between spaces in a message with the writer's identifiers, a full name after its
nickname (我是小林 林晓雯). Addresses start at a
province or municipality (with or without 省/市), a district with its road and number, an estate with
its building and room, or after a word that introduces one (家住, 地址), and end at the last house,
building or room number; English street addresses start at a house number and a street type
(Street, Road, Ave …), continental ones at a number and rue / via / calle or at a -straße; Indian,
Hong Kong (12/F), Japanese (chōme), Korean (…로 123) and Malay (Jalan) forms have their own shapes.
Identifiers read off a scan one character at a time (3 2 0 1 …) are taken after their label, a resident
ID so read wherever its check digit holds; record codes may be split by slashes or written in Chinese
numerals (MZ/2024/03/…, ZY-二〇二四-…), birth dates in Republic-era or lunar years, Roman months or words.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

# The one traditional-to-simplified table (OpenCC's one-to-one characters), shared with the safety detectors.
from medqa.data.person_names import CHINESE_GIVEN_CHARACTERS, english_given_names, english_surnames
from medqa.safety.text import traditional_characters, traditional_to_simplified


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


def _any_of(words: Iterable[str]) -> re.Pattern[str]:
    """One scan for any of `words` (cheaper than a substring test per word)."""
    return re.compile("|".join(map(re.escape, words)))


PII_TYPES = (
    "PHONE",
    "ID_NUMBER",
    "EMAIL",
    "URL",
    "BANK_CARD",
    "LICENSE_PLATE",
    "DATE_OF_BIRTH",
    "NAME",
    "ADDRESS",
    "PASSPORT",
    "MEDICAL_RECORD",
    "INSURANCE",
)
# Which type wins when two detectors take the same span: the ones a keyword introduced (医保卡号 …)
# before the ones recognised by their format alone (an insurance number may pass the Luhn check).
_PRIORITY = (
    "EMAIL",
    "URL",
    "INSURANCE",
    "MEDICAL_RECORD",
    "PASSPORT",
    "ADDRESS",
    "ID_NUMBER",
    "PHONE",
    "BANK_CARD",
    "LICENSE_PLATE",
    "DATE_OF_BIRTH",
    "NAME",
)

# Full-width digits, letters and symbols read as ASCII for matching; one character for one, so offsets hold.
_WIDTH = str.maketrans({chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)})
_FULL_WIDTH = re.compile(r"[\uff01-\uff5e]")
_DIGIT = re.compile(r"\d")
_THREE_DIGITS = re.compile(r"\d ?\d ?\d")  # (or read out one at a time: 6 2 2 …)
_SIX_DIGITS = re.compile(r"\d{6}")
_FORMAT_ID_GATE = re.compile(r"\d ?[A-Z(]|[A-Z][1289]\d{8}")
_TWO_CAPITALS_TWO_DIGITS = re.compile(r"[A-Z]{2}\d{2}")
_DIGIT_FORMAT_GATE = re.compile(r"\d[.-]\d|\d{4} \d")
_FOUR_DIGITS_GROUPED = re.compile(r"\d{4}[ -]\d{4}")
_FOREIGN_LETTER = re.compile(r"[A-Z가-힣А-ЯЁ]")
# Health insurers whose name, before ID or number, labels a member number.
_INSURER_NAMES = (
    "cigna",
    "aetna",
    "anthem",
    "humana",
    "kaiser",
    "unitedhealthcare",
    "united healthcare",
    "uhc",
    "bcbs",
    "blue cross",
    "blue shield",
    "tricare",
    "molina",
    "ambetter",
    "oscar",
    "bupa",
    "axa",
    "allianz",
    "aviva",
    "medibank",
    "ohip",
    "ramq",
)
# Words one of which an English insurance label holds.
_INSURANCE_WORDS = (
    "insurance",
    "member",
    "policy",
    "medicare",
    "medicaid",
    "medi-cal",
    "subscriber",
    "plan id",
    "plan number",
    "health card",
    "health plan",
    "nhs",
    "ins.",
    "ins id",
    "ins #",
    "mbi",
    "beneficiary",
    "enrollee",
    "coverage id",
    "coverage number",
    *_INSURER_NAMES,
)
# Words one of which an identity-number label holds, and the acronyms (matched with their case).
_PHONE_WORDS = (
    "电话",
    "传真",
    "拨打",
    "致电",
    "打我",
    "fax",
    "call",
    "text",
    "ring",
    "dial",
    "sms",
    "reach",
    "contact",
    "手机",
    "联系方式",
    "座机",
    "微信同号",
    "tel",
    "ph",
    "phone",
    "cell",
    "mobile",
    "whatsapp",
    " me at",
    " me on",
    "number",
)
_PHONE_GATE = _any_of(_PHONE_WORDS)

# The common surnames, taken after any introducing word (患者, 我是, kinship words) …
_COMMON_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪"
    "范金石廖贾夏韦付方邹熊孟秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤欧高何"
)
# … and the rarer ones, many of which also start common words (焦虑, 宫颈, 费用, 卫生, 解释), only
# where the evidence is strong: before a title (焦医生) or after 我叫, 姓名, 联系人, 收件人 ….
_SURNAMES = _COMMON_SURNAMES | set(
    "于傅萧阎白康施洪翟颜倪牛温季俞章鲁葛伍申尤毕聂焦柳邢岳齐庄辛祝涂谷耿詹关苗凌费纪靳盛童"
    "甄项裴席卫屈鲍霍翁隋甘景包柏宁柯阮桂闵解柴车冉房边饶戚米池滕苑邬宫褚娄符穆党燕郎冀谈姬屠"
    "连郁商喻窦迟敖冷卓艾蓝巩仲虞卞封楚佟栗匡宗巫鞠荆岑"
    # (rare ones that start no common word)
    "芮蒉蔺邝冼缪佘谌阙逄栾晁郦邴瞿郗訾昝寇亢宓璩钭蒯嵇邰裘缑仉隗眭厍綦"
)
# Words that end in a surname character: the character before a title is then no surname
# (有助于医生, 信任医生, 开处方医生, 病房护士, 相关医生).
_WORDS_ENDING_IN_SURNAME = set(
    [
        "助于",
        "由于",
        "对于",
        "关于",
        "属于",
        "在于",
        "用于",
        "等于",
        "至于",
        "基于",
        "便于",
        "鉴于",
        "易于",
        "过于",
        "终于",
        "处于",
        "限于",
        "归于",
        "出于",
        "介于",
        "源于",
        "信任",
        "责任",
        "主任",
        "担任",
        "胜任",
        "放任",
        "聘任",
        "就任",
        "委任",
        "重任",
        "兼任",
        "继任",
        "历任",
        "接任",
        "离任",
        "上任",
        "前任",
        "现任",
        "连任",
        "首任",
        "新任",
        "如何",
        "为何",
        "任何",
        "奈何",
        "几何",
        "处方",
        "对方",
        "医方",
        "双方",
        "患方",
        "地方",
        "配方",
        "药方",
        "一方",
        "各方",
        "官方",
        "院方",
        "校方",
        "警方",
        "病房",
        "药房",
        "产房",
        "儿童",
        "相关",
        "有关",
        "机关",
        "海关",
        "过关",
        "提高",
        "最高",
        "升高",
        "偏高",
        "增高",
        "过高",
        "较高",
        "很高",
        "身高",
        "结石",
        "面包",
        "钱包",
        "安宁",
        "丁宁",
        "谢谢",
        "严重",
        "张口",
        "感谢",
        "多谢",
        "辛苦",
        "卫生",
        "保卫",
        "中医",
        "西医",
        "兽医",
        "军医",
        "牙医",
        "名医",
        "庸医",
        "主治",
        "专科",
        "全科",
        "大夫",
        "问题",
        "同学",
        "校长",
        "家长",
        "院长",
        "科长",
        "局长",
    ]
)
_COMPOUND_SURNAMES = (
    "欧阳",
    "司马",
    "诸葛",
    "上官",
    "东方",
    "皇甫",
    "令狐",
    "慕容",
    "尉迟",
    "长孙",
    "司徒",
    "夏侯",
    "端木",
    "公孙",
    "宇文",
    "南宫",
    "西门",
    "呼延",
    "轩辕",
    "澹台",
    "钟离",
    "闻人",
)
# Characters that never belong to a given name right after an introducing word or before a title:
# function words, body parts, symptoms and department words (患者高热, 我女儿黄疸, 康复医生, 全科医生).
_NOT_GIVEN = set(
    "的了是和与在这那个位热烧痛血压日天月年前后今昨某男女岁病症说称诉因出有无既"
    "上下也又都就还才已最很太非总经常今近从到去来要会能想吃喝做没不被把给让跟及得发身头腿腰胃肚眼耳脚手"
    "疸糖脂细胞障膏度围末部务便面属候间显科床复班诊治庭区院医护管值急门住实习专名们每该些样么吗呢啊吧呀"
    "突今已后时说问看听叫找请您你我他她它号码电话机邮箱地址卡证"
    "开送带陪帮喊扶摔晕咳怀感腹呕患检确当"  # verbs that follow a name (陈刚开车送来的, 孟佳怀孕了)
)
# Words whose first character is also a given name's (宋一鸣): after a name they end it (吴涛一起去的).
_WORDS_AFTER_NAME = _word_set(
    "一起 一直 一下 一样 一定 一般 一次 一天 一点 一会 一个 一些 一共 一周 一年 一家"
)
# Two given-name characters that make a word after 我是 / 我叫 (我是大学生 is cut before 生 elsewhere).
_NOT_GIVEN_NAMES = {"大学", "小学", "中学", "大夫", "新生", "学生"}
_HOME_WORDS = {"家里", "家人", "家属", "家中", "家庭", "家长", "家族", "家乡"}
# Two- and three-character words that start with a surname character but name nobody.
_NOT_NAMES = {
    "欧美",
    "关系",
    "关于",
    "高烧",
    "高热",
    "高血压",
    "高血糖",
    "高血脂",
    "高龄",
    "白天",
    "白细胞",
    "白血病",
    "白内障",
    "黄疸",
    "方便",
    "马上",
    "周末",
    "周岁",
    "全身",
    "毛病",
    "时候",
    "明天",
    "金黄",
    "石头",
    "江湖",
    "程度",
    "任何",
    "安全",
    "常见",
    "平时",
    "关节",
    "关注",
    "包括",
    "甘油",
    "钙片",
    "孔子",
    "韦氏",
    "康复",
    "宁愿",
    "米饭",
    "车祸",
    "房颤",
    "齐全",
    "连续",
    "单位",
    "苗头",
    "童年",
    "燕麦",
    "冷敷",
    "卓越",
    "艾灸",
    "蓝色",
    "巩固",
    "封闭",
    "谢谢",
    "谢了",
    "高兴",
    "明白",
    "金额",
    "程序",
    "尤其",
    "万一",
    "何时",
    "何况",
    "于是",
    "于今",
    "华法林",
    "孙子",
    "符合",
    "严格",
    "金牌",
    "万能",
    "白衣",
    "许可",
    "周到",
    "陈述",
    "曾经",
    "白人",
    "黄种人",
    # school years, weekdays, places and words that follow 我是 as often as a name does
    "高中",
    "高一",
    "高二",
    "高三",
    "高考",
    "高管",
    "高铁",
    "高速",
    "高原",
    "周一",
    "周二",
    "周三",
    "周四",
    "周五",
    "周六",
    "周日",
    "江苏",
    "江西",
    "苏州",
    "徐州",
    "郑州",
    "武汉",
    "沈阳",
    "唐山",
    "石家",
    "金华",
    "常州",
    "黄山",
    "龙岩",
    "马拉",
    "孟买",
    "林业",
    "马来",
    "韩国",
    "叶酸",
    "钟点",
    # remedies, herbs and seasons after 的 (医生开的方子, 开的杜仲)
    "方子",
    "方剂",
    "杜仲",
    "黄柏",
    "丁香",
    "柏子仁",
    "夏天",
    "夏季",
}

# Month names in English, French, Spanish, German and Italian (abbreviations as written).
_MONTHS = (
    "jan(?:uary|vier)?|feb(?:ruary|rero|braio)?|f[ée]v(?:rier)?|mar(?:ch|s|zo)?|m[äa]rz|apr(?:il|ile)?|avr(?:il)?|abr(?:il)?"
    "|may(?:o)?|mai|maggio|jun(?:e|io|i)?|juin|giugno|jul(?:y|io|i)?|juil(?:let)?|luglio|aug(?:ust)?|ao[ûu]t|ago(?:sto)?"
    "|sep(?:t(?:ember|iembre|embre)?)?|set(?:tembre)?|oct(?:ober|obre|ubre)?|okt(?:ober)?|ott(?:obre)?|nov(?:ember|embre|iembre)?"
    "|dec(?:ember)?|d[ée]c(?:embre)?|dic(?:iembre|embre)?|dez(?:ember)?|enero|gen(?:naio)?"
    # Portuguese, Dutch and Indonesian
    "|janeiro|fevereiro|mar[çc]o|maio|junho|julho|setembro|outubro|novembro|dezembro"
    "|januari|februari|maart|maret|mei|juni|juli|augustus|agustus|oktober|desember"
)


@dataclass(frozen=True)
class _Labels:
    """A label followed by its value, compiled in two passes: the Chinese labels (literal prefixes, so
    a fast scan) and the English ones (case-insensitive alternatives, slower), each run only where one
    of its words is in the text."""

    zh: str
    en: str
    value: str
    zh_words: tuple[str, ...]
    en_words: tuple[str, ...]
    between: str = ""  # the words between label and value; _SEPARATOR when empty
    acronyms: re.Pattern[str] | None = None  # English labels matched with their case (SSN, MRN)
    zh_pattern: re.Pattern[str] = field(init=False)
    en_pattern: re.Pattern[str] = field(init=False)
    zh_gate: re.Pattern[str] = field(init=False)
    en_gate: re.Pattern[str] = field(init=False)

    def __post_init__(self) -> None:
        between = self.between or _SEPARATOR
        object.__setattr__(self, "zh_pattern", re.compile(f"(?:{self.zh})" + between + self.value))
        object.__setattr__(self, "en_pattern", re.compile(f"(?:{self.en})" + between + self.value))
        object.__setattr__(self, "zh_gate", _any_of(self.zh_words))
        object.__setattr__(self, "en_gate", _any_of(self.en_words))

    def find(
        self, text: str, low: str, kind: str, valid: Callable[[str], bool] | None = None
    ) -> Iterator[PiiSpan]:
        if self.zh_gate.search(text):
            yield from _spans(self.zh_pattern, text, kind, valid)
        if self.en_gate.search(low) or (self.acronyms and self.acronyms.search(text)):
            yield from _spans(self.en_pattern, text, kind, valid)


# Identifiers that only the word before them makes one; the value is what follows the word, after
# the words that may stand between them in any order: 是, a colon, "number", "no.", "ID", 号码, 上的 …
# ("My passport, number 533…", "护照上的号码是…", "Cigna ID is …", "医保卡（卡号：…）").
_SEPARATOR = (
    r"(?:\s*(?:是|为|:|：|#|,|，|=|[(（【\[](?:[^()（）\d]{1,16}[)）])?|(?<=\s)[-–—](?=\s)|上的|上面的|信息"
    # an aside between label and value (", which is on the letter,", ", the new one,", "— the old one —"),
    # and what the document says (上写的是)
    r"|,[ \t]*(?:which|that|the|it's|it’s|it is)[^,\d\n]{1,30},|[—–][^—–\d\n]{1,24}[—–]|(?:上面?)?写(?:的|着)是?"
    r"|(?:卡|证件|证|字|件)?(?:号码|编号|编码|号)|码|(?:好像|我记得|记得|应该|大概|可能)(?=是)"
    r"|(?i:(?:is|was|reads|numbers?|no|num|nr|ID|card|being|listed as|shown as|on (?:the |my )?(?:card|file|record|form)"
    r"|nummer|num[ée]ro|n[úu]mero|n)\b\.?|n[°º])))*\s*"
)
# Days written as ordinal words (the fourth of July, 1976; June twenty-first, 1990).
_ORDINAL_DAY = (
    r"(?:twenty[- ]|thirty[- ])?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)"
    r"|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth"
    r"|twentieth|thirtieth"
)
# Holidays a birth date is told by (born on Christmas Eve 2015), as 2002年元旦出生 in Chinese.
_HOLIDAYS = (
    r"(?:Christmas|New Year['’]s)(?: Eve| Day)?|Valentine['’]s Day|Halloween|Easter(?: Sunday)?|Thanksgiving(?: Day)?"
    r"|Boxing Day|Independence Day|(?:St\.? |Saint )Patrick['’]s Day"
)
_UNIT_WORD = "one|two|three|four|five|six|seven|eight|nine"
_TENS_WORD = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
# Years written in words (nineteen seventy four, nineteen eighty-two, two thousand and five).
_YEAR_WORDS = (
    rf"nineteen[- ](?:(?:{_TENS_WORD})(?:[- ](?:{_UNIT_WORD}))?|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
    rf"|seventeen|eighteen|nineteen|oh[- ](?:{_UNIT_WORD}))|two thousand(?:[- ]and)?(?:[- ](?:{_UNIT_WORD}|ten|eleven"
    rf"|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty(?:[- ](?:{_UNIT_WORD}))?))?"
)
# An identifier written one character at a time (3 2 0 1 0 2 …, E 1 2 3 4 5 6 7 8): six or more.
_SPACED = r"(?:[A-Z0-9] ){5,}[A-Z0-9](?![A-Za-z0-9])"
_DATE = (
    # (a month of 13 or more is no date: 1968-13-02)
    r"(?:(?:19|20)\d{2}\s*(?:年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?|[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01])(?!\d))"
    rf"|(?i:(?:19|20)\d{{2}}[-/ ](?:{_MONTHS})\.?[-/ ]\d{{1,2}})(?!\d)"
    r"|\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d{2}"
    rf"|(?i:(?:{_MONTHS})\.?[\s-]+\d{{1,2}}(?:st|nd|rd|th)?,?[\s-]+(?:19|20)\d{{2}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th|er|º|\.)?(?:\s+(?:of|de))?[\s-]+(?:{_MONTHS})\.?,?(?:\s+de)?[\s-]+(?:19|20)\d{{2}})"
    rf"|(?i:(?:{_ORDINAL_DAY})\s+of\s+(?:{_MONTHS}),?\s+(?:(?:19|20)\d{{2}}|{_YEAR_WORDS})"
    rf"|(?:{_MONTHS})\s+(?:the\s+)?(?:{_ORDINAL_DAY}),?\s+(?:(?:19|20)\d{{2}}|{_YEAR_WORDS})"
    # a year in words first (nineteen-seventy, August the twelfth)
    rf"|(?:{_YEAR_WORDS}),?\s+(?:{_MONTHS})\s+(?:the\s+)?(?:{_ORDINAL_DAY}))(?![\w-])"
    # dates written in Chinese numerals (一九八五年三月十二日), lunar dates (1948年腊月初八)
    r"|[一二三四五六七八九〇零]{4}年(?:农历|阴历)?(?:[一二三四五六七八九十]{1,2}|[正冬腊])月(?:[一二三四五六七八九十]{1,3}[日号]|初[一二三四五六七八九十]|廿[一二三四五六七八九])?"
    r"|民国\s*(?:\d{1,3}|[一二三四五六七八九十]{1,4})\s*年(?:农历|阴历)?\s*(?:\d{1,2}|十[一二]|[正一二三四五六七八九十冬腊])\s*月"
    r"(?:\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[日号]|初[一二三四五六七八九十]|廿[一二三四五六七八九]|[二三]?十[一二三四五六七八九]?)?"
    # a Roman month (14-VII-1983, 3.XI.1990)
    r"|\d{1,2}[-./ ](?i:XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)[-./ ](?:19|20)\d{2}(?!\d)"
    # Korean (1985년 3월 12일)
    r"|(?:19|20)\d{2}년\s*\d{1,2}월(?:\s*\d{1,2}일)?"
    r"|(?:19|20)\d{2}年(?:农历|阴历)?(?:十[一二]|[正一二三四五六七八九十冬腊])月"
    r"(?:初[一二三四五六七八九十]|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|廿[一二三四五六七八九]|三十))"
)
_DOB_BEFORE = _Labels(
    zh=r"出生日期|出生年月日?|出生时间|出生于|出生在|出生[:：]|出生(?=\s*\d)|生于|生日(?:是|为)?|生辰|诞生日|出世纸(?:上)?(?:写着?|写的是)?|生年月日|생년월일|생일",
    en=r"(?<![\w.])b\.(?= )|(?<![\w.])(?i:geb)\.(?= )|(?i:(?:date of birth|d\.?o\.?b\.?|birth ?day)\?(?= )|date of birth|birth ?date|d\.?o\.?b\.?|born on|born in|born|birth ?day|b-?day|nacid[oa](?: el)?|naci[óo](?: el)?"
    r"|fecha de nacimiento|f\. ?nac\.?|sinh ngày|ngày sinh|sinh ngay|ngay sinh"
    r"|date de naissance|n[ée]e? le|geburtsdatum|geboren(?: am| op)?|data di nascita|nat[oa] il"
    r"|data de nascimento|nasci(?:do|da)?(?: em)?|geboortedatum|geburtstag|geb\.-datum|tanggal lahir|tgl\.? lahir"
    r"|do[ğg]um tarihi|fecha de nac\.?|data urodzenia|urodzon[ya])",
    between=rf"(?:\s*[(（][^()（）]{{1,16}}[)）])?[\s:：,，是为=]*(?:[-–—]\s*)?(?:['’]s\s+)?(?:(?:which|that)\s+)?(?:(?:is|was|es|era|est|ist|è|là)\s+)?(?:on\s+)?(?:the\s+)?",
    # (a month and day, then the year: 八月十二号，一九八〇年; a holiday of a year: Christmas Eve 2015)
    value=r"(?P<pii>(?:\d{1,2}月\d{1,2}[日号]|(?:十[一二]|[一二三四五六七八九十])月[一二三四五六七八九十]{1,3}[日号])[，,]\s*"
    r"(?:(?:19|20)\d{2}|[一二三四五六七八九〇零]{4})年"
    rf"|(?:{_HOLIDAYS}),? (?:19|20)\d{{2}}(?!\d)"
    rf"|{_DATE}|\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2}}(?![\d/.-])|\d{{2}}年\d{{1,2}}月(?:\d{{1,2}}[日号]|(?!\d))"
    rf"|(?i:(?:{_MONTHS})\.?,?\s+(?:19|20)\d{{2}})(?!\d)|(?:0?[1-9]|1[0-2])/(?:19|20)\d{{2}}(?![\d/])"
    rf"|(?:19|20)\d{{2}}[-/.](?:0?[1-9]|1[0-2])(?![\d/.-])"
    rf"|(?i:\d{{1,2}}(?:st|nd|rd|th)?(?:\s+of)?[\s-]+(?:{_MONTHS})\.?[\s-]+'?\d{{2}})(?![\d:])"
    rf"|(?<![\d年])(?:0?[1-9]|1[0-2])月(?:[0-2]?\d|3[01])[日号]"
    # a lunar month and day without the year (生日是农历八月十五)
    r"|(?:农历|阴历)(?:十[一二]|[正一二三四五六七八九十冬腊])月(?:初[一二三四五六七八九十]|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|廿[一二三四五六七八九]|三十)"
    # a day and month without the year (my birthday is 23 July), a year alone (born in 1957, DOB 1985)
    rf"|(?i:\d{{1,2}}(?:st|nd|rd|th)?(?:\s+of)?\s+(?:{_MONTHS})|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?)(?![\w,]|,?\s*\d)"
    rf"|(?:19|20)\d{{2}}(?:年(?!\s*\d))?(?![\d/.:'’s-])|(?<!\d)\d{{2}}年(?![\d月])"
    r"|(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d)"
    # typed with a space between digits (1 2 / 0 3 / 1 9 8 8)
    r"|\d(?: \d)? ?[/.-] ?\d(?: \d)? ?[/.-] ?\d \d(?: \d \d)?(?! ?\d)|\d \d \d \d ?[/.-] ?\d(?: \d)? ?[/.-] ?\d(?: \d)?(?! ?\d))",
    zh_words=("出生", "生于", "生日", "生辰", "诞生", "出世", "生年", "생년월일", "생일"),
    en_words=(
        "birth",
        "dob",
        "d.o.b",
        "born",
        "b. ",
        "nacid",
        "naci",
        "nacimiento",
        "nac.",
        "naissance",
        "né",
        "geburt",
        "geboren",
        "nascita",
        "nato",
        "nata",
        "geb.",
        "nasc",
        "geboorte",
        "lahir",
        "tarihi",
        "urodz",
        "sinh",
        "bday",
        "b-day",
    ),
)
# A full date further on in the label's sentence, after a word that gives its value (my DOB is wrong, it
# should be 12 August 1993; 生日写错了，应该是1992年7月8日; 出生日期登记成了…): no number between, and no
# word of a visit, which has a date of its own.
_DOB_FAR = replace(
    _DOB_BEFORE,
    between=r"(?![^\d\n.!?。！？;；]*?(?i:appointment|visit|seen|admitted|discharged|surgery|scan|test|预约|复查|手术|就诊|检查|入院|出院))"
    r"[^\d\n.!?。！？;；]{1,40}?(?:\b(?i:is|was|should be|should read|reads|it's|it’s|it is|listed as|shows)|应该是|应为|是|为|成了|写成|写的)\s*",
    value=rf"(?P<pii>{_DATE})",
)
# A date followed by 出生 is a birth date only with the day ("2020年12月出生的宝宝" is a cohort).
_DOB_AFTER = re.compile(
    r"(?P<pii>(?:农历|阴历)?(?:(?:19|20)?\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号]|(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}"
    r"|(?<!\d)(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
    r"|(?:19|20)\d{2}年(?:农历|阴历)?(?:十[一二]|[正一二三四五六七八九十冬腊])月(?:初[一二三四五六七八九十]|二十[一二三四五六七八九]?"
    r"|十[一二三四五六七八九]?|廿[一二三四五六七八九]|三十)"
    # a holiday of a year (2002年元旦出生), a year of two Chinese numerals (九零年五月二十号生的)
    r"|(?:19|20)\d{2}年(?:元旦|除夕|春节|大年初[一二三四五六七八九十]|正月初[一二三四五六七八九十]|国庆节?|中秋节?|端午节?|圣诞节?|情人节)"
    r"|[一二三四五六七八九〇零]{2}年(?:农历|阴历)?(?:十[一二]|[正一二三四五六七八九十冬腊])月(?:[一二三四五六七八九十]{1,3}[日号]|初[一二三四五六七八九十])"
    # a date in Chinese numerals (二〇〇一年五月六号出生)
    r"|[一二三四五六七八九〇零]{4}年(?:农历|阴历)?(?:十[一二]|[正一二三四五六七八九十冬腊])月(?:[一二三四五六七八九十]{1,3}[日号]|初[一二三四五六七八九十]|廿[一二三四五六七八九])))"
    r"\s*(?:出生(?!日期|年月|时间|地|证|医院)|生(?=的|人|[，,。；;\s)）]|$))"
)
# A month and year before 出生 are a birth date where a person is the subject (我是1985年3月出生的,
# 患者1990年5月生), unlike a cohort ("2020年12月出生的宝宝").
_DOB_OF_PERSON = re.compile(
    r"(?:我|本人|他|她|患者|病人|老人|孩子|宝宝|儿子|女儿)(?:是|在)?(?P<pii>(?:农历|阴历)?(?:19|20)\d{2}\s*年(?:\s*\d{1,2}\s*月)?)"
    r"(?:份)?\s*(?:出生|生(?=的|[，,。；;\s)）]|$))"
)
# A year in Chinese numerals (一九八五年, 九零年): a cheap test before _DOB_AFTER runs on text without digits.
_CHINESE_NUMERAL_YEAR = re.compile("[一二三四五六七八九〇零]{2}年")
# … or after anyone's 是, where 出生的 ends the clause (我爷爷诸葛明德是1933年10月出生的，), unlike 是2020年12月出生的宝宝.
_DOB_IS = re.compile(
    r"(?<=[\u4e00-\u9fff])是(?P<pii>(?:农历|阴历)?(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月)(?:份)?\s*出?生的(?=[，,。；;！!？?\s]|$)"
)
# A second form of a birth date in brackets right after it (1948年腊月初八（阳历1949年1月6日）).
_DOB_ALSO = re.compile(
    rf"\s*(?:出生的?|生的?)?\s*[(（]\s*(?:阳历|公历|农历|阴历|新历|(?i:i\.e\.|lunar|solar|gregorian))?[\s:：,]*(?P<pii>{_DATE})(?=\s*[)）])"
)
# A full date right after a name in a header ("Patient: Thomas Reed, 1962-12-05.") is that person's,
# unless the name is a clinician's ("Dr. Smith, 2023-05-01." is a visit).
_DATE_AFTER_NAME = re.compile(
    rf",[ \t]*(?P<pii>{_DATE})(?=\s*(?:[.;,)|/]|$))"
    # … or with a space only, a date of the last century (… Beatriz Okafor-Lindgren 5/12/1990 requesting)
    r"|[ \t]+(?P<old>\d{1,2}[/.-]\d{1,2}[/.-]19\d{2}|19\d{2}-\d{2}-\d{2})(?![\d/.-])"
)
# A birth date corrected later in its sentence ("born in the summer of 68 actually august 14th 1968").
_DOB_CORRECTED = re.compile(
    r"(?i:\bborn\b(?:(?!\d{4})[^.!?\n]){0,40}?\b(?:actually|i mean|sorry|or rather|to be exact|exactly),?\s+)"
    rf"(?P<pii>{_DATE})"
)
_CLINICIAN_BEFORE = re.compile(
    r"(?:Dr|Doctor|Prof|Professor|Nurse|NP|PA|RN|Midwife|Surgeon)\.?\s+$|(?i:doctor|nurse)\s+$"
)
# Resident ID: 6-digit region, birth date, 3-digit sequence and check digit, as written (groups may be
# separated by a space or hyphen: 330106 19900101 123X). The region and birth date mark it, so it is
# taken whatever its check digit (writers make numbers up), unless its sentence calls it invalid or an
# order word stands before it (_laid_out).
_ID = re.compile(
    r"(?<![0-9a-z])(?P<pii>[1-9]\d{5}[ -]?(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])[ -]?\d{3}[\dXx])(?![0-9a-z])",
    re.I,
)
# … or read out one digit at a time (4 4 0 3 0 4 1 9 …), its check digit deciding.
_ID_SPACED = re.compile(r"(?<![\dA-Za-z])(?<!\d )(?P<pii>[1-9](?: \d){16} [\dXx])(?![\dA-Za-z]| \d)")
_ID_SPACED_GATE = re.compile(r"(?:\d ){8}")
_SSN = re.compile(r"(?<![\d-])(?P<pii>(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4})(?![\d-])")
# Resident IDs issued before 1999: 15 digits, region and a six-digit birth date, taken only in a
# text that speaks of an ID (身份证 …).
_OLD_ID = re.compile(
    r"(?<![0-9A-Za-z])(?P<pii>[1-6]\d{5}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3})(?![0-9A-Za-z])"
)
# National IDs whose format alone marks them: Hong Kong (A123456(7)), Macau (1234567(8)) and Mexican
# CURP (GOML850214HDFRRS09), UK National Insurance (QQ 12 34 56 C), Spanish DNI / NIE with their
# check letter (12345678Z), Taiwan national ID and resident certificate with their check digit
# (A123456789, A800000014), Italian codice fiscale (RSSMRA85T10A562S), Singapore NRIC / FIN with its
# check letter (S1234567D).
_FORMAT_ID = re.compile(
    r"(?<![0-9A-Za-z])(?P<pii>[A-Z]{1,2}\d{6}\([0-9A]\)|[1578]\d{6}\(\d\)|[A-Z][AEIOUX][A-Z]{2}\d{6}[HM][A-Z]{5}[A-Z0-9]\d"
    r"|[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]|[XYZ]?\d{7,8}-?[A-Z]|[A-Z][1289]\d{8}"
    r"|[A-Z]{6}\d{2}[ABCDEHLMPRST]\d{2}[A-Z]\d{3}[A-Z]|[STFG]\d{7}[A-Z])(?![0-9A-Za-z])"
)
# National numbers of digits whose layout alone marks them: the Brazilian CPF (123.456.789-09), the
# Korean resident registration number (850312-1234567) and the Malaysian MyKad (880512-14-5567), which
# open with a birth date, and an Aadhaar in three groups of four (4991 1866 5246) with its Verhoeff check
# (with hyphens, 2023-0415-0001, such groups are record numbers).
_DIGIT_FORMAT_ID = re.compile(
    r"(?<![\d.-])(?<!\d )(?P<pii>\d{3}\.\d{3}\.\d{3}-\d{2}"
    r"|\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])-(?:[1-8]\d{6}|\d{2}-\d{4})"
    r"|[2-9]\d{3} \d{4} \d{4})(?![\dA-Za-z-]|[ .]\d)"
)
# Any country's identity number after the word for it, whatever its check digit or layout: a resident
# ID with a wrong check digit or in groups (5101 0720 1503 1256 17), a Taiwan ID (F223456789), an SSN,
# SIN, Aadhaar, PAN, NRIC, German Personalausweis …
_ID_LABELLED = _Labels(
    zh="(?:居民|香港|澳门|台湾)?身份证|身分证|(?:公民)?身份号码|证件号|军官证|士兵证|居住证|居留证|在留卡|居留卡|永居证|永久居留(?:身份)?证|驾驶证|驾照|주민등록번호|주민번호",
    en=r"\b(?:SSN|ITIN|SIN|PAN|NIE|DNI|NIF|CURP|RFC|NRIC|FIN|HKID|BSN|CPF|PESEL|NINO|RRN|CNP|EGN|OIB|JMBG|AHV|TFN|PPSN?|NIK|KTP|CNIC|NID|NIN|RG)\b"
    r"|\b(?:German|French|Spanish|Italian|Dutch|Swedish|Norwegian|Danish|Finnish|Polish|Czech|Austrian|Swiss|Belgian"
    r"|Portuguese|Greek|Turkish|Irish|British|American|Canadian|Mexican|Brazilian|Argentine|Chilean|Colombian|Peruvian"
    r"|Indian|Pakistani|Nigerian|Kenyan|South African|Egyptian|Saudi|Emirati|Israeli|Iranian|Russian|Ukrainian|Japanese"
    r"|Korean|Chinese|Taiwanese|Thai|Vietnamese|Filipino|Indonesian|Malaysian|Singaporean|Australian|SA|Taiwan|Hong Kong|Macau|Macao) ID\b"
    r"|\bI/?C\b|(?i:\bssn\b|\bsocial(?= is\b| #| no\b)|\bss ?(?:#|no\b\.?|number)|social security(?: number| no\.?| #)?|social insurance number|national (?:ID|identity|insurance)"
    r"(?: card| number| no\.?)?|\bNI (?:number|no\b\.?|#)|(?:ID|identity) (?:card|number|no\.?|document)|\bID#|personalausweis|ausweis"
    r"|resident registration(?: number| no\.?)?|aadhaa?r|codice fiscale|emirates ID|iqama|mykad|c[ée]dula"
    r"|carte d'identit[ée]|numéro d'identité|personnummer|henkilötunnus|f[øo]dselsnummer|cpr(?:-| )?(?:nummer|number|no\.?)"
    r"|documento de identidad|tc kimlik|kimlik no|burgerservicenummer|resident certificate|residence permit|\bARC\b"
    r"|\bUI (?:number|no\.?)|\bNHS(?: (?:number|no\.?|#)|(?= \d{3} \d{3} \d{4}\b))|driver['’]?s? licen[cs]e(?: number| no\.?| #)?|\bDL ?#|voter ID|military ID|green card|permanent resident card|residence card|alien registration(?: number| no\.?)?)",
    # (German ID (Personalausweis) T22…; 身份证是15位的：…)
    between=r"(?:\s*[(（][^()（）]{1,24}[)）])?(?:\s*是?1[58]位数?的?)?" + _SEPARATOR,
    # (an officer's card: 南字第0012345号)
    value=rf"(?P<pii>{_SPACED}|[\u4e00-\u9fff]字第\d{{5,8}}号|[A-Z0-9]{{1,18}}(?:[ ./-][A-Z0-9]{{1,8}}){{0,4}}(?:\([0-9A-Z]\))?)(?![A-Za-z0-9]|[./-][A-Za-z0-9])",
    zh_words=(
        "身份证",
        "身分证",
        "身份号",
        "证件号",
        "주민",
        "军官证",
        "士兵证",
        "居住证",
        "居留证",
        "在留卡",
        "居留卡",
        "永居证",
        "永久居留",
        "驾驶证",
        "驾照",
    ),
    en_words=(
        "social security",
        "social insurance",
        "national",
        "ni number",
        "social is",
        "social #",
        "social no",
        "ni no",
        "ni #",
        "ssn",
        "ss#",
        "ss #",
        "ss no",
        "ss number",
        "id card",
        "id number",
        "id no",
        "identity",
        "id#",
        "ausweis",
        "resident registration",
        "nhs",
        "aadha",
        "codice fiscale",
        "emirates id",
        "iqama",
        "mykad",
        "dula",
        "carte d'identit",
        "numéro d'identité",
        "personnummer",
        "henkilötunnus",
        "dselsnummer",
        "cpr",
        "documento de identidad",
        "kimlik",
        "burgerservicenummer",
        "resident certificate",
        "residence permit",
        "arc",
        "ui n",
        "licen",
        "dl",
        "voter id",
        "military id",
        "green card",
        "permanent resident",
        "residence card",
        "alien registration",
        "taiwan id",
        "hong kong id",
        "macau id",
        "macao id",
        "itin",
        "sa id",
    ),
    acronyms=re.compile(
        r"\b(?:SSN|ITIN|SIN|PAN|NIE|DNI|NIF|CURP|RFC|NRIC|FIN|HKID|BSN|CPF|PESEL|NINO|RRN|CNP|EGN|OIB|JMBG|AHV|TFN|PPSN?|NIK|KTP"
        r"|CNIC|NID|NIN|RG|ID|I/?C)\b"
    ),
)
# Card numbers start with an issuer's digits (Visa 4, Mastercard 2/5, Amex/Diners/JCB 3, UnionPay and
# Discover 6), so a Chinese ID (region codes 11–65 begin with 1–6 but fail Luhn or the ID check first)
# or an order number starting with 1 is not taken for one.
_CARD = re.compile(r"(?<![\d.])(?<!\d-)(?P<pii>(?:4|5[1-5]|2[2-7]|3[04-8]|6)(?:[ -]?\d){11,18})(?!\.?\d)")
# A card number written in the issuer's groups of four (4532 7781 0093 2215, 6217-0012-3456-7890-123 with a
# last group of three): the layout marks it, so Luhn is not required (writers make numbers up), unless
# its sentence calls it invalid or a word before it makes it a serial or order number (流水 6222 …).
_CARD_GROUPED = re.compile(
    r"(?<![\d.])(?<!\d[ -])(?P<pii>(?:4\d|5[1-5]|2[2-7]|6\d)\d{2}(?P<gap>[ -])\d{4}(?P=gap)\d{4}(?P=gap)\d{4}"
    r"(?:(?P=gap)\d{3})?)(?!\d|[ -]\d)"
)
# A card number after the word for one, whatever its check digit (a typo'd or test number still
# identifies); unlabelled numbers must pass Luhn.
_CARD_LABELLED = _Labels(
    zh="银行卡|信用卡|借记卡|储蓄卡|卡号|银行账号|银行账户|收款账号|账号|银联|[\u4e00-\u9fff]{1,4}银行(?:卡)?"
    "|(?:招行|建行|工行|农行|中行|交行|邮储|浦发|民生|兴业|光大|中信|华夏|广发|平安)(?:卡)?|(?:招商|工商|建设|农业|交通)卡",
    en=r"(?i:(?:credit|debit|bank|visa|mastercard|amex|unionpay) card(?: number| no\.?| #)?|card (?:number|no\.?|#)"
    r"|\b(?:visa|mastercard|master card|amex|american express|unionpay|union pay|discover|jcb|maestro|diners(?: club)?)\b"
    r"|\bcard(?=\s+(?:on file[\s:]+)?\d)"
    r"|bank account(?: number| no\.?)?|(?:account|\bacct) (?:number|no\.?|#)|\baccount(?=\s+\d))",
    value=r"(?P<pii>\d(?:[ /-]?\d){12,18})(?!\d|\.\d)",
    zh_words=(
        "卡",
        "账",
        "银联",
        "银行",
        "招行",
        "建行",
        "工行",
        "农行",
        "中行",
        "交行",
        "邮储",
        "浦发",
        "民生",
        "兴业",
        "光大",
        "中信",
        "华夏",
        "广发",
        "平安",
    ),
    en_words=(
        "card",
        "account",
        "acct",
        "visa",
        "master",
        "amex",
        "american express",
        "union",
        "discover",
        "jcb",
        "maestro",
        "diners",
    ),
)
# An IBAN: country, two check digits and the account, in groups of four; its mod-97 check decides.
# A British account number after its sort code (sort code 20-00-00, account 55779911).
_UK_ACCOUNT = re.compile(
    r"(?i:sort code)[\s:]*\d{2}-\d{2}-\d{2}[,;]?\s*(?i:account|a/c)(?: (?i:number|no\.?))?[\s:]*(?P<pii>\d{8})(?!\d)"
)
_IBAN = re.compile(
    r"(?<![A-Za-z0-9])(?P<pii>[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?)(?![A-Za-z0-9])"
)
_MOBILE = re.compile(
    r"(?<![\d.])(?<!\d-)(?P<pii>(?:(?:\+|00)?86[ -]?|[(（]\+?86[)）][ ]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?:[ ]?(?:转|分机)[ ]?\d{1,5})?)(?!\.?\d)"
)
_EXTENSION = r"(?:[ ]?(?:转|分机号?|(?i:ext\.?|extension|x))[ ]?\d{1,5})?"
# A national number written with its trunk 0 and its groups, in any country's layout: (021)1234-5678,
# 0755-2688 1234, 020 7946 0958, 0412 345 678, (02) 9876 5432, 06 12 34 56 78, 030 12345678,
# 090-1234-5678; or a UK mobile written whole (07700900461). _national_phone checks the digit count.
_TRUNK = re.compile(
    r"(?<![A-Za-z0-9_.+/-])(?<!\d[ -])(?P<pii>(?:(?:\(0\d{1,4}\)[ ]?|0\d{1,4}[ —–-])\d{2,8}(?:[ -]\d{2,8}){0,3}|07\d{9}"
    r"|0\d{1,4}\.\d{2,4}(?:\.\d{2,4}){1,3})" + _EXTENSION + r")(?![A-Za-z0-9_-]|[.:/]\d)"
)
# A number with its country code: +33 6 12 34 56 78, +44 (0)20 7946 0958, +86-10-6512 3456, 0044 20 …
_INTERNATIONAL = re.compile(
    r"(?<![\w+])(?<!\d[ -])(?P<pii>(?:\(\+\d{1,3}\)|(?:\+|00(?=[1-9]\d{0,2}[ -]))\d{1,3})(?:[ -]?\(?\d{1,4}\)?){2,6}"
    + _EXTENSION
    + r")(?![\d])"
)
_NANP = re.compile(
    rf"(?<![\d.])(?<!\d[ -])(?P<pii>(?:\+?1[ .-])?(?:\(\d{{3}}\)[ ]?|\d{{3}}[ .-])\d{{3}}[ .-]\d{{4}}{_EXTENSION})(?!\.?\d)"
)
_PHONE_CONTEXT = re.compile(
    r"(?:电话|手机号?码?|联系方式|座机|传真|微信同号|拨打|致电|打我|(?i:\btel\b\.?|\bph\b\.?|\bphone\b|\bcell\b|\bmobile\b|\bfax\b|whatsapp"
    r"|(?:call|text|reach|contact|ring|dial|sms)(?: me| us)? (?:at|on)|my (?:phone |cell |mobile )?number(?: is|:)))"
    r"[\s:：是为号码#]*(?P<pii>\+?\d[\d -]{5,}\d" + _EXTENSION + r")(?!\.?\d)"
)
# Words before a number that make it an order, lot, claim or booking number, not a phone.
_NOT_PHONE_BEFORE = re.compile(
    r"(?:批号|批次|订单|单号|序列号|流水|快递|发票|预约号|挂号|条码|型号|(?i:\blot\b|\bbatch\b|serial|\border\b|invoice"
    r"|\bref(?:erence)?\b|tracking|\bclaim\b|\bcase\b|confirmation|booking|ticket|\bmodel\b|\bpart\b|\bNDC\b|\bgroup\b))"
    r"[^\n。.;；!?！？]{0,12}$"
)
_EMAIL = re.compile(r"(?P<pii>[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})")
# An address written to dodge harvesters: li.na[at]163.com, tom (at) example (dot) org, mei at qq dot com.
_TLD = r"(?:com|net|org|edu|gov|cn|uk|de|fr|jp|au|ca|io|co|info)(?![A-Za-z])"
_SPELT_DOT = r"\s?(?:\.|\[dot\]|\(dot\)|\{dot\})\s?"
_EMAIL_SPELT = re.compile(
    rf"(?P<pii>[A-Za-z0-9._%+-]+\s?(?:\[at\]|\(at\)|\{{at\}})\s?[A-Za-z0-9-]+(?:{_SPELT_DOT}[A-Za-z0-9-]+)*{_SPELT_DOT}{_TLD}"
    rf"|[A-Za-z0-9._%+-]+(?: dot [A-Za-z0-9_-]+)* at [A-Za-z0-9-]+(?: dot [A-Za-z0-9-]+)* dot {_TLD})"
)
# A link written without its scheme (weibo.com/u/5678123456, bit.ly/3xYz9Ab, wa.me/8613800138000).
_BARE_URL = re.compile(
    r"(?<![\w@./:-])(?P<pii>(?:[A-Za-z0-9-]+\.)+(?:com|cn|net|org|ly|me|io|gl|co|uk|de|health|app)(?:\.[a-z]{2})?"
    r"/[A-Za-z0-9\-._~/?#@!$&*+=%]*[A-Za-z0-9\-_~/#@$&*+=%])"
)
_URL = re.compile(
    r"(?P<pii>(?:https?://|www\.)[A-Za-z0-9\-._~:/?#@!$&*+;=%,()]*[A-Za-z0-9\-_~/#@$&*+=%])", re.I
)
_URL_ID = re.compile(
    r"[?&=@~]|\d{4,}|/[0-9a-f]{8,}(?:/|$)|(?:patient|user|uid|(?<![a-z])id(?![a-z])|token|account|profile|people|member)"
    r"|^/(?:in|u|p|r|sh|s|home|space)/[^/]",
    re.I,
)
# Hosts whose pages belong to one person (profiles, posts, shared files), and link shorteners, whose
# opaque paths may lead to anything: any path there identifies.
_PERSONAL_HOST = re.compile(
    r"(?:^|\.)(?:twitter|x|instagram|facebook|fb|tiktok|linkedin|weibo|douban|zhihu|xiaohongshu|bilibili"
    r"|youtube|reddit|medium|github|dropbox|flickr|pinterest|threads|snapchat|vk|drive\.google|docs\.google|onedrive"
    r"|1drv|icloud|wetransfer|t|wa|gofundme|justgiving|waterdrop|qschou"
    r"|goo|bit|tinyurl|is|ow|cutt|rebrand|dwz|url|b23|shorturl|tiny|v\.douyin|v\.kuaishou|xhslink)\.[a-z.]+$"
    r"|^[a-z0-9-]+\.(?:blogspot|wordpress|tumblr|substack|github|wixsite|weebly|livejournal)\.[a-z.]+$",
    re.I,
)
_PERSONAL_SUBDOMAIN = re.compile(
    r"^(?:www\.)?[a-z0-9-]{3,}\.(?:blogspot|wordpress|tumblr|substack|github|wixsite|weebly|livejournal)\.[a-z.]+$",
    re.I,
)
_PLATE = re.compile(
    r"(?P<pii>[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][·•・.\s-]?[A-HJ-NP-Z0-9]{4,5}[A-HJ-NP-Z0-9挂学警])(?![A-Za-z0-9])"
)
# The current British layout (two letters, the age digits, three letters: WR19 KLM), which no postcode
# shares (its second half opens with a digit).
_UK_PLATE = re.compile(
    r"(?<![A-Za-z0-9])(?P<pii>[A-HJ-PR-Y][A-HJ-PR-Y](?:0[1-9]|[1-7]\d) ?[A-HJ-PR-Z]{3})(?![A-Za-z0-9])"
)
# Any country's plate after the word for one: one to three groups of letters and digits (7ABC123,
# AB12 CDE, TX 4KLM-882, M-AB 1234, AB-123-CD), with a letter and a digit among them.
_PLATE_CONTEXT = _Labels(
    zh="车牌(?:号码|号)?|牌照|号牌",
    en=r"(?i:licen[cs]e plate|number plate|\bplates?\b|registration|\breg\b\.?|\brego\b|\btags?\b"
    r"|kennzeichen|immatriculation|matr[ií]cula|\btarga\b|kenteken"
    r"|\b(?:car|vehicle|truck|van|motorbike|motorcycle|scooter)\b,?\s*\(?)(?:\s*(?i:number|no\b\.?|mark))?",
    # (a hedge may stand between: "Texas plates, I think JKT-4829")
    between=r"(?:\s*(?:(?i:is|was|I think|I believe|maybe|probably|something like|starting)\b|:|：|#|,|是|为))*\s*",
    value=r"(?P<pii>(?=[A-Z0-9 ·-]*\d)(?=[A-Z0-9 ·-]*[A-Z])(?:[A-Z0-9]{1,4}(?:[ ·-][A-Z0-9]{2,4}){1,3}|[A-Z0-9]{5,8}))"
    r"(?![A-Za-z0-9])",
    zh_words=("车牌", "牌照", "号牌"),
    en_words=(
        "plate",
        "registration",
        "reg",
        "tag",
        "car",
        "vehicle",
        "truck",
        "van",
        "motor",
        "scooter",
        "kennzeichen",
        "immatriculation",
        "matr",
        "targa",
        "kenteken",
    ),
)

# A record code in Chinese numerals after its letters (ZY-二〇二四-〇〇八八), and a cheap test for one.
_NUMERAL_CODE = "[A-Z]{1,4}-[〇零一二三四五六七八九]{2,}(?:-[〇零一二三四五六七八九]{2,})+"
_NUMERAL_CODE_GATE = re.compile("[A-Z]-[〇零一二三四五六七八九]")
_CODE = (
    rf"(?P<pii>{_SPACED}|{_NUMERAL_CODE}|(?=[A-Z0-9 /-]*\d)(?=[A-Z0-9 /-]{{5}})(?:(?:[A-Z]{{2,4}}[ /-]?){{1,3}}|[A-Z]?[ -]?)\d[A-Z0-9]*"
    r"(?:[-/][A-Z0-9]+)*(?: \d{2,})*(?: \d(?= *(?:[,.;)，。；]|$|[\u4e00-\u9fff]))|(?<=\b\d{4} \d{5}) \d)?)(?![A-Za-z0-9])"
)
# A Chinese passport's number by its layout (E12345678, EA1234567, G12345678, E 1234 5678 in groups), in a
# text that speaks of a passport however far from the word.
_PASSPORT_FORMAT = re.compile(
    r"(?<![A-Za-z0-9])(?P<pii>[EG](?:\d{8}|[A-Z]\d{7}| \d{4} \d{4}))(?![A-Za-z0-9]| \d)"
)
_PASSPORT = _Labels(
    zh="护照|(?:港澳|往来港澳|台湾|往来台湾)?通行证|台胞证|回乡证|旅行证",
    en=r"(?i:passport|travel document|home return permit|(?:mainland |exit-entry )?travel permit|\bPP\b ?(?:#|no\b\.?|number|(?=:))|reisepass|passeport|pasaporte|passaporto|passaporte|paspoort"
    r"|paszport|pass-?nr\.?)",
    value=rf"(?:[A-Z]{{2,3}} (?=\d{{8,9}}(?![A-Za-z0-9])))?(?P<pii>{_SPACED}|[A-Z]{{0,3}} ?\d(?: ?[A-Z0-9]){{5,9}})(?![A-Za-z0-9])",
    zh_words=("护照", "通行证", "台胞证", "回乡证", "旅行证"),
    en_words=(
        "passport",
        "travel document",
        "permit",
        "pp #",
        "pp:",
        "pp#",
        "pp no",
        "pp number",
        "reisepass",
        "passeport",
        "pasaporte",
        "passaporto",
        "passaporte",
        "paspoort",
        "paszport",
        "pass-nr",
        "passnr",
    ),
)
_MEDICAL_RECORD = _Labels(
    zh="住院(?:编)?号|住院病历号|病案(?:编)?号|病历(?:编)?号|门诊号|预约号|预约单号|(?:胃|肠|内|支气管|喉|宫腔|膀胱)镜号|镜检号|就诊号|(?:就诊|诊疗|门诊)卡号?|诊疗号|登记号|档案号|病理号|影像号|检查号|放射号"
    "|体检号|病人ID|患者ID|病人编号|患者编号|就诊ID|门诊ID|住院ID|ID号|标本号|检验号|化验单号|检验单号|检查单号|报告单号"
    "|超声号|B超号|CT号|MRI号|核磁号|急诊号|留观号|入院号|健康档案号|病历番号|病歴番号|カルテ番号|診察券番号|诊察券番号"
    "|차트번호|(?<!주민)등록번호|진료번호|병록번호",
    en=r"(?i:(?:specimen|accession|lab|encounter) (?:ID|identifier|number|no\b\.?|#)|accession\b|\bMRN\b|\bMR ?#"
    r"|\bMR (?:number|no\b\.?)|\bURN?\b(?: number| no\b\.?)?|med(?:ical)? rec(?:ord)?s? (?:number|no\b\.?|#|ID|identifier)"
    r"|record (?:number|no\b\.?|#)|\bhosp\.? ?(?:#|no\b\.?|number)|patient (?:ID|identifier|number|no\b\.?|#)"
    r"|hospital (?:ID|identifier|number|no\b\.?|#|record)|chart (?:ID|identifier|number|no\b\.?|#)"
    r"|clinic (?:ID|identifier|number|no\b\.?)|(?:clinic|hospital|patient) card (?:number|no\b\.?|#)|\bunit (?:number|no\b\.?)|\btrust (?:number|no\b\.?)"
    r"|health record (?:number|no\b\.?)|\bEMR\b|\bEHR\b|\bCHI (?:number|no\b\.?)"
    r"|(?:admission|inpatient|outpatient|visit|episode|registration) (?:ID|identifier|number|no\b\.?|#)|\bIP (?:no\b\.?|#|number)"
    r"|\bUHID\b|\bNHI\b(?: number| no\b\.?)?|\bIHI\b(?: number| no\b\.?)?|\b(?:hospital |patient )?reg(?:istration)?\.? (?:no\b\.?|number|#)"
    r"|\bOPD (?:no\b\.?|number|#|ID)|\b(?:patient |hospital |medical )?file (?:no\b\.?|number|#)|(?:num[ée]ro de |n[°º] de )?dossier(?: patient| m[ée]dical)?"
    r"|appointment (?:ID|number|no\b\.?|#)|(?:pathology|surgical|path|biopsy|cytology|histology) (?:case|report|accession)(?: (?:ID|number|no\b\.?|#))?|patientennummer|fallnummer|patienten-?id|historia cl[íi]nica|cartella clinica)",
    value=_CODE,
    zh_words=("号", "ID", "番号", "번호", "诊卡", "疗卡"),
    en_words=(
        "mrn",
        "record",
        "hospital",
        "hosp",
        "chart",
        "clinic",
        "unit n",
        "trust n",
        "patient id",
        "patient no",
        "patient number",
        "patient #",
        "patient identifier",
        "patient card",
        "specimen",
        "accession",
        " case",
        "path report",
        "pathology report",
        "lab id",
        "lab no",
        "lab number",
        "encounter",
        "admission",
        "inpatient",
        "outpatient",
        "visit",
        "episode",
        "registration",
        "ip no",
        "ip #",
        "ip number",
        "reg",
        "opd",
        "file",
        "dossier",
        "patientennummer",
        "fallnummer",
        "patienten",
        "historia cl",
        "cartella clinica",
    ),
    acronyms=re.compile(r"\b(?:MRN?|URN?|EMR|EHR|CHI|UHID|NHI|IHI)\b"),
)
# Insurance numbers whose scheme's layout is distinctive enough alone: the US Medicare Beneficiary
# Identifier (1EG4-TE5-MK73: digit, letter, letter or digit, digit, …) and the Ontario health card
# (1234-567-890-AB, four, three and three digits and a version code).
_INSURANCE_FORMAT = re.compile(
    r"(?<![0-9A-Za-z-])(?P<pii>[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d-?[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d-?"
    r"[AC-HJKMNP-RT-Y]{2}\d{2}"
    r"|\d{4}[ -]\d{3}[ -]\d{3}[ -]?[A-Z]{2})(?![0-9A-Za-z-])"
)
_INSURANCE = _Labels(
    zh="(?:医保|社保|社会保障|医疗保险|保险|商保|医疗|健保)的?卡?(?:号码|卡号|编号|账号|电脑号|证号|号)|(?:医保|社保|健保)(?:IC)?卡(?:[（(]?(?:卡号|号码|编号|号))?"
    "|(?:医保|社保)(?=\\s*(?:[:：]|是\\s*[A-Z0-9]))"
    "|参保(?:人)?(?:编号|号)|(?:医保|社保)电子凭证号?|新农合(?:卡号|号码|号)?|农合(?:卡号|证号|号)|合作医疗证号|保单(?:号码|编号|号)|保险单号|保险合同号"
    "|(?:医保|社保)?个人(?:编号|编码)",
    en=r"(?i:(?<!social )(?<!national )insurance (?:card |member |policy |plan )?(?:ID|identifier|number|no\.?|#|policy)|\bins\.? ?(?:ID|identifier|#|no\.?)"
    r"|\b(?:policy|member|subscriber|insurance|medicare|medicaid)(?=\s*[:#]|\s+[A-Z]{0,4}\d{6,})|\bmedicare(?=\s+\d[A-Z])"
    # an insurer's name right before a member number (insured under Aetna W987654321)
    r"|\b(?:" + "|".join(_INSURER_NAMES) + r")(?=\s+[A-Z]{0,3}\d{7,})"
    r"|\bpolicy(?=[\s,]+(?:[A-Z]{2,5}-)+\d)"
    r"|member(?:ship)? (?:ID|identifier|number|no\.?|#)|policy (?:ID|identifier|number|no\.?|#)"
    r"|medicare (?:card )?(?:number|no\.?|ID|identifier|#)|medicaid (?:number|ID|identifier|#)|subscriber (?:ID|identifier|number|#)"
    r"|(?:beneficiary|enrollee|coverage) (?:ID|identifier|number)|\bMBI\b|plan (?:ID|identifier|number)"
    r"|health (?:card|insurance|plan) (?:number|no\.?|ID|identifier|#)|medi-cal (?:ID|identifier|number)"
    r"|\b(?:medicare|medicaid|ohip|ramq|msp|nhs|ehic|medibank|bupa)(?: health)? ?(?:card|卡)(?=\s*(?:[:#]|是|号)?\s*[A-Z0-9])"
    r"|versichertennr\.?|versichertennummer|krankenversicherungsnummer|versicherungsnummer|krankenkassen?(?:nummer|karte)|versichertenkarte"
    r"|num[ée]ro de s[ée]curit[ée] sociale|carte vitale|tarjeta sanitaria|n[úu]mero de afiliaci[óo]n|tessera sanitaria"
    r"|codice sanitario|zorgverzekering(?:snummer)?"
    r"|\b(?:"
    + "|".join(_INSURER_NAMES)
    + r")(?: (?:permanente|blue shield|health(?:care)?|insurance|plan|member(?:ship)?"
    r"|subscriber|policy|card))*\s*(?:ID|identifier|number|no\.?|#))",
    value=_CODE,
    zh_words=("医保", "社保", "社会保障", "保险", "商保", "医疗", "参保", "保单", "农合", "个人编", "健保"),
    en_words=(
        *_INSURANCE_WORDS,
        "ohip",
        "ramq",
        "msp",
        "ehic",
        "versicherungsnummer",
        "versichertennummer",
        "versichertennr",
        "krankenkass",
        "versichertenkarte",
        "sécurité sociale",
        "securite sociale",
        "carte vitale",
        "tarjeta sanitaria",
        "afiliaci",
        "tessera sanitaria",
        "codice sanitario",
        "zorgverzekering",
    ),
)

_PROVINCES = (
    "北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川|贵州"
    "|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门"
)
# Prefecture cities written without 市 before a district (深圳南山区…, 苏州工业园区…).
_CITIES = (
    "广州|深圳|珠海|汕头|佛山|东莞|中山|惠州|江门|湛江|杭州|宁波|温州|绍兴|嘉兴|湖州|金华|台州|南京|苏州|无锡|常州|南通|徐州"
    "|扬州|镇江|盐城|成都|绵阳|武汉|宜昌|襄阳|长沙|株洲|湘潭|郑州|洛阳|开封|济南|青岛|烟台|潍坊|淄博|临沂|西安|宝鸡|咸阳|合肥"
    "|芜湖|福州|厦门|泉州|南昌|赣州|南宁|桂林|柳州|昆明|贵阳|遵义|兰州|西宁|银川|乌鲁木齐|拉萨|呼和浩特|包头|太原|大同|石家庄"
    "|唐山|保定|邯郸|沈阳|大连|鞍山|长春|吉林|哈尔滨|大庆|海口|三亚"
)
# The characters of an address, and one space where a building or room follows (…61号乙 远洋大厦B座1708),
# around the numbers of a lane, house or floor (四段 181 巷 5 号 3 楼), or before a closing room number
# (A座 1502，).
_ADDRESS_RUN = (
    r"(?:[\u4e00-\u9fffA-Za-z0-9#\-·]| (?=[\u4e00-\u9fffA-Za-z0-9]{0,10}(?:大厦|广场|花园|小区|公寓|大楼|中心|座|栋|幢|单元|室(?!友)|楼|号)"
    r"|\d{1,5} ?(?:[巷弄号楼室层栋座幢]|单元)|(?<=\d )(?:[巷弄号楼室层栋座幢]|单元)|\d{2,5}(?:[，,。；;\s]|$)"
    # a building-room number after the house number (188号 12-3)
    r"|(?<=号 )\d{1,4}-\d{1,4}(?:[，,。；;\s]|$)))"
    r"{2,48}"
)
_ZH_ADDRESS = re.compile(
    rf"(?P<pii>(?:{_PROVINCES})(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区|(?=[\u4e00-\u9fff]{{2,5}}?[市区县]))"
    rf"{_ADDRESS_RUN}|(?:香港|澳门)(?=[\u4e00-\u9fff]{{2,8}}?[道路街里][东南西北中]?\d){_ADDRESS_RUN})"
    rf"|(?:家住在|居住在|住在|家住|住址|地址|现住|现居|邮寄到|寄到|送到|寄往|我家在|家在|老家在)[\s:：是为]*"
    rf"(?P<after>[\u4e00-\u9fff]{{2,6}}?(?:[市区县镇乡路街村]|小区|花园|家园|公寓|大厦|苑){_ADDRESS_RUN})"
    rf"|(?P<city>[\u4e00-\u9fff]{{2,3}}?市[\u4e00-\u9fff]{{1,5}}?[区县]{_ADDRESS_RUN})"
    # a district, a road and its number, without a city (海淀区中关村大街27号), where a phrase starts
    rf"|(?:(?<![\u4e00-\u9fff])|(?<=[在住到是于往从去来的家和与及寄送至]))(?P<district>(?:{_CITIES})?[\u4e00-\u9fff]{{2,3}}[区县]"
    rf"[\u4e00-\u9fff]{{1,10}}?(?:路|街|大道|巷|胡同|弄)[\u4e00-\u9fff0-9]{{0,4}}?\d+号(?:{_ADDRESS_RUN})?)"
    # an estate with its building and room, without a city (阳光小区3号楼2单元501室)
    r"|(?P<estate>[\u4e00-\u9fff]{2,5}?(?:小区|花园|家园|公寓|新村|苑|大厦)\d+(?:号楼|栋|幢|座)(?:\d+单元)?\d+(?:室|号)?)"
)
# A city found without a word before it may carry the end of that word ("在深圳市…").
_ADDRESS_LEAD = set("我你他她在住到是于往从去来的家和与及寄送至")
# An address ends at its last house, building or room number; it must name a street, a number or a
# building, so "北京市朝阳区的医院" (a district, identifying no one) stays.
_ADDRESS_END = re.compile(
    r".*(?:号院|号[甲乙丙丁]|号|室|(?<=\d)[房户]|楼|栋|幢|单元|层|座|弄|村|组|\d|[A-Z])"
)
# … or, without a number, at a road named after its district (杭州市西湖区文三路, 住在朝阳区建国路).
_ADDRESS_INTRODUCED = _any_of(
    ("住在", "家住", "地址", "住址", "家在", "寄到", "送到", "现住", "居住", "现居", "寄往", "邮寄")
)
_ADDRESS_ROAD_END = re.compile(
    r".*?[区县][\u4e00-\u9fff]{1,8}?(?:路|大街|大道|街|巷|胡同)(?:[一二三四五六七八九十]段)?(?![\u4e00-\u9fff]*[路街巷])"
)
_ADDRESS_STREET = re.compile(r"路|街|道|巷|弄|胡同|号|村|组|栋|幢|单元|室|小区|花园|大厦|公寓|苑")
_STREET_TYPES = (
    r"Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Crescent"
    r"|Close|Circle|Parkway|Pkwy|Highway|Hwy|Square|Sq|Gardens|Grove|Row|Walk|Mews|Park|Trail|Alley|Plaza|Hill"
    r"|Loop|Esplanade|Parade|Pde|Quay|Rise|View|Wharf|Circuit|Cct|Cres|Ter|Heights|Hts|Green|Gate|Vale|Wynd|Broadway"
)
_CAPITAL_WORD = r"[A-ZĀ-Ž][a-zà-öø-ÿā-ž]+"
_ADDRESS_PART = (
    r"(?:(?:Apt|Apartment|Flat|Unit|Suite|Ste|Room|Floor|Bldg|Building|District|Ward|Block|Blk)\.?\s*#?[A-Z0-9-]+|#\s?[A-Z0-9-]+"
    r"|[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}|[A-Z]{2,3}\s+(?:\d{4,6}(?:-\d{4})?|[A-Z0-9]{3}\s?[A-Z0-9]{3})"
    r"|[A-Z]\d{2}\s?[A-Z0-9]{4}(?![A-Za-z0-9])|[A-Z]\d[A-Z]\s?\d[A-Z]\d"
    rf"|{_CAPITAL_WORD}\s\d{{1,2}}(?:st|nd|rd|th)\s(?:Block|Stage|Phase|Sector|Cross|Main)"
    rf"|\d{{1,2}}(?:st|nd|rd|th)\s(?:Cross|Main|Block|Stage|Phase|Sector)(?:\s(?:Road|Rd))?"
    r"|(?:[A-Z]{2,3}|U\.S\.A?\.|U\.K\.)(?=\s*(?:[,.;)]|$))"
    rf"|(?!(?:My|I|He|She|We|They|The|This|It|Please|Dr|And|But|Call|Ask)\b){_CAPITAL_WORD}(?:\s(?:upon\s|on\s|under\s)?{_CAPITAL_WORD}){{0,3}}"
    r"(?:\s[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}|\s[A-Z]{2}\s[A-Z]\d[A-Z]\s?\d[A-Z]\d|\s\d{1,2}(?![\d,.]\d)(?=\s*[,.;]|$)"
    r"|(?:\s[A-Z]{2,3})?(?:\s\d{4,6}(?:-\d{4})?)?))"
)
_EN_ADDRESS = re.compile(
    r"(?<![\w/-])(?P<pii>(?:P\.?\s?O\.?\s?Box\s+\d{1,6}(?=,)|(?:Rural Route|RR|HC)\s\d{1,4},\s*Box\s\d{1,6}(?=,)|(?:(?:Apt|Apartment|Flat|Unit|Suite|Ste|Block|Blk|Level|Lvl|Floor|Shop|Villa)"
    r"\.?\s*#?[A-Z0-9-]+(?:,?\s+|/))?(?:\d{1,4}[A-Z]?/)?"
    rf"(?:(?:Block|Blk)\.?\s+)?\d{{1,6}}[A-Z]?\s+(?:[NSEW]{{1,2}}\.?\s+)?(?:(?:(?:{_CAPITAL_WORD}|\d{{1,3}}(?:st|nd|rd|th))\s+){{1,3}}"
    # … or a street of one word ending in -way before a comma and a capital (1290 Kingsway, Vancouver)
    rf"(?:{_STREET_TYPES})|[A-Z][a-z]+way(?=,\s*[A-Z]))\b)"
    rf"(?:\s(?:North|South|East|West|NE|NW|SE|SW|[NSEW])\b|\s\d{{1,3}}\b(?!\s*(?:{_STREET_TYPES}|[a-z])))?\.?(?:\s#\s?[A-Z0-9-]+)?"
    # a unit, and a city, state and ZIP code without commas (… Boulevard Los Angeles California 90006)
    r"(?:\s(?:Unit|Apt|Suite|Ste)\.?\s?#?[A-Z0-9-]+)?"
    rf"(?:\s(?:{_CAPITAL_WORD}\s){{1,3}}(?:[A-Z]{{2}}|{_CAPITAL_WORD})\s\d{{5}}(?:-\d{{4}})?(?!\d))?"
    rf"(?:,\s*{_ADDRESS_PART})*)"
)
_IN_STREET = rf"(?:{_STREET_TYPES}|Cross|Main|Marg|Salai|Nagar|Layout)"
_EN_UNIT_FIRST = re.compile(
    r"(?<![\w/-])(?P<pii>(?:(?:Flat|Apt|Apartment|Unit|Suite|House|Villa|Plot|Door)\.?\s*(?:No\.?\s*)?#?[A-Z0-9-]+,\s*"
    rf"(?:{_CAPITAL_WORD}(?:\s{_CAPITAL_WORD}){{0,3}},\s*){{0,2}}"
    rf"|\d{{1,4}}[A-Z]?,\s*(?=\d{{1,3}}(?:st|nd|rd|th)\s|{_CAPITAL_WORD}(?:\s{_CAPITAL_WORD}){{0,2}}\s{_IN_STREET}\b))"
    rf"(?:\d{{1,3}}(?:st|nd|rd|th)|{_CAPITAL_WORD})(?:\s{_CAPITAL_WORD}){{0,3}}\s{_IN_STREET}(?:\s(?:Road|Rd))?\b"
    rf"(?:,\s*{_ADDRESS_PART})*)"
)
_ASIA_ADDRESS = re.compile(
    r"(?<![\w/-])(?P<pii>(?:Room|Rm|Flat|Unit)\.?\s?[A-Z0-9-]+,\s*\d{1,2}/F\b(?:,\s*(?:Block|Blk|Tower)\s?[A-Z0-9]+)?"
    rf"(?:,\s*{_CAPITAL_WORD}(?:\s{_CAPITAL_WORD}){{0,3}})+"
    rf"|\d{{1,2}}-\d{{1,2}}(?:-\d{{1,3}})?\s+{_CAPITAL_WORD}(?:[ -]\d{{1,2}}-?chome)?,\s*{_CAPITAL_WORD}-(?:ku|shi|cho|machi|gun)"
    rf"(?:,\s*{_CAPITAL_WORD}(?:\s\d{{3}}-\d{{4}})?)?"
    r"|[가-힣]{2,8}(?:특별시|광역시|특별자치시|도|시)\s[가-힣]{1,6}[구군시]\s(?:[가-힣]{1,6}[구동]\s)?[가-힣0-9]{1,12}(?:로|길)\s?\d{1,4}(?:-\d{1,4})?)"
)
# Continental street addresses: number first (45 Rue de Rivoli, 75001 Paris, 3e étage) or after the
# street (Hauptstraße 5, 10115 Berlin; Via Roma 12; Calle Mayor 5), with a postcode and city after.
_EU_STREET = r"(?:[Rr]ue|[Aa]venue|[Bb]oulevard|[Bb]d|[Pp]lace|[Cc]hemin|[Aa]llée|[Qq]uai|[Ii]mpasse|[Rr]oute|[Cc]ours)"
_EU_LINK = r"(?:(?:de la|de l'|des|du|de|d'|del|della|dei|di|da|do|dos|la|las|los|le|l')\s*)*"
_EU_PARTS = (
    rf"(?:,[ \t]*(?:(?:\d{{4,5}}|\d{{4}}[ \t]?[A-Z]{{2}}|\d{{2}}-\d{{3}})[ \t]+{_CAPITAL_WORD}(?:[ \t-]{_CAPITAL_WORD})*|\d{{1,2}}(?:e|er|ème|\.|º|°)[ \t]+(?:étage|Stock|piso|piano)"
    rf"|\d{{1,2}}[º°ª][ \t]?[A-Z]?|[A-Z]{{2}}[ \t][A-Z]\d[A-Z][ \t]?\d[A-Z]\d|{_CAPITAL_WORD}))*"
)
# Words one of which a continental street address holds (checked before its pattern runs).
_EU_STREET_WORDS = (
    "rue ",
    "avenue",
    "boulevard",
    "place ",
    "chemin",
    "allée",
    "quai ",
    "impasse",
    "route ",
    "cours ",
    "straße",
    "strasse",
    "str.",
    "weg ",
    "gasse",
    "platz",
    "allee",
    "laan ",
    "straat",
    "gracht",
    "damm",
    "ufer",
    "chaussee",
    "markt",
    "ring ",
    "via ",
    "viale",
    "piazza",
    "corso",
    "calle",
    "avenida",
    "av.",
    "paseo",
    "plaza",
    "rua ",
    "praça",
    "carrer",
    "ul.",
    "ulica",
    "al.",
    "aleja",
    "jalan",
    "jln",
    "jl.",
    "lorong",
    "persiaran",
)
_EU_STREET_GATE = _any_of(_EU_STREET_WORDS)
_EU_ADDRESS = re.compile(
    rf"(?<![\w-])(?P<pii>(?:\d{{1,4}}(?:\s?(?:bis|ter))?,?\s+{_EU_STREET}\s+{_EU_LINK}{_CAPITAL_WORD}(?:[\s-]{_CAPITAL_WORD}){{0,3}}"
    rf"|{_CAPITAL_WORD}(?:straße|strasse|str\.|weg|gasse|platz|allee|ring|damm|laan|straat|gracht)\s+\d{{1,4}}[a-z]?"
    rf"|{_CAPITAL_WORD}[ \t](?:Straße|Strasse|Str\.|Weg|Gasse|Platz|Allee|Ring|Damm|Ufer|Chaussee|Markt|Laan|Straat)[ \t]+\d{{1,4}}[a-z]?"
    rf"|(?:Via|Viale|Piazza|Corso|Calle|Avenida|Av\.|Paseo|Plaza|Rua|Praça|Carrer|[Uu]l\.|[Uu]lica|[Aa]l\.|[Aa]leja"
    rf"|Jalan|Jln\.?|Jl\.|Lorong|Persiaran)\s+{_EU_LINK}{_CAPITAL_WORD}"
    rf"(?:\s+{_CAPITAL_WORD}){{0,2}},?\s+(?:No\.?\s?)?\d{{1,4}}(?:/\d{{1,4}})?"
    rf"|\d{{1,4}}\s+(?:Jalan|Jln\.?|Lorong|Persiaran)\s+{_CAPITAL_WORD}(?:\s+{_CAPITAL_WORD}){{0,2}}){_EU_PARTS})"
)

# Words after which a Chinese name follows (the name itself, without the word).
_HONORIFIC = re.compile(
    r"(?:先生|女士|小姐|太太|夫人|阿姨|大爷|大妈|大叔|大伯|大姐|大哥|奶奶|爷爷|姥姥|姥爷|婆婆|老师|师傅|主任医师|副主任|主治医师"
    r"|主治医生|医生|医师|大夫|主任|护士长|护士|护师|药师|营养师|治疗师|康复师|咨询师|教授|副院长|院长|经理|警官|助理"
    r"|老先生|老太太|同志|叔叔|伯伯|律师|同学|姐姐|哥哥|姐|哥|总(?![是结共体的之数量额计比胆]))(?![们妹弟姐哥])"
)
# Role titles follow the surname alone (王医生, 刘主任); a longer run before one is usually a word
# (康复医生, 符合医生的风格), so only honorifics (朱芳先生, 陈小明女士) take a given name.
_ROLES = {
    "营养师",
    "治疗师",
    "康复师",
    "咨询师",
    "警官",
    "助理",
    "同志",
    "总",
    "老师",
    "医生",
    "医师",
    "大夫",
    "主任",
    "护士长",
    "护士",
    "护师",
    "药师",
    "教授",
    "院长",
    "副院长",
    "经理",
    "律师",
    "同学",
    "主任医师",
    "副主任",
    "主治医师",
    "主治医生",
    "姐",
    "哥",
    "姐姐",
    "哥哥",
}
# A role and a colon (or 是, 叫) introduce the name of whoever holds it (主治医师：王伟, 责任护士：刘芳); a
# role right before a full name does too where the name fills its clause (主治医师钱文斌，).
_ROLE_CUE = re.compile(
    r"(?:主治医师|主治医生|主管医生|主管医师|管床医生|管床医师|责任护士|责任医生|接诊医生|接诊医师|经治医生|经治医师|住院医师|值班医生"
    r"|值班医师|家庭医生|签约医生|主刀医生|麻醉医生|主刀|麻醉师|护士长|主任|医生|医师"
    r"|大夫|护士|老师|药师)(?:(?P<said>[:：][ ]?|(?:是|叫|姓名)(?=[\u4e00-\u9fff]))|[ ]?(?=[\u4e00-\u9fff]{2,4}(?:[，,。；;、\s)）]|$|就|即|说)))"
)
# Verbs that hand something to a person (找孙丽娟就行, 联系王伟): a name only where it fills the clause.
_HAND_TO = re.compile(
    r"(?:找|联系|通知|转告|告诉|交给|寄给|发给|转给|打给)(?=[\u4e00-\u9fff]{3,4}(?:[，,。；;、\s)）]|$|就|即|说|吧))"
)
_TITLE_START = re.compile(_HONORIFIC.pattern)
_PATIENT = re.compile(
    r"(?:患者|病人|患儿|病患|伤者|产妇|孕妇|就诊者|受检者|体检者|体检人|送检人|被保人|新生儿|当事人|老人)"
    r"(?:[:：\s]|为|是|叫)?"
)
# A bed number names its patient (3床杨帆的女儿); scanned only where 床 is.
_BED = re.compile(r"(?<!\d)\d{1,3}号?床(?:的)?")
_SELF = re.compile(r"(?:我是|我系|本人|家属|监护人|叫)[:：\s]*")
_NAMED = re.compile(
    r"(?:我叫|名叫|叫做|她叫|他叫|孩子叫|宝宝叫|我的名字是|名字叫|名字是|名字[:：]|姓名|户名|收件人|联系人|持卡人|投保人|被保险人|就诊人"
    r"|申请人|负责人|经办人|委托人|代理人|签字人|签名人|签收人|寄件人|取件人|填表人|报告人|紧急联系人|监护人|受托人|签名|签字|陪护|陪诊"
    r"|户主|开户名|开户人|账户名|署名|落款|此致[\s，,]*敬礼[！!，,。]?|小名叫?|乳名叫?|昵称|车主|房主|业主|收款人|付款人"
    r"|发票抬头(?:写着?|是|为)?|抬头(?:写着?|是|为)?|全名|大名叫?|中文名|本名|学名|备注了?|备注名)(?:[:：\s]|是|为)*"
)
_KIN_WORDS = (
    r"(?:孩子他爸|孩子他妈|孩他爸|孩他妈|老公|老婆|丈夫|妻子|爱人|媳妇|儿子|女儿|孩子|宝宝|母亲|父亲|妈妈|爸爸|我(?:爸爸|妈妈|姐姐|哥哥|弟弟|妹妹|爸|妈|姐|哥|弟|妹)|爷爷|奶奶"
    r"|外婆|外公|姥姥|姥爷|哥哥|姐姐|弟弟|妹妹|岳母|岳父|婆婆|公公|舅舅|姑姑|孙子|孙女|外孙|侄子|侄女|男朋友|女朋友|同事"
    r"|朋友|邻居|儿媳妇|儿媳|女婿|小姨|姨妈|舅妈|大姨|表哥|表姐|表弟|表妹|堂哥|堂姐|堂弟|堂妹|继母|继父|伯母|婶婶|嫂子"
    r"|姐夫|妹夫|弟媳|丈母娘|老伴儿?|未婚夫|未婚妻|室友|保姆|护工|闺女|外甥女?|我(?:先生|太太|对象|爱人)|对象|闺蜜|舍友|病友"
    r"|同学|领导|老板|上司|房东|干妈|干爹|养父|养母|前夫|前妻|老丈人|公婆|亲家|连襟|妯娌|发小|战友|老乡|表嫂|表叔|表姨|堂叔|嫂嫂|弟妹"
    r"|姑父|姨父|姑妈|姨夫|叔叔|阿姨|伯伯|宝妈|宝爸|孩子妈|孩子爸|孩他爸|孩他妈"
    r"|[大小]姑子|大伯子|小叔子|[大小]舅子|大姑姐|小姨子|配偶)"
)
# A kinship word and a name-giving verb (孩子爷爷叫…) introduce a name as surely as 我叫 does.
_KIN_CALLED = re.compile(_KIN_WORDS + r"(?:名叫|叫做|叫)[:：\s]?")
# (after 是 the name must fill its clause: 我爸是张国强， but not 我妈是高血压)
_KIN = re.compile(_KIN_WORDS + r"(?:(?P<is>\s?就?是)|[:：\s（(]?)")
# An English kinship word before a Chinese name, in mixed text ("My mom 陈美玲 在美国").
_EN_KIN_BEFORE_ZH = re.compile(
    r"\b(?:[Mm]y|[Oo]ur) (?:mom|mum|mother|dad|father|wife|husband|son|daughter|grandma|grandpa|sister|brother)[ :]?"
)
# A self-introduction with a qualifier (我是台北的林怡君, 我是3床的家属): the name must fill its clause.
_SELF_OF = re.compile(r"(?:我是|本人是)[\u4e00-\u9fff0-9]{1,8}?的")
# The words after which a name follows, and the surnames taken there: the rarer ones only after
# the words that introduce nothing but a name. (One pass each: their literal prefixes make every
# pass a fast scan, which one alternation of them all would lose.)
_CUES = (
    (_NAMED, _SURNAMES),
    (_KIN_CALLED, _SURNAMES),
    (_ROLE_CUE, _COMMON_SURNAMES),
    (_PATIENT, _COMMON_SURNAMES),
    (_KIN, _COMMON_SURNAMES),
    (_SELF, _COMMON_SURNAMES),
    (_HAND_TO, _COMMON_SURNAMES),
    (_SELF_OF, _COMMON_SURNAMES),
)
# A surname alone after 姓 (我姓王, 免贵姓张, 麻醉师姓万, 姓李的护士), not 姓名.
_SURNAME_ONLY = re.compile(
    "姓(?<=[\u4e00-\u9fff]姓)(?P<pii>"
    + "|".join(_COMPOUND_SURNAMES)
    + "|["
    + "".join(sorted(_SURNAMES))
    + r"])(?=[，,。；;！!？?\s的]|$)"
)
_ASCII_WORD = re.compile(r"[A-Z][a-z]")
_EN_TITLE_WORDS = (
    "doctor",
    "Dra",
    "Señor",
    "Signor",
    "Dott",
    "Senhor",
    "Doutor",
    "Mevrouw",
    "Meneer",
    "Mdm",
    "Madam",
    "Midwife",
    "Pharmacist",
    "Dietitian",
    "Physiotherapist",
    "Therapist",
    "Surgeon",
    "Consultant",
    "Counsel",
    "Paramedic",
    "Social Worker",
    "Physician Assistant",
    "PA ",
    "RN ",
    "Sr",
    "Mme",
    "Mlle",
    "Herr",
    "Frau",
    "Rev",
    "Pastor",
    "Imam",
    "Rabbi",
    "Sheikh",
    "doctor ",
    "nurse ",
    "dr.",
    "dr ",
    "Mr",
    "Ms",
    "Miss",
    "Mx",
    "Dr",
    "Prof",
    "Doctor",
    "Nurse",
    "NP",
    "Sister",
    "Matron",
    "Officer",
    "Aunt",
    "Uncle",
    "Grandma",
    "Grandpa",
    "Granny",
    "Nana",
    "Cousin",
    "aunt",
    "uncle",
    "cousin",
)
_EN_TITLE_GATE = _any_of(_EN_TITLE_WORDS)
_EN_NAME_WORD = (
    r"[A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĘĚĞĪİŁŃŇŌŐŒŘŚŞŠŢŤŪŮŰŹŻŽ\u1EA0-\u1EF8](?:[a-zà-öø-ÿā-ž\u1EA0-\u1EF9]+(?:[A-Z][a-zà-öø-ÿā-ž\u1EA0-\u1EF9]+)?"
    r"|'[A-Z][a-zà-öø-ÿā-ž]+)(?:-[A-ZÀ-ÖØ-Þa-z][a-zà-öø-ÿā-ž\u1EA0-\u1EF9]+)?"
)
# Between the words of a name: a space, and the particles of surnames (van der Berg, de la Cruz, bin Salman).
_EN_GAP = r"[ \t](?:[A-Z]\.[ \t])?(?:(?:van|von|de|der|den|da|di|du|del|della|dos|das|los|las|bin|ibn|al|el|le|la|ter|ten|Ó|Ní|Nic|Mac|Uí)[ \t]){0,2}"
_EN_TITLE = re.compile(  # (after a letter of another word, not after a Chinese one: 主治医生是Dr. Patel)
    r"(?<![A-Za-z0-9_])(?:Nurse Practitioner|Physician Assistant|Midwife|Pharmacist|Dietitian|Physiotherapist|Therapist|Surgeon|Consultant"
    r"|Counsell?or|Paramedic|Social Worker|(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Doctor|Nurse|NP|PA|RN|Sister|Matron|Officer"
    r"|Sr|Sra|Srta|Dra|Señora|Señor|Signora|Signor|Dott|Dottoressa|Senhora|Senhor|Doutora|Doutor|Mevrouw|Meneer"
    r"|Mme|Mlle|Mdm|Madam|Herr|Frau|Rev|Reverend|Pastor|Imam|Rabbi|Sheikh|dr|Aunt|Auntie|Aunty|Uncle|Grandma|Grandpa|Granny|Nana|Cousin)\.?|doctor|nurse"
    r"|aunt|auntie|aunty|uncle|cousin)\s+"
    r"(?!(?:Dr|Mr|Mrs|Ms|Prof|Doctor|Nurse)\b)"
    rf"(?P<pii>(?:[A-Z]\.\s?){{0,2}}(?:(?:van|von|de|der|den|da|di|du|del|della|le|la|al|el|Ó|Ní|Nic|Mac|Uí)\s){{0,2}}{_EN_NAME_WORD}"
    rf"(?:{_EN_GAP}{_EN_NAME_WORD})?)"
)
# A record's "SURNAME, Given" after its field name (Patient: SMITH, John; Name: Okafor, Ada).
# (the fields of a record or lab report that hold a name, in any case, a bracketed format after them)
_EN_NAME_FIELDS = (
    r"\b(?i:name|patient(?: name)?|pt|ordering|requesting|attending|referring|insured|subscriber|member)"
    r"(?:[ \t]*[(（][^()（）\n]{1,20}[)）])?[:.]"
)
_EN_CAPS_NAME_WORD = r"[A-Z][A-Z'’-]*[A-Z]"
_EN_SURNAME_FIRST = re.compile(
    rf"{_EN_NAME_FIELDS}\s*(?P<pii>(?:{_EN_CAPS_NAME_WORD}|{_EN_NAME_WORD}),\s(?:{_EN_CAPS_NAME_WORD}|{_EN_NAME_WORD})"
    # a second given name (NGUYEN, THI LAN), not the next field or a degree (SMITH, JOHN DOB: …; PATEL, ANIL MD)
    rf"(?:[ \t](?!(?:DOB|MRN|SEX|AGE|ID|NHS|DOA|D\.O\.B|MD|DO|RN|NP|PA|PHD|MBBS|FRCP)\b){_EN_CAPS_NAME_WORD}|\s[A-Z]\.)?)(?![\w'’])"
)
# "Surname, Given" in quotes, both in the census lists ("the receipt says 'Ramirez, Ana'").
_EN_QUOTED_SURNAME_FIRST = re.compile(
    rf"['‘\"“](?P<pii>(?P<surname>{_EN_NAME_WORD}),[ \t](?P<given>{_EN_NAME_WORD}))['’\"”]"
)
# A chat's speaker labels ("[09/04, 18:10] Maria: YES", "Rose：还没" read with a half-width colon,
# "Me (Hiroshi): he's 20kg").
_EN_SPEAKER = re.compile(
    rf"(?m)^(?:(?P<time>\[[^\]\n]{{1,30}}\])[ \t]*)?(?P<pii>{_EN_NAME_WORD})[ \t]*:(?=[ \t\u4e00-\u9fff])"
    rf"|\b(?:Me|me|I|i)[ \t]*\((?P<self>[A-Za-z][a-z]+)\)"
)
# Speakers of a chat that name a role, not a person.
_CHAT_ROLES = _word_set(
    "Me Q A Note Update Admin Bot System User Assistant Agent Reply Answer Question Subject You Us Them Him Her "
    "Husband Wife Mother Father Son Daughter Sister Brother Baby Child Kid Parent Partner Friend Family Group "
    "Caller Customer Client Receptionist Staff Teacher Coach Boss Host Guest Anonymous Unknown Guardian Carer"
)
# A person named in a group chat (@Rose 你家呢, @春梅 你家呢), not an email or a handle in an address.
_MENTION = re.compile(rf"(?<![\w.@])@(?P<pii>{_EN_NAME_WORD}|[\u4e00-\u9fff]{{2,3}})(?=[ \t\n,，:：]|$)")
_NOT_MENTIONED = _word_set("所有人 全体成员 大家 群主 客服 管理员 医生 护士 大夫 老师 主任")
# Cues after which only a full name (two capitalised words) is taken: "I'm Very Worried" is a sentence.
# Form fields (Student:, Member:, From:) only with their colon, and capitalised words opening a
# heading only with a colon or comma: "Member Services", "Patient Portal Access" name nobody.
_EN_INTRO = re.compile(
    r"(?:\b(?:(?:[Mm]y )?[Nn]ame(?: on (?:the )?(?:card|it|account|passport|file))?(?: is|:)?|patient|[Pp]atient[:,]|I am|I'm"
    r"|[Tt]his is|under|[Tt]hanks,|[Tt]hank you,|[Rr]egards,|[Aa]ttention|[Aa]ttn:?|[Ss]ubscriber:?|[Cc]ardholder:?"
    r"|(?:[Cc]ard ?|[Pp]olicy ?|[Aa]ccount )?[Hh]older:?|[Aa]sk for|named|called|signed|[Ss]igned[:,]|[Ss]incerely,|[Bb]est,|[Cc]heers,"
    r"|(?:[Cc]ontact|[Pp]arent|[Gg]uardian|[Cc]aregiver|[Ss]tudent|[Cc]hild|[Mm]ember|[Ii]nsured|[Ff]rom|[Tt]o):"
    r"|[Aa]ttention of|FAO|[Cc]/[Oo]|[Cc]are of|[Cc][Cc]:|[Bb]cc:|P[Tt][:.]|[Nn]ext of kin:?|[Cc]aller:|[Ww]itness:|[Ii]nformant:"
    r"|[Rr]eferred by|[Ww]ritten by|[Ss]ubmitted by|[Pp]repared by|[Cc]ompleted by|[Cc]ontact person:?|(?:Mom|Mum|Dad|Mother|Father|Husband|Wife|Son|Daughter|Spouse|Partner):"
    r"|[Pp]atient(?: name)? is|[Mm]y name,|[Ii]nsured(?: person| party)?:|[Pp]olicy ?holder:?|[Ii]ch hei(?:ß|ss)e|[Mm]ein Name ist"
    r"|[Jj]e m'appelle|[Mm]e llamo|[Ss]oy|[Mm]i nombre es|[Mm]i chiamo|[Mm]eu nome é|[Ii]k heet|[Jj]ag heter)|—|--)\s+"
    rf"(?P<pii>(?:[A-Z]\.[ \t]?){{1,2}}{_EN_NAME_WORD}|{_EN_NAME_WORD}{_EN_GAP}{_EN_NAME_WORD}"
    rf"(?:{_EN_GAP}{_EN_NAME_WORD}(?=\s*(?:[,.;:|/()]|$)))?)"
)
# A first name alone after a self-introduction ("I'm Sarah and …"), unless it is an adjective or a
# nationality written with a capital.
# A first name alone signing off at the very end ("… Thanks, Tom." / "— Grace").
_EN_SIGN_OFF = re.compile(
    r"(?:—|--|(?<!\S)-|\b(?:[Tt]hanks(?: again| so much)?|[Tt]hank you|[Mm]any thanks|(?:[Kk]ind|[Ww]arm|[Bb]est)? ?[Rr]egards"
    r"|[Bb]est(?: wishes)?|[Cc]heers|[Ss]incerely|[Yy]ours(?: truly| sincerely| faithfully)?|[Ll]ove|[Ss]igned|[Tt]ake care"
    r"|[Ww]ith thanks|[Rr]espectfully|[Bb]lessings),?)\s+"
    rf"(?P<pii>{_EN_NAME_WORD}(?:{_EN_GAP}{_EN_NAME_WORD})?)\s*[.!]?\s*$"
)
# A name greeted at the start of a message or line ("Dear Margaret,", "Hi Dr. Lee's nurse" aside).
_EN_GREETING = re.compile(
    rf"(?:^|\n|:[ \t])[ \t]*(?:Dear|Hi|Hello|Hey|Morning|Good (?:morning|afternoon|evening))[ \t]+"
    rf"(?P<pii>{_EN_NAME_WORD}(?:{_EN_GAP}{_EN_NAME_WORD})?)[ \t]*[,!:\n]"
)
# Forms of address that greet nobody by name ("Dear Sir,", "Hi Doc,").
_EN_ADDRESSED = _word_set(
    "Sir Sirs Madam Madame Ma'am Doctor Doc Dr Nurse Team All Everyone Everybody There Friends Folks Guys Diary"
)
# … or after "it's" in a follow-up ("hey it's Chris again").
_EN_SELF = re.compile(
    rf"\b(?:(?:I'm|I am|[Tt]his is)\s+|[Ii]t(?:'s| is)\s+(?={_EN_NAME_WORD}\s+(?:again|here)\b))"
    rf"(?P<pii>{_EN_NAME_WORD})(?![\w'’-]|\s[A-Z])"
)
# Common given names, taken alone only as the subject of a verb ("Mike has had a fever"); the ones that
# are also words or places (Will, May, Mark, Grace, Jordan, Virginia) are left out. Beyond the
# English-speaking world too: Nordic, German, Dutch, French, Italian, Spanish, Portuguese, Slavic, Greek,
# Turkish, Arabic, Persian, South Asian, African, East and South-East Asian given names.
_EN_GIVEN_NAMES = _word_set(
    "James John Robert Michael David Richard Joseph Thomas Charles Christopher Daniel Matthew Anthony "
    "Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Edward Ronald Timothy Jason Jeffrey Ryan "
    "Jacob Gary Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel Gregory "
    "Alexander Patrick Dennis Jerry Tyler Aaron Jose Adam Nathan Henry Douglas Zachary Peter Kyle Noah "
    "Ethan Jeremy Walter Keith Roger Terry Sean Gerald Carl Harold Dylan Arthur Lawrence Jesse Bryan "
    "Billy Bruce Gabriel Joe Alan Juan Albert Willie Elijah Wayne Randy Vincent Mason Roy Ralph Bobby "
    "Russell Bradley Philip Mike Chris Dave Tom Tony Steve Jim Bob Dan Ben Sam Matt Nick Josh Andy Alex "
    "Luke Liam Oliver Lucas Leo Jake Ahmed Mohammed Omar Ali Raj Arjun Wei Hiroshi Carlos Luis Miguel "
    "Diego Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty "
    "Sandra Margaret Ashley Kimberly Emily Donna Michelle Amanda Melissa Deborah Stephanie Dorothy "
    "Rebecca Sharon Laura Cynthia Amy Kathleen Angela Shirley Brenda Emma Anna Pamela Nicole Samantha "
    "Katherine Christine Helen Debra Rachel Carolyn Janet Maria Catherine Heather Diane Olivia Julie "
    "Joyce Ruth Lauren Kelly Christina Joan Evelyn Judith Andrea Hannah Megan Cheryl Jacqueline Martha "
    "Teresa Gloria Sara Janice Abigail Sophia Frances Alice Judy Isabella Julia Beverly Denise Marilyn "
    "Danielle Brittany Diana Natalie Sophie Chloe Mia Ava Lily Ella Zoe Kate Jenny Katie Beth Liz Jess "
    "Priya Fatima Aisha Mei Yuki Sofia Lucia Elena "
    "Lars Sven Erik Nils Olaf Anders Magnus Bjorn Ingrid Astrid Freya Sigrid Karin Annika Henrik Jens Mikael "
    "Hans Klaus Jurgen Dieter Stefan Wolfgang Matthias Lukas Felix Jonas Tobias Florian Katrin Anke Birgit "
    "Sabine Ulrike Heike Lena Leonie Johanna Greta Pieter Joost Sanne Femke Willem Pierre Jean Jacques Louis "
    "Antoine Mathieu Julien Nicolas Camille Manon Amelie Celine Sylvie Nathalie Isabelle Margaux Giulia "
    "Giuseppe Marco Luca Matteo Alessandro Francesca Chiara Alessia Paola Lorenzo Giovanni Javier Alejandro "
    "Pablo Sergio Jorge Manuel Antonio Francisco Rafael Fernando Alvaro Carmen Paula Marta Pilar Isabel "
    "Beatriz Ana Joao Tiago Thiago Gabriela Camila Valentina Mariana Fernanda Larissa Ivan Dmitri Sergei "
    "Alexei Nikolai Vladimir Olga Natasha Svetlana Irina Tatiana Anastasia Katarzyna Agnieszka Piotr Tomasz "
    "Krzysztof Pavel Petr Zuzana Nikos Giorgos Dimitris Eleni Mehmet Mustafa Emre Ayse Fatma Elif Zeynep "
    "Ahmet Hassan Hussein Ibrahim Khalid Yusuf Youssef Mahmoud Karim Tariq Samir Nadia Layla Leila Yasmin "
    "Amira Huda Salma Mariam Noor Reza Hamid Darius Shirin Parisa Arash Rahul Amit Vikram Sanjay Anil Sunil "
    "Ravi Rohan Aarav Vivek Suresh Deepak Ananya Divya Kavya Lakshmi Neha Pooja Anjali Sunita Meera Aditi "
    "Imran Bilal Usman Ayesha Zainab Chinedu Emeka Ngozi Chioma Oluwaseun Tunde Adebayo Kwame Kofi Abena "
    "Amara Fatou Moussa Mamadou Aminata Ousmane Thabo Sipho Zanele Wanjiru Njeri Haruto Takeshi Kenji "
    "Kenta Yuto Daiki Sakura Haruka Akiko Naoko Keiko Minji Jiwoo Seojun Jisoo Soojin Jimin Linh Minh "
    "Thanh Huong Tuan Somchai Siriporn Nattapong Putri Dewi Budi Siti Rizal Marisol Guadalupe Xavier Mateo "
    "Emiliano Ximena Renata Harold Walter Gordon Harvey Stanley Howard Louise Maureen "
    "Doreen Irene Agnes Edith Mildred Gladys Hilda Marcus Damian Colin Trevor Nigel Graham Ian Neil Owen "
    "Rhys Gareth Aidan Declan Ciaran Siobhan Niamh Aoife Fiona Moira Callum Hamish Finn Theo Oscar Hugo "
    "Archie Freddie Isla Imogen Harriet Eleanor Matilda Rosie Evie Ellie Maisie Esme Nora Dorothy "
    "Liam Megan Harry Charlie Freddy Ruby Becky Debbie Deb Jen Kathy Cathy Patty Peggy Sally Molly Abby Maddie "
    "Millie Nate Ricky Ron Ronnie Tim Timmy Jimmy Johnny Danny Kenny Teddy Eddie Alfie Reggie Carmen Rosa Gladys "
    "Priscilla Lucy Amir Jamal Tyrone Darnell Keisha Latoya Shanice Deshawn Funmi Lan Kenji Nadia Walter "
)
_EN_SUBJECT = re.compile(
    r"\b(?P<pii>[A-Z][a-z]+)\s+(?:has|had|is|was|says|said|keeps|kept|can't|cannot|won't|doesn't|didn't|isn't|wasn't"
    r"|gets|got|feels|felt|started|woke|took|takes|needs|wants|complains|complained|told|thinks|still|called|asked|went"
    r"|came|fell|became|began|seems|looks|mentioned|noticed|developed|tested|received|underwent|visited|saw|tried|stopped"
    r"|missed|lost|gained|will|would|should|could|also|just|never|always|often|usually|sometimes)\b"
)
# … or of a question about what a person may do ("Should Hannah go to school?", "Can Mateo take it?").
_EN_QUESTION_SUBJECT = re.compile(
    r"\b(?:Can|Could|Should|Does|Did|Will|Would|Must|May)\s+(?P<pii>[A-Z][a-z]+)\s+(?:take|have|get|go|need|use|eat"
    r"|drink|be|start|stop|keep|still|come|play|swim|fly|travel|return|wear|sleep|stay|see|do)\b"
)
# A given name set off by commas after a word for a patient or a child ("The baby, Amara, has …").
_EN_APPOSITION = re.compile(
    r"\b(?:[Tt]he|[Oo]ur|[Mm]y) (?:baby|patient|child|boy|girl|kid|toddler|newborn|infant|resident|client)[ \t]*,[ \t]*"
    rf"(?P<pii>{_EN_NAME_WORD})[ \t]*,"
)
# A full name alone on the last line (a signature), or before an age and sex ("Rachel Wong, 38F").
_EN_LAST_LINE = re.compile(rf"\n[ \t]*(?P<pii>{_EN_NAME_WORD}{_EN_GAP}{_EN_NAME_WORD})[ \t]*[.!]?\s*$")
_EN_HEADER = re.compile(
    rf"(?<![\w'])(?P<pii>{_EN_NAME_WORD}{_EN_GAP}{_EN_NAME_WORD}),\s*\d{{1,3}}(?:\s?(?:[MF]|yo|y/o|years? old)(?![\w/])|(?=\s*[,;)]))"
)
# A full name right before the birth date, age or record number that belongs to it
# ("Sarah Johnson (DOB 04/12/1980)", "Omar Haddad, MRN 33019284", "Ana Silva, aged 40").
_EN_BEFORE_IDENTIFIER = re.compile(
    rf"(?<![\w'])(?P<pii>{_EN_NAME_WORD}{_EN_GAP}{_EN_NAME_WORD})\s*[(,;]\s*(?:DOB|D\.O\.B|born|[Aa]ged?|MRN|NHS|SSN)\b"
)
_IDENTIFIER_AFTER = re.compile(r"[(,;]\s*(?:DOB|D\.O\.B|born|[Aa]ged?|MRN|NHS|SSN)\b")
_RECORD_FIELD = re.compile(_EN_NAME_FIELDS)
# "It's Olivia Park again", "— it's Kevin O'Brien, about …": a name after "it's" that ends its phrase.
_EN_ITS = re.compile(
    rf"\b[Ii](?:t(?:'s|’s| is)|ts)\s+(?:me,?\s+)?(?P<pii>{_EN_NAME_WORD}(?:{_EN_GAP}{_EN_NAME_WORD})?)"
    r"(?=\s+(?:again|here|calling|speaking)\b|\s*[,—–]|\s+-\s)"
)
# A full name before a possessive ("Fatou Diallo's pain"), unless an eponym or a place follows.
# (found from the possessive back, so the pattern runs only where one is)
_EN_POSSESSIVE = re.compile(
    r"['’]s\s+(?!(?:disease|syndrome|palsy|lymphoma|sarcoma|ulcer"
    r"|sign|test|law|criteria|classification|scale|score|reflex|phenomenon|triad|maneuver|manoeuvre|procedure|operation"
    r"|fracture|hospital|clinic|cent(?:er|re)|university|college|school|institute|church|park|station|airport|wort)\b)"
)
_EN_FULL_NAME_AT_END = re.compile(rf"(?<![\w'’]){_EN_NAME_WORD}{_EN_GAP}{_EN_NAME_WORD}\Z")
# "Patient Lars Eriksson" (no colon): a full name only where the first word is a given name, since
# "Patient Portal Access" names nobody.
_EN_PATIENT = re.compile(rf"\bPatient\s+(?P<pii>{_EN_NAME_WORD}{_EN_GAP}{_EN_NAME_WORD})")
# A name in lower case after a kinship word ("my wife jessica nguyen is …"), taken only where its first
# word is a given name; a second word joins unless it is an ordinary word.
# A name in lower case after "name" (dob 7/4/62, name tom becker, …).
_EN_NAME_LOWER = re.compile(
    r"\bname(?:[ \t]+is)?[:\s]+(?P<pii>[a-z]{2,}(?:[ \t][a-z]{2,})?)(?=[ \t]*(?:[,.;]|$))"
)
_EN_KIN_LOWER = re.compile(
    r"\b(?:(?:my|our|his|her) (?:(?:sister|brother|mother|father|son|daughter)[ -]in[ -]law|wife|husband|son|daughter|mum|mom|mother|father|dad|brother|sister|partner|boyfriend"
    r"|girlfriend|friend|grandma|grandpa|aunt|uncle|cousin|baby|kid|child|nephew|niece|grandson|granddaughter|flatmate"
    r"|roommate|housemate|fianc[ée]e?)(?:\s+(?:is|was))?|my name is|name:|i'm|i am|this is),?\s+"
    r"(?P<pii>[a-z]+(?:-[a-z]+)?(?:\s[a-z]+(?:['’][a-z]+)?){0,2})\b"
)
# Lower-case cues in a message that is otherwise capitalised: "its emily wang here", "hi dr chen, …".
_EN_LOWER_HERE = re.compile(
    r"\b(?:its|it's|it’s|this is|im|i'm)\s+(?:me,?\s+)?(?P<pii>[a-z]+(?:-[a-z]+)?(?: [a-z]+)?)\s+(?:here|again)\b"
)
_EN_LOWER_TITLE = re.compile(
    r"(?:^|\b(?:hi|hello|hey|dear)\s+)(?:dr|doc|doctor)\.?\s+(?P<pii>[a-z]{2,})(?=\s*[,!:])"
)
# A record field's name with its SURNAME in capitals first (name CHAN Tai Man, Insured: WONG Ka Yan).
_EN_CAPS_SURNAME = re.compile(
    r"\b(?:[Nn]ame|[Pp]atient|[Ii]nsured(?: person)?|[Hh]older|[Mm]ember)[:\s]\s*(?P<pii>[A-Z]{2,}(?: [A-Z][a-z]+){1,2})(?![\w'’])"
)
# A full name closing a message after its last sentence ("… Should I worry? Linda Park").
_EN_CLOSING_NAME = re.compile(
    rf"[.!?),][ \t]+(?P<pii>{_EN_NAME_WORD}{_EN_GAP}{_EN_NAME_WORD})[ \t]*[.!]?\s*$"
)
# A given name in lower case signing off a message ("thx, mike", "- sam").
_EN_LOWER_SIGN_OFF = re.compile(
    r"(?:\b(?:thx|thanks|thank you|ty|cheers|regards|best|love)[,!]?[ \t]+|(?:^|\s)(?:-|—|--)[ \t]*)(?P<pii>[a-z]{2,})[ \t]*[.!]?\s*$"
)
# A full name opening a sentence before a comma ("… 487216593. Michael Johnson, need …"), its first
# word a given name.
_EN_SENTENCE_NAME = re.compile(rf"(?:^|[.!?][ \t]+)(?P<pii>{_EN_NAME_WORD}{_EN_GAP}{_EN_NAME_WORD}),")
# A third word of a name (Tan Wei Ming, Rajesh Kumar Iyer, Lam Siu Fong) joins a two-word name it follows.
_EN_NAME_SUFFIX = re.compile(r"(?:(?<=Jr)|(?<=Sr))\.|[ \t](?:Jr|Sr)\.?(?!\w)")
_EN_THIRD_WORD = re.compile(rf"{_EN_GAP}(?P<pii>{_EN_NAME_WORD})(?![\w'’-])")
# A foreign name after a Chinese cue, a kinship word or a word for a foreigner (我叫Kevin Zhang, 联系人：Anna
# Lee, 同事Priya Sharma在…, 留学生Chukwuemeka Obi发烧, 朋友김민준, 同事Наталья), in Latin, Hangul or Cyrillic.
_ZH_CUE_EN_NAME = re.compile(
    rf"(?:我叫|我是|名叫|叫做|姓名|联系人|患者|病人|家属|留学生|外教|老外|外籍|{_KIN_WORDS})[:：\s]*"
    rf"(?:(?P<pii>{_EN_NAME_WORD}(?:{_EN_GAP}{_EN_NAME_WORD})?)(?![A-Za-z0-9'’])"
    r"|(?P<script>[가-힣]{2,4}(?![가-힣])|[А-ЯЁ][а-яё]+(?:[ \t][А-ЯЁ][а-яё]+)?(?![А-Яа-яЁё])))"
)
# A first name before a possessive kinship word opening a message or sentence, the writer's own
# label ("Sophie's mum here - …"); inside a sentence ("I am John's mother") it is left alone.
_EN_POSSESSIVE_KIN = re.compile(
    rf"(?:^|(?<=[.!?\n])\s*)(?P<pii>{_EN_NAME_WORD})['’]s"
    r" (?:mum|mom|dad|mother|father|wife|husband|son|daughter|sister|brother|aunt|uncle|niece|nephew|cousin|guardian"
    r"|grandma|grandpa|grandmother|grandfather|partner|carer|caregiver|parents?)\b"
)
# A census given name after a person's role in the writer's life ("my flatmate Ollie", "my therapist Renée").
_EN_ROLE_NAME = re.compile(
    r"\b(?:[Mm]y|[Oo]ur|[Hh]is|[Hh]er) (?:flatmate|roommate|housemate|colleague|coworker|co-worker|boss|therapist"
    r"|counsell?or|physio|trainer|coach|teacher|best friend|bestie|mate|classmate|landlord|landlady|carer|nanny|tutor)"
    rf",?\s+(?P<pii>{_EN_NAME_WORD}(?:{_EN_GAP}{_EN_NAME_WORD})?)"
)
# Initials and a surname (J. R. Whitcombe is my GP, pt T. Abernathy 67M, M. Fontaine-Dubois, née …): the
# surname in the census or hyphenated, and a verb, an age, a comma or a record word after it.
_EN_INITIALS_NAME = re.compile(
    rf"(?<![\w.])(?P<pii>(?:[A-Z]\.[ \t]?){{1,2}}(?P<surname>{_EN_NAME_WORD}))"
    r"(?=[ \t]+(?:is|was|has|had|says|said|asks?|wants|DOB|born|\d{1,3}[ \t]?[MF]\b|\d{1,3}[ \t]?(?:yo|y/o)\b)|,|[ \t]*$)"
)
# A given name standing for a patient by its place: before an age ("Priya, 34, pregnant", "Daniel (42M)"),
# after a subject line's words ("Re: Jacob -", "Update on Harper:"), as its own sentence before a birth
# date or age ("Ok so Maya. Born …"), before "he's / she's" ("It's for Aiden, he's 3"), in brackets
# after a kinship word ("Dad (Frank) is 80").
_EN_GIVEN_BY_PLACE = re.compile(
    rf"(?<![\w'’.-])(?P<pii>{_EN_NAME_WORD})(?:,[ \t]*\d{{1,3}}[ \t]?(?:[MFmf]\b|yo\b|y/o|,)|[ \t]*\(\d{{1,3}}[ \t]?[MFmf]?\)"
    r"|\.[ \t]+(?:Born|DOB|Aged?)\b|,?[ \t]+(?:he|she)(?:['’]s|[ \t]is|[ \t]was|[ \t]has)\b)"
    rf"|\b(?:Re|RE|Update on|Question about|Regarding|About)[: \t]+(?P<subject>{_EN_NAME_WORD})(?=[ \t]*(?:[-–—:]|$))"
    rf"|\b(?:Dad|Mom|Mum|Mother|Father|Grandma|Grandpa|Nan|Gran)[ \t]*\((?P<kin>{_EN_NAME_WORD})\)"
)
# A given name after a kinship word or a self-introduction in Spanish, French, German, Italian, Portuguese
# or Dutch ("mi hijo Mateo", "ma fille Chloé", "meine Tochter Lena", "Me llamo Ana", "Je suis Marie,").
_EU_KIN_NAME = re.compile(
    r"\b(?:[Mm]i|[Mm]is|[Ss]u|[Mm]on|[Mm]a|[Mm]es|[Ss]on|[Ss]a|[Mm]eine?|[Uu]nsere?|[Mm]i[oa]|[Mm]eu|[Mm]inha|[Mm]ijn|[Oo]nze)[ \t]"
    r"(?:hij[oa]|espos[oa]|marido|mujer|madre|padre|mamá|papá|herman[oa]|abuel[oa]|novi[oa]|niet[oa]|sobrin[oa]"
    r"|fils|fille|mari|femme|mère|père|frère|s(?:œ|oe)ur|copain|copine|grand-mère|grand-père|neveu|nièce"
    r"|Tochter|Sohn|Frau|Mann|Mutter|Vater|Bruder|Schwester|Oma|Opa|Enkelin|Enkel|Freundin|Freund"
    r"|figli[oa]|marito|moglie|fratello|sorella|nonn[oa]|nipote|filh[oa]|mãe|pai|irmã|irmão|avó|avô"
    r"|zoon|dochter|vrouw|man|moeder|vader|broer|zus|oma|opa)[ \t,]+"
    r"(?P<pii>[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+(?:-[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+)?)(?![\w'’])"
    r"|\b(?:[Mm]e llamo|[Jj]e m'appelle|[Jj]e suis|[Ii]ch heiße|[Ii]ch heisse|[Ii]ch bin|[Mm]i chiamo|[Ss]ono|[Ss]oy|[Ee]u sou"
    r"|[Mm]eu nome é|[Ii]k heet|[Ii]k ben)[ \t]+(?P<self>[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+)(?![\w'’])"
)
# A given name alone in a form's name field (Patient: John, Child's name: Leo, Emergency contact: Mike
# (brother), Caller's name is Tracy), ending its field.
_EN_FIELD_GIVEN = re.compile(
    r"(?i:\b(?:(?:child|patient|caller|mother|father|baby|son|daughter|kid|parent|partner)['’]s[ \t]+)?name(?:[ \t]+is)?"
    r"|\bpatient|\bpt|\b(?:emergency[ \t]+)?contact(?:[ \t]+person)?|\bcaller|\bnext of kin|\bguardian|\battn|\battention"
    r"|\bchild|\bbaby|\bson|\bdaughter)"
    rf"[ \t]*[:：-]?[ \t]+(?P<pii>{_EN_NAME_WORD})(?=[ \t]*(?:[,.;(\n]|$))"
)
# A card holder's name in capitals (name on card: PRIYANKA R SHARMA), not a note printed there (SEE BACK).
_EN_CARD_HOLDER_CAPS = re.compile(
    r"(?:[Nn]ame on (?:the )?(?:card|account)|[Cc]ard ?holder(?: name)?|[Aa]ccount (?:holder|name))[ \t]*:?[ \t]+"
    rf"(?P<pii>{_EN_CAPS_NAME_WORD}(?:[ \t][A-Z]\.?)?(?:[ \t]{_EN_CAPS_NAME_WORD}){{1,2}})(?![\w'’])"
)
_CARD_NOTES = _word_set("See Back Valid Thru Signature Card Not Authorized Same As Above Unknown")
# A given name before a possessive symptom, result, visit or identifier ("Mom: Ben's fever is 38.5", "Zoe's
# rash", "Wei's SSN"): the noun is a person's, so the word is a name (eponyms take disease, sign, syndrome …).
_EN_POSSESSIVE_CARE = re.compile(
    rf"(?<![\w'’-])(?P<pii>{_EN_NAME_WORD})['’]s (?:fever|temp|temperature|rash|cough|asthma|eczema|bloods|blood (?:test|sugar|pressure)"
    r"|results?|appointment|appt|follow-up|check-?up|meds|medicine|medication|dose|weight|height|pain|symptoms|diagnosis"
    r"|surgery|vaccines?|jabs?|shots?|inhaler|ear|eyes?|throat|tummy|stomach|knee|back|chest|nappy|diaper|allergy|allergies"
    r"|SSN|social security|ID|passport|insurance|policy|Medicare|NHS|MRN|chart|records?|DOB|date of birth|birthday"
    r"|phone|cell|mobile|email|address|card)\b"
)
# A full name standing alone in the clause right after an identifier ("passport no. 5940…, Hannah
# Schmidt, …"), or in the clause before the one holding it ("Fatima Ali, passport number 8025…").
_EN_CLAUSE_AFTER = re.compile(
    rf"[ \t]*(?:\([^()]{{0,20}}\))?[ \t]*[,;][ \t]*(?P<pii>{_EN_NAME_WORD}{_EN_GAP}{_EN_NAME_WORD})"
    r"(?=[ \t]*(?:[,;.)]|$|\s[-–—]\s))"
)
_EN_CLAUSE_BEFORE = re.compile(rf"(?:^|[,;\n.]\s*)(?P<pii>{_EN_NAME_WORD}{_EN_GAP}{_EN_NAME_WORD}),[^,;\n]*$")
# … or right before it, with nothing but a colon, dash, bracket or "at"/"on" between
# ("call Mary Jones at 617-…", "Tom Lee: 07700 …", "John Smith (555) 123-…").
_EN_RIGHT_BEFORE = re.compile(
    rf"(?<![\w'’])(?P<pii>{_EN_NAME_WORD}{_EN_GAP}{_EN_NAME_WORD})(?:[ \t]*[,:(–—-][ \t]*|[ \t]+(?:at|on)[ \t]+|[ \t]+)\Z"
)
_EN_NOT_FIRST_NAMES = {
    "English",
    "British",
    "American",
    "Canadian",
    "Australian",
    "Chinese",
    "Indian",
    "Irish",
    "Scottish",
    "Welsh",
    "French",
    "German",
    "Spanish",
    "Italian",
    "Japanese",
    "Korean",
    "Mexican",
    "Catholic",
    "Muslim",
    "Jewish",
    "Christian",
    "Hindu",
    "Vegan",
    "Vegetarian",
    "Diabetic",
    "Asthmatic",
    "Epileptic",
    "Allergic",
    "Positive",
    "Negative",
    "Okay",
    "Ok",
    "Fine",
    "Home",
    "Back",
    "Done",
    "Sure",
    "Unsure",
    "Afraid",
}
# A writer naming themself at the start of a message ("Sarah here, …", "Hi, Tom here -").
_EN_HERE = re.compile(
    rf"^\s*(?:(?:Hi|Hello|Hey)[,!]?\s+)?(?:it's\s+|[Ii]t’s\s+)?(?P<pii>(?![A-Z][a-z]+ing\b){_EN_NAME_WORD}(?:{_EN_GAP}{_EN_NAME_WORD})?)\s+here"
    r"(?=\s*(?:[,.!:;(]|[-–—]\s)|\s+again\b)"
)
_EN_NAME_IS = re.compile(
    rf"\b(?:[Mm]y|[Hh]is|[Hh]er|[Tt]heir|[a-z]+['’]s) name(?: is|'s|’s)\s+(?P<pii>{_EN_NAME_WORD}(?:{_EN_GAP}{_EN_NAME_WORD})?)"
)
_EN_KIN = re.compile(
    r"\b(?:[Mm]y|[Oo]ur|[Hh]is|[Hh]er|[Yy]our) (?:(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)[- ](?:year|yr|month|week)s?[- ]old"
    r" |little |older |younger |eldest |oldest |youngest |baby |twin |teenage |elderly |late )?"
    r"(?:wife|husband|son|daughter|mum|mom|mother|father|dad|brother|sister|grandma|boy|girl|kid|toddler|nan|nana|gran"
    r"|granny|grandad|granddad|hubby"
    r"|grandmother|grandpa|grandfather|aunt|uncle|partner|boyfriend|girlfriend|fianc[ée]e?|friend|neighbou?r|cousin"
    r"|nephew|niece|baby|child|carer|caregiver|grandson|granddaughter|spouse|stepson|stepdaughter|stepmother"
    r"|stepfather|(?:mother|father|sister|brother|son|daughter)-in-law)(?:,?\s+|\s*\()"
    rf"(?P<pii>{_EN_NAME_WORD}(?:{_EN_GAP}{_EN_NAME_WORD})?)"
)
_EN_NOT_NAMES = {
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
    "Very",
    "Really",
    "So",
    "Not",
    "Just",
    "Also",
    "Still",
    "Feeling",
    "Worried",
    "Scared",
    "Afraid",
    "Sick",
    "Tired",
    "Sorry",
    "Pregnant",
    "Taking",
    "Going",
    "Having",
    "Getting",
    "Trying",
    "Currently",
    "Always",
    "Now",
    "Concerned",
    "Confused",
    "Calling",
    "Writing",
    "About",
    "From",
    "For",
    "To",
    "Of",
    "Dr",
    "Prof",
    "Professor",
    "Mr",
    "Mrs",
    "Ms",
    "Mdm",
    "Madam",
    "Doctor",
    "Nurse",
    "Please",
    "Thanks",
    "Thank",
    "Hi",
    "Hello",
    "Dear",
    "Patient",
    "This",
    "That",
    "It",
    "He",
    "She",
    "They",
    "We",
    "You",
    "Your",
    "Our",
    "Their",
    "His",
    "Her",
    "New",
    "Old",
    "Good",
    "Bad",
    "Emergency",
    "Urgent",
    "Care",
    "Hospital",
    "Clinic",
    "Medical",
    "Health",
    "Insurance",
    "Card",
    "Number",
    "Chest",
    "Pain",
    "Heart",
    "Blood",
    "Pressure",
    "Diabetes",
    "Cancer",
    "Type",
    "Stage",
    "Covid",
    "Day",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Mayo",
    "Google",  # "Dr. Google"
    "Siri",  # voice assistants ("Hey Siri, …")
    "Alexa",
    "Cortana",
    "Nobody",
    "Somebody",
    "Someone",
    "Anyone",
    "Everyone",
    "Everybody",
    # sign-off phrases and place or insurer names that look like a full name ("Best Regards",
    # "Los Angeles", "Blue Cross")
    "Best",
    "Kind",
    "Warm",
    "Warmest",
    "Many",
    "Regards",
    "Wishes",
    "Yours",
    "Happy",
    "Los",
    "Las",
    "San",
    "Santa",
    "Hong",
    "United",
    "North",
    "South",
    "East",
    "West",
    "Saint",
    "St",
    "Fort",
    "Port",
    "Mount",
    "Lake",
    "Blue",
    "Cross",
    "Shield",
    "Kaiser",
    "Medicare",
    "Medicaid",
    "Down",
    "Will",
    # the words of departments, desks and forms that follow "From:", "Attn:", "Thanks," ("Front Desk",
    # "Customer Service", "Billing Dept", "Consent Form", "Joint Account")
    "Service",
    "Services",
    "Desk",
    "Office",
    "Department",
    "Dept",
    "Team",
    "Records",
    "Record",
    "Consent",
    "Form",
    "Forms",
    "Account",
    "Billing",
    "Admissions",
    "Reception",
    "Pharmacy",
    "Support",
    "Customer",
    "Front",
    "Centre",
    "Center",
    "Unit",
    "Group",
    "Staff",
    "Intake",
    "Portal",
    "Visa",
    "Joint",
    "Finance",
    "Appointments",
    "Appointment",
    "Line",
    "Hotline",
    "Helpline",
    "Advice",
    "Booking",
    "Enquiries",
    "Inquiries",
    "Scheduling",
    # verbs and kinship words that stand before a phone or email ("Text Mom at …", "Call Dad on …")
    "Text",
    "Call",
    "Email",
    "Ring",
    "Phone",
    "Contact",
    "Mom",
    "Mum",
    "Dad",
    # kinship words used as titles ("Aunt Bettina", "Grandma Rose": the name is the word after)
    *_word_set("Aunt Auntie Aunty Uncle Grandma Grandpa Granny Nana Cousin Sister"),
    # suffixes, which follow a name without being one
    *_word_set("Jr Sr II III IV"),
    # professions, which follow one another ("the Consultant Surgeon said")
    "Surgeon",
    "Consultant",
    "Physician",
    "Practitioner",
    "Assistant",
    "Midwife",
    "Pharmacist",
    "Therapist",
    "Specialist",
    "Registrar",
    "Resident",
    "Intern",
    "Paramedic",
    "Worker",
    # countries and regions, which open a message like a name does ("Singapore here.")
    *_word_set(
        "Singapore Malaysia Canada America Australia Britain England Scotland Wales Ireland India Pakistan China "
        "Taiwan Japan Korea Thailand Vietnam Philippines Indonesia Germany France Spain Italy Portugal Netherlands "
        "Belgium Switzerland Austria Sweden Norway Denmark Finland Poland Russia Ukraine Turkey Israel Egypt Nigeria "
        "Kenya Ghana Mexico Brazil Argentina Chile Peru Colombia Dubai London Toronto Sydney Melbourne Beijing Shanghai"
    ),
    # question and modal words that open a sentence after a title-like word ("… her doctor. Can I …")
    "Said",
    "Have",
    "Has",
    "Says",
    "Told",
    "Asked",
    "Can",
    "Could",
    "Should",
    "Would",
    "Did",
    "Does",
    "Do",
    "Are",
    "What",
    "Why",
    "How",
    "When",
    "Where",
    "Which",
    "Who",
}
# The hand list above holds names of many countries; the census lists add the long tail of given
# names for capitalised text (lower-case rules keep the hand list: "will", "may", "mark" are words).
_EN_CAPITALISED_GIVEN = _EN_GIVEN_NAMES | (english_given_names() - _EN_NOT_NAMES)
# Given names that are also English words: at a sentence's start or before a capitalised word they
# are read as a name only before a census surname ("Will Smith", not "Will Tylenol").
_EN_WORD_GIVEN = _word_set(
    "Will May Mark Bill Hope Grace Faith Mercy Joy Rose June April August Frank Art Guy Rich Sue Pat Don Dawn "
    "Summer Autumn Ivy Iris Lily Daisy Holly Heather Ruby Pearl Crystal Amber Jade Sky Star Sunny Chance "
    "Major Earl Duke King Prince Royal Rusty Sandy Carol Christian Norman Gene Sterling Miles Wade Price "
    "Page Reed Lane Dale Glen Cliff Rocky Stone Forest Brook Ray Bud Buck Chase Hunter Mason Tucker Cash "
    "Kit Jack Drew Lou Al Ed Harry Max Young Long Love Gay Jan Jean Marine Dusty Misty Candy Honey Melody "
    "Harmony Destiny Trinity Paris Georgia Virginia Carolina Florence Austin Dallas Jordan Cherry Ginger "
    "Kay Lee Ash Bo Cody Roman Ocean River Rain Storm Early Ma Pa Mo Doc Nurse Patient Baby Lucky Sonny "
    # and places ("Santiago is hot")
    "Santiago Lima Houston Phoenix Denver Orlando Salem Israel India China Kenya America Asia Africa Europe "
    "Brooklyn Helena Augusta Raleigh Camden Trenton Lincoln Vienna Geneva Adelaide Victoria Aurora Regina "
    "Savannah Sydney Dakota Montana Nevada Alberta Columbia Chelsea Jersey"
)
# Given names a capitalised word may be read as on its own ("Brenda has …"): hand list and census, less word-like ones.
_EN_SAFE_GIVEN = _EN_GIVEN_NAMES | (_EN_CAPITALISED_GIVEN - _EN_WORD_GIVEN)
# A given name and a capitalised word that follow them without naming a person (a hospital, a street,
# an eponymous disease, a saint: "Mary Washington Hospital", "Lou Gehrig's disease", "St. John Street").
_EN_NAME_THEN_PLACE = re.compile(
    r"[ \t]+(?:Hospital|Clinic|Medical|Center|Centre|Health|Healthcare|University|College|School|Institute"
    r"|Foundation|Memorial|Children|General|Regional|Community|Cancer|Heart|Eye|Street|St|Road|Rd|Avenue|Ave"
    r"|Boulevard|Blvd|Lane|Ln|Drive|Dr|Way|Court|Ct|Place|Square|Park|Station|Airport|County|City|Hall"
    r"|Library|Church|Pharmacy|Labs?|Laboratory|Group|Associates|Practice|Surgery|Syndrome|Disease|Palsy"
    r"|Test|Scale|Score|Method|Diet|Plan|Insurance|Care|Inc|LLC|Ltd|Manual|Guide|Protocol|Criteria|Classification"
    r"|Questionnaire|Index|Formula|Equation|Rule|Technique|Procedure|Maneuver|Manoeuvre|Sign|Trial|Study|Report)\b|['’]s[ \t]+(?:disease|syndrome|palsy|sign|law)"
)
_EN_PLACE_BEFORE = re.compile(
    r"(?:\b(?:St|Saint|San|Santa|Mount|Mt|Lake|Fort|Port|Cape|Sao|São|Los|Las)\.?|[A-Z][a-z]+)[ \t]$"
)
_EN_LEXICON_NAME = re.compile(
    rf"(?<![A-Za-z0-9_À-ÿ'’.@/-])(?P<pii>(?P<given>[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+(?:-[A-Za-z][a-zà-öø-ÿ]+)?){_EN_GAP}(?P<surname>{_EN_NAME_WORD}))(?![\w'’@-]|\.\w)"
)
# Words right before a name that say a person is named ("Patient is Grace Adeyemi", "for May Okafor").
_EN_CUE_BEFORE = re.compile(
    r"\b(?:is|named|called|name|patient|pt|for|with|to|from|by|attn|dear|hi|hello|thanks|and|Patient|Pt|Name|Dear|Hi)[:,]?[ \t]+$"
)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n]|[\-—–])[ \t\"“(]*$")
# Fields that hold a person's full name, whatever the name's origin (owner Deepika Iyer).
_EN_OWNER_NAME = re.compile(
    r"\b(?:[Oo]wner|[Cc]ard ?holder|[Aa]ccount holder|[Pp]olicy ?holder|[Ss]ubscriber|[Ii]nsured(?: person)?|[Bb]eneficiary"
    r"|[Gg]uardian|[Dd]ependent|[Ss]pouse|[Nn]ext of kin|[Ee]mergency contact|[Rr]egistered to|[Aa]ttn)[:.]?[ \t]+"
    rf"(?P<pii>{_EN_NAME_WORD}{_EN_GAP}{_EN_NAME_WORD})(?![\w'’@-])"
)
_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")
_LOWER_CUE_GATE = _any_of(("my ", "our ", "his ", "her ", "name", "i'm", "i am", "this is"))
# Ordinary words that follow a name written in lower case ("my wife jessica is …").
_EN_LOWER_WORDS = _word_set(
    "is was has had and who with in on at for to of the a an says said got gets took takes just also "
    "still now keeps can cant can't won't will would should could did does do been being have feels felt "
    "started woke needs wants complains told thinks seems looks isn't wasn't doesn't didn't hasn't since "
    "after before because but or so then when while it he she they we i me my her his our your their age "
    "aged yo years year months weeks days pregnant both all are were r "
    # and the chat words that end a message or a clause ("its maria again", "i'm jessica btw")
    "again here btw lol haha pls please thanks thx fyi tho though asap ok okay yeah yes no too "
)
# Words after a lower-case name that end it (… kenji hes 12, margaret ann o'brien dob 5/6/71).
_EN_LOWER_AFTER_NAME = _word_set("hes shes he's she's dob born turned turns aka")
# A short clause that is only a name, beside a contact detail ("韩雪，电话…", "…@qq.com，高阳，").
# Characters around a clause that may be a bare name.
_CLAUSE_EDGE = set("，,、。；;：:！! （()）—")
_CONTACT_TYPES = {
    "PHONE",
    "EMAIL",
    "URL",
    "ID_NUMBER",
    "BANK_CARD",
    "PASSPORT",
    "MEDICAL_RECORD",
    "INSURANCE",
}
_CONTACT_AFTER = re.compile(r"[，,]\s*(?:电话|手机|邮箱|微信|身份证|地址|住址|联系)")
_PATIENT_HEADER = re.compile(r"(?:[，,、\s]+|[（(])(?:男性|女性|男|女|\d{1,3}岁)(?=[，,、。；;\s)）]|$)")
_THANKS = re.compile(r"(?:谢谢|多谢|感谢)[^，,。；;！!]{0,4}[！!，,。\s]*$")
# A full name before 的 + a kinship word or a record of theirs (王芳的妈妈, 黄晓明的报告), when it starts a phrase.
_BEFORE_KIN = re.compile(
    r"的(?=妈妈|爸爸|母亲|父亲|儿子|女儿|老公|老婆|丈夫|妻子|家属|孩子|宝宝|爷爷|奶奶|报告|化验单|检查|病历|片子|体检|处方|结果)"
)
# A full name opening a clause before an age (张秀英今年70岁, 王建国65岁).
_BEFORE_AGE = re.compile(r"今年|\d{1,3}岁")
# A name signing off after a dash or a sentence's end (…留言。魏红 / —— 小林, 老王).
_SIGN_OFF_START = re.compile(r"[。！!？?\n][ \t]*$")
_DASH_START = re.compile(r"(?:——|—|--|-)[ \t]*$")
_DASH_NICKNAME = re.compile(
    "(?:——|—|--|-)[ \t]*(?P<pii>[小老][" + "".join(sorted(_COMMON_SURNAMES)) + "]"
    # … or 小 / 阿 and a given-name character (——小芳, - 阿强)
    "|[小阿][" + "".join(sorted(CHINESE_GIVEN_CHARACTERS)) + "])[ \t。.！!]*$"
)
# A nickname given by 叫 / 小名: a doubled character (乐乐, 豆豆) or 小 / 阿 and one character (小宇, 阿强),
# filling its clause; doubled kinship words and adverbs (妈妈, 天天, 慢慢) name nobody.
_NICKNAME = re.compile(r"(?:([\u4e00-\u9fff])\1|[小阿][\u4e00-\u9fff])(?=[，,。；;！!、\s)）]|$)")
_NOT_NICKNAMES = _word_set(
    "妈妈 爸爸 哥哥 姐姐 弟弟 妹妹 爷爷 奶奶 姥姥 姥爷 婆婆 公公 叔叔 伯伯 舅舅 姑姑 宝宝 天天 常常 刚刚 慢慢 偷偷 渐渐 "
    "仅仅 往往 好好 多多 大大 小小 人人 个个 样样 时时 处处 统统 哈哈 嘿嘿 呵呵 嗯嗯 啊啊 疼疼 痛痛 小孩 小心 小时 小便 小儿 "
    "小学 小姐 小伙 阿姨 阿婆 阿公 阿伯 阿叔 小腿 小腹 小肠 小区"
)
# A name spelt in capitals after the word for its pinyin (名字拼音写 WANG XIAOMING).
_TWO_LATIN_LETTERS = re.compile(r"[A-Za-z][a-z]|[A-Z]{2}")
_PINYIN_NAME = re.compile(
    r"拼音(?:名|名字)?(?:写|是|为)?[:：\s]*(?P<pii>[A-Z]{2,}(?: [A-Z]{2,}){1,2})(?![A-Za-z])"
)
# Characters after which a phrase (and a full name in it) may start: punctuation, and verbs that
# address or name someone (请转告刘建华医生, 问一下周志强主任, 谢谢王丽护士).
_NAME_LEAD = set("，,。；;：:、 （(是给帮替为和跟与找叫我请问让向由被告诉下到见谢约挂看科了")


@dataclass(frozen=True)
class PiiSpan:
    type: str
    start: int
    end: int
    text: str


def _id_checksum_ok(number: str) -> bool:
    number = re.sub(r"[ -]", "", number)
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(d) * w for d, w in zip(number[:17], weights, strict=True))
    return "10X98765432"[total % 11] == number[17].upper()


def _format_id_ok(number: str) -> bool:
    """A Spanish DNI / NIE, a Singapore NRIC and a Taiwan ID only with their check character; the other
    formats are distinctive as written."""
    if re.fullmatch(r"[A-Z][1289]\d{8}", number):
        code = "ABCDEFGHJKLMNPQRSTUVXYWZIO".index(number[0]) + 10
        weights = (1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1)
        digits = (code // 10, code % 10, *map(int, number[1:]))
        return sum(w * d for w, d in zip(weights, digits, strict=True)) % 10 == 0
    nric = re.fullmatch(r"([STFG])(\d{7})([A-Z])", number)
    if nric:
        total = sum(w * int(d) for w, d in zip((2, 7, 6, 5, 4, 3, 2), nric[2], strict=True))
        total += 4 if nric[1] in "TG" else 0
        letters = "JZIHGFEDCBA" if nric[1] in "ST" else "XWUTRQPNMLK"
        return letters[total % 11] == nric[3]
    dni = re.fullmatch(r"([XYZ]?)(\d{7,8})-?([A-Z])", number)
    if not dni:
        return True
    value = int("XYZ".index(dni[1]) if dni[1] else 0) * 10 ** len(dni[2]) + int(dni[2])
    return "TRWAGMYFPDXBNJZSQVHLCKE"[value % 23] == dni[3]


# Verhoeff's tables: the dihedral group's products and the position permutations.
_VERHOEFF_D = tuple(
    tuple(int(c) for c in row)
    for row in "0123456789 1234067895 2340178956 3401289567 4012395678 5987604321 6598710432 7659821043 8765932104 9876543210".split()
)
_VERHOEFF_P = tuple(
    tuple(int(c) for c in row)
    for row in "0123456789 1576283094 5803796142 8916043527 9453126870 4286573901 2793806415 7046913258".split()
)


def _verhoeff_ok(digits: str) -> bool:
    check = 0
    for index, char in enumerate(reversed(digits)):
        check = _VERHOEFF_D[check][_VERHOEFF_P[index % 8][int(char)]]
    return check == 0


def _digit_format_id_ok(value: str) -> bool:
    """An Aadhaar only with its Verhoeff check digit (twelve digits in fours are common); the layouts
    that open with a birth date or hold dots and a hyphen are distinctive as written."""
    return not _AADHAAR_LAYOUT.fullmatch(value) or _verhoeff_ok(_digits(value))


_AADHAAR_LAYOUT = re.compile(r"\d{4} \d{4} \d{4}")


def _resident_id_ok(value: str) -> bool:
    digits = re.sub(r"[ -]", "", value)
    return len(digits) == 18 and digits[:17].isdigit() and _id_checksum_ok(digits)


# Words that call a number invalid, mistyped, made up or an example (系统提示无效, 写错了, "is invalid"),
# not words about a record that is wrong (登记错了).
_CALLED_INVALID = re.compile(
    r"无效|校验位|校验不|随便写|编的|假的|示例|样例|写错|输错|填错|少了一位|多了一位|(?i:invalid|not valid|fake|made[- ]up|example|dummy|typo)"
)


def _unless_called_invalid(
    text: str, spans: Iterable[PiiSpan], valid: Callable[[str], bool]
) -> Iterator[PiiSpan]:
    """Labelled numbers, whatever their check digit, except one that fails it in a sentence that calls
    it invalid or made up: the writer is asking about a number that identifies no one."""
    for span in spans:
        around = text[max(0, span.start - 40) : span.end + 40]
        if valid(span.text) or not _CALLED_INVALID.search(around):
            yield span


def _laid_out(text: str, spans: Iterable[PiiSpan], valid: Callable[[str], bool]) -> Iterator[PiiSpan]:
    """Numbers that their layout marks: those passing their check, and those failing it (writers make
    numbers up) unless their sentence calls them invalid or an order word stands before them (订单号 …)."""
    for span in _unless_called_invalid(text, spans, valid):
        if valid(span.text) or not _NOT_PHONE_BEFORE.search(text, max(0, span.start - 24), span.start):
            yield span


# An insurance word (and its card's) right before a number in a card's groups that fails Luhn: an insurance
# card's number (社保的 4301 …, health card 4301 …), not a bank card's (医保报销后退到我的卡 6214 …).
_INSURANCE_WORD_BEFORE = re.compile(
    r"(?:医保|社保|农合|保险|(?i:insurance|medicare|medicaid|health))[^\d，,。；;卡]{0,3}"
    r"(?:卡号?|(?i:card(?: number| no\.?)?))?[\s:：是为的]*$"
)


def _after_insurance_word(text: str, span: PiiSpan) -> bool:
    return bool(_INSURANCE_WORD_BEFORE.search(text, max(0, span.start - 24), span.start))


def _not_after_order_word(text: str, spans: Iterable[PiiSpan]) -> Iterator[PiiSpan]:
    """Numbers known by their layout alone, except after a word that makes them an order, lot or
    reference number (订单 230101-1234567, lot number 123-45-6789)."""
    for span in spans:
        if not _NOT_PHONE_BEFORE.search(text, max(0, span.start - 24), span.start):
            yield span


def _plate_ok(plate: str) -> bool:
    return 5 <= len(re.sub(r"[ ·-]", "", plate)) <= 10  # KA 05 MN 4821 (India) has ten


def _labelled_id_ok(value: str) -> bool:
    characters = re.sub(r"[^A-Z0-9]", "", value)
    return 6 <= len(characters) <= 20 and len(_digits(characters)) >= 4


def _iban_ok(value: str) -> bool:
    compact = value.replace(" ", "")
    if not 15 <= len(compact) <= 34:
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _spans(
    pattern: re.Pattern[str],
    text: str,
    kind: str,
    valid: Callable[[str], bool] | None = None,
    group: str = "pii",
):
    for match in pattern.finditer(text):
        value = match.group(group)
        if value is not None and (valid is None or valid(value)):
            yield PiiSpan(kind, match.start(group), match.end(group), value)


# The traditional characters that GB2312 (simplified Chinese) can also encode.
_TRADITIONAL_IN_GB2312 = re.compile(
    "[" + "".join(c for c in sorted(traditional_characters()) if c.encode("gb2312", errors="ignore")) + "]"
)


def _has_traditional(text: str) -> bool:
    """Whether `text` holds a traditional character; encoding to GB2312 (in C) settles most texts
    without looking at each character."""
    try:
        text.encode("gb2312")
    except UnicodeEncodeError:
        return not traditional_characters().isdisjoint(text)
    return bool(_TRADITIONAL_IN_GB2312.search(text))


def _spans_at(pattern: re.Pattern[str], text: str, position: int, kind: str) -> Iterator[PiiSpan]:
    match = pattern.match(text, position)
    if match:
        yield PiiSpan(kind, match.start("pii"), match.end("pii"), match.group("pii"))


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def _chinese_name_before(text: str, end: int, longest: int = 3) -> int | None:
    """Start of a surname (+ up to `longest` - 1 given-name characters) ending at `end`, nearest
    surname first; None when the character before it makes a word with it (有助于医生)."""
    for size in range(1, longest + 1):
        start = end - size
        if start < 0:
            return None
        head, given = text[start : start + 2], text[start + 1 : end]
        if text[start:end] in _NOT_NAMES or text[start - 1 : start + 1] in _WORDS_ENDING_IN_SURNAME:
            return None
        if (
            size > 1
            and head in _COMPOUND_SURNAMES
            and all(c not in _NOT_GIVEN for c in text[start + 2 : end])
        ):
            return start
        if size <= 3 and text[start] in _SURNAMES and all(_is_cjk(c) and c not in _NOT_GIVEN for c in given):
            return start  # (four characters only with a compound surname: 上官文静, not 严格按照)
        if not _is_cjk(text[start]):
            return None
    return None


def _chinese_name_after(text: str, start: int, surnames: set[str] = _COMMON_SURNAMES) -> int | None:
    """End of a name starting at `start` (right after an introducing word): surname + 某/某某/×× or
    + one or two given-name characters; None when a title follows the surname (王医生 is taken there)."""
    if text[start : start + 1] in ("小", "老") and text[start + 1 : start + 2] in _COMMON_SURNAMES:
        # a nickname (小王, 老周) unless the characters make a word (老高血压, 老毛病)
        after = text[start + 2 : start + 3]
        word = text[start + 1 : start + 3] in _NOT_NAMES or text[start + 1 : start + 4] in _NOT_NAMES
        if not word and (not after or not _is_cjk(after) or after in _NOT_GIVEN):
            return start + 2
    size = 2 if text[start : start + 2] in _COMPOUND_SURNAMES else 1
    if size == 1 and text[start : start + 1] not in surnames:
        return None
    rest = text[start + size : start + size + 3]
    placeholder = re.match(r"某某|某|[×xX*]{1,3}", rest)
    if placeholder:
        return start + size + placeholder.end()
    if _TITLE_START.match(text, start + size):
        return None
    given = re.match(r"[\u4e00-\u9fff]{1,2}", rest)
    if not given:
        return None
    chars = given.group(0)
    if chars[0] in _NOT_GIVEN or rest[:2] in _HOME_WORDS:  # 王家里, 刘家人: a family, not a name
        return None
    second_ends = len(chars) == 2 and chars[1] not in _NOT_GIVEN
    second_ends = second_ends and text[start + size + 1 : start + size + 3] not in _WORDS_AFTER_NAME
    end = start + size + (2 if second_ends else 1)
    if (
        text[start:end] in _NOT_NAMES
        or text[start : start + 2] in _NOT_NAMES  # 高血压患者, 高中生, 江苏人: a word starts here
        or _TITLE_START.match(text, start + size + 1)
    ):
        return None
    return end


def _names(text: str, low: str) -> Iterator[PiiSpan]:
    for match in _HONORIFIC.finditer(text):
        start = _chinese_name_before(text, match.start(), 1 if match.group() in _ROLES else 3)
        if start is None and match.group() in _ROLES:
            # a full name before a role (王建国主任, 上官文静医生) only where a phrase starts, or after 的
            # (社区的陈建国医生: a role has no title of its own between 的 and it)
            start = _chinese_name_before(text, match.start(), 4)
            if (
                start is not None
                and start > 0
                and text[start - 1] not in _NAME_LEAD
                and text[start - 1] != "的"
            ):
                start = None
        if start is not None and start >= 1 and text[start - 1 : start + 1] in _COMPOUND_SURNAMES:
            start -= 1  # 司马主任, 欧阳医生
        if start is not None:
            yield PiiSpan("NAME", start, match.start(), text[start : match.start()])
    cues = _CUES + (((_EN_KIN_BEFORE_ZH, _COMMON_SURNAMES),) if "my " in low or "our " in low else ())
    cues += ((_BED, _COMMON_SURNAMES),) if "床" in text else ()
    for pattern, surnames in cues:
        for match in pattern.finditer(text):
            end = _chinese_name_after(text, match.end(), surnames)
            if end is None and surnames is _COMMON_SURNAMES:
                # a rarer surname (白, 焦 start words too) only where the full name fills its clause
                end = _chinese_name_after(text, match.end(), _SURNAMES)
                placeholder = end is not None and text[end - 1] in "某×xX*"  # 患者焦某
                if (
                    end is not None
                    and not placeholder
                    and not (end - match.end() == 3 and _fills_clause(text, match.end(), end))
                ):
                    end = None
            # after a handing verb or a role without a colon, the name must fill its clause
            filling = (
                pattern in (_HAND_TO, _SELF_OF)
                or (pattern is _ROLE_CUE and match.group("said") is None)
                or (pattern is _KIN and match.group("is") is not None)
                or (pattern is _SELF and match.group().startswith("叫"))  # 这个药叫金刚烷胺: a thing's name
            )
            if end is not None and filling and not _fills_clause(text, match.end(), end):
                end = None
            if end is not None and pattern is _HAND_TO and end - match.end() < 3:
                end = None  # 联系方式: only a full name after these verbs
            if end is None and pattern in (_NAMED, _KIN_CALLED, _SELF):
                start = match.end()
                nickname = _NICKNAME.match(text, start)  # 宝宝叫乐乐, 小名叫豆豆, 我是阿芳
                given = text[start : start + 2]
                if nickname and nickname.group() not in _NOT_NICKNAMES:
                    end = nickname.end()
                elif (  # a given name alone filling its clause (我叫晓雯，, 我是美玲 电话…)
                    pattern is not _KIN_CALLED
                    and match.group().startswith("我")
                    and len(given) == 2
                    and all(c in CHINESE_GIVEN_CHARACTERS and c not in _NOT_GIVEN for c in given)
                    and given not in _NOT_GIVEN_NAMES
                    and _fills_clause(text, start, start + 2)
                ):
                    end = start + 2
                elif (  # after 叫 a surname and two characters filling the clause are a name (外婆叫顾月娥)
                    text[start : start + 1] in _SURNAMES
                    and _fills_clause(text, start, start + 3)
                    and all(_is_cjk(c) for c in text[start : start + 3])
                    and text[start : start + 3] not in _NOT_NAMES
                    and text[start : start + 2] not in _NOT_NAMES
                ):
                    end = start + 3
            if end is not None and end - match.end() >= 2 and _TITLE_START.match(text, match.end() + 1):
                end = None  # 收件人：张主任 names the surname, which the title before it gives
            if end is not None:
                yield PiiSpan("NAME", match.end(), end, text[match.end() : end])
    if not _ASCII_WORD.search(text):
        english: tuple = ()
    else:
        english = (
            (_EN_TITLE, bool(_EN_TITLE_GATE.search(text))),
            (_EN_KIN, any(w in low for w in ("my ", "our ", "his ", "her ", "your "))),
            (_EN_NAME_IS, "name" in low),
            (_EN_HERE, " here" in low),
        )
    yield from _spans(_PINYIN_NAME, text, "NAME") if "拼音" in text else ()
    for match in _SURNAME_ONLY.finditer(text) if "姓" in text else ():
        yield PiiSpan("NAME", match.start("pii"), match.end("pii"), match.group("pii"))
    for pattern in (pattern for pattern, present in english if present):
        for span in _spans(pattern, text, "NAME"):
            words = span.text.split()
            if words[0] in _EN_NOT_NAMES:
                continue
            if len(words) == 2 and words[1] in _EN_NOT_NAMES:  # "Dr. Smith Has …": the surname alone
                yield PiiSpan("NAME", span.start, span.start + len(words[0]), words[0])
            else:
                yield span
    tail = max(0, len(text) - 80)
    for pattern in (_EN_SIGN_OFF, _EN_LAST_LINE) if english else ():
        for span in _spans(pattern, text[tail:], "NAME"):
            span = PiiSpan(span.type, span.start + tail, span.end + tail, span.text)
            if not any(word in _EN_NOT_NAMES for word in span.text.split()):
                yield span
    for pattern in (_EN_SUBJECT, _EN_QUESTION_SUBJECT) if english else ():
        yield from (span for span in _spans(pattern, text, "NAME") if span.text in _EN_SAFE_GIVEN)
    for span in _spans(_EN_APPOSITION, text, "NAME") if english and "," in text else ():
        if _unaccented(span.text) in _EN_CAPITALISED_GIVEN and span.text not in _EN_NOT_NAMES:
            yield span
    for match in _EN_INITIALS_NAME.finditer(text) if english and "." in text else ():
        surname = match.group("surname")
        two_initials = match.group("pii").count(".") >= 2
        if surname not in _EN_NOT_NAMES and (
            two_initials or "-" in surname or _unaccented(surname) in english_surnames()
        ):
            yield PiiSpan("NAME", match.start("pii"), match.end("pii"), match.group("pii"))
    for match in _EN_CARD_HOLDER_CAPS.finditer(text) if "card" in low or "account" in low else ():
        words = [w.capitalize() for w in match.group("pii").split() if len(w.rstrip(".")) > 1]
        if not _CARD_NOTES & set(words) and (
            words[0] in _EN_CAPITALISED_GIVEN or words[-1] in english_surnames()
        ):
            yield PiiSpan("NAME", match.start("pii"), match.end("pii"), match.group("pii"))
    for match in _EN_FIELD_GIVEN.finditer(text) if english else ():
        word = match.group("pii")
        # a name field (or attention of) takes any census given name; the other fields not the ones that are
        # words (Contact: Mercy)
        named = any(w in match.group().lower() for w in ("name", "attn", "attention"))
        known = _EN_CAPITALISED_GIVEN if named else _EN_SAFE_GIVEN
        if _unaccented(word.split("-")[0]) in known and word not in _EN_NOT_NAMES:
            yield PiiSpan("NAME", match.start("pii"), match.end("pii"), word)
    for match in _EU_KIN_NAME.finditer(text) if english else ():
        group = "pii" if match.group("pii") else "self"
        word = match.group(group)
        if _unaccented(word.split("-")[0]) in _EN_CAPITALISED_GIVEN and word not in _EN_NOT_NAMES:
            yield PiiSpan("NAME", match.start(group), match.end(group), word)
    for match in _EN_GIVEN_BY_PLACE.finditer(text) if english else ():
        group = next(g for g in ("pii", "subject", "kin") if match.group(g))
        word = match.group(group)
        known = _EN_CAPITALISED_GIVEN if group == "kin" else _EN_SAFE_GIVEN  # (a bracket after Dad is sure)
        if word in known and word not in _EN_NOT_NAMES:
            yield PiiSpan("NAME", match.start(group), match.end(group), word)
    for span in _spans(_EN_ROLE_NAME, text, "NAME") if english else ():
        words = span.text.split()
        if _unaccented(words[0]) in _EN_CAPITALISED_GIVEN and not any(w in _EN_NOT_NAMES for w in words):
            yield span
    for span in (
        _spans(_EN_POSSESSIVE_CARE, text, "NAME") if english and ("'s " in text or "’s " in text) else ()
    ):
        if span.text in _EN_GIVEN_NAMES:
            yield span
    for pattern in (_EN_HEADER, _EN_POSSESSIVE_KIN, _EN_GREETING) if english else ():
        for span in _spans(pattern, text, "NAME"):
            if not any(word in _EN_NOT_NAMES or word in _EN_ADDRESSED for word in span.text.split()):
                yield span
    before = [m.start() for m in _BEFORE_KIN.finditer(text)] if "的" in text else []
    before += [m.start() for m in _BEFORE_AGE.finditer(text)] if "岁" in text or "今年" in text else []
    for position in before:
        start = _chinese_name_before(text, position, 3)
        if (
            start is not None
            and position - start >= 2
            and (start == 0 or text[start - 1] in _NAME_LEAD)
            and not _TITLE_START.search(text, start, position)
        ):
            yield PiiSpan("NAME", start, position, text[start:position])
    for span in (
        _spans(_EN_SELF, text, "NAME")
        if english and ("i'm" in low or "i am" in low or "this is" in low or "it" in low)
        else ()
    ):
        if span.text not in _EN_NOT_NAMES and span.text not in _EN_NOT_FIRST_NAMES:
            yield span
    for span in _spans(_EN_INTRO, text, "NAME") if english else ():
        if not any(word in _EN_NOT_NAMES for word in span.text.split()[:2]):
            yield span
    yield from _more_english_names(text, low, bool(english))


def _more_english_names(text: str, low: str, english: bool) -> Iterator[PiiSpan]:
    """Names whose cue is weak ("it's", "Patient", a possessive, lower case): taken where the first word
    is a given name, or (after "it's", before a possessive) both words are capitalised non-words."""
    ordinary = lambda words: not any(word in _EN_NOT_NAMES for word in words)  # noqa: E731
    for span in (
        _spans(_EN_ITS, text, "NAME")
        if english and ("it's" in low or "it’s" in low or "it is" in low or "its " in low)
        else ()
    ):
        words = span.text.split()
        if ordinary(words) and (words[0] in _EN_SAFE_GIVEN or len(words) == 2):
            yield span
    for mark in _EN_POSSESSIVE.finditer(text) if english and ("'s " in text or "’s " in text) else ():
        name = _EN_FULL_NAME_AT_END.search(text, max(0, mark.start() - 60), mark.start())
        if name and ordinary(name.group().split()):
            yield PiiSpan("NAME", name.start(), name.end(), name.group())
    for span in (
        _spans(_EN_BEFORE_IDENTIFIER, text, "NAME") if english and _IDENTIFIER_AFTER.search(text) else ()
    ):
        if ordinary(span.text.split()):
            yield span
    for span in _spans(_EN_SURNAME_FIRST, text, "NAME") if english and _RECORD_FIELD.search(text) else ():
        if ordinary(re.findall(r"[A-Za-z]+", span.text.title())):
            yield span
    for span in _spans(_EN_PATIENT, text, "NAME") if english and "Patient" in text else ():
        if span.text.split()[0] in _EN_SAFE_GIVEN:
            yield span
    if _CJK_CHAR.search(text) and _FOREIGN_LETTER.search(text):
        for match in _ZH_CUE_EN_NAME.finditer(text):
            group = "pii" if match.group("pii") else "script"  # (Hangul and Cyrillic hold no English words)
            words = match.group(group).split()
            if group == "script" or (ordinary(words) and (len(words) == 2 or words[0] in _EN_SAFE_GIVEN)):
                yield PiiSpan("NAME", match.start(group), match.end(group), match.group(group))
    if "here" in low or "again" in low:
        for match in _EN_LOWER_HERE.finditer(text):
            yield from _lower_name(match)
    if "dr" in low or "doc" in low:
        for match in _EN_LOWER_TITLE.finditer(text):
            if match.group("pii") not in _EN_LOWER_WORDS:
                yield PiiSpan("NAME", match.start("pii"), match.end("pii"), match.group("pii"))
    for span in _spans(_EN_CAPS_SURNAME, text, "NAME") if english else ():
        if ordinary(span.text.title().split()):
            yield span
    for span in _spans(_EN_SENTENCE_NAME, text, "NAME") if english else ():
        words = span.text.split()
        if ordinary(words) and words[0] in _EN_SAFE_GIVEN:
            yield span
    tail = max(0, len(text) - 60)
    for span in _spans(_EN_CLOSING_NAME, text[tail:], "NAME") if english else ():
        words = span.text.split()
        if ordinary(words) and words[0] in _EN_SAFE_GIVEN:
            yield PiiSpan("NAME", span.start + tail, span.end + tail, span.text)
    tail = max(0, len(text) - 30)
    for match in _EN_LOWER_SIGN_OFF.finditer(text, tail) if text.isascii() else ():
        word = match.group("pii")
        if (
            word.capitalize() in _EN_GIVEN_NAMES
            and word not in _EN_LOWER_WORD_NAMES
            and word not in _EN_LOWER_WORDS
        ):
            yield PiiSpan("NAME", match.start("pii"), match.end("pii"), word)
    # (in a message written in lower case throughout; capitalised text has the patterns above)
    for match in _EN_NAME_LOWER.finditer(text) if "name" in low else ():
        yield from _lower_name(match)
    lower_case = text.isascii() and _LOWER_CUE_GATE.search(low)
    position = 0
    while lower_case and (match := _EN_KIN_LOWER.search(text, position)):
        position = (
            match.start("pii") + 1
        )  # the words after a name may hold the next cue ("tom and my sister …")
        yield from _lower_name(match)


def _unaccented(word: str) -> str:
    """`word` without its accents (María → Maria, Nguyễn → Nguyen), to look it up in the lexicons."""
    if word.isascii():
        return word
    return (
        "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))
        .replace("đ", "d")
        .replace("Đ", "D")
    )


# One or two more words of a long name after its surname (a second surname, a particle and a surname).
_EN_MORE_NAME_WORDS = re.compile(
    rf"(?:[ \t](?:(?:El|Al|Ben|Bin|Van|Von|De|Da|Di|Du|Le|La|Abu|Ibn|Del|Dos|dos|das|da|de|del|van|von|der)[ \t])?{_EN_NAME_WORD}){{1,2}}(?![\w'’@-]|\.\w)"
)
# Vietnamese names: a common surname and one to three capitalised words (Trần Văn Minh, Pham Quoc Bao).
_VIETNAMESE_SURNAMES = _word_set(
    "Nguyen Tran Le Pham Hoang Huynh Phan Vu Vo Dang Bui Do Ho Ngo Duong Ly Truong Dinh Lam Mai Trinh Doan Luong Cao"
)
_VIETNAMESE_NAME = re.compile(
    rf"(?<![\w'’.@/-])(?P<surname>{_EN_NAME_WORD})(?:[ \t](?:Van|Văn|Thi|Thị|Duc|Đức|Quoc|Quốc|Minh|Ngoc|Ngọc|Hoang|Hoàng|Thanh|Huu|Hữu))"
    rf"(?:[ \t]{_EN_NAME_WORD}){{1,2}}(?![\w'’@-])"
)
_EN_TITLE_CASE_WORD = re.compile(r"\b[A-Z][a-z]+\b")
_EN_ANY_WORD = re.compile(r"\b[A-Za-z][a-z]+\b")
# Capitalised words that may stand before a name without making it part of a longer proper noun.
_EN_BEFORE_NAME = _word_set(
    "Dr Mr Mrs Ms Miss Mx Prof Patient Pt Nurse Doctor Subscriber Insured Student Member Dependent Dear Hi "
    "Hello Hey Thanks Thank From To Cc Attn Name Re Sr Sra Mme Herr Frau Cardholder Holder Parent Guardian "
    "Contact Emergency Spouse Wife Husband Mom Dad Mum Sister Brother Son Daughter Sincerely Regards Cheers "
    # and the adverbs that open a sentence ("Yesterday Carlos Mendes collapsed")
    "Yesterday Today Tonight Tomorrow Recently Lately Sadly Unfortunately Suddenly Then Now Also So Earlier Later"
)


# A table whose header has a birth-date column: the dates under it are birth dates (a family history,
# a relatives' form). Cells split at "|", tabs or runs of two spaces.
_BIRTH_HEADER = re.compile(
    r"(?i:dob|d\.o\.b\.?|date of birth|birth ?date|born|birthday)|出生日期|出生年月日?|生日"
)
_TABLE_DATE = re.compile(
    rf"(?:{_DATE}|\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2}}|(?:19|20)\d{{2}}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))"
)


def _cells(line: str, start: int) -> list[tuple[int, int]]:
    """(start, end) of each cell of a table line beginning at `start` in the text."""
    separator = re.compile(r"[ \t]*\|[ \t]*") if "|" in line else re.compile(r"\t+[ \t]*| {2,}")
    cells, position = [], 0
    for match in separator.finditer(line):
        cells.append((position, match.start()))
        position = match.end()
    cells.append((position, len(line.rstrip())))
    return [(start + a, start + b) for a, b in cells if b > a or (a, b) != (0, 0)]


def _table_births(text: str) -> Iterator[PiiSpan]:
    column, start = None, 0
    for line in text.split("\n"):
        cells = _cells(line, start)
        if column is None:
            names = [text[a:b].strip() for a, b in cells]
            if len(cells) >= 2:
                column = next((i for i, name in enumerate(names) if _BIRTH_HEADER.fullmatch(name)), None)
        elif len(cells) > column:
            a, b = cells[column]
            if _TABLE_DATE.fullmatch(text, a, b):
                yield PiiSpan("DATE_OF_BIRTH", a, b, text[a:b])
        elif line.strip():
            column = None  # the table ended
        start += len(line) + 1


# A second identifier of the same kind right after a labelled one, for another person or an older
# document (…体检号是TJ…047，我的是TJ…048; 护照号码 EB…（旧的G…已作废）; MRN 123, his is 456).
_SECOND_VALUE = re.compile(
    r"[ \t]*[，,；;（(][ \t]*(?:我的|他的|她的|孩子的|老公的|老婆的|旧的|新的|原来的|以前的|另一个|另一张|(?i:mine|his|hers|the old one|old one|new one))"
    r"(?:是|为|[:：]|[ \t]+(?i:is))?[ \t]*(?P<pii>[A-Z0-9][A-Z0-9-]{4,24})(?![A-Za-z0-9])"
)
_SECOND_VALUE_TYPES = {"MEDICAL_RECORD", "PASSPORT", "ID_NUMBER", "INSURANCE", "BANK_CARD"}


# Numbers listed by their owners after the document they belong to was named ("they asked for passport
# scans. Mine: 120382745 (UK). My partner Sophie Allen's: 533907218"): the type is the last document word
# before the value.
_OWNER_VALUE = re.compile(
    r"(?:\b(?:[Mm]ine|[Hh]is|[Hh]ers|[Oo]urs)|['’]s)[ \t]*[:：][ \t]*(?P<pii>[A-Z]{0,2}\d{6,12})(?![A-Za-z0-9])"
)
_OWNED_DOCUMENT = re.compile(
    r"(?i:(?P<PASSPORT>passports?)|(?P<INSURANCE>insurance|medicare|member (?:id|number)s?|policy)|(?P<MEDICAL_RECORD>mrns?|chart|record numbers?))"
)


def _owner_values(text: str) -> Iterator[PiiSpan]:
    for match in _OWNER_VALUE.finditer(text):
        documents = list(_OWNED_DOCUMENT.finditer(text, max(0, match.start() - 200), match.start()))
        if documents:
            yield PiiSpan(documents[-1].lastgroup, match.start("pii"), match.end("pii"), match.group("pii"))


# A nickname or first name right before the full name in brackets or after a space (Dee (Deirdre
# Kowalczyk), Emma（中文名陈雨桐）, 小宝（大名黄梓涵）, 乐乐 张乐天), or a given name before "(my …)".
_NICKNAME_BEFORE = re.compile(
    r"(?:(?<![A-Za-z])(?P<latin>[A-Z][a-z]{1,12})|(?P<cjk>([\u4e00-\u9fff])\3|[小阿][\u4e00-\u9fff]))"
    r"[ \t]*(?:[(（](?:中文名|大名|全名|本名|aka[ \t])?[ \t]*)?$"
)
# Doubled characters that are kinship words, thanks, laughter or adverbs (妈妈, 谢谢, 哈哈, 天天), not nicknames.
_NOT_DOUBLED_NICKNAME = set(
    "妈爸哥姐弟妹爷奶宝叔伯婆公舅姑姥嫂太谢哈嘿呵嗯天常刚慢偷渐仅往好多大小人个样时处统"
)
_CJK_NICKNAME_LEAD = re.compile(r"(?:^|[子女儿孩宝叫是，,。！!？?\s]|小名|乳名)$")
_EN_GIVEN_THEN_MY = re.compile(
    rf"(?<![A-Za-z0-9_'’])(?P<pii>{_EN_NAME_WORD})(?:[ \t]\((?:my|our|his|her)[ \t]|[ \t]*[(（](?:我的?)?{_KIN_WORDS}[)）])"
)


def _nicknames_beside(text: str, names: list[PiiSpan]) -> Iterator[PiiSpan]:
    for name in names:
        if name.type != "NAME":
            continue
        bracketed = text[name.end : name.end + 1] in (")", "）")
        match = _NICKNAME_BEFORE.search(text, max(0, name.start - 16), name.start)
        if not match or (not bracketed and ("(" in match.group() or "（" in match.group())):
            continue
        if match.group("latin"):
            word = match.group("latin")
            if (
                bracketed
                and _unaccented(word) in _EN_CAPITALISED_GIVEN | _EN_GIVEN_NAMES
                and word not in _EN_NOT_NAMES
            ):
                yield PiiSpan("NAME", match.start("latin"), match.end("latin"), word)
            elif bracketed and len(word) <= 4 and word not in _EN_NOT_NAMES and word[:2] == name.text[:2]:
                yield PiiSpan("NAME", match.start("latin"), match.end("latin"), word)  # Dee (Deirdre …)
        else:
            nickname = match.group("cjk")
            lead = _CJK_NICKNAME_LEAD.search(text, max(0, match.start() - 2), match.start())
            doubled = nickname[0] == nickname[-1]
            if (
                (lead or match.start() == 0)
                and nickname not in _NOT_NICKNAMES
                and not (doubled and nickname[0] in _NOT_DOUBLED_NICKNAME)
                and (
                    bracketed or doubled or nickname[1] not in _SURNAMES
                )  # 我是小林 林晓雯: the full name only
            ):
                yield PiiSpan("NAME", match.start("cjk"), match.end("cjk"), nickname)
    for match in _EN_GIVEN_THEN_MY.finditer(text) if "(" in text else ():
        word = match.group("pii")
        if _unaccented(word) in _EN_CAPITALISED_GIVEN and word not in _EN_NOT_NAMES:
            yield PiiSpan("NAME", match.start("pii"), match.end("pii"), word)


# "No." stuck to a value right after a Chinese label (病历号No.0038-772-A, 保单号：No. 8800 …) is written as
# part of it; after an English label it is the label's (passport no. E123…).
_NUMBER_SIGN_BEFORE = re.compile(r"(?<=[\u4e00-\u9fff：:])[ \t]*(?P<sign>No\.[ \t]?)$")


def _with_number_sign(text: str, span: PiiSpan) -> PiiSpan:
    sign = _NUMBER_SIGN_BEFORE.search(text, max(0, span.start - 6), span.start)
    if not sign:
        return span
    return PiiSpan(span.type, sign.start("sign"), span.end, text[sign.start("sign") : span.end])


def _second_values(text: str, found: list[PiiSpan]) -> Iterator[PiiSpan]:
    """The same kind of identifier as a labelled one right before it, where its shape matches (letters
    where the first has letters, about as long)."""
    for span in found:
        if span.type not in _SECOND_VALUE_TYPES:
            continue
        match = _SECOND_VALUE.match(text, span.end)
        if not match:
            continue
        value = match.group("pii")
        if (
            abs(len(value) - len(span.text)) <= 2
            and value[0].isdigit() == span.text[0].isdigit()
            and _DIGIT.search(value)
        ):
            yield PiiSpan(span.type, match.start("pii"), match.end("pii"), value)


# Chinese names in pinyin (Wang Xiaoming, zhang xiaoming, LIU YANG): a common surname and a given name of
# two syllables (one in a message with Chinese in it), in one case throughout.
_PINYIN_SURNAMES = _word_set(
    "wang li zhang liu chen yang huang zhao wu zhou xu sun zhu hu guo lin luo gao zheng liang xie song tang han feng deng "
    "cao peng zeng xiao tian dong pan yuan cai jiang du ye cheng wei su lu ding ren shen yao cui zhong tan fan jin shi "
    "liao jia xia fu fang zou xiong meng qin qiu hou yin xue yan duan lei long tao mao hao gu gong shao qian kong ou"
)
_PINYIN_SYLLABLE = (
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uan|uai|ai|ei|ao|ou|an|en|in|un"
    r"|ia|ie|iu|ua|uo|ue|ui|a|o|e|i|u|v)"
)
_PINYIN_NAME = re.compile(
    rf"(?<![A-Za-z0-9_'’.@/-])(?P<pii>(?P<surname>[A-Za-z][a-z]+|[A-Z]+)[ \t](?P<given>(?i:{_PINYIN_SYLLABLE}(?:-?{_PINYIN_SYLLABLE})?)))"
    r"(?![A-Za-z0-9'’@-])"
)


def _pinyin_names(text: str) -> Iterator[PiiSpan]:
    chinese = bool(_CJK_CHAR.search(text))
    position = 0
    while match := _PINYIN_NAME.search(text, position):
        position = match.start("given")  # "colleague Wang Xiaoming": the given word may start a name
        surname, given = match.group("surname"), match.group("given")
        if surname.lower() not in _PINYIN_SURNAMES:
            continue
        cases = {word.islower() for word in (surname, given)}, {word.isupper() for word in (surname, given)}
        titled = surname.istitle() and (given.istitle() or given.replace("-", "").istitle())
        if not (titled or cases[0] == {True} or cases[1] == {True}):
            continue  # one case throughout: "Wang Xiaoming", "zhang xiaoming", "LIU YANG"
        syllables = len(re.findall(_PINYIN_SYLLABLE, given.lower()))
        if syllables < 2 and not chinese:
            continue
        if given.islower() and not chinese:
            continue  # lower-case pinyin only in a message that also has Chinese in it
        if given.capitalize() in _EN_NOT_NAMES or given.lower() in _EN_LOWER_WORDS:
            continue
        yield PiiSpan("NAME", match.start("pii"), match.end("pii"), match.group("pii"))


def _lexicon_english_names(text: str) -> Iterator[PiiSpan]:
    """A census given name and a capitalised surname, wherever they stand ("cardholder Grace Thompson",
    "Student: Lucas Martin", a signature): the name's own shape is the evidence, so no cue word is needed.
    Hospitals, streets, eponyms and saints after or before it, word-like given names without a census
    surname, and headline-case text are left alone."""
    words = _EN_ANY_WORD.findall(text)
    surnames = english_surnames()
    ordinary_capitals = [
        w for w in _EN_TITLE_CASE_WORD.findall(text) if w not in _EN_CAPITALISED_GIVEN and w not in surnames
    ]
    headline = len(words) >= 5 and len(ordinary_capitals) > 0.5 * len(words)
    position = 0
    while match := _EN_LEXICON_NAME.search(text, position):
        position = match.start("surname")  # the surname may start the next name ("Patient Harold Stein")
        given, surname = _unaccented(match.group("given")).split("-")[0], match.group("surname")
        if given not in _EN_CAPITALISED_GIVEN or surname in _EN_NOT_NAMES or surname in _EN_ADDRESSED:
            continue
        if surname in _EN_NOT_FIRST_NAMES or surname.upper() == surname:
            continue
        if _EN_NAME_THEN_PLACE.match(text, match.end()) or _EN_NAME_THEN_PLACE.match(
            text, match.end("given")
        ):
            continue  # … and "Ashton Manual", "Wells Score": the second word is the thing named
        before = _EN_PLACE_BEFORE.search(text, max(0, match.start() - 12), match.start())
        if before and before.group().strip().rstrip(".") not in _EN_BEFORE_NAME:
            continue
        census = _unaccented(surname).split("-")[0] in surnames  # Fraser-Whyte by Fraser
        word_like = given in _EN_WORD_GIVEN or _SENTENCE_START.search(
            text, max(0, match.start() - 4), match.start()
        )
        cued = _EN_CUE_BEFORE.search(text, max(0, match.start() - 12), match.start())
        if (headline or (word_like and not cued)) and not census:
            continue
        if headline and given not in _EN_GIVEN_NAMES:
            continue
        end = match.end("pii")
        more = _EN_MORE_NAME_WORDS.match(text, end)  # María José Gutiérrez, Fatima Zahra El Amrani
        if (
            more
            and not any(w in _EN_NOT_NAMES for w in more.group().split())
            and not _EN_NAME_THEN_PLACE.match(text, more.end())
        ):
            end = more.end()
        yield PiiSpan("NAME", match.start("pii"), end, text[match.start("pii") : end])
    surnames_first = _EN_QUOTED_SURNAME_FIRST.finditer(text) if "," in text else ()
    for match in surnames_first:
        if (
            _unaccented(match.group("given")) in _EN_CAPITALISED_GIVEN
            and _unaccented(match.group("surname")) in surnames
        ):
            yield PiiSpan("NAME", match.start("pii"), match.end("pii"), match.group("pii"))
    speakers = list(_EN_SPEAKER.finditer(text)) if ":" in text or "(" in text else []
    turns = Counter(match.group("pii") for match in speakers)
    mentioned = {m.group("pii") for m in _MENTION.finditer(text)} if speakers and "@" in text else set()
    for match in speakers:
        word = match.group("pii")
        # a given name, or any word that speaks twice, after a time stamp or @mentioned (a chat, not a form)
        chat = turns[word] >= 2 or match.group("time") or word in mentioned
        if (
            word
            and (word in _EN_SAFE_GIVEN or (chat and word not in _CHAT_ROLES and word not in _EN_ADDRESSED))
            and word not in _EN_NOT_NAMES
        ):
            yield PiiSpan("NAME", match.start("pii"), match.end("pii"), word)
        elif match.group("self") and (
            match.group("self") in _EN_SAFE_GIVEN or match.group("self").capitalize() in _EN_GIVEN_NAMES
        ):
            yield PiiSpan("NAME", match.start("self"), match.end("self"), match.group("self"))
    for match in _EN_OWNER_NAME.finditer(text):  # a holder's field: any two capitalised name words
        if not any(word in _EN_NOT_NAMES for word in match.group("pii").split()):
            yield PiiSpan("NAME", match.start("pii"), match.end("pii"), match.group("pii"))
    for match in _VIETNAMESE_NAME.finditer(text):
        if _unaccented(match.group("surname")) in _VIETNAMESE_SURNAMES:
            yield PiiSpan("NAME", match.start(), match.end(), match.group())


_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


# Rarer surnames that start common words too (常见, 单位, 管理, 路口): read as surnames only in a name's
# shape (given-name characters after them) where a strong word stands before it (病人 殷丽, 我叫常乐).
_LEXICON_SURNAMES = _SURNAMES | set("殷庞晏常樊骆蒙祁左尚涂钮郜厉戈廉管路乔闻莘宦艾鲍霍单应易简支原")
# Compound surnames that are also ordinary words (东方 east, 长孙 eldest grandson, 上官 …) need a cue.
_WORD_COMPOUNDS = {"东方", "长孙", "上官", "西门", "南宫", "公孙"}


def _chinese_name_like(name: str, strong: bool = False, cued: bool = False) -> bool:
    """A surname and one or two characters of the given-name table (陈建国, 欧阳倩倩, 张王秀英 with a
    husband's surname before her own), not a word; a rarer surname only with two given characters,
    or with one where the context is `strong` (a strong word before, the clause's end after); the rarer
    surnames that start words (常, 单, 管) only where `cued` (a strong word before)."""
    surname = 2 if name[:2] in _COMPOUND_SURNAMES else 1
    if len(name) == 4 and surname == 1 and name[0] in _COMMON_SURNAMES and name[1] in _COMMON_SURNAMES:
        surname = 2
    given = name[surname:]
    if not 1 <= len(given) <= 2 or name in _NOT_NAMES or name[:2] in _NOT_NAMES:
        return False
    if surname == 1:
        surnames = _LEXICON_SURNAMES if strong or cued else _SURNAMES
        if name[0] not in surnames or (name[0] not in _COMMON_SURNAMES and len(given) < 2 and not strong):
            return False
    return all(c in CHINESE_GIVEN_CHARACTERS for c in given)


# What stands right before a Chinese name: a kinship word, a role, a field, a verb of naming (我爸爸,
# 是, 叫, 写, 户主, 医师, 3床 …); weaker, a particle (了, 的, 和, 给 …) that needs a strong word after it.
_ZH_BEFORE_NAME = re.compile(
    _KIN_WORDS
    + r"(?:就是|是|叫)?[ \t:：]*$|(?P<strong>是|系|叫|名|写|户主|户名|抬头|签名|署名|车主|持卡人|收件人|联系人"
    r"|家属|患者|病人|医师|医生|护士|护士长|主任|老师|床|科的)[ \t:：]*$|(?:了|的|和|跟|与|及|为|给|问|找)[ \t]*$"
)
# What follows one: a clause's end, a word about the person (的, 今年, 说, 身份证, 电话 …) or, after a
# strong word before it only, a particle (和, 都, 也 …).
_ZH_AFTER_NAME = re.compile(
    r"(?P<strong>的|他|她|今年|说|最近|身份证|身分证|电话|手机|收|岁|女士|先生|一直|一起|昨天|今天|前天|去年|上周|上个月|现在"
    r"|已经|得了|患|出生|生于|生日|妈妈|爸爸|家属|同学|小朋友|打了?电话|打过电话)|和|与|跟|及|都|也|就|在|是|要|想|问|住|因|这|那|还|刚|做|吃|打"
    r"|开的|开了|开药|给我"
)


@lru_cache(maxsize=1)
def _cue_then_surname() -> re.Pattern[str]:
    """A surname character after the last character of a word before names, or after no Chinese
    character (where a compound surname may stand alone): one pass of the pattern engine, not a test
    in Python for each surname character of a long text."""
    cue = "".join(sorted(_ZH_CUE_LAST)).replace("\t", "\\t")
    surnames = "".join(sorted(_LEXICON_SURNAMES | {name[0] for name in _COMPOUND_SURNAMES}))
    compounds = "|".join(_COMPOUND_SURNAMES)
    return re.compile(rf"[{cue}](?P<at>[{surnames}])|(?:^|[^\u4e00-\u9fff])(?P<compound>{compounds})")


def _cued_chinese_names(text: str) -> Iterator[PiiSpan]:
    """A surname and given-name characters between a word that stands before names (a kinship word, a
    role, 是, 叫, 写 …) and one that follows them (的, 和, 今年, 电话 …, or a clause's end): 我爸爸邓国华和,
    发票抬头写郑丽娟，, 就是吴桂兰她; one side must be strong (提到了范德华和作用能 names nobody). A name of
    two characters needs a clause's end after it."""
    for match in _cue_then_surname().finditer(text):
        start = match.start("at") if match.group("at") else match.start("compound")
        compound = (
            text[start : start + 2] in _COMPOUND_SURNAMES and text[start : start + 2] not in _WORD_COMPOUNDS
        )
        if not compound and (start == 0 or text[start - 1] not in _ZH_CUE_LAST):
            continue
        before = _ZH_BEFORE_NAME.search(text, max(0, start - 8), start) if start else None
        if not before and not (compound and (start == 0 or not _is_cjk(text[start - 1]))):
            continue
        strong_before = compound or (
            before.group("strong") is not None
            or before.group().rstrip(" \t:：")[-1:] not in "了的和跟与及为给问找"
        )
        for length in (4, 3, 2):
            end = start + length
            name = text[start:end]
            if len(name) < length or not all(_is_cjk(c) for c in name):
                continue
            closed = end == len(text) or not _is_cjk(text[end])
            if text[end - 1 : end + 1] in _WORDS_AFTER_NAME:
                continue  # (吴涛一起: the name is 吴涛)
            if not _chinese_name_like(name, strong=strong_before and closed, cued=strong_before):
                continue
            if end < len(text) and _is_cjk(text[end]):
                after = _ZH_AFTER_NAME.match(text, end)
                if length == 2 and name[:2] not in _COMPOUND_SURNAMES:
                    continue
                # after a strong word, a surname and two given-name characters need nothing after them
                # (患者傅玉兰行动不便, 我老板白建华天天…)
                full = length == 3 and strong_before and before is not None and before.group("strong") != "是"
                if not after and not full:
                    continue
                if not strong_before and after.group("strong") is None:
                    continue
            yield PiiSpan("NAME", start, end, name)
            break


# A transliterated name with its middle dot (艾力·买买提, 古丽·阿不都, 阿卜杜热合曼·艾买提): a person's name
# wherever it stands, also right after a kinship word (我女儿佟佳·思雨), which is no part of it.
_DOTTED_NAME = re.compile(
    r"(?:(?<![\u4e00-\u9fff])|(?<=[叫是名])|"
    + _KIN_WORDS
    + r")(?P<pii>(?!我?"
    + _KIN_WORDS
    + r")(?:(?![叫是名])[\u4e00-\u9fff]){2,6}[·•・][\u4e00-\u9fff]{2,6})(?![\u4e00-\u9fff])"
)
# A field that holds a person's name, and the value filling it (孩子妈妈：卓玛；姓名：扎西次仁): any name,
# with or without a Han surname.
_NAME_FIELD = re.compile(
    r"(?:姓名|名字|患者姓名|病人姓名|联系人|紧急联系人|家属|车主|户名|户主|持卡人|收件人|签名|居民|签约居民|申请人|投保人"
    r"|被保险人|参保人|委托人|监护人|受检者|就诊人|"
    + _KIN_WORDS[3:-1]
    # (after a colon, in a table's cells: 姓名 | 王芳 |, or in brackets: 联系人（王芳）)
    + r")[ \t]*(?:[：:]|(?P<boxed>[|｜（(]))[ \t]*(?P<pii>[\u4e00-\u9fff]{2,4})(?=[；;，,。.\s|｜)）]|$)"
)
_KIN_ONLY = re.compile(_KIN_WORDS)
# A romanised name right after the Chinese one it spells (陳大文 Chan Tai Man, 方嘉欣 Fong Ka Yan).
_ROMANISED_AFTER = re.compile(r"[ \t]+(?P<pii>[A-Z][a-z]+(?:[ \t][A-Z][a-z]+){1,2})(?![\w'’-])")
# A given name in Latin letters between Chinese words or spaces (和 Jason 一起, 孩子爸爸 Mark 说).
_LATIN_WORD_IN_CHINESE = re.compile(
    r"(?<=[\u4e00-\u9fff ，,：:])(?P<pii>[A-Z][a-z]{2,})(?=[ \u4e00-\u9fff，,。])"
)


# A Chinese surname alone after an English title (Dr. 刘 said, Nurse 王).
_EN_TITLE_ZH_SURNAME = re.compile(
    r"\b(?:Dr|Doctor|Nurse|Prof|Mr|Mrs|Ms)\.?[ \t]?(?P<pii>"
    + "|".join(_COMPOUND_SURNAMES)
    + "|["
    + "".join(sorted(_SURNAMES))
    + r"])(?![\u4e00-\u9fff])"
)


def _lexicon_chinese_names(text: str) -> Iterator[PiiSpan]:
    """A Chinese name standing alone between non-Chinese characters (spaces, punctuation, digits, the
    ends of the text): a surname and given-name characters, wherever the name stands; a dotted
    transliterated name; the value of a name field; a romanised name after a Chinese one; a given
    name in Latin letters among Chinese words."""
    for match in _CJK_RUN.finditer(text):
        start = match.start()
        if not 2 <= match.end() - start <= 4 or (start > 0 and text[start - 1].isdigit()):
            continue  # (after a number, a unit: 孩子10周大)
        if _chinese_name_like(match.group()):
            yield PiiSpan("NAME", start, match.end(), match.group())
            after = _ROMANISED_AFTER.match(text, match.end())
            if after and not any(word in _EN_NOT_NAMES for word in after.group("pii").split()):
                yield PiiSpan("NAME", after.start("pii"), after.end("pii"), after.group("pii"))
    yield from _spans(_DOTTED_NAME, text, "NAME") if "·" in text or "•" in text or "・" in text else ()
    yield from _spans(_EN_TITLE_ZH_SURNAME, text, "NAME") if _ASCII_WORD.search(text) else ()
    if "：" in text or ":" in text or "|" in text or "(" in text or "（" in text:
        for match in _NAME_FIELD.finditer(text):
            name = match.group("pii")
            if match.group("boxed") and not _chinese_name_like(name, strong=True, cued=True):
                continue  # (家属（签字）, 姓名 | 性别: a cell or bracket holds a name only in a name's shape)
            if (
                name not in _NOT_NAMES
                and not _KIN_ONLY.fullmatch(name)
                and not any(c in _NOT_GIVEN for c in name)
                and not _TITLE_START.search(name, 1)  # 收件人：张主任 names the surname only
            ):
                yield PiiSpan("NAME", match.start("pii"), match.end("pii"), name)
    for match in _LATIN_WORD_IN_CHINESE.finditer(text) if _ASCII_WORD.search(text) else ():
        word = match.group("pii")
        if word in _EN_CAPITALISED_GIVEN and word not in _EN_NOT_NAMES:
            # a lone word: no Latin word right before or after it (一起 Mark 说, not "做 Mark Down")
            before = text[max(0, match.start() - 3) : match.start()].rstrip(" ")
            after = text[match.end() : match.end() + 3].lstrip(" ")
            if not re.search(r"[A-Za-z]$", before) and not re.match(r"[A-Za-z]", after):
                yield PiiSpan("NAME", match.start("pii"), match.end("pii"), word)


# A romanised given name of two hyphened syllables (jae-won, sung-min, mei-ling), not a prefixed word
# (re-do, co-op, ex-wife, x-ray, follow-up).
_EN_HYPHENED_GIVEN = re.compile(
    r"(?!(?:re|co|ex|in|on|up|so|no|non|pre|self|well|half|step|post|anti|mid|multi|semi|super)-)[a-z]{2,5}-[a-z]{2,5}"
)


def _lower_name(match: re.Match[str]) -> Iterator[PiiSpan]:
    """A name written in lower case: its first word a given name; a second joins unless an ordinary word."""
    words = match.group("pii").split()
    if "-" in words[0] and not _EN_HYPHENED_GIVEN.fullmatch(words[0]):
        return
    if (
        not _EN_HYPHENED_GIVEN.fullmatch(words[0])
        and words[0].capitalize() not in _EN_GIVEN_NAMES
        and not (
            # a census given name where a pronoun, verb or stop follows it ("my nephew kenji hes 12")
            words[0].capitalize() in _EN_SAFE_GIVEN and (len(words) > 1 and words[1] in _EN_LOWER_AFTER_NAME)
        )
    ):
        return
    for count, word in enumerate(words[1:], 1):
        if (
            word in _EN_LOWER_WORDS
            or word in _EN_LOWER_AFTER_NAME
            or word.capitalize() in _EN_NOT_NAMES
            # a third word only after a middle name (margaret ann o'brien, not linda morales fell)
            or (count == 2 and words[1].capitalize() not in _EN_CAPITALISED_GIVEN)
        ):
            words = words[:count]
            break
    start = match.start("pii")
    yield PiiSpan("NAME", start, start + len(" ".join(words)), " ".join(words))


# Casual messages name people without a title: "me and jenny took mum", "told dave his bloods …",
# "王芳和李强昨天…", "跟刘洋说一下". A given name from the lexicon (which leaves out the ones that are
# also words) is taken beside a word that links or addresses people; a Chinese surname with one or two
# given characters only between such words on both sides (a clause's start or 和, 跟, 让 … before it; 和,
# 说, 今天, 打电话 … after it), so 高血压, 叶酸, 方便 stay words.
_EN_CASUAL_BEFORE = (
    r"(?:^|\b(?:and|n|&|with|w/|ask|asked|tell|told|call|called|text|texted|txt|remind|reminded"
    r"|its|it's|it’s|for|from|thank|thanks|thx|hi|hey|hello|saw|met|me|u|you)\s+)"
)
_EN_CASUAL_AFTER = (
    r"(?=['’]s\b|\s+(?:and|n|&|said|says|say|told|tells|took|takes|is|was|has|had|got|gets"
    r"|asked|wants|wanted|came|went|says|thinks|thought|reckons|just|also|too|both|his|her|if|about|to|will|would"
    r"|can|could|should|did|does|didn't|doesn't|isn't|wasn't|hasn't|won't|can't|who|that|here|again|'s|’s)\b)"
)
_EN_CASUAL = re.compile(
    rf"{_EN_CASUAL_BEFORE}(?P<pii>[A-Za-z][a-z]+)\b|\b(?P<next>[A-Za-z][a-z]+){_EN_CASUAL_AFTER}"
)
# A surname after a casual given name, in the same case, where a linking word or a verb follows it
# ("me and sarah jones went …", "Tom Baker and …").
_EN_CASUAL_SURNAME = re.compile(
    r"[ \t](?P<pii>[A-Za-z][a-z]+)(?=\s*[,.!?]|\s*$)|[ \t](?P<pii2>[A-Za-z][a-z]+)" + _EN_CASUAL_AFTER
)
# Verbs whose object is a person: a capitalised census given name after them is one ("call Kim at …").
_EN_CALL_VERB = re.compile(
    r"\b(?:ask|asked|tell|told|call|called|text|texted|remind|reminded|thank|thanks)\s+$"
)
_EN_ITS_BEFORE = re.compile(r"\b(?:its|it's|it’s|im|i'm)\s+$")
_EN_CASUAL_FULL = re.compile(
    r"\b(?:wife|husband|daughter|son|mother|father|sister|brother|partner|niece|nephew|granddaughter|grandson"
    r"|dependent|dependant|spouse|fianc[ée]e?|pt|he is|she is|he's|she's|[a-z]{3,}ist|nurse|doctor|physio)\s+"
    rf"(?P<pii>{_EN_NAME_WORD}(?:{_EN_GAP}{_EN_NAME_WORD}){{1,2}})(?![\w'’])"
)
_EN_CASUAL_KIN_ONE = re.compile(
    r"\b(?:wife|husband|daughter|son|mother|father|sister|brother|partner|niece|nephew|granddaughter|grandson)\s+"
    rf"(?P<pii>{_EN_NAME_WORD})(?=\s+(?:at|is|was|has|and|who|in|on|with)\b|\s*[,.;)]|\s*$)"
)
_EN_KIN_OR_DEPENDENT = re.compile(
    r"\b(?:wife|husband|daughter|son|mother|father|sister|brother|partner|niece|nephew|granddaughter|grandson"
    r"|dependent|dependant|spouse)\s+$"
)
_EN_ASK_FOR = re.compile(
    rf"\b(?:ask for|attn:?|attention:?|for)\s+(?P<pii>{_EN_NAME_WORD}(?:{_EN_GAP}{_EN_NAME_WORD})?)\s*[.!]?\s*$"
)
_EN_LOWER_DR = re.compile(r"\b(?:dr|doc)\.\s(?P<pii>[a-z]{3,})\b")
# … and without the dot, or after "doctor", only a census surname or a hyphenated pair (dr patel, dr hartmann-ruiz)
# ("doctor" and "nurse" are also nouns before verbs that are surnames too, so only where a verb of saying follows)
_EN_LOWER_DOCTOR = re.compile(
    r"(?<![\w.])(?:dr[ \t](?P<pii>[a-z]{2,}(?:-[a-z]{2,})?)(?![\w'’.-])"
    r"|(?:doctor|nurse)[ \t](?P<pii2>[a-z]{2,})(?=[ \t](?:said|says|told|thinks|wants|gave|prescribed)\b))"
)
_EN_NOT_LOWER_SURNAMES = _word_set(
    "may might say even first also just will can then only never ever still very much more"
)
_EN_AND_KNOWN = re.compile(r"\b(?P<a>[A-Z][a-z]+) (?:and|&) (?P<b>[A-Z][a-z]+)\b")
_SAINT = re.compile(r"\b[Ss][Tt]\.?\s$|\b[Ss]aint\s$")
# Given names that are also ordinary lower-case words (to bob, a nick, jeans) are taken capitalised only.
_EN_LOWER_WORD_NAMES = _word_set(
    "bob nick jean ali ana dan leo carl sam mei wei noor siti linh tuan minh ian"
)
_ZH_NAME_AFTER = re.compile(
    r"和|跟|与|说|让|一起|今天|昨天|明天|前天|刚才|刚刚|早上|上午|中午|下午|晚上|昨晚|也|都|又|还|已经|一直|最近|打电话"
    r"|发消息|告诉|问我|跟我|给[我你他她]|是我的?[妈爸姐哥弟妹老儿女朋同爱奶爷外婆公舅姑姨叔伯闺对]|陪|带|在|他[们爸妈]|她[们爸妈]|住院|发烧|咳嗽|拉肚子|[，,。！!？?、]|$"
)
_ZH_LINK = re.compile(
    r"(?:[和跟与同让给带说陪找喊帮]|问问?|告诉|叫上|通知|提醒|刚才|刚刚|今天|昨天|后来|然后)$"
)
_EN_CASUAL_GATE = re.compile(
    r"(?i:\b(?:and|n|&|with|ask|asked|tell|told|call|called|text|texted|txt|remind|its|it's|for|from|thank|thanks|thx|hi"
    r"|hey|hello|saw|met|me|u|you|said|says|took|is|was|has|had|got|wife|husband|daughter|son|mother|father|sister|brother"
    r"|partner|dependent|dependant|spouse|pt|dr|doc|he|she|nurse|doctor|physio|attn|attention|[a-z]{3,}ist)\b)"
)
# A clinician's surname alone after the role and a colon or space, ending its clause (主管医师：沈,
# 护士长 严 电话…, 口腔科的唐).
_ROLE_THEN_SURNAME = re.compile(
    r"(?:医师|医生|大夫|护士长|护士|主任|药师|科的)(?:[:：][ \t]*|[ \t]+|(?<=科的))"
    "(?P<pii>[" + "".join(sorted(_COMMON_SURNAMES)) + r"])(?=[ \t\n，,。；;！!]|$)"
)
_COMMON_SURNAME_CHAR = re.compile("[" + "".join(sorted(_COMMON_SURNAMES)) + "]")
# After these (not after 和, 跟, 说 …, which join words too: 频繁和严重，) a name may end its clause.
_ZH_ASK = re.compile(r"(?:问问?|告诉|让|找|通知|提醒|喊|陪|叫上|给)$")
# After a clause's start a name needs a person's doing after it, not just a conjunction (高表达和低表达).
_ZH_PERSON_AFTER = re.compile(
    r"说|让|[和跟][他她我]|是我的?[妈爸姐哥弟妹老儿女朋同爱奶爷外婆公舅姑姨叔伯闺对]|今天|昨天|明天|前天|刚才|刚刚|早上|上午|中午|下午|晚上|昨晚|打电话|发消息|告诉|问我|跟我"
    r"|[他她]们|住院|发烧"
)


# A nickname (小王, 老李, 小明) opening a clause as the subject of what a person does (小王说…, 老李最近…,
# 小明昨晚吐了): 小时候, 小便 and 老毛病 are words, and words follow them.
_ZH_CLAUSE_NICKNAME = re.compile(
    "(?:^|(?<=[，,。；;！!？?、\\s]))(?P<pii>[小老]["
    + "".join(sorted(_COMMON_SURNAMES))
    + "]|小[\u4e00-\u9fff])"
)
_ZH_SUBJECT_AFTER = re.compile(_ZH_PERSON_AFTER.pattern + "|最近|一直|已经|今早|得了|也|又|还")


def _casual_names(text: str, english: bool) -> Iterator[PiiSpan]:
    if english and _EN_CASUAL_GATE.search(text):
        position = 0
        while match := _EN_CASUAL.search(text, position):
            group = "pii" if match.group("pii") else "next"
            word = match.group(group)
            # the word taken may itself be the cue of the next one ("can you ask Maria"): search on from it
            position = match.start(group) if match.start(group) > match.start() else match.end()
            self_named = _EN_ITS_BEFORE.search(text, max(0, match.start(group) - 6), match.start(group))
            called = (
                group == "pii"
                and word.istitle()
                and word in _EN_SAFE_GIVEN
                and _EN_CALL_VERB.search(text, max(0, match.start() - 1), match.start(group))
            )
            if (word.capitalize() not in _EN_GIVEN_NAMES and not called) or (
                word.islower() and word in _EN_LOWER_WORD_NAMES and not self_named
            ):
                continue
            if not (word.islower() or word.istitle()):
                continue
            if _SAINT.search(text, max(0, match.start(group) - 4), match.start(group)):  # St. Louis
                continue
            if word.istitle() and text[match.end(group) : match.end(group) + 1] in ("'", "’"):
                continue  # a capitalised possessive is taken by the rules for possessives (John's mother is no cue)
            end = match.end(group)
            surname = _EN_CASUAL_SURNAME.match(text, end)
            second = surname and (surname.group("pii") or surname.group("pii2"))
            if second and second.islower() == word.islower():
                if (
                    second not in _EN_LOWER_WORDS
                    and second.capitalize() not in _EN_NOT_NAMES
                    and second[-2:]
                    not in (
                        "ed",
                        "ly",
                        "ng",
                    )
                ):
                    end = surname.end()
            yield PiiSpan("NAME", match.start(group), end, text[match.start(group) : end])
        for pattern in (_EN_CASUAL_FULL, _EN_CASUAL_KIN_ONE, _EN_ASK_FOR):
            for span in _spans(pattern, text, "NAME"):
                words = span.text.split()
                kin = pattern is _EN_CASUAL_KIN_ONE or _EN_KIN_OR_DEPENDENT.search(text, 0, span.start)
                if not any(w in _EN_NOT_NAMES or w in _EN_NOT_FIRST_NAMES for w in words) and (
                    words[0] in _EN_SAFE_GIVEN or kin
                ):
                    yield span
        for span in _spans(_EN_LOWER_DR, text, "NAME"):
            if span.text not in _EN_LOWER_WORDS and span.text.capitalize() not in _EN_NOT_NAMES:
                yield span
        surnames = english_surnames()
        for match in _EN_LOWER_DOCTOR.finditer(text):
            group = "pii" if match.group("pii") else "pii2"
            span = PiiSpan("NAME", match.start(group), match.end(group), match.group(group))
            if (
                span.text not in _EN_LOWER_WORDS
                and span.text not in _EN_NOT_LOWER_SURNAMES
                and span.text.capitalize() not in _EN_NOT_NAMES
                and ("-" in span.text or span.text.capitalize() in surnames)
            ):
                yield span
        for match in _EN_AND_KNOWN.finditer(
            text
        ):  # "told Amir and Jess": one known name vouches for the other
            a, b = match.group("a"), match.group("b")
            if (a in _EN_SAFE_GIVEN or b in _EN_SAFE_GIVEN) and not {a, b} & (
                _EN_NOT_NAMES | _EN_NOT_FIRST_NAMES
            ):
                if match.start() > 0 and text[match.start() - 2 : match.start()].strip() not in (
                    ".",
                    "!",
                    "?",
                    "",
                ):
                    yield PiiSpan("NAME", match.start("a"), match.end("a"), a)
                    yield PiiSpan("NAME", match.start("b"), match.end("b"), b)
    if not _CJK_CHAR.search(text):
        return
    for match in _ZH_CLAUSE_NICKNAME.finditer(text) if "小" in text or "老" in text else ():
        nickname, end = match.group("pii"), match.end("pii")
        if nickname[1] not in _COMMON_SURNAMES and nickname[1] not in CHINESE_GIVEN_CHARACTERS:
            continue
        if (
            nickname not in _NOT_NICKNAMES
            and nickname[1] not in _NOT_GIVEN
            and _ZH_SUBJECT_AFTER.match(text, end)
        ):
            yield PiiSpan("NAME", match.start("pii"), end, nickname)
    for match in _ZH_NICKNAME.finditer(text):
        start, end, nickname = match.start(), match.end(), match.group()
        if nickname in _NOT_NICKNAMES or nickname[-1] in _NOT_GIVEN:
            continue
        after_kin = _KIN_BEFORE_NICKNAME.search(text, max(0, start - 5), start)
        after_and = nickname[0] == "阿" and _AND_BEFORE_NICKNAME.search(text, max(0, start - 2), start)
        if after_and and _AH_AFTER.match(text, end):
            yield PiiSpan("NAME", start, end, nickname)
        elif after_kin and (_ZH_NAME_AFTER.match(text, end) or text[end : end + 1] in ("大", "还")):
            yield PiiSpan("NAME", start, end, nickname)
    if "医" in text or "护" in text or "主任" in text or "大夫" in text or "科的" in text:
        yield from _spans(_ROLE_THEN_SURNAME, text, "NAME")
    for match in _COMMON_SURNAME_CHAR.finditer(text):
        start = match.start()
        before = text[max(0, start - 2) : start]
        clause_start = start == 0 or text[start - 1] in _CLAUSE_EDGE or text[start - 1] in " \n"
        if not (clause_start or _ZH_LINK.search(before)):
            continue
        if start >= 1 and text[start - 1 : start + 1] in _WORDS_ENDING_IN_SURNAME:
            continue
        end = _zh_casual_name(text, start, clause_start, before, 0)
        depth = 0
        while end is not None:  # … and the names of the list it opens (张伟、李娜都…: 李娜 too)
            yield PiiSpan("NAME", start, end, text[start:end])
            depth += 1
            listed = clause_start and depth < 5 and text[end : end + 1] in ("和", "、")
            start, end = end + 1, _zh_casual_name(text, end + 1, True, "", depth) if listed else None


# (found by their first characters, then the kin word before them is checked: one scan, not one per kin word)
_KIN_LAST = "".join(sorted(set(re.findall(r"([\u4e00-\u9fff])(?=[|)?])", _KIN_WORDS)) | set("有和跟")))
# The last characters of the words _ZH_BEFORE_NAME takes: a cheap test before that pattern runs.
_ZH_CUE_LAST = frozenset(_KIN_LAST + "是系叫名写主头署人属者师生士长任床了的和跟与及为给问找 \t:：")
_ZH_NICKNAME = re.compile(
    rf"(?<=[{_KIN_LAST}])"
    r"(?P<pii>小[\u4e00-\u9fff]|阿[\u4e00-\u9fff]|(?P<twice>(?![妈爸哥姐弟妹爷奶宝叔伯婆公舅姑姥嫂太])[\u4e00-\u9fff])(?P=twice))"
)
_KIN_BEFORE_NICKNAME = re.compile(_KIN_WORDS + "$")
_AND_BEFORE_NICKNAME = re.compile(r"(?:还有|和|跟)$")
_AH_AFTER = re.compile(r"一起|也|都|说|[，,。\s]|$")
# Someone named by a nickname, a surname or 姓 X, then by the full name after a space (我是小林 林晓雯,
# 姓雷 雷振东): the full name is the name.
_FULL_NAME_AFTER = re.compile(r"的?[ \t]+(?P<pii>[\u4e00-\u9fff]{2,3})(?=[\s，,。！!？?]|$|他|她)")


def _full_name_after(text: str, span: PiiSpan) -> PiiSpan:
    surname = span.text[-1]
    if not (1 <= len(span.text) <= 2) or (len(span.text) == 2 and span.text[0] not in "小老"):
        return span
    full = _FULL_NAME_AFTER.match(text, span.end)
    if full and full.group("pii")[0] == surname and all(c not in _NOT_GIVEN for c in full.group("pii")[1:]):
        return PiiSpan("NAME", full.start("pii"), full.end("pii"), full.group("pii"))
    return span


def _zh_casual_name(text: str, start: int, clause_start: bool, before: str, depth: int) -> int | None:
    """End of a surname + one or two given characters at `start` that a person's word follows; at a
    clause's start, one a list of such names continues (张伟、李娜和王芳都…, not 高成本、高蛋白、…)."""
    for end in (start + 3, start + 2):
        name = text[start:end]
        if len(name) < end - start or text[start] not in _COMMON_SURNAMES:
            continue
        if not all(_is_cjk(c) and c not in _NOT_GIVEN for c in name[1:]):
            continue
        if name in _NOT_NAMES or name[:2] in _NOT_NAMES or _TITLE_START.match(text, start + 1):
            continue
        after = _ZH_NAME_AFTER.match(text, end)
        if not after:
            continue
        listed = text[end : end + 1] in ("和", "、")
        if clause_start and not _ZH_PERSON_AFTER.match(text, end):
            # the last of a list may end at any person's word (…和杨颖在一起), the others go on to the next
            last = depth and not listed and after.group() not in "，,。！!？?"
            if not last and not (
                listed and depth < 4 and _zh_casual_name(text, end + 1, True, "", depth + 1)
            ):
                continue
        if not clause_start and after.group() in "，,。！!？?、" and not _ZH_ASK.search(before):
            continue
        return end
    return None


def _with_third_word(text: str, span: PiiSpan) -> PiiSpan:
    """A two-word English name with the capitalised name word right after it (Tan Wei Ming, Ana Cruz
    de la Torre) and a generational suffix with its period (Robert Kline Sr., Ignatius Mwangi Jr.)."""
    words = span.text.split()
    if not 2 <= len(words) <= 3 or not span.text.isascii():
        return span
    end = span.end
    third = _EN_THIRD_WORD.match(text, end) if len(words) == 2 else None
    if third and third.group("pii") not in _EN_NOT_NAMES and third.group("pii") not in _EN_GIVEN_NAMES:
        end = third.end("pii")
    suffix = _EN_NAME_SUFFIX.match(text, end)
    end = suffix.end() if suffix else end
    return span if end == span.end else PiiSpan("NAME", span.start, end, text[span.start : end])


def _fills_clause(text: str, start: int, end: int) -> bool:
    """A name from `start` to `end` that runs to its clause's end (or to 就, 即, 说: 找孙丽娟就行)."""
    return (
        end - start >= 2
        and end <= len(text)
        and (end == len(text) or text[end] in _CLAUSE_EDGE or text[end] in "就即说吧他她 \n")
    )


def _clause_name(text: str, start: int, end: int) -> PiiSpan | None:
    """`text[start:end]` as a name standing alone in its clause, or None."""
    name = text[start:end]
    if not 2 <= len(name) <= 3 or not all(_is_cjk(c) for c in name):
        return None
    addressee = text[end : end + 1] == "收" and (end + 1 == len(text) or text[end + 1] in _CLAUSE_EDGE)
    if (start > 0 and text[start - 1] not in _CLAUSE_EDGE) or (
        end < len(text) and text[end] not in _CLAUSE_EDGE and not addressee
    ):
        return None
    if name in _NOT_NAMES or name[0] not in _SURNAMES or any(c in _NOT_GIVEN for c in name[1:]):
        return None
    return PiiSpan("NAME", start, end, name)


_SPACED_TOKEN = re.compile(r"(?:^|(?<=[ \t]))(?P<pii>[\u4e00-\u9fff]{2,3})(?=[ \t]|\s*$)")


def _spaced_name(text: str, start: int, end: int) -> PiiSpan | None:
    """A name typed between spaces (…@163.com 王小梅 谢谢) where a casual message uses spaces for commas."""
    name = text[start:end]
    if name in _NOT_NAMES or name[:2] in _NOT_NAMES or name[0] not in _COMMON_SURNAMES:
        return None
    if any(c in _NOT_GIVEN for c in name[1:]) or _TITLE_START.match(text, start + 1):
        return None
    return PiiSpan("NAME", start, end, name)


def _clause_before(text: str, end: int) -> PiiSpan | None:
    start = end
    while start > 0 and end - start < 4 and _is_cjk(text[start - 1]):
        start -= 1
    return _clause_name(text, start, end)


def _clause_after(text: str, start: int) -> PiiSpan | None:
    end = start
    while end < len(text) and end - start < 4 and _is_cjk(text[end]):
        end += 1
    if end - start >= 3 and text[end - 1] == "收":  # the addressee of a parcel (吕晨收)
        end -= 1
    return _clause_name(text, start, end)


_HANDLE_WORD = re.compile(r"[a-z]{3,}")
_HOST = re.compile(r"^(?:https?://)?[^/?#]*", re.I)
_EN_NAME_RUN = re.compile(rf"\b{_EN_NAME_WORD}(?:\s{_EN_NAME_WORD})?\b")


def _mentioned_names(text: str) -> Iterator[PiiSpan]:
    for match in _MENTION.finditer(text):
        name = match.group("pii")
        if _is_cjk(name[0]):
            if name in _NOT_MENTIONED or any(c in _NOT_GIVEN for c in name) or _HONORIFIC.fullmatch(name):
                continue
        elif name in _EN_NOT_NAMES or name in _EN_ADDRESSED or name in _CHAT_ROLES:
            continue
        yield PiiSpan("NAME", match.start("pii"), match.end("pii"), name)


def _handle_names(text: str, found: list[PiiSpan]) -> Iterator[PiiSpan]:
    """Capitalised words that spell the words of an email's user or of a path on a personal host
    (a profile, a post) found in the same text ("https://twitter.com/jessica_runs_26 (Jessica)", "kate.m.rivera@… - Kate")."""
    words: set[str] = set()
    for span in found:
        if span.type == "EMAIL":
            words.update(_HANDLE_WORD.findall(span.text.split("@")[0].lower()))
        elif span.type == "URL" and _PERSONAL_HOST.search(_HOST.match(span.text).group().split("//")[-1]):
            words.update(_HANDLE_WORD.findall(_HOST.sub("", span.text).lower()))
    if not words:
        return
    inside = [(span.start, span.end) for span in found]
    for match in _EN_NAME_RUN.finditer(text):
        names = match.group().split()
        if all(n.lower() in words and n not in _EN_NOT_NAMES for n in names) and not any(
            a <= match.start() < b for a, b in inside
        ):
            yield PiiSpan("NAME", match.start(), match.end(), match.group())


def _bare_names(text: str, found: list[PiiSpan]) -> Iterator[PiiSpan]:
    """Names standing alone in a clause beside a contact detail or word ("韩雪，电话…"), a patient's
    sex or age ("王建国，男，65岁"), or thanks at the end ("谢谢！李明")."""
    candidates = []
    for span in found:
        if span.type in _CONTACT_TYPES:
            before, after = span.start, span.end  # past the spaces around it: "…@sina.com ，陈佳，"
            while before > 0 and text[before - 1] == " ":
                before -= 1
            while after < len(text) and text[after] == " ":
                after += 1
            if before >= 2 and text[before - 1] in _CLAUSE_EDGE:
                candidates.append(_clause_before(text, before - 1))
            if after + 1 < len(text) and text[after] in _CLAUSE_EDGE:
                candidates.append(_clause_after(text, after + 1))
            if _ASCII_WORD.search(text):
                after = _EN_CLAUSE_AFTER.match(text, span.end)
                before = _EN_CLAUSE_BEFORE.search(text, 0, span.start)
                right_before = (
                    _EN_RIGHT_BEFORE.search(text, max(0, span.start - 60), span.start)
                    if span.type in ("PHONE", "EMAIL")  # before an ID number stand its label's words
                    else None
                )
                candidates += [
                    PiiSpan("NAME", m.start("pii"), m.end("pii"), m.group("pii"))
                    for m in (after, before, right_before)
                    if m and not any(word in _EN_NOT_NAMES for word in m.group("pii").split())
                ]
    for pattern in (_CONTACT_AFTER, _PATIENT_HEADER):
        candidates += (_clause_before(text, match.start()) for match in pattern.finditer(text))
    last = _clause_before(text, len(text.rstrip("。.！! ")))
    # After a sentence's end, only a message that carries the writer's identifiers is taken as signed.
    signed = any(span.type in _CONTACT_TYPES for span in found)
    if last is not None and (
        _THANKS.search(text, 0, last.start)
        or (signed and _SIGN_OFF_START.search(text, 0, last.start))
        or _DASH_START.search(text, 0, last.start)
    ):
        candidates.append(last)
    if signed and " " in text:
        for token in _SPACED_TOKEN.finditer(text):
            candidates.append(_spaced_name(text, token.start("pii"), token.end("pii")))
    nickname = _DASH_NICKNAME.search(text, max(0, len(text) - 12))
    if nickname and nickname.group("pii") not in _NOT_NICKNAMES:
        candidates.append(PiiSpan("NAME", nickname.start("pii"), nickname.end("pii"), nickname.group("pii")))
    yield from (span for span in candidates if span is not None)


def _addresses(text: str, low: str, digits: bool) -> Iterator[PiiSpan]:
    zh = _ADDRESS_STREET.search(text) and any(c in text for c in "省市区县住址寄送港澳园苑寓厦")
    if not digits:  # an address without a number ends at its road, after a word that introduces it
        introduced = zh and ("区" in text or "县" in text) and _ADDRESS_INTRODUCED.search(text)
        for match in _ZH_ADDRESS.finditer(text) if introduced else ():
            group = next(name for name in ("pii", "after", "city", "district", "estate") if match.group(name))
            start, run = match.start(group), match.group(group)
            while group in ("city", "district", "estate") and run[0] in _ADDRESS_LEAD:
                start, run = start + 1, run[1:]
            ended = _ADDRESS_ROAD_END.match(run)
            if ended:
                yield PiiSpan("ADDRESS", start, start + ended.end(), ended.group(0))
        return
    for match in _ZH_ADDRESS.finditer(text) if zh else ():
        group = next(name for name in ("pii", "after", "city", "district", "estate") if match.group(name))
        start, run = match.start(group), match.group(group)
        while group in ("city", "district", "estate") and run[0] in _ADDRESS_LEAD:
            start, run = start + 1, run[1:]
        ended = _ADDRESS_END.match(run) or _ADDRESS_ROAD_END.match(run)
        if ended and _ADDRESS_STREET.search(ended.group(0)):
            yield PiiSpan("ADDRESS", start, start + ended.end(), ended.group(0))
    if _ASCII_WORD.search(text):
        yield from _spans(_EN_ADDRESS, text, "ADDRESS")
        yield from _spans(_EN_UNIT_FIRST, text, "ADDRESS")
        if _EU_STREET_GATE.search(low):
            yield from _spans(_EU_ADDRESS, text, "ADDRESS")
    if "/F" in text or "-ku" in text or "-shi" in text or "로" in text or "길" in text:
        yield from _spans(_ASIA_ADDRESS, text, "ADDRESS")


# A mobile number written in Chinese numerals (一三九一二三四五六七八, 幺 for one).
_CHINESE_NUMERAL_MOBILE = re.compile(
    r"(?<![一二三四五六七八九〇零十幺两])(?P<pii>[一幺][三四五六七八九][一二三四五六七八九〇零幺](?: ?[一二三四五六七八九〇零幺]{4}){2})"
    r"(?![一二三四五六七八九〇零十幺两])"
)


def _phones(text: str, low: str) -> Iterator[PiiSpan]:
    patterns = [(_MOBILE, _personal_phone), (_NANP, _personal_phone)] if _THREE_DIGITS.search(text) else []
    patterns += [(_TRUNK, _national_phone)] if "0" in text else []
    patterns += [(_INTERNATIONAL, _international_phone)] if "+" in text or _DOUBLE_ZERO.search(text) else []
    for pattern, valid in patterns:
        yield from _not_after_order_word(text, _spans(pattern, text, "PHONE", valid))
    if _PHONE_GATE.search(low):  # a phone word names the number whatever its layout
        yield from _spans(_PHONE_CONTEXT, text, "PHONE", _personal_phone)


_DOUBLE_ZERO = re.compile(r"(?<!\d)00[1-9]")
_EXTENSION_TAIL = re.compile(_EXTENSION.removesuffix("?") + "$")
_DATE_GROUPS = re.compile(r"\(?\d{1,2}\)?[ -]\d{1,2}[ -](?:19|20)\d{2}\b")


def _national_phone(number: str) -> bool:
    """9–12 digits besides an extension (a trunk number in any layout), not a date (05-06-2023 10)."""
    main = _EXTENSION_TAIL.sub("", number)
    groups = re.split(r"[ .-]+", re.sub(r"[()]", " ", main).strip())
    if len(_digits(main)) > 12 and len(groups) >= 3 and len(groups[-1]) <= 5 and len(groups[-2]) >= 7:
        groups = groups[:-1]  # an extension after a hyphen (0755-26881234-806)
        main = main[: main.rindex(groups[-1]) + len(groups[-1])]
    # Phone numbers end in a group of three or more digits, or are written in pairs (06 12 34 56 78);
    # a code ending in a pair (an NDC, 0173-0682-20) is none.
    ends_well = len(groups[-1]) >= 3 or all(len(g) == 2 for g in groups[1:])
    return (
        9 <= len(_digits(main)) <= 12 and ends_well and not _DATE_GROUPS.match(main) and _personal_phone(main)
    )


def _international_phone(number: str) -> bool:
    main = _EXTENSION_TAIL.sub("", number)
    return 8 <= len(_digits(main)) <= 15 and _personal_phone(main)


def _personal_phone(number: str) -> bool:
    """Toll-free and service numbers (1-800-…, 400-…) belong to organisations, not to a person."""
    digits = _digits(number)
    return not re.match(r"(?:1?8(?:00|33|44|55|66|77|88)|400|800)\d{7}$", digits)


_LETTER_DIGIT = re.compile(r"(?=[A-Za-z]\d|\d[A-Za-z])")  # each change between letter and digit (A7D: two)


def _url_has_identifier(url: str) -> bool:
    host = re.match(r"(?:https?://)?([^/?#]*)", url, flags=re.I)
    rest = url[host.end() :]  # the host alone identifies no one
    return (
        bool(_URL_ID.search(rest))
        or (len(rest.strip("/")) > 1 and bool(_PERSONAL_HOST.search(host.group(1))))
        or bool(_PERSONAL_SUBDOMAIN.search(host.group(1)))  # someone's own blog: the host names them
        or any(_is_token(segment) for segment in re.split(r"[/?#&=]", rest))
    )


def _is_token(segment: str) -> bool:
    """A path segment that is a generated token (9KQ2-77XT-PL04, 8H2kPq9xL), not a word with a number in
    it (covid-19, h1n1, hba1c, COVID19Vaccine): letters and digits mixed three times or more, with four
    digits or more or with both cases."""
    mixed_case = segment.lower() != segment != segment.upper()
    return len(_LETTER_DIGIT.findall(segment)) >= 3 and (len(_digits(segment)) >= 4 or mixed_case)


_INSURER_WORD = re.compile(r"[A-Z]{2,5} (?=\d{8,}$)")


def _without_insurer_word(span: PiiSpan) -> PiiSpan:
    """An insurance number without the insurer's short name before it (policy number is AARP 0038472651)."""
    word = _INSURER_WORD.match(span.text)
    if not word:
        return span
    return PiiSpan(span.type, span.start + word.end(), span.end, span.text[word.end() :])


def _card_ok(value: str) -> bool:
    digits = _digits(value)
    return 13 <= len(digits) <= 19 and _luhn_ok(digits)


# Public figures and brands named after people, asked about in health questions (BRCA and Angelina Jolie,
# ALS and Lou Gehrig, whiskey and Jack Daniel’s): no one’s personal identifier.
_PUBLIC_NAMES = frozenset(
    {
        "Angelina Jolie",
        "Lou Gehrig",
        "Michael J. Fox",
        "Stephen Hawking",
        "Florence Nightingale",
        "Marie Curie",
        "Jack Daniel",
        "Seuss",
        "Tommy John",
        # doctors known from the media, real or fictional ("Dr. Fauci said on TV", "Dr. House那种诊断")
        "Fauci",
        "Dr. Oz",
        "Dr Oz",
        "Dr. Phil",
        "Dr Phil",
        "Dr. House",
        "Dr House",
        "钟南山",
        "张文宏",
        "李兰娟",
    }
)
_PUBLIC_NAME = re.compile(
    r"(?<![A-Za-z0-9_])(?:" + "|".join(re.escape(name) for name in sorted(_PUBLIC_NAMES)) + r")(?![a-z])"
)
# A single given name signing off after the last clause of a message with the writer's contact details
# ("pls ring 020 7946 0321 not my mobile, thanks. Ruth", "text me the results pls, Fiona").
_EN_LAST_GIVEN = re.compile(rf"[,.!][ \t]+(?P<pii>{_EN_NAME_WORD})[ \t]*[.!]?\s*$")


# A card number before 这张卡 / 的卡 (退到6222 0212 … 881这张卡): a card whatever its check digit.
_CARD_BEFORE_WORD = re.compile(
    r"(?<![\d.])(?P<pii>\d{4,6}(?:[ -]?\d{3,6}){2,4})[ \t]*(?=这张卡|那张卡|的卡|卡[里上内])"
)


def _births_after(text: str, names: list[PiiSpan]) -> list[PiiSpan]:
    """Birth dates right after a patient's name (not a clinician's), and a second one after those."""
    births = []
    for name in names:
        if _CLINICIAN_BEFORE.search(text, max(0, name.start - 16), name.start):
            continue
        match = _DATE_AFTER_NAME.match(text, name.end)
        if match:
            group = "pii" if match.group("pii") else "old"
            births.append(PiiSpan("DATE_OF_BIRTH", match.start(group), match.end(group), match.group(group)))
    return births + [
        span for birth in births for span in _spans_at(_DOB_ALSO, text, birth.end, "DATE_OF_BIRTH")
    ]


def find_pii(text: str) -> list[PiiSpan]:
    """Identifier spans in `text`, without overlaps (the longest span at a position wins; equal spans
    go to the type a keyword introduced, see _PRIORITY)."""
    probe = text.translate(_WIDTH) if _FULL_WIDTH.search(text) else text
    if _has_traditional(probe):  # 醫師, 電話, 號 read as 医师, 电话, 号
        probe = probe.translate(traditional_to_simplified())
    low = probe.lower()

    def has(*words: str) -> bool:  # a substring test before a costlier pattern runs
        return any(word in low for word in words)

    found: list[PiiSpan] = []
    if "@" in probe:
        found += _spans(_EMAIL, probe, "EMAIL")
    if has("at]", "(at)", "{at}", " at ") and has("dot", "."):
        found += _spans(_EMAIL_SPELT, probe, "EMAIL")
    if has("http", "www."):
        found += _spans(_URL, probe, "URL", _url_has_identifier)
    if "/" in probe and "." in probe:
        found += _spans(_BARE_URL, probe, "URL", _url_has_identifier)
    digits = _DIGIT.search(probe)
    births = []
    if digits or "年" in probe or "农历" in probe or "阴历" in probe or has("nineteen", "two thousand"):
        births += _DOB_BEFORE.find(probe, low, "DATE_OF_BIRTH")
        births += _DOB_FAR.find(probe, low, "DATE_OF_BIRTH") if digits else ()
    if digits and "born" in low:
        births += _spans(_DOB_CORRECTED, probe, "DATE_OF_BIRTH")
    if "生" in probe and (digits or _CHINESE_NUMERAL_YEAR.search(probe)):
        births += _spans(_DOB_AFTER, probe, "DATE_OF_BIRTH")
    if digits and "生" in probe:
        births += _spans(_DOB_OF_PERSON, probe, "DATE_OF_BIRTH")
        births += _spans(_DOB_IS, probe, "DATE_OF_BIRTH")
    if digits and "\n" in probe and (_BIRTH_HEADER.search(probe)):
        births += _table_births(probe)
    if births:
        found += births
        found += (
            span for birth in births for span in _spans_at(_DOB_ALSO, probe, birth.end, "DATE_OF_BIRTH")
        )
    if digits:
        if _SIX_DIGITS.search(probe):
            found += _laid_out(probe, _spans(_ID, probe, "ID_NUMBER"), _resident_id_ok)
            if has("身份证", "身分证", " id"):
                found += _spans(_OLD_ID, probe, "ID_NUMBER")
        if _ID_SPACED_GATE.search(probe):
            found += _spans(_ID_SPACED, probe, "ID_NUMBER", _resident_id_ok)
        if "-" in probe:
            found += _not_after_order_word(probe, _spans(_SSN, probe, "ID_NUMBER"))
        if _FORMAT_ID_GATE.search(probe):
            found += _spans(_FORMAT_ID, probe, "ID_NUMBER", _format_id_ok)
        if _DIGIT_FORMAT_GATE.search(probe):
            digit_ids = _spans(_DIGIT_FORMAT_ID, probe, "ID_NUMBER", _digit_format_id_ok)
            found += _not_after_order_word(probe, digit_ids)
        labelled = _ID_LABELLED.find(probe, low, "ID_NUMBER", _labelled_id_ok)
        found += _unless_called_invalid(probe, labelled, _resident_id_ok)
        found += _phones(probe, low)
        if _THREE_DIGITS.search(probe):
            found += _spans(_CARD, probe, "BANK_CARD", _card_ok)
            if _FOUR_DIGITS_GROUPED.search(probe):
                grouped = _laid_out(probe, _spans(_CARD_GROUPED, probe, "BANK_CARD"), _card_ok)
                found += (
                    span for span in grouped if _card_ok(span.text) or not _after_insurance_word(probe, span)
                )
            if _TWO_CAPITALS_TWO_DIGITS.search(probe):
                found += _spans(_IBAN, probe, "BANK_CARD", _iban_ok)
            if "sort code" in low:
                found += _spans(_UK_ACCOUNT, probe, "BANK_CARD")
            if "卡" in probe:
                found += _spans(_CARD_BEFORE_WORD, probe, "BANK_CARD", lambda v: 16 <= len(_digits(v)) <= 19)
            labelled = _CARD_LABELLED.find(probe, low, "BANK_CARD")
            found += _unless_called_invalid(probe, labelled, _card_ok)
        found += _spans(_PLATE, probe, "LICENSE_PLATE")
        if _TWO_CAPITALS_TWO_DIGITS.search(probe):
            found += _spans(_UK_PLATE, probe, "LICENSE_PLATE")
        found += _PLATE_CONTEXT.find(probe, low, "LICENSE_PLATE", _plate_ok)
        found += _PASSPORT.find(probe, low, "PASSPORT")
        if has("护照", "passport"):
            found += _spans(_PASSPORT_FORMAT, probe, "PASSPORT")
        found += _MEDICAL_RECORD.find(probe, low, "MEDICAL_RECORD")
        found += map(_without_insurer_word, _INSURANCE.find(probe, low, "INSURANCE"))
        found += _spans(_INSURANCE_FORMAT, probe, "INSURANCE")
    elif _NUMERAL_CODE_GATE.search(probe):
        found += _MEDICAL_RECORD.find(probe, low, "MEDICAL_RECORD")
    if digits:
        found += list(_second_values(probe, found))
        if "No." in probe:
            found = [_with_number_sign(probe, s) if s.type in _SECOND_VALUE_TYPES else s for s in found]
        if ":" in probe or "：" in probe:
            found += _owner_values(probe)
    if "一" in probe or "幺" in probe:
        found += _spans(_CHINESE_NUMERAL_MOBILE, probe, "PHONE")
    found += _addresses(probe, low, bool(digits))
    names = [_full_name_after(probe, _with_third_word(probe, name)) for name in _names(probe, low)]
    found += names
    if digits:
        found += _births_after(probe, names)
    if _ASCII_WORD.search(probe):
        lexicon_names = [_with_third_word(probe, name) for name in _lexicon_english_names(probe)]
        found += lexicon_names
        if digits:
            found += _births_after(probe, lexicon_names)
    if _TWO_LATIN_LETTERS.search(probe):
        found += _pinyin_names(probe)
    if _CJK_CHAR.search(probe):
        found += _lexicon_chinese_names(probe)
        found += _cued_chinese_names(probe)
    found += _casual_names(probe, bool(_ASCII_WORD.search(probe) or re.search(r"\b[a-z]{3,}\b", probe)))
    found += _bare_names(probe, found)
    found += list(_nicknames_beside(probe, found))
    if any(span.type in _CONTACT_TYPES for span in found) and _ASCII_WORD.search(probe):
        last = _EN_LAST_GIVEN.search(probe, max(0, len(probe) - 24))
        if last and last.group("pii") in _EN_SAFE_GIVEN and last.group("pii") not in _EN_NOT_NAMES:
            found.append(PiiSpan("NAME", last.start("pii"), last.end("pii"), last.group("pii")))
    public = [(m.start(), m.end()) for m in _PUBLIC_NAME.finditer(probe)]
    if public:  # (and the parts of one that other rules took: Jolie)
        found = [
            span
            for span in found
            if span.type != "NAME" or not any(a < span.end and span.start < b for a, b in public)
        ]
    if "@" in probe or "http" in low or "www." in low:
        found += _handle_names(probe, found)
    if "@" in probe:
        found += _mentioned_names(probe)
    # Containers first (an email holds a name-like word, a URL holds digits), then by _PRIORITY.
    found.sort(key=lambda s: (s.start, -(s.end - s.start), _PRIORITY.index(s.type)))
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


def score(rows: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Precision and recall of `find_pii` on labelled rows `{"text", "pii": [{"type", "value"}]}`,
    overall and per type; a span counts when its type and exact text match a label."""
    true_positive: Counter[str] = Counter()
    predicted: Counter[str] = Counter()
    gold: Counter[str] = Counter()
    count = 0
    for row in rows:
        count += 1
        expected = Counter((p["type"], p["value"]) for p in row["pii"])
        found = Counter((span.type, span.text) for span in find_pii(row["text"]))
        for counter, spans in ((true_positive, expected & found), (predicted, found), (gold, expected)):
            for (kind, _), n in spans.items():
                counter[kind] += n

    def ratios(tp: int, pred: int, labelled: int) -> dict[str, Any]:
        return {
            "precision": round(tp / pred, 4) if pred else None,
            "recall": round(tp / labelled, 4) if labelled else None,
            "spans": labelled,
            "predicted": pred,
        }

    return {
        "rows": count,
        "overall": ratios(sum(true_positive.values()), sum(predicted.values()), sum(gold.values())),
        "per_type": {
            kind: ratios(true_positive[kind], predicted[kind], gold[kind])
            for kind in PII_TYPES
            if gold[kind] or predicted[kind]
        },
    }
