"""Session fixtures of the robustness corpus: one clean base extract per programme, and its verdicts."""
from __future__ import annotations

import warnings

import pytest

import reoffend_eval as rev

from .extract import Extract, build_base


class Bases:
    """Base extracts built on first use (the Up2U and Turnaround ones only if a selected case needs them)."""

    def __init__(self, factory):
        self._factory = factory
        self._built: dict[str, tuple[Extract, dict, dict]] = {}

    def get(self, programme: str) -> tuple[Extract, dict[str, str], dict[str, int]]:
        """``(extract, verdict by target id, clean rows by table)`` of the clean extract."""
        if programme not in self._built:
            base = build_base(self._factory.mktemp(f"base_{programme}"), programme)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                checked = rev.validate(rev.load(base.data), extract_date=base.extract_date, programme=programme)
                ev = rev.evaluate(base.config)
            assert checked.ok, f"the clean {programme} base extract has rows set aside:\n{checked.summary}"
            verdicts = {a.target.id: a.verdict for a in ev.assessments}
            assert verdicts, f"the clean {programme} base extract gave no verdicts"
            clean = {name: int(row.clean) for name, row in checked.counts.iterrows()}
            self._built[programme] = (base, verdicts, clean)
        return self._built[programme]


@pytest.fixture(scope="session")
def bases(tmp_path_factory) -> Bases:
    return Bases(tmp_path_factory)
