"""The drug knowledge base (`medqa/resources/drugs/`): loading, schema check and class defaults.

Each entry file lists drugs, products, herbs and class words; `classes.yaml` holds what the members of a
class share (status, pregnancy, abrupt-stop risk, interactions). Files are checked against `schema.json`
by the small validator below (no third-party dependency: the metric runs where only `medqa` is installed),
and a bad file fails at load time naming the file, entry and field.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from medqa.resources import resource_path
from medqa.safety.lexicons import load_lexicon

KB_DIR = "drugs"
CLASS_FILE = "classes.yaml"
CONDITION_LEXICON = "conditions"  # lexicons/conditions.yaml: the patient conditions entries may name
_INHERITED = ("status", "controlled", "antibiotic", "rescue", "systemic", "max_daily_mg", "max_single_mg", "unit_mg",
              "liquid_mg_per_ml", "paediatric", "paediatric_cn", "pregnancy", "lactation", "abrupt_stop", "abrupt_stop_after_days",
              "stop_indicated_by", "self_use_warning", "note")  # fmt: skip


class KnowledgeBaseError(ValueError):
    """A knowledge-base file does not match `schema.json` or refers to an unknown class or drug."""


_TYPES = {"object": dict, "array": list, "string": str, "number": (int, float), "integer": int, "boolean": bool,
          "null": type(None)}  # fmt: skip


def validate(value: Any, schema: dict, root: dict, where: str) -> None:
    """Check `value` against a JSON-Schema subset (type, enum, required, properties, additionalProperties,
    items, minimum, minLength, minItems, $ref, and the "$facts" inclusion described in schema.json)."""
    if "$ref" in schema:
        node: Any = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        return validate(value, node, root, where)
    if "enum" in schema and value not in schema["enum"]:
        raise KnowledgeBaseError(f"{where}: {value!r} is not one of {schema['enum']}")
    kinds = schema.get("type")
    if kinds:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        ok = any(
            isinstance(value, _TYPES[k]) and not (k in ("number", "integer") and isinstance(value, bool))
            for k in kinds
        )
        if not ok:
            raise KnowledgeBaseError(f"{where}: expected {' or '.join(kinds)}, got {type(value).__name__}")
    if isinstance(value, str) and len(value) < schema.get("minLength", 0):
        raise KnowledgeBaseError(f"{where}: must not be empty")
    if (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and value < schema.get("minimum", value)
    ):
        raise KnowledgeBaseError(f"{where}: {value} is below the minimum {schema['minimum']}")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            raise KnowledgeBaseError(f"{where}: needs at least {schema['minItems']} item(s)")
        for index, item in enumerate(value):
            validate(item, schema.get("items", {}), root, f"{where}[{index}]")
    if isinstance(value, dict):
        properties = dict(schema.get("properties", {}))
        if properties.pop("$facts", False):
            properties |= root["$defs"]["facts"]["properties"]
        for field in schema.get("required", ()):
            if field not in value:
                raise KnowledgeBaseError(f"{where}: missing field '{field}'")
        for field, item in value.items():
            if field in properties:
                validate(item, properties[field], root, f"{where}.{field}")
            elif schema.get("additionalProperties") is False:
                raise KnowledgeBaseError(f"{where}: unknown field '{field}'")


def _read(path: Path) -> Any:
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def condition_names() -> set[str]:
    """The patient conditions (`lexicons/conditions.yaml`) that entries may list as contraindications."""
    return {
        entry["name"] for entry in load_lexicon(CONDITION_LEXICON, required=("name", "pattern"))["entries"]
    }


@cache
def schema() -> dict:
    return json.loads(resource_path(f"{KB_DIR}/schema.json").read_text(encoding="utf-8"))


def entry_files() -> list[Path]:
    folder = resource_path(KB_DIR)
    return sorted(p for p in folder.glob("*.yaml") if p.name != CLASS_FILE)


@cache
def load_classes() -> dict[str, dict]:
    root = schema()
    path = resource_path(f"{KB_DIR}/{CLASS_FILE}")
    data = _read(path)
    validate(data, root["class_file"], root, path.name)
    classes = {}
    for index, entry in enumerate(data["classes"]):
        if entry["class"] in classes:
            raise KnowledgeBaseError(
                f"{path.name}: classes[{index}]: class {entry['class']!r} is listed twice"
            )
        classes[entry["class"]] = entry
    return classes


@cache
def load_entries() -> tuple[dict, ...]:
    """Every entry with its class defaults merged in (the entry's own fields win; interactions and
    conditions add up)."""
    root, classes = schema(), load_classes()
    merged, seen = [], {}
    for path in entry_files():
        data = _read(path)
        validate(data, root["entry_file"], root, path.name)
        for index, entry in enumerate(data["entries"]):
            where = f"{path.name}: entries[{index}] ({entry['generic']})"
            if entry["class"] not in classes:
                raise KnowledgeBaseError(f"{where}: class {entry['class']!r} is not in {CLASS_FILE}")
            if entry["generic"] in seen:
                raise KnowledgeBaseError(f"{where}: generic already defined in {seen[entry['generic']]}")
            seen[entry["generic"]] = path.name
            defaults = classes[entry["class"]]
            full = {field: defaults[field] for field in _INHERITED if field in defaults} | entry
            full["interactions"] = [*defaults.get("interactions", ()), *entry.get("interactions", ())]
            full["conditions"] = [*defaults.get("conditions", ()), *entry.get("conditions", ())]
            if "status" not in full:
                raise KnowledgeBaseError(f"{where}: no status (neither the entry nor its class gives one)")
            full["file"] = path.name
            merged.append(full)
    known = set(seen) | set(classes)
    conditions = condition_names()
    for full in merged:
        for condition in full["conditions"]:
            if condition["condition"] not in conditions:
                raise KnowledgeBaseError(
                    f"{full['file']}: {full['generic']}: condition {condition['condition']!r} is not in"
                    f" lexicons/{CONDITION_LEXICON}.yaml"
                )
        for name in full.get("ingredients", ()):
            if name not in seen:
                raise KnowledgeBaseError(f"{full['file']}: {full['generic']}: unknown ingredient {name!r}")
        for interaction in full["interactions"]:
            if interaction["with"] not in known:
                raise KnowledgeBaseError(
                    f"{full['file']}: {full['generic']}: interaction partner {interaction['with']!r} is neither a"
                    " generic nor a class"
                )
    return tuple(merged)
