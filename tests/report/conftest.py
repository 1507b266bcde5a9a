"""One small evaluation per programme type, made once per test session, and every output it writes."""
from pathlib import Path

import pytest

from reoffend_eval.report.html import write_report_files
from tests.synthetic_evaluation import evaluate_synthetic


def _evaluation(folder: Path, programme: str, n_participants: int, n_comparison: int, seed: int):
    return evaluate_synthetic(folder, programme, n_participants, n_comparison, seed=seed, effect=0.7)


@pytest.fixture(scope="session")
def drive(tmp_path_factory):
    """DRIVE, 500 participants: every section of the report has something in it; some subgroups are small."""
    return _evaluation(tmp_path_factory.mktemp("drive"), "DRIVE", 500, 3000, seed=5)


@pytest.fixture(scope="session")
def tiny(tmp_path_factory):
    """Turnaround, 40 participants: small cells everywhere, nothing measurable yet."""
    return _evaluation(tmp_path_factory.mktemp("tiny"), "Turnaround", 40, 600, seed=7)


@pytest.fixture(scope="session")
def drive_outputs(drive, tmp_path_factory):
    """Everything ``evaluate --report`` writes for the DRIVE evaluation: {name: path}."""
    ev, _ = drive
    folder = tmp_path_factory.mktemp("drive_results")
    return {**ev.write(folder), **write_report_files(ev, folder)}
