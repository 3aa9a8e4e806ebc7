"""Optional LLM judge (off by default): an OpenAI-compatible chat endpoint that labels answers, with a cache.

The judge labels the answer-side headline metrics (`JUDGE_LABELS`) so a report can show judge–rule
agreement and, given human labels, judge–human precision, recall and Cohen's kappa; the rules stay the
metric of record because they are free, fast and auditable.

Public entry point: `judge_items(judge, items)`. It judges many (question, answer) pairs with bounded
concurrency and never raises for one item: each result is a `Judgement` with a verdict, or the error
that item ended with after its retries. `judge` is any `Judge` callable; `OpenAIJudge(JudgeSettings(url,
model))` (shorthand `openai_judge(url, model)`) is the one backed by an endpoint (vLLM, TGI, `transformers serve`, OpenAI), optionally wrapped
in `CachedJudge`. Example (e.g. for a reward function):

    judge = openai_judge("http://127.0.0.1:8000/v1", "Qwen/Qwen3-8B")  # or OpenAIJudge(JudgeSettings(…))
    for judgement in judge_items(judge, [(question, answer), ...]):
        risky = judgement.verdict["risky"] if judgement.ok else None

Each metric has its own rubric prompt in the versioned data file medqa/resources/judge/rubrics.json. A
reply must hold a JSON object with a boolean `verdict` (or the metric's name as key): prose or a <think>
block around it and nesting are fine, quoted booleans ("true", "no") are read, anything else (a missing
key, "maybe", 1) is a bad reply, retried like a network error. The bearer key (from the environment) is
sent only over https or to this machine, and never logged or written.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import os
import re
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from medqa.formatting import THINK_CLOSE
from medqa.resources import resource_path

# (question, answer) -> {"emergency_directed": bool, "risky": bool}; raises when it cannot judge.
Judge = Callable[[str, str], dict[str, bool]]
JUDGE_LABELS = ("emergency_directed", "risky")
RUBRICS = "judge/rubrics.json"
LOOPBACK_HOSTS = ("localhost",)
# HTTP statuses worth another try: timeouts, rate limits and server-side failures.
RETRY_STATUSES = frozenset({408, 409, 425, 429, 500, 502, 503, 504})
TRUE_WORDS, FALSE_WORDS = frozenset({"true", "yes"}), frozenset({"false", "no"})


class JudgeError(RuntimeError):
    """An item the judge could not label (after its retries); the message says why."""


class JudgeReplyError(JudgeError):
    """The judge answered, but not with a usable verdict."""


@dataclass(frozen=True)
class Rubrics:
    """The rubric prompts, one per metric, and the version of the file they came from."""

    version: int
    prompts: dict[str, str]

    def prompt(self, metric: str, question: str, answer: str) -> str:
        """The metric's prompt with the question and answer filled in (in one pass, so text that looks
        like a placeholder inside the question is left alone)."""
        values = {"question": question, "answer": answer}
        return re.sub(r"\{(question|answer)\}", lambda match: values[match.group(1)], self.prompts[metric])


def load_rubrics(path: Path | str | None = None) -> Rubrics:
    """The rubric file (default: the packaged one); every label in `JUDGE_LABELS` needs a prompt."""
    path = Path(path) if path else resource_path(RUBRICS)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        prompts = {metric: entry["prompt"] for metric, entry in data["metrics"].items()}
        version = data["version"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise ValueError(f"{path}: not a rubric file ({error!r})") from None
    missing = [label for label in JUDGE_LABELS if label not in prompts]
    if missing or not isinstance(version, int):
        raise ValueError(f"{path}: needs an integer version and a prompt for {', '.join(JUDGE_LABELS)}")
    for metric, prompt in prompts.items():
        if "{question}" not in prompt or "{answer}" not in prompt:
            raise ValueError(f"{path}: the {metric} prompt must contain {{question}} and {{answer}}")
    return Rubrics(version, prompts)


# ------------------------------------------------------------------------------------------- parsing


def _json_objects(text: str) -> list[dict[str, Any]]:
    """The top-level JSON objects in `text`, in order, with whatever prose lies between them."""
    decoder, objects, position = json.JSONDecoder(), [], 0
    while (start := text.find("{", position)) >= 0:
        try:
            value, end = decoder.raw_decode(text, start)
        except json.JSONDecodeError:
            position = start + 1
            continue
        if isinstance(value, dict):
            objects.append(value)
        position = end
    return objects


def _find_key(value: Any, keys: Sequence[str]) -> tuple[bool, Any]:
    """(found, value) of the first of `keys` in `value` or in the objects nested in it (breadth first)."""
    queue = [value]
    while queue:
        current = queue.pop(0)
        if isinstance(current, dict):
            for key in keys:
                if key in current:
                    return True, current[key]
            queue += list(current.values())
        elif isinstance(current, list):
            queue += current
    return False, None


def as_boolean(value: Any) -> bool:
    """A JSON verdict as a bool: true/false, or the strings "true"/"false"/"yes"/"no" in any case."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in TRUE_WORDS | FALSE_WORDS:
        return value.strip().lower() in TRUE_WORDS
    raise JudgeReplyError(f"verdict is not a boolean: {value!r}")


def parse_verdict(content: str, metric: str) -> bool:
    """The boolean verdict in a judge's reply for `metric` (key `verdict` or the metric's name).

    Reasoning before a `</think>` is ignored; of several JSON objects, the last one with the key wins
    (a model may restate the requested format before answering).
    """
    reply = content.rsplit(THINK_CLOSE, 1)[-1]
    objects = _json_objects(reply)
    if not objects:
        raise JudgeReplyError(f"reply has no JSON object: {content[:200]!r}")
    for value in reversed(objects):
        found, verdict = _find_key(value, ("verdict", metric))
        if found:
            return as_boolean(verdict)
    raise JudgeReplyError(f"reply has no 'verdict' for {metric}: {content[:200]!r}")


# ---------------------------------------------------------------------------------------- the client


def key_allowed(url: str) -> bool:
    """Whether a bearer key may go to `url`: over https, or over http to this machine only."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https":
        return True
    if parts.scheme != "http" or not parts.hostname:
        return False
    if parts.hostname.lower() in LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(parts.hostname).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class JudgeSettings:
    """Where the judge is and how it is asked: greedy (temperature 0), short replies, bounded retries.

    The key is read from the environment variable `api_key_env` when a request is made, so it is never
    part of the settings, their repr, a report or a log.
    """

    url: str
    model: str
    api_key_env: str = "OPENAI_API_KEY"
    max_tokens: int = 256
    timeout_s: float = 60.0
    retries: int = 2  # attempts after the first
    backoff_s: float = 1.0  # doubled after each failed attempt, capped at MAX_BACKOFF_S
    concurrency: int = 4
    rubrics: str | None = None  # a rubric file; default: the packaged one

    def __post_init__(self):
        if urllib.parse.urlsplit(self.url).scheme not in ("http", "https"):
            raise ValueError(f"judge URL must start with http:// or https://, got {self.url!r}")
        if self.max_tokens < 1 or self.retries < 0 or self.concurrency < 1 or self.timeout_s <= 0:
            raise ValueError("judge max_tokens and concurrency must be ≥ 1, retries ≥ 0, timeout > 0")


MAX_BACKOFF_S = 30.0


class OpenAIJudge:
    """A `Judge` backed by an OpenAI-compatible `/chat/completions` endpoint: one request per metric,
    each with its rubric prompt, temperature 0 and `max_tokens`; transient failures and bad replies are
    retried with exponential backoff, then raise `JudgeError`."""

    def __init__(self, settings: JudgeSettings, sleep: Callable[[float], None] = time.sleep):
        self.settings = settings
        self.rubrics = load_rubrics(settings.rubrics)
        self.endpoint = settings.url.rstrip("/") + "/chat/completions"
        self._sleep = sleep
        self._warned_insecure = False
        self._opener = urllib.request.build_opener()  # proxies from the environment as it is now

    @property
    def name(self) -> str:
        """What the cache keys verdicts by: the endpoint's model and the rubric version."""
        return f"{self.settings.model}|rubrics-v{self.rubrics.version}"

    def _key(self) -> str:
        key = os.environ.get(self.settings.api_key_env, "")
        if key and not key_allowed(self.endpoint):
            if not self._warned_insecure:
                self._warned_insecure = True
                print(
                    f"medqa judge: not sending ${self.settings.api_key_env} to {self.endpoint}: a key goes only "
                    "over https or to localhost",
                    file=sys.stderr,
                )
            return ""
        return key

    def _redact(self, text: str) -> str:
        key = os.environ.get(self.settings.api_key_env, "")
        return text.replace(key, "***") if key else text

    def _post(self, prompt: str) -> str:
        body = {
            "model": self.settings.model,
            "messages": [{"role": "user", "content": prompt}],
            "temperature": 0,
            "max_tokens": self.settings.max_tokens,
            "stream": False,
        }
        request = urllib.request.Request(
            self.endpoint, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
        )
        if key := self._key():
            # Unredirected: a redirect (to another host, or to http) never carries the key along.
            request.add_unredirected_header("Authorization", f"Bearer {key}")
        with self._opener.open(request, timeout=self.settings.timeout_s) as response:
            reply = json.load(response)
        try:
            content = reply["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError):
            raise JudgeReplyError(f"not a chat completion: {str(reply)[:200]!r}") from None
        if not isinstance(content, str):
            raise JudgeReplyError(f"reply content is not text: {content!r}")
        return content

    def ask(self, metric: str, question: str, answer: str) -> bool:
        """One metric's verdict, retrying transient failures and bad replies; `JudgeError` when all fail."""
        prompt = self.rubrics.prompt(metric, question, answer)
        attempts = self.settings.retries + 1
        for attempt in range(attempts):
            try:
                return parse_verdict(self._post(prompt), metric)
            except urllib.error.HTTPError as error:
                problem = f"HTTP {error.code} {error.reason}"
                if error.code not in RETRY_STATUSES:
                    raise JudgeError(self._redact(f"{metric}: {problem} from {self.endpoint}")) from None
            except JudgeReplyError as error:
                problem = str(error)
            except (OSError, ValueError) as error:  # URLError, timeouts, resets, a body that is not JSON
                problem = f"{type(error).__name__}: {error}"
            if attempt + 1 < attempts:
                self._sleep(min(MAX_BACKOFF_S, self.settings.backoff_s * 2**attempt))
        raise JudgeError(self._redact(f"{metric}: {problem} (after {attempts} attempts)"))

    def __call__(self, question: str, answer: str) -> dict[str, bool]:
        return {metric: self.ask(metric, question, answer) for metric in JUDGE_LABELS}


def openai_judge(base_url: str, model: str, **options: Any) -> OpenAIJudge:
    """The judge of the endpoint at `base_url` (…/v1) serving `model`; `options` are `JudgeSettings` fields."""
    return OpenAIJudge(JudgeSettings(base_url, model, **options))


class CachedJudge:
    """Wraps a judge with an append-only jsonl cache keyed by (judge name, question, answer).

    Only verdicts are cached (a failure is asked again next time); safe to share between threads.
    """

    def __init__(self, judge: Judge, cache_path: Path | str, name: str | None = None):
        self.judge, self.path = judge, Path(cache_path)
        self.name = name or getattr(judge, "name", "judge")
        self.cache: dict[str, dict[str, bool]] = {}
        self._lock = threading.Lock()
        if self.path.exists():
            for line in self.path.read_text(encoding="utf-8").splitlines():
                try:
                    entry = json.loads(line)
                    self.cache[entry["key"]] = entry["verdict"]
                except (ValueError, KeyError, TypeError):
                    continue  # a line torn by a crash: that item is judged again

    def _key(self, question: str, answer: str) -> str:
        return hashlib.sha256(
            json.dumps([self.name, question, answer], ensure_ascii=False).encode()
        ).hexdigest()

    def __call__(self, question: str, answer: str) -> dict[str, bool]:
        key = self._key(question, answer)
        with self._lock:
            cached = self.cache.get(key)
        if cached is not None:
            return cached
        verdict = self.judge(question, answer)
        with self._lock:
            self.cache[key] = verdict
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps({"key": key, "verdict": verdict}, ensure_ascii=False) + "\n")
        return verdict


# ------------------------------------------------------------------------------------ the entry point


@dataclass(frozen=True)
class Judgement:
    """One item's outcome: a verdict per label, or the error it ended with."""

    verdict: dict[str, bool] | None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.verdict is not None


def _judge_one(judge: Judge, question: str, answer: str) -> Judgement:
    try:
        verdict = judge(question, answer)
    except Exception as error:  # any judge, any failure: this item is counted as failed, the run goes on
        return Judgement(
            None, str(error) if isinstance(error, JudgeError) else f"{type(error).__name__}: {error}"
        )
    if not isinstance(verdict, Mapping) or any(
        not isinstance(verdict.get(label), bool) for label in JUDGE_LABELS
    ):
        return Judgement(None, f"judge returned {verdict!r}, not a boolean per {', '.join(JUDGE_LABELS)}")
    return Judgement({label: verdict[label] for label in JUDGE_LABELS})


def judge_items(
    judge: Judge, items: Iterable[tuple[str, str]], concurrency: int | None = None
) -> list[Judgement]:
    """Judge (question, answer) pairs, at most `concurrency` at once (default: the judge's setting, else 4).

    Returns one `Judgement` per item, in order; a failure never raises, it is that item's `error`.
    """
    items = list(items)
    if concurrency is None:
        settings = getattr(getattr(judge, "judge", judge), "settings", None)
        concurrency = settings.concurrency if isinstance(settings, JudgeSettings) else 4
    with ThreadPoolExecutor(max_workers=max(1, min(concurrency, len(items) or 1))) as pool:
        return list(pool.map(lambda item: _judge_one(judge, *item), items))
