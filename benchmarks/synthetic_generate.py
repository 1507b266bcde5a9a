"""Time and peak memory of ``reoffend_eval.synthetic.generate`` (run by hand, not in tests).

    PYTHONPATH=src python benchmarks/synthetic_generate.py [n_participants] [n_comparison] [programme ...]

Defaults: 10,000 participants against a 1,000,000-person comparison pool, all
three programmes. Peak memory is the process's maximum resident set size
(``ru_maxrss``), so run one programme per process for a clean figure. The
machine may be shared, so CPU seconds are shown next to wall-clock seconds.
Import time is reported apart.
"""
from __future__ import annotations

import resource
import sys
import time


def main(argv: list[str]) -> None:
    n_participants = int(argv[1]) if len(argv) > 1 else 10_000
    n_comparison = int(argv[2]) if len(argv) > 2 else 1_000_000
    programmes = argv[3:] or ["DRIVE", "Up2U", "Turnaround"]
    started = time.perf_counter()
    from reoffend_eval import synthetic

    print(f"imports: {time.perf_counter() - started:.1f} s")
    for programme in programmes:
        started, cpu = time.perf_counter(), time.process_time()
        data = synthetic.generate(programme, n_participants=n_participants, n_comparison=n_comparison, seed=1)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        rows = ", ".join(f"{k}={v:,}" for k, v in data.row_counts.items())
        print(f"{programme:<10} {seconds:6.1f} s wall, {cpu:6.1f} s CPU, peak RSS so far {peak_mb:,.0f} MB  ({rows})")


if __name__ == "__main__":
    main(sys.argv)
