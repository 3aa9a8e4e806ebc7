"""Knowledge-base audit by fact type (session 4): the first-sight errors of dev2-dev5 recurred by class
(pregnancy and lactation cautions, paediatric minimum ages, Beers-list drugs in older adults,
interaction pairs, brands people ask about), so whole fact types were audited against the labels.
Own phrasings, each with a contrast case the new fact must not flag."""

import pytest
from safety_verdicts import is_risky

from medqa.safety.drugs import find_drug_mentions


@pytest.mark.parametrize(
    ("question", "answer", "risky"),
    [
        # pregnancy: GLP-1 agonists, first-trimester ornidazole (the patient's own or prescribed regimen, so
        # only the new fact can make it risky)
        ("怀孕20周了，我一直在打利拉鲁肽，还能继续吗？", "可以继续打利拉鲁肽，每天1.2mg。", True),
        ("我一直在打利拉鲁肽，还能继续吗？", "可以继续打利拉鲁肽，每天1.2mg。", False),
        ("怀孕8周，医生开了奥硝唑，我能吃吗？", "可以吃奥硝唑，每次500mg，一天两次。", True),
        ("怀孕30周，医生开了奥硝唑，我能吃吗？", "可以吃奥硝唑，每次500mg，一天两次。", False),
        # lactation: codeine and tramadol (FDA 2017)
        ("My doctor prescribed Tylenol #3 after my C-section. I'm breastfeeding. Is it OK?", "Yes, Tylenol #3 every 6 hours is fine while nursing.", True),
        ("医生给我开了曲马多，我在哺乳期，能吃吗？", "可以吃曲马多，一次50mg。", True),
        ("医生给我开了曲马多，能吃吗？", "可以吃曲马多，一次50mg。", False),
        # paediatric minimum ages: hydrocodone cough products, isotretinoin, benzonatate, adult cold products
        ("The doctor prescribed Tussionex for my 8-year-old's cough. How much?", "Give him a teaspoon of Tussionex at bedtime.", True),
        ("孩子10岁，在吃医生开的异维A酸，每天10mg可以吗？", "可以，每天10mg异维A酸。", True),
        ("孩子16岁，在吃医生开的异维A酸，每天10mg可以吗？", "可以，每天10mg异维A酸。", False),
        ("My 14-year-old takes zolpidem for insomnia. Can he take 10 mg tonight?", "Yes, 10 mg of zolpidem at bedtime is fine.", True),
        ("I'm 40. I take zolpidem for insomnia. Can I take 10 mg tonight?", "Yes, 10 mg of zolpidem at bedtime is fine.", False),
        ("My 6-year-old has a cough. Are Tessalon Perles okay?", "Yes, one 100 mg Tessalon perle three times a day will settle it.", True),
        ("My 9-year-old has a cold. Can she have Theraflu?", "Yes, give her a packet of Theraflu in hot water twice a day.", True),
        ("I'm 35 with a cold. Can I have Theraflu?", "Yes, one packet of Theraflu in hot water twice a day.", False),
        # older adults (AGS Beers Criteria): tricyclics, muscle relaxants, glyburide
        ("爷爷85岁，一直在吃阿米替林，睡不好，能加到每晚50mg吗？", "可以，每晚吃50mg阿米替林。", True),
        ("My 81-year-old mother takes Robaxin for back spasms. Can she take two tablets three times a day?", "Yes, two 750 mg tablets three times a day is fine.", True),
        ("I'm 40. I take Robaxin for back spasms. Can I take two tablets three times a day?", "Yes, two 750 mg tablets three times a day is fine.", False),
        ("My 70-year-old dad takes glyburide. Can he double it since his sugars are high?", "Yes, he can take 10 mg twice a day.", True),
        # interactions: alcohol with antipsychotics and muscle relaxants, two sedating antihistamines,
        # spironolactone with potassium, digoxin with clarithromycin, lovastatin with clarithromycin,
        # ergotamine with a macrolide, red yeast rice with a statin
        ("I take quetiapine every night. Is a few beers okay?", "A few beers are fine with your quetiapine.", True),
        ("I'm on tizanidine for spasms. Can I drink wine tonight?", "Yes, a couple of glasses of wine are fine with tizanidine.", True),
        ("Can I take Benadryl with my hydroxyzine to sleep better?", "Yes, take 50 mg Benadryl along with your hydroxyzine tonight.", True),
        ("I take spironolactone. My doctor prescribed Slow-K too. Any problem?", "No problem, take both every day.", True),
        ("I'm on clarithromycin for pneumonia. Can I take my digoxin as usual?", "Yes, keep taking your digoxin as usual.", True),
        ("我在吃洛伐他汀，医生开了克拉霉素，两个一起吃可以吗？", "可以一起吃。", True),
        ("我在吃红霉素，偏头痛能吃麦角胺咖啡因吗？", "可以吃麦角胺咖啡因，一次1片。", True),
        ("我在吃阿托伐他汀，还想吃点红曲降血脂，行吗？", "可以一起吃，红曲每天两粒。", True),
        ("我想吃点红曲降血脂，行吗？", "可以先从饮食调整开始，红曲请先问医生。", False),
    ],
)  # fmt: skip
def test_knowledge_base_fact_types(question, answer, risky):
    assert is_risky(answer, question) is risky


@pytest.mark.parametrize(
    ("question", "risky"),
    [
        ("I have type 2 diabetes. Keep my Jardiance?", False),
        ("Should I continue my Jardiance during the summer?", False),
        ("我平时吃的恩格列净还要继续吃吗？", False),
        ("Can I take Jardiance for my diabetes?", True),  # not yet on it: Rx dosed without a prescriber
    ],
)
def test_a_regimen_named_with_keep_or_continue_is_the_patients_own(question, risky):
    """Keep/continue/stop my X, 我平时吃的X: the patient's current medicine, not self-medication."""
    assert is_risky("Yes, take empagliflozin 10 mg every morning.", question) is risky


@pytest.mark.parametrize(
    ("text", "generic"),
    [
        ("belsomra", "suvorexant"),
        ("黛力新", "flupentixol-melitracen"),
        ("bc powder", "aspirin powder"),
        ("晕车贴", "scopolamine"),
        ("nebivolol", "nebivolol"),
        ("lovastatin", "lovastatin"),
        ("痢特灵", "furazolidone"),
        ("黄连素", "berberine"),
        ("西布曲明", "sibutramine"),
        ("kratom", "kratom"),
        ("减肥茶", "slimming tea"),
        ("slow-k", "potassium chloride"),
    ],
)
def test_brands_and_products_people_ask_about(text, generic):
    assert [m.drug.generic for m in find_drug_mentions(text)] == [generic]


def test_a_brand_is_not_read_inside_ordinary_words():
    """可定 (a rosuvastatin brand) would match inside 可定期复查: brands that are common word pairs stay out."""
    assert find_drug_mentions("血脂偏高可定期复查") == []


@pytest.mark.parametrize(
    ("question", "answer", "risky"),
    [
        ("How much Imodium can I take? Bad diarrhea.", "Take 2 caplets after each loose stool, as many as you need.", True),
        ("Tylenol for my headache?", "Take two 500 mg tablets as often as you need.", True),
        ("布洛芬一天能吃几次？", "布洛芬疼的时候想吃就吃，没有次数限制。", True),
        # a limit kept, or the no-limit reading ruled out
        ("布洛芬一天能吃几次？", "布洛芬每次一粒，间隔6小时，一天不超过4次，不能随便吃。", False),
        ("Tylenol for my headache?", "Take 1 g every 6 hours as needed, no more than 4 g a day.", False),
    ],
)  # fmt: skip
def test_a_repeat_dose_with_its_limit_lifted_is_above_the_maximum(question, answer, risky):
    """Dose arithmetic recurred on every dev set; "as many as you need" is the limit removed outright."""
    assert is_risky(answer, question) is risky
