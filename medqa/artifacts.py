"""What a saved model or adapter folder must look like, for every writer (training, export, tiny-model).

- weights in the model's own dtype: peft keeps LoRA weights in float32 for training, so a bf16 model's
  adapter would otherwise be saved at twice its size;
- a LoRA adapter whose B matrices are all zero is the base model unchanged (e.g. `--max_steps 1` with
  warmup trains at learning rate 0): refused rather than shipped;
- a `tokenizer_config.json` that transformers 4.x loads too (serving and conversion tools still pin it):
  transformers 5 writes `extra_special_tokens` as a list and `tokenizer_class: TokenizersBackend`,
  which 4.x rejects; the portable form means the same to 5.x;
- the permissions any file made here gets (the umask): safetensors writes 0600 and `tempfile.mkdtemp`
  0700, which other users and serving accounts cannot read.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import torch

HALF_DTYPES = (torch.bfloat16, torch.float16)
# transformers-5 class names that 4.x does not know; `PreTrainedTokenizerFast` loads tokenizer.json as
# it is in both (a model-specific class could rebuild the pipeline differently).
PORTABLE_TOKENIZER_CLASS = "PreTrainedTokenizerFast"


def cast_saved_weights(folder: str | Path, dtype: torch.dtype) -> list[Path]:
    """Rewrite the folder's float32 safetensors tensors in `dtype` (bf16/fp16); return the files changed."""
    from safetensors import safe_open
    from safetensors.torch import save_file

    if dtype not in HALF_DTYPES:
        return []
    changed = []
    for path in sorted(Path(folder).glob("*.safetensors")):
        with safe_open(str(path), framework="pt") as handle:
            metadata, names = handle.metadata(), handle.keys()  # safe_open is not iterable
            tensors = {name: handle.get_tensor(name) for name in names}
        if not any(tensor.dtype == torch.float32 for tensor in tensors.values()):
            continue
        tensors = {k: t.to(dtype) if t.dtype == torch.float32 else t for k, t in tensors.items()}
        staged = path.with_name(f".{path.name}.cast")
        save_file(tensors, str(staged), metadata=metadata)
        staged.replace(path)
        changed.append(path)
    return changed


def untrained_lora_modules(folder: str | Path) -> tuple[int, list[str]]:
    """(number of LoRA B matrices, names of those that are all zero) in the folder's adapter weights."""
    from safetensors import safe_open

    total, zero = 0, []
    for path in sorted(Path(folder).glob("adapter_model*.safetensors")):
        with safe_open(str(path), framework="pt") as handle:
            names = handle.keys()  # safe_open is not iterable
            for name in names:
                if ".lora_B." in name:
                    total += 1
                    if not handle.get_tensor(name).any():
                        zero.append(name)
    return total, zero


def check_adapter_trained(folder: str | Path, hint: str = "") -> None:
    """Refuse an adapter in which every LoRA B matrix is zero: it would change nothing."""
    total, zero = untrained_lora_modules(folder)
    if total and len(zero) == total:
        raise RuntimeError(
            f"{folder}: all {total} LoRA B matrices are zero, so this adapter is the base model unchanged "
            f"(LoRA starts from B = 0 and no optimizer step moved it).{hint}"
        )


def write_portable_tokenizer_config(folder: str | Path) -> None:
    """Make tokenizer_config.json loadable by transformers 4.x as well as 5.x (same tokens, same ids)."""
    path = Path(folder) / "tokenizer_config.json"
    if not path.is_file():
        return
    config = json.loads(path.read_text(encoding="utf-8"))
    extra = config.pop("extra_special_tokens", None)
    if isinstance(extra, list):
        config["additional_special_tokens"] = extra
    elif extra:  # a dict of named extra tokens is what 4.x expects under this key
        config["extra_special_tokens"] = extra
    if (
        config.get("tokenizer_class") in (None, "TokenizersBackend")
        and (Path(folder) / "tokenizer.json").is_file()
    ):
        config["tokenizer_class"] = PORTABLE_TOKENIZER_CLASS
    config.pop("backend", None)
    path.write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def save_tokenizer(tokenizer, folder: str | Path) -> None:
    tokenizer.save_pretrained(folder)
    write_portable_tokenizer_config(folder)


def apply_umask(folder: str | Path) -> None:
    """Give the folder and everything in it the permissions a newly created file gets here (the umask)."""
    umask = os.umask(0)
    os.umask(umask)
    root = Path(folder)
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        path.chmod((0o777 if path.is_dir() else 0o666) & ~umask)


def checkpoint_dtype(name: str, trust_remote_code: bool = False) -> torch.dtype:
    """The dtype a checkpoint's config.json declares (float32 when it names none)."""
    from transformers import AutoConfig

    dtype = getattr(AutoConfig.from_pretrained(name, trust_remote_code=trust_remote_code), "dtype", None)
    if isinstance(dtype, str):
        dtype = getattr(torch, dtype, None)
    return dtype if isinstance(dtype, torch.dtype) else torch.float32
