import json
from pathlib import Path

import pandas as pd
import pytest

FIXTURES = Path(__file__).parents[1] / "fixtures" / "effects"


@pytest.fixture(scope="session")
def matching_rows():
    return pd.read_csv(FIXTURES / "matching_rows.csv.gz")


@pytest.fixture(scope="session")
def att():
    return json.loads((FIXTURES / "matching_att.json").read_text())


@pytest.fixture(scope="session")
def r_effects():
    return json.loads((FIXTURES / "r_effects.json").read_text())


@pytest.fixture(scope="session")
def counts():
    return pd.read_csv(FIXTURES / "counts.csv")
