"""The dataset card (README.md) written next to the processed data and pushed with it."""

from __future__ import annotations

import json
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


def deidentification_quality() -> str:
    """Precision / recall of the detectors per type on the labelled PII sets, from the scores that
    benchmarks/bench_deidentify.py measured (medqa/resources/deidentification_scores.json)."""
    scores = json.loads(resource_path(DEIDENTIFICATION_SCORES).read_text(encoding="utf-8"))
    headers = {
        "pii_labeled": "first set (regression floor)",
        "pii_blind_dev": "blind set, dev (tuned on)",
        "pii_blind_dev2_unseen": "second blind set, before tuning (at `{}`)",
        "pii_blind_dev2": "second blind set, after tuning",
        "pii_blind_dev3_as_test": "third blind set, as the first test set (at `{}`)",
        "pii_blind_dev3": "third blind set, demoted to dev and tuned on",
        "pii_blind_dev4_unseen": "fourth blind set, before tuning (at `{}`)",
        "pii_blind_dev4": "fourth blind set, after tuning",
        "pii_blind_dev5_unseen": "fifth blind set, before tuning (at `{}`)",
        "pii_blind_dev5": "fifth blind set, after tuning",
        "pii_blind_dev6_unseen": "sixth blind set, before tuning (at `{}`)",
        "pii_blind_dev6": "sixth blind set, after tuning",
        "pii_blind_dev7_unseen": "seventh blind set, before tuning (at `{}`)",
        "pii_blind_dev7": "seventh blind set, after tuning",
        "pii_blind_dev8_unseen": "eighth blind set, before tuning (at `{}`)",
        "pii_blind_dev8": "eighth blind set, after tuning",
        "pii_blind_dev9_unseen": "ninth blind set, before tuning (at `{}`)",
        "pii_blind_dev9": "ninth blind set, after tuning",
        "pii_blind_test2": "test set (measured once, at `{}`)",
    }
    sets = [name for name in headers if name in scores]
    kinds = [kind for kind in PII_TYPES if any(kind in scores[name]["per_type"] for name in sets)]
    rows = [[kind, *(_ratio(scores[name]["per_type"].get(kind)) for name in sets)] for kind in kinds]
    rows.append(["**all**", *(_ratio(scores[name]["overall"]) for name in sets)])
    header = [headers[name].format(scores[name].get("measured_at", "?")) for name in sets]
    return (
        "Detector precision / recall (exact type and span) on labelled sets written for this purpose. The "
        "blind sets were written by annotators who had not seen the detectors; each new dev set was measured "
        "once before the rules were tuned on it, and a test set is measured in aggregate only, once, on "
        "final rules, at the commit named (the first test set was then demoted to a dev set and tuned on)."
        "\n\n" + _table(["type", *header], rows)
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
