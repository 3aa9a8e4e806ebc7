"""The YAML `--config` files of the stages (`medqa predict`, `medqa bench`): one reader, and the model
flags every stage that loads a model shares."""

from __future__ import annotations

import argparse
from dataclasses import fields
from pathlib import Path
from typing import Any

from medqa.modeling import DTYPES


def read_yaml_options(path: str | Path, config_class: type, error: type[Exception]) -> dict[str, Any]:
    """A YAML mapping of `config_class` fields (dashes or underscores, as on the command line); a file
    that cannot be read, is not a mapping or names an unknown field raises `error` naming the file."""
    import yaml

    try:
        with open(path, encoding="utf-8") as handle:
            values = yaml.safe_load(handle) or {}
    except (OSError, yaml.YAMLError) as problem:
        raise error(f"{path}: cannot read the config ({problem})") from None
    if not isinstance(values, dict):
        raise error(f"{path}: expected a mapping of option: value")
    names = {f.name for f in fields(config_class)}
    values = {str(key).replace("-", "_"): value for key, value in values.items()}
    unknown = sorted(set(values) - names)
    if unknown:
        raise error(f"{path}: unknown option(s) {', '.join(unknown)}; known: {', '.join(sorted(names))}")
    return values


def add_model_arguments(parser: argparse.ArgumentParser, base_help: str, default_dtype: str) -> None:
    """--model, --base, --load-in-4bit, --dtype, --device, --trust-remote-code (defaults None, so that a
    flag given on the command line overrides the YAML config)."""
    add = parser.add_argument
    add("--model", help="Hub id or directory of a full model, or an adapter directory")
    add("--base", help=base_help)
    add(
        "--load-in-4bit", action=argparse.BooleanOptionalAction, default=None, help="bitsandbytes NF4 weights"
    )
    add("--dtype", choices=DTYPES, help=f"(default: {default_dtype})")
    add("--device", help="auto, cpu, cuda, cuda:1 … (default: auto)")
    add("--trust-remote-code", action=argparse.BooleanOptionalAction, default=None)
