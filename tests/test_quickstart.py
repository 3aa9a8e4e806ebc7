"""A reduced quickstart, end to end in real processes: interrupted after training, then resumed."""

from __future__ import annotations

import io
import json
import os
import re
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
    trained = first.stdout.read()
    assert re.search(r"step 400/400 \(100%\)  loss \d+\.\d+  elapsed [\d:]+  ETA", trained), trained  # live

    # The kill lands within a poll of training's end; on an idle machine the next step may have finished
    # too. Whatever the first run recorded is skipped, everything else runs.
    recorded = json.loads((run_dir / "steps.json").read_text(encoding="utf-8"))
    assert "evaluate" not in recorded

    second = quickstart(run_dir)
    output, _ = second.communicate(timeout=600)
    assert second.returncode == 0, output
    for step in ("prepare", "tiny-model", "predict-base", "train"):
        assert f"{step}: up to date, skipped" in output, output
    predict_tuned = "up to date, skipped" if "predict-tuned" in recorded else "done"
    assert f"predict-tuned: {predict_tuned}" in output and "evaluate: done" in output, output

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


def test_training_progress_line_from_the_streamed_log():
    from medqa.quickstart import TrainingProgress

    log = (
        "Map: 100%|██████████| 171/171 [00:00<00:00, 2488.01 examples/s]\n"
        "Tokenizing train dataset:  26%|██▌       | 27/105 [00:00<00:00, 253.52 examples/s]\r"
        "  0%|          | 0/20 [00:00<?, ?it/s]\r  5%|▌         | 1/20 [00:01<00:19,  1.00s/it]\r"
        "{'loss': '7.642', 'grad_norm': '2.167', 'epoch': '0.07'}\n"
        + "".join(
            f" {5 * i}%|█         | {i}/20 [00:{i:02d}<00:{20 - i:02d},  1.00it/s]\r" for i in range(2, 21)
        )
        + "{'loss': '3.5', 'epoch': '1'}\n{'train_runtime': '20.1', 'train_loss': '5.1'}\n"
        + "  0%|          | 0/3 [00:00<?, ?it/s]\r100%|██████████| 3/3 [00:01<00:00, 2.0it/s]\n"  # an eval loop
    )
    printed = io.StringIO()
    progress = TrainingProgress(printed, interactive=False)
    for start in range(0, len(log), 7):  # chunks that cut lines anywhere
        progress.feed(log[start : start + 7])
    lines = printed.getvalue().splitlines()
    assert lines[0] == "    step 0/20 (0%)  loss …  elapsed 00:00  ETA ?"
    assert "    step 2/20 (10%)  loss 7.642  elapsed 00:02  ETA 00:18" in lines
    assert lines[-1] == "    step 20/20 (100%)  loss 7.642  elapsed 00:20  ETA 00:00"
    assert len(lines) == 11  # one line per tenth of the run, not one per update
    assert progress.loss == 3.5 and "train_runtime" not in printed.getvalue()

    terminal = io.StringIO()
    live = TrainingProgress(terminal, interactive=True)
    live.feed(log)
    live.close()
    assert terminal.getvalue().startswith("\r    step 0/20") and terminal.getvalue().endswith("\n")
