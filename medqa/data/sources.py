"""Where raw rows come from (Hub, ModelScope, local files, the bundled sample) and how their columns
map onto question / think / answer.

Every row is yielded with the file and line it came from, so a rejection can point at it; a line
that is not JSON is yielded as an error rather than stopping the load.
"""

from __future__ import annotations

import codecs
import csv
import glob
import hashlib
import io
import json
import os
import re
import socket
import stat
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
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
    schema: str = ""  # filled in by detect_schemas


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
            except (ValueError, RecursionError):
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


def detect_schemas(
    records: Sequence[RawRecord], inputs: Sequence[InputFile], columns: Mapping[str, str]
) -> tuple[list[InputFile], dict[str, dict[str, str]]]:
    """Each input's schema, detected on its own rows so files of different schemas mix: the inputs
    with `schema` filled in, and the column mapping of each input by name."""
    by_file: dict[str, list[RawRecord]] = {item.name: [] for item in inputs}
    for record in records:
        sample = by_file[record.file]
        if len(sample) < SCHEMA_SAMPLE_ROWS and isinstance(record.value, dict):
            sample.append(record)
    detected, mappings = [], {}
    for item in inputs:
        schema, mappings[item.name] = detect_schema(by_file[item.name], columns, item.name)
        detected.append(replace(item, schema=schema))
    return detected, mappings


# Byte-order marks, longest first (the UTF-32 LE mark begins with the UTF-16 LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SNIFF_BYTES = 4096


def sniff_encoding(head: bytes) -> tuple[str, int]:
    """(encoding, length of its byte-order mark) of a file starting with `head`.

    A mark decides. Without one, NUL bytes tell UTF-16 (UTF-8 text has none): its ASCII characters
    (JSON punctuation, CSV commas, newlines) put a NUL in every odd byte (little-endian) or every
    even byte (big-endian). Anything else is read as UTF-8."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding, len(bom)
    even_nul, odd_nul = head[0::2].count(0), head[1::2].count(0)
    if odd_nul >= 4 and odd_nul > 4 * even_nul:
        return "utf-16-le", 0
    if even_nul >= 4 and even_nul > 4 * odd_nul:
        return "utf-16-be", 0
    return "utf-8", 0


def _decode(path: Path, name: str) -> str:
    """The whole file as text in its sniffed encoding; bytes that do not decode fail naming the line."""
    data = path.read_bytes()
    encoding, bom = sniff_encoding(data[:_SNIFF_BYTES])
    try:
        return data[bom:].decode(encoding)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, bom + error.start) + 1
        raise SourceError(
            f"{name}: line {line}: not valid {encoding.upper()} ({error.reason}); save the file as UTF-8"
        ) from None


def _parse_line(name: str, number: int, text: str) -> RawRecord:
    try:
        return RawRecord(name, number, json.loads(text))
    except RecursionError:
        return RawRecord(name, number, None, "invalid_json", "nested too deeply to parse")
    except ValueError as error:
        return RawRecord(name, number, None, "invalid_json", str(error))


def _first_character(path: Path) -> tuple[str, str, int]:
    """(encoding, first non-blank character or "", BOM length) of a file, from its first bytes."""
    with open(path, "rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    encoding, bom = sniff_encoding(head)
    text = head[bom:].decode(encoding, errors="ignore").lstrip()
    return encoding, text[:1], bom


def _reads_as(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _is_json_lines(text: str) -> bool:
    """Whether `text` holds more than one line and its first line is a whole JSON value."""
    first, _, rest = text.lstrip().partition("\n")
    if not rest.strip():
        return False
    try:
        json.loads(first)
    except (ValueError, RecursionError):
        return False
    return True


def _read_jsonl(path: Path, name: str) -> Iterator[RawRecord]:
    """JSON lines; a file that is one JSON array (pretty-printed or not) is read as such."""
    encoding, first, bom = _first_character(path)
    if first == "[" or encoding != "utf-8":
        text = _decode(path, name)
        if first == "[" and not _is_json_lines(text):
            yield from _json_document(text, name)
            return
        for number, line in enumerate(text.split("\n"), start=1):
            if line.strip():
                yield _parse_line(name, number, line)
        return
    # UTF-8 line by line, so one undecodable line is one rejection rather than a refused file; a file
    # in a Chinese legacy encoding (its first bytes read as GB18030 but not as UTF-8) is refused whole.
    with open(path, "rb") as handle:
        head = handle.read(_SNIFF_BYTES)[bom:]
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # The sample may end inside a character: try it whole and cut back by one more byte.
        if error.start < len(head) - 4 and any(
            _reads_as(head[: len(head) - cut], "gb18030") for cut in (0, 1)
        ):
            line = head.count(b"\n", 0, error.start) + 1
            raise SourceError(
                f"{name}: line {line}: not valid UTF-8 ({error.reason}; it reads as GBK/GB18030); "
                "save the file as UTF-8"
            ) from None
    with open(path, "rb") as handle:
        handle.seek(bom)
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                yield RawRecord(name, number, None, "non_text", f"not UTF-8 ({error.reason})")
                continue
            yield _parse_line(name, number, line)


_DECODER = json.JSONDecoder()
_BLANK = re.compile(r"[ \t\n\r]*")


class _Lines:
    """Line numbers of positions in a text, for positions visited in increasing order."""

    def __init__(self, text: str):
        self.text, self.position, self.line = text, 0, 1

    def at(self, position: int) -> int:
        self.line += self.text.count("\n", self.position, position)
        self.position = position
        return self.line


def _skip_value(text: str, start: int) -> int:
    """End of the JSON array or object at `start`, found by bracket counting (for values too deep
    for the parser); the end of the text when the brackets never close."""
    depth, position, in_string = 0, start, False
    brackets = re.compile(r'["\\\[\]{}]')
    while True:
        match = brackets.search(text, position)
        if match is None:
            return len(text)
        char, position = match.group(), match.end()
        if in_string:
            if char == "\\":
                position += 1
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth == 0:
                return position


def _syntax_error(name: str, lines: _Lines, position: int, message: str) -> SourceError:
    return SourceError(f"{name}: line {lines.at(position)}: not valid JSON ({message})")


def _array_rows(text: str, start: int, name: str, lines: _Lines) -> tuple[list[RawRecord], int]:
    """Rows of the JSON array starting at `start` (each numbered by the line it starts on), and its end.

    A value nested too deeply to parse becomes a rejection of its own; broken syntax fails the file."""
    rows: list[RawRecord] = []
    position = _BLANK.match(text, start + 1).end()
    if text.startswith("]", position):
        return rows, position + 1
    while True:
        line = lines.at(position)
        try:
            value, position = _DECODER.raw_decode(text, position)
            rows.append(RawRecord(name, line, value))
        except RecursionError:
            position = _skip_value(text, position)
            rows.append(RawRecord(name, line, None, "invalid_json", "nested too deeply to parse"))
        except json.JSONDecodeError as error:
            raise _syntax_error(name, lines, error.pos, error.msg) from None
        position = _BLANK.match(text, position).end()
        if text.startswith(",", position):
            position = _BLANK.match(text, position + 1).end()
        elif text.startswith("]", position):
            return rows, position + 1
        else:
            raise _syntax_error(name, lines, position, "expected ',' or ']' after a row")


def _object_lists(text: str, start: int, name: str, lines: _Lines) -> tuple[list[list[RawRecord]], int]:
    """The arrays held by the JSON object at `start` (as rows), and the object's end."""
    lists: list[list[RawRecord]] = []
    position = _BLANK.match(text, start + 1).end()
    if text.startswith("}", position):
        return lists, position + 1
    while True:
        try:
            key, position = _DECODER.raw_decode(text, position)
            if not isinstance(key, str):
                raise json.JSONDecodeError("expected a key", text, position)
            position = _BLANK.match(text, position).end()
            if not text.startswith(":", position):
                raise json.JSONDecodeError("expected ':'", text, position)
            position = _BLANK.match(text, position + 1).end()
            if text.startswith("[", position):
                rows, position = _array_rows(text, position, name, lines)
                lists.append(rows)
            else:
                _, position = _DECODER.raw_decode(text, position)
        except RecursionError:
            raise SourceError(f"{name}: line {lines.at(position)}: nested too deeply to parse") from None
        except json.JSONDecodeError as error:
            raise _syntax_error(name, lines, error.pos, error.msg) from None
        position = _BLANK.match(text, position).end()
        if text.startswith(",", position):
            position = _BLANK.match(text, position + 1).end()
        elif text.startswith("}", position):
            return lists, position + 1
        else:
            raise _syntax_error(name, lines, position, "expected ',' or '}'")


def _json_document(text: str, name: str) -> Iterator[RawRecord]:
    """Rows of a JSON document: a list of rows, or an object holding exactly one list of rows. An
    object followed by more objects is JSON lines saved under another name."""
    lines = _Lines(text)
    start = _BLANK.match(text).end()
    if text.startswith("[", start):
        rows, end = _array_rows(text, start, name, lines)
    elif text.startswith("{", start):
        lists, end = _object_lists(text, start, name, lines)
        if _BLANK.match(text, end).end() < len(text):  # more after the first object: JSON lines
            for number, line in enumerate(text.split("\n"), start=1):
                if line.strip():
                    yield _parse_line(name, number, line)
            return
        if len(lists) != 1:
            raise SourceError(f"{name}: expected a list of rows or an object holding one list of rows")
        rows = lists[0]
    else:
        try:
            value = json.loads(text)
        except ValueError as error:
            raise SourceError(f"{name}: not valid JSON ({error})") from None
        raise SourceError(f"{name}: expected a list of rows, got {type(value).__name__}")
    if _BLANK.match(text, end).end() < len(text):
        raise _syntax_error(name, lines, _BLANK.match(text, end).end(), "extra data after the list of rows")
    yield from rows


def _read_json(path: Path, name: str) -> Iterator[RawRecord]:
    yield from _json_document(_decode(path, name), name)


def _read_csv(path: Path, name: str) -> Iterator[RawRecord]:
    """CSV with a header line; each row numbered by the line it starts on. Quoting is strict, so an
    unterminated quote fails the file at its line instead of swallowing the rows after it."""
    # A field may hold a whole answer; the default 128 KiB cap would refuse the file instead.
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))
    reader = csv.reader(io.StringIO(_decode(path, name), newline=""), strict=True)
    header: list[str] | None = None
    while True:
        start = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise SourceError(
                f"{name}: line {start}: malformed CSV ({error}); is a quote left unterminated?"
            ) from None
        if not fields:
            continue
        if header is None:
            header = fields
            continue
        if len(fields) != len(header):
            yield RawRecord(
                name, start, None, "malformed_row", f"{len(fields)} fields, the header has {len(header)}"
            )
            continue
        yield RawRecord(name, start, dict(zip(header, fields, strict=True)))


def _read_parquet(path: Path, name: str) -> Iterator[RawRecord]:
    import pyarrow.parquet as pq

    number = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=4096):
        for value in batch.to_pylist():
            number += 1
            yield RawRecord(name, number, value)


_READERS = {"jsonl": _read_jsonl, "json": _read_json, "csv": _read_csv, "parquet": _read_parquet}


def _format(path: Path) -> str | None:
    return LOCAL_FORMATS.get(path.suffix.lower())


def _kind(path: Path) -> str:
    """What a path that exists but is no regular file is, for the error message."""
    mode = path.stat().st_mode
    for test, kind in (
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return kind
    return "not a regular file"


def expand_local(data: str | os.PathLike | Sequence[str | os.PathLike] | None) -> list[Path]:
    """Files named by paths, globs or directories, in a stable order; every one must exist.

    Extensions match in any case (`B.JSONL`); a directory contributes its files in the known formats."""
    if data is None:
        raise SourceError("--source local needs --data FILE (jsonl, json, parquet or csv; several or a glob)")
    items = [data] if isinstance(data, str | os.PathLike) else list(data)
    files: list[Path] = []
    for item in map(str, items):
        path = Path(item)
        if glob.has_magic(item):
            matched = sorted(Path(p) for p in glob.glob(item, recursive=True) if Path(p).is_file())
            if not matched:
                raise SourceError(f"{item}: no file matches this pattern")
            files += matched
        elif path.is_dir():
            found = sorted(p for p in path.rglob("*") if _format(p) and p.is_file())
            if not found:
                raise SourceError(f"{item}: no {', '.join(sorted(LOCAL_FORMATS))} file in this directory")
            files += found
        elif path.is_file():
            files.append(path)
        elif path.exists():
            raise SourceError(f"{item}: {_kind(path)}, not a data file")
        else:
            raise SourceError(f"{item}: file not found")
    for path in files:
        if _format(path) is None:
            raise SourceError(f"{path}: unsupported format; use one of {', '.join(sorted(LOCAL_FORMATS))}")
    return list(dict.fromkeys(files))


def read_local(path: Path, name: str | None = None) -> Iterator[RawRecord]:
    """Rows of one local file, reported under `name`; an unreadable file raises SourceError naming it."""
    name = name or display_name(path)
    try:
        yield from _READERS[_format(path)](path, name)
    except SourceError:
        raise
    except (OSError, UnicodeDecodeError, csv.Error, ValueError, RecursionError) as error:
        raise SourceError(f"{name}: cannot read ({type(error).__name__}: {error})") from error


def display_name(path: Path) -> str:
    """The path as text that can be written out: undecodable bytes in a file name become U+FFFD."""
    return os.fsencode(path).decode("utf-8", errors="replace")


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
        name = f"sample:{path.name}" if source == "sample" else display_name(path)
        rows = list(read_local(path, name))
        records += rows
        inputs.append(InputFile(name, file_sha256(path), len(rows)))
    return records, inputs
