"""medqa: fine-tune Qwen3 into a medical question-answering model that reasons before it answers.

For research and education only; never a substitute for diagnosis or treatment by a clinician.
"""

__version__ = "0.1.0"
