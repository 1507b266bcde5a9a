"""Small cases worked by hand, brute-force cross-checks on random data, and the house rules (errors, no mutation)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from reoffend_eval.matching import MatchResult, WeightResult, balance, match, weight


def scored(treated_scores, control_scores, **extra) -> pd.DataFrame:
    """Rows: treated first then controls, index t1.. / c1.., a user-supplied score column and a covariate."""
    index = [f"t{i + 1}" for i in range(len(treated_scores))] + [f"c{i + 1}" for i in range(len(control_scores))]
    data = pd.DataFrame({"treated": [1] * len(treated_scores) + [0] * len(control_scores),
                         "score": list(treated_scores) + list(control_scores)}, index=index)
    data["x"] = np.arange(len(data), dtype=float) % 3
    for name, values in extra.items():
        data[name] = values
    return data


def pairs(result: MatchResult) -> dict:
    return {t: list(row.dropna()) for t, row in result.match_matrix.iterrows()}


def test_three_treated_five_controls_largest_first():
    data = scored([0.9, 0.5, 0.3], [0.85, 0.6, 0.45, 0.2, 0.1])
    m = match(data, "treated ~ x", distance="score")
    assert pairs(m) == {"t1": ["c1"], "t2": ["c3"], "t3": ["c4"]}
    assert m.counts.loc["matched"].tolist() == [3, 3]
    assert sorted(m.data.index) == ["c1", "c3", "c4", "t1", "t2", "t3"]
    assert m.all_data.loc["t2", "subclass"] == m.all_data.loc["c3", "subclass"] == 2


def test_matching_order_changes_greedy_result():
    data = scored([0.5, 0.4], [0.45, 0.1, 0.95])
    assert pairs(match(data, "treated ~ x", distance="score")) == {"t1": ["c1"], "t2": ["c2"]}
    assert pairs(match(data, "treated ~ x", distance="score", m_order="smallest")) == {"t1": ["c2"], "t2": ["c1"]}
    assert pairs(match(data, "treated ~ x", distance="score", m_order="data")) == {"t1": ["c1"], "t2": ["c2"]}


def test_raw_caliper_leaves_far_treated_unmatched():
    data = scored([0.9, 0.5, 0.3], [0.85, 0.6, 0.45, 0.2, 0.1])
    m = match(data, "treated ~ x", distance="score", caliper=0.06, std_caliper=False)
    assert pairs(m) == {"t1": ["c1"], "t2": ["c3"], "t3": []}
    assert m.counts.loc["unmatched", "treated"] == 1
    assert m.all_data.loc["t3", "weights"] == 0
    assert any("unmatched or discarded" in w for w in m.warnings)


def test_standardised_caliper_uses_sd_over_all_units():
    data = scored([0.9, 0.5, 0.3], [0.85, 0.6, 0.45, 0.2, 0.1])
    m = match(data, "treated ~ x", distance="score", caliper=0.25)
    assert m.caliper == pytest.approx(0.25 * np.std(data["score"], ddof=1))


def test_exact_tie_left_wins_at_equal_position_distance():
    data = scored([0.5], [0.25, 0.75])  # |0.5 - 0.25| == |0.75 - 0.5| exactly
    assert pairs(match(data, "treated ~ x", distance="score")) == {"t1": ["c1"]}


def test_exact_tie_right_wins_when_left_is_further_in_sorted_order():
    # sorted (stable, ties in row order): c1 (0.25), t2 (0.25), t1 (0.5), c2 (0.75); for t1, matched first,
    # both controls are 0.25 away but the left one is 2 positions away and the right one 1
    data = pd.DataFrame({"treated": [0, 1, 1, 0], "score": [0.25, 0.25, 0.5, 0.75], "x": [0.0, 1, 2, 0]},
                        index=["c1", "t2", "t1", "c2"])
    assert pairs(match(data, "treated ~ x", distance="score")) == {"t2": ["c1"], "t1": ["c2"]}


def test_ratio_two_matches_in_rounds():
    data = scored([0.8, 0.7], [0.75, 0.72, 0.5, 0.95])
    m = match(data, "treated ~ x", distance="score", ratio=2)
    assert pairs(m) == {"t1": ["c1", "c4"], "t2": ["c2", "c3"]}
    assert (m.data["weights"] == 1).all()
    assert m.all_data.loc[["t1", "c1", "c4"], "subclass"].tolist() == [1, 1, 1]


def test_with_replacement_weights_rescaled():
    data = scored([0.5, 0.52, 0.15], [0.51, 0.1])
    m = match(data, "treated ~ x", distance="score", replace=True)
    assert pairs(m) == {"t1": ["c1"], "t2": ["c1"], "t3": ["c2"]}
    assert m.all_data.loc["c1", "weights"] == pytest.approx(4 / 3)
    assert m.all_data.loc["c2", "weights"] == pytest.approx(2 / 3)
    assert m.counts.loc["matched_ess", "control"] == pytest.approx(1.8)
    assert m.data["subclass"].isna().all()


def test_exact_option_restricts_candidates():
    data = scored([0.5], [0.5, 0.7], sex=["M", "F", "M"])
    assert pairs(match(data, "treated ~ x", distance="score", exact="sex")) == {"t1": ["c2"]}
    assert pairs(match(data, "treated ~ x", distance="score")) == {"t1": ["c1"]}


def test_exact_method_stratum_weights():
    data = pd.DataFrame({"treated": [0, 1, 0, 1, 1, 0, 1],
                         "group": ["A", "A", "A", "B", "B", "B", "C"]},
                        index=list("abcdefg"))
    m = match(data, "treated ~ group", method="exact")
    # A: 1 treated, 2 controls -> controls 1/2; B: 2 treated, 1 control -> 2; C has no control
    assert m.all_data["weights"].tolist() == [0.5, 1, 0.5, 1, 1, 2, 0]
    assert m.all_data["subclass"].tolist()[:6] == [1, 1, 1, 2, 2, 2]
    assert pd.isna(m.all_data.loc["g", "subclass"])
    assert m.match_matrix is None
    assert m.counts.loc["unmatched", "treated"] == 1


def test_balance_statistics_by_hand():
    data = pd.DataFrame({"treated": [1, 1, 1, 0, 0], "x": [1.0, 2, 3, 2, 4], "b": [1, 0, 1, 0, 1]})
    tab = balance(data, "treated", ["x", "b"])
    x = tab.loc["x"]
    assert x["mean_treated_before"] == 2 and x["mean_control_before"] == 3
    assert x["smd_before"] == pytest.approx(-1.0)  # treated SD = 1
    assert x["var_ratio_before"] == pytest.approx(0.5)  # 1 / 2
    # eCDFs at 1,2,3,4: treated 1/3, 2/3, 1, 1; control 0, 1/2, 1/2, 1
    assert x["ecdf_mean_before"] == pytest.approx((1 / 3 + 1 / 6 + 1 / 2 + 0) / 4)
    assert x["ecdf_max_before"] == pytest.approx(0.5)
    b = tab.loc["b"]
    p = 2 / 3
    assert b["smd_before"] == pytest.approx((p - 0.5) / np.sqrt(p * (1 - p)))
    assert np.isnan(b["var_ratio_before"])
    assert b["ecdf_mean_before"] == b["ecdf_max_before"] == pytest.approx(p - 0.5)
    assert tab["smd_after"].isna().all()  # no weights given
    weighted = balance(data, "treated", ["x"], weights=[1, 1, 1, 3, 1])
    assert weighted.loc["x", "mean_control_after"] == pytest.approx(2.5)
    assert weighted.loc["x", "smd_after"] == pytest.approx(-0.5)  # same denominator as before


def _brute_force_greedy(score, treated, caliper=np.inf):
    """The README's rule written the slow, obvious way: positions in a stable sort, alternating walk."""
    order = np.argsort(score, kind="stable")
    pos = np.empty(len(score), dtype=int)
    pos[order] = np.arange(len(score))
    available = ~treated.copy()
    result = {}
    for t in np.flatnonzero(treated)[np.argsort(-score[treated], kind="stable")]:
        best = None
        for c in np.flatnonzero(available):
            key = (abs(score[t] - score[c]), abs(pos[t] - pos[c]), 0 if pos[c] < pos[t] else 1)
            if key[0] <= caliper and (best is None or key < best[0]):
                best = (key, c)
        if best is not None:
            result[t] = best[1]
            available[best[1]] = False
    return result


@pytest.mark.parametrize("seed", range(4))
def test_greedy_agrees_with_brute_force_on_random_tied_scores(seed):
    rng = np.random.default_rng(seed)
    n = 300
    treated = rng.random(n) < 0.3
    score = rng.integers(0, 40, n) / 40.0  # many exact ties
    data = pd.DataFrame({"treated": treated.astype(int), "score": score, "x": rng.normal(size=n)})
    caliper = 0.03 if seed % 2 else None
    m = match(data, "treated ~ x", distance="score", caliper=caliper, std_caliper=False)
    expected = _brute_force_greedy(score, treated, np.inf if caliper is None else caliper)
    got = {int(t): int(c) for t, c in m.match_matrix["control_1"].dropna().items()}
    assert got == expected


def test_mahalanobis_agrees_with_brute_force():
    rng = np.random.default_rng(7)
    n = 200
    data = pd.DataFrame({"treated": (rng.random(n) < 0.3).astype(int), "a": rng.normal(size=n),
                         "b": rng.normal(size=n) * 3})
    m = match(data, "treated ~ a + b", distance="mahalanobis")
    t = data["treated"].to_numpy() == 1
    x = data[["a", "b"]].to_numpy()
    centred = x.copy()
    for g in (True, False):
        centred[t == g] -= x[t == g].mean(axis=0)
    inverse = np.linalg.inv(centred.T @ centred / (n - 2))
    available = ~t
    for row in np.flatnonzero(t):  # m_order "largest" falls back to data order without a score
        d = x[available] - x[row]
        dist = np.einsum("ij,jk,ik->i", d, inverse, d)
        best = np.flatnonzero(available)[np.argmin(dist)]
        assert m.match_matrix.loc[row, "control_1"] == best
        available[best] = False


def test_logit_on_bool_treatment_equals_int(cohort):
    small = cohort.iloc[:3000]
    as_bool = small.assign(treated=small["treated"] == 1)
    a = match(small, "treated ~ age + sex + prior_offences", caliper=0.2)
    b = match(as_bool, "treated ~ age + sex + prior_offences", caliper=0.2)
    pd.testing.assert_frame_equal(a.match_matrix, b.match_matrix)
    pd.testing.assert_frame_equal(a.balance, b.balance)


def test_inputs_are_not_mutated(cohort):
    small = cohort.iloc[:2000].copy()
    before = small.copy()
    match(small, "treated ~ age + sex + risk_level", caliper=0.2, exact="sex")
    match(small, "treated ~ sex + risk_level", method="cem")
    weight(small, "treated ~ age + sex", estimand="ATE")
    balance(small, "treated", ["age", "sex"], weights=np.ones(len(small)))
    pd.testing.assert_frame_equal(small, before)


def test_random_order_is_seeded():
    data = scored([0.5, 0.5, 0.5], [0.4, 0.6, 0.5, 0.45])
    a = match(data, "treated ~ x", distance="score", m_order="random", random_state=3)
    b = match(data, "treated ~ x", distance="score", m_order="random", random_state=3)
    pd.testing.assert_frame_equal(a.match_matrix, b.match_matrix)


def test_discard_treated_outside_control_range():
    data = scored([0.9, 0.58], [0.4, 0.6, 0.7])
    m = match(data, "treated ~ x", distance="score", discard="treated")
    assert m.all_data.loc["t1", "discarded"]
    assert m.counts.loc["discarded", "treated"] == 1
    assert pairs(m) == {"t1": [], "t2": ["c2"]}


def test_warnings_small_sample_and_overlap():
    data = scored([0.9, 0.5, 0.3], [0.85, 0.6, 0.45, 0.2, 0.1])
    m = match(data.assign(score=[0.99, 0.5, 0.3, 0.85, 0.6, 0.45, 0.2, 0.1]), "treated ~ x", distance="score")
    assert any("fewer than 60" in w for w in m.warnings)
    assert any("poor overlap" in w for w in m.warnings)


def test_display_and_plots(cohort):
    import matplotlib

    matplotlib.use("Agg")
    small = cohort.iloc[:3000]
    m = match(small, "treated ~ age + sex + prior_offences")
    assert "smd_after" in m._repr_html_() and "Sample sizes" in str(m.summary())
    assert m.plot_balance() is not None and m.plot_distance() is not None
    w = weight(small, "treated ~ age + sex + prior_offences")
    assert isinstance(w, WeightResult) and "weighted_ess" in w._repr_html_()
    assert w.plot_balance() is not None and w.plot_distance() is not None


@pytest.mark.parametrize(
    ("change", "options", "message"),
    [
        (lambda d: d.assign(treated=[2] + [0] * 7), {}, "row 't1' has 2"),
        (lambda d: d.assign(treated=["yes"] * 8), {}, "must hold 0/1"),
        (lambda d: d.assign(x=[np.nan] + [1.0] * 7), {}, "column 'x' has 1 missing value(s) (first at row 't1')"),
        (lambda d: d, {"caliper": 0}, "caliper must be a positive number"),
        (lambda d: d, {"caliper": -0.2}, "caliper must be a positive number"),
        (lambda d: d, {"ratio": 0}, "ratio must be a whole number >= 1"),
        (lambda d: d, {"ratio": 1.5}, "ratio must be a whole number >= 1"),
        (lambda d: d.assign(treated=1), {}, "there are no control units"),
        (lambda d: d.assign(treated=0), {}, "there are no treated units"),
        (lambda d: d, {"method": "optimal"}, "method must be one of"),
        (lambda d: d, {"distance": "nonsense"}, "neither 'logit', 'mahalanobis' nor a column"),
        (lambda d: d.assign(weights=1.0), {}, "rename them first"),
        (lambda d: d, {"m_order": "biggest"}, "m_order must be"),
        (lambda d: d, {"estimand": "ATE"}, "supports estimand='ATT' only"),
        (lambda d: d.set_axis(["a"] * 8), {}, "row label 'a' appears more than once"),
    ],
)
def test_bad_input_gets_a_clear_error(change, options, message):
    data = change(scored([0.9, 0.5, 0.3], [0.85, 0.6, 0.45, 0.2, 0.1]))
    options = {"distance": "score", **options}
    with pytest.raises(ValueError) as info:
        match(data, "treated ~ x", **options)
    assert message in str(info.value)


def test_formula_errors():
    data = scored([0.9], [0.85])
    with pytest.raises(ValueError, match="needs the treatment on the left"):
        match(data, "x", distance="score")
    with pytest.raises(ValueError, match="not in the data"):
        match(data, "group ~ x", distance="score")
    with pytest.raises(ValueError, match="not in the data"):
        match(data, "treated ~ age", distance="score")
    with pytest.raises(ValueError, match="trim must be"):
        weight(data, "treated ~ x", trim=2)
    with pytest.raises(ValueError, match="weights must be finite"):
        balance(data, "treated", ["x"], weights=[1.0, -1.0])


def test_imbalance_warning_names_the_terms(spec_results):
    data = scored([0.9, 0.5, 0.3], [0.85, 0.6, 0.45, 0.2, 0.1])
    data["x"] = [5.0, 6.0, 7.0, 0.0, 1.0, 0.0, 1.0, 0.0]
    m = match(data, "treated ~ x", distance="score")
    assert any(w.startswith("imbalance remains") and "x" in w for w in m.warnings)
    reference, _ = spec_results("a")  # MatchIt's spec a balances every term to |SMD| < 0.1
    assert not any(w.startswith("imbalance remains") for w in reference.warnings)
    assert not any("fewer than 60" in w or "unmatched" in w for w in reference.warnings)
