"""The bid's evidence section as a Word document: real headings (Heading 1/2 styles) and real tables."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Pt

from .evidence import evidence_blocks


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value)


def evidence_document(ev):
    """A ``docx.Document`` of the evidence section, the same blocks as :func:`evidence_markdown`."""
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10.5)
    for block in evidence_blocks(ev):
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
    for cell, name in zip(table.rows[0].cells, frame.columns):
        cell.text = str(name)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    _repeat_header(table.rows[0])
    for row in frame.itertuples(index=False):
        for cell, value in zip(table.add_row().cells, row):
            cell.text = _cell(value)
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)
    document.add_paragraph()


def _repeat_header(row) -> None:
    """Mark the header row to repeat on each page when a table breaks across pages."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def write_docx(ev, path) -> Path:
    """Write the evidence section to ``path`` (.docx) and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    evidence_document(ev).save(path)
    return path
