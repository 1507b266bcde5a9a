"""Value for money worked by hand on a small case, including the intervals and the wording rules."""
import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from reoffend_eval.evaluate.costs import Costs, ProgrammeCost, UnitCost
from reoffend_eval.evaluate.value_for_money import value_for_money, value_for_money_sentences


def results(rows):
    base = {"analysis": "main", "group": "all", "p": 0.01, "n": 200, "n_comparison": 100, "treated_value": float("nan"),
            "events_treated": 40, "events_comparison": 50, "method": "test"}
    return pd.DataFrame([{**base, **r} for r in rows])


FREQUENCY = {"measure": "reoffending_frequency", "statistic": "mean_difference", "estimate": -0.30,
             "ci_lower": -0.50, "ci_upper": -0.10, "n_treated": 100, "comparison_value": 1.2}
DA = {"measure": "da_incident_rate", "statistic": "rate_ratio", "estimate": 0.8, "ci_lower": 0.64, "ci_upper": 1.0,
      "n_treated": 100, "comparison_value": 2.0}
MARAC = {"measure": "repeat_marac_rate", "statistic": "risk_difference", "estimate": -10.0, "ci_lower": -15.0,
         "ci_upper": -5.0, "n_treated": 100, "comparison_value": 0.30}


def unit(cost, uplift=1.0):
    return UnitCost(cost=cost, source="illustrative test figure", price_year="2015/16", uplift=uplift)


COSTS = Costs(
    programme=ProgrammeCost(source="test budget", price_year="2025/26", cost_per_participant=800, uplift=1.25),
    proven_reoffence=unit(4000), da_incident=unit(2000), repeat_marac_case=unit(2500, uplift=2.0),
)


def value(table, outcome, quantity):
    row = table[(table["outcome"] == outcome) & (table["quantity"] == quantity)].iloc[0]
    return row["estimate"], row["ci_lower"], row["ci_upper"]


@pytest.fixture(scope="module")
def vfm():
    return value_for_money(results([FREQUENCY, DA, MARAC]), COSTS, "DRIVE")


def test_cost_per_participant_is_uplifted(vfm):
    assert vfm.cost_per_participant == pytest.approx(1000.0)  # 800 x 1.25


def test_reoffences_by_hand(vfm):
    t = vfm.table
    # mean difference -0.30 (-0.50, -0.10) per person: 30 (10, 50) fewer per 100
    assert value(t, "proven_reoffence", "avoided_per_100") == pytest.approx((30, 10, 50))
    # x £4,000 each: £1,200 (£400, £2,000) per participant
    assert value(t, "proven_reoffence", "social_cost_avoided") == pytest.approx((1200, 400, 2000))
    # / £1,000 per participant
    assert value(t, "proven_reoffence", "benefit_cost_ratio") == pytest.approx((1.2, 0.4, 2.0))
    # £1,000 / 0.3 reoffences; interval from 0.5 and 0.1 avoided
    assert value(t, "proven_reoffence", "cost_per_outcome_avoided") == pytest.approx((1000 / 0.3, 2000, 10000))
    # break-even: 1000 / 4000 = 0.25 reoffences per person, i.e. a mean difference of -0.25, inside (-0.5, -0.1)
    be = vfm.break_even.set_index("outcome").loc["proven_reoffence"]
    assert be["break_even_effect"] == pytest.approx(-0.25)
    assert be["compared"] == "the interval includes the break-even effect"


def test_da_incidents_by_hand(vfm):
    t = vfm.table
    # 2.0 incidents per person-year x (1 - RR): 0.4 (2 x 0 = 0, 2 x 0.36 = 0.72) per person
    assert value(t, "da_incident", "avoided_per_100") == pytest.approx((40, 0, 72), abs=1e-9)
    assert value(t, "da_incident", "benefit_cost_ratio") == pytest.approx((0.8, 0, 1.44), abs=1e-9)
    est, lo, hi = value(t, "da_incident", "cost_per_outcome_avoided")
    assert est == pytest.approx(1000 / 0.4) and lo == pytest.approx(1000 / 0.72) and math.isnan(hi)
    # break-even: 1000/2000 = 0.5 incidents avoided -> RR = 1 - 0.5 / 2 = 0.75, inside (0.64, 1.0)
    assert vfm.break_even.set_index("outcome").loc["da_incident", "break_even_effect"] == pytest.approx(0.75)


def test_repeat_marac_by_hand(vfm):
    t = vfm.table
    # risk difference -10 points (-15, -5): 10 (5, 15) victims spared per 100; cost 2500 x 2 = 5000 each
    assert value(t, "repeat_marac_case", "avoided_per_100") == pytest.approx((10, 5, 15))
    assert value(t, "repeat_marac_case", "social_cost_avoided") == pytest.approx((500, 250, 750))
    assert value(t, "repeat_marac_case", "benefit_cost_ratio") == pytest.approx((0.5, 0.25, 0.75))
    # break-even 1000 / 5000 = 0.2 per person = -20 points: the whole interval (-15, -5) falls short
    be = vfm.break_even.set_index("outcome").loc["repeat_marac_case"]
    assert be["break_even_effect"] == pytest.approx(-20)
    assert be["compared"] == "the whole interval falls short of break-even"


def test_sentences(vfm):
    text = " ".join(vfm.sentences)
    # reoffences: whole avoided interval above zero -> the return sentence, with £0.40 and £2.00
    assert "every £1 spent returned between £0.40 and £2.00 in avoided harm" in text
    assert "Part of the interval is below £1" in text
    assert "The whole interval is below £1" in text  # repeat MARAC: £0.25 to £0.75
    # DA incidents: the interval includes no reduction -> no return sentence, and how many would settle it
    da = [s for s in vfm.sentences if s.startswith("On domestic-abuse incidents")][0]
    assert "returned" not in da and "does not yet show value for money" in da
    z = stats.norm.ppf(0.975) + stats.norm.ppf(0.8)
    needed = math.ceil(z**2 * (1 / 2.0 + 1 / (2.0 * 0.8)) / math.log(0.8) ** 2)  # Poisson rates, by hand: 178
    assert f"about {needed:,} participants" in da and f"about {needed - 100:,} more" in da
    assert "£1,000 per participant" in text
    assert "pays for itself if it avoids at least 25.0 proven reoffences per 100 participants" in text


def test_simulation_agrees_with_the_transformed_limits():
    sim = value_for_money(results([FREQUENCY, DA, MARAC]), COSTS, "DRIVE", uncertainty="simulation", seed=5)
    again = value_for_money(results([FREQUENCY, DA, MARAC]), COSTS, "DRIVE", uncertainty="simulation", seed=5)
    exact = value_for_money(results([FREQUENCY, DA, MARAC]), COSTS, "DRIVE")
    pd.testing.assert_frame_equal(sim.table, again.table)  # deterministic with the seed
    for outcome in ("proven_reoffence", "da_incident", "repeat_marac_case"):
        s, e = value(sim.table, outcome, "benefit_cost_ratio"), value(exact.table, outcome, "benefit_cost_ratio")
        assert s[0] == pytest.approx(e[0])
        assert s[1] == pytest.approx(e[1], abs=0.03) and s[2] == pytest.approx(e[2], abs=0.03)
    assert "parametric simulation" in sim.uncertainty


@settings(max_examples=200, deadline=None)
@given(estimate=st.floats(-2, 2), half=st.floats(0.01, 2), cost=st.floats(10, 1e5), per=st.floats(10, 1e5))
def test_an_interval_spanning_zero_never_says_returned(estimate, half, cost, per):
    lo, hi = estimate - half, estimate + half
    row = {**FREQUENCY, "estimate": estimate, "ci_lower": lo, "ci_upper": hi}
    costs = Costs(programme=ProgrammeCost(source="s", price_year="y", cost_per_participant=per),
                  proven_reoffence=unit(cost))
    vfm = value_for_money(results([row]), costs, "Turnaround")
    says_return = any("returned" in s for s in value_for_money_sentences(vfm))
    assert says_return == (hi < 0)  # only when the whole interval is a reduction


def test_missing_costs_are_asked_for_by_name():
    partial = Costs(proven_reoffence=unit(4000))
    vfm = value_for_money(results([FREQUENCY, DA, MARAC]), partial, "Up2U")
    assert any("[programme] cost_per_participant" in m for m in vfm.missing)
    assert any("[da_incident]" in m for m in vfm.missing) and any("[repeat_marac_case]" in m for m in vfm.missing)
    notes = vfm.table.loc[vfm.table["quantity"] == "benefit_cost_ratio", "note"]
    assert notes.str.startswith("not computed: give").all()
    assert vfm.table["estimate"][vfm.table["quantity"] == "benefit_cost_ratio"].isna().all()
    # what needs no costs is still given, and the social cost where the unit cost is known
    assert value(vfm.table, "da_incident", "avoided_per_100")[0] == pytest.approx(40)
    assert value(vfm.table, "proven_reoffence", "social_cost_avoided")[0] == pytest.approx(1200)
    text = " ".join(vfm.sentences)
    # one sentence names every outcome not valued and every figure it needs
    assert "was not computed: give" in text and "give [da_incident] cost" in text
    assert "give [repeat_marac_case] cost" in text and "returned" not in text


def test_turnaround_has_no_domestic_abuse_outcomes():
    vfm = value_for_money(results([FREQUENCY]), COSTS, "Turnaround")
    assert set(vfm.table["outcome"]) == {"programme", "proven_reoffence"}


def test_no_estimate_says_so():
    vfm = value_for_money(results([FREQUENCY]), COSTS, "DRIVE")
    note = vfm.table.set_index(["outcome", "quantity"]).loc[("da_incident", "avoided_per_100"), "note"]
    assert note.startswith("not computed: no da_incident_rate rate_ratio estimate")
    assert any(s.startswith("Value for money on domestic-abuse incidents was not computed: the evaluation made no")
               for s in vfm.sentences)


def test_html_and_plot(vfm):
    assert "Value for money" in vfm._repr_html_()
    import matplotlib
    matplotlib.use("Agg")
    ax = vfm.plot()
    assert len(ax.get_yticklabels()) == 3


def test_public_table_and_sources_for_reports(vfm):
    table = vfm.public_table.set_index(["Outcome", "Quantity"])
    row = table.loc[("proven reoffences", "£ of harm avoided per £1 spent")]
    assert row["Estimate"] == "1.20" and row["95% interval"] == "0.40 to 2.00"
    assert table.loc[("domestic-abuse incidents", "Cost per one avoided"), "95% interval"] == "£1,389 to unbounded"
    assert table.loc[("programme", "Cost per participant"), "Estimate"] == "£1,000"
    lines = vfm.source_lines
    assert lines[0] == "programme: £800.00 at 2025/26 prices, uplifted by 1.25 (test budget)"
    assert len(lines) == 4 and all("prices" in line for line in lines)


def test_no_comparison_incidents_means_no_break_even():
    vfm = value_for_money(results([{**DA, "comparison_value": 0.0}]), COSTS, "DRIVE")
    row = vfm.break_even.iloc[0]
    assert math.isnan(row["break_even_effect"]) and row["compared"].startswith("no break-even effect")
    assert not any("returned" in s for s in vfm.sentences)


def test_a_break_even_beyond_what_the_comparison_group_had_is_out_of_reach():
    # £1,000 per participant against £300 an incident needs 3.33 incidents avoided per participant; the comparison
    # group had 2.0 per person-year, so even a rate ratio of 0 (no incidents at all) avoids only 2.0: no break-even
    costs = Costs(programme=COSTS.programme, da_incident=unit(300))
    vfm = value_for_money(results([DA]), costs, "DRIVE")
    (o,) = vfm.outcomes
    assert o.break_even_effect == pytest.approx(1 - (1000 / 300) / 2.0)  # -0.667: a rate ratio below 0
    assert not o.break_even_reachable
    assert vfm.break_even.iloc[0]["compared"].startswith("break-even is out of reach")
    (sentence,) = [s for s in vfm.sentences if s.startswith("Break-even")]
    assert "333.3 domestic-abuse incidents per 100 participants" in sentence and "(200.0 per 100)" in sentence
    assert "cannot pay for itself" in sentence and "rate ratio of" not in sentence
    # within reach (£600 an incident: 1.67 per participant needed, 2.0 had), the effect is given as before
    within = value_for_money(results([DA]), Costs(programme=COSTS.programme, da_incident=unit(600)), "DRIVE")
    assert within.outcomes[0].break_even_reachable
    assert within.outcomes[0].break_even_effect == pytest.approx(1 - (1000 / 600) / 2.0)


def test_second_hand_figures_are_said_in_every_wording():
    second = UnitCost(cost=4000, source="RR99", price_year="2015/16", status="second-hand", quoted_by="The Echo, 2019")
    costs = Costs(programme=COSTS.programme, proven_reoffence=second, da_incident=unit(2000))
    vfm = value_for_money(results([FREQUENCY, DA]), costs, "DRIVE")
    ratio = vfm.table[(vfm.table["quantity"] == "benefit_cost_ratio")].set_index("outcome")["note"]
    assert "not read in the original but as quoted by The Echo, 2019" in ratio["proven_reoffence"]
    assert ratio["da_incident"] == ""  # read in its source: nothing to say
    frequency_sentence = next(s for s in vfm.sentences if s.startswith("On proven reoffences"))
    assert "second-hand (not read in the original, quoted by The Echo, 2019)" in frequency_sentence
    assert any("proven reoffences: quoted by The Echo, 2019" in s for s in vfm.short_sentences)
    assert "second-hand, quoted by The Echo, 2019" in vfm.short_source_lines[1]
    assert vfm.sources.set_index("item").loc["proven_reoffence", "status"] == "second-hand"
