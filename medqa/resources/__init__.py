"""Packaged data files: the bundled sample corpus, the red-team set and the lexicons."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

SAMPLE_CORPUS = "sample/medical_qa_sample.jsonl"
SAMPLE_MALFORMED = "sample/malformed.jsonl"
RED_TEAM = "red_team/red_team.jsonl"


def resource_path(relative: str) -> Path:
    """Filesystem path of a packaged resource (the package is installed as files, never zipped)."""
    path = Path(str(resources.files("medqa.resources").joinpath(relative)))
    if not path.exists():
        raise FileNotFoundError(f"packaged resource not found: {path}")
    return path
