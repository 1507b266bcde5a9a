"""One small evaluation per programme type, made once per test session, and every output it writes."""
import warnings
from pathlib import Path

import pytest

from reoffend_eval import synthetic
from reoffend_eval.evaluate import evaluate
from reoffend_eval.examples import write_example
from reoffend_eval.report.html import write_report_files


def _evaluation(folder: Path, programme: str, n_participants: int, n_comparison: int, seed: int):
    data = synthetic.generate(programme=programme, n_participants=n_participants, n_comparison=n_comparison,
                              seed=seed, effect=0.7)
    data.to_folder(folder / "data")
    config = write_example(programme, folder, extract_date=data.truth["extract_date"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return evaluate(config), data


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
