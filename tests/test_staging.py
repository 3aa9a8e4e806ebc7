"""Staging for `push-space` and `push-metric` deletes nothing it did not stage and leaks nothing (issue 18):
allow-listed files only, no dotfiles or secret-looking names, no links out of the tree, a marker file
before any folder is emptied, also under --dry-run."""

from __future__ import annotations

import argparse
import ast
import re
import shutil
import sys
import types
from pathlib import Path

import pytest

from medqa import metric_space, space
from medqa.hub import publish_folder
from medqa.staging import (
    MARKER,
    StagingError,
    copy_files,
    looks_secret,
    module_graph,
    prepare_staging_dir,
    requirement_lines,
    select_files,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
SECRET = "hf_SECRETSECRETSECRET"


def run_cli(module, argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    module.add_arguments(parser)
    return module.main(parser.parse_args(argv))


def all_text(folder: Path) -> str:
    return "".join(p.read_text(encoding="utf-8", errors="replace") for p in folder.rglob("*") if p.is_file())


@pytest.fixture
def app_copy(tmp_path) -> Path:
    """spaces_app/ copied, with what a careless checkout has beside it: a .env and a link to a token."""
    app = tmp_path / "spaces_app"
    shutil.copytree(REPO_ROOT / "spaces_app", app)
    token = tmp_path / "home" / ".cache" / "huggingface" / "token"
    token.parent.mkdir(parents=True)
    token.write_text(SECRET)
    (app / ".env").write_text(f"HF_TOKEN={SECRET}\n")
    (app / "token_link").symlink_to(token)
    return app


@pytest.mark.parametrize("module,repo", [(space, "me/medqa-demo"), (metric_space, "me/medical_safety")])
def test_dry_run_refuses_a_folder_it_did_not_stage_and_deletes_nothing(tmp_path, capsys, module, repo):
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "app.py").write_text("my own app")  # the old check took any folder with app.py for a staging
    (precious / "notes.txt").write_text("keep me")
    assert run_cli(module, ["--repo", repo, "--dry-run", "--staging-dir", str(precious)]) == 2
    assert "not staged by medqa" in capsys.readouterr().err
    assert sorted(p.name for p in precious.iterdir()) == ["app.py", "notes.txt"]


def test_a_staging_is_rebuilt_and_the_marker_is_never_uploaded(tmp_path, capsys):
    staged = tmp_path / "space"
    for _ in range(2):  # the second run empties the first run's output
        assert run_cli(space, ["--repo", "me/medqa-demo", "--dry-run", "--staging-dir", str(staged)]) == 0
    assert (staged / MARKER).is_file()
    listing = capsys.readouterr().out
    assert "app.py" in listing and MARKER not in listing


def test_staging_into_the_source_folder_is_refused(app_copy):
    before = sorted(p.name for p in app_copy.iterdir())
    with pytest.raises(StagingError, match="overlaps the source folder"):
        space.stage_space(app_copy, app_dir=app_copy)
    with pytest.raises(StagingError, match="overlaps the source folder"):
        space.stage_space(app_copy / "inner", app_dir=app_copy)
    with pytest.raises(StagingError, match="overlaps the source folder"):
        space.stage_space(space.PACKAGE_DIR / "staged", app_dir=app_copy)
    assert sorted(p.name for p in app_copy.iterdir()) == before


def test_no_dotfile_or_link_to_a_token_is_staged(app_copy, tmp_path):
    staged = space.stage_space(tmp_path / "out", app_dir=app_copy)
    names = {p.relative_to(staged).as_posix() for p in staged.rglob("*")}
    assert ".env" not in names and "token_link" not in names
    assert not [name for name in names if Path(name).name.startswith(".") and name != MARKER]
    assert SECRET not in all_text(staged)
    assert not [p for p in staged.rglob("*") if p.is_symlink()]


def test_an_allow_listed_file_that_links_out_of_the_tree_stops_the_staging(app_copy, tmp_path):
    (app_copy / "README.md").unlink()
    (app_copy / "README.md").symlink_to(tmp_path / "home" / ".cache" / "huggingface" / "token")
    with pytest.raises(StagingError, match="symbolic link out of"):
        space.stage_space(tmp_path / "out", app_dir=app_copy)
    assert not (tmp_path / "out").exists() or SECRET not in all_text(tmp_path / "out")


def test_select_files_skips_secrets_and_refuses_links_out(tmp_path):
    root = tmp_path / "tree"
    (root / "lexicons").mkdir(parents=True)
    for name in ("lexicons/a.yaml", "lexicons/hf_token.yaml", "lexicons/.hidden.yaml", "server.key.yaml"):
        (root / name).write_text("x: 1\n")
    (root / ".git").mkdir()
    (root / ".git" / "config.yaml").write_text("x: 1\n")
    (root / "lexicons" / "inside.yaml").symlink_to(root / "lexicons" / "a.yaml")
    assert select_files(root, ["*.yaml"]) == ["lexicons/a.yaml", "lexicons/inside.yaml", "server.key.yaml"]
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "b.yaml").write_text(SECRET)
    (root / "lexicons" / "linked").symlink_to(outside, target_is_directory=True)
    with pytest.raises(StagingError, match="symbolic link out of"):
        select_files(root, ["*.yaml"])
    with pytest.raises(StagingError, match="secret"):
        copy_files(root, ["lexicons/hf_token.yaml"], tmp_path / "out")


@pytest.mark.parametrize(
    "name,secret",
    [
        (".env", True),
        ("prod.env", True),
        ("hf_token", True),
        ("token", True),
        ("my-token.txt", True),
        ("id_rsa", True),
        ("server.pem", True),
        ("credentials.json", True),
        ("tokenizer.json", False),
        ("special_tokens_map.json", False),
        ("red_flags.yaml", False),
        ("app.py", False),
    ],
)
def test_secret_names(name, secret):
    assert looks_secret(name) is secret


def test_emptying_a_staging_never_follows_links_out_of_it(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("keep")
    staged = prepare_staging_dir(tmp_path / "staged")
    (staged / "link").symlink_to(outside, target_is_directory=True)
    (staged / "sub").mkdir()
    (staged / "sub" / "link").symlink_to(outside / "keep.txt")
    prepare_staging_dir(staged)
    assert (outside / "keep.txt").read_text() == "keep"
    assert sorted(p.name for p in staged.iterdir()) == [MARKER]
    link = tmp_path / "link-to-outside"
    link.symlink_to(outside, target_is_directory=True)
    with pytest.raises(StagingError, match="symbolic link"):
        prepare_staging_dir(link)
    assert (outside / "keep.txt").exists()


def test_publish_dry_run_never_empties_a_folder_it_did_not_stage(tmp_path):
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "config.json").write_text("{}")
    target = tmp_path / "elsewhere"
    target.mkdir()
    (target / "thesis.tex").write_text("years of work")
    with pytest.raises(StagingError, match="not staged by medqa"):
        publish_folder(folder, "me/model", dry_run=True, staging_dir=target)
    assert (target / "thesis.tex").read_text() == "years of work"
    result = publish_folder(folder, "me/model", dry_run=True, staging_dir=tmp_path / "fresh")
    assert result.files == ("config.json",) and (tmp_path / "fresh" / "config.json").is_file()
    assert publish_folder(folder, "me/model", dry_run=True, staging_dir=tmp_path / "fresh").files == (
        "config.json",
    )


# --- what the Spaces carry --------------------------------------------------------------------------


def third_party_imports(folder: Path) -> set[str]:
    """Top-level names of every non-optional third-party import in the staged Python files."""
    found = set()
    for path in folder.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        guarded = {
            id(node)
            for try_node in ast.walk(tree)
            if isinstance(try_node, ast.Try | ast.With)
            for node in ast.walk(try_node)
        }
        for node in ast.walk(tree):
            if id(node) in guarded:
                continue
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"__future__", "medqa"}


def test_staged_space_requirements_cover_every_import_of_the_staged_code(tmp_path):
    staged = space.stage_space(tmp_path / "space")
    listed = (staged / "requirements.txt").read_text(encoding="utf-8")
    assert "opencc-python-reimplemented" in listed  # the banner's detectors fold with opencc's table
    expected = requirement_lines(third_party_imports(staged), provided=space.PROVIDED)
    lines = [line for line in listed.splitlines() if not line.startswith("#")]
    assert lines == expected
    assert not [line for line in lines if line.startswith("gradio")]  # installed from sdk_version
    # every medqa module that the staged code imports is staged beside it
    graph = module_graph(staged / "app.py")
    assert all(path.is_relative_to(space.PACKAGE_DIR) for path in graph.modules.values())
    staged_modules = {p.relative_to(staged).as_posix() for p in (staged / "medqa").rglob("*.py")}
    assert staged_modules == {
        "medqa/" + path.relative_to(space.PACKAGE_DIR).as_posix() for path in graph.modules.values()
    }


def test_staged_metric_imports_only_its_siblings(tmp_path):
    staged = metric_space.stage_metric(tmp_path / "medical_safety", "someone/medical_safety")
    siblings = {p.stem for p in staged.glob("*.py")} - {"app", "medical_safety"}
    for path in staged.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "medqa." not in "".join(
            line for line in text.splitlines() if line.lstrip().startswith(("import ", "from "))
        ), path
    script = (staged / "medical_safety.py").read_text(encoding="utf-8")
    relative = set(re.findall(r"^from \.(\w+) import", script, re.M))
    assert relative == siblings  # evaluate copies only the modules the script itself imports
    for name in ("README.md", "app.py", "medical_safety.py"):
        text = (staged / name).read_text(encoding="utf-8")
        assert metric_space.PLACEHOLDER not in text and "medqa/medical_safety" not in text
    assert 'evaluate.load("someone/medical_safety")' in (staged / "app.py").read_text(encoding="utf-8")
    listed = (staged / "requirements.txt").read_text(encoding="utf-8")
    expected = requirement_lines(third_party_imports(staged), provided=metric_space.PROVIDED)
    expected += list(metric_space.WIDGET_CONSTRAINTS)
    assert [line for line in listed.splitlines() if not line.startswith("#")] == expected
    with pytest.raises(StagingError, match="must be named medical_safety"):
        metric_space.stage_metric(tmp_path / "other", "someone/safety")


def test_zero_gpu_decorator_wraps_the_generation_function_when_spaces_is_present(monkeypatch):
    from medqa import demo

    decorated = []

    def gpu(function):
        def on_gpu(*args, **kwargs):
            decorated.append(function.__name__)
            yield from function(*args, **kwargs)

        return on_gpu

    monkeypatch.setitem(sys.modules, "spaces", types.SimpleNamespace(GPU=gpu))

    class Pool:
        def get(self, name):
            return name

    monkeypatch.setattr(
        demo, "stream_chat", lambda model, messages, settings, enable_thinking: iter(["a", "ab"])
    )
    stream_reply = demo.make_reply_streamer(Pool())
    assert list(stream_reply("tiny", [], None, True)) == ["a", "ab"]
    assert decorated == ["stream_reply"]
    # app.py imports `spaces` before anything that imports torch
    tree = ast.parse((REPO_ROOT / "spaces_app" / "app.py").read_text(encoding="utf-8"))
    first_line = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            for name in [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]:
                first_line.setdefault(name.split(".")[0], node.lineno)
    assert first_line["spaces"] < first_line["medqa"]
