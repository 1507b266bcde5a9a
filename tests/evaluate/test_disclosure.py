import numpy as np
import pandas as pd

from reoffend_eval.evaluate import disclosure as sdc


def test_counts_one_to_four_are_hidden_zero_is_not():
    assert [sdc.count(n) for n in (0, 1, 4, 5, 12.0)] == [0, "<5", "<5", 5, 12]


def test_secondary_suppression_protects_the_total():
    parts = pd.Series({"A": 3, "B": 40, "C": 12, "D": 0})
    shown = sdc.protect_parts(parts, total=55)
    assert shown["A"] == "<5"
    assert shown["C"] == "suppressed"  # the next smallest non-zero cell, else 55 - 40 - 12 = 3 gives A away
    assert shown["B"] == 40 and shown["D"] == 0


def test_two_small_cells_need_no_secondary():
    shown = sdc.protect_parts(pd.Series([2, 3, 50]), total=55)
    assert list(shown) == ["<5", "<5", 50]


def test_flow_hides_small_drops():
    flow = pd.Series({"referred": 120, "started": 117, "completed": 80, "followed up": 3})
    shown = sdc.protect_flow(flow)
    assert shown["referred"] == 120
    assert shown["started"] == "suppressed"  # 120 - 117 = 3 would reveal three people
    assert shown["completed"] == 80  # 120 - 80 = 40: safe
    assert shown["followed up"] == "<5"


def test_jdl_rounding_and_rates_on_small_counts():
    assert sdc.rate_percent(0.275) == 28 and sdc.rate_percent(0.2749) == 27
    assert sdc.rate_percent(0.5, based_on=3) == "suppressed"
    assert sdc.frequency(1.235) == 1.24 and sdc.frequency(0.5, based_on=2) == "suppressed"
    assert sdc.days(200.5) == 201 and sdc.days(np.nan) is None


def test_identifiers_are_removed_from_warnings():
    from reoffend_eval.data import CohortData
    from reoffend_eval.evaluate.run import _redact

    ids = pd.Series(["P0001", "60", "ZZ9"], dtype="string[pyarrow]")
    people = pd.DataFrame({"person_id": ids})
    incidents = pd.DataFrame({"perpetrator_id": ids, "victim_id": pd.Series(["V77", "V78", "V79"], dtype="string[pyarrow]")})
    data = CohortData(participants=people, comparison=people.iloc[:0], incidents=incidents)
    (text,) = _redact(("person P0001 hit V78 in 60 offences; ZZ9 too; P00011 and V7 are not ids",), data)
    assert text == "person [id removed] hit [id removed] in 60 offences; [id removed] too; P00011 and V7 are not ids"
