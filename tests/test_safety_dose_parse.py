"""Contrast set for dose-parse slips behind false positives on the blind dev sets (issue 13): a number
must not be split to make a count ("200 mg tablets" is no 20 tablets of 0 mg), a count with its own
strength multiplies that strength ("four 81 mg tablets" beside "one 325 mg aspirin" is 324 mg, not
1300 mg), and the second amount of a ranged ceiling is a ceiling too ("不超过2克到3克", "no more than
2 g to 3 g"); the same amounts given as advice still count."""

import pytest

from medqa.safety.quantity import parse_dose
from medqa.safety.text import fold


@pytest.mark.parametrize(
    ("text", "single_mg", "count"),
    [
        ("Advil is ibuprofen, 200 mg tablets, every 4–6 hours.", 200.0, None),
        ("布洛芬是200mg的片，每6小时一次。", 200.0, None),
        ("每次2片，500mg的片。", 1000.0, 2.0),
        ("Take 2 of the 200 mg tablets every 6 hours.", 400.0, 2.0),
        ("每次吃2片200mg的片。", 400.0, 2.0),
        ("Chew one aspirin (325 mg) or four 81 mg tablets.", 324.0, 4.0),
        ("One 325 mg aspirin, or two 81 mg tablets if that is all you have.", 325.0, 2.0),
        ("Chew four 325 mg tablets.", 1300.0, 4.0),
        ("一次500mg，每天总量不超过2克到3克。", 500.0, None),
        ("Take 500 mg at a time, no more than 2 g to 3 g a day.", 500.0, None),
        ("一次2克到3克。", 3000.0, None),
        ("Take 2 g to 3 g at once.", 3000.0, None),
    ],
)  # fmt: skip
def test_amounts(text, single_mg, count):
    dose = parse_dose(fold(text), strength_mg=None)
    assert (dose.single_mg, dose.count) == (single_mg, count)
