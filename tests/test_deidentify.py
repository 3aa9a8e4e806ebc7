"""De-identification: precision and recall on labelled sets with hard negatives, one case per class."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from medqa.data.deidentify import PII_TYPES, _id_checksum_ok, _luhn_ok, deidentify, find_pii, score

FIXTURES = Path(__file__).parent / "fixtures"
LABELED = FIXTURES / "pii_labeled.jsonl"
# Written for issue 18 by a helper who had not seen the detectors, and tuned on. The test sets
# (pii_blind_test2.jsonl, pii_blind_test3.jsonl) are never read by tests: they are measured in aggregate
# only, on final rules, see benchmarks/bench_deidentify.py and benchmarks/RESULTS.md.
BLIND_DEV = FIXTURES / "pii_blind_dev.jsonl"


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_precision_and_recall_on_the_labeled_set():
    rows = [json.loads(line) for line in LABELED.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 80 and sum(not r["pii"] for r in rows) >= 30  # hard negatives included
    true_positive = predicted = gold = 0
    for row in rows:
        expected = Counter((p["type"], p["value"]) for p in row["pii"])
        found = Counter((span.type, span.text) for span in find_pii(row["text"]))
        true_positive += sum((expected & found).values())
        predicted += sum(found.values())
        gold += sum(expected.values())
    assert {p["type"] for r in rows for p in r["pii"]} <= set(PII_TYPES)
    assert true_positive / predicted >= 0.95
    assert true_positive / gold >= 0.95


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我是张先生，电话13912345670。", "我是[NAME]先生，电话[PHONE]。"),
        ("患者王某某，男，45岁", "患者[NAME]，男，45岁"),
        ("Mr. Smith called.", "Mr. [NAME] called."),
        ("身份证号11010519491231002X", "身份证号[ID_NUMBER]"),
        (
            "流水 6222 0212 3456 7890 127",
            "流水 6222 0212 3456 7890 127",
        ),  # unlabelled, fails Luhn: not a card
        ("ＴＥＬ：１３８００１３８０００", "ＴＥＬ：[PHONE]"),  # full-width digits
    ],
)
def test_replacements(text, expected):
    assert deidentify(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "血压150/95 mmHg，布洛芬400mg每日3次",
        "2023年3月5日开始发烧，体温39.2℃",
        "Call Poison Control at 1-800-222-1222.",
        "See https://www.who.int/health-topics/diabetes",
        "患者高热3天，既往高血压10年",
        "在2020年12月出生的宝宝中黄疸常见",
    ],
)
def test_hard_negatives_stay(text):
    assert deidentify(text) == (text, Counter())


def test_validity_checks():
    assert _id_checksum_ok("11010519491231002X") and not _id_checksum_ok("110105194912310021")
    assert _luhn_ok("4111111111111111") and not _luhn_ok("4111111111111112")


def test_counts_per_type():
    text, counts = deidentify("李女士 13800138000，邮箱 li@example.com，备用 13900139000")
    assert counts == Counter({"PHONE": 2, "NAME": 1, "EMAIL": 1})
    assert "[EMAIL]" in text and "13800138000" not in text


def test_precision_and_recall_on_the_blind_dev_set():
    rows = _rows(BLIND_DEV)
    result = score(rows)
    assert {p["type"] for r in rows for p in r["pii"]} == set(PII_TYPES)
    assert result["overall"]["spans"] >= 150 and sum(not r["pii"] for r in rows) >= 30
    assert result["overall"]["precision"] >= 0.95 and result["overall"]["recall"] >= 0.95


def test_the_dataset_card_scores_are_a_fresh_measurement():
    """The per-type table in the dataset card comes from this file; it must match the rules."""
    from medqa.data.cards import DEIDENTIFICATION_SCORES, deidentification_quality
    from medqa.resources import resource_path

    bench = _bench()  # the one list of sets: what the bench measures is what the card must show
    labelled = {path.stem for path in FIXTURES.glob("pii_*.jsonl")}
    assert labelled == {*bench.SETS, *bench.BLIND_SETS}  # every labelled set is measured, none forgotten
    once_only = (*(f"{name}_unseen" for name in bench.UNSEEN_SETS), bench.DEMOTED_TEST)
    stored = json.loads(resource_path(DEIDENTIFICATION_SCORES).read_text(encoding="utf-8"))
    for name in bench.SETS:
        assert stored[name] == score(_rows(FIXTURES / f"{name}.jsonl")), name
    for name in once_only + tuple(name for name in bench.BLIND_SETS if name in stored):
        assert stored[name]["measured_at"], name  # measured once, at a named commit, never re-measured
    table = deidentification_quality()
    assert all(f"| {kind} |" in table for kind in PII_TYPES) and "| **all** |" in table
    results = (Path(__file__).parents[1] / "benchmarks" / "RESULTS.md").read_text(encoding="utf-8")
    assert table in results  # RESULTS.md shows the same table, rewritten by bench_deidentify.py --write


def _bench():
    import importlib.util

    path = Path(__file__).parents[1] / "benchmarks" / "bench_deidentify.py"
    spec = importlib.util.spec_from_file_location("bench_deidentify", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_test_set_measured_again_keeps_its_earlier_figures():
    bench = _bench()
    first, second = bench.BLIND_SETS[:2]
    old = {"overall": {"precision": 0.9, "recall": 0.8}, "measured_at": "aaa"}
    stored = {first: {**old, "earlier": [{"measured_at": "000", "overall": {}}]}}
    results = {name: {"overall": {"precision": 1.0, "recall": 1.0}} for name in bench.BLIND_SETS}
    bench.stamp_test_sets(results, stored, "bbb")
    assert results[first]["measured_at"] == results[second]["measured_at"] == "bbb"
    assert [entry["measured_at"] for entry in results[first]["earlier"]] == ["000", "aaa"]
    assert results[first]["earlier"][-1]["overall"] == old["overall"]
    assert "earlier" not in results[second]  # measured for the first time


def test_the_bench_names_a_missing_test_set_and_what_to_do(tmp_path, monkeypatch):
    bench = _bench()
    monkeypatch.setattr(bench, "FIXTURES", tmp_path)
    with pytest.raises(
        SystemExit, match=r"pii_blind_test2\.jsonl: labelled PII set not found .*--blind --write"
    ):
        bench.load(bench.BLIND_SETS[0])
    (tmp_path / "pii_blind_dev4.jsonl").write_text('{"text": "x", "pii": []}\n{oops\n', encoding="utf-8")
    with pytest.raises(SystemExit, match=r"pii_blind_dev4\.jsonl:2: not JSON"):
        bench.load("pii_blind_dev4")


def test_the_bench_rewrites_only_its_table_in_results_md():
    bench = _bench()
    page = f"# R\n\nbefore\n{bench.TABLE_START}\nold table\n{bench.TABLE_END}\nafter\n"
    rendered = bench.render_results(page, "abc1234")
    assert rendered.startswith("# R\n\nbefore\n") and rendered.endswith(f"{bench.TABLE_END}\nafter\n")
    assert "old table" not in rendered and "`abc1234`" in rendered and "| **all** |" in rendered


@pytest.mark.parametrize("name", ["pii_blind_dev3", "pii_blind_dev4"])
def test_precision_and_recall_on_the_later_blind_sets(name):
    """dev3 was the first test set (its once-only score is kept as pii_blind_dev3_as_test); dev4 was
    measured once before tuning (pii_blind_dev4_unseen). Both are tuned on now."""
    rows = _rows(FIXTURES / f"{name}.jsonl")
    result = score(rows)
    assert {p["type"] for r in rows for p in r["pii"]} == set(PII_TYPES)
    assert result["overall"]["spans"] >= 150
    assert result["overall"]["precision"] >= 0.95 and result["overall"]["recall"] >= 0.95


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # addresses: zh province / city / district / road / number, en street addresses
        ("家住北京市朝阳区建国路88号3单元402室，头晕。", "家住[ADDRESS]，头晕。"),
        ("我在深圳市南山区高新南七道18号上班", "我在[ADDRESS]上班"),
        ("地址：朝阳区望京街道阜通东大街6号院3号楼", "地址：[ADDRESS]"),
        ("She lives at 221B Baker Street, London NW1 6XE.", "She lives at [ADDRESS]."),
        ("Mail it to 500 W Madison St, Chicago, IL 60661.", "Mail it to [ADDRESS]."),
        # passports, medical record and insurance numbers, after the words that name them
        ("护照号码：EJ1234567，要去国外复查", "护照号码：[PASSPORT]，要去国外复查"),
        ("passport no. C01X00T47", "passport no. [PASSPORT]"),
        ("住院号 ZY2024-00317，床号12", "住院号 [MEDICAL_RECORD]，床号12"),
        ("My MRN is 00482913.", "My MRN is [MEDICAL_RECORD]."),
        ("医保卡号 1100 2345 6789 01，能报销吗", "医保卡号 [INSURANCE]，能报销吗"),
        ("Medicare # 1EG4-TE5-MK72", "Medicare # [INSURANCE]"),
        ("新农合卡号 4301234567，能报销吗", "新农合卡号 [INSURANCE]，能报销吗"),
        # names after titles, roles, kinship and contact words; the title stays, the surname goes
        ("王医生您好，刘主任说要复查", "[NAME]医生您好，[NAME]主任说要复查"),
        ("我婆婆周秀英，今年70岁", "我婆婆[NAME]，今年70岁"),
        ("我老公李强说他头疼", "我老公[NAME]说他头疼"),
        ("我是谢芳，想查记录", "我是[NAME]，想查记录"),
        ("联系人：孙丽，家属：周强", "联系人：[NAME]，家属：[NAME]"),
        ("主治医师：王伟，术后复查", "主治医师：[NAME]，术后复查"),
        ("王建国，男，65岁，高血压十年", "[NAME]，男，65岁，高血压十年"),
        ("Nurse Kelly said my wife Karen can visit.", "Nurse [NAME] said my wife [NAME] can visit."),
        ("I'm Sarah and this is Maria Gonzalez.", "I'm [NAME] and this is [NAME]."),
        ("我儿媳妇刘晓丽刚生完孩子", "我儿媳妇[NAME]刚生完孩子"),
        ("My mother-in-law Susan has dementia.", "My mother-in-law [NAME] has dementia."),
        ("谢谢医生！李明", "谢谢医生！[NAME]"),
        # IDs and phones with spaces, parentheses and extensions
        ("身份证号 330106 19900101 123X", "身份证号 [ID_NUMBER]"),
        ("SSN 532-61-4478", "SSN [ID_NUMBER]"),
        ("电话(021)1234-5678转806，找张医生", "电话[PHONE]，找[NAME]医生"),
        ("call (212) 555-0198 ext. 304", "call [PHONE]"),
        ("韩雪，电话 010-8888 6666 转 12", "[NAME]，电话 [PHONE]"),
    ],
)
def test_each_class_of_identifier(text, expected):
    assert deidentify(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "I'm Very Worried About My Heart Rate Going Up To 130.",
        "I'm Feeling dizzy since Monday, is it my blood pressure?",
        "Do I need my passport to get a vaccination certificate?",
        "The group number is 00871 and the order number 123456789.",
        # surname characters that start or end ordinary words, before titles and after cue words
        "这种分类方法有助于医生选择药物，从而信任医生的诊断",
        "全科医生和康复医生都建议我去做胃镜",
        "患者焦虑明显，向患者解释病情，患者连续三天发烧",
        "我女儿黄疸十天了，我妈高血压，我老公高烧三天",
        "北京市朝阳区的医院哪家好？我现在在上海出差",
        "这个身份证号110105198001011232校验位好像不对",
        "医保卡里还有3000元",
    ],
)
def test_look_alikes_stay(text):
    assert deidentify(text) == (text, Counter())


def test_types_found_in_the_bundled_sample_match_its_labels():
    """221 sample rows (long reasoning text, PII in a few): no identifier invented, none missed."""
    from medqa.resources import SAMPLE_CORPUS, resource_path

    rows = _rows(resource_path(SAMPLE_CORPUS))
    labels = _rows(FIXTURES / "sample_labels.jsonl")
    found = [
        {s.type for field in ("question", "think", "answer") for s in find_pii(row[field])} for row in rows
    ]
    assert found == [set(label["pii"]) for label in labels]


BLIND_DEV2 = FIXTURES / "pii_blind_dev2.jsonl"


def test_precision_and_recall_on_the_second_blind_set():
    """Written by a second annotator who had not seen the rules; measured once before tuning
    (stored as pii_blind_dev2_unseen), tuned on since."""
    rows = _rows(BLIND_DEV2)
    result = score(rows)
    assert {p["type"] for r in rows for p in r["pii"]} == set(PII_TYPES)
    assert result["overall"]["spans"] >= 150
    assert result["overall"]["precision"] >= 0.95 and result["overall"]["recall"] >= 0.95


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a kinship word: longest first (我爸爸, not 我爸 + 爸), 叫 after it, an English one before a zh name
        ("我爸爸冯建军和我妹妹何丽都有胃炎", "我爸爸[NAME]和我妹妹[NAME]都有胃炎"),
        ("孩子外公叫柏永福，今年79", "孩子外公叫[NAME]，今年79"),
        ("My dad 黄志明 住院了", "My dad [NAME] 住院了"),
        ("她老公蒋涛开车送她来的", "她老公[NAME]开车送她来的"),  # a verb ends the given name
        # a full name opening a clause before an age; a signature after a dash or a sentence's end
        ("郑美华今年66岁，膝盖疼", "[NAME]今年66岁，膝盖疼"),
        ("麻烦看看化验单\n—— 老周", "麻烦看看化验单\n—— [NAME]"),
        ("医保卡号 SZ88123456 被冻结了。孔丽华", "医保卡号 [INSURANCE] 被冻结了。[NAME]"),
        # a bare name beside any identifier, in zh and en
        ("身份证 11010519491231002X，钱明，要补办", "身份证 [ID_NUMBER]，[NAME]，要补办"),
        (
            "Omar Farouk, passport no. K1234567, needs a letter.",
            "[NAME], passport no. [PASSPORT], needs a letter.",
        ),
        ("MRN 00991234, Julia Novak, follow-up", "MRN [MEDICAL_RECORD], [NAME], follow-up"),
        # … but not a place or an insurer there
        ("Blue Cross, member ID ABC123456, denied it.", "Blue Cross, member ID [INSURANCE], denied it."),
        (
            "In Los Angeles, passport number 123456789 expired",
            "In Los Angeles, passport number [PASSPORT] expired",
        ),
        # English cues with a colon, form fields, signatures, headers, self-labels
        ("Member: Tomas Reid. Claim pending.", "Member: [NAME]. Claim pending."),
        ("From: Nora Quinn <nq@example.net>", "From: [NAME] <[EMAIL]>"),
        ("card ending 1234, name on card Wei Zhang", "card ending 1234, name on card [NAME]"),
        ("Please call back.\nOliver Brandt", "Please call back.\n[NAME]"),
        ("See you then. - Priya", "See you then. - [NAME]"),
        ("Dana Whitfield, 52F, chest pain", "[NAME], 52F, chest pain"),
        ("Leo's dad here - he has croup.", "[NAME]'s dad here - he has croup."),
        ("hi it's Dev again, still coughing", "hi it's [NAME] again, still coughing"),
        ("Ruth here, my ankle is swollen", "[NAME] here, my ankle is swollen"),
        ("my 7-year-old daughter Ava has asthma", "my 7-year-old daughter [NAME] has asthma"),
        ("My name's Kofi.", "My name's [NAME]."),
        ("NP Alvarez adjusted my insulin", "NP [NAME] adjusted my insulin"),
        ("名字拼音是 LIU YANG", "名字拼音是 [NAME]"),
        ("李营养师和王总都说少吃盐", "[NAME]营养师和[NAME]总都说少吃盐"),
        ("请邹志强主任看看片子", "请[NAME]主任看看片子"),  # a full name before a role, where a phrase starts
        ("患者梁国栋（男，58岁）", "患者[NAME]（男，58岁）"),
        ("My son's name is Theo.", "My son's name is [NAME]."),
        ("Olivia has a rash and Ethan still coughs", "[NAME] has a rash and [NAME] still coughs"),
        # a name spelt by the email user or the profile path in the same message
        ("write to m.okoro@example.com - Mia", "write to [EMAIL] - [NAME]"),
        ("my blog https://medium.com/@tessa.runs (Tessa)", "my blog [URL] ([NAME])"),
        # URLs of profiles and personal pages identify even without digits
        ("主页 https://www.weibo.com/u/kevinw", "主页 [URL]"),
        ("profile: https://example.org/people/anna-berg", "profile: [URL]"),
        # unit first, directional street suffix
        ("Flat 2, 9 Elm Road, Leeds is mine", "[ADDRESS] is mine"),
        ("at 40 King Street East, Toronto", "at [ADDRESS]"),
        ("我家在徐汇区漕溪北路398弄7号", "我家在[ADDRESS]"),
        ("住在东城区东四十条5号院", "住在[ADDRESS]"),
        ("PO Box 88, Reno, NV 89501", "[ADDRESS]"),
        ("at 12 3rd Street, Brooklyn", "at [ADDRESS]"),
        # passports and permits with spaces, insurance codes with a letter prefix and spaces
        ("护照号 G 8812 3456", "护照号 [PASSPORT]"),
        ("港澳通行证号码 C88123456", "港澳通行证号码 [PASSPORT]"),
        ("member ID: QRS 456 789 012", "member ID: [INSURANCE]"),
        # (a national identifier: dev5's and dev6's annotators mark it ID_NUMBER, dev4's INSURANCE)
        ("NHS number 401 023 2137", "NHS number [ID_NUMBER]"),
        # birth dates
        ("His DOB is 07/04/1961.", "His DOB is [DATE_OF_BIRTH]."),
        ("儿子2019年6月1日生的，还不会说话", "儿子[DATE_OF_BIRTH]生的，还不会说话"),
        ("出生日期：一九七二年五月八日", "出生日期：[DATE_OF_BIRTH]"),
        ("born on the 2nd of March, 1990", "born on the [DATE_OF_BIRTH]"),
        ("DOB: 05-Jan-1979", "DOB: [DATE_OF_BIRTH]"),
        # plates, insurance and phone cues
        ("my van (reg LM19 XYZ) was clamped", "my van (reg [LICENSE_PLATE]) was clamped"),
        ("请带社保卡（卡号：Q20112233）来", "请带社保卡（卡号：[INSURANCE]）来"),
        ("Ph: 0413 222 333 after 5", "Ph: [PHONE] after 5"),
        ("reach me at 0413222333", "reach me at [PHONE]"),
    ],
)
def test_each_class_found_in_the_second_blind_set(text, expected):
    assert deidentify(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "孙子今年8岁，白人65岁以上骨质疏松多见吗",
        "这符合医生的建议，康复医生和值班医生都同意",
        "Will is needed to recover; May was cold. Grace has no rash.",  # names that are also words
        "我妈妈今年60岁，孩子爸爸开车送来的",
        "血压总是偏高，吃完饭胃胀。金银花",  # a sentence's end before a word, no identifier in the message
        "Best Regards\nKind Regards",
        "Is a Child Life Specialist available? Member Services told me to call back.",
        "Signed Consent Form is needed. Patient Portal Access is down.",
        "It's Lyme disease again. Bleeding here, heavy. Nobody here, knows.",
        "I am John's mother and Parkinson's disease runs in my family.",
        "See https://www.nhs.uk/conditions/asthma/ and https://www.youtube.com",
        "Results link: https://twitter.com (Results)",
        "2023年3月5日生病了，一直发烧",
        "The group number is 00871 and the order number 123456789. pH 7.35",
    ],
)
def test_look_alikes_of_the_second_blind_set_stay(text):
    assert deidentify(text) == (text, Counter())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # phones in any country's layout: trunk 0 and groups, pairs, country codes, a second number
        ("phone +33 6 12 34 56 78 after 6pm", "phone [PHONE] after 6pm"),
        ("call me on 0412 345 678 or (02) 9876 5432", "call me on [PHONE] or [PHONE]"),
        ("07700900461 is my cell; home 0161 496 0000.", "[PHONE] is my cell; home [PHONE]."),
        ("ring 0044 20 7946 0958", "ring [PHONE]"),
        ("电話 0912-345-678，急", "电話 [PHONE]，急"),  # traditional characters read as simplified
        ("家属 13900001111 13900001112 都能打通", "家属 [PHONE] [PHONE] 都能打通"),
        # plates of any country after a plate word
        ("the van had plate number NY 7KLM-220.", "the van had plate number [LICENSE_PLATE]."),
        (
            "German plate M-AB 1234, French plate AB-123-CD",
            "German plate [LICENSE_PLATE], French plate [LICENSE_PLATE]",
        ),
        ("车牌 ABC-1234 的车挡住了出口", "车牌 [LICENSE_PLATE] 的车挡住了出口"),
        # the words between a label and its value, in any order; insurers' names as labels
        ("My passport, number 612345789, expired", "My passport, number [PASSPORT], expired"),
        ("护照上的号码是E12345678", "护照上的号码是[PASSPORT]"),
        ("My Humana ID is H12345678 01 and", "My Humana ID is [INSURANCE] and"),
        ("Anthem ID: ANT882211934, group 00871", "Anthem ID: [INSURANCE], group 00871"),
        (
            "Specimen ID: LAB-22091877, Accession # CT-2024-1130-0042",
            "Specimen ID: [MEDICAL_RECORD], Accession # [MEDICAL_RECORD]",
        ),
        ("URN 4471920 at the Royal", "URN [MEDICAL_RECORD] at the Royal"),
        # identity numbers after their label whatever the check digit or layout; national formats
        ("身份证 4403 0620 1208 1528 21，要复印吗", "身份证 [ID_NUMBER]，要复印吗"),
        ("居民身份证：110105198507123419，体检用", "居民身份证：[ID_NUMBER]，体检用"),
        ("老身份证是15位：320106560318121", "老身份证是15位：[ID_NUMBER]"),
        ("香港身份证B765432(1)和澳门身份证5123456(7)", "香港身份证[ID_NUMBER]和澳门身份证[ID_NUMBER]"),
        ("台湾身份证字号A223456781，可以挂号吗", "台湾身份证字号[ID_NUMBER]，可以挂号吗"),
        (
            "CURP ROPM910312MDFDRR05, DNI 12345678Z, NIE X1234567L",
            "CURP [ID_NUMBER], DNI [ID_NUMBER], NIE [ID_NUMBER]",
        ),
        ("Aadhaar 3456 7890 1234 and PAN BCDEF2345G", "Aadhaar [ID_NUMBER] and PAN [ID_NUMBER]"),
        ("SIN 046 454 286 and NI number QQ 12 34 56 C", "SIN [ID_NUMBER] and NI number [ID_NUMBER]"),
        ("Dutch ID (identiteitskaart) NL1234567, valid", "Dutch ID (identiteitskaart) [ID_NUMBER], valid"),
        # card numbers after a card word whatever Luhn says
        ("信用卡 4392 2600 1234 5679 付的押金", "信用卡 [BANK_CARD] 付的押金"),
        ("debit card 4000 1234 5678 9011, refund please", "debit card [BANK_CARD], refund please"),
        # birth dates: lunar, two-digit years, a second form in brackets, foreign cues, after a name
        (
            "生于1952年腊月初八（阳历1953年1月22日），现在耳背",
            "生于[DATE_OF_BIRTH]（阳历[DATE_OF_BIRTH]），现在耳背",
        ),
        ("她88年5月3号生的，最近失眠", "她[DATE_OF_BIRTH]生的，最近失眠"),
        (
            "fecha de nacimiento 05/11/1970, date de naissance 3/4/1980",
            "fecha de nacimiento [DATE_OF_BIRTH], date de naissance [DATE_OF_BIRTH]",
        ),
        ("my birthdate which is 22 Oct 1985", "my birthdate which is [DATE_OF_BIRTH]"),
        ("Patient: Helen Moss, 1957-03-21.", "Patient: [NAME], [DATE_OF_BIRTH]."),
        (
            "birthday is on 05/05/1990; né le 5 mai 1990",
            "birthday is on [DATE_OF_BIRTH]; né le [DATE_OF_BIRTH]",
        ),
        ("nacido el 5 de mayo de 1990 (b. 1990-05-05)", "nacido el [DATE_OF_BIRTH] (b. [DATE_OF_BIRTH])"),
        (
            "农历1990年四月十一出生；年龄33岁（1990年5月5日生）",
            "[DATE_OF_BIRTH]出生；年龄33岁（[DATE_OF_BIRTH]生）",
        ),
        # names: compound surnames before roles, 姓 + surname, role + a full name filling its clause
        ("主刀是欧阳主任，麻醉师姓万", "主刀是[NAME]主任，麻醉师姓[NAME]"),
        ("住院号0023871，主治医师钱文斌，术后第3天", "住院号[MEDICAL_RECORD]，主治医师[NAME]，术后第3天"),
        ("有事找孙丽娟就行", "有事找[NAME]就行"),
        ("我是白雪梅。", "我是[NAME]。"),  # a rarer surname where the full name fills the clause
        ("我表哥宋家豪和表嫂欧阳倩倩都在备孕", "我表哥[NAME]和表嫂[NAME]都在备孕"),
        ("联系人：小王，电话 13800138000", "联系人：[NAME]，电话 [PHONE]"),
        ("请转告刘建华医生明天来", "请转告[NAME]医生明天来"),
        ("快递到付，电话 13971234567，吕晨收。", "快递到付，电话 [PHONE]，[NAME]收。"),
        ("邮件给我 CHEN.Jia@sina.com ，陈佳，孕妇", "邮件给我 [EMAIL] ，[NAME]，孕妇"),
        ("我叫Kevin Zhang，最近胸闷", "我叫[NAME]，最近胸闷"),
        ("請問高醫師，我母親蔡淑芬頭暈", "請問[NAME]醫師，我母親[NAME]頭暈"),
        # English names after weak cues, with a given name; particles; lower case; brackets; possessives
        ("Per PA Megan Hollis and Dr. van der Berg", "Per PA [NAME] and Dr. [NAME]"),
        ("Pt: Tran Van Minh | DOB: 2/3/1950", "Pt: [NAME] | DOB: [DATE_OF_BIRTH]"),
        ("it's Olivia Park again, about the biopsy", "it's [NAME] again, about the biopsy"),
        ("for the attention of Sophie Clarke", "for the attention of [NAME]"),
        ("Patient Lars Eriksson, booked for colonoscopy", "Patient [NAME], booked for colonoscopy"),
        ("my dad (Robert Hayes, 76) fell", "my dad ([NAME], 76) fell"),
        (
            "tell doctor Ibrahim that Fatou Diallo's pain is worse",
            "tell doctor [NAME] that [NAME]'s pain is worse",
        ),
        ("my wife jessica nguyen is pregnant", "my wife [NAME] is pregnant"),
        ("It's for Dorothy Williams, 79, new AFib.", "It's for [NAME], 79, new AFib."),
        # addresses: a unit after the street, one-letter directions, continental, a room number (房)
        ("visit 301 W 57th St #18F, New York, NY 10019.", "visit [ADDRESS]."),
        ("at 88 Queen St W, Unit 1402, Toronto, ON M5H 2N2 /", "at [ADDRESS] /"),
        ("Unit 3/45 Smith St, Sydney NSW 2000", "[ADDRESS]"),
        ("45 Rue de Rivoli, 75001 Paris, 3e étage — visiting", "[ADDRESS] — visiting"),
        ("Adresse: Hauptstraße 5, 10115 Berlin", "Adresse: [ADDRESS]"),
        ("住在广州市天河区天河北路233号华港花园3栋1801房，腿肿", "住在[ADDRESS]，腿肿"),
        ("住址 山东省青岛市市南区香港中路61号乙 远洋大厦B座1708，换药", "住址 [ADDRESS]，换药"),
        ("快递寄浙江杭州西湖区文三路259号3幢", "快递寄[ADDRESS]"),
        ("住台北市大安區忠孝東路四段100號8樓", "住[ADDRESS]"),
        ("香港九龙弥敦道123号5楼A室", "[ADDRESS]"),
        # emails spelt out, links without their scheme, IBANs and account numbers after their word
        ("email li.na[at]163.com or mei at qq dot com", "email [EMAIL] or [EMAIL]"),
        ("profile weibo.com/u/5678123456 please", "profile [URL] please"),
        ("IBAN GB29 NWBK 6016 1331 9268 19 for the refund", "IBAN [BANK_CARD] for the refund"),
        ("退款账号 6228 4800 3301 2345 671", "退款账号 [BANK_CARD]"),
        ("Korean RRN 900101-1234567", "Korean RRN [ID_NUMBER]"),
        ("Medicare Beneficiary Identifier 1EG4-TE5-MK72", "Medicare Beneficiary Identifier [INSURANCE]"),
        ("Hosp # 4471920, ward 5", "Hosp # [MEDICAL_RECORD], ward 5"),
        ("患者焦某，男，50岁", "患者[NAME]，男，50岁"),  # a rarer surname with a placeholder
        ("我住阳光小区3号楼2单元501室，腿疼", "我住[ADDRESS]，腿疼"),  # an estate, no city
        # more layouts: dotted trunk numbers, an extension after a hyphen; plates after a vehicle word;
        # a label and a colon; lower-case self-introductions; SURNAME, Given; initials; district first
        ("appelez le 06.12.34.56.78 demain", "appelez le [PHONE] demain"),
        ("总机 0755-26881234-806 转护士站", "总机 [PHONE] 转护士站"),
        ("my car (ABC-1234) was hit", "my car ([LICENSE_PLATE]) was hit"),
        ("Policy: ABC123456, Ins ID W123456789", "Policy: [INSURANCE], Ins ID [INSURANCE]"),
        ("医保：1100 2345 6789 01", "医保：[INSURANCE]"),
        ("hi my name is john smith, i am sarah", "hi my name is [NAME], i am [NAME]"),
        ("Patient: SMITH, John, 45", "Patient: [NAME], 45"),
        ("Dr. J. Smith said rest", "Dr. [NAME] said rest"),
        ("医院在海淀区中关村大街27号，挂号难", "医院在[ADDRESS]，挂号难"),
        ("Sarah Johnson (DOB 04/12/1980) needs a refill", "[NAME] (DOB [DATE_OF_BIRTH]) needs a refill"),
        ("Ana Silva, aged 40, fever", "[NAME], aged 40, fever"),
        ("我老婆孟佳怀孕了。——陈红", "我老婆[NAME]怀孕了。——[NAME]"),  # a verb ends the name; a dash signs
        ("宝妈刘婷婷咨询：宝宝黄疸", "宝妈[NAME]咨询：宝宝黄疸"),
        ("Nurse Practitioner Jane Doe and Midwife Sarah Lee", "Nurse Practitioner [NAME] and Midwife [NAME]"),
        (
            "身份证件号码：110105198503104291，医保个人编码 G12345678901",
            "身份证件号码：[ID_NUMBER]，医保个人编码 [INSURANCE]",
        ),
        ("PP No. E12345678 and 护照信息：G12345678", "PP No. [PASSPORT] and 护照信息：[PASSPORT]"),
        ("send to 7 Rose Lane, Bath BA1 1AA, UK", "send to [ADDRESS]"),
        ("Apt 12, 350 5th Ave, NY, NY 10118", "[ADDRESS]"),
        ("my home: 15 Nguyen Hue Blvd, District 1, Ho Chi Minh City", "my home: [ADDRESS]"),
        ("Block 123 Ang Mo Kio Ave 3, #05-67, Singapore 560123", "[ADDRESS]"),
        ("scan at https://drive.google.com/file/d/1AbCdEfGh/view", "scan at [URL]"),
        (
            "Please call Mary Jones at 617-555-0101; Tom Lee: 07700 900123",
            "Please call [NAME] at [PHONE]; [NAME]: [PHONE]",
        ),
        ("Next of kin Paul Doe. Caller: Jim Beam", "Next of kin [NAME]. Caller: [NAME]"),
        ("Anna called yesterday; Ahmed fell at home", "[NAME] called yesterday; [NAME] fell at home"),
        ("Dad: Sean O'Connor, +353 87 123 4567.", "Dad: [NAME], [PHONE]."),
        ("健保卡號 0000 1234 5678，病歷號碼 A1234567", "健保卡號 [INSURANCE]，病歷號碼 [MEDICAL_RECORD]"),
        ("Passport - 123456789; Member ID = ABC123456", "Passport - [PASSPORT]; Member ID = [INSURANCE]"),
        ("passport (expired) number E12345678", "passport (expired) number [PASSPORT]"),
        ("Medicare number on the card: 1EG4-TE5-MK72", "Medicare number on the card: [INSURANCE]"),
        # URLs holding a generated token
        ("link https://results.lab.example/r/9KQ2-77XT-PL04 to see", "link [URL] to see"),
    ],
)
def test_each_format_class_of_the_fourth_blind_set(text, expected):
    assert deidentify(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "The NDC on my inhaler is 0173-0682-20, Lot 0123-4567-89, visit on 05-06-2023 10:30",
        "订单号 021-55551234，批号 20230512",
        "银行卡号6222021234567890123是不是写错了，APP一直提示卡号无效",  # a number called invalid
        "The billing page says card number 4532 1234 5678 9010 is invalid",
        "https://www.nhs.uk/conditions/covid-19/ and https://www.cdc.gov/flu/h1n1/index.html",
        "可以和医生商量，联系方式见官网，需要医生许可。",
        "My roommate has it from her doctor. Can I take some?",
        "St John's wort, Lou Gehrig's disease, Crohn's disease and Hodgkin lymphoma",
        "It's Friday, it's Christmas, it's Monday again.",
        "My passport expires 2030-05-01; the sample ID is 2024-0012.",
        "叫做IgE的抗体，王老吉能降火吗",
        "Scale 0-10, times 08:30-09:30, 05 06 2023, BP 135/85, eGFR 60-89",
        "my wife and I are worried; my mom will be there",
        "look at nhs.uk/conditions/asthma and arrive at home.com",
        "订单 230101-1234567，小区里有3栋楼",
        "GB29 NWBK 6016 1331 9268 18 fails its check",
        "on 01.02.2023 take 0.5.1; car 4x4 and a car seat for 2 kids",
        "i am very sick and this is the best; Insurance: Aetna",
        "朝阳区的建国路很堵，海淀区的医院",
        "Call Poison Control at 1-800-222-1222",
        "the clinic on Main Street; he lives on 5th Avenue",
        "Vitamin B. 1990-05-05 visit; 3 mai 2023 visite; b. 12 tablets",
        "the Consultant Surgeon said Florence is lovely; Santiago is hot",
        "我是高中生，我是江苏人，我是程序员，我是周一来的，我是马拉松爱好者",  # a word, not a name, after 我是
        "From: Customer Service. Contact: Front Desk. Attn: Billing Dept. Signed Consent Form",
        "Thanks, Team Alpha. Regards, Admissions Office. Cardholder: Visa Gold",
    ],
)
def test_look_alikes_of_the_fourth_blind_set_stay(text):
    """Look-alikes of the classes above (they pass on main's rules too: they guard precision)."""
    assert deidentify(text) == (text, Counter())


def test_a_date_after_a_clinician_is_a_visit_not_a_birth_date():
    assert deidentify("Seen by Dr. Smith, 2023-05-01.")[0] == "Seen by Dr. [NAME], 2023-05-01."
    assert deidentify("Patient: Helen Moss, 1957-03-21.")[0] == "Patient: [NAME], [DATE_OF_BIRTH]."


def test_places_insurers_and_desks_before_a_phone_are_no_names():
    text = "In Los Angeles, +1 213 555 0100; Blue Cross, 555-301-2299; Text Mom at 555-301-2298"
    assert deidentify(text)[0] == "In Los Angeles, [PHONE]; Blue Cross, [PHONE]; Text Mom at [PHONE]"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a card after its issuer's name, whatever its check digit
        ("UnionPay 6212 2602 0000 1234 567 was charged", "UnionPay [BANK_CARD] was charged"),
        ("paid by American Express 3714 496353 98431", "paid by American Express [BANK_CARD]"),
        # month and year of birth after a birth word
        ("she was born in March 1988 in Leeds", "she was born in [DATE_OF_BIRTH] in Leeds"),
        ("DOB 07/1969, smoker", "DOB [DATE_OF_BIRTH], smoker"),
        # a name greeted, or signing off after any common closing
        ("Dear Margaret, your results are ready", "Dear [NAME], your results are ready"),
        ("Hi Sam, the scan is booked", "Hi [NAME], the scan is booked"),
        ("See you Monday. Best wishes, Eleanor", "See you Monday. Best wishes, [NAME]"),
        ("Kind regards, Julia Novak", "Kind regards, [NAME]"),
        # identity numbers of more countries, dotted groups included
        ("Personnummer 19811218-9876 på remissen", "Personnummer [ID_NUMBER] på remissen"),
        ("meu CPF 123.456.789-09", "meu CPF [ID_NUMBER]"),
        ("TFN 123 456 782 on the form", "TFN [ID_NUMBER] on the form"),
        ("军官证号 20190345 遗失", "军官证号 [ID_NUMBER] 遗失"),
        # passports named in other languages
        ("Reisepass C01X00T47", "Reisepass [PASSPORT]"),
        ("numéro de passeport 18AB12345", "numéro de passeport [PASSPORT]"),
        # admission, visit and report numbers; slashed record numbers; AU Medicare's last digit
        ("Admission number IP-2024-0091, ward 5", "Admission number [MEDICAL_RECORD], ward 5"),
        ("Record No. 2023/00451", "Record No. [MEDICAL_RECORD]"),
        ("化验单号 20231104556 找不到了", "化验单号 [MEDICAL_RECORD] 找不到了"),
        ("Medicare number 2123 45670 1", "Medicare number [INSURANCE]"),
        # year-month, two-digit-year and month-day birth dates; a person's month of birth before 出生
        ("出生年月：1990.03，高血压", "出生年月：[DATE_OF_BIRTH]，高血压"),
        ("DOB: 6 May 88", "DOB: [DATE_OF_BIRTH]"),
        ("生日：5月6日", "生日：[DATE_OF_BIRTH]"),
        ("我是1985年3月出生的", "我是[DATE_OF_BIRTH]出生的"),
        # signatures and form roles; nicknames given by 叫 / 小名
        ("签字人：李建华", "签字人：[NAME]"),
        ("此致 敬礼 张三丰", "此致 敬礼 [NAME]"),
        ("我家宝宝叫乐乐，3岁", "我家宝宝叫[NAME]，3岁"),
        ("我儿子叫阿强", "我儿子叫[NAME]"),
        # a prefecture city without 市 before its district; a Hong Kong road with its direction
        ("深圳南山区粤海街道科技南十二路2号", "[ADDRESS]"),
        ("香港中環皇后大道中99號", "[ADDRESS]"),
    ],
)
def test_each_format_class_reviewed_for_generality(text, expected):
    """Classes found by review before the fifth blind set (own sentences, not its rows)."""
    assert deidentify(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Dear Sir, Hi Doc, Hello everyone, Hi there, Dear Team,",
        "Visa Gold card benefits; the Discover app; born in a village",
        "MRN 1234567 3 days ago",
        "case number is unclear; visit 2024/03/01",
        "2020年12月出生的宝宝容易湿疹，孩子一直叫妈妈，宝宝叫小心",
        "吉林大学第一医院，朝阳区的建国路很堵",
    ],
)
def test_look_alikes_reviewed_for_generality_stay(text):
    found = [(span.type, span.text) for span in find_pii(text)]
    assert found in ([], [("MEDICAL_RECORD", "1234567")])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # three-word names (Singaporean, Cantonese, South Indian), a middle initial
        ("my daughter Lee Hui Min has a rash", "my daughter [NAME] has a rash"),
        ("Dr. Goh Chok Tong said it is fine", "Dr. [NAME] said it is fine"),
        ("Insured: Maria T. Alvarez  Member ID: QX88123", "Insured: [NAME]  Member ID: [INSURANCE]"),
        # a capitalised surname first after a field word
        ("name LEUNG Chi Wai, tel 9876 5432", "name [NAME], tel [PHONE]"),
        # "its me …", lower-case cues inside capitalised text, a closing full name
        ("hey its me Omar Farouk again, the MRI is done", "hey its me [NAME] again, the MRI is done"),
        ("hi dr patel, its sarah lim here about the TSH", "hi dr [NAME], its [NAME] here about the TSH"),
        ("Is the INR too high? Laura Bennett", "Is the INR too high? [NAME]"),
        ("The patient is Ana Souza, 40", "The patient is [NAME], 40"),
        ("Ich heiße Jonas Becker und habe Fieber", "Ich heiße [NAME] und habe Fieber"),
        # Chinese: 叫 with a rarer given character, owner / invoice header / bed number cues
        ("我奶奶叫顾月娥", "我奶奶叫[NAME]"),
        ("车主 蒋春梅，被追尾了", "车主 [NAME]，被追尾了"),
        ("发票抬头写郑晓燕，可以报销吗", "发票抬头写[NAME]，可以报销吗"),
        ("我是12床赵刚的家属", "我是12床[NAME]的家属"),
    ],
)
def test_each_name_class_of_the_fifth_blind_set(text, expected):
    """Name classes the fifth blind set missed before tuning (own sentences of each class)."""
    assert deidentify(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Singapore here. Canada too.",
        "Mr Brown Said no; the Mayo Clinic Hospital",
        "发票抬头写公司名称可以吗，孩子叫高血压怎么办",
        "hi dr, its me again",
    ],
)
def test_name_look_alikes_of_the_fifth_blind_set_stay(text):
    assert [span for span in find_pii(text) if span.text not in ("Brown",)] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # identifiers read off a scan one character at a time
        ("身份证 1 1 0 1 0 5 1 9 8 0 0 1 0 1 1 2 3 4 要复印吗", "身份证 [ID_NUMBER] 要复印吗"),
        ("医保卡号是 9 8 7 6 5 4 3 2 1 0，怎么查", "医保卡号是 [INSURANCE]，怎么查"),
        ("passport G 8 7 6 5 4 3 2 1 for the visa", "passport [PASSPORT] for the visa"),
        # Taiwan ID and resident certificate by format and check digit; the ARC label
        ("new card A123456789 arrived", "new card [ID_NUMBER] arrived"),
        ("ARC no. AC01234567, renewing", "ARC no. [ID_NUMBER], renewing"),
        # a bank's name, or a bare "card", before a card number; a card number ending a sentence
        ("工行 6212 2602 0000 1234 567 收不到退款", "工行 [BANK_CARD] 收不到退款"),
        ("招商银行卡 6225 8801 2345 6789", "招商银行卡 [BANK_CARD]"),
        ("Refund to card 4000 1234 5678 9010.", "Refund to card [BANK_CARD]."),
        # insurance: letter groups, a scheme's card before its number, continental words
        ("Policy No. AXA-SG-55120934 for the claim", "Policy No. [INSURANCE] for the claim"),
        ("OHIP card 9876-543-210-XY expired", "OHIP card [INSURANCE] expired"),
        ("Medicare 卡 2987 65432 1 在澳洲", "Medicare 卡 [INSURANCE] 在澳洲"),
        ("Versichertennummer B987654321 (AOK)", "Versichertennummer [INSURANCE] (AOK)"),
        # birth dates: geb., 出生 before a date, the Republic of China calendar
        ("Patient Jonas Klein, geb. 12.03.1955", "Patient [NAME], geb. [DATE_OF_BIRTH]"),
        ("患者 出生 1952.07.19，高血压", "患者 出生 [DATE_OF_BIRTH]，高血压"),
        ("生日是民國 60 年 5 月 2 日", "生日是[DATE_OF_BIRTH]"),
        # addresses: Canadian and Irish postcodes, Dublin districts, German street words apart,
        # Indian house-comma and flat-building forms, Chinese spaces around numbers
        ("now 55 Bloor St W, Toronto ON M5S 1Y4", "now [ADDRESS]"),
        ("at 3 Merrion Square, Dublin 2, D02 Y754.", "at [ADDRESS]."),
        ("wohne Frankfurter Allee 12, 10247 Berlin.", "wohne [ADDRESS]."),
        ("lives at 14, 5th Main, Indiranagar 2nd Stage, Bengaluru 560038.", "lives at [ADDRESS]."),
        ("Flat 3A, Lodha Palava, Kalyan Shil Road, Thane 421204", "[ADDRESS]"),
        ("地址：臺北市中正區羅斯福路一段 12 巷 3 號 4 樓，謝謝", "地址：[ADDRESS]，謝謝"),
        ("家住北京市海淀区学院路30号 B座 1203，电话", "家住[ADDRESS]，电话"),
        # a self-introduction with a qualifier; a full name opening a sentence
        ("我是杭州的陈晓东，想咨询", "我是杭州的[NAME]，想咨询"),
        (
            "Booked for Friday. Sarah Connolly, asking about statins",
            "Booked for Friday. [NAME], asking about statins",
        ),
    ],
)
def test_each_identifier_class_of_the_fifth_blind_set(text, expected):
    """Classes the fifth blind set missed before tuning (own sentences of each class)."""
    assert deidentify(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Case No. 17-0032 in the journal; order #113-4567890-1234567 arrived",
        "住在幸福路附近 30岁了; 地址不详",
        "我是张医生的病人，我是他的朋友",
        "Hello. Grace, Hope and Faith are virtues. A123456780 is an order code",
    ],
)
def test_identifier_look_alikes_of_the_fifth_blind_set_stay(text):
    assert [span for span in find_pii(text) if span.text != "张"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我爸是张国强，在医院住院", "我爸是[NAME]，在医院住院"),
        ("Signed, B. Nowak", "Signed, [NAME]"),
        ("Name: Trần Thị Mai, tel 0903 123 456", "Name: [NAME], tel [PHONE]"),
        ("Name: Łucja Wróbel", "Name: [NAME]"),
        ("Text Aunt Bettina on 0412 555 019", "Text Aunt [NAME] on [PHONE]"),
        ("Love, Grandma Rose", "Love, Grandma [NAME]"),
    ],
)
def test_name_classes_reviewed_after_the_fifth_blind_set(text, expected):
    """Own probe sentences after tuning on the fifth set: kin + 是, initials after a sign-off,
    Vietnamese and Polish letters, kinship words used as titles."""
    assert deidentify(text)[0] == expected


def test_kin_is_takes_no_condition():
    assert deidentify("我妈是高血压，我爸是医生。")[1] == Counter()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tel: (+852) 2345 6789", "Tel: [PHONE]"),
        ("Level 3, 100 George St, Sydney NSW 2000", "[ADDRESS]"),
        ("Prinsengracht 263, 1016 GV Amsterdam", "[ADDRESS]"),
        ("ul. Piotrkowska 104/6, 90-004 Łódź", "[ADDRESS]"),
        ("Room 805, 8/F, Tower 2, Times Square", "[ADDRESS]"),
        ("4-5-6 Ginza, Chuo-ku, Tokyo 104-0061", "[ADDRESS]"),
        ("부산광역시 해운대구 센텀중앙로 79", "[ADDRESS]"),
        ("Jl. Thamrin No. 10, Jakarta", "[ADDRESS]"),
        ("15 Jalan Bukit Bintang, 55100 Kuala Lumpur", "[ADDRESS]"),
        ("地址 广东省广州市越秀区中山五路 33 号 2 栋 1 单元 702", "地址 [ADDRESS]"),
    ],
)
def test_address_and_phone_classes_reviewed_after_the_fifth_blind_set(text, expected):
    """Own probe sentences: a bracketed country code; Level units; Dutch and Polish postcodes and
    street forms; Hong Kong floors, Japanese chōme, Korean road names, Malay / Indonesian Jalan;
    spaced Chinese units."""
    assert deidentify(text)[0] == expected


def test_address_look_alikes_reviewed_after_the_fifth_blind_set_stay():
    text = "al. 5 mg twice; Ul. is short; Jalan is a word; the 12/F clinic; 1-2 days; 3 栋楼"
    assert deidentify(text) == (text, Counter())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Date of Birth - 11.30.1979", "Date of Birth - [DATE_OF_BIRTH]"),
        ("my birthday is 14 August", "my birthday is [DATE_OF_BIRTH]"),
        ("her birthday is on May 9th!", "her birthday is on [DATE_OF_BIRTH]!"),
        ("생년월일 1979.11.30", "생년월일 [DATE_OF_BIRTH]"),
        ("born in 1948, ex-smoker", "born in [DATE_OF_BIRTH], ex-smoker"),
        ("出生于1962年冬天", "出生于[DATE_OF_BIRTH]冬天"),
    ],
)
def test_birth_date_classes_reviewed_after_the_fifth_blind_set(text, expected):
    """A dash after the label, a day and month without the year, a year alone, Korean labels."""
    assert deidentify(text)[0] == expected


def test_birth_look_alikes_reviewed_after_the_fifth_blind_set_stay():
    text = "born in 2 weeks? born at 32 weeks, born 3 weeks early, born in May; DOB 12:30; 生日蛋糕 3 个"
    assert deidentify(text) == (text, Counter())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hospital Reg. No. 2021-004512", "Hospital Reg. No. [MEDICAL_RECORD]"),
        ("OPD no. 661122 at the clinic", "OPD no. [MEDICAL_RECORD] at the clinic"),
        ("N° de dossier patient : 771234", "N° de dossier patient : [MEDICAL_RECORD]"),
        ("Patientennummer 7654321", "Patientennummer [MEDICAL_RECORD]"),
        ("número de historia clínica 112233", "número de historia clínica [MEDICAL_RECORD]"),
        ("カルテ番号 00123456", "カルテ番号 [MEDICAL_RECORD]"),
        ("차트번호 2022-3344", "차트번호 [MEDICAL_RECORD]"),
        ("健保IC卡 0000 2222 3333", "健保IC卡 [INSURANCE]"),
        ("TK Versichertenkarte B123456789", "TK Versichertenkarte [INSURANCE]"),
        ("carte vitale n° 1 79 11 75 123 456 78", "carte vitale n° [INSURANCE]"),
        ("Reisepassnummer C02Y11U58", "Reisepassnummer [PASSPORT]"),
        ("número de pasaporte PAC654321", "número de pasaporte [PASSPORT]"),
    ],
)
def test_record_insurance_passport_words_of_other_languages(text, expected):
    """Own probe sentences: registration / OPD / file numbers, record, insurance and passport words in
    French, German, Spanish, Italian, Japanese and Korean, n° / nummer / número between label and value."""
    assert deidentify(text)[0] == expected


def test_record_look_alikes_of_other_languages_stay():
    text = "the file is 20 MB; reg 5 mg; Numéro 5 de la rue; case 3"
    assert deidentify(text) == (text, Counter())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我外公（刘德明）85岁", "我外公（[NAME]）85岁"),
        ("经治医师 彭立新", "经治医师 [NAME]"),
        ("值班医生：孔令辉", "值班医生：[NAME]"),
    ],
)
def test_chinese_name_classes_reviewed_after_the_fifth_blind_set(text, expected):
    """A name in brackets after a kinship word; a role, a space and a full name; more role words."""
    assert deidentify(text)[0] == expected


def test_a_thing_called_by_a_name_like_word_is_no_name():
    text = "这个病叫张力性气胸，这个药叫金刚烷胺；医生 说要手术"
    assert deidentify(text) == (text, Counter())


def test_look_alikes_of_the_broader_rules_stay():
    """Guards for this round's broader rules: a decade is no birth year, a suffix is no third name word,
    a diary is greeted by nobody, a bank's app and an issuer's product are no cards."""
    text = (
        "born in 1990s; Dear Diary, Hi Team, Discover Card benefits, 建行的APP打不开, gift card 1000 points"
    )
    assert deidentify(text) == (text, Counter())
    # (the suffix goes with the name as written, period and all, as the blind annotators label it)
    assert deidentify("Mr. John Smith Jr. called")[0] == "Mr. [NAME] called"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # casual messages: names without a title, several people, lower case
        ("hey its jenny, me and mark took mum to the gp", "hey its [NAME], me and mark took mum to the gp"),
        ("mike n lisa both got the flu lol", "[NAME] n [NAME] both got the flu lol"),
        ("told dave his bloods came back fine", "told [NAME] his bloods came back fine"),
        ("can you ask priya if raj took his meds", "can you ask [NAME] if [NAME] took his meds"),
        (
            "Anna and Ben went to A&E with Chloe last night",
            "[NAME] and [NAME] went to A&E with [NAME] last night",
        ),
        (
            "my sister amy and her husband john both have diabetes",
            "my sister [NAME] and her husband [NAME] both have diabetes",
        ),
        # a Chinese surname + given characters between words that link or address people
        ("王芳和李强昨天带孩子去医院了", "[NAME]和[NAME]昨天带孩子去医院了"),
        ("刚才张伟打电话说他妈住院了", "刚才[NAME]打电话说他妈住院了"),
        ("跟刘洋说一下明天复查", "跟[NAME]说一下明天复查"),
        ("李娜今天发烧了怎么办", "[NAME]今天发烧了怎么办"),
        ("帮我问问周杰他爸吃的什么药", "帮我问问[NAME]他爸吃的什么药"),
        ("林小红让我问一下", "[NAME]让我问一下"),
        # lists of people, a surname after a casual given name, a lower-case possessive
        ("张伟、李娜和王芳都发烧了", "[NAME]、[NAME]和[NAME]都发烧了"),
        ("黄晓明和杨颖在一起", "[NAME]和[NAME]在一起"),
        ("me and sarah jones went to see her", "me and [NAME] went to see her"),
        ("Tom Baker and I both tested positive", "[NAME] and I both tested positive"),
        ("yesterday jenny's mum took her to A&E", "yesterday [NAME]'s mum took her to A&E"),
        # an address without a house number ends at its road
        ("住在朝阳区建国路", "住在[ADDRESS]"),
        ("家在杭州市西湖区文三路，离医院近", "家在[ADDRESS]，离医院近"),
    ],
)
def test_each_casual_name_class(text, expected):
    """Casual phone-typed messages name people bare (and addresses stop at a road); own sentences,
    each failing on the rules before."""
    assert deidentify(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "糖尿病和高血压今天又犯了",
        "他跟周围的人说了",
        "我和钱都花光了",
        "和黄疸有关吗",
        "刚才严重了",
        "跟马上要手术的人说",
        "我和江苏的朋友说了",
        "需要更大的样本量，这会增加时间和资金成本",
        "更频繁和严重，比如肺炎",
        "i told mark to check the bill and the will",
        "Ann Arbor and St. Louis both have clinics",
        "claim for 3 nights at Matilda.",
        "Grace and Hope are hospital names",
        "高成本、高蛋白和高脂肪饮食",
        "St John's wort can interact",
        "I am John's mother",
        "北京市朝阳区的医院",
        "在朝阳区医院看的",
    ],
)
def test_casual_name_look_alikes_stay(text):
    assert find_pii(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a nickname or 姓 X, then the full name after a space: the full name is the name
        ("你好 我是小周 周海涛 想问体检的事", "你好 我是小周 [NAME] 想问体检的事"),
        ("我爷爷姓孔 孔德明 他血糖高", "我爷爷姓孔 [NAME] 他血糖高"),
        ("是我同事老何的 何志强 他在输液", "是我同事老何的 [NAME] 他在输液"),
        # kin + 就是 + a name; 我系 (Cantonese); 全名 / 大名 / 中文名 / 备注
        ("我舅妈 就是郭春梅 她也咳嗽", "我舅妈 就是[NAME] 她也咳嗽"),
        ("我系黄家豪 想问下点样预约", "我系[NAME] 想问下点样预约"),
        ("儿子小名叫豆豆 全名宋一鸣", "儿子小名叫[NAME] 全名[NAME]"),
        ("转账备注了孙美玲 退款到了吗", "转账备注了[NAME] 退款到了吗"),
        # nicknames after a kin word or 还有 (闺蜜小雨, 还有阿杰, 女儿朵朵)
        ("我跟我同学小敏还有阿强一起去的", "我跟我同学[NAME]还有[NAME]一起去的"),
        ("我儿子乐乐大名叫冯子轩", "我儿子[NAME]大名叫[NAME]"),
        # a name typed between spaces in a message with the writer's identifiers
        ("报告发我邮箱 zhoulei88@126.com 周磊 谢谢", "报告发我邮箱 [EMAIL] [NAME] 谢谢"),
        # English: bare kin words, pt, he is, a profession, ask for / attn at the end, lower-case dr.
        ("s/p CABG, husband Daniel Brooks at bedside", "s/p CABG, husband [NAME] at bedside"),
        ("Lives with son Kofi at home", "Lives with son [NAME] at home"),
        ("subscriber X, dependent Tran Thi Mai, question", "subscriber X, dependent [NAME], question"),
        ("seen today, pt Helen Ward doing well", "seen today, pt [NAME] doing well"),
        ("my link, she is Sophie Turner 9yo", "my link, she is [NAME] 9yo"),
        ("send it to my dentist Karen Lowe", "send it to my dentist [NAME]"),
        ("call the office and ask for Becky", "call the office and ask for [NAME]"),
        ("my doc is dr. okafor in town", "my doc is dr. [NAME] in town"),
        ("so i told Tariq and Jess about it", "so i told [NAME] and [NAME] about it"),
        ("my mom linda morales fell, she lives in Ohio", "my mom [NAME] fell, she lives in Ohio"),
        ("me and my sister in law becky all got sick", "me and my sister in law [NAME] all got sick"),
        ("hola soy Marta Giménez, tengo fiebre", "hola soy [NAME], tengo fiebre"),
        ("I need my results please, Kevin Brown", "I need my results please, [NAME]"),
        ("ok so mark and I (its sam) both have it", "ok so mark and I (its [NAME]) both have it"),
        # a clinician's surname alone after the role and a colon or space
        ("主诉：胸闷 主管医师：钱", "主诉：胸闷 主管医师：[NAME]"),
        ("我是护士长 孔 电话找我", "我是护士长 [NAME] 电话找我"),
        ("医生是骨科的王", "医生是骨科的[NAME]"),
    ],
)
def test_each_name_class_of_the_sixth_blind_set(text, expected):
    """Name classes the sixth blind set missed before tuning (own sentences of each class)."""
    assert deidentify(text)[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # US addresses with city, state and ZIP without commas; a unit without a comma
        ("she lives at 12 Oak Street Portland Oregon 97201 alone", "she lives at [ADDRESS] alone"),
        ("we are at 55 Elm Ave Unit 3, Boise ID 83702", "we are at [ADDRESS]"),
        # a room number is no 室 of 室友
        ("住在学生公寓3栋205 我室友发烧了", "住在[ADDRESS] 我室友发烧了"),
        # Medicare (MBI) and Ontario health card by their layout; Medicare before the number
        ("my MBI is on file; card 2FK8-TM4-RX65", "my MBI is on file; card [INSURANCE]"),
        ("Ontario card 2345-678-901-KT for the clinic", "Ontario card [INSURANCE] for the clinic"),
        ("pt on Medicare 5CD2-EF3-GH45 for dialysis", "pt on Medicare [INSURANCE] for dialysis"),
        ("Versichertennr. K987654321 bitte", "Versichertennr. [INSURANCE] bitte"),
        # NHS numbers are national identifiers
        ("NHS no 485 777 3456 for the referral", "NHS no [ID_NUMBER] for the referral"),
        # a bank's name + 卡
        ("工商卡6212260200012345678 扣了两次钱", "工商卡[BANK_CARD] 扣了两次钱"),
        # a personal fundraising page
        ("https://www.gofundme.com/f/help-anna-walk-again please share", "[URL] please share"),
    ],
)
def test_each_identifier_class_of_the_sixth_blind_set(text, expected):
    assert deidentify(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "入院日期：2024-03-12 出生日期：缺",
        "my therapist Cognitive Behavioural Therapy helps",
        "pt Seen Today for follow up",
        "孩子1岁了还不会叫爸爸妈妈",
        "我女儿天天哭",
        "我闺蜜小时候也这样",
        "和阿司匹林一起吃",
        "code 1B23-S45-CD67 in the kit",
        "My Doctor Said I Have Bell's Palsy",
        "Medicare Part B covers it",
        "医生 说要复查",
        "护士 高兴地说",
        "主任：方便的时候来",
    ],
)
def test_look_alikes_of_the_sixth_blind_set_stay(text):
    assert find_pii(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a resident ID's region and birth date mark it whatever its check digit, wherever its label is
        ("身份证后面那串是 110105198403152317 对吗", "身份证后面那串是 [ID_NUMBER] 对吗"),
        ("440301198811021234 是我老婆的，能挂号吗", "[ID_NUMBER] 是我老婆的，能挂号吗"),
        ("my Chinese ID: 320102199001011235", "my Chinese ID: [ID_NUMBER]"),
        ("公民身份号码 51010719900101123X", "公民身份号码 [ID_NUMBER]"),
        # formats of other countries that their layout marks
        ("o CPF dela é 529.982.247-25, serve?", "o CPF dela é [ID_NUMBER], serve?"),
        ("codice: BNCGVN72L15F205X per la visita", "codice: [ID_NUMBER] per la visita"),
        ("주민등록번호 900101-2345678 입니다", "주민등록번호 [ID_NUMBER] 입니다"),
        ("her RRN 751203-1234567 was on the chart", "her RRN [ID_NUMBER] was on the chart"),
        ("IC 900215-10-5523 for the klinik", "IC [ID_NUMBER] for the klinik"),
        ("aadhaar copy shows 4991 1866 5246 clearly", "aadhaar copy shows [ID_NUMBER] clearly"),
        ("my FIN is G1234567X, foreign worker", "my FIN is [ID_NUMBER], foreign worker"),
        ("T0123456G is my son's NRIC", "[ID_NUMBER] is my son's NRIC"),
        # labels: ssn in lower case, SS no., NI no, social insurance number (not an insurance number)
        ("my ssn 401228855 is on the bill", "my ssn [ID_NUMBER] is on the bill"),
        ("SS no. 401228855 please", "SS no. [ID_NUMBER] please"),
        ("my social is 219 09 9999 if you need it", "my social is [ID_NUMBER] if you need it"),
        ("NI no AB123456C for the fit note", "NI no [ID_NUMBER] for the fit note"),
        ("Social Insurance Number 130 692 544", "Social Insurance Number [ID_NUMBER]"),
    ],
)
def test_identity_number_classes_of_issue_18b(text, expected):
    assert deidentify(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "这个号码330106199001011234校验不通过，是编的吧",  # called invalid: identifies no one
        "订单号 110105198403152317 还没到",  # an order number in an ID's layout, failing its check
        "记录编号2023-0415-0001，复查日期2024年1月8日",  # hyphenated fours: a record number
        "订单 4991 1867 5246 还没发货",  # twelve digits in fours failing the Verhoeff check
        "社保 4301 2100 8876 5432",  # no Aadhaar inside a longer run of groups
        "S1234567A is the sample code on the tube",  # an NRIC's layout with a wrong check letter
        "the lot number 123-45-6789 on the vial",  # an SSN's layout after a lot word
        "批号 880512-14-5567X",  # no MyKad: a letter runs on
    ],
)
def test_identity_number_look_alikes_of_issue_18b_stay(text):
    assert [span for span in find_pii(text) if span.type == "ID_NUMBER"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a card in the issuer's groups of four is a card whatever its Luhn digit
        ("我姐的卡 6228 4811 0034 5566 押金退这里", "我姐的卡 [BANK_CARD] 押金退这里"),
        ("refund it to 5412-7534-0091-2281 please", "refund it to [BANK_CARD] please"),
        ("退到 6217 0012 3456 7890 124 就行", "退到 [BANK_CARD] 就行"),
        ("医保报销后退到我的卡 6214 8312 0098 7765", "医保报销后退到我的卡 [BANK_CARD]"),
        # "card on file" before an ungrouped number
        ("card on file 4532778100932216 was billed", "card on file [BANK_CARD] was billed"),
        # an insurance card's number after 医保的 / 社保的
        ("交社保的卡号 1201 8834 5510 还能用吗", "交社保的卡号 [INSURANCE] 还能用吗"),
    ],
)
def test_card_classes_of_issue_18b(text, expected):
    assert deidentify(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "卡号 4532 1234 5678 9010 提示无效",  # called invalid
        "card ending in 2215 was charged",
        "医保卡(卡号 3301 0619 5704 0470)",  # no issuer's first digits: the insurance label's
        "订单号 2024 0315 1234 5678 还没发货",  # groups of four opening with no issuer digit
        "社保的 4301 2100 8876 5432 能用吗",  # after an insurance word, failing Luhn: the insurance card's
    ],
)
def test_card_look_alikes_of_issue_18b_stay(text):
    assert [span for span in find_pii(text) if span.type == "BANK_CARD"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a foreign name after a Chinese kinship word or a word for a foreigner, in Latin, Hangul, Cyrillic
        ("我的同事Anna Kowalski发烧了", "我的同事[NAME]发烧了"),
        ("留学生Juan Pérez在宿舍晕倒", "留学生[NAME]在宿舍晕倒"),
        ("韩国朋友이서연最近失眠", "韩国朋友[NAME]最近失眠"),
        ("俄罗斯同事Наталья发烧", "俄罗斯同事[NAME]发烧"),
        # an English title or a bracketed kinship word beside Chinese text
        ("主治医生是Dr. Patel", "主治医生是Dr. [NAME]"),
        ("Emily（我女儿）发烧了", "[NAME]（我女儿）发烧了"),
        # a person mentioned in a group chat, and a chat's speakers (twice, or after a time stamp)
        (
            "群里：\n@Lily 你家孩子退烧了吗\n@秀芝 我家也咳",
            "群里：\n@[NAME] 你家孩子退烧了吗\n@[NAME] 我家也咳",
        ),
        (
            "[9:01] Maya: she threw up\n[9:02] Obinna: call the GP",
            "[9:01] [NAME]: she threw up\n[9:02] [NAME]: call the GP",
        ),
        ("Tolu：烧退了吗\n我：还没\nTolu：那去医院", "[NAME]：烧退了吗\n我：还没\n[NAME]：那去医院"),
        ("@Hope 好点没\nHope：好多了", "@[NAME] 好点没\n[NAME]：好多了"),  # @mentioned, then speaking
        # a nickname opening a clause as a person's subject
        ("小刚昨天开始发烧，39度", "[NAME]昨天开始发烧，39度"),
        ("我问了，老周说他也咳", "我问了，[NAME]说他也咳"),
        ("老孙最近总失眠", "[NAME]最近总失眠"),
        # a full name before a role after 的; every name of a list
        ("我是社区的陈建国医生", "我是社区的[NAME]医生"),
        ("学校的刘晓梅老师让我来问", "学校的[NAME]老师让我来问"),
        ("赵磊、钱芳和孙强都发烧了", "[NAME]、[NAME]和[NAME]都发烧了"),
        # English: a possessive before an identifier; a romanised hyphened given name in lower case;
        # nurse + a lower-case surname; a lower-case aunt / uncle as a title; attention of; SURNAME, GIVEN GIVEN
        ("Omar's passport is expired, can he still fly", "[NAME]'s passport is expired, can he still fly"),
        ("my wife mei-ling says the rash spread", "my wife [NAME] says the rash spread"),
        ("hi this is ji-hoon kim, about my bloods", "hi this is [NAME], about my bloods"),
        ("nurse garcia said to keep it dry", "nurse [NAME] said to keep it dry"),  # a census surname
        ("idk ask uncle Kofi", "idk ask uncle [NAME]"),
        ("send the form to the ward, attn: Grace", "send the form to the ward, attn: [NAME]"),
        ("Patient: TRAN, VAN MINH. is his A1c high?", "Patient: [NAME]. is his A1c high?"),
        ("Ordering: PATEL, ANIL MD. what is TSH", "Ordering: [NAME] MD. what is TSH"),
        # a full name after an adverb opening the sentence; a question's subject; an apposition; written by
        ("Yesterday Carlos Mendes collapsed at work", "Yesterday [NAME] collapsed at work"),
        ("Should Hannah go to school with a fever?", "Should [NAME] go to school with a fever?"),
        ("The baby, Amara, has jaundice", "The baby, [NAME], has jaundice"),
        ("Written by Oksana Melnyk", "Written by [NAME]"),
        # zh: a full name before 的 + a record of theirs; before a role after 了; a name ends before 一起
        ("帮我查一下黄晓明的报告", "帮我查一下[NAME]的报告"),
        ("周一带孩子去找了李建华主任", "周一带孩子去找了[NAME]主任"),
        ("跟我老公吴涛一起去的", "跟我老公[NAME]一起去的"),
        ("全名宋一鸣", "全名[NAME]"),
        (
            "Prof Chen's paper on diabetes says",
            "Prof [NAME]'s paper on diabetes says",
        ),  # the title is no name
        # lower case: a chat word ends a name; a given name signing off
        ("its maria again, the rash is worse", "its [NAME] again, the rash is worse"),
        ("i'm jessica btw, 29", "i'm [NAME] btw, 29"),
        ("ok that helps, thx, mike", "ok that helps, thx, [NAME]"),
        ("will try that - tom", "will try that - [NAME]"),
    ],
)
def test_name_classes_of_issue_18b(text, expected):
    assert deidentify(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "我用Apple Watch测的心率",
        "@医生 请问这个药怎么吃",
        "@所有人 明天体检空腹",
        "write to support@Clinic.org today",
        "Diagnosis: flu\nPlan: rest\nFollow-up: 2 weeks",  # a form's fields, each once
        "Q: is it safe?\nA: yes\nQ: and for kids?\nA: ask",
        "Husband: it hurts\nMe: where\nHusband: chest",  # speakers named by their role
        "Caller: my kid is hot\nCaller: 39 now",
        "小时候也这样，小便也黄",
        "老毛病又犯了",
        "我的数学老师说要多喝水",
        "医院的全科医生也说没事",
        "发烧、咳嗽、周身疼都有",
        "my husband re-did the dressing",
        "my son x-ray was fine",
        "my dad follow-up is monday",
        "the nurse said to wait",
        "Mayo's ID desk called",
        "Can Tylenol be taken with Advil?",
        "Should Ozempic be refrigerated?",
        "The patient, Diabetic, was seen",
        "Today Pharmacy Services closed early",
        "下周的报告什么时候出",
        "看一下高血压的报告",
        "吃了高钙片主任说可以",
        "医生开的方子，能连着吃吗",
        "医生开的杜仲，",
        "宋代的方子",
        "ok thanks - will do",
        "thanks, best",
    ],
)
def test_name_look_alikes_of_issue_18b_stay(text):
    assert [span for span in find_pii(text) if span.type == "NAME"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a full date further on in the birth date's sentence, after a word that gives its value
        (
            "Please fix my DOB, it should be 3 March 1988 not 1986",
            "Please fix my DOB, it should be [DATE_OF_BIRTH] not 1986",
        ),
        (
            "my date of birth on the form is wrong, it's 14/02/1979",
            "my date of birth on the form is wrong, it's [DATE_OF_BIRTH]",
        ),
        ("生日写错了，应该是1992年7月8日", "生日写错了，应该是[DATE_OF_BIRTH]"),
        ("我的出生日期登记成了1990年5月3日，能改吗", "我的出生日期登记成了[DATE_OF_BIRTH]，能改吗"),
    ],
)
def test_birth_date_far_from_its_label_of_issue_18b(text, expected):
    assert deidentify(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "born in Ohio, seen on 12 March 2024",
        "my DOB is on file and the appointment is 12 March 2024",
        "出生日期没问题，复查是2024年3月1日",
        "DOB 1980, the scan was 2024-03-01",
    ],
)
def test_birth_date_far_look_alikes_of_issue_18b_stay(text):
    """The visit's date (in 2024) is no birth date."""
    assert [s.text for s in find_pii(text) if s.type == "DATE_OF_BIRTH" and "2024" in s.text] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # short links: a shortener's path, a /r/ report link, a token of mixed case
        ("scan is at https://goo.gl/abc123 pls look", "scan is at [URL] pls look"),
        ("报告 bit.ly/3xYzAb 你看下", "报告 [URL] 你看下"),
        ("结果 https://report.example.cn/r/Qa7Lk2mP9 看看", "结果 [URL] 看看"),
        ("pics https://share.example.com/v/Tq8Lm2PzR4vT ok", "pics [URL] ok"),
        # the current British plate without a plate word
        ("and KM21 XPT is my brother's van", "and [LICENSE_PLATE] is my brother's van"),
        # a hedge between a label and its value; unit and trust numbers
        ("我的住院号好像是ZY20240012", "我的住院号好像是[MEDICAL_RECORD]"),
        ("病历号我记得是 BL-00123", "病历号我记得是 [MEDICAL_RECORD]"),
        ("Unit No. 1234567 on the wristband", "Unit No. [MEDICAL_RECORD] on the wristband"),
    ],
)
def test_link_plate_and_record_classes_of_issue_18b(text, expected):
    assert deidentify(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "https://www.nhs.uk/conditions/asthma/",
        "https://example.org/news/COVID19Vaccine-update",
        "postcode SW1A 1AA near the hospital",
        "Case No. 23-0451 in the journal series",
        "IBAN GB29 NWBK 6016 1331 9268 19",
    ],
)
def test_link_plate_and_record_look_alikes_of_issue_18b_stay(text):
    assert [s for s in find_pii(text) if s.type in ("URL", "LICENSE_PLATE", "MEDICAL_RECORD")] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a Chinese passport's layout anywhere in a text about a passport; what a document says; an aside
        ("我的护照过期了，号码E87654321", "我的护照过期了，号码[PASSPORT]"),
        ("passport expired; number was G23456789", "passport expired; number was [PASSPORT]"),
        ("护照上写的是 EB7654321", "护照上写的是 [PASSPORT]"),
        ("医保卡上写的是 YB3205001234", "医保卡上写的是 [INSURANCE]"),
        ("my passport, the new one, is 123456789", "my passport, the new one, is [PASSPORT]"),
    ],
)
def test_passport_classes_of_issue_18b(text, expected):
    assert deidentify(text)[0] == expected


def test_a_passport_layout_without_a_passport_word_stays():
    assert [s for s in find_pii("维生素 E12345678 批次") if s.type == "PASSPORT"] == []


@pytest.mark.parametrize(
    "text",
    [
        "Dr. Fauci said on TV the booster is fine",
        "Dr. House那种诊断现实中有吗",
        "Dr Oz recommends this supplement",
        "听钟南山说过这个病毒",
    ],
)
def test_doctors_known_from_the_media_are_no_personal_names(text):
    assert [s for s in find_pii(text) if s.type == "NAME"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我的医保是 YB3205002020", "我的医保是 [INSURANCE]"),
        ("group number 00921 and member XQW884512307", "group number 00921 and member [INSURANCE]"),
        (
            "my insurance ID, it's on the card, is ABC123456789",
            "my insurance ID, it's on the card, is [INSURANCE]",
        ),
        ("insured under Aetna W987654321", "insured under Aetna [INSURANCE]"),
    ],
)
def test_insurance_classes_of_issue_18b(text, expected):
    assert deidentify(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    ["我的医保是城镇职工的", "member 12 of the team", "Aetna 2024 plan changes", "Kaiser is my insurer"],
)
def test_insurance_look_alikes_of_issue_18b_stay(text):
    assert [s for s in find_pii(text) if s.type == "INSURANCE"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我的号码是一三九一二三四五六七八", "我的号码是[PHONE]"),
        ("手机幺三八零零幺三八零零零 找我", "手机[PHONE] 找我"),
    ],
)
def test_a_mobile_number_in_chinese_numerals(text, expected):
    assert deidentify(text)[0] == expected


def test_chinese_numerals_of_a_date_or_a_count_are_no_phone():
    for text in ("一九八五年三月十二日出生", "一三五七九是单数", "一二三四五六七八九十"):
        assert [s for s in find_pii(text) if s.type == "PHONE"] == [], text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # read out one digit at a time, after the word that names it
        ("银行卡号 6 2 2 8 4 8 0 0 1 2 3 4 5 6 7 8 请核对", "银行卡号 [BANK_CARD] 请核对"),
        ("card number 4 5 3 2 0 1 5 1 1 2 8 3 0 3 6 6, thanks", "card number [BANK_CARD], thanks"),
        ("住院号为【1 2 3 4 5 6 7】，麻烦查一下", "住院号为【[MEDICAL_RECORD]】，麻烦查一下"),
        ("MRN [0 0 4 4 5 1 2 9] on the wristband", "MRN [[MEDICAL_RECORD]] on the wristband"),
        # card groups split by slashes, after a card word
        ("工行卡：6222/0212/3456/7890，户主是我", "工行卡：[BANK_CARD]，户主是我"),
        ("debit card 4929/1234/5678/9012 was charged twice", "debit card [BANK_CARD] was charged twice"),
        # a record code whose parts are split by slashes, after 病历编号 / 住院编号
        ("门诊病历编号 KQ/2023/11/00417，下次带来", "门诊病历编号 [MEDICAL_RECORD]，下次带来"),
        ("住院编号：ZY/2022/0815 已出院", "住院编号：[MEDICAL_RECORD] 已出院"),
        ("hospital number RH/2021/7734 on the letter", "hospital number [MEDICAL_RECORD] on the letter"),
    ],
)
def test_spaced_and_slashed_identifiers_of_issue_18c(text, expected):
    assert deidentify(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "卡号后四位 1 2 3 4 对不上",
        "血压 1 2 0 / 8 0，心率 7 2",
        "日期 2024/03/05 复查，剂量 5/10/20 递增",
        "the card says 2024/03/05 as expiry?",
        "病历编号规则是什么",
        "dose 4000/1200/3000/2000 units over four days",
    ],
)
def test_spaced_and_slashed_look_alikes_of_issue_18c_stay(text):
    assert [s for s in find_pii(text) if s.type in ("BANK_CARD", "MEDICAL_RECORD", "ID_NUMBER")] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the calendar word before the year is part of the date as written
        ("外公是阴历1949年八月十五生的，心衰", "外公是[DATE_OF_BIRTH]生的，心衰"),
        ("我是农历1990年3月出生的", "我是[DATE_OF_BIRTH]出生的"),
        # a Republic-era year or a lunar month after a year in Chinese numerals
        ("姥姥生于民国二十六年十月，现在卧床", "姥姥生于[DATE_OF_BIRTH]，现在卧床"),
        ("我爸是一九五五年农历冬月初六生的", "我爸是[DATE_OF_BIRTH]生的"),
        # a Roman month (14-VII-1983, 3.XI.1990)
        ("DOB: 14-VII-1983 per the Polish form", "DOB: [DATE_OF_BIRTH] per the Polish form"),
        ("born 3.XI.1990 in Kraków", "born [DATE_OF_BIRTH] in Kraków"),
        # a date typed with a space between digits
        ("DOB 1 2 / 0 3 / 1 9 8 8 as the form wants", "DOB [DATE_OF_BIRTH] as the form wants"),
        ("出生日期：0 5 / 1 1 / 2 0 0 1", "出生日期：[DATE_OF_BIRTH]"),
        ("DOB: 1985-11-03, correct", "DOB: [DATE_OF_BIRTH], correct"),
    ],
)
def test_birth_date_layouts_of_issue_18c(text, expected):
    assert deidentify(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "农历八月十五是中秋节，可以吃月饼吗",
        "民国三十七年的老房子潮湿，会不会诱发哮喘",
        "一九六二年农历腊月廿三那天下了大雪",
        "Chapter VII-III of the guideline",
        "take 1 2 / 0 3 tablets",
        "DOB: 1985-14-03, a glitch",
    ],
)
def test_birth_date_look_alikes_of_issue_18c_stay(text):
    assert [s for s in find_pii(text) if s.type == "DATE_OF_BIRTH"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # in-law words (大姑子, 小舅子 …) and 配偶 introduce a name like any kinship word
        ("我小姑子韩丽娟下周手术", "我小姑子[NAME]下周手术"),
        ("我大舅子孙建华高血压十年了", "我大舅子[NAME]高血压十年了"),
        ("配偶：简丽华，身份证在她那里", "配偶：[NAME]，身份证在她那里"),
        # rarer surnames (芮, 简, 支, 蔺, 原, 蒉) in a name's shape after a strong word
        ("我老婆芮雅琴最近失眠", "我老婆[NAME]最近失眠"),
        ("我母亲蔺秀英今年70岁", "我母亲[NAME]今年70岁"),
        ("持卡人是支秀兰，她说卡丢了", "持卡人是[NAME]，她说卡丢了"),
        ("家属蒉建国在外面等", "家属[NAME]在外面等"),
    ],
)
def test_chinese_name_cues_of_issue_18c(text, expected):
    assert deidentify(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "她小姑子很烦人，老是催生",
        "请问简单的感冒要吃药吗",
        "支气管炎怎么办",
        "原发性高血压要终身服药吗",
        "蔺草席子会过敏吗",
        "我姐姐支持我做手术",
        "配偶不在身边怎么签字",
    ],
)
def test_chinese_name_cue_look_alikes_of_issue_18c_stay(text):
    assert [s for s in find_pii(text) if s.type == "NAME"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an officer's card number (南字第0012345号) after 军官证
        ("军官证号：沈字第0456789号，能挂号吗", "军官证号：[ID_NUMBER]，能挂号吗"),
        # a foreign residence card (在留卡, 居留卡, 永居证)
        ("我的在留卡号码 XY98765432ZA 还有效", "我的在留卡号码 [ID_NUMBER] 还有效"),
        ("永居证：CHN110083061201 能办医保吗", "永居证：[ID_NUMBER] 能办医保吗"),
        # a US taxpayer number (its 9xx area is no SSN's) and a South African ID after SA ID
        ("my ITIN is 931-85-4410, is that enough?", "my ITIN is [ID_NUMBER], is that enough?"),
        ("SA ID 7505125021081 for the claim", "SA ID [ID_NUMBER] for the claim"),
        # an NHS number after NHS alone, in its 3-3-4 groups
        ("NHS 612 334 0987, referral letter attached", "NHS [ID_NUMBER], referral letter attached"),
    ],
)
def test_identity_number_classes_of_issue_18c(text, expected):
    assert deidentify(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "军官证可以挂号吗？第二次来",
        "在留卡过期了怎么办",
        "call NHS 111 if it gets worse",
        "the NHS 2024 budget",
        "SA ID card office hours",
        "ITIN applications take 7 weeks",
    ],
)
def test_identity_number_look_alikes_of_issue_18c_stay(text):
    assert [s for s in find_pii(text) if s.type == "ID_NUMBER"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a trunk code joined by a long dash (0755—2345 6789)
        ("座机：020—8765 4321 分机 305（上午）", "座机：[PHONE]（上午）"),
        # a mobile in Chinese numerals, in its 3-4-4 groups
        ("有事打我手机：一八六 二二三三 四四五五。", "有事打我手机：[PHONE]。"),
        # a New Zealand bank account (bank-branch-account-suffix) after "account"
        ("please refund to account 03-1702-0456789-001 today", "please refund to account [BANK_CARD] today"),
        # a short link on a video host
        ("看了这个 v.douyin.com/Xk3pQaZ/ 说能治", "看了这个 [URL] 说能治"),
        # a policy code of several letter groups; a card code of a letter, a space and digits
        ("My policy, BUPA-INT-5530912-UK, covers it?", "My policy, [INSURANCE], covers it?"),
        ("社保卡号：K 2345 6789 0，换卡了吗", "社保卡号：[INSURANCE]，换卡了吗"),
    ],
)
def test_contact_card_and_policy_layouts_of_issue_18c(text, expected):
    assert deidentify(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "血压一三五 八十五，正常吗",
        "my account 2 of 3 was locked",
        "policy, in general, covers it",
        "Our plan, BUPA-INT-5530912-UK, covers it?",
        "看了 douyin.com 上的视频",
        "2019—2021 年间一直咳嗽",
    ],
)
def test_contact_card_and_policy_look_alikes_of_issue_18c_stay(text):
    assert find_pii(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a sentence opening on someone's relative, aunts and cousins too
        ("Tariq's aunt is here. He has a rash.", "[NAME]'s aunt is here. He has a rash."),
        # a religious title before a name
        ("Pastor Emmanuel Okafor asked me to write in", "Pastor [NAME] asked me to write in"),
        ("on behalf of Imam Yusuf Rahman, who had a stroke", "on behalf of Imam [NAME], who had a stroke"),
        # Irish particles (Ó, Ní, Mac) inside a name, also after a title
        ("Dear Dr Ó Conaill, my smear was normal?", "Dear Dr [NAME], my smear was normal?"),
        # a surname's particles after a two-word name; a suffix with its period
        ("my aunt Maria Fernanda de los Santos lives alone", "my aunt [NAME] lives alone"),
        ("my father Robert Kline Sr. had a stroke", "my father [NAME] had a stroke"),
        # a transliterated name with its dot after a kinship word; long Uyghur names
        ("我儿子爱新觉罗·明远，发烧三天了", "我儿子[NAME]，发烧三天了"),
        ("姓名：买买提江·阿不都热合曼，维吾尔族", "姓名：[NAME]，维吾尔族"),
        ("我女儿爱新觉罗·思琪，满族", "我女儿[NAME]，满族"),
        ("孩子爸爸叫马克西姆·彼得罗夫，俄罗斯人", "孩子爸爸叫[NAME]，俄罗斯人"),
    ],
)
def test_name_layouts_of_issue_18c(text, expected):
    assert deidentify(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Google's cousin product is a health app",
        "Pastoral care team visited the ward",
        "咖啡·奶茶都不能喝吗",
    ],
)
def test_name_layout_look_alikes_of_issue_18c_stay(text):
    assert [s for s in find_pii(text) if s.type == "NAME"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a holiday of a year after born (as 2002年元旦出生 in Chinese)
        (
            "my son was born on New Year's Eve 2019 and has reflux",
            "my son was born on [DATE_OF_BIRTH] and has reflux",
        ),
        ("she was born Christmas Day 1948.", "she was born [DATE_OF_BIRTH]."),
        # a year in words before its month and an ordinal day (the thirtieth, the twelfth)
        ("Date of birth: nineteen eighty-one, June the thirtieth.", "Date of birth: [DATE_OF_BIRTH]."),
        ("born two thousand and four, May the twelfth, at home", "born [DATE_OF_BIRTH], at home"),
        # a month and day, then the year, after 生日
        ("我的生日：五月六号，一九七九年。", "我的生日：[DATE_OF_BIRTH]。"),
        ("生日是10月3日，1992年，属猴", "生日是[DATE_OF_BIRTH]，属猴"),
    ],
)
def test_birth_date_words_of_issue_18c(text, expected):
    assert deidentify(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "we celebrate Christmas Day 2024 at home",
        "the twelfth of March is my appointment",
        "nineteen eighty-one was a long time ago",
        "复查是10月3日，2024年的号",
    ],
)
def test_birth_date_word_look_alikes_of_issue_18c_stay(text):
    assert [s for s in find_pii(text) if s.type == "DATE_OF_BIRTH"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a resident ID read out one digit at a time: its check digit marks it, whatever the word before
        (
            "他的号码是 4 4 0 3 0 4 1 9 8 8 0 5 1 2 1 2 3 0 ，我一个个念的",
            "他的号码是 [ID_NUMBER] ，我一个个念的",
        ),
        (
            "typed it as 1 1 0 1 0 5 1 9 7 5 0 9 2 3 4 5 6 9 on the form",
            "typed it as [ID_NUMBER] on the form",
        ),
        # No. stuck to a value after a Chinese label is part of the value as written
        ("病案号No.KX-2231-B，麻烦调阅", "病案号[MEDICAL_RECORD]，麻烦调阅"),
        ("保单号：No. 7700 1234 5678 0032　险种：医疗险", "保单号：[INSURANCE]　险种：医疗险"),
        # a UK account number after its sort code
        (
            "sort code 40-11-62, account 31926819, for the refund",
            "sort code 40-11-62, account [BANK_CARD], for the refund",
        ),
    ],
)
def test_read_out_ids_number_signs_and_accounts_of_issue_18c(text, expected):
    assert deidentify(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "抽血结果 4 4 0 3 0 4 1 9 8 8 0 5 1 2 1 2 3 1 是随机数",
        "hospital policy No. 12 says visitors leave by 8",
        "account 31926819 was closed, no sort code given",
    ],
)
def test_read_out_ids_number_signs_and_accounts_look_alikes_of_issue_18c_stay(text):
    assert [s for s in find_pii(text) if s.type != "NAME"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a child's given name after child / baby / son / daughter, as a field or ending its clause
        ("Mother: Ana Ruiz; child: Mateo, 3 years.", "Mother: [NAME]; child: [NAME], 3 years."),
        ("Love from the parents of baby Olivia", "Love from the parents of baby [NAME]"),
        ("Allergies: none; son: Ethan.", "Allergies: none; son: [NAME]."),
        # a card holder's name in capitals
        ("name on card: JOHN A SMITH, expiry 09/27", "name on card: [NAME], expiry 09/27"),
        ("Cardholder: MEI LING TAN.", "Cardholder: [NAME]."),
    ],
)
def test_field_names_of_issue_18c(text, expected):
    assert deidentify(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "the baby Tylenol dose is 2.5 ml.",
        "child: fever, 3 days.",
        "name on card: SEE BACK",
        "my son Will need a cast?",
    ],
)
def test_field_name_look_alikes_of_issue_18c_stay(text):
    assert [s for s in find_pii(text) if s.type == "NAME"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("护照号：中华人民共和国 E 1234 5678，登记错了", "护照号：中华人民共和国 [PASSPORT]，登记错了"),
        ("my passport, PRC issue, G 8765 4321, expired", "my passport, PRC issue, [PASSPORT], expired"),
    ],
)
def test_a_passport_layout_in_groups_of_issue_18c(text, expected):
    assert deidentify(text)[0] == expected


def test_a_grouped_passport_layout_without_a_passport_word_stays():
    assert deidentify("座机 E 1234 5678 转 8")[0].count("[PASSPORT]") == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a building-room number after the house number and a space (188号 12-3)
        ("住址：杭州市西湖区文三路90号 3-502，周末在家", "住址：[ADDRESS]，周末在家"),
        ("寄到南京市鼓楼区中山路18号 12-1101。谢谢", "寄到[ADDRESS]。谢谢"),
        # … not a range of days after it
        ("住址：杭州市西湖区文三路90号 3-5天后搬走", "住址：[ADDRESS] 3-5天后搬走"),
    ],
)
def test_a_unit_after_the_house_number_of_issue_18c(text, expected):
    assert deidentify(text)[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a record code written in Chinese numerals after its label
        ("住院号：ZY-二〇二三-〇〇一二，请查", "住院号：[MEDICAL_RECORD]，请查"),
        # a hospital or clinic card number is the patient's record
        ("clinic card no. 0038-772-A, lost it", "clinic card no. [MEDICAL_RECORD], lost it"),
        ("Hospital card number: 88123456", "Hospital card number: [MEDICAL_RECORD]"),
        # travel permits are passports; foreign residence cards and a place's ID are identity numbers
        ("Home Return Permit H12345678 expired", "Home Return Permit [PASSPORT] expired"),
        ("my travel permit: C87654321", "my travel permit: [PASSPORT]"),
        ("my green card number is SRC1234567890", "my green card number is [ID_NUMBER]"),
        ("residence card no. AB12345678CD", "residence card no. [ID_NUMBER]"),
        ("Taiwan ID F223456789 for the clinic", "Taiwan ID [ID_NUMBER] for the clinic"),
        ("Hong Kong ID: K123456(7)", "Hong Kong ID: [ID_NUMBER]"),
    ],
)
def test_document_words_of_issue_18c(text, expected):
    assert deidentify(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "住院号是几位数？二〇二三年办的",
        "the clinic card reader is broken",
        "a travel permit for my dog",
        "green card holders can enrol in 2024",
        "Taiwan ID rules changed",
    ],
)
def test_document_word_look_alikes_of_issue_18c_stay(text):
    assert [s for s in find_pii(text) if s.type != "NAME"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cc: Siddharth Venkataraman (my brother)", "cc: [NAME] (my brother)"),
        ("To: clinic; CC: Olga Petrenko", "To: clinic; CC: [NAME]"),
    ],
)
def test_a_copied_person_of_issue_18c(text, expected):
    assert deidentify(text)[0] == expected


def test_a_copied_word_is_no_name_of_issue_18c():
    assert [s for s in find_pii("cc: All Staff, the 5 cc syringe") if s.type == "NAME"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("外婆生于民国八十年农历八月十五，糖尿病", "外婆生于[DATE_OF_BIRTH]，糖尿病"),
        ("出生日期 1 9 8 5 - 0 3 - 0 9 是这样填吗", "出生日期 [DATE_OF_BIRTH] 是这样填吗"),
        ("D.O.B. 3rd of June '78, female", "D.O.B. [DATE_OF_BIRTH], female"),
        ("b. 12.iii.1967 in Gdańsk", "b. [DATE_OF_BIRTH] in Gdańsk"),
    ],
)
def test_more_birth_date_layouts_of_issue_18c(text, expected):
    assert deidentify(text)[0] == expected


def test_more_birth_date_look_alikes_of_issue_18c_stay():
    for text in (
        "民国八十年农历八月十五的老报纸",
        "section 12.iii.1967 of the act",
        "3rd of June '78 was sunny",
    ):
        assert [s for s in find_pii(text) if s.type == "DATE_OF_BIRTH"] == [], text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a patient card named without 号 (就诊卡：…) is a record number, not a phone
        ("就诊卡：0012 3456 78，挂号用", "就诊卡：[MEDICAL_RECORD]，挂号用"),
        ("诊疗卡 A20240099 丢了", "诊疗卡 [MEDICAL_RECORD] 丢了"),
        # acct as account's abbreviation
        ("acct no. 12-3456-7890123-000 for the refund", "acct no. [BANK_CARD] for the refund"),
    ],
)
def test_card_and_account_words_of_issue_18c(text, expected):
    assert deidentify(text)[0] == expected


def test_card_and_account_word_look_alikes_of_issue_18c_stay():
    for text in ("就诊卡丢了怎么补办", "acct no. 12 is closed"):
        assert [s for s in find_pii(text) if s.type != "NAME"] == [], text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the number's length between the ID word and its value (身份证是15位的：…)
        ("我爸身份证是15位的：44030488 0512 123，要换吗", "我爸身份证是15位的：[ID_NUMBER]，要换吗"),
        ("身份证18位：4403 0419 8805 1212 3X 对吗", "身份证18位：[ID_NUMBER] 对吗"),
    ],
)
def test_an_id_length_before_its_value_of_issue_18c(text, expected):
    assert deidentify(text)[0] == expected


def test_an_id_length_alone_is_no_id_of_issue_18c():
    assert [s for s in find_pii("身份证是18位的，老的是15位") if s.type == "ID_NUMBER"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # rare surnames that start no common word (缪, 瞿, 邝, 佘 …), after a strong word
        ("我外婆缪秀珍住院了", "我外婆[NAME]住院了"),
        ("我同事瞿建国说要复查", "我同事[NAME]说要复查"),
        ("联系人是邝美玲，她会来", "联系人是[NAME]，她会来"),
        ("患者佘桂英今年81岁", "患者[NAME]今年81岁"),
    ],
)
def test_rare_surnames_of_issue_18c(text, expected):
    assert deidentify(text)[0] == expected


def test_rare_surname_characters_in_words_stay_of_issue_18c():
    for text in ("要未雨绸缪，提前体检", "狐裘过敏吗", "我是缪斯的粉丝"):
        assert [s for s in find_pii(text) if s.type == "NAME"] == [], text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a name field in a table's cells, or its value in brackets
        ("姓名 | 蔺晓婷 | 女 | 45岁", "姓名 | [NAME] | 女 | 45岁"),
        ("联系人（芮建华）电话见下", "联系人（[NAME]）电话见下"),
        ("我妈(刘桂芬)血压高", "我妈([NAME])血压高"),
        # rare surnames before a title, as 焦医生
        ("主治：邝医生，很负责", "主治：[NAME]医生，很负责"),
        ("找缪主任看的", "找[NAME]主任看的"),
    ],
)
def test_name_fields_in_cells_and_brackets_of_issue_18c(text, expected):
    assert deidentify(text)[0] == expected


def test_bracketed_words_after_a_field_stay_of_issue_18c():
    for text in ("家属（签字）后才能手术", "联系人（必填）", "姓名 | 性别 | 年龄"):
        assert [s for s in find_pii(text) if s.type == "NAME"] == [], text
