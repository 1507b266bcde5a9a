"""Coverage of the #15 estimators: ASB incident rate ratio and first-time entry to the youth justice system.

Run by hand (not in CI):

    PYTHONPATH=src /work/venv/bin/python benchmarks/programme_measures_coverage.py --reps 100 --workers 1

Each replication ``seed = 1, 2, ...`` draws a Turnaround cohort from ``rev.synthetic.generate``
(``effect`` 0.75 on offending, ``asb_effect`` 0.7 on ASB incidents; ``start_years=20`` so that
nearly everyone has full follow-up) and runs the library's own estimation step,
``evaluate.analyses.run_analyses``, with a matching config (1:1 nearest neighbour on a logistic
propensity score of the generator's selection covariates, caliper 0.2 SD), exactly as
``evaluate`` does:

- ``asb_rate_ratio``: ASB incidents over the observed follow-up per year at liberty, negative
  binomial with a log-exposure offset, everyone matched, clustered by matched set;
- ``first_time_entry_difference``: share of children with no proven offence before the index
  date who get a first caution or conviction in the year (JDL window), percentage points, a
  match among them (offending-history terms, constant there, left out of the model).

Truths. The ASB rate ratio: ``asb_effect`` itself (a Poisson process thinned by a constant is a
rate ratio that is the same conditionally and marginally). First-time entry: ``generate`` with the
same seed and ``effect = asb_effect = 1`` gives the same people and the participants' untreated
world (common random numbers); ``derive_outcomes`` on it gives each matched child's untreated
``entered_youth_justice``; the replication's truth is the treated-world mean minus the
untreated-world mean among the matched children (observable scale: deaths, moves and proof
rules as in the data). The study truth is the mean of these over the replications; coverage is
reported against it and against each replication's own truth.

Output: ``benchmarks/results/programme_measures_coverage.csv`` (one row per replication and
estimator, appended as each finishes; a rerun resumes) and ``..._coverage.md`` (summary).
The machine has 2 cores shared with other work: timings are noisy.
"""
from __future__ import annotations

import os

for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import argparse  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from concurrent.futures import ProcessPoolExecutor, as_completed  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import reoffend_eval as rev  # noqa: E402
from reoffend_eval.evaluate.analyses import run_analyses  # noqa: E402
from reoffend_eval.evaluate.config import (  # noqa: E402
    AnalysesConfig,
    ComparisonConfig,
    DataConfig,
    EvaluationConfig,
)

PROGRAMME = "Turnaround"
EFFECT = 0.75
ASB_EFFECT = 0.7
START_YEARS = 20.0
FORMULA = ("treated ~ risk_level + np.log1p(prior_proven_offences) + np.log1p(prior_da_incidents)"
           " + age_at_index + sex + area")
RESULTS = Path(__file__).resolve().parent / "results"
CSV = RESULTS / "programme_measures_coverage.csv"
COLUMNS = ["seed", "estimator", "estimate", "ci_lower", "ci_upper", "truth_sample", "n_treated", "n_comparison",
           "seconds"]


def config() -> EvaluationConfig:
    return EvaluationConfig(
        programme=PROGRAMME,
        data=DataConfig(folder="."),
        comparison=ComparisonConfig(formula=FORMULA, caliper=0.2),
        targets="none.toml",
        analyses=AnalysesConfig(survival=False, sensitivity=False, subgroups=(), repeat_victimisation=False),
    )


def replicate(seed: int, n_participants: int, n_comparison: int) -> list[dict]:
    clock = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kw = dict(programme=PROGRAMME, n_participants=n_participants, n_comparison=n_comparison, seed=seed,
                  start_years=START_YEARS)
        data = rev.synthetic.generate(effect=EFFECT, asb_effect=ASB_EFFECT, **kw)
        untreated = rev.synthetic.generate(effect=1.0, asb_effect=1.0, **kw)
        rules = rev.OutcomeRules(programme=PROGRAMME, extract_date=data.truth["extract_date"])
        people = rev.derive_outcomes(data, rules)
        people0 = rev.derive_outcomes(untreated, rules).set_index("person_id")
        analyses = run_analyses(people, config())
    results = analyses.table()
    main = results[(results["analysis"] == "main") & (results["group"] == "all")].set_index(["measure", "statistic"])
    out = []
    if ("asb_incident_rate", "rate_ratio") in main.index:
        r = main.loc[("asb_incident_rate", "rate_ratio")]
        out.append(dict(estimator="asb_rate_ratio", estimate=r["estimate"], ci_lower=r["ci_lower"],
                        ci_upper=r["ci_upper"], truth_sample=ASB_EFFECT, n_treated=r["n_treated"],
                        n_comparison=r["n_comparison"]))
    if ("first_time_entry_rate", "risk_difference") in main.index and "first_time_entry" in analyses.designs:
        r = main.loc[("first_time_entry_rate", "risk_difference")]
        design = analyses.designs["first_time_entry"].result.data
        matched = design[(design["weights"] > 0) & (design["treated"] == 1)]
        treated_world = matched["entered_youth_justice"].astype(float)
        untreated_world = people0.loc[matched["person_id"], "entered_youth_justice"].astype(float)
        # a child's untreated world may lack a defined entry where the treated one has it (or not): both defined
        both = treated_world.notna().to_numpy() & untreated_world.notna().to_numpy()
        truth = (treated_world[both].mean() - untreated_world[both].mean()) * 100
        out.append(dict(estimator="first_time_entry_difference", estimate=r["estimate"], ci_lower=r["ci_lower"],
                        ci_upper=r["ci_upper"], truth_sample=truth, n_treated=r["n_treated"],
                        n_comparison=r["n_comparison"]))
    seconds = time.perf_counter() - clock
    for row in out:
        row.update(seed=seed, seconds=seconds)
    return out


def summarise(frame: pd.DataFrame) -> str:
    lines = ["| estimator | reps | study truth | mean estimate | coverage (study truth) | coverage (own truth) "
             "| Monte Carlo SE | mean seconds |", "|---|---|---|---|---|---|---|---|"]
    for name, part in frame.groupby("estimator"):
        if name == "asb_rate_ratio":
            truth = ASB_EFFECT
            mean = float(np.exp(np.log(part["estimate"]).mean()))
        else:
            truth = float(part["truth_sample"].mean())
            mean = float(part["estimate"].mean())
        covered = ((part["ci_lower"] <= truth) & (truth <= part["ci_upper"])).mean()
        own = ((part["ci_lower"] <= part["truth_sample"]) & (part["truth_sample"] <= part["ci_upper"])).mean()
        mcse = np.sqrt(0.95 * 0.05 / len(part))
        lines.append(f"| {name} | {len(part)} | {truth:.3f} | {mean:.3f} | {covered:.1%} | {own:.1%} | "
                     f"{mcse:.1%} | {part['seconds'].mean():.1f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=100)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--participants", type=int, default=600)
    parser.add_argument("--comparison", type=int, default=6000)
    parser.add_argument("--minutes", type=float, default=None, help="stop starting new replications after this")
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    done = pd.read_csv(CSV) if CSV.exists() else pd.DataFrame(columns=COLUMNS)
    todo = [s for s in range(1, args.reps + 1) if s not in set(done["seed"])]
    start = time.perf_counter()

    def save(rows):
        frame = pd.DataFrame(rows, columns=COLUMNS)
        frame.to_csv(CSV, mode="a", header=not CSV.exists(), index=False)

    if args.workers == 1:
        for seed in todo:
            if args.minutes is not None and time.perf_counter() - start > args.minutes * 60:
                break
            save(replicate(seed, args.participants, args.comparison))
    else:
        with ProcessPoolExecutor(args.workers) as pool:
            futures = [pool.submit(replicate, s, args.participants, args.comparison) for s in todo]
            for f in as_completed(futures):
                save(f.result())
    frame = pd.read_csv(CSV)
    table = summarise(frame)
    (RESULTS / "programme_measures_coverage.md").write_text(
        "# Coverage of the #15 estimators (Turnaround, synthetic)\n\n"
        f"{PROGRAMME}, {args.participants} participants + {args.comparison} comparison, effect {EFFECT}, "
        f"asb_effect {ASB_EFFECT}; 95% intervals; target 93-97%.\n\n{table}\n"
    )
    print(table)


if __name__ == "__main__":
    main()
