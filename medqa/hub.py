"""Pushes to the Hugging Face Hub: one function for datasets, models, metrics and Spaces.

`dry_run` stages exactly what would be uploaded and lists it, so the upload can be inspected offline.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from medqa.staging import MARKER, prepare_staging_dir, staged_files

REPO_TYPES = ("model", "dataset", "space")


class HubError(RuntimeError):
    """The Hub could not be reached or refused the upload; the message says what to try instead."""


@dataclass(frozen=True)
class PublishResult:
    repo_id: str
    repo_type: str
    files: tuple[str, ...]
    url: str | None  # None for a dry run
    staged_at: Path | None  # where a dry run staged the files


def check_card(text: str, repo_type: str = "model", where: str = "README.md") -> None:
    """Offline checks of a card's metadata with huggingface_hub's parsers: the front matter loads into
    ModelCardData / DatasetCardData / SpaceCardData (a model-index must parse into EvalResults with numeric
    values), and base_model, datasets and models hold Hub ids, never local paths."""
    from huggingface_hub import DatasetCard, ModelCard, SpaceCard
    from huggingface_hub.repocard_data import model_index_to_eval_results

    from medqa.model_card import is_hub_id

    card_class = {"model": ModelCard, "dataset": DatasetCard, "space": SpaceCard}[repo_type]
    if not text.startswith("---\n"):
        raise ValueError(f"{where}: no YAML front matter")
    try:
        data = card_class(text, ignore_metadata_errors=False).data.to_dict()
    except ValueError as error:
        raise ValueError(f"{where}: invalid card metadata: {error}") from error
    for field in ("base_model", "datasets", "models"):
        values = data.get(field)
        for value in [values] if isinstance(values, str) else values or ():
            if not is_hub_id(value):
                raise ValueError(f"{where}: {field} {value!r} is not a Hub repo id (a local path or a typo)")
    for code in data.get("language") or ():
        if not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z]+)?", str(code)):
            raise ValueError(f"{where}: language {code!r} is not an ISO 639 code")
    if "model-index" in data:
        _, results = model_index_to_eval_results(data["model-index"])
        for result in results:
            if not isinstance(result.metric_value, int | float) or not result.dataset_type:
                raise ValueError(f"{where}: model-index entry {result.metric_type!r} needs a numeric value")


def publish_folder(
    folder: str | Path,
    repo_id: str,
    repo_type: str = "model",
    private: bool = False,
    dry_run: bool = False,
    staging_dir: str | Path | None = None,
    commit_message: str = "Upload with medqa",
) -> PublishResult:
    """Upload `folder` to `repo_id` (creating the repo), or with `dry_run` copy it to `staging_dir`."""
    folder = Path(folder)
    if repo_type not in REPO_TYPES:
        raise ValueError(f"repo_type must be one of {REPO_TYPES}, got {repo_type!r}")
    if not folder.is_dir():
        raise FileNotFoundError(f"nothing to publish: {folder} is not a directory")
    if "/" not in repo_id:
        raise ValueError(f"repo id must look like 'user/name', got {repo_id!r}")
    files = tuple(staged_files(folder))
    if (folder / "README.md").is_file():  # a card the Hub would reject fails here, before any upload
        check_card((folder / "README.md").read_text(encoding="utf-8"), repo_type, str(folder / "README.md"))
    if dry_run:
        staged = Path(staging_dir) if staging_dir else folder.parent / f"{folder.name}.staged-{repo_type}"
        if staged.resolve() != folder.resolve():  # never empties a folder medqa did not stage (MARKER)
            prepare_staging_dir(staged, sources=[folder])
            shutil.copytree(folder, staged, dirs_exist_ok=True, ignore=shutil.ignore_patterns(MARKER))
        print(f"[dry-run] would push {len(files)} files to {repo_type} repo {repo_id}; staged at {staged}")
        for name in files:
            print(f"  {name}")
        return PublishResult(repo_id, repo_type, files, None, staged)

    from huggingface_hub import HfApi
    from huggingface_hub.errors import HfHubHTTPError

    api = HfApi()
    try:
        api.create_repo(repo_id, repo_type=repo_type, private=private, exist_ok=True)
        commit = api.upload_folder(
            folder_path=str(folder),
            repo_id=repo_id,
            repo_type=repo_type,
            commit_message=commit_message,
            ignore_patterns=[MARKER],
        )
    except (HfHubHTTPError, OSError) as error:
        raise HubError(
            f"could not push {folder} to {repo_type} repo {repo_id}: {error}. Check `hf auth login` and the "
            "network, or rerun with --dry-run to stage the upload locally."
        ) from error
    return PublishResult(repo_id, repo_type, files, str(getattr(commit, "commit_url", commit)), None)
