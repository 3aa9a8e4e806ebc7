import shutil
import subprocess
import sys
from pathlib import Path


def test_ruff_check_passes():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    assert ruff, "ruff is not installed (pip install -e '.[dev]')"
    result = subprocess.run(
        [ruff, "check", str(Path(__file__).resolve().parent.parent)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
