"""Risk difference against MatchIt 4.7.2 + sandwich + lmtest (shared references, copied into fixtures)."""
import numpy as np
import pandas as pd
import pytest

from reoffend_eval.effects import risk_difference

from effects_helpers import FakeWeights, match_data

RTOL = 1e-6
PAIRS = [("estimate", "estimate"), ("se", "se"), ("statistic", "t"), ("p", "p"), ("df", "df"),
         ("ci_lower", "ci95_lower"), ("ci_upper", "ci95_upper")]


def check(row, ref):
    for ours, theirs in PAIRS:
        assert row[ours] == pytest.approx(ref[theirs], rel=RTOL), (ours, row[ours], ref[theirs])


@pytest.mark.parametrize("spec", list("abcefg"))
def test_without_replacement_clusters_by_subclass(matching_rows, att, spec):
    r = risk_difference(match_data(matching_rows, spec), "reoffended")
    check(r.table.loc["risk_difference"], att[spec]["primary"])
    assert "subclass" in r.table.loc["risk_difference", "method"]
    assert r.table.loc["risk_difference", "n"] == att[spec]["n_rows_match_data"]


@pytest.mark.parametrize("spec", list("abcefg"))
def test_hc3_and_model_alternatives(matching_rows, att, spec):
    m = match_data(matching_rows, spec)
    check(risk_difference(m, "reoffended", variance="HC3").table.iloc[0], att[spec]["alt_HC3"])
    check(risk_difference(m, "reoffended", variance="model").table.iloc[0], att[spec]["alt_ols"])


def test_with_replacement_defaults_to_hc3(matching_rows, att):
    r = risk_difference(match_data(matching_rows, "d", replace=True), "reoffended")
    check(r.table.iloc[0], att["d"]["primary"])
    assert "HC3" in r.variance


def test_with_replacement_two_way_cluster_on_get_matches_rows(matching_rows, att):
    # get_matches(m): one row per pair member, controls repeated; cluster by pair and by unit
    outcome = matching_rows.set_index("id")[["treated", "reoffended"]]
    recs = []
    for pair, (treated_id, controls) in enumerate(att["d_match_matrix"].items(), start=1):
        recs.append((treated_id, pair, 1.0))
        recs.extend((c, pair, 0.5) for c in controls)
    gm = pd.DataFrame(recs, columns=["unit_id", "subclass", "weights"]).join(outcome, on="unit_id")
    r = risk_difference(gm, "reoffended", treatment="treated", weights="weights", cluster=["subclass", "unit_id"])
    ref = att["d"]["alt_get_matches_twoway_cluster"]
    check(r.table.iloc[0], ref)
    assert r.table.iloc[0]["n"] == ref["n_rows_get_matches"]


@pytest.mark.parametrize("estimand", ["ATT", "ATE"])
def test_iptw_weights_use_hc0(matching_rows, att, estimand):
    w = FakeWeights(data=matching_rows[["treated", "reoffended"]].assign(weights=matching_rows[f"w_{estimand.lower()}"]),
                    treatment="treated", estimand=estimand)
    check(risk_difference(w, "reoffended").table.iloc[0], att["iptw_hc0"][estimand])


def test_dataframe_form_equals_match_form(matching_rows):
    m = match_data(matching_rows, "a")
    a = risk_difference(m, "reoffended").table
    b = risk_difference(m.data, "reoffended", treatment="treated", weights="weights", cluster="subclass").table
    pd.testing.assert_frame_equal(a.drop(columns="method"), b.drop(columns="method"))


def test_groups_are_the_weighted_proportions(matching_rows):
    m = match_data(matching_rows, "f")
    r = risk_difference(m, "reoffended")
    d = m.data
    for g in (0, 1):
        s = d[d.treated == g]
        assert r.groups.loc[g, "proportion"] == pytest.approx(np.average(s.reoffended, weights=s.weights), rel=1e-12)
    assert r.estimate == pytest.approx(r.groups.loc[1, "proportion"] - r.groups.loc[0, "proportion"], rel=1e-10)
