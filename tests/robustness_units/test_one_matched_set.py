"""One matched set is too few for a cluster-robust variance: a clear ValueError, never a ZeroDivisionError."""

from __future__ import annotations

import pandas as pd
import pytest

from reoffend_eval import effects
from reoffend_eval.evaluate.analyses import _Subset


def test_a_single_matched_pair_gives_a_clear_error():
    data = pd.DataFrame({"treated": [1, 0], "reoffended": [1.0, 0.0], "weights": [1.0, 1.0], "subclass": [1, 1]})
    with pytest.raises(ValueError, match="at least two clusters"):
        effects.risk_difference(_Subset(data, "treated"), "reoffended")
