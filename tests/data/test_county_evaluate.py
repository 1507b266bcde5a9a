"""The evaluation config reads a county extract through `[data] mapping`, and says so when charges count."""

from __future__ import annotations

import warnings

from .county import make_county

from reoffend_eval.evaluate import evaluate, read_config
from reoffend_eval.examples import write_example
from reoffend_eval.outcomes.derive import CHARGES_NOTE


def test_config_mapping_relative_to_the_config_and_charges_said(tmp_path):
    county = make_county(tmp_path / "county")
    config = write_example("DRIVE", tmp_path, extract_date=__import__("datetime").date.fromisoformat(county.extract_date))
    text = config.read_text(encoding="utf-8")
    text = text.replace('folder = "data"', 'folder = "county"\nmapping = "county/mapping.toml"', 1)
    text = text.replace("# charges_count_as_proven = true", "charges_count_as_proven = true", 1)
    config.write_text(text, encoding="utf-8")
    assert read_config(config).data.mapping == "county/mapping.toml"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = evaluate(config)
    assert CHARGES_NOTE in ev.warnings
    assert "a charge is not proof of guilt" in ev.to_markdown()
