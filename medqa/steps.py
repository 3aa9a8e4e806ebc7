"""Resumable pipelines: a step is skipped on rerun when its inputs and outputs still hash the same.

Existence is not enough: an output edited, truncated or half-written by a killed run hashes differently
and the step runs again. State lives in `<run_dir>/steps.json`, written atomically after each step.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Files a reader writes beside its input without changing it: `datasets` caches the results of
# `.map()` next to a dataset loaded from disk, so training must not make the prepared data look new.
DERIVED_CACHES = ("cache-*.arrow",)


def content_hash(paths: Iterable[Path], config: Any = None) -> str:
    """SHA-256 over the files under `paths` (relative names and bytes) and a JSON-able config."""
    digest = hashlib.sha256(json.dumps(config, sort_keys=True, default=str).encode())
    for root in paths:
        root = Path(root)
        files = (
            sorted(p for p in root.rglob("*") if p.is_file() and not any(p.match(g) for g in DERIVED_CACHES))
            if root.is_dir()
            else [root]
        )
        for path in files:
            if not path.exists():
                digest.update(f"missing:{path}".encode())
                continue
            digest.update(str(path.relative_to(root) if root.is_dir() else path.name).encode())
            with open(path, "rb") as handle:
                for chunk in iter(lambda h=handle: h.read(1 << 20), b""):
                    digest.update(chunk)
    return digest.hexdigest()


class StepFailed(RuntimeError):
    """A pipeline step failed; the message names the step, the cause and the rerun command."""


@dataclass
class Step:
    name: str
    run: Callable[[], None]
    inputs: list[Path] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    config: Any = None


class Pipeline:
    """Runs steps in order, skipping those whose recorded input and output hashes still match."""

    def __init__(self, run_dir: Path, rerun_hint: str):
        self.run_dir = Path(run_dir)
        self.state_path = self.run_dir / "steps.json"
        self.rerun_hint = rerun_hint
        self.state: dict[str, dict[str, Any]] = (
            json.loads(self.state_path.read_text(encoding="utf-8")) if self.state_path.exists() else {}
        )

    def _save(self) -> None:
        tmp = self.state_path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(self.state, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(tmp, self.state_path)

    def is_current(self, step: Step) -> bool:
        record = self.state.get(step.name)
        return bool(
            record
            and all(Path(p).exists() for p in step.outputs)
            and record["inputs"] == content_hash(step.inputs, step.config)
            and record["outputs"] == content_hash(step.outputs)
        )

    def run(self, steps: list[Step]) -> dict[str, str]:
        """Run or skip each step; returns {step name: "ran" | "skipped"}."""
        self.run_dir.mkdir(parents=True, exist_ok=True)
        outcome = {}
        for index, step in enumerate(steps, 1):
            label = f"[{index}/{len(steps)}] {step.name}"
            if self.is_current(step):
                print(f"{label}: up to date, skipped", flush=True)
                outcome[step.name] = "skipped"
                continue
            print(f"{label} ...", flush=True)
            self.state.pop(step.name, None)
            self._save()
            started, cpu_started = time.perf_counter(), _cpu_seconds()
            try:
                step.run()
            except Exception as error:
                raise StepFailed(
                    f"step '{step.name}' failed: {error}\nFix the cause and rerun `{self.rerun_hint}`: "
                    "completed steps are skipped."
                ) from error
            seconds = time.perf_counter() - started
            self.state[step.name] = {
                "inputs": content_hash(step.inputs, step.config),
                "outputs": content_hash(step.outputs),
                "seconds": round(seconds, 1),
                # CPU time of this process and the subprocesses it waited for: on a shared machine the
                # wall-clock seconds also count other jobs' load.
                "cpu_seconds": round(_cpu_seconds() - cpu_started, 1),
            }
            self._save()
            print(f"{label}: done in {seconds:.1f}s", flush=True)
            outcome[step.name] = "ran"
        return outcome


def _cpu_seconds() -> float:
    """User plus system CPU time of this process and of its finished children."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system
