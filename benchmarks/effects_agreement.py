"""Maximum relative differences between reoffend_eval and every R reference its tests use.

Run from the repository root: PYTHONPATH=src python benchmarks/effects_agreement.py
(prints one line per reference; the tests assert 1e-6, this shows how far inside that we are).
"""
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT / "tests" / "effects"))

from effects_helpers import FakeMatch, FakeWeights, match_data  # noqa: E402
from reoffend_eval.effects import binary_effects, jdl_comparison, mean_difference, rate_ratio, risk_difference  # noqa: E402
from reoffend_eval.survival.cumulative_incidence import cumulative_incidence  # noqa: E402
from reoffend_eval.survival.mean_cumulative_function import mean_cumulative_function  # noqa: E402

FX = ROOT / "tests" / "fixtures"


def rel(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.nanmax(np.abs(a - b) / np.maximum(np.abs(b), 1e-300)))


def main():
    rows = pd.read_csv(FX / "effects" / "matching_rows.csv.gz")
    att = json.loads((FX / "effects" / "matching_att.json").read_text())
    keys = [("estimate", "estimate"), ("se", "se"), ("statistic", "t"), ("p", "p"), ("ci_lower", "ci95_lower"), ("ci_upper", "ci95_upper")]
    worst = 0.0
    for spec in "abcdefg":
        m = match_data(rows, spec, replace=spec == "d")
        row = risk_difference(m, "reoffended").table.iloc[0]
        ref = att[spec]["primary"]
        worst = max(worst, max(rel(row[a], ref[b]) for a, b in keys))
    print(f"risk difference vs MatchIt specs a-g (vcovCL / HC3, coeftest): max rel diff {worst:.2e}")
    worst = 0.0
    for e in ("ATT", "ATE"):
        w = FakeWeights(rows[["treated", "reoffended"]].assign(weights=rows[f"w_{e.lower()}"]), "treated")
        row = risk_difference(w, "reoffended").table.iloc[0]
        worst = max(worst, max(rel(row[a], att["iptw_hc0"][e][b]) for a, b in keys))
    print(f"risk difference vs IPTW HC0: max rel diff {worst:.2e}")

    r_eff = json.loads((FX / "effects" / "r_effects.json").read_text())
    counts = pd.read_csv(FX / "effects" / "counts.csv")

    def coef_diff(coefs, ref):
        return max(rel(coefs.loc[t, c], ref[c][t]) for t in ref["coef"] for c in ("coef", "se", "statistic", "p", "ci_lower", "ci_upper"))

    worst = 0.0
    for link, measure in (("log", "risk_ratio"), ("logit", "odds_ratio")):
        ref = r_eff[f"binary_{link}"]
        worst = max(worst, coef_diff(binary_effects(match_data(rows, "a"), "reoffended").coefficients.loc[measure], ref["spec_a_vcovCL_subclass"]))
        worst = max(worst, coef_diff(binary_effects(match_data(rows, "d", True), "reoffended").coefficients.loc[measure], ref["spec_d_HC3"]))
    print(f"risk ratio / odds ratio vs glm + vcovCL / vcovHC: max rel diff {worst:.2e}")
    res = rate_ratio(counts, "reoffences", "days_at_risk", treatment="treated", cluster="subclass")
    d_nb = max(coef_diff(res.coefficients, r_eff["negbin"]["vcovCL_subclass"]), rel(res.extra["theta"], r_eff["negbin"]["theta"]))
    res = rate_ratio(counts, "reoffences", "days_at_risk", treatment="treated", weights="w", covariates="age", cluster="subclass")
    d_nb = max(d_nb, coef_diff(res.coefficients, r_eff["negbin_weighted_age"]["vcovCL_subclass"]), rel(res.extra["theta"], r_eff["negbin_weighted_age"]["theta"]))
    print(f"negative binomial vs MASS::glm.nb (theta, coef, vcovCL SE, p, CI): max rel diff {d_nb:.2e}")
    res = rate_ratio(counts, "reoffences", "days_at_risk", treatment="treated", cluster="subclass", family="poisson")
    print(f"poisson vs glm: max rel diff {coef_diff(res.coefficients, r_eff['poisson']['vcovCL_subclass']):.2e}")
    res = mean_difference(counts, "reoffences", treatment="treated", weights="w", cluster="subclass", covariates="age")
    print(f"mean difference vs lm + vcovCL: max rel diff {coef_diff(res.coefficients, r_eff['mean_difference_counts']['vcovCL_subclass']):.2e}")
    j = jdl_comparison(match_data(rows, "a"), "reoffended")
    ref = r_eff["jdl_spec_a"]
    print(f"JDL Welch t-test vs t.test: max rel diff {max(rel(j.table.iloc[0][a], ref[b]) for a, b in [('statistic', 't'), ('df', 'df'), ('p', 'p'), ('ci_lower', 'ci_lower')]):.2e}; "
          f"people needed vs power.prop.test (uniroot): {rel(j.extra['people_needed_per_group'], ref['power_prop_test_n_per_group']):.2e}")

    # cumulative incidence
    s = pd.read_csv(FX / "competing" / "survival_cohort.csv")
    ref = json.loads((FX / "competing" / "cuminc_crr.json").read_text())
    r = cumulative_incidence(s, "time", "cause", group="group")
    worst = 0.0
    for key, v in ref["cif_full"].items():
        g, c = map(int, key.split())
        cur = r.table[(r.table.group == g) & (r.table.cause == c)]
        t, e, var = (np.array(v[k], float) for k in ("time", "est", "var"))
        n = len(t[2:-1:2])
        worst = max(worst, rel(cur.cif.to_numpy()[1:n + 1], e[2:-1:2]), rel(cur.variance.to_numpy()[1:n + 1], var[2:-1:2]))
    gray = max(rel(r.gray_test.loc[c, "statistic"], ref["gray_test"][f"cause_{c}"]["stat"]) for c in (1, 2))
    print(f"cumulative incidence vs cmprsk (cohort, every step): CIF/var {worst:.2e}, Gray {gray:.2e}")
    rc = json.loads((FX / "competing" / "r_cuminc.json").read_text())
    mg = cumulative_incidence(pd.read_csv(FX / "competing" / "mgus2.csv"), "etime", "event", group="sex")
    ex = pd.read_csv(FX / "competing" / "cmprsk_example.csv")
    g1 = max(rel(mg.gray_test.loc[int(c), "statistic"], v["stat"]) for c, v in rc["mgus2"]["gray"].items())
    g2 = max(rel(cumulative_incidence(ex, "time", "cause", group="group", strata="strata", **kw).gray_test.loc[int(c), "statistic"], v["stat"])
             for name, kw in [("example", {}), ("example_rho1", {"rho": 1.0})] for c, v in rc[name]["gray"].items())
    print(f"Gray's test vs cmprsk on mgus2: {g1:.2e}; 3 groups with strata (rho 0, 1): {g2:.2e}")

    rm = json.loads((FX / "recurrent" / "r_mcf.json").read_text())
    worst = 0.0
    for name, (file, a, b, e, i, g) in {"recurrent": ("recurrent.csv", "start", "stop", "event", "id", "group"),
                                        "bladder2": ("bladder2.csv", "start", "stop", "event", "id", "rx"),
                                        "cgd": ("cgd.csv", "tstart", "tstop", "status", "id", "treat")}.items():
        res = mean_cumulative_function(pd.read_csv(FX / "recurrent" / file), a, b, e, i, group=g)
        c = rm[name]["curves"]
        exp = pd.DataFrame({"group": c["group"], "time": c["time"], "h": c["cumhaz"], "s": c["std_chaz"]})
        mm = exp.merge(res.table.assign(group=res.table.group.astype(str)), on=["group", "time"])
        worst = max(worst, rel(mm.mcf, mm.h), rel(mm.se, mm.s))
    print(f"MCF vs survfit cumhaz / std.chaz (recurrent, bladder2, cgd; every time): max rel diff {worst:.2e}")


if __name__ == "__main__":
    main()
