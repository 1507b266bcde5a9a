"""rev.evaluate with a costs file gives a value-for-money table; the shipped costs file asks for figures by name."""
import dataclasses
from importlib import resources

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


def test_the_shipped_costs_file_asks_for_every_figure(evaluation, tmp_path):
    path = tmp_path / "costs.toml"
    path.write_text(resources.files("reoffend_eval.examples").joinpath("costs.toml").read_text(encoding="utf-8"))
    vfm = value_for_money(evaluation.results, read_costs(path), "DRIVE")
    joined = " ".join(vfm.missing)
    for field in ("[programme]", "[proven_reoffence]", "[da_incident]", "[repeat_marac_case]"):
        assert field in joined
    assert not any("returned" in s for s in vfm.sentences)
    assert vfm.table["quantity"].eq("avoided_per_100").sum() >= 2  # what needs no costs is still shown


def test_a_bad_costs_file_fails_before_the_long_work(tmp_path):
    path = write_example("DRIVE", tmp_path)
    (tmp_path / "costs.toml").write_text("[programme]\ncost_per_participant = 0\nsource = 's'\nprice_year = 'y'\n")
    config = dataclasses.replace(read_config(path), costs="costs.toml")
    from reoffend_eval.evaluate import ConfigError
    with pytest.raises(ConfigError, match="cost_per_participant must be a positive amount"):
        evaluate(config)  # there is no data folder: the costs error must come first
