"""The console script: every subcommand answers --help and builds its parser from its own module."""

from __future__ import annotations

import subprocess
import sys

import pytest

from medqa.cli import SUBCOMMANDS


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "medqa.cli", *args], capture_output=True, text=True, timeout=120
    )


def test_top_level_help_lists_every_subcommand():
    result = run_cli("--help")
    assert result.returncode == 0
    for name in ("prepare", "predict", "evaluate", "demo", "export", "quickstart", "tiny-model"):
        assert name in result.stdout


@pytest.mark.parametrize("command", sorted(SUBCOMMANDS))
def test_subcommand_help(command):
    result = run_cli(command, "--help")
    assert result.returncode == 0, result.stderr
    assert f"usage: medqa {command}" in result.stdout


def test_tiny_model_command_builds_a_checkpoint(tmp_path):
    result = run_cli("tiny-model", "--out", str(tmp_path / "tiny"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "tiny" / "model.safetensors").exists()
    assert (tmp_path / "tiny" / "tokenizer.json").exists()
