"""Timings for the effect, competing-risk, MCF and sensitivity functions on large synthetic data.

Run by hand: PYTHONPATH=src python benchmarks/effects_speed.py [n_rows]   (default 1,000,000)
The machine has 2 cores shared with other work: timings are noisy.
"""
import sys
import time

import numpy as np
import pandas as pd

from reoffend_eval.effects import binary_effects, rate_ratio, risk_difference
from reoffend_eval.sensitivity import rosenbaum_bounds
from reoffend_eval.survival.cumulative_incidence import cumulative_incidence
from reoffend_eval.survival.mean_cumulative_function import mean_cumulative_function


def timed(label, fn):
    t0 = time.perf_counter()
    out = fn()
    print(f"{label}: {time.perf_counter() - t0:.2f} s")
    return out


def main(n):
    rng = np.random.default_rng(1)
    pairs = n // 2
    treated = np.tile([1, 0], pairs)
    frailty = np.repeat(rng.normal(0, 0.3, pairs), 2)
    days = rng.integers(30, 366, n).astype(float)
    rate = np.exp(-6 + np.log(0.8) * treated + frailty)
    count = rng.negative_binomial(1.5, 1.5 / (1.5 + rate * days))
    people = pd.DataFrame({"subclass": np.repeat(np.arange(pairs), 2), "treated": treated,
                           "reoffended": (count > 0).astype(int), "reoffences": count, "days": days,
                           "weights": 1.0, "age": rng.uniform(18, 60, n)})
    print(f"{n:,} people ({pairs:,} matched pairs)")
    timed("risk_difference, cluster by subclass", lambda: risk_difference(people, "reoffended", treatment="treated", cluster="subclass"))
    timed("binary_effects (RD, RR, OR), cluster", lambda: binary_effects(people, "reoffended", treatment="treated", cluster="subclass"))
    timed("rate_ratio negative binomial + age, cluster", lambda: rate_ratio(people, "reoffences", "days", treatment="treated", cluster="subclass", covariates="age"))
    timed("rate_ratio poisson, HC3", lambda: rate_ratio(people, "reoffences", "days", treatment="treated", family="poisson", variance="HC3"))
    timed("rosenbaum_bounds, 11 gammas + critical gamma", lambda: rosenbaum_bounds(people, "reoffended", treatment="treated"))

    cause = rng.choice([0, 1, 2], n, p=[0.6, 0.3, 0.1])
    competing = pd.DataFrame({"days": rng.integers(1, 366, n), "cause": cause, "group": treated})
    timed("cumulative_incidence, 2 causes x 2 groups + Gray's test (days 1-365)",
          lambda: cumulative_incidence(competing, "days", "cause", group="group"))

    # recurrent: about 3 rows per person
    n_people = n // 3
    gaps = rng.integers(1, 120, (n_people, 3)).cumsum(axis=1)
    keep = gaps <= 365
    pid = np.repeat(np.arange(n_people), 3)[keep.ravel()]
    stop = gaps.ravel()[keep.ravel()].astype(float)
    start = np.concatenate([[0.0], stop[:-1]])
    first = np.r_[True, pid[1:] != pid[:-1]]
    start[first] = 0.0
    rec = pd.DataFrame({"id": pid, "start": start, "stop": stop, "event": 1, "group": pid % 2})
    timed(f"mean_cumulative_function, {len(rec):,} rows / {n_people:,} people, 2 groups",
          lambda: mean_cumulative_function(rec, "start", "stop", "event", "id", group="group"))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
