"""``strategy``: run (or reuse) each programme's evaluation and gather one scorecard.

A programme's earlier run is reused when its inputs are unchanged: the same
library version, evaluation config, targets, costs and every file of the data
folder byte for byte (SHA-256, as in the provenance), and the same extract date
(a config without one is evaluated as of today, so it is rerun on another day).
Reuse needs a cache, the ``out`` folder the scorecard is written to: each
programme's outputs sit in ``out/<config name>/`` with ``strategy_cache.json``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import multiprocessing
import os
import warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd

from ..data.history import read_history
from ..errors import UserError
from ..evaluate import ConfigError, EvaluationConfig
from ..evaluate import evaluate as run_evaluation
from ..evaluate.provenance import _version
from ..report.history import append_rows, history_rows
from ..report.tables import public_targets
from .config import read_strategy
from .outputs import CACHE_FILE, write_programme
from .result import ProgrammeRun, Strategy


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def input_key(config_path: Path, config: EvaluationConfig, today: dt.date | None = None) -> str:
    """One hash of everything a programme's results depend on (see the module docstring)."""
    parts = [("library", _version("reoffend-eval")), ("config", _file_hash(config_path))]
    parts.append(("targets", _file_hash(config.path(config.targets))))
    if config.costs:
        parts.append(("costs", _file_hash(config.path(config.costs))))
    folder = config.path(config.data.folder)
    if folder.is_dir():
        for file in sorted(p for p in folder.rglob("*") if p.is_file()):
            parts.append((f"data/{file.relative_to(folder).as_posix()}", _file_hash(file)))
    elif folder.exists():
        parts.append(("data", _file_hash(folder)))
    if config.data.extract_date is None:
        parts.append(("as_of", (today or dt.date.today()).isoformat()))
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def _from_cache(folder: Path, key: str) -> ProgrammeRun | None:
    file = folder / CACHE_FILE
    if not file.is_file():
        return None
    try:
        saved = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if saved.get("key") != key:
        return None
    return ProgrammeRun(
        programme=saved["programme"],
        name=folder.name,
        config_path=Path(saved["config_path"]),
        key=key,
        reused=True,
        targets=pd.DataFrame(saved["targets"]),
        headlines=tuple(saved["headlines"]),
        value_for_money=tuple(saved["value_for_money"]),
        starter_words=saved["starter_words"],
        extract_date=dt.date.fromisoformat(saved["extract_date"]),
        provenance=saved["provenance"],
        n_warnings=saved["n_warnings"],
        history_rows=pd.DataFrame(saved["history_rows"]).astype({"extract_date": "datetime64[ns]"})
        if saved["history_rows"]
        else pd.DataFrame(),
        source=folder,
    )


def _fresh(config_path: Path, config: EvaluationConfig, key: str, where: str) -> ProgrammeRun:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ev = run_evaluation(config_path)
    except UserError as exc:  # bad data or config of one programme: named with the strategy file's field
        raise ConfigError(f"{where}: {exc}") from None
    rows = history_rows(ev)
    return ProgrammeRun(
        programme=ev.programme,
        name=config_path.stem,
        config_path=config_path,
        key=key,
        reused=False,
        targets=public_targets(ev.targets),
        headlines=tuple(ev.headlines),
        value_for_money=_value_sentences(ev),
        starter_words=ev.starter_rate.words() if ev.starter_rate is not None else "",
        extract_date=rows["extract_date"].iloc[0].date() if len(rows) else dt.date.today(),
        provenance=ev.provenance,
        n_warnings=len(ev.warnings),
        history_rows=rows,
        evaluation=ev,
    )


def _value_sentences(ev) -> tuple[str, ...]:
    """The value-for-money findings; what the costs file still lacks is for the analyst, not the board."""
    if ev.value_for_money is None:
        return ()
    return tuple(s for s in ev.value_for_money.sentences if "costs.toml" not in s)


def _fresh_written(config_path: Path, evaluation: EvaluationConfig, key: str, where: str, folder: Path):
    """In a worker process: evaluate, write into ``folder``, and send back only the public part of the run."""
    warnings.simplefilter("ignore")
    run = _fresh(config_path, evaluation, key, where)
    write_programme(run, folder)
    return dataclasses.replace(run, evaluation=None, source=folder)


def strategy(path: str | os.PathLike, out: str | os.PathLike | None = None, jobs: int | None = None) -> Strategy:
    """Every programme's evaluation and the strategy's scorecard; reuses earlier runs kept in ``out``.

    ``path`` is the strategy file (``title``, ``evaluations``, optional ``history``). With ``out``, programmes that must be evaluated run side by side in ``jobs`` processes (default: one
    per processor, at most one per programme; each needs the memory of one evaluation) and write their
    outputs into ``out/<config name>/`` as they finish. Without ``out`` they run one after another and
    each :class:`ProgrammeRun` keeps its full ``evaluation`` for analysts.

    >>> s = rev.strategy("strategy.toml")                  # doctest: +SKIP
    >>> s.targets[["programme", "id", "verdict", "measurable_by"]]   # doctest: +SKIP
    >>> s.write("scorecard/")                              # doctest: +SKIP
    """
    path = Path(path)
    config, evaluations = read_strategy(path)
    cache = Path(out) if out is not None else None
    runs: list[ProgrammeRun | None] = []
    pending = []
    for i, (config_path, evaluation) in enumerate(evaluations):
        where = f"{path.name}: evaluations[{i}] = {config.evaluations[i]!r}"
        key = input_key(config_path, evaluation)
        run = _from_cache(cache / config_path.stem, key) if cache is not None else None
        runs.append(run)
        if run is None:
            pending.append((i, config_path, evaluation, key, where))
    workers = 1 if cache is None else min(jobs or os.cpu_count() or 1, len(pending))
    if workers > 1 and cache is not None:
        context = multiprocessing.get_context("spawn")  # no fork of a process holding BLAS threads
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures = {pool.submit(_fresh_written, c, e, k, w, cache / c.stem): i for i, c, e, k, w in pending}
            for future, i in futures.items():
                runs[i] = future.result()
    else:
        for i, c, e, k, w in pending:
            runs[i] = _fresh(c, e, k, w)
    done = tuple(r for r in runs if r is not None)
    history = None
    stores = _history_stores(config, evaluations, path.name)
    if stores:
        for run, (folder, field) in zip(done, stores):
            if folder is not None and len(run.history_rows):
                append_rows(run.history_rows, folder, field=field)
        frames = [read_history(folder) for folder in dict.fromkeys(f for f, _ in stores if f is not None)]
        history = pd.concat(frames, ignore_index=True) if frames else None
    return Strategy(config=config, source=path, programmes=done, history=history)


def _history_stores(config, evaluations, name: str) -> list[tuple[Path | None, str]]:
    """Where each programme's run is recorded: the strategy's ``history``, else the evaluation's own."""
    if config.history:
        return [(config.path(config.history), f"{name}: history")] * len(evaluations)
    stores = [
        (evaluation.path(evaluation.history), f"{p.name}: history") if evaluation.history else (None, "")
        for p, evaluation in evaluations
    ]
    return stores if any(f is not None for f, _ in stores) else []
