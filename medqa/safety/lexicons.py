"""Load and check the YAML lexicons under `medqa/resources/lexicons/`.

Each lexicon is a mapping with `version` (int), `description` (str) and `entries` (a list of
mappings); detectors declare the entry fields they need, and a bad file fails at load time with the
file and entry index in the message.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

import yaml

from medqa.resources import resource_path


class LexiconError(ValueError):
    """A lexicon file does not match its schema."""


@cache
def load_lexicon(name: str, required: tuple[str, ...] = ()) -> dict[str, Any]:
    """Parse `lexicons/<name>.yaml` and check every entry has the `required` fields."""
    path = resource_path(f"lexicons/{name}.yaml")
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    if not isinstance(data, dict):
        raise LexiconError(f"{path}: top level must be a mapping")
    for key, kind in (("version", int), ("description", str), ("entries", list)):
        if not isinstance(data.get(key), kind):
            raise LexiconError(f"{path}: field '{key}' must be {kind.__name__}")
    for index, entry in enumerate(data["entries"]):
        _check_entry(entry, required, f"{path}: entries[{index}]")
    return data


def _check_entry(entry: Any, required: Iterable[str], where: str) -> None:
    if not isinstance(entry, dict):
        raise LexiconError(f"{where}: must be a mapping")
    for field in required:
        value = entry.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise LexiconError(f"{where}: missing field '{field}'")
