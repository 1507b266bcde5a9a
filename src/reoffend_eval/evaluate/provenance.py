"""Provenance: what exactly was run on what, so a result can be reproduced and checked."""

from __future__ import annotations

import datetime as dt
import hashlib
import platform
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from ..data import CohortData

# the packages an evaluation runs on (statsmodels and lifelines are only for the optional hand-offs)
DEPENDENCIES = ("pandas", "numpy", "scipy", "pyarrow", "great-expectations", "formulaic")


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def file_hash(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def provenance(
    data: CohortData, config_path: Path | None, targets_path: Path | None, seed: int, costs_path: Path | None = None
) -> dict:
    """Hashes of every input file (names only, no folders), the config, versions and seed."""
    inputs = {
        name: {"file": Path(src.path).name if src.path else None, "sha256": src.sha256, "format": src.format}
        for name, src in data.sources.items()
    }
    return {
        "library": {"reoffend-eval": _version("reoffend-eval")},
        "dependencies": {name: _version(name) for name in DEPENDENCIES},
        "python": platform.python_version(),
        "inputs": inputs,
        "config": {"file": config_path.name, "sha256": file_hash(config_path)} if config_path else None,
        "targets": {"file": targets_path.name, "sha256": file_hash(targets_path)} if targets_path else None,
        "costs": {"file": costs_path.name, "sha256": file_hash(costs_path)} if costs_path else None,
        "seed": seed,
        "run_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
    }
