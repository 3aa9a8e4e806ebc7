"""The one home of the shapes passed between stages (see DESIGN.md, "Shapes shared between stages").

Plain dicts travel between stages (jsonl, Arrow); these validators check them at the boundaries and
name the offending field, so bad input fails with a message instead of deep inside a trainer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

SYSTEM_PROMPT = "你是一个医学专家，你需要根据用户的问题，给出带有思考的回答。"
DEFAULT_DATASET = "krisfu/delicate_medical_r1_data"
DEFAULT_MODEL = "Qwen/Qwen3-1.7B"

# Upstream raw schema (krisfu/delicate_medical_r1_data and the bundled sample).
RAW_FIELDS = ("instruction", "question", "think", "answer")

LANGUAGES = ("zh", "en", "mixed")
RISK_LEVELS = ("low", "medium", "high", "critical")
LANG_STYLES = ("colloquial", "professional", "exam")
SPLITS = ("train", "dev", "test", "gold", "red_team", "grpo")

RED_TEAM_CATEGORIES = (
    "chest_pain",
    "stroke",
    "anaphylaxis",
    "bleeding",
    "infant_fever",
    "suicidal_ideation",
    "overdose_poisoning",
    "prescription_request",
    "antibiotics_viral",
    "contraindication",
    "stopping_medication",
    "jailbreak_dosing",
)
EXPECTED_BEHAVIOURS = (
    "urgent_referral",
    "crisis_support",
    "no_self_dosing",
    "refuse_dosing",
    "professional_referral",
    "no_antibiotics_for_viral",
    "warn_contraindication",
    "do_not_stop_medication",
)
FINISH_REASONS = ("stop", "length")


class SchemaError(ValueError):
    """A row does not have the shape a stage expects; the message names the row and the field."""


def _require(row: Mapping[str, Any], field: str, kind: type | tuple[type, ...], where: str) -> Any:
    if field not in row or row[field] is None:
        raise SchemaError(f"{where}: missing field '{field}'")
    value = row[field]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise SchemaError(f"{where}: field '{field}' must be {names}, got {type(value).__name__}")
    return value


def _require_text(row: Mapping[str, Any], field: str, where: str) -> str:
    value = _require(row, field, str, where)
    if not value.strip():
        raise SchemaError(f"{where}: field '{field}' is empty")
    return value


def _require_choice(row: Mapping[str, Any], field: str, choices: Iterable[str], where: str) -> str:
    value = _require(row, field, str, where)
    if value not in choices:
        raise SchemaError(f"{where}: field '{field}' is {value!r}, expected one of {', '.join(choices)}")
    return value


def validate_meta(meta: Mapping[str, Any], where: str) -> None:
    """Check the `meta` of a processed row (annotations written by `medqa prepare`)."""
    where = f"{where}: meta"
    _require_text(meta, "source", where)
    _require_choice(meta, "language", LANGUAGES, where)
    _require_choice(meta, "risk_level", RISK_LEVELS, where)
    _require_text(meta, "specialty", where)
    _require_text(meta, "complexity", where)
    _require_choice(meta, "lang_style", LANG_STYLES, where)
    _require(meta, "red_flag", bool, where)
    _require(meta, "is_deidentified", bool, where)
    _require(meta, "quality", (int, float), where)


def validate_processed_row(row: Mapping[str, Any], where: str = "row") -> None:
    """A processed row: id, instruction (system prompt), input, output (<think>…</think> + answer), meta."""
    from medqa.formatting import split_think

    _require_text(row, "id", where)
    _require_text(row, "instruction", where)
    _require_text(row, "input", where)
    output = _require_text(row, "output", where)
    parsed = split_think(output, prefilled_open=False)
    if not parsed.well_formed:
        raise SchemaError(f"{where}: field 'output' has a malformed think block ({parsed.status})")
    validate_meta(_require(row, "meta", Mapping, where), where)


def validate_red_team_row(row: Mapping[str, Any], where: str = "red-team row") -> None:
    """A red-team row: id, input, meta {category, language, risk_level, red_flag, expected[]}."""
    _require_text(row, "id", where)
    _require_text(row, "input", where)
    meta = _require(row, "meta", Mapping, where)
    mwhere = f"{where}: meta"
    _require_choice(meta, "category", RED_TEAM_CATEGORIES, mwhere)
    _require_choice(meta, "language", LANGUAGES, mwhere)
    _require_choice(meta, "risk_level", RISK_LEVELS, mwhere)
    _require(meta, "red_flag", bool, mwhere)
    expected = _require(meta, "expected", list, mwhere)
    if not expected:
        raise SchemaError(f"{mwhere}: field 'expected' is empty")
    for behaviour in expected:
        if behaviour not in EXPECTED_BEHAVIOURS:
            raise SchemaError(
                f"{mwhere}: field 'expected' has {behaviour!r}, expected any of {', '.join(EXPECTED_BEHAVIOURS)}"
            )


def validate_prediction_row(row: Mapping[str, Any], where: str = "prediction row") -> None:
    """A prediction row as written by `medqa predict` and read by `medqa evaluate`.

    Fields: id, input, output (raw text), think, answer, finish_reason (stop|length), prompt_tokens,
    completion_tokens, latency_s, model (the model spec), meta (the source row's meta) and an
    optional reference (the source row's answer, without its think block).
    """
    _require_text(row, "id", where)
    _require_text(row, "input", where)
    _require(row, "output", str, where)
    _require(row, "think", str, where)
    _require(row, "answer", str, where)
    _require_choice(row, "finish_reason", FINISH_REASONS, where)
    _require(row, "prompt_tokens", int, where)
    _require(row, "completion_tokens", int, where)
    _require(row, "latency_s", (int, float), where)
    _require(row, "model", Mapping, where)
    _require(row, "meta", Mapping, where)
    if row.get("reference") is not None:  # the gold answer, when the source row had one
        _require(row, "reference", str, where)
