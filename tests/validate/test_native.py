"""The fast path (``_native``) names exactly the rows Great Expectations names, rule by rule.

Checked two ways against GX itself (the reference): every rule of every suite on the planted extract's
tables, and random columns (nulls, ties, bounds of every kind) for each expectation type the fast path
takes on. A rule the fast path cannot take on exactly is left to GX (``None``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reoffend_eval.validate import _gx, _native, derive, run
from reoffend_eval.validate.suites import Rule, load_suites

from planted_extract import EXTRACT, planted_tables
from validate_cohort import load

PARAMS = {"extract_date": pd.Timestamp(EXTRACT)}


def _gx_rows(frame: pd.DataFrame, rule: Rule, params: dict) -> tuple[bool, list[int]]:
    out = _gx.run(frame[list(dict.fromkeys(rule.columns))], [rule], params, "reference")[rule.number]
    return out.success, sorted(np.unique(out.rows).tolist())


def _same_as_gx(frame: pd.DataFrame, rule: Rule, params: dict) -> bool:
    """True when the fast path took the rule on (False: left to GX); asserts it agrees with GX."""
    rows = _native.failing_rows(frame, rule, params)
    if rows is None:
        return False
    success, gx_rows = _gx_rows(frame, rule, params)
    assert sorted(np.unique(rows).tolist()) == gx_rows, rule
    assert success == (len(rows) == 0), rule
    return True


def test_every_suite_rule_on_the_planted_extract_agrees_with_gx():
    tables, _ = planted_tables()
    data = load(tables)
    who = derive.people(data)
    taken = applicable = 0
    for suite in load_suites().values():
        if suite.table not in data.tables():
            continue  # the planted extract has no asb table
        frame = data.tables()[suite.table]
        if suite.programme is not None:
            frame = frame[(frame["programme"] == suite.programme).fillna(False).to_numpy()]
        checked = run._gx_frame(frame, suite, suite.table, data, who, None)
        for rule in suite.rules:
            if rule.stage == "rows" and set(rule.columns) <= set(checked.columns):
                applicable += 1
                taken += _same_as_gx(checked, rule, PARAMS)
    assert taken == applicable > 80  # today every row rule of the suites goes the fast way


def _rule(type_: str, **kwargs) -> Rule:
    return Rule(number=0, type=type_, kwargs=kwargs, rule="r", severity="error", show=())


N = 40
floats = st.lists(st.one_of(st.none(), st.integers(-3, 3).map(float), st.sampled_from([0.5, -0.0])), min_size=N, max_size=N)
days = st.lists(st.one_of(st.none(), st.integers(0, 6)), min_size=N, max_size=N)
codes = st.lists(st.one_of(st.none(), st.sampled_from(["a", "b", "c", "d"])), min_size=N, max_size=N)
bools = st.lists(st.one_of(st.none(), st.booleans()), min_size=N, max_size=N)
BASE = pd.Timestamp("2024-01-01")


def _frame(f, d1, d2, c, b) -> pd.DataFrame:
    def dates(xs):
        return pd.Series([pd.NaT if x is None else BASE + pd.Timedelta(days=x) for x in xs], dtype="datetime64[ns]")

    frame = pd.DataFrame(
        {
            "number": pd.Series([np.nan if x is None else x for x in f], dtype="float64"),
            "whole": pd.Series([0 if x is None else int(x) for x in f], dtype="int64"),
            "first": dates(d1),
            "second": dates(d2),
            "code": pd.Series(c, dtype="category"),
            "flag": pd.Series(b, dtype="boolean"),
        }
    )
    frame.index = pd.RangeIndex(1, N + 1, name="row")
    return frame


SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(floats, days, days, codes, bools, st.integers(-3, 3), st.integers(-3, 3), st.booleans(), st.booleans(),
       st.sampled_from(["min", "max", "both"]))
def test_between_agrees_with_gx(f, d1, d2, c, b, low, high, strict_min, strict_max, which):
    frame = _frame(f, d1, d2, c, b)
    low, high = min(low, high), max(low, high)
    bounds = {"min": {"min_value": low}, "max": {"max_value": high}, "both": {"min_value": low, "max_value": high}}
    for column, shift in (("number", lambda x: x), ("whole", lambda x: x),
                          ("first", lambda x: BASE + pd.Timedelta(days=x + 3))):
        kwargs = {k: shift(v) for k, v in bounds[which].items()}
        assert _same_as_gx(frame, _rule("expect_column_values_to_be_between", column=column, strict_min=strict_min,
                                        strict_max=strict_max, **kwargs), {})
    # the extract date as a suite parameter
    assert _same_as_gx(frame, _rule("expect_column_values_to_be_between", column="second",
                                    max_value={"$PARAMETER": "extract_date"}), {"extract_date": BASE + pd.Timedelta(days=3)})


@SETTINGS
@given(floats, days, days, codes, bools, st.booleans(),
       st.sampled_from(["either_value_is_missing", "both_values_are_missing", "neither"]))
def test_pair_greater_agrees_with_gx(f, d1, d2, c, b, or_equal, ignore):
    frame = _frame(f, d1, d2, c, b)
    rule = _rule("expect_column_pair_values_a_to_be_greater_than_b", column_A="first", column_B="second",
                 or_equal=or_equal, ignore_row_if=ignore)
    assert _same_as_gx(frame, rule, {})


@SETTINGS
@given(floats, days, days, codes, bools, st.sets(st.sampled_from(["a", "b", "c", "x"])), st.sets(st.booleans()))
def test_set_null_and_unique_agree_with_gx(f, d1, d2, c, b, allowed, flags):
    frame = _frame(f, d1, d2, c, b)
    assert _same_as_gx(frame, _rule("expect_column_values_to_be_in_set", column="code", value_set=sorted(allowed)), {})
    assert _same_as_gx(frame, _rule("expect_column_values_to_be_in_set", column="flag", value_set=sorted(flags)), {})
    assert _same_as_gx(frame, _rule("expect_column_values_to_be_in_set", column="number", value_set=[0.0, 1.0]), {})
    for column in frame.columns:
        for type_ in ("expect_column_values_to_not_be_null", "expect_column_values_to_be_null",
                      "expect_column_values_to_be_unique"):
            assert _same_as_gx(frame, _rule(type_, column=column), {})


@pytest.mark.parametrize(
    "rule",
    [
        _rule("expect_column_values_to_be_between", column="number", max_value=3, mostly=0.9),
        _rule("expect_column_values_to_be_between", column="first", max_value="2024-01-03"),
        _rule("expect_column_values_to_be_between", column="code", max_value="b"),
        _rule("expect_column_values_to_be_between", column="number", min_value=3, max_value=1),
        _rule("expect_column_values_to_be_between", column="first", max_value={"$PARAMETER": "not_given"}),
        _rule("expect_column_pair_values_a_to_be_greater_than_b", column_A="first", column_B="second"),
        _rule("expect_column_values_to_match_regex", column="code", regex="a"),
        _rule("expect_column_values_to_be_in_set", column="code", value_set=["a"], row_condition='flag==True'),
    ],
    ids=lambda r: f"{r.type}:{sorted(r.kwargs)}",
)
def test_what_the_fast_path_cannot_do_exactly_is_left_to_gx(rule):
    frame = _frame([1.0] * N, [1] * N, [2] * N, ["a"] * N, [True] * N)
    assert _native.failing_rows(frame, rule, {}) is None
