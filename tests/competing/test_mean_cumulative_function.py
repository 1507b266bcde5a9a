"""mean_cumulative_function against R survival's survfit(Surv(start, stop, event) ~ group, id = id)."""
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from reoffend_eval.survival.mean_cumulative_function import mean_cumulative_function

FIX = Path(__file__).parents[1] / "fixtures" / "recurrent"
RTOL = 1e-6


@pytest.fixture(scope="module")
def ref():
    return json.loads((FIX / "r_mcf.json").read_text())


CASES = {
    "recurrent": ("recurrent.csv", "start", "stop", "event", "id", "group"),
    "bladder2": ("bladder2.csv", "start", "stop", "event", "id", "rx"),
    "cgd": ("cgd.csv", "tstart", "tstop", "status", "id", "treat"),
}


def fit(name):
    file, start, stop, event, pid, group = CASES[name]
    return mean_cumulative_function(pd.read_csv(FIX / file), start, stop, event, pid, group=group)


@pytest.mark.parametrize("name", list(CASES))
def test_every_time_matches_survfit(ref, name):
    r = fit(name)
    c = ref[name]["curves"]
    expected = pd.DataFrame({"group": c["group"], "time": c["time"], "n_risk": c["n_risk"], "n_event": c["n_event"],
                             "cumhaz": c["cumhaz"], "std_chaz": c["std_chaz"]})
    ours = r.table.assign(group=r.table.group.astype(str))
    merged = expected.merge(ours, on=["group", "time"], how="left", validate="one_to_one")
    assert merged.mcf.notna().all() and len(ours) == len(expected)
    np.testing.assert_array_equal(merged.n_risk_x, merged.n_risk_y)
    np.testing.assert_array_equal(merged.n_event_x, merged.n_event_y)
    np.testing.assert_allclose(merged.mcf, merged.cumhaz, rtol=RTOL)
    np.testing.assert_allclose(merged.se, merged.std_chaz, rtol=RTOL)


@pytest.mark.parametrize("name", list(CASES))
def test_at_times(ref, name):
    r = fit(name)
    a = ref[name]["at"]
    at = r.at(ref[name]["times"]).assign(group=lambda d: d.group.astype(str)).set_index(["group", "time"])
    for g, t, h, s in zip(a["group"], a["time"], a["cumhaz"], a["std_chaz"]):
        assert at.loc[(g, t), "mcf"] == pytest.approx(h, rel=RTOL)
        assert at.loc[(g, t), "se"] == pytest.approx(s, rel=RTOL)


def test_pooled_curve(ref):
    rec = pd.read_csv(FIX / "recurrent.csv")
    r = mean_cumulative_function(rec, "start", "stop", "event", "id")
    c = ref["recurrent_pooled"]["curves"]
    np.testing.assert_allclose(r.table.mcf, c["cumhaz"], rtol=RTOL)
    np.testing.assert_allclose(r.table.se, c["std_chaz"], rtol=RTOL)


def test_difference_and_confidence_intervals(ref):
    r = fit("recurrent")
    d = r.difference([90, 365]).set_index("time")
    a = ref["recurrent"]["at"]
    h = {(g, t): (v, s) for g, t, v, s in zip(a["group"], a["time"], a["cumhaz"], a["std_chaz"])}
    (h1, s1), (h0, s0) = h[("1", 365)], h[("0", 365)]
    assert d.loc[365, "difference"] == pytest.approx(h1 - h0, rel=RTOL)
    assert d.loc[365, "se"] == pytest.approx(np.sqrt(s1**2 + s0**2), rel=RTOL)
    assert d.loc[365, "ci_upper"] == pytest.approx(h1 - h0 + 1.959963984540054 * np.sqrt(s1**2 + s0**2), rel=RTOL)
    row = r.table.iloc[100]
    assert row.ci_lower == pytest.approx(row.mcf * np.exp(-1.959963984540054 * row.se / row.mcf), rel=1e-12)


def test_hand_worked_two_people():
    # A: events at 2 and 5, followed to 6; B: no event, followed to 4.
    d = pd.DataFrame({"pid": ["A", "A", "A", "B"], "start": [0, 2, 5, 0], "stop": [2, 5, 6, 4], "ev": [1, 1, 0, 0]})
    r = mean_cumulative_function(d, "start", "stop", "ev", "pid")
    t = r.table.set_index("time")
    assert t.loc[2, "mcf"] == pytest.approx(0.5)      # 1 event / 2 at risk
    assert t.loc[5, "mcf"] == pytest.approx(1.5)      # + 1 event / 1 at risk
    # influence at 2: A (1 - 1/2)/2 = 1/4, B -(1/2)/2 = -1/4 -> var 1/8
    assert t.loc[2, "se"] == pytest.approx(np.sqrt(1 / 8))


def test_bad_rows_are_named():
    d = pd.DataFrame({"pid": ["A", "A"], "start": [0, 3], "stop": [4, 6], "ev": [1, 0]})
    with pytest.raises(ValueError, match="overlapping intervals"):
        mean_cumulative_function(d, "start", "stop", "ev", "pid")
    d = pd.DataFrame({"pid": ["A", "B"], "start": [0, 3], "stop": [4, 3], "ev": [1, 0]})
    with pytest.raises(ValueError, match=r"start < stop; row 1 has 3 and 3"):
        mean_cumulative_function(d, "start", "stop", "ev", "pid")


def test_display_and_plot():
    import matplotlib
    matplotlib.use("Agg")
    r = fit("bladder2")
    assert "Mean cumulative function" in r._repr_html_()
    assert len(r.plot().get_lines()) == 2
    assert any("people" in w for w in r.warnings) or r.warnings == ()


def brute_force(d):
    """Nelson-Aalen and the by-person jackknife variance straight from the definitions."""
    times = np.unique(d.stop)
    out = []
    influence = {p: 0.0 for p in d.pid.unique()}
    mcf = 0.0
    for t in times:
        at_risk = d[(d.start < t) & (d.stop >= t)]
        events = d[(d.stop == t) & (d.ev == 1)]
        n, k = len(at_risk), len(events)
        if k:
            mcf += k / n
            for p in at_risk.pid:
                influence[p] += (int(p in set(events.pid)) - k / n) / n
        out.append((t, mcf, np.sqrt(sum(v * v for v in influence.values()))))
    return pd.DataFrame(out, columns=["time", "mcf", "se"])


from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=30, deadline=None)
@given(st.lists(st.lists(st.tuples(st.integers(1, 6), st.integers(0, 1)), min_size=1, max_size=4), min_size=2, max_size=12))
def test_matches_definition_on_random_histories(people):
    rows = []
    for i, gaps in enumerate(people):
        t = 0
        for gap, ev in gaps:
            rows.append((f"p{i}", t, t + gap, ev))
            t += gap
    d = pd.DataFrame(rows, columns=["pid", "start", "stop", "ev"])
    r = mean_cumulative_function(d, "start", "stop", "ev", "pid").table
    b = brute_force(d)
    np.testing.assert_allclose(r.mcf, b.mcf, rtol=1e-10, atol=1e-12)
    # compare variances: where the true variance is 0 (everyone at risk had an event) ours carries
    # rounding of about 1e-17, whose square root would swamp an SE comparison
    np.testing.assert_allclose(r.se ** 2, b.se ** 2, rtol=1e-8, atol=1e-13)
