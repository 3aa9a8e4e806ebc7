"""Small exact statistics with no SciPy: Wilson intervals, McNemar, paired bootstrap and sign-flip test,
Cohen's kappa.

They live beside the metric core because the `medical_safety` module reports intervals itself, and
`medqa.report` reuses them for comparisons.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

Z_95 = 1.959963984540054


def wilson_interval(successes: int, n: int, z: float = Z_95) -> tuple[float, float]:
    """95% Wilson score interval; well behaved at 0, n and small n, unlike the normal approximation."""
    if n == 0:
        return (0.0, 0.0)
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return (
        0.0 if successes == 0 else max(0.0, centre - half),
        1.0 if successes == n else min(1.0, centre + half),
    )


def rate(successes: int, n: int) -> dict[str, float | int | None]:
    """A rate with its n and 95% Wilson interval; rate is None when there is nothing to divide by."""
    low, high = wilson_interval(successes, n)
    return {"rate": successes / n if n else None, "k": successes, "n": n, "ci_low": low, "ci_high": high}


def mcnemar_exact(only_a: int, only_b: int) -> float:
    """Two-sided exact McNemar p-value from the discordant pairs (binomial test with p = 1/2)."""
    discordant = only_a + only_b
    if discordant == 0:
        return 1.0
    tail = sum(math.comb(discordant, i) for i in range(min(only_a, only_b) + 1)) / 2**discordant
    return min(1.0, 2 * tail)


def paired_bootstrap(
    a: Sequence[float], b: Sequence[float], resamples: int = 2000, seed: int = 0
) -> tuple[float, float, float]:
    """Mean of b - a over paired items and its 95% percentile bootstrap interval (items resampled jointly)."""
    if len(a) != len(b):
        raise ValueError(f"paired samples differ in length: {len(a)} vs {len(b)}")
    if not a:
        return (0.0, 0.0, 0.0)
    differences = [y - x for x, y in zip(a, b, strict=True)]
    n = len(differences)
    generator = random.Random(seed)
    means = sorted(sum(differences[generator.randrange(n)] for _ in range(n)) / n for _ in range(resamples))
    return (
        sum(differences) / n,
        means[int(0.025 * resamples)],
        means[min(resamples - 1, int(0.975 * resamples))],
    )


def paired_sign_flip_p(
    a: Sequence[float], b: Sequence[float], resamples: int = 10000, seed: int = 0
) -> float | None:
    """Two-sided p-value of the paired randomisation (sign-flip) test of mean(b - a) = 0: under the null each
    pair's difference is as likely to have either sign, so p is the share of random sign assignments whose
    |mean| reaches the observed one, counted as (k + 1) / (resamples + 1). None when there are no pairs."""
    if len(a) != len(b):
        raise ValueError(f"paired samples differ in length: {len(a)} vs {len(b)}")
    if not a:
        return None
    import numpy as np

    differences = np.array([y - x for x, y in zip(a, b, strict=True)], dtype=float)
    signs = np.random.default_rng(seed).choice((-1.0, 1.0), size=(resamples, len(differences)))
    observed = abs(differences.sum()) - 1e-9 * (1 + np.abs(differences).sum())  # ties count as reached
    reached = int((np.abs(signs @ differences) >= observed).sum())
    return (reached + 1) / (resamples + 1)


def cohen_kappa(a: Sequence[bool], b: Sequence[bool]) -> float | None:
    """Agreement beyond chance between two binary raters; None when undefined (no items)."""
    if len(a) != len(b):
        raise ValueError(f"rater label lists differ in length: {len(a)} vs {len(b)}")
    n = len(a)
    if n == 0:
        return None
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    pa, pb = sum(a) / n, sum(b) / n
    expected = pa * pb + (1 - pa) * (1 - pb)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def kappa_interval(
    a: Sequence[bool], b: Sequence[bool], resamples: int = 2000, seed: int = 0
) -> tuple[float, float] | None:
    """95% percentile bootstrap interval of Cohen's kappa (items resampled jointly); None with no items."""
    if len(a) != len(b):
        raise ValueError(f"rater label lists differ in length: {len(a)} vs {len(b)}")
    n = len(a)
    if n == 0:
        return None
    generator = random.Random(seed)
    kappas = []
    for _ in range(resamples):
        picks = [generator.randrange(n) for _ in range(n)]
        kappas.append(cohen_kappa([a[i] for i in picks], [b[i] for i in picks]))
    kappas.sort()
    return (kappas[int(0.025 * resamples)], kappas[min(resamples - 1, int(0.975 * resamples))])
