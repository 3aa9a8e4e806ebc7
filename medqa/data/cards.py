"""The dataset card (README.md) written next to the processed data and pushed with it."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from medqa.data.deidentify import PII_TYPES
from medqa.resources import resource_path
from medqa.schema import RISK_LEVELS

DEIDENTIFICATION_SCORES = "deidentification_scores.json"

DISCLAIMER = (
    "For research and education only. The answers are not medical advice, may be wrong or outdated, and "
    "must never replace diagnosis or treatment by a qualified clinician. In an emergency call your local "
    "emergency number (120 in mainland China, 911 in the US, 112 in the EU)."
)


def _size_category(rows: int) -> str:
    for limit, label in (
        (1_000, "n<1K"),
        (10_000, "1K<n<10K"),
        (100_000, "10K<n<100K"),
        (1_000_000, "100K<n<1M"),
    ):
        if rows < limit:
            return label
    return "n>1M"


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _ratio(entry: Mapping[str, Any] | None) -> str:
    if not entry or entry["spans"] == 0:
        return "–"
    cell = lambda value: "–" if value is None else f"{value:.3f}"  # noqa: E731  (0.947 is not 0.95)
    return f"{cell(entry['precision'])} / {cell(entry['recall'])} (n={entry['spans']})"


def _set_number(name: str) -> int:
    """pii_blind_dev7 -> 7, pii_blind_test2_… -> 2; the first blind set has no number (1)."""
    return int(re.search(r"(?:dev|test)(\d*)", name).group(1) or 1)


def _set_title(name: str, entry: Mapping[str, Any]) -> str:
    """What the card calls a stored set: its role and, for a once-only measurement, its commit (a test set
    measured again names its earlier measurements too)."""
    if name == "pii_labeled":
        return "first set (regression floor)"
    number, at = _set_number(name), f"at `{entry.get('measured_at', '?')}`"
    if name.startswith("pii_blind_test"):
        earlier = "".join(
            f"; earlier at `{e['measured_at']}`: {_ratio(e['overall'])}" for e in entry.get("earlier", [])
        )
        return f"**test set {number}**, final rules {at}{earlier}"
    if name.endswith("_as_test"):
        return f"blind set {number} as the first test set, measured once, {at} (since tuned on)"
    if name.endswith("_unseen"):
        return f"blind set {number}, before tuning on it, {at}"
    return f"blind set {number}, after tuning on it"


def _pooled(entries: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Counts summed over sets; each set's true positives are recovered from its recall and span count."""
    spans = sum(entry["spans"] for entry in entries)
    predicted = sum(entry["predicted"] for entry in entries)
    found = sum(round((entry["recall"] or 0) * entry["spans"]) for entry in entries)
    return {
        "spans": spans,
        "predicted": predicted,
        "precision": found / predicted if predicted else None,
        "recall": found / spans if spans else None,
    }


def _set_order(name: str) -> tuple:
    """Regression floor, test sets, then each blind set by number, before tuning ahead of after."""
    if name == "pii_labeled":
        return (0, 0, 0)
    if name.startswith("pii_blind_test"):
        return (1, _set_number(name), 0)
    return (2, _set_number(name), 0 if name.endswith(("_unseen", "_as_test")) else 1)


def deidentification_quality() -> str:
    """Precision / recall of the detectors on the labelled PII sets, from the scores that
    benchmarks/bench_deidentify.py measured (medqa/resources/deidentification_scores.json): per type on
    the regression floor, each test set and the blind dev sets pooled (before and after tuning on them),
    then overall per set."""
    scores = json.loads(resource_path(DEIDENTIFICATION_SCORES).read_text(encoding="utf-8"))
    names = sorted(scores, key=_set_order)
    tests = [name for name in names if name.startswith("pii_blind_test")]
    first_sight = [name for name in names if name.endswith(("_unseen", "_as_test"))]
    tuned = [name for name in names if name.startswith("pii_blind_dev") and name not in first_sight]
    columns = [
        ("first set (regression floor)", ["pii_labeled"]),
        *((_set_title(name, scores[name]), [name]) for name in tests),
        (f"{len(first_sight)} blind dev sets before tuning on them, pooled", first_sight),
        (f"{len(tuned)} blind dev sets after tuning, pooled", tuned),
    ]
    columns = [(title, members) for title, members in columns if members]

    def cell(members: list[str], kind: str | None) -> str:
        entries = [
            scores[name]["overall"] if kind is None else scores[name]["per_type"][kind]
            for name in members
            if kind is None or kind in scores[name]["per_type"]
        ]
        return _ratio(_pooled(entries) if entries else None)

    kinds = [kind for kind in PII_TYPES if any(kind in scores[name]["per_type"] for name in names)]
    per_type = [[kind, *(cell(members, kind) for _, members in columns)] for kind in kinds]
    per_type.append(["**all**", *(cell(members, None) for _, members in columns)])
    per_set = [[_set_title(name, scores[name]), _ratio(scores[name]["overall"])] for name in names]
    return (
        "Detector precision / recall (exact type and span) on labelled sets written for this purpose. The "
        "blind sets were written by annotators who had not seen the detectors; each new dev set was measured "
        "once before the rules were tuned on it (its figure *before tuning* is what the rules score on text "
        "they have not seen), and a test set is measured in aggregate only, on final rules, at the commit "
        "named (the first test set was then demoted to a dev set and tuned on).\n\n"
        + _table(["type", *(title for title, _ in columns)], per_type)
        + "\n\nOverall, per set:\n\n"
        + _table(["set", "precision / recall (spans)"], per_set)
    )


def render_card(
    manifest: Mapping[str, Any],
    mix: Mapping[str, Counter],
    data_files: Mapping[str, Mapping[str, str]],
    license_id: str,
    languages: Sequence[str],
) -> str:
    """Markdown card with Hub front matter; `mix[split]` counts (specialty, risk_level) pairs and
    `data_files[config][split]` is the file pattern of each split."""
    from huggingface_hub import DatasetCardData

    counts = manifest["counts"]
    front = DatasetCardData(
        license=license_id,
        language=list(languages),
        pretty_name="medqa: medical Q&A with reasoning traces",
        task_categories=["question-answering", "text-generation"],
        tags=["medical", "reasoning", "chain-of-thought", "sft", "qwen3", "medqa"],
        size_categories=[_size_category(counts["kept"])],
        configs=[
            {"config_name": name, "data_files": [{"split": s, "path": p} for s, p in files.items()]}
            for name, files in data_files.items()
        ],
    )
    splits = manifest["splits"]
    specialties = sorted({specialty for counter in mix.values() for specialty, _ in counter})
    mix_rows = [
        [
            split,
            specialty,
            *(mix[split][(specialty, risk)] for risk in RISK_LEVELS),
            sum(mix[split][(specialty, risk)] for risk in RISK_LEVELS),
        ]
        for split in mix
        for specialty in specialties
        if any(mix[split][(specialty, risk)] for risk in RISK_LEVELS)
    ]
    rejected = counts["rejected"]
    deid = manifest["deidentification"]
    sections = [
        "---\n" + front.to_yaml() + "\n---",
        "# medqa processed dataset",
        "Medical questions with a reasoning trace and an answer, prepared by `medqa prepare` for supervised "
        "fine-tuning of Qwen3. Each row has `instruction` (the system prompt), `input` (the question), "
        "`output` (`<think>…</think>` then the answer), `meta` (annotations) and `messages` (system/user/"
        "assistant turns for TRL's `SFTTrainer`). The `red_team` split holds safety prompts without answers.",
        f"> **Disclaimer.** {DISCLAIMER}",
        "## Provenance\n\n"
        + "\n".join(
            f"- `{item['name']}` ({item.get('schema') or manifest['schema']} schema, sha256 "
            f"`{item['sha256'][:16]}…`, {item['rows']} rows)"
            for item in manifest["inputs"]
        )
        + f"\n\nDetected schema: `{manifest['schema']}`. Input rows: {counts['input']} = kept {counts['kept']} + "
        f"duplicates {counts['duplicates']['total']} + rejected {rejected['total']}.",
        "## Splits\n\n" + _table(["split", "rows"], [[name, info["rows"]] for name, info in splits.items()]),
        "## Specialty × risk per split\n\n" + _table(["split", "specialty", *RISK_LEVELS, "total"], mix_rows),
        "## De-identification\n\nPhone numbers, resident ID and social security numbers, e-mails, identifying URLs, "
        "bank cards, licence plates, dates of birth, introduced names, street addresses, passports, medical record "
        "and insurance numbers were replaced by typed placeholders such as `[PHONE]`.\n\n"
        + _table(["placeholder", "replaced"], [[f"[{k}]", v] for k, v in deid.items()] or [["none", 0]])
        + "\n\n"
        + deidentification_quality(),
        "## Rejected rows\n\n"
        + _table(["reason", "rows"], [[k, v] for k, v in rejected["by_reason"].items()] or [["none", 0]]),
        f"## Licence\n\n`{license_id}`. The rows derive from the sources listed above; their terms apply as well, "
        "so check them before redistributing.",
    ]
    return "\n\n".join(sections) + "\n"
