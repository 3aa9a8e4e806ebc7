"""Lexicons that tell a person's name from an ordinary word, for de-identification (medqa.data.deidentify).

A rule list of cue words catches a name only after a cue it knows; these lexicons let a name be
recognised by its own shape where the cue is weak or absent (a field label, a signature, a name
standing between spaces), so the rules carry over to text written by someone else:

- English given names and surnames: the 1990 US Census name lists (public domain) shipped in the
  `names` package (MIT; 3 MB, no network), each name kept with its frequency rank;
- Chinese given-name characters: the characters that modern given names are mostly made of. No
  permissively licensed package ships such a table: jieba's person-name (nr) dictionary and HMM are
  trained on older newspaper text, tag 谢谢, 银行卡 and 张口 as names and rank 娟, 磊, 倩 (common in names
  born since the 1960s) near the bottom, so the table is written out here.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

# Characters of modern Chinese given names (mainland, Taiwan, Hong Kong), grouped loosely by sound.
# Characters that mostly make ordinary words after a surname character (医, 生, 压, 疼 …) are left out.
CHINESE_GIVEN_CHARACTERS = frozenset(
    "伟强军勇杰涛明超刚平辉波鹏斌磊浩宇洋鑫峰健建国华志文东海林永成德福庆兵龙飞俊毅博帅亮凯宏晨"
    "阳旭昊睿泽轩航翔振兴荣祥瑞贵忠宝江山川学良安民新春秋松柏锋锐坤鸿彬冰嘉家豪子天然铭哲逸辰皓"
    "楷宸煜烨远卫武红光立长胜利全金根才顺义仁礼智信玉清云敬宗彦晋翰霆骏驰腾啸崇恒朗奇焱淼森岩"
    "方正中和乐喜寿富贤达继承绍钧树培桂奎炳耀昌盛兆祖茂佩卓尧舜禹泉源润涵澄淳沛泓潇靖雄威"
    "秀英兰芳丽梅玲娟燕霞敏静艳萍琳婷娜莉雪颖慧琴凤洁倩蓉晶宁欣怡佳雯薇莹璐瑶蕾菲琪悦彤萱诗思晴"
    "月琦妍婧馨楠露岚娇珍淑贞莲翠香珠美花巧琼爱素菊娥莎蓓黎虹丹青君芬芸茜茹蕊珊姗婉媛妮娅曼"
    "璇瑾瑜韵莺琬昕晓笑梦若雅依伊可心一小桃杏樱蝶鹃霏雨霜彩艺琛瑛琰珏琨璟璋婕姝娴婵嫣姣妙"
    "启晟昱晖暄曦昭景曜炜烁熙煊灿焕鹤雁鸣凌峻崧岳峥嵘巍岱桐榕梓杉朴伦仲伯季孟元亨吉祯祺禄禧"
    "康泰谦恭诚笃厚实墨诺熙沐霖冬夏荷令大业"
)


def _census(name: str) -> dict[str, int]:
    """One census list as {Name: rank}, rank 1 the commonest."""
    text = resources.files("names").joinpath(name).read_text(encoding="ascii")
    ranks: dict[str, int] = {}
    for line in text.splitlines():
        fields = line.split()
        if fields:
            ranks.setdefault(fields[0].capitalize(), int(fields[3]))
    return ranks


@lru_cache(maxsize=1)
def english_given_names(most_common: int = 2500) -> frozenset[str]:
    """Given names (capitalised: "Grace", "Brian") of the census lists, men's and women's, each list's
    `most_common` (the women's list runs on into place names and rare spellings: Tijuana, Harold)."""
    return frozenset(
        name
        for table in ("dist.male.first", "dist.female.first")
        for name, rank in _census(table).items()
        if rank <= most_common
    )


@lru_cache(maxsize=1)
def english_surnames(most_common: int = 30000) -> frozenset[str]:
    """The `most_common` surnames of the census list (capitalised); the long tail holds English words."""
    return frozenset(name for name, rank in _census("dist.all.last").items() if rank <= most_common)
