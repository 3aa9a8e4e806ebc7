"""`medqa` command line: one subcommand per stage, each defined next to the code it runs.

A stage module exposes `add_arguments(parser)` and `main(args) -> int`. Modules are imported only
for the subcommand being run, so `medqa --help` stays fast and does not import torch.

Every long flag is accepted with dashes or underscores (`--max-new-tokens` or `--max_new_tokens`, as
the recipes' YAML fields are spelt): `FlagParser` does it for every subcommand and for the parsers of
`python -m medqa.predict` and the Space.
"""

from __future__ import annotations

import argparse
import importlib
import sys


class FlagParser(argparse.ArgumentParser):
    """An ArgumentParser whose long flags also answer to their other spelling (`_` for `-` and back).

    Each parser rewrites its own arguments before parsing, so subparsers (which argparse hands their
    share of the command line) do the same; `--help` lists the dashed spelling only.
    """

    def canonical_flag(self, token: str) -> str:
        """`token` with its flag name replaced by the spelling this parser defines, when it has one."""
        if not token.startswith("--") or token == "--":
            return token
        name, equals, value = token.partition("=")
        known = self._option_string_actions
        if name in known:
            return token
        for twin in (name.replace("_", "-"), "--" + name[2:].replace("-", "_")):
            if twin in known:
                return twin + equals + value
        return token

    def parse_known_args(self, args=None, namespace=None):
        args = list(sys.argv[1:] if args is None else args)
        if "--" in args:  # everything after a bare `--` is positional
            cut = args.index("--")
            args = [self.canonical_flag(a) for a in args[:cut]] + args[cut:]
        else:
            args = [self.canonical_flag(a) for a in args]
        return super().parse_known_args(args, namespace)


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

    parser = FlagParser(
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
