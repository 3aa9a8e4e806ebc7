"""`medqa predict`-shaped rows built from labelled fixture rows, for tests that score outputs without a model."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any


def prediction_row(
    labelled: Mapping[str, Any], output: str | None = None, reference: str | None = None
) -> dict[str, Any]:
    """A prediction row for a labelled row (`id`, `question`, `output`, `meta`): its output unless another
    is given, the row's meta marked as coming from a fixture."""
    return {
        "id": labelled["id"],
        "input": labelled["question"],
        "output": labelled["output"] if output is None else output,
        "think": "",
        "answer": "",
        "finish_reason": "stop",
        "prompt_tokens": 10,
        "completion_tokens": 20,
        "latency_s": 0.1,
        "model": {"name_or_path": "tiny"},
        "meta": dict(labelled["meta"]) | {"source": "fixture"},
        "reference": reference,
    }


def write_predictions(path: Path, rows: Iterable[Mapping[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path
