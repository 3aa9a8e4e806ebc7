"""`medqa push-metric`: stage or upload the `medical_safety` metric as a Hub Space that `evaluate.load`
runs without medqa installed.

`evaluate.load` copies a metric script and the modules the script itself imports relatively
(`from .x import …`, one `x.py` beside it; evaluate's `get_imports` does not look into those modules,
and copies no data files). So the staged Space holds, all generated from this checkout (no second copy
in git):
- `medical_safety.py`: the module script, its `medqa` imports rewritten to sibling modules, plus one
  relative import per sibling so evaluate copies every one;
- one sibling per medqa module the script reaches (walked with `ast`, e.g. `medqa.safety.text` ->
  `safety_text.py`), imports rewritten the same way;
- `resources.py`: `medqa.resources` with the packaged data files its modules load (lexicons, drug
  knowledge base) carried inside, written out beside the module on first use;
- README.md (the metric card), app.py (evaluate's Gradio widget), test_cases.json and a
  requirements.txt derived from the imports with setup.cfg's ranges.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from pathlib import Path

import medqa
from medqa.hub import publish_folder
from medqa.staging import (
    StagingError,
    add_push_arguments,
    copy_files,
    imported_modules,
    module_graph,
    prepare_staging_dir,
    requirement_lines,
    requirement_name,
)

PACKAGE_DIR = Path(medqa.__file__).resolve().parent
METRIC_DIR = PACKAGE_DIR / "metrics" / "medical_safety"
SCRIPT = "medical_safety.py"
METRIC_FILES = ("README.md", "app.py", "test_cases.json")  # the allow-list from METRIC_DIR
PLACEHOLDER = "OWNER/medical_safety"  # in the card, app.py and docstrings; staging writes the real repo
DEFAULT_STAGING_DIR = Path("outputs/medical_safety")  # evaluate.load(dir) wants dir named like the script
PROVIDED = ("gradio",)  # the Space installs gradio from the card's sdk_version
# evaluate's widget needs gradio 3 (`gr.inputs`, removed in gradio 4); gradio 3.50 needs numpy<2 and
# pyarrow 26 needs numpy>=2, so the Space keeps pyarrow below 26.
WIDGET_CONSTRAINTS = ("pyarrow<26",)
_RESOURCES = "medqa.resources"

_RESOURCE_PATH = '''
def resource_path(relative: str) -> Path:
    """Filesystem path of a packaged resource. evaluate copies only Python modules, so the data files
    travel in `_FILES` and are written beside this module (or in the temp folder) on first use."""
    names = [name for name in _FILES if name == relative or name.startswith(relative.rstrip("/") + "/")]
    if not names:
        raise FileNotFoundError(f"packaged resource not found: {relative}")
    for root in (Path(__file__).resolve().parent / "medqa_resources", Path(tempfile.gettempdir()) / "medqa_resources"):
        try:
            for name in names:
                path = root / name
                if not path.is_file() or path.read_text(encoding="utf-8") != _FILES[name]:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    scratch = path.with_name(f"{path.name}.{os.getpid()}.tmp")
                    scratch.write_text(_FILES[name], encoding="utf-8")
                    os.replace(scratch, path)
            return root / relative
        except OSError:
            continue
    raise OSError("no writable folder for the metric's data files")
'''


def sibling_name(dotted: str) -> str:
    """`medqa.safety.text` -> `safety_text`: the flat module name beside the metric script."""
    parts = dotted.split(".")
    if parts[0] != "medqa" or len(parts) < 2:
        raise StagingError(f"cannot stage {dotted!r} as a sibling module; import from a medqa submodule")
    return "_".join(parts[1:])


def _replace_spans(source: str, replacements: list[tuple[ast.AST, str]]) -> str:
    lines = source.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))

    def position(line: int, column: int) -> int:
        return offsets[line - 1] + len(lines[line - 1].encode("utf-8")[:column].decode("utf-8"))

    for node, text in sorted(
        replacements, key=lambda item: (item[0].lineno, item[0].col_offset), reverse=True
    ):
        start = position(node.lineno, node.col_offset)
        end = position(node.end_lineno, node.end_col_offset)
        source = source[:start] + text + source[end:]
    return source


def rewrite_imports(path: Path, dotted: str | None, staged: set[str]) -> str:
    """`path`'s source with every medqa import pointing at the sibling modules in `staged`."""
    source = path.read_text(encoding="utf-8")
    replacements = []
    seen = set()
    for node, module, _ in imported_modules(path, dotted):
        if node in seen or not module.startswith("medqa"):
            continue
        seen.add(node)
        where = f"{path}:{node.lineno}"
        if isinstance(node, ast.Import):
            raise StagingError(f"{where}: `import {module}` cannot be staged; use `from {module} import …`")
        names = ", ".join(f"{a.name} as {a.asname}" if a.asname else a.name for a in node.names)
        if all(f"{module}.{a.name}" in staged for a in node.names):  # from medqa.safety import text
            replacements.append(
                (
                    node,
                    "; ".join(
                        f"from . import {sibling_name(f'{module}.{a.name}')} as {a.asname or a.name}"
                        for a in node.names
                    ),
                )
            )
        elif module in staged:
            replacements.append((node, f"from .{sibling_name(module)} import {names}"))
        else:
            raise StagingError(f"{where}: imports {module}, which is not a staged module")
    return _replace_spans(source, replacements)


def _resources_module(dotted: str, path: Path, staged: set[str], data: dict[str, str]) -> str:
    """medqa.resources with `resource_path` reading the embedded data files."""
    source = rewrite_imports(path, dotted, staged)
    tree = ast.parse(source)
    function = next(
        (n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "resource_path"), None
    )
    if function is None:
        raise StagingError(f"{path}: no resource_path function to replace")
    start = function.decorator_list[0] if function.decorator_list else function
    start_line = start.lineno
    lines = source.splitlines(keepends=True)
    body = (
        "".join(lines[: start_line - 1]) + _RESOURCE_PATH.lstrip("\n") + "".join(lines[function.end_lineno :])
    )
    files = "".join(f"    {name!r}: {text!r},\n" for name, text in sorted(data.items()))
    return (
        body
        + "\n\nimport os  # noqa: E402  (added by medqa push-metric)\nimport tempfile  # noqa: E402\n\n"
        + "# The packaged data files this metric loads, copied by `medqa push-metric` from medqa/resources/.\n"
        + "_FILES = {\n"
        + files
        + "}\n"
    )


def _script(graph_modules: list[str], staged: set[str], repo: str, libraries: dict[str, str]) -> str:
    """The module script: medqa imports rewritten, then one relative import per sibling module
    (evaluate copies only the files the script imports itself)."""
    source = rewrite_imports(METRIC_DIR / SCRIPT, None, staged)
    tree = ast.parse(source)
    last_import = max(n.end_lineno for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom))
    lines = source.splitlines(keepends=True)
    named = {module for _, module, _ in imported_modules(METRIC_DIR / SCRIPT)}
    block = "".join(
        f"from .{sibling_name(module)} import __name__ as _{sibling_name(module)}_module\n"
        for module in graph_modules
        if module not in named
    )
    # evaluate checks the script's own library imports and names the distribution to install
    block += "".join(f"import {library}  # From: {dist}\n" for library, dist in sorted(libraries.items()))
    body = "".join(lines[:last_import]) + block + "".join(lines[last_import:])
    return body.replace(PLACEHOLDER, repo)


def _text_resource(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise StagingError(f"{path}: only UTF-8 text data files can travel inside resources.py") from error


def stage_metric(out_dir: str | Path, repo: str) -> Path:
    """Write the metric Space for `repo` into `out_dir` (a new, empty or earlier staging folder)."""
    if not re.fullmatch(r"[\w.\-]+/[\w.\-]+", repo):
        raise StagingError(f"--repo must look like OWNER/NAME, got {repo!r}")
    if repo.split("/")[1] != Path(SCRIPT).stem:
        # evaluate fetches `<name>.py` from the repo, so the repo must be named after the script
        raise StagingError(f"the metric Space must be named {Path(SCRIPT).stem} (evaluate loads <name>.py)")
    graph = module_graph(METRIC_DIR / SCRIPT)
    modules = sorted(graph.imported)
    staged = set(modules)
    data = {name: _text_resource(PACKAGE_DIR / "resources" / name) for name in sorted(graph.resources)}
    sources = {}
    for module in modules:
        path = graph.modules[module]
        sources[f"{sibling_name(module)}.py"] = (
            _resources_module(module, path, staged, data)
            if module == _RESOURCES
            else rewrite_imports(path, module, staged)
        )
    requirements = requirement_lines(graph.libraries, provided=PROVIDED)
    script_imports = {module.split(".")[0] for _, module, _ in imported_modules(METRIC_DIR / SCRIPT)}
    libraries = {
        library: requirement_name(requirement_lines([library])[0])
        for library in graph.libraries - script_imports
    }
    sources[SCRIPT] = _script(modules, staged, repo, libraries)
    out = prepare_staging_dir(out_dir, sources=[PACKAGE_DIR])
    copy_files(METRIC_DIR, METRIC_FILES, out)
    for name in ("README.md", "app.py"):
        target = out / name
        target.write_text(target.read_text(encoding="utf-8").replace(PLACEHOLDER, repo), encoding="utf-8")
    for name, text in sources.items():
        (out / name).write_text(text, encoding="utf-8")
    header = (
        "# Generated by `medqa push-metric` from the imports of the metric and its modules, with setup.cfg's\n"
        "# ranges. gradio comes from `sdk_version` in README.md; its numpy<2 needs pyarrow<26.\n"
    )
    lines = [*requirements, *WIDGET_CONSTRAINTS]
    (out / "requirements.txt").write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    return out


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_push_arguments(parser, "metric Space repo id: OWNER/medical_safety", DEFAULT_STAGING_DIR)


def main(args: argparse.Namespace) -> int:
    try:
        staged = stage_metric(args.staging_dir, args.repo)
    except StagingError as error:
        print(f"medqa push-metric: {error}", file=sys.stderr)
        return 2
    result = publish_folder(
        staged, args.repo, repo_type="space", private=args.private, dry_run=args.dry_run, staging_dir=staged
    )
    if result.url:
        print(f"Metric Space pushed: {result.url}")
    local = staged if staged.name == Path(SCRIPT).stem else staged / SCRIPT
    print(f'load it with: evaluate.load("{args.repo}")  (before pushing: evaluate.load("{local}"))')
    return 0
