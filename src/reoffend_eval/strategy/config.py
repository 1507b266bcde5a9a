"""The strategy file (TOML): a title, the evaluation configs of its programmes, and an optional run history.

Example::

    title = "Reducing Reoffending Strategy 2025-2028: scorecard"
    evaluations = ["drive.toml", "up2u.toml", "turnaround.toml"]   # relative to this file, or absolute
    history = "history"                                              # optional run-history folder
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..evaluate import ConfigError, EvaluationConfig, read_config
from ..evaluate._toml import build, read_toml


@dataclass(frozen=True)
class StrategyConfig:
    """A strategy: its title, its programmes' evaluation configs and where its run history is kept."""

    title: str
    evaluations: tuple[str, ...]
    history: str | None = None
    base_dir: str = field(default=".", compare=False)

    def __post_init__(self):
        if not self.title.strip():
            raise ValueError("title is empty; give the strategy's name as the board knows it")
        if not self.evaluations:
            raise ValueError('evaluations is empty; list the evaluation configs, e.g. ["drive.toml"]')

    def path(self, relative: str) -> Path:
        """A path from the strategy file, resolved against its folder."""
        p = Path(relative)
        return p if p.is_absolute() else Path(self.base_dir) / p


def read_strategy(path: str | os.PathLike) -> tuple[StrategyConfig, tuple[tuple[Path, EvaluationConfig], ...]]:
    """The strategy and each evaluation's config, every one checked before anything runs.

    A mistake names the strategy file and the field (``evaluations[1] = "up2u.toml"``) and what is wrong.
    """
    path = Path(path)
    raw = read_toml(path)
    if "base_dir" in raw:
        raise ConfigError(f"{path.name}: unknown field 'base_dir'")
    strategy = build(StrategyConfig, raw, path.name)
    strategy = StrategyConfig(**{**strategy.__dict__, "base_dir": str(path.resolve().parent)})
    configs = []
    names: dict[str, str] = {}
    for i, relative in enumerate(strategy.evaluations):
        where = f"{path.name}: evaluations[{i}] = {relative!r}"
        config_path = strategy.path(relative)
        if not config_path.is_file():
            raise ConfigError(f"{where}: no such evaluation config ({config_path})")
        try:
            config = read_config(config_path)
        except ConfigError as exc:
            raise ConfigError(f"{where}: {exc}") from None
        if config_path.stem in names:
            raise ConfigError(
                f"{where}: another evaluation, {names[config_path.stem]!r}, has the same file name; each "
                "programme's report is written to a folder named after its config, so give them different names"
            )
        names[config_path.stem] = relative
        configs.append((config_path, config))
    return strategy, tuple(configs)
