"""Hand-worked cases, invariances and input errors (no R needed)."""
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reoffend_eval.survival import cox, kaplan_meier, rmst


def test_km_hand_worked():
    # times 1,2,2,3,4 events 1,1,0,1,0: S(1)=4/5, S(2)=4/5*3/4=0.6, S(3)=0.6*1/2=0.3
    d = pd.DataFrame({"t": [1, 2, 2, 3, 4], "e": [1, 1, 0, 1, 0]})
    km = kaplan_meier(d, "t", "e")
    np.testing.assert_allclose(km.table["survival"], [0.8, 0.6, 0.3, 0.3])
    np.testing.assert_allclose(km.table["n_risk"], [5, 4, 2, 1])
    # Greenwood: var(log S(2)) = 1/(5*4) + 1/(4*3)
    np.testing.assert_allclose(km.table["std_err"].iloc[1], 0.6 * np.sqrt(1 / 20 + 1 / 12))
    at = km.at([0.5, 2.5, 10])
    np.testing.assert_allclose(at["survival"], [1.0, 0.6, 0.3])
    np.testing.assert_allclose(at["n_risk"], [5, 2, 0])
    np.testing.assert_allclose(at["n_event"], [0, 2, 1])
    assert km.median.loc[0, "median"] == 3
    r = rmst(d.assign(g=[0, 1, 0, 1, 0]), "t", "e", "g", tau=3)
    # group 0: times 1(e),2(c),4(c): S=2/3 from t=1; area to 3 = 1 + 2*(2/3)
    np.testing.assert_allclose(r.table.loc[0, "rmst"], 1 + 2 * 2 / 3)


def test_cox_two_subject_hand_worked():
    # one event at t=1 among x=1 (event) and x=0: L(b) = e^b / (e^b + 1) has no maximum -> infinite
    d = pd.DataFrame({"t": [1, 2, 3, 4], "e": [1, 1, 0, 0], "x": [1.0, 1.0, 0.0, 0.0]})
    fit = cox(d, "x", "t", "e")
    assert any("infinite" in w for w in fit.warnings)
    assert any("fewer than 30" in w for w in fit.warnings)


def test_cox_breslow_single_covariate_hand_worked():
    # events at t=1 (x=1) and t=2 (x=0); at risk {1,0,0}, then {0,0}: score at 0 = (1 - 1/3) + (0 - 0) = 2/3
    d = pd.DataFrame({"t": [1, 2, 3], "e": [1, 1, 0], "x": [1.0, 0.0, 0.0]})
    fit = cox(d, "x", "t", "e", ties="breslow")
    # MLE solves e^b / (e^b + 2) = 1  -> no finite root; instead check the null log-likelihood
    np.testing.assert_allclose(fit.loglik_null, -np.log(3) - np.log(2))


@st.composite
def survival_frames(draw):
    n = draw(st.integers(12, 40))
    t = draw(st.lists(st.integers(1, 15), min_size=n, max_size=n))
    e = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))
    x = draw(st.lists(st.floats(-2, 2, allow_nan=False, width=32), min_size=n, max_size=n))
    k = draw(st.lists(st.integers(1, 3), min_size=n, max_size=n))
    return pd.DataFrame({"t": t, "e": e, "x": x, "k": k, "id": range(n)})


@settings(max_examples=10, deadline=None)
@given(survival_frames())
def test_integer_weights_equal_duplicated_rows(frame):
    if frame["e"].sum() < 3 or frame["x"].nunique() < 3:
        return
    # Breslow only: Efron's tie correction counts rows (in R too), so weights are not copies there
    weighted = cox(frame, "x", "t", "e", weights="k", robust=False, ties="breslow")
    copies = frame.loc[frame.index.repeat(frame["k"])].reset_index(drop=True)
    dup = cox(copies, "x", "t", "e", ties="breslow")
    if not (weighted.converged and dup.converged) or abs(weighted.summary["coef"].iloc[0]) > 5:
        return
    np.testing.assert_allclose(weighted.summary["coef"], dup.summary["coef"], rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(weighted.loglik, dup.loglik, rtol=1e-9)
    np.testing.assert_allclose(weighted.summary["se"], dup.summary["se"], rtol=1e-6)
    km_w = kaplan_meier(frame, "t", "e", weights="k")
    km_d = kaplan_meier(copies, "t", "e")
    np.testing.assert_allclose(km_w.table["survival"], km_d.table["survival"], rtol=1e-12)
    np.testing.assert_allclose(km_w.table["std_err"], km_d.table["std_err"], rtol=1e-9)


@settings(max_examples=10, deadline=None)
@given(survival_frames())
def test_entry_zero_and_one_stratum_change_nothing(frame):
    if frame["e"].sum() < 3 or frame["x"].nunique() < 3:
        return
    base = cox(frame, "x", "t", "e", robust=True)
    entry = cox(frame.assign(start=0.0, s="a"), "x", "t", "e", entry="start", strata="s", robust=True)
    np.testing.assert_allclose(entry.summary[["coef", "se", "robust_se"]], base.summary[["coef", "se", "robust_se"]],
                               rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(entry.concordance, base.concordance, rtol=1e-12)


@settings(max_examples=10, deadline=None)
@given(survival_frames())
def test_split_intervals_give_the_same_fit(frame):
    """Cutting each row's (0, t] at a day it survives leaves a counting-process Cox fit unchanged."""
    if frame["e"].sum() < 3 or frame["x"].nunique() < 3:
        return
    long = frame[frame["t"] > 1]
    first = long.assign(start=0.0, stop=1.0, e=0)
    second = long.assign(start=1.0, stop=long["t"].astype(float))
    rest = frame[frame["t"] <= 1]
    rest = rest.assign(start=0.0, stop=rest["t"].astype(float))
    split = pd.concat([first, second, rest], ignore_index=True)
    a = cox(frame, "x", "t", "e", cluster="id")
    if a.warnings and any("infinite" in w for w in a.warnings):
        return
    b = cox(split, "x", "stop", "e", entry="start", cluster="id")
    np.testing.assert_allclose(b.summary[["coef", "se", "robust_se"]], a.summary[["coef", "se", "robust_se"]],
                               rtol=1e-8, atol=1e-12)


def test_synthetic_known_hazard_ratio():
    rng = np.random.default_rng(3)
    n = 20000
    x = rng.integers(0, 2, n)
    z = rng.normal(size=n)
    true = np.array([np.log(0.7), 0.4])
    t = rng.exponential(1 / (0.002 * np.exp(true[0] * x + true[1] * z)))
    c = rng.uniform(0, 600, n)
    d = pd.DataFrame({"t": np.ceil(np.minimum(t, c)), "e": (t <= c).astype(int), "x": x, "z": z})
    fit = cox(d, "x + z", "t", "e", robust=True)
    s = fit.summary
    assert (np.abs(s["coef"] - true) < 4 * s["robust_se"]).all()


def test_errors_name_column_and_row():
    d = pd.DataFrame({"t": [1.0, 2.0, np.nan], "e": [1, 0, 1], "x": [0.0, 1.0, 2.0]})
    with pytest.raises(ValueError, match="'t'.*row 2"):
        cox(d, "x", "t", "e")
    d = pd.DataFrame({"t": [1.0, 2.0, 3.0], "e": [1, 2, 1], "x": [0.0, 1.0, 2.0]})
    with pytest.raises(ValueError, match="event column 'e'.*row 1"):
        kaplan_meier(d, "t", "e")
    with pytest.raises(ValueError, match="not in the data"):
        cox(d.assign(e=1), "x", "days", "e")
    with pytest.raises(ValueError, match="weights.*row 0"):
        cox(d.assign(e=1, w=[-1.0, 1, 1]), "x", "t", "e", weights="w")
    with pytest.raises(ValueError, match="entry must be before"):
        cox(d.assign(e=1, s=[0.0, 2.0, 1.0]), "x", "t", "e", entry="s")
    with pytest.raises(ValueError, match="right-hand side"):
        cox(d.assign(e=1), "t ~ x", "t", "e")
    with pytest.raises(ValueError, match="conf_type"):
        kaplan_meier(d.assign(e=1), "t", "e", conf_type="logit")


def test_displays_and_plots(cohort):
    import matplotlib

    matplotlib.use("Agg")
    fit = cox(cohort, "group + age", "time", "event", cluster="id")
    assert "hazard" in fit._repr_html_().lower() and "<table" in fit._repr_html_()
    fit.plot()
    km = kaplan_meier(cohort, "time", "event", group="group")
    assert "log-rank" in km._repr_html_()
    km.plot()
    r = rmst(cohort, "time", "event", "group", tau=365)
    assert "RMST" in r._repr_html_()
    r.plot()
    import matplotlib.pyplot as plt

    plt.close("all")
