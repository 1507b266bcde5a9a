import datetime as dt
import textwrap

import pytest

from reoffend_eval.evaluate._toml import ConfigError
from reoffend_eval.evaluate.config import read_config
from reoffend_eval.evaluate.targets import read_targets

TARGET = """
[[target]]
id = "RR1"
description = "Fewer DRIVE participants reoffend than similar people"
programme = "DRIVE"
measure = "reoffending_rate"
comparator = "matched"
direction = "decrease"
threshold = 5
threshold_type = "percentage_points"
by = 2027-03-31
"""

CONFIG = """
programme = "DRIVE"
targets = "targets.toml"
seed = 7

[data]
folder = "data"
extract_date = 2026-03-31

[comparison]
formula = "treated ~ age_at_index + sex"
caliper = 0.2
exact = ["sex"]

[analyses]
subgroups = ["completed", "sex"]
"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def test_targets_read_with_types(tmp_path):
    (target,) = read_targets(write(tmp_path, "targets.toml", TARGET))
    assert target.id == "RR1" and target.threshold == 5.0 and target.by == dt.date(2027, 3, 31)
    assert target.spec.outcome == "reoffended"


@pytest.mark.parametrize(
    "change, message",
    [
        (("threshold = 5", "treshold = 5"), r"unknown field 'treshold' \(did you mean 'threshold'\?\)"),
        (('measure = "reoffending_rate"', 'measure = "reoffence_rate"'), "target 'RR1'.measure: 'reoffence_rate' is not allowed"),
        (('programme = "DRIVE"', 'programme = "Drive"'), "programme 'Drive' is not one of DRIVE, Up2U, Turnaround"),
        (('threshold_type = "percentage_points"', 'threshold_type = "days"'), "takes threshold_type"),
        (('comparator = "matched"', 'comparator = "benchmark"'), "needs a 'benchmark' value"),
        (("threshold = 5", 'threshold = "five"'), "threshold: expected a number"),
        (("by = 2027-03-31", 'by = "next year"'), "by: expected a date as YYYY-MM-DD"),
        (('id = "RR1"\n', ""), "required field 'id' is missing"),
    ],
)
def test_targets_errors_name_the_field(tmp_path, change, message):
    with pytest.raises(ConfigError, match=message):
        read_targets(write(tmp_path, "targets.toml", TARGET.replace(*change)))


def test_duplicate_target_ids(tmp_path):
    with pytest.raises(ConfigError, match="target id 'RR1' is used more than once"):
        read_targets(write(tmp_path, "targets.toml", TARGET + TARGET))


def test_benchmark_must_be_a_proportion(tmp_path):
    text = TARGET.replace('comparator = "matched"', 'comparator = "benchmark"\nbenchmark = 27')
    with pytest.raises(ConfigError, match="proportion between 0 and 1"):
        read_targets(write(tmp_path, "targets.toml", text))


def test_config_reads_and_resolves_paths(tmp_path):
    config = read_config(write(tmp_path, "evaluation.toml", CONFIG))
    assert config.programme == "DRIVE" and config.seed == 7
    assert config.comparison.exact == ("sex",) and config.comparison.ratio == 1
    assert config.outcomes.follow_up_days == 365  # JDL default
    assert config.path(config.data.folder) == tmp_path / "data"
    assert config.data.extract_date == dt.date(2026, 3, 31)


@pytest.mark.parametrize(
    "change, message",
    [
        (("caliper = 0.2", "calliper = 0.2"), r"evaluation.toml.comparison: unknown field 'calliper' \(did you mean 'caliper'\?\)"),
        (('programme = "DRIVE"', 'programme = "DRIVER"'), "evaluation.toml.programme: 'DRIVER' is not allowed"),
        (("caliper = 0.2", "caliper = -1"), "caliper must be positive"),
        (('formula = "treated ~ age_at_index + sex"', 'formula = "age_at_index + sex"'), "needs a '~'"),
        (('subgroups = ["completed", "sex"]', 'subgroups = ["colour"]'), "subgroup 'colour' is not one of"),
        (("seed = 7", "seed = 7\nsede = 3"), "unknown field 'sede'"),
        (("[data]", "[dta]"), "unknown field 'dta'"),
    ],
)
def test_config_errors_name_the_field(tmp_path, change, message):
    with pytest.raises(ConfigError, match=message):
        read_config(write(tmp_path, "evaluation.toml", CONFIG.replace(*change)))


def test_config_not_toml(tmp_path):
    with pytest.raises(ConfigError, match="evaluation.toml: not valid TOML"):
        read_config(write(tmp_path, "evaluation.toml", "programme = DRIVE"))
