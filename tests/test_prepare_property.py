"""Corrupted rows never crash the pipeline and every row is accounted for."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medqa.data.prepare import PrepareConfig, process
from medqa.data.sources import SCHEMAS, RawRecord
from medqa.resources import SAMPLE_CORPUS, resource_path

GOOD = [
    json.loads(line) for line in resource_path(SAMPLE_CORPUS).read_text(encoding="utf-8").splitlines()[:20]
]
FIELDS = ("instruction", "question", "think", "answer", "metrics")
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=6,
)


@st.composite
def corrupted_row(draw):
    """A good row with fields dropped, retyped, emptied, tagged or stretched; or something else entirely."""
    kind = draw(st.sampled_from(["good", "mutated", "mutated", "junk", "invalid_json"]))
    if kind == "junk":
        return draw(json_values), None
    if kind == "invalid_json":
        return None, "invalid_json"
    row = dict(draw(st.sampled_from(GOOD)))
    if kind == "mutated":
        for field in draw(st.lists(st.sampled_from(FIELDS), min_size=1, max_size=3)):
            row[field] = draw(
                st.one_of(
                    json_values,
                    st.just(""),
                    st.just("<think>" + str(row.get(field))),
                    st.just(str(row.get(field)) * 400),
                    st.text(alphabet="\x00\ufffd!?", min_size=1, max_size=5),
                )
            )
    return row, None


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(corrupted_row(), min_size=1, max_size=25))
def test_corrupted_rows_never_crash_and_always_add_up(rows):
    records = [
        RawRecord("fuzz.jsonl", n, value, error, "bad" if error else "")
        for n, (value, error) in enumerate(rows, 1)
    ]
    outcome = process(records, {"fuzz.jsonl": SCHEMAS["raw"]}, PrepareConfig())
    counts = outcome.counts
    assert (
        counts["input"]
        == len(rows)
        == counts["kept"] + counts["duplicates"]["total"] + counts["rejected"]["total"]
    )
    seen = [(r["file"], r["line"]) for r in outcome.rejected + outcome.duplicates]
    assert len(seen) == len(set(seen))
    kept_ids = {row["id"] for row in outcome.kept}
    assert len(kept_ids) == len(outcome.kept)
    assert all(d["duplicate_of"] in kept_ids for d in outcome.duplicates)
