"""`medqa prepare`: load -> validate -> de-identify -> annotate -> dedupe -> split -> write.

Every input row ends as kept, duplicate (naming the kept id) or rejected (with file, line and
reason), and `input = kept + duplicates + rejected` is checked before anything is written. The
output is built in a temporary folder beside `--out` and swapped in at the end, so an interrupted
run leaves the previous output as it was. The same input and seed give byte-identical files.
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import json
import math
import os
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from tqdm.auto import tqdm

from medqa import __version__
from medqa.data.annotate import annotate
from medqa.data.cards import render_card
from medqa.data.dedupe import dedupe_key, find_duplicates, stable_id
from medqa.data.grpo_prompts import GRPO_FIELDS, grpo_prompts
from medqa.data.deidentify import PII_TYPES, deidentify
from medqa.data.sources import (
    SOURCES,
    RawRecord,
    SourceError,
    detect_schemas,
    load_records,
    parse_columns,
)
from medqa.data.split import SPLIT_NAMES, select_gold, stratified_split
from medqa.data.validate import REASONS, Candidate, Limits, RowError, estimate_tokens, extract
from medqa.formatting import conversation, join_think, row_to_messages
from medqa.hub import HubError
from medqa.jsonl import iter_jsonl
from medqa.resources import RED_TEAM, resource_path
from medqa.schema import (
    DEFAULT_DATASET,
    SYSTEM_PROMPT,
    SchemaError,
    validate_processed_row,
    validate_red_team_row,
)

OUTPUT_SPLITS = (*SPLIT_NAMES, "gold", "red_team", "grpo")


class PrepareError(RuntimeError):
    """The run cannot produce an output (e.g. --strict and a row was rejected)."""


@dataclass(frozen=True)
class PrepareConfig:
    """Every option of a run; recorded in the manifest (without `out`, so outputs compare across folders)."""

    source: str = "hub"  # the real dataset; quickstart and tests pass "sample"
    data: str | list[str] | None = None
    out: str = "data/processed"
    seed: int = 42
    columns: dict[str, str] = field(default_factory=dict)
    split: str = "train"
    system_prompt: str = SYSTEM_PROMPT
    ratios: tuple[float, float, float] = (0.8, 0.1, 0.1)
    gold_size: int = 200
    near_dup_threshold: float = 0.6
    num_perm: int = 128
    ngram: int = 3
    min_field_tokens: int = Limits.min_field_tokens
    max_tokens: int = Limits.max_tokens
    tokenizer: str | None = None
    deidentify: bool = True
    strict: bool = False
    red_team: str | None = None
    license: str = "apache-2.0"


@dataclass(frozen=True)
class PrepareResult:
    out: Path
    counts: dict[str, Any]
    manifest: dict[str, Any]
    published: Any = None  # medqa.hub.PublishResult when pushed or staged


def _stage(items: Iterable, description: str, total: int, progress: bool):
    return tqdm(items, desc=f"prepare: {description}", total=total, disable=not progress, unit="row")


def _token_counter(tokenizer: str | None) -> Callable[[str], int]:
    if tokenizer is None:
        return estimate_tokens
    from transformers import AutoTokenizer

    loaded = AutoTokenizer.from_pretrained(tokenizer)
    return lambda text: len(loaded(text, add_special_tokens=False)["input_ids"])


def _rejection(file: str, line: int, error: RowError) -> dict[str, Any]:
    return {"file": file, "line": line, "reason": error.reason, "detail": error.detail}


def _processed_row(
    candidate: Candidate, key: str, config: PrepareConfig, source_name: str | None
) -> dict[str, Any]:
    notes = annotate(candidate.question, candidate.think, candidate.answer, candidate.quality)
    row = {
        "id": stable_id(key),
        "instruction": config.system_prompt,
        "input": candidate.question,
        "output": join_think(candidate.think, candidate.answer),
        "meta": {
            "source": str(
                candidate.upstream_meta.get("source") or source_name or f"local:{Path(candidate.file).name}"
            ),
            "language": notes.language,
            "risk_level": notes.risk_level,
            "specialty": notes.specialty,
            "complexity": notes.complexity,
            "lang_style": notes.lang_style,
            "red_flag": notes.red_flag,
            "is_deidentified": config.deidentify,
            "quality": notes.quality,
        },
    }
    row["messages"] = row_to_messages(row)
    return row


def load_red_team(path: str | None = None) -> list[dict[str, Any]]:
    """The red-team prompts, each checked against the schema; a bad line fails naming the file and line."""
    path = Path(path) if path else resource_path(RED_TEAM)
    rows = []
    for where, row in iter_jsonl(path, SchemaError):
        validate_red_team_row(row, where)
        meta = dict(row["meta"])
        rows.append(
            {"id": row["id"], "input": row["input"], "meta": meta, "messages": conversation(row["input"])}
        )
    ids = Counter(row["id"] for row in rows)
    if repeated := [row_id for row_id, n in ids.items() if n > 1]:
        raise SchemaError(f"{path}: repeated red-team ids {repeated[:5]}")
    return rows


def _write_jsonl(path: Path, rows: Iterable[Mapping[str, Any]], fields: Sequence[str] | None = None) -> str:
    """Write rows (only `fields` when given) and return the file's SHA-256."""
    digest = hashlib.sha256()
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        for row in rows:
            line = json.dumps({k: row[k] for k in fields} if fields else row, ensure_ascii=False) + "\n"
            handle.write(line)
            digest.update(line.encode("utf-8"))
    return digest.hexdigest()


def _swap_into_place(staging: Path, out: Path) -> None:
    """Replace `out` with `staging` by two renames; a leftover backup from a crash is restored first."""
    backup = out.with_name(f".{out.name}.previous")
    if backup.exists() and not out.exists():
        backup.rename(out)
    if backup.exists():
        shutil.rmtree(backup)
    if out.exists():
        out.rename(backup)
    staging.rename(out)
    if backup.exists():
        shutil.rmtree(backup)


def _source_name(config: PrepareConfig) -> str | None:
    """`meta.source` for every row of a run; None for local files, where each row names its file."""
    if config.source in ("hub", "modelscope"):
        return f"{config.source}:{config.data or DEFAULT_DATASET}"
    return "sample" if config.source == "sample" else None


@dataclass
class Outcome:
    """What became of every input row: kept rows, duplicates, rejections, and the counts over them."""

    kept: list[dict[str, Any]]
    duplicates: list[dict[str, Any]]
    rejected: list[dict[str, Any]]
    pii_counts: Counter[str]
    counts: dict[str, Any]


def process(
    records: Sequence[RawRecord],
    mappings: Mapping[str, Mapping[str, str]],
    config: PrepareConfig,
    progress: bool = False,
) -> Outcome:
    """Validate, de-identify, annotate and dedupe `records`, each read with the column mapping of its
    file (`mappings[record.file]`); never raises for a bad row."""
    limits = Limits(config.min_field_tokens, config.max_tokens)
    count_tokens = _token_counter(config.tokenizer)
    candidates: list[Candidate] = []
    rejected: list[dict[str, Any]] = []
    for record in _stage(records, "validate", len(records), progress):
        try:
            candidates.append(extract(record, mappings[record.file], limits, count_tokens))
        except RowError as error:
            rejected.append(_rejection(record.file, record.line, error))

    pii_counts: Counter[str] = Counter()
    if config.deidentify:
        for candidate in _stage(candidates, "de-identify", len(candidates), progress):
            for name in ("question", "think", "answer"):
                text, found = deidentify(getattr(candidate, name))
                if found:
                    setattr(candidate, name, text)
                    pii_counts.update(found)

    source_name = _source_name(config)
    keys = [dedupe_key(c.question) for c in candidates]
    rows = [
        _processed_row(c, key, config, source_name)
        for c, key in _stage(zip(candidates, keys, strict=True), "annotate", len(candidates), progress)
    ]
    duplicates = find_duplicates(
        keys,
        [row["meta"]["quality"] for row in rows],
        config.near_dup_threshold,
        config.num_perm,
        config.ngram,
    )
    duplicate_rows = [
        {
            "file": candidates[d.index].file,
            "line": candidates[d.index].line,
            "id": rows[d.index]["id"],
            "duplicate_of": rows[d.kept]["id"],
            "kind": d.kind,
            "similarity": d.similarity,
        }
        for d in duplicates
    ]
    dropped = {d.index for d in duplicates}
    kept = [row for index, row in enumerate(rows) if index not in dropped]
    counts = {
        "input": len(records),
        "kept": len(kept),
        "duplicates": {"total": len(duplicate_rows), **Counter(d["kind"] for d in duplicate_rows)},
        "rejected": {
            "total": len(rejected),
            "by_reason": {r: n for r in REASONS if (n := sum(x["reason"] == r for x in rejected))},
        },
    }
    if counts["input"] != counts["kept"] + len(duplicate_rows) + len(rejected):
        raise PrepareError(f"row accounting is broken: {counts}")  # a bug, never bad input
    return Outcome(kept, duplicate_rows, rejected, pii_counts, counts)


def split_rows(kept: Sequence[dict[str, Any]], config: PrepareConfig) -> dict[str, list[dict[str, Any]]]:
    """train/dev/test (stratified), gold (best of dev+test) and red_team, each sorted by id."""
    assignment = stratified_split(
        {row["id"]: (row["meta"]["specialty"], row["meta"]["risk_level"]) for row in kept},
        config.ratios,
        config.seed,
    )
    splits = {
        name: sorted((r for r in kept if assignment[r["id"]] == name), key=lambda r: r["id"])
        for name in SPLIT_NAMES
    }
    by_id = {row["id"]: row for row in kept}
    held_out = [(row["id"], row["meta"]["quality"]) for name in ("dev", "test") for row in splits[name]]
    splits["gold"] = [by_id[row_id] for row_id in select_gold(held_out, config.gold_size)]
    splits["red_team"] = load_red_team(config.red_team)
    splits["grpo"] = grpo_prompts(splits, config.near_dup_threshold, config.num_perm, config.ngram)
    for name in ("train", "dev", "test", "gold"):
        for row in splits[name]:
            validate_processed_row(row, f"{name} row {row['id']}")
    return splits


def identity(counts: Mapping[str, Any]) -> str:
    """`input N = kept K + duplicates D + rejected R`, the line every run prints."""
    return (
        f"input {counts['input']} = kept {counts['kept']} + duplicates {counts['duplicates']['total']} "
        f"+ rejected {counts['rejected']['total']}"
    )


def _nothing_kept(outcome: Outcome) -> PrepareError:
    counts = outcome.counts
    reasons = sorted(counts["rejected"]["by_reason"].items(), key=lambda item: -item[1])[:3]
    examples = "; ".join(
        f"{r['file']}:{r['line']}: {r['reason']} ({r['detail']})" for r in outcome.rejected[:3]
    )
    why = ", ".join(f"{reason}={n}" for reason, n in reasons)
    return PrepareError(
        f"no row kept: {identity(counts)}"
        + (f"; top rejection reasons: {why}; first: {examples}" if reasons else "")
    )


def _check_splits(splits: Mapping[str, list[dict[str, Any]]], config: PrepareConfig, kept: int) -> None:
    """An empty split cannot be saved as a loadable DatasetDict (and train/predict would fail on it)."""
    for name in splits:
        if splits[name]:
            continue
        if name in SPLIT_NAMES and config.ratios[SPLIT_NAMES.index(name)] == 0:
            why = f"its ratio in --ratios {' '.join(map(str, config.ratios))} is 0"
        elif name in SPLIT_NAMES:
            needed = math.ceil(1 / min(r for r in config.ratios if r > 0) - 1e-9)
            why = (
                f"only {kept} row(s) kept; --ratios {' '.join(map(str, config.ratios))} need about "
                f"{needed} rows to give every split one"
            )
        elif name == "gold":
            why = (
                "--gold-size is 0" if config.gold_size <= 0 else "dev + test hold fewer than 2 rows"
            )
        elif name == "red_team":
            why = "the red-team file has no rows"
        else:
            why = "no row was assigned to it"
        raise PrepareError(f"split '{name}' would be empty: {why}; nothing was written")


def clean_stale_staging(out: Path) -> list[Path]:
    """Remove staging folders that earlier runs for `out` left behind when killed (`.NAME.tmp-PID-*`
    whose process is gone, or older unnamed ones over an hour old); return what was removed."""
    removed = []
    for folder in out.parent.glob(f".{glob.escape(out.name)}.tmp-*"):
        owner = re.match(r"(\d+)-", folder.name[len(f".{out.name}.tmp-") :])
        try:
            if owner:
                os.kill(int(owner.group(1)), 0)
                continue  # that run is still going
            if time.time() - folder.lstat().st_mtime < 3600:
                continue
        except ProcessLookupError:
            pass
        except (PermissionError, OSError):
            continue  # a live process of another user, or the folder vanished
        if folder.is_dir() and not folder.is_symlink():
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def run(config: PrepareConfig, progress: bool = True) -> PrepareResult:
    """The whole pipeline for one configuration (see the module docstring).

    Nothing is written, and an earlier output stays as it was, when no row is kept or a split
    would be empty."""
    records, inputs = load_records(config.source, config.data, config.split)
    if not records:
        raise SourceError(f"no rows in {', '.join(i.name for i in inputs) or config.data}")
    inputs, mappings = detect_schemas(records, inputs, config.columns)
    schema = inputs[0].schema if len({i.schema for i in inputs}) == 1 else "mixed"
    outcome = process(records, mappings, config, progress)
    del records
    if config.strict and outcome.rejected:
        shown = "; ".join(
            f"{r['file']}:{r['line']}: {r['reason']} ({r['detail']})" for r in outcome.rejected[:5]
        )
        raise PrepareError(f"--strict: {len(outcome.rejected)} row(s) rejected: {shown}")
    if not outcome.kept:
        raise _nothing_kept(outcome)
    splits = split_rows(outcome.kept, config)
    _check_splits(splits, config, len(outcome.kept))

    out = Path(config.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    clean_stale_staging(out)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-{os.getpid()}-", dir=out.parent))
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)  # mkdtemp makes it private; the output should not be
    try:
        manifest = _write_output(staging, config, schema, inputs, outcome, splits)
        _swap_into_place(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    counts = {**outcome.counts, "splits": {name: len(rows) for name, rows in splits.items()}}
    return PrepareResult(out, counts, manifest)


def _dataset_dict(splits: Mapping[str, list[dict[str, Any]]], fingerprints: Mapping[str, str]):
    import datasets

    message = {"role": datasets.Value("string"), "content": datasets.Value("string")}
    processed = datasets.Features(
        {
            "id": datasets.Value("string"),
            "instruction": datasets.Value("string"),
            "input": datasets.Value("string"),
            "output": datasets.Value("string"),
            "meta": {
                "source": datasets.Value("string"),
                "language": datasets.Value("string"),
                "risk_level": datasets.Value("string"),
                "specialty": datasets.Value("string"),
                "complexity": datasets.Value("string"),
                "lang_style": datasets.Value("string"),
                "red_flag": datasets.Value("bool"),
                "is_deidentified": datasets.Value("bool"),
                "quality": datasets.Value("float64"),
            },
            "messages": datasets.List(message),
        }
    )
    red_team = datasets.Features(
        {
            "id": datasets.Value("string"),
            "input": datasets.Value("string"),
            "meta": {
                "category": datasets.Value("string"),
                "language": datasets.Value("string"),
                "risk_level": datasets.Value("string"),
                "red_flag": datasets.Value("bool"),
                "expected": datasets.List(datasets.Value("string")),
            },
            "messages": datasets.List(message),
        }
    )
    features = {
        "red_team": red_team,
        "grpo": datasets.Features({**red_team, "reference": datasets.Value("string")}),
    }
    return datasets.DatasetDict(
        {
            name: _dataset(rows, features.get(name, processed), fingerprints[name])
            for name, rows in splits.items()
        }
    )


def _dataset(rows: list[dict[str, Any]], features, fingerprint: str):
    """Rows straight to Arrow (Dataset.from_list encodes row by row, ~10x slower at 100k rows); the
    fingerprint is the split's content hash, so saved files do not depend on anything random."""
    import datasets
    import pyarrow as pa

    meta_fields = list(features["meta"])
    table = pa.Table.from_pylist(
        [{**row, "meta": {m: row["meta"].get(m) for m in meta_fields}} for row in rows],
        schema=features.arrow_schema,
    )
    return datasets.Dataset(
        datasets.table.InMemoryTable(table),
        info=datasets.DatasetInfo(features=features),
        fingerprint=fingerprint,
    )


def _write_output(
    folder: Path,
    config: PrepareConfig,
    schema: str,
    inputs: Sequence[Any],
    outcome: Outcome,
    splits: Mapping[str, list[dict[str, Any]]],
) -> dict[str, Any]:
    """Write the DatasetDict, one jsonl per split, the audit files, the manifest and the card."""
    import datasets

    (folder / "jsonl").mkdir()
    split_info = {}
    for name, rows in splits.items():
        fields = {"red_team": ("id", "input", "meta"), "grpo": GRPO_FIELDS}.get(
            name, ("id", "instruction", "input", "output", "meta")
        )
        split_info[name] = {
            "rows": len(rows),
            "sha256": _write_jsonl(folder / "jsonl" / f"{name}.jsonl", rows, fields),
        }
    datasets.disable_progress_bars()
    _dataset_dict(splits, {name: info["sha256"][:16] for name, info in split_info.items()}).save_to_disk(
        str(folder)
    )
    _write_jsonl(folder / "rejected.jsonl", outcome.rejected)
    _write_jsonl(folder / "duplicates.jsonl", outcome.duplicates)
    counts, pii_counts = outcome.counts, outcome.pii_counts
    settings = asdict(config)
    settings.pop("out")
    manifest = {
        "medqa_version": __version__,
        "config": settings,
        "schema": schema,
        "inputs": [asdict(item) for item in inputs],
        "counts": counts,
        "identity": identity(counts),
        "deidentification": {t: pii_counts[t] for t in PII_TYPES if pii_counts[t]},
        "splits": split_info,
    }
    (folder / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    _write_card(
        folder / "README.md",
        manifest,
        {n: [r["meta"] for r in rows] for n, rows in splits.items()},
        "{}/data-*.arrow",
        config.license,
    )
    return manifest


def _write_card(
    path: Path, manifest: dict[str, Any], metas: Mapping[str, list[dict]], file_pattern: str, license_id: str
) -> None:
    """The dataset card for splits whose files are `file_pattern.format(split)`."""
    mix = {
        name: Counter((m["specialty"], m["risk_level"]) for m in split)
        for name, split in metas.items()
        if name not in ("red_team", "grpo")
    }
    languages = sorted({m["language"] for split in metas.values() for m in split} - {"mixed"}) or ["zh"]
    data_files = {
        "default": {name: file_pattern.format(name) for name in ("train", "dev", "test", "gold")},
        # Splits whose columns differ from the default config's get a config of their own.
        **{name: {name: file_pattern.format(name)} for name in ("red_team", "grpo") if name in metas},
    }
    path.write_text(render_card(manifest, mix, data_files, license_id, languages), encoding="utf-8")


def _stage_hub_folder(out: Path, target: Path, license_id: str) -> Path:
    """The folder a push uploads: one parquet file per split plus the card pointing at them."""
    import datasets

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    dataset = datasets.load_from_disk(str(out))
    shutil.rmtree(target, ignore_errors=True)
    (target / "data").mkdir(parents=True)
    for name, split in dataset.items():
        split.to_parquet(str(target / "data" / f"{name}-00000-of-00001.parquet"))
    metas = {name: dataset[name]["meta"] for name in dataset}
    _write_card(target / "README.md", manifest, metas, "data/{}-*.parquet", license_id)
    return target


def publish(
    out: str | Path,
    repo_id: str,
    private: bool = False,
    dry_run: bool = False,
    license_id: str = "apache-2.0",
):
    """Push a prepared folder to a Hub dataset repo, or with `dry_run` stage exactly what would be pushed."""
    from medqa.hub import publish_folder

    out = Path(out)
    staged = Path(f"{out}.hub-staged")
    with tempfile.TemporaryDirectory(dir=out.parent) as scratch:
        folder = _stage_hub_folder(out, Path(scratch) / "hub", license_id)
        return publish_folder(
            folder, repo_id, "dataset", private=private, dry_run=dry_run, staging_dir=staged
        )


def prepare(
    source: str = "hub",
    data: str | os.PathLike | Sequence[str | os.PathLike] | None = None,
    out: str | os.PathLike = "data/processed",
    seed: int = 42,
    *,
    columns: str | Mapping[str, str] | None = None,
    push_to_hub: str | None = None,
    private: bool = False,
    dry_run: bool = False,
    progress: bool = True,
    **options: Any,
) -> PrepareResult:
    """Prepare a dataset for SFT; `options` are the other fields of PrepareConfig (ratios, gold_size, …)."""
    if data is not None and not isinstance(data, str):
        data = [str(item) for item in data] if isinstance(data, list | tuple) else str(data)
    if "ratios" in options:
        options["ratios"] = tuple(options["ratios"])
    config = PrepareConfig(
        source=source, data=data, out=str(out), seed=seed, columns=parse_columns(columns), **options
    )
    result = run(config, progress=progress)
    if push_to_hub:
        published = publish(
            result.out, push_to_hub, private=private, dry_run=dry_run, license_id=config.license
        )
        result = PrepareResult(result.out, result.counts, result.manifest, published)
    return result


def add_arguments(parser: argparse.ArgumentParser) -> None:
    defaults = PrepareConfig()
    parser.add_argument("--source", choices=SOURCES, default=defaults.source, help="where the rows come from")
    parser.add_argument(
        "--data",
        nargs="+",
        help="Hub/ModelScope dataset id, or local files/globs/folders (jsonl, json, parquet, csv)",
    )
    parser.add_argument("--out", default=defaults.out, help="output folder (replaced atomically)")
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument(
        "--columns",
        help="override the column mapping: question=COL,think=COL,answer=COL (or output=, messages=)",
    )
    parser.add_argument("--split", default=defaults.split, help="split to read from a Hub/ModelScope dataset")
    parser.add_argument(
        "--system-prompt", default=defaults.system_prompt, help="the `instruction` of every row"
    )
    parser.add_argument(
        "--ratios", type=float, nargs=3, default=defaults.ratios, metavar=("TRAIN", "DEV", "TEST")
    )
    parser.add_argument(
        "--gold-size",
        type=int,
        default=defaults.gold_size,
        help="rows in the gold set (at most half of dev+test)",
    )
    parser.add_argument(
        "--near-dup-threshold",
        type=float,
        default=defaults.near_dup_threshold,
        help="MinHash Jaccard threshold",
    )
    parser.add_argument("--num-perm", type=int, default=defaults.num_perm, help="MinHash permutations")
    parser.add_argument(
        "--ngram", type=int, default=defaults.ngram, help="character n-gram size for near-duplicates"
    )
    parser.add_argument("--min-field-tokens", type=int, default=defaults.min_field_tokens)
    parser.add_argument(
        "--max-tokens", type=int, default=defaults.max_tokens, help="longest row (question+think+answer)"
    )
    parser.add_argument(
        "--tokenizer", help="count tokens with this tokenizer instead of the built-in estimate"
    )
    parser.add_argument(
        "--no-deidentify", dest="deidentify", action="store_false", help="keep identifiers as they are"
    )
    parser.add_argument("--strict", action="store_true", help="fail if any row is rejected")
    parser.add_argument("--red-team", help="red-team jsonl to ship instead of the bundled one")
    parser.add_argument("--license", default=defaults.license, help="licence id for the dataset card")
    parser.add_argument(
        "--push-to-hub", metavar="REPO", help="push the DatasetDict and card to this Hub dataset repo"
    )
    parser.add_argument("--private", action="store_true", help="create the Hub repo as private")
    parser.add_argument(
        "--dry-run", action="store_true", help="with --push-to-hub: stage the upload locally only"
    )
    parser.add_argument("--no-progress", dest="progress", action="store_false", help="hide progress bars")


def main(args: argparse.Namespace) -> int:
    data = args.data[0] if args.data and len(args.data) == 1 else args.data
    options = {
        name: getattr(args, name)
        for name in (
            "split",
            "system_prompt",
            "ratios",
            "gold_size",
            "near_dup_threshold",
            "num_perm",
            "ngram",
            "min_field_tokens",
            "max_tokens",
            "tokenizer",
            "deidentify",
            "strict",
            "red_team",
            "license",
        )
    }
    try:
        result = prepare(
            args.source,
            data,
            args.out,
            args.seed,
            columns=args.columns,
            push_to_hub=args.push_to_hub,
            private=args.private,
            dry_run=args.dry_run,
            progress=args.progress,
            **options,
        )
    except (SourceError, SchemaError, PrepareError, HubError, ValueError, OSError) as error:
        print(f"medqa prepare: error: {error}", file=sys.stderr)
        return 1
    counts = result.counts
    print(result.manifest["identity"])
    if counts["rejected"]["by_reason"]:
        print(
            "rejected by reason: " + ", ".join(f"{k}={v}" for k, v in counts["rejected"]["by_reason"].items())
        )
    print("splits: " + ", ".join(f"{name}={n}" for name, n in counts["splits"].items()))
    print(f"wrote {result.out}")
    return 0
