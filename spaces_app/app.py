"""Hugging Face Space entry point: the `medqa demo` app, configured by environment variables.

README.md beside this file documents the variables; `medqa.demo.args_from_env` maps each one to the
`medqa demo` option of the same meaning, so the Space and the command line build the same app.
`medqa push-space` copies the medqa modules this file imports beside it, so the Space runs the tested code.
"""

import contextlib
import os

with contextlib.suppress(ImportError):  # on ZeroGPU, `spaces` must be imported before torch touches CUDA
    import spaces  # noqa: F401

from medqa import demo as medqa_demo

args = medqa_demo.args_from_env(os.environ)
demo = medqa_demo.build_from_args(args)

if __name__ == "__main__":
    medqa_demo.launch(demo, args.host, args.port)
