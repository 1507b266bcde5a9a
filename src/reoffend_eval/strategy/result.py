"""The strategy's scorecard: every target of every programme, with its verdict, trend and measurable-by date."""

from __future__ import annotations

import datetime as dt
import html
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..evaluate.history import latest_changes
from .config import StrategyConfig

SCORECARD_COLUMNS = [
    "programme",
    "id",
    "description",
    "verdict",
    "reason",
    "estimate",
    "ci_lower",
    "ci_upper",
    "threshold_type",
    "by",
    "measurable_by",
    "change",
]


@dataclass(frozen=True)
class ProgrammeRun:
    """One programme's evaluation as the scorecard needs it (public, disclosure-controlled tables only).

    ``evaluation`` is the full :class:`~reoffend_eval.evaluate.Evaluation` when it was run now,
    None when an unchanged earlier run was reused from ``source``.
    """

    programme: str
    name: str
    config_path: Path
    key: str
    reused: bool
    targets: pd.DataFrame
    headlines: tuple[str, ...]
    value_for_money: tuple[str, ...]
    starter_words: str
    extract_date: dt.date
    provenance: dict
    n_warnings: int
    history_rows: pd.DataFrame = field(repr=False)
    evaluation: object | None = field(default=None, repr=False)
    source: Path | None = None


@dataclass(frozen=True)
class Strategy:
    """``rev.strategy``'s result: ``targets`` (one row per target of every programme), ``programmes``, ``history``."""

    config: StrategyConfig
    source: Path
    programmes: tuple[ProgrammeRun, ...]
    history: pd.DataFrame | None = None

    @property
    def title(self) -> str:
        return self.config.title

    @property
    def targets(self) -> pd.DataFrame:
        """Every target: programme, id, verdict, reason, estimate and interval (as published), measurable_by, change."""
        frames = []
        for run in self.programmes:
            t = run.targets.copy()
            t.insert(0, "programme", run.programme)
            moved = latest_changes(self.history, run.programme) if self.history is not None else {}
            t["change"] = [moved.get(i, "") for i in t["id"]]
            if "measurable_by" not in t:
                t["measurable_by"] = ""
            frames.append(t.reindex(columns=SCORECARD_COLUMNS))
        if not frames:
            return pd.DataFrame(columns=SCORECARD_COLUMNS)
        return pd.concat(frames, ignore_index=True)

    def write(self, folder) -> dict[str, Path]:
        """Each programme's outputs and report in ``folder/<config name>/``, then ``strategy.html``,
        ``strategy.md``, ``strategy.docx`` and ``strategy_targets.csv`` in ``folder``."""
        from ..report.strategy_html import write_strategy_files
        from .outputs import write_programme

        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        written: dict[str, Path] = {}
        for run in self.programmes:
            target = out / run.name
            if run.evaluation is not None:
                write_programme(run, target)
            elif run.source is not None and run.source.resolve() != target.resolve():
                shutil.copytree(run.source, target, dirs_exist_ok=True)
            written[run.name] = target / "report.html"
        written.update(write_strategy_files(self, out))
        return written

    def to_html(self, path=None):
        """The scorecard page (self-contained HTML). Returns it, or writes it to ``path``."""
        from ..report.strategy_html import strategy_html

        page = strategy_html(self)
        if path is None:
            return page
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page, encoding="utf-8")
        return path

    def __repr__(self) -> str:
        counts = self.targets["verdict"].value_counts()
        return f"Strategy({self.title!r}; " + ", ".join(f"{n} {v}" for v, n in counts.items()) + ")"

    def _repr_html_(self) -> str:
        table = self.targets[["programme", "id", "verdict", "estimate", "measurable_by", "change"]].to_html(
            index=False, escape=True, na_rep=""
        )
        return f"<div><h3>{html.escape(self.title)}</h3>{table}</div>"
