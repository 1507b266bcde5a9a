"""The strategy's scorecard as a board reads it: one self-contained HTML page, Markdown and Word.

Built only from the public (disclosure-controlled) targets of each programme:
an estimate of a target not yet measurable is never shown, and no count of 1
to 4 appears. The page carries its own styles (those of the programme report),
loads nothing from anywhere else, and links to each programme's full report
in the folder beside it.
"""

from __future__ import annotations

import math
import re
from importlib import resources
from pathlib import Path

import pandas as pd

from ..evaluate import disclosure as sdc
from ..evaluate.measurable import measurable_sentence
from .docx import blocks_document
from .evidence import Block
from .html import VERDICT_MARKS, render_template

UNITS = {"percentage_points": " points", "percent": "%", "days": " days", "per_person": " per person"}
ORDER = ["met", "on course", "not met", "not yet measurable"]


def _estimate(row) -> str:
    value = row["estimate"]
    if value == sdc.SUPPRESSED:
        return "not shown (too few to measure)"
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    unit = UNITS.get(row.get("threshold_type"), "")
    return f"{float(value):.1f}{unit} ({float(row['ci_lower']):.1f} to {float(row['ci_upper']):.1f})"


def _when(row, extract_date) -> str:
    return measurable_sentence(row.get("measurable_by") or "", row["by"], extract_date)


def _change(row) -> str:
    change = row.get("change") or ""
    if not change:
        return "first extract" if row.get("_has_history") else "–"
    return change


def scorecard_rows(strategy) -> list[dict]:
    """One dict per target, in words, for the page, the Markdown and the Word document."""
    extract = {run.programme: run.extract_date for run in strategy.programmes}
    has_history = strategy.history is not None
    rows = []
    for _, t in strategy.targets.iterrows():
        row = t.to_dict()
        row["_has_history"] = has_history
        mark, words, css = VERDICT_MARKS.get(row["verdict"], ("", str(row["verdict"]).capitalize(), "unknown"))
        rows.append(
            {
                "programme": row["programme"],
                "id": row["id"],
                "description": row["description"],
                "by": row["by"],
                "mark": mark,
                "words": words,
                "css": css,
                "estimate": _estimate(row),
                "change": _change(row),
                "when": _when(row, extract.get(row["programme"])),
                "reason": _sentence(row["reason"]),
            }
        )
    return rows


def _sentence(text: str) -> str:
    text = str(text or "")
    return (text[:1].upper() + text[1:]).rstrip(".") + "." if text else ""


def _summary(strategy) -> str:
    counts = strategy.targets["verdict"].value_counts()
    n = int(counts.sum())
    parts = [f"{int(counts[v])} {v}" for v in ORDER if v in counts]
    programmes = ", ".join(run.programme for run in strategy.programmes)
    return f"{n} targets across {programmes}: " + ", ".join(parts) + "."


def _programme_sections(strategy) -> list[dict]:
    out = []
    for run in strategy.programmes:
        targets = strategy.targets[strategy.targets["programme"] == run.programme]
        counts = targets["verdict"].value_counts()
        out.append(
            {
                "programme": run.programme,
                "anchor": re.sub(r"[^a-z0-9]+", "-", run.name.lower()),
                "link": f"{run.name}/report.html",
                "extract": f"{run.extract_date.day} {run.extract_date:%B} {run.extract_date.year}",
                "verdicts": ", ".join(f"{int(counts[v])} {v}" for v in ORDER if v in counts) or "no targets",
                "headlines": list(run.headlines[:2]),
                "value_for_money": list(run.value_for_money[:2]),
                "starters": run.starter_words,
                "run": "unchanged since the last run, so its results were reused" if run.reused else "evaluated now",
            }
        )
    return out


def _provenance(strategy) -> list[dict]:
    rows = []
    for run in strategy.programmes:
        rows.append(
            {
                "programme": run.programme,
                "config": run.config_path.name,
                "extract": run.extract_date.isoformat(),
                "library": (run.provenance.get("library") or {}).get("reoffend-eval", ""),
                "run_at": run.provenance.get("run_at", ""),
                "key": run.key[:16],
            }
        )
    return rows


def _style() -> str:
    """The programme report's styles, so both pages look alike."""
    template = resources.files("reoffend_eval.report").joinpath("templates/report.html.j2").read_text("utf-8")
    found = re.search(r"<style>(.*?)</style>", template, re.S)
    return found.group(1) if found else ""


def strategy_context(strategy) -> dict:
    return {
        "title": strategy.title,
        "summary": _summary(strategy),
        "rows": scorecard_rows(strategy),
        "programmes": _programme_sections(strategy),
        "provenance": _provenance(strategy),
        "has_history": strategy.history is not None,
        "style": _style(),
    }


def strategy_html(strategy) -> str:
    """The scorecard page as one self-contained HTML string (template ``templates/strategy.html.j2``)."""
    return render_template("strategy.html.j2", strategy_context(strategy))


def strategy_blocks(strategy) -> list[Block]:
    """The scorecard as headings, paragraphs, bullets and tables (Markdown and Word share them)."""
    rows = scorecard_rows(strategy)
    table = pd.DataFrame(
        {
            "Programme": [r["programme"] for r in rows],
            "Target": [r["id"] for r in rows],
            "Verdict": [f"{r['mark']} {r['words']}" for r in rows],
            "Estimate (95% CI)": [r["estimate"] for r in rows],
            "Since last extract": [r["change"] for r in rows],
            "When measurable": [r["when"] or "–" for r in rows],
        }
    )
    blocks = [
        Block("heading", strategy.title, 1),
        Block("paragraph", _summary(strategy)),
        Block("heading", "Every target", 2),
        Block("table", table),
        Block(
            "bullets", [f"{r['programme']} {r['id']}: {r['description']} (by {r['by']}). {r['reason']}" for r in rows]
        ),
    ]
    for p in _programme_sections(strategy):
        blocks.append(Block("heading", p["programme"], 2))
        blocks.append(
            Block(
                "paragraph",
                f"Data to {p['extract']}; {p['run']}. Targets: {p['verdicts']}. Full report: {p['link']}.",
            )
        )
        items = p["headlines"] + p["value_for_money"]
        if items:
            blocks.append(Block("bullets", items))
    blocks.append(Block("heading", "About these figures", 2))
    blocks.append(Block("paragraph", ABOUT))
    return blocks


ABOUT = (
    "Each programme's participants are compared with similar people who did not take part, as its full report "
    "explains. Met: the whole 95% confidence interval passes the target. On course: the best estimate passes it but "
    "the interval does not yet. Not met: the estimate falls short. Not yet measurable: too few people or events so "
    "far by the Justice Data Lab's rules; its estimate is not shown. Measurable-by dates assume each programme keeps "
    "its new starters of the last twelve months. Counts from 1 to 4 are never shown."
)


def strategy_markdown(strategy) -> str:
    """The scorecard in Markdown."""
    lines = []
    for block in strategy_blocks(strategy):
        if block.kind == "heading":
            lines += ["#" * block.level + " " + block.content, ""]
        elif block.kind == "paragraph":
            lines += [block.content, ""]
        elif block.kind == "bullets":
            lines += [f"- {item}" for item in block.content] + [""]
        else:
            frame = block.content
            lines.append("| " + " | ".join(frame.columns) + " |")
            lines.append("|" + "|".join("---" for _ in frame.columns) + "|")
            for row in frame.itertuples(index=False):
                lines.append("| " + " | ".join(str(v).replace("|", "/") for v in row) + " |")
            lines.append("")
    return "\n".join(lines)


def strategy_document(strategy):
    """The scorecard as a ``docx.Document`` (A4, real headings and tables)."""
    return blocks_document(strategy_blocks(strategy))


def public_scorecard(strategy) -> pd.DataFrame:
    """``strategy_targets.csv``: one row per target (programme, id, verdict, reason, estimate, ci_lower, ...)."""
    columns = ["programme", "id", "verdict", "reason", "estimate", "ci_lower", "ci_upper", "measurable_by"]
    targets = strategy.targets
    return targets[columns + [c for c in ("description", "by", "change") if c in targets]]


def write_strategy_files(strategy, folder) -> dict[str, Path]:
    """``strategy.html``, ``strategy.md``, ``strategy.docx`` and ``strategy_targets.csv`` in ``folder``."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = {"strategy": out / "strategy.html"}
    written["strategy"].write_text(strategy_html(strategy), encoding="utf-8")
    written["strategy_md"] = out / "strategy.md"
    written["strategy_md"].write_text(strategy_markdown(strategy), encoding="utf-8")
    written["strategy_docx"] = out / "strategy.docx"
    strategy_document(strategy).save(written["strategy_docx"])
    written["strategy_targets"] = out / "strategy_targets.csv"
    public_scorecard(strategy).to_csv(written["strategy_targets"], index=False)
    return written
