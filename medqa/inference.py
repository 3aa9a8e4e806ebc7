"""Batched and streaming generation over a loaded model, shared by `medqa predict` and the demo.

Prompts are rendered with the tokenizer's chat template, so `enable_thinking` behaves as Qwen3 defines
it: on, the model writes `<think>` itself; off, the template pre-fills an empty think block. That
pre-filled text is kept beside each generation (`prefill`) so the one think parser sees the whole
assistant turn either way.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING, Any

import torch
from transformers import StoppingCriteriaList, TextIteratorStreamer

from medqa.formatting import ThinkSplit, split_think

if TYPE_CHECKING:
    from medqa.modeling import LoadedModel

Messages = Sequence[Mapping[str, str]]
ASSISTANT_HEADER = "<|im_start|>assistant\n"  # where Qwen's template starts the turn being generated


@dataclass(frozen=True)
class GenerationSettings:
    """Decoding settings; a field left None takes the model's own value (its generation_config.json).

    `PRESETS` names the ones the demo, `medqa predict` and the training signal offer."""

    max_new_tokens: int = 2048
    temperature: float | None = None
    top_p: float | None = None
    top_k: int | None = None
    repetition_penalty: float | None = None
    do_sample: bool | None = None

    def generation_config(self, base_config):
        """`base_config` (the model's, which holds its stop tokens and sampling) with these settings applied."""
        config = base_config.__class__.from_dict(base_config.to_dict())
        config.max_new_tokens = self.max_new_tokens
        for name in ("temperature", "top_p", "top_k", "repetition_penalty", "do_sample"):
            if getattr(self, name) is not None:
                setattr(config, name, getattr(self, name))
        if not config.do_sample:
            # Greedy gets the neutral values, else the model's sampling defaults would linger (and warn).
            config.temperature, config.top_p, config.top_k = 1.0, 1.0, 50
        return config

    def resolved(self, base_config) -> GenerationSettings:
        """The concrete values these settings decode with on a model with `base_config`."""
        config = self.generation_config(base_config)
        return replace(
            self,
            temperature=config.temperature,
            top_p=config.top_p,
            top_k=config.top_k,
            repetition_penalty=config.repetition_penalty if config.repetition_penalty is not None else 1.0,
            do_sample=bool(config.do_sample),
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


DEFAULT_PRESET = "model"
PRESETS: dict[str, GenerationSettings] = {
    # The model's own generation_config.json: for Qwen3 in thinking mode temperature 0.6, top_p 0.95,
    # top_k 20 (what its card recommends for thinking mode).
    "model": GenerationSettings(),
    # The seed script's sampling, kept for comparison with earlier runs.
    "seed": GenerationSettings(temperature=0.7, top_p=0.9, top_k=50, repetition_penalty=1.1, do_sample=True),
    # Argmax with the seed's repetition penalty: reproducible, and the same whatever the batch
    # composition (transformers skips left padding when it applies the penalty). For tests and the
    # training signal; Qwen3's card advises against greedy decoding in thinking mode.
    "greedy": GenerationSettings(do_sample=False, repetition_penalty=1.1),
    # Low temperature for evaluation runs that should stay close to the most likely answer.
    "conservative": GenerationSettings(
        temperature=0.3, top_p=0.8, top_k=20, repetition_penalty=1.05, do_sample=True
    ),
}
GREEDY_THINKING_WARNING = (
    "preset 'greedy' in thinking mode: Qwen3's model card advises against greedy decoding with thinking "
    "on (it can repeat itself or think without end); use the 'model' preset (the model's own sampling, "
    "0.6/0.95/20 for Qwen3) for answers people read, and keep 'greedy' for reproducible checks"
)


def settings_for(
    preset: str, max_new_tokens: int | None = None, enable_thinking: bool | None = None
) -> GenerationSettings:
    """The named preset (with `max_new_tokens` if given); warns for greedy decoding in thinking mode."""
    if preset not in PRESETS:
        raise ValueError(f"unknown preset {preset!r}; choose one of {', '.join(PRESETS)}")
    if preset == "greedy" and enable_thinking:
        warnings.warn(GREEDY_THINKING_WARNING, UserWarning, stacklevel=2)
    settings = PRESETS[preset]
    return replace(settings, max_new_tokens=max_new_tokens) if max_new_tokens else settings


@dataclass(frozen=True)
class Generation:
    """One completion: the generated text (special tokens removed) and why it ended."""

    text: str
    finish_reason: str  # "stop" (end-of-turn token) or "length" (max_new_tokens reached)
    prompt_tokens: int
    completion_tokens: int  # generated tokens, the stop token included
    prefill: str = ""  # assistant text the prompt already held (the empty think block with thinking off)

    def split(self) -> ThinkSplit:
        """Think and answer of the whole assistant turn (prefill + generated text)."""
        return split_think(self.prefill + self.text)


@dataclass(frozen=True)
class Prompt:
    text: str
    prefill: str


def render_prompt(tokenizer, messages: Messages, enable_thinking: bool = True) -> Prompt:
    """The chat-template prompt for the next assistant turn, and the part of that turn it pre-fills."""
    text = tokenizer.apply_chat_template(
        list(messages), tokenize=False, add_generation_prompt=True, enable_thinking=enable_thinking
    )
    _, header, prefill = text.rpartition(ASSISTANT_HEADER)
    return Prompt(text=text, prefill=prefill if header else "")


def stop_token_ids(loaded: LoadedModel) -> set[int]:
    """Every token that ends a turn: the generation config's eos ids and the tokenizer's eos."""
    eos = loaded.model.generation_config.eos_token_id
    ids = set(eos if isinstance(eos, list) else [eos] if eos is not None else [])
    if loaded.tokenizer.eos_token_id is not None:
        ids.add(loaded.tokenizer.eos_token_id)
    return ids


def finish(
    loaded: LoadedModel, token_ids: Sequence[int], stop_ids: set[int], prompt: Prompt, prompt_tokens: int
):
    """A `Generation` from the generated ids: cut at the first stop token; none means it hit the limit."""
    ids = list(token_ids)
    end = next((i for i, token in enumerate(ids) if token in stop_ids), None)
    kept = ids if end is None else ids[:end]
    return Generation(
        text=loaded.tokenizer.decode(kept, skip_special_tokens=True),
        finish_reason="length" if end is None else "stop",
        prompt_tokens=prompt_tokens,
        completion_tokens=len(ids) if end is None else end + 1,
        prefill=prompt.prefill,
    )


def generate_batch(
    loaded: LoadedModel,
    list_of_messages: Sequence[Messages],
    settings: GenerationSettings,
    enable_thinking: bool = True,
) -> list[Generation]:
    """Generate for several conversations at once (one padded batch; left padding keeps it exact)."""

    if not list_of_messages:
        return []
    tokenizer = loaded.tokenizer
    prompts = [render_prompt(tokenizer, messages, enable_thinking) for messages in list_of_messages]
    batch = tokenizer(
        [p.text for p in prompts], return_tensors="pt", padding=True, add_special_tokens=False
    ).to(loaded.device)
    with torch.inference_mode():
        output = loaded.model.generate(
            **batch, generation_config=settings.generation_config(loaded.model.generation_config)
        )
    generated = output[:, batch["input_ids"].shape[1] :].tolist()
    prompt_lengths = batch["attention_mask"].sum(dim=1).tolist()
    stop_ids = stop_token_ids(loaded)
    return [
        finish(loaded, ids, stop_ids, prompt, length)
        for ids, prompt, length in zip(generated, prompts, prompt_lengths, strict=True)
    ]


def generate_continuous(
    loaded: LoadedModel,
    list_of_messages: Sequence[Messages],
    settings: GenerationSettings,
    enable_thinking: bool = True,
) -> list[Generation]:
    """Generate with transformers' continuous batching (paged KV cache; pays off on a GPU)."""
    tokenizer = loaded.tokenizer
    prompts = [render_prompt(tokenizer, messages, enable_thinking) for messages in list_of_messages]
    inputs = [tokenizer(p.text, add_special_tokens=False)["input_ids"] for p in prompts]
    model = loaded.model.get_base_model() if loaded.is_adapter else loaded.model
    results = model.generate_batch(
        inputs=inputs,
        generation_config=settings.generation_config(model.generation_config),
        progress_bar=False,
    )
    outputs = sorted(results.values(), key=lambda result: int(result.request_id.rsplit("_", 1)[-1]))
    failed = [result for result in outputs if result.error]
    if failed or len(outputs) != len(inputs):
        raise RuntimeError(f"continuous batching failed for {len(failed) or 'some'} requests: {failed[:1]}")
    stop_ids = stop_token_ids(loaded)
    return [
        finish(loaded, result.generated_tokens, stop_ids, prompt, len(ids))
        for result, prompt, ids in zip(outputs, prompts, inputs, strict=True)
    ]


class _StopOnEvent:
    """A stopping criterion that ends generation once any of the events is set."""

    def __init__(self, *events: threading.Event | None):
        self.events = [event for event in events if event is not None]

    def __call__(self, input_ids, scores, **kwargs):

        stop = any(event.is_set() for event in self.events)
        return torch.full((input_ids.shape[0],), stop, dtype=torch.bool, device=input_ids.device)


def stream_chat(
    loaded: LoadedModel,
    messages: Messages,
    settings: GenerationSettings,
    enable_thinking: bool = True,
    stop_event: threading.Event | None = None,
) -> Iterator[str]:
    """Yield the growing generated text of one reply while the model writes it.

    Generation runs in a thread; setting `stop_event` (or closing this iterator) ends it at the next
    token. The prompt's pre-filled assistant text is not included (see `render_prompt`).
    """

    tokenizer = loaded.tokenizer
    prompt = render_prompt(tokenizer, messages, enable_thinking)
    batch = tokenizer(prompt.text, return_tensors="pt", add_special_tokens=False).to(loaded.device)
    streamer = TextIteratorStreamer(tokenizer, skip_prompt=True, skip_special_tokens=True)
    closed = threading.Event()
    failure: list[BaseException] = []

    def run() -> None:
        try:
            with torch.inference_mode():
                loaded.model.generate(
                    **batch,
                    generation_config=settings.generation_config(loaded.model.generation_config),
                    streamer=streamer,
                    stopping_criteria=StoppingCriteriaList([_StopOnEvent(stop_event, closed)]),
                )
        except BaseException as error:  # surfaced in the consumer's thread below
            failure.append(error)
            streamer.end()

    thread = threading.Thread(target=run, daemon=True, name="medqa-stream-chat")
    thread.start()
    text = ""
    try:
        for piece in streamer:
            if piece:
                text += piece
                yield text
    finally:
        closed.set()
        thread.join()
    if failure:
        raise failure[0]
