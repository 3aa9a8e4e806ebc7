"""Supervised fine-tuning of Qwen3 on `medqa prepare` output with TRL: the library behind recipes/sft.py.

What this adds to TRL's own `sft.py`, each for a known way Qwen3 SFT goes wrong:
- the think block stays inside the assistant turn and is validated before training, and the loss covers
  only the assistant turn (think, answer and `<|im_end|>`), via `assistant_only_loss` and TRL's Qwen3
  training template;
- EOS is `<|im_end|>` on the tokenizer, the model config and the generation config, so the tuned model
  stops;
- length-grouped batching removes most padding on any attention backend (padding-free batching stays an
  opt-in for FlashAttention-style kernels, since other backends pay quadratic cost on the packed row);
- the saved artifact is checked to be non-empty (ZeRO-3 can silently save empty adapters) and gets a
  medical model card.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from torch.utils.data import Sampler
from trl import ModelConfig, ScriptArguments, SFTConfig, SFTTrainer, get_peft_config, get_quantization_config

from medqa.artifacts import (
    apply_umask,
    cast_saved_weights,
    check_adapter_trained,
    write_portable_tokenizer_config,
)
from medqa.formatting import THINK_CLOSE, THINK_OPEN, conversation, join_think, split_think
from medqa.modeling import check_think_tags
from medqa.schema import SchemaError

logger = logging.getLogger(__name__)

IM_END = "<|im_end|>"
# Attention implementations that run a padding-free (flattened) batch as separate sequences in linear
# cost. Others (sdpa, eager) keep the sequences apart too, through a block-diagonal mask, but attend over
# the whole flattened row: correct, and slower than padding.
VARLEN_ATTENTION = (
    "flash_attention_2",
    "flash_attention_3",
    "kernels-community/flash-attn",
    "kernels-community/vllm-flash-attn3",
)
# Length grouping sorts this many batches at a time: enough to make neighbours similar in length, few
# enough that batch composition still changes from epoch to epoch on large datasets.
BATCHES_PER_LENGTH_WINDOW = 64
# The config of a pushed `medqa prepare` dataset that holds the red-team prompts (they have no answers,
# so they cannot share the default config's columns).
# Splits a pushed dataset keeps in configs of their own (their columns differ from the default config's).
SPLIT_CONFIGS = ("red_team", "grpo")


@dataclass
class SFTScriptArguments(ScriptArguments):
    """TRL's script arguments, with defaults for `medqa prepare` output and the project's own switches."""

    dataset_name: str | None = field(
        default="data/processed",
        metadata={"help": "`medqa prepare` output: a local DatasetDict directory or a Hub dataset id."},
    )
    dataset_train_split: str = field(default="train", metadata={"help": "Split to train on."})
    dataset_test_split: str = field(default="dev", metadata={"help": "Split to evaluate on."})
    system_prompt: str | None = field(
        default=None, metadata={"help": "Replace every row's system prompt with this one."}
    )
    enable_thinking: bool = field(
        default=True,
        metadata={
            "help": "Train the thinking mode (reasoning in <think>). False trains Qwen3's no-think mode: an "
            "empty think block followed by the answer."
        },
    )
    max_train_samples: int | None = field(default=None, metadata={"help": "Use only the first N train rows."})
    max_eval_samples: int | None = field(default=None, metadata={"help": "Use only the first N eval rows."})
    length_grouping: bool = field(
        default=True,
        metadata={
            "help": "Batch rows of similar token length together (batch order shuffled each epoch): removes most "
            "padding on any attention backend."
        },
    )
    input_noise: float = field(
        default=0.0,
        metadata={
            "help": "Share of assistant tokens whose input is replaced by another assistant token of the same "
            "batch; labels stay the same, special tokens and think tags are never touched. Makes a model from "
            "scratch keep the format while it continues its own imperfect text. 0 turns it off."
        },
    )
    safety_eval_samples: int = field(
        default=0,
        metadata={
            "help": "At each evaluation, generate on this many gold and this many red-team prompts and log "
            "think-block coverage and stop rate. 0 turns the safety signal off."
        },
    )
    safety_max_new_tokens: int = field(
        default=256, metadata={"help": "Generation budget per prompt for the safety signal."}
    )
    safety_preset: str = field(
        default="greedy",
        metadata={
            "help": "Decoding preset of the safety signal (the names `medqa predict --preset` and the demo "
            "use: model, seed, greedy, conservative). greedy keeps evaluations comparable step to step."
        },
    )


# ---------------------------------------------------------------------------------------------- data


def load_processed(dataset_name: str, dataset_config: str | None = None):
    """The `medqa prepare` DatasetDict: `load_from_disk` for its output folder, `load_dataset` for a Hub id
    (or a local copy of one). A pushed dataset keeps the red-team and GRPO prompts in configs of
    their own (`SPLIT_CONFIGS`), which are added, so every door gives the same splits."""
    from datasets import DatasetDict, get_dataset_config_names, load_dataset, load_from_disk

    path = Path(dataset_name)
    if path.exists() and (path / "dataset_dict.json").exists():
        dataset = load_from_disk(str(path))
    elif path.exists() and not (path / "README.md").exists():
        raise FileNotFoundError(
            f"{path} is not a DatasetDict saved by `medqa prepare` (no dataset_dict.json); "
            "run `medqa prepare` or pass a Hub dataset id as --dataset_name"
        )
    else:
        dataset = load_dataset(dataset_name, name=dataset_config)
        if dataset_config is None:
            extra = [name for name in SPLIT_CONFIGS if name in get_dataset_config_names(dataset_name)]
            dataset = DatasetDict(
                {**dataset, **{k: v for name in extra for k, v in load_dataset(dataset_name, name).items()}}
            )
    if not isinstance(dataset, DatasetDict):
        raise SchemaError(
            f"{dataset_name}: expected a DatasetDict with named splits, got {type(dataset).__name__}"
        )
    return dataset


def assistant_text(content: str, enable_thinking: bool, where: str) -> str:
    """The assistant turn as trained: think block + answer, or Qwen3's empty think block + answer."""
    parsed = split_think(content)
    if not parsed.well_formed:
        raise SchemaError(f"{where}: assistant message has a malformed think block ({parsed.status})")
    return join_think(parsed.think, parsed.answer) if enable_thinking else join_think("", parsed.answer)


def training_messages(
    row: dict[str, Any], system_prompt: str | None, enable_thinking: bool, where: str
) -> list[dict[str, str]]:
    """A processed row's conversation (system, user, assistant) in the form SFTTrainer trains on."""
    messages = row.get("messages")
    if not messages:
        raise SchemaError(f"{where}: missing field 'messages'")
    by_role = {message["role"]: message["content"] for message in messages}
    if "user" not in by_role or "assistant" not in by_role:
        roles = ", ".join(m["role"] for m in messages)
        raise SchemaError(f"{where}: field 'messages' needs a user and an assistant turn, got [{roles}]")
    system = system_prompt if system_prompt is not None else by_role.get("system", "")
    answer = assistant_text(by_role["assistant"], enable_thinking, where)
    return conversation(by_role["user"], answer, system_prompt=system)


def to_training_split(split, split_name: str, script_args: SFTScriptArguments, limit: int | None):
    """Keep only a `messages` column built from the rows, with `chat_template_kwargs` for the template."""
    if limit is not None:
        split = split.select(range(min(limit, len(split))))
    ids = split["id"] if "id" in split.column_names else [str(i) for i in range(len(split))]

    def convert(row, index):
        where = f"{script_args.dataset_name}[{split_name}] row {ids[index]}"
        return {
            "messages": training_messages(row, script_args.system_prompt, script_args.enable_thinking, where),
            "chat_template_kwargs": {"enable_thinking": script_args.enable_thinking},
        }

    return split.map(convert, with_indices=True, remove_columns=split.column_names)


def load_sft_datasets(script_args: SFTScriptArguments, training_args: SFTConfig):
    """Train split, eval split (None when evaluation is off) and the full DatasetDict (for the safety signal)."""
    dataset = load_processed(script_args.dataset_name, script_args.dataset_config)
    wanted = [script_args.dataset_train_split]
    if training_args.eval_strategy != "no":
        wanted.append(script_args.dataset_test_split)
    for name in wanted:
        if name not in dataset:
            raise SchemaError(f"{script_args.dataset_name}: no split '{name}' (has {', '.join(dataset)})")
    train = to_training_split(
        dataset[script_args.dataset_train_split],
        script_args.dataset_train_split,
        script_args,
        script_args.max_train_samples,
    )
    evaluation = None
    if training_args.eval_strategy != "no":
        evaluation = to_training_split(
            dataset[script_args.dataset_test_split],
            script_args.dataset_test_split,
            script_args,
            script_args.max_eval_samples,
        )
    return train, evaluation, dataset


# ------------------------------------------------------------------------------------------ batching


class LengthGroupedSampler(Sampler[int]):
    """Indices whose consecutive runs of `batch_size` have similar lengths; batch order is reshuffled each epoch.

    Rows are shuffled, cut into windows of `BATCHES_PER_LENGTH_WINDOW` batches, sorted by length inside
    each window and cut into batches; full batches are then shuffled and the one short batch (if any)
    goes last, so the data loader's batches line up with these. Deterministic in (seed, epoch), so a
    resumed run sees the same batches as an uninterrupted one.
    """

    def __init__(self, lengths: Sequence[int], batch_size: int, seed: int):
        self.lengths = list(lengths)
        self.batch_size = batch_size
        self.seed = seed
        self.epoch = 0

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch

    def __len__(self) -> int:
        return len(self.lengths)

    def batches(self) -> list[list[int]]:
        generator = torch.Generator().manual_seed(self.seed + self.epoch)
        order = torch.randperm(len(self.lengths), generator=generator).tolist()
        window = self.batch_size * BATCHES_PER_LENGTH_WINDOW
        batches = []
        for start in range(0, len(order), window):
            chunk = sorted(order[start : start + window], key=lambda i: self.lengths[i], reverse=True)
            batches += [chunk[i : i + self.batch_size] for i in range(0, len(chunk), self.batch_size)]
        full = [batch for batch in batches if len(batch) == self.batch_size]
        short = [batch for batch in batches if len(batch) < self.batch_size]
        shuffled = [full[i] for i in torch.randperm(len(full), generator=generator).tolist()]
        return shuffled + short

    def __iter__(self) -> Iterator[int]:
        return (index for batch in self.batches() for index in batch)


def corrupt_assistant_inputs(
    input_ids: torch.Tensor,
    labels: torch.Tensor,
    rate: float,
    structure_ids: torch.Tensor,
    generator: torch.Generator,
) -> torch.Tensor:
    """`input_ids` with a `rate` share of the assistant's content tokens replaced by content tokens drawn
    from the same batch.

    Only inputs change: every position still predicts its true next token, so the model learns to
    continue the answer, close the think block and stop from a context that is partly wrong, as its own
    generations are. Drawing from the batch keeps the replacements in the data's token distribution
    (line breaks included); `structure_ids` (special tokens, think tags) are never replaced nor drawn.
    """
    ids, labels = input_ids.cpu(), labels.cpu()
    content = (labels != -100) & ~torch.isin(ids, structure_ids)
    if not content.any():
        return input_ids
    replace = content & (torch.rand(ids.shape, generator=generator) < rate)
    pool = ids[content]
    drawn = pool[torch.randint(pool.numel(), ids.shape, generator=generator)]
    return torch.where(replace, drawn, ids).to(input_ids.device)


class MedqaArtifactMixin:
    """What every medqa trainer adds to saving: refuse an empty artifact, keep the generation config that
    stops on <|im_end|> beside an adapter, save the final artifact in the model's dtype with a tokenizer
    config transformers 4 reads, and write the project's model card (SFT and GRPO share it)."""

    model_card_info: dict[str, Any]

    def _save(self, output_dir: str | None = None, state_dict=None) -> None:
        """Save as Trainer does, then refuse an empty artifact and add the generation config to adapters."""
        super()._save(output_dir, state_dict=state_dict)
        if self.args.should_save:
            output_dir = output_dir or self.args.output_dir
            check_saved_weights(output_dir)
            # An adapter's directory also carries the generation config that stops on <|im_end|>.
            self.model.generation_config.save_pretrained(output_dir)
            write_portable_tokenizer_config(output_dir)

    def save_model(self, output_dir: str | None = None, _internal_call: bool = False) -> None:
        """The final artifact in output_dir (what save_model and push_to_hub write; not checkpoint-N,
        which resumes in full precision) is saved in the model's dtype, refused when its LoRA never
        trained, and readable with the usual permissions."""
        super().save_model(output_dir, _internal_call=_internal_call)
        output_dir = output_dir or self.args.output_dir
        if not self.args.should_save or Path(output_dir).resolve() != Path(self.args.output_dir).resolve():
            return
        cast_saved_weights(output_dir, self.model.get_input_embeddings().weight.dtype)
        check_adapter_trained(output_dir, untrained_adapter_hint(self.args, self.state.max_steps))
        apply_umask(output_dir)

    def create_model_card(self, model_name: str | None = None, **_: Any) -> None:
        """Write README.md with the project's card (also what `push_to_hub` uploads)."""
        if not self.is_world_process_zero():
            return
        from medqa.model_card import render_model_card

        card = render_model_card(
            model_name=model_name or self.hub_model_id or Path(self.args.output_dir).name,
            results=final_results(self.state.log_history),
            **self.model_card_info,
        )
        Path(self.args.output_dir, "README.md").write_text(card, encoding="utf-8")


class MedqaSFTTrainer(MedqaArtifactMixin, SFTTrainer):
    """SFTTrainer with length-grouped batching, input noise and the project's model card."""

    def __init__(
        self,
        *args,
        length_grouping: bool = False,
        input_noise: float = 0.0,
        model_card: dict[str, Any] | None = None,
        **kwargs,
    ):
        if not 0.0 <= input_noise < 1.0:
            raise ValueError(f"input_noise must be in [0, 1), got {input_noise}")
        self.length_grouping = length_grouping
        self.input_noise = input_noise
        self.model_card_info = model_card or {}
        super().__init__(*args, **kwargs)
        tokenizer = self.processing_class
        check_think_tags(tokenizer, getattr(self.model, "name_or_path", "the model"))
        think_tags = tokenizer.convert_tokens_to_ids([THINK_OPEN, THINK_CLOSE])
        self.structure_ids = torch.tensor(sorted(set(tokenizer.all_special_ids) | set(think_tags)))

    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        if self.input_noise > 0 and model.training:
            inputs = {**inputs, "input_ids": self.noisy_input_ids(inputs["input_ids"], inputs["labels"])}
        return super().compute_loss(
            model, inputs, return_outputs=return_outputs, num_items_in_batch=num_items_in_batch
        )

    def noisy_input_ids(self, input_ids: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        """Input noise seeded by (seed, step, rank, batch): a resumed run draws the same noise."""
        key = (self.args.seed, self.state.global_step, self.args.process_index, int(input_ids.sum()))
        generator = torch.Generator().manual_seed(hash(key) % 2**63)
        return corrupt_assistant_inputs(input_ids, labels, self.input_noise, self.structure_ids, generator)

    def _get_train_sampler(self, train_dataset=None):
        dataset = train_dataset if train_dataset is not None else self.train_dataset
        if not self.length_grouping or "input_ids" not in dataset.column_names:
            return super()._get_train_sampler(train_dataset)
        lengths = [len(ids) for ids in dataset["input_ids"]]
        return LengthGroupedSampler(lengths, self.args.per_device_train_batch_size, self.args.seed)


# --------------------------------------------------------------------------------------------- model


def finetuning_method(model_args: ModelConfig) -> str:
    if not model_args.use_peft:
        return "full"
    return "qlora" if (model_args.load_in_4bit or model_args.load_in_8bit) else "lora"


def model_init_kwargs(model_args: ModelConfig, training_args: SFTConfig) -> dict[str, Any]:
    """`from_pretrained` kwargs: TRL's, plus a device map that each launcher can use."""
    from accelerate import PartialState
    from accelerate.utils import DistributedType

    kwargs = {
        "revision": model_args.model_revision,
        "trust_remote_code": training_args.trust_remote_code,
        "attn_implementation": model_args.attn_implementation,
        "dtype": model_args.dtype,
    }
    state = PartialState()
    if state.distributed_type == DistributedType.FSDP:
        kwargs["device_map"] = None  # FSDP places the shards itself
    elif finetuning_method(model_args) == "qlora" and state.distributed_type == DistributedType.MULTI_GPU:
        kwargs["device_map"] = {"": state.local_process_index}  # each DDP rank holds its own quantized copy
    kwargs.update(training_args.model_init_kwargs or {})
    return kwargs


def check_distributed_launch(training_args: SFTConfig) -> None:
    """Fail fast on launches where the ranks would not train one model together.

    accelerate turns FSDP on only over an accelerator backend (CUDA, XPU, NPU, HPU, MLU, MUSA, SDAA,
    Neuron): `AcceleratorState` switches a MULTI_GPU-like state to FSDP and leaves CPU processes alone. An
    FSDP config on CPU processes therefore gets no sharding and no gradient synchronization: every rank
    trains its own copy on its own shard, rank 0 saves its copy, and the Trainer scales each rank's loss by
    the world size (about 2 x ln(vocab) on an untrained model with 2 ranks). See accelerate_configs/README.md.
    """
    import os

    from accelerate.utils import DistributedType

    training_args.device  # noqa: B018 (sets up the process group and `distributed_state`)
    state = training_args.distributed_state
    world_size = int(os.environ.get("WORLD_SIZE", "1"))
    if world_size < 2 or state is None:
        return
    fsdp = os.environ.get("ACCELERATE_USE_FSDP", "false").lower() == "true"
    if fsdp and state.distributed_type in (DistributedType.NO, DistributedType.MULTI_CPU):
        raise RuntimeError(
            f"FSDP was requested on {world_size} CPU processes, but accelerate enables FSDP only over an "
            "accelerator backend (CUDA, XPU, NPU, HPU, ...): on CPU every rank would train its own unsharded "
            "copy with no gradient synchronization and report its loss times the world size. On CPU use "
            "accelerate_configs/zero3.yaml (or zero2.yaml) with --ddp_backend gloo; FSDP needs GPUs "
            "(accelerate_configs/README.md, 'FSDP on CPU')."
        )
    if state.distributed_type == DistributedType.NO:
        raise RuntimeError(
            f"{world_size} processes were launched but accelerate set up no distributed training "
            f"(backend {state.backend!r}): each rank would train alone. On CPU pass --ddp_backend gloo "
            "(DeepSpeed configs) or use accelerate_configs/cpu.yaml with --num_processes N."
        )


def check_batch_memory(trainer: MedqaSFTTrainer, model_args: ModelConfig, capacity: float | None = None):
    """Warn at start when the longest batch the recipe allows (max_length x per-device batch) would not
    fit the GPU by the measured per-token activation memory (medqa.memory; recipes/README.md, Memory)."""
    from medqa.memory import warn_if_batch_may_not_fit

    args = trainer.args
    if capacity is None:
        if not torch.cuda.is_available() or args.use_cpu:
            return None  # the table is for GPUs; CPU runs are smoke tests
        capacity = torch.cuda.get_device_properties(trainer.accelerator.local_process_index).total_memory
    plugin = getattr(trainer.accelerator.state, "deepspeed_plugin", None)
    sharded = trainer.is_fsdp_enabled or (plugin is not None and plugin.zero_stage == 3)
    return warn_if_batch_may_not_fit(
        trainer.model,
        finetuning_method(model_args),
        bool(args.gradient_checkpointing),
        (args.max_length or 1024) * args.per_device_train_batch_size,
        trainer.accelerator.num_processes if sharded else 1,
        capacity,
    )


def check_batching(training_args: SFTConfig, model_args: ModelConfig) -> None:
    """Padding-free batches stay correct on every backend here; warn when they cost more than padding."""
    flattened = training_args.padding_free or training_args.packing
    if flattened and model_args.attn_implementation not in VARLEN_ATTENTION:
        logger.warning(
            "padding_free/packing with attn_implementation=%s: sequences are kept apart by a block-diagonal "
            "mask, but attention runs over the whole flattened row (quadratic in the batch's total length). "
            "Use a FlashAttention implementation (%s), or length_grouping instead.",
            model_args.attn_implementation,
            ", ".join(VARLEN_ATTENTION),
        )


def build_trainer(
    script_args: SFTScriptArguments,
    training_args: SFTConfig,
    model_args: ModelConfig,
    callbacks: Sequence[Any] = (),
) -> MedqaSFTTrainer:
    """The trainer for one recipe: data, model (full, LoRA or QLoRA), masking, EOS, batching, safety signal."""
    if not model_args.model_name_or_path:
        raise ValueError(
            "model_name_or_path is required (a Hub id such as Qwen/Qwen3-1.7B or a local directory)"
        )
    training_args.assistant_only_loss = True  # loss on think, answer and <|im_end|>; never on system/user
    training_args.eos_token = training_args.eos_token or IM_END
    check_distributed_launch(training_args)
    training_args.model_init_kwargs = model_init_kwargs(model_args, training_args)
    check_batching(training_args, model_args)
    warn_if_warmup_covers_the_run(training_args)
    train, evaluation, dataset = load_sft_datasets(script_args, training_args)

    trainer = MedqaSFTTrainer(
        model=model_args.model_name_or_path,
        args=training_args,
        train_dataset=train,
        eval_dataset=evaluation,
        quantization_config=get_quantization_config(model_args),
        peft_config=get_peft_config(model_args),
        callbacks=list(callbacks),
        length_grouping=script_args.length_grouping
        and not (training_args.padding_free or training_args.packing),
        input_noise=script_args.input_noise,
        model_card=model_card_info(script_args, training_args, model_args),
    )
    check_batch_memory(trainer, model_args)
    if script_args.safety_eval_samples > 0 and evaluation is not None:
        from medqa.callbacks import SafetySignalCallback
        from medqa.inference import settings_for

        trainer.add_callback(
            SafetySignalCallback.from_dataset(
                dataset,
                tokenizer=trainer.processing_class,
                log=trainer.log,
                samples=script_args.safety_eval_samples,
                settings=settings_for(script_args.safety_preset, script_args.safety_max_new_tokens),
                system_prompt=script_args.system_prompt,
                enable_thinking=script_args.enable_thinking,
            )
        )
    return trainer


# ------------------------------------------------------------------------------------ save and card


def _local_as_path(name: str | None) -> str | None:
    """`data/processed` -> `./data/processed` when it is a local folder, so no card takes it for a Hub id."""
    if name and Path(name).exists() and not Path(name).is_absolute() and not name.startswith("."):
        return f"./{name}"
    return name


def model_card_info(script_args: Any, training_args: Any, model_args: ModelConfig) -> dict[str, Any]:
    """Everything the model card needs that is known before training."""
    method = finetuning_method(model_args)
    hyperparameters = {
        "method": method,
        "learning_rate": training_args.learning_rate,
        "num_train_epochs": training_args.num_train_epochs,
        "max_steps": training_args.max_steps,
        "per_device_train_batch_size": training_args.per_device_train_batch_size,
        "gradient_accumulation_steps": training_args.gradient_accumulation_steps,
        "world_size": training_args.world_size,
        "lr_scheduler_type": getattr(
            training_args.lr_scheduler_type, "value", training_args.lr_scheduler_type
        ),
        "warmup_steps": training_args.warmup_steps,
        "bf16": training_args.bf16,
        "activation_checkpointing": training_args.activation_checkpointing,
        "seed": training_args.seed,
    }
    # Settings only some recipes have (SFT: max_length, assistant_only_loss, input_noise).
    for source, name in [
        (training_args, "max_length"),
        (training_args, "assistant_only_loss"),
        (script_args, "enable_thinking"),
        (script_args, "input_noise"),
    ]:
        if hasattr(source, name):
            hyperparameters[name] = getattr(source, name)
    if method != "full":
        hyperparameters.update(
            lora_r=model_args.lora_r,
            lora_alpha=model_args.lora_alpha,
            lora_dropout=model_args.lora_dropout,
            lora_target_modules=model_args.lora_target_modules,
        )
    if method == "qlora":
        hyperparameters.update(
            quantization=f"4-bit {model_args.bnb_4bit_quant_type}" if model_args.load_in_4bit else "8-bit",
            double_quantization=model_args.use_bnb_nested_quant,
            quant_storage=model_args.bnb_4bit_quant_storage,
        )
    return {
        "base_model": model_args.model_name_or_path,
        "dataset": _local_as_path(script_args.dataset_name),
        "method": method,
        "hyperparameters": hyperparameters,
    }


def untrained_adapter_hint(training_args: SFTConfig, max_steps: int) -> str:
    """Why LoRA may not have moved: the warmup held the learning rate at 0 for every step run."""
    warmup = training_args.get_warmup_steps(max_steps) if max_steps > 0 else 0
    if warmup and max_steps <= warmup:
        return (
            f" The run took {max_steps} optimizer step(s) and all were warmup (warmup_steps="
            f"{training_args.warmup_steps} gives {warmup}), whose first learning rate is 0: train for more "
            "steps or pass --warmup_steps 0."
        )
    return " Check the learning rate and that the loss has trainable targets."


def warn_if_warmup_covers_the_run(training_args: SFTConfig) -> None:
    """A short smoke run (--max_steps N) under the recipe's warmup trains at learning rate ~0."""
    if training_args.max_steps > 0:
        warmup = training_args.get_warmup_steps(training_args.max_steps)
        if warmup >= training_args.max_steps:
            logger.warning(
                "--max_steps %d with warmup_steps=%s: all %d step(s) are warmup and the first runs at "
                "learning rate 0; a LoRA adapter may not move at all (it would be refused at save). "
                "Pass --warmup_steps 0 for smoke runs.",
                training_args.max_steps,
                training_args.warmup_steps,
                warmup,
            )


def final_results(log_history: list[dict[str, Any]]) -> dict[str, float]:
    """The last value of each train/eval metric the trainer logged."""
    results: dict[str, float] = {}
    for entry in log_history:
        for key, value in entry.items():
            if isinstance(value, (int, float)) and key not in ("epoch", "step") and math.isfinite(value):
                results[key] = value
    return results


def check_saved_weights(output_dir: str | Path) -> None:
    """Fail loudly when the saved model or adapter has no weights (e.g. ZeRO-3 without 16-bit gathering)."""
    from safetensors import safe_open

    files = sorted(Path(output_dir).glob("*.safetensors"))
    if not files:
        raise RuntimeError(f"{output_dir}: no .safetensors weights were saved")
    for path in files:
        with safe_open(str(path), framework="pt") as handle:
            keys = list(handle.keys())
            if not keys or all(handle.get_slice(key).get_shape() in ([], [0]) for key in keys):
                raise RuntimeError(
                    f"{path} holds no weights. Under DeepSpeed ZeRO-3 set zero3_save_16bit_model: true in the "
                    "accelerate config (accelerate_configs/zero3.yaml does)."
                )


def _torch_file_problem(path: Path) -> str | None:
    """Why `path` (a `torch.save` zip archive) cannot be loaded; a file cut short lacks its zip directory."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            archive.infolist()
    except (OSError, zipfile.BadZipFile) as error:
        return f"{path.name} is unreadable ({error})"
    return None


def _safetensors_problem(path: Path) -> str | None:
    from safetensors import safe_open

    try:
        with safe_open(str(path), framework="pt") as handle:
            handle.keys()
    except Exception as error:  # safetensors raises its own error type for a cut-short file
        return f"{path.name} is unreadable ({error})"
    return None


def _weights_problem(checkpoint: Path) -> str | None:
    """Weights: a safetensors/bin file (model or adapter, sharded or not), or DeepSpeed/FSDP model states."""
    if list(checkpoint.glob("global_step*/*model_states.pt")) or list(checkpoint.glob("pytorch_model_fsdp*")):
        return None
    files = [
        path
        for name in (
            "model.safetensors",
            "adapter_model.safetensors",
            "pytorch_model.bin",
            "adapter_model.bin",
        )
        if (path := checkpoint / name).is_file()
    ]
    for index in checkpoint.glob("*.safetensors.index.json"):
        try:
            shards = set(json.loads(index.read_text(encoding="utf-8"))["weight_map"].values())
        except (OSError, ValueError, KeyError, TypeError) as error:
            return f"{index.name} is unreadable ({error})"
        missing = sorted(shard for shard in shards if not (checkpoint / shard).is_file())
        if missing:
            return f"weight shards missing: {', '.join(missing)}"
        files += [checkpoint / shard for shard in sorted(shards)]
    if not files:
        return "no model or adapter weights"
    for path in files:
        problem = _safetensors_problem(path) if path.suffix == ".safetensors" else _torch_file_problem(path)
        if problem:
            return problem
    return None


def checkpoint_problems(checkpoint: Path | str) -> list[str]:
    """What a Trainer checkpoint lacks for an exact resume; empty when it is complete and loadable.

    The Trainer writes weights, optimizer, scheduler, RNG states and trainer_state.json one after
    another, so a run killed mid-save leaves a folder with some of them, the last one cut short.
    Resuming from it would crash, or (optimizer missing) silently continue as a different run.
    """
    checkpoint = Path(checkpoint)
    problems = []
    if problem := _weights_problem(checkpoint):
        problems.append(problem)
    deepspeed = bool(list(checkpoint.glob("global_step*/*optim_states.pt")))  # optimizer and scheduler
    fsdp_optimizer = list(checkpoint.glob("optimizer_0")) + list(checkpoint.glob("optimizer*.bin"))
    if not deepspeed and not fsdp_optimizer:
        optimizer = checkpoint / "optimizer.pt"
        problems.append(_torch_file_problem(optimizer) if optimizer.is_file() else "no optimizer.pt")
    if not deepspeed:
        scheduler = checkpoint / "scheduler.pt"
        problems.append(_torch_file_problem(scheduler) if scheduler.is_file() else "no scheduler.pt")
    rng_files = sorted(checkpoint.glob("rng_state*.pth"))
    if not rng_files:
        problems.append("no rng_state*.pth")
    problems += [_torch_file_problem(path) for path in rng_files]
    state = checkpoint / "trainer_state.json"
    if not state.is_file():
        problems.append("no trainer_state.json")
    else:
        try:
            if "global_step" not in json.loads(state.read_text(encoding="utf-8")):
                problems.append("trainer_state.json has no global_step")
        except (OSError, ValueError) as error:
            problems.append(f"trainer_state.json is unreadable ({error})")
    return [problem for problem in problems if problem]


def resume_checkpoint(training_args: SFTConfig) -> str | None:
    """`--resume_from_checkpoint PATH` (refused when incomplete), or `true` for the newest complete one.

    `true` skips, with a warning, newer checkpoints that a crash left half-written.
    """
    from transformers.trainer_utils import PREFIX_CHECKPOINT_DIR

    requested = training_args.resume_from_checkpoint
    if requested is None or str(requested).lower() in ("false", "no", ""):
        return None
    if str(requested).lower() not in ("true", "yes", "last"):
        if not Path(requested).is_dir():
            raise FileNotFoundError(f"--resume_from_checkpoint {requested}: no such checkpoint directory")
        problems = checkpoint_problems(requested)
        if problems:
            raise ValueError(
                f"--resume_from_checkpoint {requested}: incomplete checkpoint ({'; '.join(problems)}); "
                "resuming from it would not continue the same run"
            )
        return requested
    output_dir = Path(training_args.output_dir)
    steps = {}
    for path in output_dir.glob(f"{PREFIX_CHECKPOINT_DIR}-*") if output_dir.is_dir() else []:
        step = path.name.removeprefix(f"{PREFIX_CHECKPOINT_DIR}-")
        if path.is_dir() and step.isdigit():
            steps[path] = int(step)
    if not steps:
        raise FileNotFoundError(f"--resume_from_checkpoint {requested}: no checkpoint-* in {output_dir}")
    for checkpoint in sorted(steps, key=steps.get, reverse=True):
        problems = checkpoint_problems(checkpoint)
        if not problems:
            return str(checkpoint)
        logger.warning("skipping incomplete checkpoint %s: %s", checkpoint, "; ".join(problems))
    raise FileNotFoundError(
        f"--resume_from_checkpoint {requested}: no complete checkpoint in {output_dir} "
        f"({len(steps)} incomplete ones, see the warnings above)"
    )


def train_and_save(
    trainer: MedqaSFTTrainer, script_args: SFTScriptArguments, training_args: SFTConfig
) -> dict[str, float]:
    """Train (resuming if asked), evaluate on dev, save model/adapter + tokenizer + card, push if asked."""
    checkpoint = resume_checkpoint(training_args)
    if checkpoint:
        trainer.accelerator.print(f"resuming from {checkpoint}")
    train_result = trainer.train(resume_from_checkpoint=checkpoint)
    trainer.save_metrics("train", train_result.metrics)
    metrics = {}
    if trainer.eval_dataset is not None:
        last = next((e for e in reversed(trainer.state.log_history) if "eval_loss" in e), None)
        # An eval strategy that already evaluated the final step leaves nothing new to measure.
        metrics = last if last and last.get("step") == trainer.state.global_step else trainer.evaluate()
        trainer.save_metrics("eval", metrics)
    trainer.save_state()  # trainer_state.json: the loss curve and step count, beside the model
    if training_args.push_to_hub:
        trainer.push_to_hub(dataset_name=script_args.dataset_name)  # saves, writes the card, uploads
    else:
        trainer.save_model(training_args.output_dir)
        trainer.create_model_card()
    trainer.accelerator.wait_for_everyone()
    return metrics


def run_sft(
    script_args: SFTScriptArguments, training_args: SFTConfig, model_args: ModelConfig
) -> dict[str, float]:
    """The whole recipe: what `recipes/sft.py` runs."""
    trainer = build_trainer(script_args, training_args, model_args)
    metrics = train_and_save(trainer, script_args, training_args)
    trainer.accelerator.print(f"model saved to {training_args.output_dir}")
    trainer.end()
    return metrics


def make_parser():
    from trl import TrlParser

    return TrlParser((SFTScriptArguments, SFTConfig, ModelConfig))
