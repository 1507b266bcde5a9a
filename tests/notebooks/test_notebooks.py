"""The analysts' notebooks run top to bottom on synthetic data, and are stored without outputs.

Executing them is the only way to keep them from rotting as the API changes. They are stored
stripped (no outputs, no execution counts, no kernel metadata beyond the python3 kernelspec) so
that the repository holds no numbers that could go stale and diffs stay readable.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
REQUIRED = {"01_quickstart.ipynb", "02_matching_and_balance.ipynb", "03_repeat_victimisation.ipynb"}
CELL_TIMEOUT = 600  # seconds per cell: generous, the machines that run CI are shared and slow


def _ids(paths):
    return [p.name for p in paths]


def test_the_three_notebooks_are_there():
    assert REQUIRED <= {p.name for p in NOTEBOOKS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebook_is_stored_stripped(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert set(nb.metadata) <= {"kernelspec", "language_info"}, f"{path.name}: extra notebook metadata {set(nb.metadata)}"
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3", f"{path.name}: kernelspec must be python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code, f"{path.name} has no code cells"
    for i, cell in enumerate(nb.cells):
        where = f"{path.name}, cell {i}"
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{where} has stored outputs: clear them before committing"
            assert cell.execution_count is None, f"{where} has execution_count {cell.execution_count}"
        assert "attachments" not in cell or not cell.attachments, f"{where} has attachments"


@pytest.fixture
def kernel_env(monkeypatch):
    """The kernel subprocess inherits this process's environment: a non-interactive matplotlib backend,
    and the source tree on the path (absolute, since the kernel runs in a temporary folder) so that the
    notebooks import this checkout whether or not the package is installed."""
    monkeypatch.setenv("MPLBACKEND", "Agg")
    paths = [str(ROOT / "src")] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(dict.fromkeys(paths)))
    monkeypatch.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # quiets a debugpy note on stderr


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebook_runs_top_to_bottom(path, tmp_path, kernel_env):
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=CELL_TIMEOUT, kernel_name="python3", allow_errors=False,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as exc:
        pytest.fail(f"{path.name} failed:\n{exc}")
    errors = [
        output for cell in nb.cells if cell.cell_type == "code" for output in cell.outputs
        if output.output_type == "error"
    ]
    assert not errors
    # the notebook cleans up after itself: nothing is left in the working folder
    assert not any(tmp_path.iterdir()), f"{path.name} left files behind: {sorted(p.name for p in tmp_path.iterdir())}"
