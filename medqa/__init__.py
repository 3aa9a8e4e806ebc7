"""medqa: fine-tune Qwen3 into a medical question-answering model that reasons before it answers.

For research and education only; never a substitute for diagnosis or treatment by a clinician.
"""

import logging

__version__ = "0.1.0"

# bitsandbytes warns at import on AVX512-BF16 CPUs that an optional Hub-downloaded 4-bit kernel is
# missing; it falls back to its built-in kernel, so the warning is noise on every offline command.
logging.getLogger("bitsandbytes.backends.cpu.ops").setLevel(logging.ERROR)
