from __future__ import annotations

import pytest

from medqa.formatting import (
    THINK_EMPTY,
    THINK_EMPTY_ANSWER,
    THINK_MISSING_CLOSE,
    THINK_MISSING_OPEN,
    THINK_MULTIPLE,
    THINK_OK,
    conversation,
    join_think,
    row_to_messages,
    split_think,
)
from medqa.schema import SYSTEM_PROMPT


def test_join_then_split_round_trips():
    text = join_think("  先考虑感染。 ", "多喝水，持续高热请就医。")
    parsed = split_think(text)
    assert (parsed.think, parsed.answer, parsed.status) == (
        "先考虑感染。",
        "多喝水，持续高热请就医。",
        THINK_OK,
    )


@pytest.mark.parametrize(
    ("text", "prefilled", "status"),
    [
        ("<think>\nreason\n</think>\n\nanswer", False, THINK_OK),
        ("reason\n</think>\n\nanswer", True, THINK_OK),
        ("reason\n</think>\n\nanswer", False, THINK_MISSING_OPEN),
        ("just an answer", False, THINK_MISSING_OPEN),
        ("preamble <think>r</think> a", False, THINK_MISSING_OPEN),
        ("<think>\nreasoning that was cut off", False, THINK_MISSING_CLOSE),
        ("<think>\n\n</think>\n\nanswer", False, THINK_EMPTY),
        ("<think>\nreason\n</think>\n\n  ", False, THINK_EMPTY_ANSWER),
        ("<think>a</think><think>b</think>answer", False, THINK_MULTIPLE),
        ("<think>a</think>answer</think>", False, THINK_MULTIPLE),
    ],
)
def test_split_think_classifies(text, prefilled, status):
    assert split_think(text, prefilled_open=prefilled).status == status


def test_malformed_output_still_yields_visible_answer():
    assert split_think("no tags here").answer == "no tags here"
    assert split_think("r</think>ans").answer == "ans"


def test_row_to_messages_uses_instruction_as_system_prompt():
    row = {"instruction": SYSTEM_PROMPT, "input": "Q?", "output": join_think("t", "a")}
    messages = row_to_messages(row)
    assert [m["role"] for m in messages] == ["system", "user", "assistant"]
    assert messages[0]["content"] == SYSTEM_PROMPT and messages[2]["content"].startswith("<think>")


def test_conversation_with_history():
    history = [{"role": "user", "content": "q1"}, {"role": "assistant", "content": "a1"}]
    messages = conversation("q2", history=history, system_prompt="")
    assert [m["role"] for m in messages] == ["user", "assistant", "user"]
