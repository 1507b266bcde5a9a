"""Shared small cohorts for the synthetic-data tests, generated once per session."""
from __future__ import annotations

import pytest

from reoffend_eval import synthetic


@pytest.fixture(scope="session")
def small():
    """One small cohort per programme."""
    return {
        programme: synthetic.generate(programme, n_participants=150, n_comparison=1000, seed=11)
        for programme in ("DRIVE", "Up2U", "Turnaround")
    }

