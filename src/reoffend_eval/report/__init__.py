"""Report stage: what leaves the library — files, the commissioner's page, the bid's evidence.

Built only from aggregate, disclosure-controlled tables (:mod:`.tables`).
"""
from .files import public_tables, write_outputs

__all__ = ["public_tables", "write_outputs"]
