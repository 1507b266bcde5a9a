"""What each programme exists to change (#15) in targets and in evaluate: offence-filtered reoffending, ASB,
first-time entry and police contact, on synthetic cohorts with a known truth."""
from __future__ import annotations

import textwrap
import warnings

import pandas as pd
import pytest

from reoffend_eval import synthetic
from reoffend_eval.evaluate import evaluate
from reoffend_eval.evaluate._toml import ConfigError
from reoffend_eval.evaluate.targets import read_targets
from reoffend_eval.examples import write_example

TARGET = """
[[target]]
id = "T1"
description = "a target"
programme = "{programme}"
measure = "{measure}"
comparator = "matched"
direction = "decrease"
threshold = {threshold}
threshold_type = "{threshold_type}"
by = 2027-03-31
{extra}
"""


def target(programme="DRIVE", measure="reoffending_rate", threshold=0, threshold_type="percentage_points", extra="",
           id="T1"):
    return TARGET.format(programme=programme, measure=measure, threshold=threshold, threshold_type=threshold_type,
                         extra=extra).replace('id = "T1"', f'id = "{id}"')


def read(tmp_path, text):
    path = tmp_path / "targets.toml"
    path.write_text(textwrap.dedent(text))
    return read_targets(path)


def test_offences_default_to_all_and_name_the_measure_and_column(tmp_path):
    (t,) = read(tmp_path, target())
    assert (t.offences, t.key, t.outcome) == ("all", "reoffending_rate", "reoffended")
    (t,) = read(tmp_path, target(extra='offences = "domestic_abuse"'))
    assert (t.key, t.outcome) == ("reoffending_rate[domestic_abuse]", "da_reoffended")
    (t,) = read(tmp_path, target(measure="reoffending_frequency", threshold_type="per_person",
                                 extra='offences = "violent"'))
    assert (t.key, t.outcome) == ("reoffending_frequency[violent]", "n_violent_reoffences")
    (t,) = read(tmp_path, target(extra='offences = ["theft", "burglary", "theft"]'))
    assert t.offences == ("burglary", "theft") and t.key == "reoffending_rate[burglary+theft]"
    assert t.outcome == "reoffended[burglary+theft]"
    (t,) = read(tmp_path, target(programme="Turnaround", measure="first_time_entry_rate"))
    assert t.outcome == "entered_youth_justice"
    (t,) = read(tmp_path, target(measure="asb_incident_rate", threshold=10, threshold_type="percent"))
    assert t.spec.kind == "rate" and t.key == "asb_incident_rate"


@pytest.mark.parametrize("text, message", [
    (target(extra='offences = "sexual_only"'), "offences 'sexual_only' is not allowed"),
    (target(extra='offences = ["burglery"]'), r"unknown offence type\(s\) \['burglery'\]"),
    (target(extra="offences = []"), r"\(none given\)"),
    (target(measure="asb_rate", extra='offences = "violent"'), "'offences' applies to the reoffending measures"),
    (target(measure="first_time_entry_rate"), "is for Turnaround"),
    (target(measure="police_contact_rate", threshold_type="days"), "takes threshold_type"),
])
def test_bad_targets_name_the_target_and_field(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message) as info:
        read(tmp_path, text)
    assert "targets.toml: target 'T1'" in str(info.value)


TURNAROUND_TARGETS = "".join([
    target("Turnaround", "first_time_entry_rate", 5, id="ENTRY"),
    target("Turnaround", "police_contact_rate", 0, id="CONTACT"),
    target("Turnaround", "asb_rate", 5, id="ASB"),
    target("Turnaround", "asb_incident_rate", 10, "percent", id="ASBRATE"),
    target("Turnaround", "reoffending_rate", 0, extra='offences = ["burglary", "theft"]', id="ACQUISITIVE"),
    target("Turnaround", "time_to_reoffence", 10, "percent", extra='offences = "violent"', id="VIOLENT"),
])


def evaluate_turnaround(folder, drop_asb=False):
    data = synthetic.generate("Turnaround", n_participants=900, n_comparison=6000, seed=21, effect=0.7,
                              asb_effect=0.6)
    if drop_asb:
        data = data.replace(asb=None)
    data.to_folder(folder / "data")
    config = write_example("Turnaround", folder, extract_date=data.truth["extract_date"])
    (folder / "turnaround_targets.toml").write_text(textwrap.dedent(TURNAROUND_TARGETS))
    if drop_asb:  # without an asb table the formula cannot use ASB history
        text = config.read_text().replace(" + prior_asb_incidents", "")
        config.write_text(text)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return evaluate(config), data


@pytest.fixture(scope="module")
def turnaround(tmp_path_factory):
    return evaluate_turnaround(tmp_path_factory.mktemp("turnaround"))


def test_evaluate_estimates_every_new_measure_the_data_allow(turnaround):
    ev, data = turnaround
    r = ev.results
    main = r[(r["analysis"] == "main") & (r["group"] == "all")]
    have = set(zip(main["measure"], main["statistic"], strict=True))
    for key in [("first_time_entry_rate", "risk_difference"), ("police_contact_rate", "risk_difference"),
                ("asb_rate", "risk_difference"), ("asb_incident_rate", "rate_ratio"),
                ("reoffending_rate[domestic_abuse]", "risk_difference"), ("reoffending_rate[violent]", "risk_ratio"),
                ("reoffending_rate[burglary+theft]", "risk_difference"),
                ("time_to_reoffence[violent]", "hazard_ratio")]:
        assert key in have, key
    # each target found its estimate
    verdicts = ev.targets.set_index("id")
    assert verdicts["estimate"].notna().all(), verdicts[["verdict", "reason"]]


def test_new_estimates_follow_the_truth(turnaround):
    ev, data = turnaround
    t = data.truth
    r = ev.results
    r = r[(r["analysis"] == "main") & (r["group"] == "all")].set_index(["measure", "statistic"]).sort_index()
    ratio = r.loc[("asb_incident_rate", "rate_ratio")]
    assert ratio["ci_lower"] < t["asb_effect"] < ratio["ci_upper"]
    assert ratio["ci_upper"] < 1                       # 0.6 on ~900 children: clearly fewer incidents
    entry = r.loc[("first_time_entry_rate", "risk_difference")]
    assert entry["ci_lower"] < t["att_first_time_entry_difference"] * 100 < entry["ci_upper"]
    asb = r.loc[("asb_rate", "risk_difference")]
    assert asb["ci_lower"] < t["att_any_asb_difference"] * 100 < asb["ci_upper"] and asb["estimate"] < 0
    # first-time entry leaves out children already in the system, and says so
    assert any("already in the youth justice system" in w for w in ev.warnings)


def test_children_in_the_headlines(turnaround):
    ev, _ = turnaround
    assert ev.headlines[0].startswith("For every 100 children supported by Turnaround, between")
    assert "entered the youth justice system" in ev.headlines[0]


def test_missing_asb_table_is_not_measured_never_zero(tmp_path):
    ev, _ = evaluate_turnaround(tmp_path, drop_asb=True)
    assert not ev.results["measure"].isin(["asb_rate", "asb_incident_rate"]).any()
    assert any(w.startswith("asb_rate: not measured") for w in ev.warnings)
    verdicts = ev.targets.set_index("id")
    assert verdicts.loc["ASB", "verdict"] == "not measured" and "asb table" in verdicts.loc["ASB", "reason"]
    assert verdicts.loc["ASBRATE", "verdict"] == "not measured"
    assert pd.notna(verdicts.loc["ENTRY", "estimate"])
