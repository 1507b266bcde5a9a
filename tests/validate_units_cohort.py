"""A small valid cohort, loaded, for unit tests outside tests/validate."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "validate"))
from validate_cohort import good_tables, load  # noqa: E402


@pytest.fixture
def good_data():
    return load(good_tables())
