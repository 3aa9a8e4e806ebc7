"""Assemble what `push-space` and `push-metric` upload: an allow-list of files, in a folder medqa owns.

Three rules keep a push from deleting or leaking anything:
- a staging folder is emptied only when it is empty or carries `MARKER` (medqa staged it before),
  and never when it overlaps the source tree it is staged from;
- files are copied from explicit allow-lists (names or glob patterns); dotfiles, `__pycache__` and
  names that look like secrets (`.env`, `*token*`, keys, credentials) are never copied;
- symbolic links are not followed out of the tree they sit in: such a link stops the staging.

The module graph helpers (`module_graph`) find what a staged entry point imports, so a Space
carries exactly the medqa modules, data files and requirements its code needs.
"""

from __future__ import annotations

import argparse
import ast
import configparser
import fnmatch
import os
import re
import shutil
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

MARKER = ".medqa-staging"
_SECRET_NAME = re.compile(
    r"(^\.env)|(\.env$)|((^|[_.\-])(token|secret|secrets|credential|credentials|password|passwd)"
    r"([_.\-]|$))|(\.(pem|key|p12|pfx|keystore|jks)$)|(^id_(rsa|dsa|ecdsa|ed25519))|(^\.?netrc$)",
    re.IGNORECASE,
)
_SKIPPED_DIRS = ("__pycache__",)
_PACKAGE = "medqa"
_PACKAGE_DIR = Path(__file__).resolve().parent
_CHECKOUT_SETUP_CFG = _PACKAGE_DIR.parent / "setup.cfg"


class StagingError(ValueError):
    """Staging refused: the message names the path and what to do instead."""


def looks_secret(name: str) -> bool:
    """True for file names that usually hold credentials: `.env`, `hf_token`, `id_rsa`, `server.key`."""
    return bool(_SECRET_NAME.search(name))


def _overlaps(a: Path, b: Path) -> bool:
    return a == b or a in b.parents or b in a.parents


def prepare_staging_dir(out: str | Path, sources: Sequence[str | Path] = ()) -> Path:
    """Create or empty `out` for a new staging and mark it as medqa's.

    Refuses a link, a file, a folder overlapping one of `sources`, and a non-empty folder without
    `MARKER`: such a folder is someone's data, not an earlier staging."""
    out = Path(out)
    if out.is_symlink():
        raise StagingError(f"staging dir {out} is a symbolic link; pass a real folder as --staging-dir")
    resolved = out.resolve()
    for source in sources:
        if _overlaps(resolved, Path(source).resolve()):
            raise StagingError(
                f"staging dir {out} overlaps the source folder {source}; choose a --staging-dir outside it"
            )
    if out.exists():
        if not out.is_dir():
            raise StagingError(f"staging dir {out} is a file; choose another --staging-dir")
        entries = list(out.iterdir())
        if entries and not (out / MARKER).is_file():
            raise StagingError(
                f"staging dir {out} is not empty and was not staged by medqa (no {MARKER} file); "
                "choose an empty or new --staging-dir"
            )
        for entry in entries:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)  # rmtree removes links inside without following them
            else:
                entry.unlink()
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("staged by medqa; `medqa push-*` may empty this folder\n", encoding="utf-8")
    return out


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _checked_source(path: Path, root: Path) -> Path:
    """`path` itself, or the file its link points to when that stays inside `root`."""
    if path.is_symlink():
        target = path.resolve()
        if not _inside(target, root.resolve()):
            raise StagingError(f"{path} is a symbolic link out of {root} (to {target}); refusing to stage it")
        return target
    return path


def allowed(relative: str) -> bool:
    """Never staged whatever the allow-list says: dotfiles, caches and secret-looking names."""
    parts = Path(relative).parts
    return not any(part.startswith(".") or part in _SKIPPED_DIRS or looks_secret(part) for part in parts)


def select_files(root: str | Path, patterns: Iterable[str]) -> list[str]:
    """Files under `root` (relative POSIX paths, sorted) matching one of the glob `patterns` (`*` spans
    folders), minus what `allowed` refuses. Folders are walked without following links."""
    root = Path(root)
    patterns = tuple(patterns)
    found = []
    for folder, dirnames, filenames in os.walk(root, followlinks=False):
        base = Path(folder)
        for name in list(dirnames):
            if (base / name).is_symlink():
                _checked_source(base / name, root)  # a link out of the tree stops the staging
                dirnames.remove(name)  # a link inside it adds nothing the walk does not see
        dirnames[:] = [d for d in dirnames if allowed(d)]
        for name in filenames:
            relative = (base / name).relative_to(root).as_posix()
            if allowed(relative) and any(fnmatch.fnmatchcase(relative, p) for p in patterns):
                found.append(relative)
    return sorted(found)


def copy_files(root: str | Path, relatives: Iterable[str], out: str | Path) -> list[str]:
    """Copy `root/relative` to `out/relative`, file by file; return what was written."""
    root, out = Path(root), Path(out)
    written = []
    for relative in relatives:
        if not allowed(relative):
            raise StagingError(f"{root / relative} is a dotfile, cache or secret-looking name; not staged")
        source = _checked_source(root / relative, root)
        if not source.is_file():
            raise StagingError(f"{root / relative} is not a file")
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        written.append(target.relative_to(out).as_posix())
    return written


def staged_files(folder: str | Path) -> list[str]:
    """What an upload of `folder` sends: every file but the staging marker."""
    folder = Path(folder)
    return sorted(
        p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and p.name != MARKER
    )


# --- what a staged entry point imports --------------------------------------------------------------


@dataclass
class ModuleGraph:
    """The medqa modules an entry point reaches (dotted name -> file), the third-party top-level
    imports it needs, and the packaged data files its code loads through `resource_path`."""

    modules: dict[str, Path] = field(default_factory=dict)
    imported: set[str] = field(default_factory=set)  # named by an import (not only a parent package)
    libraries: set[str] = field(default_factory=set)
    optional_libraries: set[str] = field(default_factory=set)
    resources: set[str] = field(default_factory=set)


def _module_file(dotted: str) -> Path | None:
    parts = dotted.split(".")
    if parts[0] != _PACKAGE:
        return None
    base = _PACKAGE_DIR.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _guarded(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Inside `try: … except ImportError` (an optional import, such as `spaces` off ZeroGPU)."""
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.Try):
            for handler in node.handlers:
                names = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
                if any(
                    isinstance(n, ast.Name) and n.id in ("ImportError", "ModuleNotFoundError") for n in names
                ):
                    return True
        if isinstance(node, ast.With):  # contextlib.suppress(ImportError)
            for item in node.items:
                call = item.context_expr
                if (
                    isinstance(call, ast.Call)
                    and getattr(call.func, "attr", getattr(call.func, "id", "")) == "suppress"
                    and any(
                        isinstance(a, ast.Name) and a.id in ("ImportError", "ModuleNotFoundError")
                        for a in call.args
                    )
                ):
                    return True
    return False


def _absolute(module: str | None, level: int, current: str, is_package: bool) -> str:
    if not level:
        return module or ""
    package = current.split(".") if is_package else current.split(".")[:-1]
    base = package[: len(package) - (level - 1)]
    return ".".join([*base, module] if module else base)


def imported_modules(path: Path, dotted: str | None = None) -> list[tuple[ast.AST, str, bool]]:
    """(node, absolute module name, optional) for every import in the file, at any depth; for
    `from pkg import name` a submodule `pkg.name` is listed too when it exists."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    current = dotted or path.stem
    is_package = path.name == "__init__.py"
    found = []
    for node in ast.walk(tree):
        optional = _guarded(node, parents)
        if isinstance(node, ast.Import):
            found += [(node, alias.name, optional) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(node.module, node.level, current, is_package)
            if module == "__future__":
                continue
            found.append((node, module, optional))
            found += [
                (node, f"{module}.{alias.name}", optional)
                for alias in node.names
                if _module_file(f"{module}.{alias.name}")
            ]
    return found


def _string_constants(tree: ast.Module) -> dict[str, str]:
    """Module-level `NAME = "text"` assignments (e.g. `RED_TEAM = "red_team/red_team.jsonl"`)."""
    return {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def _fstring_part(part: ast.AST, constants: dict[str, str]) -> str:
    """A literal piece of an f-string as is, a `{CONSTANT}` as its value, anything else as `*`."""
    if isinstance(part, ast.Constant):
        return str(part.value)
    value = getattr(part, "value", None)
    if isinstance(value, ast.Name) and value.id in constants and not getattr(part, "format_spec", None):
        return constants[value.id]
    return "*"


def _resource_patterns(path: Path, constants: dict[str, str]) -> set[str]:
    """Glob patterns of the files a module opens with `resource_path(...)`: string literals, names of
    string constants, and f-strings (each `{…}` becomes `*`). Anything else cannot be staged safely."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    local = _string_constants(tree)
    patterns = set()
    for node in ast.walk(tree):
        if path != _PACKAGE_DIR / "resources" / "__init__.py" and (
            (isinstance(node, ast.Name) and node.id == "__file__")
            or (
                isinstance(node, ast.Attribute)
                and node.attr == "files"
                and getattr(node.value, "id", "") == "resources"
            )
        ):
            raise StagingError(
                f"{path}:{node.lineno}: loads a file without medqa.resources.resource_path, so staging cannot "
                "tell which data file to copy; use resource_path"
            )
        if not (
            isinstance(node, ast.Call) and getattr(node.func, "id", None) == "resource_path" and node.args
        ):
            continue
        argument = node.args[0]
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            patterns.add(argument.value)
        elif isinstance(argument, ast.Name) and argument.id in {**constants, **local}:
            patterns.add({**constants, **local}[argument.id])
        elif isinstance(argument, ast.JoinedStr):  # f"{KB_DIR}/{name}.yaml" -> "drugs/*.yaml"
            patterns.add("".join(_fstring_part(part, {**constants, **local}) for part in argument.values))
        else:
            raise StagingError(
                f"{path}:{node.lineno}: resource_path({ast.unparse(argument)}) names no file that staging can "
                "find; pass a string literal, a constant of medqa.resources or an f-string"
            )
    return patterns


def module_graph(entry: str | Path) -> ModuleGraph:
    """Walk the imports of the script `entry` through the medqa package (module- and function-level)."""
    graph = ModuleGraph()
    resources_init = _module_file(f"{_PACKAGE}.resources")
    constants = (
        _string_constants(ast.parse(resources_init.read_text(encoding="utf-8"))) if resources_init else {}
    )
    pending: list[tuple[Path, str | None]] = [(Path(entry), None)]
    while pending:
        path, dotted = pending.pop()
        patterns = _resource_patterns(path, constants)
        resource_root = _PACKAGE_DIR / "resources"
        for pattern in patterns:
            matches = select_files(resource_root, [pattern, f"{pattern}/*"])
            if not matches:
                raise StagingError(
                    f"{path}: resource_path({pattern!r}) matches no file under {resource_root}"
                )
            graph.resources.update(matches)
        for _, module, optional in imported_modules(path, dotted):
            top = module.split(".")[0]
            if top == _PACKAGE:
                if _module_file(module):
                    graph.imported.add(module)
                prefix = ""
                for part in module.split("."):  # importing a.b.c runs a/__init__ and a/b/__init__ too
                    prefix = f"{prefix}.{part}" if prefix else part
                    file = _module_file(prefix)
                    if file and prefix not in graph.modules:
                        graph.modules[prefix] = file
                        pending.append((file, prefix))
            elif top and top not in sys.stdlib_module_names:
                (graph.optional_libraries if optional else graph.libraries).add(top)
    graph.optional_libraries -= graph.libraries
    return graph


# --- requirements with the project's own version ranges ----------------------------------------------


def declared_requirements() -> dict[str, str]:
    """Distribution name (lower case) -> requirement line, from the checkout's setup.cfg (install_requires
    and every extra) or, for an installed medqa, its metadata."""
    lines: list[str] = []
    if _CHECKOUT_SETUP_CFG.is_file():
        config = configparser.ConfigParser()
        config.read(_CHECKOUT_SETUP_CFG, encoding="utf-8")
        lines += config["options"]["install_requires"].splitlines()
        lines += [line for value in config["options.extras_require"].values() for line in value.splitlines()]
    else:
        lines += [req.split(";")[0] for req in metadata.requires(_PACKAGE) or ()]
    declared = {}
    for line in filter(None, (line.strip() for line in lines)):
        declared.setdefault(requirement_name(line), line)
    return declared


def requirement_name(line: str) -> str:
    """`opencc-python-reimplemented>=0.1.7,<0.2` -> `opencc-python-reimplemented` (normalised)."""
    return re.split(r"[<>=!~\[ ;]", line.strip(), maxsplit=1)[0].lower().replace("_", "-")


def requirement_lines(libraries: Iterable[str], provided: Iterable[str] = ()) -> list[str]:
    """Requirement lines (setup.cfg's ranges) for the top-level import names `libraries`, leaving out
    distributions in `provided` (e.g. gradio, which a Space installs from its sdk_version)."""
    distributions = metadata.packages_distributions()
    declared = declared_requirements()
    skip = {name.lower().replace("_", "-") for name in provided}
    lines, missing = {}, []
    for library in sorted(libraries):
        names = [d.lower().replace("_", "-") for d in distributions.get(library, [library])]
        name = next((n for n in names if n in declared), None)
        if name is None:
            missing.append(f"{library} (distribution {', '.join(names)})")
        elif name not in skip:
            lines[name] = declared[name]
    if missing:
        raise StagingError(
            f"the staged code imports {', '.join(missing)}, which setup.cfg does not declare; add it there"
        )
    return [lines[name] for name in sorted(lines)]


def add_push_arguments(parser: argparse.ArgumentParser, repo_help: str, default_staging_dir: Path) -> None:
    """The flags `push-space` and `push-metric` share: the Space repo, dry run, privacy, staging folder."""
    parser.add_argument("--repo", required=True, help=repo_help)
    parser.add_argument("--dry-run", action="store_true", help="stage and list the files, upload nothing")
    parser.add_argument("--private", action="store_true", help="create the Space private")
    parser.add_argument(
        "--staging-dir",
        type=Path,
        default=default_staging_dir,
        help="where the Space's files are assembled: a new or empty folder, or an earlier staging "
        "(default: %(default)s)",
    )
