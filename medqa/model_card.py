"""Model cards for fine-tuned medqa models: written by the SFT recipe and reused by `medqa export`.

A card states the base model, data, method, hyperparameters and results, and always carries the
medical disclaimer: these models are for research and education, never diagnosis or treatment.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import yaml

DISCLAIMER = (
    "**Not a medical device.** This model is a research and education artifact. Its reasoning and answers "
    "can be wrong, incomplete or outdated, and it has not been clinically validated. Do not use it to "
    "diagnose, treat or make decisions about anyone's health; in an emergency call local emergency "
    "services. 本模型仅供研究与教学使用，不能替代医生的诊断和治疗建议。"
)
BASE_TAGS = ("medical", "qwen3", "reasoning", "medqa", "trl", "sft")
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


def _is_hub_id(name: str | None) -> bool:
    return bool(name) and name.count("/") == 1 and not name.startswith((".", "/", "~"))


def _table(rows: Mapping[str, Any], header: tuple[str, str]) -> str:
    lines = [f"| {header[0]} | {header[1]} |", "| --- | --- |"]
    for key, value in rows.items():
        shown = f"{value:.4g}" if isinstance(value, float) else value
        lines.append(f"| {key} | {shown} |")
    return "\n".join(lines)


def render_model_card(
    model_name: str,
    base_model: str,
    dataset: str | None,
    method: str,
    hyperparameters: Mapping[str, Any],
    results: Mapping[str, float] | None = None,
    tags: Sequence[str] = (),
    language: Sequence[str] = ("zh", "en"),
    license: str = "apache-2.0",
) -> str:
    """README.md text (YAML front matter + body) for a trained or merged model."""
    if method not in METHOD_TAGS:
        raise ValueError(f"method must be one of {', '.join(METHOD_TAGS)}, got {method!r}")
    all_tags = list(dict.fromkeys([*BASE_TAGS, *METHOD_TAGS[method], *tags]))
    front = {
        "base_model": base_model,
        "library_name": "peft" if method in ("lora", "qlora") else "transformers",
        "license": license,
        "language": list(language),
        "pipeline_tag": "text-generation",
        "tags": all_tags,
    }
    if _is_hub_id(dataset):
        front["datasets"] = [dataset]
    results = dict(results or {})
    result_rows = {
        k: v for k, v in results.items() if k.startswith(("eval_", "train_", "safety/")) or k == "loss"
    }
    base_link = (
        f"[{base_model}](https://huggingface.co/{base_model})"
        if _is_hub_id(base_model)
        else f"`{base_model}`"
    )
    usage_model = model_name if "/" in model_name else f"<user>/{model_name}"
    body = f"""# {model_name}

A medical question-answering model fine-tuned from {base_link} with
{METHOD_NAMES[method]} (TRL `SFTTrainer`, the [medqa](https://github.com/medqa/medqa) recipe). It reasons
inside `<think>…</think>` and then answers; generation stops at `<|im_end|>`.

{DISCLAIMER}

## Training data

`{dataset or "unknown"}`: conversational rows (system, user, assistant) where the assistant turn is
`<think>reasoning</think>` followed by the answer. The loss covers only the assistant turn (reasoning,
answer and `<|im_end|>`), never the system prompt or the question.

## Hyperparameters

{_table(dict(hyperparameters), ("name", "value"))}

## Results

{_table(result_rows, ("metric", "value")) if result_rows else "No evaluation results were recorded."}

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
    return f"---\n{yaml.safe_dump(front, allow_unicode=True, sort_keys=False)}---\n\n{body}"
