"""Coverage and bias of the effect intervals over simulated matched studies with a known truth.

Run by hand (not in CI): PYTHONPATH=src python benchmarks/effects_coverage.py [replications] [pairs]
Each replication: `pairs` matched pairs sharing a pair-level risk (so outcomes within a pair are
correlated, as after matching on strong predictors). Truths by construction:
  * risk difference -0.05: a participant's risk is their pair's comparison risk minus 0.05;
  * rate ratio 0.8: counts negative binomial (size 1.2) with mean pair_frailty * days * rate * 0.8^treated,
    so the marginal and conditional rate ratios are both 0.8;
  * risk ratio: the truth is computed from the simulated risks of each replication's design
    (mean participant risk / mean comparison risk, in expectation).
Reports, per estimator, the share of 95% intervals covering the truth and the relative bias.
"""
import sys

import numpy as np
import pandas as pd

from reoffend_eval.effects import binary_effects, rate_ratio


def simulate(rng, pairs):
    base = rng.beta(4, 5, pairs) * 0.8 + 0.1  # comparison risk per pair, 0.1 to 0.9
    p_control, p_treated = base, base - 0.05
    frailty = rng.gamma(2.0, 0.5, pairs)
    days = rng.integers(60, 366, 2 * pairs).astype(float)
    treated = np.tile([1, 0], pairs)
    risk = np.empty(2 * pairs)
    risk[0::2], risk[1::2] = p_treated, p_control
    mean = np.repeat(frailty, 2) * days * 0.004 * np.where(treated == 1, 0.8, 1.0)
    size = 1.2
    count = rng.negative_binomial(size, size / (size + mean))
    return pd.DataFrame({"subclass": np.repeat(np.arange(pairs), 2), "treated": treated,
                         "reoffended": (rng.random(2 * pairs) < risk).astype(int),
                         "reoffences": count, "days": days}), p_treated.mean() / p_control.mean()


def main(reps=200, pairs=750):
    rng = np.random.default_rng(20260601)
    rows = {"risk_difference": [], "risk_ratio": [], "rate_ratio (negative binomial)": [], "rate_ratio (poisson)": []}
    truths = {"risk_difference": -0.05, "rate_ratio (negative binomial)": 0.8, "rate_ratio (poisson)": 0.8}
    rr_truths = []
    for _ in range(reps):
        d, rr_true = simulate(rng, pairs)
        rr_truths.append(rr_true)
        b = binary_effects(d, "reoffended", treatment="treated", cluster="subclass", measures=("risk_difference", "risk_ratio"))
        rows["risk_difference"].append((b.table.loc["risk_difference", ["estimate", "ci_lower", "ci_upper"]].to_numpy(), -0.05))
        rows["risk_ratio"].append((b.table.loc["risk_ratio", ["estimate", "ci_lower", "ci_upper"]].to_numpy(), rr_true))
        for fam, key in [("negative_binomial", "rate_ratio (negative binomial)"), ("poisson", "rate_ratio (poisson)")]:
            r = rate_ratio(d, "reoffences", "days", treatment="treated", cluster="subclass", family=fam)
            rows[key].append((r.table.iloc[0][["estimate", "ci_lower", "ci_upper"]].to_numpy(float), 0.8))
    print(f"{reps} replications of {pairs} matched pairs; 95% intervals clustered by pair (vcovCL)")
    for name, results in rows.items():
        est = np.array([r[0][0] for r in results], float)
        lo = np.array([r[0][1] for r in results], float)
        hi = np.array([r[0][2] for r in results], float)
        truth = np.array([r[1] for r in results], float)
        cover = np.mean((lo <= truth) & (truth <= hi))
        if "ratio" in name:  # bias on the log scale, relative to the log effect
            bias = np.mean(np.log(est) - np.log(truth)) / abs(np.mean(np.log(truth)))
        else:
            bias = np.mean(est - truth) / abs(np.mean(truth))
        print(f"  {name:32s} coverage {cover:6.1%}   bias {bias:+6.1%} of the effect   (truth {np.mean(truth):.4f})")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    main(*args)
