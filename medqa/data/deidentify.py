"""Replace personal identifiers in question, think and answer with typed placeholders.

Each detector is a regular expression plus, where a format has one, a validity check (the checksum
of a Chinese resident ID, Luhn for bank cards) so doses, lab values, blood pressure and years are not
mistaken for identifiers. Numbers without a format of their own (passports, medical record and
insurance numbers, SSNs written with spaces) are only taken after the words that name them
(护照号, 住院号, 医保卡号, MRN, member ID …). Names are only taken where something introduces them:
an honorific, title or role (张先生, 王医生, 刘主任, Mr. Smith, Nurse Kelly), a patient reference
(患者王某某), a kinship or contact word (我老公张伟, 联系人：孙丽, my wife Karen) or a
self-introduction (我叫…, 我是…, my name is …, I'm …); a bare name is taken only in a short clause
next to a contact detail (韩雪，电话…). Addresses start at a province or municipality, or after a
word that introduces one (家住, 地址), and end at the last house, building or room number; English
street addresses start at a house number and a street type (Street, Road, Ave …).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

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
_THREE_DIGITS = re.compile(r"\d\d\d")
_SIX_DIGITS = re.compile(r"\d{6}")
_INSURANCE_WORDS = (
    "保",
    "农合",
    "个人编号",
    "医疗卡",
    "insurance",
    "member",
    "policy",
    "medicare",
    "medicaid",
    "medi-cal",
    "subscriber",
    "plan",
    "health card",
)
_PHONE_WORDS = ("电话", "手机", "联系方式", "座机", "tel", "phone", "cell", "mobile", "call me", "text me")

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
)
# Characters that never belong to a given name right after an introducing word or before a title:
# function words, body parts, symptoms and department words (患者高热, 我女儿黄疸, 康复医生, 全科医生).
_NOT_GIVEN = set(
    "的了是和与在这那个位热烧痛血压日天月年前后今昨某男女岁病症说称诉因出有无既"
    "上下也又都就还才已最很太非总经常今近从到去来要会能想吃喝做没不被把给让跟及得发身头腿腰胃肚眼耳脚手"
    "疸糖脂细胞障膏度围末部务便面属候间显科床复班诊治庭区院医护管值急门住实习专家名们每该些样么吗呢啊吧呀"
    "突今已后时说问看听叫找请您你我他她它号码电话机邮箱地址卡证"
)
# Two- and three-character words that start with a surname character but name nobody.
_NOT_NAMES = {
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
}

_MONTHS = "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
_DATE = (
    r"(?:(?:19|20)\d{2}\s*(?:年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?|[-/.]\d{1,2}[-/.]\d{1,2})"
    r"|\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d{2}"
    rf"|(?i:(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{{2}}|\d{{1,2}}\s+(?:{_MONTHS})\.?,?\s+(?:19|20)\d{{2}}))"
)
_DOB_BEFORE = re.compile(
    r"(?:出生日期|出生年月日?|出生时间|出生于|出生在|出生[:：]|生于|生日(?:是|为)?|(?i:date of birth|birth ?date|d\.?o\.?b\.?|born on|born in|born|birthday))"
    rf"[\s:：,，是为]*(?P<pii>{_DATE}|\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2}}(?![\d/.-]))"
)
# A date followed by 出生 is a birth date only with the day ("2020年12月出生的宝宝" is a cohort).
_DOB_AFTER = re.compile(
    r"(?P<pii>(?:19|20)\d{2}\s*(?:年\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号]|[-/.]\d{1,2}[-/.]\d{1,2}))\s*出生"
)
# Resident ID: 6-digit region, birth date, 3-digit sequence and check digit, as written (groups may be
# separated by a space or hyphen: 330106 19900101 123X).
_ID = re.compile(
    r"(?<![0-9a-z])(?P<pii>[1-9]\d{5}[ -]?(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])[ -]?\d{3}[\dXx])(?![0-9a-z])",
    re.I,
)
_SSN = re.compile(r"(?<![\d-])(?P<pii>(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4})(?![\d-])")
_SSN_CONTEXT = re.compile(
    r"(?i:\bSSN\b|social security(?: number| no\.?| #)?)[\s:#]*(?:is\s+)?(?P<pii>\d{3}[ -]?\d{2}[ -]?\d{4})(?!\d)"
)
# Card numbers start with an issuer's digits (Visa 4, Mastercard 2/5, Amex/Diners/JCB 3, UnionPay and
# Discover 6), so a Chinese ID (region codes 11–65 begin with 1–6 but fail Luhn or the ID check first)
# or an order number starting with 1 is not taken for one.
_CARD = re.compile(r"(?<![\d.])(?P<pii>(?:4|5[1-5]|2[2-7]|3[04-8]|6)(?:[ -]?\d){11,18})(?!\.?\d)")
_MOBILE = re.compile(
    r"(?<![\d.])(?<!\d[ -])(?P<pii>(?:(?:\+|00)?86[ -]?|[(（]\+?86[)）][ ]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?:[ ]?(?:转|分机)[ ]?\d{1,5})?)(?!\.?\d)"
)
_EXTENSION = r"(?:[ ]?(?:转|分机|(?i:ext\.?|extension|x))[ ]?\d{1,5})?"
_LANDLINE = re.compile(
    rf"(?<![\d.])(?<!\d[ -])(?P<pii>(?:[(（]0[1-9]\d{{1,2}}[)）]|0[1-9]\d{{1,2}}[- ])[ ]?\d{{3,4}}[- ]?\d{{4}}{_EXTENSION})(?!\.?\d)"
)
_UK_MOBILE = re.compile(r"(?<![\d.])(?P<pii>07\d{3} \d{6})(?!\.?\d)")
_INTERNATIONAL = re.compile(r"(?<![\w+])(?P<pii>\+\d{1,3}(?:[ -]?\(?\d{1,4}\)?){2,5})(?![\d])")
_NANP = re.compile(
    rf"(?<![\d.])(?<!\d[ -])(?P<pii>(?:\+?1[ .-])?(?:\(\d{{3}}\)[ ]?|\d{{3}}[ .-])\d{{3}}[ .-]\d{{4}}{_EXTENSION})(?!\.?\d)"
)
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
_PLATE_CONTEXT = re.compile(
    r"(?i:licen[cs]e plate(?: number| no\.?)?|\bplate(?: number| no\.?)?|registration(?: number)?|\breg\.? no\.?)"
    r"(?:\s*(?:is|was|:|#))?\s*(?P<pii>(?=[A-Z0-9 -]*\d)(?=[A-Z0-9 -]*[A-Z])[A-Z0-9]{2,4}[ -]?[A-Z0-9]{3,4})(?![A-Za-z0-9])"
)

# Identifiers that only the word before them makes one; the value is what follows the word.
_SEPARATOR = r"(?:\s*(?:是|为|:|：|#|,|，|(?i:is|was)\b))*\s*"
_CODE = r"(?P<pii>(?=[A-Z0-9-]*\d)(?=[A-Z0-9 -]{5})[A-Z]{0,4}-?\d[A-Z0-9]*(?:-[A-Z0-9]+)*(?: \d{2,})*)(?![A-Za-z0-9])"
_PASSPORT = re.compile(
    r"(?:护照(?:号码|证件号|编号|号)?|(?i:passport)(?:\s*\(?\s*(?i:number|no\.?|#))?)"
    + _SEPARATOR
    + r"(?P<pii>(?=[A-Z0-9]*\d)[A-Z]{0,2}\d[A-Z0-9]{5,9})(?![A-Za-z0-9])"
)
_MEDICAL_RECORD = re.compile(
    r"(?:住院号|住院病历号|病案号|病历号|门诊号|就诊号|就诊卡号|诊疗卡号|门诊卡号|病人ID|患者ID|(?i:\bMRN\b|medical record (?:number|no\.?|#)"
    r"|hospital (?:number|no\.?)|chart (?:number|no\.?)))" + _SEPARATOR + _CODE
)
_INSURANCE = re.compile(
    r"(?:(?:医保|社保|社会保障|医疗保险|保险|商保|医疗)卡?(?:号码|卡号|编号|账号|电脑号|号)|医保卡|社保卡|参保(?:人)?(?:编号|号)"
    r"|新农合(?:卡号|号码|号)?|农合(?:卡号|号)|保单(?:号码|编号|号)|保险单号|保险合同号|个人编号"
    r"|(?i:insurance (?:card |member |policy |plan )?(?:ID|number|no\.?|#|policy)|member(?:ship)? (?:ID|number|no\.?|#)"
    r"|policy (?:ID|number|no\.?|#)|medicare (?:card )?(?:number|no\.?|ID|#)|medicaid (?:number|ID|#)|subscriber (?:ID|number)"
    r"|plan (?:ID|number)|health (?:card|insurance) (?:number|no\.?|ID|#)|medi-cal (?:ID|number)))"
    + _SEPARATOR
    + _CODE
)

_PROVINCES = (
    "北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川|贵州"
    "|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门"
)
_ADDRESS_RUN = r"[\u4e00-\u9fffA-Za-z0-9#\-·]{2,40}"
_ZH_ADDRESS = re.compile(
    rf"(?P<pii>(?:{_PROVINCES})(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区){_ADDRESS_RUN})"
    rf"|(?:家住在|居住在|住在|家住|住址|地址|现住|现居|邮寄到|寄到|送到|寄往)[\s:：是为]*"
    rf"(?P<after>[\u4e00-\u9fff]{{2,6}}?(?:[市区县镇乡路街村]|小区|花园|家园|公寓|大厦|苑){_ADDRESS_RUN})"
    rf"|(?P<city>[\u4e00-\u9fff]{{2,3}}?市[\u4e00-\u9fff]{{1,5}}?[区县]{_ADDRESS_RUN})"
)
# A city found without a word before it may carry the end of that word ("在深圳市…").
_ADDRESS_LEAD = set("我你他她在住到是于往从去来的家和与及寄送至")
# An address ends at its last house, building or room number; it must name a street, a number or a
# building, so "北京市朝阳区的医院" (a district, identifying no one) stays.
_ADDRESS_END = re.compile(r".*(?:号|室|楼|栋|幢|单元|层|座|弄|村|组|\d|[A-Z])")
_ADDRESS_STREET = re.compile(r"路|街|道|巷|弄|胡同|号|村|组|栋|幢|单元|室|小区|花园|大厦|公寓|苑")
_STREET_TYPES = (
    r"Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Crescent"
    r"|Close|Circle|Parkway|Pkwy|Highway|Hwy|Square|Sq|Gardens|Grove|Row|Walk|Mews|Park|Trail|Alley|Plaza|Hill"
)
_CAPITAL_WORD = r"[A-Z][a-zà-öø-ÿ]+"
_ADDRESS_PART = (
    r"(?:(?:Apt|Apartment|Flat|Unit|Suite|Ste|Room|Floor|Bldg|Building)\.?\s*#?[A-Z0-9-]+|#\s?[A-Z0-9-]+"
    r"|[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}|[A-Z]{2,3}\s+(?:\d{4,5}(?:-\d{4})?|[A-Z0-9]{3}\s?[A-Z0-9]{3})"
    rf"|(?!(?:My|I|He|She|We|They|The|This|It|Please|Dr|And|But|Call|Ask)\b){_CAPITAL_WORD}(?:\s{_CAPITAL_WORD}){{0,2}}"
    r"(?:\s[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}|(?:\s[A-Z]{2,3})?(?:\s\d{4,5}(?:-\d{4})?)?))"
)
_EN_ADDRESS = re.compile(
    rf"(?<![\w-])(?P<pii>\d{{1,6}}[A-Z]?\s+(?:[NSEW]{{1,2}}\.?\s+)?(?:{_CAPITAL_WORD}\s+){{1,3}}(?:{_STREET_TYPES})\b\.?(?:,\s*{_ADDRESS_PART})*)"
)

# Words after which a Chinese name follows (the name itself, without the word).
_HONORIFIC = re.compile(
    r"(?:先生|女士|小姐|太太|夫人|阿姨|大爷|大妈|大叔|大伯|大姐|大哥|奶奶|爷爷|姥姥|姥爷|婆婆|老师|师傅|主任医师|副主任|主治医师"
    r"|主治医生|医生|医师|大夫|主任|护士长|护士|护师|药师|教授|副院长|院长|经理|叔叔|伯伯|律师|同学|姐姐|哥哥|姐|哥)(?![们妹弟姐哥])"
)
# Role titles follow the surname alone (王医生, 刘主任); a longer run before one is usually a word
# (康复医生, 符合医生的风格), so only honorifics (朱芳先生, 陈小明女士) take a given name.
_ROLES = {
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
# A role and a colon introduce the name of whoever holds it (主治医师：王伟, 责任护士：刘芳).
_ROLE_COLON = re.compile(
    r"(?:主治医师|主治医生|主管医生|责任护士|接诊医生|经治医生|主任|医生|医师|大夫|护士|老师|药师)[:：][ ]?"
)
_TITLE_START = re.compile(_HONORIFIC.pattern)
_PATIENT = re.compile(r"(?:患者|病人|患儿|病患|伤者|产妇|孕妇)(?:[:：\s]|为|是|叫)?")
_SELF = re.compile(r"(?:我是|本人|家属|监护人|叫)[:：\s]*")
_NAMED = re.compile(
    r"(?:我叫|名叫|叫做|她叫|他叫|孩子叫|宝宝叫|我的名字是|名字叫|名字是|名字[:：]|姓名|户名|收件人|联系人|持卡人|投保人|被保险人|就诊人"
    r"|申请人|负责人|经办人|委托人|代理人|签名|签字|陪护|陪诊)(?:[:：\s]|是|为)*"
)
_KIN = re.compile(
    r"(?:老公|老婆|丈夫|妻子|爱人|媳妇|儿子|女儿|孩子|宝宝|母亲|父亲|妈妈|爸爸|我妈|我爸|爷爷|奶奶|外婆|外公|姥姥|姥爷"
    r"|哥哥|姐姐|弟弟|妹妹|岳母|岳父|婆婆|公公|舅舅|姑姑|孙子|孙女|外孙|侄子|侄女|男朋友|女朋友|同事|朋友|邻居"
    r"|儿媳妇|儿媳|女婿|小姨|姨妈|舅妈|大姨|表哥|表姐|表弟|表妹|堂哥|堂姐|堂弟|堂妹|继母|继父|伯母|婶婶|嫂子|姐夫|妹夫"
    r"|弟媳|丈母娘|老伴儿?|未婚夫|未婚妻|室友|保姆|护工)[:：\s]?"
)
# The words after which a name follows, and the surnames taken there: the rarer ones only after
# the words that introduce nothing but a name. (One pass each: their literal prefixes make every
# pass a fast scan, which one alternation of them all would lose.)
_CUES = (
    (_NAMED, _SURNAMES),
    (_ROLE_COLON, _COMMON_SURNAMES),
    (_PATIENT, _COMMON_SURNAMES),
    (_KIN, _COMMON_SURNAMES),
    (_SELF, _COMMON_SURNAMES),
)
_SURNAME_ONLY = re.compile(
    "(?:我姓|免贵姓|本人姓|患者姓|病人姓)(?P<pii>"
    + "|".join(_COMPOUND_SURNAMES)
    + "|["
    + "".join(sorted(_SURNAMES))
    + "])"
)
_ASCII_WORD = re.compile(r"[A-Z][a-z]")
_EN_TITLE_WORDS = ("Mr", "Ms", "Miss", "Mx", "Dr", "Prof", "Doctor", "Nurse", "Sister", "Matron", "Officer")
_EN_NAME_WORD = r"[A-Z](?:[a-zà-öø-ÿ]+(?:[A-Z][a-zà-öø-ÿ]+)?|'[A-Z][a-zà-öø-ÿ]+)(?:-[A-Z][a-zà-öø-ÿ]+)?"
_EN_TITLE = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Doctor|Nurse|Sister|Matron|Officer)\.?\s+"
    rf"(?P<pii>{_EN_NAME_WORD}(?:\s{_EN_NAME_WORD})?)"
)
# Cues after which only a full name (two capitalised words) is taken: "I'm Very Worried" is a sentence.
_EN_INTRO = re.compile(
    r"(?:\b(?:[Mm]y name is|[Nn]ame is|[Nn]ame on card:|[Nn]ame:|[Pp]atient:|I am|I'm|[Tt]his is|under|[Tt]hanks,|[Tt]hank you,"
    r"|[Rr]egards,|[Aa]ttention|[Aa]ttn:?|[Ss]ubscriber|[Hh]older|[Cc]ontact:|[Aa]sk for|named|called|[Pp]atient,?"
    r"|[Pp]arent:|[Gg]uardian:|[Cc]aregiver:|[Ss]igned,?|[Ss]incerely,|[Bb]est,|[Cc]heers,)|—|--)\s+"
    rf"(?P<pii>{_EN_NAME_WORD}\s{_EN_NAME_WORD})"
)
# A first name alone after a self-introduction ("I'm Sarah and …"), unless it is an adjective or a
# nationality written with a capital.
# A first name alone signing off at the very end ("… Thanks, Tom." / "— Grace").
_EN_SIGN_OFF = re.compile(
    r"(?:—|--|\b(?:[Tt]hanks|[Tt]hank you|[Rr]egards|[Bb]est|[Cc]heers|[Ss]incerely|[Ll]ove|[Ss]igned),?)\s+"
    rf"(?P<pii>{_EN_NAME_WORD}(?:\s{_EN_NAME_WORD})?)\s*[.!]?\s*$"
)
_EN_SELF = re.compile(rf"\b(?:I'm|I am|[Tt]his is)\s+(?P<pii>{_EN_NAME_WORD})(?![\w'’-]|\s[A-Z])")
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
_EN_NAME_IS = re.compile(
    rf"\b(?:[Mm]y|[Hh]is|[Hh]er|[Tt]heir) name is\s+(?P<pii>{_EN_NAME_WORD}(?:\s{_EN_NAME_WORD})?)"
)
_EN_KIN = re.compile(
    r"\b(?:[Mm]y|[Oo]ur|[Hh]is|[Hh]er) (?:wife|husband|son|daughter|mum|mom|mother|father|dad|brother|sister|grandma"
    r"|grandmother|grandpa|grandfather|aunt|uncle|partner|boyfriend|girlfriend|fianc[ée]e?|friend|neighbou?r|cousin"
    r"|nephew|niece|baby|child|carer|caregiver|grandson|granddaughter|spouse|stepson|stepdaughter|stepmother"
    r"|stepfather|(?:mother|father|sister|brother|son|daughter)-in-law),?\s+"
    rf"(?P<pii>{_EN_NAME_WORD}(?:\s{_EN_NAME_WORD})?)"
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
    "Mr",
    "Mrs",
    "Ms",
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
    "Down",
    "Will",
}
# A short clause that is only a name, beside a contact detail ("韩雪，电话…", "…@qq.com，高阳，").
# Characters around a clause that may be a bare name.
_CLAUSE_EDGE = set("，,、。；;：:！! ")
_CONTACT_TYPES = {"PHONE", "EMAIL"}
_CONTACT_AFTER = re.compile(r"[，,]\s*(?:电话|手机|邮箱|微信|身份证|地址|住址|联系)")
_PATIENT_HEADER = re.compile(r"[，,、\s]+(?:男性|女性|男|女|\d{1,3}岁)(?=[，,、。；;\s]|$)")
_THANKS = re.compile(r"(?:谢谢|多谢|感谢)[^，,。；;！!]{0,4}[！!，,。\s]*$")
# A full name before 的 + a kinship word (王芳的妈妈), when it starts a phrase.
_BEFORE_KIN = re.compile(r"的(?=妈妈|爸爸|母亲|父亲|儿子|女儿|老公|老婆|丈夫|妻子|家属|孩子|宝宝|爷爷|奶奶)")
_NAME_LEAD = set("，,。；;：:、 （(是给帮替为和跟与找叫我")


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
        if text[start] in _SURNAMES and all(_is_cjk(c) and c not in _NOT_GIVEN for c in given):
            return start
        if not _is_cjk(text[start]):
            return None
    return None


def _chinese_name_after(text: str, start: int, surnames: set[str] = _COMMON_SURNAMES) -> int | None:
    """End of a name starting at `start` (right after an introducing word): surname + 某/某某/×× or
    + one or two given-name characters; None when a title follows the surname (王医生 is taken there)."""
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
    if chars[0] in _NOT_GIVEN:
        return None
    end = start + size + (2 if len(chars) == 2 and chars[1] not in _NOT_GIVEN else 1)
    if text[start:end] in _NOT_NAMES or _TITLE_START.match(text, start + size + 1):
        return None
    return end


def _names(text: str, low: str) -> Iterator[PiiSpan]:
    for match in _HONORIFIC.finditer(text):
        start = _chinese_name_before(text, match.start(), 1 if match.group() in _ROLES else 3)
        if start is not None:
            yield PiiSpan("NAME", start, match.start(), text[start : match.start()])
    for pattern, surnames in _CUES:
        for match in pattern.finditer(text):
            end = _chinese_name_after(text, match.end(), surnames)
            if end is not None:
                yield PiiSpan("NAME", match.end(), end, text[match.end() : end])
    if not _ASCII_WORD.search(text):
        english: tuple = ()
    else:
        english = (
            (_EN_TITLE, any(word in text for word in _EN_TITLE_WORDS)),
            (_EN_KIN, any(w in low for w in ("my ", "our ", "his ", "her "))),
            (_EN_NAME_IS, "name is" in low),
        )
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
    for span in _spans(_EN_SIGN_OFF, text[tail:], "NAME") if english else ():
        span = PiiSpan(span.type, span.start + tail, span.end + tail, span.text)
        if span.text.split()[0] not in _EN_NOT_NAMES:
            yield span
    for match in _BEFORE_KIN.finditer(text) if "的" in text else ():
        start = _chinese_name_before(text, match.start(), 3)
        if (
            start is not None
            and match.start() - start >= 2
            and (start == 0 or text[start - 1] in _NAME_LEAD)
            and not _TITLE_START.search(text, start, match.start())
        ):
            yield PiiSpan("NAME", start, match.start(), text[start : match.start()])
    for span in (
        _spans(_EN_SELF, text, "NAME")
        if english and ("i'm" in low or "i am" in low or "this is" in low)
        else ()
    ):
        if span.text not in _EN_NOT_NAMES and span.text not in _EN_NOT_FIRST_NAMES:
            yield span
    for span in _spans(_EN_INTRO, text, "NAME") if english else ():
        if not any(word in _EN_NOT_NAMES for word in span.text.split()):
            yield span


def _clause_name(text: str, start: int, end: int) -> PiiSpan | None:
    """`text[start:end]` as a name standing alone in its clause, or None."""
    name = text[start:end]
    if not 2 <= len(name) <= 3 or not all(_is_cjk(c) for c in name):
        return None
    if (start > 0 and text[start - 1] not in _CLAUSE_EDGE) or (
        end < len(text) and text[end] not in _CLAUSE_EDGE
    ):
        return None
    if name in _NOT_NAMES or name[0] not in _SURNAMES or any(c in _NOT_GIVEN for c in name[1:]):
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
    return _clause_name(text, start, end)


def _bare_names(text: str, found: list[PiiSpan]) -> Iterator[PiiSpan]:
    """Names standing alone in a clause beside a contact detail or word ("韩雪，电话…"), a patient's
    sex or age ("王建国，男，65岁"), or thanks at the end ("谢谢！李明")."""
    candidates = []
    for span in found:
        if span.type in _CONTACT_TYPES:
            if span.start >= 2 and text[span.start - 1] in _CLAUSE_EDGE:
                candidates.append(_clause_before(text, span.start - 1))
            if span.end + 1 < len(text) and text[span.end] in _CLAUSE_EDGE:
                candidates.append(_clause_after(text, span.end + 1))
    for pattern in (_CONTACT_AFTER, _PATIENT_HEADER):
        candidates += (_clause_before(text, match.start()) for match in pattern.finditer(text))
    last = _clause_before(text, len(text.rstrip("。.！! ")))
    if last is not None and _THANKS.search(text, 0, last.start):
        candidates.append(last)
    yield from (span for span in candidates if span is not None)


def _addresses(text: str) -> Iterator[PiiSpan]:
    zh = _ADDRESS_STREET.search(text) and any(c in text for c in "省市区县住址寄送")
    for match in _ZH_ADDRESS.finditer(text) if zh else ():
        group = next(name for name in ("pii", "after", "city") if match.group(name))
        start, run = match.start(group), match.group(group)
        while group == "city" and run[0] in _ADDRESS_LEAD:
            start, run = start + 1, run[1:]
        ended = _ADDRESS_END.match(run)
        if ended and _ADDRESS_STREET.search(ended.group(0)):
            yield PiiSpan("ADDRESS", start, start + ended.end(), ended.group(0))
    if _ASCII_WORD.search(text):
        yield from _spans(_EN_ADDRESS, text, "ADDRESS")


def _personal_phone(number: str) -> bool:
    """Toll-free and service numbers (1-800-…, 400-…) belong to organisations, not to a person."""
    digits = _digits(number)
    return not re.match(r"(?:1?8(?:00|33|44|55|66|77|88)|400|800)\d{7}$", digits)


def _url_has_identifier(url: str) -> bool:
    rest = re.sub(r"^(?:https?://)?[^/?#]*", "", url, flags=re.I)  # the host alone identifies no one
    return bool(_URL_ID.search(rest))


def _card_ok(value: str) -> bool:
    digits = _digits(value)
    return 13 <= len(digits) <= 19 and _luhn_ok(digits)


def find_pii(text: str) -> list[PiiSpan]:
    """Identifier spans in `text`, without overlaps (the longest span at a position wins; equal spans
    go to the type a keyword introduced, see _PRIORITY)."""
    probe = text.translate(_WIDTH) if _FULL_WIDTH.search(text) else text
    low = probe.lower()

    def has(*words: str) -> bool:  # a substring test before a costlier pattern runs
        return any(word in low for word in words)

    found: list[PiiSpan] = []
    if "@" in probe:
        found += _spans(_EMAIL, probe, "EMAIL")
    if has("http", "www."):
        found += _spans(_URL, probe, "URL", _url_has_identifier)
    if _DIGIT.search(probe):
        if _SIX_DIGITS.search(probe):
            found += _spans(_ID, probe, "ID_NUMBER", _id_checksum_ok)
        if "-" in probe:
            found += _spans(_SSN, probe, "ID_NUMBER")
        if has("ssn", "social security"):
            found += _spans(_SSN_CONTEXT, probe, "ID_NUMBER")
        if has("生", "birth", "dob", "d.o.b", "born"):
            found += _spans(_DOB_BEFORE, probe, "DATE_OF_BIRTH")
            found += _spans(_DOB_AFTER, probe, "DATE_OF_BIRTH")
        if _THREE_DIGITS.search(probe):
            phones = [_MOBILE, _LANDLINE, _NANP]
            phones += [_UK_MOBILE] if "07" in probe else []
            phones += [_INTERNATIONAL] if "+" in probe else []
            phones += [_PHONE_CONTEXT] if has(*_PHONE_WORDS) else []
            for pattern in phones:
                found += _spans(pattern, probe, "PHONE", _personal_phone)
            found += _spans(_CARD, probe, "BANK_CARD", _card_ok)
        found += _spans(_PLATE, probe, "LICENSE_PLATE")
        if has("plate", "registration", "reg"):
            found += _spans(_PLATE_CONTEXT, probe, "LICENSE_PLATE")
        if has("护照", "passport"):
            found += _spans(_PASSPORT, probe, "PASSPORT")
        if has("号", "mrn", "record", "hospital", "chart"):
            found += _spans(_MEDICAL_RECORD, probe, "MEDICAL_RECORD")
        if has(*_INSURANCE_WORDS):
            found += _spans(_INSURANCE, probe, "INSURANCE")
        found += _addresses(probe)
    found += _names(probe, low)
    found += _bare_names(probe, found)
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
