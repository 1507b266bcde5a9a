import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "survival"
RTOL = 1e-6
AGREEMENT: dict[str, float] = {}  # test -> max relative difference seen (printed with SURVIVAL_REPORT=1)


def load_json(name):
    return json.loads((FIXTURES / name).read_text())


def close(actual, expected, rtol=RTOL, atol=0.0):
    """Assert relative agreement and return the max relative difference (for the report)."""
    a = np.asarray(actual, dtype=float)
    e = np.asarray(expected, dtype=float)
    np.testing.assert_allclose(a, e, rtol=rtol, atol=atol)
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.abs(a - e) / np.abs(e)
    rel = rel[np.isfinite(rel)]
    worst = float(rel.max()) if rel.size else 0.0
    if rtol <= RTOL:  # only the 1e-6 comparisons against references
        test = os.environ.get("PYTEST_CURRENT_TEST", "?").split(" ")[0]
        AGREEMENT[test] = max(AGREEMENT.get(test, 0.0), worst)
    return worst


def pytest_terminal_summary(terminalreporter):
    if os.environ.get("SURVIVAL_REPORT") and AGREEMENT:
        terminalreporter.write_line("max relative difference vs references (rtol 1e-6 checks):")
        for test, worst in sorted(AGREEMENT.items()):
            terminalreporter.write_line(f"  {worst:9.2e}  {test}")


@pytest.fixture(scope="session")
def cohort():
    return pd.read_csv(FIXTURES / "cohort.csv")


@pytest.fixture(scope="session")
def recurrent():
    return pd.read_csv(FIXTURES / "recurrent.csv")
