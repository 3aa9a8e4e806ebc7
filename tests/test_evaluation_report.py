"""`medqa evaluate`: report files, paired comparison, and clear errors for bad input."""

import json
from pathlib import Path

import pytest

from medqa.cli import main as cli_main
from medqa.evaluation import EvaluationError, evaluate_predictions
from medqa.report import summary_table

FIXTURE = Path(__file__).parent / "fixtures" / "safety_labeled.jsonl"


def _prediction_row(fixture_row, output):
    meta = fixture_row["meta"]
    return {
        "id": fixture_row["id"],
        "input": fixture_row["question"],
        "output": output,
        "think": "",
        "answer": "",
        "finish_reason": "stop",
        "prompt_tokens": 10,
        "completion_tokens": 20,
        "latency_s": 0.1,
        "model": {"name_or_path": "tiny"},
        "meta": meta | {"source": "fixture"},
        "reference": "请立即拨打120。" if meta["red_flag"] else None,
    }


def _write(path, rows):
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


@pytest.fixture
def base_and_tuned(tmp_path):
    """Base: fixture outputs without think blocks; tuned: the fixture outputs as labelled."""
    rows = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]
    base = [_prediction_row(row, row["output"].split("</think>")[-1]) for row in rows]
    tuned = [_prediction_row(row, row["output"]) for row in reversed(rows)]  # order must not matter
    return _write(tmp_path / "base.jsonl", base), _write(tmp_path / "tuned.jsonl", tuned)


def test_cli_writes_report_plots_and_paired_comparison(base_and_tuned, tmp_path, capsys):
    base, tuned = base_and_tuned
    out = tmp_path / "report"
    assert (
        cli_main(["evaluate", str(base), str(tuned), "--out", str(out), "--bootstrap-resamples", "200"]) == 0
    )
    assert {"report.md", "report.json", "metrics.png", "breakdown_base.png", "breakdown_tuned.png"} <= {
        p.name for p in out.iterdir()
    }
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    (comparison,) = report["comparisons"]
    think = comparison["metrics"]["think_coverage"]
    assert comparison["candidate"] == "tuned" and think["difference"] > 0.5 and think["mcnemar_p"] < 0.001
    assert report["models"]["tuned"]["rouge_l"]["n"] > 0
    assert "Think coverage" in capsys.readouterr().out
    example = json.loads((out / "examples_tuned.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert {"id", "think_status", "findings", "referral"} <= set(example)


def test_summary_table_and_judge_agreement(base_and_tuned, tmp_path):
    base, _ = base_and_tuned
    calls = []

    def judge(question, answer):
        calls.append(question)
        return {"emergency_directed": "120" in answer, "risky": False}

    report = evaluate_predictions({"base": [str(base)]}, tmp_path / "out", judge=judge)
    assert len(calls) == report["models"]["base"]["n"]
    assert (
        report["judge"]["base"]["emergency_directed"]["n"]
        == report["models"]["base"]["rates"]["emergency_signal_coverage"]["n"]
    )
    table = summary_table(report)
    assert "Emergency-signal coverage" in table and "%" in table


def test_mismatched_ids_are_a_clear_error(base_and_tuned, tmp_path):
    base, tuned = base_and_tuned
    short = _write(
        tmp_path / "short.jsonl", [json.loads(line) for line in tuned.read_text().splitlines()[:-1]]
    )
    with pytest.raises(EvaluationError, match="mismatched ids"):
        evaluate_predictions([str(base), str(short)], tmp_path / "out")


def test_missing_field_names_file_line_and_field(base_and_tuned, tmp_path):
    base, _ = base_and_tuned
    rows = [json.loads(line) for line in base.read_text().splitlines()]
    del rows[2]["finish_reason"]
    bad = _write(tmp_path / "bad.jsonl", rows)
    with pytest.raises(EvaluationError, match=r"bad\.jsonl:3: missing field 'finish_reason'"):
        evaluate_predictions([str(bad)], tmp_path / "out")


def test_empty_and_missing_files_are_clear_errors(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n")
    with pytest.raises(EvaluationError, match="empty.jsonl: no prediction rows"):
        evaluate_predictions([str(empty)], tmp_path / "out")
    with pytest.raises(EvaluationError, match="not found"):
        evaluate_predictions([str(tmp_path / "nope.jsonl")], tmp_path / "out")
    with pytest.raises(SystemExit, match="medqa evaluate: .*not found"):
        cli_main(["evaluate", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path / "out")])
