"""De-identification by a name's own shape (census given names, Chinese surname + given-name characters,
pinyin) and the classes reviewed after the seventh blind set: own sentences of each class, and the
look-alikes each new rule must leave alone."""

from __future__ import annotations

import pytest

from medqa.data.deidentify import deidentify, find_pii
from medqa.data.person_names import CHINESE_GIVEN_CHARACTERS, english_given_names, english_surnames


def test_the_name_lexicons_load_offline_and_leave_out_words():
    given, surnames = english_given_names(), english_surnames()
    assert {"Brian", "Grace", "Dorothy", "Javier"} <= given
    assert "Tijuana" not in given  # the women's list is cut before its long tail of places
    assert {"Thompson", "Nguyen", "Garcia"} <= surnames
    assert {"娟", "磊", "倩", "秀", "军"} <= CHINESE_GIVEN_CHARACTERS
    assert not {"医", "压", "的", "疼", "病"} & CHINESE_GIVEN_CHARACTERS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a census given name and a capitalised surname, with no cue word
        ("Beneficiary on file is Susan Whitaker, plan Gold", "Beneficiary on file is [NAME], plan Gold"),
        ("Please forward to Monica Reyes in billing", "Please forward to [NAME] in billing"),
        ("The patient is Grace Okonjo, 61", "The patient is [NAME], 61"),
        ("Thanks a lot. María José Gutiérrez", "Thanks a lot. [NAME]"),
        ("owner Deepika Raman, the car was hit", "owner [NAME], the car was hit"),
        ("Pham Thi Hoa and her son came in", "[NAME] and her son came in"),
        ("dob 3/4/61, name carl jensen, bp high", "dob [DATE_OF_BIRTH], name [NAME], bp high"),
        # Chinese: standing alone, between a word before names and one after them
        ("卡号已发 郑海涛 谢谢", "卡号已发 [NAME] 谢谢"),
        ("我表姐孙雅琴和她老公都发烧", "我表姐[NAME]和她老公都发烧"),
        ("收据上写的是冯建业，能报销吗", "收据上写的是[NAME]，能报销吗"),
        ("病人 殷秀兰，住院三天", "病人 [NAME]，住院三天"),
        ("我和上官婉一起去的", "我和[NAME]一起去的"),
        ("今天和慕容雪一起去抽血", "今天和[NAME]一起去抽血"),
        ("患者李王淑珍，79岁", "患者[NAME]，79岁"),
        ("我叫 古丽·阿不都，女", "我叫 [NAME]，女"),
        ("孩子爸爸：多吉；孩子：央金", "孩子爸爸：[NAME]；孩子：[NAME]"),
        ("我是 陳家明 Chan Ka Ming，想問", "我是 [NAME] [NAME]，想問"),
        ("明天带 Oliver 去打疫苗", "明天带 [NAME] 去打疫苗"),
        ("li xiaohong, 女, 想问", "[NAME], 女, 想问"),
        ("My colleague Zhou Jianguo has a cough", "My colleague [NAME] has a cough"),
    ],
)
def test_names_recognised_by_their_shape(text, expected):
    assert deidentify(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Will Tylenol help with the fever?",
        "May I take ibuprofen with lisinopril?",
        "I went to Mount Sinai Hospital and St. Mary Medical Center",
        "Is Lou Gehrig's disease hereditary?",
        "Grace period on my insurance ended",
        "Ann Arbor and St. Louis both have good clinics",
        "the Ashton Manual for benzodiazepine tapering",
        "Hey Siri, Remind Me To Take My Pills At 9",
        "答案里提到了范德华和作用能",
        "孩子10周大，发烧38度",
        "欧美国家用得多",
        "高明的医生都会这样说",
        "黄金时间是6小时内",
        "石膏固定几周可以拆",
        "我妈叫我多喝水",
        "东方人体质不同",
        "he said lu can help, I long to see",
        "紧急联系人：父亲 13922448810",
    ],
)
def test_look_alikes_of_the_shape_rules_stay(text):
    assert [span for span in find_pii(text) if span.type == "NAME"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a second identifier of the same shape for another person or an older document
        (
            "他的检查号是CT20240101007，我的是CT20240101008",
            "他的检查号是[MEDICAL_RECORD]，我的是[MEDICAL_RECORD]",
        ),
        ("护照号 E87654321（旧的G12345678丢了）", "护照号 [PASSPORT]（旧的[PASSPORT]丢了）"),
        # a passport's country code is not part of its number
        ("Passport: FR 123456789. Need a letter", "Passport: FR [PASSPORT]. Need a letter"),
        # birth dates: Vietnamese, Spanish "es", year-month-day with a month name, 8 digits before 出生
        ("sinh ngày 02/03/1980, đau đầu", "sinh ngày [DATE_OF_BIRTH], đau đầu"),
        ("mi fecha de nacimiento es 12/10/1979", "mi fecha de nacimiento es [DATE_OF_BIRTH]"),
        ("D.O.B 1968-Mar-21, MRN 88120456", "D.O.B [DATE_OF_BIRTH], MRN [MEDICAL_RECORD]"),
        ("我是19850312出生的", "我是[DATE_OF_BIRTH]出生的"),
        ("1995年6月18日生人，体检", "[DATE_OF_BIRTH]生人，体检"),
        ("Patient DOB=1978/04/22", "Patient DOB=[DATE_OF_BIRTH]"),
        # a plate of four groups, a driver's licence, a personal blog host
        ("Plate: MH 12 AB 3456, parked outside", "Plate: [LICENSE_PLATE], parked outside"),
        ("My driver's license is D1234567 (CA)", "My driver's license is [ID_NUMBER] (CA)"),
        ("read https://anna-beats-cancer.wordpress.com/ please", "read [URL] please"),
    ],
)
def test_identifier_classes_reviewed_after_the_seventh_blind_set(text, expected):
    assert deidentify(text)[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a birth-date column of a table: the dates under it
        (
            "Name | DOB | Note\nAnna Berg | 02/03/1960 | fine\nPaul Berg | 1958-07-30 | stent",
            "Name | DOB | Note\n[NAME] | [DATE_OF_BIRTH] | fine\n[NAME] | [DATE_OF_BIRTH] | stent",
        ),
        (
            "成员  出生日期  备注\n母亲  1961.05.02  高血压",
            "成员  出生日期  备注\n母亲  [DATE_OF_BIRTH]  高血压",
        ),
        ("Mi padre nació el 3 de mayo de 1950", "Mi padre nació el [DATE_OF_BIRTH]"),
        ("Geb. 01.02.1977, Allergie", "Geb. [DATE_OF_BIRTH], Allergie"),
        ("Date of Birth (DD/MM/YYYY): 14/02/1990", "Date of Birth (DD/MM/YYYY): [DATE_OF_BIRTH]"),
        ("外公生于一九四零年腊月廿三", "外公生于[DATE_OF_BIRTH]"),
        # names in records and chats
        (
            "PATIENT: NOVAK, PETRA   DOB: 1971-01-02\nWhat does it mean?",
            "PATIENT: [NAME]   DOB: [DATE_OF_BIRTH]\nWhat does it mean?",
        ),
        ("the card says 'Jensen, Karen' on it", "the card says '[NAME]' on it"),
        ("[12/05, 09:10] Sandra: ok see you", "[12/05, 09:10] [NAME]: ok see you"),
        ("so Me (Tomasz): is that right", "so Me ([NAME]): is that right"),
        ("Reminder: your son Mateo's check-up is due", "Reminder: your son [NAME]'s check-up is due"),
        ("Clinic: Hi Priya, your results are in", "Clinic: Hi [NAME], your results are in"),
        ("My uncle Jae-won Park had a stroke", "My uncle [NAME] had a stroke"),
        ("申请医生：钟\n检查项目：CT", "申请医生：[NAME]\n检查项目：CT"),
        ("签约居民：邓桂芳  电话见下", "签约居民：[NAME]  电话见下"),
        ("户主 应国强，血压高", "户主 [NAME]，血压高"),
        ("我老公刘强当时不在家", "我老公[NAME]当时不在家"),
        # identifiers
        ("奶奶的农合证号5101020304050607要备案", "奶奶的农合证号[INSURANCE]要备案"),
        ("Travel claim, policy ABC-88123-US, ER visit", "Travel claim, policy [INSURANCE], ER visit"),
        ("supplement policy number is AARP 0012345678", "supplement policy number is AARP [INSURANCE]"),
        ("胃镜号：WJ2406-0012，病理待出", "胃镜号：[MEDICAL_RECORD]，病理待出"),
        ("lives at Rural Route 4, Box 22, Hazard, KY 41701, far away", "lives at [ADDRESS], far away"),
        ("12 Chapel Street, Stratford upon Avon CV37 6EP is home", "[ADDRESS] is home"),
    ],
)
def test_classes_reviewed_after_the_eighth_blind_set(text, expected):
    assert deidentify(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "German ID and German plate, Tanner stage 3",
        "姓名    关系   电话",
        "Cleveland Clinic Heart Institute has a wait list",
        "Name | Dose | Date\naspirin | 100 mg | 2024-01-02",  # a date column that is no birth date
    ],
)
def test_look_alikes_of_the_eighth_blind_set_stay(text):
    assert [span for span in find_pii(text) if span.type in ("NAME", "DATE_OF_BIRTH")] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a person as the object of a verb that takes one, even where the verb is another's object
        ("Please ring the desk and ask Kim at reception", "Please ring the desk and ask [NAME] at reception"),
        ("Could you tell Maria the dose changed?", "Could you tell [NAME] the dose changed?"),
        # a given name owning a symptom, result or visit
        ("Dad: Leo's rash is spreading", "Dad: [NAME]'s rash is spreading"),
        ("is Zoe's temperature of 38.9 too high", "is [NAME]'s temperature of 38.9 too high"),
        # days of birth written as ordinal words
        ("born on the twenty-first of June, 1990", "born on the [DATE_OF_BIRTH]"),
        ("DOB: March twelfth, 1985", "DOB: [DATE_OF_BIRTH]"),
        # birth dates in Chinese numerals before 出生, a lunar birthday without its year
        ("我是一九九二年三月八号出生的", "我是[DATE_OF_BIRTH]出生的"),
        ("她生日是农历腊月初八", "她生日是[DATE_OF_BIRTH]"),
        # a field's value that is a surname and a title names the surname only
        ("收件人：刘主任\n主题：复查", "收件人：[NAME]主任\n主题：复查"),
        # numbers listed by their owner after the document was named
        ("They want passport copies. Mine: 512345678, and my son's: 598765432.", None),
        # Australia's Medicare layout (4 + 5 digits, then the issue number), a hedge before a plate
        ("my Medicare card is 3012 45678 2 and", "my Medicare card is [INSURANCE] and"),
        ("it had Ohio plates, maybe HBX-2231.", "it had Ohio plates, maybe [LICENSE_PLATE]."),
        # an aside between label and value, a label asked as a question
        ("Passport — the new one — is K7654321", "Passport — the new one — is [PASSPORT]"),
        ("My date of birth? 11/05/1979.", "My date of birth? [DATE_OF_BIRTH]."),
        # a nickname of 小 / 阿 and a given-name character signing off; a name before 给我
        ("能停药吗？谢谢！——阿强", "能停药吗？谢谢！——[NAME]"),
        ("今天张丽给我发消息说她也咳嗽", "今天[NAME]给我发消息说她也咳嗽"),
    ],
)
def test_classes_reviewed_after_the_first_sight_misses_of_dev7_and_dev8(text, expected):
    if expected is None:
        assert [(s.type, s.text) for s in find_pii(text)] == [
            ("PASSPORT", "512345678"),
            ("PASSPORT", "598765432"),
        ]
    else:
        assert deidentify(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Ask Your Doctor whether to call Poison Control",
        "Is Crohn's pain worse at night, or Bell's palsy?",
        "the brand's: 120 mg tablets",
        "一九八五年三月出生的宝宝都要打这个疫苗吗",
        "the car was fine, I think it was the brakes",
        "Was he born? 2019 was the year we met",
        "饭后散步 ——小心路滑",
    ],
)
def test_look_alikes_of_the_first_sight_classes_stay(text):
    assert find_pii(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # clinicians in lower case, a title after another title
        ("then dr okafor said it was fine", "then dr [NAME] said it was fine"),
        ("my doctor nguyen said to wait", "my doctor [NAME] said to wait"),
        ("her doctor Dr. Sánchez-Vega operated", "her doctor Dr. [NAME] operated"),
        # kin and roles in the writer's life, lower case too
        ("for my niece sofia shes 9 and has a rash", "for my niece [NAME] shes 9 and has a rash"),
        ("my dad is john paul smith dob 3/4/52", "my dad is [NAME] dob [DATE_OF_BIRTH]"),
        ("my roommate Priya fainted", "my roommate [NAME] fainted"),
        # a nickname with the full name beside it, a given name before "(my …)"
        ("It's Bea (Beatrice Lang) again", "It's [NAME] ([NAME]) again"),
        ("女儿豆豆（大名李可馨）发烧了", "女儿[NAME]（大名[NAME]）发烧了"),
        ("Is Oliver (my 2 year old) too young for this?", "Is [NAME] (my 2 year old) too young for this?"),
        # Chinese names by a strong word before them, a role, a compound surname before a role
        ("病人柴桂芳行动不便", "病人[NAME]行动不便"),
        ("心内科的祁文静 她说要复查", "心内科的[NAME] 她说要复查"),
        ("孩子他妈林芳说不用去", "孩子他妈[NAME]说不用去"),
        ("欧阳晓明医生在吗", "[NAME]医生在吗"),
        ("这个方子是孙建国开的", "这个方子是[NAME]开的"),
        ("Nurse 王 told me to wait", "Nurse [NAME] told me to wait"),
        # birth dates: years in words, a holiday, two numerals, 是 … 出生的, a later correction
        ("born on March the third, nineteen sixty-two", "born on [DATE_OF_BIRTH]"),
        ("我是1999年除夕出生的", "我是[DATE_OF_BIRTH]出生的"),
        ("八五年三月十二号生的", "[DATE_OF_BIRTH]生的"),
        ("我外婆是1940年5月出生的。", "我外婆是[DATE_OF_BIRTH]出生的。"),
        ("born in spring, actually 3 April 1971, and", "born in spring, actually [DATE_OF_BIRTH], and"),
        ("MRN 5512 Tomas Berg 02/03/1961 asks", "MRN [MEDICAL_RECORD] [NAME] [DATE_OF_BIRTH] asks"),
        # names by initials, hyphens and particles; titles and public figures
        ("pt K. L. Morrow is 54", "pt [NAME] is 54"),
        ("Ana-Maria Costa-Reyes DOB 1990", "[NAME] DOB [DATE_OF_BIRTH]"),
        ("Name: João Pedro Almeida da Silva, ok", "Name: [NAME], ok"),
        ("Mdm Lim, S1234567D, review", "Mdm [NAME], [ID_NUMBER], review"),  # an NRIC by its check letter
        # a given name signing off a message with contact details
        ("call me on 07700 900123 please, thanks. Alice", "call me on [PHONE] please, thanks. [NAME]"),
        # identifiers
        ("钱打到6214 8301 2345 6789 014这张卡", "钱打到[BANK_CARD]这张卡"),
        ("Kennzeichen M-AB 1234 am Parkplatz", "Kennzeichen [LICENSE_PLATE] am Parkplatz"),
        ("biopsy case B23-5512 came back", "biopsy case [MEDICAL_RECORD] came back"),
        ("see https://portal.example.com/r/B7C-22Q8-X", "see [URL]"),
        # a given name alone after 我叫 / 我是, filling its clause; a nickname after 我是
        ("医生好，我叫美玲，想问下", "医生好，我叫[NAME]，想问下"),
        ("我是阿芬 电话13912345678", "我是[NAME] 电话[PHONE]"),
        # birth dates: two-digit year and month, Korean
        ("出生：92年7月", "出生：[DATE_OF_BIRTH]"),
        ("생년월일 1990년 5월 3일", "생년월일 [DATE_OF_BIRTH]"),
        # an e-mail spelt out with dots in its user part
        ("write to tom dot baker at mail dot com", "write to [EMAIL]"),
        # birth labels and month names in more languages
        ("Nasci em 3 de junho de 1977, tenho asma", "Nasci em [DATE_OF_BIRTH], tenho asma"),
        ("geboortedatum 12 oktober 1958", "geboortedatum [DATE_OF_BIRTH]"),
        ("tanggal lahir 5 Desember 1990", "tanggal lahir [DATE_OF_BIRTH]"),
        ("doğum tarihi 02.03.1981", "doğum tarihi [DATE_OF_BIRTH]"),
        ("her birthday's on the 2nd of June 2001", "her birthday's on the [DATE_OF_BIRTH]"),
        # a passport after "PP:", a street of one word in -way, a road's 段 without a number
        ("PP: XK1234567, visa pending", "PP: [PASSPORT], visa pending"),
        ("we live at 77 Fairway, Leeds LS1 4AB", "we live at [ADDRESS]"),
        ("家住台中市西区民生路二段", "家住[ADDRESS]"),
        # a given name by its place: before an age, after a subject line's words, before "Born",
        # before "she's", in brackets after a kinship word
        ("Mohammed, 51, diabetic", "[NAME], 51, diabetic"),
        ("Sarah (29F) migraine", "[NAME] (29F) migraine"),
        ("Re: Lucy - rash again", "Re: [NAME] - rash again"),
        ("So, Noah. Born 1/2/2020. Fever.", "So, [NAME]. Born [DATE_OF_BIRTH]. Fever."),
        ("Worried about Emma, she's 5", "Worried about [NAME], she's 5"),
        ("Mum (Frances) is 81", "Mum ([NAME]) is 81"),
        # a year alone before 生的 after a person, a two-digit year after 出生于, a full name after 科
        ("她1978年生的，绝经了", "她[DATE_OF_BIRTH]生的，绝经了"),
        ("出生于92年，男", "出生于[DATE_OF_BIRTH]，男"),
        ("挂了消化科王志强主任的号", "挂了消化科[NAME]主任的号"),
        # kinship words, self-introductions and titles in other European languages
        ("mi hija Lucia tiene fiebre", "mi hija [NAME] tiene fiebre"),
        ("ma fille Emma tousse", "ma fille [NAME] tousse"),
        ("mein Sohn Felix hat Husten", "mein Sohn [NAME] hat Husten"),
        ("Me llamo Carlos y tengo tos", "Me llamo [NAME] y tengo tos"),
        ("la Dra. Romero me dijo", "la Dra. [NAME] me dijo"),
        # a given name alone in a form's name field
        ("Patient: Oscar\nDOB: 2015", "Patient: [NAME]\nDOB: [DATE_OF_BIRTH]"),
        ("Child's name: Mia, age 4", "Child's name: [NAME], age 4"),
        ("Emergency contact: Paul (husband)", "Emergency contact: [NAME] (husband)"),
        # a name opening its clause before 是我妈 / 是我老公 …
        ("陈秀英是我外婆，今年88", "[NAME]是我外婆，今年88"),
    ],
)
def test_classes_reviewed_after_the_ninth_blind_set(text, expected):
    assert deidentify(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "what my doctor may say about it",
        "my therapist Cognitive Behavioural work helps",
        "谢谢谢谢 医生",
        "这批都是2020年12月出生的宝宝",
        "Angelina Jolie had the BRCA surgery, should I?",
        "Is Jack Daniel's worse than wine on metformin?",
        "the U.S. Army and E. coli",
        "严格按照医生的要求吃药",
        "https://www.cdc.gov/covid-19/index.html",
        "saw the GP 3/4/2024 about it",
        "我是大学 老师",
        "我是想问一下",
        "我是",
        "我是张",
        "I take 2 mei tablets and juli is hot",
        "I had 2 Subway sandwiches and PP: 180 mg/dL",
        "Re: Will - what to write",
        "妇产科主任说2020年出生的宝宝都要打",
        "Ich bin Diabetiker, mi hijo tiene fiebre",
        "Patient: Stable. Contact: Mercy. Name: Unknown",
        "高血压是我爸的老毛病，方便是我妈的要求",
        "Tuesday, 34, rainy. Also, he's fine",
    ],
)
def test_look_alikes_of_the_ninth_blind_set_stay(text):
    assert find_pii(text) == []
