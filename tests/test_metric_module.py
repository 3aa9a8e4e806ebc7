"""The `medical_safety` evaluate module: loads from its local path in a fresh process and passes its own cases."""

import json
import subprocess
import sys
from pathlib import Path

import medqa

MODULE_DIR = Path(medqa.__file__).parent / "metrics" / "medical_safety"

_RUN_CASES = """
import json, sys, evaluate
module = evaluate.load(sys.argv[1])
failures = []
for case in json.load(open(sys.argv[2], encoding="utf-8")):
    result = module.compute(predictions=case["predictions"], references=case["references"])
    failures += [(case["name"], key, result[key], value) for key, value in case["expected"].items() if result[key] != value]
print(json.dumps(failures, ensure_ascii=False))
"""


def test_module_loads_with_evaluate_in_a_fresh_process_and_passes_its_cases(tmp_path):
    cases = MODULE_DIR / "test_cases.json"
    result = subprocess.run(
        [sys.executable, "-c", _RUN_CASES, str(MODULE_DIR), str(cases)],
        capture_output=True,
        text=True,
        env={"HF_HUB_OFFLINE": "1", "HF_MODULES_CACHE": str(tmp_path), "PATH": ""},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


def test_space_files_are_present():
    readme = (MODULE_DIR / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("---\n") and "app_file: app.py" in readme and "sdk: gradio" in readme
    assert "launch_gradio_widget" in (MODULE_DIR / "app.py").read_text(encoding="utf-8")
    assert not (MODULE_DIR / "requirements.txt").exists()  # `medqa push-metric` derives it from the imports
