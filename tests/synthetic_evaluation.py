"""One recipe the tests share: a synthetic cohort written to a folder with the example config, then evaluated."""
from __future__ import annotations

import textwrap
import warnings
from pathlib import Path

from reoffend_eval import synthetic
from reoffend_eval.evaluate import evaluate
from reoffend_eval.examples import write_example


def evaluate_synthetic(folder: Path, programme: str, n_participants: int, n_comparison: int, *, seed: int,
                       effect: float, targets: str | None = None, costs: str | None = None):
    """``(evaluation, data)`` for a synthetic cohort; ``targets`` / ``costs`` (TOML text) replace the examples."""
    data = synthetic.generate(programme=programme, n_participants=n_participants, n_comparison=n_comparison,
                              seed=seed, effect=effect)
    data.to_folder(folder / "data")
    config = write_example(programme, folder, extract_date=data.truth["extract_date"])
    if targets is not None:
        (folder / config.name.replace(".toml", "_targets.toml")).write_text(textwrap.dedent(targets))
    if costs is not None:
        (folder / "costs.toml").write_text(textwrap.dedent(costs), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return evaluate(config), data
