"""A charge (Home Office outcome 1/1A, disposal 'charged') is not proof of guilt (#14)."""
from __future__ import annotations

from .cohorts import control, derive, make, offence, participant


def _cohort():
    # A is charged 100 days after the index date (charge on day 110); B is convicted on the same days
    return make(
        [participant("A"), participant("B")],
        [control("C")],
        offences=[offence("A", "2023-04-11", "2023-04-21", disposal="charged"),
                  offence("B", "2023-04-11", "2023-04-21", disposal="conviction")],
    )


def test_a_charge_proves_nothing_by_default():
    p = derive(_cohort(), programme="DRIVE").set_index("person_id")
    assert p.loc["A", "reoffended"] == 0 and p.loc["B", "reoffended"] == 1


def test_a_charge_proves_the_offence_when_the_config_says_so():
    p = derive(_cohort(), programme="DRIVE", charges_count_as_proven=True).set_index("person_id")
    assert p.loc["A", "reoffended"] == 1 and p.loc["B", "reoffended"] == 1
    assert p.loc["A", "days_to_first_reoffence"] == p.loc["B", "days_to_first_reoffence"] == 100
    assert any("charges and summonses" in w for w in p.attrs.get("warnings", ()))
