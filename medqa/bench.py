"""`medqa bench`: medical knowledge benchmarks through lm-evaluation-harness, for one model or a paired
base-vs-tuned comparison.

The harness does the work: task registry, datasets, prompts, batching and metrics are lm-eval's, and
tasks and suites are lm-eval YAML (`recipes/benchmarks/` is always on the include path; `--include-path`
adds your own folders, lm-eval's convention). The model comes from `medqa.modeling`, the loader predict
and the demo use, and is handed to lm-eval's `HFLM` as an object (`--backend vllm` hands its path to
lm-eval's vLLM model instead).

Two modes:
- `loglikelihood`: the tasks exactly as lm-eval defines them (multiple choice scored by log-likelihood).
- `generate`: each multiple-choice task becomes a generative one that a `<think>` model is used in. The
  question and its lettered options go through the chat template with `enable_thinking`; the model
  thinks within a token budget (a think still open then is closed with a fixed sentence and the model
  gets `--answer-tokens` more to answer); the letter is read from the text after `</think>` ("答案：B",
  "The answer is (B)", a bare "B"). Why in our code rather than an lm-eval filter: the score needs the
  whole turn (was the think closed by the model, by the budget, or malformed?), not just a regex over the
  answer, and these counts are reported beside accuracy as lm-eval metrics of their own (think_ok,
  think_budget, think_malformed, answer_missing) so a truncated think is never a silent wrong answer.

Outputs in `--out`: per model (`model/`, and `base/` with `--base`) lm-eval's results JSON and per-task
samples; `bench.md`; and `bench_summary.json` (read by `medqa evaluate --bench` and the model card).
Requests are cached per model in `<out>/<role>/cache/` (lm-eval's SQLite cache), so a killed run resumes.
"""

from __future__ import annotations

import argparse
import difflib
import functools
import hashlib
import json
import math
import re
import sys
import time
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from functools import partial
from pathlib import Path
from typing import Any

from medqa.formatting import THINK_CLOSE, THINK_EMPTY, THINK_OK, split_think
from medqa.inference import ASSISTANT_HEADER
from medqa.metrics.stats import mcnemar_exact, paired_bootstrap
from medqa.modeling import ModelLoadError, ModelSpec
from medqa.options import add_model_arguments, read_yaml_options

MODES = ("loglikelihood", "generate")
BACKENDS = ("hf", "vllm")
SUITES_DIR = Path(__file__).resolve().parent.parent / "recipes" / "benchmarks"
SUMMARY_FILE = "bench_summary.json"
RESULTS_FILE = "results.json"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# Appended to a think the model has not closed when its budget runs out; the samples show it verbatim.
BUDGET_CLOSE = "\n\nThe thinking budget is used up, so I answer now.\n" + THINK_CLOSE + "\n\n"
# Per-item metrics of generate mode, each a 0/1 that lm-eval averages (higher_is_better).
GENERATE_METRICS = {
    "acc": True,  # the extracted letter is the gold one
    "think_ok": True,  # a well-formed think the model closed itself
    "think_budget": False,  # the think was still open at the budget and was closed for the model
    "think_malformed": False,  # no open tag, several blocks, empty think or empty answer
    "answer_missing": False,  # no option letter found after </think>
}
EN_INSTRUCTION = 'Think it through, then give the letter of the correct option ({letters}) on the last line as "The answer is (X)".'
ZH_INSTRUCTION = "请先思考，然后在最后一行以“答案：X”的格式给出正确选项的字母（{letters}之一）。"
# The task's own answer cue on the last line ("Answer:", "答案：", "A:"), dropped before the instruction.
_ANSWER_CUE = re.compile(r"(?:^|\n)[ \t]*(?:(?i:answer)[ \t]*[:：]?|答案[ \t]*[:：]?|A[ \t]*[:：])[ \t]*$")
_EXPLICIT_ANSWER = (
    re.compile(r"答案\s*(?:是|为|应为|应该是)?\s*[:：]?\s*[(（\[【]?\s*([A-Z])(?![A-Za-z])"),
    re.compile(r"(?i:answer)\s*(?:(?i:is)\s*)?[:：]?\s*[(（\[]?\s*([A-Z])(?![A-Za-z])"),
)
_BARE_LETTER = re.compile(r"^\s*[(（\[]?([A-Z])(?:[)）\].．。、:：,，]|\s*$)")


class BenchError(ValueError):
    """Bad bench input (task names, folders, options, summary files); the message says what and where."""


# ----------------------------------------------------------------------------------------------- config


@dataclass
class BenchConfig:
    """Everything a bench run depends on; YAML keys (`--config`) and CLI flags share these names."""

    model: str | None = None
    base: str | None = None  # the baseline to compare with, and the base of `model` if it is an adapter
    load_in_4bit: bool = False
    dtype: str = "auto"
    device: str = "auto"
    trust_remote_code: bool = False
    tasks: str | list[str] = "medical_en"
    include_path: list[str] = field(default_factory=list)
    mode: str = "loglikelihood"
    backend: str = "hf"
    limit: int | None = None
    num_fewshot: int | None = None
    batch_size: str = "auto"
    thinking_budget: int = 2048
    answer_tokens: int = 64
    enable_thinking: bool = True
    system_prompt: str | None = None
    bootstrap_resamples: int = 2000
    seed: int = 0
    resume: bool = True
    out: str = "reports/bench"

    def task_names(self) -> list[str]:
        names = self.tasks.split(",") if isinstance(self.tasks, str) else list(self.tasks)
        names = [name.strip() for name in names if name and name.strip()]
        if not names:
            raise BenchError("no tasks given: pass --tasks NAME[,NAME…] (a task, group or suite)")
        return names

    def include_paths(self) -> list[Path]:
        """The project's suites first, then the user's folders (a later folder overrides a task name)."""
        paths = [SUITES_DIR] if SUITES_DIR.is_dir() else []
        for raw in self.include_path:
            path = Path(raw).expanduser()
            if not path.is_dir():
                raise BenchError(f"--include-path {raw}: no such directory")
            if not any(path.rglob("*.yaml")):
                raise BenchError(f"--include-path {raw}: holds no task YAML (*.yaml) files")
            paths.append(path.resolve())
        return paths

    def spec(self, role: str) -> ModelSpec:
        """The model of `role`: "model" (an adapter sits on `base`) or "base" (the baseline itself)."""
        name = self.model if role == "model" else self.base
        return ModelSpec(
            model=name,
            base=self.base if role == "model" else None,
            load_in_4bit=self.load_in_4bit,
            dtype=self.dtype,
            device=self.device,
            trust_remote_code=self.trust_remote_code,
        )

    def check(self) -> None:
        if not self.model:
            raise BenchError("--model is required")
        if self.mode not in MODES:
            raise BenchError(f"--mode must be one of {', '.join(MODES)}, got {self.mode!r}")
        if self.backend not in BACKENDS:
            raise BenchError(f"--backend must be one of {', '.join(BACKENDS)}, got {self.backend!r}")
        if self.thinking_budget < 1 or self.answer_tokens < 1:
            raise BenchError("--thinking-budget and --answer-tokens must be at least 1")
        if self.batch_size != "auto" and not str(self.batch_size).isdigit():
            raise BenchError(f"--batch-size must be 'auto' or a positive integer, got {self.batch_size!r}")
        if self.base and Path(self.base).expanduser().resolve() == Path(self.model).expanduser().resolve():
            raise BenchError("--base names the same model as --model: nothing to compare")


def load_yaml_config(path: str | Path) -> dict[str, Any]:
    """A YAML mapping of BenchConfig fields, read by the stages' one config reader."""
    values = read_yaml_options(path, BenchConfig, BenchError)
    if isinstance(values.get("include_path"), str):
        values["include_path"] = [values["include_path"]]
    return values


# ------------------------------------------------------------------------------- answers in generate mode


def extract_choice(answer: str, n_choices: int) -> str | None:
    """The option letter an answer text gives, or None.

    The last explicit statement wins ("答案：B", "答案是（B）", "The answer is (B)", "Answer: B"), else a
    bare letter at the start ("B", "(B)", "B. …"). Full-width letters count; a letter beyond the
    options counts as no answer.
    """
    text = unicodedata.normalize("NFKC", answer)
    valid = LETTERS[:n_choices]
    for pattern in _EXPLICIT_ANSWER:
        found = pattern.findall(text)
        if found:
            letters = [letter for letter in found if letter in valid]
            return letters[-1] if letters else None
    bare = _BARE_LETTER.match(text)
    return bare.group(1) if bare and bare.group(1) in valid else None


def prefill_of(prompt: str) -> str:
    """What the chat template already wrote of the assistant turn (Qwen3's empty think block when
    thinking is off); empty for templates without Qwen's assistant header."""
    _, header, prefill = prompt.rpartition(ASSISTANT_HEADER)
    return prefill if header else ""


def score_generation(response: str, n_choices: int, gold: str, thinking: bool = True) -> dict[str, float]:
    """The generate-mode metrics of one item from the whole assistant turn. With thinking off the
    template pre-fills an empty think block, which is then the expected form, not a malformed one."""
    budget = BUDGET_CLOSE in response
    split = split_think(response)
    well_formed = split.status == THINK_OK or (not thinking and split.status == THINK_EMPTY)
    letter = extract_choice(split.answer, n_choices)
    return {
        "acc": float(letter == gold),
        "think_ok": float(well_formed and not budget),
        "think_budget": float(budget),
        "think_malformed": float(not well_formed),
        "answer_missing": float(letter is None),
    }


def _choices_are_letters(choices: Sequence[str]) -> bool:
    return [str(c).strip() for c in choices] == list(LETTERS[: len(choices)])


def _choices(task, doc) -> list[str]:
    choices = [str(choice) for choice in task.doc_to_choice(doc)]
    if not 2 <= len(choices) <= len(LETTERS):
        raise BenchError(f"task {task.task_name}: an item has {len(choices)} choices (2 to 26 are supported)")
    return choices


def choice_prompt(task, doc) -> str:
    """The question as the task writes it, its options lettered (unless it lists them already, i.e. its
    choices are the letters), and an answer-format instruction in the question's language."""
    text = str(task.doc_to_text(doc))
    choices = _choices(task, doc)
    letters = LETTERS[: len(choices)]
    text = _ANSWER_CUE.sub("", text).rstrip()
    if not _choices_are_letters(choices):
        text += "\n" + "\n".join(
            f"{letter}. {choice.strip()}" for letter, choice in zip(letters, choices, strict=True)
        )
    chinese = re.search(r"[\u4e00-\u9fff]", text) is not None
    instruction = (ZH_INSTRUCTION if chinese else EN_INSTRUCTION).format(letters=", ".join(letters))
    return f"{text}\n\n{instruction}"


def gold_letter(task, doc) -> str:
    """The gold option as a letter, from the task's own target (an index or one of its choices)."""
    choices = _choices(task, doc)
    target = task.doc_to_target(doc)
    if isinstance(target, str) and target.strip().isdigit():
        target = int(target.strip())
    if isinstance(target, int) and not isinstance(target, bool) and 0 <= target < len(choices):
        return LETTERS[target]
    if isinstance(target, str) and target in choices:
        return LETTERS[choices.index(target)]
    raise BenchError(
        f"task {task.task_name}: gold target {target!r} is neither a choice index nor one of the choices "
        f"{choices} (several gold answers are not supported in generate mode)"
    )


def _score_item(task, thinking: bool, doc, results) -> dict[str, float]:
    return score_generation(results[0], len(_choices(task, doc)), gold_letter(task, doc), thinking)


def generative_task(task, max_gen_toks: int, thinking: bool = True):
    """A generate_until copy of a multiple-choice task over the same dataset, scored by `_score_item`."""
    from lm_eval.api.task import ConfigurableTask

    if task.OUTPUT_TYPE != "multiple_choice":
        raise BenchError(
            f"task {task.task_name}: --mode generate turns multiple-choice tasks into generative ones, but "
            f"this task's output_type is {task.OUTPUT_TYPE}; run it with --mode loglikelihood"
        )
    if task.multiple_input:
        raise BenchError(f"task {task.task_name}: multiple-input tasks cannot be run in generate mode")
    config = {f.name: getattr(task.config, f.name) for f in fields(task.config)}
    dataset = task.dataset
    config.update(
        output_type="generate_until",
        doc_to_text=partial(choice_prompt, task),
        doc_to_target=partial(gold_letter, task),
        doc_to_choice=None,
        process_results=partial(_score_item, task, thinking),
        metric_list=[
            {"metric": name, "aggregation": "mean", "higher_is_better": higher}
            for name, higher in GENERATE_METRICS.items()
        ],
        generation_kwargs={"until": [], "do_sample": False, "max_gen_toks": max_gen_toks},
        filter_list=None,
        fewshot_config=None,  # rebuilt from the generative doc_to_text / doc_to_target
        target_delimiter=" ",
        custom_dataset=lambda **_: dataset,  # the dataset the task already loaded
    )
    return ConfigurableTask(config=config)


# ------------------------------------------------------------------------------------------ lm-eval glue


@functools.cache
def _task_manager(paths: tuple[Path, ...]):
    """lm-eval's TaskManager over its own tasks and `paths`; indexing ~15k task files takes seconds, so one
    manager serves every bench run of a process with the same include paths (it holds no run state)."""
    from lm_eval.tasks import TaskManager

    return TaskManager(include_path=[str(path) for path in paths])


def _unreadable_yaml(path: Path) -> list[str]:
    """Task YAML under `path` that does not load, with the reason (lm-eval's index skips such files
    silently, and the task would then just be "unknown")."""
    from lm_eval.tasks._yaml_loader import load_yaml

    problems = []
    for yaml_path in sorted(path.rglob("*.yaml")):
        try:
            load_yaml(yaml_path, resolve_func=True, recursive=True)
        except Exception as error:  # noqa: BLE001 - any reason lm-eval would skip it is worth naming
            problems.append(f"{yaml_path}: {type(error).__name__}: {error}")
    return problems


def build_task_manager(config: BenchConfig):
    """The task registry (lm-eval's own tasks plus the include paths) with every requested name checked."""
    paths = config.include_paths()
    problems = [problem for path in paths if path != SUITES_DIR for problem in _unreadable_yaml(path)]
    if problems:
        raise BenchError("task YAML that lm-eval cannot read:\n  " + "\n  ".join(problems))
    manager = _task_manager(tuple(paths))
    for name in config.task_names():
        if name not in manager.all_tasks:
            close = difflib.get_close_matches(name, manager.all_tasks, n=3, cutoff=0.6)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            where = ", ".join(str(p) for p in paths) or "none"
            raise BenchError(
                f"unknown task, group or suite {name!r}{hint} (lm-eval's registry and the include paths: "
                f"{where}; `lm-eval ls tasks` lists lm-eval's own)"
            )
    return manager


def load_tasks(manager, config: BenchConfig) -> list[Any]:
    """The requested tasks and groups, built (their datasets load here, before any model does); in
    generate mode every task is replaced by its generative copy, inside its groups too. Returns the
    top-level objects, which `simple_evaluate` takes as they are."""
    try:
        loaded = manager.load(config.task_names())
    except Exception as error:  # datasets raise many kinds: offline, missing files, bad fields …
        raise BenchError(
            f"tasks {', '.join(config.task_names())} could not be built: {type(error).__name__}: {error}"
        ) from error
    tasks, groups = loaded["tasks"], loaded["groups"]
    if config.mode == "generate":
        max_gen_toks = config.thinking_budget if config.enable_thinking else config.answer_tokens
        for name, task in list(tasks.items()):
            tasks[name] = copy = generative_task(task, max_gen_toks, config.enable_thinking)
            for group in groups.values():
                if name in group:
                    group.add(copy)
    children = {child for names in loaded["group_map"].values() for child in names}
    return [item for name, item in [*groups.items(), *tasks.items()] if name not in children]


@functools.cache
def _bench_lm_class():
    """`BenchLM`, a subclass of lm-eval's LM (built on first use: lm-eval is an optional extra)."""
    from lm_eval.api.model import LM

    return type("BenchLM", (_BenchLMMixin, LM), {"__doc__": _BenchLMMixin.__doc__})


class _BenchLMMixin:
    """An lm-eval LM in front of a backend: requests go through lm-eval's SQLite cache (a rerun resumes),
    and a generation whose think is still open is closed with `BUDGET_CLOSE` and continued for
    `answer_tokens` more tokens. The returned text is the whole assistant turn, including what the
    chat template pre-filled, so the think parser sees what the model saw."""

    def __init__(self, backend, cache_db: Path | None, answer_tokens: int):
        from lm_eval.api.model import CachingLM

        super().__init__()
        self.backend = backend
        self.requests = CachingLM(backend, str(cache_db)) if cache_db else backend
        self.answer_tokens = answer_tokens

    def loglikelihood(self, requests):
        return self.requests.loglikelihood(requests)

    def loglikelihood_rolling(self, requests):
        return self.requests.loglikelihood_rolling(requests)

    def generate_until(self, requests):
        from lm_eval.api.instance import Instance

        drafts = self.requests.generate_until(requests)
        turns = [prefill_of(request.args[0]) + draft for request, draft in zip(requests, drafts, strict=True)]
        still_open = [i for i, turn in enumerate(turns) if THINK_CLOSE not in turn]
        if still_open:
            print(
                f"thinking budget reached in {len(still_open)}/{len(turns)} items: closing their think",
                flush=True,
            )
            follow_ups = [
                Instance(
                    request_type="generate_until",
                    doc=requests[i].doc,
                    arguments=(
                        requests[i].args[0] + drafts[i] + BUDGET_CLOSE,
                        dict(requests[i].args[1], max_gen_toks=self.answer_tokens),
                    ),
                    idx=requests[i].idx,
                    metadata=(requests[i].task_name, requests[i].doc_id, requests[i].repeats),
                )
                for i in still_open
            ]
            for i, answer in zip(still_open, self.requests.generate_until(follow_ups), strict=True):
                turns[i] += BUDGET_CLOSE + answer
        return turns

    # What lm-eval asks of a model besides requests is the backend's.
    @property
    def rank(self):
        return self.backend.rank

    @property
    def world_size(self):
        return self.backend.world_size

    @property
    def device(self):
        return self.backend.device

    @property
    def tokenizer_name(self) -> str:
        return self.backend.tokenizer_name

    def apply_chat_template(self, chat_history, add_generation_prompt: bool = True):
        return self.backend.apply_chat_template(chat_history, add_generation_prompt)

    def chat_template(self, chat_template=False):
        return self.backend.chat_template(chat_template)

    def all_gather(self, tensor):
        return self.backend.all_gather(tensor)

    def gather_object(self, obj, dst=0):
        return self.backend.gather_object(obj, dst)

    def barrier(self):
        return self.backend.barrier()

    def get_model_info(self) -> dict:
        info = getattr(self.backend, "get_model_info", None)
        return info() if info else {}


def build_backend(spec: ModelSpec, config: BenchConfig):
    """lm-eval's HF model over our loader's model object, or lm-eval's vLLM model over the same source."""
    template_args = {"enable_thinking": config.enable_thinking} if config.mode == "generate" else {}
    batch_size = config.batch_size if config.batch_size == "auto" else int(config.batch_size)
    if config.backend == "vllm":
        from medqa.modeling import resolve_source

        source = resolve_source(spec)
        try:
            from lm_eval.models.vllm_causallms import VLLM
        except ImportError as error:
            raise BenchError(
                f"--backend vllm needs vLLM on a GPU machine: pip install 'medqa[vllm]' ({error})"
            ) from None
        return VLLM(
            pretrained=source.weights,
            tokenizer=source.tokenizer,
            lora_local_path=source.adapter,
            dtype=spec.dtype,
            quantization="bitsandbytes" if spec.load_in_4bit else None,
            trust_remote_code=spec.trust_remote_code,
            batch_size=batch_size,
            seed=config.seed,
            chat_template_args=template_args,
        )
    from lm_eval.models.huggingface import HFLM

    from medqa.modeling import load_model

    loaded = load_model(spec)
    return HFLM(
        pretrained=loaded.model,
        tokenizer=loaded.tokenizer,
        batch_size=batch_size,
        chat_template_args=template_args,
    )


def _cache_db(config: BenchConfig, spec: ModelSpec, role_dir: Path) -> Path | None:
    """One request cache per model and per setting that changes a response."""
    if not config.resume:
        return None
    key = {
        "spec": spec.to_dict(),
        "mode": config.mode,
        "backend": config.backend,
        "thinking_budget": config.thinking_budget,
        "answer_tokens": config.answer_tokens,
        "enable_thinking": config.enable_thinking,
        "system_prompt": config.system_prompt,
        "num_fewshot": config.num_fewshot,
        "seed": config.seed,
    }
    digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:16]
    return role_dir / "cache" / f"requests_{digest}.db"


def run_model(config: BenchConfig, manager, tasks: list[Any], role: str, out: Path) -> dict[str, Any]:
    """Evaluate one model on the loaded tasks; writes lm-eval's results JSON and samples under out/role."""
    from lm_eval import simple_evaluate
    from lm_eval.utils import handle_non_serializable

    spec = config.spec(role)
    role_dir = out / role
    role_dir.mkdir(parents=True, exist_ok=True)
    print(f"[{role}] loading {spec.model}", flush=True)
    backend = build_backend(spec, config)
    model = _bench_lm_class()(backend, _cache_db(config, spec, role_dir), config.answer_tokens)
    print(f"[{role}] evaluating {', '.join(config.task_names())} ({config.mode})", flush=True)
    started = time.perf_counter()
    results = simple_evaluate(
        model=model,
        tasks=tasks,
        task_manager=manager,
        num_fewshot=config.num_fewshot,
        limit=config.limit,
        bootstrap_iters=1000,
        log_samples=True,
        apply_chat_template=config.mode == "generate",
        fewshot_as_multiturn=config.mode == "generate",
        system_instruction=config.system_prompt,
        random_seed=config.seed,
        numpy_random_seed=config.seed,
        torch_random_seed=config.seed,
        fewshot_random_seed=config.seed,
    )
    seconds = time.perf_counter() - started
    samples = results.pop("samples")
    results["config"]["model"] = spec.model  # lm-eval would name the wrapper class
    results["medqa"] = {"model": spec.to_dict(), "role": role, "mode": config.mode, "seconds": seconds}
    dump = partial(json.dumps, default=handle_non_serializable, ensure_ascii=False)
    (role_dir / RESULTS_FILE).write_text(dump(results, indent=2) + "\n", encoding="utf-8")
    for task, rows in samples.items():
        with open(role_dir / f"samples_{task}.jsonl", "w", encoding="utf-8") as handle:
            handle.writelines(dump(row) + "\n" for row in rows)
    n_items = sum(len(rows) for rows in samples.values())
    print(f"[{role}] {n_items} items in {seconds:.1f}s", flush=True)
    return {"results": results, "samples": samples}


# ------------------------------------------------------------------------------------------- summaries


def _leaves(group: str, group_subtasks: Mapping[str, list[str]]) -> list[str]:
    leaves = []
    for child in group_subtasks.get(group, []):
        leaves += _leaves(child, group_subtasks) if child in group_subtasks else [child]
    return leaves


def _primary_metric(task_results: Mapping[str, Any]) -> str:
    names = [key.split(",")[0] for key in task_results if "," in key and "_stderr" not in key]
    return next((m for m in ("acc", "exact_match") if m in names), names[0] if names else "acc")


def task_rows(run: Mapping[str, Any], requested: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Per leaf task: its headline metric with stderr and n, its dataset and the suite it was asked in."""
    results, samples = run["results"], run["samples"]
    group_subtasks = results.get("group_subtasks", {})
    suite_of = {
        leaf: name for name in requested if name in group_subtasks for leaf in _leaves(name, group_subtasks)
    }
    rows = {}
    for task, items in samples.items():
        metrics = results["results"][task]
        metric = _primary_metric(metrics)
        values = [float(item[metric]) for item in items]
        stderr = metrics.get(f"{metric}_stderr,none")
        if not isinstance(stderr, int | float) or math.isnan(stderr):
            stderr = _mean_stderr(values)
        config = results["configs"].get(task, {})
        row = {
            "metric": metric,
            "value": float(metrics[f"{metric},none"]),
            "stderr": float(stderr),
            "n": len(items),
            "dataset": config.get("dataset_path"),
            "dataset_name": config.get("dataset_name"),
            "suite": suite_of.get(task),
        }
        if all(name in items[0] for name in GENERATE_METRICS):
            row["think_counts"] = {
                name: int(sum(item[name] for item in items)) for name in GENERATE_METRICS if name != "acc"
            }
        rows[task] = row
    return rows


def _mean_stderr(values: Sequence[float]) -> float:
    """The standard error of a mean (lm-eval's formula), 0 for fewer than two items."""
    n = len(values)
    if n < 2:
        return 0.0
    mean = sum(values) / n
    return math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1) / n)


def suite_rows(rows: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per suite: the size-weighted mean of its tasks and the pooled stderr (as lm-eval aggregates groups)."""
    from lm_eval.api.metrics import pooled_sample_stderr

    suites: dict[str, list[Mapping[str, Any]]] = {}
    for row in rows.values():
        if row["suite"]:
            suites.setdefault(row["suite"], []).append(row)
    out = {}
    for suite, members in suites.items():
        n = sum(row["n"] for row in members)
        stderr = (
            pooled_sample_stderr([row["stderr"] for row in members], [row["n"] for row in members])
            if all(row["n"] > 1 for row in members) and n > len(members)
            else 0.0
        )
        out[suite] = {
            "metric": members[0]["metric"],
            "value": sum(row["value"] * row["n"] for row in members) / n,
            "stderr": float(stderr),
            "n": n,
            "tasks": len(members),
        }
    return out


def _pairs(baseline: Mapping[str, Any], candidate: Mapping[str, Any], task: str, metric: str):
    base_items = {item["doc_id"]: item for item in baseline["samples"].get(task, [])}
    cand_items = {item["doc_id"]: item for item in candidate["samples"].get(task, [])}
    if base_items.keys() != cand_items.keys():
        raise BenchError(f"task {task}: the two models were scored on different items; cannot pair them")
    pairs = []
    for doc_id, item in cand_items.items():
        if base_items[doc_id]["doc_hash"] != item["doc_hash"]:
            raise BenchError(f"task {task}: item {doc_id} differs between the two runs; cannot pair them")
        pairs.append((float(base_items[doc_id][metric]), float(item[metric])))
    return pairs


def _paired(pairs: Sequence[tuple[float, float]], resamples: int) -> dict[str, Any]:
    difference, low, high = paired_bootstrap(
        [a for a, _ in pairs], [b for _, b in pairs], resamples=resamples
    )
    only_base = sum(1 for a, b in pairs if a and not b)
    only_candidate = sum(1 for a, b in pairs if b and not a)
    n = len(pairs)
    return {
        "n": n,
        "baseline": sum(a for a, _ in pairs) / n if n else 0.0,
        "candidate": sum(b for _, b in pairs) / n if n else 0.0,
        "difference": difference,
        "ci_low": low,
        "ci_high": high,
        "only_baseline": only_base,
        "only_candidate": only_candidate,
        "mcnemar_p": mcnemar_exact(only_base, only_candidate),
    }


def paired_comparison(
    baseline: Mapping[str, Any],
    candidate: Mapping[str, Any],
    rows: Mapping[str, Mapping[str, Any]],
    resamples: int,
) -> dict[str, Any]:
    """Candidate minus baseline per task and per suite over the same items: a paired bootstrap 95%
    interval of the accuracy difference and the exact McNemar p-value."""
    by_task = {task: _pairs(baseline, candidate, task, row["metric"]) for task, row in rows.items()}
    suites: dict[str, list[tuple[float, float]]] = {}
    for task, row in rows.items():
        if row["suite"]:
            suites.setdefault(row["suite"], []).extend(by_task[task])
    return {
        "tasks": {task: _paired(pairs, resamples) for task, pairs in by_task.items()},
        "suites": {suite: _paired(pairs, resamples) for suite, pairs in suites.items()},
    }


def summarize(config: BenchConfig, runs: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """bench_summary.json: the model's per-task results, its suites and, with a base, the comparison."""
    requested = config.task_names()
    rows = task_rows(runs["model"], requested)
    summary: dict[str, Any] = {
        "model": config.model,
        "base_model": config.base,
        "mode": config.mode,
        "tasks": rows,
        "suites": suite_rows(rows),
        "comparison": None,
    }
    if "base" in runs:
        base_rows = task_rows(runs["base"], requested)
        summary["comparison"] = {
            "baseline": config.base,
            "candidate": config.model,
            "baseline_tasks": base_rows,
            "baseline_suites": suite_rows(base_rows),
            **paired_comparison(runs["base"], runs["model"], rows, config.bootstrap_resamples),
        }
    summary["settings"] = {
        key: value for key, value in asdict(config).items() if key not in ("model", "base", "out")
    } | {"seconds": {role: run["results"]["medqa"]["seconds"] for role, run in runs.items()}}
    return summary


def _acc(row: Mapping[str, Any]) -> str:
    return f"{row['value']:.1%} ± {row['stderr']:.1%}"


def render_bench_markdown(summary: Mapping[str, Any], heading: str = "#") -> str:
    """bench.md (and the bench section of `medqa evaluate`'s report): accuracy ± stderr per task and suite,
    think counts in generate mode, and the paired comparison when there is a baseline."""
    tasks, mode = summary["tasks"], summary["mode"]
    parts = [
        f"{heading} Knowledge benchmarks ({mode})",
        "",
        f"Model: `{summary['model']}`"
        + (f"; baseline: `{summary['base_model']}`." if summary["base_model"] else "."),
        "Accuracy ± standard error (lm-evaluation-harness).",
        "",
    ]
    think = mode == "generate"
    header = "| task | suite | n | accuracy |" + (
        " think ok | budget hit | malformed | no answer |" if think else ""
    )
    parts += [header, "|" + "---|" * (header.count("|") - 1)]
    for task, row in tasks.items():
        line = f"| {task} | {row['suite'] or '–'} | {row['n']} | {_acc(row)} |"
        if think and "think_counts" in row:
            counts = row["think_counts"]
            line += "".join(
                f" {counts[name]} |"
                for name in ("think_ok", "think_budget", "think_malformed", "answer_missing")
            )
        parts.append(line)
    if summary.get("suites"):
        parts += ["", "| suite | tasks | n | accuracy |", "|---|---|---|---|"]
        parts += [f"| {s} | {r['tasks']} | {r['n']} | {_acc(r)} |" for s, r in summary["suites"].items()]
    comparison = summary.get("comparison")
    if comparison:
        parts += [
            "",
            f"Paired comparison, `{comparison['candidate']}` minus `{comparison['baseline']}` over the same "
            "items: accuracy difference with a paired bootstrap 95% interval, exact McNemar p.",
            "",
            "| task or suite | n | baseline | candidate | difference [95% CI] | McNemar p |",
            "|---|---|---|---|---|---|",
        ]
        for name, entry in [*comparison["tasks"].items(), *comparison["suites"].items()]:
            parts.append(
                f"| {name} | {entry['n']} | {entry['baseline']:.1%} | {entry['candidate']:.1%} | "
                f"{entry['difference']:+.1%} [{entry['ci_low']:+.1%}, {entry['ci_high']:+.1%}] | {entry['mcnemar_p']:.3g} |"
            )
    if think:
        parts += [
            "",
            "Budget hit: the think was still open at the thinking budget and was closed for the model; "
            "malformed: no opening tag, several blocks, an empty think or answer; no answer: no option "
            "letter after `</think>` (scored wrong).",
        ]
    return "\n".join(parts) + "\n"


# -------------------------------------------------------------------------------------- summary file


_ROW_FIELDS = {"metric": str, "value": float, "stderr": float, "n": int}
_OPTIONAL_STR = ("dataset", "dataset_name", "suite")


def _check_row(row: Any, where: str) -> None:
    if not isinstance(row, dict):
        raise BenchError(f"{where}: expected a mapping")
    for name, kind in _ROW_FIELDS.items():
        value = row.get(name)
        ok = (
            isinstance(value, int | float) and not isinstance(value, bool)
            if kind is float
            else isinstance(value, kind)
        )
        if not ok or (kind is float and math.isnan(value)) or (kind is int and isinstance(value, bool)):
            raise BenchError(f"{where}.{name}: expected {kind.__name__}, got {value!r}")
    if row["n"] < 1 or row["stderr"] < 0:
        raise BenchError(f"{where}: n must be at least 1 and stderr not negative")
    for name in _OPTIONAL_STR:
        if row.get(name) is not None and not isinstance(row[name], str):
            raise BenchError(f"{where}.{name}: expected a string or null, got {row[name]!r}")


def load_bench_summary(path: str | Path) -> dict[str, Any]:
    """Read and check a `bench_summary.json` (or the bench output folder holding one); errors name the
    file and the field. The model card and `medqa evaluate --bench` read bench results through this."""
    path = Path(path)
    if path.is_dir():
        path = path / SUMMARY_FILE
    if not path.is_file():
        raise BenchError(f"{path}: bench summary not found (run `medqa bench --out DIR` first)")
    try:
        summary = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BenchError(f"{path}: not a readable JSON file ({error})") from None
    if not isinstance(summary, dict):
        raise BenchError(f"{path}: expected a JSON object")
    if not isinstance(summary.get("model"), str) or not summary["model"]:
        raise BenchError(f"{path}: field model: expected the model spec string")
    if summary.get("base_model") is not None and not isinstance(summary["base_model"], str):
        raise BenchError(f"{path}: field base_model: expected a string or null")
    if summary.get("mode") not in MODES:
        raise BenchError(
            f"{path}: field mode: expected one of {', '.join(MODES)}, got {summary.get('mode')!r}"
        )
    tasks = summary.get("tasks")
    if not isinstance(tasks, dict) or not tasks:
        raise BenchError(f"{path}: field tasks: expected a non-empty mapping of task name to result")
    for name, row in tasks.items():
        _check_row(row, f"{path}: tasks.{name}")
    comparison = summary.get("comparison")
    if comparison is not None:
        if not isinstance(comparison, dict) or not isinstance(comparison.get("tasks"), dict):
            raise BenchError(f"{path}: field comparison: expected null or a mapping with tasks")
        for name, entry in comparison["tasks"].items():
            for key in ("n", "difference", "ci_low", "ci_high", "mcnemar_p"):
                if not isinstance(entry.get(key), int | float):
                    raise BenchError(f"{path}: comparison.tasks.{name}.{key}: expected a number")
    return summary


# ----------------------------------------------------------------------------------------------- run


def bench(config: BenchConfig) -> dict[str, Any]:
    """Check the options and task names, build the tasks (datasets), then evaluate the baseline (with
    `base`) and the model; writes results, samples, bench.md and bench_summary.json to `config.out`."""
    config.check()
    out = Path(config.out)
    manager = build_task_manager(config)
    tasks = load_tasks(manager, config)
    roles = ["base", "model"] if config.base else ["model"]
    runs = {}
    for index, role in enumerate(roles, 1):
        print(f"[{index}/{len(roles)}] {role}", flush=True)
        runs[role] = run_model(config, manager, tasks, role, out)
    summary = summarize(config, runs)
    (out / SUMMARY_FILE).write_text(
        json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    (out / "bench.md").write_text(render_bench_markdown(summary), encoding="utf-8")
    return summary


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Flags default to None so that a flag given on the command line overrides the YAML config."""
    defaults = BenchConfig()
    add = parser.add_argument
    add("--config", help="YAML file of the options below (flags given here override it)")
    add_model_arguments(parser, "baseline to compare with over the same items (and the base of an adapter --model)", defaults.dtype)
    add("--tasks", help=f"comma-separated lm-eval tasks, groups or suites (default: {defaults.tasks})")
    add(
        "--include-path",
        action="append",
        help="folder of lm-eval task YAML to add to the registry (repeatable; recipes/benchmarks is always in)",
    )
    add("--mode", choices=MODES, help=f"(default: {defaults.mode})")
    add(
        "--backend",
        choices=BACKENDS,
        help=f"hf (our loader + lm-eval HFLM) or vllm (GPU) (default: {defaults.backend})",
    )
    add("--limit", type=int, help="evaluate only the first N items of each task")
    add("--num-fewshot", type=int, help="few-shot examples per prompt (default: each task's own, else 0)")
    add("--batch-size", help=f"'auto' or an integer (default: {defaults.batch_size})")
    add(
        "--thinking-budget",
        type=int,
        help=f"generate mode: tokens for think and answer before an open think is closed (default: {defaults.thinking_budget})",
    )
    add(
        "--answer-tokens",
        type=int,
        help=f"generate mode: tokens to answer after a forced close (default: {defaults.answer_tokens})",
    )
    add(
        "--enable-thinking",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="generate mode: chat template's enable_thinking (default: on)",
    )
    add("--system-prompt", help="system message for generate mode (default: none)")
    add(
        "--bootstrap-resamples",
        type=int,
        help=f"for the paired interval (default: {defaults.bootstrap_resamples})",
    )
    add("--seed", type=int, help=f"(default: {defaults.seed})")
    add(
        "--resume",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="reuse cached requests of an earlier run (default: on)",
    )
    add("--out", help=f"output folder (default: {defaults.out})")
    add("--verbosity", default="WARNING", help="lm-eval's log level (default: WARNING)")


def config_from_args(args: argparse.Namespace) -> BenchConfig:
    values = load_yaml_config(args.config) if args.config else {}
    for f in fields(BenchConfig):
        if getattr(args, f.name, None) is not None:
            values[f.name] = getattr(args, f.name)
    return BenchConfig(**values)


def main(args: argparse.Namespace) -> int:
    try:
        from lm_eval.utils import setup_logging
    except ImportError as error:
        print(f"medqa bench needs lm-evaluation-harness: pip install 'medqa[bench]' ({error})", file=sys.stderr)
        return 1
    setup_logging(args.verbosity.upper())  # lm-eval's own handler and format
    try:
        config = config_from_args(args)
        summary = bench(config)
    except (BenchError, ModelLoadError) as error:
        print(f"medqa bench: {error}", file=sys.stderr)
        return 1
    print(render_bench_markdown(summary))
    print(f"written to {config.out}/bench.md and {config.out}/{SUMMARY_FILE}")
    return 0


if __name__ == "__main__":
    cli = argparse.ArgumentParser(prog="medqa bench", description=__doc__.splitlines()[0])
    add_arguments(cli)
    sys.exit(main(cli.parse_args()))
