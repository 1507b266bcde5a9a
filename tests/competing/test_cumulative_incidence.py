"""cumulative_incidence against cmprsk::cuminc / timepoints (shared reference and own R fixtures)."""
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from reoffend_eval.survival.cumulative_incidence import cumulative_incidence

RTOL = 1e-6


def check_curves(result, curves, parse):
    """Every step of cmprsk's curves: after-jump values (time, est, var), and the final row."""
    for key, ref in curves.items():
        group, cause = parse(key)
        ours = result.table[(result.table.group == group) & (result.table.cause == cause)]
        t, e, v = (np.array(ref[k], float) for k in ("time", "est", "var"))
        jumps = slice(2, len(t) - 1, 2)  # cmprsk: (0, 0), then (t, before), (t, after) per jump, then the end
        n_jumps = len(t[jumps])
        np.testing.assert_array_equal(ours.time.to_numpy()[1:n_jumps + 1], t[jumps])
        np.testing.assert_allclose(ours.cif.to_numpy()[1:n_jumps + 1], e[jumps], rtol=RTOL)
        np.testing.assert_allclose(ours.variance.to_numpy()[1:n_jumps + 1], v[jumps], rtol=RTOL)
        last = ours.iloc[-1]
        assert last.time == t[-1] and last.cif == pytest.approx(e[-1], rel=RTOL)


def test_cohort_every_step(cohort, cuminc_ref):
    r = cumulative_incidence(cohort, "time", "cause", group="group")
    check_curves(r, cuminc_ref["cif_full"], lambda k: tuple(map(int, k.split())))


def test_cohort_timepoints(cohort, cuminc_ref):
    r = cumulative_incidence(cohort, "time", "cause", group="group")
    at = r.at(cuminc_ref["times"]).set_index(["group", "cause", "time"])
    for key, ref in cuminc_ref["cif_at_times"].items():
        g, c = map(int, key.split())
        for t in cuminc_ref["times"]:
            assert at.loc[(g, c, t), "cif"] == pytest.approx(ref["est"][str(t)], rel=RTOL)
            assert at.loc[(g, c, t), "variance"] == pytest.approx(ref["var"][str(t)], rel=RTOL)


def test_cohort_gray_test(cohort, cuminc_ref):
    r = cumulative_incidence(cohort, "time", "cause", group="group")
    for cause in (1, 2):
        ref = cuminc_ref["gray_test"][f"cause_{cause}"]
        assert r.gray_test.loc[cause, "statistic"] == pytest.approx(ref["stat"], rel=1e-4)
        assert r.gray_test.loc[cause, "p"] == pytest.approx(ref["p"], rel=1e-4)
        assert r.gray_test.loc[cause, "df"] == ref["df"]


def test_mgus2(mgus2, r_cuminc):
    ref = r_cuminc["mgus2"]
    r = cumulative_incidence(mgus2, "etime", "event", group="sex")
    check_curves(r, ref["curves"], lambda k: (k.split()[0], int(k.split()[1])))
    for cause in (1, 2):
        assert r.gray_test.loc[cause, "statistic"] == pytest.approx(ref["gray"][str(cause)]["stat"], rel=1e-6)
    at = r.at(ref["times"]).set_index(["group", "cause", "time"])
    for i, key in enumerate(ref["timepoints"]["rows"]):
        g, c = key.split()
        for j, t in enumerate(ref["times"]):
            est = ref["timepoints"]["est"][i][j]
            if est is None:  # after the group's last follow-up, as timepoints' NA
                assert np.isnan(at.loc[(g, int(c), float(t)), "cif"])
            else:
                assert at.loc[(g, int(c), float(t)), "cif"] == pytest.approx(est, rel=RTOL)
                assert at.loc[(g, int(c), float(t)), "variance"] == pytest.approx(ref["timepoints"]["var"][i][j], rel=RTOL)


def test_three_groups_strata_and_rho(cmprsk_example, r_cuminc):
    r = cumulative_incidence(cmprsk_example, "time", "cause", group="group", strata="strata")
    check_curves(r, r_cuminc["example"]["curves"], lambda k: (k.split()[0], int(k.split()[1])))
    for name, kw in [("example", {"strata": "strata"}), ("example_rho1", {"strata": "strata", "rho": 1.0}),
                     ("example_nostrata", {})]:
        r = cumulative_incidence(cmprsk_example, "time", "cause", group="group", **kw)
        for cause, ref in r_cuminc[name]["gray"].items():
            assert r.gray_test.loc[int(cause), "statistic"] == pytest.approx(ref["stat"], rel=1e-6), name
            assert r.gray_test.loc[int(cause), "df"] == 2


def test_confidence_interval_is_log_minus_log(cohort):
    r = cumulative_incidence(cohort, "time", "cause", group="group")
    row = r.table.iloc[50]
    f, sd = row.cif, np.sqrt(row.variance)
    # hand: g = log(-log F), se_g = sd / |F log F|, back-transform g -/+ 1.96 se_g
    g, se = np.log(-np.log(f)), sd / abs(f * np.log(f))
    assert row.ci_lower == pytest.approx(np.exp(-np.exp(g + 1.959963984540054 * se)), rel=1e-10)
    assert row.ci_upper == pytest.approx(np.exp(-np.exp(g - 1.959963984540054 * se)), rel=1e-10)
    assert (r.table.ci_lower <= r.table.cif).all() and (r.table.cif <= r.table.ci_upper).all()


def _km(time, event):
    s, out = 1.0, {}
    for t in np.unique(time):
        at_risk = (time >= t).sum()
        d = ((time == t) & (event == 1)).sum()
        s *= 1 - d / at_risk
        out[t] = s
    return out


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 30), st.integers(0, 2)), min_size=5, max_size=60))
def test_causes_add_up_to_one_minus_kaplan_meier(rows):
    d = pd.DataFrame(rows, columns=["days", "cause"])
    if (d.cause == 0).all():
        return
    r = cumulative_incidence(d, "days", "cause")
    km = _km(d.days.to_numpy(), (d.cause > 0).astype(int).to_numpy())
    times = sorted(km)
    total = r.at(times).groupby("time")["cif"].sum()
    for t in times:
        assert total[t] == pytest.approx(1 - km[t], abs=1e-12)


def test_single_group_has_no_test_and_flags_few_events():
    d = pd.DataFrame({"days": [1, 2, 3, 4, 5, 6], "cause": [1, 0, 2, 1, 0, 1]})
    r = cumulative_incidence(d, "days", "cause")
    assert r.gray_test is None
    assert set(r.table.group) == {"all"}
    assert any("only 3 events" in w for w in r.warnings)
    assert "Cumulative incidence" in r._repr_html_()


def test_bad_input_names_column_and_row():
    d = pd.DataFrame({"days": [1, -2, 3], "cause": [1, 0, 2]})
    with pytest.raises(ValueError, match=r"'days' must be a number >= 0; row 1 has -2"):
        cumulative_incidence(d, "days", "cause")
    d = pd.DataFrame({"days": [1, 2, 3], "cause": [1, 0.5, 2]})
    with pytest.raises(ValueError, match=r"'cause' must be 0 \(censored\) or 1, 2"):
        cumulative_incidence(d, "days", "cause")
    with pytest.raises(ValueError, match="'grp' not in the data"):
        cumulative_incidence(d, "days", "cause", group="grp")


def test_plot_draws_each_curve(cohort):
    import matplotlib
    matplotlib.use("Agg")
    ax = cumulative_incidence(cohort, "time", "cause", group="group").plot()
    assert len(ax.get_lines()) == 4
