"""Turn one raw row into (question, think, answer) or a rejection with a reason code.

Lengths are measured in estimated tokens (`estimate_tokens`) unless a tokenizer is given, so
validation never loads a model and costs one C-level pass per field.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from medqa.data.sources import RawRecord, column_value, required_fields
from medqa.formatting import THINK_CLOSE, THINK_OPEN, split_think

REASONS = (
    "invalid_json",
    "not_an_object",
    "missing_field",
    "empty_field",
    "wrong_type",
    "malformed_row",
    "non_text",
    "malformed_think",
    "too_short",
    "too_long",
)
# Control characters other than tab/newline, and U+FFFD (bytes that were not text), mark binary data.
_BINARY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
_LETTER = re.compile(r"[^\W\d_]")
# Half of a UTF-16 pair on its own (a JSON "\\ud800" escape): no text, and no UTF-8 file can hold it.
_SURROGATE = re.compile(r"[\ud800-\udfff]")


class RowError(ValueError):
    """Why a row is rejected: `reason` is one of REASONS, `detail` names the field."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Limits:
    """Length bounds in tokens: each of question/think/answer at least `min_field_tokens`, the whole
    row (question + think + answer) at most `max_tokens`."""

    min_field_tokens: int = 4
    max_tokens: int = 4096


@dataclass
class Candidate:
    """A row that passed validation, still carrying where it came from."""

    file: str
    line: int
    question: str
    think: str
    answer: str
    quality: float | None = None
    upstream_meta: dict[str, Any] = field(default_factory=dict)


def estimate_tokens(text: str) -> int:
    """One token per non-ASCII character and one per four ASCII characters.

    Qwen's tokenizer spends about 0.7–1 token per common CJK character and ~4 characters per English
    token, so this errs on the long side for Chinese, which is the safe side for a length limit."""
    ascii_chars = len(text.encode("ascii", "ignore"))
    return (len(text) - ascii_chars) + math.ceil(ascii_chars / 4)


def _text(value: Any, name: str) -> str:
    if value is None:
        raise RowError("missing_field", f"field '{name}' is missing")
    if not isinstance(value, str):
        raise RowError("wrong_type", f"field '{name}' must be a string, got {type(value).__name__}")
    if not value.strip():
        raise RowError("empty_field", f"field '{name}' is empty")
    if _SURROGATE.search(value):
        raise RowError("non_text", f"field '{name}' holds a lone UTF-16 surrogate (broken text)")
    if _BINARY.search(value) or not _LETTER.search(value):
        raise RowError("non_text", f"field '{name}' is not natural-language text")
    return value


def _no_tags(value: str, name: str) -> str:
    if THINK_OPEN in value or THINK_CLOSE in value:
        raise RowError("malformed_think", f"field '{name}' contains a stray think tag")
    return value


def _from_output(output: str, name: str) -> tuple[str, str]:
    parsed = split_think(output, prefilled_open=False)
    if not parsed.well_formed:
        raise RowError("malformed_think", f"field '{name}' has a malformed think block ({parsed.status})")
    return parsed.think, parsed.answer


def _from_messages(messages: Any, name: str) -> tuple[str, str, str]:
    """The last user turn and the assistant reply after it; earlier turns and system prompts drop."""
    if not isinstance(messages, list):
        raise RowError("wrong_type", f"field '{name}' must be a list of messages")
    if not messages:
        raise RowError("empty_field", f"field '{name}' is empty")
    for index, message in enumerate(messages):
        if not isinstance(message, Mapping) or "role" not in message or "content" not in message:
            raise RowError("wrong_type", f"field '{name}[{index}]' must be a {{role, content}} mapping")
    last_user = max((i for i, m in enumerate(messages) if m["role"] == "user"), default=None)
    if last_user is None:
        raise RowError("missing_field", f"field '{name}' has no user turn")
    reply = next((m for m in messages[last_user + 1 :] if m["role"] == "assistant"), None)
    if reply is None:
        raise RowError("missing_field", f"field '{name}' has no assistant turn after the last user turn")
    question = _text(messages[last_user]["content"], f"{name}[{last_user}].content")
    think, answer = _from_output(_text(reply["content"], f"{name}.assistant.content"), f"{name}.assistant")
    return question, think, answer


def _quality(value: Any) -> float | None:
    try:
        quality = float(value)
    except (TypeError, ValueError):
        return None
    return quality if math.isfinite(quality) else None


def extract(
    record: RawRecord,
    mapping: Mapping[str, str],
    limits: Limits = Limits(),
    count_tokens: Callable[[str], int] = estimate_tokens,
) -> Candidate:
    """The validated Candidate for `record` under the column `mapping`, or RowError."""
    if record.error:
        raise RowError(record.error, record.detail)
    row = record.value
    if not isinstance(row, Mapping):
        raise RowError("not_an_object", f"a row must be a JSON object, got {type(row).__name__}")
    for name in required_fields(mapping):
        if column_value(row, mapping[name]) is None:
            raise RowError("missing_field", f"field '{mapping[name]}' is missing")
    if "messages" in mapping:
        question, think, answer = _from_messages(column_value(row, mapping["messages"]), mapping["messages"])
    elif "output" in mapping:
        question = _no_tags(
            _text(column_value(row, mapping["question"]), mapping["question"]), mapping["question"]
        )
        think, answer = _from_output(
            _text(column_value(row, mapping["output"]), mapping["output"]), mapping["output"]
        )
    else:
        question, think, answer = (
            _no_tags(_text(column_value(row, mapping[f]), mapping[f]), mapping[f])
            for f in ("question", "think", "answer")
        )
    lengths = {
        "question": count_tokens(question),
        "think": count_tokens(think),
        "answer": count_tokens(answer),
    }
    for name, length in lengths.items():
        if length < limits.min_field_tokens:
            raise RowError(
                "too_short", f"field '{name}' has {length} tokens, fewer than {limits.min_field_tokens}"
            )
    if sum(lengths.values()) > limits.max_tokens:
        raise RowError("too_long", f"row has {sum(lengths.values())} tokens, more than {limits.max_tokens}")
    upstream_meta = column_value(row, mapping["meta"]) if "meta" in mapping else None
    upstream_meta = dict(upstream_meta) if isinstance(upstream_meta, Mapping) else {}
    if _SURROGATE.search(str(upstream_meta.get("source") or "")):
        raise RowError("non_text", f"field '{mapping['meta']}.source' holds a lone UTF-16 surrogate")
    quality = _quality(column_value(row, mapping["quality"])) if "quality" in mapping else None
    if quality is None:
        quality = _quality(upstream_meta.get("quality"))
    return Candidate(
        record.file, record.line, question.strip(), think.strip(), answer.strip(), quality, upstream_meta
    )
