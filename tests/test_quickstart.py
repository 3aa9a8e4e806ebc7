"""A reduced quickstart, end to end in real processes: interrupted after training, then resumed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

REDUCED = ["--max-steps", "400", "--eval-limit", "8", "--max-new-tokens", "96"]


def quickstart(out, *extra, **popen):
    command = [sys.executable, "-m", "medqa.cli", "quickstart", "--out", str(out), *REDUCED, *extra]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **popen)


def wait_for_step(run_dir, step, process, timeout_s=600):
    state = run_dir / "steps.json"
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if state.exists() and step in json.loads(state.read_text(encoding="utf-8")):
            return
        if process.poll() is not None:
            pytest.fail(f"quickstart exited before '{step}' finished:\n{process.stdout.read()}")
        time.sleep(0.5)
    pytest.fail(f"'{step}' did not finish within {timeout_s}s")


@pytest.mark.slow
@pytest.mark.multiprocess
def test_quickstart_resumes_after_interruption_and_tunes_the_format(tmp_path):
    run_dir = tmp_path / "run"
    first = quickstart(run_dir, start_new_session=True)
    wait_for_step(run_dir, "train", first)
    os.killpg(first.pid, signal.SIGKILL)  # interrupt right after training, as a crash would
    first.wait()

    second = quickstart(run_dir)
    output, _ = second.communicate(timeout=600)
    assert second.returncode == 0, output
    for step in ("prepare", "tiny-model", "predict-base", "train"):
        assert f"{step}: up to date, skipped" in output, output
    assert "predict-tuned: done" in output and "evaluate: done" in output

    report_dir = run_dir / "report"
    assert (report_dir / "report.md").is_file() and list(report_dir.glob("*.png"))
    report = json.loads((report_dir / "report.json").read_text(encoding="utf-8"))
    base, tuned = (report["models"][name]["rates"]["think_coverage"]["rate"] for name in ("base", "tuned"))
    assert base == 0.0 and tuned > base, (base, tuned)
    assert report["comparisons"][0]["metrics"]["think_coverage"]["difference"] > 0
    state = json.loads((run_dir / "tuned" / "trainer_state.json").read_text(encoding="utf-8"))
    losses = [entry["loss"] for entry in state["log_history"] if "loss" in entry]
    assert losses[-1] < losses[0]
    assert "Think coverage per split" in output and "Training loss: first" in output
