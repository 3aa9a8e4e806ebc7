"""`medqa prepare` end to end on the bundled sample, the shared upstream rows and small crafted inputs."""

from __future__ import annotations

import csv
import json
from itertools import combinations
from pathlib import Path

import pytest

from medqa.cli import main as cli_main
from medqa.data import prepare
from medqa.data.dedupe import dedupe_key, shingles
from medqa.data.prepare import PrepareError
from medqa.data.sources import SourceError
from medqa.formatting import row_to_messages, split_think
from medqa.resources import SAMPLE_CORPUS, SAMPLE_MALFORMED, resource_path
from medqa.schema import validate_processed_row, validate_red_team_row

SPLITS = ("train", "dev", "test", "gold", "red_team")


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def all_files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample") / "processed"
    return prepare("sample", out=out, progress=False)


def test_python_api_is_the_function_even_after_the_cli_loads_the_module():
    import importlib

    importlib.import_module("medqa.data.prepare")
    from medqa.data import prepare as api

    assert callable(api) and api.__name__ == "prepare"


def test_sample_counts_add_up(sample_run):
    counts = sample_run.counts
    manifest = json.loads((sample_run.out / "manifest.json").read_text(encoding="utf-8"))
    assert counts["input"] == counts["kept"] + counts["duplicates"]["total"] + counts["rejected"]["total"]
    assert manifest["counts"]["input"] == len(read_jsonl(resource_path(SAMPLE_CORPUS)))
    kept = sum(counts["splits"][name] for name in ("train", "dev", "test"))
    assert kept == counts["kept"]
    assert len(read_jsonl(sample_run.out / "duplicates.jsonl")) == counts["duplicates"]["total"]
    assert len(read_jsonl(sample_run.out / "rejected.jsonl")) == counts["rejected"]["total"]


def test_sample_duplicates_match_the_labels(sample_run):
    labels = read_jsonl(Path(__file__).parent / "fixtures" / "sample_labels.jsonl")
    labelled = {row["line"] for row in labels if row["duplicate_of"]}
    found = {row["line"] for row in read_jsonl(sample_run.out / "duplicates.jsonl")}
    assert labelled <= found


def test_outputs_follow_the_shared_shapes(sample_run):
    import datasets

    dataset = datasets.load_from_disk(str(sample_run.out))
    assert tuple(dataset) == SPLITS
    for name in ("train", "dev", "test", "gold"):
        rows = read_jsonl(sample_run.out / "jsonl" / f"{name}.jsonl")
        assert len(rows) == dataset[name].num_rows
        for row, stored in zip(rows, dataset[name], strict=True):
            validate_processed_row(row)
            assert row["id"].startswith("mq-") and len(row["id"]) == 19
            assert split_think(row["output"]).well_formed
            assert stored["messages"] == row_to_messages(row)
            assert row["meta"]["is_deidentified"] is True
    for row in dataset["red_team"]:
        validate_red_team_row(row)
        assert [m["role"] for m in row["messages"]] == ["system", "user"]
    assert len(dataset["red_team"]) >= 88


def test_gold_is_held_out(sample_run):
    ids = {
        name: {row["id"] for row in read_jsonl(sample_run.out / "jsonl" / f"{name}.jsonl")} for name in SPLITS
    }
    assert ids["gold"] and ids["gold"] <= ids["dev"] | ids["test"]
    assert not ids["gold"] & ids["train"]
    assert not ids["train"] & ids["dev"] and not ids["train"] & ids["test"] and not ids["dev"] & ids["test"]


def _jaccard(a: str, b: str) -> float:
    first, second = set(shingles(a, 3)), set(shingles(b, 3))
    return len(first & second) / len(first | second)


def test_no_near_duplicate_pair_straddles_splits(sample_run):
    keyed = [
        (name, dedupe_key(row["input"]))
        for name in ("train", "dev", "test")
        for row in read_jsonl(sample_run.out / "jsonl" / f"{name}.jsonl")
    ]
    straddling = [
        (a, b)
        for (split_a, a), (split_b, b) in combinations(keyed, 2)
        if split_a != split_b and _jaccard(a, b) >= 0.6
    ]
    assert not straddling


def test_stratification_keeps_each_stratum_proportional(sample_run):
    from collections import Counter

    rows = {name: read_jsonl(sample_run.out / "jsonl" / f"{name}.jsonl") for name in ("train", "dev", "test")}
    whole = Counter(
        (r["meta"]["specialty"], r["meta"]["risk_level"]) for split in rows.values() for r in split
    )
    ratios = {"train": 0.8, "dev": 0.1, "test": 0.1}
    for name, split in rows.items():
        mix = Counter((r["meta"]["specialty"], r["meta"]["risk_level"]) for r in split)
        for stratum, total in whole.items():
            if total >= 10:  # unpooled strata get their share to within two rows
                assert abs(mix[stratum] - ratios[name] * total) <= 2, (name, stratum)
        # specialty mix of every split within 10 points of the whole
        for specialty in {s for s, _ in whole}:
            share = sum(n for (s, _), n in mix.items() if s == specialty) / len(split)
            overall = sum(n for (s, _), n in whole.items() if s == specialty) / sum(whole.values())
            assert abs(share - overall) <= 0.10, (name, specialty)


def test_same_input_and_seed_give_identical_files(sample_run, tmp_path):
    again = prepare("sample", out=tmp_path / "again", progress=False)
    assert all_files(again.out) == all_files(sample_run.out)
    other_seed = prepare("sample", out=tmp_path / "seed7", seed=7, progress=False)
    assert (
        other_seed.manifest["splits"]["train"]["sha256"] != sample_run.manifest["splits"]["train"]["sha256"]
    )


def test_shared_upstream_sample(shared_sample, tmp_path):
    result = prepare("local", str(shared_sample), tmp_path / "out", progress=False)
    counts = result.counts
    assert result.manifest["schema"] == "raw"
    assert counts["input"] == 121
    assert counts["input"] == counts["kept"] + counts["duplicates"]["total"] + counts["rejected"]["total"]
    assert counts["kept"] >= 115
    train = read_jsonl(result.out / "jsonl" / "train.jsonl")
    assert all(row["meta"]["language"] == "zh" for row in train)
    assert all(0 <= row["meta"]["quality"] <= 1 for row in train)


def test_malformed_rows_are_rejected_with_their_reason(tmp_path):
    expected = json.loads(resource_path("sample/malformed_expected.json").read_text(encoding="utf-8"))
    files = [str(resource_path(SAMPLE_MALFORMED)), str(resource_path(SAMPLE_CORPUS))]
    result = prepare("local", files, tmp_path / "out", progress=False)
    rejected = {
        str(r["line"]): r["reason"]
        for r in read_jsonl(result.out / "rejected.jsonl")
        if r["file"].endswith("malformed.jsonl")
    }
    assert rejected == expected
    assert all(
        r["file"].endswith("malformed.jsonl") and r["detail"]
        for r in read_jsonl(result.out / "rejected.jsonl")
    )


def test_strict_makes_a_rejection_fatal(tmp_path):
    with pytest.raises(PrepareError, match="malformed.jsonl:1: invalid_json"):
        prepare("local", str(resource_path(SAMPLE_MALFORMED)), tmp_path / "out", strict=True, progress=False)
    assert not (tmp_path / "out").exists()


def _upstream_rows(count: int = 30) -> list[dict]:
    return read_jsonl(resource_path(SAMPLE_CORPUS))[:count]


def test_every_schema_and_file_format(tmp_path):
    rows = _upstream_rows()
    formats = {
        "o1.jsonl": [
            {"Question": r["question"], "Complex_CoT": r["think"], "Response": r["answer"]} for r in rows
        ],
        "seed.json": [
            {
                "instruction": "x",
                "input": r["question"],
                "output": f"<think>{r['think']}</think>{r['answer']}",
            }
            for r in rows
        ],
        "messages.jsonl": [
            {
                "messages": [
                    {"role": "user", "content": r["question"]},
                    {"role": "assistant", "content": f"<think>\n{r['think']}\n</think>\n\n{r['answer']}"},
                ]
            }
            for r in rows
        ],
    }
    (tmp_path / "o1.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in formats["o1.jsonl"])
    )
    (tmp_path / "seed.json").write_text(json.dumps(formats["seed.json"], ensure_ascii=False))
    (tmp_path / "messages.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in formats["messages.jsonl"])
    )
    with open(tmp_path / "raw.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["question", "think", "answer"])
        writer.writeheader()
        writer.writerows({k: r[k] for k in ("question", "think", "answer")} for r in rows)
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(
        pa.Table.from_pylist([{k: r[k] for k in ("question", "think", "answer")} for r in rows]),
        tmp_path / "raw.parquet",
    )

    expected_schema = {
        "o1.jsonl": "o1",
        "seed.json": "seed",
        "messages.jsonl": "messages",
        "raw.csv": "raw",
        "raw.parquet": "raw",
    }
    reference = None
    for name, schema in expected_schema.items():
        result = prepare("local", str(tmp_path / name), tmp_path / f"out-{name}", progress=False)
        assert result.manifest["schema"] == schema
        ids = sorted(
            r["id"]
            for split in ("train", "dev", "test")
            for r in read_jsonl(result.out / "jsonl" / f"{split}.jsonl")
        )
        assert len(ids) == result.counts["kept"] > 0
        reference = reference or ids
        assert ids == reference, name

    # several files through a glob, counted per file in the manifest
    both = prepare("local", str(tmp_path / "raw.*"), tmp_path / "out-glob", progress=False)
    assert [item["rows"] for item in both.manifest["inputs"]] == [len(rows), len(rows)]
    assert both.counts["duplicates"]["total"] >= len(rows) - 1


def test_columns_override(tmp_path):
    rows = [{"q": r["question"], "cot": r["think"], "a": r["answer"]} for r in _upstream_rows(10)]
    path = tmp_path / "custom.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows))
    with pytest.raises(SourceError, match="unknown schema.*--columns"):
        prepare("local", str(path), tmp_path / "out", progress=False)
    result = prepare(
        "local", str(path), tmp_path / "out", columns="question=q,think=cot,answer=a", progress=False
    )
    assert result.manifest["schema"] == "custom" and result.counts["kept"] == 10


def test_unreadable_inputs_fail_with_the_file_named(tmp_path):
    with pytest.raises(SourceError, match="missing.jsonl: file not found"):
        prepare("local", str(tmp_path / "missing.jsonl"), tmp_path / "out", progress=False)
    with pytest.raises(SourceError, match="no file matches"):
        prepare("local", str(tmp_path / "*.parquet"), tmp_path / "out", progress=False)
    (tmp_path / "rows.txt").write_text("hello")
    with pytest.raises(SourceError, match="rows.txt: unsupported format"):
        prepare("local", str(tmp_path / "rows.txt"), tmp_path / "out", progress=False)
    (tmp_path / "broken.parquet").write_bytes(b"not parquet")
    with pytest.raises(SourceError, match="broken.parquet: cannot read"):
        prepare("local", str(tmp_path / "broken.parquet"), tmp_path / "out", progress=False)


def test_hub_fails_fast_offline_naming_the_alternatives(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(SourceError, match=r"--source local --data FILE.*--source sample"):
        prepare("hub", "krisfu/delicate_medical_r1_data", tmp_path / "out", progress=False)


def test_default_source_is_the_upstream_hub_dataset(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(SourceError, match="krisfu/delicate_medical_r1_data"):
        prepare(out=tmp_path / "out", progress=False)


def test_modelscope_without_the_extra(tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "modelscope", None)  # as if the extra were not installed
    with pytest.raises(SourceError, match=r"pip install 'medqa\[modelscope\]'"):
        prepare("modelscope", "some/dataset", tmp_path / "out", progress=False)


def test_interrupted_run_leaves_previous_output(sample_run, tmp_path, monkeypatch):
    import importlib

    module = importlib.import_module("medqa.data.prepare")  # `import … as` would give the function

    out = tmp_path / "out"
    prepare("sample", out=out, progress=False)
    before = all_files(out)

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(module, "_dataset_dict", crash)
    with pytest.raises(KeyboardInterrupt):
        prepare("sample", out=out, seed=3, progress=False)
    assert all_files(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_dry_run_push_stages_the_upload(sample_run, tmp_path, capsys):
    import shutil

    out = tmp_path / "processed"
    shutil.copytree(sample_run.out, out)
    from medqa.data.prepare import publish

    published = publish(out, "someone/medqa-data", dry_run=True)
    staged = published.staged_at
    assert published.url is None and staged.is_dir()
    assert {f"data/{s}-00000-of-00001.parquet" for s in SPLITS} | {"README.md"} == set(published.files)
    card = (staged / "README.md").read_text(encoding="utf-8")
    assert card.startswith("---\n") and "data/train-*.parquet" in card and "Disclaimer" in card
    assert "[dry-run]" in capsys.readouterr().out


def test_cli(tmp_path, capsys):
    assert cli_main(["prepare", "--source", "sample", "--out", str(tmp_path / "out"), "--no-progress"]) == 0
    printed = capsys.readouterr().out
    assert "input " in printed and " = kept " in printed and "splits: train=" in printed
    assert (
        cli_main(
            [
                "prepare",
                "--source",
                "local",
                "--data",
                str(tmp_path / "nope.jsonl"),
                "--out",
                str(tmp_path / "x"),
            ]
        )
        == 1
    )
    assert "nope.jsonl: file not found" in capsys.readouterr().err
