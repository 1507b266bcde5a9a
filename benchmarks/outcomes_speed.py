"""Speed and memory of derive_outcomes / recurrent_events at full scale.

Builds a cohort straight in the data contract's dtypes with numpy (1,000,000 people,
10,000,000 offences and 5,000,000 ASB records by default, plus incidents, custody and exits), then times
``derive_outcomes`` and ``recurrent_events``. Peak memory: the process's peak RSS
(``resource.getrusage``, includes building the data) and the peak sampled from
/proc/self/statm while each call runs. The machine is shared (2 cores), so timings are noisy.

    PYTHONPATH=src python benchmarks/outcomes_speed.py [--people 1000000] [--offences 10000000] [--asb 5000000]
"""
from __future__ import annotations

import argparse
import os
import resource
import threading
import time
import warnings

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from reoffend_eval.data import CohortData
from reoffend_eval.data.contract import ASB_TYPES, DISPOSALS, EXIT_REASONS, EXIT_TYPES, INCIDENT_TYPES, OFFENCE_TYPES, PROGRAMMES, SEXES
from reoffend_eval.outcomes import OutcomeRules, derive_outcomes, recurrent_events

DAY0 = np.datetime64("2018-01-01", "D")


def ids(prefix: str, numbers: np.ndarray) -> pd.Series:
    text = pc.binary_join_element_wise(prefix, pa.array(numbers).cast(pa.string()), "")
    return pd.Series(pd.arrays.ArrowStringArray(text), dtype=pd.StringDtype("pyarrow"))


def dates(day_numbers: np.ndarray) -> np.ndarray:
    return (DAY0 + day_numbers.astype("timedelta64[D]")).astype("datetime64[ns]")


def codes(rng, values, n, p=None) -> pd.Categorical:
    return pd.Categorical.from_codes(rng.choice(len(values), size=n, p=p), categories=list(values))


def table(columns: dict) -> pd.DataFrame:
    frame = pd.DataFrame(columns)
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="row")
    return frame


def build(n_people: int, n_offences: int, seed: int = 1, n_asb: int = 0) -> CohortData:
    rng = np.random.default_rng(seed)
    n_treated = n_people // 10
    n_comp = n_people - n_treated
    start = rng.integers(365 * 2, 365 * 5, n_people)          # index dates 2020..2022
    dob = start - rng.integers(18 * 365, 60 * 365, n_people)
    treated_ids = ids("P", np.arange(n_treated))
    comp_ids = ids("P", np.arange(n_treated, n_people))
    participants = table({
        "person_id": treated_ids,
        "programme": pd.Categorical(["DRIVE"] * n_treated, categories=list(PROGRAMMES)),
        "referral_date": dates(start[:n_treated] - 20),
        "start_date": dates(start[:n_treated]),
        "end_date": dates(start[:n_treated] + 180),
        "exit_reason": codes(rng, EXIT_REASONS, n_treated),
        "date_of_birth": dates(dob[:n_treated]),
        "sex": codes(rng, SEXES, n_treated, [0.1, 0.88, 0.02]),
        "risk_level": codes(rng, ("standard", "medium", "high"), n_treated),
    })
    comparison = table({
        "person_id": comp_ids,
        "eligible_date": dates(start[n_treated:]),
        "date_of_birth": dates(dob[n_treated:]),
        "sex": codes(rng, SEXES, n_comp, [0.15, 0.83, 0.02]),
        "risk_level": codes(rng, ("standard", "medium", "high"), n_comp),
    })
    who = rng.integers(0, n_people, n_offences)
    offence_day = start[who] + rng.integers(-3 * 365, 2 * 365, n_offences)
    proven = rng.random(n_offences) < 0.7
    outcome = np.where(proven, offence_day + rng.integers(0, 300, n_offences), -1)
    outcome_dates = dates(outcome)
    outcome_dates[~proven] = np.datetime64("NaT")
    offences = table({
        "person_id": ids("P", who),
        "offence_date": dates(offence_day),
        "outcome_date": outcome_dates,
        "disposal": pd.Categorical.from_codes(np.where(proven, rng.choice(2, n_offences), rng.choice([2, 3, 4, 5], n_offences)),
                                              categories=list(DISPOSALS)),
        "offence_type": codes(rng, OFFENCE_TYPES, n_offences),
        "domestic_abuse": pd.array(rng.random(n_offences) < 0.3, dtype="boolean"),
    })
    n_inc = n_offences // 4
    perp = rng.integers(0, n_people, n_inc)
    incidents = table({
        "perpetrator_id": ids("P", perp),
        "victim_id": ids("V", perp * 3 + rng.integers(0, 3, n_inc)),
        "incident_date": dates(start[perp] + rng.integers(-3 * 365, 2 * 365, n_inc)),
        "incident_type": codes(rng, INCIDENT_TYPES, n_inc, [0.6, 0.3, 0.1]),
    })
    n_cust = n_people // 2
    jailed = rng.integers(0, n_people, n_cust)
    c_start = start[jailed] + rng.integers(-2 * 365, 365, n_cust)
    custody = table({
        "person_id": ids("P", jailed),
        "start_date": dates(c_start),
        "end_date": dates(c_start + rng.integers(1, 200, n_cust)),
    })
    n_exit = n_people // 50
    gone = rng.choice(n_people, n_exit, replace=False)
    exits = table({
        "person_id": ids("P", gone),
        "date": dates(start[gone] + rng.integers(1, 700, n_exit)),
        "reason": codes(rng, EXIT_TYPES, n_exit),
    })
    asb_who = rng.integers(0, n_people, n_asb)
    asb = table({
        "person_id": ids("P", asb_who),
        "date": dates(start[asb_who] + rng.integers(-2 * 365, 2 * 365, n_asb)),
        "type": codes(rng, ASB_TYPES, n_asb, [0.7, 0.12, 0.05, 0.05, 0.02, 0.02, 0.04]),
    })
    return CohortData(participants=participants, comparison=comparison, offences=offences,
                      incidents=incidents, custody=custody, exits=exits, asb=asb if n_asb else None)


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def measured(label: str, fn):
    peak = [rss_mb()]
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], rss_mb())
            time.sleep(0.05)

    before = rss_mb()
    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    t0, c0 = time.perf_counter(), time.process_time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = fn()
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    stop.set()
    thread.join()
    print(f"{label:<28} {seconds:6.1f} s wall, {cpu:6.1f} s CPU   RSS before {before / 1024:5.2f} GB, "
          f"peak during {peak[0] / 1024:5.2f} GB")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--offences", type=int, default=10_000_000)
    parser.add_argument("--asb", type=int, default=5_000_000)
    args = parser.parse_args()
    t0 = time.perf_counter()
    data = build(args.people, args.offences, n_asb=args.asb)
    print(f"built {data!r} in {time.perf_counter() - t0:.1f} s")
    rules = OutcomeRules(programme="DRIVE", extract_date="2024-06-30")
    people = measured("derive_outcomes", lambda: derive_outcomes(data, rules))
    print(f"  {len(people):,} rows; reoffended (full follow-up) {people['reoffended'].mean():.3f}; "
          f"events {int(people['event'].sum()):,}; any_asb {people['any_asb'].mean():.3f}; "
          f"DA reoffended {people['da_reoffended'].mean():.3f}; entered youth justice "
          f"{people['entered_youth_justice'].mean():.3f}")
    rows = measured("recurrent_events(reoffences)", lambda: recurrent_events(data, rules))
    print(f"  {len(rows):,} rows, {int(rows['n_events'].sum()):,} events")
    rows = measured("recurrent_events(da)", lambda: recurrent_events(data, rules, kind="da_incidents"))
    print(f"  {len(rows):,} rows, {int(rows['n_events'].sum()):,} events")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    print(f"process peak RSS (ru_maxrss, includes building the data): {peak:.2f} GB; machine shared, 2 cores; "
          f"load average now {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
