import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "survival"
RTOL = 1e-6


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
    return float(rel.max()) if rel.size else 0.0


@pytest.fixture(scope="session")
def cohort():
    return pd.read_csv(FIXTURES / "cohort.csv")


@pytest.fixture(scope="session")
def recurrent():
    return pd.read_csv(FIXTURES / "recurrent.csv")
