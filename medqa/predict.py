"""`medqa predict`: batched, resumable, data-parallel generation over a split or any jsonl file.

Rows are sorted by prompt length and generated in left-padded batches. Each finished batch is appended
to the output and flushed to disk, so a crash (even `kill -9`) loses at most the batch in flight: a
rerun skips ids already written, and a torn last line is cut off and redone.

Data parallel: `accelerate launch --multi_gpu --num_processes N -m medqa.predict …` shards the rows by
rank; every process appends to its own part file and the main process merges them into one file in
input order. The same command works on a CPU-only machine (the processes talk over gloo); accelerate's
`--cpu` launcher starts a single process. The finished file is always in input order.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from medqa.formatting import conversation, split_think
from medqa.inference import (
    DEFAULT_PRESET,
    PRESETS,
    Generation,
    GenerationSettings,
    Messages,
    render_prompt,
    settings_for,
)
from medqa.jsonl import iter_jsonl
from medqa.modeling import ModelLoadError, ModelSpec, resolve_device
from medqa.options import add_model_arguments, read_yaml_options
from medqa.schema import SYSTEM_PROMPT, validate_prediction_row

BACKENDS = ("transformers", "continuous", "vllm")


class InputError(ValueError):
    """The input data or an existing output file is unusable; the message names the file and line."""


@dataclass
class PredictConfig:
    """Everything a prediction run depends on; YAML keys and CLI flags share these names."""

    model: str | None = None
    base: str | None = None
    load_in_4bit: bool = False
    dtype: str = "auto"
    device: str = "auto"
    trust_remote_code: bool = False
    data: str = "data/processed"
    split: str = "test"
    out: str | None = None
    limit: int | None = None
    preset: str = DEFAULT_PRESET  # the model's own generation_config.json sampling
    max_new_tokens: int | None = None
    enable_thinking: bool = True
    batch_size: int = 16
    backend: str = "transformers"
    seed: int = 0
    overwrite: bool = False
    repair: bool = False

    def model_spec(self) -> ModelSpec:
        return ModelSpec(
            model=self.model,
            base=self.base,
            load_in_4bit=self.load_in_4bit,
            dtype=self.dtype,
            device=self.device,
            trust_remote_code=self.trust_remote_code,
        )

    def settings(self) -> GenerationSettings:
        return settings_for(self.preset, self.max_new_tokens, self.enable_thinking)

    def output_path(self) -> Path:
        if self.out:
            return Path(self.out)
        name = Path(self.data).stem if Path(self.data).is_file() else self.split
        return Path("predictions") / f"{name}.jsonl"


# ----------------------------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class PromptRow:
    """A source row ready for generation, with what the prediction row carries over from it."""

    id: str
    input: str
    messages: list[dict[str, str]]
    meta: dict[str, Any]
    reference: str | None


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [row for _, row in iter_jsonl(path, InputError)]


def _prompt_messages(row: dict[str, Any]) -> list[dict[str, str]]:
    """The conversation up to the turn to generate.

    Processed rows carry `messages` (the assistant turn is dropped) or `instruction` as their system
    prompt; in raw upstream rows `instruction` is a task statement, so they get the project's prompt.
    """
    if row.get("messages"):
        turns = row["messages"]
        end = next((i for i, m in enumerate(turns) if m["role"] == "assistant"), len(turns))
        return [{"role": m["role"], "content": m["content"]} for m in turns[:end]]
    system_prompt = row.get("instruction") if "input" in row else SYSTEM_PROMPT
    return conversation(row.get("input") or row["question"], system_prompt=system_prompt or SYSTEM_PROMPT)


def _reference(row: dict[str, Any]) -> str | None:
    if isinstance(row.get("output"), str):
        return split_think(row["output"]).answer or None
    return row.get("answer") if isinstance(row.get("answer"), str) else None


def to_prompt_row(row: dict[str, Any], where: str) -> PromptRow:
    if row.get("id") in (None, ""):
        raise InputError(f"{where}: missing field 'id'")
    question = row.get("input") or row.get("question")
    if not isinstance(question, str) or not question.strip():
        raise InputError(f"{where}: missing field 'input' (or 'question')")
    return PromptRow(
        id=str(row["id"]),
        input=question,
        messages=_prompt_messages(row),
        meta=dict(row.get("meta") or {}),
        reference=_reference(row),
    )


def read_inputs(data: str | Path, split: str) -> list[PromptRow]:
    """Rows of a jsonl file, or of `split` in a processed dir (`<split>.jsonl` or the saved DatasetDict)."""
    data = Path(data)
    if data.is_file():
        source, raw = data, _read_jsonl(data)
        where = [f"{data}:{i}" for i in range(1, len(raw) + 1)]
    elif (data / f"{split}.jsonl").is_file():
        source, raw = data / f"{split}.jsonl", _read_jsonl(data / f"{split}.jsonl")
        where = [f"{source}: row {i}" for i in range(1, len(raw) + 1)]
    elif (data / "dataset_dict.json").is_file():
        from datasets import load_from_disk

        splits = load_from_disk(str(data))
        if split not in splits:
            raise InputError(f"{data} has no split {split!r}; it has {', '.join(splits)}")
        source, raw = data / split, list(splits[split])
        where = [f"{source}: row {i}" for i in range(1, len(raw) + 1)]
    else:
        raise InputError(f"no input at {data}: expected a jsonl file or a processed dir with {split}.jsonl")
    rows = [to_prompt_row(row, w) for row, w in zip(raw, where, strict=True)]
    if not rows:
        raise InputError(f"{source} has no rows to predict")
    seen: dict[str, str] = {}
    for row, w in zip(rows, where, strict=True):
        if row.id in seen:
            raise InputError(f"{w}: duplicate id {row.id!r} (first at {seen[row.id]})")
        seen[row.id] = w
    return rows


# ---------------------------------------------------------------------------------------------- outputs


class OutputLocked(InputError):
    """Another process holds the lock on this output file."""


@contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """An exclusive lock on `out` (an fcntl lock on `<out>.lock`) for the whole run.

    Two runs on one output would both generate every row; the second one stops at once instead. The
    kernel releases the lock when the process ends, however it ends, so a crash never leaves it held.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    lock_path = out.with_name(f"{out.name}.lock")
    with open(lock_path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise OutputLocked(
                f"{out} is being written by another medqa predict (pid {holder}, lock {lock_path}); "
                "wait for it to finish or choose another --out"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def part_path(out: Path, rank: int) -> Path:
    return out.with_name(f"{out.name}.part-{rank}")


def _part_files(out: Path) -> list[Path]:
    return sorted(out.parent.glob(f"{out.name}.part-*"))


@dataclass(frozen=True)
class MalformedLine:
    """A line of an existing output that is not a prediction row: where it is, why, and its bytes."""

    path: Path
    number: int
    problem: str
    raw: bytes

    def __str__(self) -> str:
        return f"{self.path}:{self.number}: {self.problem}"


def quarantine_path(path: Path) -> Path:
    """Where `--repair` moves the malformed lines of `path` (appended, so nothing is ever lost)."""
    return path.with_name(f"{path.name}.malformed")


def read_predictions(path: Path, cut_torn: bool) -> tuple[list[dict[str, Any]], list[MalformedLine]]:
    """(rows, malformed lines) already written to `path`; blank lines are skipped.

    A torn last line (no newline: a write cut short by a crash) is not a row; `cut_torn` truncates it.
    A line that is not JSON, not an object or has no `id` is returned as malformed, never dropped here.
    """
    if not path.exists():
        return [], []
    data = path.read_bytes()
    complete, _, torn = data.rpartition(b"\n")
    if torn and cut_torn:
        with open(path, "r+b") as handle:
            handle.truncate(len(complete) + 1 if complete else 0)
    rows, malformed = [], []
    for number, raw in enumerate(complete.split(b"\n") if complete else [], start=1):
        if not raw.strip():
            continue
        try:
            row = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as error:
            malformed.append(MalformedLine(path, number, f"not UTF-8 ({error.reason})", raw))
            continue
        except json.JSONDecodeError as error:
            malformed.append(MalformedLine(path, number, f"not valid JSON ({error.msg})", raw))
            continue
        if not isinstance(row, dict):
            malformed.append(
                MalformedLine(path, number, f"expected a JSON object, got {type(row).__name__}", raw)
            )
        elif not isinstance(row.get("id"), str) or not row["id"]:
            malformed.append(MalformedLine(path, number, "no 'id'", raw))
        else:
            rows.append(row)
    return rows, malformed


def quarantine(path: Path, malformed: Sequence[MalformedLine]) -> Path:
    """Move `malformed` lines of `path` to its quarantine file and rewrite `path` without them."""
    side = quarantine_path(path)
    with open(side, "ab") as handle:
        handle.writelines(line.raw + b"\n" for line in malformed)
        handle.flush()
        os.fsync(handle.fileno())
    bad = {line.number for line in malformed}
    kept = [raw for number, raw in enumerate(path.read_bytes().split(b"\n"), start=1) if number not in bad]
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(b"\n".join(kept))
    os.replace(tmp, path)
    return side


def _append(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    """Append rows and force them to disk: what returns from here survives a crash."""
    text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def _write_atomic(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def existing_predictions(
    out: Path, cut_torn: bool = False, repair: bool = False
) -> dict[str, dict[str, Any]]:
    """Rows of the output and of any part files left by an interrupted multi-process run (first wins).

    Malformed lines stop the run with every file and line named, unless `repair` moves them aside.
    """
    rows: dict[str, dict[str, Any]] = {}
    problems: list[MalformedLine] = []
    for path in [out, *_part_files(out)]:
        found, malformed = read_predictions(path, cut_torn)
        if malformed and repair:
            side = quarantine(path, malformed)
            print(
                f"medqa predict: moved {len(malformed)} malformed line(s) of {path} to {side}",
                file=sys.stderr,
            )
        else:
            problems += malformed
        for row in found:
            rows.setdefault(row["id"], row)
    if problems:
        shown = "\n  ".join(str(line) for line in problems[:10])
        more = f"\n  … and {len(problems) - 10} more" if len(problems) > 10 else ""
        raise InputError(
            f"{len(problems)} malformed line(s) in the existing output:\n  {shown}{more}\n"
            "rerun with --overwrite to start over, or --repair to move them to a .malformed side file"
        )
    return rows


def merge_outputs(out: Path, inputs: Sequence[PromptRow]) -> int:
    """Rewrite the output as one file in input order, then drop the part files; returns the row count."""
    done = existing_predictions(out, cut_torn=True)
    _write_atomic(out, (done[row.id] for row in inputs if row.id in done))
    for part in _part_files(out):
        part.unlink()
    return sum(row.id in done for row in inputs)


def _check_resumable(
    out: Path, done: dict[str, dict[str, Any]], inputs: Sequence[PromptRow], run: dict
) -> None:
    """A rerun may only continue the same job: same inputs, same model and generation settings."""
    known = {row.id for row in inputs}
    stray = [row_id for row_id in done if row_id not in known]
    if stray:
        raise InputError(
            f"{out} holds {len(stray)} ids not in this input (e.g. {stray[0]!r}); use --overwrite"
        )
    for row in done.values():
        if row.get("model") != run["model"] or row.get("generation") != run["generation"]:
            raise InputError(
                f"{out} was written with another model or generation settings "
                f"({row.get('model')}, {row.get('generation')}); use --overwrite or another --out"
            )


def prediction_row(source: PromptRow, generation: Generation, latency_s: float, run: dict) -> dict[str, Any]:
    parsed = generation.split()
    row = {
        "id": source.id,
        "input": source.input,
        "output": generation.text,
        "think": parsed.think,
        "answer": parsed.answer,
        "think_status": parsed.status,
        "finish_reason": generation.finish_reason,
        "prompt_tokens": generation.prompt_tokens,
        "completion_tokens": generation.completion_tokens,
        "latency_s": round(latency_s, 4),
        **run,
        "meta": source.meta,
        "reference": source.reference,
    }
    validate_prediction_row(row, where=f"prediction for {source.id}")
    return row


# --------------------------------------------------------------------------------------------- backends


@dataclass
class Generator:
    """A backend: the tokenizer (to sort prompts by length) and a batch generation function."""

    tokenizer: Any
    generate: Callable[[Sequence[Messages]], list[Generation]]


def transformers_generator(config: PredictConfig, spec: ModelSpec) -> Generator:
    from medqa.inference import generate_batch, generate_continuous
    from medqa.modeling import load_model

    loaded = load_model(spec)
    settings = config.settings()
    run = generate_continuous if config.backend == "continuous" else generate_batch
    return Generator(loaded.tokenizer, lambda batch: run(loaded, batch, settings, config.enable_thinking))


def vllm_generator(config: PredictConfig, spec: ModelSpec) -> Generator:
    """vLLM (GPU, `pip install 'medqa[vllm]'`): same prompts, same rows, its own scheduler and kernels."""
    try:
        from vllm import LLM, SamplingParams
        from vllm.lora.request import LoRARequest
    except ImportError as error:
        raise SystemExit(f"--backend vllm needs vLLM: pip install 'medqa[vllm]' ({error})") from error
    from medqa.modeling import load_tokenizer, resolve_source

    source = resolve_source(spec)
    tokenizer = load_tokenizer(source.tokenizer, spec.trust_remote_code)
    settings = config.settings()
    llm = LLM(
        model=source.weights,
        tokenizer=source.tokenizer,
        dtype=spec.dtype,
        trust_remote_code=spec.trust_remote_code,
        enable_lora=source.adapter is not None,
        quantization="bitsandbytes" if spec.load_in_4bit else None,
        seed=config.seed,
    )
    params = SamplingParams(
        max_tokens=settings.max_new_tokens,
        temperature=settings.temperature if settings.do_sample else 0.0,
        top_p=settings.top_p if settings.do_sample else 1.0,
        top_k=settings.top_k if settings.do_sample else -1,
        repetition_penalty=settings.repetition_penalty,
    )
    lora = LoRARequest("adapter", 1, source.adapter) if source.adapter else None

    def generate(batch: Sequence[Messages]) -> list[Generation]:
        prompts = [render_prompt(tokenizer, messages, config.enable_thinking) for messages in batch]
        outputs = llm.generate([p.text for p in prompts], params, lora_request=lora, use_tqdm=False)
        return [
            Generation(
                text=out.outputs[0].text,
                finish_reason="length" if out.outputs[0].finish_reason == "length" else "stop",
                prompt_tokens=len(out.prompt_token_ids),
                completion_tokens=len(out.outputs[0].token_ids),
                prefill=prompt.prefill,
            )
            for out, prompt in zip(outputs, prompts, strict=True)
        ]

    return Generator(tokenizer, generate)


# ---------------------------------------------------------------------------------------------- the run


def _batches_by_length(rows: Sequence[PromptRow], generator: Generator, config: PredictConfig):
    """Longest prompts first (an out-of-memory shows at once), similar lengths together (little padding)."""
    lengths = {
        row.id: len(
            generator.tokenizer(
                render_prompt(generator.tokenizer, row.messages, config.enable_thinking).text,
                add_special_tokens=False,
            )["input_ids"]
        )
        for row in rows
    }
    ordered = sorted(rows, key=lambda row: -lengths[row.id])
    return [ordered[i : i + config.batch_size] for i in range(0, len(ordered), config.batch_size)]


def predict(config: PredictConfig) -> Path:
    """Run (or resume) a prediction job; returns the finished output file, in input order."""
    from accelerate import PartialState
    from transformers import set_seed

    if not config.model:
        raise InputError("no model given: pass --model (a Hub id, a model dir or an adapter dir)")
    if config.backend not in BACKENDS:
        raise InputError(f"backend must be one of {', '.join(BACKENDS)}, got {config.backend!r}")
    if config.batch_size < 1:
        raise InputError(f"batch_size must be at least 1, got {config.batch_size}")
    config.settings()  # an unknown preset fails here, before the model loads
    state = PartialState(cpu=resolve_device(config.device) == "cpu")  # cpu=True: gloo across CPU processes
    out = config.output_path()
    inputs = read_inputs(config.data, config.split)[: config.limit]
    spec = config.model_spec()
    run = {
        "model": spec.to_dict(),
        "generation": {
            "preset": config.preset,
            **config.settings().to_dict(),
            "enable_thinking": config.enable_thinking,
            "backend": config.backend,
        },
    }
    with output_lock(out) if state.is_main_process else nullcontext():
        if state.is_main_process:
            for path in [out, *_part_files(out)] if config.overwrite else []:
                path.unlink(missing_ok=True)
            for path in [quarantine_path(out)] if config.overwrite else []:
                path.unlink(missing_ok=True)
            # Torn lines cut and malformed ones refused (or moved aside) before any process reads.
            existing_predictions(out, cut_torn=True, repair=config.repair)
        state.wait_for_everyone()
        done = existing_predictions(out)
        _check_resumable(out, done, inputs, run)
        pending = [row for row in inputs if row.id not in done][state.process_index :: state.num_processes]

        if pending:
            set_seed(config.seed + state.process_index)
            if spec.device == "auto" and state.num_processes > 1 and state.device.type != "cpu":
                spec = ModelSpec(**{**spec.to_dict(), "device": str(state.device)})
            generator = (
                vllm_generator(config, spec)
                if config.backend == "vllm"
                else transformers_generator(config, spec)
            )
            target = part_path(out, state.process_index) if state.num_processes > 1 else out
            _generate_into(target, pending, generator, config, run, show_progress=state.is_main_process)
        state.wait_for_everyone()
        if state.is_main_process:
            written = merge_outputs(out, inputs)
            print(f"{written}/{len(inputs)} predictions in {out}", file=sys.stderr)
        state.wait_for_everyone()
        return out


def _generate_into(target, rows, generator: Generator, config: PredictConfig, run: dict, show_progress: bool):
    from tqdm.auto import tqdm

    started, tokens = time.perf_counter(), 0
    with tqdm(total=len(rows), desc=f"predict {target.name}", unit="row", disable=not show_progress) as bar:
        for batch in _batches_by_length(rows, generator, config):
            batch_started = time.perf_counter()
            generations = generator.generate([row.messages for row in batch])
            latency = time.perf_counter() - batch_started
            _append(
                target, (prediction_row(r, g, latency, run) for r, g in zip(batch, generations, strict=True))
            )
            tokens += sum(g.completion_tokens for g in generations)
            bar.update(len(batch))
            bar.set_postfix(tok_s=f"{tokens / (time.perf_counter() - started):.1f}")


# ------------------------------------------------------------------------------------------------- CLI


def load_yaml_config(path: str | Path) -> dict[str, Any]:
    """A YAML mapping of PredictConfig fields, read by the stages' one config reader."""
    return read_yaml_options(path, PredictConfig, InputError)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Flags default to None so that a flag given on the command line overrides the YAML config."""
    defaults = PredictConfig()
    add = parser.add_argument
    add("--config", help="YAML file of the options below (flags given here override it)")
    add_model_arguments(parser, "base model of the adapter (default: base_model_name_or_path in adapter_config.json)", defaults.dtype)
    add(
        "--data",
        help=f"a processed dir or a jsonl file with id and input per line (default: {defaults.data})",
    )
    add(
        "--split",
        help=f"split of a processed dir: train, dev, test, gold, red_team (default: {defaults.split})",
    )
    add("--out", help="output jsonl (default: predictions/<split>.jsonl)")
    add("--limit", type=int, help="predict only the first N rows")
    add("--preset", choices=tuple(PRESETS), help=f"generation settings (default: {defaults.preset})")
    add("--max-new-tokens", type=int, help="override the preset's limit")
    add(
        "--enable-thinking",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="let the model reason in <think> (--no-enable-thinking pre-fills an empty block; default: on)",
    )
    add(
        "--no-thinking",
        dest="enable_thinking",
        action="store_false",
        default=None,
        help="same as --no-enable-thinking",
    )
    add("--batch-size", type=int, help=f"rows per batch and per flush (default: {defaults.batch_size})")
    add(
        "--backend", choices=BACKENDS, help=f"(default: {defaults.backend}; continuous and vllm are for GPUs)"
    )
    add("--seed", type=int, help=f"sampling seed (default: {defaults.seed})")
    add(
        "--overwrite",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="start over instead of resuming an existing output",
    )
    add(
        "--repair",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="move malformed lines of an existing output to OUT.malformed and resume (default: refuse)",
    )


def config_from_args(args: argparse.Namespace) -> PredictConfig:
    values = load_yaml_config(args.config) if args.config else {}
    for f in fields(PredictConfig):
        if getattr(args, f.name, None) is not None:
            values[f.name] = getattr(args, f.name)
    return PredictConfig(**values)


def main(args: argparse.Namespace) -> int:
    try:
        predict(config_from_args(args))
    except (InputError, ModelLoadError, OSError, ValueError) as error:
        print(f"medqa predict: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # `accelerate launch … -m medqa.predict …`
    from medqa.cli import FlagParser

    cli = FlagParser(prog="medqa predict", description=__doc__.splitlines()[0])
    add_arguments(cli)
    sys.exit(main(cli.parse_args()))
