"""How long validate() takes on 1,000,000 people and 10,000,000 offence rows.

Builds typed tables directly with numpy (as load() would type them: pyarrow
text, categorical codes, datetime64 dates, index ``row`` from 1), with a small
share of deliberate defects so quarantine is exercised, then prints seconds per
stage. Run by hand:  PYTHONPATH=src python benchmarks/validate_speed.py [people] [offences]
"""
from __future__ import annotations

import sys
import time

import numpy as np
import pandas as pd
import pyarrow as pa

from reoffend_eval.data import CohortData
from reoffend_eval.data.contract import DISPOSALS, EXIT_REASONS, OFFENCE_TYPES, PROGRAMMES, SEXES

EPOCH = np.datetime64("2015-01-01", "D")


def _ids(prefix: str, n: int) -> pa.Array:
    return pa.array(np.char.add(prefix, np.arange(1, n + 1).astype("U8")).astype(object), type=pa.large_string())


def _text(values: pa.Array) -> pd.Series:
    return pd.Series(pd.arrays.ArrowStringArray(values.cast(pa.large_string()))).astype(pd.StringDtype("pyarrow"))


def _dates(days: np.ndarray) -> np.ndarray:
    return (EPOCH + days.astype("timedelta64[D]")).astype("datetime64[ns]")


def _codes(rng, codes, n, p=None) -> pd.Categorical:
    return pd.Categorical.from_codes(rng.choice(len(codes), size=n, p=p), categories=list(codes))


def _frame(columns: dict) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    out = pd.DataFrame({k: (v.to_numpy() if isinstance(v, pd.Series) else v) for k, v in columns.items()})
    for k, v in columns.items():
        if isinstance(v, pd.Series):
            out[k] = v.array
    out.index = pd.RangeIndex(1, n + 1, name="row")
    return out


def build(n_people: int = 1_000_000, n_offences: int = 10_000_000, seed: int = 1) -> CohortData:
    rng = np.random.default_rng(seed)
    n_part = n_people // 10
    n_comp = n_people - n_part
    part_ids, comp_ids = _ids("P", n_part), _ids("C", n_comp)
    dob_p = rng.integers(-365 * 60, -365 * 19, n_part)
    referral = rng.integers(0, 3000, n_part)
    start = referral + rng.integers(0, 60, n_part)
    end = start + rng.integers(30, 400, n_part)
    ongoing = rng.random(n_part) < 0.1
    participants = _frame({
        "person_id": _text(part_ids),
        "programme": pd.Categorical(np.full(n_part, "DRIVE"), categories=list(PROGRAMMES)),
        "referral_date": _dates(referral), "start_date": _dates(start),
        "end_date": np.where(ongoing, np.datetime64("NaT"), _dates(end)).astype("datetime64[ns]"),
        "exit_reason": pd.Categorical(np.where(ongoing, "ongoing", "completed"), categories=list(EXIT_REASONS)),
        "date_of_birth": _dates(dob_p), "sex": _codes(rng, SEXES, n_part, [0.2, 0.79, 0.01]),
    })
    comparison = _frame({
        "person_id": _text(comp_ids), "eligible_date": _dates(rng.integers(0, 3000, n_comp)),
        "date_of_birth": _dates(rng.integers(-365 * 60, -365 * 19, n_comp)),
        "sex": _codes(rng, SEXES, n_comp, [0.2, 0.79, 0.01]),
    })
    who = rng.integers(0, n_people, n_offences)
    all_ids = pa.concat_arrays([part_ids, comp_ids])
    person = all_ids.take(pa.array(who))
    offence_day = rng.integers(0, 3500, n_offences)
    proven = rng.random(n_offences) < 0.6
    outcome = np.where(proven, _dates(offence_day + rng.integers(0, 200, n_offences)), np.datetime64("NaT"))
    offences = _frame({
        "person_id": _text(person), "offence_date": _dates(offence_day),
        "outcome_date": outcome.astype("datetime64[ns]"),
        "disposal": _codes(rng, DISPOSALS, n_offences), "offence_type": _codes(rng, OFFENCE_TYPES, n_offences),
    })
    # a few defects of each kind, so quarantine has work to do
    bad = rng.choice(n_offences, 1000, replace=False) + 1
    offences.loc[bad[:300], "outcome_date"] = offences.loc[bad[:300], "offence_date"] - pd.Timedelta(days=5)
    offences.loc[bad[300:600], "offence_date"] = pd.Timestamp("2031-01-01")
    offences.loc[bad[600:], "person_id"] = "NOBODY"
    custody_n = n_people // 20
    c_start = rng.integers(0, 3000, custody_n)
    custody = _frame({
        "person_id": _text(all_ids.take(pa.array(rng.integers(0, n_people, custody_n)))),
        "start_date": _dates(c_start), "end_date": _dates(c_start + rng.integers(10, 300, custody_n)),
    })
    return CohortData(participants=participants, comparison=comparison, offences=offences, custody=custody)


def _load() -> str:
    return " ".join(open("/proc/loadavg").read().split()[:3])


def main() -> None:
    """Usage: validate_speed.py [people] [offences] [repeats]."""
    n_people = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    n_offences = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000_000
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    t0 = time.perf_counter()
    data = build(n_people, n_offences)
    print(f"built {data!r} in {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    from reoffend_eval.validate import _gx

    _gx._gx()
    print(f"import great_expectations: {time.perf_counter() - t0:.1f} s (once per process)")
    from reoffend_eval.validate import validate

    for run in range(1, repeats + 1):
        timings: dict = {}
        load_before = _load()
        t0, c0 = time.perf_counter(), time.process_time()
        result = validate(data, extract_date="2030-01-01", timings=timings)
        total, cpu = time.perf_counter() - t0, time.process_time() - c0
        print(f"run {run}: load average before {load_before}, after {_load()}")
        print(f"  {'stage':<34} {'wall s':>7} {'cpu s':>7}")
        for stage, seconds in timings.items():
            if stage != "cpu":
                print(f"  {stage:<34} {seconds:7.2f} {timings.get('cpu', {}).get(stage, float('nan')):7.2f}")
        # on a machine shared with other work the wall clock overstates; CPU time is what
        # validate itself used (pandas and GX run on one core here)
        print(f"validate total: {total:.1f} s wall clock, {cpu:.1f} s CPU", flush=True)
    print(result.counts.to_string())
    print(result.summary[result.summary["rows_failing"] > 0].to_string())


if __name__ == "__main__":
    main()
