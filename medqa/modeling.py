"""Load a model for generation the same way everywhere (predict, demo, evaluation, export).

A model is named by a `ModelSpec`: a Hub id or directory of a full model, or an adapter directory whose
base is read from `adapter_config.json` (or given with `base`). Weights load from safetensors only,
remote code stays off unless asked, and device and dtype default to what the machine has (CUDA with
bf16 when present, CPU with float32 otherwise), so one spec means the same model on every consumer.
Imports are at module level: transformers' lazy imports are not thread-safe, and the demo loads
models from worker threads.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import torch
from huggingface_hub import hf_hub_download
from huggingface_hub.errors import EntryNotFoundError
from peft import PeftModel
from transformers import AutoModelForCausalLM, AutoTokenizer, BitsAndBytesConfig, GenerationConfig

ADAPTER_CONFIG = "adapter_config.json"
ADAPTER_WEIGHTS = "adapter_model.safetensors"
MODEL_CONFIG = "config.json"
DTYPES = ("auto", "float32", "bfloat16", "float16")


class ModelLoadError(RuntimeError):
    """A model, adapter or base could not be found or loaded; the message says which and what to try."""


@dataclass
class ModelSpec:
    """What to load. `model` is a full model or an adapter; `base` overrides the adapter's own base."""

    model: str
    base: str | None = None
    load_in_4bit: bool = False
    dtype: str = "auto"
    device: str = "auto"
    trust_remote_code: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class LoadedModel:
    """A model in eval mode with its tokenizer (left padding, for batched generation)."""

    model: Any
    tokenizer: Any
    spec: ModelSpec
    is_adapter: bool
    base: str | None  # the base the adapter was applied to; None for a full model

    @property
    def device(self):
        return self.model.device


def resolve_device(device: str = "auto") -> str:

    if device != "auto":
        return device
    return "cuda" if torch.cuda.is_available() else "cpu"


def resolve_dtype(dtype: str, device: str):
    """bf16 on a GPU that has it (fp16 otherwise), float32 on CPU, unless a dtype is named."""

    if dtype not in DTYPES:
        raise ValueError(f"dtype must be one of {', '.join(DTYPES)}, got {dtype!r}")
    if dtype != "auto":
        return getattr(torch, dtype)
    if device.startswith("cuda"):
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    return torch.float32


def _looks_like_local_path(name: str) -> bool:
    """A Hub id is `name` or `org/name`; anything else (absolute, ./, ~, deeper paths) is meant as a path."""
    return name.startswith((".", "/", "~")) or name.count("/") > 1 or "\\" in name or Path(name).exists()


def _read_adapter_config(model: str) -> dict[str, Any] | None:
    """The adapter config of `model`, or None when `model` is a full model; errors say what is missing."""
    path = Path(model).expanduser()
    if path.is_dir():
        if (path / ADAPTER_CONFIG).is_file():
            if not (path / ADAPTER_WEIGHTS).is_file():
                raise ModelLoadError(
                    f"adapter {path} has no {ADAPTER_WEIGHTS} (only safetensors weights are loaded)"
                )
            return json.loads((path / ADAPTER_CONFIG).read_text(encoding="utf-8"))
        if (path / MODEL_CONFIG).is_file():
            return None
        raise ModelLoadError(
            f"{path} holds neither a model ({MODEL_CONFIG}) nor an adapter ({ADAPTER_CONFIG})"
        )
    if _looks_like_local_path(model):
        raise ModelLoadError(f"model path not found: {path}")

    try:
        return json.loads(Path(hf_hub_download(model, ADAPTER_CONFIG)).read_text(encoding="utf-8"))
    except EntryNotFoundError:
        return None
    except (
        Exception
    ) as error:  # offline, private, or no such repo: say so instead of a stack of hub internals
        raise ModelLoadError(
            f"model {model!r} is not a local directory and could not be read from the Hub ({error})"
        ) from error


def _quantization_config(load_in_4bit: bool, dtype):
    if not load_in_4bit:
        return None

    return BitsAndBytesConfig(
        load_in_4bit=True,
        bnb_4bit_quant_type="nf4",
        bnb_4bit_use_double_quant=True,
        bnb_4bit_compute_dtype=dtype,
    )


def _load_causal_lm(name: str, spec: ModelSpec, device: str, dtype, role: str):

    try:
        return AutoModelForCausalLM.from_pretrained(
            name,
            dtype=dtype,
            device_map={"": device},
            quantization_config=_quantization_config(spec.load_in_4bit, dtype),
            trust_remote_code=spec.trust_remote_code,
            use_safetensors=True,
        )
    except OSError as error:
        raise ModelLoadError(f"could not load the {role} {name!r}: {error}") from error


def _base_of(spec: ModelSpec, adapter_config: dict[str, Any]) -> str:
    base = spec.base or adapter_config.get("base_model_name_or_path")
    if not base:
        raise ModelLoadError(f"adapter {spec.model} does not name its base model; pass --base")
    if not spec.base and _looks_like_local_path(base) and not Path(base).expanduser().is_dir():
        raise ModelLoadError(
            f"the base model of adapter {spec.model} cannot be found: {base} (from {ADAPTER_CONFIG}); "
            "pass --base with its Hub id or local path"
        )
    return base


def _has_tokenizer(name: str) -> bool:
    path = Path(name).expanduser()
    return path.is_dir() and any((path / f).is_file() for f in ("tokenizer.json", "tokenizer_config.json"))


THINK_TAGS = ("<think>", "</think>")


def check_think_tags(tokenizer, where: str) -> None:
    """Qwen3's think tags must be added tokens that are *not* special: decoding with
    `skip_special_tokens=True` (predict, the demo, the training signal) would otherwise drop them and
    every reply would read as missing its think block."""
    special = []
    for tag in THINK_TAGS:
        token_id = tokenizer.convert_tokens_to_ids(tag)
        added = tokenizer.added_tokens_decoder.get(token_id) if isinstance(token_id, int) else None
        if (added is not None and added.special) or tag in tokenizer.all_special_tokens:
            special.append(tag)
    if special:
        raise ModelLoadError(
            f"the tokenizer of {where} marks {' and '.join(special)} as special tokens: decoding with "
            "skip_special_tokens=True would delete them and every reply would look like it has no think "
            'block. Set "special": false for them in tokenizer.json (added_tokens) and tokenizer_config.json '
            "(added_tokens_decoder), and leave them out of additional_special_tokens, as Qwen3 ships them."
        )


def load_tokenizer(name: str, trust_remote_code: bool = False):
    """The tokenizer for generation: left padding so batched prompts end where generation starts."""

    tokenizer = AutoTokenizer.from_pretrained(name, trust_remote_code=trust_remote_code)
    check_think_tags(tokenizer, name)
    tokenizer.padding_side = "left"
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return tokenizer


def generation_config_of(spec: ModelSpec) -> GenerationConfig:
    """The generation config a spec decodes with by default, read without loading weights: the adapter's
    own (the SFT recipe saves one beside it), else its base's, else transformers' defaults."""
    try:
        source = resolve_source(spec)
    except ModelLoadError:
        return GenerationConfig()  # the load itself will say what is wrong
    for name in (source.adapter, source.weights):
        if name is None:
            continue
        try:
            return GenerationConfig.from_pretrained(name, trust_remote_code=spec.trust_remote_code)
        except OSError:
            continue
    return GenerationConfig()


@dataclass(frozen=True)
class ModelSource:
    """Where the weights of a spec come from: a full model, or a base plus an adapter on top."""

    weights: str  # the full model, or the adapter's base
    adapter: str | None
    tokenizer: str  # the adapter's own tokenizer when it saved one (its chat template may differ)


def resolve_source(spec: ModelSpec) -> ModelSource:
    """Find out what `spec.model` is and, for an adapter, which base it sits on."""
    adapter_config = _read_adapter_config(spec.model)
    if adapter_config is None:
        return ModelSource(weights=spec.model, adapter=None, tokenizer=spec.model)
    base = _base_of(spec, adapter_config)
    return ModelSource(
        weights=base, adapter=spec.model, tokenizer=spec.model if _has_tokenizer(spec.model) else base
    )


def load_model(spec: ModelSpec) -> LoadedModel:
    """Load `spec` for inference: a full model, or base + adapter."""
    device = resolve_device(spec.device)
    dtype = resolve_dtype(spec.dtype, device)
    source = resolve_source(spec)
    role = "model" if source.adapter is None else f"base model of adapter {spec.model}"
    model = _load_causal_lm(source.weights, spec, device, dtype, role)
    if source.adapter is not None:
        model = PeftModel.from_pretrained(model, source.adapter, is_trainable=False)
    model.eval()
    return LoadedModel(
        model=model,
        tokenizer=load_tokenizer(source.tokenizer, spec.trust_remote_code),
        spec=spec,
        is_adapter=source.adapter is not None,
        base=source.weights if source.adapter is not None else None,
    )


def merge_adapter(loaded: LoadedModel):
    """The adapter folded into its base weights: a plain transformers model, no peft at inference."""
    if not loaded.is_adapter:
        raise ModelLoadError(f"{loaded.spec.model} is a full model, not an adapter: nothing to merge")
    if loaded.spec.load_in_4bit:
        raise ModelLoadError("merge into full-precision weights: load the base without --load-in-4bit")
    return loaded.model.merge_and_unload()
