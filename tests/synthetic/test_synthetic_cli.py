"""``reoffend-eval synth`` writes a cohort that ``load`` reads back unchanged."""
from __future__ import annotations

import pytest
import typer
from pandas.testing import assert_frame_equal

import reoffend_eval as rev
from reoffend_eval import synthetic
from reoffend_eval.cli import synth


def _run(out, **overrides):
    options = dict(programme="Turnaround", out=out, n_participants=40, n_comparison=150, seed=4, effect=0.8,
                   da_effect=None, format="csv")
    options.update(overrides)
    synth(**options)


def test_synth_writes_what_generate_makes(tmp_path):
    _run(tmp_path, da_effect=0.6)
    expected = synthetic.generate("Turnaround", n_participants=40, n_comparison=150, seed=4, effect=0.8, da_effect=0.6)
    loaded = rev.load(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{name}.csv" for name in expected.tables())
    for name, frame in expected.tables().items():
        assert_frame_equal(getattr(loaded, name), frame)


def test_synth_reports_bad_arguments_without_a_traceback(tmp_path, capsys):
    with pytest.raises(typer.Exit) as stopped:
        _run(tmp_path, effect=0.0)
    assert stopped.value.exit_code == 2
    assert "effect must be a positive number" in capsys.readouterr().err
