"""Andersen–Gill, PWP and Fine–Gray against R survival 3.5-3 and cmprsk 2.2-11."""
import numpy as np
import pandas as pd
import pytest

from reoffend_eval.survival import andersen_gill, fine_gray, pwp

from .conftest import FIXTURES, close, load_json

FG = load_json("fine_gray.json")


def check(fit, ref, terms):
    s = fit.summary.loc[terms]
    close(s["coef"], [ref["coef"][t] for t in terms])
    close(s["se"], [ref["se_naive"][t] for t in terms])
    close(s["robust_se"], [ref["se_robust"][t] for t in terms])
    close(s["ci_lower"], [ref["ci95_hr_robust"]["lower"][t] for t in terms])
    close(s["ci_upper"], [ref["ci95_hr_robust"]["upper"][t] for t in terms])
    close(s["p"], [ref["p_robust"][t] for t in terms])
    close(fit.loglik, ref["loglik"])
    close(fit.concordance, ref["concordance"]["C"])


def test_andersen_gill(recurrent):
    ref = load_json("recurrent_ag_pwp.json")["andersen_gill"]
    check(andersen_gill(recurrent, "group + age", "start", "stop", "event", "id"), ref, ["group", "age"])


def test_pwp_gap_time(recurrent):
    ref = load_json("recurrent_ag_pwp.json")["pwp_gap_time"]
    check(pwp(recurrent, "group + age", "start", "stop", "event", "id", "enum"), ref, ["group", "age"])


def test_pwp_total_time(recurrent):
    ref = load_json("recurrent_ag_pwp.json")["extra_pwp_total_time"]
    fit = pwp(recurrent, "group + age", "start", "stop", "event", "id", "enum", time_scale="total")
    check(fit, ref, ["group", "age"])


@pytest.mark.parametrize("key,cause", [("crr_cause1", 1), ("extra_crr_cause2", 2)])
def test_fine_gray_matches_crr(cohort, key, cause):
    ref = load_json("cuminc_crr.json")[key]
    fit = fine_gray(cohort, "group + age", "time", "cause", cause=cause)
    close(fit.summary["coef"], list(ref["coef"].values()))
    close(fit.summary["hr"], list(ref["shr"].values()))
    close(fit.loglik, ref["loglik"])
    close(fit.loglik_null, ref["loglik_null"])
    assert fit.n == ref["n"]
    close(fit.summary["robust_se"], list(ref["se"].values()))
    close(fit.summary["p"], list(ref["p"].values()))
    close(fit.summary["ci_lower"], list(ref["ci95_shr"]["lower"].values()))
    close(fit.summary["ci_upper"], list(ref["ci95_shr"]["upper"].values()))
    terms = list(ref["coef"])
    close(fit.vcov.loc[terms, terms].to_numpy(), [[ref["vcov"][a][b] for b in terms] for a in terms])


@pytest.mark.parametrize("cause", [1, 2])
def test_fine_gray_matches_crr_on_mgus2(cause):
    ref = FG[f"mgus2_crr_cause{cause}"]
    data = pd.read_csv(FIXTURES / "mgus2.csv")
    fit = fine_gray(data, "age + male", "etime", "event", cause=cause)
    close(fit.summary["coef"], list(ref["coef"].values()))
    close(fit.loglik, ref["loglik"])
    close(fit.summary["robust_se"], list(ref["se"].values()))


@pytest.mark.parametrize("cause,name", [(1, "reoffence"), (2, "custody")])
@pytest.mark.parametrize("ties", ["breslow", "efron"])
def test_fine_gray_reproduces_r_finegray_coxph(cohort, cause, name, ties):
    ref = FG[f"cohort_finegray_{name}"][ties]
    fit = fine_gray(cohort, "group + age", "time", "cause", cause=cause, ties=ties, censoring="finegray")
    close(fit.summary["coef"], list(ref["coef"].values()))
    close(fit.summary["se"], ref["se_naive"])
    close(fit.summary["robust_se"], ref["se_robust"])
    close(fit.loglik, ref["loglik"])


def test_fine_gray_without_competing_events_is_cox(cohort):
    """With no competing events the Fine–Gray model is the ordinary Cox model."""
    from reoffend_eval.survival import cox

    data = cohort.assign(cause1=np.where(cohort["cause"] == 2, 0, cohort["cause"]))
    fg = fine_gray(data, "group + age", "time", "cause1", cause=1)
    cx = cox(data, "group + age", "time", "cause1", ties="breslow", robust=True)
    close(fg.summary["coef"], cx.summary["coef"], rtol=1e-10)
    close(fg.summary["robust_se"], cx.summary["robust_se"], rtol=1e-10)


def test_pwp_rejects_empty_intervals(recurrent):
    bad = recurrent.copy()
    bad.loc[bad.index[3], "stop"] = bad.loc[bad.index[3], "start"]
    with pytest.raises(ValueError, match="row 3"):
        pwp(bad, "group + age", "start", "stop", "event", "id", "enum")
