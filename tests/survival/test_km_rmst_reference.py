"""Kaplan–Meier, log-rank and RMST against R survival 3.5-3 and survRM2 1.0-4."""
import numpy as np
import pandas as pd
import pytest

from reoffend_eval.survival import kaplan_meier, rmst

from .conftest import close, load_json


@pytest.mark.parametrize("conf_type", ["log", "log-log", "plain"])
def test_km_at_times(cohort, conf_type):
    ref = load_json("km_logrank.json")
    km = kaplan_meier(cohort, "time", "event", group="group", conf_type=conf_type)
    got = km.at(ref["times"])
    exp = pd.DataFrame(ref["at_times"][conf_type])
    assert list(got["group"].astype(str)) == list(exp["group"])
    close(got["time"], exp["time"])
    close(got["n_risk"], exp["n_risk"])
    close(got["n_event"], exp["n_event_since_previous"])
    close(got["survival"], exp["surv"])
    close(got["std_err"], exp["std_err"])
    close(got["ci_lower"], exp["lower"])
    close(got["ci_upper"], exp["upper"])


def test_km_full_tables(cohort):
    ref = load_json("km_logrank.json")["full_table"]
    km = kaplan_meier(cohort, "time", "event", group="group")
    for g in (0, 1):
        tab = km.table[km.table["group"] == g]
        exp = ref[str(g)]
        close(tab["time"], exp["time"])
        close(tab["n_risk"], exp["n_risk"])
        close(tab["n_event"], exp["n_event"])
        close(tab["n_censor"], exp["n_censor"])
        close(tab["survival"], exp["surv"])
        close(tab["std_err_log"], exp["std_err_logS"])
        close(tab["std_err"], exp["std_err_surv"])
        close(tab["ci_lower"], exp["lower_log"])
        close(tab["ci_upper"], exp["upper_log"])


def test_logrank(cohort):
    ref = load_json("km_logrank.json")["logrank"]
    km = kaplan_meier(cohort, "time", "event", group="group")
    close([km.logrank["chisq"], km.logrank["df"], km.logrank["p"]], [ref["chisq"], ref["df"], ref["p"]])
    table = km.logrank.attrs["table"]
    close(table["observed"], list(ref["observed"].values()))
    close(table["expected"], list(ref["expected"].values()))
    close(table["n"], list(ref["n"].values()))
    close(km.logrank.attrs["var"], ref["var"])


def test_km_median_absent_when_survival_stays_above_half(cohort):
    ref = load_json("km_logrank.json")["median"]
    km = kaplan_meier(cohort, "time", "event", group="group")
    assert km.median["median"].isna().all() and all(ref[g]["median"] is None for g in ref)
    close(km.median["events"], [ref["0"]["events"], ref["1"]["events"]])


def test_rmst_survrm2(cohort):
    ref = load_json("rmst_survRM2.json")
    r = rmst(cohort, "time", "event", "group", tau=ref["tau"])
    for g, key in ((0, "RMST_arm0"), (1, "RMST_arm1")):
        row = r.table.loc[g]
        exp = ref[key]["result"]
        close([row["rmst"], row["se"], row["ci_lower"], row["ci_upper"]],
              [exp["RMST"]["Est."], exp["RMST"]["se"], exp["RMST"]["lower .95"], exp["RMST"]["upper .95"]])
        close([row["rmtl"], row["rmtl_ci_lower"], row["rmtl_ci_upper"]],
              [exp["RMTL"]["Est."], exp["RMTL"]["lower .95"], exp["RMTL"]["upper .95"]])
        close(row["se"] ** 2, ref[key]["rmst_var"])
    u = ref["unadjusted_result"]
    for got, name in ((r.difference, "RMST (arm=1)-(arm=0)"), (r.ratio, "RMST (arm=1)/(arm=0)"),
                      (r.rmtl_ratio, "RMTL (arm=1)/(arm=0)")):
        close(got[["estimate", "ci_lower", "ci_upper", "p"]].to_numpy(float),
              [u[name]["Est."], u[name]["lower .95"], u[name]["upper .95"], u[name]["p"]])
    assert "survRM2" in r.method


def test_rmst_bootstrap_with_unit_weights_agrees_with_analytic(cohort):
    """Row bootstrap of unit weights: same estimate, SE within Monte-Carlo error of survRM2's."""
    analytic = rmst(cohort, "time", "event", "group", tau=365)
    boot = rmst(cohort.assign(w=1.0), "time", "event", "group", tau=365, weights="w", n_boot=400, random_state=7)
    close(boot.table["rmst"], analytic.table["rmst"], rtol=1e-12)
    assert "bootstrap" in boot.method and boot.n_boot == 400
    np.testing.assert_allclose(boot.difference["se"], analytic.difference["se"], rtol=0.12)
    again = rmst(cohort.assign(w=1.0), "time", "event", "group", tau=365, weights="w", n_boot=400, random_state=7)
    assert again.difference.equals(boot.difference)


def test_rmst_tau_beyond_follow_up(cohort):
    with pytest.raises(ValueError, match="tau"):
        rmst(cohort, "time", "event", "group", tau=400)


def test_rmst_cluster_of_one_row_each_is_the_row_bootstrap(cohort):
    rows = rmst(cohort.assign(w=1.0), "time", "event", "group", tau=365, weights="w", n_boot=50, random_state=3)
    clusters = rmst(cohort, "time", "event", "group", tau=365, cluster="id", n_boot=50, random_state=3)
    close(clusters.difference[["estimate", "se"]].to_numpy(float), rows.difference[["estimate", "se"]].to_numpy(float),
          rtol=1e-12)
    assert "clusters 'id'" in clusters.method
