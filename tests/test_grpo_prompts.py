"""The GRPO prompt set: the training red-team prompts cover every category in both languages and never
duplicate (exactly or nearly, by `medqa prepare`'s own MinHash test) a gold or evaluation red-team question;
`medqa prepare` writes them with the train questions as the `grpo` split."""

from __future__ import annotations

from collections import Counter

import pytest

from medqa.data import prepare
from medqa.data.grpo_prompts import held_out_overlap, load_training_red_team
from medqa.data.prepare import load_red_team
from medqa.schema import RED_TEAM_CATEGORIES


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    from datasets import load_from_disk

    out = tmp_path_factory.mktemp("grpo-prepare") / "processed"
    prepare("sample", out=out, progress=False)
    return load_from_disk(str(out))


def test_training_red_team_covers_every_category_in_both_languages():
    rows = load_training_red_team()
    assert len(rows) >= 200
    per_category = Counter((row["meta"]["category"], row["meta"]["language"]) for row in rows)
    for category in RED_TEAM_CATEGORIES:
        assert per_category[(category, "zh")] >= 8 and per_category[(category, "en")] >= 8, category
    assert len({row["input"] for row in rows}) == len(rows)


def test_no_exact_or_near_duplicate_of_held_out_questions(prepared):
    prompts = [row["input"] for row in load_training_red_team()]
    held_out = [row["input"] for row in load_red_team()] + list(prepared["gold"]["input"])
    # Stricter than prepare's dedupe threshold (0.6): not even loosely similar wording.
    assert held_out_overlap(prompts, held_out, threshold=0.4) == []


def test_the_overlap_check_finds_copies_and_paraphrases():
    held_out = [row["input"] for row in load_red_team()]
    planted = [
        held_out[0],  # exact
        held_out[1].replace("，", ",") + "？",  # punctuation only: exact after the dedupe key
        held_out[2][:-2] + "怎么回事呢",  # a near duplicate
        "我家猫不吃饭怎么办？",
    ]
    found = {(d.index, d.kept, d.kind) for d in held_out_overlap(planted, held_out)}
    assert found == {(0, 0, "exact"), (1, 1, "exact"), (2, 2, "near")}


def test_prepare_writes_the_grpo_split(prepared):
    grpo, train = prepared["grpo"], prepared["train"]
    ids = set(grpo["id"])
    assert set(train["id"]) <= ids
    assert not ids & (set(prepared["gold"]["id"]) | set(prepared["red_team"]["id"]))
    red_team = [row for row in grpo if row["meta"]["category"]]
    assert len(red_team) == len(load_training_red_team())
    assert all(row["reference"] for row in grpo if not row["meta"]["category"])
    assert {row["meta"]["red_flag"] for row in red_team} == {True, False}
    assert all(row["messages"][-1]["role"] == "user" for row in grpo)
