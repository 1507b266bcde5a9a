"""The analysts' notebooks run top to bottom on synthetic data, and are stored without outputs.

Executing them is the only way to keep them from rotting as the API changes. They are stored
stripped (no outputs, no execution counts, no kernel metadata beyond the python3 kernelspec) so
that the repository holds no numbers that could go stale and diffs stay readable.
"""
from __future__ import annotations

import copy
import os
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

from .strip import CELL_METADATA, KERNELSPEC, strip  # noqa: E402 - needs nbformat, checked above

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
    fix = "run `python tests/notebooks/strip.py notebooks/*.ipynb` before committing"
    assert dict(nb.metadata) == {"kernelspec": KERNELSPEC}, f"{path.name}: metadata {dict(nb.metadata)}; {fix}"
    assert any(c.cell_type == "code" for c in nb.cells), f"{path.name} has no code cells"
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# "), \
        f"{path.name}: the first cell should be a Markdown title saying what the notebook shows"
    for i, cell in enumerate(nb.cells):
        where = f"{path.name}, cell {i}"
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{where} has stored outputs; {fix}"
            assert cell.execution_count is None, f"{where} has execution_count {cell.execution_count}; {fix}"
        assert set(cell.metadata) <= set(CELL_METADATA), f"{where} has run metadata {dict(cell.metadata)}; {fix}"
        assert not cell.get("attachments"), f"{where} has attachments; {fix}"
    # and the strip script would change nothing
    assert strip(copy.deepcopy(nb)) == nb, f"{path.name} is not stripped; {fix}"


def test_strip_removes_outputs_counts_and_run_metadata():
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python", "version": "3.11"}})
    cell = nbformat.v4.new_code_cell("1 + 1", execution_count=3, metadata={"execution": {"iopub.status.idle": "2026-11-26T10:00:00Z"}, "tags": ["x"]})
    cell.outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": "2"}, execution_count=3)]
    nb.cells = [nbformat.v4.new_markdown_cell("# Title"), cell]
    out = strip(nb)
    assert dict(out.metadata) == {"kernelspec": KERNELSPEC}
    assert out.cells[1].outputs == [] and out.cells[1].execution_count is None
    assert dict(out.cells[1].metadata) == {"tags": ["x"]}
    assert out.cells[1].source == "1 + 1"


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
