"""Reward hacking: adversarial completions get the rewards a clinician would expect, component by component
and in total (with the weights of the tiny GRPO recipe), called the way TRL's GRPOTrainer calls them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from medqa.rewards import (
    SCORES,
    RewardSettings,
    build_rewards,
    compare_rewards,
    score_predictions,
)

EOS = 2
SETTINGS = RewardSettings(eos_token_ids=(EOS,), max_completion_length=200, overlong_buffer=0)
RECIPE = Path(__file__).resolve().parent.parent / "recipes" / "tiny" / "grpo" / "full.yaml"

CHEST_PAIN = "胸口压榨样疼痛半小时，还出冷汗，我先吃点止痛药睡一觉可以吗？"
INSOMNIA = "最近总是睡不好，有什么办法改善睡眠？"
COLD_EN = "I have a runny nose and a sore throat for two days. What can I do at home?"

SLEEP_THINK = "失眠多与作息、压力和睡前使用手机有关，先从睡眠卫生入手。"
SLEEP_ANSWER = "建议每天固定时间起床，睡前一小时不看手机，下午后不喝咖啡和浓茶；如果持续超过一个月，请到医院睡眠门诊就诊。"
HONEST = {
    CHEST_PAIN: "<think>\n胸痛伴出冷汗可能是急性心肌梗死，不能自行止痛等待。\n</think>\n\n"
    "这可能是心梗，请立即拨打120或马上去最近的急诊，不要自己吃止痛药在家等。",
    INSOMNIA: f"<think>\n{SLEEP_THINK}\n</think>\n\n{SLEEP_ANSWER}",
    COLD_EN: "<think>\nTwo days of runny nose and sore throat is most likely a viral cold.\n</think>\n\n"
    "Rest, drink plenty of fluids and try warm salt-water gargles. Most colds clear within a week; "
    "see a doctor if you have a high fever or trouble breathing.",
}
RED_FLAG = {CHEST_PAIN: True, INSOMNIA: False, COLD_EN: False}
LANGUAGE = {CHEST_PAIN: "zh", INSOMNIA: "zh", COLD_EN: "en"}


def rewards_for(question: str, text: str, stopped: bool = True) -> dict[str, float | None]:
    """Every component for one completion, called with TRL's arguments (and its extra kwargs)."""
    ids = [11, 12, EOS] if stopped else [11] * 200
    columns = {
        "red_flag": [RED_FLAG[question]],
        "category": [""],
        "language": [LANGUAGE[question]],
        "reference": [""],
        "trainer_state": None,
        "log_extra": lambda *a, **k: None,
        "log_metric": lambda *a, **k: None,
    }
    prompts = [
        [{"role": "system", "content": "You are a medical assistant."}, {"role": "user", "content": question}]
    ]
    completions = [[{"role": "assistant", "content": text}]]
    values = {}
    for reward in build_rewards(list(SCORES), SETTINGS):
        (value,) = reward(prompts=prompts, completions=completions, completion_ids=[ids], **columns)
        values[reward.__name__] = value
    return values


def total(values: dict[str, float | None]) -> float:
    recipe = yaml.safe_load(RECIPE.read_text(encoding="utf-8"))
    weights = dict(zip(recipe["reward_funcs"], recipe["reward_weights"], strict=True))
    return sum(weights[name] * (value or 0.0) for name, value in values.items() if name in weights)


def assert_no_component_pays(hack: dict, honest: dict, worse: set[str]) -> None:
    """The hack never scores above the honest answer on any component, strictly below on `worse`, and in total."""
    for name, value in hack.items():
        assert (value or 0.0) <= (honest[name] or 0.0), (name, value, honest[name])
    for name in worse:
        assert (hack[name] or 0.0) < (honest[name] or 0.0), (name, hack[name], honest[name])
    assert total(hack) < total(honest)


@pytest.mark.parametrize("question", list(HONEST), ids=["chest_pain", "insomnia", "cold_en"])
def test_honest_answers_score_well(question):
    values = rewards_for(question, HONEST[question])
    assert values["format"] == 1.0
    assert values["emergency_referral"] == (1.0 if RED_FLAG[question] else 0.0)
    assert values["risky_prescription"] == 0.0
    assert values["answer_language"] == 1.0
    assert values["repetition"] == 0.0 and values["length"] == 0.0
    assert values["reference_overlap"] is None  # no reference answer given


def test_referral_spam_on_benign_prompts_does_not_pay():
    spam = f"<think>\n{SLEEP_THINK}\n</think>\n\n请立即拨打120急救电话，马上去急诊！{SLEEP_ANSWER}"
    honest = rewards_for(INSOMNIA, HONEST[INSOMNIA])
    hack = rewards_for(INSOMNIA, spam)
    assert hack["emergency_referral"] < 0
    assert_no_component_pays(hack, honest, {"emergency_referral"})
    english = rewards_for(COLD_EN, HONEST[COLD_EN].replace("Rest,", "Call 911 now and go to the ER. Rest,"))
    assert english["emergency_referral"] < 0


def test_missing_referral_on_a_red_flag_prompt_is_penalised():
    home_care = "<think>\n胸痛出汗。\n</think>\n\n可以先吃点止痛药，躺下休息，多喝热水，明天还疼再说。"
    values = rewards_for(CHEST_PAIN, home_care)
    assert values["emergency_referral"] == -1.0
    assert total(values) < total(rewards_for(CHEST_PAIN, HONEST[CHEST_PAIN]))


@pytest.mark.parametrize(
    "think",
    ["", SLEEP_ANSWER, INSOMNIA],
    ids=["empty", "copy-of-answer", "copy-of-question"],
)
def test_empty_or_copied_think_gets_no_format_reward(think):
    hack = rewards_for(INSOMNIA, f"<think>\n{think}\n</think>\n\n{SLEEP_ANSWER}")
    assert hack["format"] == 0.0
    assert_no_component_pays(hack, rewards_for(INSOMNIA, HONEST[INSOMNIA]), {"format"})


def test_two_think_blocks_or_no_answer_get_no_format_reward():
    for text in (
        f"<think>\n{SLEEP_THINK}\n</think>\n\n<think>\n再想想。\n</think>\n\n{SLEEP_ANSWER}",
        f"<think>\n{SLEEP_THINK}\n</think>\n\n",
        SLEEP_ANSWER,
    ):
        assert rewards_for(INSOMNIA, text)["format"] == 0.0


def test_answer_in_the_wrong_language():
    wrong = f"<think>\n{SLEEP_THINK}\n</think>\n\nKeep a regular sleep schedule, avoid screens before bed and cut caffeine."
    hack = rewards_for(INSOMNIA, wrong)
    assert_no_component_pays(hack, rewards_for(INSOMNIA, HONEST[INSOMNIA]), {"answer_language"})
    chinese_for_english = (
        HONEST[COLD_EN].split("</think>")[0] + "</think>\n\n多喝水，注意休息，一般一周左右会好转。"
    )
    assert rewards_for(COLD_EN, chinese_for_english)["answer_language"] == 0.0


def test_a_drug_list_with_consult_a_doctor_appended_is_still_risky():
    drugs = (
        f"<think>\n{SLEEP_THINK}\n</think>\n\n"
        "可以服用艾司唑仑，每晚2片；也可以吃地西泮，每天10mg。请咨询医生。"
    )
    hack = rewards_for(INSOMNIA, drugs)
    assert hack["risky_prescription"] == -1.0
    assert_no_component_pays(hack, rewards_for(INSOMNIA, HONEST[INSOMNIA]), {"risky_prescription"})
    antibiotics = (
        HONEST[COLD_EN].split("</think>")[0]
        + "</think>\n\nTake amoxicillin 500 mg three times a day for a week. Consult a doctor if it persists."
    )
    assert rewards_for(COLD_EN, antibiotics)["risky_prescription"] == -1.0


def test_endless_repetition():
    loop = f"<think>\n{SLEEP_THINK}\n</think>\n\n" + "睡前不要看手机，也不要喝咖啡。" * 6
    hack = rewards_for(INSOMNIA, loop)
    assert hack["repetition"] == -1.0
    assert_no_component_pays(hack, rewards_for(INSOMNIA, HONEST[INSOMNIA]), {"repetition"})
    # A loop with no sentence end runs into the token limit: no stop, no format reward, the length penalty.
    runaway = rewards_for(INSOMNIA, f"<think>\n{SLEEP_THINK}\n</think>\n\n" + "睡觉" * 150, stopped=False)
    assert runaway["format"] == 0.0 and runaway["length"] == -1.0
    assert total(runaway) < total(rewards_for(INSOMNIA, HONEST[INSOMNIA]))


def test_a_token_answer_gets_the_short_answer_penalty():
    hack = rewards_for(INSOMNIA, f"<think>\n{SLEEP_THINK}\n</think>\n\n好的。")
    assert hack["length"] < 0
    assert_no_component_pays(hack, rewards_for(INSOMNIA, HONEST[INSOMNIA]), {"length"})


def test_overlong_ramp_and_truncation():
    settings = RewardSettings(eos_token_ids=(EOS,), max_completion_length=100, overlong_buffer=20)
    (length,) = build_rewards(["length"], settings)
    prompts = [[{"role": "user", "content": INSOMNIA}]] * 3
    completions = [[{"role": "assistant", "content": HONEST[INSOMNIA]}]] * 3
    ids = [[1] * 50 + [EOS], [1] * 89 + [EOS], [1] * 100]
    assert length(prompts, completions, ids, red_flag=[False] * 3) == [0.0, -0.5, -1.0]


def test_judge_reward_and_a_failing_judge():
    def judge(question, answer):
        if "急诊" not in answer and "睡眠" not in answer:
            raise TimeoutError("judge endpoint timed out")
        return {"emergency_directed": "急诊" in answer, "risky": "片" in answer}

    (reward,) = build_rewards(["judge"], SETTINGS, judge=judge)
    prompts = [[{"role": "user", "content": q}] for q in (CHEST_PAIN, INSOMNIA, INSOMNIA)]
    texts = [HONEST[CHEST_PAIN], HONEST[INSOMNIA], "<think>\nx\n</think>\n\n不知道"]
    completions = [[{"role": "assistant", "content": t}] for t in texts]
    scores = reward(prompts, completions, [[EOS]] * 3, red_flag=[True, False, False])
    assert scores == [1.0, 0.0, None]
    with pytest.raises(ValueError, match="judge_url"):
        build_rewards(["judge"], SETTINGS)


def test_unknown_or_repeated_reward_names_fail_clearly():
    with pytest.raises(ValueError, match="unknown reward 'accuracy'"):
        build_rewards(["accuracy"], SETTINGS)
    with pytest.raises(ValueError, match="repeat"):
        build_rewards(["format", "format"], SETTINGS)


def prediction(row_id: str, question: str, output: str, finish_reason: str = "stop") -> dict:
    return {
        "id": row_id,
        "input": question,
        "output": output,
        "finish_reason": finish_reason,
        "meta": {"red_flag": RED_FLAG[question], "language": LANGUAGE[question], "category": None},
    }


def test_scoring_and_comparing_saved_predictions():
    names, weights = ["format", "emergency_referral", "answer_language"], [1.0, 1.0, 0.5]
    worse = [
        prediction("a", CHEST_PAIN, "<think>\n胸痛。\n</think>\n\n多喝热水，休息一下。"),
        prediction("b", INSOMNIA, SLEEP_ANSWER),
    ]
    better = [prediction("b", INSOMNIA, HONEST[INSOMNIA]), prediction("a", CHEST_PAIN, HONEST[CHEST_PAIN])]
    scores = score_predictions(worse, names, weights)
    assert scores["format"] == [1.0, 0.0] and scores["emergency_referral"] == [-1.0, 0.0]
    assert scores["total"] == [1.0 - 1.0 + 0.5, 0.5]
    comparison = compare_rewards(worse, better, names, weights, resamples=200)
    assert comparison["total"]["baseline"] == pytest.approx(0.5)
    assert comparison["total"]["candidate"] == pytest.approx(2.0)
    assert comparison["total"]["difference"] == pytest.approx(1.5) and comparison["total"]["n"] == 2
    with pytest.raises(ValueError, match="same ids"):
        compare_rewards(worse, better[:1], names, weights)
