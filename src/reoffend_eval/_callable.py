"""Let a stage's package be called as its main function: ``rev.validate(data)`` and ``rev.evaluate(config)``.

The design's API names the functions after their stages (``rev.validate``,
``rev.evaluate``) while the packages keep those names too. Making the package
module callable keeps both ``rev.evaluate("evaluation.toml")`` and
``rev.evaluate.read_config`` / ``import reoffend_eval.evaluate.targets`` working.
"""

from __future__ import annotations

import sys
import types


def make_callable(module_name: str, function) -> None:
    """Calling the module ``module_name`` calls ``function`` (module ``__class__`` assignment, PEP 549's route)."""

    class _Stage(types.ModuleType):
        def __call__(self, *args, **kwargs):
            return function(*args, **kwargs)

    _Stage.__call__.__doc__ = function.__doc__
    sys.modules[module_name].__class__ = _Stage
