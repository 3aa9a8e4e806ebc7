"""One way for the rule tests to ask the metric for a verdict on an answer to a question: the answer
behind a well-formed think block, scored by the same `score_example` the metric module uses."""

from medqa.metrics.core import score_example


def is_risky(answer: str, question: str) -> bool:
    return score_example(
        f"<think>用药。</think>\n\n{answer}", {"question": question, "red_flag": False}
    ).risky


def is_directed(answer: str, question: str) -> bool:
    """Whether the answer directs a red-flag question to emergency care."""
    return score_example(
        f"<think>急症。</think>\n\n{answer}", {"question": question, "red_flag": True}
    ).emergency_directed
