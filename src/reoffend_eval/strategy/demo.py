"""A strategy on synthetic data: the three programmes, each with a known true effect, and a strategy file."""

from __future__ import annotations

import os
from pathlib import Path

from .. import synthetic
from ..examples import FILES, write_example

#: true hazard ratios of reoffending the demo gives each programme
DEMO_EFFECTS = {"DRIVE": 0.7, "Up2U": 0.85, "Turnaround": 0.75}


def write_demo(
    folder: str | os.PathLike,
    *,
    n_participants: int = 1500,
    n_comparison: int = 15000,
    seed: int = 1,
    effects: dict[str, float] | None = None,
    data_format: str = "parquet",
) -> Path:
    """Write synthetic data and example configs for DRIVE, Up2U and Turnaround, and ``strategy.toml``.

    Returns the strategy file's path; each programme is in ``folder/<drive|up2u|turnaround>/``.
    """
    folder = Path(folder)
    effects = {**DEMO_EFFECTS, **(effects or {})}
    configs = []
    for i, (programme, stem) in enumerate(FILES.items()):
        data = synthetic.generate(
            programme=programme,
            n_participants=n_participants,
            n_comparison=n_comparison,
            seed=seed + i,
            effect=effects[programme],
        )
        data.to_folder(folder / stem / "data", format=data_format)
        assert data.truth is not None  # generate() always states its truth
        config = write_example(programme, folder / stem, extract_date=data.truth["extract_date"])
        configs.append(config.relative_to(folder).as_posix())
    path = folder / "strategy.toml"
    listed = ", ".join(f'"{c}"' for c in configs)
    path.write_text(
        "# A strategy on synthetic data (reoffend-eval demo --strategy). Paths are relative to this file.\n"
        'title = "Reducing Reoffending Strategy: scorecard (synthetic demonstration data)"\n'
        f"evaluations = [{listed}]\n"
        'history = "history"\n',
        encoding="utf-8",
    )
    return path
