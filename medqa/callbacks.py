"""A training-time safety signal: at each evaluation, generate on a fixed handful of gold and red-team
prompts and log the `medical_safety` headline metrics (think coverage, emergency-signal coverage,
risky-prescription rate, from `medqa.metrics.core.score`) and how many generations stop on their own.

A falling think coverage or stop rate shows a run breaking the format (a mangled template, a lost EOS)
long before a full `medqa evaluate`. Metrics go through `Trainer.log`, so every `report_to` backend
(TensorBoard, trackio, W&B) records them next to the eval loss.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import torch
from transformers import TrainerCallback

from medqa.formatting import conversation
from medqa.inference import GenerationSettings, settings_for

SAFETY_SPLITS = ("gold", "red_team")


@dataclass(frozen=True)
class ProbePrompt:
    split: str
    messages: list[dict[str, str]]
    reference: dict  # what the metric needs: question, red_flag, category, language, split


def probe_prompts(dataset, samples: int, system_prompt: str | None = None) -> list[ProbePrompt]:
    """The first `samples` rows of each of the gold and red-team splits present, as prompt messages."""
    prompts = []
    for split in SAFETY_SPLITS:
        if split not in dataset:
            continue
        rows = dataset[split].select(range(min(samples, len(dataset[split]))))
        for row in rows:
            by_role = {m["role"]: m["content"] for m in row.get("messages") or []}
            system = system_prompt if system_prompt is not None else by_role.get("system", "")
            question = by_role.get("user", row["input"])
            meta = row.get("meta") or {}
            reference = {"question": question, "split": split}
            reference |= {key: meta[key] for key in ("red_flag", "category", "language") if key in meta}
            prompts.append(ProbePrompt(split, conversation(question, system_prompt=system), reference))
    return prompts


class SafetySignalCallback(TrainerCallback):
    """After each evaluation, log `safety/<split>_think_coverage` and `safety/<split>_stop_rate`.

    Every process generates its share of the prompts (so ZeRO-3 and FSDP, whose forward passes are
    collective, keep all ranks in step); the main process logs the gathered results.
    """

    def __init__(
        self,
        prompts: Sequence[ProbePrompt],
        tokenizer,
        log: Callable[[dict[str, float]], None],
        settings: GenerationSettings | None = None,
        enable_thinking: bool = True,
    ):
        if not prompts:
            raise ValueError("the safety signal needs at least one gold or red-team prompt")
        self.prompts = list(prompts)
        self.tokenizer = tokenizer
        self.log = log
        self.settings = settings or settings_for("greedy", 256)
        self.enable_thinking = enable_thinking

    @classmethod
    def from_dataset(
        cls,
        dataset,
        tokenizer,
        log: Callable[[dict[str, float]], None],
        samples: int,
        settings: GenerationSettings | None = None,
        system_prompt: str | None = None,
        enable_thinking: bool = True,
    ) -> SafetySignalCallback:
        return cls(probe_prompts(dataset, samples, system_prompt), tokenizer, log, settings, enable_thinking)

    def generate(self, model, prompt: ProbePrompt) -> tuple[str, bool]:
        """The completion of one prompt (with the signal's preset) and whether it ended on an EOS token."""
        inputs = self.tokenizer.apply_chat_template(
            prompt.messages,
            add_generation_prompt=True,
            enable_thinking=self.enable_thinking,
            return_tensors="pt",
            return_dict=True,
        ).to(model.device)
        output = model.generate(
            **inputs,
            generation_config=self.settings.generation_config(model.generation_config),
            pad_token_id=self.tokenizer.pad_token_id,
        )
        completion = output[0, inputs["input_ids"].shape[1] :]
        eos = model.generation_config.eos_token_id
        eos_ids = set(eos) if isinstance(eos, list) else {eos}
        stopped = bool(len(completion)) and int(completion[-1]) in eos_ids
        return self.tokenizer.decode(completion, skip_special_tokens=True), stopped

    def on_evaluate(self, args, state, control, model=None, **kwargs):
        from accelerate import PartialState
        from accelerate.utils import gather_object

        process = PartialState()
        was_training = model.training
        model.eval()
        results = []
        # Padding gives every rank the same number of prompts, hence the same number of forward passes.
        with process.split_between_processes(self.prompts, apply_padding=True) as mine, torch.no_grad():
            for prompt in mine:
                text, stopped = self.generate(model, prompt)
                results.append((prompt, text, stopped))
        model.train(was_training)
        gathered = gather_object(results)[: len(self.prompts)]
        if process.is_main_process:
            self.log(dict(summarize(gathered)))


def summarize(results: Sequence[tuple[ProbePrompt, str, bool]]) -> Mapping[str, float]:
    """Per split: the metric's headline rates (those with a denominator) and the share stopped on EOS."""
    from medqa.metrics.core import HEADLINE_METRICS, score

    metrics = {}
    for split in sorted({prompt.split for prompt, _, _ in results}):
        rows = [(prompt, text, stopped) for prompt, text, stopped in results if prompt.split == split]
        references = [
            {**p.reference, "finish_reason": "stop" if stopped else "length"} for p, _, stopped in rows
        ]
        scores = score([text for _, text, _ in rows], references)
        metrics |= {
            f"safety/{split}_{name}": scores[name] for name in HEADLINE_METRICS if scores[name] is not None
        }
        metrics[f"safety/{split}_stop_rate"] = sum(stopped for _, _, stopped in rows) / len(rows)
    return metrics
