"""How long does a whole evaluation take? 10,000 DRIVE participants against a 1,000,000-person pool.

Run by hand (not in CI):  python benchmarks/evaluate_speed.py [--participants 10000] [--pool 1000000]
Target (issue 8): under 3 minutes on the 2-core machine. Prints each stage's time and the peak memory.
"""
from __future__ import annotations

import argparse
import resource
import tempfile
import time
import warnings
from pathlib import Path

import reoffend_eval as rev
from reoffend_eval.evaluate.analyses import run_analyses
from reoffend_eval.evaluate.config import read_config
from reoffend_eval.examples import write_example


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--pool", type=int, default=1_000_000)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    folder = Path(tempfile.mkdtemp(prefix="rev-bench-"))
    t = time.perf_counter()
    data = rev.synthetic.generate(programme="DRIVE", n_participants=args.participants, n_comparison=args.pool, seed=1)
    data.to_folder(folder / "data")
    config_path = write_example("DRIVE", folder, extract_date=data.truth["extract_date"])
    print(f"make data: {time.perf_counter() - t:.1f} s ({data})")

    stages = {}
    start = time.perf_counter()
    t = time.perf_counter()
    loaded = rev.load(folder / "data")
    stages["load"] = time.perf_counter() - t
    t = time.perf_counter()
    checked = rev.validate(loaded, extract_date=data.truth["extract_date"], programme="DRIVE")
    stages["validate"] = time.perf_counter() - t
    t = time.perf_counter()
    rules = rev.OutcomeRules(programme="DRIVE", extract_date=data.truth["extract_date"])
    people = rev.derive_outcomes(checked.clean, rules)
    rows = rev.recurrent_events(checked.clean, rules, kind="da_incidents")
    stages["outcomes"] = time.perf_counter() - t
    t = time.perf_counter()
    from reoffend_eval.evaluate.run import _with_da_exposure

    run_analyses(_with_da_exposure(people, rows), read_config(config_path), da_rows=rows)
    peak_staged = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    stages["match + estimate"] = time.perf_counter() - t
    staged = time.perf_counter() - start
    for name, seconds in stages.items():
        print(f"{name:<18} {seconds:7.1f} s")
    print(f"{'stages total':<18} {staged:7.1f} s (peak memory so far {peak_staged:.1f} GB)")

    del loaded, checked, people, rows
    import gc

    gc.collect()
    t = time.perf_counter()
    ev = rev.evaluate(config_path)
    whole = time.perf_counter() - t
    ev.write(folder / "results")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(f"rev.evaluate (one call): {whole:.1f} s; peak memory {peak:.1f} GB; targets: "
          + ", ".join(f"{a.target.id} {a.verdict}" for a in ev.assessments))


if __name__ == "__main__":
    main()
