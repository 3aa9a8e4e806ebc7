"""Where raw rows come from (Hub, ModelScope, local files, the bundled sample) and how their columns
map onto question / think / answer.

Every row is yielded with the file and line it came from, so a rejection can point at it; a line
that is not JSON is yielded as an error rather than stopping the load.
"""

from __future__ import annotations

import csv
import glob
import hashlib
import json
import os
import socket
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from medqa.resources import SAMPLE_CORPUS, resource_path
from medqa.schema import DEFAULT_DATASET

SOURCES = ("sample", "hub", "modelscope", "local")
LOCAL_FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".parquet": "parquet", ".csv": "csv"}

# Canonical field -> column of the source. A row needs question plus (think and answer) or output,
# or a `messages` conversation; `quality` and `meta` are optional.
CANONICAL_FIELDS = ("question", "think", "answer", "output", "messages", "quality", "meta")
SCHEMAS: dict[str, dict[str, str]] = {
    "raw": {"question": "question", "think": "think", "answer": "answer", "quality": "metrics.quality_f1"},
    "o1": {"question": "Question", "think": "Complex_CoT", "answer": "Response"},
    "seed": {"question": "input", "output": "output", "meta": "meta"},
    "messages": {"messages": "messages"},
}
SCHEMA_SAMPLE_ROWS = 200  # how many rows schema detection looks at


class SourceError(RuntimeError):
    """The input cannot be read at all (missing file, unknown format or schema, no network)."""


@dataclass(frozen=True)
class RawRecord:
    """One input row: `value` is the parsed object, or None when `error` says why it could not be."""

    file: str
    line: int
    value: Any
    error: str | None = None
    detail: str = ""


@dataclass(frozen=True)
class InputFile:
    """What the manifest records about one input: its name, content hash (or Hub revision) and size."""

    name: str
    sha256: str
    rows: int


def required_fields(mapping: Mapping[str, str]) -> tuple[str, ...]:
    if "messages" in mapping:
        return ("messages",)
    if "output" in mapping:
        return ("question", "output")
    return ("question", "think", "answer")


def parse_columns(spec: str | Mapping[str, str] | None) -> dict[str, str]:
    """`question=Q,think=CoT` (the --columns flag) or a mapping -> {canonical: column}."""
    if not spec:
        return {}
    pairs = spec.items() if isinstance(spec, Mapping) else (p.split("=", 1) for p in spec.split(",") if p)
    columns = {}
    for pair in pairs:
        if len(pair) != 2 or not pair[0].strip() or not pair[1].strip():
            raise SourceError(f"--columns: expected FIELD=COLUMN pairs, got {spec!r}")
        field, column = pair[0].strip(), pair[1].strip()
        if field not in CANONICAL_FIELDS:
            raise SourceError(f"--columns: unknown field {field!r}; fields are {', '.join(CANONICAL_FIELDS)}")
        columns[field] = column
    return columns


def column_value(row: Mapping[str, Any], column: str) -> Any:
    """`row[column]`, following dots into nested mappings (`metrics.quality_f1`); None when absent."""
    value: Any = row
    for part in column.split("."):
        if isinstance(value, str) and value.startswith("{"):  # nested JSON kept as text (csv)
            try:
                value = json.loads(value)
            except ValueError:
                return None
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def detect_schema(records: Iterable[RawRecord], columns: Mapping[str, str], where: str) -> tuple[str, dict]:
    """The schema whose columns the first rows carry best, with `columns` overriding its mapping.

    An override that names a complete set of fields is used on its own ("custom")."""
    if columns and all(f in columns for f in required_fields(columns)):
        return "custom", dict(columns)
    keys = [set(r.value) for r in records if isinstance(r.value, dict)][:SCHEMA_SAMPLE_ROWS]
    if not keys:  # not one object to go by: every row is rejected anyway, each with its own reason
        return "raw", {**SCHEMAS["raw"], **columns}
    scores = {}
    for name, mapping in SCHEMAS.items():
        needed = [mapping[f].split(".")[0] for f in required_fields(mapping)]
        scores[name] = sum(sum(c in k for c in needed) / len(needed) for k in keys)
    best = max(scores, key=lambda name: scores[name])
    if scores[best] == 0:
        seen = sorted(set().union(*keys))[:20]
        raise SourceError(
            f"{where}: unknown schema (columns seen: {', '.join(seen)}). Known schemas: "
            "instruction/question/think/answer, Question/Complex_CoT/Response, instruction/input/output, "
            "messages; map yours with --columns question=COL,think=COL,answer=COL"
        )
    return best, {**SCHEMAS[best], **columns}


def _read_jsonl(path: Path, name: str) -> Iterator[RawRecord]:
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                yield RawRecord(name, number, None, "non_text", f"not UTF-8 ({error.reason})")
                continue
            try:
                yield RawRecord(name, number, json.loads(text))
            except ValueError as error:
                yield RawRecord(name, number, None, "invalid_json", str(error))


def _read_json(path: Path, name: str) -> Iterator[RawRecord]:
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        if error.msg == "Extra data":  # JSON lines saved as .json
            yield from _read_jsonl(path, name)
            return
        raise SourceError(f"{name}: not valid JSON ({error})") from error
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list)]
        if len(lists) != 1:
            raise SourceError(f"{name}: expected a list of rows or an object holding one list of rows")
        data = lists[0]
    if not isinstance(data, list):
        raise SourceError(f"{name}: expected a list of rows, got {type(data).__name__}")
    for number, value in enumerate(data, start=1):
        yield RawRecord(name, number, value)


def _read_csv(path: Path, name: str) -> Iterator[RawRecord]:
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        line = reader.line_num + 1
        for row in reader:
            yield RawRecord(name, line, {k: v for k, v in row.items() if k is not None})
            line = reader.line_num + 1


def _read_parquet(path: Path, name: str) -> Iterator[RawRecord]:
    import pyarrow.parquet as pq

    number = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=4096):
        for value in batch.to_pylist():
            number += 1
            yield RawRecord(name, number, value)


_READERS = {"jsonl": _read_jsonl, "json": _read_json, "csv": _read_csv, "parquet": _read_parquet}


def expand_local(data: str | os.PathLike | Sequence[str | os.PathLike] | None) -> list[Path]:
    """Files named by paths, globs or directories, in a stable order; every one must exist."""
    if data is None:
        raise SourceError("--source local needs --data FILE (jsonl, json, parquet or csv; several or a glob)")
    items = [data] if isinstance(data, str | os.PathLike) else list(data)
    files: list[Path] = []
    for item in map(str, items):
        if glob.has_magic(item):
            matched = sorted(Path(p) for p in glob.glob(item, recursive=True) if Path(p).is_file())
            if not matched:
                raise SourceError(f"{item}: no file matches this pattern")
            files += matched
        elif Path(item).is_dir():
            files += sorted(p for p in Path(item).rglob("*") if p.suffix in LOCAL_FORMATS)
        elif Path(item).is_file():
            files.append(Path(item))
        else:
            raise SourceError(f"{item}: file not found")
    for path in files:
        if path.suffix.lower() not in LOCAL_FORMATS:
            raise SourceError(f"{path}: unsupported format; use one of {', '.join(sorted(LOCAL_FORMATS))}")
    return list(dict.fromkeys(files))


def read_local(path: Path, name: str | None = None) -> Iterator[RawRecord]:
    """Rows of one local file, reported under `name`; an unreadable file raises SourceError naming it."""
    name = name or str(path)
    try:
        yield from _READERS[LOCAL_FORMATS[path.suffix.lower()]](path, name)
    except SourceError:
        raise
    except (OSError, UnicodeDecodeError, csv.Error, ValueError) as error:
        raise SourceError(f"{name}: cannot read ({type(error).__name__}: {error})") from error


def _hub_reachable(timeout: float = 3.0) -> bool:
    host = urlparse(os.environ.get("HF_ENDPOINT", "https://huggingface.co")).hostname or "huggingface.co"
    try:
        socket.create_connection((host, 443), timeout=timeout).close()
    except OSError:
        return False
    return True


def _offline_hint(dataset_id: str, why: str) -> SourceError:
    return SourceError(
        f"cannot load {dataset_id!r} from the Hub ({why}). Offline alternatives: "
        "`medqa prepare --source local --data FILE` (jsonl/json/parquet/csv) or `medqa prepare --source sample`"
    )


def read_hub(dataset_id: str, split: str) -> Iterator[RawRecord]:
    """Rows of a Hub dataset split through `datasets.load_dataset`; fails fast when offline."""
    offline = os.environ.get("HF_HUB_OFFLINE", "0") not in ("0", "") or os.environ.get(
        "HF_DATASETS_OFFLINE", "0"
    ) not in ("0", "")
    if not offline and not _hub_reachable():
        raise _offline_hint(dataset_id, "no network")
    import datasets

    try:
        rows = datasets.load_dataset(dataset_id, split=split)
    except Exception as error:  # datasets raises many types for "not reachable / not cached"
        raise _offline_hint(dataset_id, f"{type(error).__name__}: {error}") from error
    name = f"hub:{dataset_id}"
    for number, value in enumerate(rows, start=1):
        yield RawRecord(name, number, value)


def read_modelscope(dataset_id: str, split: str) -> Iterator[RawRecord]:
    """Rows of a ModelScope dataset (the optional `modelscope` extra)."""
    try:
        from modelscope.msdatasets import MsDataset
    except ImportError as error:
        raise SourceError(
            "--source modelscope needs the ModelScope client: pip install 'medqa[modelscope]'"
        ) from error
    try:
        rows = MsDataset.load(dataset_id, split=split)
    except Exception as error:  # the client raises its own types for network and auth failures
        raise SourceError(f"cannot load {dataset_id!r} from ModelScope ({error})") from error
    name = f"modelscope:{dataset_id}"
    for number, value in enumerate(rows, start=1):
        yield RawRecord(name, number, dict(value))


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def rows_sha256(records: Iterable[RawRecord]) -> str:
    """Content hash of rows that did not come from a local file (Hub, ModelScope)."""
    digest = hashlib.sha256()
    for record in records:
        digest.update(json.dumps(record.value, sort_keys=True, ensure_ascii=False, default=str).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def load_records(source: str, data: Any, split: str = "train") -> tuple[list[RawRecord], list[InputFile]]:
    """All raw rows of a source, with a description of each input for the manifest."""
    if source not in SOURCES:
        raise SourceError(f"unknown source {source!r}; choose one of {', '.join(SOURCES)}")
    if source in ("hub", "modelscope"):
        dataset_id = str(data or DEFAULT_DATASET)
        reader = read_hub if source == "hub" else read_modelscope
        records = list(reader(dataset_id, split))
        return records, [InputFile(f"{source}:{dataset_id}:{split}", rows_sha256(records), len(records))]
    paths = [resource_path(SAMPLE_CORPUS)] if source == "sample" else expand_local(data)
    records, inputs = [], []
    for path in paths:
        name = f"sample:{path.name}" if source == "sample" else str(path)
        rows = list(read_local(path, name))
        records += rows
        inputs.append(InputFile(name, file_sha256(path), len(rows)))
    return records, inputs
