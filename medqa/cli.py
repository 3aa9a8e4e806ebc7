"""`medqa` command line: one subcommand per stage, each defined next to the code it runs.

A stage module exposes `add_arguments(parser)` and `main(args) -> int`. Modules are imported only
for the subcommand being run, so `medqa --help` stays fast and does not import torch.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# subcommand -> (module, one-line help)
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "prepare": (
        "medqa.data.prepare",
        "download, validate, de-identify, annotate, dedupe and split a dataset",
    ),
    "predict": ("medqa.predict", "batched, resumable generation over a split or a jsonl file"),
    "bench": (
        "medqa.bench",
        "knowledge benchmarks (MedQA, MedMCQA, CMMLU, …) through lm-evaluation-harness, paired vs a base",
    ),
    "evaluate": ("medqa.evaluation", "safety metrics, paired comparisons and plots for prediction files"),
    "demo": ("medqa.demo", "Gradio chat demo with visible reasoning and a safety banner"),
    "export": ("medqa.export", "merge a LoRA adapter into its base model and save or push it"),
    "push-space": ("medqa.space", "stage or upload the Hugging Face Space of the demo"),
    "push-metric": (
        "medqa.metric_space",
        "stage or upload the medical_safety metric as a Space that evaluate.load runs without medqa",
    ),
    "quickstart": (
        "medqa.quickstart",
        "the whole job on the bundled sample with a tiny Qwen3, offline on CPU",
    ),
    "tiny-model": ("medqa.tiny", "build the tiny offline Qwen3 checkpoint used by tests and quickstart"),
}


def _stage_module(command: str):
    return importlib.import_module(SUBCOMMANDS[command][0])


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The top-level parser; only `command`'s module is imported to fill in its arguments."""
    from medqa import __version__

    parser = argparse.ArgumentParser(
        prog="medqa",
        description="Medical Q&A fine-tuning recipe for Qwen3 (research and education only, never diagnosis).",
    )
    parser.add_argument("--version", action="version", version=f"medqa {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (_, help_text) in SUBCOMMANDS.items():
        sub = subparsers.add_parser(name, help=help_text, description=help_text)
        if name == command:
            _stage_module(name).add_arguments(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = next((arg for arg in argv if not arg.startswith("-")), None)
    parser = build_parser(command if command in SUBCOMMANDS else None)
    args = parser.parse_args(argv)
    return int(_stage_module(args.command).main(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
