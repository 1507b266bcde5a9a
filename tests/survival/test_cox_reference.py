"""Cox models against R survival 3.5-3 (tests/fixtures/survival/survival.R)."""
import numpy as np
import pytest

from reoffend_eval.survival import cox

from .conftest import close, load_json

TERMS = ["group", "age", "prior_offences"]


def vals(d, names=TERMS):
    return [d[n] for n in names]


def check_model(fit, ref, terms, robust=True):
    s = fit.summary.loc[terms]
    close(s["coef"], vals(ref["coef"], terms))
    close(s["hr"], vals(ref["hr"], terms))
    close(s["se"], vals(ref["se_naive"], terms))
    close(fit.loglik, ref["loglik"])
    close(fit.loglik_null, ref["loglik_null"])
    close(fit.vcov_naive.loc[terms, terms].to_numpy(), [[ref["vcov_naive"][a][b] for b in terms] for a in terms])
    if robust:
        close(s["robust_se"], vals(ref["se_robust"], terms))
        close(s["z"], vals(ref["z_robust"], terms))
        close(s["p"], vals(ref["p_robust"], terms))
        close(s["ci_lower"], vals(ref["ci95_hr_robust"]["lower"], terms))
        close(s["ci_upper"], vals(ref["ci95_hr_robust"]["upper"], terms))
        close(fit.vcov.loc[terms, terms].to_numpy(), [[ref["vcov_robust"][a][b] for b in terms] for a in terms])
    else:
        close(s["z"], vals(ref["z_naive"], terms))
        close(s["p"], vals(ref["p_naive"], terms))
        close(s["ci_lower"], vals(ref["ci95_hr_naive"]["lower"], terms))
        close(s["ci_upper"], vals(ref["ci95_hr_naive"]["upper"], terms))
    c = ref["concordance"]
    close(fit.concordance, c["C"])
    close(fit.concordance_se, c["se"])
    cc = fit.concordance_counts
    close([cc.concordant, cc.discordant, cc.tied_x, cc.tied_y], [c["concordant"], c["discordant"], c["tied_x"], c["tied_y"]])
    np.testing.assert_allclose(cc.tied_xy, c["tied_xy"], atol=1e-8)
    close(fit.lr_test["chisq"], ref["lr_test"]["stat"])
    assert fit.n == ref["n"] and fit.n_events == ref["nevent"]
    assert fit.iterations == ref["iter"]


def test_cox_efron_robust(cohort):
    ref = load_json("coxph_efron.json")
    fit = cox(cohort, "group + age + prior_offences", "time", "event", robust=True)
    check_model(fit, ref, TERMS)


def test_cox_efron_naive_matches_model_based(cohort):
    ref = load_json("coxph_efron.json")
    fit = cox(cohort, "group + age + prior_offences", "time", "event")
    assert not fit.robust and fit.summary["robust_se"].isna().all()
    check_model(fit, ref, TERMS, robust=False)


def test_cox_att_weighted_robust(cohort):
    ref = load_json("coxph_efron_att_weighted.json")
    data = cohort.assign(w=ref["weights"]["w"])
    assert list(data["id"]) == ref["weights"]["id"]
    fit = cox(data, "group + age + prior_offences", "time", "event", weights="w")
    assert fit.robust  # weights imply sandwich SEs
    check_model(fit, ref, TERMS)


@pytest.mark.parametrize("transform", ["km", "identity"])
def test_cox_zph(cohort, transform):
    ref = load_json("coxph_efron.json")["cox_zph"][transform]["table"]
    fit = cox(cohort, "group + age + prior_offences", "time", "event")
    table = fit.ph_test(transform)
    assert list(table.index) == TERMS + ["GLOBAL"]
    for term in table.index:
        close(table.loc[term, ["chisq", "df", "p"]].to_numpy(float),
              [ref[term]["chisq"], ref[term]["df"], ref[term]["p"]])


def test_ph_failure_is_flagged(cohort):
    fit = cox(cohort, "group + age + prior_offences", "time", "event")
    assert any("proportional-hazards" in w for w in fit.warnings)


def test_basehaz(cohort):
    ref = load_json("coxph_efron.json")["baseline_cumhaz_uncentered_at"]
    fit = cox(cohort, "group + age + prior_offences", "time", "event")
    bh = fit.baseline_hazard()
    got = [bh.loc[bh["time"] <= float(t), "cumhaz"].iloc[-1] for t in ref]
    close(got, list(ref.values()))


@pytest.mark.parametrize("model", ["andersen_gill", "pwp_gap_time", "extra_pwp_total_time"])
def test_recurrent_models_via_cox(recurrent, model):
    ref = load_json("recurrent_ag_pwp.json")[model]
    rec = recurrent.assign(gap=recurrent["stop"] - recurrent["start"])
    if model == "andersen_gill":
        fit = cox(rec, "group + age", "stop", "event", entry="start", cluster="id")
    elif model == "pwp_gap_time":
        fit = cox(rec, "group + age", "gap", "event", strata="enum", cluster="id")
    else:
        fit = cox(rec, "group + age", "stop", "event", entry="start", strata="enum", cluster="id")
    check_model(fit, ref, ["group", "age"])


@pytest.mark.parametrize("model", ["andersen_gill", "extra_pwp_total_time"])
def test_concordance_tree_path_matches_r(recurrent, model, monkeypatch):
    """Large data use a Fenwick tree instead of dense tables: force it on a small case."""
    from reoffend_eval.survival import _concordance

    monkeypatch.setattr(_concordance, "DENSE_CELLS", 0)
    ref = load_json("recurrent_ag_pwp.json")[model]
    strata = "enum" if model != "andersen_gill" else None
    fit = cox(recurrent, "group + age", "stop", "event", entry="start", strata=strata, cluster="id")
    c = ref["concordance"]
    close([fit.concordance, fit.concordance_se], [c["C"], c["se"]])
    cc = fit.concordance_counts
    close([cc.concordant, cc.discordant, cc.tied_x, cc.tied_y], [c["concordant"], c["discordant"], c["tied_x"], c["tied_y"]])


def test_concordance_tree_path_weighted(cohort, monkeypatch):
    from reoffend_eval.survival import _concordance

    monkeypatch.setattr(_concordance, "DENSE_CELLS", 0)
    ref = load_json("coxph_efron_att_weighted.json")
    fit = cox(cohort.assign(w=ref["weights"]["w"]), "group + age + prior_offences", "time", "event", weights="w")
    close([fit.concordance, fit.concordance_se], [ref["concordance"]["C"], ref["concordance"]["se"]])
