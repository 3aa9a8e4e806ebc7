"""The resumable step runner: skips by content hash, not by file existence."""

from __future__ import annotations

import pytest

from medqa.steps import Pipeline, Step, StepFailed


def make_steps(tmp_path, calls):
    source, middle, final = tmp_path / "source.txt", tmp_path / "middle.txt", tmp_path / "final.txt"

    def first():
        calls.append("first")
        middle.write_text(source.read_text().upper())

    def second():
        calls.append("second")
        final.write_text(middle.read_text() + "!")

    return [
        Step("first", first, inputs=[source], outputs=[middle]),
        Step("second", second, inputs=[middle], outputs=[final]),
    ]


def test_rerun_skips_completed_steps(tmp_path):
    (tmp_path / "source.txt").write_text("hello")
    calls = []
    assert Pipeline(tmp_path, "rerun").run(make_steps(tmp_path, calls)) == {"first": "ran", "second": "ran"}
    assert Pipeline(tmp_path, "rerun").run(make_steps(tmp_path, calls)) == {
        "first": "skipped",
        "second": "skipped",
    }
    assert calls == ["first", "second"]


def test_changed_output_or_input_reruns_only_what_depends_on_it(tmp_path):
    (tmp_path / "source.txt").write_text("hello")
    calls = []
    Pipeline(tmp_path, "rerun").run(make_steps(tmp_path, calls))
    (tmp_path / "final.txt").write_text("tampered")  # same name, other content: not up to date
    assert Pipeline(tmp_path, "rerun").run(make_steps(tmp_path, calls)) == {
        "first": "skipped",
        "second": "ran",
    }
    (tmp_path / "source.txt").write_text("changed")
    assert Pipeline(tmp_path, "rerun").run(make_steps(tmp_path, calls)) == {"first": "ran", "second": "ran"}
    assert (tmp_path / "final.txt").read_text() == "CHANGED!"


def test_failure_names_the_step_and_the_rerun_command(tmp_path):
    def broken():
        raise OSError("disk full")

    with pytest.raises(StepFailed, match=r"(?s)step 'broken' failed: disk full.*rerun `medqa quickstart`"):
        Pipeline(tmp_path, "medqa quickstart").run([Step("broken", broken, outputs=[tmp_path / "x"])])
    assert "broken" not in Pipeline(tmp_path, "medqa quickstart").state


def test_dataset_caches_written_beside_an_output_do_not_make_it_new(tmp_path):
    dataset = tmp_path / "dataset"

    def write_dataset():
        dataset.mkdir(exist_ok=True)
        (dataset / "data-00000-of-00001.arrow").write_bytes(b"rows")

    steps = [Step("prepare", write_dataset, outputs=[dataset])]
    Pipeline(tmp_path, "rerun").run(steps)
    (dataset / "cache-0123abcd.arrow").write_bytes(b"derived")  # as datasets' .map() leaves them
    assert Pipeline(tmp_path, "rerun").run(steps) == {"prepare": "skipped"}
    (dataset / "extra.arrow").write_bytes(b"not a cache")
    assert Pipeline(tmp_path, "rerun").run(steps) == {"prepare": "ran"}


def test_a_step_records_the_cpu_time_of_the_subprocesses_it_waits_for(tmp_path):
    import json
    import subprocess
    import sys

    out = tmp_path / "out.txt"

    def busy():  # a child burning ~0.3 s of CPU, as the quickstart's training launch does
        subprocess.run([sys.executable, "-c", "sum(i * i for i in range(6_000_000))"], check=True)
        out.write_text("done")

    Pipeline(tmp_path, "rerun").run([Step("busy", busy, outputs=[out])])
    record = json.loads((tmp_path / "steps.json").read_text(encoding="utf-8"))["busy"]
    assert record["cpu_seconds"] >= 0.1 and record["seconds"] >= 0.1
