"""Synthetic cohorts with known true effects, realistic enough to test the statistics.

>>> from reoffend_eval import synthetic
>>> data = synthetic.generate("Up2U", n_participants=300, n_comparison=3000, seed=2, effect=0.8)
>>> sorted(data.tables())
['asb', 'comparison', 'custody', 'exits', 'incidents', 'offences', 'participants']
"""

from .generate import generate
from .profiles import PROFILES, Profile

__all__ = ["generate", "PROFILES", "Profile"]
