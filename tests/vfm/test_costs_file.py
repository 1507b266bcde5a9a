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


# The figures of ../shared/references/unit-costs.md (December 2026), typed in by hand from that
# document: amount, price year, status and who quotes a second-hand figure.
REFERENCE = {
    # RR99 violence with injury, quoted by the South Wales Echo (2 August 2019); price year 2015/16 unconfirmed
    "proven_reoffence": (14050, "2015/16", "second-hand", "South Wales Echo, 2 August 2019"),
    # Police costs methodology (24 November 2025), Table 1, violence without injury: read in the source
    "da_incident": (470, "2022/23", "read", None),
    # RR107 cost per victim, quoted second-hand with a page reference; year ending March 2017
    "repeat_marac_case": (34015, "2016/17", "second-hand", "an unnamed secondary source citing RR107"),
}
RR99_SECOND_HAND = {"homicide": "3,200,000", "rape": "39,360", "violence with injury": "14,050", "robbery": "11,320",
                    "theft of vehicle": "10,290", "arson": "8,420", "other sexual offences": "6,520",
                    "criminal damage other than arson": "1,350", "theft from vehicle": "870", "cyber crime": "550"}
POLICE_READ = {"homicide": "577,530", "rape": "5,110", "other sexual offences": "3,100", "robbery": "2,100",
               "violence with injury": "1,260", "domestic burglary": "1,250"}


def test_the_shipped_figures_are_the_reference_ones_with_their_status(tmp_path):
    costs = read_costs(write(tmp_path, _shipped_text()))  # strict: a figure without source or price year fails
    for name, (amount, year, status, quoted) in REFERENCE.items():
        item = getattr(costs, name)
        assert (item.cost, item.price_year, item.status) == (amount, year, status), name
        assert item.uplift == 1  # no deflator was read: nothing is uplifted
        if quoted is None:
            assert item.quoted_by is None
        else:
            assert item.quoted_by.startswith(quoted)
        assert item.source.strip() and item.table.strip() and item.note.strip()
    assert "Research Report 99" in costs.proven_reoffence.source
    assert "Police costs methodology" in costs.da_incident.source
    assert "Research Report 107" in costs.repeat_marac_case.source
    # RR107's figure is per victim, and the file says so where it is used
    assert "per victim" in costs.repeat_marac_case.note and "not per MARAC case" in costs.repeat_marac_case.note
    # the programme cost is no published figure: it is marked illustrative, never passed off as real
    assert costs.programme.status == "illustrative" and "illustrative" in costs.programme.source
    assert costs.programme.caveat.startswith("illustrative figure, not a real cost")


def test_the_other_reference_figures_are_listed_with_their_status():
    text = _shipped_text()
    rr99 = text[text.index("Per-type figures"):text.index("Not found anywhere")]
    assert "second-hand" in rr99 and "South Wales Echo" in rr99
    for category, amount in RR99_SECOND_HAND.items():
        assert re.search(rf"{category} £{amount}\b", " ".join(rr99.replace("#", "").split())), category
    police = text[text.index("Other figures of the same table"):]
    assert "read in the source" in police
    for category, amount in POLICE_READ.items():
        assert f"{category} £{amount}" in " ".join(police.replace("#", "").split()), category


def test_the_commented_offence_type_example_reads_once_uncommented(tmp_path):
    text = _shipped_text()
    block = text[text.index("# [offence_type.violence]"):].split("\n\n")[0]
    body = "\n".join(line[2:].split("#")[0] for line in block.splitlines())
    costs = read_costs(write(tmp_path, body.replace("share = 0.6", "share = 1.0")))
    assert costs.offence_type["violence"].status == "second-hand"
    assert costs.caveats("proven_reoffence") == [costs.offence_type["violence"].caveat]


def test_status_is_checked(tmp_path):
    second = GOOD.replace('source = "illustrative test figure"', 'source = "RR99"\nstatus = "second-hand"')
    with pytest.raises(ConfigError, match=r"proven_reoffence: status 'second-hand' needs 'quoted_by'"):
        read_costs(write(tmp_path, second))
    with pytest.raises(ConfigError, match=r"proven_reoffence: status 'second-hand' needs 'quoted_by'"):
        read_costs(write(tmp_path, second.replace('status = "second-hand"', 'status = "second-hand"\nquoted_by = " "')))
    costs = read_costs(write(tmp_path, second.replace('status = "second-hand"', 'status = "second-hand"\nquoted_by = "The Echo"')))
    assert costs.proven_reoffence.caveat == (
        "second-hand figure: not read in the original but as quoted by The Echo; "
        "check it in the original before a bid relies on it")
    assert costs.caveats("proven_reoffence") == [costs.proven_reoffence.caveat]
    assert costs.caveats("programme") == []  # read in the source (the default): nothing to say
    with pytest.raises(ConfigError, match=r"'quoted_by' is only for status = \"second-hand\""):
        read_costs(write(tmp_path, GOOD.replace('source = "illustrative test figure"', 'source = "s"\nquoted_by = "x"')))
    with pytest.raises(ConfigError, match=r"proven_reoffence.status"):
        read_costs(write(tmp_path, GOOD.replace('source = "illustrative test figure"', 'source = "s"\nstatus = "heard"')))


def test_a_whole_number_price_year_is_accepted(tmp_path):
    costs = read_costs(write(tmp_path, GOOD.replace('price_year = "2015/16"', "price_year = 2016")))
    assert costs.proven_reoffence.price_year == "2016"
    with pytest.raises(ConfigError, match=r"proven_reoffence: 'price_year' is empty"):
        read_costs(write(tmp_path, GOOD.replace('price_year = "2015/16"', 'price_year = ""')))
