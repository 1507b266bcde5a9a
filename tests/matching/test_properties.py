"""Property tests: greedy matching equals a slow, obvious implementation of MatchIt's rule on random tied scores."""
from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from reoffend_eval.matching import match


def _slow(score, treated, ratio, replace, caliper):
    """MatchIt's rule written plainly: stable positions, treated by decreasing score, rounds when ratio > 1."""
    pos = np.empty(len(score), dtype=int)
    pos[np.argsort(score, kind="stable")] = np.arange(len(score))
    available = ~treated.copy()
    order = np.flatnonzero(treated)[np.argsort(-score[treated], kind="stable")]
    found = {int(t): [] for t in order}

    def ranked(t, exclude):
        keys = [((abs(score[t] - score[c]), abs(pos[t] - pos[c]), 0 if pos[c] < pos[t] else 1), int(c))
                for c in np.flatnonzero(available if not replace else ~treated)
                if c not in exclude and abs(score[t] - score[c]) <= caliper]
        return [c for _, c in sorted(keys)]

    if replace:
        for t in order:
            found[int(t)] = ranked(t, ())[:ratio]
        return found
    for _ in range(ratio):
        for t in order:
            if found[int(t)] == [] and _ > 0:
                continue
            best = ranked(t, found[int(t)])
            if best:
                found[int(t)].append(best[0])
                available[best[0]] = False
    return found


@settings(max_examples=40, deadline=None)
@given(
    grid=st.lists(st.integers(0, 12), min_size=4, max_size=30),
    flags=st.lists(st.booleans(), min_size=30, max_size=30),
    ratio=st.integers(1, 3),
    replace=st.booleans(),
    caliper=st.one_of(st.none(), st.sampled_from([0.0625, 0.125, 0.25])),
)
def test_greedy_equals_slow_rule(grid, flags, ratio, replace, caliper):
    score = np.array(grid) / 16.0  # dyadic: equal distances are exactly equal
    treated = np.array(flags[: len(grid)])
    if treated.all() or not treated.any():
        return
    data = pd.DataFrame({"treated": treated, "score": score, "x": 0.0})
    m = match(data, "treated ~ x", distance="score", ratio=ratio, replace=replace, caliper=caliper,
              std_caliper=False)
    expected = _slow(score, treated, ratio, replace, np.inf if caliper is None else caliper)
    for t, controls in expected.items():
        got = [int(c) for c in m.match_matrix.loc[t].dropna()]
        assert got == controls, (t, got, controls)
