"""`medqa push-space`: stage or upload the demo's Hugging Face Space.

The Space is `spaces_app/` plus a copy of the `medqa` package beside its app.py. The Space builder
installs requirements.txt from PyPI, and vendoring pins the Space to exactly the code of this checkout:
no git URL or wheel to keep in step with it.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import medqa
from medqa.hub import publish_folder

SPACE_APP_DIR = Path(__file__).resolve().parent.parent / "spaces_app"
PACKAGE_DIR = Path(medqa.__file__).resolve().parent
DEFAULT_STAGING_DIR = Path("outputs/space")
_SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", ".DS_Store")


def stage_space(out_dir: str | Path, app_dir: str | Path = SPACE_APP_DIR) -> Path:
    """Write the Space's files (app, README, requirements, the medqa package) into `out_dir`."""
    out, app_dir = Path(out_dir), Path(app_dir)
    if not (app_dir / "app.py").is_file():
        raise FileNotFoundError(
            f"no Space app at {app_dir}: run push-space from a checkout of the medqa repo"
        )
    if out.exists() and any(out.iterdir()) and not (out / "app.py").is_file():
        raise FileExistsError(f"{out} is not empty and is not a staged Space; choose another --staging-dir")
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(app_dir, out, ignore=_SKIP)
    shutil.copytree(PACKAGE_DIR, out / "medqa", ignore=_SKIP)
    return out


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repo", required=True, help="Space repo id, e.g. you/medqa-demo")
    parser.add_argument("--dry-run", action="store_true", help="stage and list the files, upload nothing")
    parser.add_argument("--private", action="store_true", help="create the Space private")
    parser.add_argument(
        "--staging-dir",
        type=Path,
        default=DEFAULT_STAGING_DIR,
        help="where the Space's files are assembled (default: %(default)s)",
    )


def main(args: argparse.Namespace) -> int:
    staged = stage_space(args.staging_dir)
    result = publish_folder(
        staged, args.repo, repo_type="space", private=args.private, dry_run=args.dry_run, staging_dir=staged
    )
    if result.url:
        print(f"Space pushed: {result.url}")
    return 0
