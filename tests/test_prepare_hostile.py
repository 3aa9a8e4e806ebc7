"""`medqa prepare` on careless or hostile input: nothing silently lost, nothing good overwritten.

Every file is built here in tmp_path; each test names the defect it guards against."""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from medqa.cli import main as cli_main
from medqa.data import prepare
from medqa.data.prepare import PrepareError
from medqa.data.sources import SourceError, expand_local, load_records, read_local
from medqa.resources import SAMPLE_CORPUS, resource_path


def _rows(count: int, start: int = 0) -> list[dict]:
    lines = resource_path(SAMPLE_CORPUS).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines[start : start + count]]


def _jsonl(rows: list[dict]) -> str:
    return "\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\n"


def _csv(rows: list[dict]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=["question", "think", "answer"])
    writer.writeheader()
    writer.writerows({k: row[k] for k in ("question", "think", "answer")} for row in rows)
    return buffer.getvalue()


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _adds_up(counts: dict) -> bool:
    return counts["input"] == counts["kept"] + counts["duplicates"]["total"] + counts["rejected"]["total"]


@pytest.fixture(scope="module")
def previous(tmp_path_factory) -> Path:
    """A good earlier output that a failing run must leave byte for byte."""
    out = tmp_path_factory.mktemp("previous") / "processed"
    prepare("sample", out=out, progress=False)
    return out


def test_nothing_kept_exits_non_zero_with_reasons_and_keeps_the_previous_output(previous, tmp_path, capsys):
    before = _files(previous)
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n" * 6 + '{"question": "x"}\n' * 4, encoding="utf-8")
    code = cli_main(
        ["prepare", "--source", "local", "--data", str(bad), "--out", str(previous), "--no-progress"]
    )
    error = capsys.readouterr().err
    assert code == 1
    assert "no row kept: input 10 = kept 0 + duplicates 0 + rejected 10" in error
    assert "invalid_json=6" in error and "missing_field=4" in error and "bad.jsonl:1" in error
    assert _files(previous) == before
    assert sorted(p.name for p in previous.parent.iterdir()) == ["processed"]


@pytest.mark.parametrize("count", [1, 3, 5])
def test_small_inputs_fail_naming_the_empty_split(previous, tmp_path, count):
    before = _files(previous)
    data = tmp_path / "few.jsonl"
    data.write_text(_jsonl(_rows(count)), encoding="utf-8")
    with pytest.raises(PrepareError, match=r"split '(dev|test|gold)' would be empty: only \d+ row\(s\) kept"):
        prepare("local", str(data), previous, progress=False)
    assert _files(previous) == before


def test_enough_rows_for_every_split_load_from_disk(tmp_path):
    import datasets

    data = tmp_path / "twelve.jsonl"
    data.write_text(_jsonl(_rows(12)), encoding="utf-8")
    result = prepare("local", str(data), tmp_path / "out", progress=False)
    loaded = datasets.load_from_disk(str(result.out))
    assert all(len(loaded[name]) > 0 for name in ("train", "dev", "test", "gold", "red_team"))


def test_utf8_bom_keeps_the_first_row(tmp_path):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(codecs.BOM_UTF8 + _jsonl(_rows(3)).encode("utf-8"))
    records = list(read_local(path))
    assert [r.error for r in records] == [None, None, None]
    assert records[0].value == _rows(1)[0]


def test_excel_csv_with_bom_is_read(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(codecs.BOM_UTF8 + _csv(_rows(3)).replace("\n", "\r\n").encode("utf-8"))
    records = list(read_local(path))
    assert [set(r.value) for r in records] == [{"question", "think", "answer"}] * 3
    assert records[0].value["question"] == _rows(1)[0]["question"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
@pytest.mark.parametrize("kind", ["jsonl", "csv"])
def test_utf16_and_utf32_files_are_decoded(tmp_path, encoding, kind):
    # "utf-16"/"utf-32" write a byte-order mark; the -le/-be variants write none, as some tools do.
    path = tmp_path / f"wide.{kind}"
    rows = _rows(3)
    path.write_bytes((_jsonl(rows) if kind == "jsonl" else _csv(rows)).encode(encoding))
    records = list(read_local(path))
    assert [r.error for r in records] == [None] * 3
    assert [r.value["question"] for r in records] == [row["question"] for row in rows]


def test_text_in_another_encoding_is_refused_naming_file_and_line(tmp_path):
    path = tmp_path / "gbk.csv"
    text = _csv(_rows(2)) + "头痛怎么办,想一想,多休息\n"
    path.write_bytes(
        text.encode("utf-8")[: len(_csv(_rows(2)).encode("utf-8"))]
        + "头痛怎么办,想一想,多休息\n".encode("gbk")
    )
    with pytest.raises(SourceError, match=r"gbk\.csv: line 4: not valid UTF-8.*save the file as UTF-8"):
        list(read_local(path))


def test_a_jsonl_in_another_encoding_is_refused_not_rejected_row_by_row(tmp_path):
    path = tmp_path / "gbk.jsonl"
    path.write_bytes(_jsonl(_rows(3)).encode("gbk"))
    with pytest.raises(SourceError, match=r"gbk\.jsonl: line \d+: not valid UTF-8.*save the file as UTF-8"):
        list(read_local(path))
    mostly_good = tmp_path / "one_bad_line.jsonl"  # one broken line in a UTF-8 file is one rejection
    mostly_good.write_bytes(_jsonl(_rows(2)).encode("utf-8") + b'{"question": "\xff\xfe"}\n')
    assert [r.error for r in read_local(mostly_good)] == [None, None, "non_text"]


def test_a_json_array_named_jsonl_is_read_with_its_own_line_numbers(tmp_path):
    rows = _rows(3)
    pretty = tmp_path / "pretty.jsonl"
    pretty.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")
    records = list(read_local(pretty))
    assert [r.value for r in records] == rows
    text_lines = pretty.read_text(encoding="utf-8").split("\n")
    assert [text_lines[r.line - 1] for r in records] == ["  {"] * 3  # each row's own first line
    one_line = tmp_path / "one_line.jsonl"
    one_line.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    assert [r.value for r in read_local(one_line)] == rows
    lines_of_arrays = tmp_path / "arrays.jsonl"  # JSON lines whose first line is an array stay JSON lines
    lines_of_arrays.write_text('[1, 2]\n{"question": "x"}\n', encoding="utf-8")
    assert [(r.line, r.value) for r in read_local(lines_of_arrays)] == [(1, [1, 2]), (2, {"question": "x"})]


def test_rows_of_a_json_file_are_numbered_by_line(tmp_path):
    rows = _rows(2)
    path = tmp_path / "wrapped.json"
    path.write_text(json.dumps({"version": 1, "data": rows}, ensure_ascii=False, indent=1), encoding="utf-8")
    lines = path.read_text(encoding="utf-8").split("\n")
    records = list(read_local(path))
    assert [r.value for r in records] == rows
    assert [lines[r.line - 1].strip() for r in records] == ["{", "{"] and records[1].line > records[
        0
    ].line + 5


def test_files_of_different_schemas_mix(tmp_path):
    raw, o1 = _rows(15), _rows(15, start=15)
    (tmp_path / "raw.jsonl").write_text(_jsonl(raw), encoding="utf-8")
    (tmp_path / "o1.jsonl").write_text(
        _jsonl([{"Question": r["question"], "Complex_CoT": r["think"], "Response": r["answer"]} for r in o1]),
        encoding="utf-8",
    )
    result = prepare(
        "local", [str(tmp_path / "raw.jsonl"), str(tmp_path / "o1.jsonl")], tmp_path / "out", progress=False
    )
    counts = result.counts
    assert counts["rejected"]["total"] == 0 and _adds_up(counts)
    assert result.manifest["schema"] == "mixed"
    assert [(Path(i["name"]).name, i["schema"]) for i in result.manifest["inputs"]] == [
        ("raw.jsonl", "raw"),
        ("o1.jsonl", "o1"),
    ]
    assert "(o1 schema," in (result.out / "README.md").read_text(encoding="utf-8")


def test_extensions_match_in_any_case_in_a_directory(tmp_path):
    for name in ("a.jsonl", "B.JSONL", "c.Csv", "notes.txt"):
        (tmp_path / name).write_text("", encoding="utf-8")
    assert [p.name for p in expand_local(str(tmp_path))] == ["B.JSONL", "a.jsonl", "c.Csv"]


def test_an_unterminated_csv_quote_fails_at_its_line(tmp_path):
    rows = _rows(4)
    lines = _csv(rows).splitlines()
    lines[2] = '"' + lines[2]  # row 2 of the data (line 3) opens a quote it never closes
    path = tmp_path / "quote.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"quote\.csv: line 3: malformed CSV"):
        list(read_local(path))


def test_csv_rows_carry_the_files_own_line_numbers(tmp_path):
    path = tmp_path / "lines.csv"
    path.write_text(
        "question,think,answer\n"
        "头痛三天了怎么办,想一想原因,多休息多喝水\n"  # line 2
        '"发烧\n咳嗽",想一想原因,多休息\n'  # lines 3-4: a quoted field over two lines
        "\n"  # line 5: blank
        ",想一想原因,多休息\n"  # line 6: empty question
        "只有两列,没有答案\n",  # line 7: a field short
        encoding="utf-8",
    )
    records = list(read_local(path))
    assert [r.line for r in records] == [2, 3, 6, 7]
    assert records[3].error == "malformed_row" and "2 fields" in records[3].detail


def test_deep_nesting_and_lone_surrogates_are_rejections_with_file_and_line(tmp_path):
    good = _rows(20)
    deep = "[" * 200_000 + "]" * 200_000
    # ensure_ascii writes the lone surrogate as the escape "\\ud800": valid JSON, invalid text
    surrogate = json.dumps({**_rows(1, start=40)[0], "question": "头痛\ud800怎么办"})
    lines = [json.dumps(r, ensure_ascii=False) for r in good]
    lines.insert(3, '{"question": ' + deep + "}")  # line 4
    lines.insert(7, surrogate)  # line 8
    (tmp_path / "hostile.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    array = [*good[:2], "DEEP"]
    (tmp_path / "hostile.json").write_text(
        json.dumps(array, ensure_ascii=False, indent=1).replace('"DEEP"', deep), encoding="utf-8"
    )
    result = prepare("local", str(tmp_path / "hostile.*"), tmp_path / "out", progress=False)
    assert _adds_up(result.counts)
    rejected = [json.loads(line) for line in (result.out / "rejected.jsonl").read_text("utf-8").splitlines()]
    where = {(Path(r["file"]).name, r["line"], r["reason"]) for r in rejected}
    array_lines = (tmp_path / "hostile.json").read_text("utf-8").split("\n")
    array_deep_line = next(n for n, line in enumerate(array_lines, 1) if line.lstrip().startswith("[["))
    assert where == {
        ("hostile.jsonl", 4, "invalid_json"),
        ("hostile.jsonl", 8, "non_text"),
        ("hostile.json", array_deep_line, "invalid_json"),
    }


def test_non_regular_files_are_named_for_what_they_are(tmp_path):
    with pytest.raises(SourceError, match=r"/dev/null: a character device, not a data file"):
        load_records("local", "/dev/null")
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    with pytest.raises(SourceError, match=r"pipe\.jsonl: a named pipe, not a data file"):
        load_records("local", str(fifo))


def test_stale_staging_folders_are_cleaned(tmp_path):
    finished = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead_pid = int(finished.stdout)
    legacy = tmp_path / ".out.tmp-k2j3h4"  # an older run's name, without a pid
    dead = tmp_path / f".out.tmp-{dead_pid}-abc"
    live = tmp_path / f".out.tmp-{os.getpid()}-xyz"  # a run still going (this process)
    recent = tmp_path / ".out.tmp-new"  # unnamed but young: maybe another run just started
    other = tmp_path / ".other.tmp-1-abc"  # another output's staging
    for folder in (legacy, dead, live, recent, other):
        (folder / "jsonl").mkdir(parents=True)
        (folder / "jsonl" / "train.jsonl").write_text("{}\n")
    hour_ago = time.time() - 7200
    os.utime(legacy, (hour_ago, hour_ago))
    prepare("sample", out=tmp_path / "out", progress=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["out", live.name, recent.name, other.name])


def test_near_duplicate_lookups_stay_bounded_on_templated_questions(monkeypatch):
    """Form-like questions share most n-grams, so LSH buckets fill with unrelated rows; before the cap,
    each row was compared with every kept row of its buckets (1.27 M comparisons on 5k rows)."""
    import random

    from datasketch import MinHashLSH

    from medqa.data import dedupe

    rng = random.Random(0)
    alphabet = "头痛发烧咳嗽胸闷腹泻恶心乏力失眠皮疹耳鸣心慌气短水肿口干便秘咽痛鼻塞"
    questions = [
        f"医生您好，我今年{rng.randint(1, 90)}岁，最近{rng.randint(1, 30)}天一直{rng.choice(alphabet)}"
        f"{rng.choice(alphabet)}，吃了药也没有好转，请问需要做什么检查？补充："
        + "".join(rng.choices(alphabet, k=rng.randint(4, 10)))
        for _ in range(3000)
    ]
    copies = {}  # near-duplicate position -> original position
    for original in rng.sample(range(len(questions)), 60):
        copies[len(questions)] = original
        questions.append("医生您好，" + questions[original])
    compared: list[int] = []
    real = dedupe._similarities
    monkeypatch.setattr(
        dedupe,
        "_similarities",
        lambda kept, slots, signature: compared.append(len(slots)) or real(kept, slots, signature),
    )
    keys = [dedupe.dedupe_key(q) for q in questions]
    found = dedupe.find_duplicates(keys, [0.5] * len(keys))
    bands = MinHashLSH(threshold=0.6, num_perm=128, weights=(0.2, 0.8)).b
    assert max(compared) <= bands * dedupe.BUCKET_CAP
    marked = {d.index for d in found}
    assert sum(copy in marked or original in marked for copy, original in copies.items()) >= 0.95 * len(
        copies
    )
