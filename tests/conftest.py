"""Test-wide settings: in CI, hypothesis draws the same examples every run, so a result never depends on luck."""
import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")
