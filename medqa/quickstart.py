"""`medqa quickstart`: the whole job on the bundled sample with a tiny Qwen3, offline on CPU.

A tiny model cannot learn medicine on a laptop, but it visibly learns the format this project
teaches: reasoning in `<think>…</think>`, then an answer that ends with `<|im_end|>`. The run proves
it statistically: base vs tuned on the gold and red-team sets, paired, with intervals.

Every step's artifacts persist under the run directory; a rerun skips the steps whose inputs and
outputs still hash the same (see `medqa.steps`), and `--fresh` starts over.
"""

from __future__ import annotations

import argparse
import codecs
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from medqa.grpo_eval import DEFAULT_SAMPLES
from medqa.steps import Pipeline, Step, StepFailed

REPO_ROOT = Path(__file__).resolve().parent.parent
EVAL_SPLITS = ("gold", "red_team")


@dataclass(frozen=True)
class QuickstartConfig:
    """What a quickstart run depends on; the defaults are the full run the README's first command does."""

    out: str = "runs/quickstart"
    recipe: str = "recipes/tiny/sft/full.yaml"
    accelerate_config: str = "accelerate_configs/cpu.yaml"
    num_processes: int = 1
    max_steps: int | None = None  # None: the recipe's epochs
    eval_limit: int | None = None  # None: every gold and red-team row
    max_new_tokens: int = 200
    seed: int = 42
    grpo: bool = False  # add GRPO after SFT (recipes/tiny/grpo/full.yaml) and compare SFT with SFT+GRPO
    grpo_recipe: str = "recipes/tiny/grpo/full.yaml"
    grpo_max_steps: int | None = None  # None: the GRPO recipe's max_steps
    # sampled answers per held-out prompt for the sampled-reward comparison
    grpo_samples: int = DEFAULT_SAMPLES


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _repo_file(relative: str) -> Path:
    path = Path(relative) if Path(relative).is_absolute() else REPO_ROOT / relative
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found: run the quickstart from a clone of the medqa repository")
    return path


# The Trainer's own tqdm bar (no description, unlike the "Map:"/"Tokenizing" bars): " 45%|███ | 450/990 [01:10<01:25, ..."
TRAINER_BAR = re.compile(r"^\s*\d+%\|[^|]*\|\s*(\d+)/(\d+)\s*\[([\d:]+)<([\d:?]+)")
LOGGED_LOSS = re.compile(r"'loss': '?([-+0-9.eE]+)")


class TrainingProgress:
    """A one-line view of a training log as it streams: step, loss, elapsed time and ETA.

    On a terminal the line is rewritten in place; elsewhere (CI, a pipe) a line is printed at every
    tenth of the run, so logs stay short.
    """

    def __init__(self, stream=None, interactive: bool | None = None):
        self.stream = stream or sys.stdout
        self.interactive = self.stream.isatty() if interactive is None else interactive
        self.step = self.total = None
        self.elapsed = self.remaining = "?"
        self.loss: float | None = None
        self._pending = ""
        self._shown_tenth = -1
        self._shown_at = 0.0

    def feed(self, text: str) -> None:
        """Read more of the log; complete segments (ended by a newline or a carriage return) are parsed."""
        segments = re.split(r"[\r\n]", self._pending + text)
        self._pending = segments.pop()
        for segment in segments:
            bar = TRAINER_BAR.match(segment)
            # The first bar is training's; a later one of another length is an evaluation loop.
            if bar and self.total in (None, int(bar.group(2))):
                self.step, self.total = int(bar.group(1)), int(bar.group(2))
                self.elapsed, self.remaining = bar.group(3), bar.group(4)
                self._show()
            elif not bar and (loss := LOGGED_LOSS.search(segment)):
                self.loss = float(loss.group(1))

    def line(self) -> str:
        loss = f"{self.loss:.3f}" if self.loss is not None else "…"
        return (
            f"    step {self.step}/{self.total} ({self.step / max(self.total, 1):.0%})  loss {loss}  "
            f"elapsed {self.elapsed}  ETA {self.remaining}"
        )

    def _show(self) -> None:
        if self.interactive:
            now = time.monotonic()
            if now - self._shown_at >= 0.5 or self.step == self.total:
                self._shown_at = now
                self.stream.write("\r" + self.line().ljust(78))
                self.stream.flush()
            return
        tenth = 10 * self.step // max(self.total, 1)
        if tenth > self._shown_tenth:
            self._shown_tenth = tenth
            print(self.line(), file=self.stream, flush=True)

    def close(self) -> None:
        if self.interactive and self.step is not None:
            self.stream.write("\n")
            self.stream.flush()


def run_logged(command: list[str], log_path: Path, progress: TrainingProgress, **popen) -> int:
    """Run `command`, copying its output to `log_path` as it comes and feeding it to `progress`."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **popen)
        try:
            while chunk := process.stdout.read1(1 << 14):
                log.write(chunk)
                log.flush()
                progress.feed(decoder.decode(chunk))
        finally:
            process.stdout.close()
            returncode = process.wait()
            progress.close()
    return returncode


class Quickstart:
    """The seven steps, each a function of files in the run directory."""

    def __init__(self, config: QuickstartConfig):
        self.config = config
        self.run_dir = Path(config.out).resolve()
        self.data = self.run_dir / "data"
        self.tiny = self.run_dir / "tiny-qwen3"
        self.model = self.run_dir / "tuned"
        self.predictions = self.run_dir / "predictions"
        self.report = self.run_dir / "report"
        self.train_log = self.run_dir / "train.log"
        self.grpo_model = self.run_dir / "grpo"
        self.grpo_log = self.run_dir / "grpo.log"
        self.grpo_report = self.run_dir / "report-grpo"

    # The sampled-reward comparison's models (medqa.grpo_eval): SFT, SFT+GRPO and the no-learning control.
    SAMPLED = ("sft", "grpo", "random-step")

    def sampled_file(self, model: str) -> Path:
        return self.predictions / f"sampled-{model}.jsonl"

    def prediction_file(self, model: str, split: str) -> Path:
        return self.predictions / f"{model}-{split}.jsonl"

    # ------------------------------------------------------------------------------------- steps

    def prepare(self) -> None:
        from medqa.data import prepare

        prepare(source="sample", out=self.data, seed=self.config.seed)

    def build_tiny(self) -> None:
        from medqa.tiny import build_tiny_qwen3

        build_tiny_qwen3(self.tiny)

    def predict(self, model_dir: Path, name: str) -> None:
        from medqa.predict import PredictConfig, predict

        for split in EVAL_SPLITS:
            predict(
                PredictConfig(
                    model=str(model_dir),
                    data=str(self.data),
                    split=split,
                    out=str(self.prediction_file(name, split)),
                    limit=self.config.eval_limit,
                    preset="greedy",
                    max_new_tokens=self.config.max_new_tokens,
                    batch_size=16,
                    seed=self.config.seed,
                    # The step runs only when its model or data changed: a retrained model keeps its path,
                    # so resuming the old file would keep the previous model's answers.
                    overwrite=True,
                )
            )

    def launch(
        self,
        script: str,
        recipe: str,
        model: Path,
        out: Path,
        log_path: Path,
        max_steps: int | None,
        env: dict,
    ) -> None:
        """Run one recipe under `accelerate launch` into `out`, logging to `log_path`."""
        command = [
            sys.executable,
            "-m",
            "accelerate.commands.launch",
            "--config_file",
            str(_repo_file(self.config.accelerate_config)),
            "--num_processes",
            str(self.config.num_processes),
            "--main_process_port",
            str(_free_port()),
            str(_repo_file(script)),
            "--config",
            str(_repo_file(recipe)),
            "--model_name_or_path",
            str(model),
            "--dataset_name",
            str(self.data),
            "--output_dir",
            str(out),
            "--seed",
            str(self.config.seed),
        ]
        if max_steps:
            command += ["--max_steps", str(max_steps)]
        shutil.rmtree(out, ignore_errors=True)
        env = os.environ | {"HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"} | env
        print(f"    training: {' '.join(command[3:])}\n    log: {log_path}", flush=True)
        returncode = run_logged(command, log_path, TrainingProgress(), env=env, cwd=REPO_ROOT)
        if returncode != 0:
            tail = "".join(
                log_path.read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)[-15:]
            )
            raise RuntimeError(f"training exited with code {returncode}; last lines of the log:\n{tail}")

    def train(self) -> None:
        self.launch(
            "recipes/sft.py",
            self.config.recipe,
            self.tiny,
            self.model,
            self.train_log,
            self.config.max_steps,
            {},
        )

    def train_grpo(self) -> None:
        # One thread per process: the tiny model's generation loop is dominated by per-token overhead, which
        # a second OpenMP thread only multiplies on a busy machine (measured ~25x CPU time on 2 shared cores).
        self.launch(
            "recipes/grpo.py",
            self.config.grpo_recipe,
            self.model,
            self.grpo_model,
            self.grpo_log,
            self.config.grpo_max_steps,
            {"OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1")},
        )

    def evaluate(self) -> None:
        from medqa.evaluation import evaluate_predictions

        evaluate_predictions(
            {
                name: [self.prediction_file(name, split) for split in EVAL_SPLITS]
                for name in ("base", "tuned")
            },
            self.report,
            trainer_states={"tuned": self.model / "trainer_state.json"},
        )

    def sample_grpo(self) -> None:
        """SFT, SFT+GRPO and the random-step control (SFT plus a random step of GRPO's per-tensor update
        norm), each answering every held-out prompt `grpo_samples` times with the GRPO recipe's sampling."""
        import tempfile

        from medqa.grpo_eval import random_step_model, recipe_sampling, sample_models
        from medqa.predict import read_inputs

        limit = self.config.eval_limit
        prompts = [row for split in EVAL_SPLITS for row in read_inputs(self.data, split)[:limit]]
        settings = recipe_sampling(_repo_file(self.config.grpo_recipe))
        with tempfile.TemporaryDirectory(prefix="medqa-random-step-") as scratch:
            control = random_step_model(
                str(self.model), str(self.grpo_model), Path(scratch), self.config.seed
            )
            models = dict(zip(self.SAMPLED, (str(self.model), str(self.grpo_model), control), strict=True))
            rows = sample_models(models, prompts, settings, self.config.grpo_samples, self.config.seed)
        self.predictions.mkdir(parents=True, exist_ok=True)
        for name, model_rows in rows.items():
            with self.sampled_file(name).open("w", encoding="utf-8") as handle:
                handle.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in model_rows)

    def sampled_rewards(self) -> dict[str, Any]:
        """The sampled-reward comparison (medqa.grpo_eval.sampled_comparison) of the sample-grpo step's rows."""
        from medqa.grpo_eval import CONTROL, recipe_sampling, sampled_comparison
        from medqa.jsonl import iter_jsonl
        from medqa.rewards import RewardRecipe

        recipe_path = _repo_file(self.config.grpo_recipe)
        names = dict(zip(self.SAMPLED, ("sft", "grpo", CONTROL), strict=True))
        rows = {names[name]: [row for _, row in iter_jsonl(self.sampled_file(name))] for name in self.SAMPLED}
        return sampled_comparison(
            "sft",
            rows,
            RewardRecipe.from_yaml(recipe_path),
            recipe_sampling(recipe_path),
            self.config.grpo_samples,
        )

    def evaluate_grpo(self) -> None:
        """SFT vs SFT+GRPO on the held-out gold and red-team prompts with `medqa evaluate --rewards`: the
        paired safety metrics, and every reward component of the GRPO recipe, paired, in the same report;
        then the sampled reward (what GRPO optimises), with the random-step control, as its own section."""
        from medqa.evaluation import evaluate_predictions
        from medqa.grpo_eval import render_sampled_section

        report = evaluate_predictions(
            {
                "sft": [self.prediction_file("tuned", split) for split in EVAL_SPLITS],
                "grpo": [self.prediction_file("grpo", split) for split in EVAL_SPLITS],
            },
            self.grpo_report,
            rewards=_repo_file(self.config.grpo_recipe),
        )
        report["sampled_rewards"] = self.sampled_rewards()
        (self.grpo_report / "report.json").write_text(
            json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        with (self.grpo_report / "report.md").open("a", encoding="utf-8") as markdown:
            markdown.write("\n" + render_sampled_section(report["sampled_rewards"]))

    def steps(self) -> list[Step]:
        base_files = [self.prediction_file("base", split) for split in EVAL_SPLITS]
        tuned_files = [self.prediction_file("tuned", split) for split in EVAL_SPLITS]
        predict_config = {"limit": self.config.eval_limit, "max_new_tokens": self.config.max_new_tokens}
        return [
            Step("prepare", self.prepare, outputs=[self.data], config={"seed": self.config.seed}),
            Step("tiny-model", self.build_tiny, outputs=[self.tiny]),
            Step(
                "predict-base",
                lambda: self.predict(self.tiny, "base"),
                inputs=[self.tiny, self.data],
                outputs=base_files,
                config=predict_config,
            ),
            Step(
                "train",
                self.train,
                inputs=[self.tiny, self.data, _repo_file(self.config.recipe)],
                outputs=[self.model],
                config={"max_steps": self.config.max_steps, "num_processes": self.config.num_processes},
            ),
            Step(
                "predict-tuned",
                lambda: self.predict(self.model, "tuned"),
                inputs=[self.model, self.data],
                outputs=tuned_files,
                config=predict_config,
            ),
            Step(
                "evaluate",
                self.evaluate,
                inputs=[*base_files, *tuned_files, self.model / "trainer_state.json"],
                outputs=[self.report],
            ),
        ] + (self.grpo_steps(predict_config) if self.config.grpo else [])

    def grpo_steps(self, predict_config: dict[str, Any]) -> list[Step]:
        tuned_files = [self.prediction_file("tuned", split) for split in EVAL_SPLITS]
        grpo_files = [self.prediction_file("grpo", split) for split in EVAL_SPLITS]
        sampled_files = [self.sampled_file(name) for name in self.SAMPLED]
        # sample-grpo runs before evaluate-grpo so that one step writes the whole GRPO report.
        return [
            Step(
                "train-grpo",
                self.train_grpo,
                inputs=[self.model, self.data, _repo_file(self.config.grpo_recipe)],
                outputs=[self.grpo_model],
                config={
                    "grpo_max_steps": self.config.grpo_max_steps,
                    "num_processes": self.config.num_processes,
                },
            ),
            Step(
                "predict-grpo",
                lambda: self.predict(self.grpo_model, "grpo"),
                inputs=[self.grpo_model, self.data],
                outputs=grpo_files,
                config=predict_config,
            ),
            Step(
                "sample-grpo",
                self.sample_grpo,
                inputs=[self.model, self.grpo_model, self.data, _repo_file(self.config.grpo_recipe)],
                outputs=sampled_files,
                config={
                    "samples": self.config.grpo_samples,
                    "seed": self.config.seed,
                    "limit": self.config.eval_limit,
                },
            ),
            Step(
                "evaluate-grpo",
                self.evaluate_grpo,
                inputs=tuned_files + grpo_files + sampled_files + [_repo_file(self.config.grpo_recipe)],
                outputs=[self.grpo_report],
            ),
        ]

    # ------------------------------------------------------------------------------------- summary

    def training_losses(self) -> tuple[float, float] | None:
        """First and last logged training loss, from the Trainer's state."""
        state_file = self.model / "trainer_state.json"
        if not state_file.exists():
            return None
        history = json.loads(state_file.read_text(encoding="utf-8"))["log_history"]
        losses = [entry["loss"] for entry in history if "loss" in entry]
        return (losses[0], losses[-1]) if losses else None

    def think_coverage_by_split(self, report: dict[str, Any]) -> dict[str, dict[str, Any]]:
        """{model: {split: rate entry}} for think coverage, from the report's split breakdown."""
        return {
            name: {
                split: result["breakdowns"]["split"][split]["think_coverage"]
                for split in EVAL_SPLITS
                if split in result["breakdowns"]["split"]
            }
            for name, result in report["models"].items()
        }

    def grpo_summary(self) -> list[str]:
        """The safety metrics and the mean held-out reward per component, SFT vs SFT+GRPO, from the report."""
        from medqa.grpo_eval import sampled_summary
        from medqa.report import summary_table
        from medqa.rewards import reward_summary

        report = json.loads((self.grpo_report / "report.json").read_text(encoding="utf-8"))
        return [
            "== SFT vs SFT+GRPO (held-out gold + red-team prompts) ==",
            "",
            summary_table(report),
            "",
            reward_summary(report["rewards"]),
            "",
            *sampled_summary(report["sampled_rewards"]),
            f"  report (safety metrics and rewards per split): {self.grpo_report / 'report.md'}",
        ]

    def summary(self) -> str:
        from medqa.report import summary_table

        report = json.loads((self.report / "report.json").read_text(encoding="utf-8"))
        lines = ["", "== medqa quickstart: base vs tuned tiny Qwen3 ==", "", summary_table(report), ""]
        lines.append("Think coverage per split:")
        for name, per_split in self.think_coverage_by_split(report).items():
            cells = ", ".join(
                f"{split} {entry['rate']:.0%} [{entry['ci_low']:.0%}, {entry['ci_high']:.0%}] (n={entry['n']})"
                for split, entry in per_split.items()
            )
            lines.append(f"- {name}: {cells}")
        losses = self.training_losses()
        if losses:
            lines.append(f"Training loss: first {losses[0]:.3f} -> last {losses[1]:.3f}")
        if self.config.grpo:
            lines += ["", *self.grpo_summary()]
        lines += [
            "",
            "Artifacts:",
            f"- processed data:   {self.data}",
            f"- tiny base model:  {self.tiny}",
            f"- tuned model:      {self.model}  (training log: {self.train_log})",
            f"- predictions:      {self.predictions}",
            f"- report:           {self.report / 'report.md'} (+ report.json, plots)",
            *(
                [f"- GRPO model:       {self.grpo_model}  (log: {self.grpo_log}; report: {self.grpo_report})"]
                if self.config.grpo
                else []
            ),
            "",
            "Research and education only: a tiny model learning a format, not medicine.",
        ]
        return "\n".join(lines)


def run_quickstart(config: QuickstartConfig, fresh: bool = False) -> dict[str, str]:
    """Run (or resume) the quickstart; returns {step: "ran" | "skipped"} and prints the summary."""
    job = Quickstart(config)
    if fresh:
        shutil.rmtree(job.run_dir, ignore_errors=True)
    job.run_dir.mkdir(parents=True, exist_ok=True)
    (job.run_dir / "quickstart.json").write_text(
        json.dumps(asdict(config), indent=2) + "\n", encoding="utf-8"
    )
    rerun = f"medqa quickstart --out {config.out}"
    outcome = Pipeline(job.run_dir, rerun_hint=rerun).run(job.steps())
    print(job.summary(), flush=True)
    return outcome


def add_arguments(parser: argparse.ArgumentParser) -> None:
    defaults = QuickstartConfig()
    parser.add_argument("--out", default=defaults.out, help="run directory (default: %(default)s)")
    parser.add_argument("--fresh", action="store_true", help="delete the run directory and start over")
    parser.add_argument("--recipe", default=defaults.recipe, help="training recipe (default: %(default)s)")
    parser.add_argument("--accelerate-config", default=defaults.accelerate_config)
    parser.add_argument(
        "--num-processes",
        type=int,
        default=defaults.num_processes,
        help="training processes, with a multi-process --accelerate-config such as zero2.yaml (cpu.yaml runs one)",
    )
    parser.add_argument(
        "--max-steps", type=int, default=None, help="cap optimizer steps (a shorter demo run)"
    )
    parser.add_argument(
        "--eval-limit", type=int, default=None, help="predict on the first N rows of each set"
    )
    parser.add_argument("--max-new-tokens", type=int, default=defaults.max_new_tokens)
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument(
        "--grpo",
        action="store_true",
        help="after SFT, run GRPO with the safety rewards and compare SFT with SFT+GRPO",
    )
    parser.add_argument(
        "--grpo-recipe", default=defaults.grpo_recipe, help="GRPO recipe (default: %(default)s)"
    )
    parser.add_argument("--grpo-max-steps", type=int, default=None, help="cap GRPO steps")
    parser.add_argument(
        "--grpo-samples",
        type=int,
        default=defaults.grpo_samples,
        help="sampled answers per held-out prompt for the sampled-reward comparison (default: %(default)s)",
    )


def main(args: argparse.Namespace) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    config = QuickstartConfig(
        out=args.out,
        recipe=args.recipe,
        accelerate_config=args.accelerate_config,
        num_processes=args.num_processes,
        max_steps=args.max_steps,
        eval_limit=args.eval_limit,
        max_new_tokens=args.max_new_tokens,
        seed=args.seed,
        grpo=args.grpo,
        grpo_recipe=args.grpo_recipe,
        grpo_max_steps=args.grpo_max_steps,
        grpo_samples=args.grpo_samples,
    )
    try:
        run_quickstart(config, fresh=args.fresh)
    except StepFailed as error:
        print(f"medqa quickstart: {error}", file=sys.stderr)
        return 1
    return 0
