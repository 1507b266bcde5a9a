"""Do the 95% intervals mean what they say? A simulation study of the library's real matched flow.

Run by hand (not in CI; 3-5 s of one core per replication at 1,000 + 10,000 people; 500
replications took 14 min of wall time on 2 shared cores):

    PYTHONPATH=src /work/venv/bin/python benchmarks/coverage_study.py --reps 200 --workers 2
    PYTHONPATH=src /work/venv/bin/python benchmarks/coverage_study.py --diagnose 200

Each replication ``seed = 1, 2, ...`` draws a DRIVE cohort from ``rev.synthetic.generate``
(conditional effect 0.75 on offending, ``da_effect`` 0.8 on DA incidents) and runs what an
analyst runs: ``derive_outcomes`` -> ``match`` (1:1 nearest neighbour on a logistic propensity
score, caliper 0.2 SD) -> four estimates with their 95% intervals:

- ``cox_hr``: matched Cox hazard ratio of the first proven reoffence (``time``/``event``),
  robust errors clustered by matched set;
- ``risk_difference``: one-year proven reoffending (JDL), matched-pair clustered errors;
- ``nb_rate_ratio``: DA incidents over the observed follow-up per year at liberty, negative
  binomial with a log-exposure offset, clustered by matched set;
- ``ag_rate_ratio``: Andersen-Gill model of DA incident days (custody removed from the risk
  set), robust errors clustered by matched set.

As in ``evaluate`` the fixed-window measures (Cox HR, risk difference) use a match among people
with full follow-up (index + 548 days inside the extract); the rate measures use a match among
everyone. ``start_years=20`` spreads index dates over 20 years so that about 92% of people have
full follow-up: the extract date then hardly censors, and the Cox model targets the one-year
marginal HR the generator describes rather than one shaped by extract-date censoring.

The truth (potential outcomes, observed through the library itself)
-------------------------------------------------------------------
``generate`` with the same seed and ``effect = da_effect = 1`` gives the *same* people, the same
comparison group and the participants' *untreated* world (offences and incidents are thinned by
common random numbers; every stream but the thinning is unchanged). So for each replication we
derive both worlds of the participants with the same ``derive_outcomes`` / ``recurrent_events``
and compute each estimand on the matched participants, each person once in each world:

- risk difference: mean ``reoffended`` (treated world) - mean (untreated world);
- Cox HR: ``rev.survival.cox`` of the stacked worlds (same censoring by death and moving away
  as the data, no extract censoring among people with full follow-up): the marginal HR among
  the treated that a matched Cox model estimates (non-collapsible, so nearer 1 than 0.75);
- NB rate ratio: ``rev.effects.rate_ratio`` (negative binomial) of the stacked worlds;
- AG rate ratio: ``rev.survival.andersen_gill`` of the stacked worlds' counting-process rows.

This "observable-scale" truth includes everything the generator's ``data.truth`` ignores (deaths
and moves censor, proof must come before an exit, custody sentences follow convictions), so it
is exactly what a correct analysis estimates. The study truth is the mean of these per-replication
truths over all replications (log scale for ratios): a fixed superpopulation value. Coverage is
against it; the coverage of each replication's own sample truth is shown too (it must run a
little above 95%: the intervals also allow for which participants happened to be drawn). The
generator's own ``att_*`` truths and the conditional effects are kept for comparison.

``--diagnose N`` instead measures residual confounding after matching over seeds 1..N (see
``diagnose``): the matched comparison group against the participants' own untreated world, and
the NB rate ratio with and without adjustment for the matching covariates; it writes
``benchmarks/results/coverage_study_diagnose.txt``.

Output: ``benchmarks/results/coverage_study.csv`` (one row per replication and estimator, appended
as each replication finishes, so an interrupted run keeps its numbers and a rerun resumes) and
``benchmarks/results/coverage_study.md`` (the summary table). Timings are noisy: the machine has
2 cores shared with other work.
"""
from __future__ import annotations

import os

# one BLAS thread per process: the workers share 2 cores (set before numpy is imported)
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import argparse  # noqa: E402
import dataclasses  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from concurrent.futures import ProcessPoolExecutor, as_completed  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import reoffend_eval as rev  # noqa: E402

PROGRAMME = "DRIVE"
EFFECT = 0.75
DA_EFFECT = 0.8
START_YEARS = 20.0
CALIPER = 0.2
# the generator's selection model: risk level, log(1 + prior proven offences), log(1 + prior DA
# incidents), age at index, sex (male) and area (synthetic/people.py: selection_score)
FORMULA = ("treated ~ risk_level + np.log1p(prior_proven_offences) + np.log1p(prior_da_incidents)"
           " + age_at_index + sex + area")
ESTIMATORS = ("cox_hr", "risk_difference", "nb_rate_ratio", "ag_rate_ratio")
RATIOS = {"cox_hr", "nb_rate_ratio", "ag_rate_ratio"}
RESULTS = Path(__file__).resolve().parent / "results"
COLUMNS = ["seed", "estimator", "estimate", "ci_lower", "ci_upper", "se", "truth_matched", "truth_all",
           "truth_generator", "n_treated", "n_comparison", "treated_unmatched", "max_abs_smd", "seconds"]


def replicate(seed: int, n_participants: int = 1000, n_comparison: int = 10000) -> list[dict]:
    """One replication: the four estimates with their 95% intervals and truths (one dict each).

    ``se`` is on the model's scale (log for ratios). ``truth_matched``: the observable-scale truth
    among the matched participants; ``truth_all``: among all participants the design could use;
    ``truth_generator``: ``data.truth``'s value (``att_marginal_hr``, ``att_risk_difference``,
    ``att_da_rate_ratio``) or, for the AG model, the conditional DA rate ratio.
    """
    clock = time.perf_counter()
    with warnings.catch_warnings():
        # the outcome stage and the estimators flag custody, short follow-up etc. on every run
        warnings.simplefilter("ignore")
        kw = dict(programme=PROGRAMME, n_participants=n_participants, n_comparison=n_comparison, seed=seed,
                  start_years=START_YEARS)
        data = rev.synthetic.generate(effect=EFFECT, da_effect=DA_EFFECT, **kw)
        untreated = rev.synthetic.generate(effect=1.0, da_effect=1.0, **kw)
        rules = rev.OutcomeRules(programme=PROGRAMME, extract_date=data.truth["extract_date"])
        da_rows = rev.recurrent_events(data, rules, kind="da_incidents")
        people = _with_da_exposure(rev.derive_outcomes(data, rules), da_rows)
        other = untreated.participants["person_id"]
        people0 = rev.derive_outcomes(untreated, rules)
        people0 = people0[people0["person_id"].isin(other)]
        da_rows0 = rev.recurrent_events(untreated, rules, kind="da_incidents")
        da_rows0 = da_rows0[da_rows0["person_id"].isin(other)]
        people0 = _with_da_exposure(people0, da_rows0)
        worlds = _stack(people[people["treated"] == 1], people0)
        row_worlds = _stack(da_rows[da_rows["treated"] == 1], da_rows0)

        fixed = people[people["full_follow_up"].astype(bool)].reset_index(drop=True)
        m_fixed = rev.match(fixed, FORMULA, caliper=CALIPER)
        m_all = rev.match(people, FORMULA, caliper=CALIPER)
        out = []

        # matched Cox HR of the first proven reoffence, clustered by matched set
        md = _matched(m_fixed)
        fit = rev.survival.cox(md, "treated", "time", "event", weights="weights", cluster="subclass")
        s = fit.summary.loc["treated"]
        kept = set(md.loc[md["treated"] == 1, "person_id"])
        w_fixed = worlds[worlds["full_follow_up"].astype(bool)]
        out.append(_row("cox_hr", s["hr"], s["ci_lower"], s["ci_upper"], s["robust_se"],
                        _truth_hr(w_fixed[w_fixed["person_id"].isin(kept)]), _truth_hr(w_fixed),
                        data.truth["att_marginal_hr"], m_fixed))

        # risk difference of one-year proven reoffending, clustered by matched set
        r = rev.effects.risk_difference(m_fixed, "reoffended").table.loc["risk_difference"]
        out.append(_row("risk_difference", r["estimate"], r["ci_lower"], r["ci_upper"], r["se"],
                        _truth_rd(w_fixed[w_fixed["person_id"].isin(kept)]), _truth_rd(w_fixed),
                        data.truth["att_risk_difference"], m_fixed))

        # DA incidents per year at liberty: negative binomial, everyone matched, as evaluate does
        md = _matched(m_all)
        kept = set(md.loc[md["treated"] == 1, "person_id"])
        at_risk = md[md["da_years_at_risk"] > 0]
        r = rev.effects.rate_ratio(dataclasses.replace(m_all, data=at_risk), "da_incidents_observed",
                                   "da_years_at_risk", family="negative_binomial").table.loc["rate_ratio"]
        out.append(_row("nb_rate_ratio", r["estimate"], r["ci_lower"], r["ci_upper"], r["se"],
                        _truth_nb(worlds[worlds["person_id"].isin(kept)]), _truth_nb(worlds),
                        data.truth["att_da_rate_ratio"], m_all))

        # Andersen-Gill rate ratio of DA incident days, clustered by matched set
        sets = md.set_index("person_id")["subclass"]
        rows = da_rows[da_rows["person_id"].isin(sets.index)]
        rows = rows.assign(matched_set=rows["person_id"].map(sets).astype("int64"))
        fit = rev.survival.andersen_gill(rows, "treated", "start", "stop", "event", cluster="matched_set")
        s = fit.summary.loc["treated"]
        out.append(_row("ag_rate_ratio", s["hr"], s["ci_lower"], s["ci_upper"], s["robust_se"],
                        _truth_ag(row_worlds[row_worlds["person_id"].isin(kept)]), _truth_ag(row_worlds),
                        DA_EFFECT, m_all))
    seconds = time.perf_counter() - clock
    for row in out:
        row.update(seed=seed, seconds=seconds)
    return out


def diagnose(seed: int, n_participants: int = 1000, n_comparison: int = 10000) -> dict:
    """Residual confounding after matching (everyone design), one replication.

    Compares the matched comparison group with the matched participants' own untreated world
    (which it stands in for): DA incidents per year at liberty and the share with a first proven
    reoffence by day 365 (``event``). Ratios near 1 mean the match balanced the hidden
    frailties; a ratio above 1 means the comparison group is lower-risk than the participants.
    Also the NB rate ratio adjusted for the matching covariates (rates are collapsible, so
    adjustment removes residual imbalance without changing the estimand) and the signed SMDs
    of the propensity score and log(1 + prior DA incidents).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kw = dict(programme=PROGRAMME, n_participants=n_participants, n_comparison=n_comparison, seed=seed,
                  start_years=START_YEARS)
        data = rev.synthetic.generate(effect=EFFECT, da_effect=DA_EFFECT, **kw)
        untreated = rev.synthetic.generate(effect=1.0, da_effect=1.0, **kw)
        rules = rev.OutcomeRules(programme=PROGRAMME, extract_date=data.truth["extract_date"])
        people = _with_da_exposure(rev.derive_outcomes(data, rules),
                                   rev.recurrent_events(data, rules, kind="da_incidents"))
        people0 = _with_da_exposure(rev.derive_outcomes(untreated, rules),
                                    rev.recurrent_events(untreated, rules, kind="da_incidents"))
        m = rev.match(people, FORMULA, caliper=CALIPER)
        md = _matched(m)
        md = md[md["da_years_at_risk"] > 0]
        treated_ids = md.loc[md["treated"] == 1, "person_id"]
        world0 = people0[people0["person_id"].isin(treated_ids)]
        control = md[md["treated"] == 0]

        def rate(frame):
            return frame["da_incidents_observed"].sum() / frame["da_years_at_risk"].sum()

        crude = rev.effects.rate_ratio(dataclasses.replace(m, data=md), "da_incidents_observed", "da_years_at_risk",
                                       family="negative_binomial").table.loc["rate_ratio", "estimate"]
        adjusted = rev.effects.rate_ratio(dataclasses.replace(m, data=md), "da_incidents_observed", "da_years_at_risk",
                                          family="negative_binomial", covariates=FORMULA.split("~")[1]
                                          ).table.loc["rate_ratio", "estimate"]
        smd = m.balance["smd_after"]
    return {"seed": seed, "da_rate_untreated_world_over_control": rate(world0) / rate(control),
            "reoffence_untreated_world_over_control": world0["event"].mean() / control["event"].mean(),
            "nb_crude": float(crude), "nb_adjusted": float(adjusted), "smd_distance": float(smd["distance"]),
            "smd_log_prior_da": float(smd["np.log1p(prior_da_incidents)"])}


def _with_da_exposure(people: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """DA incidents over the observed follow-up and years at liberty per person (as evaluate's run.py)."""
    per_person = (rows.assign(days=rows["stop"] - rows["start"]).groupby("person_id", observed=True)
                  .agg(da_incidents_observed=("n_events", "sum"), da_days=("days", "sum")))
    out = people.merge(per_person, left_on="person_id", right_index=True, how="left", validate="many_to_one")
    out["da_incidents_observed"] = out["da_incidents_observed"].fillna(0).astype("int64")
    out["da_years_at_risk"] = out["da_days"].fillna(0).astype("float64") / 365.25
    return out.drop(columns="da_days").reset_index(drop=True)


def _stack(treated_world: pd.DataFrame, untreated_world: pd.DataFrame) -> pd.DataFrame:
    """The participants twice: ``world`` 1 (as observed, treated) and 0 (their untreated world)."""
    return pd.concat([treated_world.assign(world=1), untreated_world.assign(world=0)], ignore_index=True)


def _matched(result) -> pd.DataFrame:
    return result.data[result.data["weights"] > 0]


def _truth_hr(worlds: pd.DataFrame) -> float:
    return float(rev.survival.cox(worlds, "world", "time", "event").summary.loc["world", "hr"])


def _truth_rd(worlds: pd.DataFrame) -> float:
    risk = worlds.groupby("world")["reoffended"].apply(lambda v: v.astype(float).mean())
    return float(risk[1] - risk[0])


def _truth_nb(worlds: pd.DataFrame) -> float:
    at_risk = worlds[worlds["da_years_at_risk"] > 0]
    fit = rev.effects.rate_ratio(at_risk, "da_incidents_observed", "da_years_at_risk", treatment="world",
                                 family="negative_binomial")
    return float(fit.table.loc["rate_ratio", "estimate"])


def _truth_ag(rows: pd.DataFrame) -> float:
    return float(rev.survival.andersen_gill(rows, "world", "start", "stop", "event",
                                            cluster="person_id").summary.loc["world", "hr"])


def _row(estimator, estimate, lower, upper, se, truth_matched, truth_all, truth_generator, result) -> dict:
    data = result.data
    matched = data["weights"] > 0
    treated = data["treated"] == 1
    n_input = int(result.counts.loc["all", "treated"])
    n_treated = int((matched & treated).sum())
    balance = result.balance.drop(index="distance", errors="ignore")["smd_after"].abs()
    return {"estimator": estimator, "estimate": float(estimate), "ci_lower": float(lower), "ci_upper": float(upper),
            "se": float(se), "truth_matched": truth_matched, "truth_all": truth_all,
            "truth_generator": float(truth_generator), "n_treated": n_treated,
            "n_comparison": int((matched & ~treated).sum()), "treated_unmatched": n_input - n_treated,
            "max_abs_smd": float(balance.max())}


def summarise(results: pd.DataFrame) -> pd.DataFrame:
    """Per estimator: replications, the study truth, coverage (with its Monte Carlo SE), relative bias,
    mean SE against the SD of the estimates, and whether the 92-98% / 5% criteria are met.

    Ratios are judged on the log scale: bias = (mean log estimate - log truth) / |log truth|.
    """
    rows = []
    for name in ESTIMATORS:
        r = results[results["estimator"] == name]
        if r.empty:
            continue
        log = name in RATIOS
        f = np.log if log else (lambda v: v)
        est, lo, hi = f(r["estimate"].to_numpy()), f(r["ci_lower"].to_numpy()), f(r["ci_upper"].to_numpy())
        own = f(r["truth_matched"].to_numpy())
        truth = own.mean()  # the study truth: mean of the per-replication truths
        cover = np.mean((lo <= truth) & (truth <= hi))
        bias = (est.mean() - truth) / abs(truth)
        reps = len(r)
        rows.append({
            "estimator": name, "reps": reps, "scale": "log" if log else "proportion",
            "truth": float(np.exp(truth) if log else truth),
            "truth_all_participants": float(np.exp(f(r["truth_all"]).mean()) if log else r["truth_all"].mean()),
            "truth_generator": float(np.exp(f(r["truth_generator"]).mean()) if log else r["truth_generator"].mean()),
            "mean_estimate": float(np.exp(est.mean()) if log else est.mean()),
            "coverage": cover, "coverage_mc_se": float(np.sqrt(cover * (1 - cover) / reps)),
            "coverage_own_truth": float(np.mean((lo <= own) & (own <= hi))),
            "relative_bias": bias, "bias_mc_se": float(est.std(ddof=1) / np.sqrt(reps) / abs(truth)),
            "mean_se": float(r["se"].mean()), "sd_estimates": float(est.std(ddof=1)),
            "se_over_sd": float(r["se"].mean() / est.std(ddof=1)),
            "meets_criteria": bool(0.92 <= cover <= 0.98 and abs(bias) < 0.05),
        })
    return pd.DataFrame(rows).set_index("estimator")


def run(reps: int, workers: int, out: Path, n_participants: int, n_comparison: int) -> pd.DataFrame:
    """Run the replications not yet in ``out`` (seeds 1..reps), appending each as it finishes."""
    done = set(pd.read_csv(out)["seed"]) if out.exists() else set()
    todo = [s for s in range(1, reps + 1) if s not in done]
    out.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()

    def save(rows: list[dict]) -> None:
        frame = pd.DataFrame(rows, columns=COLUMNS)
        frame.to_csv(out, mode="a", header=not out.exists(), index=False)

    if workers <= 1:
        for i, seed in enumerate(todo, 1):
            save(replicate(seed, n_participants, n_comparison))
            _progress(i, len(todo), start)
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(replicate, s, n_participants, n_comparison): s for s in todo}
            for i, future in enumerate(as_completed(futures), 1):
                save(future.result())
                _progress(i, len(todo), start)
    return pd.read_csv(out)


def _progress(i: int, n: int, start: float) -> None:
    if i % 10 == 0 or i == n:
        print(f"  {i}/{n} replications, {time.perf_counter() - start:.0f} s", flush=True)


def to_markdown(summary: pd.DataFrame, results: pd.DataFrame, wall_seconds: float | None) -> str:
    seeds = results["seed"].nunique()
    lines = [
        "# Coverage study of the matched flow (benchmarks/coverage_study.py)", "",
        f"{seeds} replications; DRIVE, effect {EFFECT} (offending), da_effect {DA_EFFECT} (DA incidents), "
        f"start_years {START_YEARS:g}; match `{FORMULA}`, 1:1 nearest, caliper {CALIPER} SD. "
        f"Mean matched treated: {results.groupby('estimator')['n_treated'].mean().round(0).to_dict()}. "
        f"Mean seconds of one core per replication: {results.groupby('seed')['seconds'].first().mean():.1f}"
        + (f"; wall time of this run {wall_seconds / 60:.1f} min." if wall_seconds and wall_seconds > 5 else "."), "",
        "Truth: observable-scale potential outcomes (same seed, effect = 1 gives the untreated world), "
        "mean over replications; ratios judged on the log scale.", "",
        "| estimator | reps | truth | generator truth | mean estimate | coverage (MC SE) | coverage of own truth "
        "| relative bias (MC SE) | mean SE | SD of estimates | meets 92-98% / 5% |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, s in summary.iterrows():
        lines.append(
            f"| {name} | {s['reps']} | {s['truth']:.4f} | {s['truth_generator']:.4f} | {s['mean_estimate']:.4f} "
            f"| {s['coverage']:.1%} ({s['coverage_mc_se']:.1%}) | {s['coverage_own_truth']:.1%} "
            f"| {s['relative_bias']:+.1%} ({s['bias_mc_se']:.1%}) | {s['mean_se']:.4f} | {s['sd_estimates']:.4f} "
            f"| {'yes' if s['meets_criteria'] else 'NO'} |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=200, help="replications (seeds 1..reps); done ones are skipped")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (the machine has 2 cores)")
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--comparison", type=int, default=10000)
    parser.add_argument("--out", type=Path, default=RESULTS / "coverage_study.csv")
    parser.add_argument("--diagnose", type=int, default=0, metavar="N",
                        help="instead: residual-confounding diagnostics over seeds 1..N (printed, not saved)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    if args.diagnose:
        with ProcessPoolExecutor(max_workers=max(args.workers, 1)) as pool:
            rows = list(pool.map(diagnose, range(1, args.diagnose + 1), [args.participants] * args.diagnose,
                                 [args.comparison] * args.diagnose))
        frame = pd.DataFrame(rows).set_index("seed")
        logs = np.log(frame[[c for c in frame.columns if not c.startswith("smd")]])
        lines = [f"{len(frame)} replications (seeds 1..{args.diagnose}), everyone matched: geometric means "
                 "(log-scale mean +- MC SE) and mean signed SMDs after matching"]
        for column in logs.columns:
            v = logs[column]
            lines.append(f"  {column:40s} {np.exp(v.mean()):.4f}  (log {v.mean():+.4f} +- "
                         f"{v.std(ddof=1) / np.sqrt(len(v)):.4f})")
        for column in ("smd_distance", "smd_log_prior_da"):
            v = frame[column]
            lines.append(f"  {column:40s} {v.mean():+.4f} +- {v.std(ddof=1) / np.sqrt(len(v)):.4f}")
        text = "\n".join(lines) + "\n"
        (args.out.parent / "coverage_study_diagnose.txt").write_text(text)
        print(text)
        return
    results = run(args.reps, args.workers, args.out, args.participants, args.comparison)
    results = results[results["seed"] <= args.reps]
    summary = summarise(results)
    text = to_markdown(summary, results, time.perf_counter() - start)
    if results["seed"].max() > 200:  # the issue asks for 200: show those too
        first = results[results["seed"] <= 200]
        text += "\n" + to_markdown(summarise(first), first, None).split("\n", 2)[2]
    args.out.with_suffix(".md").write_text(text)
    with pd.option_context("display.width", 200, "display.max_columns", 30):
        print(summary)
    print(text)


if __name__ == "__main__":
    main()
