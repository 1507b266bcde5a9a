"""The names analysts import (shared/DESIGN.md, "Public API") exist and behave as documented."""
import importlib

import reoffend_eval as rev


def test_every_documented_name_is_there():
    for name in ("load", "validate", "derive_outcomes", "recurrent_events", "OutcomeRules", "match", "weight",
                 "balance", "evaluate", "synthetic", "survival", "effects", "sensitivity", "CohortData"):
        assert hasattr(rev, name), name
    for name in ("kaplan_meier", "cox", "rmst", "cumulative_incidence", "mean_cumulative_function"):
        assert callable(getattr(rev.survival, name)), name
    for name in ("risk_difference", "rate_ratio"):
        assert callable(getattr(rev.effects, name)), name
    assert callable(rev.synthetic.generate)


def test_stage_packages_are_called_as_functions_and_stay_importable():
    assert callable(rev.validate) and callable(rev.evaluate)
    assert importlib.import_module("reoffend_eval.evaluate.targets").MEASURES
    assert rev.evaluate.read_config is importlib.import_module("reoffend_eval.evaluate.config").read_config
    data = rev.synthetic.generate(programme="Up2U", n_participants=30, n_comparison=200, seed=5)
    checked = rev.validate(data, extract_date=data.truth["extract_date"], programme="Up2U")
    assert len(checked.clean.participants) + (checked.quarantine["table"] == "participants").sum() >= 30
