"""The bid's evidence section as a Word document: real headings (Heading 1/2 styles) and real tables."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Cm, Pt

from .evidence import evidence_blocks


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value)


def evidence_document(ev):
    """A ``docx.Document`` of the evidence section, the same blocks as :func:`evidence_markdown`.

    ``ev``: an ``Evaluation`` (``rev.evaluate(...)``).

    >>> doc = evidence_document(ev)              # doctest: +SKIP
    >>> doc.save("evidence.docx")               # doctest: +SKIP
    """
    document = blocks_document(evidence_blocks(ev))
    document.styles["Normal"].paragraph_format.space_after = Pt(4)
    return document


def blocks_document(blocks):
    """A ``docx.Document`` on A4 (as UK bids are printed) with real headings, bullets and tables for ``blocks``."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.0))
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    for block in blocks:
        if block.kind == "heading":
            document.add_heading(block.content, level=block.level)
        elif block.kind == "paragraph":
            document.add_paragraph(block.content)
        elif block.kind == "bullets":
            for item in block.content:
                document.add_paragraph(item, style="List Bullet")
        else:
            _table(document, block.content)
    return document


def _table(document, frame: pd.DataFrame) -> None:
    table = document.add_table(rows=1, cols=len(frame.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = _widths(frame, total_cm=17.0)
    for column, width in zip(table.columns, widths):
        column.width = width  # the table grid: what LibreOffice lays out by
    for cell, name in zip(table.rows[0].cells, frame.columns):
        cell.text = str(name)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    _repeat_header(table.rows[0])
    for row in frame.itertuples(index=False):
        for cell, value in zip(table.add_row().cells, row):
            cell.text = _cell(value)
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width  # Word and LibreOffice lay out by the cells' widths
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.space_after = Pt(0)
                for run in paragraph.runs:
                    run.font.size = Pt(8.5)
    document.add_paragraph()


def _widths(frame: pd.DataFrame, total_cm: float) -> list:
    """Column widths shared out by how much each column has to say, never narrower than its longest word."""
    need, floor = [], []
    for name in frame.columns:
        texts = [str(name)] + [_cell(v) for v in frame[name]]
        longest = max(len(t) for t in texts)
        need.append(min(max(longest, 6), 60) ** 0.75)
        floor.append(0.2 * (max(len(w) for t in texts for w in (t.split() or [""])) + 1))  # ~0.2 cm a character
    widths = [n * total_cm / sum(need) for n in need]
    for _ in range(len(widths)):
        short = [i for i, (w, f) in enumerate(zip(widths, floor)) if w < f]
        if not short:
            break
        for i in short:
            widths[i] = floor[i]
        rest = [i for i in range(len(widths)) if i not in short]
        spare = total_cm - sum(widths[i] for i in short)
        total_rest = sum(need[i] for i in rest) or 1
        for i in rest:
            widths[i] = need[i] * spare / total_rest
    return [Cm(w) for w in widths]


def _repeat_header(row) -> None:
    """Mark the header row to repeat on each page when a table breaks across pages."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def write_docx(ev, path) -> Path:
    """Write the evidence section to ``path`` (.docx) and return the path.

    ``ev``: an ``Evaluation`` (``rev.evaluate(...)``).

    >>> write_docx(ev, "results/evidence.docx")  # doctest: +SKIP
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    evidence_document(ev).save(path)
    return path
