"""How long the report stage takes: report.html, evidence.md and evidence.docx for one evaluation.

    PYTHONPATH=src python benchmarks/report_outputs.py [N_PARTICIPANTS]

Runs a synthetic DRIVE evaluation first (not timed), then times write_report_files.
"""
import sys
import tempfile
import time
import warnings
from pathlib import Path

from reoffend_eval import synthetic
from reoffend_eval.evaluate import evaluate
from reoffend_eval.examples import write_example
from reoffend_eval.report.html import write_report_files

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1500
folder = Path(tempfile.mkdtemp(prefix="bench-report-"))
data = synthetic.generate(programme="DRIVE", n_participants=n, n_comparison=n * 10, seed=1, effect=0.7)
data.to_folder(folder / "data")
config = write_example("DRIVE", folder, extract_date=data.truth["extract_date"])
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    start = time.perf_counter()
    ev = evaluate(config)
    evaluated = time.perf_counter() - start
for attempt in range(3):
    start = time.perf_counter()
    written = write_report_files(ev, folder / "results")
    print(f"{n:,} participants: report files in {time.perf_counter() - start:.2f} s "
          f"(evaluation itself {evaluated:.1f} s); sizes: "
          + ", ".join(f"{p.name} {p.stat().st_size / 1024:.0f} KiB" for p in written.values()))
