"""What `medqa push-space` and `medqa push-metric` stage runs for a stranger: each Space is installed into
a clean virtualenv from its own requirements.txt (plus gradio at the card's `sdk_version`, as the Space
builder does), with no medqa installed and none importable, and then used the way people use it.

Installs come from pip's configured index and cache; torch is pinned first to the Makefile's CPU wheel
(`TORCH_SPEC`), as `make install` does, so the requirement's range does not pull a CUDA build.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import venv
from pathlib import Path

import pytest
import test_demo_e2e
import yaml
from test_demo_e2e import free_port, serving

from medqa.metric_space import stage_metric
from medqa.metrics.core import score
from medqa.space import stage_space

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURE = REPO_ROOT / "tests" / "fixtures" / "safety_labeled.jsonl"
TORCH_SPEC = re.search(r"^TORCH_SPEC \?= (\S+)", (REPO_ROOT / "Makefile").read_text(), re.M).group(1)
INSTALL_TIMEOUT_S = 900
COLD_START_TIMEOUT_S = 600


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a stranger's shell: no PYTHONPATH (tests run with the checkout on it)."""
    keep = (
        "PATH",
        "HOME",
        "LANG",
        "TMPDIR",
        "PIP_FIND_LINKS",
        "PIP_CERT",
        "PIP_DEFAULT_TIMEOUT",
        "PIP_INDEX_URL",
    )
    env = {name: os.environ[name] for name in keep if name in os.environ}
    return (
        env
        | {
            "PIP_DISABLE_PIP_VERSION_CHECK": "1",
            "HF_HUB_OFFLINE": "1",
            "HF_MODULES_CACHE": str(tmp_path / "modules"),
        }
        | extra
    )


def front_matter(readme: Path) -> dict:
    return yaml.safe_load(readme.read_text(encoding="utf-8").split("---", 2)[1])


def build_venv(where: Path, staged: Path, *first: str) -> Path:
    """A fresh virtualenv with `first` installed, then the staged requirements and gradio at sdk_version."""
    venv.EnvBuilder(with_pip=True).create(where)
    python = where / "bin" / "python"
    gradio = f"gradio=={front_matter(staged / 'README.md')['sdk_version']}"
    env = clean_env(where)
    for packages in ([*first] if first else [], [gradio, "-r", str(staged / "requirements.txt")]):
        if packages:
            subprocess.run(
                [str(python), "-m", "pip", "install", "--quiet", "--no-compile", *packages],
                check=True,
                env=env,
                cwd=where,
                timeout=INSTALL_TIMEOUT_S,
            )
    probe = subprocess.run([str(python), "-c", "import medqa"], env=env, cwd=where, capture_output=True)
    assert probe.returncode != 0, "medqa is importable in the clean virtualenv"
    return python


@pytest.mark.slow
def test_staged_space_answers_a_red_flag_question_from_its_own_requirements(
    tiny_model_dir, tmp_path, monkeypatch
):
    # a cold virtualenv compiles torch, transformers and gradio on first import: allow a slow start
    monkeypatch.setattr(test_demo_e2e, "READY_TIMEOUT_S", COLD_START_TIMEOUT_S)
    staged = stage_space(tmp_path / "space")
    python = build_venv(tmp_path / "venv", staged, TORCH_SPEC)
    port = free_port()
    env = clean_env(
        tmp_path,
        MEDQA_MODELS=f"tiny={tiny_model_dir}",
        MEDQA_MAX_NEW_TOKENS="8",
        GRADIO_SERVER_NAME="127.0.0.1",
        GRADIO_SERVER_PORT=str(port),
    )
    from gradio_client import Client

    with serving([str(python), str(staged / "app.py")], port, tmp_path / "space.log", env=env) as url:
        job = Client(url, verbose=False).submit(
            "我胸口压榨样疼痛半小时，还出冷汗", "tiny", True, 0.7, 0.9, 8, api_name="/chat"
        )
        reply, _ = job.result(timeout=120)
        outputs = job.outputs()
    assert reply and reply[-1]["role"] == "assistant"
    # the banner comes with the first update, before any model text (later updates leave it unchanged)
    first_banner = outputs[0][1]
    assert first_banner["visible"] is True, first_banner
    assert "120" in first_banner["value"] and "胸口压榨样疼痛" in first_banner["value"], first_banner


_SCORE_AND_WIDGET = """
import json, sys
import evaluate
import gradio as gr
import pandas as pd
from evaluate.utils import launch_gradio_widget

rows = [json.loads(line) for line in open(sys.argv[2], encoding="utf-8") if line.strip()]
module = evaluate.load(sys.argv[1])
result = module.compute(
    predictions=[row["output"] for row in rows],
    references=[{"question": row["question"], **row["meta"]} for row in rows],
)
widget = {}
gr.Interface.launch = lambda self, *args, **kwargs: widget.update(interface=self)
launch_gradio_widget(module)  # the Space's app.py, without serving
table = pd.DataFrame({
    "predictions": ['"<think>胸痛。</think>请立即拨打120。"'],
    "references": [json.dumps({"question": "胸口压榨样痛", "red_flag": True}, ensure_ascii=False)],
})
shown = widget["interface"].fn(table)
print(json.dumps({"result": result, "widget": shown["emergency_signal_coverage"]}, sort_keys=True))
"""


@pytest.mark.slow
def test_staged_metric_loads_without_medqa_and_matches_the_package(tmp_path):
    staged = stage_metric(tmp_path / "medical_safety", "someone/medical_safety")
    python = build_venv(tmp_path / "venv", staged)
    run = subprocess.run(
        [str(python), "-c", _SCORE_AND_WIDGET, str(staged), str(FIXTURE)],
        capture_output=True,
        text=True,
        env=clean_env(tmp_path),
        cwd=tmp_path,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-4000:]
    staged_output = json.loads(run.stdout.strip().splitlines()[-1])
    rows = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]
    package = score(
        [row["output"] for row in rows], [{"question": row["question"], **row["meta"]} for row in rows]
    )
    assert staged_output["result"] == json.loads(json.dumps(package)), "staged metric differs from medqa's"
    assert package["n"] == len(rows) and package["think_coverage"] is not None
    assert staged_output["widget"] == 1.0
    assert sys.executable not in str(python)
