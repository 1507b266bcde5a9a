"""Report stage: what leaves the library — files, the commissioner's page, the bid's evidence.

Built only from aggregate, disclosure-controlled tables (:mod:`.tables`).
"""

from .docx import evidence_document, write_docx
from .evidence import evidence_markdown, maryland_level
from .files import public_tables, write_outputs
from .html import report_html, write_report, write_report_files

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
