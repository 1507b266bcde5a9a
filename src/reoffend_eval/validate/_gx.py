"""The one place that talks to Great Expectations (GX Core 1.x, pandas engine).

Importing GX turns on ``logging.captureWarnings(True)``, which would hide every
later warning from the user, so it is switched off again straight after the
import. GX is imported only when validation first runs (the import takes
seconds).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from .errors import ValidationError


@lru_cache(maxsize=1)
def _gx():
    import great_expectations as gx

    logging.captureWarnings(False)
    return gx


@dataclass(frozen=True)
class Outcome:
    """What GX found for one expectation: did it pass, which rows failed, what it observed."""

    success: bool
    rows: np.ndarray
    observed: object = None


def build_suite(name: str, expectations: list[dict]):
    """A GX ``ExpectationSuite`` from plain dicts (unknown types are dropped by GX, with a log line)."""
    _gx()
    from great_expectations.core import ExpectationSuite

    gx_log = logging.getLogger("great_expectations")
    level = gx_log.level
    gx_log.setLevel(logging.CRITICAL)  # we report dropped expectations ourselves, clearly
    try:
        return ExpectationSuite(name=name, expectations=expectations)
    finally:
        gx_log.setLevel(level)


@lru_cache(maxsize=1)
def _context():
    gx = _gx()
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


def run(frame: pd.DataFrame, rules, parameters: dict, label: str) -> dict[int, Outcome]:
    """Run ``rules`` on ``frame`` through GX's pandas engine; return each rule's outcome by number.

    The frame is handed to a pandas execution engine as the batch directly:
    GX's fluent ``batch.validate`` would fingerprint (hash) every frame under
    1 GB first, which on 10 million rows costs more than the checks. Failing
    rows are read from GX's ``unexpected_index_list`` (the frame's index is the
    source row number).
    """
    if not rules:
        return {}
    from great_expectations.execution_engine import PandasExecutionEngine
    from great_expectations.execution_engine.pandas_batch_data import PandasBatchData
    from great_expectations.validator.validator import Validator

    suite = build_suite(label, [r.config() for r in rules])
    engine = PandasExecutionEngine()
    engine.load_batch_data("table", PandasBatchData(engine, frame))
    validator = Validator(execution_engine=engine, data_context=_context())
    configs = validator.process_expectations_for_validation(suite.expectation_configurations, parameters)
    results = validator.graph_validate(
        configurations=configs,
        runtime_configuration={"result_format": {"result_format": "COMPLETE", "partial_unexpected_count": 0}},
    )
    outcomes: dict[int, Outcome] = {}
    by_number = {r.number: r for r in rules}
    for item in results:
        assert item.expectation_config is not None  # graph_validate gives each result its configuration
        number = item.expectation_config.meta["number"]
        info = item.exception_info or {}
        if info.get("raised_exception"):
            rule = by_number[number]
            raise ValidationError(
                f"{label}: rule {rule.rule!r} ({rule.type} on {', '.join(rule.columns) or 'the table'}) "
                f"could not be checked: {info.get('exception_message')}"
            )
        res = item.result or {}
        index = res.get("unexpected_index_list") or []
        rows = np.array([i[frame.index.name] if isinstance(i, dict) else i for i in index], dtype="int64")
        outcomes[number] = Outcome(bool(item.success), rows, res.get("observed_value"))
    return outcomes
