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
def _batch_definition():
    gx = _gx()
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas("reoffend_eval")
    asset = source.add_dataframe_asset("table")
    return asset.add_batch_definition_whole_dataframe("whole table")


def run(frame: pd.DataFrame, rules, parameters: dict, label: str) -> dict[int, Outcome]:
    """Run ``rules`` on ``frame`` through GX in one pass; return each rule's outcome by number.

    One suite run hashes the frame once (GX fingerprints each batch), so the
    whole suite goes in one call rather than one call per expectation. Failing
    rows are read from GX's ``unexpected_index_list`` (the frame's index is the
    source row number).
    """
    if not rules:
        return {}
    from great_expectations.validator.v1_validator import Validator

    suite = build_suite(label, [r.config() for r in rules])
    validator = Validator(
        batch_definition=_batch_definition(),
        batch_parameters={"dataframe": frame},
        result_format={"result_format": "COMPLETE", "partial_unexpected_count": 0},
    )
    result = validator.validate_expectation_suite(suite, expectation_parameters=parameters)
    outcomes: dict[int, Outcome] = {}
    by_number = {r.number: r for r in rules}
    for item in result.results:
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
        rows = np.array(
            [i[frame.index.name] if isinstance(i, dict) else i for i in index], dtype="int64"
        )
        outcomes[number] = Outcome(bool(item.success), rows, res.get("observed_value"))
    return outcomes
