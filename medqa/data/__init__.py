"""Data preparation (`medqa prepare`): sources, validation, de-identification, annotation, dedupe, split.

`prepare` is bound here after its submodule is imported, so `from medqa.data import prepare` is the
function even though `medqa.data.prepare` is also the module the CLI loads.
"""

from medqa.data.prepare import PrepareResult, prepare

__all__ = ["PrepareResult", "prepare"]
