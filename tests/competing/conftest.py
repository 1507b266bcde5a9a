import json
from pathlib import Path

import pandas as pd
import pytest

FIXTURES = Path(__file__).parents[1] / "fixtures" / "competing"


@pytest.fixture(scope="session")
def cohort():
    return pd.read_csv(FIXTURES / "survival_cohort.csv")


@pytest.fixture(scope="session")
def cuminc_ref():
    return json.loads((FIXTURES / "cuminc_crr.json").read_text())


@pytest.fixture(scope="session")
def r_cuminc():
    return json.loads((FIXTURES / "r_cuminc.json").read_text())


@pytest.fixture(scope="session")
def mgus2():
    return pd.read_csv(FIXTURES / "mgus2.csv")


@pytest.fixture(scope="session")
def cmprsk_example():
    return pd.read_csv(FIXTURES / "cmprsk_example.csv")
