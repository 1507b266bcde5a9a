"""Cox, cox.zph, Kaplan–Meier and weighted log-rank on R's public data sets (lung, veteran,
cgd, bladder2), against tests/fixtures/survival/public_data.json (made by public_data.R)."""
import numpy as np
import pandas as pd
import pytest

from reoffend_eval.survival import cox, kaplan_meier

from .conftest import FIXTURES, close, load_json

REF = load_json("public_data.json")


def lung():
    return pd.read_csv(FIXTURES / "lung.csv", dtype={"ecog": str})


def check(fit, ref, robust):
    terms = list(ref["coef"])
    s = fit.summary.loc[terms]
    out = [close(s["coef"], list(ref["coef"].values())), close(s["se"], list(ref["se_naive"].values())),
           close(fit.loglik, ref["loglik"]), close(fit.loglik_null, ref["loglik_null"])]
    if robust:
        out.append(close(s["robust_se"], list(ref["se_robust"].values())))
        out.append(close(fit.vcov.loc[terms, terms].to_numpy(),
                         [[ref["vcov_robust"][a][b] for b in terms] for a in terms]))
    c = ref["concordance"]
    out += [close(fit.concordance, c["C"]), close(fit.concordance_se, c["se"])]
    assert fit.n == ref["n"] and fit.n_events == ref["nevent"] and fit.iterations == ref["iter"]
    return max(out)


def check_zph(table, ref):
    assert list(table.index) == list(ref)
    close(table[["chisq", "df", "p"]].to_numpy(float), [[ref[t]["chisq"], ref[t]["df"], ref[t]["p"]] for t in ref])


def test_lung_efron_factors_and_zph_terms():
    ref = REF["lung_efron"]
    fit = cox(lung(), "age + sex + ecog", "time", "event")
    check(fit, ref, robust=False)
    for tr in ("km", "identity", "rank"):
        table = fit.ph_test(tr)
        check_zph(table, ref[f"zph_{tr}"])
    assert fit.ph_test().loc["ecog", "df"] == 2  # one test per term, as terms = TRUE


@pytest.mark.parametrize("robust", [False, True])
def test_lung_breslow_strata(robust):
    key = "lung_breslow_strata_robust" if robust else "lung_breslow_strata"
    fit = cox(lung(), "age + ecog", "time", "event", strata="sex", ties="breslow", robust=robust)
    check(fit, REF[key], robust=robust)
    if not robust:
        check_zph(fit.ph_test("km"), REF[key]["zph_km"])


def test_lung_km_loglog_full_table_at_times_median_logrank():
    ref = REF["lung_km_loglog"]
    km = kaplan_meier(lung(), "time", "event", group="sex", conf_type="log-log")
    full = pd.DataFrame(ref["full"])
    assert list(km.table["group"]) == list(full["group"])
    for mine, theirs in (("time", "time"), ("n_risk", "n_risk"), ("n_event", "n_event"), ("n_censor", "n_censor"),
                         ("survival", "surv"), ("std_err", "std_err")):
        close(km.table[mine], full[theirs])
    ok = full["lower"].notna()
    close(km.table.loc[ok.to_numpy(), "ci_lower"], full.loc[ok, "lower"])
    close(km.table.loc[ok.to_numpy(), "ci_upper"], full.loc[ok, "upper"])
    assert km.table.loc[~ok.to_numpy(), "ci_lower"].isna().all()
    at = km.at([100, 200, 365, 500, 1200])
    exp = pd.DataFrame(ref["at"])
    for mine, theirs in (("n_risk", "n_risk"), ("n_event", "n_event"), ("survival", "surv"), ("std_err", "std_err"),
                         ("ci_lower", "lower"), ("ci_upper", "upper")):
        close(at[mine], exp[theirs])
    m = ref["median"]
    close(km.median["median"], m["median"])
    close(km.median["ci_lower"], m["lower"])
    close(km.median["ci_upper"], m["upper"])
    close(km.logrank["chisq"], ref["logrank"]["chisq"])
    close(km.logrank.attrs["table"]["expected"], ref["logrank"]["expected"])


def test_lung_overall_median_log_ci():
    ref = REF["lung_km_overall"]
    km = kaplan_meier(lung(), "time", "event")
    close(km.median.loc[0, ["median", "ci_lower", "ci_upper"]].to_numpy(float), [ref["median"], ref["lower"], ref["upper"]])


def veteran():
    return pd.read_csv(FIXTURES / "veteran.csv")


def test_veteran_weights_and_cluster():
    ref = REF["veteran_weighted_cluster"]
    fit = cox(veteran(), "trt + karno + age + celltype", "time", "status", weights="w", cluster="pair")
    check(fit, ref, robust=True)
    check_zph(fit.ph_test("km"), ref["zph_km"])
    check_zph(fit.ph_test("rank"), ref["zph_rank"])


def test_veteran_weighted_breslow_each_row_a_cluster():
    fit = cox(veteran(), "trt + karno + age", "time", "status", weights="w", ties="breslow")
    check(fit, REF["veteran_weighted_breslow_robust"], robust=True)


def test_veteran_weighted_km_and_logrank():
    ref = REF["veteran_weighted_km"]
    km = kaplan_meier(veteran(), "time", "status", group="trt", weights="w")
    full = pd.DataFrame(ref["full"])
    for mine, theirs in (("time", "time"), ("n_risk", "n_risk"), ("n_event", "n_event"), ("n_censor", "n_censor"),
                         ("survival", "surv"), ("std_err", "std_err"), ("ci_lower", "lower"), ("ci_upper", "upper")):
        ok = full[theirs].notna().to_numpy()
        close(km.table.loc[ok, mine], full.loc[ok, theirs])
    at = km.at([30, 90, 180, 365])
    exp = pd.DataFrame(ref["at"])
    for mine, theirs in (("n_risk", "n_risk"), ("n_event", "n_event"), ("survival", "surv"), ("std_err", "std_err")):
        close(at[mine], exp[theirs])
    lr = REF["veteran_weighted_logrank"]
    close(km.logrank["chisq"], np.ravel(lr["rscore"])[0])
    assert "robust score" in km.logrank.attrs["method"]


def cgd():
    d = pd.read_csv(FIXTURES / "cgd.csv")
    # R's factor() sorts levels in the locale's collation ("autosomal" before "X-linked")
    d["inherit"] = pd.Categorical(d["inherit"], categories=["autosomal", "X-linked"])
    return d


@pytest.mark.parametrize("ties", ["efron", "breslow"])
def test_cgd_counting_process_entry_ties_cluster(ties):
    ref = REF[f"cgd_ag_{ties}"]
    fit = cox(cgd(), "treat + age + inherit + steroids", "tstop", "status", entry="tstart", cluster="id", ties=ties)
    check(fit, ref, robust=True)
    if ties == "efron":
        check_zph(fit.ph_test("km"), ref["zph_km"])
        check_zph(fit.ph_test("identity"), ref["zph_identity"])


def test_bladder_weighted_counting_process():
    bl = pd.read_csv(FIXTURES / "bladder2.csv")
    fit = cox(bl, "rx + number + size", "stop", "event", entry="start", cluster="id", weights="w")
    check(fit, REF["bladder_ag_weighted"], robust=True)


def test_bladder_pwp_gap_time():
    bl = pd.read_csv(FIXTURES / "bladder2.csv").assign(gap=lambda d: d["stop"] - d["start"])
    fit = cox(bl, "rx + number + size", "gap", "event", strata="enum", cluster="id")
    check(fit, REF["bladder_pwp_gap"], robust=True)


def test_veteran_weighted_logrank_clustered():
    lr = REF["veteran_weighted_logrank"]
    km = kaplan_meier(veteran(), "time", "status", group="trt", weights="w", cluster="pair")
    close(km.logrank["chisq"], np.ravel(lr["rscore_cluster_pair"])[0])


@pytest.mark.parametrize("key,weights", [("veteran_weighted_km_cluster", "w"), ("veteran_km_cluster", None)])
def test_km_clustered_robust_variance(key, weights):
    full = pd.DataFrame(REF[key]["full"])
    km = kaplan_meier(veteran(), "time", "status", group="trt", weights=weights, cluster="pair")
    for mine, theirs in (("time", "time"), ("survival", "surv"), ("std_err", "std_err"), ("ci_lower", "lower"),
                         ("ci_upper", "upper")):
        ok = full[theirs].notna().to_numpy()
        close(km.table.loc[ok, mine], full.loc[ok, theirs])
