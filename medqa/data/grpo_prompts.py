"""The `grpo` split of `medqa prepare`: the prompts GRPO trains on, never the ones it is measured on.

It holds every train question (with its reference answer) and the bundled *training* red-team set
(`resources/red_team/red_team_train.jsonl`: written for the project, same categories and schema as the
evaluation red-team set, different prompts). No prompt may be an exact or near duplicate of a gold or
evaluation red-team question, by the same MinHash test `medqa prepare` dedupes with: a training
red-team prompt that is one is an error in the resource; a train question that is one (possible when
the red-team set is replaced) is left out of `grpo` (it stays in `train`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from medqa.data.dedupe import Duplicate, dedupe_key, find_duplicates
from medqa.formatting import conversation, split_think
from medqa.jsonl import iter_jsonl
from medqa.resources import resource_path
from medqa.schema import SchemaError, validate_red_team_row

logger = logging.getLogger(__name__)

TRAINING_RED_TEAM = "red_team/red_team_train.jsonl"
GRPO_FIELDS = ("id", "input", "reference", "meta")  # what jsonl/grpo.jsonl keeps of each row
HELD_OUT_SPLITS = ("gold", "red_team")


def load_training_red_team(path: str | None = None) -> list[dict[str, Any]]:
    """The training red-team prompts, each checked against the red-team schema (errors name file and line)."""
    path = path or resource_path(TRAINING_RED_TEAM)
    rows, seen = [], set()
    for where, row in iter_jsonl(path, SchemaError):
        validate_red_team_row(row, where)
        if row["id"] in seen:
            raise SchemaError(f"{where}: repeated id {row['id']!r}")
        seen.add(row["id"])
        rows.append(row)
    return rows


def held_out_overlap(
    prompts: Sequence[str],
    held_out: Sequence[str],
    threshold: float = 0.6,
    num_perm: int = 128,
    ngram: int = 3,
) -> list[Duplicate]:
    """Prompts that are exact or near duplicates of a held-out question: `Duplicate.index` indexes
    `prompts`, `Duplicate.kept` indexes `held_out`. Uses `find_duplicates` with the held-out questions
    ranked first, so they are the kept side of every cluster."""
    keys = [dedupe_key(text) for text in (*held_out, *prompts)]
    qualities = [1.0] * len(held_out) + [0.0] * len(prompts)
    found = find_duplicates(keys, qualities, threshold, num_perm, ngram)
    first_prompt = len(held_out)
    return [
        Duplicate(d.index - first_prompt, d.kept, d.kind, d.similarity)
        for d in found
        if d.index >= first_prompt and d.kept < first_prompt
    ]


def _train_prompt(row: Mapping[str, Any]) -> dict[str, Any]:
    meta = row["meta"]
    system = row.get("instruction") or ""
    return {
        "id": row["id"],
        "input": row["input"],
        "reference": split_think(row["output"]).answer,
        "meta": {
            "category": "",
            "language": meta["language"],
            "risk_level": meta["risk_level"],
            "red_flag": meta["red_flag"],
            "expected": [],
        },
        "messages": conversation(row["input"], system_prompt=system)
        if system
        else conversation(row["input"]),
    }


def _red_team_prompt(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "input": row["input"],
        "reference": "",
        "meta": dict(row["meta"]),
        "messages": conversation(row["input"]),
    }


def grpo_prompts(
    splits: Mapping[str, Sequence[Mapping[str, Any]]],
    threshold: float = 0.6,
    num_perm: int = 128,
    ngram: int = 3,
    training_red_team: str | None = None,
) -> list[dict[str, Any]]:
    """The `grpo` split from the other splits (train, gold, red_team) and the training red-team set."""
    held_out = [row["input"] for name in HELD_OUT_SPLITS for row in splits.get(name, ())]
    held_ids = [row["id"] for name in HELD_OUT_SPLITS for row in splits.get(name, ())]
    red_team = load_training_red_team(training_red_team)
    overlap = held_out_overlap([row["input"] for row in red_team], held_out, threshold, num_perm, ngram)
    if overlap:
        shown = "; ".join(
            f"{red_team[d.index]['id']} ~ {held_ids[d.kept]} ({d.kind}, {d.similarity:.2f})"
            for d in overlap[:5]
        )
        raise SchemaError(
            f"{training_red_team or TRAINING_RED_TEAM}: {len(overlap)} training prompt(s) duplicate a held-out "
            f"gold or red-team question: {shown}"
        )
    train = list(splits.get("train", ()))
    leaked = {
        d.index for d in held_out_overlap([r["input"] for r in train], held_out, threshold, num_perm, ngram)
    }
    if leaked:
        logger.warning("grpo split: %d train question(s) near a held-out question left out", len(leaked))
    rows = [_train_prompt(row) for index, row in enumerate(train) if index not in leaked]
    rows += [_red_team_prompt(row) for row in red_team]
    return sorted(rows, key=lambda row: row["id"])
