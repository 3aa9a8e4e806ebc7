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


def long_flags(parser) -> list[str]:
    return [flag for action in parser._actions for flag in action.option_strings if flag.startswith("--")]


@pytest.mark.parametrize("command", sorted(SUBCOMMANDS))
def test_every_flag_accepts_dashes_and_underscores(command):
    """One mechanism (FlagParser) for all subcommands: each long flag's other spelling maps back to it."""
    from medqa.cli import build_parser

    parser = build_parser(command)
    sub = next(a for a in parser._actions if a.dest == "command").choices[command]
    flags = long_flags(sub)
    assert flags, command
    for flag in flags:
        name = flag[2:]
        for twin in ("--" + name.replace("-", "_"), "--" + name.replace("_", "-")):
            assert sub.canonical_flag(twin) == flag, (command, twin)
            assert sub.canonical_flag(twin + "=7") == flag + "=7", (command, twin)
    assert sub.canonical_flag("--no_such_flag") == "--no_such_flag"  # unknown flags are still refused


def test_underscore_flags_parse_to_the_same_namespace():
    from medqa.cli import build_parser

    dashed = ["predict", "--max-new-tokens", "5", "--batch-size=3", "--no-enable-thinking", "--load-in-4bit"]
    underscored = [
        "predict",
        "--max_new_tokens",
        "5",
        "--batch_size=3",
        "--no_enable_thinking",
        "--load_in_4bit",
    ]
    parse = build_parser("predict").parse_args
    assert vars(parse(underscored)) == vars(parse(dashed))
    assert parse(underscored).max_new_tokens == 5 and parse(underscored).batch_size == 3
    with pytest.raises(SystemExit):
        parse(["predict", "--max_new_token_budget", "5"])


def test_python_m_predict_accepts_underscores():
    """`accelerate launch -m medqa.predict` parses outside `medqa`'s parser, with the same FlagParser."""
    result = subprocess.run(
        [sys.executable, "-m", "medqa.predict", "--max_new_tokens", "x"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2 and "--max-new-tokens: invalid int value: 'x'" in result.stderr
