"""Bundled example configs and targets (one pair per programme), used by ``reoffend-eval demo``."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path

FILES = {"DRIVE": "drive", "Up2U": "up2u", "Turnaround": "turnaround"}


def example_text(programme: str, kind: str = "config") -> str:
    """The example config (``kind="config"``) or targets (``kind="targets"``) of a programme, as text."""
    stem = FILES[programme]
    name = f"{stem}.toml" if kind == "config" else f"{stem}_targets.toml"
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def write_example(programme: str, folder: str | Path, extract_date: dt.date | None = None) -> Path:
    """Write the programme's example config, targets and costs into ``folder``; returns the config's path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    config = example_text(programme, "config")
    if extract_date is not None:
        config = config.replace("# extract_date = 2026-03-31 ", f"extract_date = {extract_date.isoformat()}   ")
    stem = FILES[programme]
    (folder / f"{stem}_targets.toml").write_text(example_text(programme, "targets"), encoding="utf-8")
    (folder / "costs.toml").write_text(
        resources.files(__package__).joinpath("costs.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    path = folder / f"{stem}.toml"
    path.write_text(config, encoding="utf-8")
    return path
