"""The documentation covers the public API: every public name has an API page entry, and every public
function's docstring names each of its parameters and shows an example (CI also builds the site with
``mkdocs build --strict``)."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STAGES = (
    "data",
    "validate",
    "outcomes",
    "matching",
    "effects",
    "survival",
    "sensitivity",
    "evaluate",
    "report",
    "synthetic",
)


def _documented() -> set[str]:
    """Every object path rendered by a ``::: path`` directive on the API pages."""
    paths: set[str] = set()
    for page in (ROOT / "docs" / "api").glob("*.md"):
        paths.update(re.findall(r"^::: (\S+)", page.read_text(encoding="utf-8"), flags=re.MULTILINE))
    return paths


def _public() -> list[tuple[str, str, object]]:
    """(package, name, object) for each name in ``reoffend_eval.__all__`` and each stage's ``__all__``."""
    out = []
    for package in ["reoffend_eval"] + [f"reoffend_eval.{s}" for s in STAGES]:
        module = importlib.import_module(package)
        for name in module.__all__:
            out.append((package, name, getattr(module, name)))
    return out


def _canonical(package: str, name: str, obj: object) -> str | None:
    if inspect.ismodule(obj):
        if callable(obj):  # rev.validate / rev.evaluate: the package and the function it calls
            return _canonical(obj.__name__, name, getattr(obj, name))
        return obj.__name__
    if inspect.isfunction(obj) or inspect.isclass(obj):
        return f"{obj.__module__}.{obj.__qualname__}"
    return None  # a constant: found by name below


def _functions() -> list[tuple[str, object]]:
    seen: dict[int, tuple[str, object]] = {}
    for package, name, obj in _public():
        if inspect.ismodule(obj) and callable(obj):
            obj = getattr(obj, name)
        if inspect.isfunction(obj):
            seen.setdefault(id(obj), (f"{obj.__module__}.{obj.__qualname__}", obj))
    return sorted(seen.values(), key=lambda item: item[0])


def test_every_public_name_has_an_api_entry():
    documented = _documented()
    missing = []
    for package, name, obj in _public():
        path = _canonical(package, name, obj)
        if path is None:
            if not any(p.split(".")[-1] == name for p in documented):
                missing.append(f"{package}.{name}")
        elif path not in documented:
            missing.append(f"{package}.{name} ({path})")
    assert not missing, f"not on any page of docs/api/: {missing}"


def test_every_api_entry_exists():
    """A directive naming something that is gone would fail the strict build; say which one here."""
    for path in _documented():
        module_path, _, attr = path.rpartition(".")
        try:
            importlib.import_module(path)
            continue
        except ImportError:
            pass
        obj = importlib.import_module(module_path)
        assert hasattr(obj, attr), path


@pytest.mark.parametrize("path,function", _functions(), ids=[p for p, _ in _functions()])
def test_public_function_docstring_names_its_parameters_and_shows_an_example(path, function):
    doc = inspect.getdoc(function) or ""
    assert ">>>" in doc, f"{path}: no example (a '>>>' line) in the docstring"
    names = [p for p in inspect.signature(function).parameters if p not in ("self", "cls") and not p.startswith("_")]
    unnamed = [p for p in names if not re.search(rf"(?<![A-Za-z0-9_]){re.escape(p)}(?![A-Za-z0-9_])", doc)]
    assert not unnamed, f"{path}: the docstring never names parameter(s) {unnamed}"


def test_config_page_lists_every_config_field_and_measure():
    """docs/config.md is the reference for the config and targets files: a new field or measure belongs there."""
    import dataclasses

    from reoffend_eval.evaluate import MEASURES, Target
    from reoffend_eval.evaluate.config import (
        AnalysesConfig,
        ComparisonConfig,
        DataConfig,
        EvaluationConfig,
        OutcomesConfig,
    )

    page = (ROOT / "docs" / "config.md").read_text(encoding="utf-8")
    names = [
        f.name
        for cls in (EvaluationConfig, DataConfig, OutcomesConfig, ComparisonConfig, AnalysesConfig, Target)
        for f in dataclasses.fields(cls)
        if f.name not in ("base_dir", "data", "outcomes", "comparison", "analyses")  # internal, or a [section]
    ]
    missing = [n for n in [*names, *MEASURES] if f"`{n}`" not in page]
    assert not missing, f"docs/config.md does not describe: {missing}"
