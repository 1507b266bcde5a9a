"""Speed of rev.survival.cox on 1,000,000 rows (whole-day times, 8 covariates, weights,
cluster-robust SEs), against R survival's coxph on the same data.

Run by hand:  PYTHONPATH=src /work/venv/bin/python benchmarks/survival_cox_speed.py [n_rows] [--no-r]
The machine is shared (2 cores, other work running), so timings are noisy: CPU times are
printed next to wall times. R is given R_TIMEOUT seconds (default 1800).

Measured 2026-11-26 on the shared machine (load average 5-10 from other sessions):
  1,000,000 rows: python 14-20 s wall, 3.9-4.4 s CPU; R coxph stopped unfinished after 40 min wall
                  (10 min CPU); R coxph without weights or cluster (naive SEs): 7.8 s CPU, 10.3 s wall
  100,000 rows:   python 2.1 s wall, 0.45 s CPU; R coxph 36-39 s CPU (65-122 s wall); the same
                  without weights and cluster (naive SEs only): 0.8 s CPU
R survival 3.5-3 spends ~97% of a weighted coxph() in residuals.coxph (the dfbeta
residuals for the robust variance, computed for cluster() and for non-integer weights);
that step grows faster than linearly with the number of rows.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd

from reoffend_eval.survival import cox

N = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 1_000_000
RUN_R = "--no-r" not in sys.argv
COVARIATES = [f"x{j}" for j in range(1, 9)]


def make_data(n: int, seed: int = 20251126) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 8))
    x[:, 0] = rng.integers(0, 2, n)  # treated
    x[:, 1] = rng.integers(16, 70, n)  # age
    x[:, 2] = rng.poisson(2, n)  # prior offences
    beta = np.array([-0.3, -0.02, 0.1, 0.2, -0.1, 0.05, 0.0, 0.15])
    t = rng.weibull(0.8, n) * 900 * np.exp(-(x @ beta - (x @ beta).mean()) / 0.8)
    c = rng.uniform(30, 365, n)
    time_days = np.ceil(np.minimum(np.minimum(t, c), 365))
    event = (t <= np.minimum(c, 365)).astype(int)
    frame = pd.DataFrame(x, columns=COVARIATES)
    frame["time"] = time_days
    frame["event"] = event
    frame["w"] = np.where(x[:, 0] == 1, 1.0, rng.uniform(0.2, 3.0, n))
    frame["set_id"] = rng.integers(0, n // 2, n)
    return frame


def main() -> None:
    data = make_data(N)
    print(f"{N:,} rows, {data['event'].sum():,} events, {data['time'].nunique()} distinct days, 8 covariates, "
          "weights, robust SEs clustered by set_id")
    formula = " + ".join(COVARIATES)
    t0, c0 = time.perf_counter(), time.process_time()
    fit = cox(data, formula, "time", "event", weights="w", cluster="set_id")
    t_py, c_py = time.perf_counter() - t0, time.process_time() - c0
    print(f"python rev.survival.cox (fit + robust SE + concordance + cox.zph): {t_py:.2f} s wall, "
          f"{c_py:.2f} s CPU", flush=True)
    print(fit.summary[["coef", "se", "robust_se"]].to_string())
    if not RUN_R:
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "bench.csv")
        data.to_csv(path, index=False)
        script = os.path.join(tmp, "bench.R")
        with open(script, "w") as fh:
            fh.write(f"""suppressPackageStartupMessages(library(survival))
d <- read.csv("{path}")
tm <- system.time(f <- coxph(Surv(time, event) ~ {formula}, data = d, weights = w, cluster = set_id, ties = "efron"))
cat("R_SECONDS", tm[["elapsed"]], tm[["user.self"]] + tm[["sys.self"]], "\\n")
cat("R_COEF", coef(f), "\\n")
cat("R_RSE", sqrt(diag(f$var)), "\\n")
""")
        try:
            out = subprocess.run(["Rscript", script], capture_output=True, text=True, check=True,
                                 timeout=float(os.environ.get("R_TIMEOUT", "1800"))).stdout
        except subprocess.TimeoutExpired as exc:
            print(f"R coxph did not finish within {exc.timeout:.0f} s")
            return
    vals = {line.split()[0]: [float(v) for v in line.split()[1:]] for line in out.splitlines() if line.startswith("R_")}
    print(f"R coxph(weights, cluster, efron) (fit only, CSV read not counted): {vals['R_SECONDS'][0]:.2f} s wall, "
          f"{vals['R_SECONDS'][1]:.2f} s CPU")
    rel_coef = np.max(np.abs(fit.summary["coef"].to_numpy() / np.array(vals["R_COEF"]) - 1))
    rel_se = np.max(np.abs(fit.summary["robust_se"].to_numpy() / np.array(vals["R_RSE"]) - 1))
    print(f"max relative difference vs R: coef {rel_coef:.2e}, robust SE {rel_se:.2e}")


if __name__ == "__main__":
    main()
