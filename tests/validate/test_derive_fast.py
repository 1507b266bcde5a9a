"""The derived columns' fast arithmetic against plain, slow definitions (the reference)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from reoffend_eval.validate import derive

BASE = pd.Timestamp("2020-01-01")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c", None]), st.one_of(st.none(), st.integers(0, 900))),
                min_size=1, max_size=60),
       st.integers(1, 400))
def test_events_in_past_days_counts_as_defined(rows, days):
    frame = pd.DataFrame(
        {
            "person_id": pd.Series([p for p, _ in rows], dtype="string[pyarrow]"),
            "date": pd.Series([pd.NaT if d is None else BASE + pd.Timedelta(days=d) for _, d in rows],
                              dtype="datetime64[ns]"),
        }
    )
    got = derive.events_in_past_days(frame, person_column="person_id", date="date", days=days)
    for i, (p, d) in enumerate(rows):
        if p is None or d is None:
            assert np.isnan(got.iloc[i])
            continue
        # the person's rows dated in the `days` days ending on this row's date (the same day counts whole)
        expected = sum(q == p and e is not None and d - days < e <= d for q, e in rows)
        assert got.iloc[i] == expected


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 2**40), min_size=1, max_size=300))
def test_argsort_by_16_bits_is_numpys_stable_argsort(keys):
    key = np.array(keys, dtype="int64")
    assert (derive._argsort_nonnegative(key) == np.argsort(key, kind="stable")).all()


def test_bucket_counts_keep_every_repeated_hash():
    rng = np.random.default_rng(3)
    hashes = rng.integers(0, 2**63, 1_100_000, dtype="int64").astype("uint64")
    hashes[rng.choice(len(hashes), 5_000)] = hashes[rng.choice(len(hashes), 5_000)]  # planted repeats
    maybe = derive._maybe_shared(hashes)
    repeated = pd.Series(hashes).duplicated(keep=False).to_numpy()
    assert maybe[repeated].all()
    assert maybe.mean() < 0.2  # and it does thin the rows out


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", None]), st.sampled_from([0, 1, None]),
                          st.sampled_from([0.5, 1.0, None])), min_size=1, max_size=40))
def test_copy_of_earlier_row_names_the_first_identical_row(rows):
    frame = pd.DataFrame(
        {
            "person_id": pd.Series([r[0] for r in rows], dtype="category"),
            "date": pd.Series([pd.NaT if r[1] is None else BASE + pd.Timedelta(days=r[1]) for r in rows],
                              dtype="datetime64[ns]"),
            "amount": pd.Series([np.nan if r[2] is None else r[2] for r in rows], dtype="float64"),
        },
    ).set_axis(pd.RangeIndex(1, len(rows) + 1, name="row"))
    got = derive.copy_of_earlier_row(frame)
    for i, row in enumerate(rows):
        first = next(j for j, other in enumerate(rows) if other == row)  # None equals None: a copy
        assert (np.isnan(got.iloc[i]) if first == i else got.iloc[i] == first + 1), (i, rows)


def _number_like_ids_by_definition(data) -> list[str]:
    """The check as first written (every row's id as text), kept as the reference."""
    from reoffend_eval.data.contract import TABLES
    from reoffend_eval.validate.plausibility import _bare

    people = pd.concat([t["person_id"] for t in (data.participants, data.comparison)]).dropna().astype(str)
    known = set(people)
    bare = {_bare(v): v for v in people if _bare(v) is not None}
    notes = []
    for name, frame in data.tables().items():
        column = TABLES[name].person_column
        if name in ("participants", "comparison") or column not in frame.columns:
            continue
        ids = frame[column].dropna().astype(str)
        orphans = pd.Series(ids[~ids.isin(known)].unique())
        pairs = [(v, bare[b]) for v in orphans if (b := _bare(v)) is not None and b in bare]
        if pairs:
            rows = int(ids.isin([v for v, _ in pairs]).sum())
            notes.append((name, rows, pairs[0]))
    return notes


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(["0012", "12.0", "12", "007", "7", "x", "0099", "99.00", None]), min_size=1,
                max_size=30),
       st.booleans())
def test_number_like_ids_finds_what_the_definition_finds(offence_ids, as_category):
    from reoffend_eval.data import CohortData
    from reoffend_eval.validate import plausibility

    def ids(values):
        return pd.Series(values, dtype="category" if as_category else "string[pyarrow]")

    participants = pd.DataFrame({"person_id": ids(["12", "7", "A1"])})
    comparison = pd.DataFrame({"person_id": ids(["99", "0007"])})
    offences = pd.DataFrame({"person_id": ids(offence_ids)})
    custody = pd.DataFrame({"person_id": ids(list(reversed(offence_ids)))})
    data = CohortData(participants=participants, comparison=comparison, offences=offences, custody=custody)
    got = plausibility.number_like_ids(data)
    expected = _number_like_ids_by_definition(data)
    assert len(got) == len(expected)
    for note, (name, rows, _) in zip(got, expected):
        assert note.startswith(f"{rows:,} {name} rows")
