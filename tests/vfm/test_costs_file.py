"""The costs file is read as strictly as the evaluation config: errors name the file and the field."""
import re
import textwrap
import tomllib
from importlib import resources

import pytest

from reoffend_eval.evaluate import ConfigError
from reoffend_eval.evaluate.costs import read_costs

GOOD = """
[programme]
cost_per_participant = 800
source = "County budget 2025/26"
price_year = "2025/26"
uplift = 1.25

[proven_reoffence]
cost = 4000
source = "illustrative test figure"
price_year = "2015/16"
"""


def write(tmp_path, text, name="costs.toml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_a_good_file_reads_and_uplifts(tmp_path):
    costs = read_costs(write(tmp_path, GOOD))
    assert costs.programme.per_participant == pytest.approx(1000.0)
    assert costs.unit_cost("proven_reoffence") == pytest.approx(4000.0)
    assert costs.unit_cost("da_incident") is None  # not given: never guessed


def test_total_cost_is_divided_by_the_participants_it_paid_for(tmp_path):
    costs = read_costs(write(tmp_path, """
        [programme]
        total_cost = 90000
        participants = 60
        source = "contract"
        price_year = "2025/26"
    """))
    assert costs.programme.per_participant == pytest.approx(1500.0)


def test_offence_type_costs_are_share_weighted(tmp_path):
    costs = read_costs(write(tmp_path, """
        [offence_type.violence]
        cost = 10000
        share = 0.25
        source = "s"
        price_year = "2015/16"
        [offence_type.theft]
        cost = 2000
        share = 0.75
        uplift = 2
        source = "s"
        price_year = "2015/16"
    """))
    assert costs.unit_cost("proven_reoffence") == pytest.approx(0.25 * 10000 + 0.75 * 4000)


@pytest.mark.parametrize("text, message", [
    (GOOD.replace("uplift = 1.25", "uplfit = 1.25"), r"costs.toml.programme: unknown field 'uplfit' \(did you mean 'uplift'\?\)"),
    (GOOD + "\n[da_incidents]\ncost = 1\n", r"costs.toml: unknown field 'da_incidents' \(did you mean 'da_incident'\?\)"),
    (GOOD.replace('source = "illustrative test figure"\n', ""), r"costs.toml.proven_reoffence: required field 'source' is missing"),
    (GOOD.replace('price_year = "2015/16"\n', ""), r"costs.toml.proven_reoffence: required field 'price_year' is missing"),
    (GOOD.replace("cost = 4000", "cost = 0"), r"costs.toml.proven_reoffence: cost must be a positive amount, got 0"),
    (GOOD.replace("cost = 4000", "cost = -5"), r"costs.toml.proven_reoffence: cost must be a positive amount, got -5"),
    (GOOD.replace("cost_per_participant = 800", "cost_per_participant = -800"), r"costs.toml.programme: cost_per_participant must be a positive"),
    (GOOD.replace("uplift = 1.25", "uplift = 0"), r"costs.toml.programme: uplift must be a positive"),
    (GOOD.replace('source = "County budget 2025/26"', 'source = "  "'), r"costs.toml.programme: 'source' is empty"),
    (GOOD.replace("cost = 4000", 'cost = "lots"'), r"costs.toml.proven_reoffence.cost: expected a number, got 'lots'"),
    (GOOD.replace("cost_per_participant = 800", "cost_per_participant = 800\ntotal_cost = 5"), r"exactly one of 'cost_per_participant' or 'total_cost'"),
    (GOOD.replace("cost_per_participant = 800", "total_cost = 5000"), r"'total_cost' needs 'participants'"),
])
def test_errors_name_the_field(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message):
        read_costs(write(tmp_path, text))


def test_offence_type_errors(tmp_path):
    base = '[offence_type.{kind}]\ncost = 100\nshare = {share}\nsource = "s"\nprice_year = "2015/16"\n'
    with pytest.raises(ConfigError, match=r"offence_type.vandalism: 'vandalism' is not an offence type"):
        read_costs(write(tmp_path, base.format(kind="vandalism", share=1)))
    with pytest.raises(ConfigError, match=r"shares must add up to 1, they add up to 0.8"):
        read_costs(write(tmp_path, base.format(kind="violence", share=0.5) + base.format(kind="theft", share=0.3)))
    with pytest.raises(ConfigError, match=r"offence_type.violence: required field 'share' is missing"):
        read_costs(write(tmp_path, base.format(kind="violence", share=1).replace("share = 1\n", "")))
    with pytest.raises(ConfigError, match=r"either \[proven_reoffence\] or \[offence_type"):
        read_costs(write(tmp_path, GOOD + base.format(kind="violence", share=1)))


def test_missing_file_and_bad_toml(tmp_path):
    with pytest.raises(ConfigError, match="file not found"):
        read_costs(tmp_path / "nope.toml")
    with pytest.raises(ConfigError, match="not valid TOML"):
        read_costs(write(tmp_path, "[programme\n"))


def _shipped_text():
    return resources.files("reoffend_eval.examples").joinpath("costs.toml").read_text(encoding="utf-8")


def test_every_shipped_figure_carries_a_source_and_price_year(tmp_path):
    path = write(tmp_path, _shipped_text())
    costs = read_costs(path)  # strict reading: a figure without source or price_year would fail here
    for row in costs.sources():
        assert row["source"].strip() and row["price_year"].strip()
    # every figure written in the file, active or commented out, is either sourced or marked unverified
    for line in _shipped_text().splitlines():
        body = line.lstrip("# ").strip()
        if re.match(r"^(cost|cost_per_participant|total_cost)\s*=", body):
            assert "not verified" in line or re.search(r"=\s*0\b", body), line


def test_the_commented_template_reads_once_filled_in(tmp_path):
    """Uncommenting the shipped tables and filling in a figure gives a valid file (the template is right)."""
    blocks, current = [], None
    for line in _shipped_text().splitlines():
        if re.match(r"^# \[(programme|proven_reoffence|da_incident|repeat_marac_case)\]", line):
            current = []
            blocks.append(current)
        if current is not None:
            if not line.startswith("# ") or line.startswith("# ---"):
                current = None
                continue
            current.append(line[2:])
    text = "\n".join("\n".join(b) for b in blocks)
    text = text.replace("cost_per_participant = 0", "cost_per_participant = 500")
    text = re.sub(r"(?m)^cost = 0", "cost = 1000", text)
    assert set(tomllib.loads(text)) == {"programme", "proven_reoffence", "da_incident", "repeat_marac_case"}
    costs = read_costs(write(tmp_path, text))
    assert costs.unit_cost("da_incident") == 1000
    assert costs.programme.per_participant == 500


def test_a_whole_number_price_year_is_accepted(tmp_path):
    costs = read_costs(write(tmp_path, GOOD.replace('price_year = "2015/16"', "price_year = 2016")))
    assert costs.proven_reoffence.price_year == "2016"
    with pytest.raises(ConfigError, match=r"proven_reoffence: 'price_year' is empty"):
        read_costs(write(tmp_path, GOOD.replace('price_year = "2015/16"', 'price_year = ""')))
