"""Record <-> chat messages, and the one place that joins and splits `<think>…</think>` blocks.

Qwen3 renders an assistant turn as `<think>\\n{reasoning}\\n</think>\\n\\n{answer}`; we store outputs
in exactly that form so the chat template, the trainer, the predictor and the metric agree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from medqa.schema import SYSTEM_PROMPT

THINK_OPEN = "<think>"
THINK_CLOSE = "</think>"

# Why a think block is not well formed (the metric reports each as a sub-count).
THINK_OK = "ok"
THINK_MISSING_OPEN = "missing_open"
THINK_MISSING_CLOSE = "missing_close"
THINK_EMPTY = "empty_think"
THINK_EMPTY_ANSWER = "empty_answer"
THINK_MULTIPLE = "multiple_blocks"
THINK_STATUSES = (
    THINK_OK,
    THINK_MISSING_OPEN,
    THINK_MISSING_CLOSE,
    THINK_EMPTY,
    THINK_EMPTY_ANSWER,
    THINK_MULTIPLE,
)


@dataclass(frozen=True)
class ThinkSplit:
    """A model output split into reasoning and answer, with the reason it is malformed if it is."""

    think: str
    answer: str
    status: str

    @property
    def well_formed(self) -> bool:
        return self.status == THINK_OK


def join_think(think: str, answer: str) -> str:
    """The assistant text for one turn, rendered the way Qwen3's chat template renders it."""
    return f"{THINK_OPEN}\n{think.strip()}\n{THINK_CLOSE}\n\n{answer.strip()}"


def split_think(text: str, prefilled_open: bool = False) -> ThinkSplit:
    """Split `text` into (think, answer) and classify it.

    Well formed means: the open tag comes first (or was pre-filled by the prompt when
    `prefilled_open`), the reasoning is non-empty, the block is closed exactly once, and a non-empty
    answer follows. When malformed, `answer` is still the best guess at the user-visible text.
    """
    body = text.lstrip().lstrip("\ufeff\u200b\u200d\u2060").lstrip()  # a byte-order mark is not content
    opens = body.count(THINK_OPEN)
    closes = body.count(THINK_CLOSE)
    has_open_first = body.startswith(THINK_OPEN)

    if opens > 1 or closes > 1:
        after = body.rsplit(THINK_CLOSE, 1)[-1].strip() if closes else ""
        return ThinkSplit("", after, THINK_MULTIPLE)
    if not has_open_first and not (prefilled_open and opens == 0 and closes == 1):
        answer = body.split(THINK_CLOSE, 1)[-1].strip() if closes else body.strip()
        return ThinkSplit("", answer, THINK_MISSING_OPEN)
    inner = body[len(THINK_OPEN) :] if has_open_first else body
    if closes == 0:
        return ThinkSplit(inner.strip(), "", THINK_MISSING_CLOSE)
    think, answer = inner.split(THINK_CLOSE, 1)
    think, answer = think.strip(), answer.strip()
    if not think:
        return ThinkSplit(think, answer, THINK_EMPTY)
    if not answer:
        return ThinkSplit(think, answer, THINK_EMPTY_ANSWER)
    return ThinkSplit(think, answer, THINK_OK)


def think_segments(text: str) -> tuple[list[tuple[str, str]], bool]:
    """`text` cut at its think tags: ordered ("think" | "text", content) segments, blank ones dropped,
    and whether the last think block is still open. For display: unlike `split_think` it keeps every
    block of an output that has several (a model that thinks again after answering)."""
    segments: list[tuple[str, str]] = []
    rest, still_open = text, False
    while rest:
        open_at, close_at = rest.find(THINK_OPEN), rest.find(THINK_CLOSE)
        if close_at >= 0 and (open_at < 0 or close_at < open_at):  # reasoning whose open tag was pre-filled
            segments.append(("think", rest[:close_at]))
            rest = rest[close_at + len(THINK_CLOSE) :]
        elif open_at < 0:
            segments.append(("text", rest))
            rest = ""
        else:
            segments.append(("text", rest[:open_at]))
            rest = rest[open_at + len(THINK_OPEN) :]
            close_at = rest.find(THINK_CLOSE)
            if close_at < 0:
                segments.append(("think", rest))
                rest, still_open = "", True
            else:
                segments.append(("think", rest[:close_at]))
                rest = rest[close_at + len(THINK_CLOSE) :]
    return [(kind, content.strip()) for kind, content in segments if content.strip()], still_open


def conversation(
    question: str,
    answer_text: str | None = None,
    system_prompt: str = SYSTEM_PROMPT,
    history: Sequence[Mapping[str, str]] = (),
) -> list[dict[str, str]]:
    """System, earlier turns, the user question and (for training) the assistant text."""
    messages = [{"role": "system", "content": system_prompt}] if system_prompt else []
    messages += [{"role": m["role"], "content": m["content"]} for m in history]
    messages.append({"role": "user", "content": question})
    if answer_text is not None:
        messages.append({"role": "assistant", "content": answer_text})
    return messages


def row_to_messages(row: Mapping[str, Any], system_prompt: str | None = None) -> list[dict[str, str]]:
    """A processed row (instruction/input/output) as the conversational form SFTTrainer trains on."""
    return conversation(row["input"], row["output"], system_prompt or row.get("instruction") or SYSTEM_PROMPT)
