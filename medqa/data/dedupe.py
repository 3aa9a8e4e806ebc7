"""Exact and near-duplicate removal on the question, keeping the best-quality row of each cluster.

Exact: equal after `dedupe_key` (NFKC, case, traditional→simplified Chinese, no whitespace or
punctuation). Near: MinHash signatures (datasketch) over character n-grams of that key, looked up
by locality-sensitive hashing in bands chosen by datasketch's MinHashLSH for the threshold. Rows are
visited best quality first, so the first row of a cluster is the one kept and each later row is
compared with kept rows only: one LSH query and at most one insert per row, and with buckets capped
(BUCKET_CAP) at most bands x cap comparisons a row, so the cost stays linear even when every question
follows one template.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

from medqa.safety.text import fold

_NOT_CONTENT = re.compile(r"[\W_]+")
# Kept rows remembered per LSH bucket. Templated questions (one form, different answers) share most
# n-grams, so a few buckets collect most rows; capping them keeps every lookup to at most
# bands x BUCKET_CAP comparisons. A near-duplicate shares many bands with its original, and the
# buckets of its specific content are small, so it is still found through them.
BUCKET_CAP = 64


@dataclass(frozen=True)
class Duplicate:
    index: int  # position of the duplicate row in the input sequence
    kept: int  # position of the row it duplicates
    kind: str  # exact | near
    similarity: float


def dedupe_key(question: str) -> str:
    """The question reduced to its content characters, the form exact duplicates share."""
    return _NOT_CONTENT.sub("", fold(question))


def stable_id(key: str) -> str:
    """`mq-` + 16 hex digits of the SHA-256 of a question's `dedupe_key`: same question, same id, any run."""
    return "mq-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def shingles(key: str, ngram: int) -> list[bytes]:
    """Character n-grams as bytes: slices of the UTF-32 encoding (4 bytes a character), one encode per key."""
    data = key.encode("utf-32-le")
    width = 4 * ngram
    if len(data) <= width:
        return [data]
    return [data[i : i + width] for i in range(0, len(data) - width + 4, 4)]


def _similarities(kept: np.ndarray, candidates: list[int], signature: np.ndarray) -> np.ndarray:
    """Estimated Jaccard similarity of `signature` with each candidate row of `kept`."""
    return np.count_nonzero(kept[candidates] == signature, axis=1) / signature.shape[0]


def find_duplicates(
    keys: Sequence[str],
    qualities: Sequence[float],
    threshold: float = 0.6,
    num_perm: int = 128,
    ngram: int = 3,
) -> list[Duplicate]:
    """Duplicates among questions given by their `dedupe_key`, each pointing at the kept row (best
    quality, then first seen)."""
    order = sorted(range(len(keys)), key=lambda i: (-qualities[i], i))
    kept_by_key: dict[str, int] = {}
    duplicates: list[Duplicate] = []
    survivors = []
    for index in order:
        first = kept_by_key.setdefault(keys[index], index)
        if first != index:
            duplicates.append(Duplicate(index, first, "exact", 1.0))
        else:
            survivors.append(index)
    if threshold >= 1.0:
        return sorted(duplicates, key=lambda d: d.index)
    kept_rows: list[int] = []  # input positions of the near-duplicate survivors, by slot
    # datasketch picks the bands (b bands of r rows) for `threshold`, weighted towards recall (a missed
    # pair costs 4x a spurious candidate, which the exact signature comparison below discards anyway).
    # The band tables are plain dicts keyed by the band's bytes: several times cheaper per row than
    # MinHashLSH's own storage for this insert-or-query loop.
    bands = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=(0.2, 0.8))
    tables: list[dict[bytes, list[int]]] = [{} for _ in range(bands.b)]
    # Kept signatures as rows of one matrix, so a row's candidates are compared in one numpy call.
    # MinHash values are below 2**32 (datasketch's _max_hash), so uint32 holds them at half the memory.
    kept_matrix = np.empty((len(survivors), num_perm), dtype=np.uint32)
    kept_count = 0
    # CRC-32 (C code, stable across processes) instead of the default SHA-1: hashing is the hot loop.
    signatures = MinHash.generator(
        (shingles(keys[i], ngram) for i in survivors), num_perm=num_perm, seed=1, hashfunc=zlib.crc32
    )
    for index, signature in zip(survivors, signatures, strict=True):
        values = signature.hashvalues
        raw = values.tobytes()
        width = values.itemsize * bands.r
        band_keys = [raw[band * width : (band + 1) * width] for band in range(bands.b)]
        candidates = sorted(
            {slot for table, key in zip(tables, band_keys, strict=True) for slot in table.get(key, ())}
        )
        best = None
        if candidates:
            similarities = _similarities(kept_matrix, candidates, values)
            top = int(np.argmax(similarities))  # the first of equals: the earliest kept row
            if similarities[top] >= threshold:
                best, best_similarity = kept_rows[candidates[top]], float(similarities[top])
        if best is None:
            kept_matrix[kept_count] = values
            kept_rows.append(index)
            for table, key in zip(tables, band_keys, strict=True):
                bucket = table.setdefault(key, [])
                if len(bucket) < BUCKET_CAP:
                    bucket.append(kept_count)
            kept_count += 1
        else:
            duplicates.append(Duplicate(index, best, "near", round(best_similarity, 4)))
    return sorted(duplicates, key=lambda d: d.index)
