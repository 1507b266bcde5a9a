"""Strip notebooks for committing: no outputs, no execution counts, no metadata but the python3 kernelspec.

Run it after editing a notebook in Jupyter, before ``git add``:

    python tests/notebooks/strip.py notebooks/*.ipynb

``test_notebooks.py`` fails on any notebook that is not stripped this way.
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat

KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
CELL_METADATA = ("tags",)  # kept: tags are part of the content, not of a run


def strip(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook without outputs, execution counts or run metadata (changed in place and returned)."""
    nb.metadata = nbformat.NotebookNode(kernelspec=nbformat.NotebookNode(KERNELSPEC))
    for cell in nb.cells:
        cell.metadata = nbformat.NotebookNode({k: v for k, v in cell.metadata.items() if k in CELL_METADATA})
        cell.pop("attachments", None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb


def main(paths: list[str]) -> int:
    for path in map(Path, paths):
        nb = strip(nbformat.read(path, as_version=4))
        nbformat.validate(nb)
        nbformat.write(nb, path)
        print(f"stripped {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
