"""The evaluation result: tidy tables, verdicts, sentences and provenance."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import pandas as pd

from .config import EvaluationConfig
from .value_for_money import ValueForMoney
from .verdicts import Assessment


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

    @property
    def programme(self) -> str:
        return self.config.programme

    def write(self, folder) -> dict:
        """Write the tables (CSV and Parquet) and ``evaluation.json`` to ``folder``, disclosure-controlled."""
        from ..report.files import write_outputs

        return write_outputs(self, folder)

    def to_markdown(self) -> str:
        """The evidence section for a funding bid, in Markdown."""
        from ..report.evidence import evidence_markdown

        return evidence_markdown(self)

    def to_html(self, path=None):
        """The commissioner's report: one self-contained HTML page. Returns the HTML, or writes it to ``path``."""
        from ..report.html import report_html, write_report

        return report_html(self) if path is None else write_report(self, path)

    def to_docx(self, path):
        """The evidence section for a funding bid as a Word document (real headings and tables) at ``path``."""
        from ..report.docx import write_docx

        return write_docx(self, path)

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
