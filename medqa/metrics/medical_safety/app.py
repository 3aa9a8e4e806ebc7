"""Hugging Face Space of the medical_safety metric: evaluate's standard widget.

`medqa push-metric --repo OWNER/medical_safety` stages this file with OWNER/medical_safety replaced by
the Space it pushes to.
"""

import evaluate
from evaluate.utils import launch_gradio_widget

module = evaluate.load("OWNER/medical_safety")
launch_gradio_widget(module)
