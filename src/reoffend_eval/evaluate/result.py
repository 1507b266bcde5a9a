"""The evaluation result: tidy tables, verdicts, sentences and provenance."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from .config import EvaluationConfig
from .measurable import StarterRate
from .value_for_money import ValueForMoney
from .verdicts import Assessment

# The report stage writes pages; this stage must not import it (a later stage imports earlier
# ones, never the reverse, not even inside a function). So the report stage registers its
# writers here when it is imported, and ``import reoffend_eval`` imports it: ``ev.to_html()``
# works for the user while the package graph stays one-way (report -> evaluate).
_WRITERS: dict[str, Callable] = {}
WRITER_NAMES = ("outputs", "markdown", "html", "docx")


def register_writers(**writers: Callable) -> None:
    """Register the functions behind ``Evaluation.write/to_markdown/to_html/to_docx`` (the report stage calls this)."""
    unknown = set(writers) - set(WRITER_NAMES)
    if unknown:
        raise ValueError(f"unknown writer(s) {sorted(unknown)}; known: {', '.join(WRITER_NAMES)}")
    _WRITERS.update(writers)


def _writer(name: str) -> Callable:
    try:
        return _WRITERS[name]
    except KeyError:
        raise RuntimeError(
            f"no {name} writer is registered: import reoffend_eval.report (importing reoffend_eval does it)"
        ) from None


@dataclass(frozen=True)
class Evaluation:
    """Everything ``rev.evaluate`` found.

    Tables (aggregates): ``cohort_flow`` (people per stage and group), ``quality``
    (validation rules and rows failing), ``balance`` (covariate balance before and
    after matching), ``results`` (every estimate: measure, statistic, analysis,
    group, estimate, ci_lower, ci_upper, p, n, ...; risk differences in
    percentage points, ratios as ratios, RMST in days), ``targets`` (one row per
    target with its verdict and reason), ``value_for_money`` (when the config
    names a costs file: cost per participant, harm avoided, benefit-cost ratios;
    else None). ``headlines`` are plain-English sentences worded as the Justice
    Data Lab words them. ``designs`` and ``fits`` hold the match/weight results and
    fitted models for analysts: they are person-level and are never written to any
    output.
    """

    config: EvaluationConfig
    cohort_flow: pd.DataFrame
    quality: pd.DataFrame
    balance: pd.DataFrame
    results: pd.DataFrame
    targets: pd.DataFrame
    assessments: tuple[Assessment, ...]
    headlines: tuple[str, ...]
    can_say: tuple[str, ...]
    cannot_say: tuple[str, ...]
    warnings: tuple[str, ...]
    provenance: dict
    designs: dict = field(default_factory=dict, repr=False)
    fits: dict = field(default_factory=dict, repr=False)
    value_for_money: ValueForMoney | None = None
    #: rows set aside by validation per table (rows_in, set_aside, share_set_aside, main_reasons): aggregates only
    set_aside: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: prominent warnings about data set aside, shown beside the verdicts
    data_warnings: tuple[str, ...] = ()
    starter_rate: StarterRate | None = None
    periods: pd.DataFrame | None = None
    history: pd.DataFrame | None = None

    @property
    def programme(self) -> str:
        return self.config.programme

    def write(self, folder) -> dict:
        """Write the tables (CSV and Parquet) and ``evaluation.json`` to ``folder``, disclosure-controlled."""
        return _writer("outputs")(self, folder)

    def to_markdown(self) -> str:
        """The evidence section for a funding bid, in Markdown."""
        return _writer("markdown")(self)

    def to_html(self, path=None):
        """The commissioner's report: one self-contained HTML page. Returns the HTML, or writes it to ``path``."""
        return _writer("html")(self, path)

    def to_docx(self, path):
        """The evidence section for a funding bid as a Word document (real headings and tables) at ``path``."""
        return _writer("docx")(self, path)

    def __repr__(self) -> str:
        verdicts = ", ".join(f"{a.target.id}: {a.verdict}" for a in self.assessments)
        return f"Evaluation({self.programme}; {verdicts})"

    def _repr_html_(self) -> str:
        targets = self.targets[["id", "description", "verdict", "reason"]].to_html(index=False, escape=True)
        sentences = "".join(f"<li>{html.escape(s)}</li>" for s in self.headlines)
        warnings = "".join(f"<li>{html.escape(w)}</li>" for w in self.warnings[:10])
        more = f"<p>… and {len(self.warnings) - 10} more warnings</p>" if len(self.warnings) > 10 else ""
        return (
            f"<div><h3>Evaluation of {html.escape(self.programme)}</h3><h4>Targets</h4>{targets}"
            f"<h4>Headlines</h4><ul>{sentences}</ul><h4>Warnings</h4><ul>{warnings}</ul>{more}</div>"
        )
