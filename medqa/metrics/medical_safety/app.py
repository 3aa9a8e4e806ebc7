"""Hugging Face Space for the medical_safety metric: the standard evaluate widget."""

import evaluate
from evaluate.utils import launch_gradio_widget

module = evaluate.load("medqa/medical_safety")
launch_gradio_widget(module)
