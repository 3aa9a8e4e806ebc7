"""GRPO after SFT with TRL's `GRPOTrainer` and the rewards of `medqa.rewards`: the library behind recipes/grpo.py.

SFT teaches the format and the data's style; GRPO then samples several answers per prompt and moves
the model towards the ones the project's own safety verdicts prefer (think format, urgent referral on
red flags without over-triage, no risky prescriptions, the question's language, no loops, bounded
length). Prompts are `medqa prepare`'s `grpo` split: the train questions plus the training red-team
set; gold and the evaluation red-team set stay held out.

Everything else is shared with the SFT recipe (`medqa.training`): dataset loading, model kwargs per
launcher, the saved-weights check, the model card, resume and saving.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from trl import (
    GRPOConfig,
    GRPOTrainer,
    ModelConfig,
    ScriptArguments,
    get_peft_config,
    get_quantization_config,
)

from medqa.formatting import conversation, split_think
from medqa.rewards import SCORES, RewardSettings, build_rewards
from medqa.schema import SchemaError
from medqa.training import (
    IM_END,
    MedqaArtifactMixin,
    finetuning_method,
    load_processed,
    model_card_info,
    model_init_kwargs,
    train_and_save,
)

logger = logging.getLogger(__name__)


@dataclass
class GRPOScriptArguments(ScriptArguments):
    """TRL's script arguments, with defaults for `medqa prepare` output, the rewards and the optional judge."""

    dataset_name: str | None = field(
        default="data/processed",
        metadata={"help": "`medqa prepare` output: a local DatasetDict directory or a Hub dataset id."},
    )
    dataset_train_split: str = field(default="grpo", metadata={"help": "Split of prompts to train on."})
    dataset_test_split: str = field(default="dev", metadata={"help": "Split to evaluate on (if eval is on)."})
    system_prompt: str | None = field(
        default=None, metadata={"help": "Replace every prompt's system prompt with this one."}
    )
    enable_thinking: bool = field(
        default=True, metadata={"help": "Render prompts for Qwen3's thinking mode (the SFT model's mode)."}
    )
    max_train_samples: int | None = field(default=None, metadata={"help": "Use only the first N prompts."})
    max_eval_samples: int | None = field(
        default=None, metadata={"help": "Use only the first N eval prompts."}
    )
    reward_funcs: list[str] = field(
        default_factory=lambda: list(SCORES),
        metadata={
            "help": "Rewards, in the order of `reward_weights`: format, emergency_referral, risky_prescription, "
            "answer_language, repetition, length, reference_overlap, judge (see medqa/rewards.py)."
        },
    )
    min_answer_chars: int = field(
        default=10,
        metadata={"help": "Answers shorter than this get the length reward's short-answer penalty."},
    )
    overlong_buffer: int = field(
        default=0,
        metadata={
            "help": "Tokens before max_completion_length over which the length penalty ramps from 0 to -1 (0: "
            "only a cut completion is penalised)."
        },
    )
    judge_url: str | None = field(
        default=None,
        metadata={"help": "OpenAI-compatible base URL for the `judge` reward (as medqa evaluate)."},
    )
    judge_model: str | None = field(default=None, metadata={"help": "Model name at the judge endpoint."})
    judge_cache: str | None = field(
        default=None, metadata={"help": "Judge cache jsonl (default: <output_dir>/judge_cache.jsonl)."}
    )


# ---------------------------------------------------------------------------------------------- data


def prompt_row(row: dict[str, Any], system_prompt: str | None) -> dict[str, Any]:
    """A prepared row (a `grpo` prompt, or a processed row with an output) as a GRPO prompt and its reward
    columns: the red flag, red-team category and language from `meta`, and the reference answer if any."""
    meta = row.get("meta") or {}
    reference = row.get("reference")
    if reference is None and row.get("output"):
        reference = split_think(row["output"]).answer
    messages = row.get("messages") or []
    system = next((m["content"] for m in messages if m["role"] == "system"), "")
    return {
        "prompt": conversation(
            row["input"], system_prompt=system if system_prompt is None else system_prompt
        ),
        "red_flag": meta.get("red_flag"),
        "category": meta.get("category") or "",
        "language": meta.get("language") or "",
        "reference": reference or "",
    }


def to_prompt_split(split, split_name: str, script_args: GRPOScriptArguments, limit: int | None):
    if limit is not None:
        split = split.select(range(min(limit, len(split))))
    missing = [name for name in ("input", "meta") if name not in split.column_names]
    if missing:
        raise SchemaError(f"{script_args.dataset_name}[{split_name}]: missing field(s) {', '.join(missing)}")
    return split.map(
        lambda row: prompt_row(row, script_args.system_prompt), remove_columns=split.column_names
    )


def load_grpo_datasets(script_args: GRPOScriptArguments, training_args: GRPOConfig):
    """Prompt split to train on, and the eval split (None when evaluation is off)."""
    dataset = load_processed(script_args.dataset_name, script_args.dataset_config)
    wanted = [script_args.dataset_train_split]
    if training_args.eval_strategy != "no":
        wanted.append(script_args.dataset_test_split)
    for name in wanted:
        if name not in dataset:
            hint = " (rerun `medqa prepare`: it writes the grpo split)" if name == "grpo" else ""
            raise SchemaError(
                f"{script_args.dataset_name}: no split '{name}' (has {', '.join(dataset)}){hint}"
            )
    train = to_prompt_split(
        dataset[script_args.dataset_train_split],
        script_args.dataset_train_split,
        script_args,
        script_args.max_train_samples,
    )
    evaluation = None
    if training_args.eval_strategy != "no":
        evaluation = to_prompt_split(
            dataset[script_args.dataset_test_split],
            script_args.dataset_test_split,
            script_args,
            script_args.max_eval_samples,
        )
    return train, evaluation


# ------------------------------------------------------------------------------------------- trainer


class MedqaGRPOTrainer(MedqaArtifactMixin, GRPOTrainer):
    """GRPOTrainer that saves like the SFT recipe: no empty artifacts, generation config, project card."""

    def __init__(self, *args, model_card: dict[str, Any] | None = None, **kwargs):
        self.model_card_info = model_card or {}
        super().__init__(*args, **kwargs)


def make_judge(script_args: GRPOScriptArguments, training_args: GRPOConfig):
    """The `medqa evaluate --judge-url` client, cached beside the run, or None when no judge is set."""
    if not script_args.judge_url:
        return None
    if not script_args.judge_model:
        raise ValueError("judge_url needs judge_model")
    from medqa.metrics.judge import CachedJudge, openai_judge

    cache = script_args.judge_cache or str(Path(training_args.output_dir) / "judge_cache.jsonl")
    return CachedJudge(
        openai_judge(script_args.judge_url, script_args.judge_model), cache, name=script_args.judge_model
    )


def policy_model(model_args: ModelConfig, training_args: GRPOConfig):
    """The model to train: a Hub id or directory (TRL loads it), or an SFT LoRA adapter directory, which
    keeps training as it is (a trainable PEFT model) instead of getting a second adapter."""
    path = Path(model_args.model_name_or_path)
    if not (path / "adapter_config.json").is_file():
        return model_args.model_name_or_path
    if model_args.use_peft:
        raise ValueError(
            f"{path} is a LoRA adapter: it keeps training as it is, so drop use_peft, or start from the "
            "merged model (`medqa export`) to train a new adapter"
        )
    from peft import AutoPeftModelForCausalLM

    kwargs = dict(training_args.model_init_kwargs or {})
    return AutoPeftModelForCausalLM.from_pretrained(str(path), is_trainable=True, **kwargs)


def build_grpo_trainer(
    script_args: GRPOScriptArguments, training_args: GRPOConfig, model_args: ModelConfig
) -> MedqaGRPOTrainer:
    """The trainer for one GRPO recipe: prompts, rewards with their weights, model, generation settings."""
    if not model_args.model_name_or_path:
        raise ValueError(
            "model_name_or_path is required (the SFT model: a directory, merged model or Hub id)"
        )
    names = list(script_args.reward_funcs)
    if training_args.reward_weights is not None and len(training_args.reward_weights) != len(names):
        raise ValueError(
            f"reward_weights has {len(training_args.reward_weights)} values but reward_funcs names "
            f"{len(names)} rewards ({', '.join(names)}): give one weight per reward, in the same order"
        )
    training_args.model_init_kwargs = model_init_kwargs(model_args, training_args)
    training_args.chat_template_kwargs = {
        "enable_thinking": script_args.enable_thinking,
        **(training_args.chat_template_kwargs or {}),
    }
    train, evaluation = load_grpo_datasets(script_args, training_args)
    settings = RewardSettings(
        max_completion_length=training_args.max_completion_length,
        overlong_buffer=script_args.overlong_buffer,
        min_answer_chars=script_args.min_answer_chars,
    )
    rewards = build_rewards(names, settings, judge=make_judge(script_args, training_args))
    info = model_card_info(script_args, training_args, model_args)
    weights = training_args.reward_weights or [1.0] * len(names)
    info["hyperparameters"] |= {
        "num_generations": training_args.num_generations,
        "max_completion_length": training_args.max_completion_length,
        "temperature": training_args.temperature,
        "beta": training_args.beta,
        "loss_type": training_args.loss_type,
        "scale_rewards": training_args.scale_rewards,
    }
    info |= {"stage": "grpo", "rewards": dict(zip(names, map(float, weights), strict=True))}
    trainer = MedqaGRPOTrainer(
        model=policy_model(model_args, training_args),
        reward_funcs=rewards,
        args=training_args,
        train_dataset=train,
        eval_dataset=evaluation,
        peft_config=get_peft_config(model_args),
        quantization_config=get_quantization_config(model_args),
        model_card=info,
    )
    # The stop ids are the trainer's (tokenizer EOS plus the model's, i.e. <|im_end|>): known only now.
    stop = replace(settings, eos_token_ids=tuple(trainer.eos_token_ids))
    for reward in trainer.reward_funcs:
        reward.settings = stop
    if IM_END not in trainer.processing_class.convert_ids_to_tokens(list(stop.eos_token_ids)):
        logger.warning(
            "%s does not stop on %s: run GRPO on the SFT model", model_args.model_name_or_path, IM_END
        )
    return trainer


def run_grpo(
    script_args: GRPOScriptArguments, training_args: GRPOConfig, model_args: ModelConfig
) -> dict[str, float]:
    """The whole recipe: what `recipes/grpo.py` runs."""
    trainer = build_grpo_trainer(script_args, training_args, model_args)
    metrics = train_and_save(trainer, script_args, training_args)
    trainer.accelerator.print(f"model saved to {training_args.output_dir} ({finetuning_method(model_args)})")
    trainer.end()
    return metrics


def make_parser():
    from trl import TrlParser

    return TrlParser((GRPOScriptArguments, GRPOConfig, ModelConfig))
