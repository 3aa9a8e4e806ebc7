"""Deterministic train/dev/test split stratified on (specialty, risk_level), and the gold set.

Rows are ordered by a seeded hash of their id inside each stratum; strata are then walked one after
another and every row goes to the split that is furthest below its share so far. Each stratum thus
gets its proportional share to within a row or two, and the totals match the ratios. A stratum too
small to give every split a row (fewer than 1 / smallest ratio rows) is pooled: first with the other
risk levels of its specialty, then with its risk level across specialties, then with everything left.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence

SPLIT_NAMES = ("train", "dev", "test")
POOLED = "*"


def _seeded_order(ids: Sequence[str], seed: int) -> list[str]:
    return sorted(ids, key=lambda i: hashlib.sha256(f"{seed}:{i}".encode()).hexdigest())


def merge_small_strata(strata: Mapping[str, tuple[str, str]], min_size: int) -> dict[str, tuple[str, str]]:
    """id -> final stratum, after pooling strata smaller than `min_size` as the module docstring says."""
    current = dict(strata)
    for pool in (lambda s: (s[0], POOLED), lambda s: (POOLED, s[1]), lambda s: (POOLED, POOLED)):
        sizes: dict[tuple[str, str], int] = defaultdict(int)
        for stratum in current.values():
            sizes[stratum] += 1
        current = {i: (pool(s) if sizes[s] < min_size else s) for i, s in current.items()}
    return current


def stratified_split(
    strata: Mapping[str, tuple[str, str]], ratios: Sequence[float] = (0.8, 0.1, 0.1), seed: int = 42
) -> dict[str, str]:
    """id -> split name for ids labelled with their (specialty, risk_level)."""
    if len(ratios) != len(SPLIT_NAMES) or any(r < 0 for r in ratios) or not math.isclose(sum(ratios), 1.0):
        raise ValueError(f"split ratios must be three non-negative numbers summing to 1, got {ratios}")
    smallest = min(r for r in ratios if r > 0)
    final = merge_small_strata(strata, math.ceil(1 / smallest - 1e-9))
    members: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row_id, stratum in final.items():
        members[stratum].append(row_id)
    assignment: dict[str, str] = {}
    assigned = [0] * len(ratios)
    total = 0
    for stratum in sorted(members):
        for row_id in _seeded_order(members[stratum], seed):
            total += 1
            deficits = [ratio * total - count for ratio, count in zip(ratios, assigned, strict=True)]
            choice = max(range(len(ratios)), key=lambda k: (deficits[k], -k))
            assigned[choice] += 1
            assignment[row_id] = SPLIT_NAMES[choice]
    return assignment


def select_gold(candidates: Sequence[tuple[str, float]], size: int) -> list[str]:
    """Ids of the `size` best held-out rows by quality score (ties by id), never more than half of the
    candidates, so the gold set stays a selection rather than a copy of dev + test."""
    size = min(size, len(candidates) // 2)
    ranked = sorted(candidates, key=lambda item: (-item[1], item[0]))
    return sorted(row_id for row_id, _ in ranked[:size])
