"""How long does the strategy scorecard take? Three programmes, from scratch and rerun with nothing changed.

Run by hand (not in CI):
    python benchmarks/strategy_speed.py [--participants 10000] [--pool 1000000]

Targets (issue 16): 10,000 participants against 1,000,000 people for each of DRIVE, Up2U and
Turnaround, from scratch, in under 6 minutes on the 2-core machine; a rerun with nothing changed in
under 10 seconds. Prints the time of each step and the peak memory; the rerun is timed both inside
Python (``rev.strategy`` + ``.write``) and as the command line (which also pays the library's import).
"""
from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import reoffend_eval as rev
from reoffend_eval.strategy.demo import write_demo


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--pool", type=int, default=1_000_000)
    parser.add_argument("--folder", type=Path, default=None, help="Work folder (default: a new temporary one).")
    parser.add_argument("--jobs", type=int, default=None, help="Programmes evaluated at once (default: processors).")
    parser.add_argument("--keep-data", action="store_true", help="Reuse the data already in --folder.")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    folder = args.folder or Path(tempfile.mkdtemp(prefix="rev-strategy-bench-"))
    t = time.perf_counter()
    path = folder / "strategy.toml"
    if not (args.keep_data and path.exists()):
        path = write_demo(folder, n_participants=args.participants, n_comparison=args.pool, seed=1)
        print(f"make data (3 programmes, {args.participants:,} participants, {args.pool:,} pool each): "
              f"{time.perf_counter() - t:.1f} s")
    out = folder / "results"
    shutil.rmtree(out, ignore_errors=True)  # from scratch: no earlier run to reuse
    shutil.rmtree(folder / "history", ignore_errors=True)

    t = time.perf_counter()
    first = rev.strategy(path, out=out, jobs=args.jobs)
    evaluated = time.perf_counter() - t
    first.write(out)
    scratch = time.perf_counter() - t
    print(f"from scratch: {scratch:.1f} s (evaluations {evaluated:.1f} s, writing {scratch - evaluated:.1f} s); "
          f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2:.1f} GB")

    t = time.perf_counter()
    again = rev.strategy(path, out=out)
    again.write(out)
    rerun = time.perf_counter() - t
    assert all(run.reused for run in again.programmes), "a rerun with nothing changed must reuse every programme"
    print(f"rerun, nothing changed (in Python): {rerun:.1f} s")

    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", "from reoffend_eval.cli import app; app()", "strategy", str(path), "--out", str(out)],
        check=True,
        capture_output=True,
    )
    print(f"rerun, nothing changed (reoffend-eval strategy, a new process): {time.perf_counter() - t:.1f} s")
    print("targets: " + ", ".join(f"{r.programme} {r.id} {r.verdict}" for r in first.targets.itertuples()))


if __name__ == "__main__":
    main()
