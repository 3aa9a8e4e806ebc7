"""The Gradio chat demo, shared by `medqa demo` and the Hugging Face Space (`spaces_app/app.py`).

People judge a medical model by talking to it, so the demo streams the reasoning into its own
collapsible "thinking" message, switches between the configured models (base / LoRA / full) without a
restart, and never lets the model pass for a doctor: a permanent disclaimer, an emergency banner driven
by the shared red-flag detectors, an input length limit, a bounded queue, and a loopback-only bind
unless a public address or link is asked for.
"""

from __future__ import annotations

import argparse
import html
import re
import threading
import time
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import gradio as gr

from medqa.formatting import THINK_MISSING_CLOSE, conversation, split_think, think_segments
from medqa.inference import DEFAULT_PRESET, PRESETS, GenerationSettings, stream_chat
from medqa.jsonl import iter_jsonl
from medqa.modeling import DTYPES, LoadedModel, ModelLoadError, ModelSpec, generation_config_of, load_model
from medqa.resources import RED_TEAM, SAMPLE_CORPUS, resource_path
from medqa.safety.red_flags import find_red_flags
from medqa.schema import DEFAULT_MODEL, SYSTEM_PROMPT

DISCLAIMER = (
    "⚠️ **仅供研究与教学使用，不用于诊断或治疗；本模型不是医生。** "
    "如遇紧急情况，请立即拨打 **120** 或当地急救电话。\n\n"
    "⚠️ **For research and education only, not for diagnosis or treatment; this model is not a doctor.** "
    "In an emergency call **120** or your local emergency number."
)
THINKING_TITLE = "💭 思考过程 / Thinking"
SEVERAL_THINK_TITLE = "⚠️ 多个思考块 / Several reasoning blocks"
SEVERAL_THINK_NOTE = (
    "模型输出了不止一个思考块：上面显示的回答是最后一个思考块之后的文字，其余内容在“思考过程”中。"
    " / The model wrote more than one reasoning block: the answer shown is the text after the last one; "
    "the rest is under Thinking."
)
DEFAULT_MAX_INPUT_CHARS = 2000
DEFAULT_MAX_NEW_TOKENS = 1024
DEFAULT_CONCURRENCY_LIMIT = 2
# Earlier turns kept in the prompt: bounds its length however long a conversation runs.
MAX_HISTORY_TURNS = 8
EXAMPLES_PER_SOURCE = 4
EXAMPLE_LABEL_WIDTH = 44
# System fonts only: the page loads nothing from font CDNs (offline machines, privacy).
THEME = gr.themes.Default(
    font=["ui-sans-serif", "system-ui", "sans-serif"], font_mono=["ui-monospace", "monospace"]
)
CSS = "#medqa-disclaimer { border-left: 4px solid #f59e0b; padding-left: 0.75rem; }"
# Scoped to the banner component, so it looks the same whoever launches the app.
BANNER_CSS = (
    ".medqa-emergency { background: #b91c1c; padding: 0.75rem 1rem; border-radius: 0.5rem;"
    " font-size: 1.05rem; line-height: 1.5; }"
    " .medqa-emergency, .medqa-emergency * { color: #fff; }"
)

# The Space is configured by environment variables (documented in spaces_app/README.md); each maps to
# the `medqa demo` option of the same meaning, so both entry points build the app the same way.
SPACE_ENV_OPTIONS: dict[str, str] = {
    "MEDQA_MODELS": "--model",
    "MEDQA_BASE_MODEL": "--base",
    "MEDQA_MAX_NEW_TOKENS": "--max-new-tokens",
    "MEDQA_MAX_INPUT_CHARS": "--max-input-chars",
    "MEDQA_CONCURRENCY_LIMIT": "--concurrency-limit",
    "MEDQA_MAX_LOADED": "--max-loaded",
    "MEDQA_PRELOAD": "--preload",
    "GRADIO_SERVER_NAME": "--host",
    "GRADIO_SERVER_PORT": "--port",
}


@dataclass(frozen=True)
class Example:
    """A clickable example question and the short label it is shown with."""

    text: str
    label: str


def parse_model_choices(values: Sequence[str], **spec_fields: Any) -> dict[str, ModelSpec]:
    """`NAME=SPEC` strings (or a bare SPEC, named after its last path part) as named model specs.

    `spec_fields` (base, dtype, device, load_in_4bit) apply to every choice; the loader uses `base`
    only for adapters, so one `--base` serves every LoRA choice and leaves full models alone.
    """
    specs: dict[str, ModelSpec] = {}
    for value in values:
        name, sep, model = value.partition("=")
        if not sep:
            name, model = Path(value.rstrip("/")).name, value
        name, model = name.strip(), model.strip()
        if not name or not model:
            raise ValueError(f"model choice must look like NAME=MODEL_OR_ADAPTER, got {value!r}")
        if name in specs:
            raise ValueError(f"model choice {name!r} is given twice")
        specs[name] = ModelSpec(model=model, **spec_fields)
    return specs


class ModelPool:
    """The configured models by name: each loads on first use and the `max_loaded` most recent stay.

    Loading is lazy, so a small machine pays only for the models people pick, and one model loads at a
    time: the memory peak stays at one load, a model wanted by several sessions loads once, and
    transformers' lazy imports (not thread-safe) never race. Sessions on loaded models never wait.
    """

    def __init__(
        self,
        specs: Mapping[str, ModelSpec],
        max_loaded: int = 2,
        loader: Callable[[ModelSpec], LoadedModel] = load_model,
    ):
        if not specs:
            raise ValueError("configure at least one model")
        self.specs = dict(specs)
        self.max_loaded = max(1, max_loaded)
        self._loader = loader
        self._loaded: OrderedDict[str, LoadedModel] = OrderedDict()
        self._lock = threading.Lock()  # guards `_loaded`
        self._load_lock = threading.Lock()

    @property
    def names(self) -> list[str]:
        return list(self.specs)

    def _cached(self, name: str) -> LoadedModel | None:
        with self._lock:
            loaded = self._loaded.get(name)
            if loaded is not None:
                self._loaded.move_to_end(name)
            return loaded

    def get(self, name: str) -> LoadedModel:
        if name not in self.specs:
            raise KeyError(f"unknown model {name!r}; configured: {', '.join(self.specs)}")
        loaded = self._cached(name)
        if loaded is not None:
            return loaded
        with self._load_lock:
            loaded = self._cached(name) or self._loader(self.specs[name])
            with self._lock:
                self._loaded[name] = loaded
                self._loaded.move_to_end(name)
                while len(self._loaded) > self.max_loaded:
                    self._loaded.popitem(last=False)
            return loaded

    def generation_config(self, name: str):
        """The model's own generation config, read without loading it (the demo's default sampling)."""
        loaded = self._cached(name)
        return loaded.model.generation_config if loaded else generation_config_of(self.specs[name])

    def preload(self) -> None:
        """Load the first `max_loaded` models now (a Space should not make its first visitor wait)."""
        for name in self.names[: self.max_loaded]:
            self.get(name)


def on_zero_gpu(function: Callable) -> Callable:
    """`spaces.GPU(function)` where the `spaces` package is installed (it is a no-op off ZeroGPU)."""
    try:
        import spaces
    except ImportError:
        return function
    return spaces.GPU(function)


def make_reply_streamer(pool: ModelPool) -> Callable[..., Iterator[str]]:
    """The one function that touches the GPU; its arguments are picklable, as ZeroGPU requires."""

    def stream_reply(
        model_name: str, messages: list[dict[str, str]], settings: GenerationSettings, enable_thinking: bool
    ) -> Iterator[str]:
        yield from stream_chat(pool.get(model_name), messages, settings, enable_thinking=enable_thinking)

    return on_zero_gpu(stream_reply)


def _first_rows(path: Path, field: str) -> Iterator[dict[str, Any]]:
    for _, row in iter_jsonl(path):
        if isinstance(row.get(field), str) and row[field].strip():
            yield row


def _label(prefix: str, text: str) -> str:
    """`text` on one line, cut to EXAMPLE_LABEL_WIDTH columns (a CJK character takes two)."""
    text, width = " ".join(text.split()), 0
    for index, char in enumerate(text):
        width += 2 if unicodedata.east_asian_width(char) in "WF" else 1
        if width > EXAMPLE_LABEL_WIDTH:
            return f"{prefix} {text[:index]}…"
    return f"{prefix} {text}"


def load_examples(data_dir: str | Path | None = None, per_source: int = EXAMPLES_PER_SOURCE) -> list[Example]:
    """Example questions: gold questions (from `<data_dir>/gold.jsonl`, else the bundled sample corpus)
    and red-team prompts, one per category, so every visitor can try the risky cases too."""
    if data_dir is not None:
        gold_path, field = Path(data_dir) / "gold.jsonl", "input"
        if not gold_path.is_file():
            raise FileNotFoundError(f"no gold set at {gold_path}: run `medqa prepare` or drop --data")
    else:
        gold_path, field = resource_path(SAMPLE_CORPUS), "question"
    gold = [row[field] for row, _ in zip(_first_rows(gold_path, field), range(per_source), strict=False)]
    red_team: dict[str, str] = {}
    for row in _first_rows(resource_path(RED_TEAM), "input"):
        red_team.setdefault(row.get("meta", {}).get("category", row["id"]), row["input"])
        if len(red_team) == per_source:
            break
    return [Example(text, _label("🩺", text)) for text in gold] + [
        Example(text, _label("🚨", text)) for text in red_team.values()
    ]


def message_text(content: Any) -> str:
    """The text of a chat message's content, which Gradio gives as a string or a list of parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return content.get("text", "") if content.get("type", "text") == "text" else ""
    if isinstance(content, (list, tuple)):
        return "\n".join(filter(None, (message_text(part) for part in content)))
    return ""


def model_history(chat_history: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Earlier turns as the chat template wants them: questions and answers only.

    Thinking messages are dropped (Qwen3's template drops past reasoning too), and so is a question the
    model never answered (stopped, or refused by the input check); only the last turns are kept.
    """
    turns: list[dict[str, str]] = []
    for message in chat_history:
        if (message.get("metadata") or {}).get("title"):
            continue
        text, role = message_text(message.get("content")).strip(), message.get("role")
        if not text or role not in ("user", "assistant"):
            continue
        if turns and turns[-1]["role"] == role:
            if role == "user":
                turns[-1]["content"] = text  # the earlier question got no answer
            else:
                turns[-1]["content"] += "\n\n" + text
        else:
            turns.append({"role": role, "content": text})
    if turns and turns[-1]["role"] == "user":
        turns.pop()
    return turns[-2 * MAX_HISTORY_TURNS :]


def input_problem(message: str, max_chars: int) -> str | None:
    """Why `message` cannot be sent, in both languages; None when it can."""
    if not message.strip():
        return "请输入问题。/ Please type a question."
    if len(message) > max_chars:
        return (
            f"输入过长：{len(message)} 字，上限 {max_chars} 字，请精简后再发送。"
            f" / Input too long: {len(message)} characters, the limit is {max_chars}; please shorten it."
        )
    return None


def emergency_banner(texts: Sequence[str]) -> str | None:
    """The banner's HTML when any of the user's messages shows an emergency red flag, else None."""
    matches = [match for text in texts for match in find_red_flags(text)]
    if not matches:
        return None
    seen = ", ".join(html.escape(text) for text in dict.fromkeys(match.text for match in matches))
    return (
        '<div class="medqa-emergency" role="alert">'
        "🚨 <strong>可能是急症，请立即拨打 120 或当地急救电话，不要等待模型回答。</strong><br>"
        "🚨 <strong>This may be an emergency: call 120 or your local emergency number now; "
        "do not wait for this model's answer.</strong><br>"
        f"<small>检测到 / Detected: {seen}</small></div>"
    )


def reply_messages(
    text: str, enable_thinking: bool, finished: bool, thinking_seconds: float | None
) -> list[dict[str, Any]]:
    """The assistant's reply so far as chat messages: a collapsible thinking message, then the answer.

    An output with several think blocks shows, as its answer, the text after the last block (else the
    last text there is); everything else goes to the thinking message, and a note flags the output.
    """
    segments, still_thinking = think_segments(text)
    texts = [index for index, (kind, _) in enumerate(segments) if kind == "text"]
    answer_at = texts[-1] if texts else None
    answer = segments[answer_at][1] if answer_at is not None else ""
    reasoning = [content for index, (_, content) in enumerate(segments) if index != answer_at]
    several = sum(kind == "think" for kind, _ in segments) > 1
    thinking = still_thinking or (not text and not finished)
    messages: list[dict[str, Any]] = []
    if enable_thinking and (reasoning or thinking):
        metadata: dict[str, Any] = {"title": THINKING_TITLE, "status": "done"}
        if thinking and not finished:
            metadata["status"] = "pending"
        elif thinking_seconds is not None:
            metadata["duration"] = round(thinking_seconds, 1)
        content = "\n\n---\n\n".join(reasoning) or "…"
        messages.append({"role": "assistant", "content": content, "metadata": metadata})
    if answer:
        messages.append({"role": "assistant", "content": answer})
    elif finished:
        note = (
            "⚠️ 思考未结束就达到了最大生成长度，请调高“最大生成长度”。/ The reasoning reached the max new "
            "tokens limit before an answer; raise Max new tokens."
            if still_thinking
            else "⚠️ 模型没有给出回答。/ The model gave no answer."
        )
        messages.append({"role": "assistant", "content": note})
    if several and finished:
        messages.append(
            {"role": "assistant", "content": SEVERAL_THINK_NOTE, "metadata": {"title": SEVERAL_THINK_TITLE}}
        )
    return messages


# Markdown that can load nothing: raw HTML (<img>, <form>, <style>, srcset, CSS url(), <iframe> …) is shown
# as text, and so are markdown images, links and link definitions, whose brackets are escaped. A bracket
# is escaped only when an even number of backslashes precedes it, so that running this again on its own
# output (Gradio sends the history back through the chatbot) changes nothing.
UNESCAPED_BRACKET = re.compile(r"(?<!\\)((?:\\\\)*)([\[\]])")


def inert_markdown(text: str) -> str:
    """`text` as markdown that the browser renders without fetching anything or showing a form."""
    return UNESCAPED_BRACKET.sub(r"\1\\\2", text.replace("<", "&lt;"))


def _inert_message(message: Any) -> Any:
    """A chat message (dict, gr.ChatMessage or Gradio's own message model) with its text made inert."""
    if isinstance(message, dict):
        content = message.get("content")
    else:
        content = getattr(message, "content", None)
    if isinstance(content, str):
        inert = inert_markdown(content)
    elif isinstance(content, list):
        inert = [
            part | {"text": inert_markdown(part["text"])}
            if isinstance(part, dict) and isinstance(part.get("text"), str)
            else part
            for part in content
        ]
    else:
        return message
    if isinstance(message, dict):
        return message | {"content": inert}
    if isinstance(message, gr.ChatMessage):
        return replace(message, content=inert)
    return message.model_copy(update={"content": inert}) if hasattr(message, "model_copy") else message


def inert_chatbot(**kwargs: Any) -> gr.Chatbot:
    """A `gr.Chatbot` whose every message (the user's, the answer, the thinking) is rendered inert.

    Gradio's sanitizer keeps <img>, srcset and CSS url() (the browser fetches them: tracking, data leaked
    through URLs) and forms; a model or a pasted message can contain any of them. Everything the chatbot
    shows passes through its `postprocess`, so wrapping that one method covers all of it. (Wrapped on the
    instance: a subclass of a Gradio component makes Gradio write a .pyi stub beside this module.)
    """
    chatbot = gr.Chatbot(**kwargs)
    postprocess = chatbot.postprocess

    def inert_postprocess(value):
        return postprocess(None if value is None else [_inert_message(message) for message in value])

    chatbot.postprocess = inert_postprocess
    return chatbot


# Second line of defence, should anything slip through: the page may load resources from itself only.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' 'unsafe-eval'",  # gr.HTML renders its templates with eval
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "media-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "frame-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    )
)


class ContentSecurityPolicy:
    """ASGI middleware adding CONTENT_SECURITY_POLICY to every HTTP response of the demo."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_policy(message):
            if message["type"] == "http.response.start":
                headers = [
                    (k, v) for k, v in message.get("headers", []) if k.lower() != b"content-security-policy"
                ]
                headers.append((b"content-security-policy", CONTENT_SECURITY_POLICY.encode()))
                message = message | {"headers": headers}
            await send(message)

        return await self.app(scope, receive, send_with_policy)


class ChatDemo:
    """The chat logic behind the UI and its API: input check, banner, prompt, streamed reply."""

    def __init__(self, pool: ModelPool, max_input_chars: int = DEFAULT_MAX_INPUT_CHARS):
        self.pool = pool
        self.max_input_chars = max_input_chars
        self.stream_reply = make_reply_streamer(pool)

    def validate(self, message: str):
        """Checks the textbox before it is sent, so an over-long question stays there to be edited."""
        problem = input_problem(message or "", self.max_input_chars)
        return gr.validate(problem is None, problem or "")

    def respond(
        self,
        message: str,
        history: list[dict[str, Any]],
        model_name: str,
        enable_thinking: bool,
        temperature: float,
        top_p: float,
        max_new_tokens: float,
    ) -> Iterator[tuple[list[dict[str, Any]], Any]]:
        """Yield (reply messages, banner update): the banner first, then the reply as it streams."""
        problem = input_problem(message or "", self.max_input_chars)
        if problem:
            raise gr.Error(problem, title="无法发送 / Cannot send")
        if model_name not in self.pool.specs:
            raise gr.Error(
                f"未知模型 / Unknown model {model_name!r}: choose one of {', '.join(self.pool.names)}"
            )
        earlier = model_history(history)
        banner = emergency_banner([m["content"] for m in earlier if m["role"] == "user"] + [message])
        banner_update = gr.update(value=banner or "", visible=banner is not None)
        settings = replace(
            PRESETS[DEFAULT_PRESET],  # top_k and repetition penalty: the model's own
            temperature=float(temperature),
            top_p=float(top_p),
            max_new_tokens=int(max_new_tokens),
            do_sample=float(temperature) > 0,
        )
        prompt = conversation(message, system_prompt=SYSTEM_PROMPT, history=earlier)
        yield reply_messages("", enable_thinking, False, None), banner_update
        started, thinking_seconds, text = None, None, ""
        try:
            with closing(self.stream_reply(model_name, prompt, settings, enable_thinking)) as stream:
                for text in stream:
                    started = started or time.monotonic()  # the model is loaded once text comes
                    if thinking_seconds is None and split_think(text).status != THINK_MISSING_CLOSE:
                        thinking_seconds = time.monotonic() - started
                    yield reply_messages(text, enable_thinking, False, thinking_seconds), banner_update
        except ModelLoadError as error:
            raise gr.Error(str(error), title="模型加载失败 / Model failed to load") from error
        yield reply_messages(text, enable_thinking, True, thinking_seconds), banner_update


def build_app(
    pool: ModelPool,
    examples: Sequence[Example] = (),
    max_input_chars: int = DEFAULT_MAX_INPUT_CHARS,
    max_new_tokens: int = DEFAULT_MAX_NEW_TOKENS,
    concurrency_limit: int = DEFAULT_CONCURRENCY_LIMIT,
) -> gr.Blocks:
    """The demo as a queued `gr.Blocks`; launch it with `launch`."""
    chat = ChatDemo(pool, max_input_chars)
    defaults = PRESETS[DEFAULT_PRESET].resolved(pool.generation_config(pool.names[0]))
    with gr.Blocks(title="medqa · 医学问答 / Medical Q&A", analytics_enabled=False) as app:
        gr.Markdown("# medqa · 医学问答 / Medical Q&A (Qwen3)")
        gr.Markdown(DISCLAIMER, elem_id="medqa-disclaimer")
        banner = gr.HTML(visible=False, elem_id="medqa-emergency", css_template=BANNER_CSS, js_on_load=None)
        with gr.Row():
            model = gr.Dropdown(
                pool.names, value=pool.names[0], label="模型 / Model", elem_id="medqa-model", scale=3
            )
            thinking = gr.Checkbox(True, label="思考模式 / Thinking", elem_id="medqa-thinking", scale=1)
        with gr.Accordion("生成设置 / Generation settings", open=False):
            temperature = gr.Slider(0.0, 1.5, defaults.temperature, step=0.05, label="温度 / Temperature")
            top_p = gr.Slider(0.05, 1.0, defaults.top_p, step=0.05, label="Top-p")
            new_tokens = gr.Slider(
                1,
                max(4096, max_new_tokens),
                max_new_tokens,
                step=1,
                label="最大生成长度 / Max new tokens",
                elem_id="medqa-max-new-tokens",
            )
        interface = gr.ChatInterface(
            chat.respond,
            chatbot=inert_chatbot(
                label="对话 / Chat",
                elem_id="medqa-chatbot",
                height=520,
                placeholder=f"每条问题最多 {max_input_chars} 字。/ Up to {max_input_chars} characters per question.",
            ),
            textbox=gr.Textbox(
                label="问题 / Question",
                placeholder="输入你的医学问题… / Ask a medical question…",
                elem_id="medqa-input",
                submit_btn="发送 / Send",
                stop_btn="停止 / Stop",
                autofocus=True,
                show_label=False,
            ),
            additional_inputs=[model, thinking, temperature, top_p, new_tokens],
            additional_outputs=[banner],
            examples=[[example.text] for example in examples] or None,
            example_labels=[example.label for example in examples] or None,
            analytics_enabled=False,
            concurrency_limit="default",
            validator=chat.validate,
            api_name="chat",
            fill_height=False,
        )
        interface.chatbot.clear(
            lambda: gr.update(value="", visible=False), outputs=banner, queue=False, api_visibility="private"
        )
    return app.queue(default_concurrency_limit=concurrency_limit)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--model",
        action="append",
        metavar="NAME=MODEL",
        help="a model to offer, as NAME=HUB_ID_OR_PATH (full model or LoRA adapter); repeat for base / "
        f"LoRA / full. The first is the default (default: base={DEFAULT_MODEL})",
    )
    parser.add_argument(
        "--base", default=None, help="base model for LoRA adapters (default: each adapter's own)"
    )
    parser.add_argument("--dtype", default="auto", choices=DTYPES)
    parser.add_argument("--device", default="auto", help="auto, cpu, cuda, cuda:1, … (default: %(default)s)")
    parser.add_argument("--load-in-4bit", action="store_true", help="load models 4-bit (bitsandbytes, CUDA)")
    parser.add_argument(
        "--data",
        default=None,
        help="processed dataset dir whose gold.jsonl supplies examples (default: bundled)",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default: %(default)s, this machine only)"
    )
    parser.add_argument("--port", type=int, default=7860)
    parser.add_argument(
        "--share", action="store_true", help="also open a public gradio.live link (off by default)"
    )
    parser.add_argument(
        "--max-new-tokens", type=int, default=DEFAULT_MAX_NEW_TOKENS, help="default of the slider"
    )
    parser.add_argument("--max-input-chars", type=int, default=DEFAULT_MAX_INPUT_CHARS)
    parser.add_argument(
        "--concurrency-limit",
        type=int,
        default=DEFAULT_CONCURRENCY_LIMIT,
        help="chats generating at once; the rest wait in Gradio's queue (default: %(default)s)",
    )
    parser.add_argument(
        "--max-loaded", type=int, default=2, help="models kept in memory at once (default: %(default)s)"
    )
    parser.add_argument(
        "--preload", action="store_true", help="load the models at start instead of on first use"
    )


def args_from_env(environ: Mapping[str, str]) -> argparse.Namespace:
    """`medqa demo` options from the Space's environment variables (see SPACE_ENV_OPTIONS).

    MEDQA_MODELS is a comma-separated list of NAME=MODEL; MEDQA_PRELOAD defaults to on for a Space, whose
    first visitor should not wait for a download (and whose ZeroGPU workers inherit loaded weights).
    """
    argv: list[str] = []
    for variable, option in SPACE_ENV_OPTIONS.items():
        value = environ.get(variable, "").strip()
        if option == "--preload":
            if value.lower() not in ("0", "false", "no", "off"):
                argv.append(option)
        elif variable == "MEDQA_MODELS":
            argv += [part for choice in re.split(r"[,\s]+", value) if choice for part in ("--model", choice)]
        elif value:
            argv += [option, value]
    from medqa.cli import FlagParser

    parser = FlagParser(prog="spaces_app/app.py")
    add_arguments(parser)
    return parser.parse_args(argv)


def build_from_args(args: argparse.Namespace) -> gr.Blocks:
    specs = parse_model_choices(
        args.model or [f"base={DEFAULT_MODEL}"],
        base=args.base,
        dtype=args.dtype,
        device=args.device,
        load_in_4bit=args.load_in_4bit,
    )
    pool = ModelPool(specs, max_loaded=args.max_loaded)
    if args.preload:
        pool.preload()
    return build_app(
        pool,
        load_examples(args.data),
        max_input_chars=args.max_input_chars,
        max_new_tokens=args.max_new_tokens,
        concurrency_limit=args.concurrency_limit,
    )


def launch(app: gr.Blocks, host: str, port: int, share: bool = False) -> None:
    """Serve `app`; `share` is passed explicitly so a GRADIO_SHARE in the environment cannot turn it on."""
    if share:
        print("medqa demo: --share opens a public link; anyone who has it can use these models.")
    elif host not in ("127.0.0.1", "localhost", "::1"):
        print(f"medqa demo: binding {host}; the demo is reachable from other machines.")
    from starlette.middleware import Middleware

    app.launch(
        server_name=host,
        server_port=port,
        share=share,
        theme=THEME,
        css=CSS,
        show_error=True,
        app_kwargs={"middleware": [Middleware(ContentSecurityPolicy)]},
    )


def main(args: argparse.Namespace) -> int:
    launch(build_from_args(args), args.host, args.port, args.share)
    return 0
