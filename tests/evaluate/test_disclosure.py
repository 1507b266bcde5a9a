import dataclasses
import json
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from reoffend_eval.evaluate import disclosure as sdc
from reoffend_eval.report import tables as pt
from tests.synthetic_evaluation import evaluate_synthetic


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


# --- a count is hidden everywhere it can be read, or shown (issue 17) -------------------------------------



def test_a_count_published_elsewhere_is_shown_and_the_earlier_one_hidden():
    # the case: 717 followed up, 713 matched, and results.csv shows 713 matched participants
    flow = pd.Series({"in analysis": 800, "full follow-up": 717, "matched": 713})
    assert list(sdc.protect_flow(flow)) == [800, 717, "suppressed"]  # nothing else published: as before
    shown = sdc.protect_flow(flow, published={713})
    assert list(shown) == [800, "suppressed", 713]  # 717 - 713 = 4 stays hidden; 800 - 713 = 87 is safe


def test_a_difference_both_of_whose_counts_are_published_is_not_hidden():
    flow = pd.Series({"in analysis": 800, "full follow-up": 717, "matched": 713})
    assert list(sdc.protect_flow(flow, published={717, 713})) == [800, 717, 713]


def test_differences_with_any_earlier_stage_are_protected():
    # stages need not be one chain: "in analysis" (intention to treat) is within "started", not "completed"
    flow = pd.Series({"started": 803, "completed": 383, "in analysis": 800})
    assert list(sdc.protect_flow(flow)) == [803, 383, "suppressed"]


@st.composite
def nested_counts(draw):
    first = draw(st.integers(0, 60))
    drops = draw(st.lists(st.integers(0, 12), min_size=1, max_size=7))
    values = [first]
    for d in drops:
        values.append(max(values[-1] - d, 0))
    published = draw(st.sets(st.sampled_from(values)))
    return values, published


@given(nested_counts())
def test_no_shown_pair_reveals_a_small_group_unless_both_are_public(case):
    values, published = case
    shown = list(sdc.protect_flow(pd.Series(values, dtype=float), published=published))
    for v, s in zip(values, shown):
        if 1 <= v <= 4:
            assert s == "<5"
        elif v in published:
            assert s == v  # never hidden here while another output shows it
    kept = [(v, s) for v, s in zip(values, shown) if isinstance(s, int)]
    for i, (later, _) in enumerate(kept):
        for earlier, _ in kept[:i]:
            if 1 <= earlier - later <= 4:
                assert earlier in published and later in published


# one evaluation, every output: a flow count is hidden in all of them or shown


@pytest.fixture(scope="module")
def evaluation(tmp_path_factory):
    ev, _ = evaluate_synthetic(tmp_path_factory.mktemp("sdc"), "DRIVE", 300, 3000, seed=11, effect=0.6)
    return ev


def _main_matched(ev) -> tuple[int, int]:
    r = ev.results
    main = r[(r["measure"] == "reoffending_rate") & (r["analysis"] == "main") & (r["statistic"] == "risk_difference")]
    return int(main["n_treated"].iloc[0]), int(main["n_comparison"].iloc[0])


def _with_small_drop(ev):
    """The evaluation with its flow changed so the programme's last drop (followed up -> matched) is 3 people."""
    flow = ev.cohort_flow.copy()
    matched, _ = _main_matched(ev)
    assert flow.loc["matched", "programme"] == matched
    flow.loc["full follow-up", "programme"] = matched + 3
    flow.loc["in analysis", "programme"] = max(flow.loc["in analysis", "programme"], matched + 40)
    return dataclasses.replace(ev, cohort_flow=flow)


def _shown_counts(document: dict, group: str) -> set[int]:
    """Every people count of ``group`` an output shows: its flow column and its results counts."""
    column = "n_treated" if group == "programme" else "n_comparison"
    counts = {r[group] for r in document["cohort_flow"]}
    counts |= {r[column] for r in document["results"]}
    return {c for c in counts if isinstance(c, int)}


def test_the_matched_count_is_shown_everywhere_and_the_small_drop_hidden_everywhere(evaluation, tmp_path):
    ev = _with_small_drop(evaluation)
    matched, matched_comparison = _main_matched(ev)
    written = ev.write(tmp_path)
    document = json.loads(written["evaluation"].read_text())
    flow_csv = pd.read_csv(written["cohort_flow"], dtype=str).set_index("stage")
    flow_json = {r["stage"]: r for r in document["cohort_flow"]}
    # the matched count is shown in the flow (CSV and JSON) as in the results
    assert flow_csv.loc["matched", "programme"] == str(matched)
    assert flow_json["matched"]["programme"] == matched and flow_json["matched"]["comparison"] == matched_comparison
    assert matched in {r["n_treated"] for r in document["results"]}
    # the count 3 above it is hidden in every output that carries the flow, and shown in none
    assert flow_csv.loc["full follow-up", "programme"] == "suppressed"
    assert flow_json["full follow-up"]["programme"] == "suppressed"
    assert matched + 3 not in _shown_counts(document, "programme")
    html = ev.to_html()
    boxes = dict(re.findall(r'<div class="box" aria-hidden="true">([^<]+)<span class="n">([^<]+)</span>', html))
    assert boxes["Matched"] == f"{matched:,}"
    assert boxes["Followed up for a full year"] == "suppressed"
    assert f">{matched + 3}<" not in html and f">{matched + 3:,}<" not in html


def test_no_two_shown_counts_of_a_group_reveal_a_small_group(evaluation, tmp_path):
    """Across the flow and the results of one evaluation, a small difference is shown only if both are public."""
    for ev in (evaluation, _with_small_drop(evaluation)):
        document = json.loads(ev.write(tmp_path / str(id(ev)))["evaluation"].read_text())
        published = pt.published_counts(ev.results)
        for group in ("programme", "comparison"):
            flow = [r[group] for r in document["cohort_flow"] if isinstance(r[group], int)]
            for i, later in enumerate(flow):
                for earlier in flow[:i]:
                    if 1 <= earlier - later <= 4:
                        assert earlier in published[group] and later in published[group]
            # and nothing the flow hides is shown by the results
            hidden = [
                int(ev.cohort_flow.loc[r["stage"], group])
                for r in document["cohort_flow"]
                if r[group] == "suppressed"
            ]
            assert not set(hidden) & _shown_counts(document, group)


# --- subgroups: one hidden part of a total is not left to subtraction ------------------------------------


def _results_rows(rows):
    base = {"measure": "reoffending_rate", "statistic": "risk_difference", "p": 0.01, "estimate": -10.0,
            "ci_lower": -15.0, "ci_upper": -5.0, "treated_value": 0.2, "comparison_value": 0.3, "method": "test"}
    frame = pd.DataFrame([{**base, **r} for r in rows])
    frame["n"] = frame["n_treated"] + frame["n_comparison"]
    return frame


SUBGROUPS = _results_rows([
    {"analysis": "main", "group": "all", "n_treated": 414, "n_comparison": 414, "events_treated": 99,
     "events_comparison": 179},
    {"analysis": "subgroup", "group": "risk_level: standard", "n_treated": 38, "n_comparison": 38,
     "events_treated": 2, "events_comparison": 13},
    {"analysis": "subgroup", "group": "risk_level: medium", "n_treated": 86, "n_comparison": 86,
     "events_treated": 16, "events_comparison": 29},
    {"analysis": "subgroup", "group": "risk_level: high", "n_treated": 290, "n_comparison": 290,
     "events_treated": 81, "events_comparison": 137},
])


def test_a_small_subgroup_count_is_not_given_away_by_the_total():
    # 99 - 16 - 81 = 2: hiding 2 alone protects nobody, so the next smallest part (16) is hidden too
    public = pt.public_results(SUBGROUPS).set_index("group")
    assert public.loc["risk_level: standard", "events_treated"] == "<5"
    assert public.loc["risk_level: medium", "events_treated"] == "suppressed"
    assert public.loc["risk_level: high", "events_treated"] == 81 and public.loc["all", "events_treated"] == 99
    # what rests on the hidden counts goes with them: the estimate and the programme's rate (rate x n = events)
    for group in ("risk_level: standard", "risk_level: medium"):
        assert public.loc[group, "estimate"] == "suppressed" and public.loc[group, "treated_value"] == "suppressed"
        assert public.loc[group, "n_treated"] == public.loc[group, "n_comparison"]  # people stay shown
    assert public.loc["risk_level: medium", "comparison_value"] == 30  # the comparison side is untouched
    forest = pt.public_forest(SUBGROUPS).set_index("group")["suppressed"]
    assert forest.to_dict() == {"all": False, "risk_level: standard": True, "risk_level: medium": True,
                                "risk_level: high": False}


def test_parts_that_do_not_add_up_to_the_total_need_no_secondary_suppression():
    frame = SUBGROUPS.copy()
    frame.loc[3, "events_treated"] = 70  # some people of the total are in no subgroup: 2 cannot be subtracted out
    public = pt.public_results(frame).set_index("group")
    assert public.loc["risk_level: medium", "events_treated"] == 16
    assert public.loc["risk_level: medium", "estimate"] == -10


def test_a_small_group_hides_the_row_total_and_its_matched_twin():
    frame = _results_rows([{"analysis": "main", "group": "all", "n_treated": 3, "n_comparison": 40,
                            "events_treated": 0, "events_comparison": 9}])
    row = pt.public_results(frame).iloc[0]
    assert row["n_treated"] == "<5" and row["n"] == "suppressed" and row["n_comparison"] == "suppressed"


def test_no_subgroup_family_of_one_evaluation_leaves_a_single_hidden_part(evaluation, tmp_path):
    written = evaluation.write(tmp_path)
    public = pd.DataFrame(json.loads(written["evaluation"].read_text())["results"])
    raw = evaluation.results
    main = raw[(raw["analysis"] == "main") & (raw["group"] == "all")]
    sub = raw["analysis"] == "subgroup"
    families = raw[sub].groupby([raw["measure"], raw["statistic"], raw["group"].str.split(":").str[0]])
    checked = 0
    for (measure, statistic, _), rows in families:
        total = main[(main["measure"] == measure) & (main["statistic"] == statistic)]
        for column in pt.GROUP_COUNTS:
            if total.empty or rows[column].sum() != total[column].iloc[0]:
                continue
            shown = public.loc[rows.index, column]
            hidden = shown.isin(["<5", "suppressed"]).sum()
            assert hidden != 1, (measure, statistic, column, list(shown))
            checked += 1
    assert checked  # the evaluation has subgroup families that add up
