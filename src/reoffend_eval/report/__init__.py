"""Report stage: what leaves the library — files, the commissioner's page, the bid's evidence.

Built only from aggregate, disclosure-controlled tables (:mod:`.tables`).
"""

from ..evaluate.result import register_writers
from .docx import evidence_document, write_docx
from .evidence import evidence_markdown, maryland_level
from .files import public_tables, write_outputs
from .html import report_html, write_report, write_report_files


def _to_html(ev, path=None):
    return report_html(ev) if path is None else write_report(ev, path)


# Evaluation.write/to_markdown/to_html/to_docx call these; evaluate never imports report.
register_writers(outputs=write_outputs, markdown=evidence_markdown, html=_to_html, docx=write_docx)

__all__ = [
    "evidence_document",
    "evidence_markdown",
    "maryland_level",
    "public_tables",
    "report_html",
    "write_docx",
    "write_outputs",
    "write_report",
    "write_report_files",
]
