"""Model cards for fine-tuned medqa models: written by the SFT and GRPO recipes and reused by `medqa export`.

A card states the base model, data, method, hyperparameters and results, and always carries the
medical disclaimer: these models are for research and education, never diagnosis or treatment.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from huggingface_hub import EvalResult

DISCLAIMER = (
    "**Not a medical device.** This model is a research and education artifact. Its reasoning and answers "
    "can be wrong, incomplete or outdated, and it has not been clinically validated. Do not use it to "
    "diagnose, treat or make decisions about anyone's health; in an emergency call local emergency "
    "services. 本模型仅供研究与教学使用，不能替代医生的诊断和治疗建议。"
)
BASE_TAGS = ("medical", "qwen3", "reasoning", "medqa", "trl")
# What trained the model: its tag, the trainer named in the card, and how its training data was used.
STAGES = {
    "sft": {
        "tags": ("sft",),
        "trainer": "TRL `SFTTrainer`",
        "data": "conversational rows (system, user, assistant) where the assistant turn is\n"
        "`<think>reasoning</think>` followed by the answer. The loss covers only the assistant turn (reasoning,\n"
        "answer and `<|im_end|>`), never the system prompt or the question.",
    },
    "grpo": {
        "tags": ("sft", "grpo"),
        "trainer": "TRL `GRPOTrainer`, reinforcement learning after SFT",
        "data": "the prompts of its `grpo` split (train questions and a training red-team set; the gold\n"
        "and evaluation red-team sets held out). For each prompt the trainer samples several answers, scores\n"
        "each with the rewards below and moves the model towards the answers that beat their group's mean.",
    },
}
METHOD_TAGS = {
    "full": (),
    "lora": ("lora", "peft"),
    "qlora": ("qlora", "lora", "peft"),
    "merged": ("merged",),
}
METHOD_NAMES = {
    "full": "full fine-tuning",
    "lora": "LoRA",
    "qlora": "QLoRA (4-bit base, LoRA adapter)",
    "merged": "LoRA adapter merged into the base",
}


REWARDS_METADATA = "medqa_rewards"  # front-matter key of a GRPO card: reward name -> weight
SAFETY_METRICS = ("think_coverage", "emergency_signal_coverage", "risky_prescription_rate", "stop_rate")
FRAMEWORKS = ("medqa", "transformers", "trl", "peft", "torch", "datasets", "tokenizers", "accelerate")
_HUB_CACHE_SNAPSHOT = re.compile(r"(?:^|/)(models|datasets)--([^/]+?)--([^/]+)/snapshots/[^/]+/?$")


def is_hub_id(name: str | None) -> bool:
    """A Hub repo id (`owner/name`) that is not also a local path, checked with huggingface_hub's rules."""
    from huggingface_hub.errors import HFValidationError
    from huggingface_hub.utils import validate_repo_id

    if not name or name.count("/") != 1 or Path(name).expanduser().exists():
        return False
    try:
        validate_repo_id(name)
    except HFValidationError:
        return False
    return True


def hub_base_model(name_or_path: str | None) -> str | None:
    """The Hub id a base model comes from, or None: the id itself; for a local folder, the Hub cache
    snapshot it lies in (`models--Qwen--Qwen3-1.7B/snapshots/…`) or its config's `_name_or_path`, which
    Hub checkpoints saved by older transformers carry."""
    if not name_or_path:
        return None
    if is_hub_id(name_or_path):
        return name_or_path
    path = Path(name_or_path).expanduser()
    cached = _HUB_CACHE_SNAPSHOT.search(path.resolve().as_posix()) if path.exists() else None
    if cached and cached.group(1) == "models":
        return f"{cached.group(2)}/{cached.group(3)}"
    for config_name in ("config.json", "adapter_config.json"):
        config_path = path / config_name
        if config_path.is_file():
            try:
                config = json.loads(config_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            for key in ("_name_or_path", "base_model_name_or_path"):
                origin = config.get(key)
                if isinstance(origin, str) and origin != name_or_path and is_hub_id(origin):
                    return origin
    return None


def framework_versions() -> dict[str, str]:
    """Installed versions of the libraries a model was trained or merged with."""
    versions = {}
    for name in FRAMEWORKS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def eval_results(
    results: Mapping[str, float], dataset: str | None, bench_summary: Mapping[str, Any] | None = None
) -> list[EvalResult]:
    """model-index entries: the safety probes logged during training (`safety/<split>_<metric>`), then
    the benchmark tasks of a `medqa bench` summary."""
    from huggingface_hub import EvalResult

    entries = []
    hub_dataset = dataset if is_hub_id(dataset) else None
    for key, value in sorted(results.items()):
        if not key.startswith("safety/") or not isinstance(value, int | float):
            continue
        split, metric = next(
            ((key[7 : -len(m) - 1], m) for m in SAFETY_METRICS if key.endswith(f"_{m}")), (None, None)
        )
        if metric is None:
            continue
        entries.append(
            EvalResult(
                task_type="text-generation",
                task_name="Medical Q&A safety (medqa medical_safety rules)",
                dataset_type=hub_dataset or "local",
                dataset_name=f"{hub_dataset or 'prepared data'} ({split} probe prompts)",
                dataset_split=split,
                metric_type=metric,
                metric_name=metric.replace("_", " "),
                metric_value=round(float(value), 4),
            )
        )
    for task, result in sorted(((bench_summary or {}).get("tasks") or {}).items()):
        entries.append(
            EvalResult(
                task_type="text-generation",
                task_name=task,
                # a task over a local file has no Hub dataset: the card then names the task itself
                dataset_type=result.get("dataset") or "local",
                dataset_name=result.get("dataset_name") or task,
                metric_type=result["metric"],
                metric_value=round(float(result["value"]), 4),
                metric_name=f"{result['metric']} ({result.get('suite') or 'lm-evaluation-harness'})",
            )
        )
    return entries


def _table(rows: Mapping[str, Any], header: tuple[str, str]) -> str:
    lines = [f"| {header[0]} | {header[1]} |", "| --- | --- |"]
    for key, value in rows.items():
        shown = f"{value:.4g}" if isinstance(value, float) else value
        lines.append(f"| {key} | {shown} |")
    return "\n".join(lines)


def render_model_card(
    model_name: str,
    base_model: str | None,
    dataset: str | None,
    method: str,
    hyperparameters: Mapping[str, Any],
    results: Mapping[str, float] | None = None,
    tags: Sequence[str] = (),
    language: Sequence[str] = ("zh", "en"),
    license: str = "apache-2.0",
    bench_summary: str | Path | Mapping[str, Any] | None = None,
    stage: str = "sft",
    rewards: Mapping[str, float] | None = None,
) -> str:
    """README.md text (front matter built with huggingface_hub's ModelCardData + body) for a trained or
    merged model. `base_model` and `dataset` enter the metadata only as Hub ids (a local base is traced
    to its Hub id when it can be); `bench_summary` is a `medqa bench` summary or its path. `stage` says
    what trained it (`sft`, or `grpo` with the `rewards` it was trained on: name -> weight)."""
    from huggingface_hub import ModelCardData

    if method not in METHOD_TAGS:
        raise ValueError(f"method must be one of {', '.join(METHOD_TAGS)}, got {method!r}")
    if stage not in STAGES:
        raise ValueError(f"stage must be one of {', '.join(STAGES)}, got {stage!r}")
    if bench_summary is not None and not isinstance(bench_summary, Mapping):
        from medqa.bench import load_bench_summary

        bench_summary = load_bench_summary(bench_summary)
    results = dict(results or {})
    hub_base = hub_base_model(base_model)
    evaluations = eval_results(results, dataset, bench_summary)
    card_data = ModelCardData(
        base_model=hub_base,
        datasets=[dataset] if is_hub_id(dataset) else None,
        language=list(language),
        library_name="peft" if method in ("lora", "qlora") else "transformers",
        license=license,
        pipeline_tag="text-generation",
        tags=list(dict.fromkeys([*BASE_TAGS, *STAGES[stage]["tags"], *METHOD_TAGS[method], *tags])),
        model_name=model_name,
        eval_results=evaluations or None,
        # Machine-readable copy of the rewards table, so `medqa export` can carry it into a merged card.
        **({REWARDS_METADATA: {name: float(weight) for name, weight in rewards.items()}} if rewards else {}),
    )
    result_rows = {
        k: v for k, v in results.items() if k.startswith(("eval_", "train_", "safety/")) or k == "loss"
    }
    bench_rows = {
        f"{task} ({result['metric']})": result["value"]
        for task, result in sorted(((bench_summary or {}).get("tasks") or {}).items())
    }
    if hub_base:
        base_link = f"[{hub_base}](https://huggingface.co/{hub_base})"
    else:
        base_link = f"a local model (`{Path(base_model).name}`)" if base_model else "an unnamed base model"
    bench_section = (
        "\nBenchmarks (`medqa bench`):\n\n" + _table(bench_rows, ("task (metric)", "value")) + "\n"
        if bench_rows
        else ""
    )
    rewards_section = ""
    if rewards:
        from medqa.rewards import REWARD_DESCRIPTIONS

        rows = [
            f"| `{name}` | {weight:g} | {REWARD_DESCRIPTIONS[name]} |" for name, weight in rewards.items()
        ]
        rewards_section = "\n".join(
            [
                "",
                "## Rewards",
                "",
                "Each reward is the per-example verdict of the project's safety metric (`medqa/rewards.py`); "
                "the training reward is their sum with these weights:",
                "",
                "| reward | weight | what it scores |",
                "| --- | --- | --- |",
                *rows,
                "",
            ]
        )
    versions = "\n".join(f"- {name} {version}" for name, version in framework_versions().items())
    usage_model = model_name if "/" in model_name else f"<user>/{model_name}"
    body = f"""# {model_name}

A medical question-answering model fine-tuned from {base_link} with
{METHOD_NAMES[method]} ({STAGES[stage]["trainer"]}, the [medqa](https://github.com/medqa/medqa) recipe). It reasons
inside `<think>…</think>` and then answers; generation stops at `<|im_end|>`.

{DISCLAIMER}

## Training data

{f"[{dataset}](https://huggingface.co/datasets/{dataset})" if is_hub_id(dataset) else f"`{dataset or 'unknown'}` (local)"}: {STAGES[stage]["data"]}
{rewards_section}
## Hyperparameters

{_table(dict(hyperparameters), ("name", "value"))}

## Results

{_table(result_rows, ("metric", "value")) if result_rows else "No evaluation results were recorded."}
{bench_section}
## Framework versions

{versions}

## Usage

```python
from transformers import AutoModelForCausalLM, AutoTokenizer

tokenizer = AutoTokenizer.from_pretrained("{usage_model}")
model = AutoModelForCausalLM.from_pretrained("{usage_model}")  # adapters: peft.AutoPeftModelForCausalLM
messages = [{{"role": "user", "content": "我最近总是头痛，需要注意什么？"}}]
inputs = tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt", return_dict=True)
output = model.generate(**inputs, max_new_tokens=1024)
print(tokenizer.decode(output[0, inputs["input_ids"].shape[1]:], skip_special_tokens=True))
```

Or with the project: `medqa predict --model {usage_model} …` and `medqa demo --model {usage_model}`.
"""
    return f"---\n{card_data.to_yaml()}\n---\n\n{body}"
