"""rev.evaluate with a costs file gives a value-for-money table; the shipped costs file asks for figures by name."""
import dataclasses
import json
from importlib import resources

import pandas as pd
import pytest

from reoffend_eval.evaluate import evaluate, read_config
from reoffend_eval.evaluate.costs import read_costs
from reoffend_eval.evaluate.value_for_money import ValueForMoney, value_for_money
from reoffend_eval.examples import write_example
from tests.synthetic_evaluation import evaluate_synthetic

# illustrative figures for the test only: not published unit costs
TEST_COSTS = """
[programme]
cost_per_participant = 2000
source = "test figure"
price_year = "2025/26"

[proven_reoffence]
cost = 5000
source = "test figure"
price_year = "2025/26"

[da_incident]
cost = 3000
source = "test figure"
price_year = "2025/26"
"""


@pytest.fixture(scope="module")
def evaluation(tmp_path_factory):
    ev, _ = evaluate_synthetic(tmp_path_factory.mktemp("vfm"), "DRIVE", 500, 5000, seed=3, effect=0.5,
                               costs=TEST_COSTS)
    return ev


def test_evaluation_carries_a_value_for_money_table(evaluation):
    vfm = evaluation.value_for_money
    assert isinstance(vfm, ValueForMoney)
    table = vfm.table.set_index(["outcome", "quantity"])
    assert table.loc[("programme", "cost_per_participant"), "estimate"] == 2000
    results = evaluation.results
    main = results[(results["analysis"] == "main") & (results["group"] == "all")].set_index(["measure", "statistic"])
    frequency = main.loc[("reoffending_frequency", "mean_difference")]
    # avoided per 100 is -100 x the matched mean difference, limits swapped
    assert table.loc[("proven_reoffence", "avoided_per_100"), "estimate"] == pytest.approx(-100 * frequency["estimate"])
    assert table.loc[("proven_reoffence", "avoided_per_100"), "ci_lower"] == pytest.approx(-100 * frequency["ci_upper"])
    ratio = table.loc[("proven_reoffence", "benefit_cost_ratio")]
    assert ratio["estimate"] == pytest.approx(-frequency["estimate"] * 5000 / 2000)
    da = main.loc[("da_incident_rate", "rate_ratio")]
    assert table.loc[("da_incident", "avoided_per_100"), "estimate"] == pytest.approx(
        100 * da["comparison_value"] * (1 - da["estimate"]))
    # repeat MARAC has no unit cost: asked for by name, never guessed
    assert any("[repeat_marac_case]" in m for m in vfm.missing)
    assert len(vfm.sentences) >= 3


@pytest.fixture(scope="module")
def shipped(evaluation, tmp_path_factory):
    """The same evaluation valued with the shipped example costs file (as ``reoffend-eval demo`` does)."""
    path = tmp_path_factory.mktemp("shipped") / "costs.toml"
    path.write_text(resources.files("reoffend_eval.examples").joinpath("costs.toml").read_text(encoding="utf-8"))
    vfm = value_for_money(evaluation.results, read_costs(path), "DRIVE")
    return dataclasses.replace(evaluation, value_for_money=vfm)


SECOND_HAND = "not read in the original"
CHECK = "in the original before a bid relies on it"


def test_the_shipped_costs_file_computes_every_ratio(shipped):
    vfm = shipped.value_for_money
    assert vfm.missing == ()
    ratios = vfm.table[vfm.table["quantity"] == "benefit_cost_ratio"].set_index("outcome")
    assert set(ratios.index) == {"proven_reoffence", "da_incident", "repeat_marac_case"}
    assert ratios[["estimate", "ci_lower", "ci_upper"]].notna().all().all()
    # by hand from the matched estimates and the reference figures: RR99 violence with injury £14,050,
    # police response to violence without injury £470, RR107 £34,015 per victim; illustrative £2,400
    main = shipped.results[(shipped.results["analysis"] == "main") & (shipped.results["group"] == "all")]
    main = main.set_index(["measure", "statistic"])
    freq = main.loc[("reoffending_frequency", "mean_difference")]
    assert ratios.loc["proven_reoffence", "estimate"] == pytest.approx(-freq["estimate"] * 14050 / 2400)
    assert ratios.loc["proven_reoffence", "ci_lower"] == pytest.approx(-freq["ci_upper"] * 14050 / 2400)
    da = main.loc[("da_incident_rate", "rate_ratio")]
    assert ratios.loc["da_incident", "estimate"] == pytest.approx(
        da["comparison_value"] * (1 - da["estimate"]) * 470 / 2400)
    marac = main.loc[("repeat_marac_rate", "risk_difference")]
    assert ratios.loc["repeat_marac_case", "ci_upper"] == pytest.approx(-marac["ci_lower"] / 100 * 34015 / 2400)
    # the rows resting on a second-hand figure say so; the one read in its source does not
    assert SECOND_HAND in ratios.loc["proven_reoffence", "note"] and "South Wales Echo" in ratios.loc[
        "proven_reoffence", "note"]
    assert SECOND_HAND in ratios.loc["repeat_marac_case", "note"]
    assert SECOND_HAND not in ratios.loc["da_incident", "note"]
    assert all("illustrative" in note for note in ratios["note"])  # the programme cost is not a real one


def test_every_output_says_a_figure_is_second_hand(shipped, tmp_path):
    html = shipped.to_html()
    markdown = shipped.to_markdown()
    for text in (html, markdown):
        assert SECOND_HAND in text and CHECK in text and "South Wales Echo" in text
        assert "illustrative figure, not a real cost" in text
    written = shipped.write(tmp_path)
    csv = written["value_for_money"].read_text(encoding="utf-8")
    assert SECOND_HAND in csv and CHECK in csv
    document = json.loads(written["evaluation"].read_text())
    assert any(CHECK in s for s in document["value_for_money_sentences"])
    sources = pd.read_csv(written["value_for_money_sources"]).set_index("item")
    assert sources.loc["proven_reoffence", "status"] == "second-hand"
    assert sources.loc["da_incident", "status"] == "read"
    assert sources.loc["programme", "status"] == "illustrative"


def test_machine_outputs_are_tidy_numbers(shipped, tmp_path):
    written = shipped.write(tmp_path)
    table = pd.read_csv(written["value_for_money"])
    assert list(table.columns) == ["outcome", "quantity", "estimate", "ci_lower", "ci_upper", "unit", "note"]
    for column in ("estimate", "ci_lower", "ci_upper"):
        assert pd.api.types.is_float_dtype(table[column]), column
    assert not table["unit"].str.contains(" to ").any()
    assert set(table["outcome"]) == {"programme", "proven_reoffence", "da_incident", "repeat_marac_case"}
    # same numbers as the result (to 2 dp), not a worded "12.4 to 29.4"
    expected = shipped.value_for_money.table
    assert table["estimate"].to_numpy() == pytest.approx(expected["estimate"].round(2).to_numpy(), nan_ok=True)
    records = json.loads(written["evaluation"].read_text())["value_for_money"]
    assert all(isinstance(r["estimate"], float) for r in records if r["estimate"] is not None)
    assert "Estimate" not in records[0] and "95% interval" not in records[0]
    # the worded table lives in the report only
    assert "£ of harm avoided per £1 spent" in shipped.to_html()
    assert "£ of harm avoided per £1 spent" not in written["value_for_money"].read_text(encoding="utf-8")


def test_a_bad_costs_file_fails_before_the_long_work(tmp_path):
    path = write_example("DRIVE", tmp_path)
    (tmp_path / "costs.toml").write_text("[programme]\ncost_per_participant = 0\nsource = 's'\nprice_year = 'y'\n")
    config = dataclasses.replace(read_config(path), costs="costs.toml")
    from reoffend_eval.evaluate import ConfigError
    with pytest.raises(ConfigError, match="cost_per_participant must be a positive amount"):
        evaluate(config)  # there is no data folder: the costs error must come first
