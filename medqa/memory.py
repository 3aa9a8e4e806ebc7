"""How much GPU memory a training run needs, from the model's shape, and a start-up warning when the
recipe's `max_length x per_device_train_batch_size` would not fit.

The per-token activation coefficients were measured on Qwen3-1.7B's exact shape (random weights, bf16,
real tokenizer, real rows) with `python benchmarks/real_shape.py memory`: autograd's saved tensors in
one training-mode forward, split into the decoder layers and the rest (final norm, lm_head, loss);
recipes/README.md has the table and the formula. They scale with the shape as the tensors do: a layer's
activations with `hidden_size` (Qwen3's MLP is ~3x hidden throughout the family), the head's with
`vocab_size`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

logger = logging.getLogger(__name__)

GiB = 2**30
# Saved bytes per token and decoder layer, in bf16 hidden states (2 x hidden_size bytes), and saved bytes
# per token outside the layers in units of vocab_size bytes (fp32 logits for the loss and the like).
# Measured on Qwen3-1.7B at 128 and 256 tokens, identical per token (benchmarks/RESULTS.md, "Activation
# memory"): LoRA (r=64, all linear, dropout 0.1) 6.04 MiB/token in the 28 layers + 0.59 outside; full
# fine-tuning 3.01 + 0.60; QLoRA (NF4, at 64 tokens) exactly LoRA's 6.04 + 0.59: its frozen 4-bit
# layers save the same bf16 inputs.
LAYER_STATES_PER_TOKEN = {"lora": 55.2, "qlora": 55.2, "full": 27.55}
HEAD_VOCAB_BYTES_PER_TOKEN = {"lora": 4.05, "qlora": 4.05, "full": 4.11}
# Backward of the loss holds the fp32 gradient of the logits and its bf16 copy at once (6 bytes per
# vocabulary entry per token), on top of what the forward saved.
LOGITS_GRAD_BYTES = 6
# Adam over fp32 trainable parameters: weight + gradient + two moments.
ADAPTER_BYTES_PER_PARAM = 16
# Full fine-tuning in bf16 with fp32 Adam moments and master weights: 2 + 2 + 4 + 4 + 4.
FULL_BYTES_PER_PARAM = 16
# NF4 weights with double quantization, per parameter of the quantized linear layers.
NF4_BYTES_PER_PARAM = 0.53


@dataclass(frozen=True)
class MemoryEstimate:
    weights_and_optimizer: float
    activations: float

    @property
    def total(self) -> float:
        return self.weights_and_optimizer + self.activations


def activation_bytes_per_token(config, method: str, checkpointing: bool) -> float:
    """Saved activations + the loss-gradient transient per token for `method` (lora, qlora, full)."""
    hidden_state = 2 * config.hidden_size
    per_layer = LAYER_STATES_PER_TOKEN[method] * hidden_state
    head = HEAD_VOCAB_BYTES_PER_TOKEN[method] * config.vocab_size
    # With checkpointing each layer keeps its input; one layer at a time is recomputed in the backward.
    layers = config.num_hidden_layers * (hidden_state if checkpointing else per_layer)
    layers += per_layer if checkpointing else 0
    return layers + head + LOGITS_GRAD_BYTES * config.vocab_size


def estimate(
    config,
    method: str,
    checkpointing: bool,
    tokens: int,
    parameters: int,
    trainable: int,
    embedding_parameters: int = 0,
    shards: int = 1,
) -> MemoryEstimate:
    """Peak training memory of one device: `tokens` = max_length x per_device_train_batch_size;
    `shards`: devices the weights and optimizer state are split over (ZeRO-3 / FSDP), 1 otherwise."""
    if method == "full":
        static = FULL_BYTES_PER_PARAM * parameters / shards
    elif method == "qlora":
        quantized = parameters - embedding_parameters
        static = (
            NF4_BYTES_PER_PARAM * quantized + 2 * embedding_parameters + ADAPTER_BYTES_PER_PARAM * trainable
        )
    else:
        static = 2 * parameters + ADAPTER_BYTES_PER_PARAM * trainable
    return MemoryEstimate(static, tokens * activation_bytes_per_token(config, method, checkpointing))


def warn_if_batch_may_not_fit(
    model, method: str, checkpointing: bool, tokens: int, shards: int, capacity: float
):
    """Log a warning when the estimate for the longest possible batch is above `capacity` bytes."""

    def numel(parameter) -> int:
        return getattr(parameter, "ds_numel", parameter.numel())  # ZeRO-3 partitions leave numel() at 0

    parameters = sum(numel(p) for p in model.parameters())
    trainable = (
        sum(numel(p) for p in model.parameters() if p.requires_grad) if method != "full" else parameters
    )
    embeddings = numel(model.get_input_embeddings().weight)
    config = model.config
    needed = estimate(config, method, checkpointing, tokens, parameters, trainable, embeddings, shards)
    if needed.total > capacity:
        logger.warning(
            "max_length x per_device_train_batch_size = %d tokens may not fit: %s with activation_checkpointing=%s "
            "needs about %.1f GiB (%.1f weights and optimizer + %.1f activations) of %.1f GiB. Lower "
            "per_device_train_batch_size (raise gradient_accumulation_steps to keep the effective batch), turn "
            "on activation_checkpointing, or lower max_length (recipes/README.md, 'Memory').",
            tokens,
            method,
            checkpointing,
            needed.total / GiB,
            needed.weights_and_optimizer / GiB,
            needed.activations / GiB,
            capacity / GiB,
        )
        return needed
    return None
