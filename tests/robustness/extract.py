"""A small clean extract written once per session, copied and mutated per case (issue 13's corpus).

``Extract`` is one copy: ``data/`` (CSV tables), the programme's example config and targets. Helpers read a
table as text (nothing typed, nothing lost), write it back, and edit the config's TOML lines.
"""
from __future__ import annotations

import re
import shutil
import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from reoffend_eval import synthetic
from reoffend_eval.examples import FILES, write_example

#: Size of each base extract: small enough to evaluate in seconds, large enough for every target to be judged.
SIZES = {"DRIVE": (150, 1500, 7), "Up2U": (150, 1500, 11), "Turnaround": (150, 1500, 13)}
TABLE_NAMES = ("participants", "comparison", "offences", "incidents", "custody", "exits")


@dataclass
class Extract:
    root: Path
    programme: str
    extract_date: str

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def config(self) -> Path:
        return self.root / f"{FILES[self.programme]}.toml"

    @property
    def targets(self) -> Path:
        return self.root / f"{FILES[self.programme]}_targets.toml"

    # ------------------------------------------------------------ tables
    def path(self, table: str) -> Path:
        return self.data / f"{table}.csv"

    def read(self, table: str) -> pd.DataFrame:
        return pd.read_csv(self.path(table), dtype=str, keep_default_na=False)

    def write(self, table: str, frame: pd.DataFrame) -> None:
        frame.to_csv(self.path(table), index=False)

    def edit(self, table: str, change) -> None:
        """``change(frame) -> frame`` on the table read as text."""
        self.write(table, change(self.read(table)))

    def remove(self, table: str) -> None:
        self.path(table).unlink()

    # ------------------------------------------------------------ config
    def set_config(self, key: str, value: str, section: str | None = None) -> None:
        """Set ``key = value`` (``value`` is TOML text) in the config, under ``section`` when the key is new."""
        self.config.write_text(set_toml(self.config.read_text(encoding="utf-8"), key, value, section), encoding="utf-8")

    def replace_config(self, old: str, new: str) -> None:
        text = self.config.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in the config"
        self.config.write_text(text.replace(old, new), encoding="utf-8")

    def set_targets(self, text: str) -> None:
        self.targets.write_text(text, encoding="utf-8")

    def replace_targets(self, old: str, new: str, count: int = -1) -> None:
        text = self.targets.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in the targets"
        self.targets.write_text(text.replace(old, new, count), encoding="utf-8")


def set_toml(text: str, key: str, value: str, section: str | None = None) -> str:
    """Replace the first uncommented ``key = ...`` line, or add it at the end of ``section`` (top level if None)."""
    pattern = re.compile(rf"^{re.escape(key)}\s*=.*$", re.MULTILINE)
    if pattern.search(text):
        return pattern.sub(lambda _: f"{key} = {value}", text, count=1)
    line = f"{key} = {value}"
    if section is None:
        return line + "\n" + text
    header = f"[{section}]"
    if header not in text:
        return text.rstrip("\n") + f"\n\n{header}\n{line}\n"
    return text.replace(header, f"{header}\n{line}", 1)


def build_base(folder: Path, programme: str) -> Extract:
    n_participants, n_comparison, seed = SIZES[programme]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = synthetic.generate(programme, n_participants=n_participants, n_comparison=n_comparison, seed=seed)
    data.to_folder(folder / "data", format="csv")
    extract_date = data.truth["extract_date"]
    write_example(programme, folder, extract_date=extract_date)
    return Extract(folder, programme, f"{extract_date:%Y-%m-%d}")


def copy_extract(base: Extract, folder: Path) -> Extract:
    shutil.copytree(base.root, folder)
    return Extract(folder, base.programme, base.extract_date)
