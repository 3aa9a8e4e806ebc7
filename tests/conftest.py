"""Shared fixtures: a real tiny Qwen3 checkpoint built once per test session, offline."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Tests never touch the network: Hub calls fail fast instead of hanging.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_SAMPLE = REPO_ROOT.parent / "shared" / "data" / "delicate_medical_r1_sample.jsonl"


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory) -> Path:
    """A freshly built tiny Qwen3 (model + tokenizer + Qwen3 chat template) on disk."""
    from medqa.tiny import build_tiny_qwen3

    return build_tiny_qwen3(tmp_path_factory.mktemp("tiny-qwen3"))


@pytest.fixture(scope="session")
def qwen3_model_dir(tmp_path_factory) -> Path:
    """A tiny Qwen3 with the real Qwen3 tokenizer (rebuilt offline) and the real 151,936-row vocabulary."""
    from medqa.tiny import TinyQwen3Spec, build_tiny_qwen3

    return build_tiny_qwen3(tmp_path_factory.mktemp("tiny-qwen3-real-vocab"), TinyQwen3Spec.real_vocab())


@pytest.fixture(scope="session")
def shared_sample() -> Path:
    """121 real upstream rows of krisfu/delicate_medical_r1_data, kept beside the project."""
    if not SHARED_SAMPLE.exists():
        pytest.fail(f"the shared sample is missing: {SHARED_SAMPLE} (CI lays ../shared beside the clone)")
    return SHARED_SAMPLE
